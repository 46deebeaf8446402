"""Agency scorecard (issue 18, item 4) against an independent count on SQLite and PostgreSQL.

The counts are recomputed here from the raw tables in pandas with the pure status rule
(`status.assignment_status`), not with the module's SQL; return timeliness from a real applied return.
"""

from __future__ import annotations

import datetime as dt
import math

import pandas as pd
import pytest
from sqlalchemy import text
from sqlalchemy.engine import Engine
from streamlit.testing.v1 import AppTest

from data_access import models as m
from data_access import returns as rt
from data_access import scorecard as sc
from data_access import status
from data_access.periods import period_bounds
from data_access.permissions import Actor, PermissionDenied
from tests.signin import signed_in
from tests.test_returns import LAST_MINUTE, SNV, _apply, _independent_owing

TODAY = dt.date(2026, 11, 23)
ADMIN = Actor("quantri", "quan_tri")


def _date(v: object) -> dt.date | None:
    if v is None or (isinstance(v, float) and math.isnan(v)):
        return None
    return v if isinstance(v, dt.date) else dt.date.fromisoformat(str(v)[:10])


def _independent_counts(db: Engine, period: str) -> dict[str, tuple[int, int, int, int]]:
    """Agency name -> (due in quarter, on time, due by end, overdue), from raw rows and the pure rule."""
    start, end = period_bounds(period)
    with db.connect() as conn:
        ag = pd.read_sql("SELECT id, name, kind, parent_id FROM agency", conn)
        a = pd.read_sql("SELECT id, task_id, agency_id FROM assignment WHERE role = 'chu_tri'", conn)
        t = pd.read_sql("SELECT t.id, t.deadline_date, p.kind FROM task t JOIN plan p ON p.id = t.plan_id", conn)
        sr = pd.read_sql("SELECT id, assignment_id, period_start, period_end, state, completed_on FROM statusreport",
                         conn)
    sr["period_start"] = [_date(v) for v in sr["period_start"]]
    latest: dict[int, tuple[dt.date, int, str, dt.date | None, dt.date | None]] = {}
    for r in sr.itertuples():
        if r.period_start > end:
            continue
        key = (r.period_start, int(r.id))
        if r.assignment_id not in latest or key > latest[r.assignment_id][:2]:
            latest[int(r.assignment_id)] = (r.period_start, int(r.id), str(r.state), _date(r.completed_on),
                                            _date(r.period_end))
    agencies = {int(r.id): r for r in ag.itertuples()}
    tasks = {int(r.id): (_date(r.deadline_date), r.kind) for r in t.itertuples()}
    per: dict[tuple[int, int], list[tuple[str, dt.date | None]]] = {}
    for r in a.itertuples():
        deadline, kind = tasks[int(r.task_id)]
        if kind == m.PLAN_DIRECTIONS or deadline is None:
            continue
        unit = agencies[int(r.agency_id)]
        if unit.kind == m.KIND_DIVISION and not pd.isna(unit.parent_id):
            unit = agencies[int(unit.parent_id)]
        if unit.kind != m.KIND_PROVINCIAL:
            continue
        rep = latest.get(int(r.id))
        done = None
        if rep and rep[2] == m.STATE_DONE:
            when = rep[3] or rep[4]
            done = when if when is not None and when <= end else None
        per.setdefault((int(unit.id), int(r.task_id)), []).append(
            (status.assignment_status(deadline, done, end), done))
    out: dict[str, list[int]] = {}
    for (unit_id, task_id), leads in per.items():
        deadline = tasks[task_id][0]
        assert deadline is not None
        row = out.setdefault(str(agencies[unit_id].name), [0, 0, 0, 0])
        if start <= deadline <= end:
            row[0] += 1
            row[1] += all(s == status.DONE_ON_TIME for s, _ in leads)
        done_before = all(d is not None and d < start for _, d in leads)
        if deadline <= end and not done_before:
            row[2] += 1
            row[3] += any(s == status.OPEN_OVERDUE for s, _ in leads)
    return {k: (v[0], v[1], v[2], v[3]) for k, v in out.items()}


@pytest.mark.parametrize("period", ["2025-Q4", "2026-Q3"])
def test_task_counts_equal_an_independent_count(sample_engine: Engine, period: str) -> None:
    card = sc.agency_scorecard(sample_engine, period, today=TODAY)
    expected = _independent_counts(sample_engine, period)
    got = {str(r.agency): (r.due_in_quarter, r.on_time, r.due_by_end, r.overdue) for r in card.itertuples()}
    assert {k: v for k, v in got.items() if any(v)} == {k: v for k, v in expected.items() if any(v)}
    assert sum(v[0] for v in expected.values()) > 100 or sum(v[3] for v in expected.values()) > 10
    for r in card.itertuples():
        if r.due_in_quarter:
            assert r.dung_han == pytest.approx(100 * r.on_time / r.due_in_quarter)
        if r.due_by_end:
            assert r.qua_han == pytest.approx(100 * (r.due_by_end - r.overdue) / r.due_by_end)


def test_return_timeliness_and_weighted_total(db: Engine) -> None:
    _apply(db, LAST_MINUTE)  # Sở Nội vụ's Q3/2026 return, received on its due date's last minute
    card = sc.agency_scorecard(db, "2026-Q3", today=TODAY).set_index("agency")
    owing = _independent_owing(db, dt.date(2026, 7, 1))
    assert card.loc[SNV, "return_status"] == rt.ON_TIME and card.loc[SNV, "bao_cao"] == 100.0
    for name in owing - {SNV}:
        if name in card.index:
            assert card.loc[name, "bao_cao"] == 0.0
    for name in set(card.index) - owing:
        assert pd.isna(card.loc[name, "bao_cao"])
    # Total: weighted mean of the criteria that have a value (defaults 40/30/30).
    snv = card.loc[SNV]
    parts = [(snv[k], sc.DEFAULT_WEIGHTS[k]) for k in sc.CRITERIA if not pd.isna(snv[k])]
    assert snv["total"] == pytest.approx(sum(s * w for s, w in parts) / sum(w for _, w in parts))
    # Ranked best first; equal totals share a rank.
    totals = list(card["total"].dropna())
    assert totals == sorted(totals, reverse=True)


def test_pure_scores() -> None:
    c = sc.Counts(due_in_quarter=4, on_time=3, due_by_end=10, overdue=2, return_status=rt.LATE)
    assert sc.criterion_scores(c) == {sc.DUNG_HAN: 75.0, sc.QUA_HAN: 80.0, sc.BAO_CAO: 50.0}
    assert sc.total_score(sc.criterion_scores(c), sc.DEFAULT_WEIGHTS) == pytest.approx((75 * 40 + 80 * 30 + 50 * 30) / 100)
    # Nothing to measure is not a zero: the criterion drops out of the total.
    empty = sc.criterion_scores(sc.Counts(due_by_end=5, overdue=5, return_status=rt.NOT_DUE))
    assert empty == {sc.DUNG_HAN: None, sc.QUA_HAN: 0.0, sc.BAO_CAO: None}
    assert sc.total_score(empty, sc.DEFAULT_WEIGHTS) == 0.0
    assert sc.total_score({k: None for k in sc.CRITERIA}, sc.DEFAULT_WEIGHTS) is None


def test_admin_changes_weights_audited_and_the_ranking_follows(db: Engine) -> None:
    with pytest.raises(PermissionDenied):
        sc.set_weights(db, {sc.DUNG_HAN: 100, sc.QUA_HAN: 0, sc.BAO_CAO: 0}, Actor("lanhdao", "lanh_dao"))
    with pytest.raises(ValueError, match="từ 0 đến 100"):
        sc.set_weights(db, {sc.DUNG_HAN: 120, sc.QUA_HAN: 0, sc.BAO_CAO: 0}, ADMIN)
    with pytest.raises(ValueError, match="lớn hơn 0"):
        sc.set_weights(db, {sc.DUNG_HAN: 0, sc.QUA_HAN: 0, sc.BAO_CAO: 0}, ADMIN)
    assert sc.weights(db) == sc.DEFAULT_WEIGHTS
    sc.set_weights(db, {sc.DUNG_HAN: 100, sc.QUA_HAN: 0, sc.BAO_CAO: 0}, ADMIN)
    assert sc.weights(db) == {sc.DUNG_HAN: 100.0, sc.QUA_HAN: 0.0, sc.BAO_CAO: 0.0}
    card = sc.agency_scorecard(db, "2025-Q4", today=TODAY)
    assert all(t == pytest.approx(d) for t, d in zip(card["total"], card["dung_han"], strict=True))
    with db.connect() as conn:
        detail = conn.execute(text("select detail from auditlog where action = 'trong_so_xep_hang'")).scalar_one()
    assert "Nhiệm vụ hoàn thành đúng hạn: 40 -> 100" in detail


def _scorecard_page(role: str) -> AppTest:
    at = signed_in(role)
    at.date_input(key="f_as_of").set_value(TODAY)
    at.switch_page("pages/xep_hang_co_quan.py").run()
    assert not at.exception, [e.value for e in at.exception]
    return at


def test_scorecard_page_shows_the_ranking(store: Engine) -> None:
    at = _scorecard_page("lanh_dao")
    at.selectbox(key="score_period").set_value("2025-Q4").run()
    assert not at.exception, [e.value for e in at.exception]
    card = sc.agency_scorecard(store, "2025-Q4", today=TODAY)
    shown = next(d.value for d in at.dataframe if "Tổng điểm" in d.value.columns)
    shown = shown.data if hasattr(shown, "data") else shown  # a Styler in, a frame out
    assert list(shown["Cơ quan"]) == list(card["agency"])
    assert list(shown["Hạng"])[0] == "1"
    # A leader sees no weights form; an administrator does.
    assert not [n for n in at.number_input if n.key and n.key.startswith("w_")]
    admin = _scorecard_page("quan_tri")
    assert {n.key for n in admin.number_input} >= {f"w_{k}" for k in sc.CRITERIA}


def test_admin_saves_weights_on_the_page(store: Engine) -> None:
    admin = _scorecard_page("quan_tri")
    admin.number_input(key="w_dung_han").set_value(50)
    admin.number_input(key="w_qua_han").set_value(50)
    admin.number_input(key="w_bao_cao").set_value(0)
    next(b for b in admin.button if b.label == "Lưu trọng số").click().run()
    assert not admin.exception, [e.value for e in admin.exception]
    assert sc.weights(store) == {sc.DUNG_HAN: 50.0, sc.QUA_HAN: 50.0, sc.BAO_CAO: 0.0}
    assert any("Đã lưu trọng số mới" in s.value for s in admin.success)
