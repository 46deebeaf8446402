"""Trajectory and forecast of the real targets: `targets --json`, `target_trends` and the Chỉ tiêu page."""

from __future__ import annotations

import datetime as dt
import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest
from sqlalchemy import text
from sqlalchemy.engine import Engine

from data_access import forecast as fc
from data_access import targets as tg

ROOT = Path(__file__).resolve().parent.parent
AS_OF = dt.date(2026, 9, 30)
TREND_KEYS = {"expected_now", "projected", "trend_category", "trend_label", "trend_ratio", "trend_reason",
              "trend_sample", "at_risk", "baseline"}


def _as_date(v: object) -> dt.date:
    return v if isinstance(v, dt.date) else dt.date.fromisoformat(str(v))


def _independent(engine: Engine, code: str) -> tuple[float, float, float]:
    """(expected_now, projected, ratio) recomputed with numpy from the raw rows, for an annual-baseline target."""
    with engine.connect() as conn:
        t = conn.execute(text("select t.year, t.comparator, t.value, t.base_year, t.deadline, i.id, i.unit "
                              "from target t join indicator i on i.id = t.indicator_id where t.code = :c"),
                         {"c": code}).one()
        rows = conn.execute(text("select period, period_end, value, is_sample from indicatorvalue "
                                 "where indicator_id = :i order by period_end"), {"i": t.id}).all()
    annual = [(_as_date(r.period_end), float(r.value)) for r in rows if str(r.period).isdigit()
              and _as_date(r.period_end) <= AS_OF]
    if t.base_year is not None:
        base = next(p for p in annual if p[0].year == t.base_year)
    else:
        base = next(p for p in annual if p[0].year < t.year)
    target = float(t.value) if t.comparator != "rank_up" else base[1] - float(t.value)
    deadline = _as_date(t.deadline) if t.deadline else dt.date(t.year, 12, 31)
    fit = [p for p in annual if p[0] >= base[0]]
    xs = np.array([(d - base[0]).days for d, _ in fit], dtype=float)
    slope, intercept = np.polyfit(xs, np.array([v for _, v in fit]), 1)
    span = (deadline - base[0]).days
    expected = base[1] + (target - base[1]) * min(1.0, (AS_OF - base[0]).days / span)
    projected = intercept + slope * span
    if str(t.unit) == "%":
        projected = min(100.0, max(0.0, projected))
    return expected, projected, slope / ((target - base[1]) / span)


def test_targets_json_has_the_forecast_of_every_target(sample_db_file: Path, tmp_path: Path) -> None:
    db = tmp_path / "t.db"
    shutil.copy(sample_db_file, db)
    env = {**os.environ, "DATABASE_URL": f"sqlite:///{db}"}
    done = subprocess.run([sys.executable, "-m", "data_access", "targets", "--json", "--as-of", AS_OF.isoformat()],
                          cwd=ROOT, env=env, capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stderr
    items = json.loads(done.stdout)
    assert items and all(set(i) >= TREND_KEYS for i in items)
    assert all(i["trend_category"] in fc.TREND_LABELS and i["trend_label"] == fc.TREND_LABELS[i["trend_category"]]
               for i in items)
    # At risk = not met and going backwards or limited progress; those come first.
    risk = [i["at_risk"] for i in items]
    assert any(risk) and risk == sorted(risk, reverse=True)
    for i in items:
        assert i["at_risk"] == (i["rating"] != tg.DAT and i["trend_category"] in (fc.DI_NGUOC, fc.HAN_CHE))
        if i["trend_category"] == fc.CHUA_DU:
            assert i["projected"] is None and i["trend_reason"].startswith("chưa đủ số liệu để dự báo"), i["code"]
        if i["rating"] == tg.DAT:
            assert i["trend_category"] == fc.DA_DAT, i["code"]
        if i["projected"] is not None and i["indicator"]["unit"] == "%":
            assert 0 <= i["projected"] <= 100, i["code"]
    by_code = {i["code"]: i for i in items}
    # Rank 10 in 2024 (seed 001 PAR INDEX) to the sample's 12 in 2025, needing rank 5: going backwards.
    assert (by_code["PS25-PARUP5"]["baseline"]["value"], by_code["PS25-PARUP5"]["trend_category"]) == (10.0, fc.DI_NGUOC)
    assert by_code["PS25-PARUP5"]["trend_sample"] is True


@pytest.mark.parametrize("code", ["BC25-HLHC90", "PS25-PARUP5", "PS25-GN100"])
def test_forecast_matches_an_independent_recomputation(sample_engine: Engine, code: str) -> None:
    r = next(x for x in tg.target_trends(sample_engine, AS_OF) if x.code == code)
    expected, projected, ratio = _independent(sample_engine, code)
    assert r.expected_now == pytest.approx(expected)
    assert r.projected == pytest.approx(projected)
    assert r.trend_ratio == pytest.approx(ratio)
    category = (fc.DUNG_HUONG if ratio >= 0.95 else fc.CAN_DAY_NHANH if ratio >= 0.6 else fc.HAN_CHE if ratio >= 0
                else fc.DI_NGUOC)
    assert r.trend_category == category and r.at_risk


def test_plan_completion_is_not_trended_across_plans(sample_engine: Engine) -> None:
    with sample_engine.connect() as conn:
        plan_indicators = {int(i) for i in conn.execute(text("select id from indicator where plan_id is not null"))
                           .scalars()}
    results = tg.target_trends(sample_engine, AS_OF)
    planned = [r for r in results if r.indicator_id in plan_indicators]
    assert all(r.trend_category == fc.CHUA_DU and r.projected is None for r in planned)


def test_indicator_passport_counts_against_the_rows(sample_engine: Engine) -> None:
    # PL7-1 (giải ngân vốn đầu tư công): annual figures 2021-2024 and 2025-Q1 from seed 001 Phụ lục 7, one sample.
    with sample_engine.connect() as conn:
        ind = conn.execute(text("select id, source from indicator where code = 'PL7-1'")).one()
        rows = conn.execute(text("select period, is_sample, is_derived from indicatorvalue where indicator_id = :i"),
                            {"i": ind.id}).all()
    p = tg.indicator_passport(sample_engine, int(ind.id))
    assert p is not None
    assert (p.code, p.unit, p.limits, p.direction) == ("PL7-1", "%", "0-100%", "Cao hơn là tốt hơn")
    assert p.values == len(rows) and p.sample == sum(bool(r.is_sample) for r in rows) >= 1
    assert p.official == sum(not r.is_sample and not r.is_derived for r in rows) >= 5
    assert p.frequency == "Năm và quý" and p.source == str(ind.source or "")
    assert tg.indicator_passport(sample_engine, 10**9) is None


def test_page_detail_shows_the_trend_and_passport(store: Engine) -> None:
    from tests.test_page_views import _page

    at = _page("pages/chi_tieu.py", as_of=AS_OF)
    at.selectbox(key="indicator_pick").set_value("PS25-PARUP5").run()
    assert not at.exception
    text_shown = " ".join(m.value for m in at.markdown)
    assert "Xu hướng: **Nguy cơ không đạt – Đi ngược (mẫu)**" in text_shown
    assert "Năm gốc Năm 2024: Hạng 10" in text_shown
    assert any(e.label.startswith("Hộ chiếu chỉ số") for e in at.expander)
    assert "**Giới hạn tự nhiên**: từ hạng 1" in text_shown
