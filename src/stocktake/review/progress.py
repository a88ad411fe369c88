"""Progress of an indicator toward its target: pure computation, nothing stored.

Two methods, both documented with their formulas and worked examples in docs/review.md:

- `opensdg`, the Open SDG progress measure (Statistics Canada): compound annual growth rate (CAGR)
  from the base year to the latest period; with a target, the ratio of the observed to the required
  growth; without one, the growth against fixed thresholds, scaled near a natural limit; each series
  scored from -5 to +5, the indicator's score the mean of its series' scores.
- `un`, the UN SDG progress-chart variant: the CAGR extrapolated to the target year and compared with
  the distance to the target (with a target), or the CAGR against ±0.5 % and ±2 % (without one).
"""

from __future__ import annotations

import enum
import itertools
import math
from collections.abc import Sequence
from dataclasses import dataclass, field

ZERO_REPLACEMENT = 0.001  # a base or target of zero, as the method replaces it
LIMIT_EXPONENT = 4.44  # the exponent of the scaling factor C near a natural limit


class ProgressStatus(enum.StrEnum):
    TARGET_ACHIEVED = "target_achieved"
    SUBSTANTIAL = "substantial_progress"
    MODERATE = "moderate_progress"
    LIMITED = "limited_progress"
    DETERIORATION = "deterioration"
    NOT_AVAILABLE = "not_available"

    @property
    def label(self) -> str:
        return STATUS_LABELS[self]


STATUS_LABELS = {
    ProgressStatus.TARGET_ACHIEVED: "Target achieved",
    ProgressStatus.SUBSTANTIAL: "Substantial progress",
    ProgressStatus.MODERATE: "Moderate progress",
    ProgressStatus.LIMITED: "Limited progress",
    ProgressStatus.DETERIORATION: "Deterioration",
    ProgressStatus.NOT_AVAILABLE: "Not available",
}


class Method(enum.StrEnum):
    OPENSDG = "opensdg"
    UN = "un"


@dataclass(frozen=True)
class Settings:
    """What the method needs besides the data. `direction` is "increase" or "decrease"."""

    direction: str | None
    target: float | None = None
    target_year: float = 2030
    base_year: float = 2015
    limit: float | None = None


@dataclass(frozen=True)
class Point:
    time: float
    value: float


@dataclass
class SeriesProgress:
    """One series' assessment with every component the status was computed from."""

    series: str
    unit: str
    status: ProgressStatus
    score: float | None = None
    base_time: float | None = None
    base_value: float | None = None
    current_time: float | None = None
    current_value: float | None = None
    cagr: float | None = None
    required_cagr: float | None = None
    ratio: float | None = None
    scaling: float | None = None
    expected_value: float | None = None
    note: str = ""


@dataclass
class IndicatorProgress:
    code: str
    method: Method
    status: ProgressStatus
    score: float | None
    series: list[SeriesProgress] = field(default_factory=list)
    manual: bool = False
    note: str = ""
    country: str = ""  # ISO3 of the place the data describe, "" when none is named


def cagr(y0: float, yi: float, t0: float, ti: float) -> float:
    """Compound annual growth rate between (t0, y0) and (ti, yi)."""
    return float((yi / y0) ** (1 / (ti - t0)) - 1)


def scaling_factor(y0: float, limit: float | None, sign: int) -> float:
    """C, between 0 and 1: shrinks the positive thresholds when the base value is near a natural
    limit that lies in the desired direction (a maximum when increasing, a minimum when
    decreasing)."""
    if limit is None or limit <= 0:
        return 1.0
    if sign > 0:
        return float(1 - (y0 / limit) ** LIMIT_EXPONENT) if 0 <= y0 < limit else 0.0
    if y0 <= limit:
        return 0.0
    if y0 < 2 * limit:
        return float(1 - ((2 * limit - y0) / limit) ** LIMIT_EXPONENT)
    return 1.0


def _interpolate(x: float, knots: Sequence[tuple[float, float]]) -> float:
    """Piecewise linear through the knots, flat beyond the first and last."""
    if x <= knots[0][0]:
        return knots[0][1]
    for (x0, y0), (x1, y1) in itertools.pairwise(knots):
        if x <= x1:
            return y0 + (y1 - y0) * (x - x0) / (x1 - x0) if x1 > x0 else y1
    return knots[-1][1]


def score_without_target(growth: float, c: float) -> float:
    """-5 at ≤ -2 %, -2.5 at 0, 0 at 0.5 %·C, 2.5 at 1.5 %·C, +5 at ≥ 2 %·C."""
    if c <= 0:
        return 5.0 if growth >= 0 else _interpolate(growth, [(-0.02, -5.0), (0.0, -2.5)])
    knots = [(-0.02, -5.0), (0.0, -2.5), (0.005 * c, 0.0), (0.015 * c, 2.5), (0.02 * c, 5.0)]
    return _interpolate(growth, knots)


def score_with_target(ratio: float) -> float:
    """-5 at R ≤ -0.6, 0 at 0.6, +5 at R ≥ 1.3 (so -2.5 at 0 and 2.5 at 0.95)."""
    return _interpolate(ratio, [(-0.6, -5.0), (0.6, 0.0), (1.3, 5.0)])


def status_of_score(score: float) -> ProgressStatus:
    if score >= 2.5:
        return ProgressStatus.SUBSTANTIAL
    if score >= 0:
        return ProgressStatus.MODERATE
    if score >= -2.5:
        return ProgressStatus.LIMITED
    return ProgressStatus.DETERIORATION


def _status_of_growth(growth: float, c: float) -> ProgressStatus:
    if c <= 0 and growth >= 0:
        return ProgressStatus.SUBSTANTIAL
    if growth >= 0.015 * c:
        return ProgressStatus.SUBSTANTIAL
    if growth >= 0.005 * c:
        return ProgressStatus.MODERATE
    if growth >= 0:
        return ProgressStatus.LIMITED
    return ProgressStatus.DETERIORATION


def _status_of_ratio(ratio: float) -> ProgressStatus:
    if ratio >= 0.95:
        return ProgressStatus.SUBSTANTIAL
    if ratio >= 0.6:
        return ProgressStatus.MODERATE
    if ratio >= 0:
        return ProgressStatus.LIMITED
    return ProgressStatus.DETERIORATION


@dataclass(frozen=True)
class _Window:
    """The base and latest points, signs resolved: values made positive, direction flipped for
    an all-negative series."""

    base: Point
    current: Point
    sign: int
    target: float | None
    limit: float | None


def _window(points: Sequence[Point], settings: Settings, result: SeriesProgress) -> _Window | None:
    if settings.direction not in {"increase", "decrease"}:
        result.note = "no desired direction is set"
        return None
    ordered = sorted(points, key=lambda p: p.time)
    since = [p for p in ordered if p.time >= settings.base_year]
    if len(ordered) < 2 or not since:
        result.note = (
            "fewer than two observations" if len(ordered) < 2 else "no data since the base year"
        )
        return None
    base, current = since[0], ordered[-1]
    result.base_time, result.base_value = base.time, base.value
    result.current_time, result.current_value = current.time, current.value
    if current.time - base.time < 1:
        result.note = "less than a year between the base and the latest period"
        return None
    values = [base.value, current.value]
    sign = 1 if settings.direction == "increase" else -1
    target, limit = settings.target, settings.limit
    if all(v <= 0 for v in values) and any(v < 0 for v in values):
        values = [-v for v in values]
        sign = -sign
        target = -target if target is not None else None
        limit = -limit if limit is not None else None
    elif any(v < 0 for v in values):
        result.note = "values change sign; the growth model needs one sign"
        return None
    b, c = (v if v != 0 else ZERO_REPLACEMENT for v in values)
    if target is not None and target == 0:
        target = ZERO_REPLACEMENT
    return _Window(Point(base.time, b), Point(current.time, c), sign, target, limit)


def _achieved(window: _Window) -> bool:
    if window.target is None:
        return False
    if window.sign > 0:
        return window.current.value >= window.target
    return window.current.value <= window.target


def assess_series_opensdg(
    points: Sequence[Point], settings: Settings, *, series: str = "", unit: str = ""
) -> SeriesProgress:
    result = SeriesProgress(series, unit, ProgressStatus.NOT_AVAILABLE)
    window = _window(points, settings, result)
    if window is None:
        return result
    b, c = window.base, window.current
    result.cagr = cagr(b.value, c.value, b.time, c.time)
    if _achieved(window):
        result.status, result.score = ProgressStatus.TARGET_ACHIEVED, 5.0
        return result
    if window.target is None:
        scale = scaling_factor(b.value, window.limit, window.sign)
        growth = window.sign * result.cagr
        result.scaling = scale
        result.score = score_without_target(growth, scale)
        result.status = _status_of_growth(growth, scale)
        return result
    if settings.target_year <= b.time:
        result.note = "the target year is not after the base period"
        return result
    required = cagr(b.value, window.target, b.time, settings.target_year)
    result.required_cagr = required
    if required == 0:
        ratio = math.copysign(math.inf, window.sign * result.cagr) if result.cagr else 0.0
    else:
        ratio = window.sign * result.cagr / abs(required)
    result.ratio = ratio
    result.score = score_with_target(ratio)
    result.status = _status_of_ratio(ratio)
    return result


def assess_series_un(
    points: Sequence[Point], settings: Settings, *, series: str = "", unit: str = ""
) -> SeriesProgress:
    """The UN progress-chart variant: three levels (on track or nearly, fair progress, stagnation
    or regression) mapped onto the same statuses, the last split by the sign of the movement, with
    scores of +5, 0, -2.5 and -5 so that series average alike."""
    result = SeriesProgress(series, unit, ProgressStatus.NOT_AVAILABLE)
    window = _window(points, settings, result)
    if window is None:
        return result
    b, c = window.base, window.current
    result.cagr = cagr(b.value, c.value, b.time, c.time)
    if _achieved(window):
        result.status, result.score = ProgressStatus.TARGET_ACHIEVED, 5.0
        return result
    if window.target is None:
        moved = window.sign * result.cagr
        level = 3 if moved >= 0.02 else 2 if moved >= 0.005 else 1
    else:
        expected = c.value * (1 + result.cagr) ** (settings.target_year - c.time)
        result.expected_value = expected
        span = window.target - b.value
        result.ratio = moved = (expected - b.value) / span if span else 0.0
        level = 3 if moved >= 0.95 else 2 if moved >= 0.10 else 1
    if level == 1 and moved < 0:
        result.score, result.status = -5.0, ProgressStatus.DETERIORATION
    else:
        result.score, result.status = _UN_LEVELS[level]
    return result


_UN_LEVELS = {
    3: (5.0, ProgressStatus.SUBSTANTIAL),
    2: (0.0, ProgressStatus.MODERATE),
    1: (-2.5, ProgressStatus.LIMITED),
}


def combine(code: str, method: Method, series: list[SeriesProgress]) -> IndicatorProgress:
    """The indicator's score is the mean of its assessed series' scores; it has achieved its
    target only when every assessed series has."""
    scored = [s for s in series if s.score is not None]
    if not scored:
        return IndicatorProgress(code, method, ProgressStatus.NOT_AVAILABLE, None, series)
    score = sum(s.score or 0.0 for s in scored) / len(scored)
    if all(s.status is ProgressStatus.TARGET_ACHIEVED for s in scored):
        status = ProgressStatus.TARGET_ACHIEVED
    else:
        status = status_of_score(score)
    return IndicatorProgress(code, method, status, round(score, 4), series)


ASSESSORS = {Method.OPENSDG: assess_series_opensdg, Method.UN: assess_series_un}
