"""The pipeline on documents in memory: what it finds, on small data made for each question."""

from __future__ import annotations

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from stocktake.analysis.pipeline import ActorInfo, Context, Doc, run_pipeline
from stocktake.core.errors import ValidationFailed
from stocktake.frameworks.sdg import SdgFramework, SdgItem, read_sdg_folder
from stocktake.process.definition import default_definition_path, load_definition_file
from tests.conftest import SDG_FRAMEWORK

DEFINITION = load_definition_file(default_definition_path())
FRAMEWORK = read_sdg_folder(SDG_FRAMEWORK)
CONTEXT = Context(definition=DEFINITION, framework=FRAMEWORK)


def actor(number: int, kind: str = "stakeholder", region: str = "Africa") -> ActorInfo:
    return ActorInfo(
        f"A{number}",
        f"Actor {number}",
        kind,
        region,
        "african",
        "civil_society" if kind == "stakeholder" else None,
    )


def doc(number: int, text: str, who: int | None = None, **kwargs: object) -> Doc:
    return Doc(
        key=number, actor=actor(number if who is None else who), text=text, language="en", **kwargs
    )  # type: ignore[arg-type]


CAMPAIGN = "We ask all States to end the immigration detention of children and to use alternatives that respect their dignity."


def test_a_campaign_is_one_group_that_credits_every_submitter() -> None:
    docs = [doc(i, CAMPAIGN + (" Thank you." if i % 2 else "")) for i in range(12)]
    docs += [
        doc(100, CAMPAIGN.upper().replace(".", "!"), who=3)
    ]  # the same words shouted: exact duplicate
    docs += [doc(200, "Reduce the cost of sending remittances home to below three per cent.")]
    result = run_pipeline(docs, CONTEXT)
    groups = result.duplicate_groups()
    assert len(groups) == 1
    assert sorted(groups[0]) == list(range(13))
    campaign = result.clusters[result.cluster_of[0]]
    assert campaign.ideas == 1
    assert campaign.support.inputs == 13
    assert campaign.support.actors == 12  # actor 3 sent twice and counts once
    assert result.cluster_of[13] != result.cluster_of[0]


def test_an_empty_set_is_refused_and_a_single_input_works() -> None:
    with pytest.raises(ValidationFailed, match="there are no inputs to analyse"):
        run_pipeline([], CONTEXT)
    result = run_pipeline([doc(1, "Ensure access to health care for all migrants.")], CONTEXT)
    assert len(result.clusters) == 1
    assert result.clusters[0].rows == [0]
    assert result.tags["dimensions"][0]
    assert result.tags["input_types"][0]


def test_texts_in_unknown_languages_and_any_script_are_analysed() -> None:
    docs = [
        Doc(key=1, actor=actor(1), text="Lorem ipsum dolor sit amet consectetur", language="und"),
        Doc(key=2, actor=actor(2), text="将移民汇款的交易成本降至百分之三以下", language="zh"),
        Doc(key=3, actor=actor(3), text="!!! ??? ...", language="und"),
    ]
    result = run_pipeline(docs, CONTEXT)
    assert len(result.tags["dimensions"]) == 3
    assert sorted(r for c in result.clusters for r in c.rows) == [0, 1, 2]
    assert result.goals[1][0] == "10"  # remittances, read in Chinese against the Chinese targets


def test_bad_inputs_are_analysed_or_named_with_the_reason_never_dropped() -> None:
    texts = [
        "",
        "   ",
        "!!! ??? ...",
        "Migrants",
        "Protect migrant workers from abuse and let them change employers. " * 800,  # 52,000
        "የስደተኞች መብቶችን መጠበቅ አለብን እና ሥራ መስጠት",  # Amharic: a script the model does not read
        "புலம்பெயர்ந்தோருக்கு கல்வி வழங்க வேண்டும்",  # Tamil
        "Provide legal aid and interpretation to migrants in detention.",
        "Provide legal aid and interpretation to migrants held in detention!",
    ]
    docs = [doc(number, text) for number, text in enumerate(texts)]
    result = run_pipeline(docs, CONTEXT)
    assert sorted(r for c in result.clusters for r in c.rows) == list(range(len(texts)))
    for row in (0, 1, 2):
        assert result.notes[row] == "not analysable: no words left after cleaning"
        assert [c.rows for c in result.clusters if row in c.rows] == [[row]]
    assert result.duplicate_root[:3] == [0, 1, 2]  # empty texts are duplicates of nothing
    assert result.notes[3].startswith("one word")
    assert result.notes[4].startswith("long text")
    assert "Ethiopic" in result.notes[5]
    assert "Tamil" in result.notes[6]
    assert 7 not in result.notes
    assert result.duplicate_root[8] == 7


@pytest.mark.parametrize(
    ("text", "dimension"),
    [
        (
            "Give mayors and municipalities the funding to house and serve migrants in their cities.",
            "local",
        ),
        (
            "Strengthen regional free movement agreements between neighbouring states along migration routes.",
            "regional",
        ),
        (
            "Counter xenophobia and racism against migrants in host communities and support diaspora associations.",
            "community",
        ),
        (
            "Guarantee the human rights of migrant children and protect women from violence and detention.",
            "human",
        ),
    ],
)
def test_tags_are_seeded_from_the_process_definition(text: str, dimension: str) -> None:
    result = run_pipeline([doc(1, text)], CONTEXT)
    assert result.tags["dimensions"][0][0] == dimension
    assert result.tag_source["dimensions"][0] == "analysis"


@pytest.mark.parametrize(
    ("text", "goal", "target"),
    [
        (
            "Reduce the transaction costs of migrant remittances to less than 3 per cent.",
            "10",
            "10.c",
        ),
        (
            "Facilitate orderly, safe, regular and responsible migration through well-managed migration policies.",
            "10",
            "10.7",
        ),
        ("End trafficking in persons and all forms of violence against children.", "16", "16.2"),
    ],
)
def test_inputs_are_linked_to_sdg_goals_and_targets(text: str, goal: str, target: str) -> None:
    result = run_pipeline([doc(1, text)], CONTEXT)
    assert result.goals[0][0] == goal
    assert target in result.targets[0]


@pytest.mark.parametrize(
    ("language", "text", "goal"),
    [
        (
            "fr",
            "Les villes doivent offrir aux migrants des logements abordables et des transports publics sûrs.",
            "11",
        ),
        (
            "fr",
            "Chaque enfant migrant doit pouvoir aller à l'école et apprendre à lire, quel que soit son statut.",
            "4",
        ),
        (
            "fr",
            "Il faut réduire les frais d'envoi de fonds des migrants vers leurs familles.",
            "10",
        ),
        (
            "es",
            "Hay que proteger a las mujeres migrantes contra la violencia y la explotación sexual.",
            "5",
        ),
        ("ar", "يجب ضمان حصول المهاجرين على مياه الشرب النظيفة والصرف الصحي في المخيمات.", "6"),
        (
            "ru",
            "Необходимо бороться с торговлей людьми и защищать детей-мигрантов от насилия.",
            "16",
        ),
    ],
)
def test_inputs_in_any_un_language_are_linked_to_their_goal(
    language: str, text: str, goal: str
) -> None:
    result = run_pipeline([Doc(key=1, actor=actor(1), text=text, language=language)], CONTEXT)
    assert result.goals[0][0] == goal
    assert result.targets[0][0].startswith(f"{goal}.")
    assert 0 < result.link_confidence[0] < 1


def test_the_linker_learns_from_the_framework_indicators() -> None:
    # two goals whose titles and targets say nothing: only their indicators tell them apart
    items = {}
    for goal, indicator in (
        ("1", "Proportion of children vaccinated against measles"),
        ("2", "Kilometres of paved roads built to connect rural villages"),
    ):
        items[goal] = SdgItem("goal", goal, None, {"en": f"Goal number {goal}"})
        items[f"{goal}.1"] = SdgItem("target", f"{goal}.1", goal, {"en": "Make progress by 2030"})
        items[f"{goal}.1.1"] = SdgItem("indicator", f"{goal}.1.1", f"{goal}.1", {"en": indicator})
    framework = SdgFramework(items=items, languages=["en"])
    docs = [
        doc(1, "Every child should get the measles vaccine, migrants too."),
        doc(2, "Build roads so that remote farming villages can reach the market."),
    ]
    result = run_pipeline(docs, Context(definition=DEFINITION, framework=framework))
    assert [goals[0] for goals in result.goals] == ["1", "2"]
    assert [targets[0] for targets in result.targets] == ["1.1", "2.1"]


def test_links_inputs_carry_teach_the_linker() -> None:
    texts = [
        "Give every migrant a bank account and cheap ways to send money home.",
        "Open bank accounts for migrants so that they can send money home cheaply.",
        "Help migrants open bank accounts and send money to their families at low cost.",
    ]
    untaught = run_pipeline([doc(n, t) for n, t in enumerate(texts)], CONTEXT)
    # the secretariat links two of them to goal 1 (no poverty: access to financial services)
    docs = [doc(n, t, references=["1.4"] if n < 2 else []) for n, t in enumerate(texts)]
    taught = run_pipeline(docs, CONTEXT)
    assert taught.goals[0][0] == taught.goals[1][0] == "1"
    assert taught.link_confidence[0] == 1.0
    assert untaught.goals[2][0] != "1"
    assert taught.goals[2][0] == "1"  # the third, unlinked, learns from the other two


def test_confirmed_tags_are_kept_and_teach_the_next_inputs() -> None:
    topic = "Publish yearly statistics on remittance corridors and their costs {n}."
    confirmed = [doc(i, topic.format(n=i), confirmed={"dimensions": ["local"]}) for i in range(40)]
    fresh = [doc(100 + i, topic.format(n=100 + i)) for i in range(3)]
    before = run_pipeline(fresh, CONTEXT)
    assert before.tags["dimensions"][0][0] != "local"
    after = run_pipeline(confirmed + fresh, CONTEXT)
    assert all(after.tags["dimensions"][i] == ["local"] for i in range(40))
    assert {after.tag_source["dimensions"][i] for i in range(40)} == {"secretariat"}
    assert after.tags["dimensions"][40][0] == "local"


def test_the_follow_up_divergence_is_surfaced_with_who_stands_where() -> None:
    robust = "The compact needs clear goals, targets and indicators, with national reporting to a review forum."
    light = "Keep the follow-up light: map progress and share best practices rather than setting new targets."
    docs = [doc(i, robust, who=i, given={"input_types": ["follow_up_review"]}) for i in range(3)]
    docs += [
        doc(10 + i, light + " " * i, who=10 + i, given={"input_types": ["follow_up_review"]})
        for i in range(3)
    ]
    result = run_pipeline(docs, CONTEXT)
    divergence = result.divergences[0]
    assert divergence.surfaced
    positions = {p.key: p for p in divergence.positions}
    assert positions["robust"].rows == [0, 1, 2]
    assert positions["light"].rows == [3, 4, 5]
    assert positions["light"].support.actors == 3


words = st.sampled_from(
    [
        "migrants",
        "rights",
        "cities",
        "remittances",
        "border",
        "data",
        "children",
        "women",
        "work",
        "health",
        "regional",
        "global",
    ]
)


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(st.lists(words, min_size=1, max_size=12).map(" ".join), min_size=1, max_size=40))
def test_every_input_is_in_exactly_one_cluster_and_one_duplicate_group(texts: list[str]) -> None:
    docs = [doc(i, text, who=i % 7) for i, text in enumerate(texts)]
    result = run_pipeline(docs, CONTEXT)
    assert sorted(r for c in result.clusters for r in c.rows) == list(range(len(docs)))
    for row, root in enumerate(result.duplicate_root):
        assert result.duplicate_root[root] == root
        assert root <= row
        assert result.cluster_of[row] == result.cluster_of[root]
    for cluster in result.clusters:
        assert cluster.support.inputs == len(cluster.rows)
        assert cluster.support.actors == len({docs[r].actor.code for r in cluster.rows})
