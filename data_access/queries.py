"""Typed read functions for the pages. Every aggregation runs in SQL (SQLite and PostgreSQL alike).

Task and assignment statuses come from `status_sql` (the SQL form of the rules of `status.py`);
this module counts, groups and joins them. A page needing several as-of dates (now and the
previous quarter end, eight quarter ends) issues one query, not one per date; `overview_page`
and `field_progress` give a page everything it shows in one call.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, replace
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

from data_access import models as m
from data_access import status
from data_access import targets as tg
from data_access.periods import period_bounds, period_of, previous_quarter
from data_access.status_sql import (
    Filters,
    agency_scope,
    assignment_status_subquery,
    done_date,
    latest_reports,
    span_holds,
    spans_for,
    status_case,
    status_sums,
    task_filter,
    task_status_multi,
    task_status_subquery,
)
from data_access.tables import AG, AU, FD, IN, IV, SR, TG, A, P, T, U
from data_access.targets import TargetResult, target_results


def _frame(engine: Engine, stmt: Select[Any]) -> pd.DataFrame:
    with engine.connect() as conn:
        result = conn.execute(stmt)
        return pd.DataFrame(result.fetchall(), columns=list(result.keys()))


# --- aggregates -------------------------------------------------------------------


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
    ts = task_status_multi(engine, f, dates)
    per_field = (
        select(ts.c.field_code, *status_sums(ts, len(dates))).group_by(ts.c.field_code).subquery("per_field")
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
        for code in sorted(status.STATUS_ORDER)
        if r[f"c_{i}_{code}"]
    ]
    long = pd.DataFrame(rows, columns=["day", "as_of", "field_code", "field_name", "sort_order", "status", "tasks"])
    long = long.astype({"day": "int64", "sort_order": "int64", "tasks": "int64"})
    return long.sort_values(["day", "sort_order", "status"], kind="stable").reset_index(drop=True)


def completion_by_field(engine: Engine, f: Filters) -> pd.DataFrame:
    """Per field and status: number of tasks. Columns: field_code, field_name, sort_order, status, tasks."""
    return completion_by_field_at(engine, f, [f.as_of]).drop(columns="as_of")


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
    task_conds = task_filter(engine, replace(f, agency_ids=()))
    scope = agency_scope(engine, f.agency_ids)
    spans = spans_for(task_conds, f.as_of)
    unit = func.coalesce(AG.c.parent_id, AG.c.id) if rollup else AG.c.id
    # Each lead assignment meets at most one span holding at the as-of date.
    leads = (
        select(A.c.task_id, A.c.agency_id, unit.label("unit_id"), T.c.deadline_date, spans.c.done_on,
               status_case(T.c.deadline_date, spans.c.done_on, f).label("status"))
        .select_from(A.join(T, T.c.id == A.c.task_id).join(AG, AG.c.id == A.c.agency_id).outerjoin(
            spans, and_(spans.c.assignment_id == A.c.id, span_holds(spans, f.as_of))))
        .where(A.c.role == m.ASSIGNMENT_LEAD, *task_conds)
        .cte("leads").prefix_with("MATERIALIZED")
    )
    lead = select(leads).where(leads.c.agency_id.in_(scope)).subquery("lead") if scope else leads
    overdue = lead.c.status == status.OPEN_OVERDUE

    def n(cond: ColumnElement[bool]) -> ColumnElement[int]:
        # Distinct tasks: a task led by two divisions of one agency counts once for the agency.
        return func.count(func.distinct(case((cond, lead.c.task_id), else_=None)))

    lead_stmt = (
        select(
            lead.c.unit_id,
            n(overdue).label("overdue"),
            *[n(and_(overdue, *_ageing_conds(lead.c.deadline_date, bucket, f.as_of))).label(bucket.key)
              for bucket in status.AGEING],
            n(lead.c.status == status.DONE_LATE).label("done_late"),
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
    coord_conds = [A.c.role == m.ASSIGNMENT_COORDINATOR, *task_conds,
                   status_case(T.c.deadline_date, task_done, f) == status.OPEN_OVERDUE]
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
            *[func.coalesce(lead_stmt.c[bucket.key], 0).label(bucket.key) for bucket in status.AGEING],
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
    for col in ("overdue", *(bucket.key for bucket in status.AGEING), "done_late", "coord_overdue"):
        df[col] = df[col].astype(int)
    df["max_days_overdue"] = [
        status.days_overdue(_as_date(d), f.as_of) if d is not None else 0 for d in df["oldest_deadline"]
    ]
    return df


def _ageing_conds(deadline: ColumnElement[Any], bucket: status.AgeingBucket,
                  as_of: dt.date) -> list[ColumnElement[bool]]:
    """An overdue item is in `bucket` when its days past the deadline are within the bucket's days."""
    conds: list[ColumnElement[bool]] = [deadline <= as_of - dt.timedelta(days=bucket.first_day)]
    if bucket.last_day is not None:
        conds.append(deadline >= as_of - dt.timedelta(days=bucket.last_day))
    return conds


def _as_date(value: Any) -> dt.date | None:
    if value is None or (isinstance(value, float) and pd.isna(value)):
        return None
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    return dt.date.fromisoformat(str(value)[:10])


def assignment_list(engine: Engine, f: Filters, statuses: tuple[str, ...] = (), role: str = m.ASSIGNMENT_LEAD,
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
    df = _listing(engine, stmt, sub.c.status, statuses, limit)
    df["days_overdue"] = [status.days_overdue(d, f.as_of) if s == status.OPEN_OVERDUE else 0
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
        .where(A.c.role == m.ASSIGNMENT_LEAD)
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
    return _listing(engine, stmt, ts.c.status, statuses, limit)


def _listing(engine: Engine, stmt: Select[Any], status_col: ColumnElement[Any], statuses: tuple[str, ...],
             limit: int | None) -> pd.DataFrame:
    """Run a list of tasks or assignments: only `statuses` (all when empty), at most `limit` rows (all when
    None); deadline_date and completed_on as dates."""
    if statuses:
        stmt = stmt.where(status_col.in_(statuses))
    if limit:
        stmt = stmt.limit(limit)
    df = _frame(engine, stmt)
    for col in ("deadline_date", "completed_on"):
        df[col] = [_as_date(v) for v in df[col]]
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
    order = {r: i for i, r in enumerate(status.RAG_ORDER)}
    df["rag_order"] = df["rag"].map(order)
    return df.sort_values(["rag_order", "code"], kind="stable").drop(columns="rag_order").reset_index(drop=True)


def target_board(engine: Engine, as_of: dt.date, years: tuple[int, ...] = (2025, 2026)) -> pd.DataFrame:
    """Every target of `years` judged at `as_of` (`targets.target_board`: the figures of `targets --json`)."""
    return tg.target_board(engine, as_of, years)


def indicator_passport(engine: Engine, indicator_id: int) -> tg.Passport | None:
    """`targets.indicator_passport`: what an indicator is and where its figures come from."""
    return tg.indicator_passport(engine, indicator_id)


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
        .where(AG.c.id.in_(select(A.c.agency_id).where(A.c.role == m.ASSIGNMENT_LEAD)))
    )
    df = _frame(engine, stmt)
    return df.iloc[sorted(range(len(df)), key=lambda i: vi_sort_key(str(df["name"].iloc[i])))].reset_index(drop=True)


def store_stats(engine: Engine) -> dict[str, int]:
    """Row counts of the main tables (the `stats --json` command)."""
    tables = {
        "plans": P, "tasks": T, "assignments": A, "agencies": AG, "indicators": IN, "indicator_values": IV,
        "targets": TG, "status_reports": SR, "uploads": U,
    }
    with engine.connect() as conn:
        return {name: int(conn.execute(select(func.count()).select_from(table)).scalar_one())
                for name, table in tables.items()}


def has_sample_data(engine: Engine) -> bool:
    """True while any sample (generated) report or value is in the store."""
    with engine.connect() as conn:
        r = conn.execute(select(SR.c.id).where(SR.c.is_sample.is_(True)).limit(1)).first()
        v = conn.execute(select(IV.c.id).where(IV.c.is_sample.is_(True)).limit(1)).first()
    return r is not None or v is not None


def audit_log(engine: Engine, limit: int = 500) -> pd.DataFrame:
    """The latest audit entries, newest first: at, username, action, detail."""
    table = AU
    stmt = select(table.c.at, table.c.username, table.c.action, table.c.detail).order_by(
        table.c.id.desc()).limit(limit)
    return _frame(engine, stmt)


# --- leadership views -------------------------------------------------------------------


@dataclass(frozen=True)
class OverviewChange:
    """The headline numbers now and at the end of the previous quarter (for "change since")."""

    now: Overview
    before: Overview


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
    long["done"] = long["status"].isin(status.DONE_STATUSES) * long["tasks"]
    long["overdue"] = (long["status"] == status.OPEN_OVERDUE) * long["tasks"]
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
    cols = ["field_code", "field_name", *status.STATUS_ORDER, "total", "done", "overdue", "pct_done"]
    if df.empty:
        return pd.DataFrame(columns=cols)
    wide = df.pivot_table(index=["field_code", "field_name", "sort_order"], columns="status", values="tasks",
                          aggfunc="sum", fill_value=0)
    wide = wide.reindex(columns=list(status.STATUS_ORDER), fill_value=0).reset_index().sort_values("sort_order")
    for code in status.STATUS_ORDER:
        wide[code] = wide[code].astype(int)
    wide["total"] = wide[list(status.STATUS_ORDER)].sum(axis=1)
    wide["done"] = wide[status.DONE_ON_TIME] + wide[status.DONE_LATE]
    wide["overdue"] = wide[status.OPEN_OVERDUE]
    wide["pct_done"] = 100.0 * wide["done"] / wide["total"]
    wide.columns.name = None
    return wide[cols].reset_index(drop=True)


def agency_tasks(engine: Engine, f: Filters, agency_id: int, role: str = m.ASSIGNMENT_LEAD,
                 statuses: tuple[str, ...] = (status.OPEN_OVERDUE,)) -> pd.DataFrame:
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


def task_detail(engine: Engine, task_id: int, as_of: dt.date, due_soon_days: int = status.DUE_SOON_DAYS
                ) -> TaskDetail | None:
    """One task as of `as_of`: its fields, plan, status, and every assignment (None if no such task).

    Keys: those of `TaskDetail`; assignments is a DataFrame (assignment_id,
    role, name_as_assigned, agency (the agency's current name), status (leads only; coordinators
    carry the task's), last_period, progress_pct, completed_on, difficulties; leads first, then
    Vietnamese order).
    """
    from data_access.vn import vi_sort_key

    f = Filters(as_of=as_of, due_soon_days=due_soon_days)
    ts = task_status_multi(engine, f, [as_of], extra_conds=[T.c.id == task_id], suffix=False)
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
    latest = latest_reports(as_of, m.ASSIGNMENT_LEAD, [T.c.id == task_id])
    done = done_date(latest, as_of)
    lead_stmt = select(
        latest.c.assignment_id, latest.c.agency_id, status_case(T.c.deadline_date, done, f).label("status"),
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
    is_coord = assignments["role"] != m.ASSIGNMENT_LEAD
    assignments.loc[is_coord, "status"] = detail["status"]
    assignments["completed_on"] = [_as_date(v) for v in assignments["completed_on"]]
    order = sorted(range(len(assignments)), key=lambda i: (
        assignments["role"].iloc[i] != m.ASSIGNMENT_LEAD, vi_sort_key(str(assignments["agency"].iloc[i]))))
    detail["assignments"] = assignments.iloc[order].reset_index(drop=True)
    return detail


def task_reports(engine: Engine, task_id: int) -> pd.DataFrame:
    """Every report ever recorded for the task (all assignments), oldest period first.

    Columns: report_id, period, period_start, agency, name_as_assigned, role, state, progress_pct,
    completed_on, output_document, difficulties, recorded_at, recorded_by, upload_id.
    """
    stmt = (
        select(SR.c.id.label("report_id"), SR.c.period, SR.c.period_start, AG.c.name.label("agency"),
               A.c.name_as_assigned, A.c.role, SR.c.state, SR.c.progress_pct, SR.c.completed_on, SR.c.output_document,
               SR.c.difficulties, SR.c.recorded_at, SR.c.recorded_by, SR.c.upload_id)
        .select_from(SR.join(A, A.c.id == SR.c.assignment_id).join(AG, AG.c.id == A.c.agency_id))
        .where(A.c.task_id == task_id)
        .order_by(SR.c.period_start, AG.c.name, SR.c.id)
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
    page_conds = task_filter(engine, f)
    if not page_conds:
        scope: list[ColumnElement[bool]] = []
        in_scope: ColumnElement[Any] = literal(1)
    else:
        scope = [or_(and_(*page_conds), T.c.plan_id.in_(plan_ids))] if plan_ids else page_conds
        in_scope = case((and_(*page_conds), 1), else_=0)
    unfiltered = replace(f, plan_ids=(), field_codes=(), agency_ids=())
    ts = task_status_multi(engine, unfiltered, dates, extra_conds=scope, extra_cols=[in_scope.label("in_scope")])
    cube = (
        select(ts.c.plan_id, ts.c.field_code, ts.c.in_scope, *status_sums(ts, len(dates)))
        .group_by(ts.c.plan_id, ts.c.field_code, ts.c.in_scope)
        .subquery("cube")
    )
    stmt = select(cube, FD.c.name.label("field_name"), FD.c.sort_order).select_from(
        cube.join(FD, FD.c.code == cube.c.field_code))
    return _frame(engine, stmt)


def _cube_counts(cube: pd.DataFrame, i: int) -> dict[str, int]:
    return {code: int(cube[f"c_{i}_{code}"].sum()) for code in status.STATUS_ORDER}


def _cube_by_field(cube: pd.DataFrame, dates: Sequence[dt.date]) -> pd.DataFrame:
    """`completion_by_field_at` rows from the in-scope part of a status cube."""
    sums = [f"c_{i}_{code}" for i in range(len(dates)) for code in status.STATUS_ORDER]
    wide = cube.groupby(["field_code", "field_name", "sort_order"], as_index=False)[sums].sum()
    return _long_counts(wide, dates)


def _cube_plan_completion(cube: pd.DataFrame, i: int, plan_ids: tuple[int, ...]) -> dict[int, tuple[int, int]]:
    out = {}
    for plan_id in plan_ids:
        rows = cube[cube["plan_id"] == plan_id]
        if rows.empty:
            continue
        total = int(sum(rows[f"c_{i}_{code}"].sum() for code in status.STATUS_ORDER))
        done = int(sum(rows[f"c_{i}_{code}"].sum() for code in status.DONE_STATUSES))
        out[plan_id] = (done, total)
    return out


@dataclass(frozen=True)
class OverviewPage:
    """Everything the overview page shows (see `overview_page`)."""

    change: OverviewChange  # tests/oracles.py overview_change(f)
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
            as_of=day, total=sum(c.values()), done=c[status.DONE_ON_TIME] + c[status.DONE_LATE], overdue=c[status.OPEN_OVERDUE],
            due_soon=c[status.DUE_SOON], no_deadline=c[status.NO_DEADLINE],
            indicators_red=int((board["rag"] == status.RED).sum()) if not board.empty else 0,
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
