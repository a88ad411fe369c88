"""The report's short narrative: generated from its figures ("32 pledges by 18 States and 9
stakeholders; 12 indicators with data since 2015, 7 on track"), kept and edited by the secretariat.
A kept narrative stays as it was kept; generating it again never replaces an edit unless the
secretariat says so."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from sqlalchemy.orm import Session

from stocktake.audit.events import AuditAction
from stocktake.audit.services import record_event
from stocktake.core.db import transaction, utcnow
from stocktake.core.errors import Conflict, Problem, ValidationFailed
from stocktake.core.permissions import Permission, Principal, require
from stocktake.core.translation import (
    DEFAULT_LANGUAGE,
    LANGUAGES,
    RIGHT_TO_LEFT_LANGUAGES,
    Counted,
    Text,
    catalog,
    format_number,
    isolated,
    translatable,
    translatable_plural,
)
from stocktake.process.models import Process
from stocktake.review.models import ReviewCycle
from stocktake.review.services.cycles import scope_name
from stocktake.review.services.pledges import formatted_amount
from stocktake.review.services.report.build import Figures, build_cycle_report

NARRATIVE_MAX = 5000


# The narrative's words, each a whole phrase with its figures, in the catalogs (`review` area): a
# phrase a language orders differently moves its figures with it.
_PLEDGES = translatable_plural("%(num)s pledge", "%(num)s pledges")
_STATES = translatable_plural("%(num)s State", "%(num)s States")
_STAKEHOLDERS = translatable_plural("%(num)s stakeholder", "%(num)s stakeholders")
_INDICATORS = translatable_plural("%(num)s indicator", "%(num)s indicators")
_COUNTRIES = translatable_plural("%(num)s country", "%(num)s countries")
_ASSESSMENTS = translatable_plural("%(num)s assessment", "%(num)s assessments")
_PRACTICES = translatable_plural("%(num)s practice", "%(num)s practices")
_NEEDS = translatable_plural("%(num)s capacity need", "%(num)s capacity needs")
_BY = translatable("%(pledges)s by %(states)s and %(stakeholders)s")
_BY_ONE = translatable("%(pledges)s by %(makers)s")
_NO_PLEDGES = translatable("no pledges yet")
_PLEDGING = translatable("%(pledges)s, pledging %(amounts)s")
_WITH_DATA = translatable("%(indicators)s with data")
_IN = translatable("%(data)s in %(countries)s")
_SINCE = translatable("%(data)s since %(year)s")
_LATEST = translatable("%(data)s (latest %(year)s)")
_ON_TRACK_BY_COUNTRY = translatable("%(data)s; of %(assessments)s by country, %(num)s on track")
_ON_TRACK = translatable("%(data)s, %(num)s on track")
_DETERIORATING = translatable("%(data)s and %(num)s deteriorating")
_NO_DATA = translatable("no indicator with data yet")
_FIRST_IN_PLACE = translatable("%(title)s (%(place)s): %(pledges)s; %(data)s.")
_FIRST = translatable("%(title)s: %(pledges)s; %(data)s.")
_SECOND = translatable(
    "%(practices)s shared; %(needs)s, %(matched)s matched with offers and %(answered)s "
    "answered by pledges."
)
_SECOND_NO_PRACTICES = translatable(
    "No practices shared yet; %(needs)s, %(matched)s matched with offers and %(answered)s "
    "answered by pledges."
)
_SECOND_NO_NEEDS = translatable("%(practices)s shared; no capacity needs yet.")
_SECOND_NONE = translatable("No practices shared and no capacity needs yet.")


def written_amount(amount: Decimal, currency: str, language: str) -> str:
    """An amount as the language writes it, with its currency's code: "480,000.00 USD",
    "480 000,00 USD"."""
    from babel.numbers import format_decimal

    return f"{format_decimal(amount, format='#,##0.00', locale=language)} {currency}"


class _Words:
    """The narrative's phrases in one language, its numbers and lists written its way."""

    def __init__(self, language: str) -> None:
        self.language = language if language in LANGUAGES else DEFAULT_LANGUAGE
        self.english = self.language == DEFAULT_LANGUAGE

    def number(self, n: int) -> str:
        return f"{n:,}" if self.english else format_number(n, self.language)

    def count(self, forms: tuple[str, str], n: int) -> str:
        if self.english:
            text = forms[0] if n == 1 else forms[1]
        else:
            text = catalog(self.language).ngettext(forms[0], forms[1], n)
        return text % {"num": self.number(n)}

    def say(self, message: str, **values: object) -> str:
        text = message if self.english else catalog(self.language).gettext(message)
        return text % values

    def listed(self, parts: list[str]) -> str:
        if self.english:
            return parts[0] if len(parts) == 1 else ", ".join(parts[:-1]) + " and " + parts[-1]
        from babel.lists import format_list

        return format_list(parts, locale=self.language)

    def amount(self, amount: Decimal, currency: str) -> str:
        if self.english:
            return formatted_amount(amount, currency)
        return self.set_apart(written_amount(amount, currency, self.language))

    def set_apart(self, text: str) -> str:
        """A name or an amount in Latin letters, isolated in a right-to-left sentence (Arabic), so
        that its brackets and the punctuation after it stay where they are written."""
        return isolated(text) if self.language in RIGHT_TO_LEFT_LANGUAGES and text else text


def generate_narrative(cycle: ReviewCycle, figures: Figures, language: str = "en") -> str:
    """A few sentences of the report's figures, in plain words, in `language`."""
    f, w = figures, _Words(language)
    place, title = w.set_apart(scope_name(cycle, w.language)), w.set_apart(cycle.title)
    pledges = _pledges(f, w)
    if f.amounts and f.pledges:
        amounts = w.listed([w.amount(v, c) for c, v in f.amounts.items()])
        pledges = w.say(_PLEDGING, pledges=pledges, amounts=amounts)
    if f.indicators:
        data = w.say(_WITH_DATA, indicators=w.count(_INDICATORS, f.indicators))
        if f.countries > 1:
            data = w.say(_IN, data=data, countries=w.count(_COUNTRIES, f.countries))
        if f.since is not None:
            data = w.say(_SINCE, data=data, year=f.since)
        if f.latest is not None and f.latest != f.since:
            data = w.say(_LATEST, data=data, year=f.latest)
        if f.countries > 1:
            data = w.say(
                _ON_TRACK_BY_COUNTRY,
                data=data,
                assessments=w.count(_ASSESSMENTS, f.assessed),
                num=w.number(f.on_track),
            )
        else:
            data = w.say(_ON_TRACK, data=data, num=w.number(f.on_track))
        if f.deteriorating:
            data = w.say(_DETERIORATING, data=data, num=w.number(f.deteriorating))
    else:
        data = w.say(_NO_DATA)
    first = (
        w.say(_FIRST_IN_PLACE, title=title, place=place, pledges=pledges, data=data)
        if place
        else w.say(_FIRST, title=title, pledges=pledges, data=data)
    )
    second = _second(f, w)
    between = "" if w.language == "zh" else " "  # Chinese sets no space after a full stop
    return f"{first}{between}{second}"


def _pledges(f: Figures, w: _Words) -> str:
    """Who pledged, naming only those who did: "4 pledges by 3 States", never "by 0 stakeholders";
    "no pledges yet" rather than "0 pledges by 0 States"."""
    if not f.pledges:
        return w.say(_NO_PLEDGES)
    makers = [
        w.count(forms, n)
        for forms, n in ((_STATES, f.states), (_STAKEHOLDERS, f.stakeholders))
        if n
    ]
    pledges = w.count(_PLEDGES, f.pledges)
    if len(makers) == 2:
        return w.say(_BY, pledges=pledges, states=makers[0], stakeholders=makers[1])
    return w.say(_BY_ONE, pledges=pledges, makers=makers[0]) if makers else pledges


def _second(f: Figures, w: _Words) -> str:
    """The practices and the capacity needs, or that there are none yet."""
    if not f.practices and not f.needs:
        return w.say(_SECOND_NONE)
    if not f.needs:
        return w.say(_SECOND_NO_NEEDS, practices=w.count(_PRACTICES, f.practices))
    needs = {
        "needs": w.count(_NEEDS, f.needs),
        "matched": w.number(f.needs_matched),
        "answered": w.number(f.needs_answered),
    }
    if not f.practices:
        return w.say(_SECOND_NO_PRACTICES, **needs)
    return w.say(_SECOND, practices=w.count(_PRACTICES, f.practices), **needs)


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


def narrative_of(cycle: ReviewCycle, figures: Figures, language: str = "en") -> Narrative:
    """The narrative for a reader of `language`: a draft is generated in their language; a kept
    one is shown as it was kept, and compared with today's figures in the language it was
    generated in (the reader's, for an edited one)."""
    generated = generate_narrative(cycle, figures, language)
    if not cycle.narrative:
        return Narrative(generated, "draft", generated)
    if not cycle.narrative_edited and cycle.narrative != generated:
        for other in LANGUAGES:
            in_other = generate_narrative(cycle, figures, other)
            if in_other == cycle.narrative:
                generated = in_other
                break
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
                        num=Counted(len(body)),
                        most=Counted(NARRATIVE_MAX),
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
    language: str = "en",
) -> str:
    """Generate the narrative from today's figures, in `language`, and keep it. An edited narrative is replaced
    only when the caller says so (`replace_edit`); otherwise it is refused (409), naming when the
    edit was made — checked again inside the write, so an edit kept meanwhile is not lost."""
    require(by, Permission.REVIEW_MANAGE)
    if not replace_edit:
        _refuse_over_an_edit(cycle)
    text = generate_narrative(cycle, build_cycle_report(session, process, cycle).figures, language)
    _store(session, cycle, text, edited=False, replace_edit=replace_edit, by=by)
    return text
