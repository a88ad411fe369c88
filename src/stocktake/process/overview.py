"""What the home page says of a process in the reader's language: its name, description and
mandate, its phases' names and its terms' descriptions, each where the definition gives it in that
language (`[process.names]`, `[process.descriptions]`, `[process.mandates]`, a phase's `names`, a
term's `descriptions`), else in English, marked as English."""

from __future__ import annotations

from dataclasses import dataclass, field

from stocktake.process.definition import Names, ProcessDefinition


@dataclass(frozen=True)
class Said:
    """A text and whether it is English in place of the reader's language."""

    text: str
    english: bool = False


def said_in(english: str, names: Names | None, language: str) -> Said:
    """The text in `language` where `names` gives it, else the English one."""
    given = names.given() if names else {}
    if language != "en" and given.get(language):
        return Said(given[language])
    return Said(english, english=language != "en")


@dataclass(frozen=True)
class Overview:
    language: str
    name: Said
    description: Said
    mandate: Said
    phases: dict[str, Said] = field(default_factory=dict)
    """Each phase's name, by key."""
    terms: dict[tuple[str, str], Said] = field(default_factory=dict)
    """Each vocabulary term's description, by (vocabulary, key)."""

    def phase(self, key: str, english: str) -> Said:
        return self.phases.get(key, Said(english, english=self.language != "en"))

    def term(self, vocabulary: str, key: str, english: str) -> Said:
        return self.terms.get((vocabulary, key), Said(english, english=self.language != "en"))


def overview_in(definition: ProcessDefinition, language: str) -> Overview:
    """The process as the home page tells it in `language`."""
    info = definition.process
    return Overview(
        language=language,
        name=said_in(info.name, info.names, language),
        description=said_in(info.description, info.descriptions, language),
        mandate=said_in(info.mandate, info.mandates, language),
        phases={p.key: said_in(p.name, p.names, language) for p in definition.phases},
        terms={
            (vocabulary, term.key): said_in(term.description, term.descriptions, language)
            for vocabulary in ("dimensions", "input_types")
            for term in getattr(definition, vocabulary)
        },
    )
