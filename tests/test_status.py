"""Status and RAG rules, and the SQL pipeline agreeing with them on the whole sample store."""

import datetime as dt
from pathlib import Path

import pytest
from sqlalchemy.engine import Engine

from data_access import queries as q
from data_access import status as s
from tests import independent

D = dt.date(2026, 6, 15)


@pytest.mark.parametrize(
    ("deadline", "completed", "expected"),
    [
        (D - dt.timedelta(days=5), D - dt.timedelta(days=5), s.DONE_ON_TIME),  # done on the deadline day
        (D - dt.timedelta(days=5), D - dt.timedelta(days=4), s.DONE_LATE),  # done one day late
        (D - dt.timedelta(days=1), None, s.OPEN_OVERDUE),  # deadline yesterday
        (D, None, s.DUE_SOON),  # deadline today: not overdue yet
        (D + dt.timedelta(days=10), None, s.DUE_SOON),
        (D + dt.timedelta(days=30), None, s.DUE_SOON),
        (D + dt.timedelta(days=31), None, s.OPEN_ON_TIME),
        (D + dt.timedelta(days=40), None, s.OPEN_ON_TIME),
        (None, None, s.NO_DEADLINE),  # recurring: never overdue
        (None, D - dt.timedelta(days=3), s.DONE_ON_TIME),
        (D - dt.timedelta(days=5), D + dt.timedelta(days=1), s.OPEN_OVERDUE),  # completion after as-of not seen
    ],
)
def test_assignment_status(deadline: dt.date | None, completed: dt.date | None, expected: str) -> None:
    assert s.assignment_status(deadline, completed, D) == expected


def test_due_soon_window_is_configurable() -> None:
    assert s.assignment_status(D + dt.timedelta(days=10), None, D, due_soon_days=7) == s.OPEN_ON_TIME


def test_two_lead_task_with_one_lead_done_is_not_done() -> None:
    deadline = D + dt.timedelta(days=60)
    assert s.task_status(deadline, [D - dt.timedelta(days=2), None], D) == s.OPEN_ON_TIME
    assert s.task_status(D - dt.timedelta(days=1), [D - dt.timedelta(days=9), None], D) == s.OPEN_OVERDUE
    both = [D - dt.timedelta(days=9), D - dt.timedelta(days=2)]
    assert s.task_status(D - dt.timedelta(days=5), both, D) == s.DONE_LATE  # the last lead decides
    assert s.task_completed_on(both) == D - dt.timedelta(days=2)
    assert s.task_completed_on([]) is None


def test_ageing() -> None:
    assert s.days_overdue(D - dt.timedelta(days=31), D) == 31
    assert s.days_overdue(D, D) == 0
    assert [s.ageing_bucket(n) for n in (1, 30, 31, 90, 91)] == [
        "1-30 ngày", "1-30 ngày", "31-90 ngày", "31-90 ngày", "Trên 90 ngày"]


@pytest.mark.parametrize(
    ("value", "comparator", "target", "direction", "expected"),
    [
        (72.0, ">=", 70, "up", s.GREEN),
        (68.0, ">=", 70, "up", s.AMBER),  # within 5% of the target
        (60.0, ">=", 70, "up", s.RED),
        (100.0, "=", 100, "up", s.GREEN),
        (96.0, "=", 100, "up", s.AMBER),
        (80.0, "=", 100, "up", s.RED),
        (4.0, "<=", 5, "down", s.GREEN),
        (5.2, "<=", 5, "down", s.AMBER),
        (9.0, "<=", 5, "down", s.RED),
        (0.0, "=", 0, "down", s.GREEN),
        (10.0, "top", 15, "down", s.GREEN),  # rank 10 meets "top 15"
        (18.0, "top", 15, "down", s.AMBER),
        (30.0, "top", 15, "down", s.RED),
        (None, ">=", 70, "up", s.GREY),
    ],
)
def test_rag(value: float | None, comparator: str, target: float, direction: str, expected: str) -> None:
    assert s.rag(value, comparator, target, direction) == expected


def test_gap() -> None:
    assert s.gap(60.0, ">=", 70) == 10
    assert s.gap(72.0, ">=", 70) == 0
    assert s.gap(30.0, "top", 15) == 15


@pytest.mark.parametrize("as_of", [dt.date(2024, 5, 1), dt.date(2025, 12, 31), dt.date(2026, 11, 22)])
def test_sql_pipeline_matches_python_rules(sample_engine: Engine, sample_db_file: Path, as_of: dt.date) -> None:
    expected = independent.task_statuses(sample_db_file, as_of)
    frame = q.task_list(sample_engine, q.Filters(as_of=as_of))
    got = dict(zip(frame["code"], frame["status"], strict=True))
    assert got == expected
