"""Offline language detection: the six UN languages and a dozen others common in consultations.
The models ship inside the lingua package; nothing is downloaded."""

from __future__ import annotations

from collections.abc import Sequence
from functools import cache

from lingua import Language, LanguageDetector, LanguageDetectorBuilder

UNKNOWN = "und"
"""ISO 639 code for an undetermined language."""

_LANGUAGES = {
    Language.ENGLISH: "en",
    Language.FRENCH: "fr",
    Language.SPANISH: "es",
    Language.ARABIC: "ar",
    Language.RUSSIAN: "ru",
    Language.CHINESE: "zh",
    Language.PORTUGUESE: "pt",
    Language.GERMAN: "de",
    Language.ITALIAN: "it",
    Language.TURKISH: "tr",
    Language.PERSIAN: "fa",
    Language.URDU: "ur",
    Language.HINDI: "hi",
    Language.BENGALI: "bn",
    Language.INDONESIAN: "id",
    Language.SWAHILI: "sw",
    Language.JAPANESE: "ja",
    Language.KOREAN: "ko",
}
LANGUAGE_NAMES = {
    "en": "English",
    "fr": "French",
    "es": "Spanish",
    "ar": "Arabic",
    "ru": "Russian",
    "zh": "Chinese",
    "pt": "Portuguese",
    "de": "German",
    "it": "Italian",
    "tr": "Turkish",
    "fa": "Persian",
    "ur": "Urdu",
    "hi": "Hindi",
    "bn": "Bengali",
    "id": "Indonesian",
    "sw": "Swahili",
    "ja": "Japanese",
    "ko": "Korean",
    UNKNOWN: "Undetermined",
}
KNOWN = frozenset(LANGUAGE_NAMES)


@cache
def _detector() -> LanguageDetector:
    return LanguageDetectorBuilder.from_languages(*_LANGUAGES).with_low_accuracy_mode().build()


def _code(language: Language | None) -> str:
    return _LANGUAGES.get(language, UNKNOWN) if language is not None else UNKNOWN


def detect_language(text: str) -> str:
    """The ISO 639-1 code of the text's language, or 'und' when it cannot be told."""
    return _code(_detector().detect_language_of(text[:2000]))


def detect_languages(texts: Sequence[str]) -> list[str]:
    """Detect many texts at once, on every core."""
    results = _detector().detect_languages_in_parallel_of([t[:2000] for t in texts])
    return [_code(language) for language in results]
