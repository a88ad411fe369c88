"""An input's words as a statement quotes them: without the lead-in that frames a proposal ("We
recommend:", "We call on States to") and without boilerplate, the sentences that recur across
inputs of different ideas ("This is essential for the 2030 Agenda…")."""

from __future__ import annotations

import re
from collections.abc import Iterable

from stocktake.core.markdown import escape_markdown

_LABEL_LEAD = re.compile(
    r"^(?:proposal|recommendation|we recommend|we propose|we suggest|we urge|our proposal|"
    r"proposition|recommandation|nous recommandons|nous proposons|propuesta|recomendación|"
    r"recomendamos|proponemos|предложение|рекомендация|建议|提案|اقتراح|توصية)\s*[:：]\s*",
    re.IGNORECASE,
)
_STATES = r"(?:(?:all\s+)?(?:member\s+)?states|governments|the\s+international\s+community)"
_LEADS = (
    re.compile(
        r"^we(?:\s*,[^,]{1,80},)?\s+(?:(?:strongly|therefore|also)\s+)?"
        r"(?:recommend|propose|suggest|urge|call\s+(?:on|upon)|ask|request|encourage|invite)"
        rf"(?:\s+(?:that\s+)?{_STATES})?(?:\s+to)?\s+",
        re.IGNORECASE,
    ),
    re.compile(
        r"^nous(?:\s*,[^,]{1,80},)?\s+(?:recommandons|proposons|demandons|appelons|exhortons|"
        r"invitons|encourageons)(?:\s+(?:aux|les)\s+(?:États|gouvernements))?\s+(?:de\s+|d'|à\s+)",
        re.IGNORECASE,
    ),
    re.compile(
        r"^(?:nosotros(?:\s*,[^,]{1,80},)?\s+)?(?:recomendamos|proponemos|pedimos|instamos|"
        r"exhortamos|solicitamos|alentamos)(?:\s+a\s+los\s+(?:Estados|gobiernos))?\s+(?:a\s+)?"
        r"(?=\w+r\b)",
        re.IGNORECASE,
    ),
)
_SENTENCE = re.compile(r"(?<=[.!?。！？])\s+|(?<=[。！？])")
_WORDS = re.compile(r"\w+")


def sentences(text: str) -> list[str]:
    return [s for s in _SENTENCE.split(" ".join(text.split())) if s.strip()]


def sentence_key(sentence: str) -> str:
    """A sentence as compared across inputs: its words, lower case."""
    return " ".join(_WORDS.findall(sentence.casefold()))


def boilerplate(texts_by_idea: Iterable[tuple[int, str]], ideas: int = 3) -> set[str]:
    """The sentences (as `sentence_key`s) found in inputs of at least `ideas` different ideas."""
    seen: dict[str, set[int]] = {}
    for idea, text in texts_by_idea:
        for sentence in sentences(text):
            key = sentence_key(sentence)
            if len(key.split()) >= 4:
                seen.setdefault(key, set()).add(idea)
    return {key for key, where in seen.items() if len(where) >= ideas}


def without_lead_in(text: str) -> str:
    """The proposal without the words that announce it; its first letter made a capital."""
    stripped = _LABEL_LEAD.sub("", text, count=1)
    for lead in _LEADS:
        cut = lead.sub("", stripped, count=1)
        if cut != stripped and lead.pattern.endswith(r"(?:\s+to)?\s+"):
            cut = cut.replace(" and to ", " and ", 1)  # "ask States to end … and to provide …"
        stripped = cut
    if not stripped.strip():
        return text
    return stripped[0].upper() + stripped[1:]


def _opening(text: str, common: set[str]) -> str:
    """An input's sentences less boilerplate and lead-in: the first one (two when the first is
    short)."""
    kept = [s for s in sentences(text) if sentence_key(s) not in common] or sentences(text)
    if not kept:
        return ""
    chosen = [without_lead_in(kept[0])]
    if len(chosen[0].split()) < 8 and len(kept) > 1:
        chosen.append(kept[1])
    return " ".join(chosen)


def proposal(text: str, common: set[str], limit: int = 300) -> str:
    """What a statement quotes of an input: its opening sentence (see `_opening`), cut at a word
    past `limit` characters; as plain text."""
    return shortened(_opening(text, common), limit)


def related(text: str, common: set[str], limit: int = 200) -> str:
    """What a statement quotes of a related proposal: its opening sentence whole; one longer than
    `limit` characters ends where its last clause within them ends, as a zero draft's heading
    does (`clause_end`). A related proposal is never cut inside a clause, nor ends in "…"."""
    return clause_end(_opening(text, common), limit)


_CLAUSE_MARK = re.compile(r"[,;:،؛](?=\s)|[，；：、]")
_CLAUSE_WORDS = re.compile(
    r"\s(?=(?:so that|in order|through|including|without|while|where|which|regardless|by|[–—])\s)"
)
_DANGLING_WORDS = frozenset({"a", "an", "the", "that", "so", "of", "or", "to", "and", "with"})
_MIN_CLAUSE_WORDS = 4
_MIN_CLAUSE_CHARACTERS = 6  # a clause of Chinese, written without spaces


def clause_end(text: str, limit: int) -> str:
    """The text when it fits in `limit` characters; else its opening up to the last clause
    boundary within them (a comma, a semicolon, a colon; in English also before "through",
    "including", "so that"…) that keeps at least four words, without the punctuation; else the
    whole text: never a phrase cut in the middle."""
    text = text.strip().rstrip(".。")
    if len(text) <= limit:
        return text
    cuts = [m.start() for m in _CLAUSE_MARK.finditer(text, 0, limit)]
    cuts += [m.start() for m in _CLAUSE_WORDS.finditer(text, 0, limit)]
    for cut in sorted(cuts, reverse=True):
        head = text[:cut].rstrip(" ,;:،؛，；：、–—")
        words = head.split()
        if not words or words[-1].casefold() in _DANGLING_WORDS:
            continue
        if len(words) >= _MIN_CLAUSE_WORDS or (
            len(words) == 1 and len(head) >= _MIN_CLAUSE_CHARACTERS
        ):
            return head
    return text


_CLAUSE = re.compile(r"[,;:，；、،]\s")
_SHORT_WORD = re.compile(r"\s+\w{1,3}$")


def shortened(text: str, limit: int) -> str:
    """The text when it fits in `limit` characters; else cut at the last clause that ends within it
    (a comma, a semicolon) when that keeps a third of it, else at a word with short trailing words
    ("of", "de", "the") dropped, so that it never ends on a dangling word; "…" marks the cut."""
    if len(text) <= limit:
        return text
    head = text[: limit - 1]
    clauses = [m.start() for m in _CLAUSE.finditer(head) if m.start() >= limit // 3]
    if clauses:
        cut = head[: clauses[-1]]
    else:
        cut = head.rsplit(" ", 1)[0] if " " in head else head
        while _SHORT_WORD.search(cut) and len(cut) > limit // 2:
            cut = _SHORT_WORD.sub("", cut)
    return cut.rstrip(" ,;:-–") + "…"


def quote(text: str) -> str:
    """Plain text as Markdown text: whitespace collapsed, Markdown escaped."""
    return escape_markdown(" ".join(text.split()))
