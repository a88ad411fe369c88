"""Ideas keep their label across runs when most of their inputs persist."""

from __future__ import annotations

from stocktake.analysis.pipeline import ActorInfo, Context, Doc, run_pipeline
from stocktake.process.definition import default_definition_path, load_definition_file

DEFINITION = load_definition_file(default_definition_path())
DETENTION = "End immigration detention of children and provide alternatives to detention."
REMITTANCES = "Reduce the transaction costs of migrant remittances to less than three per cent."


def _docs() -> list[Doc]:
    docs = []
    for key in range(10):
        text = DETENTION if key < 6 else REMITTANCES
        actor = ActorInfo(f"A{key}", f"Actor {key}", "member_state", "Africa", "african", None)
        docs.append(Doc(key=key, actor=actor, text=text, language="en", external_id=f"IN-{key}"))
    return docs


def _label_of(result: object, row: int) -> str:
    clusters = result.clusters  # type: ignore[attr-defined]
    return next(c.label for c in clusters if row in c.rows)


def test_an_idea_most_of_whose_inputs_persist_keeps_its_label() -> None:
    docs = _docs()
    fresh = run_pipeline(docs, Context(definition=DEFINITION))
    assert _label_of(fresh, 0) != "Work with civil society"
    earlier = [
        ("Work with civil society", [0, 1, 2, 3, 4]),
        ("Send money home", [6]),
    ]
    again = run_pipeline(docs, Context(definition=DEFINITION, earlier_ideas=earlier))
    assert _label_of(again, 0) == "Work with civil society"
    # an earlier idea's single input makes a quarter of an idea: the idea keeps its own label
    assert _label_of(again, 6) == _label_of(fresh, 6)
