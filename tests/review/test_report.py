"""A cycle's report a Forum could read: per objective, the pledges with their actors, amounts and
timeframe, the indicators with data in the scope with their latest year and chart, the practices and
the capacity matched; a narrative of figures the secretariat keeps and edits; HTML, DOCX, commands."""

from __future__ import annotations

import io
import re
from decimal import Decimal
from pathlib import Path

import pytest
from docx import Document
from fastapi.testclient import TestClient
from hypothesis import given
from hypothesis import strategies as st
from sqlalchemy import select, update
from sqlalchemy.orm import Session
from typer.testing import CliRunner

from stocktake.audit.events import AuditAction
from stocktake.audit.models import AuditEvent
from stocktake.cli import app
from stocktake.core.errors import Conflict, PermissionDenied, ValidationFailed
from stocktake.core.permissions import Principal
from stocktake.core.translation import format_number
from stocktake.process.services import get_process
from stocktake.review.models import ReviewCycle
from stocktake.review.services.indicators import import_opensdg
from stocktake.review.services.mapping import publish, submit_capacity
from stocktake.review.services.pledges import (
    PledgeData,
    confirm_pledge,
    list_pledges,
    publish_pledge,
    submit_pledge,
)
from stocktake.review.services.report import (
    Figures,
    build_cycle_report,
    cycle_report_docx,
    generate_narrative,
    narrative_of,
    regenerate_narrative,
    save_narrative,
)
from stocktake.web.charts import line_chart
from tests.conftest import csrf_of, sign_in
from tests.databases import OPENSDG_UK as UK
from tests.factories.accounts import member_of
from tests.factories.frameworks import sdg
from tests.factories.review import cycle, frame

SYSTEM = Principal.system()
TEXT = "Remittance costs published each quarter and compared across corridors. " * 6
CANADA = (
    "Review cycle canada-2026 (Canada): 1 pledge by 1 State, pledging 250,000.00 USD; "
    "1 indicator with data since 2015 (latest 2020), 0 on track and 1 deteriorating. No "
    "practices shared yet; 1 capacity need, 1 matched with offers and 1 answered by pledges."
)


def _canada(tmp_path: Path) -> Path:
    (tmp_path / "data").mkdir()
    (tmp_path / "meta").mkdir()
    (tmp_path / "data" / "indicator_10-c-1.csv").write_text(
        "Year,Units,Value\n2015,Percentage (%),5\n2018,Percentage (%),6\n2020,Percentage (%),7\n"
    )
    (tmp_path / "meta" / "10-c-1.md").write_text(
        "---\nindicator_number: 10.c.1\nnational_geographical_coverage: Canada\n---\n"
    )
    return tmp_path


def _pledge(session: Session, actor: str, **changes: object) -> None:
    fields: dict[str, object] = {
        "actor": actor,
        "title": f"Cheaper remittances from {actor}",
        "description": TEXT,
        "kind": "financial",
        "level": "national",
        "objectives": [20],
        "start_year": 2025,
        "end_year": 2028,
    }
    fields.update(changes)
    pledge = submit_pledge(session, get_process(session), PledgeData(**fields), by=SYSTEM)  # type: ignore[arg-type]
    publish_pledge(session, pledge, by=SYSTEM)


def _need(session: Session, direction: str, actor: str) -> int:
    item = submit_capacity(
        session,
        get_process(session),
        direction=direction,
        actor=actor,
        objective=20,
        kind="training",
        description="Training for supervisors of remittance service providers, in two cities.",
        by=SYSTEM,
    )
    publish(session, item, by=SYSTEM)
    return item.id


def _canada_review(session: Session, tmp_path: Path) -> ReviewCycle:
    """Canada's and the UK's data; a Canadian pledge with a partner, a British one; a Canadian
    need met by a Mexican offer and answered by a British pledge."""
    sdg(session)
    frame(session)
    import_opensdg(session, UK, by=SYSTEM)
    import_opensdg(session, _canada(tmp_path), by=SYSTEM)
    need = _need(session, "need", "CAN")
    _need(session, "offer", "MEX")
    _pledge(
        session,
        "CAN",
        amount=Decimal(250000),
        currency="USD",
        mode="joint",
        partners=["IOM"],
    )
    _pledge(session, "GBR", answers=need, amount=Decimal(90000), currency="GBP")
    return cycle(session, slug="canada-2026", scope="national", region="Canada")


def test_the_report_of_a_country_says_per_objective_what_was_pledged_and_measured(
    bare_session: Session, tmp_path: Path
) -> None:
    canada = _canada_review(bare_session, tmp_path)
    report = build_cycle_report(bare_session, get_process(bare_session), canada)
    remittances = report.sections[19]
    assert remittances.objective.number == 20
    # the Canadian pledge and its partner; the British one is not Canada's
    assert [(p.actor.code, [a.code for a in p.partners]) for p in remittances.pledges] == [
        ("CAN", ["IOM"])
    ]
    # Canada's data only, with the latest year, the status and the values the chart draws
    [line] = remittances.indicators
    assert (line.code, line.country, line.coverage.latest, line.status_label) == (
        "10.c.1",
        "CAN",
        "2020",
        "Deterioration",
    )
    assert line.points == [(2015.0, 5.0), (2018.0, 6.0), (2020.0, 7.0)]
    assert [(c.indicator, c.country, c.first, c.latest) for c in report.coverage] == [
        ("10.c.1", "CAN", "2015", "2020")
    ]
    # the capacity matched: the offer from Mexico, and the British pledge answering the need
    assert [(m.need.actor.code, m.offer.actor.code) for m in remittances.matches] == [
        ("CAN", "MEX")
    ]
    assert [(n.actor.code, [p.actor.code for p in ps]) for n, ps in remittances.answered] == [
        ("CAN", ["GBR"])
    ]
    assert report.sections[5].is_empty
    narrative = narrative_of(canada, report.figures)
    assert (narrative.state, narrative.text) == ("draft", CANADA)


def test_a_partner_counts_among_those_who_pledged_once_it_has_confirmed(
    bare_session: Session, tmp_path: Path
) -> None:
    """IOM is named as the Canadian pledge's partner: until it confirms, the narrative counts
    Canada alone; once its confirmation is recorded, IOM too."""
    canada = _canada_review(bare_session, tmp_path)
    process = get_process(bare_session)
    figures = build_cycle_report(bare_session, process, canada).figures
    assert (figures.pledges, figures.states, figures.stakeholders) == (1, 1, 0)
    [joint] = [p for p in list_pledges(bare_session, process, by=SYSTEM) if p.partners]
    confirm_pledge(bare_session, joint, by=SYSTEM, partner="IOM", note="by letter")
    bare_session.expire_all()
    figures = build_cycle_report(bare_session, process, canada).figures
    assert (figures.pledges, figures.states, figures.stakeholders) == (1, 1, 1)
    assert "1 pledge by 1 State and 1 stakeholder" in generate_narrative(canada, figures)


def test_a_state_named_as_a_partner_finds_the_pledge_in_its_report_once_it_confirms(
    bare_session: Session, tmp_path: Path
) -> None:
    """Mexico names Canada as the partner of its pledge: Canada's report lists it, and counts it,
    only once Canada's confirmation is recorded (until then Canada has pledged nothing)."""
    canada = _canada_review(bare_session, tmp_path)
    process = get_process(bare_session)
    _pledge(bare_session, "MEX", mode="joint", partners=["CAN"], title="Remittances corridor")
    report = build_cycle_report(bare_session, process, canada)
    assert [p.actor.code for p in report.sections[19].pledges] == ["CAN"]
    assert report.figures.pledges == 1
    [joint] = [p for p in list_pledges(bare_session, process, by=SYSTEM) if p.actor.code == "MEX"]
    confirm_pledge(bare_session, joint, by=SYSTEM, partner="CAN", note="by note verbale")
    bare_session.expire_all()
    report = build_cycle_report(bare_session, process, canada)
    assert [p.actor.code for p in report.sections[19].pledges] == ["CAN", "MEX"]
    assert report.figures.pledges == 2


def test_the_narrative_is_kept_and_an_edit_never_silently_replaced(
    bare_session: Session, tmp_path: Path
) -> None:
    canada = _canada_review(bare_session, tmp_path)
    process = get_process(bare_session)
    with pytest.raises(PermissionDenied):
        regenerate_narrative(bare_session, process, canada, by=member_of(bare_session, "CAN"))
    assert regenerate_narrative(bare_session, process, canada, by=SYSTEM) == CANADA
    assert (canada.narrative, canada.narrative_edited) == (CANADA, False)
    save_narrative(bare_session, canada, "Canada reports rising remittance costs.", by=SYSTEM)
    with pytest.raises(Conflict, match=r"the narrative was edited on .*confirm that it may"):
        regenerate_narrative(bare_session, process, canada, by=SYSTEM)
    report = build_cycle_report(bare_session, process, canada)
    kept = narrative_of(canada, report.figures)
    assert (kept.state, kept.text, kept.outdated) == (
        "edited",
        "Canada reports rising remittance costs.",
        True,
    )
    with pytest.raises(ValidationFailed, match="is empty"):
        save_narrative(bare_session, canada, "  ", by=SYSTEM)
    regenerate_narrative(bare_session, process, canada, by=SYSTEM, replace_edit=True)
    assert (canada.narrative, canada.narrative_edited) == (CANADA, False)
    events = bare_session.scalars(
        select(AuditEvent.changes)
        .where(AuditEvent.action == AuditAction.REPORT_NARRATIVE_SAVED.value)
        .order_by(AuditEvent.id)
    ).all()
    assert [(e["edited"], e["replaced_edit"]) for e in events] == [
        (False, False),
        (True, False),
        (False, True),
    ]
    document = Document(io.BytesIO(cycle_report_docx(report, kept)))
    paragraphs = [p.text for p in document.paragraphs]
    assert "Canada reports rising remittance costs." in paragraphs
    cells = [c.text for t in document.tables for row in t.rows for c in row.cells]
    assert "250,000.00 USD" in cells
    assert "2025–2028" in cells
    assert "Canada" in cells  # IOM, named as partner, has not confirmed: it has pledged nothing
    assert "Canada, IOM" not in cells
    assert "Percentage (%) — 2015: 5; 2018: 6; 2020: 7" in cells


def test_an_edit_kept_while_the_narrative_is_generated_is_not_replaced(
    bare_session: Session,
) -> None:
    frame(bare_session)
    forum = cycle(bare_session, slug="forum-2026")
    # another officer keeps an edit after this one read the cycle: what it holds is stale
    bare_session.execute(
        update(ReviewCycle)
        .where(ReviewCycle.id == forum.id)
        .values(narrative="Edited meanwhile.", narrative_edited=True),
        execution_options={"synchronize_session": False},
    )
    assert not forum.narrative_edited
    with pytest.raises(Conflict, match="would replace the edit"):
        regenerate_narrative(bare_session, get_process(bare_session), forum, by=SYSTEM)


def test_the_report_page_shows_charts_and_the_secretariat_edits_the_narrative(
    client: TestClient,
) -> None:
    page = client.get("/review/cycles/imrf-2022-review")
    assert page.status_code == 200
    assert 'id="narrative"' in page.text
    assert "not yet kept" in page.text
    assert 'class="chart spark"' in page.text  # the values of an indicator over time
    assert "Objective 20: " in page.text
    assert "Keep this narrative" not in page.text  # the public reads it
    sign_in(client, "secretariat@gcm.example")
    path = "/review/cycles/imrf-2022-review"
    edited = client.post(
        f"{path}/narrative",
        data={"csrf": csrf_of(client, path), "text": "The Forum took stock of 23 objectives."},
    )
    assert edited.status_code == 200
    assert "The narrative is kept as edited" in edited.text
    assert "Edited by the secretariat on" in edited.text
    refused = client.post(f"{path}/narrative/generate", data={"csrf": csrf_of(client, path)})
    assert refused.status_code == 409
    assert "generating it again would replace the edit" in refused.text
    assert "The Forum took stock of 23 objectives." in refused.text
    empty = client.post(f"{path}/narrative", data={"csrf": csrf_of(client, path), "text": ""})
    assert empty.status_code == 422
    assert "text: is empty" in empty.text
    docx = client.get(f"{path}/report.docx")
    assert "The Forum took stock of 23 objectives." in [
        p.text for p in Document(io.BytesIO(docx.content)).paragraphs
    ]
    replaced = client.post(
        f"{path}/narrative/generate", data={"csrf": csrf_of(client, path), "replace": "yes"}
    )
    assert replaced.status_code == 200
    assert "generated from today" in replaced.text
    assert "The Forum took stock of 23 objectives." not in replaced.text


def test_commands_print_keep_and_write_the_report(cli_db: str, tmp_path: Path) -> None:
    runner = CliRunner()
    env = {"STOCKTAKE_DATABASE_URL": cli_db}
    shown = runner.invoke(app, ["review", "report", "imrf-2026-review"], env=env)
    assert shown.exit_code == 0, shown.output
    assert "International Migration Review Forum 2026:" in shown.output
    assert "(generated, not yet kept)" in shown.output
    assert "10.c.1" in shown.output
    own = tmp_path / "narrative.txt"
    own.write_text("Our own words for the Forum.", encoding="utf-8")
    kept = runner.invoke(
        app, ["review", "narrative", "imrf-2026-review", "--text", str(own)], env=env
    )
    assert kept.exit_code == 0, kept.output
    refused = runner.invoke(app, ["review", "narrative", "imrf-2026-review"], env=env)
    assert refused.exit_code == 1
    assert "would replace the edit" in refused.output
    replaced = runner.invoke(
        app, ["review", "narrative", "imrf-2026-review", "--replace-edit"], env=env
    )
    assert replaced.exit_code == 0, replaced.output
    assert "Kept the generated narrative: International Migration Review Forum 2026" in (
        replaced.output
    )
    target = tmp_path / "report.docx"
    written = runner.invoke(
        app, ["review", "report", "imrf-2026-review", "--out", str(target)], env=env
    )
    assert written.exit_code == 0, written.output
    assert target.read_bytes()[:2] == b"PK"
    missing = runner.invoke(app, ["review", "report", "no-such-cycle"], env=env)
    assert missing.exit_code == 1


finite = st.floats(min_value=-1e9, max_value=1e9, allow_nan=False, allow_infinity=False)


@given(st.lists(st.tuples(st.integers(1990, 2100).map(float), finite), max_size=30))
def test_the_small_chart_stays_inside_its_frame(points: list[tuple[float, float]]) -> None:
    drawn = str(line_chart("Values over time", sorted(points), width=160, height=40))
    if len(points) < 2:
        assert not drawn
        return
    line = re.search(r'points="([^"]*)"', drawn)
    assert line is not None
    for pair in line[1].split():
        x, y = (float(n) for n in pair.split(","))
        assert 0 <= x <= 160
        assert 0 <= y <= 40


counts = st.integers(0, 10_000)


@given(
    st.builds(
        Figures,
        pledges=counts,
        states=counts,
        stakeholders=counts,
        amounts=st.dictionaries(
            st.sampled_from(["USD", "EUR", "GBP"]),
            st.decimals(min_value=1, max_value=10**12, places=2),
        ),
        indicators=counts,
        countries=counts,
        since=st.none() | st.integers(1990, 2030),
        assessed=counts,
        on_track=counts,
        deteriorating=counts,
        practices=counts,
        needs=counts,
        needs_matched=counts,
        needs_answered=counts,
    )
)
def test_the_narrative_says_every_figure_in_words(figures: Figures) -> None:
    cycle = ReviewCycle(title="A Forum", scope="global", region="")
    text = generate_narrative(cycle, figures)
    if figures.pledges:
        assert text.startswith(f"A Forum: {figures.pledges:,} pledge")
        for currency in figures.amounts:
            assert f" {currency}" in text
    else:
        assert text.startswith("A Forum: no pledges yet;")
    assert (re.match(r"A Forum: 1 pledge\b", text) is not None) == (figures.pledges == 1)
    # none is said as none: never "0 pledges by 0 States and 0 stakeholders", "0 practices"
    assert not re.search(r"\b0 (pledges|States|stakeholders|practices|capacity needs)\b", text)
    if figures.indicators:
        assert f"{figures.indicators:,} indicator" in text
        assert f"{figures.on_track:,} on track" in text
    else:
        assert "no indicator with data yet" in text
    if figures.needs:
        assert text.endswith(f"{figures.needs_answered:,} answered by pledges.")
    else:
        assert text.endswith("no capacity needs yet.")


@given(
    st.builds(
        Figures,
        pledges=counts,
        states=counts,
        stakeholders=counts,
        amounts=st.dictionaries(
            st.sampled_from(["USD", "EUR"]), st.decimals(min_value=1, max_value=10**9, places=2)
        ),
        indicators=counts,
        countries=counts,
        since=st.none() | st.integers(1990, 2030),
        on_track=counts,
        practices=counts,
        needs=counts,
    ),
    st.sampled_from(["ar", "es", "fr", "ru", "zh"]),
)
def test_the_narrative_is_written_in_each_language_with_every_figure(
    figures: Figures, language: str
) -> None:
    cycle = ReviewCycle(title="IMRF 2026", scope="global", region="")
    text = generate_narrative(cycle, figures, language)
    # in Arabic the Latin title is set apart from the sentence's direction (U+2068 … U+2069)
    assert text.startswith("\u2068IMRF 2026\u2069" if language == "ar" else "IMRF 2026")
    assert text != generate_narrative(cycle, figures)  # not the English text
    for english in ("pledge", "stakeholder", "indicator", "on track", "shared", "yet"):
        assert english not in text
    if figures.pledges:
        for currency in figures.amounts:
            assert currency in text
        assert format_number(figures.pledges, language) in text
    if figures.needs:
        assert format_number(figures.needs, language) in text


def test_a_forum_reads_the_narrative_in_its_own_language(
    bare_session: Session, tmp_path: Path
) -> None:
    canada = _canada_review(bare_session, tmp_path)
    process = get_process(bare_session)
    report = build_cycle_report(bare_session, process, canada)
    french = narrative_of(canada, report.figures, "fr")
    assert french.state == "draft"
    assert "engagement" in french.text
    assert "pledge" not in french.text
    # kept in French by a French-speaking secretariat: an English reader sees the kept text,
    # which today's figures still give (in French), so it is not outdated
    kept = regenerate_narrative(bare_session, process, canada, by=SYSTEM, language="fr")
    assert kept == french.text
    for reader in ("en", "fr", "ar"):
        shown = narrative_of(canada, report.figures, reader)
        assert (shown.state, shown.text, shown.outdated) == ("kept", kept, False)


def test_each_country_s_report_names_an_indicator_as_its_own_platform_does(
    bare_session: Session, tmp_path: Path
) -> None:
    """The UK and Canada publish 10.c.1 under different titles. Whichever was imported last, each
    country's report carries its own platform's title, never the other's."""
    sdg(bare_session)
    frame(bare_session)
    import_opensdg(bare_session, UK, by=SYSTEM)
    canada = _canada(tmp_path)
    meta = canada / "meta" / "10-c-1.md"
    meta.write_text(
        meta.read_text().replace("---\n", "---\nindicator_available: Coût des envois\n", 1)
    )
    import_opensdg(bare_session, canada, by=SYSTEM)
    process = get_process(bare_session)
    for slug, region, title in (
        ("uk-2026", "GBR", "Remittance costs as a proportion of the amount remitted"),
        ("canada-2026", "Canada", "Coût des envois"),
    ):
        review = cycle(bare_session, slug=slug, scope="national", region=region)
        report = build_cycle_report(bare_session, process, review)
        [line] = [line for s in report.sections for line in s.indicators if line.code == "10.c.1"]
        assert line.title == title, (region, line.title)
