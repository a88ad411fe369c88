"""The declarative process definition (TOML): its schema, and a loader whose errors name the place.

A definition is read and validated whole before anything touches the database.
"""

from __future__ import annotations

import datetime as dt
import itertools
import re
import tomllib
from pathlib import Path
from typing import Annotated, Any, Literal

from pydantic import (
    BaseModel,
    ConfigDict,
    Field,
    ValidationError,
    field_validator,
    model_validator,
)

from stocktake.core.errors import Problem, ValidationFailed
from stocktake.process.definitions import DEFAULT

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


class Term(Strict):
    key: Key
    name: str = Field(min_length=1)
    names: Names | None = None
    description: str = ""
    keywords: list[str] = Field(
        default_factory=list,
        description="Words and phrases, in any language, that signal this term",
    )

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
            msg = f"names missing for {', '.join(missing)} (a dimension is named in all six languages)"
            raise ValueError(msg)
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
            msg = f"unknown actor kind {self.key!r}; known kinds: {', '.join(ACTOR_KINDS)}"
            raise ValueError(msg)
        return self


class Phase(Strict):
    key: Key
    name: str = Field(min_length=1)
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
            msg = f"ends ({self.end}) before it starts ({self.start})"
            raise ValueError(msg)
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


SupportKind = Literal["governments", "stakeholders", "mixed"]


class SummaryFrame(Strict):
    """How a statement opens: what participants did, by input type and by who supports it
    ("Several delegations proposed", "Stakeholders stressed"), in the six languages."""

    input_types: list[str] = Field(
        default_factory=list, description="For these input types; none: any other type"
    )
    support: SupportKind = Field(
        description="governments: only governments stand behind it; stakeholders: only "
        "non-governmental stakeholders; mixed: both"
    )
    text: Names

    @model_validator(mode="after")
    def _six_languages(self) -> SummaryFrame:
        missing = [lang for lang in LANGUAGES if not getattr(self.text, lang)]
        if missing:
            msg = f"frame text missing for {', '.join(missing)} (a frame is written in all six languages)"
            raise ValueError(msg)
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

    def frame(self, input_type: str, support: SupportKind, language: str) -> str:
        """The words a statement of this input type and support opens with, in the language."""
        chosen = next(
            (f for f in self.frames if f.support == support and input_type in f.input_types),
            next((f for f in self.frames if f.support == support and not f.input_types), None),
        )
        names = chosen.text if chosen else DEFAULT_FRAMES[support]
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


class ProcessInfo(Strict):
    slug: Key
    name: str = Field(min_length=1)
    short_name: str = Field(min_length=1, max_length=40)
    mandate: str = ""
    description: str = ""


class ProcessDefinition(Strict):
    process: ProcessInfo
    phases: list[Phase] = Field(min_length=1)
    dimensions: list[Dimension] = Field(min_length=1)
    input_types: list[Term] = Field(min_length=1)
    actor_kinds: list[ActorKindTerm] = Field(min_length=1)
    stakeholder_categories: list[Term] = Field(default_factory=list)
    meeting_types: list[Term] = Field(min_length=1)
    divergences: list[Divergence] = Field(default_factory=list)
    summary: SummaryLayout = Field(default_factory=SummaryLayout)
    principles: list[Term] = Field(
        default_factory=list, description="The guiding principles a practice is described by"
    )
    instruments: list[Instrument] = Field(default_factory=list)
    frame: Frame = Field(default_factory=Frame)
    progress_defaults: list[ProgressDefault] = Field(default_factory=list)

    def vocabulary(self, name: str) -> list[Term]:
        terms: list[Term] = getattr(self, name)
        return terms

    def summary_sections(self) -> list[SummarySection]:
        """The summary's sections: as defined, or one per input type named after it."""
        return self.summary.sections or [
            SummarySection(input_types=[t.key], name=t.name, names=t.names)
            for t in self.input_types
        ]

    def actor_kind(self, key: str) -> ActorKindTerm:
        """The actor kind with this key; one the definition does not name counts by its key."""
        return next(
            (kind for kind in self.actor_kinds if kind.key == key),
            ActorKindTerm.model_construct(key=key, name=key, singular=key, plural=key),
        )

    def phase_on(self, day: dt.date) -> Phase | None:
        return next((p for p in self.phases if p.start <= day <= p.end), None)

    def phases_open_for_inputs(self) -> list[Phase]:
        """The phases that accept inputs: those marked open, or all when no phase says."""
        if all(phase.open_for_inputs is None for phase in self.phases):
            return list(self.phases)
        return [phase for phase in self.phases if phase.open_for_inputs]

    def closed_for_inputs(self, day: dt.date) -> str | None:
        """Why the process accepts no input dated `day`, or None when it does."""
        if all(phase.open_for_inputs is None for phase in self.phases):
            return None
        phase = self.phase_on(day)
        if phase is None:
            return (
                f"the process accepts no inputs on {day.day} {day:%B %Y}: no phase covers that day"
            )
        if not phase.open_for_inputs:
            return (
                f"the process accepts no inputs on {day.day} {day:%B %Y}: "
                f"the {phase.name} phase is not open for inputs"
            )
        return None


def _cross_checks(definition: ProcessDefinition) -> list[Problem]:
    problems: list[Problem] = []
    for vocabulary in ("phases", *VOCABULARIES, "principles"):
        seen: dict[str, int] = {}
        for index, item in enumerate(getattr(definition, vocabulary)):
            if item.key in seen:
                problems.append(
                    Problem(
                        f"{vocabulary}[{index}].key",
                        f"duplicate key {item.key!r} (also {vocabulary}[{seen[item.key]}])",
                    )
                )
            seen.setdefault(item.key, index)
    types = {t.key for t in definition.input_types}
    dimensions = {d.key for d in definition.dimensions}
    for index, divergence in enumerate(definition.divergences):
        for key in divergence.input_types:
            if key not in types:
                problems.append(
                    Problem(f"divergences[{index}].input_types", f"unknown input type {key!r}")
                )
        for key in divergence.dimensions:
            if key not in dimensions:
                problems.append(
                    Problem(f"divergences[{index}].dimensions", f"unknown dimension {key!r}")
                )
    problems += _summary_checks(definition, types)
    problems += _review_checks(definition)
    ordered = sorted(enumerate(definition.phases), key=lambda pair: pair[1].start)
    for (i, first), (j, second) in itertools.pairwise(ordered):
        if second.start <= first.end:
            problems.append(
                Problem(
                    f"phases[{j}]",
                    f"phase {second.key!r} ({second.start}–{second.end}) overlaps phase "
                    f"{first.key!r} ({first.start}–{first.end}) at phases[{i}]",
                )
            )
    return problems


def _summary_checks(definition: ProcessDefinition, types: set[str]) -> list[Problem]:
    problems: list[Problem] = []
    placed: dict[str, int] = {}
    for index, section in enumerate(definition.summary.sections):
        for key in section.input_types:
            if key not in types:
                problems.append(
                    Problem(f"summary.sections[{index}].input_types", f"unknown input type {key!r}")
                )
            elif key in placed:
                problems.append(
                    Problem(
                        f"summary.sections[{index}].input_types",
                        f"input type {key!r} is already in summary.sections[{placed[key]}]",
                    )
                )
            placed.setdefault(key, index)
    for index, frame in enumerate(definition.summary.frames):
        problems += [
            Problem(f"summary.frames[{index}].input_types", f"unknown input type {key!r}")
            for key in frame.input_types
            if key not in types
        ]
    opening = definition.summary.opening_meeting_type
    if opening is not None and opening not in {m.key for m in definition.meeting_types}:
        problems.append(
            Problem("summary.opening_meeting_type", f"unknown meeting type {opening!r}")
        )
    return problems


def _unique(items: list[Any], where: str, name: str, what: str) -> list[Problem]:
    """A problem for each item whose `name` an earlier item of the list already has."""
    problems: list[Problem] = []
    seen: dict[Any, int] = {}
    for index, item in enumerate(items):
        value = getattr(item, name)
        if value in seen:
            problems.append(
                Problem(
                    f"{where}[{index}].{name}",
                    f"duplicate {what} {value!r} (also {where}[{seen[value]}])",
                )
            )
        seen.setdefault(value, index)
    return problems


def _review_checks(definition: ProcessDefinition) -> list[Problem]:
    problems = _unique(definition.instruments, "instruments", "code", "code")
    problems += _unique(definition.frame.objectives, "frame.objectives", "number", "objective")
    for index, objective in enumerate(definition.frame.objectives):
        problems += _unique(
            objective.actions, f"frame.objectives[{index}].actions", "letter", "action"
        )
    problems += _unique(definition.progress_defaults, "progress_defaults", "indicator", "indicator")
    return problems


def _loc(parts: tuple[int | str, ...]) -> str:
    text = ""
    for part in parts:
        text += f"[{part}]" if isinstance(part, int) else (f".{part}" if text else str(part))
    return text


def parse_definition(text: str, source: str = "<definition>") -> ProcessDefinition:
    """Validate a TOML definition; raise ValidationFailed naming every bad line or key."""
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        raise ValidationFailed(source, [Problem("", f"not valid TOML: {exc}")]) from exc
    locate = _Locator(text)
    try:
        definition = ProcessDefinition.model_validate(data)
    except ValidationError as exc:
        problems = []
        for error in exc.errors():
            loc = tuple(p for p in error["loc"] if not _is_union_tag(p))
            message = error["msg"].removeprefix("Value error, ")
            if error["type"] == "extra_forbidden":
                message = "unknown key"
            elif error["type"] == "missing":
                message = "required key is missing"
            problems.append(Problem(locate.where(loc), message))
        raise ValidationFailed(source, problems) from exc
    cross = _cross_checks(definition)
    if cross:
        raise ValidationFailed(
            source, [Problem(locate.where(_parse_loc(p.where)), p.message) for p in cross]
        )
    return definition


def load_definition_file(path: Path) -> ProcessDefinition:
    try:
        text = path.read_text(encoding="utf-8")
    except UnicodeDecodeError as exc:
        raise ValidationFailed(str(path), [Problem("", f"not UTF-8 text: {exc}")]) from exc
    except OSError as exc:
        raise ValidationFailed(str(path), [Problem("", f"cannot read: {exc.strerror}")]) from exc
    return parse_definition(text, source=str(path))


def default_definition_path() -> Path:
    """The definition shipped as the default process (`definitions/__init__.py` names it)."""
    return DEFAULT


def _is_union_tag(part: Any) -> bool:
    return isinstance(part, str) and part.startswith("function-")


def _parse_loc(text: str) -> tuple[int | str, ...]:
    parts: list[int | str] = []
    for name, index in re.findall(r"([A-Za-z_]+)|\[(\d+)\]", text):
        parts.append(int(index) if index else name)
    return tuple(parts)


class _Locator:
    """Finds the line of a key path such as phases[2].end in the TOML text (best effort)."""

    _header = re.compile(r"^\s*\[\[?\s*([A-Za-z0-9_.]+)\s*\]\]?\s*(?:#.*)?$")

    def __init__(self, text: str) -> None:
        self.lines = text.splitlines()

    def where(self, loc: tuple[int | str, ...]) -> str:
        label = _loc(loc)
        line = self._line_of(loc)
        return f"line {line}, {label}" if line else label

    def _line_of(self, loc: tuple[int | str, ...]) -> int | None:
        if not loc or not isinstance(loc[0], str):
            return None
        # the table is the longest dotted run of leading names that heads a table in the file
        # (`frame.objectives` for frame.objectives[2].title, `frame` for frame.source)
        names = list(itertools.takewhile(lambda p: isinstance(p, str), loc))
        headers = {m.group(1) for line in self.lines if (m := self._header.match(line))}
        size = next(
            (n for n in range(len(names), 0, -1) if ".".join(map(str, names[:n])) in headers), 1
        )
        table = ".".join(map(str, names[:size]))
        after = loc[size:]
        index = after[0] if after and isinstance(after[0], int) else 0
        rest = [
            p
            for p in after[1 if after and isinstance(after[0], int) else 0 :]
            if isinstance(p, str)
        ]
        seen = -1
        start = None
        for number, line in enumerate(self.lines, 1):
            match = self._header.match(line)
            if match and match.group(1) == table:
                seen += 1
                if seen == index:
                    start = number
                    break
        if start is None:
            return None
        if not rest:
            return start
        key = re.compile(rf"^\s*{re.escape(rest[-1])}\s*=")
        for number in range(start, len(self.lines)):
            line = self.lines[number]
            match = self._header.match(line)
            if match and not match.group(1).startswith(f"{table}."):
                break
            if key.match(line):
                return number + 1
        return start
