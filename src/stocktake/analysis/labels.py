"""Labels people can read and the input that speaks for a group.

A label is a contiguous phrase from an input: its title, or the opening clause of its first sentence
(cut at a comma, semicolon, colon or dash when enough words come before it), shortened with an
ellipsis when long, never on a dangling word. Words are never taken out of the middle of a phrase. The input
that speaks for an idea or a theme is the one closest to its centre among those in the summary's
language, when there is one; otherwise the closest of all (and the summary marks its language)."""

from __future__ import annotations

import re
from collections.abc import Sequence

import numpy as np

from stocktake.analysis.text import terms

MAX_WORDS = 12
MIN_CLAUSE_WORDS = 4
DANGLING_WORDS = 3
"""A shortened label ends at a comma when no more than this many words follow it."""
_SENTENCE_END = re.compile(r"(?<=[.!?])\s+|[。！？]|\n")
_CLAUSE_END = re.compile(r"\s*(?:[;:]|\s[–—-]\s|؛|；|：)\s*")


def sentences(text: str) -> list[str]:
    return [" ".join(part.split()) for part in _SENTENCE_END.split(text.strip()) if part.strip()]


def core_sentence(text: str, copies: Sequence[str] = ()) -> str:
    """The sentence of `text` that its copies share: a campaign's framing sentences differ from copy
    to copy, what it proposes does not (of the sentences most copies share, the longest: a shared
    closing formula is short). Without copies, the first sentence."""
    own = sentences(text)
    if not own:
        return ""
    if len(own) == 1 or not copies:
        return own[0]
    # a sentence counts for a copy holding most of its content words
    bags = [set(terms(copy)) for copy in copies[:50]]
    counts = []
    for sentence in own:
        words = set(terms(sentence))
        counts.append(
            sum(1 for bag in bags if len(words & bag) >= 0.7 * len(words)) if words else 0
        )
    top = max(counts)
    shared = [s for s, count in zip(own, counts, strict=True) if count >= top / 2]
    return max(shared, key=len)


def label_of(
    text: str, title: str = "", copies: Sequence[str] = (), max_words: int = MAX_WORDS
) -> str:
    """A contiguous phrase naming the text: its title, or the opening clause of its core sentence."""
    if title.strip():
        return _shorten(" ".join(title.split()), max_words)
    sentence = _without_lead_in(core_sentence(text, copies))
    position = 0
    for match in _CLAUSE_END.finditer(sentence):
        head = sentence[: match.start()]
        if len(head.split()) >= MIN_CLAUSE_WORDS or _is_cjk(head):
            position = match.start()
            break
    clause = sentence[:position] if position else sentence
    return _shorten(clause.rstrip(" .!?。"), max_words)


def _without_lead_in(sentence: str) -> str:
    """The sentence without a short lead-in ending in a colon ("We recommend: …")."""
    head, colon, rest = sentence.partition(":")
    rest = rest.strip()
    if (
        colon
        and len(head.split()) <= 8
        and len(rest.split()) >= MIN_CLAUSE_WORDS
        and rest[0].isupper()
    ):
        return rest
    return sentence


def _is_cjk(text: str) -> bool:
    return any("\u3400" <= c <= "\u9fff" for c in text) and len(text) >= MIN_CLAUSE_WORDS * 2


def _shorten(phrase: str, max_words: int) -> str:
    """The phrase within `max_words` words, never ending on a clause barely begun ("…, matched
    to…") or on a short word that leads to the next ("… and the…", "… holds a…")."""
    words = phrase.split()
    if len(words) == 1 and len(phrase) > 60:  # a script without spaces
        return phrase[:40] + "…"
    if len(words) <= max_words:
        return phrase
    kept = words[:max_words]
    commas = [n for n, word in enumerate(kept[:-1]) if word.endswith(",")]
    if commas and max_words - 1 - commas[-1] <= DANGLING_WORDS and commas[-1] >= MIN_CLAUSE_WORDS:
        kept = kept[: commas[-1] + 1]
    while len(kept) > MIN_CLAUSE_WORDS and _leads_on(kept[-1]):
        kept.pop()
    return " ".join(kept).rstrip(",;:") + "…"


def _leads_on(word: str) -> bool:
    """A short lower-case word that leads to the next ("the", "of", "and", "de", "la")."""
    return len(word) <= 3 and word.isalpha() and word.islower()


def speaker(
    features: np.ndarray,
    members: Sequence[int],
    languages: Sequence[str],
    language: str,
    limit: int = 5000,
) -> int:
    """The member closest to the centre of `members` (rows of `features`), preferring those whose
    language (`languages`, aligned with `members`) is the summary's."""
    if len(members) == 1:
        return members[0]
    block = features[list(members[:limit])]
    order = np.argsort(-(block @ block.mean(axis=0)), kind="stable")
    for position in order:
        if languages[int(position)] == language:
            return members[int(position)]
    return members[int(order[0])]
