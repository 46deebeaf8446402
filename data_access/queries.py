"""Typed read functions. Every aggregation runs in SQL (SQLite and PostgreSQL alike).

The status rules of `status.py` are expressed here as SQL CASE expressions over:
  1. the latest report of each assignment visible at the as-of date (its quarter has begun),
  2. the assignment's completion date when that report says it is done,
  3. a task's completion: every lead assignment done, dated by the last one.
Dates are bound as parameters (cut-offs computed in Python), so no dialect-specific
date arithmetic is needed. Step 1 and 2 are computed once per statement for any number of as-of
dates (`_done_spans`), so a page needing several dates (now and the previous quarter end, eight
quarter ends) issues one query, not one per date; `overview_page` and `field_progress` give a
page everything it shows in one call.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field, replace
from typing import Any, TypedDict, cast

import pandas as pd
from sqlalchemy import (
    Select,
    and_,
    case,
    func,
    literal,
    or_,
    select,
)
from sqlalchemy.engine import Engine
from sqlalchemy.sql.elements import ColumnElement
from sqlalchemy.sql.selectable import CTE, Subquery

from data_access import models as m
from data_access import status as st
from data_access import tables as tb
from data_access import targets as tg
from data_access.periods import period_bounds, period_of, previous_quarter
from data_access.targets import TargetResult, target_results

T, P, A, AG, R = tb.TASK, tb.PLAN, tb.ASSIGNMENT, tb.AGENCY, tb.STATUS_REPORT
FD, I, IV, TG, U = tb.FIELD, tb.INDICATOR, tb.INDICATOR_VALUE, tb.TARGET, tb.UPLOAD  # noqa: E741


@dataclass(frozen=True)
class Filters:
    """What the leader selected. Empty tuples mean "all"."""

    as_of: dt.date
    plan_ids: tuple[int, ...] = ()
    field_codes: tuple[str, ...] = ()
    agency_ids: tuple[int, ...] = ()  # lead agencies; a parent agency includes its divisions
    due_soon_days: int = 30
    extra: dict[str, Any] = field(default_factory=dict, compare=False, hash=False)

    def at(self, as_of: dt.date) -> Filters:
        return replace(self, as_of=as_of)


def _frame(engine: Engine, stmt: Select[Any]) -> pd.DataFrame:
    with engine.connect() as conn:
        result = conn.execute(stmt)
        return pd.DataFrame(result.fetchall(), columns=list(result.keys()))


# --- the status pipeline ----------------------------------------------------------


def _latest_reports(as_of: dt.date, role: str = m.ROLE_LEAD,
                    task_conds: list[ColumnElement[bool]] | None = None) -> Subquery:
    """One row per assignment of `role` (on tasks matching `task_conds`) with its latest report.

    The latest report is the one with the highest (period_start, id) among those whose
    quarter had begun at `as_of`; its columns are NULL when there is none. It is found per
    assignment by a correlated, index-backed seek (statusreport(assignment_id, period_start,
    id)) rather than a window over the whole history, so the cost grows with the assignments
    in scope, not with the number of reports.
    Columns: assignment_id, task_id, agency_id, state, progress_pct, completed_on, period,
    period_end, difficulties, output_document.
    """
    r2 = R.alias("r_latest")
    latest_id = (
        select(r2.c.id)
        .where(r2.c.assignment_id == A.c.id, r2.c.period_start <= as_of)
        .order_by(r2.c.period_start.desc(), r2.c.id.desc())
        .limit(1)
        .correlate(A)
        .scalar_subquery()
    )
    stmt = (
        select(
            A.c.id.label("assignment_id"),
            A.c.task_id,
            A.c.agency_id,
            R.c.state,
            R.c.progress_pct,
            R.c.completed_on,
            R.c.period,
            R.c.period_end,
            R.c.difficulties,
            R.c.output_document,
        )
        .select_from(A.outerjoin(R, R.c.id == latest_id))
        .where(A.c.role == role)
    )
    if task_conds:
        stmt = stmt.where(A.c.task_id.in_(select(T.c.id).where(*task_conds)))
    return stmt.subquery("latest")


def _done_date(latest: Subquery, as_of: dt.date) -> ColumnElement[Any]:
    """The assignment's completion date if done by `as_of`, else NULL."""
    done_on = func.coalesce(latest.c.completed_on, latest.c.period_end)
    return case((and_(latest.c.state == m.STATE_DONE, done_on <= as_of), done_on), else_=None)


def _status_case(deadline: ColumnElement[Any], done: ColumnElement[Any], f: Filters) -> ColumnElement[str]:
    soon_limit = f.as_of + dt.timedelta(days=f.due_soon_days)
    return case(
        (and_(done.is_not(None), or_(deadline.is_(None), done <= deadline)), literal(st.DONE_ON_TIME)),
        (done.is_not(None), literal(st.DONE_LATE)),
        (deadline.is_(None), literal(st.NO_DEADLINE)),
        (deadline < f.as_of, literal(st.OPEN_OVERDUE)),
        (deadline <= soon_limit, literal(st.DUE_SOON)),
        else_=literal(st.OPEN_ON_TIME),
    )


def _agency_scope(engine: Engine, agency_ids: tuple[int, ...]) -> list[int]:
    """The agencies plus their divisions (a Sở includes its phòng)."""
    if not agency_ids:
        return []
    with engine.connect() as conn:
        children = conn.execute(select(AG.c.id).where(AG.c.parent_id.in_(agency_ids))).scalars().all()
    return sorted({*agency_ids, *children})


def _countable_tasks() -> ColumnElement[bool]:
    """Tasks of plans that are tasks: directions for a period (no lead, no deadline) never count."""
    return T.c.plan_id.not_in(select(P.c.id).where(P.c.kind == m.PLAN_DIRECTIONS))


def _task_filter(engine: Engine, f: Filters) -> list[ColumnElement[bool]]:
    conds: list[ColumnElement[bool]] = [_countable_tasks()]
    if f.plan_ids:
        conds.append(T.c.plan_id.in_(f.plan_ids))
    if f.field_codes:
        conds.append(T.c.field_code.in_(f.field_codes))
    if f.agency_ids:
        scope = _agency_scope(engine, f.agency_ids)
        conds.append(
            T.c.id.in_(select(A.c.task_id).where(A.c.role == m.ROLE_LEAD, A.c.agency_id.in_(scope)))
        )
    return conds


def _done_spans(until: dt.date, assignment_ids: Select[Any] | None = None) -> CTE:
    """Every report saying an assignment is done, with the as-of dates at which it is the latest report.

    A report is an assignment's latest visible report from its `period_start` until the
    `period_start` of the assignment's next report in (period_start, id) order (`visible_to`,
    exclusive; NULL while no report follows). The assignment is therefore done as of D exactly
    when one of its spans holds D (visible_from <= D < visible_to) and the span's completion date
    is on or before D: the rule of `_latest_reports` + `_done_date`, without picking a latest
    report per date. The spans of one assignment never overlap (a report superseded within its
    own quarter gets an empty span), so at any date an assignment matches at most one span, and
    one pass over the reports serves any number of as-of dates. Reports that cannot count by
    `until` are left out, and so are those of assignments outside `assignment_ids` when given.
    The next start is found by an index-backed seek on statusreport(assignment_id, period_start,
    id), only for the reports saying "done"; the spans are a MATERIALIZED common table expression
    (SQLite >= 3.35, PostgreSQL >= 12) so that seek runs once per report, however many dates
    the caller tests.
    Columns: assignment_id, visible_from, visible_to, done_on.
    """
    r2 = R.alias("r_next")
    next_start = (
        select(func.min(r2.c.period_start))
        .where(r2.c.assignment_id == R.c.assignment_id, r2.c.period_start >= R.c.period_start,
               or_(r2.c.period_start > R.c.period_start, r2.c.id > R.c.id))
        .correlate(R)
        .scalar_subquery()
    )
    done_on = func.coalesce(R.c.completed_on, R.c.period_end)
    stmt = (
        select(R.c.assignment_id, R.c.period_start.label("visible_from"), next_start.label("visible_to"),
               done_on.label("done_on"))
        .where(R.c.state == m.STATE_DONE, R.c.period_start <= until, done_on <= until)
    )
    if assignment_ids is not None:
        stmt = stmt.where(R.c.assignment_id.in_(assignment_ids))
    return stmt.cte("done_spans").prefix_with("MATERIALIZED")


def _span_holds(spans: CTE, as_of: dt.date) -> ColumnElement[bool]:
    """The span is the assignment's latest report at `as_of` and its completion date has come."""
    return and_(spans.c.visible_from <= as_of, spans.c.done_on <= as_of,
                or_(spans.c.visible_to.is_(None), spans.c.visible_to > as_of))


def _lead_conds(conds: Sequence[ColumnElement[bool]]) -> list[ColumnElement[bool]]:
    """Lead assignments of the tasks matching `conds`."""
    lead_conds: list[ColumnElement[bool]] = [A.c.role == m.ROLE_LEAD]
    if conds:
        lead_conds.append(A.c.task_id.in_(select(T.c.id).where(*conds)))
    return lead_conds


def _spans_for(conds: Sequence[ColumnElement[bool]], until: dt.date) -> CTE:
    """`_done_spans` of the lead assignments of the tasks matching `conds`."""
    return _done_spans(until, select(A.c.id).where(*_lead_conds(conds)) if conds else None)


def _task_status_multi(engine: Engine, f: Filters, dates: Sequence[dt.date],
                       extra_conds: Sequence[ColumnElement[bool]] = (), suffix: bool = True,
                       spans: CTE | None = None, extra_cols: Sequence[Any] = ()) -> CTE:
    """One row per task in scope with its completion date and status at each of `dates`, in one pass.

    Columns: id, plan_id, field_code, deadline_date, then completed_on_<i>, status_<i> for the
    i-th date (or completed_on, status for a single date with `suffix=False`). `f.as_of` is not
    used; the other filters (and `extra_conds` on the task table) select the tasks. `spans` may
    be shared with other parts of the same statement (it must cover the leads of these tasks
    and reach the latest date); `extra_cols` (expressions over the task table) are added after
    deadline_date. A MATERIALIZED common table expression, so consumers that read a status
    several times (sums per status) do not recompute it.
    """
    if not dates:
        raise ValueError("at least one as-of date is needed")
    conds = [*_task_filter(engine, f), *extra_conds]
    lead_conds = _lead_conds(conds)
    if spans is None:
        spans = _spans_for(conds, max(dates))
    done_cols: list[Any] = []
    for i, day in enumerate(dates):
        done = case((_span_holds(spans, day), spans.c.done_on), else_=None)
        done_cols += [func.count(done).label(f"n_{i}"), func.max(done).label(f"d_{i}")]
    # Per task with a done lead: its number of leads (an index seek), and at each date the leads
    # done (an assignment meets at most one span holding at a date) and the last completion date.
    # A task without such a row is not done.
    a2 = A.alias("a_leads")
    n_leads = (
        select(func.count()).where(a2.c.task_id == A.c.task_id, a2.c.role == m.ROLE_LEAD)
        .correlate(A).scalar_subquery()
    )
    per_task = (
        select(A.c.task_id, n_leads.label("leads"), *done_cols)
        .select_from(spans.join(A, A.c.id == spans.c.assignment_id))
        .where(*lead_conds)
        .group_by(A.c.task_id)
        .subquery("per_task")
    )
    cols: list[Any] = [T.c.id, T.c.plan_id, T.c.field_code, T.c.deadline_date, *extra_cols]
    for i, day in enumerate(dates):
        task_done = case((per_task.c.leads == per_task.c[f"n_{i}"], per_task.c[f"d_{i}"]), else_=None)
        tail = f"_{i}" if suffix else ""
        cols += [task_done.label(f"completed_on{tail}"),
                 _status_case(T.c.deadline_date, task_done, f.at(day)).label(f"status{tail}")]
    stmt = (
        select(*cols)
        .select_from(T.outerjoin(per_task, per_task.c.task_id == T.c.id))
        .where(*conds)
    )
    return stmt.cte("task_status").prefix_with("MATERIALIZED")


def task_status_subquery(engine: Engine, f: Filters) -> CTE:
    """One row per task in scope: id, plan_id, field_code, deadline_date, completed_on, status."""
    return _task_status_multi(engine, f, [f.as_of], suffix=False)


def assignment_status_subquery(engine: Engine, f: Filters, role: str = m.ROLE_LEAD) -> Subquery:
    """One row per assignment of `role` on tasks in scope, with its own status.

    A coordinating assignment carries the status of the task itself (a coordinator
    does not report completion of its own). `f.agency_ids` selects the assignments of
    those agencies (and their divisions) instead of narrowing the tasks.
    Columns: assignment_id, task_id, agency_id, deadline_date, completed_on, status,
    last_period, progress_pct, difficulties.
    """
    task_conds = _task_filter(engine, replace(f, agency_ids=()))
    scope = _agency_scope(engine, f.agency_ids)
    if role == m.ROLE_LEAD:
        latest = _latest_reports(f.as_of, m.ROLE_LEAD, task_conds)
        done = _done_date(latest, f.as_of)
        stmt = select(
            latest.c.assignment_id,
            latest.c.task_id,
            latest.c.agency_id,
            T.c.deadline_date,
            done.label("completed_on"),
            _status_case(T.c.deadline_date, done, f).label("status"),
            latest.c.period.label("last_period"),
            latest.c.progress_pct,
            latest.c.difficulties,
        ).select_from(latest.join(T, T.c.id == latest.c.task_id))
        if scope:
            stmt = stmt.where(latest.c.agency_id.in_(scope))
        return stmt.subquery("assignment_status")
    # Only the tasks these agencies coordinate need a status.
    own = [T.c.id.in_(select(A.c.task_id).where(A.c.role == role, A.c.agency_id.in_(scope)))] if scope else []
    ts = _task_status_multi(engine, replace(f, agency_ids=()), [f.as_of], extra_conds=own, suffix=False)
    stmt = select(
        A.c.id.label("assignment_id"),
        A.c.task_id,
        A.c.agency_id,
        ts.c.deadline_date,
        ts.c.completed_on,
        ts.c.status,
        literal(None).label("last_period"),
        literal(None).label("progress_pct"),
        literal(None).label("difficulties"),
    ).select_from(A.join(ts, ts.c.id == A.c.task_id)).where(A.c.role == role)
    if scope:
        stmt = stmt.where(A.c.agency_id.in_(scope))
    return stmt.subquery("assignment_status")


# --- aggregates -------------------------------------------------------------------


def _status_sums(ts: CTE, n_dates: int) -> list[Any]:
    """sum(status_<i> = s) for every date i and status s, labelled c_<i>_<s>."""
    return [func.sum(case((ts.c[f"status_{i}"] == code, 1), else_=0)).label(f"c_{i}_{code}")
            for i in range(n_dates) for code in st.STATUS_ORDER]


def status_counts_at(engine: Engine, f: Filters, dates: Sequence[dt.date]) -> list[dict[str, int]]:
    """`status_counts` at each of `dates` (same filters otherwise), in one query."""
    ts = _task_status_multi(engine, f, dates)
    with engine.connect() as conn:
        row = conn.execute(select(*_status_sums(ts, len(dates)))).mappings().one()
    return [{code: int(row[f"c_{i}_{code}"] or 0) for code in st.STATUS_ORDER} for i in range(len(dates))]


def status_counts(engine: Engine, f: Filters) -> dict[str, int]:
    """Number of tasks in each of the six statuses (every status present, zeros included)."""
    return status_counts_at(engine, f, [f.as_of])[0]


@dataclass(frozen=True)
class Overview:
    as_of: dt.date
    total: int
    done: int
    overdue: int
    due_soon: int
    no_deadline: int
    indicators_red: int

    @property
    def pct_done(self) -> float | None:
        return 100.0 * self.done / self.total if self.total else None


def overview_at(engine: Engine, f: Filters, dates: Sequence[dt.date]) -> list[Overview]:
    """`overview` at each of `dates` (same filters otherwise): one task query, one plan-completion query."""
    counts = status_counts_at(engine, f, dates)
    progress = indicator_progress_at(engine, dates)
    out = []
    for day, c, board in zip(dates, counts, progress, strict=True):
        out.append(Overview(
            as_of=day,
            total=sum(c.values()),
            done=c[st.DONE_ON_TIME] + c[st.DONE_LATE],
            overdue=c[st.OPEN_OVERDUE],
            due_soon=c[st.DUE_SOON],
            no_deadline=c[st.NO_DEADLINE],
            indicators_red=int((board["rag"] == st.RED).sum()) if not board.empty else 0,
        ))
    return out


def overview(engine: Engine, f: Filters) -> Overview:
    """Headline numbers of the overview page."""
    return overview_at(engine, f, [f.as_of])[0]


def previous_quarter_end(as_of: dt.date) -> dt.date:
    """End of the quarter before the one containing `as_of` (for "change since" figures)."""
    return period_bounds(previous_quarter(period_of(as_of)))[1]


def completion_by_field_at(engine: Engine, f: Filters, dates: Sequence[dt.date]) -> pd.DataFrame:
    """`completion_by_field` at each of `dates` (same filters otherwise), in one query.

    Columns: as_of, field_code, field_name, sort_order, status, tasks; only (date, field, status)
    with tasks; ordered by date, field order, status code.
    """
    return _completion_by_field_days(engine, f, dates).drop(columns="day")


def _completion_by_field_days(engine: Engine, f: Filters, dates: Sequence[dt.date]) -> pd.DataFrame:
    """`completion_by_field_at` plus the column day (index into `dates`; dates may repeat)."""
    ts = _task_status_multi(engine, f, dates)
    per_field = (
        select(ts.c.field_code, *_status_sums(ts, len(dates))).group_by(ts.c.field_code).subquery("per_field")
    )
    stmt = select(per_field, FD.c.name.label("field_name"), FD.c.sort_order).select_from(
        per_field.join(FD, FD.c.code == per_field.c.field_code))
    return _long_counts(_frame(engine, stmt), dates)


def _long_counts(wide: pd.DataFrame, dates: Sequence[dt.date]) -> pd.DataFrame:
    """Rows of (field_code, field_name, sort_order, c_<i>_<status>...) to one row per (date, field, status).

    Only counts above zero are kept. Columns: day (index into `dates`), as_of, field_code,
    field_name, sort_order, status, tasks; ordered by day, field order, status code.
    """
    rows = [
        (i, day, r["field_code"], r["field_name"], int(r["sort_order"]), code, int(r[f"c_{i}_{code}"]))
        for i, day in enumerate(dates)
        for r in wide.to_dict("records")
        for code in sorted(st.STATUS_ORDER)
        if r[f"c_{i}_{code}"]
    ]
    long = pd.DataFrame(rows, columns=["day", "as_of", "field_code", "field_name", "sort_order", "status", "tasks"])
    long = long.astype({"day": "int64", "sort_order": "int64", "tasks": "int64"})
    return long.sort_values(["day", "sort_order", "status"], kind="stable").reset_index(drop=True)


def completion_by_field(engine: Engine, f: Filters) -> pd.DataFrame:
    """Per field and status: number of tasks. Columns: field_code, field_name, sort_order, status, tasks."""
    return completion_by_field_at(engine, f, [f.as_of]).drop(columns="as_of")


def field_summary(engine: Engine, f: Filters) -> pd.DataFrame:
    """One row per field with tasks: total, done, overdue, pct_done (0-100)."""
    df = completion_by_field(engine, f)
    if df.empty:
        return pd.DataFrame(columns=["field_code", "field_name", "total", "done", "overdue", "pct_done"])
    df["is_done"] = df["status"].isin(st.DONE_STATUSES) * df["tasks"]
    df["is_overdue"] = (df["status"] == st.OPEN_OVERDUE) * df["tasks"]
    out = (
        df.groupby(["field_code", "field_name", "sort_order"], as_index=False)
        .agg(total=("tasks", "sum"), done=("is_done", "sum"), overdue=("is_overdue", "sum"))
        .sort_values("sort_order")
        .drop(columns="sort_order")
        .reset_index(drop=True)
    )
    out["pct_done"] = 100.0 * out["done"] / out["total"]
    return out


def overdue_by_agency(engine: Engine, f: Filters, rollup: bool = True) -> pd.DataFrame:
    """Lead agencies ranked by overdue tasks they lead, with ageing buckets.

    With `rollup` (the province's view) a division counts under its agency (Sở Nội vụ's
    phòng under Sở Nội vụ) and a task led by two divisions counts once; without it, each unit
    is its own row (the drill-down into an agency's divisions).
    Columns: agency_id, agency, overdue, d1_30, d31_90, d90_plus, done_late, oldest_deadline,
    coord_overdue (overdue tasks the agency only coordinates: it leads none of them, not even
    through a division). Only lead assignments count as overdue: a coordinating agency is never
    counted for a task it does not lead. Agencies with nothing overdue and nothing late are left
    out. One statement and one pass over the done reports: every lead assignment of the tasks in
    scope gets its completion date at the as-of date; the leads' own statuses and, grouped by
    task, the coordinated tasks' statuses come from it.
    """
    task_conds = _task_filter(engine, replace(f, agency_ids=()))
    scope = _agency_scope(engine, f.agency_ids)
    spans = _spans_for(task_conds, f.as_of)
    unit = func.coalesce(AG.c.parent_id, AG.c.id) if rollup else AG.c.id
    # Each lead assignment meets at most one span holding at the as-of date.
    leads = (
        select(A.c.task_id, A.c.agency_id, unit.label("unit_id"), T.c.deadline_date, spans.c.done_on,
               _status_case(T.c.deadline_date, spans.c.done_on, f).label("status"))
        .select_from(A.join(T, T.c.id == A.c.task_id).join(AG, AG.c.id == A.c.agency_id).outerjoin(
            spans, and_(spans.c.assignment_id == A.c.id, _span_holds(spans, f.as_of))))
        .where(A.c.role == m.ROLE_LEAD, *task_conds)
        .cte("leads").prefix_with("MATERIALIZED")
    )
    lead = select(leads).where(leads.c.agency_id.in_(scope)).subquery("lead") if scope else leads
    cut30 = f.as_of - dt.timedelta(days=30)
    cut90 = f.as_of - dt.timedelta(days=90)
    overdue = lead.c.status == st.OPEN_OVERDUE

    def n(cond: ColumnElement[bool]) -> ColumnElement[int]:
        # Distinct tasks: a task led by two divisions of one agency counts once for the agency.
        return func.count(func.distinct(case((cond, lead.c.task_id), else_=None)))

    lead_stmt = (
        select(
            lead.c.unit_id,
            n(overdue).label("overdue"),
            n(and_(overdue, lead.c.deadline_date >= cut30)).label("d1_30"),
            n(and_(overdue, lead.c.deadline_date < cut30, lead.c.deadline_date >= cut90)).label("d31_90"),
            n(and_(overdue, lead.c.deadline_date < cut90)).label("d90_plus"),
            n(lead.c.status == st.DONE_LATE).label("done_late"),
            func.min(case((overdue, lead.c.deadline_date), else_=None)).label("oldest_deadline"),
        )
        .group_by(lead.c.unit_id)
        .subquery("lead_agg")
    )
    # A task is done when all its leads are, dated by the last; a task without leads never is.
    per_task = (
        select(leads.c.task_id, func.count().label("leads"), func.count(leads.c.done_on).label("done"),
               func.max(leads.c.done_on).label("last_done"))
        .group_by(leads.c.task_id)
        .subquery("per_task")
    )
    task_done = case((per_task.c.leads == per_task.c.done, per_task.c.last_done), else_=None)
    coord_unit = unit.label("unit_id")
    leads_same_unit = select(leads.c.task_id).where(leads.c.task_id == A.c.task_id,
                                                     leads.c.unit_id == coord_unit).correlate(A, AG)
    coord_conds = [A.c.role == m.ROLE_COORD, *task_conds,
                   _status_case(T.c.deadline_date, task_done, f) == st.OPEN_OVERDUE]
    if scope:
        coord_conds.append(A.c.agency_id.in_(scope))
    if rollup:
        coord_conds.append(~leads_same_unit.exists())
    coord_rows = (
        select(A.c.task_id, coord_unit)
        .select_from(A.join(T, T.c.id == A.c.task_id).join(AG, AG.c.id == A.c.agency_id)
                     .outerjoin(per_task, per_task.c.task_id == T.c.id))
        .where(*coord_conds)
        .cte("coord_rows").prefix_with("MATERIALIZED")
    )
    coord_stmt = (
        select(coord_rows.c.unit_id, func.count(func.distinct(coord_rows.c.task_id)).label("coord_overdue"))
        .group_by(coord_rows.c.unit_id)
        .subquery("coord_agg")
    )
    stmt = (
        select(
            AG.c.id.label("agency_id"),
            AG.c.name.label("agency"),
            func.coalesce(lead_stmt.c.overdue, 0).label("overdue"),
            func.coalesce(lead_stmt.c.d1_30, 0).label("d1_30"),
            func.coalesce(lead_stmt.c.d31_90, 0).label("d31_90"),
            func.coalesce(lead_stmt.c.d90_plus, 0).label("d90_plus"),
            func.coalesce(lead_stmt.c.done_late, 0).label("done_late"),
            lead_stmt.c.oldest_deadline,
            func.coalesce(coord_stmt.c.coord_overdue, 0).label("coord_overdue"),
        )
        .select_from(
            AG.outerjoin(lead_stmt, lead_stmt.c.unit_id == AG.c.id).outerjoin(
                coord_stmt, coord_stmt.c.unit_id == AG.c.id
            )
        )
        .where(
            or_(lead_stmt.c.overdue > 0, lead_stmt.c.done_late > 0, coord_stmt.c.coord_overdue > 0)
        )
        .order_by(func.coalesce(lead_stmt.c.overdue, 0).desc(), AG.c.name)
    )
    df = _frame(engine, stmt)
    for col in ("overdue", "d1_30", "d31_90", "d90_plus", "done_late", "coord_overdue"):
        df[col] = df[col].astype(int)
    df["max_days_overdue"] = [
        st.days_overdue(_as_date(d), f.as_of) if d is not None else 0 for d in df["oldest_deadline"]
    ]
    return df


def _as_date(value: Any) -> dt.date | None:
    if value is None or (isinstance(value, float) and pd.isna(value)):
        return None
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    return dt.date.fromisoformat(str(value)[:10])


def assignment_list(engine: Engine, f: Filters, statuses: tuple[str, ...] = (), role: str = m.ROLE_LEAD,
                    limit: int | None = None) -> pd.DataFrame:
    """Assignments in scope with task, plan, agency, deadline, status, days overdue, latest report."""
    sub = assignment_status_subquery(engine, f, role)
    stmt = (
        select(
            T.c.code, T.c.text.label("task"), P.c.code.label("plan_code"), P.c.name.label("plan"),
            AG.c.name.label("agency"), sub.c.agency_id, sub.c.task_id, T.c.deadline_text, sub.c.deadline_date,
            sub.c.status, sub.c.completed_on, sub.c.last_period, sub.c.progress_pct, sub.c.difficulties,
        )
        .select_from(sub.join(T, T.c.id == sub.c.task_id).join(P, P.c.id == T.c.plan_id).join(
            AG, AG.c.id == sub.c.agency_id))
        .order_by(sub.c.deadline_date, T.c.code)
    )
    if statuses:
        stmt = stmt.where(sub.c.status.in_(statuses))
    if limit:
        stmt = stmt.limit(limit)
    df = _frame(engine, stmt)
    df["deadline_date"] = [_as_date(v) for v in df["deadline_date"]]
    df["completed_on"] = [_as_date(v) for v in df["completed_on"]]
    df["days_overdue"] = [st.days_overdue(d, f.as_of) if s == st.OPEN_OVERDUE else 0
                          for d, s in zip(df["deadline_date"], df["status"], strict=True)]
    return df


def task_list(engine: Engine, f: Filters, *, search: str = "", statuses: tuple[str, ...] = (),
              limit: int | None = None) -> pd.DataFrame:
    """Tasks in scope with their status and lead agencies; `search` is accent-insensitive."""
    from data_access.vn import search_key

    ts = task_status_subquery(engine, f)
    leads = (
        select(A.c.task_id, AG.c.name)
        .select_from(A.join(AG, AG.c.id == A.c.agency_id))
        .where(A.c.role == m.ROLE_LEAD)
        .subquery("leads")
    )
    lead_names = (
        select(func.count(leads.c.name)).where(leads.c.task_id == ts.c.id).scalar_subquery().label("lead_count")
    )
    stmt = (
        select(
            T.c.id.label("task_id"), T.c.code, T.c.number, T.c.text.label("task"), T.c.output,
            P.c.code.label("plan_code"), P.c.name.label("plan"), FD.c.name.label("field"), T.c.deadline_text,
            ts.c.deadline_date, ts.c.status, ts.c.completed_on, lead_names,
        )
        .select_from(ts.join(T, T.c.id == ts.c.id).join(P, P.c.id == T.c.plan_id).join(FD, FD.c.code == T.c.field_code))
        .order_by(P.c.year, T.c.code)
    )
    if search.strip():
        # A task code ("PS25-09") is matched on the code itself: folding it into words ("ps25 09")
        # would look for them in the task's text, where codes never appear.
        words = [T.c.search_key.contains(word, autoescape=True) for word in search_key(search).split()]
        by_code = func.lower(T.c.code).contains(search.strip().lower(), autoescape=True)
        stmt = stmt.where(or_(by_code, and_(*words)) if words else by_code)
    if statuses:
        stmt = stmt.where(ts.c.status.in_(statuses))
    if limit:
        stmt = stmt.limit(limit)
    df = _frame(engine, stmt)
    df["deadline_date"] = [_as_date(v) for v in df["deadline_date"]]
    df["completed_on"] = [_as_date(v) for v in df["completed_on"]]
    return df


# --- indicators ---------------------------------------------------------------------


def indicator_progress_at(engine: Engine, dates: Sequence[dt.date],
                          years: tuple[int, ...] = (2025, 2026)) -> list[pd.DataFrame]:
    """`indicator_progress` at each of `dates`."""
    return _IndicatorInputs.load(engine, dates, years).finish([{} for _ in dates])


@dataclass(frozen=True)
class _IndicatorInputs:
    """The targets judged at several dates (see `data_access.targets.target_results`).

    No target is measured by a plan's own completion any more (no document sets one), so
    `plan_ids` is empty and `finish` ignores the completion it is given; both stay for callers.
    """

    dates: tuple[dt.date, ...]
    years: tuple[int, ...]
    results: tuple[list[TargetResult], ...]

    @classmethod
    def load(cls, engine: Engine, dates: Sequence[dt.date], years: tuple[int, ...]) -> _IndicatorInputs:
        return cls(tuple(dates), years, tuple(target_results(engine, day, years) for day in dates))

    @property
    def plan_ids(self) -> tuple[int, ...]:
        return ()

    def finish(self, completion: Sequence[dict[int, tuple[int, int]]]) -> list[pd.DataFrame]:
        return [_indicator_rag(results, self.years) for results in self.results]


def indicator_progress(engine: Engine, as_of: dt.date, years: tuple[int, ...] = (2025, 2026)) -> pd.DataFrame:
    """Every target of `years` judged at `as_of`, one row per target (red first, then amber, green, grey).

    The figures are those of `targets.target_results` (a value of the target's own year only).
    Columns: indicator_id, code (the target's code), name (the target's label), indicator_code,
    field_code, unit, direction, plan_id (always None), value, period, is_sample, year,
    target_<year>, comparator_<year>, quote_<year> for each year (set for the target's year only),
    target_year (= year), base_year, rating, rag, gap.
    """
    return indicator_progress_at(engine, [as_of], years)[0]


PROGRESS_COLUMNS = ["indicator_id", "code", "name", "indicator_code", "field_code", "unit", "direction", "plan_id",
                    "value", "period", "is_sample", "year", "target_year", "base_year", "rating", "rag", "gap"]


def _indicator_rag(results: list[TargetResult], years: tuple[int, ...]) -> pd.DataFrame:
    """The `indicator_progress` frame of judged targets, red first."""
    rows = []
    for r in results:
        row: dict[str, object] = {
            "indicator_id": r.indicator_id, "code": r.code, "name": r.label, "indicator_code": r.indicator_code,
            "field_code": r.field_code, "unit": r.unit, "direction": r.direction, "plan_id": None,
            "value": r.value, "period": r.period, "is_sample": r.sample, "year": r.year, "target_year": r.year,
            "base_year": r.base_year, "rating": r.rating, "rag": r.rag, "gap": r.gap,
        }
        for year in years:
            own = r.year == year
            row[f"target_{year}"] = r.target if own else None
            row[f"comparator_{year}"] = r.comparator if own else None
            row[f"quote_{year}"] = r.quote if own else None
        rows.append(row)
    columns = PROGRESS_COLUMNS + [f"{k}_{y}" for y in years for k in ("target", "comparator", "quote")]
    df = pd.DataFrame(rows, columns=columns)
    order = {r: i for i, r in enumerate(st.RAG_ORDER)}
    df["rag_order"] = df["rag"].map(order)
    return df.sort_values(["rag_order", "code"], kind="stable").drop(columns="rag_order").reset_index(drop=True)


def target_board(engine: Engine, as_of: dt.date, years: tuple[int, ...] = (2025, 2026)) -> pd.DataFrame:
    """Every target of `years` judged at `as_of` (`targets.target_board`: the figures of `targets --json`)."""
    return tg.target_board(engine, as_of, years)


def indicator_passport(engine: Engine, indicator_id: int) -> tg.Passport | None:
    """`targets.indicator_passport`: what an indicator is and where its figures come from."""
    return tg.indicator_passport(engine, indicator_id)


def indicator_history(engine: Engine, indicator_id: int, as_of: dt.date) -> pd.DataFrame:
    """Values of one indicator by period (latest record per period), oldest first."""
    stmt = (
        select(IV.c.period, IV.c.period_end, IV.c.value, IV.c.source, IV.c.is_sample, IV.c.id)
        .where(IV.c.indicator_id == indicator_id, IV.c.period_end <= as_of)
        .order_by(IV.c.period_end, IV.c.id)
    )
    df = _frame(engine, stmt)
    return df.drop_duplicates("period", keep="last").drop(columns="id").reset_index(drop=True)


# --- catalogues and store facts -------------------------------------------------------


def plans(engine: Engine) -> pd.DataFrame:
    """Plans with their task counts, newest year first.

    Columns: id, code, document, name, year, kind (models.PLAN_*), year_from, tasks.
    """
    counts = select(T.c.plan_id, func.count().label("tasks")).group_by(T.c.plan_id).subquery()
    stmt = (
        select(P.c.id, P.c.code, P.c.document, P.c.name, P.c.year, P.c.kind, P.c.year_from,
               func.coalesce(counts.c.tasks, 0).label("tasks"))
        .select_from(P.outerjoin(counts, counts.c.plan_id == P.c.id))
        .order_by(P.c.year.desc(), P.c.code)
    )
    return _frame(engine, stmt)


def plans_active_in(engine: Engine, year: int) -> tuple[int, ...]:
    """Ids of every plan whose tasks are tasks of `year` (the province's picture of that year).

    Provincial plans and agencies' internal plans of that year; directions for a period are
    never tasks of a year.
    """
    stmt = select(P.c.id).where(P.c.kind != m.PLAN_DIRECTIONS, func.coalesce(P.c.year_from, P.c.year) <= year,
                                P.c.year >= year).order_by(P.c.id)
    with engine.connect() as conn:
        return tuple(int(i) for i in conn.execute(stmt).scalars())


def directions(engine: Engine) -> pd.DataFrame:
    """The directions of plans of kind PLAN_DIRECTIONS, listed as directions (no status, no lead, no deadline).

    Columns: plan_code, plan, year_from, year, code, number, field_name, text, deadline_text.
    """
    stmt = (
        select(P.c.code.label("plan_code"), P.c.name.label("plan"), P.c.year_from, P.c.year, T.c.code, T.c.number,
               FD.c.name.label("field_name"), T.c.text, T.c.deadline_text)
        .select_from(T.join(P, P.c.id == T.c.plan_id).join(FD, FD.c.code == T.c.field_code))
        .where(P.c.kind == m.PLAN_DIRECTIONS)
        .order_by(P.c.year, T.c.code)
    )
    return _frame(engine, stmt)


def fields(engine: Engine) -> pd.DataFrame:
    return _frame(engine, select(FD.c.code, FD.c.name).order_by(FD.c.sort_order))


def lead_agencies(engine: Engine) -> pd.DataFrame:
    """Agencies that lead at least one task (divisions included), in Vietnamese order."""
    from data_access.vn import vi_sort_key

    stmt = (
        select(AG.c.id, AG.c.name, AG.c.kind, AG.c.parent_id)
        .where(AG.c.id.in_(select(A.c.agency_id).where(A.c.role == m.ROLE_LEAD)))
    )
    df = _frame(engine, stmt)
    return df.iloc[sorted(range(len(df)), key=lambda i: vi_sort_key(str(df["name"].iloc[i])))].reset_index(drop=True)


def store_stats(engine: Engine) -> dict[str, int]:
    """Row counts of the main tables (the `stats --json` command)."""
    tables = {
        "plans": P, "tasks": T, "assignments": A, "agencies": AG, "indicators": I, "indicator_values": IV,
        "targets": TG, "status_reports": R, "uploads": U,
    }
    with engine.connect() as conn:
        return {name: int(conn.execute(select(func.count()).select_from(table)).scalar_one())
                for name, table in tables.items()}


def has_sample_data(engine: Engine) -> bool:
    """True while any sample (generated) report or value is in the store."""
    with engine.connect() as conn:
        r = conn.execute(select(R.c.id).where(R.c.is_sample.is_(True)).limit(1)).first()
        v = conn.execute(select(IV.c.id).where(IV.c.is_sample.is_(True)).limit(1)).first()
    return r is not None or v is not None


def audit_log(engine: Engine, limit: int = 500) -> pd.DataFrame:
    """The latest audit entries, newest first: at, username, action, detail."""
    table = tb.AUDIT_LOG
    stmt = select(table.c.at, table.c.username, table.c.action, table.c.detail).order_by(
        table.c.id.desc()).limit(limit)
    return _frame(engine, stmt)


# --- leadership views -------------------------------------------------------------------


def plan_completion_at(engine: Engine, dates: Sequence[dt.date],
                       plan_ids: tuple[int, ...]) -> list[dict[int, tuple[int, int]]]:
    """`plan_completion` at each of `dates`, in one query."""
    ts = _task_status_multi(engine, Filters(as_of=max(dates), plan_ids=plan_ids), dates)
    done = [func.sum(case((ts.c[f"status_{i}"].in_(tuple(st.DONE_STATUSES)), 1), else_=0)).label(f"done_{i}")
            for i in range(len(dates))]
    stmt = select(ts.c.plan_id, func.count().label("total"), *done).group_by(ts.c.plan_id)
    with engine.connect() as conn:
        rows = conn.execute(stmt).mappings().all()
    return [{int(r["plan_id"]): (int(r[f"done_{i}"] or 0), int(r["total"])) for r in rows} for i in range(len(dates))]


def plan_completion(engine: Engine, as_of: dt.date, plan_ids: tuple[int, ...]) -> dict[int, tuple[int, int]]:
    """Plan id -> (tasks completed, tasks) as of `as_of`, for the given plans, in one query."""
    return plan_completion_at(engine, [as_of], plan_ids)[0]


@dataclass(frozen=True)
class OverviewChange:
    """The headline numbers now and at the end of the previous quarter (for "change since")."""

    now: Overview
    before: Overview


def overview_change(engine: Engine, f: Filters) -> OverviewChange:
    """`overview` at `f.as_of` and at `previous_quarter_end(f.as_of)`, same filters otherwise."""
    now, before = overview_at(engine, f, [f.as_of, previous_quarter_end(f.as_of)])
    return OverviewChange(now=now, before=before)


def quarter_ends(as_of: dt.date, quarters: int = 8) -> list[dt.date]:
    """The last `quarters` quarter ends on or before `as_of`, oldest first."""
    ends: list[dt.date] = []
    period = period_of(as_of)
    while len(ends) < quarters:
        end = period_bounds(period)[1]
        if end <= as_of:
            ends.append(end)
        period = previous_quarter(period)
    return sorted(ends)


def completion_over_time(engine: Engine, f: Filters, quarters: int = 8) -> pd.DataFrame:
    """Completion at each of the last `quarters` quarter ends up to `f.as_of`, from the report history.

    One query computes every task's status at every quarter end (reports visible then, same
    filters), counted in SQL by field. One row per (quarter, field) with tasks, plus one row per quarter
    with field_code "" and field_name "Tất cả lĩnh vực" for the whole scope.
    Columns: period ("2026-Q2"), period_end, field_code, field_name, sort_order, total, done,
    overdue, pct_done (0-100, None when the scope has no task).
    """
    ends = quarter_ends(f.as_of, quarters)
    if not ends:
        return _trend_table(pd.DataFrame(columns=["as_of"]))
    return _trend_table(completion_by_field_at(engine, f, ends))


def _trend_table(by_field: pd.DataFrame) -> pd.DataFrame:
    """`completion_over_time` from `completion_by_field_at` rows at the quarter ends."""
    cols = ["period", "period_end", "field_code", "field_name", "sort_order", "total", "done", "overdue", "pct_done"]
    if by_field.empty:
        return pd.DataFrame(columns=cols)
    long = by_field.rename(columns={"as_of": "period_end"})
    long["period"] = [period_of(end) for end in long["period_end"]]
    long["done"] = long["status"].isin(st.DONE_STATUSES) * long["tasks"]
    long["overdue"] = (long["status"] == st.OPEN_OVERDUE) * long["tasks"]
    keys = ["period", "period_end", "field_code", "field_name", "sort_order"]
    per_field = long.groupby(keys, as_index=False).agg(total=("tasks", "sum"), done=("done", "sum"),
                                                       overdue=("overdue", "sum"))
    overall = per_field.groupby(["period", "period_end"], as_index=False)[["total", "done", "overdue"]].sum()
    overall["field_code"] = ""
    overall["field_name"] = "Tất cả lĩnh vực"
    overall["sort_order"] = -1
    out = pd.concat([overall, per_field], ignore_index=True)
    out["pct_done"] = [100.0 * d / t if t else None for d, t in zip(out["done"], out["total"], strict=True)]
    return out.sort_values(["period_end", "sort_order"]).reset_index(drop=True)[cols]


def field_status_table(engine: Engine, f: Filters) -> pd.DataFrame:
    """Per field: tasks in each of the six statuses (one column per status code), total, done, pct_done.

    Every field with at least one task in scope appears, in field order; statuses with no
    task count 0. Columns: field_code, field_name, <status codes...>, total, done, overdue, pct_done.
    """
    return _field_status_wide(completion_by_field(engine, f))


def _field_status_wide(df: pd.DataFrame) -> pd.DataFrame:
    """`field_status_table` from `completion_by_field` rows."""
    cols = ["field_code", "field_name", *st.STATUS_ORDER, "total", "done", "overdue", "pct_done"]
    if df.empty:
        return pd.DataFrame(columns=cols)
    wide = df.pivot_table(index=["field_code", "field_name", "sort_order"], columns="status", values="tasks",
                          aggfunc="sum", fill_value=0)
    wide = wide.reindex(columns=list(st.STATUS_ORDER), fill_value=0).reset_index().sort_values("sort_order")
    for code in st.STATUS_ORDER:
        wide[code] = wide[code].astype(int)
    wide["total"] = wide[list(st.STATUS_ORDER)].sum(axis=1)
    wide["done"] = wide[st.DONE_ON_TIME] + wide[st.DONE_LATE]
    wide["overdue"] = wide[st.OPEN_OVERDUE]
    wide["pct_done"] = 100.0 * wide["done"] / wide["total"]
    wide.columns.name = None
    return wide[cols].reset_index(drop=True)


def agency_tasks(engine: Engine, f: Filters, agency_id: int, role: str = m.ROLE_LEAD,
                 statuses: tuple[str, ...] = (st.OPEN_OVERDUE,)) -> pd.DataFrame:
    """The drill-down of one agency: its assignments of `role` in `statuses`, most overdue first.

    Same columns as `assignment_list`; the agency's divisions are included; the other
    filters (plans, fields, as-of date) apply as given.
    """
    df = assignment_list(engine, replace(f, agency_ids=(agency_id,)), statuses=statuses, role=role)
    return df.sort_values(["days_overdue", "code"], ascending=[False, True]).reset_index(drop=True)


def _successor_names(engine: Engine) -> dict[int, str]:
    """Agency id -> name of the agency that exists today (following successors)."""
    with engine.connect() as conn:
        rows = conn.execute(select(AG.c.id, AG.c.name, AG.c.successor_id)).all()
    by_id = {r.id: (r.name, r.successor_id) for r in rows}
    out: dict[int, str] = {}
    for agency_id in by_id:
        current, seen = agency_id, set()
        while by_id[current][1] is not None and current not in seen and by_id[current][1] in by_id:
            seen.add(current)
            current = by_id[current][1]
        out[agency_id] = by_id[current][0]
    return out


class TaskDetail(TypedDict):
    """One task as the task page shows it (see `task_detail`)."""

    task_id: int
    code: str
    number: str | None
    section: str | None
    text: str
    output: str | None
    deadline_text: str | None
    deadline_date: dt.date | None
    plan_code: str
    plan_document: str
    plan_name: str
    field_name: str
    status: str  # status.STATUS_ORDER
    completed_on: dt.date | None
    assignments: pd.DataFrame


def task_detail(engine: Engine, task_id: int, as_of: dt.date, due_soon_days: int = 30) -> TaskDetail | None:
    """One task as of `as_of`: its fields, plan, status, and every assignment (None if no such task).

    Keys: those of `TaskDetail`; assignments is a DataFrame (assignment_id,
    role, name_as_assigned, agency (the agency's current name), status (leads only; coordinators
    carry the task's), last_period, progress_pct, completed_on, difficulties; leads first, then
    Vietnamese order).
    """
    from data_access.vn import vi_sort_key

    f = Filters(as_of=as_of, due_soon_days=due_soon_days)
    ts = _task_status_multi(engine, f, [as_of], extra_conds=[T.c.id == task_id], suffix=False)
    stmt = (
        select(T.c.id.label("task_id"), T.c.code, T.c.number, T.c.section, T.c.text, T.c.output, T.c.deadline_text,
               T.c.deadline_date, P.c.code.label("plan_code"), P.c.document.label("plan_document"),
               P.c.name.label("plan_name"), FD.c.name.label("field_name"), ts.c.status, ts.c.completed_on)
        .select_from(T.join(P, P.c.id == T.c.plan_id).join(FD, FD.c.code == T.c.field_code)
                     .join(ts, ts.c.id == T.c.id))
        .where(T.c.id == task_id)
    )
    with engine.connect() as conn:
        row = conn.execute(stmt).mappings().first()
    if row is None:
        return None
    detail = cast(TaskDetail, {**row, "deadline_date": _as_date(row["deadline_date"]),
                               "completed_on": _as_date(row["completed_on"]), "assignments": pd.DataFrame()})
    latest = _latest_reports(as_of, m.ROLE_LEAD, [T.c.id == task_id])
    done = _done_date(latest, as_of)
    lead_stmt = select(
        latest.c.assignment_id, latest.c.agency_id, _status_case(T.c.deadline_date, done, f).label("status"),
        latest.c.period.label("last_period"), latest.c.progress_pct, done.label("completed_on"),
        latest.c.difficulties,
    ).select_from(latest.join(T, T.c.id == latest.c.task_id))
    leads = _frame(engine, lead_stmt).set_index("assignment_id")
    assignments = _frame(engine, select(A.c.id.label("assignment_id"), A.c.agency_id, A.c.role, A.c.name_as_assigned)
                         .where(A.c.task_id == task_id))
    names = _successor_names(engine)
    assignments["agency"] = assignments["agency_id"].map(names)
    for col in ("status", "last_period", "progress_pct", "completed_on", "difficulties"):
        assignments[col] = assignments["assignment_id"].map(leads[col]) if not leads.empty else None
    is_coord = assignments["role"] != m.ROLE_LEAD
    assignments.loc[is_coord, "status"] = detail["status"]
    assignments["completed_on"] = [_as_date(v) for v in assignments["completed_on"]]
    order = sorted(range(len(assignments)), key=lambda i: (
        assignments["role"].iloc[i] != m.ROLE_LEAD, vi_sort_key(str(assignments["agency"].iloc[i]))))
    detail["assignments"] = assignments.iloc[order].reset_index(drop=True)
    return detail


def task_reports(engine: Engine, task_id: int) -> pd.DataFrame:
    """Every report ever recorded for the task (all assignments), oldest period first.

    Columns: report_id, period, period_start, agency, name_as_assigned, role, state, progress_pct,
    completed_on, output_document, difficulties, recorded_at, recorded_by, upload_id.
    """
    stmt = (
        select(R.c.id.label("report_id"), R.c.period, R.c.period_start, AG.c.name.label("agency"),
               A.c.name_as_assigned, A.c.role, R.c.state, R.c.progress_pct, R.c.completed_on, R.c.output_document,
               R.c.difficulties, R.c.recorded_at, R.c.recorded_by, R.c.upload_id)
        .select_from(R.join(A, A.c.id == R.c.assignment_id).join(AG, AG.c.id == A.c.agency_id))
        .where(A.c.task_id == task_id)
        .order_by(R.c.period_start, AG.c.name, R.c.id)
    )
    df = _frame(engine, stmt)
    df["period_start"] = [_as_date(v) for v in df["period_start"]]
    df["completed_on"] = [_as_date(v) for v in df["completed_on"]]
    return df


def indicator_board(engine: Engine, as_of: dt.date, since_year: int = 2021,
                    years: tuple[int, ...] = (2025, 2026)) -> pd.DataFrame:
    """`indicator_progress` plus the trend since `since_year` (red first, as there).

    Extra columns: first_period, first_value (the earliest value from `since_year` on, known at
    `as_of`) and change (latest value - first value; None when either is missing).
    """
    return _with_trend(engine, indicator_progress(engine, as_of, years), as_of, since_year)


def _with_trend(engine: Engine, board: pd.DataFrame, as_of: dt.date, since_year: int) -> pd.DataFrame:
    """Add first_period, first_value and change (see `indicator_board`) to an `indicator_progress` frame."""
    start = dt.date(since_year, 1, 1)
    ranked = (
        select(IV.c.indicator_id, IV.c.period, IV.c.value,
               func.row_number().over(partition_by=IV.c.indicator_id,
                                      order_by=(IV.c.period_end.asc(), IV.c.id.desc())).label("rn"))
        .where(IV.c.period_start >= start, IV.c.period_end <= as_of)
        .subquery("first_values")
    )
    first = _frame(engine, select(ranked.c.indicator_id, ranked.c.period, ranked.c.value).where(ranked.c.rn == 1))
    first = first.set_index("indicator_id") if not first.empty else first
    board["first_period"] = board["indicator_id"].map(first["period"]) if not first.empty else None
    board["first_value"] = board["indicator_id"].map(first["value"]) if not first.empty else None
    board["change"] = [
        float(v) - float(fv) if pd.notna(v) and pd.notna(fv) else None
        for v, fv in zip(board["value"], board["first_value"], strict=True)
    ]
    return board


def indicator_trends(engine: Engine, as_of: dt.date, indicator_ids: tuple[int, ...],
                     since_year: int = 2021) -> pd.DataFrame:
    """Values of several indicators from `since_year` to `as_of` (latest record per period), oldest first.

    Columns: indicator_id, period, period_end, value.
    """
    if not indicator_ids:
        return pd.DataFrame(columns=["indicator_id", "period", "period_end", "value"])
    stmt = (
        select(IV.c.indicator_id, IV.c.period, IV.c.period_end, IV.c.value, IV.c.id)
        .where(IV.c.indicator_id.in_(indicator_ids), IV.c.period_start >= dt.date(since_year, 1, 1),
               IV.c.period_end <= as_of)
        .order_by(IV.c.indicator_id, IV.c.period_end, IV.c.id)
    )
    df = _frame(engine, stmt)
    df = df.drop_duplicates(["indicator_id", "period"], keep="last").drop(columns="id").reset_index(drop=True)
    df["period_end"] = [_as_date(v) for v in df["period_end"]]
    return df


# --- one call per page ---------------------------------------------------------------------


def _side_by_side(engine: Engine, first: Callable[[], Any], second: Callable[[], Any]) -> tuple[Any, Any]:
    """Run two independent reads at once, each on its own pooled connection (SQLite in WAL mode and
    PostgreSQL serve concurrent readers). An in-memory SQLite store has one connection: in turn there."""
    if engine.url.get_backend_name() == "sqlite" and engine.url.database in (None, "", ":memory:"):
        return first(), second()
    with ThreadPoolExecutor(max_workers=1) as pool:
        later = pool.submit(second)
        return first(), later.result()


def _status_cube(engine: Engine, f: Filters, dates: Sequence[dt.date],
                 plan_ids: tuple[int, ...] = ()) -> pd.DataFrame:
    """Tasks counted by (plan_id, field_code, in_scope) and by status at each of `dates`, in one query.

    The tasks are those of `f` (in_scope = 1) plus every task of `plan_ids` (in_scope = 0 when
    outside `f`), so the page's figures and the plan-completion indicators, which ignore the
    page's filters, come from the same pass. Columns: plan_id, field_code, field_name,
    sort_order, in_scope, c_<i>_<status> for every date i and status.
    """
    page_conds = _task_filter(engine, f)
    if not page_conds:
        scope: list[ColumnElement[bool]] = []
        in_scope: ColumnElement[Any] = literal(1)
    else:
        scope = [or_(and_(*page_conds), T.c.plan_id.in_(plan_ids))] if plan_ids else page_conds
        in_scope = case((and_(*page_conds), 1), else_=0)
    unfiltered = replace(f, plan_ids=(), field_codes=(), agency_ids=())
    ts = _task_status_multi(engine, unfiltered, dates, extra_conds=scope, extra_cols=[in_scope.label("in_scope")])
    cube = (
        select(ts.c.plan_id, ts.c.field_code, ts.c.in_scope, *_status_sums(ts, len(dates)))
        .group_by(ts.c.plan_id, ts.c.field_code, ts.c.in_scope)
        .subquery("cube")
    )
    stmt = select(cube, FD.c.name.label("field_name"), FD.c.sort_order).select_from(
        cube.join(FD, FD.c.code == cube.c.field_code))
    return _frame(engine, stmt)


def _cube_counts(cube: pd.DataFrame, i: int) -> dict[str, int]:
    return {code: int(cube[f"c_{i}_{code}"].sum()) for code in st.STATUS_ORDER}


def _cube_by_field(cube: pd.DataFrame, dates: Sequence[dt.date]) -> pd.DataFrame:
    """`completion_by_field_at` rows from the in-scope part of a status cube."""
    sums = [f"c_{i}_{code}" for i in range(len(dates)) for code in st.STATUS_ORDER]
    wide = cube.groupby(["field_code", "field_name", "sort_order"], as_index=False)[sums].sum()
    return _long_counts(wide, dates)


def _cube_plan_completion(cube: pd.DataFrame, i: int, plan_ids: tuple[int, ...]) -> dict[int, tuple[int, int]]:
    out = {}
    for plan_id in plan_ids:
        rows = cube[cube["plan_id"] == plan_id]
        if rows.empty:
            continue
        total = int(sum(rows[f"c_{i}_{code}"].sum() for code in st.STATUS_ORDER))
        done = int(sum(rows[f"c_{i}_{code}"].sum() for code in st.DONE_STATUSES))
        out[plan_id] = (done, total)
    return out


@dataclass(frozen=True)
class OverviewPage:
    """Everything the overview page shows (see `overview_page`)."""

    change: OverviewChange  # overview_change(f)
    fields: pd.DataFrame  # field_status_table(f)
    agencies: pd.DataFrame  # overdue_by_agency(f)
    board: pd.DataFrame  # indicator_board(f.as_of)


def overview_page(engine: Engine, f: Filters, since_year: int = 2021,
                  years: tuple[int, ...] = (2025, 2026)) -> OverviewPage:
    """The overview page's figures, equal to the functions named in `OverviewPage`, in two task queries.

    One status cube at the as-of date and the previous quarter end gives the headline numbers
    then and now, the fields' statuses and the plan-completion indicators; `overdue_by_agency`
    is the second. Indicator values and targets are small reads.
    """
    dates = [f.as_of, previous_quarter_end(f.as_of)]
    inputs = _IndicatorInputs.load(engine, dates, years)
    # The two task queries are independent: they run side by side on two connections.
    full, agencies_frame = _side_by_side(engine, lambda: _status_cube(engine, f, dates, inputs.plan_ids),
                                         lambda: overdue_by_agency(engine, f))
    cube = full[full["in_scope"] == 1]
    boards = inputs.finish([_cube_plan_completion(full, i, inputs.plan_ids) for i in range(len(dates))])
    views = []
    for i, (day, board) in enumerate(zip(dates, boards, strict=True)):
        c = _cube_counts(cube, i)
        views.append(Overview(
            as_of=day, total=sum(c.values()), done=c[st.DONE_ON_TIME] + c[st.DONE_LATE], overdue=c[st.OPEN_OVERDUE],
            due_soon=c[st.DUE_SOON], no_deadline=c[st.NO_DEADLINE],
            indicators_red=int((board["rag"] == st.RED).sum()) if not board.empty else 0,
        ))
    by_field = _cube_by_field(cube, dates)
    fields = _field_status_wide(by_field[by_field["day"] == 0].drop(columns=["day", "as_of"]))
    return OverviewPage(
        change=OverviewChange(now=views[0], before=views[1]),
        fields=fields,
        agencies=agencies_frame,
        board=_with_trend(engine, boards[0], f.as_of, since_year),
    )


@dataclass(frozen=True)
class FieldProgress:
    """The fields page's figures (see `field_progress`)."""

    table: pd.DataFrame  # field_status_table(f)
    trend: pd.DataFrame  # completion_over_time(f, quarters)


def field_progress(engine: Engine, f: Filters, quarters: int = 8) -> FieldProgress:
    """`field_status_table` and `completion_over_time` from one query (the as-of date and the quarter ends)."""
    ends = quarter_ends(f.as_of, quarters)
    by_field = _completion_by_field_days(engine, f, [f.as_of, *ends])
    now = by_field[by_field["day"] == 0].drop(columns=["day", "as_of"])
    trend = by_field[by_field["day"] > 0].drop(columns="day")
    return FieldProgress(table=_field_status_wide(now), trend=_trend_table(trend))
