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
from stocktake.core.translation import Counted, Text, translatable
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

SUBMITTED = translatable("Pledge submitted")
NOTES = {SUBMITTED: SUBMITTED}
"""The notes stocktake itself writes in a pledge's history (stored in English, as the API gives
them), by the note: the pages show them in the reader's language; any other note is the words of
whoever reported the status, shown as written."""


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
    unread: list[Problem] = field(default_factory=list)
    """What a form could not read (an amount not written as its page writes numbers), refused
    with the rest."""


def no_objective(number: int) -> Text:
    """What is said of an objective number the frame does not hold."""
    return Text("objective %(number)s does not exist", number=number)


def choice(value: str, allowed: dict[str, str], name: str, problems: list[Problem]) -> None:
    if value not in allowed:
        problems.append(
            Problem(
                name,
                Text(
                    "%(value)r is not one of %(allowed)s", value=value, allowed=", ".join(allowed)
                ),
            )
        )


def check_pledge(data: PledgeData, problems: list[Problem]) -> None:
    problems.extend(data.unread)
    choice(data.kind, KINDS, "kind", problems)
    choice(data.level, LEVELS, "level", problems)
    choice(data.mode, MODES, "mode", problems)
    choice(data.status, STATUSES, "status", problems)
    if not data.title.strip():
        problems.append(Problem("title", Text("is empty")))
    elif len(data.title) > 300:
        problems.append(Problem("title", Text("is longer than 300 characters")))
    length = len(data.description.strip())
    if not DESCRIPTION_MIN <= length <= DESCRIPTION_MAX:
        problems.append(
            Problem(
                "description",
                Text(
                    "has %(num)s characters; a pledge is described in %(low)s–%(high)s",
                    num=length,
                    low=DESCRIPTION_MIN,
                    high=Counted(DESCRIPTION_MAX),
                ),
            )
        )
    if not data.objectives:
        problems.append(Problem("objectives", Text("name at least one objective")))
    if not 1990 <= data.start_year <= data.end_year <= 2100:
        problems.append(
            Problem("end_year", Text("the timeframe must run forward, between 1990 and 2100"))
        )
    _check_amount(data, problems)
    if data.mode == "joint" and not data.partners:
        problems.append(Problem("partners", Text("a joint pledge names its partners")))
    if data.mode == "matching" and data.matches is None:
        problems.append(Problem("matches", Text("a matching pledge names the pledge it matches")))


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
            Problem(
                "currency",
                Text(
                    "%(currency)r is not an ISO 4217 currency code, e.g. USD, EUR",
                    currency=currency,
                ),
            )
        )
    if data.amount is None:
        if currency and not any(p.where == "amount" for p in data.unread):
            problems.append(Problem("amount", Text("a currency comes with an amount")))
        return
    if not data.amount.is_finite() or not 0 < data.amount < AMOUNT_MAX:
        problems.append(Problem("amount", Text("must be more than 0 and less than 10^16")))
    elif data.amount != data.amount.quantize(CENTS):
        problems.append(Problem("amount", Text("has more than two decimal places")))
    if not currency:
        problems.append(Problem("currency", Text("an amount names its currency, e.g. USD")))


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
            problems.append(Problem("objectives", no_objective(number)))
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
            Problem(
                "actions",
                Text("%(raw)r is not an action; write objective(letter), e.g. 20(b)", raw=raw),
            )
        )
        return None
    number, letter = ref
    objective = found.get(number)
    if objective is None:
        problems.append(Problem("actions", no_objective(number)))
        return None
    letters = {a.letter.lower(): a for a in objective.actions}
    action = letters.get(letter)
    if action is not None and not action.retired:
        return action
    current = [a.ref for a in objective.actions if not a.retired]
    if action is not None:
        why = Text("action %(action)s is retired from the frame", action=action.ref)
    elif not current:
        why = Text("the frame lists no actions for objective %(number)s", number=number)
    else:
        wanted = "".join((str(number), "(", letter, ")"))
        why = Text("action %(action)s does not exist", action=wanted)
    if current:
        why = Text(
            "%(why)s; objective %(number)s has %(actions)s",
            why=why,
            number=number,
            actions=", ".join(current),
        )
    problems.append(Problem("actions", why))
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
        problems.append(
            Problem("answers", Text("no published capacity need %(need)s", need=data.answers))
        )
        return None
    if need.actor.code == data.actor.strip():
        problems.append(Problem("answers", Text("a pledge answers another actor's need")))
    if objectives and need.objective not in objectives:
        named = ", ".join(str(o.number) for o in objectives)
        problems.append(
            Problem(
                "answers",
                Text(
                    "capacity need %(need)s is for objective %(objective)s; "
                    "the pledge names objective(s) %(named)s",
                    need=need.id,
                    objective=need.objective.number,
                    named=named,
                ),
            )
        )
    return need
