from __future__ import annotations

from collections import Counter

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from stocktake.core.permissions import Principal
from stocktake.registry.models import Actor
from stocktake.registry.services import get_actor, load_reference_actors


def test_all_193_member_states_carry_codes_geography_and_a_regional_group(
    bare_session: Session,
) -> None:
    states = bare_session.scalars(select(Actor).where(Actor.kind == "member_state")).all()
    assert len(states) == 193
    for state in states:
        assert state.iso3
        assert len(state.iso3) == 3
        assert state.m49_code
        assert len(state.m49_code) == 3
        assert state.region in {"Africa", "Americas", "Asia", "Europe", "Oceania"}
        assert state.sub_region
        assert state.regional_group in {"african", "asia_pacific", "eeg", "grulac", "weog"}
    groups = Counter(s.regional_group for s in states)
    assert groups["african"] == 54
    assert groups["eeg"] == 23
    assert groups["grulac"] == 33
    assert sum(groups.values()) == 193


def test_known_facts_of_single_states(bare_session: Session) -> None:
    mexico = get_actor(bare_session, "MEX")
    assert (mexico.name, mexico.m49_code, mexico.region) == ("Mexico", "484", "Americas")
    assert mexico.sub_region == "Latin America and the Caribbean"
    assert mexico.intermediate_region == "Central America"
    assert mexico.regional_group == "grulac"
    korea = get_actor(bare_session, "KOR")
    assert korea.name == "Republic of Korea"
    assert korea.regional_group == "asia_pacific"
    assert get_actor(bare_session, "BOL").name == "Bolivia (Plurinational State of)"


def test_observer_states_and_groups_of_states(bare_session: Session) -> None:
    observers = bare_session.scalars(select(Actor.code).where(Actor.kind == "observer_state")).all()
    assert sorted(observers) == ["PSE", "VAT"]
    eu = get_actor(bare_session, "EU")
    assert eu.kind == "group_of_states"
    assert len(eu.members) == 27
    assert "DEU" in {m.member.code for m in eu.members}
    african_group = get_actor(bare_session, "AFRICAN-GROUP")
    assert len(african_group.members) == 54
    assert "RG-GRULAC" in {m.group.code for m in get_actor(bare_session, "MEX").memberships}


def test_reloading_the_reference_data_creates_nothing(bare_session: Session) -> None:
    before = bare_session.scalar(select(func.count(Actor.id)))
    assert load_reference_actors(bare_session, by=Principal.system()) == 0
    assert bare_session.scalar(select(func.count(Actor.id))) == before
    assert get_actor(bare_session, "IOM").kind == "un_entity"
