"""Tokens for every script: words for scripts that separate words, character pairs for Chinese,
Japanese and Korean."""

from __future__ import annotations

import functools
import itertools
import re
import unicodedata
from collections.abc import Iterator

_WORD = re.compile(r"\w+", re.UNICODE)
_CJK = re.compile(r"[\u3040-\u30ff\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\uac00-\ud7af]")

_FRENCH = "le la les de des du un une et en à au aux pour par sur dans que qui est sont ce ces son sa ses leur leurs avec ne pas plus ou il elle nous vous ils elles être été"
_SPANISH = "el la los las de del un una y en a al para por con que se su sus es son lo como más o este esta estos estas ser han"
_PORTUGUESE = "o a os as de do da dos das um uma e em no na nos nas para por com que se seu sua"


@functools.cache
def stop_words() -> frozenset[str]:
    """English (scikit-learn's list, loaded when first needed), French, Spanish and Portuguese."""
    from sklearn.feature_extraction.text import ENGLISH_STOP_WORDS

    return (
        frozenset(ENGLISH_STOP_WORDS)
        | frozenset(f"{_FRENCH} {_SPANISH} {_PORTUGUESE}".split())
        | {"l", "d", "s"}
    )


def words(text: str) -> list[str]:
    """Case-folded tokens without stop words; CJK runs become overlapping character pairs."""
    stop = stop_words()
    out: list[str] = []
    for match in _WORD.finditer(text.casefold()):
        token = match.group()
        if _CJK.search(token):
            chars = [c for c in token if not c.isdigit()]
            if len(chars) == 1:
                out.append(chars[0])
            out.extend(a + b for a, b in itertools.pairwise(chars))
        elif len(token) > 1 and token not in stop and not token.isdigit():
            out.append(token)
    return out


def features(text: str) -> Iterator[str]:
    """What the vectoriser counts: the words and the pairs of consecutive words."""
    tokens = words(text)
    yield from tokens
    for first, second in itertools.pairwise(tokens):
        yield f"{first} {second}"


def normalise(text: str) -> str:
    """The text reduced to its words, for exact-duplicate detection (case, punctuation and spacing
    do not count)."""
    return " ".join(m.group() for m in _WORD.finditer(text.casefold()))


def terms(text: str) -> list[str]:
    """The words that carry content, in order, for near-duplicate detection: case-folded, without
    stop words, digits or punctuation; CJK text gives one term per character."""
    stop = stop_words()
    folded = text.casefold()
    if not _CJK.search(folded):
        return [
            token for token in _WORD.findall(folded) if token not in stop and not token.isdigit()
        ]
    out: list[str] = []
    for match in _WORD.finditer(folded):
        token = match.group()
        if _CJK.search(token):
            out.extend(c for c in token if not c.isdigit())
        elif token not in stop and not token.isdigit():
            out.append(token)
    return out


def shingles(text: str, size: int = 3) -> set[bytes]:
    """Overlapping runs of `size` words (or CJK characters) of the normalised text, for MinHash."""
    tokens: list[str] = []
    for match in _WORD.finditer(text.casefold()):
        token = match.group()
        tokens.extend(token) if _CJK.search(token) else tokens.append(token)
    if len(tokens) <= size:
        return {" ".join(tokens).encode()}
    return {" ".join(tokens[i : i + size]).encode() for i in range(len(tokens) - size + 1)}


MEANING_SCRIPTS = frozenset(
    {"LATIN", "CYRILLIC", "ARABIC", "CJK", "HIRAGANA", "KATAKANA", "HANGUL", "THAI"}
)
"""Scripts the meaning model reads (its 16 languages, the six UN languages among them)."""
LONG_TEXT = 2_000


def script_of(text: str) -> str:
    """The script most of the text's letters are written in (from their Unicode names)."""
    if text.isascii():
        return "LATIN" if any(c.isalpha() for c in text) else ""
    counts: dict[str, int] = {}
    for char in text[:300]:
        if char.isalpha():
            name = unicodedata.name(char, "UNKNOWN").split()[0]
            counts[name] = counts.get(name, 0) + 1
    return max(counts, key=lambda k: counts[k]) if counts else ""


def analysis_note(text: str) -> tuple[bool, str]:
    """Whether the text can be analysed by meaning, and what a reader should know about it
    (empty when nothing)."""
    script = script_of(text)
    if not script:
        return False, "not analysable: no words left after cleaning"
    if script not in MEANING_SCRIPTS:
        return (
            False,
            f"analysed by its words only: the meaning model does not read its script ({script.title()})",
        )
    if len(text) < 100 and len(_WORD.findall(text)) == 1:
        return True, "one word: it says little, and joins an idea only when others say the same"
    if len(text) > LONG_TEXT:
        return True, f"long text: its meaning is read from its first {LONG_TEXT:,} characters"
    return True, ""
