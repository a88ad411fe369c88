"""The whole definition and the checks across its parts: every key a part names exists, nothing is
defined twice."""

from __future__ import annotations

import datetime as dt
import itertools
from typing import Any

from pydantic import (
    Field,
)

from stocktake.core.errors import Problem
from stocktake.core.translation import Text, translatable
from stocktake.process.definition.schema import (
    VOCABULARIES,
    ActorKindTerm,
    Dimension,
    Divergence,
    Frame,
    Instrument,
    NewsSettings,
    Phase,
    ProcessInfo,
    ProgressDefault,
    Strict,
    SummaryLayout,
    SummarySection,
    Term,
)


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
    news: NewsSettings = Field(default_factory=NewsSettings)

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

    def closed_for_inputs(self, day: dt.date) -> Text | None:
        """Why the process accepts no input dated `day`, or None when it does."""
        if all(phase.open_for_inputs is None for phase in self.phases):
            return None
        phase = self.phase_on(day)
        if phase is None:
            return Text(
                "the process accepts no inputs on %(day)s: no phase covers that day",
                day=f"{day.day} {day:%B %Y}",
            )
        if not phase.open_for_inputs:
            return Text(
                "the process accepts no inputs on %(day)s: the %(phase)s phase is not open for "
                "inputs",
                day=f"{day.day} {day:%B %Y}",
                phase=phase.name,
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
                        Text(
                            "duplicate key %(key)r (also %(where)s)",
                            key=item.key,
                            where=f"{vocabulary}[{seen[item.key]}]",
                        ),
                    )
                )
            seen.setdefault(item.key, index)
    types = {t.key for t in definition.input_types}
    dimensions = {d.key for d in definition.dimensions}
    for index, divergence in enumerate(definition.divergences):
        for key in divergence.input_types:
            if key not in types:
                problems.append(Problem(f"divergences[{index}].input_types", _unknown_type(key)))
        for key in divergence.dimensions:
            if key not in dimensions:
                problems.append(
                    Problem(
                        f"divergences[{index}].dimensions",
                        Text("unknown dimension %(term)r", term=key),
                    )
                )
    problems += _summary_checks(definition, types)
    problems += _review_checks(definition)
    ordered = sorted(enumerate(definition.phases), key=lambda pair: pair[1].start)
    for (i, first), (j, second) in itertools.pairwise(ordered):
        if second.start <= first.end:
            problems.append(
                Problem(
                    f"phases[{j}]",
                    Text(
                        "phase %(phase)r (%(start)s–%(end)s) overlaps phase %(other)r "
                        "(%(other_start)s–%(other_end)s) at %(where)s",
                        phase=second.key,
                        start=str(second.start),
                        end=str(second.end),
                        other=first.key,
                        other_start=str(first.start),
                        other_end=str(first.end),
                        where=f"phases[{i}]",
                    ),
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
                    Problem(f"summary.sections[{index}].input_types", _unknown_type(key))
                )
            elif key in placed:
                problems.append(
                    Problem(
                        f"summary.sections[{index}].input_types",
                        Text(
                            "input type %(term)r is already in %(where)s",
                            term=key,
                            where=f"summary.sections[{placed[key]}]",
                        ),
                    )
                )
            placed.setdefault(key, index)
    for index, frame in enumerate(definition.summary.frames):
        problems += [
            Problem(f"summary.frames[{index}].input_types", _unknown_type(key))
            for key in frame.input_types
            if key not in types
        ]
    opening = definition.summary.opening_meeting_type
    if opening is not None and opening not in {m.key for m in definition.meeting_types}:
        problems.append(
            Problem(
                "summary.opening_meeting_type",
                Text("unknown meeting type %(term)r", term=opening),
            )
        )
    return problems


def _unknown_type(key: str) -> Text:
    return Text("unknown input type %(term)r", term=key)


def _unique(items: list[Any], where: str, name: str, said: str) -> list[Problem]:
    """A problem for each item whose `name` an earlier item of the list already has; `said` is
    the marked message that says so (its values `value` and `where`)."""
    problems: list[Problem] = []
    seen: dict[Any, int] = {}
    for index, item in enumerate(items):
        value = getattr(item, name)
        if value in seen:
            problems.append(
                Problem(
                    f"{where}[{index}].{name}",
                    Text(said, value=value, where=f"{where}[{seen[value]}]"),
                )
            )
        seen.setdefault(value, index)
    return problems


def _review_checks(definition: ProcessDefinition) -> list[Problem]:
    problems = _unique(
        definition.instruments,
        "instruments",
        "code",
        translatable("duplicate code %(value)r (also %(where)s)"),
    )
    problems += _unique(
        definition.frame.objectives,
        "frame.objectives",
        "number",
        translatable("duplicate objective %(value)r (also %(where)s)"),
    )
    for index, objective in enumerate(definition.frame.objectives):
        problems += _unique(
            objective.actions,
            f"frame.objectives[{index}].actions",
            "letter",
            translatable("duplicate action %(value)r (also %(where)s)"),
        )
    problems += _unique(
        definition.progress_defaults,
        "progress_defaults",
        "indicator",
        translatable("duplicate indicator %(value)r (also %(where)s)"),
    )
    return problems
