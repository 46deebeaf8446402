"""The pages' cached reads (ui/data.py): a write by another process shows on the next rerun, each reader
caches on its own.

The other process is simulated by writing straight into the store and bumping its data version, without
calling `ui.data.invalidate()` (which only a write made inside the app calls).
"""

from __future__ import annotations

import datetime as dt
import inspect

import sqlalchemy as sa
from sqlalchemy.engine import Engine

from data_access import queries as q
from data_access import status as s
from data_access.clock import today_vn
from data_access.periods import period_bounds, period_of
from data_access.vn import fmt_number
from tests.signin import signed_in


def _complete_an_overdue_task_elsewhere(engine: Engine, as_of: dt.date) -> None:
    """A 'done' report for every lead of one overdue task, and the data version bumped, as an upload in
    another process (the command line, a second replica) does."""
    overdue = q.task_list(engine, q.Filters(as_of=as_of), statuses=(s.OPEN_OVERDUE,))
    code = str(overdue["code"].iloc[0])
    period = period_of(as_of)
    start, end = period_bounds(period)
    with engine.begin() as conn:
        leads = conn.execute(sa.text(
            "SELECT a.id FROM assignment a JOIN task t ON t.id = a.task_id "
            "WHERE t.code = :c AND a.role = 'chu_tri'"), {"c": code}).scalars().all()
        for assignment_id in leads:
            conn.execute(sa.text(
                "INSERT INTO statusreport (assignment_id, period, period_start, period_end, state, progress_pct, "
                "completed_on, is_sample, recorded_at, recorded_by) VALUES (:a, :p, :ps, :pe, 'hoan_thanh', "
                "100, :done, false, :now, 'test')"),
                {"a": assignment_id, "p": period, "ps": start, "pe": end, "done": as_of,
                 "now": dt.datetime.now(dt.UTC)})
        conn.execute(sa.text("UPDATE meta SET value = CAST(CAST(value AS INTEGER) + 1 AS VARCHAR(20)) "
                             "WHERE key = 'data_version'"))


def test_a_write_elsewhere_shows_on_the_next_rerun(store: Engine) -> None:
    today = today_vn()
    before = q.overview_page(store, q.Filters(as_of=today)).change.now.overdue
    at = signed_in("lanh_dao")
    at.selectbox(key="f_year").set_value("Tất cả")  # every plan, as `q.overview` with no plan filter
    at.run()
    assert not at.exception
    assert {m.label: m.value for m in at.metric}["Quá hạn"] == fmt_number(before)
    _complete_an_overdue_task_elsewhere(store, today)
    at.run()  # a rerun: same process, same caches, no invalidate() call
    assert not at.exception
    assert {m.label: m.value for m in at.metric}["Quá hạn"] == fmt_number(before - 1)


def test_every_reader_has_its_own_cache() -> None:
    from ui import data

    def is_reader(value: object) -> bool:
        body = getattr(value, "__wrapped__", None)
        return body is not None and next(iter(inspect.signature(body).parameters), "") == "store_version"

    readers = [value for value in vars(data).values() if is_reader(value)]
    # One cache per reader, each cleared by invalidate(); the cached bodies are distinct functions.
    assert len(readers) >= 18
    assert len(data._CLEARS) == len(readers)
    assert len({id(r.__wrapped__) for r in readers}) == len(readers)
