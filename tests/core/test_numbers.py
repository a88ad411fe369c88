"""Numbers as each language writes them: the product's kept patterns write what Babel does."""

from __future__ import annotations

from decimal import Decimal

import pytest
from babel.numbers import format_decimal
from hypothesis import given
from hypothesis import strategies as st

from stocktake.core.numbers import UnreadableNumber, read_number
from stocktake.core.translation import format_number

LANGUAGES = st.sampled_from(["en", "fr", "es", "ar", "ru", "zh"])
NUMBERS = st.one_of(
    st.integers(min_value=-(10**15), max_value=10**15),
    st.floats(min_value=-1e12, max_value=1e12, allow_nan=False),
    st.decimals(min_value=-(10**9), max_value=10**9, allow_nan=False, places=4),
)


@given(NUMBERS, LANGUAGES, st.sampled_from([None, "#,##0.00"]))
def test_a_number_is_written_as_babel_writes_it(
    number: float | Decimal, language: str, pattern: str | None
) -> None:
    assert format_number(number, language, pattern) == format_decimal(
        number if number else abs(number), format=pattern, locale=language
    )


@given(NUMBERS, LANGUAGES)
def test_a_measured_value_keeps_its_decimals_as_babel_does(
    number: float | Decimal, language: str
) -> None:
    assert format_number(number, language, quantize=False) == format_decimal(
        number if number else abs(number), locale=language, decimal_quantization=False
    )


def test_a_negative_zero_is_written_as_zero_whichever_zero_came_first() -> None:
    assert format_number(0.0, "en") == "0"
    assert format_number(-0.0, "en", quantize=False) == "0"
    assert format_number(Decimal("-0.0000"), "fr", "#,##0.00") == "0,00"


def test_french_groups_with_a_narrow_space_and_a_comma() -> None:
    assert format_number(250000, "fr", "#,##0.00") == "250\u202f000,00"
    assert format_number(1936, "en") == "1,936"


AMOUNTS = st.decimals(min_value=-(10**15), max_value=10**15, allow_nan=False, places=2)


@given(AMOUNTS, LANGUAGES, st.sampled_from([None, "#,##0.00"]))
def test_a_number_written_in_a_language_reads_back_in_it(
    number: Decimal, language: str, pattern: str | None
) -> None:
    written = format_decimal(number, format=pattern, locale=language)
    assert read_number(written, language) == number


@given(AMOUNTS, LANGUAGES)
def test_plain_digits_with_a_point_read_in_every_language(number: Decimal, language: str) -> None:
    assert read_number(f"{number:f}", language) == number


def test_what_reads_two_ways_or_none_is_refused_with_the_languages_example() -> None:
    assert read_number("  ", "fr") is None
    assert read_number("1 250 000,50", "fr") == Decimal("1250000.50")
    for typed, language in [
        ("1,250,000.50", "fr"),
        ("1.250", "es"),
        ("12,5", "en"),
        ("1e5", "en"),
        ("NaN", "en"),
        ("-", "en"),
    ]:
        with pytest.raises(UnreadableNumber) as refused:
            read_number(typed, language)
        assert refused.value.example == format_decimal(
            Decimal("1250000.50"), format="#,##0.00", locale=language
        )
