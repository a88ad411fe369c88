"""The frame of follow-up: the objectives and actions of the adopted text.

The process definition's `[frame]` gives the frame the process starts with (`frame_of_process`);
`read_frame_file` reads one from a file (for a compact negotiated elsewhere); any other source, such
as the final revision of a negotiated draft, gives `load_frame` the same `FrameData`.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from pathlib import Path

import yaml
from sqlalchemy import select
from sqlalchemy.orm import Session, selectinload

from stocktake.audit.events import AuditAction
from stocktake.audit.services import record_event
from stocktake.core.db import transaction
from stocktake.core.errors import NotFound, Problem, ValidationFailed
from stocktake.core.permissions import Permission, Principal, require
from stocktake.core.translation import Text
from stocktake.negotiation.services.drafts import get_draft
from stocktake.process.models import Process
from stocktake.review.models import Action, Objective


@dataclass
class ObjectiveData:
    number: int
    title: str
    paragraph: str = ""
    actions: list[tuple[str, str]] = field(default_factory=list)  # (letter, text)
    sdg_indicators: list[str] = field(default_factory=list)


@dataclass
class FrameData:
    source: str
    objectives: list[ObjectiveData]


def _objective(index: int, raw: object, problems: list[Problem]) -> ObjectiveData | None:
    where = f"objectives[{index}]"
    if not isinstance(raw, dict):
        problems.append(Problem(where, Text("is not a mapping")))
        return None
    number, title = raw.get("number"), str(raw.get("title") or "").strip()
    if not isinstance(number, int) or number < 1:
        problems.append(Problem(f"{where}.number", Text("is not a positive whole number")))
    if not title:
        problems.append(Problem(f"{where}.title", Text("is empty")))
    actions = raw.get("actions") or []
    if not isinstance(actions, list) or not all(isinstance(a, dict) for a in actions):
        problems.append(Problem(f"{where}.actions", Text("is not a list of {letter, text}")))
        actions = []
    if not isinstance(number, int) or not title:
        return None
    return ObjectiveData(
        number=number,
        title=title,
        paragraph=str(raw.get("paragraph") or ""),
        actions=[
            (str(a.get("letter", "")).strip(), str(a.get("text", "")).strip()) for a in actions
        ],
        sdg_indicators=[str(code) for code in raw.get("sdg_indicators") or []],
    )


def twice_named(number: int) -> Text:
    return Text("objective %(number)s appears twice", number=number)


def read_frame_file(path: Path) -> FrameData:
    """Objectives and actions from a YAML file: `objectives: [{number, title, paragraph,
    actions: [{letter, text}], sdg_indicators: [10.c.1]}]`."""
    try:
        raw = yaml.safe_load(path.read_text(encoding="utf-8-sig"))
    except (OSError, yaml.YAMLError) as exc:
        raise ValidationFailed(
            path.name, [Problem(path.name, Text("cannot be read (%(reason)s)", reason=str(exc)))]
        ) from exc
    problems: list[Problem] = []
    items = raw.get("objectives") if isinstance(raw, dict) else None
    if not isinstance(items, list) or not items:
        raise ValidationFailed(path.name, [Problem("objectives", Text("is missing or empty"))])
    objectives = [o for i, item in enumerate(items) if (o := _objective(i, item, problems))]
    numbers = [o.number for o in objectives]
    problems.extend(
        Problem("objectives", twice_named(n))
        for n in sorted({n for n in numbers if numbers.count(n) > 1})
    )
    if problems:
        raise ValidationFailed(path.name, problems)
    return FrameData(source=str(raw.get("source") or path.name), objectives=objectives)


OBJECTIVE_HEADING = re.compile(
    r"^\s*Objective\s+(\d+)\s*[:.\u2013\u2014-]\s*(.+?)\s*$", re.IGNORECASE
)


def frame_from_elements(elements: Iterable[Mapping[str, object]], source: str) -> FrameData:
    """Objectives and actions from the elements of an adopted text: a section headed
    "Objective N: title" opens objective N, its first numbered paragraph is the commitment and the
    lettered points under it are the actions."""
    objectives: list[ObjectiveData] = []
    current: ObjectiveData | None = None
    for element in elements:
        kind, text = str(element.get("kind", "")), str(element.get("text", "")).strip()
        number = str(element.get("number", "")).strip()
        if kind == "heading":
            # a heading numbered by its own label ("Objective 20") keeps the label apart from its text
            label = str(element.get("label", "") or "").strip()
            match = OBJECTIVE_HEADING.match(f"{label}: {text}" if label else text)
            current = ObjectiveData(number=int(match[1]), title=match[2]) if match else None
            if current is not None:
                objectives.append(current)
        elif current is not None and kind == "paragraph" and not current.paragraph:
            current.paragraph = number
        elif current is not None and kind == "point":
            current.actions.append((number.strip("()."), text))
    if not objectives:
        raise ValidationFailed(
            source, [Problem(source, Text('has no section headed "Objective N: title"'))]
        )
    numbers = [o.number for o in objectives]
    twice = sorted({n for n in numbers if numbers.count(n) > 1})
    if twice:
        raise ValidationFailed(source, [Problem(source, twice_named(n)) for n in twice])
    return FrameData(source=source, objectives=objectives)


def load_frame_from_draft(
    session: Session,
    process: Process,
    draft_id: int,
    *,
    revision: int | None = None,
    by: Principal,
) -> FrameChanges:
    """Load the frame from an issued revision of a negotiated draft: the given one, else the final
    revision, else the latest issued."""
    require(by, Permission.REVIEW_MANAGE)
    draft = get_draft(session, process, draft_id, by=by)
    issued = sorted(draft.revisions, key=lambda r: r.number)
    if revision is not None:
        chosen = next((r for r in issued if r.number == revision), None)
        if chosen is None:
            raise NotFound(Text("revision"), revision)
    else:
        finals = [r for r in issued if r.final]
        if not issued:
            raise ValidationFailed(
                f"draft {draft_id}",
                [
                    Problem(
                        "revision",
                        Text("none has been issued: issue one before loading the frame"),
                    )
                ],
            )
        chosen = (finals or issued)[-1]
    frame = frame_from_elements(chosen.elements, source=f"{draft.title}, {chosen.label}")
    return load_frame(session, process, frame, by=by)


@dataclass
class FrameChanges:
    """What loading a frame did, by objective and action reference (`20`, `20(b)`)."""

    objectives: int
    added: list[str] = field(default_factory=list)
    changed: list[str] = field(default_factory=list)
    retired: list[str] = field(default_factory=list)

    def summary(self) -> str:
        parts = [
            f"{len(items)} {name}: {', '.join(items)}"
            for name, items in (
                ("added", self.added),
                ("changed", self.changed),
                ("retired", self.retired),
            )
            if items
        ]
        return "; ".join(parts) or "nothing changed"


def load_frame(
    session: Session, process: Process, frame: FrameData, *, by: Principal
) -> FrameChanges:
    """Create or update the process's objectives and actions by their identity (objective number,
    action letter), never deleting one: what the new frame no longer lists is marked retired and
    keeps its pledges; an objective's SDG links stay when the new frame gives none, and its
    actions stay as they are when the new frame lists none for it."""
    require(by, Permission.REVIEW_MANAGE)
    existing = {o.number: o for o in list_objectives(session, process)}
    changes = FrameChanges(objectives=len(frame.objectives))
    with transaction(session):
        for data in frame.objectives:
            _update_objective(
                session, process, existing.get(data.number), data, frame=frame, changes=changes
            )
        listed = {data.number for data in frame.objectives}
        for number, objective in sorted(existing.items()):
            if number not in listed and not objective.retired:
                objective.retired = True
                changes.retired.append(str(number))
        record_event(
            session,
            by=by,
            action=AuditAction.FRAME_LOADED,
            target_type="process",
            target_key=process.slug,
            summary=f"{len(frame.objectives)} objectives from {frame.source}: " + changes.summary(),
            changes={
                "added": changes.added,
                "changed": changes.changed,
                "retired": changes.retired,
            },
        )
    return changes


def _update_objective(
    session: Session,
    process: Process,
    objective: Objective | None,
    data: ObjectiveData,
    *,
    frame: FrameData,
    changes: FrameChanges,
) -> None:
    if objective is None:
        objective = Objective(process_id=process.id, number=data.number, sdg_indicators=[])
        session.add(objective)
        changes.added.append(str(data.number))
    elif (objective.title, objective.paragraph, objective.retired) != (
        data.title,
        data.paragraph or objective.paragraph,
        False,
    ) or (data.sdg_indicators and data.sdg_indicators != objective.sdg_indicators):
        changes.changed.append(str(data.number))
    objective.title = data.title
    objective.paragraph = data.paragraph or objective.paragraph
    objective.retired = False
    if data.sdg_indicators:
        objective.sdg_indicators = list(data.sdg_indicators)
    objective.source = frame.source
    if not data.actions:
        return
    letters = {a.letter: a for a in objective.actions}
    for position, (letter, text) in enumerate(data.actions):
        action = letters.get(letter)
        ref = f"{data.number}({letter})"
        if action is None:
            action = Action(letter=letter, text=text, position=position)
            objective.actions.append(action)
            changes.added.append(ref)
            continue
        if action.text != text or action.retired:
            changes.changed.append(ref)
        action.text, action.position, action.retired = text, position, False
    listed = {letter for letter, _ in data.actions}
    for letter, action in letters.items():
        if letter not in listed and not action.retired:
            action.retired = True
            action.position = len(data.actions) + action.position
            changes.retired.append(f"{data.number}({letter})")


def _action(found: Action | None, letter: str, text: str, position: int) -> Action:
    action = found or Action(letter=letter)
    action.text, action.position = text, position
    return action


def list_objectives(session: Session, process: Process, *, actions: bool = True) -> list[Objective]:
    """The process's objectives in their order; with their actions, unless `actions` is false: a
    page that only names or counts the objectives asks nothing more."""
    query = select(Objective).where(Objective.process_id == process.id)
    if actions:
        query = query.options(selectinload(Objective.actions))
    return list(session.scalars(query.order_by(Objective.number)))


def get_objective(session: Session, process: Process, number: int) -> Objective:
    objective = session.scalar(
        select(Objective).where(Objective.process_id == process.id, Objective.number == number)
    )
    if objective is None:
        raise NotFound(Text("objective"), number)
    return objective


def frame_of_process(process: Process) -> FrameData | None:
    """The frame the process's definition gives (`[frame]`), or None when it gives none."""
    frame = process.read_definition().frame
    if not frame.objectives:
        return None
    return FrameData(
        source=frame.source or process.short_name,
        objectives=[
            ObjectiveData(
                number=objective.number,
                title=objective.title,
                paragraph=objective.paragraph,
                actions=[(action.letter, action.text) for action in objective.actions],
                sdg_indicators=list(objective.sdg_indicators),
            )
            for objective in frame.objectives
        ],
    )


def ensure_frame(session: Session, process: Process, *, by: Principal) -> int:
    """Load the frame of the process's definition when the process has no objectives yet; returns
    how many were loaded (0 when there already were some, or the definition gives none)."""
    if list_objectives(session, process):
        return 0
    frame = frame_of_process(process)
    return load_frame(session, process, frame, by=by).objectives if frame else 0
