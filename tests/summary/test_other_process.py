"""A process other than the GCM, from the example definition in the docs, end to end: load it, import
inputs, run the analysis, generate the Chair's summary. The summary speaks in that process's terms."""

from __future__ import annotations

import datetime as dt

import pytest
from sqlalchemy.orm import Session

from stocktake.analysis.services import run_analysis
from stocktake.consultation.services import InputData
from stocktake.core.errors import ValidationFailed
from stocktake.core.permissions import Principal
from stocktake.summary.sections import replace_section, split_sections
from stocktake.summary.services import generate_summary, redraft_summary, save_version
from tests.factories.consultation import imported
from tests.factories.meetings import meeting
from tests.factories.process import EXAMPLES, process_from

SYSTEM = Principal.system()
PLASTICS = EXAMPLES / "plastics-treaty.toml"

THEMES = {
    ("control_measure", "products"): (
        "The instrument should ban problematic and avoidable single-use plastic products and "
        "packaging, with a binding phase-out date for each listed product."
    ),
    ("financing", "waste"): (
        "A dedicated fund should finance waste collection, sorting and recycling in developing "
        "countries, with technical assistance and capacity building for waste management."
    ),
    ("national_plan", "legacy"): (
        "Each party should adopt a national action plan on marine litter and microplastics, report "
        "on its progress every two years and take part in a review of clean-up of rivers and beaches."
    ),
}
STATES = ("FRA", "KEN", "PER", "NOR", "JPN", "GHA")


def rows() -> list[InputData]:
    made = []
    for number, ((input_type, dimension), text) in enumerate(THEMES.items()):
        for offset, iso3 in enumerate(STATES[number : number + 4]):
            made.append(
                InputData(
                    text=f"{text} Submission of {iso3}." if offset else text,
                    submitter=iso3,
                    input_types=[input_type],
                    dimensions=[dimension],
                    external_id=f"INC-{number}-{iso3}",
                    submitted_at=f"2023-0{number + 1}-15",
                    language="en",
                    status="published",  # the summary quotes only what the public may read
                )
            )
    return made


def test_the_example_definition_runs_through_import_analysis_and_summary(
    bare_session: Session,
) -> None:
    process = process_from(bare_session, PLASTICS)
    meeting(bare_session, process, meeting_type="inc_session", start=dt.date(2023, 5, 29), days=5)
    report = imported(bare_session, process, rows())
    assert report.created == 12

    run, result = run_analysis(bare_session, process, by=SYSTEM)
    assert run.status == "completed"
    assert result.clusters

    text = generate_summary(bare_session, process, run, by=SYSTEM).current.markdown
    assert text.startswith("# Chair's summary: Test meeting")
    for heading in (
        "### Obligations and control measures",
        "### Means of implementation",
        "## Products and design dimension",
    ):
        assert heading in text
    for gcm_term in ("Actionable commitments", "Other proposals", "Further proposals"):
        assert gcm_term not in text
    assert "Member State " in text  # the process's own names in the sources annex


def test_the_example_refuses_inputs_dated_in_a_phase_closed_for_inputs(
    bare_session: Session,
) -> None:
    process = process_from(bare_session, PLASTICS)
    late = rows()[:1]
    late[0].submitted_at = "2024-04-23"
    with pytest.raises(ValidationFailed) as raised:
        imported(bare_session, process, late)
    assert [str(p) for p in raised.value.problems] == [
        "row 1, field submitted_at: the process accepts no inputs on 23 April 2024: "
        "the Negotiation phase is not open for inputs"
    ]


def test_a_newer_run_makes_a_new_version_that_keeps_the_edited_sections(
    bare_session: Session,
) -> None:
    process = process_from(bare_session, PLASTICS)
    meeting(bare_session, process, meeting_type="inc_session", start=dt.date(2023, 5, 29), days=5)
    imported(bare_session, process, rows())
    first, _ = run_analysis(bare_session, process, by=SYSTEM)
    summary = generate_summary(bare_session, process, first, by=SYSTEM)
    heading = "Products and design dimension"
    section = next(s for s in split_sections(summary.current.markdown) if s.heading == heading)
    edited = f"## {heading}\n\nThe Chair's own words on products.\n"
    save_version(
        bare_session,
        summary,
        replace_section(summary.current.markdown, section.number, edited),
        by=SYSTEM,
    )
    more = rows()[:1]
    more[0].submitter, more[0].external_id = "GHA", "INC-0-GHA-2"
    imported(bare_session, process, more, source="later rows")
    second, _ = run_analysis(bare_session, process, by=SYSTEM)

    again = generate_summary(bare_session, process, second, by=SYSTEM)
    assert again.id == summary.id  # the same summary, a new version
    assert [v.number for v in again.versions] == [1, 2, 3]
    assert again.run_id == second.id
    text = again.current.markdown
    assert "The Chair's own words on products." in text
    assert f"Changes from analysis run {second.id} to accept" in text
    assert "Supported by 5 delegations" in text  # the new figures, listed under the edit
    assert f"kept as edited: {heading}" in again.current.note
    with pytest.raises(ValidationFailed, match=f"run {first.id} is not newer than run {second.id}"):
        redraft_summary(bare_session, again, first, by=SYSTEM)


def test_a_run_of_another_process_is_refused(bare_session: Session) -> None:
    plastics = process_from(bare_session, PLASTICS)
    imported(bare_session, plastics, rows())
    run, _ = run_analysis(bare_session, plastics, by=SYSTEM)
    other = process_from(
        bare_session, PLASTICS, replace={'slug = "plastics_treaty"': 'slug = "plastics_two"'}
    )
    with pytest.raises(
        ValidationFailed, match=f"analysis run {run.id} is a run of another process"
    ):
        generate_summary(bare_session, other, run, by=SYSTEM)
