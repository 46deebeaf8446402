"""Independent recomputation of task statuses from raw SQLite rows and the pure rules.

Used to check that what pages show equals a count made without `queries.py`.
"""

from __future__ import annotations

import datetime as dt
import sqlite3
from collections import Counter, defaultdict
from pathlib import Path

from data_access import status


def task_statuses(db: Path, as_of: dt.date, plan_codes: set[str] | None = None,
                  field_codes: set[str] | None = None, due_soon_days: int = status.DUE_SOON_DAYS) -> dict[str, str]:
    """Task code -> status as of `as_of`, for tasks of the given plans/fields (None = all).

    Directions for a period (plan kind 'dinh_huong': no lead, no deadline) are not tasks and never counted.
    """
    con = sqlite3.connect(db)
    tasks = {
        code: (tid, dl)
        for tid, code, dl, plan, field in con.execute(
            "select t.id, t.code, t.deadline_date, p.code, t.field_code from task t join plan p on p.id = t.plan_id "
            "where p.kind <> 'dinh_huong'")
        if (plan_codes is None or plan in plan_codes) and (field_codes is None or field in field_codes)
    }
    leads: dict[int, list[int]] = defaultdict(list)
    for task_id, assignment_id in con.execute("select task_id, id from assignment where role = 'chu_tri'"):
        leads[task_id].append(assignment_id)
    latest: dict[int, tuple[tuple[str, int], str, str | None, str]] = {}
    for assignment_id, start, rid, state, completed, end in con.execute(
        "select assignment_id, period_start, id, state, completed_on, period_end from statusreport"
    ):
        if start > as_of.isoformat():
            continue
        if assignment_id not in latest or (start, rid) > latest[assignment_id][0]:
            latest[assignment_id] = ((start, rid), state, completed, end)
    con.close()
    out = {}
    for code, (tid, deadline) in tasks.items():
        dates: list[dt.date | None] = []
        for a in leads.get(tid, []):
            rep = latest.get(a)
            done = None
            if rep and rep[1] == "hoan_thanh":
                when = dt.date.fromisoformat(rep[2] or rep[3])
                done = when if when <= as_of else None
            dates.append(done)
        out[code] = status.task_status(dt.date.fromisoformat(deadline) if deadline else None, dates, as_of,
                                       due_soon_days)
    return out


def status_counter(db: Path, as_of: dt.date, plan_codes: set[str] | None = None,
                   field_codes: set[str] | None = None, due_soon_days: int = status.DUE_SOON_DAYS) -> Counter[str]:
    return Counter(task_statuses(db, as_of, plan_codes, field_codes, due_soon_days).values())
