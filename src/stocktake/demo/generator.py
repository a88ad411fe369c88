"""Generate the demo data set: fictional stakeholder organisations and participants (no real
persons), the real GCM calendar, and exact figures for the Puerto Vallarta stocktaking meeting.

Deterministic (fixed seed) and idempotent: what exists already is left as it is.
"""

from __future__ import annotations

import random
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from sqlalchemy import func, insert, select
from sqlalchemy.orm import Session

from stocktake.accounts.models import User
from stocktake.accounts.services import add_user
from stocktake.analysis.services import latest_run, run_analysis
from stocktake.audit.events import AuditAction
from stocktake.audit.services import record_event
from stocktake.consultation.services import import_inputs
from stocktake.core.db import transaction
from stocktake.core.permissions import Permission, Principal, Role, require
from stocktake.demo.calendar import CALENDAR, PUERTO_VALLARTA, PUERTO_VALLARTA_FIGURES, DemoMeeting
from stocktake.demo.dates import date_the_meeting_news
from stocktake.demo.inputs import demo_inputs
from stocktake.demo.negotiation import load_negotiation_demo
from stocktake.demo.review import load_review_demo
from stocktake.frameworks.services import REFERENCE_SDG, import_sdg_framework
from stocktake.meetings.models import Meeting, Participant
from stocktake.meetings.services.changes import meeting_news
from stocktake.process.definition import default_definition_path, load_definition_file
from stocktake.process.models import Process
from stocktake.process.services import load_process
from stocktake.registry.models import Actor
from stocktake.registry.services import load_reference_actors
from stocktake.summary.services import generate_summary

SEED = 20171204
DEMO_PASSWORD = "stocktake-demo"  # noqa: S105  (documented demo logins, development data only)


@dataclass(frozen=True)
class DemoLogin:
    email: str
    role: Role
    actor_code: str | None
    note: str


DEMO_LOGINS = (
    DemoLogin("secretariat@gcm.example", Role.SECRETARIAT, None, "runs the process"),
    DemoLogin("mexico@gcm.example", Role.DELEGATION_MEMBER, "MEX", "delegation of Mexico"),
    DemoLogin(
        "philippines@gcm.example", Role.DELEGATION_MEMBER, "PHL", "delegation of the Philippines"
    ),
    DemoLogin(
        "stakeholder@gcm.example", Role.STAKEHOLDER, "CSO-KEN-001", "a civil society organisation"
    ),
)

_CATEGORY_WEIGHTS = {
    "civil_society": 34,
    "academia": 12,
    "migrant_organisation": 10,
    "diaspora": 8,
    "private_sector": 7,
    "trade_union": 6,
    "faith_based": 6,
    "local_authority": 5,
    "nhri": 5,
    "parliament": 4,
    "media": 3,
}
_CODE_PREFIX = {
    "civil_society": "CSO",
    "academia": "ACA",
    "migrant_organisation": "MIG",
    "diaspora": "DIA",
    "private_sector": "PRV",
    "trade_union": "TU",
    "faith_based": "FBO",
    "local_authority": "LOC",
    "nhri": "NHRI",
    "parliament": "PARL",
    "media": "MED",
}
_ORG_NAMES = {
    "civil_society": [
        "Migrant Rights Network of {c}",
        "Centre for Migration and Human Rights, {c}",
        "Solidarity with Migrants Initiative ({c})",
        "Safe Passage Alliance ({c})",
        "Coalition for Migrant Protection ({c})",
        "Legal Aid for Migrants ({c})",
    ],
    "academia": [
        "Institute of Migration Studies ({c})",
        "Centre for Mobility Research ({c})",
        "Migration Policy Observatory ({c})",
    ],
    "migrant_organisation": [
        "Association of Migrant Workers ({c})",
        "Migrant Women's Collective ({c})",
        "Returning Migrants' Association ({c})",
    ],
    "diaspora": ["Diaspora Council ({c})", "Diaspora Development Forum ({c})"],
    "private_sector": [
        "Fair Recruitment Business Alliance ({c})",
        "Employers' Forum on Labour Mobility ({c})",
    ],
    "trade_union": [
        "Federation of Domestic Workers ({c})",
        "Union of Seafarers and Transport Workers ({c})",
    ],
    "faith_based": [
        "Interfaith Migrant Support Service ({c})",
        "Shelter and Hospitality Network ({c})",
    ],
    "local_authority": ["Association of Municipalities ({c})", "Network of Welcoming Cities ({c})"],
    "nhri": ["National Human Rights Commission ({c})"],
    "parliament": ["Parliamentary Group on Migration ({c})"],
    "media": ["Migration Reporting Network ({c})"],
}
_GIVEN = [
    "Amina",
    "Carlos",
    "Mei",
    "Olga",
    "Tariq",
    "Lucia",
    "Kwame",
    "Anna",
    "Ravi",
    "Fatou",
    "Jorge",
    "Leila",
    "Ivan",
    "Sofia",
    "Hiroshi",
    "Nadia",
    "Samuel",
    "Ana",
    "Wei",
    "Elena",
    "Omar",
    "Grace",
    "Pablo",
    "Aisha",
    "Pierre",
    "Maria",
    "Daniel",
    "Zainab",
    "Mateo",
    "Irina",
    "Kofi",
    "Hana",
    "Diego",
    "Salma",
    "Tomas",
    "Yuki",
    "Chinedu",
    "Laura",
    "Ahmed",
    "Noor",
    "Mikhail",
    "Camila",
    "Joseph",
    "Thandiwe",
    "Luis",
    "Sara",
]
_FAMILY = [
    "Okafor",
    "Garcia",
    "Chen",
    "Petrova",
    "Haddad",
    "Rossi",
    "Mensah",
    "Novak",
    "Sharma",
    "Diallo",
    "Lopez",
    "Farah",
    "Ivanov",
    "Silva",
    "Tanaka",
    "Karimi",
    "Mwangi",
    "Santos",
    "Wang",
    "Popescu",
    "Hassan",
    "Banda",
    "Morales",
    "Khan",
    "Dubois",
    "Fernandez",
    "Adeyemi",
    "Nguyen",
    "Ortiz",
    "Kuznetsova",
    "Boateng",
    "Sato",
    "Abdi",
    "Castillo",
    "Jensen",
    "Mahmoud",
    "Kowalski",
    "Tembo",
    "Reyes",
    "Ali",
]
_FUNCTIONS = ("Head of delegation", "Deputy head of delegation", "Delegate", "Adviser", "Expert")


@dataclass
class DemoReport:
    organisations: int = 0
    meetings: int = 0
    participants: int = 0
    users: int = 0
    inputs: int = 0
    framework_items: int = 0
    drafts: int = 0
    review: int = 0
    analysed: bool = False
    messages: list[str] = field(default_factory=list)

    @property
    def changed(self) -> bool:
        return bool(
            self.organisations
            or self.meetings
            or self.participants
            or self.users
            or self.inputs
            or self.framework_items
            or self.drafts
            or self.review
            or self.analysed
        )


def load_demo(
    session: Session,
    *,
    by: Principal,
    progress: Callable[[str, int], None] | None = None,
    frameworks: Path | None = None,
    analyse: bool = False,
    opensdg: Path | None = None,
) -> DemoReport:
    """Load the GCM definition, the reference registry and the demo data set (idempotent)."""
    require(by, Permission.DEMO_LOAD)
    tick = progress or (lambda _label, _n: None)
    process = load_process(
        session, load_definition_file(default_definition_path()), by=by, source="gcm.toml"
    )
    tick("process", 1)
    load_reference_actors(session, by=by)
    tick("registry", 1)
    report = DemoReport()
    rng = random.Random(SEED)
    with transaction(session):
        report.organisations = _organisations(session, rng)
        session.flush()
        for item in CALENDAR:
            meeting, created = _meeting(session, process, item)
            report.meetings += created
            session.flush()
            if created and item in CALENDAR[-3:]:  # the last three announced: news of the demo
                meeting_news(session, process, meeting, "added", by=by)
            report.participants += _registrations(
                session, meeting, item, random.Random(f"{SEED}:{item.slug}")
            )
            tick("meetings", 1)
        if report.organisations or report.meetings or report.participants:
            record_event(
                session,
                by=by,
                action=AuditAction.DEMO_LOADED,
                target_type="process",
                target_key=process.slug,
                summary=(
                    f"demo data: {report.organisations} organisations, {report.meetings} meetings, "
                    f"{report.participants} registrations"
                ),
            )
    date_the_meeting_news(session, process)
    for login in DEMO_LOGINS:
        if session.scalar(select(User.id).where(User.email == login.email)) is None:
            add_user(
                session,
                email=login.email,
                password=DEMO_PASSWORD,
                role=login.role,
                actor_code=login.actor_code,
                by=by,
            )
            report.users += 1
    tick("users", 1)
    report.inputs = _inputs(session, process, by)
    tick("inputs", 1)
    report.drafts = load_negotiation_demo(session, process, by=by)
    report.framework_items = import_sdg_framework(session, frameworks or REFERENCE_SDG, by=by)[0]
    report.review = load_review_demo(session, process, by=by, opensdg=opensdg)
    if analyse and latest_run(session, process) is None:
        run, _ = run_analysis(session, process, by=by)
        generate_summary(session, process, run, by=by)
        report.analysed = True
    tick("analysis", 1)
    return report


def _inputs(session: Session, process: Process, by: Principal) -> int:
    """The demo consultation inputs, imported through the same path as a file (idempotent)."""
    rng = random.Random(f"{SEED}:inputs")
    states = session.scalars(
        select(Actor).where(Actor.kind == "member_state").order_by(Actor.code)
    ).all()
    stakeholders = session.scalars(
        select(Actor).where(Actor.kind == "stakeholder").order_by(Actor.code)
    ).all()
    meetings = {
        item.slug: item.start
        for item in CALENDAR
        if item.start.year == 2017 and item.slug != PUERTO_VALLARTA
    }
    rows = demo_inputs(states, stakeholders, meetings, rng)
    report = import_inputs(session, process, rows, by=by, source="demo data")
    return report.created


def _organisations(session: Session, rng: random.Random, count: int = 320) -> int:
    """Fictional stakeholder organisations spread over categories and member states."""
    states = session.scalars(
        select(Actor).where(Actor.kind == "member_state").order_by(Actor.code)
    ).all()
    existing = set(session.scalars(select(Actor.code).where(Actor.kind == "stakeholder")))
    categories = list(_CATEGORY_WEIGHTS)
    weights = list(_CATEGORY_WEIGHTS.values())
    created = 0
    numbers: dict[tuple[str, str], int] = {}
    names: set[str] = set(session.scalars(select(Actor.name).where(Actor.kind == "stakeholder")))
    plan: list[tuple[str, Actor]] = [("civil_society", next(s for s in states if s.code == "KEN"))]
    plan += [(rng.choices(categories, weights)[0], rng.choice(states)) for _ in range(count - 1)]
    for category, country in plan:
        key = (_CODE_PREFIX[category], country.code)
        numbers[key] = numbers.get(key, 0) + 1
        code = f"{key[0]}-{key[1]}-{numbers[key]:03d}"
        base = name = rng.choice(_ORG_NAMES[category]).format(c=country.name)
        if code in existing:
            continue
        suffix = 2
        while name in names:
            name, suffix = f"{base} {suffix}", suffix + 1
        names.add(name)
        session.add(
            Actor(
                code=code,
                kind="stakeholder",
                name=name,
                stakeholder_category=category,
                country_iso3=country.iso3,
                region=country.region,
                sub_region=country.sub_region,
                intermediate_region=country.intermediate_region,
                regional_group=country.regional_group,
                description="Fictional organisation of the stocktake demo data set.",
            )
        )
        created += 1
    return created


def _meeting(session: Session, process: Process, item: DemoMeeting) -> tuple[Meeting, int]:
    meeting = session.scalar(select(Meeting).where(Meeting.slug == item.slug))
    if meeting is not None:
        return meeting, 0
    phase = process.phase_on(item.start)
    meeting = Meeting(
        process_id=process.id,
        slug=item.slug,
        title=item.title,
        meeting_type=item.meeting_type,
        phase_key=phase.key if phase else process.phases[0].key,
        start_date=item.start,
        end_date=item.end,
        city=item.city,
        country_iso3=item.country,
        description=item.description,
    )
    session.add(meeting)
    return meeting, 1


def _attendance_plan(
    session: Session, item: DemoMeeting, rng: random.Random
) -> list[tuple[Actor, int]]:
    """(actor, persons who attended) for every actor that attended."""
    query = select(Actor).where(Actor.kind == "member_state").order_by(Actor.code)
    if item.region:
        query = query.where(Actor.region == item.region)
    states = list(session.scalars(query))
    host = next((s for s in states if s.code == item.country), None)
    others = [s for s in states if s is not host]
    chosen = ([host] if host else []) + rng.sample(
        others, min(item.states - (1 if host else 0), len(others))
    )
    orgs = list(
        session.scalars(
            select(Actor).where(Actor.kind.in_(("un_entity", "igo"))).order_by(Actor.code)
        )
    )
    stakeholders = list(
        session.scalars(select(Actor).where(Actor.kind == "stakeholder").order_by(Actor.code))
    )
    plan: list[tuple[Actor, int]] = []
    for state in chosen:
        size = 12 if state is host else max(1, round(rng.gauss(item.per_state or 4.5, 1.6)))
        plan.append((state, size))
    plan += [
        (org, rng.randint(1, 3)) for org in rng.sample(orgs, min(len(orgs), 8 + item.states // 10))
    ]
    plan += [
        (sh, rng.choice((1, 1, 1, 2, 2, 3))) for sh in rng.sample(stakeholders, item.stakeholders)
    ]
    if item.slug == PUERTO_VALLARTA:
        plan = _fit_total(plan, PUERTO_VALLARTA_FIGURES["participants"], rng)
    return plan


def _fit_total(
    plan: list[tuple[Actor, int]], total: int, rng: random.Random
) -> list[tuple[Actor, int]]:
    """Adjust state delegations' sizes (never below one) until attendance sums to `total`."""
    sizes = [size for _, size in plan]
    states = [i for i, (actor, _) in enumerate(plan) if actor.kind == "member_state"]
    while sum(sizes) != total:
        i = rng.choice(states)
        if sum(sizes) < total:
            sizes[i] += 1
        elif sizes[i] > 1:
            sizes[i] -= 1
    return [(actor, size) for (actor, _), size in zip(plan, sizes, strict=True)]


def _registrations(
    session: Session, meeting: Meeting, item: DemoMeeting, rng: random.Random
) -> int:
    if session.scalar(
        select(func.count(Participant.id)).where(Participant.meeting_id == meeting.id)
    ):
        return 0
    rows: list[dict[str, object]] = []
    plan = _attendance_plan(session, item, rng)
    attending = {actor.id for actor, _ in plan}
    for actor, size in plan:
        no_shows = 1 if rng.random() < 0.1 else 0
        names = _names(rng, size + no_shows)
        for index, name in enumerate(names):
            rows.append(
                {
                    "meeting_id": meeting.id,
                    "actor_id": actor.id,
                    "name": name,
                    "function": _FUNCTIONS[min(index, len(_FUNCTIONS) - 1)]
                    if actor.kind == "member_state"
                    else "Representative",
                    "attended": index < size,
                }
            )
    # A few states registered and then sent nobody: they are not counted as delegations.
    absent = session.scalars(
        select(Actor).where(Actor.kind == "member_state").order_by(Actor.code)
    ).all()
    for actor in rng.sample([a for a in absent if a.id not in attending], 4):
        rows.append(
            {
                "meeting_id": meeting.id,
                "actor_id": actor.id,
                "name": _names(rng, 1)[0],
                "function": "Delegate",
                "attended": False,
            }
        )
    session.execute(insert(Participant), rows)
    return len(rows)


def _names(rng: random.Random, count: int) -> list[str]:
    names: list[str] = []
    while len(names) < count:
        name = f"{rng.choice(_GIVEN)} {rng.choice(_FAMILY)}"
        if name not in names:
            names.append(name)
    return names
