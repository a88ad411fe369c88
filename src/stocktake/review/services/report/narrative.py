"""The report's short narrative: generated from its figures ("32 pledges by 18 States and 9
stakeholders; 12 indicators with data since 2015, 7 on track"), kept and edited by the secretariat.
A kept narrative stays as it was kept; generating it again never replaces an edit unless the
secretariat says so."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy.orm import Session

from stocktake.audit.events import AuditAction
from stocktake.audit.services import record_event
from stocktake.core.db import transaction, utcnow
from stocktake.core.errors import Conflict, Problem, ValidationFailed
from stocktake.core.permissions import Permission, Principal, require
from stocktake.core.translation import Text
from stocktake.process.models import Process
from stocktake.review.models import ReviewCycle
from stocktake.review.services.cycles import scope_name
from stocktake.review.services.pledges import formatted_amount
from stocktake.review.services.report.build import Figures, build_cycle_report

NARRATIVE_MAX = 5000


def _count(n: int, one: str, many: str | None = None) -> str:
    return f"{n:,} {one if n == 1 else (many or one + 's')}"


def _joined(parts: list[str]) -> str:
    return parts[0] if len(parts) == 1 else ", ".join(parts[:-1]) + " and " + parts[-1]


def generate_narrative(cycle: ReviewCycle, figures: Figures) -> str:
    """A few sentences of the report's figures, in plain words."""
    f = figures
    place = scope_name(cycle)
    pledges = (
        f"{_count(f.pledges, 'pledge')} by {_count(f.states, 'State')} and "
        f"{_count(f.stakeholders, 'stakeholder')}"
    )
    if f.amounts:
        pledges += ", pledging " + _joined([formatted_amount(v, c) for c, v in f.amounts.items()])
    if f.indicators:
        spread = f" in {_count(f.countries, 'country', 'countries')}" if f.countries > 1 else ""
        span = f" since {f.since}" if f.since is not None else ""
        data = f"{_count(f.indicators, 'indicator')} with data{spread}{span}"
        if f.latest is not None and f.latest != f.since:
            data += f" (latest {f.latest})"
        if f.countries > 1:
            data += f"; of {_count(f.assessed, 'assessment')} by country, {f.on_track:,} on track"
        else:
            data += f", {f.on_track:,} on track"
        if f.deteriorating:
            data += f" and {f.deteriorating:,} deteriorating"
    else:
        data = "no indicator with data yet"
    sentences = [
        f"{cycle.title}{f' ({place})' if place else ''}: {pledges}; {data}.",
        f"{_count(f.practices, 'practice')} shared; {_count(f.needs, 'capacity need')}, "
        f"{f.needs_matched:,} matched with offers and {f.needs_answered:,} answered by pledges.",
    ]
    return " ".join(sentences)


@dataclass
class Narrative:
    """The narrative the report shows and where it comes from: `kept` (stored, as generated),
    `edited` (stored, edited by the secretariat) or `draft` (generated now, not yet kept).
    `generated` is the text the figures give today; a kept text that differs is `outdated`."""

    text: str
    state: str
    generated: str

    @property
    def outdated(self) -> bool:
        return self.state != "draft" and self.text != self.generated


def narrative_of(cycle: ReviewCycle, figures: Figures) -> Narrative:
    generated = generate_narrative(cycle, figures)
    if not cycle.narrative:
        return Narrative(generated, "draft", generated)
    return Narrative(cycle.narrative, "edited" if cycle.narrative_edited else "kept", generated)


def _refuse_over_an_edit(cycle: ReviewCycle) -> None:
    if cycle.narrative_edited and cycle.narrative:
        when = cycle.narrative_updated_at
        raise Conflict(
            Text(
                "the narrative was edited on %(day)s; generating it again would replace the "
                "edit: confirm that it may",
                day=when.strftime("%d %B %Y"),
            )
            if when
            else Text(
                "the narrative was edited; generating it again would replace the edit: "
                "confirm that it may"
            )
        )


def _store(
    session: Session,
    cycle: ReviewCycle,
    text: str,
    *,
    edited: bool,
    replace_edit: bool,
    by: Principal,
) -> None:
    with transaction(session):
        # as it is now, inside the write: an edit kept a moment ago is not replaced unasked
        session.refresh(
            cycle, ["narrative", "narrative_edited", "narrative_updated_at"], with_for_update=True
        )
        if not edited and not replace_edit:
            _refuse_over_an_edit(cycle)
        replaced = cycle.narrative_edited and bool(cycle.narrative)
        cycle.narrative = text
        cycle.narrative_edited = edited
        cycle.narrative_updated_at = utcnow()
        cycle.narrative_updated_by_id = by.user_id
        record_event(
            session,
            by=by,
            action=AuditAction.REPORT_NARRATIVE_SAVED,
            target_type="review_cycle",
            target_key=cycle.slug,
            summary="narrative edited" if edited else "narrative generated from the figures",
            changes={"edited": edited, "replaced_edit": replaced and not edited, "text": text},
        )


def save_narrative(session: Session, cycle: ReviewCycle, text: str, *, by: Principal) -> None:
    """The secretariat's own wording of the narrative, kept as edited."""
    require(by, Permission.REVIEW_MANAGE)
    body = text.strip()
    if not body:
        raise ValidationFailed("narrative", [Problem("text", Text("is empty"))])
    if len(body) > NARRATIVE_MAX:
        raise ValidationFailed(
            "narrative",
            [
                Problem(
                    "text",
                    Text(
                        "has %(num)s characters; at most %(most)s",
                        num=format(len(body), ","),
                        most=format(NARRATIVE_MAX, ","),
                    ),
                )
            ],
        )
    _store(session, cycle, body, edited=True, replace_edit=True, by=by)


def regenerate_narrative(
    session: Session,
    process: Process,
    cycle: ReviewCycle,
    *,
    by: Principal,
    replace_edit: bool = False,
) -> str:
    """Generate the narrative from today's figures and keep it. An edited narrative is replaced
    only when the caller says so (`replace_edit`); otherwise it is refused (409), naming when the
    edit was made — checked again inside the write, so an edit kept meanwhile is not lost."""
    require(by, Permission.REVIEW_MANAGE)
    if not replace_edit:
        _refuse_over_an_edit(cycle)
    text = generate_narrative(cycle, build_cycle_report(session, process, cycle).figures)
    _store(session, cycle, text, edited=False, replace_edit=replace_edit, by=by)
    return text
