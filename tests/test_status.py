"""Status and RAG rules, and the SQL pipeline agreeing with them on the whole sample store."""

import datetime as dt
from pathlib import Path

import pandas as pd
import pytest
import sqlalchemy as sa
from sqlalchemy.engine import Engine

from data_access import queries as q
from data_access import status
from data_access.tables import T
from tests import independent, oracles

D = dt.date(2026, 6, 15)


@pytest.mark.parametrize(
    ("deadline", "completed", "expected"),
    [
        (D - dt.timedelta(days=5), D - dt.timedelta(days=5), status.DONE_ON_TIME),  # done on the deadline day
        (D - dt.timedelta(days=5), D - dt.timedelta(days=4), status.DONE_LATE),  # done one day late
        (D - dt.timedelta(days=1), None, status.OPEN_OVERDUE),  # deadline yesterday
        (D, None, status.DUE_SOON),  # deadline today: not overdue yet
        (D + dt.timedelta(days=10), None, status.DUE_SOON),
        (D + dt.timedelta(days=30), None, status.DUE_SOON),
        (D + dt.timedelta(days=31), None, status.OPEN_ON_TIME),
        (D + dt.timedelta(days=40), None, status.OPEN_ON_TIME),
        (None, None, status.NO_DEADLINE),  # recurring: never overdue
        (None, D - dt.timedelta(days=3), status.DONE_ON_TIME),
        (D - dt.timedelta(days=5), D + dt.timedelta(days=1), status.OPEN_OVERDUE),  # completion after as-of not seen
    ],
)
def test_assignment_status(deadline: dt.date | None, completed: dt.date | None, expected: str) -> None:
    assert status.assignment_status(deadline, completed, D) == expected


def test_due_soon_window_is_configurable() -> None:
    assert status.assignment_status(D + dt.timedelta(days=10), None, D, due_soon_days=7) == status.OPEN_ON_TIME


def test_two_lead_task_with_one_lead_done_is_not_done() -> None:
    deadline = D + dt.timedelta(days=60)
    assert status.task_status(deadline, [D - dt.timedelta(days=2), None], D) == status.OPEN_ON_TIME
    assert status.task_status(D - dt.timedelta(days=1), [D - dt.timedelta(days=9), None], D) == status.OPEN_OVERDUE
    both = [D - dt.timedelta(days=9), D - dt.timedelta(days=2)]
    assert status.task_status(D - dt.timedelta(days=5), both, D) == status.DONE_LATE  # the last lead decides
    assert status.task_completed_on(both) == D - dt.timedelta(days=2)
    assert status.task_completed_on([]) is None


def test_ageing() -> None:
    assert status.days_overdue(D - dt.timedelta(days=31), D) == 31
    assert status.days_overdue(D, D) == 0
    assert [status.ageing_bucket(n).label for n in (1, 30, 31, 90, 91, 5000)] == [
        "1-30 ngày", "1-30 ngày", "31-90 ngày", "31-90 ngày", "Trên 90 ngày", "Trên 90 ngày"]


@pytest.mark.parametrize(
    ("value", "comparator", "target", "direction", "expected"),
    [
        (72.0, ">=", 70, "up", status.GREEN),
        (68.0, ">=", 70, "up", status.AMBER),  # within 5% of the target
        (60.0, ">=", 70, "up", status.RED),
        (100.0, "=", 100, "up", status.GREEN),
        (96.0, "=", 100, "up", status.AMBER),
        (80.0, "=", 100, "up", status.RED),
        (4.0, "<=", 5, "down", status.GREEN),
        (5.2, "<=", 5, "down", status.AMBER),
        (9.0, "<=", 5, "down", status.RED),
        (0.0, "=", 0, "down", status.GREEN),
        (10.0, "top", 15, "down", status.GREEN),  # rank 10 meets "top 15"
        (18.0, "top", 15, "down", status.AMBER),
        (30.0, "top", 15, "down", status.RED),
        (None, ">=", 70, "up", status.GREY),
    ],
)
def test_rag(value: float | None, comparator: str, target: float, direction: str, expected: str) -> None:
    assert status.rag(value, comparator, target, direction) == expected


def test_gap() -> None:
    assert status.gap(60.0, ">=", 70) == 10
    assert status.gap(72.0, ">=", 70) == 0
    assert status.gap(30.0, "top", 15) == 15


@pytest.mark.parametrize("as_of", [dt.date(2024, 5, 1), dt.date(2025, 12, 31), dt.date(2026, 11, 22)])
def test_sql_pipeline_matches_python_rules(sample_engine: Engine, sample_db_file: Path, as_of: dt.date) -> None:
    expected = independent.task_statuses(sample_db_file, as_of)
    frame = q.task_list(sample_engine, q.Filters(as_of=as_of))
    got = dict(zip(frame["code"], frame["status"], strict=True))
    assert got == expected


# --- several as-of dates in one query: the same numbers as one date at a time ---------------

DATES = [dt.date(2024, 5, 1), dt.date(2025, 9, 30), dt.date(2025, 12, 31), dt.date(2026, 6, 30),
         dt.date(2026, 11, 22)]


def test_status_counts_at_several_dates_equal_independent(sample_engine: Engine, sample_db_file: Path) -> None:
    got = oracles.status_counts_at(sample_engine, q.Filters(as_of=DATES[-1]), DATES)
    for day, counts in zip(DATES, got, strict=True):
        expected = independent.status_counter(sample_db_file, day)
        assert counts == {code: expected.get(code, 0) for code in status.STATUS_ORDER}, day


def test_completion_by_field_at_several_dates_equal_independent(sample_engine: Engine,
                                                               sample_db_file: Path) -> None:
    f = q.Filters(as_of=DATES[-1], field_codes=("TTHC", "CQS", "SIPAS"))
    got = q.completion_by_field_at(sample_engine, f, DATES)
    for day in DATES:
        for code in f.field_codes:
            expected = independent.status_counter(sample_db_file, day, field_codes={code})
            rows = got[(got["as_of"] == day) & (got["field_code"] == code)]
            assert dict(zip(rows["status"], rows["tasks"], strict=True)) == {k: v for k, v in expected.items() if v}


def _plan_ids(engine: Engine) -> dict[str, int]:
    frame = q.plans(engine)
    return {str(c): int(i) for c, i in zip(frame["code"], frame["id"], strict=True)}


def test_plan_completion_at_several_dates_equal_independent(sample_engine: Engine, sample_db_file: Path) -> None:
    ids = _plan_ids(sample_engine)
    got = oracles.plan_completion_at(sample_engine, DATES, tuple(ids.values()))
    for day, per_plan in zip(DATES, got, strict=True):
        for code, plan_id in ids.items():
            counts = independent.status_counter(sample_db_file, day, plan_codes={code})
            total = sum(counts.values())
            if total:
                assert per_plan[plan_id] == (counts[status.DONE_ON_TIME] + counts[status.DONE_LATE], total), (day, code)


# Filter combinations the pages offer: all, a year's plans and some fields, one lead agency.
def _filters(engine: Engine, as_of: dt.date) -> list[q.Filters]:
    plans = q.plans(engine)
    of_2025 = tuple(sorted(int(i) for i in plans[plans["year"] == 2025]["id"]))
    agency = int(q.overdue_by_agency(engine, q.Filters(as_of=DATES[-1]))["agency_id"].iloc[0])
    return [q.Filters(as_of=as_of), q.Filters(as_of=as_of, plan_ids=of_2025, field_codes=("TTHC", "SIPAS")),
            q.Filters(as_of=as_of, agency_ids=(agency,))]


def _same(a: object, b: object) -> None:
    import pandas as pd

    if isinstance(a, pd.DataFrame):
        assert isinstance(b, pd.DataFrame)
        pd.testing.assert_frame_equal(a.reset_index(drop=True), b.reset_index(drop=True), check_dtype=False)
    else:
        assert a == b


@pytest.mark.parametrize("as_of", [dt.date(2025, 12, 31), dt.date(2026, 11, 22)])
def test_overview_page_equals_its_parts(sample_engine: Engine, as_of: dt.date) -> None:
    for f in _filters(sample_engine, as_of):
        page = q.overview_page(sample_engine, f)
        _same(page.change, oracles.overview_change(sample_engine, f))
        _same(page.change.now, oracles.overview(sample_engine, f))
        _same(page.fields, q.field_status_table(sample_engine, f))
        _same(page.agencies, q.overdue_by_agency(sample_engine, f))
        _same(page.board, q.indicator_board(sample_engine, as_of))


@pytest.mark.parametrize("as_of", [dt.date(2025, 12, 31), dt.date(2026, 11, 22)])
def test_field_progress_equals_its_parts(sample_engine: Engine, sample_db_file: Path, as_of: dt.date) -> None:
    for f in _filters(sample_engine, as_of):
        page = q.field_progress(sample_engine, f, 8)
        _same(page.table, q.field_status_table(sample_engine, f))
        _same(page.trend, q.completion_over_time(sample_engine, f, 8))
    # The whole-scope line equals the independent count at each quarter end.
    trend = q.field_progress(sample_engine, q.Filters(as_of=as_of), 8).trend
    for _, row in trend[trend["field_code"] == ""].iterrows():
        counts = independent.status_counter(sample_db_file, row["period_end"])
        assert row["total"] == sum(counts.values())
        assert row["done"] == counts[status.DONE_ON_TIME] + counts[status.DONE_LATE]
        assert row["overdue"] == counts[status.OPEN_OVERDUE]


def _check_ageing(engine: Engine, as_of: dt.date) -> pd.DataFrame:
    """overdue_by_agency's d1_30 / d31_90 / d90_plus = status.ageing_bucket of each overdue lead assignment's days
    (read through assignment_list, the per-assignment route), per unit. Returns the overdue assignments."""
    f = q.Filters(as_of=as_of)
    overdue = q.assignment_list(engine, f, statuses=(status.OPEN_OVERDUE,))
    assert not overdue.empty
    expected: dict[int, dict[str, set[int]]] = {}
    for row in overdue.to_dict("records"):
        bucket = status.ageing_bucket(int(row["days_overdue"])).key
        expected.setdefault(int(row["agency_id"]), {}).setdefault(bucket, set()).add(int(row["task_id"]))
    got = q.overdue_by_agency(engine, f, rollup=False)
    got = got[got["overdue"] > 0]
    assert {int(a) for a in got["agency_id"]} == set(expected)
    for row in got.to_dict("records"):
        buckets = expected[int(row["agency_id"])]
        assert [row[b.key] for b in status.AGEING] == [len(buckets.get(b.key, ())) for b in status.AGEING], row
        assert sum(row[b.key] for b in status.AGEING) == row["overdue"]
    return overdue


@pytest.mark.parametrize("as_of", [dt.date(2026, 6, 30), dt.date(2026, 9, 30), dt.date(2026, 11, 22)])
def test_ageing_counts_in_sql_equal_the_buckets_of_each_overdue_assignment(sample_engine: Engine,
                                                                          as_of: dt.date) -> None:
    _check_ageing(sample_engine, as_of)


def test_ageing_bucket_edges_in_sql(db: Engine) -> None:
    """Deadlines exactly 1, 30, 31, 90 and 91 days before the as-of date fall in the buckets status.AGEING says."""
    as_of = dt.date(2026, 11, 22)
    tasks = sorted({int(t) for t in _check_ageing(db, as_of)["task_id"]})[:5]
    with db.begin() as conn:
        for task_id, days in zip(tasks, (1, 30, 31, 90, 91), strict=True):
            conn.execute(sa.update(T).where(T.c.id == task_id).values(deadline_date=as_of - dt.timedelta(days=days)))
    overdue = _check_ageing(db, as_of)
    shown = {int(r["task_id"]): int(r["days_overdue"]) for r in overdue.to_dict("records")}
    assert [shown[t] for t in tasks] == [1, 30, 31, 90, 91]
