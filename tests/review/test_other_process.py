"""A process other than the GCM runs the review in its own terms: the example definition in the docs
(the plastics negotiations) gives its own frame of objectives and actions, guiding principles,
instruments and progress defaults, and none of the GCM's."""

from __future__ import annotations

import pytest
from sqlalchemy.orm import Session

from stocktake.core.errors import ValidationFailed
from stocktake.core.permissions import Principal
from stocktake.review.services.frame import ensure_frame, list_objectives
from stocktake.review.services.indicators import get_indicator, import_opensdg
from stocktake.review.services.mapping import (
    Criterion,
    PracticeData,
    principles,
    principles_in,
    submit_practice,
)
from tests.conftest import SHARED
from tests.factories.consultation import submitted
from tests.factories.frameworks import sdg
from tests.factories.process import EXAMPLES, gcm, process_from
from tests.factories.review import frame

SYSTEM = Principal.system()
PLASTICS = EXAMPLES / "plastics-treaty.toml"
UK = SHARED / "data" / "opensdg-uk"
TEXT = "A deposit-return scheme for beverage bottles collects nine in ten of them for reuse. " * 2


def test_the_frame_is_the_processs_own(bare_session: Session) -> None:
    plastics = process_from(bare_session, PLASTICS)
    assert ensure_frame(bare_session, plastics, by=SYSTEM) == 4
    objectives = list_objectives(bare_session, plastics)
    assert [(o.number, o.title) for o in objectives][1] == (
        2,
        "Eliminate problematic and avoidable plastic products",
    )
    assert [(a.letter, a.text) for a in objectives[1].actions] == [
        ("a", "Phase out the single-use plastic products listed in an annex"),
        ("b", "Set design requirements for reuse, refill and recycling"),
    ]
    assert objectives[2].sdg_indicators == ["12.5.1"]
    assert {o.source for o in objectives} == {"Illustrative objectives of the instrument"}
    assert ensure_frame(bare_session, plastics, by=SYSTEM) == 0  # loaded once
    frame(bare_session)  # the GCM's frame is the GCM's alone
    assert len(list_objectives(bare_session, gcm(bare_session))) == 23
    assert len(list_objectives(bare_session, plastics)) == 4


def test_practices_are_described_by_the_processs_own_principles(bare_session: Session) -> None:
    plastics = process_from(bare_session, PLASTICS)
    ensure_frame(bare_session, plastics, by=SYSTEM)
    assert principles(plastics) == {
        "precaution": "Precautionary approach",
        "polluter_pays": "Polluter pays",
        "life_cycle": "Full life cycle of plastics",
        "just_transition": "Just transition",
    }
    assert "human_rights" in principles(gcm(bare_session))
    # a definition that names its principles in English only shows them so, marked English
    assert principles_in(plastics, "fr")["polluter_pays"] == Criterion("Polluter pays", "en")
    assert principles_in(gcm(bare_session), "fr")["human_rights"] == Criterion(
        "Droits de l'homme", "fr"
    )
    practice = submit_practice(
        bare_session,
        plastics,
        PracticeData(
            actor="NOR",
            title="Deposit-return for bottles",
            description=TEXT,
            objectives=[2, 3],
            criteria=["polluter_pays", "life_cycle"],
        ),
        by=SYSTEM,
    )
    assert practice.criteria == ["polluter_pays", "life_cycle"]
    with pytest.raises(ValidationFailed) as caught:
        submit_practice(
            bare_session,
            plastics,
            PracticeData(
                actor="NOR",
                title="Deposit-return for cans",
                description=TEXT,
                objectives=[2],
                criteria=["human_rights"],  # a GCM principle
            ),
            by=SYSTEM,
        )
    assert [str(p) for p in caught.value.problems] == [
        "criteria: 'human_rights' is not one of Precautionary approach (precaution); Polluter pays "
        "(polluter_pays); Full life cycle of plastics (life_cycle); Just transition "
        "(just_transition)"
    ]


def test_inputs_reference_the_processs_own_instruments(bare_session: Session) -> None:
    plastics = process_from(bare_session, PLASTICS)
    record = submitted(
        bare_session,
        plastics,
        "Parties should control transboundary movements of plastic waste as hazardous waste.",
        submitter="NOR",
        references=["Basel", "SDG 12.5"],
        submitted_at="2023-03-01",
    )
    assert sorted((r.scheme, r.code) for r in record.references) == [
        ("hr", "BASEL"),
        ("sdg", "12.5"),
    ]
    with pytest.raises(ValidationFailed, match="'ICRMW' is neither"):
        submitted(
            bare_session,
            plastics,
            "Waste pickers who migrate for work should be protected by the instrument.",
            submitter="NOR",
            references=["ICRMW"],  # the GCM's instrument
            submitted_at="2023-03-01",
        )


def test_indicators_take_the_progress_defaults_of_the_process(bare_session: Session) -> None:
    sdg(bare_session)
    plastics = process_from(bare_session, PLASTICS)
    import_opensdg(bare_session, UK, by=SYSTEM, process=plastics)
    remittances = get_indicator(bare_session, "10.c.1")
    assert (remittances.direction, remittances.target) == (None, None)  # no default of its own
    import_opensdg(bare_session, UK, by=SYSTEM)  # the GCM's
    remittances = get_indicator(bare_session, "10.c.1")
    assert (remittances.direction, remittances.target) == ("decrease", 3)
