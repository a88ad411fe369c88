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
from stocktake.summary.services import generate_summary
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
