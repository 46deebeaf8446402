"""The page figures by a second route: one figure per function, for the tests that check the one-call reads.

`queries.overview_page` and `meeting.compute_figures` read everything a page shows in one pass; these
functions compute the same figures one at a time over `status_sql` (the SQL form of the status rules),
so a test can assert the one-call read equals its parts. Test oracles only: no page calls them.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence

from sqlalchemy import case, func, select
from sqlalchemy.engine import Engine

from data_access import queries as q
from data_access import status
from data_access.status_sql import status_sums, task_status_multi


def status_counts_at(engine: Engine, f: q.Filters, dates: Sequence[dt.date]) -> list[dict[str, int]]:
    """`status_counts` at each of `dates` (same filters otherwise), in one query."""
    ts = task_status_multi(engine, f, dates)
    with engine.connect() as conn:
        row = conn.execute(select(*status_sums(ts, len(dates)))).mappings().one()
    return [{code: int(row[f"c_{i}_{code}"] or 0) for code in status.STATUS_ORDER} for i in range(len(dates))]


def status_counts(engine: Engine, f: q.Filters) -> dict[str, int]:
    """Number of tasks in each of the six statuses (every status present, zeros included)."""
    return status_counts_at(engine, f, [f.as_of])[0]


def overview_at(engine: Engine, f: q.Filters, dates: Sequence[dt.date]) -> list[q.Overview]:
    """`overview` at each of `dates` (same filters otherwise): one task query, one plan-completion query."""
    counts = status_counts_at(engine, f, dates)
    progress = q.indicator_progress_at(engine, dates)
    out = []
    for day, c, board in zip(dates, counts, progress, strict=True):
        out.append(q.Overview(
            as_of=day,
            total=sum(c.values()),
            done=c[status.DONE_ON_TIME] + c[status.DONE_LATE],
            overdue=c[status.OPEN_OVERDUE],
            due_soon=c[status.DUE_SOON],
            no_deadline=c[status.NO_DEADLINE],
            indicators_red=int((board["rag"] == status.RED).sum()) if not board.empty else 0,
        ))
    return out


def overview(engine: Engine, f: q.Filters) -> q.Overview:
    """Headline numbers of the overview page."""
    return overview_at(engine, f, [f.as_of])[0]


def plan_completion_at(engine: Engine, dates: Sequence[dt.date],
                       plan_ids: tuple[int, ...]) -> list[dict[int, tuple[int, int]]]:
    """Plan id -> (tasks completed, tasks) at each of `dates`, for the given plans, in one query."""
    ts = task_status_multi(engine, q.Filters(as_of=max(dates), plan_ids=plan_ids), dates)
    done = [func.sum(case((ts.c[f"status_{i}"].in_(tuple(status.DONE_STATUSES)), 1), else_=0)).label(f"done_{i}")
            for i in range(len(dates))]
    stmt = select(ts.c.plan_id, func.count().label("total"), *done).group_by(ts.c.plan_id)
    with engine.connect() as conn:
        rows = conn.execute(stmt).mappings().all()
    return [{int(r["plan_id"]): (int(r[f"done_{i}"] or 0), int(r["total"])) for r in rows} for i in range(len(dates))]


def overview_change(engine: Engine, f: q.Filters) -> q.OverviewChange:
    """`overview` at `f.as_of` and at `queries.previous_quarter_end(f.as_of)`, same filters otherwise."""
    now, before = overview_at(engine, f, [f.as_of, q.previous_quarter_end(f.as_of)])
    return q.OverviewChange(now=now, before=before)
