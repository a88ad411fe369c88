"""The parts of a process definition, as the TOML file writes them: names in six languages, terms,
phases, divergences, the summary's layout and frames, instruments, the frame of objectives and the
progress defaults."""

from __future__ import annotations

import datetime as dt
from typing import Annotated, Literal

from pydantic import (
    BaseModel,
    ConfigDict,
    Field,
    field_validator,
    model_validator,
)

from stocktake.core.translation import Text

LANGUAGES = ("en", "fr", "es", "ar", "ru", "zh")


"""The six official UN languages, by the codes stocktake uses everywhere."""


ACTOR_KINDS = (
    "member_state",
    "observer_state",
    "group_of_states",
    "un_entity",
    "igo",
    "stakeholder",
)


"""Actor kinds stocktake knows how to count; a definition names the ones its process uses."""


Key = Annotated[str, Field(pattern=r"^[a-z][a-z0-9_]*$", max_length=60)]


EXAMPLE_LENGTH = 300
"""A term's example is a sentence or a phrase, not a document."""


SDG_INDICATOR = r"^\d{1,2}\.(?:\d{1,2}|[a-z])\.\d{1,2}$"


VOCABULARIES = (
    "dimensions",
    "input_types",
    "actor_kinds",
    "stakeholder_categories",
    "meeting_types",
)


class Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class Names(Strict):
    en: str | None = None
    fr: str | None = None
    es: str | None = None
    ar: str | None = None
    ru: str | None = None
    zh: str | None = None

    def given(self) -> dict[str, str]:
        """The languages given, each with its text."""
        return {language: text for language, text in self.model_dump().items() if text}


class Term(Strict):
    key: Key
    name: str = Field(min_length=1)
    names: Names | None = None
    description: str = ""
    descriptions: Names | None = Field(
        None, description="The description in the other five languages, as the pages show it"
    )
    keywords: list[str] = Field(
        default_factory=list,
        description="Words and phrases, in any language, that signal this term",
    )
    examples: list[str] = Field(
        default_factory=list,
        description="Sentences or phrases, in any language, of what an input about this term says",
    )

    @field_validator("examples")
    @classmethod
    def _examples_are_sentences(cls, examples: list[str]) -> list[str]:
        for number, example in enumerate(examples, start=1):
            if not example.strip():
                raise ValueError(Text("example %(num)s is empty", num=number))
            if len(example) > EXAMPLE_LENGTH:
                raise ValueError(
                    Text(
                        "example %(num)s is longer than %(limit)s characters",
                        num=number,
                        limit=EXAMPLE_LENGTH,
                    )
                )
        if len(set(examples)) < len(examples):
            raise ValueError(Text("an example is listed twice"))
        return [example.strip() for example in examples]

    def all_names(self) -> dict[str, str]:
        names = {"en": self.name}
        if self.names:
            names.update({k: v for k, v in self.names.model_dump().items() if v})
        return names


class Dimension(Term):
    """A dimension carries its name in all six languages."""

    @model_validator(mode="after")
    def _six_languages(self) -> Dimension:
        missing = [lang for lang in LANGUAGES if lang not in self.all_names()]
        if missing:
            raise ValueError(
                Text(
                    "names missing for %(languages)s (a dimension is named in all six languages)",
                    languages=", ".join(missing),
                )
            )
        return self


class ActorKindTerm(Term):
    singular: str = Field("", description="How the summary counts one of them (default: the name)")
    plural: str = Field("", description="How the summary counts several (default: the name + s)")

    def counted(self, count: int) -> str:
        """'1 Member State', '3 Member States': the words of the summary's support sentences."""
        one = self.singular or self.name
        return f"{count} {one if count == 1 else (self.plural or one + 's')}"

    @model_validator(mode="after")
    def _known_kind(self) -> ActorKindTerm:
        if self.key not in ACTOR_KINDS:
            raise ValueError(
                Text(
                    "unknown actor kind %(kind)r; known kinds: %(kinds)s",
                    kind=self.key,
                    kinds=", ".join(ACTOR_KINDS),
                )
            )
        return self


class Phase(Strict):
    key: Key
    name: str = Field(min_length=1)
    names: Names | None = Field(None, description="The name in the other five languages")
    start: dt.date
    end: dt.date
    description: str = ""
    open_for_inputs: bool | None = Field(
        None,
        description="Inputs may be submitted or imported with a date in this phase; when no phase "
        "says, inputs are accepted on any day",
    )

    @model_validator(mode="after")
    def _ordered(self) -> Phase:
        if self.end < self.start:
            raise ValueError(
                Text(
                    "ends (%(end)s) before it starts (%(start)s)",
                    end=str(self.end),
                    start=str(self.start),
                )
            )
        return self


class Position(Strict):
    key: Key
    name: str = Field(min_length=1)
    names: Names | None = Field(None, description="The name in the other five languages")
    description: str = ""
    keywords: list[str] = Field(default_factory=list)


class Divergence(Strict):
    """A theme on which inputs are expected to pull in different directions, with its positions."""

    key: Key
    name: str = Field(min_length=1)
    names: Names | None = Field(None, description="The name in the other five languages")
    description: str = ""
    descriptions: Names | None = Field(
        None, description="The description in the other five languages, as the summary says it"
    )
    input_types: list[str] = Field(default_factory=list, description="Only inputs of these types")
    dimensions: list[str] = Field(
        default_factory=list, description="Only inputs of these dimensions"
    )
    positions: list[Position] = Field(min_length=2)


class SummarySection(Strict):
    """A section of each dimension in the summary: the proposals of these input types, under a heading."""

    input_types: list[str] = Field(min_length=1)
    name: str = Field(min_length=1)
    names: Names | None = None


SupportKind = Literal[
    "governments", "mostly_governments", "mixed", "mostly_stakeholders", "stakeholders"
]


class SummaryFrame(Strict):
    """How a statement opens: what participants did, by input type and by who supports it
    ("Several delegations proposed", "Stakeholders stressed"), in the six languages."""

    input_types: list[str] = Field(
        default_factory=list, description="For these input types; none: any other type"
    )
    support: SupportKind = Field(
        description="governments: (nearly) only governments stand behind it; "
        "mostly_governments: mostly governments, with some stakeholders; mixed: both in like "
        "numbers; mostly_stakeholders: mostly non-governmental stakeholders, with some "
        "governments; stakeholders: (nearly) only stakeholders. A 'mostly' kind without a frame "
        "of its own takes the mixed one"
    )
    min_share: float = Field(
        0,
        ge=0,
        le=1,
        description="Only for statements supported by at least this share of all the actors the "
        "summary draws on ('Many participants called for'; 0.15 for 15 %)",
    )
    text: Names

    @model_validator(mode="after")
    def _six_languages(self) -> SummaryFrame:
        missing = [lang for lang in LANGUAGES if not getattr(self.text, lang)]
        if missing:
            raise ValueError(
                Text(
                    "frame text missing for %(languages)s (a frame is written in all six "
                    "languages)",
                    languages=", ".join(missing),
                )
            )
        return self


DEFAULT_FRAMES = {
    "governments": Names(
        en="Several delegations proposed",
        fr="Plusieurs délégations ont proposé",
        es="Varias delegaciones propusieron",
        ar="اقترحت عدة وفود",
        ru="Ряд делегаций предложил",
        zh="若干代表团提议",
    ),
    "stakeholders": Names(
        en="Stakeholders proposed",
        fr="Les parties prenantes ont proposé",
        es="Las partes interesadas propusieron",
        ar="اقترح أصحاب المصلحة",
        ru="Заинтересованные стороны предложили",
        zh="利益攸关方提议",
    ),
    "mixed": Names(
        en="Participants proposed",
        fr="Les participants ont proposé",
        es="Los participantes propusieron",
        ar="اقترح المشاركون",
        ru="Участники предложили",
        zh="与会者提议",
    ),
}


class SummaryLayout(Strict):
    """What the Chair's summary is made of, in the process's own terms."""

    opening_meeting_type: str | None = Field(
        None, description="The meeting type whose participation figures open the summary"
    )
    sections: list[SummarySection] = Field(
        default_factory=list,
        description="In this order; without any, one section per input type in definition order",
    )
    other_section: str = Field(
        "Other proposals", min_length=1, description="Heading of proposals of no section's type"
    )
    frames: list[SummaryFrame] = Field(
        default_factory=list,
        description="How statements open, by input type and kind of support; the first that "
        "fits is used (default: 'Several delegations proposed', 'Stakeholders proposed', "
        "'Participants proposed')",
    )

    def frame(
        self, input_type: str, support: SupportKind, language: str, share: float = 0.0
    ) -> str:
        """The words a statement of this input type and support opens with, in the language: the
        first frame of that kind for the type whose `min_share` the statement's share of all actors
        reaches, else such a frame for any type; a 'mostly' kind without one takes the mixed one."""
        chosen = None
        for kind in dict.fromkeys((support, "mixed" if support.startswith("mostly") else support)):
            fitting = [f for f in self.frames if f.support == kind and f.min_share <= share]
            chosen = next(
                (f for f in fitting if input_type in f.input_types),
                next((f for f in fitting if not f.input_types), None),
            )
            if chosen:
                break
        names = chosen.text if chosen else DEFAULT_FRAMES.get(support, DEFAULT_FRAMES["mixed"])
        text: str = getattr(names, language) or names.en or ""
        return text


class Instrument(Strict):
    """An instrument (a convention, a covenant) that inputs may name as a framework reference."""

    code: str = Field(pattern=r"^[A-Z][A-Z0-9-]*$", max_length=40)
    name: str = Field(min_length=1)


class FrameAction(Strict):
    letter: str = Field(pattern=r"^[a-z]{1,3}$")
    text: str = Field(min_length=1)


class FrameObjective(Strict):
    number: int = Field(ge=1)
    title: str = Field(min_length=1)
    titles: Names | None = Field(
        None, description="The title in the other five languages, as the compact's versions say it"
    )
    paragraph: str = ""
    sdg_indicators: list[Annotated[str, Field(pattern=SDG_INDICATOR)]] = Field(
        default_factory=list, description="The SDG indicators the follow-up reads for it"
    )
    actions: list[FrameAction] = Field(default_factory=list)

    @field_validator("paragraph", mode="before")
    @classmethod
    def _paragraph_number(cls, value: object) -> object:
        return str(value) if isinstance(value, int) and not isinstance(value, bool) else value


class Frame(Strict):
    """The frame of follow-up the process starts with: the objectives and actions of its compact."""

    source: str = Field("", description="The document the objectives come from")
    objectives: list[FrameObjective] = Field(default_factory=list)


class ProgressDefault(Strict):
    """How progress on an indicator is assessed when its data give no direction or target."""

    indicator: str = Field(pattern=SDG_INDICATOR)
    direction: Literal["increase", "decrease"]
    target: float | None = None


class NewsSettings(Strict):
    hold_for_review: bool = Field(
        False,
        description="Items drafted from the process's events wait for the secretariat to publish "
        "them; left false, they are published when the event is",
    )


class ProcessInfo(Strict):
    slug: Key
    name: str = Field(min_length=1)
    names: Names | None = Field(
        None, description="The name in the other five languages, as the process's papers say it"
    )
    short_name: str = Field(min_length=1, max_length=40)
    mandate: str = ""
    mandates: Names | None = Field(
        None, description="The mandate in the other five languages, as its papers name it"
    )
    description: str = ""
    descriptions: Names | None = Field(
        None, description="The description in the other five languages, as the home page shows it"
    )
    language: Literal["ar", "en", "es", "fr", "ru", "zh"] = Field(
        "en",
        description="The language of the pages for a reader who has chosen none and whose browser "
        "asks for none of the six",
    )
