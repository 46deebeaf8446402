"""The pure forecast on hand-computed series (data_access/forecast.py)."""

from __future__ import annotations

import datetime as dt

import pytest

from data_access import forecast as fc

D = dt.date
B = D(2024, 12, 31)  # baseline date
T = D(2026, 12, 31)  # target date: 730 days after B
MID = D(2025, 12, 31)  # 365 days after B


def test_rising_on_track() -> None:
    # 80 -> 85 in 365 days: slope 5/365 per day; required 10/730 = 5/365; ratio 1; projected 90.
    f = fc.forecast((B, 80.0), T, 90.0, ">=", [(MID, 85.0)], as_of=MID)
    assert f.trend_category == fc.DUNG_HUONG and f.trend_label == "Đúng hướng"
    assert f.ratio == pytest.approx(1.0)
    assert f.projected == pytest.approx(90.0)
    assert f.expected_now == pytest.approx(80 + 10 * 365 / 730)
    assert not f.at_risk


def test_rising_too_slowly_needs_acceleration_or_limited() -> None:
    # 80 -> 83.5: ratio 3.5/5 = 0.7 -> cần đẩy nhanh; projected 87.
    f = fc.forecast((B, 80.0), T, 90.0, ">=", [(MID, 83.5)], as_of=MID)
    assert (f.trend_category, f.ratio, f.projected) == (fc.CAN_DAY_NHANH, pytest.approx(0.7), pytest.approx(87.0))
    # 80 -> 81: ratio 0.2 -> tiến triển hạn chế, at risk.
    g = fc.forecast((B, 80.0), T, 90.0, ">=", [(MID, 81.0)], as_of=MID)
    assert (g.trend_category, g.ratio, g.at_risk) == (fc.HAN_CHE, pytest.approx(0.2), True)


def test_flat() -> None:
    f = fc.forecast((B, 80.0), T, 90.0, ">=", [(MID, 80.0)], as_of=MID)
    assert (f.trend_category, f.ratio, f.projected) == (fc.HAN_CHE, pytest.approx(0.0), pytest.approx(80.0))
    assert f.at_risk


def test_falling_goes_backwards() -> None:
    f = fc.forecast((B, 80.0), T, 90.0, ">=", [(MID, 78.0)], as_of=MID)
    assert (f.trend_category, f.ratio, f.projected) == (fc.DI_NGUOC, pytest.approx(-0.4), pytest.approx(76.0))
    assert f.trend_label == "Đi ngược" and f.at_risk


def test_capped_at_100() -> None:
    # 90 -> 98 in a year: the line reaches 106 at the target date; a rate cannot exceed 100.
    f = fc.forecast((B, 90.0), T, 100.0, "=", [(MID, 98.0)], as_of=MID, limits=(0.0, 100.0))
    assert f.projected == pytest.approx(100.0)
    assert f.ratio == pytest.approx(8 / 5) and f.trend_category == fc.DUNG_HUONG


def test_lower_is_better() -> None:
    # Overdue share 20% -> 16% against "<= 10%": required -5/yr, observed -4/yr: ratio 0.8.
    f = fc.forecast((B, 20.0), T, 10.0, "<=", [(MID, 16.0)], as_of=MID, direction="down")
    assert (f.trend_category, f.ratio, f.projected) == (fc.CAN_DAY_NHANH, pytest.approx(0.8), pytest.approx(12.0))
    # Rising when lower is better goes backwards.
    g = fc.forecast((B, 20.0), T, 10.0, "<=", [(MID, 22.0)], as_of=MID, direction="down")
    assert g.trend_category == fc.DI_NGUOC and g.ratio == pytest.approx(-0.4)


def test_rank() -> None:
    # Rank 10 -> 8 against "top 5": required -2.5 places/yr, observed -2: ratio 0.8; projected rank 6.
    f = fc.forecast((B, 10.0), T, 5.0, "top", [(MID, 8.0)], as_of=MID, limits=(1.0, None))
    assert (f.trend_category, f.ratio, f.projected) == (fc.CAN_DAY_NHANH, pytest.approx(0.8), pytest.approx(6.0))
    # Rank 10 -> 4: clipped at rank 1 is not needed (projected -2 clips to 1), already met.
    g = fc.forecast((B, 10.0), T, 5.0, "top", [(MID, 4.0)], as_of=MID, limits=(1.0, None))
    assert g.trend_category == fc.DA_DAT and g.projected == pytest.approx(1.0)


def test_one_point_only() -> None:
    f = fc.forecast(None, T, 90.0, ">=", [(MID, 85.0)], as_of=MID)
    assert (f.projected, f.trend_category, f.reason) == (None, fc.CHUA_DU, "chưa đủ số liệu để dự báo")
    assert f.expected_now is None and not f.at_risk
    # A baseline and no point after it: nothing to trend either.
    g = fc.forecast((B, 80.0), T, 90.0, ">=", [], as_of=MID)
    assert (g.projected, g.trend_category) == (None, fc.CHUA_DU)
    assert g.expected_now == pytest.approx(85.0)


def test_already_met() -> None:
    f = fc.forecast((B, 80.0), T, 90.0, ">=", [(MID, 91.0)], as_of=MID, sample=True)
    assert f.trend_category == fc.DA_DAT and f.trend_label == "Đã đạt" and f.sample
    assert not f.at_risk


def test_least_squares_over_several_points_and_future_points_ignored() -> None:
    # Baseline 0 at day 0, points 1 at day 365, 1 at day 730 (T): x=(0,365,730), y=(0,1,1):
    # slope = sum((x-365)(y-2/3)) / sum((x-365)^2) = (365*(2/3)+365*(1/3)) / (2*365^2) = 1/730 per day;
    # intercept (day 0) = 2/3 - 365/730 = 1/6; at day 1095: 1/6 + 1,5 = 5/3. Required 10/1095: ratio 0,15.
    points = [(MID, 1.0), (T, 1.0), (D(2027, 6, 30), 50.0)]
    f = fc.forecast((B, 0.0), D(2027, 12, 31), 10.0, ">=", points, as_of=T)
    assert f.ratio == pytest.approx(0.15)
    assert f.trend_category == fc.HAN_CHE
    assert f.projected == pytest.approx(5 / 3)


def test_baseline_already_meets_but_latest_does_not() -> None:
    f = fc.forecast((B, 95.0), T, 90.0, ">=", [(MID, 89.0)], as_of=MID)
    assert f.trend_category == fc.DI_NGUOC and f.ratio is None
