"""The sentences of the items drafted from events, in the six languages.

Each function takes the event's plain facts (names, places, dates, figures) and gives, for each
language, a title and a body; the item is drafted in the process's language with the other five
as its translations, which the secretariat may edit. Names that have no translation (a meeting's
or a draft's title) stay as they were written."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from stocktake.core.translation import LANGUAGES, format_days, format_number

Texts = dict[str, tuple[str, str]]
"""For each language: (title, body)."""


def _n(number: int, language: str) -> str:
    return format_number(number, language)


def _plural(language: str, number: int, one: str, other: str) -> str:
    from babel import Locale  # loaded by what drafts news, not by every command

    return one if Locale.parse(language).plural_form(number) == "one" else other


def place(city: str, start: dt.date, end: dt.date, language: str) -> str:
    """Where and when, as the language writes it: "Puerto Vallarta, 4–6 Dec 2017"."""
    days = format_days(start, end, language)
    return f"{city}, {days}" if city else days


# ----------------------------------------------------------------- the Chair's summary

_FIGURES = {
    "en": (
        "delegation",
        "delegations",
        "participant",
        "participants",
        "non-governmental stakeholder",
        "non-governmental stakeholders",
    ),
    "fr": (
        "délégation",
        "délégations",
        "participant",
        "participants",
        "partie prenante non gouvernementale",
        "parties prenantes non gouvernementales",
    ),
    "es": (
        "delegación",
        "delegaciones",
        "participante",
        "participantes",
        "parte interesada no gubernamental",
        "partes interesadas no gubernamentales",
    ),
}
_FIGURES_COLON = {
    "ru": ("делегаций", "участников", "неправительственных заинтересованных сторон"),
    "ar": ("الوفود", "المشاركون", "أصحاب المصلحة غير الحكوميين"),
}


def participation(language: str, delegations: int, participants: int, stakeholders: int) -> str:
    """The figures of a meeting in running text: "136 delegations, 897 participants, …"."""
    counts = (delegations, participants, stakeholders)
    if language in _FIGURES:
        words = _FIGURES[language]
        return ", ".join(
            f"{_n(c, language)} {_plural(language, c, words[2 * i], words[2 * i + 1])}"
            for i, c in enumerate(counts)
        )
    if language in _FIGURES_COLON:
        separator = "، " if language == "ar" else ", "
        return separator.join(
            f"{w}: {_n(c, language)}" for w, c in zip(_FIGURES_COLON[language], counts, strict=True)
        )
    return (
        f"{_n(delegations, language)}个代表团、{_n(participants, language)}名与会者、"
        f"{_n(stakeholders, language)}个非政府利益攸关方"
    )


_SUMMARY = {
    "en": (
        "Chair's summary circulated",
        "The Chair's summary of the {meeting} ({place}) was circulated: {figures}.",
        "The Chair's summary was circulated.",
    ),
    "fr": (
        "Diffusion du résumé du Président",
        "Le résumé du Président ({meeting}, {place}) a été diffusé : {figures}.",
        "Le résumé du Président a été diffusé.",
    ),
    "es": (
        "Distribución del resumen de la Presidencia",
        "Se ha distribuido el resumen de la Presidencia ({meeting}, {place}): {figures}.",
        "Se ha distribuido el resumen de la Presidencia.",
    ),
    "ru": (
        "Распространено резюме Председателя",
        "Распространено резюме Председателя ({meeting}, {place}): {figures}.",
        "Распространено резюме Председателя.",
    ),
    "ar": (
        "تعميم موجز الرئيس",
        "عُمّم موجز الرئيس ({meeting}، {place}): {figures}.",
        "عُمّم موجز الرئيس.",
    ),
    "zh": (
        "主席摘要已分发",
        "主席摘要（{meeting}，{place}）已分发：{figures}。",
        "主席摘要已分发。",
    ),
}


@dataclass(frozen=True)
class MeetingFacts:
    names: dict[str, str]
    """The meeting's name in each language ("stocktaking meeting"); English where none."""
    city: str
    start: dt.date
    end: dt.date
    delegations: int
    participants: int
    stakeholders: int


def summary_circulated(meeting: MeetingFacts | None) -> Texts:
    texts: Texts = {}
    for language, (title, body, bare) in _SUMMARY.items():
        if meeting is None:
            texts[language] = (title, bare)
            continue
        name = meeting.names.get(language) or meeting.names.get("en", "")
        texts[language] = (
            title,
            body.format(
                meeting=name,
                place=place(meeting.city, meeting.start, meeting.end, language),
                figures=participation(
                    language, meeting.delegations, meeting.participants, meeting.stakeholders
                ),
            ),
        )
    return texts


# ----------------------------------------------------------------- revisions of a draft

# per language: (changed, added, deleted), each (first one/other, later one/other); {n} the count
_CHANGES: dict[str, tuple[tuple[str, str, str, str], ...]] = {
    "en": (
        ("{n} paragraph changed", "{n} paragraphs changed", "{n} changed", "{n} changed"),
        ("{n} paragraph added", "{n} paragraphs added", "{n} added", "{n} added"),
        ("{n} paragraph deleted", "{n} paragraphs deleted", "{n} deleted", "{n} deleted"),
    ),
    "fr": (
        ("{n} paragraphe modifié", "{n} paragraphes modifiés", "{n} modifié", "{n} modifiés"),
        ("{n} paragraphe ajouté", "{n} paragraphes ajoutés", "{n} ajouté", "{n} ajoutés"),
        ("{n} paragraphe supprimé", "{n} paragraphes supprimés", "{n} supprimé", "{n} supprimés"),
    ),
    "es": (
        ("{n} párrafo modificado", "{n} párrafos modificados", "{n} modificado", "{n} modificados"),
        ("{n} párrafo añadido", "{n} párrafos añadidos", "{n} añadido", "{n} añadidos"),
        ("{n} párrafo suprimido", "{n} párrafos suprimidos", "{n} suprimido", "{n} suprimidos"),
    ),
    "ru": (
        ("изменено пунктов: {n}",) * 2 + ("изменено: {n}",) * 2,
        ("добавлено пунктов: {n}",) * 2 + ("добавлено: {n}",) * 2,
        ("исключено пунктов: {n}",) * 2 + ("исключено: {n}",) * 2,
    ),
    "ar": (
        ("عدد الفقرات المعدلة: {n}",) * 2 + ("والمعدلة: {n}",) * 2,
        ("عدد الفقرات المضافة: {n}",) * 2 + ("والمضافة: {n}",) * 2,
        ("عدد الفقرات المحذوفة: {n}",) * 2 + ("والمحذوفة: {n}",) * 2,
    ),
    "zh": (
        ("修改{n}个段落",) * 2 + ("修改{n}个",) * 2,
        ("新增{n}个段落",) * 2 + ("新增{n}个",) * 2,
        ("删除{n}个段落",) * 2 + ("删除{n}个",) * 2,
    ),
}
_UNCHANGED = {
    "en": "no paragraph changed",
    "fr": "aucun paragraphe modifié",
    "es": "ningún párrafo modificado",
    "ru": "пункты не изменены",
    "ar": "لم تُعدَّل أي فقرة",
    "zh": "无段落修改",
}
_SEPARATOR = {"ar": "، ", "zh": "，"}


def changes(language: str, changed: int, added: int, deleted: int) -> str:
    """ "4 paragraphs changed, 1 added": the counts that are not zero, the first with its noun."""
    parts: list[str] = []
    for forms, count in zip(_CHANGES[language], (changed, added, deleted), strict=True):
        if not count:
            continue
        first_one, first_other, later_one, later_other = forms
        one, other = (later_one, later_other) if parts else (first_one, first_other)
        parts.append(_plural(language, count, one, other).format(n=_n(count, language)))
    return _SEPARATOR.get(language, ", ").join(parts) or _UNCHANGED[language]


_REVISION = {
    "en": ("{label} of the draft issued", "{label} of the draft was issued: {changes}."),
    "fr": (
        "Publication de la {label} du projet",
        "La {label} du projet a été publiée : {changes}.",
    ),
    "es": (
        "Publicación de la {label} del borrador",
        "Se ha publicado la {label} del borrador: {changes}.",
    ),
    "ru": ("Выпущен документ {label} проекта", "Выпущен документ {label} проекта: {changes}."),
    "ar": ("صدور الوثيقة {label} من المسودة", "صدرت الوثيقة {label} من المسودة: {changes}."),
    "zh": ("草案{label}已印发", "草案{label}已印发：{changes}。"),
}
_ZERO = {
    "en": ("Zero draft released", "The zero draft of “{draft}” was released: {paragraphs}."),
    "fr": (
        "Publication de l'avant-projet",
        "L'avant-projet de « {draft} » a été rendu public : {paragraphs}.",
    ),
    "es": (
        "Publicación del borrador cero",
        "Se ha hecho público el borrador cero de «{draft}»: {paragraphs}.",
    ),
    "ru": (
        "Опубликован нулевой проект",
        "Опубликован нулевой проект документа «{draft}»: {paragraphs}.",
    ),
    "ar": ("نشر المسودة صفر", "نُشرت المسودة صفر من «{draft}»: {paragraphs}."),
    "zh": ("零草案已公布", "《{draft}》零草案已公布：{paragraphs}。"),
}
_PARAGRAPHS = {
    "en": ("{n} paragraph", "{n} paragraphs"),
    "fr": ("{n} paragraphe", "{n} paragraphes"),
    "es": ("{n} párrafo", "{n} párrafos"),
    "ru": ("пунктов: {n}", "пунктов: {n}"),
    "ar": ("عدد الفقرات: {n}", "عدد الفقرات: {n}"),
    "zh": ("共{n}个段落", "共{n}个段落"),
}
_FINAL = {
    "en": ("Final text adopted", "The final text of “{draft}” was adopted: {changes}."),
    "fr": ("Adoption du texte final", "Le texte final de « {draft} » a été adopté : {changes}."),
    "es": ("Aprobación del texto final", "Se ha aprobado el texto final de «{draft}»: {changes}."),
    "ru": (
        "Принят окончательный текст",
        "Принят окончательный текст документа «{draft}»: {changes}.",
    ),
    "ar": ("اعتماد النص النهائي", "اعتُمد النص النهائي لـ«{draft}»: {changes}."),
    "zh": ("最后案文获得通过", "《{draft}》最后案文获得通过：{changes}。"),
}


@dataclass(frozen=True)
class RevisionFacts:
    draft: str
    label: str
    number: int
    final: bool
    paragraphs: int
    changed: int
    added: int
    deleted: int


def revision_issued(facts: RevisionFacts) -> Texts:
    texts: Texts = {}
    for language in LANGUAGES:
        if facts.final:
            title, body = _FINAL[language]
        elif facts.number == 0:
            title, body = _ZERO[language]
        else:
            title, body = _REVISION[language]
        one, other = _PARAGRAPHS[language]
        values = {
            "draft": facts.draft,
            "label": facts.label,
            "changes": changes(language, facts.changed, facts.added, facts.deleted),
            "paragraphs": _plural(language, facts.paragraphs, one, other).format(
                n=_n(facts.paragraphs, language)
            ),
        }
        texts[language] = (title.format(**values), body.format(**values))
    return texts


# ----------------------------------------------------------------- meetings and review cycles

_MEETING = {
    "added": {
        "en": ("Meeting announced: {title}", "{title} ({place}) was added to the calendar."),
        "fr": (
            "Nouvelle réunion : {title}",
            "La réunion « {title} » ({place}) a été inscrite au calendrier.",
        ),
        "es": (
            "Nueva reunión: {title}",
            "La reunión «{title}» ({place}) se ha incluido en el calendario.",
        ),
        "ru": ("Новое совещание: {title}", "Совещание «{title}» ({place}) включено в календарь."),
        "ar": ("اجتماع جديد: {title}", "أُدرج اجتماع «{title}» ({place}) في الجدول الزمني."),
        "zh": ("新会议：{title}", "“{title}”（{place}）已列入日程。"),
    },
    "changed": {
        "en": ("Meeting changed: {title}", "{title} was changed: now {place}."),
        "fr": ("Réunion modifiée : {title}", "La réunion « {title} » a été modifiée : {place}."),
        "es": ("Reunión modificada: {title}", "Se ha modificado la reunión «{title}»: {place}."),
        "ru": (
            "Изменения в совещании: {title}",
            "В совещание «{title}» внесены изменения: {place}.",
        ),
        "ar": ("تعديل اجتماع: {title}", "عُدّل اجتماع «{title}»: {place}."),
        "zh": ("会议变更：{title}", "“{title}”已变更：{place}。"),
    },
    "cancelled": {
        "en": ("Meeting cancelled: {title}", "{title} ({place}) was cancelled."),
        "fr": ("Réunion annulée : {title}", "La réunion « {title} » ({place}) a été annulée."),
        "es": ("Reunión cancelada: {title}", "Se ha cancelado la reunión «{title}» ({place})."),
        "ru": ("Совещание отменено: {title}", "Совещание «{title}» ({place}) отменено."),
        "ar": ("إلغاء اجتماع: {title}", "أُلغي اجتماع «{title}» ({place})."),
        "zh": ("会议取消：{title}", "“{title}”（{place}）已取消。"),
    },
}
MEETING_EVENTS = tuple(_MEETING)


def meeting_event(event: str, title: str, city: str, start: dt.date, end: dt.date) -> Texts:
    """A meeting "added", "changed" or "cancelled"."""
    return {
        language: (
            head.format(title=title),
            body.format(title=title, place=place(city, start, end, language)),
        )
        for language, (head, body) in _MEETING[event].items()
    }


_CYCLE = {
    "en": ("Review cycle opened: {title}", "The review cycle {title} opened ({dates})."),
    "fr": (
        "Ouverture du cycle d'examen : {title}",
        "Le cycle d'examen « {title} » est ouvert ({dates}).",
    ),
    "es": (
        "Apertura del ciclo de examen: {title}",
        "Se ha abierto el ciclo de examen «{title}» ({dates}).",
    ),
    "ru": ("Начат цикл обзора: {title}", "Начат цикл обзора «{title}» ({dates})."),
    "ar": ("بدء دورة الاستعراض: {title}", "بدأت دورة الاستعراض «{title}» ({dates})."),
    "zh": ("审查周期启动：{title}", "审查周期“{title}”已启动（{dates}）。"),
}


def cycle_opened(title: str, start: dt.date, end: dt.date) -> Texts:
    return {
        language: (
            head.format(title=title),
            body.format(title=title, dates=format_days(start, end, language)),
        )
        for language, (head, body) in _CYCLE.items()
    }
