"""Numbers as each language writes them: the product's kept patterns write what Babel does."""

from __future__ import annotations

from decimal import Decimal

from babel.numbers import format_decimal
from hypothesis import given
from hypothesis import strategies as st

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
