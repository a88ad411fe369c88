"""An objective's title in a reader's language: the process definition gives each objective of its
frame a title in English and, where it has them, in the other five languages (`[frame.objectives]`
with `titles`). An objective whose stored title is the definition's is shown in the reader's
language where the definition has it; a title the definition does not give (a frame loaded from a
file or a negotiated draft, or an objective renamed since) is shown as written, taken as English:
the rule of an indicator's title against the SDG framework (`indicators.titles.title_in`)."""

from __future__ import annotations

from stocktake.core.translation import DEFAULT_LANGUAGE
from stocktake.process.models import Process
from stocktake.review.models import Objective
from stocktake.review.services.indicators.titles import Shown, title_in

__all__ = ["ObjectiveTitles", "definition_titles", "title_in"]


def definition_titles(process: Process) -> dict[int, dict[str, str]]:
    """The titles the process definition gives its frame's objectives, by number, by language
    (English always)."""
    titles: dict[int, dict[str, str]] = {}
    for objective in process.read_definition().frame.objectives:
        names = objective.titles.model_dump() if objective.titles else {}
        titles[objective.number] = {
            DEFAULT_LANGUAGE: objective.title,
            **{language: text for language, text in names.items() if text},
        }
    return titles


class ObjectiveTitles:
    """The titles of a process's objectives in one reader's language, read once for a page:
    `titles(objective)` is a `Shown` (text and the language it is written in)."""

    def __init__(self, process: Process, language: str) -> None:
        self.language = language
        self.given = definition_titles(process)

    def __call__(self, objective: Objective) -> Shown:
        return title_in(objective.title, self.given.get(objective.number, {}), self.language)
