"""The review part of the demo: the GCM frame, the UK's indicator data where the folder is given,
and a few pledges in each state: one joint pledge with money, a timeframe and one partner's
confirmation recorded, one answering a published capacity need. Idempotent: nothing is added
twice."""

from __future__ import annotations

import dataclasses
import datetime as dt
from decimal import Decimal
from pathlib import Path

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from stocktake.core.permissions import Principal
from stocktake.process.models import Process
from stocktake.review.models import (
    CapacityItem,
    Indicator,
    Pledge,
    Practice,
    ReviewCycle,
    VoluntaryReport,
)
from stocktake.review.services.cycles import create_cycle
from stocktake.review.services.frame import ensure_frame
from stocktake.review.services.indicators import import_opensdg
from stocktake.review.services.mapping import (
    PracticeData,
    publish,
    submit_capacity,
    submit_practice,
    submit_voluntary_report,
)
from stocktake.review.services.pledges import (
    PledgeData,
    confirm_pledge,
    publish_pledge,
    submit_pledge,
    update_pledge_status,
)

PLEDGES = [
    (
        PledgeData(
            actor="MEX",
            title="Fair recruitment: no recruitment fees charged to migrant workers",
            description=(
                "Mexico will revise its regulation of private employment agencies so that no "
                "recruitment fee or related cost is charged to workers who migrate through them, "
                "in line with the ILO General principles and operational guidelines for fair "
                "recruitment. The labour ministry will publish a register of licensed agencies, "
                "inspect them each year with the consular network, and report the recruitment "
                "costs borne by workers as SDG indicator 10.7.1 from 2025 on."
            ),
            kind="policy",
            level="national",
            objectives=[6],
            start_year=2023,
            end_year=2026,
        ),
        True,
        ("in_progress", "The draft regulation was opened for public consultation."),
    ),
    (
        PledgeData(
            actor="PHL",
            title="Cheaper remittances along the Philippines–Mexico corridor",
            description=(
                "The Philippines and Mexico will compare remittance costs on their corridors each "
                "quarter, publish the results in both countries, and work with their central banks "
                "to open the national instant-payment systems to licensed remittance service "
                "providers, so that the average cost of sending 200 US dollars falls below 3 per "
                "cent by 2030 (SDG target 10.c). Both will fund financial literacy courses for "
                "migrant workers and their families before departure and on return."
            ),
            kind="financial",
            level="regional",
            objectives=[20],
            start_year=2024,
            end_year=2030,
            mode="joint",
            partners=["MEX"],
        ),
        True,
        None,
    ),
    (
        PledgeData(
            actor="CSO-KEN-001",
            title="Legal aid desks for migrants in three Kenyan cities",
            description=(
                "Our organisation will open legal aid desks in Nairobi, Mombasa and Kisumu, staffed "
                "by trained paralegals and volunteer lawyers, where migrants can get free advice on "
                "residence, work permits, access to health care and schooling, whatever their "
                "status. The desks will refer people to public services and keep anonymous records "
                "of the obstacles met, which we will share with the national coordination mechanism "
                "each year."
            ),
            kind="human_resources",
            level="local",
            objectives=[15, 16],
            start_year=2024,
            end_year=2027,
        ),
        False,
        None,
    ),
    (
        PledgeData(
            actor="MEX",
            title="Reintegration support for returning migrants in northern Central America",
            description=(
                "Mexico, Guatemala and Honduras will fund and run reintegration centres at the main "
                "points of return, where returning migrants and their families are received within "
                "a day, get psychosocial support, identity documents and recognition of skills "
                "acquired abroad, and are referred to training, employment services and small "
                "business grants. Mexico contributes the grant fund; each partner staffs its "
                "centres and reports each year how many people were supported and how many were "
                "in work a year later."
            ),
            kind="financial",
            level="regional",
            objectives=[21],
            start_year=2025,
            end_year=2029,
            mode="joint",
            partners=["GTM", "HND"],
            amount=Decimal("3200000"),
            currency="USD",
        ),
        True,
        (
            "in_progress",
            "The first centres opened in Guatemala City and San Pedro Sula in March 2026.",
        ),
    ),
]

# Guatemala confirmed the joint pledge by note verbale; Honduras has not confirmed it yet.
CONFIRMATIONS = {
    "Reintegration support for returning migrants in northern Central America": [
        ("GTM", "by note verbale of 12 February 2026")
    ],
}

# Mexico's central bank turns its published offer into a pledge that answers the Philippines'
# published need for training on supervising digital remittance providers (objective 20).
ANSWER = PledgeData(
    actor="MEX",
    title="Training remittance supervisors on digital service providers",
    description=(
        "The Bank of Mexico will train supervisors of the Philippine central bank, and of other "
        "central banks of the region that ask, on licensing and supervising digital remittance "
        "service providers and on opening instant-payment systems to them: four one-week courses "
        "in Mexico City and online, with staff exchanges and shared supervisory manuals, so that "
        "cheaper digital channels reach migrants without weakening consumer protection."
    ),
    kind="human_resources",
    level="regional",
    objectives=[20],
    start_year=2026,
    end_year=2027,
    amount=Decimal("480000"),
    currency="USD",
)


PUBLISHED_ON = {
    "Fair recruitment: no recruitment fees charged to migrant workers": dt.date(2022, 3, 15),
    "Cheaper remittances along the Philippines–Mexico corridor": dt.date(2023, 6, 20),
    "Legal aid desks for migrants in three Kenyan cities": dt.date(2023, 11, 8),
    "Reintegration support for returning migrants in northern Central America": dt.date(
        2024, 12, 18
    ),
    "Training remittance supervisors on digital service providers": dt.date(2025, 10, 2),
    "Pre-departure orientation for every worker going abroad": dt.date(2021, 11, 10),
    "need": dt.date(2025, 9, 15),
    "offer": dt.date(2025, 9, 30),
    "report": dt.date(2022, 4, 20),
}
"""When the demo's pledges, practice, capacity items and voluntary report were published: each
review cycle's report takes stock of what was published by its last day (the forum of May 2022
finds the first pledge, the practice and Mexico's report; that of May 2026 all of them)."""


def _dated(thing: Pledge | Practice | CapacityItem | VoluntaryReport, key: str) -> None:
    day = PUBLISHED_ON[key]
    thing.published_at = dt.datetime.combine(day, dt.time(9), tzinfo=dt.UTC)


# Part of the United Kingdom's Open SDG data, shipped with its licence (data/opensdg-uk/README.md).
OPENSDG_SAMPLE = Path(__file__).resolve().parent / "data" / "opensdg-uk"


def load_review_demo(
    session: Session, process: Process, *, by: Principal, opensdg: Path | None = None
) -> int:
    """Returns how many things it added (objectives, indicators, pledges).

    Indicator data comes from `opensdg` when given, else from the sample shipped with the demo."""
    added = ensure_frame(session, process, by=by)
    has_indicators = session.scalar(select(func.count()).select_from(Indicator))
    folder = opensdg if opensdg is not None else OPENSDG_SAMPLE
    if folder.is_dir() and not has_indicators:
        added += import_opensdg(session, folder, by=by).indicators
    if not session.scalar(select(func.count()).select_from(Pledge)):
        for data, published, update in PLEDGES:
            pledge = submit_pledge(session, process, data, by=by)
            if published:
                publish_pledge(session, pledge, by=by)
                _dated(pledge, data.title)
            if update:
                update_pledge_status(session, pledge, status=update[0], note=update[1], by=by)
            for partner, note in CONFIRMATIONS.get(data.title, []):
                confirm_pledge(session, pledge, partner=partner, note=note, by=by)
            added += 1
    if not session.scalar(select(func.count()).select_from(ReviewCycle)):
        count, need = _mapping(session, process, by=by)
        answer = submit_pledge(
            session, process, dataclasses.replace(ANSWER, answers=need.id), by=by
        )
        publish_pledge(session, answer, by=by)
        _dated(answer, answer.title)
        added += count + 1
    return added


def _mapping(session: Session, process: Process, *, by: Principal) -> tuple[int, CapacityItem]:
    """Two forums, a voluntary report, a practice, and a capacity need matched by an offer."""
    forum = create_cycle(
        session,
        process,
        slug="imrf-2022-review",
        title="International Migration Review Forum 2022",
        scope="global",
        start_date=dt.date(2022, 5, 17),
        end_date=dt.date(2022, 5, 20),
        by=by,
    )
    create_cycle(
        session,
        process,
        slug="imrf-2026-review",
        title="International Migration Review Forum 2026",
        scope="global",
        start_date=dt.date(2026, 5, 5),
        end_date=dt.date(2026, 5, 8),
        by=by,
    )
    report = submit_voluntary_report(
        session,
        process,
        forum,
        actor="MEX",
        objective=6,
        text=(
            "Mexico reformed the rules for private employment agencies in 2021: agencies must be "
            "registered, may not charge workers any fee, and are inspected each year. Consulates in "
            "destination countries receive complaints and refer them to the labour inspectorate."
        ),
        by=by,
    )
    publish(session, report, by=by)
    _dated(report, "report")
    practice = submit_practice(
        session,
        process,
        PracticeData(
            actor="PHL",
            title="Pre-departure orientation for every worker going abroad",
            description=(
                "Every worker leaving the Philippines for work abroad attends a free orientation on "
                "the contract, the worker's rights in the country of destination, remittance channels "
                "and their costs, and whom to call for help. It is given in person and online."
            ),
            objectives=[3, 6, 20],
            criteria=["people_centred", "human_rights", "whole_of_government"],
            place="Manila",
        ),
        by=by,
    )
    publish(session, practice, by=by)
    _dated(practice, practice.title)
    need = submit_capacity(
        session,
        process,
        direction="need",
        actor="PHL",
        objective=20,
        kind="training",
        description="Training for regulators on supervising digital remittance service providers.",
        by=by,
    )
    offer = submit_capacity(
        session,
        process,
        direction="offer",
        actor="MEX",
        objective=20,
        kind="training",
        description="Our central bank offers courses on opening instant payments to remittance firms.",
        by=by,
    )
    for item in (need, offer):
        publish(session, item, by=by)
        _dated(item, item.direction)
    return 6, need
