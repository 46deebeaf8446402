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


def _latest_reports(as_of: dt.date) -> Subquery:
    """Latest report per assignment among those whose quarter had begun at `as_of`."""
    ranked = (
        select(
            R.c.assignment_id,
            R.c.state,
            R.c.progress_pct,
            R.c.completed_on,
            R.c.period,
            R.c.period_end,
            R.c.difficulties,
            R.c.output_document,
            func.row_number()
            .over(partition_by=R.c.assignment_id, order_by=(R.c.period_start.desc(), R.c.id.desc()))
            .label("rn"),
        )
        .where(R.c.period_start <= as_of)
        .subquery("ranked")
    )
    return select(ranked).where(ranked.c.rn == 1).subquery("latest")


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
    latest = _latest_reports(f.as_of)
    done = _done_date(latest, f.as_of)
    per_task = (
        select(
            A.c.task_id,
            func.count().label("leads"),
            func.count(done).label("leads_done"),
            func.max(done).label("last_done"),
        )
        .select_from(A.outerjoin(latest, latest.c.assignment_id == A.c.id))
        .where(A.c.role == m.ROLE_LEAD)
        .group_by(A.c.task_id)
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
        .where(*_task_filter(engine, f))
    )
    return stmt.subquery("task_status")


def assignment_status_subquery(engine: Engine, f: Filters, role: str = m.ROLE_LEAD) -> Subquery:
    """One row per assignment of `role` on tasks in scope, with its own status.

    A coordinating assignment carries the status of the task itself (a coordinator
    does not report completion of its own).
    """
    latest = _latest_reports(f.as_of)
    if role == m.ROLE_LEAD:
        done = _done_date(latest, f.as_of)
        stmt = select(
            A.c.id.label("assignment_id"),
            A.c.task_id,
            A.c.agency_id,
            T.c.deadline_date,
            done.label("completed_on"),
            _status_case(T.c.deadline_date, done, f).label("status"),
            latest.c.period.label("last_period"),
            latest.c.progress_pct,
            latest.c.difficulties,
        ).select_from(A.join(T, T.c.id == A.c.task_id).outerjoin(latest, latest.c.assignment_id == A.c.id))
    else:
        ts = task_status_subquery(engine, f)
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
        ).select_from(A.join(ts, ts.c.id == A.c.task_id).join(T, T.c.id == A.c.task_id))
    conds = [A.c.role == role, *_task_filter(engine, replace(f, agency_ids=()))]
    if f.agency_ids:
        conds.append(A.c.agency_id.in_(_agency_scope(engine, f.agency_ids)))
    return stmt.where(*conds).subquery("assignment_status")


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
    # Plan-completion indicators are computed from the tasks of their plan.
    for idx, row in df[df["plan_id"].notna()].iterrows():
        counts = status_counts(engine, Filters(as_of=as_of, plan_ids=(int(row["plan_id"]),)))
        total = sum(counts.values())
        if total:
            df.at[idx, "value"] = 100.0 * (counts[st.DONE_ON_TIME] + counts[st.DONE_LATE]) / total
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
