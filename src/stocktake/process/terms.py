"""One way to read a vocabulary term a person wrote: by its key or by its name in any language,
ignoring case, with one message for a term the process does not have. Submissions, retagging and the
rows of a file all use it."""

from __future__ import annotations

import enum
from collections.abc import Callable, Collection, Iterable, Mapping, Sequence

from stocktake.core.translation import Text, translatable
from stocktake.process.definition import ProcessDefinition

TAG_VOCABULARIES = ("dimensions", "input_types")
"""The vocabularies an input is tagged with."""

UNKNOWN_TERMS = {
    "dimensions": translatable("unknown dimension %(value)r"),
    "input_types": translatable("unknown input type %(value)r"),
    "actor_kinds": translatable("unknown actor kind %(value)r"),
    "stakeholder_categories": translatable("unknown stakeholder category %(value)r"),
    "meeting_types": translatable("unknown meeting type %(value)r"),
}


def unknown_term(vocabulary: str, value: str) -> Text:
    """What is said of a value that names no term of a vocabulary ("unknown dimension 'x'")."""
    message = UNKNOWN_TERMS.get(vocabulary)
    if message is None:
        name = vocabulary[:-1].replace("_", " ")
        return Text("unknown %(vocabulary)s %(value)r", vocabulary=name, value=value)
    return Text(message, value=value)


class TagSource(enum.StrEnum):
    """Where an input's tags come from, strongest first: the secretariat's (set or confirmed by it)
    win over the submitter's, and the submitter's over the analysis's. The one precedence rule."""

    SECRETARIAT = "secretariat"
    SUBMITTER = "submitter"
    ANALYSIS = "analysis"

    @classmethod
    def _missing_(cls, value: object) -> TagSource | None:
        # analysis runs stored before this enum named the secretariat's tags "confirmed"
        return cls.SECRETARIAT if value == "confirmed" else None

    @classmethod
    def strongest(
        cls, offered: Mapping[TagSource, Sequence[str] | None]
    ) -> tuple[TagSource, list[str]]:
        """The tags to use: those of the strongest source that offers any (else none, from the
        analysis)."""
        for source in cls:
            keys = offered.get(source)
            if keys:
                return source, list(keys)
        return cls.ANALYSIS, []

    @classmethod
    def weakest(cls, sources: Collection[str]) -> TagSource:
        """The source an input's tags as a whole rest on: the weakest of its vocabularies' sources
        (an input tagged partly by the analysis counts as tagged by the analysis)."""
        present = {cls(source) for source in sources}
        return next((source for source in reversed(cls) if source in present), cls.ANALYSIS)


class TermReader:
    def __init__(
        self, definition: ProcessDefinition, vocabularies: Iterable[str] = TAG_VOCABULARIES
    ) -> None:
        self.lookup: dict[str, dict[str, str]] = {
            vocabulary: {
                name.casefold(): term.key
                for term in definition.vocabulary(vocabulary)
                for name in (term.key, *term.all_names().values())
            }
            for vocabulary in vocabularies
        }

    def keys(
        self, vocabulary: str, values: Sequence[str], bad: Callable[[str, str], None]
    ) -> list[str]:
        """The keys of the terms named in `values`, each once, in order; `bad(vocabulary, message)`
        is told of each value that names no term. Empty values are skipped."""
        keys: list[str] = []
        for value in values:
            if not value.strip():
                continue
            key = self.lookup[vocabulary].get(value.strip().casefold())
            if key is None:
                bad(vocabulary, unknown_term(vocabulary, value.strip()))
            elif key not in keys:
                keys.append(key)
        return keys
