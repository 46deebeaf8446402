"""Agency scorecard (issue 18, item 4): per provincial agency and quarter, the criteria Sở Nội vụ compiles by hand
for the year-end evaluation, each scored 0-100, and a weighted total. Pure core (no Streamlit).

Who: every provincial agency (kind `so_nganh`); a division's tasks and returns count under its agency (as the
upload page and `returns.obligations` roll them up). Groups and local governments are not scored.

Criteria (a criterion with nothing to measure is "–" and drops out of the total, never counted as 0 or 100):
- `dung_han` — Nhiệm vụ hoàn thành đúng hạn: of the tasks the agency leads whose deadline falls in the quarter,
  the share it completed by the deadline (status "Hoàn thành đúng hạn" at the quarter's last day, the same rule
  as every page). A task led by two of its divisions counts once and is on time only when both are.
- `qua_han` — Không để nhiệm vụ quá hạn: of the tasks it leads that were due by the quarter's last day and not
  yet done when the quarter began, the share NOT overdue at the quarter's last day (100 = nothing overdue).
- `bao_cao` — Báo cáo quý đúng hạn: its return for the quarter (`returns.obligations`): received on time 100,
  late 50, missing 0; not yet due or not owed: "–".
- Trả lời yêu cầu giải trình (explanation requests answered, issue 15): not built yet, so not a criterion.

Total: the weighted mean of the criteria that have a value, with the weights in force: the defaults below
(`DEFAULT_WEIGHTS`: 40 / 30 / 30, the first two being the tasks the plan assigns, the third the reporting
duty), or an administrator's (`set_weights`, table `scorecardweight`, role `manage_settings`, audited).
Counts are aggregated in SQL (one statement per quarter over the lead assignments' statuses); the
scores are computed by the pure `criterion_scores` / `total_score`.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

import pandas as pd
from sqlalchemy import and_, case, func, select
from sqlalchemy.engine import Engine
from sqlalchemy.sql.elements import ColumnElement
from sqlmodel import Session

from data_access import models as m
from data_access import returns as rt
from data_access import status
from data_access import tables as tb
from data_access.db import bump_data_version
from data_access.periods import period_bounds
from data_access.permissions import Actor, record_audit, require
from data_access.vn import vi_sort_key

DUNG_HAN, QUA_HAN, BAO_CAO = "dung_han", "qua_han", "bao_cao"
CRITERIA = (DUNG_HAN, QUA_HAN, BAO_CAO)
CRITERION_LABELS = {
    DUNG_HAN: "Nhiệm vụ hoàn thành đúng hạn",
    QUA_HAN: "Không để nhiệm vụ quá hạn",
    BAO_CAO: "Báo cáo quý đúng hạn",
}
DEFAULT_WEIGHTS: dict[str, float] = {DUNG_HAN: 40.0, QUA_HAN: 30.0, BAO_CAO: 30.0}
RETURN_POINTS = {rt.ON_TIME: 100.0, rt.LATE: 50.0, rt.MISSING: 0.0}  # NOT_DUE: no score
WEIGHT_ACTION = "manage_settings"

AG, A, T, W = tb.AGENCY, tb.ASSIGNMENT, tb.TASK, tb.SCORECARD_WEIGHT


@dataclass(frozen=True)
class Counts:
    """What is counted for one agency and quarter (the inputs of the scores)."""

    due_in_quarter: int = 0  # tasks led, deadline within the quarter
    on_time: int = 0  # of those, completed by the deadline
    due_by_end: int = 0  # tasks led, due by the quarter's end, not done before the quarter began
    overdue: int = 0  # of those, overdue at the quarter's end
    return_status: str | None = None  # returns.ON_TIME / LATE / MISSING / NOT_DUE, None when not owed


def criterion_scores(c: Counts) -> dict[str, float | None]:
    """Each criterion's score 0-100, None when there is nothing to measure."""
    return {
        DUNG_HAN: 100.0 * c.on_time / c.due_in_quarter if c.due_in_quarter else None,
        QUA_HAN: 100.0 * (c.due_by_end - c.overdue) / c.due_by_end if c.due_by_end else None,
        BAO_CAO: RETURN_POINTS.get(c.return_status or ""),
    }


def total_score(scores: Mapping[str, float | None], weights: Mapping[str, float]) -> float | None:
    """Weighted mean of the scores that have a value (weights of missing criteria drop out); None if none."""
    pairs = [(s, weights.get(k, 0.0)) for k, s in scores.items() if s is not None and weights.get(k, 0.0) > 0]
    total_weight = sum(w for _, w in pairs)
    return sum(s * w for s, w in pairs) / total_weight if total_weight else None


def weights(engine: Engine) -> dict[str, float]:
    """The weights in force: an administrator's where set, else the defaults."""
    out = dict(DEFAULT_WEIGHTS)
    with engine.connect() as conn:
        for criterion, weight in conn.execute(select(W.c.criterion, W.c.weight)):
            if criterion in out:
                out[str(criterion)] = float(weight)
    return out


def set_weights(engine: Engine, new: Mapping[str, float], actor: Actor | None, *,
                now: dt.datetime | None = None) -> None:
    """Store an administrator's weights (every criterion, each 0-100, not all 0), audited; all or nothing."""
    require(actor, WEIGHT_ACTION)
    assert actor is not None
    if set(new) != set(CRITERIA):
        raise ValueError("Cần đủ trọng số của mọi tiêu chí.")
    for k, v in new.items():
        if not isinstance(v, int | float) or v != v or v < 0 or v > 100:
            raise ValueError(f"Trọng số của \"{CRITERION_LABELS[k]}\" phải từ 0 đến 100.")
    if sum(new.values()) <= 0:
        raise ValueError("Ít nhất một tiêu chí phải có trọng số lớn hơn 0.")
    now = now or m.utcnow()
    old = weights(engine)
    with Session(engine) as session:
        conn = session.connection()
        for k in CRITERIA:
            conn.execute(W.delete().where(W.c.criterion == k))
            conn.execute(W.insert().values(criterion=k, weight=float(new[k]), updated_at=now,
                                           updated_by=actor.username))
        detail = "; ".join(f"{CRITERION_LABELS[k]}: {old[k]:g} -> {float(new[k]):g}" for k in CRITERIA)
        record_audit(session, actor, "trong_so_xep_hang", f"Đổi trọng số xếp hạng cơ quan · {detail}", at=now)
        bump_data_version(session)
        session.commit()


def _unit() -> ColumnElement[Any]:
    # A division's lead rolls up to its agency (as returns.obligations does).
    return case((and_(AG.c.parent_id.is_not(None), AG.c.kind == m.KIND_DIVISION), AG.c.parent_id), else_=AG.c.id)


def task_counts(engine: Engine, period: str) -> dict[int, Counts]:
    """Per provincial agency id (divisions rolled up): the task counts of the quarter `period`, in SQL."""
    from data_access.status_sql import Filters, assignment_status_subquery

    start, end = period_bounds(period)
    sub = assignment_status_subquery(engine, Filters(as_of=end))
    unit = _unit()
    per_task = (
        select(unit.label("unit_id"), sub.c.task_id, func.max(sub.c.deadline_date).label("deadline"),
               # on time only when every lead of the agency is; overdue when any is
               func.min(case((sub.c.status == status.DONE_ON_TIME, 1), else_=0)).label("all_on_time"),
               func.max(case((sub.c.status == status.OPEN_OVERDUE, 1), else_=0)).label("any_overdue"),
               # done before the quarter began: every lead completed before `start`
               func.min(case((sub.c.completed_on < start, 1), else_=0)).label("done_before"))
        .select_from(sub.join(AG, AG.c.id == sub.c.agency_id))
        .group_by(unit, sub.c.task_id)
        .subquery("per_task")
    )
    in_q = and_(per_task.c.deadline >= start, per_task.c.deadline <= end)
    by_end = and_(per_task.c.deadline <= end, per_task.c.done_before == 0)
    stmt = (
        select(per_task.c.unit_id,
               func.sum(case((in_q, 1), else_=0)).label("due_in_quarter"),
               func.sum(case((and_(in_q, per_task.c.all_on_time == 1), 1), else_=0)).label("on_time"),
               func.sum(case((by_end, 1), else_=0)).label("due_by_end"),
               func.sum(case((and_(by_end, per_task.c.any_overdue == 1), 1), else_=0)).label("overdue"))
        .select_from(per_task.join(AG, AG.c.id == per_task.c.unit_id))
        .where(AG.c.kind == m.KIND_PROVINCIAL, per_task.c.deadline.is_not(None))
        .group_by(per_task.c.unit_id)
    )
    with engine.connect() as conn:
        return {int(r.unit_id): Counts(int(r.due_in_quarter or 0), int(r.on_time or 0), int(r.due_by_end or 0),
                                       int(r.overdue or 0)) for r in conn.execute(stmt)}


COLUMNS = ["agency_id", "agency", "due_in_quarter", "on_time", "due_by_end", "overdue", "return_status",
           *CRITERIA, "total", "rank"]


def agency_scorecard(engine: Engine, period: str, *, today: dt.date | None = None,
                     weights_in_force: Mapping[str, float] | None = None) -> pd.DataFrame:
    """One row per provincial agency with anything to score in the quarter `period`, ranked by total (best
    first; equal totals share a rank; agencies with no total last). Columns: `COLUMNS` (scores 0-100 or NaN).
    `today` (Vietnam date) decides whether a missing return is already late (`returns.obligations`)."""
    counts = task_counts(engine, period)
    returns = {o.agency_id: o.status for o in rt.obligations(engine, period, today=today)}
    w = dict(weights_in_force) if weights_in_force is not None else weights(engine)
    with engine.connect() as conn:
        names = {int(i): str(n) for i, n in conn.execute(
            select(AG.c.id, AG.c.name).where(AG.c.kind == m.KIND_PROVINCIAL))}
    rows: list[dict[str, Any]] = []
    for agency_id, name in names.items():
        c = counts.get(agency_id, Counts())
        c = Counts(c.due_in_quarter, c.on_time, c.due_by_end, c.overdue, returns.get(agency_id))
        scores = criterion_scores(c)
        if all(s is None for s in scores.values()):
            continue
        rows.append({"agency_id": agency_id, "agency": name, "due_in_quarter": c.due_in_quarter,
                     "on_time": c.on_time, "due_by_end": c.due_by_end, "overdue": c.overdue,
                     "return_status": c.return_status, **scores, "total": total_score(scores, w)})
    def order(r: dict[str, Any]) -> tuple[bool, float, Any]:
        return r["total"] is None, -float(r["total"] or 0.0), vi_sort_key(str(r["agency"]))

    rows.sort(key=order)
    df = pd.DataFrame(rows, columns=[c for c in COLUMNS if c != "rank"])
    df["rank"] = df["total"].rank(method="min", ascending=False)
    for col in (*CRITERIA, "total"):
        df[col] = df[col].astype(float)
    return df.reset_index(drop=True)[COLUMNS]
