"""The status rules of `status.py` in SQL: one module per rule set, the same rules as the Python functions.

The pipeline, as SQL expressions over the store (SQLite and PostgreSQL alike):
  1. the latest report of each assignment visible at the as-of date (its quarter has begun),
  2. the assignment's completion date when that report says it is done,
  3. a task's completion: every lead assignment done, dated by the last one,
  4. the status CASE of `status.assignment_status` over the deadline and that date.
Dates are bound as parameters (cut-offs computed in Python), so no dialect-specific date
arithmetic is needed. Steps 1 and 2 are computed once per statement for any number of as-of
dates (`done_spans`), so a page needing several dates issues one query, not one per date.
`queries.py` builds every page figure on these; tests/test_status.py checks the SQL status
equals `status.task_status` on every task of the sample store.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass, field, replace
from typing import Any

from sqlalchemy import Select, and_, case, func, literal, or_, select
from sqlalchemy.engine import Engine
from sqlalchemy.sql.elements import ColumnElement
from sqlalchemy.sql.selectable import CTE, Subquery

from data_access import models as m
from data_access import status
from data_access.tables import AG, SR, A, P, T


@dataclass(frozen=True)
class Filters:
    """What the leader selected. Empty tuples mean "all"."""

    as_of: dt.date
    plan_ids: tuple[int, ...] = ()
    field_codes: tuple[str, ...] = ()
    agency_ids: tuple[int, ...] = ()  # lead agencies; a parent agency includes its divisions
    due_soon_days: int = status.DUE_SOON_DAYS
    extra: dict[str, Any] = field(default_factory=dict, compare=False, hash=False)

    def at(self, as_of: dt.date) -> Filters:
        return replace(self, as_of=as_of)



def latest_reports(as_of: dt.date, role: str = m.ASSIGNMENT_LEAD,
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
    r2 = SR.alias("r_latest")
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
            SR.c.state,
            SR.c.progress_pct,
            SR.c.completed_on,
            SR.c.period,
            SR.c.period_end,
            SR.c.difficulties,
            SR.c.output_document,
        )
        .select_from(A.outerjoin(SR, SR.c.id == latest_id))
        .where(A.c.role == role)
    )
    if task_conds:
        stmt = stmt.where(A.c.task_id.in_(select(T.c.id).where(*task_conds)))
    return stmt.subquery("latest")


def done_date(latest: Subquery, as_of: dt.date) -> ColumnElement[Any]:
    """The assignment's completion date if done by `as_of`, else NULL."""
    done_on = func.coalesce(latest.c.completed_on, latest.c.period_end)
    return case((and_(latest.c.state == m.STATE_DONE, done_on <= as_of), done_on), else_=None)


def status_case(deadline: ColumnElement[Any], done: ColumnElement[Any], f: Filters) -> ColumnElement[str]:
    soon_limit = f.as_of + dt.timedelta(days=f.due_soon_days)
    return case(
        (and_(done.is_not(None), or_(deadline.is_(None), done <= deadline)), literal(status.DONE_ON_TIME)),
        (done.is_not(None), literal(status.DONE_LATE)),
        (deadline.is_(None), literal(status.NO_DEADLINE)),
        (deadline < f.as_of, literal(status.OPEN_OVERDUE)),
        (deadline <= soon_limit, literal(status.DUE_SOON)),
        else_=literal(status.OPEN_ON_TIME),
    )


def agency_scope(engine: Engine, agency_ids: tuple[int, ...]) -> list[int]:
    """The agencies plus their divisions (a Sở includes its phòng)."""
    if not agency_ids:
        return []
    with engine.connect() as conn:
        children = conn.execute(select(AG.c.id).where(AG.c.parent_id.in_(agency_ids))).scalars().all()
    return sorted({*agency_ids, *children})


def countable_tasks() -> ColumnElement[bool]:
    """Tasks of plans that are tasks: directions for a period (no lead, no deadline) never count."""
    return T.c.plan_id.not_in(select(P.c.id).where(P.c.kind == m.PLAN_DIRECTIONS))


def task_filter(engine: Engine, f: Filters) -> list[ColumnElement[bool]]:
    conds: list[ColumnElement[bool]] = [countable_tasks()]
    if f.plan_ids:
        conds.append(T.c.plan_id.in_(f.plan_ids))
    if f.field_codes:
        conds.append(T.c.field_code.in_(f.field_codes))
    if f.agency_ids:
        scope = agency_scope(engine, f.agency_ids)
        conds.append(
            T.c.id.in_(select(A.c.task_id).where(A.c.role == m.ASSIGNMENT_LEAD, A.c.agency_id.in_(scope)))
        )
    return conds


def done_spans(until: dt.date, assignment_ids: Select[Any] | None = None) -> CTE:
    """Every report saying an assignment is done, with the as-of dates at which it is the latest report.

    A report is an assignment's latest visible report from its `period_start` until the
    `period_start` of the assignment's next report in (period_start, id) order (`visible_to`,
    exclusive; NULL while no report follows). The assignment is therefore done as of D exactly
    when one of its spans holds D (visible_from <= D < visible_to) and the span's completion date
    is on or before D: the rule of `latest_reports` + `done_date`, without picking a latest
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
    r2 = SR.alias("r_next")
    next_start = (
        select(func.min(r2.c.period_start))
        .where(r2.c.assignment_id == SR.c.assignment_id, r2.c.period_start >= SR.c.period_start,
               or_(r2.c.period_start > SR.c.period_start, r2.c.id > SR.c.id))
        .correlate(SR)
        .scalar_subquery()
    )
    done_on = func.coalesce(SR.c.completed_on, SR.c.period_end)
    stmt = (
        select(SR.c.assignment_id, SR.c.period_start.label("visible_from"), next_start.label("visible_to"),
               done_on.label("done_on"))
        .where(SR.c.state == m.STATE_DONE, SR.c.period_start <= until, done_on <= until)
    )
    if assignment_ids is not None:
        stmt = stmt.where(SR.c.assignment_id.in_(assignment_ids))
    return stmt.cte("done_spans").prefix_with("MATERIALIZED")


def span_holds(spans: CTE, as_of: dt.date) -> ColumnElement[bool]:
    """The span is the assignment's latest report at `as_of` and its completion date has come."""
    return and_(spans.c.visible_from <= as_of, spans.c.done_on <= as_of,
                or_(spans.c.visible_to.is_(None), spans.c.visible_to > as_of))


def lead_conds(conds: Sequence[ColumnElement[bool]]) -> list[ColumnElement[bool]]:
    """Lead assignments of the tasks matching `conds`."""
    out: list[ColumnElement[bool]] = [A.c.role == m.ASSIGNMENT_LEAD]
    if conds:
        out.append(A.c.task_id.in_(select(T.c.id).where(*conds)))
    return out


def spans_for(conds: Sequence[ColumnElement[bool]], until: dt.date) -> CTE:
    """`done_spans` of the lead assignments of the tasks matching `conds`."""
    return done_spans(until, select(A.c.id).where(*lead_conds(conds)) if conds else None)


def task_status_multi(engine: Engine, f: Filters, dates: Sequence[dt.date],
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
    conds = [*task_filter(engine, f), *extra_conds]
    leads_of_tasks = lead_conds(conds)
    if spans is None:
        spans = spans_for(conds, max(dates))
    done_cols: list[Any] = []
    for i, day in enumerate(dates):
        done = case((span_holds(spans, day), spans.c.done_on), else_=None)
        done_cols += [func.count(done).label(f"n_{i}"), func.max(done).label(f"d_{i}")]
    # Per task with a done lead: its number of leads (an index seek), and at each date the leads
    # done (an assignment meets at most one span holding at a date) and the last completion date.
    # A task without such a row is not done.
    a2 = A.alias("a_leads")
    n_leads = (
        select(func.count()).where(a2.c.task_id == A.c.task_id, a2.c.role == m.ASSIGNMENT_LEAD)
        .correlate(A).scalar_subquery()
    )
    per_task = (
        select(A.c.task_id, n_leads.label("leads"), *done_cols)
        .select_from(spans.join(A, A.c.id == spans.c.assignment_id))
        .where(*leads_of_tasks)
        .group_by(A.c.task_id)
        .subquery("per_task")
    )
    cols: list[Any] = [T.c.id, T.c.plan_id, T.c.field_code, T.c.deadline_date, *extra_cols]
    for i, day in enumerate(dates):
        task_done = case((per_task.c.leads == per_task.c[f"n_{i}"], per_task.c[f"d_{i}"]), else_=None)
        tail = f"_{i}" if suffix else ""
        cols += [task_done.label(f"completed_on{tail}"),
                 status_case(T.c.deadline_date, task_done, f.at(day)).label(f"status{tail}")]
    stmt = (
        select(*cols)
        .select_from(T.outerjoin(per_task, per_task.c.task_id == T.c.id))
        .where(*conds)
    )
    return stmt.cte("task_status").prefix_with("MATERIALIZED")


def task_status_subquery(engine: Engine, f: Filters) -> CTE:
    """One row per task in scope: id, plan_id, field_code, deadline_date, completed_on, status."""
    return task_status_multi(engine, f, [f.as_of], suffix=False)


def assignment_status_subquery(engine: Engine, f: Filters, role: str = m.ASSIGNMENT_LEAD) -> Subquery:
    """One row per assignment of `role` on tasks in scope, with its own status.

    A coordinating assignment carries the status of the task itself (a coordinator
    does not report completion of its own). `f.agency_ids` selects the assignments of
    those agencies (and their divisions) instead of narrowing the tasks.
    Columns: assignment_id, task_id, agency_id, deadline_date, completed_on, status,
    last_period, progress_pct, difficulties.
    """
    task_conds = task_filter(engine, replace(f, agency_ids=()))
    scope = agency_scope(engine, f.agency_ids)
    if role == m.ASSIGNMENT_LEAD:
        latest = latest_reports(f.as_of, m.ASSIGNMENT_LEAD, task_conds)
        done = done_date(latest, f.as_of)
        stmt = select(
            latest.c.assignment_id,
            latest.c.task_id,
            latest.c.agency_id,
            T.c.deadline_date,
            done.label("completed_on"),
            status_case(T.c.deadline_date, done, f).label("status"),
            latest.c.period.label("last_period"),
            latest.c.progress_pct,
            latest.c.difficulties,
        ).select_from(latest.join(T, T.c.id == latest.c.task_id))
        if scope:
            stmt = stmt.where(latest.c.agency_id.in_(scope))
        return stmt.subquery("assignment_status")
    # Only the tasks these agencies coordinate need a status.
    own = [T.c.id.in_(select(A.c.task_id).where(A.c.role == role, A.c.agency_id.in_(scope)))] if scope else []
    ts = task_status_multi(engine, replace(f, agency_ids=()), [f.as_of], extra_conds=own, suffix=False)
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



def status_sums(ts: CTE, n_dates: int) -> list[Any]:
    """sum(status_<i> = s) for every date i and status s, labelled c_<i>_<s>."""
    return [func.sum(case((ts.c[f"status_{i}"] == code, 1), else_=0)).label(f"c_{i}_{code}")
            for i in range(n_dates) for code in status.STATUS_ORDER]
