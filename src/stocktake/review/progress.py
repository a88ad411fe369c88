"""Progress of an indicator toward its target: pure computation, nothing stored.

Two methods, both documented with their formulas and worked examples in docs/review.md:

- `opensdg`, the Open SDG progress measure (Statistics Canada), as sdg-build's `ProgressMeasure`
  computes it: compound annual growth rate (CAGR) from the base year to the latest period; with a
  target, the ratio of the observed to the required growth; without one, the growth against fixed
  thresholds, scaled near a natural limit; each series scored from -5 to +5 with Open SDG's own
  coefficients, the indicator's score the mean of its series' scores. Which observations make a
  series (headline, or the series, unit and breakdown a country configures) is `selection.py`'s.
- `un`, the UN SDG progress-chart variant: the CAGR extrapolated to the target year and compared with
  the distance to the target (with a target), or the CAGR against ±0.5 % and ±2 % (without one).
"""

from __future__ import annotations

import enum
import math
from collections.abc import Sequence
from dataclasses import dataclass, field

from stocktake.core.translation import Text

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
    published_score: float | None = None  # the score the country's platform publishes


def cagr(y0: float, yi: float, t0: float, ti: float) -> float:
    """Compound annual growth rate between (t0, y0) and (ti, yi)."""
    return float((yi / y0) ** (1 / (ti - t0)) - 1)


def scaling_factor(y0: float, limit: float | None) -> float:
    """C, between 0 and 1, as Open SDG computes it from the base value and the natural limit (both
    taken absolute): 1 at or beyond twice the limit, 1 − (y₀/y_lim)^4.44 up to the limit,
    1 − ((2·y_lim − y₀)/y_lim)^4.44 between the limit and twice it. It shrinks the growth
    thresholds near the limit; C = 0 at the limit itself."""
    if limit is None:
        return 1.0
    base, lim = abs(y0), abs(limit)
    if base >= 2 * lim:  # first, so that a limit of 0 gives 1
        return 1.0
    if base <= lim:
        return float(1 - (base / lim) ** LIMIT_EXPONENT)
    return float(1 - ((2 * lim - base) / lim) ** LIMIT_EXPONENT)


GROWTH_THRESHOLDS = (0.015, 0.005, 0.0)  # Open SDG's high, med, low without a target (× C)
RATIO_THRESHOLDS = (0.95, 0.6, 0.0)  # and with one


def score_without_target(growth: float, c: float) -> float:
    """Open SDG's score of a growth in the desired direction: 125·g − 2.5 below 0 (−5 at most),
    then 500·g/C − 2.5 up to 0.5 %·C, 250·g/C − 1.25 up to 1.5 %·C, 500·g/C − 5 beyond (+5 at
    most); +5 for any g ≥ 0 at the limit (C = 0). So −5 at −2 %, −2.5 at 0, 0 at 0.5 %·C, 2.5
    at 1.5 %·C, +5 at 2 %·C."""
    high, med, low = (t * c for t in GROWTH_THRESHOLDS)
    if growth < low:
        return max(125 * growth - 2.5, -5.0)
    if c == 0:
        return 5.0
    if growth >= high:
        return min(500 * growth / c - 5, 5.0)
    if growth >= med:
        return 250 * growth / c - 1.25
    return 500 * growth / c - 2.5


def score_with_target(ratio: float) -> float:
    """Open SDG's score of the growth ratio, with its rounded coefficients: 7.1429·R − 4.2857
    from R = 0.6 (+5 at most, reached at R = 1.3), 4.1667·R − 2.5 below (−5 at most, at
    R = −0.6)."""
    if ratio >= RATIO_THRESHOLDS[1]:
        return min(7.1429 * ratio - 4.2857, 5.0)
    return max(4.1667 * ratio - 2.5, -5.0)


def status_of_score(score: float) -> ProgressStatus:
    if score >= 2.5:
        return ProgressStatus.SUBSTANTIAL
    if score >= 0:
        return ProgressStatus.MODERATE
    if score >= -2.5:
        return ProgressStatus.LIMITED
    return ProgressStatus.DETERIORATION


def _status_of(value: float, thresholds: Sequence[float]) -> ProgressStatus:
    high, med, low = thresholds
    if value >= high:
        return ProgressStatus.SUBSTANTIAL
    if value >= med:
        return ProgressStatus.MODERATE
    if value >= low:
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
        result.note = Text("no desired direction is set")
        return None
    ordered = sorted(points, key=lambda p: p.time)
    since = [p for p in ordered if p.time >= settings.base_year]
    if len(ordered) < 2 or not since:
        result.note = (
            Text("fewer than two observations")
            if len(ordered) < 2
            else Text("no data since the base year")
        )
        return None
    base, current = since[0], ordered[-1]
    result.base_time, result.base_value = base.time, base.value
    result.current_time, result.current_value = current.time, current.value
    if current.time - base.time < 1:
        result.note = Text("less than a year between the base and the latest period")
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
        result.note = Text("values change sign; the growth model needs one sign")
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


def _base_and_latest(
    points: Sequence[Point], settings: Settings, result: SeriesProgress
) -> tuple[Point, Point] | None:
    """Open SDG's base (the base year's observation, else the first after it) and latest
    observation; None, with a note, when there is none or two share a period."""
    ordered = sorted(points, key=lambda p: p.time)
    if not ordered:
        result.note = Text("no observations")
        return None
    if len({p.time for p in ordered}) < len(ordered):
        result.note = Text("two values for one period; Open SDG refuses the series")
        return None
    base = next((p for p in ordered if p.time == settings.base_year), None) or next(
        (p for p in ordered if p.time > settings.base_year), None
    )
    if base is None:
        result.note = Text("no data since the base year")
        return None
    current = ordered[-1]
    result.base_time, result.base_value = base.time, base.value
    result.current_time, result.current_value = current.time, current.value
    return base, current


def _progress_value(
    base: Point, current: Point, settings: Settings, target: float | None, result: SeriesProgress
) -> float | None:
    """The growth in the desired direction (no target) or the growth ratio (target), as Open
    SDG computes it: a base of 0 counts as 0.001, a negative base flips the sign."""
    sign = -1 if base.value < 0 else 1
    direction = 1 if settings.direction == "increase" else -1
    b = base.value if base.value != 0 else ZERO_REPLACEMENT
    if (b > 0 and current.value < 0) or (b < 0 and current.value > 0):
        result.note = Text("values change sign; the growth model needs one sign")
        return None
    if current.time - base.time < 1:
        result.note = (
            Text("fewer than two observations")
            if current.time == base.time
            else Text("less than a year between the base and the latest period")
        )
        return None
    observed = cagr(b, current.value, base.time, current.time)
    result.cagr = observed
    if target is None:
        return sign * direction * observed
    moved = sign * direction * observed
    return _growth_ratio(moved, b, base.time, settings, target=target, result=result)


def _growth_ratio(
    moved: float, b: float, t0: float, settings: Settings, *, target: float, result: SeriesProgress
) -> float | None:
    """R = d·CAGRᵢ / |CAGR_T|, with Open SDG's arithmetic where it is odd: a target of the
    other sign than the base gives a complex CAGR_T, whose modulus is taken; a CAGR_T of 0 gives
    ±∞ (no score when nothing moved either)."""
    if settings.target_year == t0:
        result.note = Text("the target year is the base period")
        return None
    try:
        required = (target / b) ** (1 / (settings.target_year - t0)) - 1
    except (OverflowError, ZeroDivisionError):  # Open SDG's NumPy arithmetic gives infinity
        required = math.inf
    if isinstance(required, complex):
        result.note = Text("the target and the base value differ in sign")
    else:
        result.required_cagr = float(required)
    magnitude = abs(required)
    if magnitude == 0:
        if moved == 0:
            result.note = Text("no growth, and none required (the target is the base value)")
            return None
        return math.copysign(math.inf, moved)
    ratio = float(moved / magnitude)
    if math.isnan(ratio):  # both infinite: NumPy's NaN, which Open SDG scores as nothing
        result.note = Text("the growth and the required growth are both beyond measure")
        return None
    return ratio


def assess_series_opensdg(
    points: Sequence[Point], settings: Settings, *, series: str = "", unit: str = ""
) -> SeriesProgress:
    """One series as Open SDG's `SeriesProgress` scores it (sdg-build `ProgressMeasure`)."""
    result = SeriesProgress(series, unit, ProgressStatus.NOT_AVAILABLE)
    if settings.direction not in {"increase", "decrease"}:
        result.note = Text("no desired direction is set")
        return result
    window = _base_and_latest(points, settings, result)
    if window is None:
        return result
    base, current = window
    target = ZERO_REPLACEMENT if settings.target == 0 else settings.target
    if target is None:
        result.scaling = scaling_factor(base.value, settings.limit)
    achieved = target is not None and (
        current.value >= target if settings.direction == "increase" else current.value <= target
    )
    value = _progress_value(base, current, settings, target, result)
    if target is not None:
        result.ratio = value if value is None or math.isfinite(value) else None
        if result.ratio is None and value is not None:
            result.note = Text("the target is the base value: the required growth is 0")
    if achieved:
        result.status, result.score = ProgressStatus.TARGET_ACHIEVED, 5.0
        return result
    if value is None:
        return result
    if target is None:
        scale = result.scaling if result.scaling is not None else 1.0
        result.score = score_without_target(value, scale)
        result.status = _status_of(value, [t * scale for t in GROWTH_THRESHOLDS])
    else:
        result.score = score_with_target(value)
        result.status = _status_of(value, RATIO_THRESHOLDS)
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
