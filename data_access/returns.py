"""Return obligations of a quarter and their timeliness (issue 16, item 1). Pure core (no Streamlit).

Who owes a return for a quarter: every agency that leads (itself or through one of its divisions,
rolled up to the agency as the upload page does, `importer.reporting_agencies`) a task that is open
that quarter: a task of a provincial or internal plan that started in or before the quarter's year
(a task of an earlier year still unfinished stays open), with no report saying it was done in a period
that ended before the quarter. Groups ("Các sở, ban, ngành") and local governments (communes report
in their own cycle) owe nothing here.

Timeliness is measured the DHIS2 way: expected (the obligation), actual (received), on time
(received by the due date). The due date is the quarter's last day plus `Settings.return_due_days`
(CCHC_RETURN_DUE_DAYS, default 15). A return is received when an upload for that agency and quarter is
applied and not undone; `received_at` is the first such upload (Vietnam time), so undoing it makes the
return received later (by the next remaining upload) or missing again.

Status: `on_time` (received on or before the due date, Vietnam time), `late` (received after it),
`missing` (not received and the due date has passed), `not_due` (not received, not yet due).
`approved`: Sở Nội vụ marked the return "đã duyệt"; `locked`: the quarter is locked for the agency
(locked, and not reopened for it) (`period_lock`).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import asdict, dataclass
from typing import Any

from sqlalchemy import Select, and_, case, exists, func, or_, select
from sqlalchemy.engine import Engine

from data_access import models as m
from data_access.clock import to_vn, today_vn
from data_access.period_lock import states as lock_states
from data_access.periods import period_bounds, period_of, previous_quarter, quarter
from data_access.settings import get_settings
from data_access.tables import AG, RA, SR, A, P, T, U
from data_access.vn import vi_sort_key

ON_TIME, LATE, MISSING, NOT_DUE = "on_time", "late", "missing", "not_due"
STATUS_LABELS = {ON_TIME: "Đúng hạn", LATE: "Trễ hạn", MISSING: "Chưa nộp (quá hạn)", NOT_DUE: "Chưa đến hạn"}



@dataclass(frozen=True)
class Obligation:
    agency_id: int
    agency: str
    period: str
    due: dt.date
    received_at: dt.datetime | None  # Vietnam time
    upload_id: int | None
    status: str
    approved: bool = False
    locked: bool = False

    def as_json(self) -> dict[str, Any]:
        out = asdict(self)
        out["due"] = self.due.isoformat()
        out["received_at"] = self.received_at.isoformat() if self.received_at else None
        return out


def _status(received_at: dt.datetime | None, due: dt.date, today: dt.date) -> str:
    if received_at is not None:
        return ON_TIME if received_at.date() <= due else LATE
    return MISSING if today > due else NOT_DUE


def due_date(period: str, due_days: int | None = None) -> dt.date:
    """The quarter's last day plus `due_days` (default: the setting CCHC_RETURN_DUE_DAYS)."""
    days = get_settings().return_due_days if due_days is None else due_days
    return period_bounds(quarter(period))[1] + dt.timedelta(days=days)


def _owing_tasks(start: dt.date) -> Select[Any]:
    """(agency_id rolled up, task id, code, text) of every lead assignment open in the quarter starting `start`."""
    # A division's lead rolls up to its agency.
    owner = case((and_(AG.c.parent_id.is_not(None), AG.c.kind == m.KIND_DIVISION), AG.c.parent_id),
                 else_=AG.c.id)
    # The agency's own lead assignment reported done before the quarter: it owes nothing more on that task. Another
    # lead's "done" does not close it (the status rules need every lead done: status.task_status), so an agency
    # whose share is still open keeps owing a return, as its overdue count on the other pages says.
    done_before = exists().where(and_(
        SR.c.assignment_id == A.c.id, SR.c.state == m.STATE_DONE, SR.c.period_end < start))
    return (
        select(owner.label("agency_id"), T.c.id.label("task_id"), T.c.code, T.c.text)
        .select_from(A.join(T, T.c.id == A.c.task_id).join(P, P.c.id == T.c.plan_id).join(AG, AG.c.id == A.c.agency_id))
        .where(A.c.role == m.ASSIGNMENT_LEAD, P.c.kind != m.PLAN_DIRECTIONS,
               func.coalesce(P.c.year_from, P.c.year) <= start.year, ~done_before)
    )


def owed_tasks(engine: Engine, period: str, agency_id: int) -> list[tuple[str, str]]:
    """(code, text) of the tasks whose progress `agency_id` owes in its return for `period`, by code.

    The same rule as `obligations` (the agency leads them, itself or through a division; open that quarter).
    """
    start, _end = period_bounds(quarter(period))
    sub = _owing_tasks(start).subquery()
    with engine.connect() as conn:
        rows = conn.execute(select(sub.c.code, sub.c.text).where(sub.c.agency_id == agency_id)
                            .distinct().order_by(sub.c.code)).all()
    return [(str(r.code), str(r.text)) for r in rows]


def obligations(engine: Engine, period: str, *, today: dt.date | None = None,
                due_days: int | None = None) -> list[Obligation]:
    """One obligation per agency owing a return for the quarter `period`, sorted by Vietnamese name.

    `today` (Vietnam date, default now) decides missing vs not yet due. ValueError (Vietnamese) for a
    period that is not a quarter.
    """
    period = quarter(period)
    start, _end = period_bounds(period)
    due = due_date(period, due_days)
    today = today or today_vn()
    parent = AG.alias("parent")
    owing_tasks = _owing_tasks(start).subquery()
    owing = select(owing_tasks.c.agency_id).distinct().subquery()
    received = (
        select(U.c.agency_id, func.min(U.c.uploaded_at).label("received_at"))
        .where(U.c.period == period, U.c.undone_at.is_(None)).group_by(U.c.agency_id).subquery()
    )
    first_id = (
        select(func.min(U.c.id)).where(U.c.period == period, U.c.undone_at.is_(None),
                                       U.c.agency_id == parent.c.id, U.c.uploaded_at == received.c.received_at)
        .scalar_subquery()
    )
    query = (
        select(parent.c.id, parent.c.name, received.c.received_at, first_id.label("upload_id"))
        .select_from(owing.join(parent, parent.c.id == owing.c.agency_id)
                     .outerjoin(received, received.c.agency_id == parent.c.id))
        .where(parent.c.kind.not_in([m.KIND_GROUP, m.KIND_LOCAL]), or_(parent.c.parent_id.is_(None), parent.c.kind != m.KIND_DIVISION))
    )
    with engine.connect() as conn:
        rows = conn.execute(query).all()
    approved, period_locked, reopened = lock_states(engine, period)
    out: list[Obligation] = []
    for r in rows:
        at = to_vn(r.received_at) if r.received_at is not None else None
        status = _status(at, due, today)
        out.append(Obligation(int(r.id), str(r.name), period, due, at,
                              int(r.upload_id) if r.upload_id is not None else None, status,
                              approved=int(r.id) in approved, locked=period_locked and int(r.id) not in reopened))
    out.sort(key=lambda o: vi_sort_key(o.agency))
    return out


def summary(items: list[Obligation]) -> dict[str, Any]:
    """Counts per status and the rates DHIS2 reports: received / expected and on time / expected."""
    expected = len(items)
    counts = {s: sum(1 for o in items if o.status == s) for s in (ON_TIME, LATE, MISSING, NOT_DUE)}
    received = counts[ON_TIME] + counts[LATE]
    return {"expected": expected, **counts, "received": received,
            "reporting_rate": received / expected if expected else None,
            "on_time_rate": counts[ON_TIME] / expected if expected else None}


def reporting_quarter(as_of: dt.date) -> str:
    """The latest quarter that has ended on `as_of` (Vietnam date): the newest return one can expect.

    On 23/11/2026 it is 2026-Q3: Q4 is still running, its return cannot exist yet, so "current" for
    a return means the last ended quarter.
    """
    current = period_of(as_of)
    return current if period_bounds(current)[1] <= as_of else previous_quarter(current)


def recent_quarters(as_of: dt.date, count: int = 4) -> list[str]:
    """The `count` latest ended quarters on `as_of`, oldest first (the columns of the cycle table)."""
    out = [reporting_quarter(as_of)]
    while len(out) < count:
        out.append(previous_quarter(out[-1]))
    return out[::-1]


def cycle(engine: Engine, periods: list[str], *, today: dt.date | None = None,
          due_days: int | None = None) -> list[Obligation]:
    """The obligations of several quarters (`obligations` of each, in the order given)."""
    return [o for p in periods for o in obligations(engine, p, today=today, due_days=due_days)]


@dataclass(frozen=True)
class LastReturn:
    """An agency's latest received return: the newest quarter with an applied (not undone) upload."""

    agency_id: int
    period: str
    received_at: dt.datetime  # Vietnam time, the first applied upload of that quarter
    approved: bool

    def stale(self, as_of: dt.date) -> bool:
        """True when the return is older than the reporting quarter on `as_of` ("chưa cập nhật")."""
        return self.period < reporting_quarter(as_of)


def last_returns(engine: Engine) -> dict[int, LastReturn]:
    """Agency id -> its latest received return (agencies that never sent one are absent).

    Only applied, not undone uploads count, as for `obligations`; `received_at` is the first upload of
    that quarter, `approved` whether Sở Nội vụ marked it "đã duyệt".
    """
    query = (select(U.c.agency_id, U.c.period, func.min(U.c.uploaded_at).label("received_at"))
             .where(U.c.undone_at.is_(None), U.c.agency_id.is_not(None), U.c.period.like("%-Q%"))
             .group_by(U.c.agency_id, U.c.period))
    with engine.connect() as conn:
        rows = conn.execute(query).all()
        approved = {(int(a), str(p)) for a, p in conn.execute(select(RA.c.agency_id, RA.c.period))}
    out: dict[int, LastReturn] = {}
    for r in rows:
        aid, period = int(r.agency_id), str(r.period)
        if aid not in out or period > out[aid].period:
            out[aid] = LastReturn(aid, period, to_vn(r.received_at), (aid, period) in approved)
    return out


@dataclass(frozen=True)
class DataDate:
    """The newest applied (not undone) upload: when the store last received a return, from whom, for which quarter."""

    at: dt.datetime  # Vietnam time
    agency: str
    period: str


def data_date(engine: Engine) -> DataDate | None:
    """The store's data date: its newest applied upload (None: no return was ever uploaded)."""
    query = (select(U.c.uploaded_at, AG.c.name, U.c.period).select_from(U.outerjoin(AG, AG.c.id == U.c.agency_id))
             .where(U.c.undone_at.is_(None)).order_by(U.c.uploaded_at.desc(), U.c.id.desc()).limit(1))
    with engine.connect() as conn:
        row = conn.execute(query).first()
    if row is None:
        return None
    return DataDate(to_vn(row.uploaded_at), str(row.name or "–"), str(row.period))
