"""Review cycles and their progress report, as HTML and DOCX: cycles opened on the bare database,
the report from the demo data."""

from __future__ import annotations

import datetime as dt
import io
from decimal import Decimal

import pytest
from docx import Document
from fastapi.testclient import TestClient
from sqlalchemy.orm import Session

from stocktake.core.errors import Conflict, PermissionDenied, ValidationFailed
from stocktake.core.permissions import Principal, Role
from stocktake.process.services import get_process
from stocktake.review.services.cycles import create_cycle, get_cycle
from stocktake.review.services.report import build_cycle_report, cycle_report_docx, narrative_of
from stocktake.review.services.report.word import values_by_year
from tests.factories.review import cycle

SYSTEM = Principal.system()


def test_cycles_are_opened_by_the_secretariat(bare_session: Session) -> None:
    process = get_process(bare_session)
    day = dt.date(2025, 3, 1)
    cycle = create_cycle(
        bare_session,
        process,
        slug="africa-2025",
        title="Regional review, Africa",
        scope="regional",
        region="Africa",
        start_date=day,
        end_date=day,
        by=SYSTEM,
    )
    assert get_cycle(bare_session, "africa-2025") is cycle
    with pytest.raises(Conflict):
        create_cycle(
            bare_session,
            process,
            slug="africa-2025",
            title="Again",
            scope="global",
            start_date=day,
            end_date=day,
            by=SYSTEM,
        )
    with pytest.raises(ValidationFailed) as caught:
        create_cycle(
            bare_session,
            process,
            slug="x",
            title="X",
            scope="national",
            start_date=day,
            end_date=day - dt.timedelta(days=1),
            by=SYSTEM,
        )
    assert {p.where for p in caught.value.problems} == {"region", "end_date"}
    with pytest.raises(PermissionDenied):
        create_cycle(
            bare_session,
            process,
            slug="y",
            title="Y",
            scope="global",
            start_date=day,
            end_date=day,
            by=Principal(role=Role.DELEGATION_MEMBER, user_id=1),
        )


def test_the_report_of_the_demo_forum(session: Session) -> None:
    report = build_cycle_report(
        session, get_process(session), get_cycle(session, "imrf-2026-review")
    )
    assert len(report.sections) == 23
    remittances = report.sections[19]
    assert remittances.objective.number == 20
    assert ("10.c.1", "Limited progress") in [
        (i.code, i.status_label) for i in remittances.indicators
    ]
    # the chart's values as text name each quarter as published, not its decimal time
    costs = next(i for i in remittances.indicators if i.code == "10.c.1")
    assert values_by_year(costs).startswith("2013 Q1: 7.96; 2013 Q2: 7.69;")
    assert [p.title for p in remittances.pledges] == [
        "Cheaper remittances along the Philippines–Mexico corridor",
        "Training remittance supervisors on digital service providers",
    ]
    assert {p.title for p in report.pledges} >= {
        "Cheaper remittances along the Philippines–Mexico corridor"
    }
    assert all(p.is_published for p in report.pledges)
    # a joint pledge with money and a timeframe, one partner's confirmation recorded
    (joint,) = report.sections[20].pledges
    assert joint.objectives[0].number == 21
    assert (joint.amount, joint.currency, joint.start_year, joint.end_year) == (
        Decimal("3200000"),
        "USD",
        2025,
        2029,
    )
    assert [a.code for a in joint.partners] == ["GTM", "HND"]
    assert [(c.actor.code, c.on_behalf) for c in joint.confirmations] == [("GTM", True)]
    # a pledge answers the Philippines' published capacity need
    assert [(need.actor.code, [p.title for p in pledges]) for need, pledges in report.answered] == [
        ("PHL", ["Training remittance supervisors on digital service providers"])
    ]
    assert report.figures.amounts == {"USD": Decimal("3680000")}
    assert [(m.need.actor.code, m.offer.actor.code) for m in report.matches] == [("PHL", "MEX")]
    assert report.reports == []  # Mexico reported to the forum of 2022
    cycle = get_cycle(session, "imrf-2026-review")
    document = Document(io.BytesIO(cycle_report_docx(report, narrative_of(cycle, report.figures))))
    headings = [
        p.text
        for p in document.paragraphs
        if p.style.name.startswith("Heading") or p.style.name == "Title"
    ]
    assert headings[0] == "Progress report: International Migration Review Forum 2026"
    assert "In brief" in headings
    assert "Objective 20: " + remittances.objective.title in headings
    assert "Indicators with data, by country and years" in headings
    assert len(document.tables) >= 4


def test_an_ended_cycles_report_takes_stock_as_it_stood_on_its_last_day(
    client: TestClient, session: Session
) -> None:
    """The forum of May 2022 finds what was published by 20 May 2022 and the data of periods begun
    by then; the forum of May 2026 all the demo's pledges; a cycle running today, everything."""
    process = get_process(session)
    forum = build_cycle_report(session, process, get_cycle(session, "imrf-2022-review"))
    assert forum.as_of == dt.date(2022, 5, 20)
    assert [p.title for p in forum.pledges] == [
        "Fair recruitment: no recruitment fees charged to migrant workers"
    ]
    assert [p.title for p in forum.practices] == [
        "Pre-departure orientation for every worker going abroad"
    ]
    assert (forum.matches, forum.answered) == ([], [])  # the needs and offers came in 2025
    assert forum.coverage
    assert all(c.latest_year <= 2022 for c in forum.coverage)
    assert max(p for line in (forum.sections[19].indicators) for p, _ in line.points) < 2022.38
    later = build_cycle_report(session, process, get_cycle(session, "imrf-2026-review"))
    assert len(later.pledges) == 4
    assert [r.actor.code for r in forum.reports] == ["MEX"]
    observed = sum(c.observations for c in later.coverage)
    assert sum(c.observations for c in forum.coverage) < observed  # 2022 Q3 came after
    running = cycle(session, slug="running-now")
    assert build_cycle_report(session, process, running).as_of is None
    page = client.get("/review/cycles/imrf-2022-review", headers={"Accept-Language": "fr"})
    assert "Tel qu’il se présentait le 20 mai 2022, dernier jour du cycle" in page.text
    document = Document(
        io.BytesIO(client.get("/review/cycles/imrf-2022-review/report.docx").content)
    )
    assert "As it stood on 20 May 2022, the cycle's last day" in document.paragraphs[1].text
    assert "As it stood" not in client.get("/review/cycles/running-now").text


def test_the_report_pages(client: TestClient) -> None:
    page = client.get("/review/cycles/imrf-2022-review")
    assert page.status_code == 200
    assert 'role="img" aria-label="Indicators by progress status"' in page.text
    assert "<caption" in page.text  # each chart has its table
    docx = client.get("/review/cycles/imrf-2022-review/report.docx")
    assert docx.status_code == 200
    assert docx.content[:2] == b"PK"
    assert client.get("/review/cycles/no-such-cycle").status_code == 404
