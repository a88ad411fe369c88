"""Worked examples of the progress methods; the same numbers are in docs/review.md."""

from __future__ import annotations

import math

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from stocktake.review.progress import (
    Method,
    Point,
    ProgressStatus,
    Settings,
    assess_series_opensdg,
    assess_series_un,
    combine,
    scaling_factor,
    score_with_target,
    score_without_target,
)

RISING = [Point(2015, 100), Point(2020, 110)]
FALLING_TO_TARGET = [Point(2015, 8), Point(2018, 7), Point(2021, 6.5)]


def test_without_a_target_the_growth_rate_is_scored_against_fixed_thresholds() -> None:
    result = assess_series_opensdg(RISING, Settings("increase"))
    assert result.cagr == pytest.approx(0.0192449, abs=1e-7)  # (110 / 100) ** (1 / 5) - 1
    # between 1.5 % (score 2.5) and 2 % (score 5): 2.5 + (0.0192449 - 0.015) / 0.005 * 2.5
    assert result.score == pytest.approx(4.62244, abs=1e-5)
    assert result.status is ProgressStatus.SUBSTANTIAL


def test_with_a_target_the_observed_growth_is_compared_with_the_required_growth() -> None:
    result = assess_series_opensdg(FALLING_TO_TARGET, Settings("decrease", target=3))
    assert result.cagr == pytest.approx(-0.0340146, abs=1e-7)  # (6.5 / 8) ** (1 / 6) - 1
    assert result.required_cagr == pytest.approx(-0.0632966, abs=1e-7)  # (3 / 8) ** (1 / 15) - 1
    assert result.ratio == pytest.approx(0.537384, abs=1e-6)  # -1 * CAGR / |CAGR_T|
    # Open SDG's coefficients below R = 0.6: 4.1667 * R - 2.5
    assert result.score == pytest.approx(-0.2608816, abs=1e-6)
    assert result.status is ProgressStatus.LIMITED


def test_near_a_natural_limit_the_thresholds_shrink() -> None:
    result = assess_series_opensdg(
        [Point(2015, 90), Point(2020, 92)], Settings("increase", limit=100)
    )
    assert result.scaling == pytest.approx(0.373622, abs=1e-6)  # 1 - 0.9 ** 4.44
    assert result.cagr == pytest.approx(0.00440546, abs=1e-8)
    # between 0.5 %·C and 1.5 %·C: (0.00440546 - 0.005 C) / (0.01 C) * 2.5
    assert result.score == pytest.approx(1.697806, abs=1e-6)
    assert result.status is ProgressStatus.MODERATE
    unlimited = assess_series_opensdg([Point(2015, 90), Point(2020, 92)], Settings("increase"))
    assert unlimited.status is ProgressStatus.LIMITED


def test_scaling_factor_cases() -> None:
    assert scaling_factor(50, None) == 1
    assert scaling_factor(100, 100) == 0  # at the limit
    assert scaling_factor(10, 5) == 1  # at twice the limit
    assert scaling_factor(6, 5) == pytest.approx(1 - (4 / 5) ** 4.44)
    assert scaling_factor(90, 100) == pytest.approx(1 - 0.9**4.44)
    assert scaling_factor(-90, -100) == pytest.approx(1 - 0.9**4.44)  # taken absolute
    assert scaling_factor(3, 0) == 1  # a limit of 0


def test_a_series_at_its_limit_that_holds_is_substantial_progress() -> None:
    result = assess_series_opensdg(
        [Point(2015, 100), Point(2020, 100)], Settings("increase", limit=100)
    )
    assert (result.score, result.status) == (5.0, ProgressStatus.SUBSTANTIAL)


def test_score_transformations_meet_the_category_bounds() -> None:
    assert score_without_target(-0.05, 1) == -5
    assert score_without_target(0, 1) == -2.5
    assert score_without_target(0.005, 1) == pytest.approx(0)
    assert score_without_target(0.015, 1) == pytest.approx(2.5)
    assert score_without_target(0.03, 1) == 5
    assert score_with_target(-1) == -5
    assert score_with_target(0) == pytest.approx(-2.5)
    # Open SDG's rounded coefficients: 7.1429 * R - 4.2857 from R = 0.6
    assert score_with_target(0.6) == pytest.approx(0.00004, abs=1e-9)
    assert score_with_target(0.95) == pytest.approx(2.500055, abs=1e-9)
    assert score_with_target(1.3) == 5
    assert score_with_target(2) == 5


def test_a_target_met_scores_five_whatever_the_trend() -> None:
    result = assess_series_opensdg(
        [Point(2015, 2), Point(2020, 2.9)], Settings("decrease", target=3)
    )
    assert (result.score, result.status) == (5.0, ProgressStatus.TARGET_ACHIEVED)


def test_a_target_of_zero_is_replaced_by_a_small_number() -> None:
    result = assess_series_opensdg(
        [Point(2015, 400), Point(2020, 300)], Settings("decrease", target=0)
    )
    assert result.required_cagr == pytest.approx((0.001 / 400) ** (1 / 15) - 1)


def test_the_base_is_the_first_period_from_the_base_year_on() -> None:
    points = [Point(2010, 1), Point(2016, 100), Point(2017.25, 90), Point(2021.75, 80)]
    result = assess_series_opensdg(points, Settings("decrease"))
    assert (result.base_time, result.current_time) == (2016, 2021.75)


@pytest.mark.parametrize(
    ("points", "settings", "note"),
    [
        ([Point(2016, 1)], Settings("increase"), "fewer than two observations"),
        ([Point(2010, 1), Point(2012, 2)], Settings("increase"), "no data since the base year"),
        ([Point(2015, 1), Point(2020, 2)], Settings(None), "no desired direction is set"),
        ([Point(2015, -1), Point(2020, 2)], Settings("increase"), "values change sign"),
    ],
)
def test_not_available(points: list[Point], settings: Settings, note: str) -> None:
    result = assess_series_opensdg(points, settings)
    assert result.status is ProgressStatus.NOT_AVAILABLE
    assert result.score is None
    assert note in result.note


def test_all_negative_values_flip_the_direction() -> None:
    result = assess_series_opensdg([Point(2015, -100), Point(2020, -110)], Settings("increase"))
    assert result.status is ProgressStatus.DETERIORATION


def test_the_indicator_score_is_the_mean_of_its_series() -> None:
    a = assess_series_opensdg(RISING, Settings("increase"))
    b = assess_series_opensdg(FALLING_TO_TARGET, Settings("decrease", target=3))
    result = combine("10-c-1", Method.OPENSDG, [a, b])
    assert result.score == pytest.approx((4.622438 - 0.260899) / 2, abs=1e-4)
    assert result.status is ProgressStatus.MODERATE  # 2.18 is in [0, 2.5)
    achieved = assess_series_opensdg(
        [Point(2015, 2), Point(2020, 2.9)], Settings("decrease", target=3)
    )
    assert combine("x", Method.OPENSDG, [achieved, a]).status is ProgressStatus.SUBSTANTIAL
    assert combine("x", Method.OPENSDG, [achieved]).status is ProgressStatus.TARGET_ACHIEVED
    assert combine("x", Method.OPENSDG, []).status is ProgressStatus.NOT_AVAILABLE


def test_the_un_variant_extrapolates_to_the_target_year() -> None:
    result = assess_series_un([Point(2015, 8), Point(2021, 6.5)], Settings("decrease", target=3))
    # expected 2030 value: 6.5 * (1 - 0.0340146) ** 9; ratio (expected - 8) / (3 - 8)
    assert result.expected_value == pytest.approx(4.760454, abs=1e-6)
    assert result.ratio == pytest.approx(0.647909, abs=1e-6)
    assert result.status is ProgressStatus.MODERATE  # 10 % <= ratio < 95 %
    rising = assess_series_un(RISING, Settings("increase"))
    assert rising.status is ProgressStatus.MODERATE  # 0.5 % <= CAGR < 2 %
    falling = assess_series_un([Point(2015, 100), Point(2020, 90)], Settings("increase"))
    assert falling.status is ProgressStatus.DETERIORATION


FINITE = st.floats(min_value=-1e6, max_value=1e6, allow_nan=False)


@settings(max_examples=300, deadline=None)
@given(
    g1=st.floats(min_value=-1, max_value=1, allow_nan=False),
    g2=st.floats(min_value=-1, max_value=1, allow_nan=False),
    c=st.floats(min_value=0, max_value=1, allow_nan=False),
)
def test_the_growth_score_is_bounded_and_never_falls_as_growth_rises(
    g1: float, g2: float, c: float
) -> None:
    low, high = sorted((g1, g2))
    assert -5 <= score_without_target(low, c) <= 5
    assert score_without_target(low, c) <= score_without_target(high, c) + 1e-9


@settings(max_examples=300, deadline=None)
@given(r1=FINITE, r2=FINITE)
def test_the_ratio_score_is_bounded_and_never_falls_as_the_ratio_rises(
    r1: float, r2: float
) -> None:
    low, high = sorted((r1, r2))
    assert -5 <= score_with_target(low) <= 5
    assert score_with_target(low) <= score_with_target(high)


@settings(max_examples=400, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    values=st.dictionaries(
        st.integers(min_value=2005, max_value=2035), FINITE, min_size=0, max_size=8
    ),
    direction=st.sampled_from(["increase", "decrease", None]),
    target=st.none() | FINITE,
    limit=st.none() | FINITE,
    base_year=st.integers(min_value=2000, max_value=2040),
    target_year=st.integers(min_value=2000, max_value=2050),
)
def test_any_series_is_scored_within_bounds_or_said_to_be_unavailable(
    values: dict[int, float],
    direction: str | None,
    target: float | None,
    limit: float | None,
    base_year: int,
    target_year: int,
) -> None:
    points = [Point(t, v) for t, v in values.items()]
    found = assess_series_opensdg(
        points, Settings(direction, target, target_year, base_year, limit)
    )
    if found.score is None:
        assert found.status is ProgressStatus.NOT_AVAILABLE
        assert found.note
    else:
        assert -5 <= found.score <= 5
        assert found.status is not ProgressStatus.NOT_AVAILABLE
    if found.status is ProgressStatus.TARGET_ACHIEVED:
        assert found.score == 5
    assert found.ratio is None or math.isfinite(found.ratio)  # the API writes no infinity


@settings(max_examples=200, deadline=None)
@given(
    base=st.floats(min_value=0.01, max_value=1e4),
    latest=st.floats(min_value=0.01, max_value=1e4),
    more=st.floats(min_value=0.0, max_value=1e4),
    direction=st.sampled_from(["increase", "decrease"]),
)
def test_a_better_latest_value_never_scores_lower(
    base: float, latest: float, more: float, direction: str
) -> None:
    better = latest + more if direction == "increase" else latest / (1 + more)
    scored = [
        assess_series_opensdg([Point(2015, base), Point(2020, v)], Settings(direction)).score
        for v in (latest, better)
    ]
    assert scored[0] is not None
    assert scored[1] is not None
    assert scored[0] <= scored[1] + 1e-9


def test_a_target_equal_to_the_base_value_scores_the_sign_of_the_growth() -> None:
    # CAGR_T = 0: Open SDG's ratio is ±infinity, so the score is +5 or −5; no ratio is given
    fell = assess_series_opensdg(
        [Point(2015, 100), Point(2020, 90)], Settings("increase", target=100)
    )
    assert (fell.score, fell.status, fell.ratio) == (-5.0, ProgressStatus.DETERIORATION, None)
    assert "required growth is 0" in fell.note
    still = assess_series_opensdg(
        [Point(2015, 100), Point(2020, 100)], Settings("increase", target=100)
    )
    assert still.status is ProgressStatus.TARGET_ACHIEVED
