"""Typed read functions. Every aggregation runs in SQL (SQLite and PostgreSQL alike).

The status rules of `status.py` are expressed here as SQL CASE expressions over:
  1. the latest report of each assignment visible at the as-of date (its quarter has begun),
  2. the assignment's completion date when that report says it is done,
  3. a task's completion: every lead assignment done, dated by the last one.
Dates are bound as parameters (cut-offs computed in Python), so no dialect-specific
date arithmetic is needed.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field, replace
from typing import Any

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
from sqlalchemy.sql.selectable import Subquery

from data_access import models as m
from data_access import status as st
from data_access.periods import period_bounds, period_of, previous_quarter

T = m.Task.__table__  # type: ignore[attr-defined]
P = m.Plan.__table__  # type: ignore[attr-defined]
A = m.Assignment.__table__  # type: ignore[attr-defined]
AG = m.Agency.__table__  # type: ignore[attr-defined]
R = m.StatusReport.__table__  # type: ignore[attr-defined]
FD = m.Field.__table__  # type: ignore[attr-defined]
I = m.Indicator.__table__  # type: ignore[attr-defined]  # noqa: E741
IV = m.IndicatorValue.__table__  # type: ignore[attr-defined]
TG = m.Target.__table__  # type: ignore[attr-defined]
U = m.Upload.__table__  # type: ignore[attr-defined]


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


def _task_filter(engine: Engine, f: Filters) -> list[ColumnElement[bool]]:
    conds: list[ColumnElement[bool]] = []
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


def task_status_subquery(engine: Engine, f: Filters) -> Subquery:
    """One row per task in scope: id, plan_id, field_code, deadline_date, completed_on, status."""
    conds = _task_filter(engine, f)
    latest = _latest_reports(f.as_of, m.ROLE_LEAD, conds)
    done = _done_date(latest, f.as_of)
    per_task = (
        select(
            latest.c.task_id,
            func.count().label("leads"),
            func.count(done).label("leads_done"),
            func.max(done).label("last_done"),
        )
        .group_by(latest.c.task_id)
        .subquery("per_task")
    )
    task_done = case(
        (and_(per_task.c.leads > 0, per_task.c.leads == per_task.c.leads_done), per_task.c.last_done), else_=None
    )
    stmt = (
        select(
            T.c.id,
            T.c.plan_id,
            T.c.field_code,
            T.c.deadline_date,
            task_done.label("completed_on"),
            _status_case(T.c.deadline_date, task_done, f).label("status"),
        )
        .select_from(T.outerjoin(per_task, per_task.c.task_id == T.c.id))
        .where(*conds)
    )
    return stmt.subquery("task_status")


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
    ts = task_status_subquery(engine, replace(f, agency_ids=()))
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


def status_counts(engine: Engine, f: Filters) -> dict[str, int]:
    """Number of tasks in each of the six statuses (every status present, zeros included)."""
    ts = task_status_subquery(engine, f)
    with engine.connect() as conn:
        rows = conn.execute(select(ts.c.status, func.count()).group_by(ts.c.status)).all()
    counts = dict.fromkeys(st.STATUS_ORDER, 0)
    counts.update({status: int(n) for status, n in rows})
    return counts


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


def overview(engine: Engine, f: Filters) -> Overview:
    """Headline numbers of the overview page."""
    counts = status_counts(engine, f)
    progress = indicator_progress(engine, f.as_of)
    red = int((progress["rag"] == st.RED).sum()) if not progress.empty else 0
    return Overview(
        as_of=f.as_of,
        total=sum(counts.values()),
        done=counts[st.DONE_ON_TIME] + counts[st.DONE_LATE],
        overdue=counts[st.OPEN_OVERDUE],
        due_soon=counts[st.DUE_SOON],
        no_deadline=counts[st.NO_DEADLINE],
        indicators_red=red,
    )


def previous_quarter_end(as_of: dt.date) -> dt.date:
    """End of the quarter before the one containing `as_of` (for "change since" figures)."""
    return period_bounds(previous_quarter(period_of(as_of)))[1]


def completion_by_field(engine: Engine, f: Filters) -> pd.DataFrame:
    """Per field and status: number of tasks. Columns: field_code, field_name, sort_order, status, tasks."""
    ts = task_status_subquery(engine, f)
    stmt = (
        select(FD.c.code.label("field_code"), FD.c.name.label("field_name"), FD.c.sort_order, ts.c.status,
               func.count().label("tasks"))
        .select_from(ts.join(FD, FD.c.code == ts.c.field_code))
        .group_by(FD.c.code, FD.c.name, FD.c.sort_order, ts.c.status)
        .order_by(FD.c.sort_order)
    )
    return _frame(engine, stmt)


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


def overdue_by_agency(engine: Engine, f: Filters) -> pd.DataFrame:
    """Lead agencies ranked by overdue assignments, with ageing buckets.

    Columns: agency_id, agency, overdue, d1_30, d31_90, d90_plus, done_late, oldest_deadline,
    coord_overdue (overdue tasks where the agency only coordinates). Agencies with nothing
    overdue and nothing late are left out.
    """
    lead = assignment_status_subquery(engine, f, m.ROLE_LEAD)
    cut30 = f.as_of - dt.timedelta(days=30)
    cut90 = f.as_of - dt.timedelta(days=90)
    overdue = lead.c.status == st.OPEN_OVERDUE

    def n(cond: ColumnElement[bool]) -> ColumnElement[int]:
        return func.sum(case((cond, 1), else_=0))

    lead_stmt = (
        select(
            lead.c.agency_id,
            n(overdue).label("overdue"),
            n(and_(overdue, lead.c.deadline_date >= cut30)).label("d1_30"),
            n(and_(overdue, lead.c.deadline_date < cut30, lead.c.deadline_date >= cut90)).label("d31_90"),
            n(and_(overdue, lead.c.deadline_date < cut90)).label("d90_plus"),
            n(lead.c.status == st.DONE_LATE).label("done_late"),
            func.min(case((overdue, lead.c.deadline_date), else_=None)).label("oldest_deadline"),
        )
        .group_by(lead.c.agency_id)
        .subquery("lead_agg")
    )
    coord = assignment_status_subquery(engine, f, m.ROLE_COORD)
    coord_stmt = (
        select(coord.c.agency_id, n(coord.c.status == st.OPEN_OVERDUE).label("coord_overdue"))
        .group_by(coord.c.agency_id)
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
            AG.outerjoin(lead_stmt, lead_stmt.c.agency_id == AG.c.id).outerjoin(
                coord_stmt, coord_stmt.c.agency_id == AG.c.id
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
        for word in search_key(search).split():
            stmt = stmt.where(T.c.search_key.contains(word, autoescape=True))
    if statuses:
        stmt = stmt.where(ts.c.status.in_(statuses))
    if limit:
        stmt = stmt.limit(limit)
    df = _frame(engine, stmt)
    df["deadline_date"] = [_as_date(v) for v in df["deadline_date"]]
    df["completed_on"] = [_as_date(v) for v in df["completed_on"]]
    return df


# --- indicators ---------------------------------------------------------------------


def indicator_progress(engine: Engine, as_of: dt.date, years: tuple[int, ...] = (2025, 2026)) -> pd.DataFrame:
    """Every indicator with a target in `years`: latest value known at `as_of`, targets, RAG.

    Values count once their period has ended (`period_end <= as_of`), except the running
    quarter of a plan-completion indicator, which is computed from the tasks at `as_of`.
    Columns: indicator_id, code, name, field_code, unit, direction, value, period, is_sample,
    target_<year>, comparator_<year>, quote_<year> for each year, target_year (the year whose
    target the RAG uses: the first of `years` not yet past, else the last), rag, gap.
    """
    ranked = (
        select(
            IV.c.indicator_id, IV.c.value, IV.c.period, IV.c.is_sample,
            func.row_number().over(partition_by=IV.c.indicator_id,
                                   order_by=(IV.c.period_end.desc(), IV.c.id.desc())).label("rn"),
        )
        .where(IV.c.period_end <= as_of)
        .subquery("ranked_values")
    )
    latest = select(ranked).where(ranked.c.rn == 1).subquery("latest_values")
    has_target = select(TG.c.indicator_id).where(TG.c.year.in_(years))
    stmt = (
        select(I.c.id.label("indicator_id"), I.c.code, I.c.name, I.c.field_code, I.c.unit, I.c.direction,
               I.c.plan_id, latest.c.value, latest.c.period, latest.c.is_sample)
        .select_from(I.outerjoin(latest, latest.c.indicator_id == I.c.id))
        .where(I.c.id.in_(has_target))
        .order_by(I.c.code)
    )
    df = _frame(engine, stmt)
    targets = _frame(engine, select(TG.c.indicator_id, TG.c.year, TG.c.comparator, TG.c.value, TG.c.source_quote)
                     .where(TG.c.year.in_(years)))
    # Plan-completion indicators are computed from the tasks of their plan (one grouped query).
    plan_ids = tuple(sorted(int(p) for p in df["plan_id"].dropna().unique()))
    completion = plan_completion(engine, as_of, plan_ids) if plan_ids else {}
    for idx, row in df[df["plan_id"].notna()].iterrows():
        done_total = completion.get(int(row["plan_id"]))
        if done_total and done_total[1]:
            df.at[idx, "value"] = 100.0 * done_total[0] / done_total[1]
            df.at[idx, "period"] = f"đến {as_of.strftime('%d/%m/%Y')}"
            df.at[idx, "is_sample"] = False
    target_year = next((y for y in years if y >= as_of.year), years[-1])
    for year in years:
        sub = targets[targets["year"] == year].set_index("indicator_id")
        df[f"target_{year}"] = df["indicator_id"].map(sub["value"]) if not sub.empty else None
        df[f"comparator_{year}"] = df["indicator_id"].map(sub["comparator"]) if not sub.empty else None
        df[f"quote_{year}"] = df["indicator_id"].map(sub["source_quote"]) if not sub.empty else None
    rags: list[str] = []
    gaps: list[float | None] = []
    used_years: list[int | None] = []
    for _, row in df.iterrows():
        used: int | None = target_year if pd.notna(row.get(f"target_{target_year}")) else next(
            (y for y in years if pd.notna(row.get(f"target_{y}"))), None)
        used_years.append(used)
        value = None if pd.isna(row["value"]) else float(row["value"])
        if used is None:
            rags.append(st.GREY)
            gaps.append(None)
            continue
        comparator = str(row[f"comparator_{used}"])
        target = float(row[f"target_{used}"])
        rags.append(st.rag(value, comparator, target, str(row["direction"])))
        gaps.append(st.gap(value, comparator, target, str(row["direction"])))
    df["target_year"] = used_years
    df["rag"] = rags
    df["gap"] = gaps
    order = {r: i for i, r in enumerate(st.RAG_ORDER)}
    df["rag_order"] = df["rag"].map(order)
    return df.sort_values(["rag_order", "code"]).drop(columns="rag_order").reset_index(drop=True)


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
    """Plans with their task counts, newest year first."""
    counts = select(T.c.plan_id, func.count().label("tasks")).group_by(T.c.plan_id).subquery()
    stmt = (
        select(P.c.id, P.c.code, P.c.document, P.c.name, P.c.year, func.coalesce(counts.c.tasks, 0).label("tasks"))
        .select_from(P.outerjoin(counts, counts.c.plan_id == P.c.id))
        .order_by(P.c.year.desc(), P.c.code)
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
    table = m.AuditLog.__table__  # type: ignore[attr-defined]
    stmt = select(table.c.at, table.c.username, table.c.action, table.c.detail).order_by(
        table.c.id.desc()).limit(limit)
    return _frame(engine, stmt)


# --- leadership views -------------------------------------------------------------------


def plan_completion(engine: Engine, as_of: dt.date, plan_ids: tuple[int, ...]) -> dict[int, tuple[int, int]]:
    """Plan id -> (tasks completed, tasks) as of `as_of`, for the given plans, in one query."""
    ts = task_status_subquery(engine, Filters(as_of=as_of, plan_ids=plan_ids))
    done = func.sum(case((ts.c.status.in_(tuple(st.DONE_STATUSES)), 1), else_=0))
    stmt = select(ts.c.plan_id, done.label("done"), func.count().label("total")).group_by(ts.c.plan_id)
    with engine.connect() as conn:
        return {int(p): (int(d or 0), int(t)) for p, d, t in conn.execute(stmt)}


@dataclass(frozen=True)
class OverviewChange:
    """The headline numbers now and at the end of the previous quarter (for "change since")."""

    now: Overview
    before: Overview


def overview_change(engine: Engine, f: Filters) -> OverviewChange:
    """`overview` at `f.as_of` and at `previous_quarter_end(f.as_of)`, same filters otherwise."""
    return OverviewChange(now=overview(engine, f), before=overview(engine, f.at(previous_quarter_end(f.as_of))))


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

    The status pipeline runs once per quarter end (reports visible then, same filters), grouped
    in SQL by field and status. One row per (quarter, field) with tasks, plus one row per quarter
    with field_code "" and field_name "Tất cả lĩnh vực" for the whole scope.
    Columns: period ("2026-Q2"), period_end, field_code, field_name, sort_order, total, done,
    overdue, pct_done (0-100, None when the scope has no task).
    """
    frames = []
    for end in quarter_ends(f.as_of, quarters):
        df = completion_by_field(engine, f.at(end))
        df["period"] = period_of(end)
        df["period_end"] = end
        frames.append(df)
    cols = ["period", "period_end", "field_code", "field_name", "sort_order", "total", "done", "overdue", "pct_done"]
    if not frames:
        return pd.DataFrame(columns=cols)
    long = pd.concat(frames, ignore_index=True)
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
    df = completion_by_field(engine, f)
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


def task_detail(engine: Engine, task_id: int, as_of: dt.date, due_soon_days: int = 30) -> dict[str, Any] | None:
    """One task as of `as_of`: its fields, plan, status, and every assignment (None if no such task).

    Keys: task_id, code, number, section, text, output, deadline_text, deadline_date, plan_code,
    plan_document, plan_name, field_name, status, completed_on, assignments (DataFrame: assignment_id,
    role, name_as_assigned, agency (the agency's current name), status (leads only; coordinators
    carry the task's), last_period, progress_pct, completed_on, difficulties; leads first, then
    Vietnamese order).
    """
    from data_access.vn import vi_sort_key

    f = Filters(as_of=as_of, due_soon_days=due_soon_days)
    ts = task_status_subquery(engine, f)
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
    detail = dict(row)
    detail["deadline_date"] = _as_date(detail["deadline_date"])
    detail["completed_on"] = _as_date(detail["completed_on"])
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
    board = indicator_progress(engine, as_of, years)
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
