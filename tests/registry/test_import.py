from __future__ import annotations

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from stocktake.core.errors import Conflict, PermissionDenied, ValidationFailed
from stocktake.core.permissions import Principal, Role
from stocktake.process.services import get_process
from stocktake.registry.models import Actor
from stocktake.registry.services import ActorData, create_actor, import_actors, read_actors_csv


def categories(session: Session) -> list[str]:
    return [t.key for t in get_process(session).vocabulary("stakeholder_categories")]


def actor_count(session: Session) -> int:
    return session.scalar(select(func.count(Actor.id))) or 0


def run_import(session: Session, content: str) -> list[Actor]:
    rows = read_actors_csv(content.encode(), "orgs.csv")
    return import_actors(
        session,
        rows,
        by=Principal.system(),
        categories=categories(session),
        source="orgs.csv",
    )


GOOD = """code,name,kind,category,country
NET-KE-9,Nairobi Migrant Network,stakeholder,civil_society,KEN
UNI-FR-9,Université de la mobilité,stakeholder,academia,France
ORG-X,Regional Migration Office,igo,,
"""


def test_a_valid_file_adds_every_row_with_geography_from_its_country(bare_session: Session) -> None:
    before = actor_count(bare_session)
    created = run_import(bare_session, GOOD)
    assert [a.code for a in created] == ["NET-KE-9", "UNI-FR-9", "ORG-X"]
    assert actor_count(bare_session) == before + 3
    nairobi = bare_session.scalar(select(Actor).where(Actor.code == "NET-KE-9"))
    assert nairobi is not None
    assert (nairobi.region, nairobi.regional_group, nairobi.country_iso3) == (
        "Africa",
        "african",
        "KEN",
    )
    assert bare_session.scalar(select(Actor.country_iso3).where(Actor.code == "UNI-FR-9")) == "FRA"


def test_a_file_with_bad_rows_is_refused_whole_naming_each_row_and_field(
    bare_session: Session,
) -> None:
    before = actor_count(bare_session)
    content = GOOD + (
        "MEX,Duplicate of Mexico,stakeholder,civil_society,MEX\n"
        "NEW-1,No category,stakeholder,,KEN\n"
        "NEW-2,Nowhere,stakeholder,academia,Atlantis\n"
        "NET-KE-9,Same code twice,stakeholder,academia,KEN\n"
        "NEW-3,Bad kind,member_state,,\n"
    )
    with pytest.raises(ValidationFailed) as caught:
        run_import(bare_session, content)
    problems = [str(p) for p in caught.value.problems]
    assert problems == [
        "row 5, field code: duplicate code 'MEX'",
        "row 6, field category: a stakeholder needs a category",
        "row 7, field country: unknown country 'Atlantis'",
        "row 8, field code: duplicate code 'NET-KE-9'",
        "row 9, field kind: 'member_state' is not one of un_entity, igo, stakeholder",
    ]
    assert actor_count(bare_session) == before
    assert bare_session.scalar(select(Actor).where(Actor.code == "NET-KE-9")) is None


def test_header_problems_and_bad_encoding_are_refused() -> None:
    with pytest.raises(ValidationFailed) as caught:
        read_actors_csv(b"code,title\nA,B\n", "orgs.csv")
    assert [str(p) for p in caught.value.problems] == [
        "header: required column 'name' is missing",
        "header: unknown column 'title'; known: code, kind, name, short_name, category, country, description",
    ]
    with pytest.raises(ValidationFailed, match="not UTF-8"):
        read_actors_csv("code,name\nA,Caf\u00e9\n".encode("latin-1"), "orgs.csv")
    with pytest.raises(ValidationFailed, match="no rows"):
        import_actors([], [], by=Principal.system(), categories=[], source="empty.csv")  # type: ignore[arg-type]


def test_only_the_secretariat_registers_actors(bare_session: Session) -> None:
    data = ActorData(code="X-1", name="X", category="academia")
    with pytest.raises(PermissionDenied):
        create_actor(
            bare_session,
            data,
            by=Principal(role=Role.DELEGATION_MEMBER, user_id=1),
            categories=categories(bare_session),
        )
    with pytest.raises(Conflict):
        create_actor(
            bare_session,
            ActorData(code="MEX", name="Again", category="academia"),
            by=Principal.system(),
            categories=categories(bare_session),
        )


@settings(
    max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(name=st.text(min_size=1, max_size=80).filter(lambda s: s.strip() and "\x00" not in s))
def test_any_unicode_name_round_trips(bare_session: Session, name: str) -> None:
    code = f"U-{abs(hash(name)) % 10**8}"
    actor = create_actor(
        bare_session,
        ActorData(code=code, name=name, category="media"),
        by=Principal.system(),
        categories=categories(bare_session),
    )
    bare_session.expire_all()
    assert bare_session.scalar(select(Actor.name).where(Actor.id == actor.id)) == name.strip()
    bare_session.delete(actor)
    bare_session.flush()
