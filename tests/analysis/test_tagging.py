"""Dimension tags by meaning: each input is compared with what the process definition says of each
dimension (its description, the phrases of it, its keywords, its examples)."""

from __future__ import annotations

import numpy as np

from stocktake.analysis.bymeaning import meaning_probabilities
from stocktake.analysis.pipeline import ActorInfo, Context, Doc, run_pipeline
from stocktake.analysis.tagging import description_phrases, taught_meaning, term_meaning
from stocktake.process.definition import (
    ProcessDefinition,
    default_definition_path,
    load_definition_file,
)

DEFINITION = load_definition_file(default_definition_path())
HEALTH = "Health: hospitals, doctors, clinics and medical care"
MONEY = "Money: remittances, bank transfers and their fees"
# French inputs, English descriptions: no word in common, only meaning links them
CLINIC = "Ouvrir les cliniques et les hôpitaux aux sans-papiers malades."
TRANSFER = "Réduire ce que coûte l'envoi d'argent à la famille restée au pays."


def described(
    first: str, second: str, examples: dict[str, list[str]] | None = None
) -> ProcessDefinition:
    """The GCM definition with every dimension stripped of its words but two: 'human' says
    `first` and 'global' says `second`; `examples` gives dimensions their examples."""
    words = {"human": first, "global": second}
    dimensions = [
        d.model_copy(
            update={
                "description": words.get(d.key, ""),
                "keywords": [],
                "examples": (examples or {}).get(d.key, []),
            }
        )
        for d in DEFINITION.dimensions
    ]
    return DEFINITION.model_copy(update={"dimensions": dimensions})


def dimension_of(definition: ProcessDefinition, text: str) -> str:
    docs = [
        Doc(key=0, actor=ActorInfo("A", "A", "stakeholder"), text=text, language="fr"),
        Doc(key=1, actor=ActorInfo("B", "B", "stakeholder"), text="Merci.", language="fr"),
    ]
    result = run_pipeline(docs, Context(definition=definition))
    return result.tags["dimensions"][0][0]


def test_a_dimension_is_recognised_by_what_its_description_means() -> None:
    assert dimension_of(described(HEALTH, MONEY), CLINIC) == "human"
    assert dimension_of(described(HEALTH, MONEY), TRANSFER) == "global"
    # the same inputs follow the descriptions when they change places
    assert dimension_of(described(MONEY, HEALTH), CLINIC) == "global"
    assert dimension_of(described(MONEY, HEALTH), TRANSFER) == "human"


def test_a_dimension_is_recognised_by_its_examples() -> None:
    # with two dimensions described alike, the examples of one decide
    blank = described("Migration", "Migration")
    assert dimension_of(blank, CLINIC) == dimension_of(blank, TRANSFER)
    care = ["Hospitals and clinics treat every patient", "A doctor for everyone who is ill"]
    money = ["Cheaper bank transfers to relatives abroad", "Lower fees on money sent home"]
    taught = described("Migration", "Migration", {"human": care, "global": money})
    assert dimension_of(taught, CLINIC) == "human"
    assert dimension_of(taught, TRANSFER) == "global"
    swapped = described("Migration", "Migration", {"human": money, "global": care})
    assert dimension_of(swapped, CLINIC) == "global"
    assert dimension_of(swapped, TRANSFER) == "human"


def test_a_description_is_read_as_the_phrases_it_lists() -> None:
    assert description_phrases(
        "Cities, municipalities and local authorities: local integration, service delivery "
        "and urban planning."
    ) == ["local integration", "service delivery", "urban planning"]
    assert description_phrases("Global governance") == ["Global governance"]


def test_a_term_is_as_close_as_its_closest_texts_and_confirmed_inputs_teach() -> None:
    vectors = np.eye(4, dtype=np.float32)
    texts = [np.eye(4, dtype=np.float32)[:1], np.zeros((0, 4), dtype=np.float32)]
    scores = term_meaning(vectors, texts)
    assert scores.shape == (4, 2)
    assert scores[0, 0] == 1.0
    assert not scores[:, 1].any()  # a term with nothing to compare is close to nothing
    closeness, weight = taught_meaning(vectors, {2: ["b"], 3: ["b", "zz"]}, ["a", "b"])
    assert closeness[2, 1] > 0.7
    assert not closeness[:, 0].any()
    assert 0 < weight < 0.1  # two confirmed inputs weigh little against the definition


def test_a_run_teaches_the_words_it_uses_for_a_dimension() -> None:
    # 'a' is described by the first direction, 'b' by the second; an idea a little closer to 'b'
    # by the definition alone also says what twenty ideas sure to be 'a' say (the third direction)
    eye = np.eye(4, dtype=np.float32)
    references = [eye[:1], eye[1:2]]
    noise = np.random.default_rng(0).standard_normal((40, 4)).astype(np.float32) * 0.05
    undecided = _unit(0.5 * eye[0] + 0.52 * eye[1] + eye[2])[None]
    sure_a = _unit(eye[0] + eye[2] + noise[:20])
    sure_b = _unit(eye[1] + eye[3] + noise[20:])

    def probabilities(features: np.ndarray, taught: dict[int, list[str]]) -> np.ndarray:
        even = np.full((len(features), 2), 0.5, dtype=np.float32)
        return meaning_probabilities(
            features, references, even, taught=taught, keys=["a", "b"], meaning_weight=0.5
        )

    alone = probabilities(undecided, {})
    assert alone[0].argmax() == 1  # by the definition alone: 'b'
    run = np.vstack([undecided, sure_a, sure_b])
    within = probabilities(run, {})
    assert within[0].argmax() == 0  # the run's surest ideas taught the classifier: 'a'
    assert (within[1:21].argmax(axis=1) == 0).all()
    assert (within[21:].argmax(axis=1) == 1).all()
    # a confirmed 'b' is never a provisional example, and what it teaches is blended in
    assert probabilities(run, {0: ["b"]})[0, 1] > within[0, 1]


def _unit(vectors: np.ndarray) -> np.ndarray:
    result: np.ndarray = vectors / np.linalg.norm(vectors, axis=-1, keepdims=True)
    return result.astype(np.float32)


MISSING = [
    # one idea in three wordings; read alone, the second is about the families' grief ('human')
    "States along the route should coordinate search and rescue at sea and in the desert.",
    "The grieving families of migrants who went missing deserve answers, support and dignity.",
    "Transit and destination countries on the same route should work together to find people "
    "who disappeared.",
]
OTHERS = [
    "Migrants should be able to see a doctor and get emergency treatment whatever their status.",
    "Nobody who is ill should be turned away from a clinic because their papers are not in order.",
    "Detention of migrants should be the very last resort, for the shortest time, and never for "
    "children.",
]


def dimensions_of(
    texts: list[str],
    idea: list[int] | None = None,
    confirmed: dict[int, list[str]] | None = None,
) -> list[list[str]]:
    """The dimensions of a run of English inputs; `idea` lists rows the secretariat confirmed as
    one idea, `confirmed` the dimensions it confirmed for some rows."""
    docs = [
        Doc(key=n, actor=ActorInfo(f"A{n}", f"A{n}", "stakeholder"), text=text, language="en")
        for n, text in enumerate(texts)
    ]
    for row, keys in (confirmed or {}).items():
        docs[row].confirmed = {"dimensions": keys}
    clusters = [(1, "Missing migrants", idea)] if idea else []
    result = run_pipeline(docs, Context(definition=DEFINITION, confirmed_clusters=clusters))
    return result.tags["dimensions"]


def test_the_wordings_of_one_idea_share_their_dimension() -> None:
    run = MISSING + OTHERS
    apart = dimensions_of(run)
    assert apart[1][0] == "human"  # its own reading, while it is an idea of its own
    assert [keys[0] for keys in apart[::2][:2]] == ["regional", "regional"]
    together = dimensions_of(run, idea=[0, 1, 2])
    assert [keys[0] for keys in together[:3]] == ["regional"] * 3  # pulled to its siblings'
    assert [keys[0] for keys in together[3:]] == ["human"] * 3  # the other ideas keep theirs
    # what the secretariat confirmed for one wording carries to the other wordings of the idea
    run = MISSING[:2] + OTHERS
    assert dimensions_of(run, confirmed={0: ["regional"]})[1][0] == "human"
    assert dimensions_of(run, idea=[0, 1], confirmed={0: ["regional"]})[1][0] == "regional"
