"""What a pledge is made of and how what people type is read: its kinds, levels, modes and
statuses, the checks of a pledge's fields, actions as people write them, ISO 4217 currencies and the
capacity need a pledge answers."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from decimal import Decimal

import pycountry
from sqlalchemy import select
from sqlalchemy.orm import Session, selectinload

from stocktake.core.errors import Problem
from stocktake.process.models import Process
from stocktake.review.models import Action, CapacityItem, Objective

KINDS = {
    "financial": "Financial",
    "human_resources": "Human resources",
    "process": "Process",
    "policy": "Policy",
}
LEVELS = {"local": "Local", "national": "National", "regional": "Regional", "global": "Global"}
MODES = {
    "single": "By one actor",
    "joint": "In common with partners",
    "matching": "Matching another pledge",
}
STATUSES = {
    "planned": "Planned",
    "in_progress": "In progress",
    "completed": "Completed",
    "discontinued": "Discontinued",
}
DESCRIPTION_MIN, DESCRIPTION_MAX = 300, 3000


@dataclass
class PledgeData:
    actor: str
    title: str
    description: str
    kind: str
    level: str
    objectives: list[int]
    start_year: int
    end_year: int
    actions: list[str] = field(default_factory=list)  # "20(b)"
    mode: str = "single"
    partners: list[str] = field(default_factory=list)
    matches: int | None = None
    status: str = "planned"
    amount: Decimal | None = None
    currency: str = ""  # ISO 4217, e.g. USD
    answers: int | None = None  # the id of the capacity need the pledge answers


def choice(value: str, allowed: dict[str, str], name: str, problems: list[Problem]) -> None:
    if value not in allowed:
        problems.append(Problem(name, f"{value!r} is not one of {', '.join(allowed)}"))


def check_pledge(data: PledgeData, problems: list[Problem]) -> None:
    choice(data.kind, KINDS, "kind", problems)
    choice(data.level, LEVELS, "level", problems)
    choice(data.mode, MODES, "mode", problems)
    choice(data.status, STATUSES, "status", problems)
    if not data.title.strip():
        problems.append(Problem("title", "is empty"))
    elif len(data.title) > 300:
        problems.append(Problem("title", "is longer than 300 characters"))
    length = len(data.description.strip())
    if not DESCRIPTION_MIN <= length <= DESCRIPTION_MAX:
        problems.append(
            Problem(
                "description",
                f"has {length} characters; a pledge is described in {DESCRIPTION_MIN}–{DESCRIPTION_MAX:,}",
            )
        )
    if not data.objectives:
        problems.append(Problem("objectives", "name at least one objective"))
    if not 1990 <= data.start_year <= data.end_year <= 2100:
        problems.append(
            Problem("end_year", "the timeframe must run forward, between 1990 and 2100")
        )
    _check_amount(data, problems)
    if data.mode == "joint" and not data.partners:
        problems.append(Problem("partners", "a joint pledge names its partners"))
    if data.mode == "matching" and data.matches is None:
        problems.append(Problem("matches", "a matching pledge names the pledge it matches"))


AMOUNT_MAX, CENTS = Decimal("1e16"), Decimal("0.01")


def currency_name(code: str) -> str | None:
    """The name of an ISO 4217 currency by its three letters, or None."""
    found = pycountry.currencies.get(alpha_3=code.strip().upper()) if code.strip() else None
    return str(found.name) if found is not None else None


def _check_amount(data: PledgeData, problems: list[Problem]) -> None:
    """An amount comes with its currency, a currency with an amount."""
    currency = data.currency.strip()
    if currency and (len(currency) != 3 or currency_name(currency) is None):
        problems.append(
            Problem("currency", f"{currency!r} is not an ISO 4217 currency code, e.g. USD, EUR")
        )
    if data.amount is None:
        if currency:
            problems.append(Problem("amount", "a currency comes with an amount"))
        return
    if not data.amount.is_finite() or not 0 < data.amount < AMOUNT_MAX:
        problems.append(Problem("amount", "must be more than 0 and less than 10^16"))
    elif data.amount != data.amount.quantize(CENTS):
        problems.append(Problem("amount", "has more than two decimal places"))
    if not currency:
        problems.append(Problem("currency", "an amount names its currency, e.g. USD"))


def find_objectives(
    session: Session, process: Process, data: PledgeData, problems: list[Problem]
) -> tuple[list[Objective], list[Action]]:
    found = {
        o.number: o
        for o in session.scalars(
            select(Objective)
            .where(Objective.process_id == process.id)
            .options(selectinload(Objective.actions))
        )
    }
    objectives = []
    for number in dict.fromkeys(data.objectives):
        if number in found:
            objectives.append(found[number])
        else:
            problems.append(Problem("objectives", f"objective {number} does not exist"))
    actions = []
    for raw in dict.fromkeys(data.actions):
        action = _find_action(raw, found, problems)
        if action is not None:
            actions.append(action)
    return objectives, actions


_ACTION_REF = re.compile(
    r"^\s*(\d{1,3})\s*(?:\(\s*([a-z]{1,2})\s*\)|[.\s]?\s*([a-z]{1,2}))\s*$", re.I
)


def action_ref(raw: str) -> tuple[int, str] | None:
    """An action as people write it — `20(b)`, `20 (b)`, `20b`, `20.b`, `20(B)` — as (objective
    number, letter), or None."""
    match = _ACTION_REF.match(raw)
    if match is None:
        return None
    return int(match[1]), (match[2] or match[3]).lower()


def _find_action(raw: str, found: dict[int, Objective], problems: list[Problem]) -> Action | None:
    ref = action_ref(raw)
    if ref is None:
        problems.append(
            Problem("actions", f"{raw!r} is not an action; write objective(letter), e.g. 20(b)")
        )
        return None
    number, letter = ref
    objective = found.get(number)
    if objective is None:
        problems.append(Problem("actions", f"objective {number} does not exist"))
        return None
    letters = {a.letter.lower(): a for a in objective.actions}
    action = letters.get(letter)
    if action is not None and not action.retired:
        return action
    current = [a.ref for a in objective.actions if not a.retired]
    if action is not None:
        why = f"action {action.ref} is retired from the frame"
    elif not current:
        why = f"the frame lists no actions for objective {number}"
    else:
        why = f"action {number}({letter}) does not exist"
    listed = f"; objective {number} has {', '.join(current)}" if current else ""
    problems.append(Problem("actions", why + listed))
    return None


def formatted_amount(amount: Decimal | None, currency: str) -> str:
    """An amount as a reader reads it: `1,500,000.50 EUR`; "" when the pledge names none."""
    return "" if amount is None else f"{amount:,.2f} {currency}"


def find_need(
    session: Session,
    process: Process,
    data: PledgeData,
    objectives: list[Objective],
    problems: list[Problem],
) -> CapacityItem | None:
    """The published capacity need of another actor that the pledge answers, for one of the
    objectives the pledge names."""
    if data.answers is None:
        return None
    need = session.get(CapacityItem, data.answers)
    if (
        need is None
        or need.process_id != process.id
        or need.direction != "need"
        or not need.is_published
    ):
        problems.append(Problem("answers", f"no published capacity need {data.answers}"))
        return None
    if need.actor.code == data.actor.strip():
        problems.append(Problem("answers", "a pledge answers another actor's need"))
    if objectives and need.objective not in objectives:
        named = ", ".join(str(o.number) for o in objectives)
        problems.append(
            Problem(
                "answers",
                f"capacity need {need.id} is for objective {need.objective.number}; "
                f"the pledge names objective(s) {named}",
            )
        )
    return need
