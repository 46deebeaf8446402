"""Trajectory and forecast of a target: pure arithmetic, no database, no streamlit.

Inputs: a baseline (date, value), the target (date, value, comparator, direction), the natural
limits of the indicator (e.g. a rate lies in [0, 100]) and the observed points (date, value).

- `expected_now`: the value on the straight path from the baseline to the target at the as-of
  date (the path is flat before the baseline and after the target date).
- `projected`: the value at the target date from the observed trend. Method: an ordinary
  least-squares line through the observed points dated after the baseline, with the baseline
  itself as a point, time measured in days; the line's value at the target date, clipped to the
  natural limits. At least 2 points are needed, else `projected` is None with the reason
  "chưa đủ số liệu để dự báo".
- `trend_category` follows Statistics Canada's SDG progress method (ratio of the observed to
  the required rate of change): observed = the trend line's slope; required = (target −
  baseline) / (target date − baseline date). Ratio ≥ 0.95 "đúng hướng" (on track); 0.60-0.95
  "cần đẩy nhanh"; 0-0.60 "tiến triển hạn chế"; < 0 "đi ngược". A latest observed value that
  already meets the target is "đã đạt". Lower-is-better (comparators "<=", "<", direction
  "down", and ranks: "top", "rank_up", where a smaller rank number is better) needs no special
  case: required and observed slopes are both negative, so their ratio is positive. When the
  baseline already meets the target but the latest value does not, the required rate is zero;
  the category is then "đúng hướng" if the trend does not move away from the target, else
  "đi ngược".

"Nguy cơ không đạt" (at risk) = not met and the category is "đi ngược" or "tiến triển hạn chế".
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass

DA_DAT = "da_dat"
DUNG_HUONG = "dung_huong"
CAN_DAY_NHANH = "can_day_nhanh"
HAN_CHE = "han_che"
DI_NGUOC = "di_nguoc"
CHUA_DU = "chua_du_so_lieu"
TREND_LABELS = {
    DA_DAT: "Đã đạt", DUNG_HUONG: "Đúng hướng", CAN_DAY_NHANH: "Cần đẩy nhanh",
    HAN_CHE: "Tiến triển hạn chế", DI_NGUOC: "Đi ngược", CHUA_DU: "Chưa đủ số liệu để dự báo",
}
# Display order: the categories that put a target at risk first.
TREND_ORDER = (DI_NGUOC, HAN_CHE, CAN_DAY_NHANH, CHUA_DU, DUNG_HUONG, DA_DAT)
AT_RISK = (DI_NGUOC, HAN_CHE)
NOT_ENOUGH = "chưa đủ số liệu để dự báo"
ON_TRACK_RATIO = 0.95
ACCELERATE_RATIO = 0.60
LOWER_IS_BETTER = ("<=", "<", "top", "rank_up")


@dataclass(frozen=True)
class Forecast:
    """The trajectory of one target at an as-of date; `reason` says why a figure is missing."""

    expected_now: float | None
    projected: float | None
    ratio: float | None
    trend_category: str
    reason: str
    sample: bool

    @property
    def trend_label(self) -> str:
        return TREND_LABELS[self.trend_category]

    @property
    def at_risk(self) -> bool:
        return self.trend_category in AT_RISK


def lower_is_better(comparator: str, direction: str) -> bool:
    return comparator in LOWER_IS_BETTER or direction == "down"


def meets(value: float, comparator: str, target: float, direction: str = "up") -> bool:
    """Whether `value` meets the target (`target` for ranks is the rank to reach, e.g. base rank − N)."""
    if comparator == ">":
        return value > target
    if comparator == "<":
        return value < target
    return value <= target if lower_is_better(comparator, direction) else value >= target


def _days(a: dt.date, b: dt.date) -> float:
    return float((b - a).days)


def forecast(baseline: tuple[dt.date, float] | None, target_date: dt.date, target: float, comparator: str,
             points: Sequence[tuple[dt.date, float]], as_of: dt.date, direction: str = "up",
             limits: tuple[float | None, float | None] = (None, None), sample: bool = False) -> Forecast:
    """The forecast of one target (see the module docstring). `points` may be in any order.

    `limits` = (lowest, highest) possible value, e.g. (0, 100) for a rate; None = unbounded.
    `sample` is passed through: a forecast resting on generated values is itself a sample.
    """
    lo, hi = limits
    observed = sorted((d, float(v)) for d, v in points if d <= as_of and (baseline is None or d > baseline[0]))
    latest = observed[-1][1] if observed else None
    expected = None
    if baseline is not None:
        span = _days(baseline[0], target_date)
        share = 1.0 if span <= 0 else min(1.0, max(0.0, _days(baseline[0], as_of) / span))
        expected = baseline[1] + (target - baseline[1]) * share
    fit = ([baseline] if baseline is not None else []) + observed
    if latest is not None and meets(latest, comparator, target, direction):
        projected = _project(fit, target_date, lo, hi) if len(fit) >= 2 else None
        return Forecast(expected, projected, None, DA_DAT, "", sample)
    if len({d for d, _ in fit}) < 2:
        return Forecast(expected, None, None, CHUA_DU, NOT_ENOUGH, sample)
    slope, _ = _line(fit)
    projected = _project(fit, target_date, lo, hi)
    start_date, start_value = baseline if baseline is not None else fit[0]
    span = _days(start_date, target_date)
    required = (target - start_value) / span if span > 0 else 0.0
    down = lower_is_better(comparator, direction)
    wrong_way = required > 0 if down else required < 0
    if wrong_way or required == 0:
        # The start already met the target: on track unless the trend moves away from it.
        away = slope > 0 if down else slope < 0
        return Forecast(expected, projected, None, DI_NGUOC if away else DUNG_HUONG, "", sample)
    ratio = slope / required
    category = (DUNG_HUONG if ratio >= ON_TRACK_RATIO else CAN_DAY_NHANH if ratio >= ACCELERATE_RATIO
                else HAN_CHE if ratio >= 0 else DI_NGUOC)
    return Forecast(expected, projected, ratio, category, "", sample)


def _line(fit: Sequence[tuple[dt.date, float]]) -> tuple[float, float]:
    """Least-squares (slope per day, intercept at the first date)."""
    x0 = fit[0][0]
    xs = [_days(x0, d) for d, _ in fit]
    ys = [v for _, v in fit]
    mx, my = sum(xs) / len(xs), sum(ys) / len(ys)
    sxx = sum((x - mx) ** 2 for x in xs)
    slope = sum((x - mx) * (y - my) for x, y in zip(xs, ys, strict=True)) / sxx
    return slope, my - slope * mx


def _project(fit: Sequence[tuple[dt.date, float]], when: dt.date, lo: float | None, hi: float | None) -> float | None:
    if len({d for d, _ in fit}) < 2:
        return None
    slope, intercept = _line(fit)
    value = intercept + slope * _days(fit[0][0], when)
    if lo is not None:
        value = max(lo, value)
    if hi is not None:
        value = min(hi, value)
    return value
