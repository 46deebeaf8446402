"""The importer's bulk insert stores exactly what a plain SQLAlchemy insert stores, on both backends.

PostgreSQL writes many rows in one INSERT ... SELECT FROM unnest (issue 19: the whole import path
near the bare read); that must never change a stored value: dates, a timezone-aware timestamp into
a TIMESTAMP column, fractional percentages, NULLs, Vietnamese text.
"""

from __future__ import annotations

import datetime as dt

from sqlalchemy import insert, select
from sqlalchemy.engine import Engine

from data_access import importer as imp
from data_access import models as m
from data_access.tables import SR, A

COLUMNS = ("assignment_id", "state", "progress_pct", "completed_on", "output_document", "difficulties")


def _rows(assignments: list[int]) -> list[tuple[object, ...]]:
    a, b, c = assignments
    return [
        (a, m.STATE_DONE, 100.0, dt.date(2026, 10, 15), "Quyết định số 12/QĐ-UBND", None),
        (b, m.STATE_IN_PROGRESS, 33.333333, None, None, "Thiếu kinh phí; chờ ý kiến Sở Tài chính"),
        (c, m.STATE_NOT_STARTED, None, None, "", "=SUM(A1) chữ bắt đầu bằng dấu bằng"),
    ]


def _stored(engine: Engine, by: str) -> list[tuple[object, ...]]:
    with engine.connect() as conn:
        return [tuple(r) for r in conn.execute(
            select(SR.c.assignment_id, SR.c.period, SR.c.period_start, SR.c.period_end, SR.c.state,
                   SR.c.progress_pct, SR.c.completed_on, SR.c.output_document, SR.c.difficulties, SR.c.is_sample,
                   SR.c.recorded_at)
            .where(SR.c.recorded_by == by).order_by(SR.c.assignment_id))]


def test_bulk_insert_stores_what_a_core_insert_stores(db: Engine) -> None:
    # A timezone-aware instant late in the UTC day: a wrong conversion would shift the stored day.
    now = dt.datetime(2026, 11, 23, 22, 45, 7, 123456, tzinfo=dt.UTC)
    with db.connect() as conn:
        assignments = list(conn.execute(select(A.c.id).where(A.c.role == m.ASSIGNMENT_LEAD).order_by(A.c.id)
                                        .limit(3)).scalars())
    rows = _rows(assignments)
    constants = {"period": "2026-Q4", "period_start": dt.date(2026, 10, 1), "period_end": dt.date(2026, 12, 31),
                 "is_sample": False, "recorded_at": now}
    with db.begin() as conn:
        imp._insert_many(conn, SR, COLUMNS, rows, {**constants, "recorded_by": "bulk"})
        conn.execute(insert(SR), [{**dict(zip(COLUMNS, r, strict=True)), **constants, "recorded_by": "core"}
                                  for r in rows])
    bulk, core = _stored(db, "bulk"), _stored(db, "core")
    assert len(bulk) == 3
    assert bulk == core
    assert bulk[1][5] == 33.333333 and bulk[2][5] is None
    assert bulk[0][8] is None and bulk[2][7] == ""
