"""Approval of quarterly returns and the period lock (issue 16, item 2). Pure core (no Streamlit).

- `approve`: Sở Nội vụ (chuyen_vien, quan_tri) marks an agency's return for a quarter "đã duyệt".
- `lock_period`: a quarter is locked for every agency ("đã khóa kỳ báo cáo", distinct from "đã duyệt").
- `reopen`: an administrator reopens one agency's return in a locked quarter, with a reason; the lock
  then no longer applies to that agency (until the quarter is locked again, which clears reopenings).
- `check_open`: called by `importer.apply_import` and `importer.undo_upload` inside their transaction,
  after the store-wide write lock: raises `PeriodLocked` (a ValueError whose message says who locked the
  quarter and when) for a locked agency-period, so nothing is written.

Every write goes through `permissions.require` and `permissions.record_audit` in the same transaction.
"""

from __future__ import annotations

import datetime as dt

from sqlalchemy import delete, select
from sqlalchemy.engine import Connection, Engine
from sqlmodel import Session

from data_access import models as m
from data_access.clock import to_vn
from data_access.periods import quarter
from data_access.permissions import Actor, record_audit, require
from data_access.tables import AG, PL, PR, RA
from data_access.vn import fmt_period


class PeriodLocked(ValueError):
    """The agency-period is locked; the message (Vietnamese) says by whom and when."""


def _agency(conn: Connection, agency_id: int) -> str:
    name = conn.execute(select(AG.c.name).where(AG.c.id == agency_id)).scalar_one_or_none()
    if name is None:
        raise ValueError(f"Không có cơ quan mã số {agency_id} trong danh mục.")
    return str(name)


def lock_state(conn: Connection, agency_id: int | None, period: str) -> tuple[str, dt.datetime] | None:
    """(locked_by, locked_at in Vietnam time) when `period` is locked for `agency_id`, else None."""
    lock = conn.execute(select(PL.c.locked_by, PL.c.locked_at).where(PL.c.period == period)).first()
    if lock is None:
        return None
    if agency_id is not None and conn.execute(
            select(PR.c.id).where(PR.c.agency_id == agency_id, PR.c.period == period)).first() is not None:
        return None
    return str(lock.locked_by), to_vn(lock.locked_at)


def check_open(conn: Connection, agency_id: int | None, period: str, what: str) -> None:
    """Raise `PeriodLocked` when `period` is locked for `agency_id`; `what` names the refused action."""
    state = lock_state(conn, agency_id, period)
    if state is not None:
        by, at = state
        raise PeriodLocked(f"Từ chối {what}: {fmt_period(period)} đã khóa kỳ báo cáo (khóa bởi {by} lúc "
                           f"{at:%d/%m/%Y %H:%M}). Quản trị hệ thống có thể mở lại kỳ cho cơ quan này, kèm lý do.")


def approve(engine: Engine, agency_id: int, period: str, actor: Actor, *, now: dt.datetime | None = None) -> bool:
    """Mark the agency's return for `period` approved; False (nothing written) if it already was."""
    require(actor, "approve_return")
    period = quarter(period)
    now = now or m.utcnow()
    with Session(engine) as session:
        conn = session.connection()
        name = _agency(conn, agency_id)
        if conn.execute(select(RA.c.id).where(RA.c.agency_id == agency_id, RA.c.period == period)).first():
            return False
        session.add(m.ReturnApproval(agency_id=agency_id, period=period, approved_at=now, approved_by=actor.username))
        record_audit(session, actor, "approve_return", f"Duyệt báo cáo {name} · {fmt_period(period)}", at=now)
        session.commit()
    return True


def lock_period(engine: Engine, period: str, actor: Actor, *, now: dt.datetime | None = None) -> bool:
    """Lock `period` for every agency (earlier reopenings are cleared); False if it already was locked."""
    require(actor, "lock_period")
    period = quarter(period)
    now = now or m.utcnow()
    with Session(engine) as session:
        conn = session.connection()
        if conn.execute(select(PL.c.id).where(PL.c.period == period)).first():
            return False
        conn.execute(delete(PR).where(PR.c.period == period))
        session.add(m.PeriodLock(period=period, locked_at=now, locked_by=actor.username))
        record_audit(session, actor, "lock_period", f"Khóa kỳ báo cáo {fmt_period(period)}", at=now)
        session.commit()
    return True


def reopen(engine: Engine, agency_id: int, period: str, reason: str, actor: Actor, *,
           now: dt.datetime | None = None) -> None:
    """Reopen one agency's return in a locked `period` (administrator, non-empty reason); audited."""
    require(actor, "reopen_period")
    period = quarter(period)
    reason = " ".join(reason.split())
    if not reason:
        raise ValueError("Cần ghi lý do mở lại kỳ báo cáo.")
    now = now or m.utcnow()
    with Session(engine) as session:
        conn = session.connection()
        name = _agency(conn, agency_id)
        if lock_state(conn, agency_id, period) is None:
            raise ValueError(f"{fmt_period(period)} của {name} không bị khóa; không cần mở lại.")
        session.add(m.PeriodReopen(agency_id=agency_id, period=period, reopened_at=now,
                                   reopened_by=actor.username, reason=reason))
        record_audit(session, actor, "reopen_period", f"Mở lại kỳ báo cáo {fmt_period(period)} cho {name} · lý do: {reason}",
                     at=now)
        session.commit()


def states(engine: Engine, period: str) -> tuple[set[int], bool, set[int]]:
    """(approved agency ids, whether `period` is locked, agency ids reopened in it) for a quarter."""
    period = quarter(period)
    with engine.connect() as conn:
        approved = {int(a) for a in conn.execute(select(RA.c.agency_id).where(RA.c.period == period)).scalars()}
        locked = conn.execute(select(PL.c.id).where(PL.c.period == period)).first() is not None
        reopened = {int(a) for a in conn.execute(select(PR.c.agency_id).where(PR.c.period == period)).scalars()}
    return approved, locked, reopened


def locked_periods(engine: Engine) -> list[dict[str, object]]:
    """Every locked quarter, newest first: period, locked_at (Vietnam time, ISO), locked_by, and the agencies
    reopened in it (`reopened`: [{agency, reopened_by, reopened_at, reason}]). JSON-able (meeting snapshots)."""
    with engine.connect() as conn:
        locks = conn.execute(select(PL.c.period, PL.c.locked_at, PL.c.locked_by).order_by(PL.c.period.desc())).all()
        reopenings = conn.execute(select(PR.c.period, AG.c.name, PR.c.reopened_by, PR.c.reopened_at, PR.c.reason)
                                  .join(AG, AG.c.id == PR.c.agency_id).order_by(PR.c.id)).all()
    out: list[dict[str, object]] = []
    for lock in locks:
        out.append({"period": str(lock.period), "locked_at": to_vn(lock.locked_at).isoformat(),
                    "locked_by": str(lock.locked_by),
                    "reopened": [{"agency": str(r.name), "reopened_by": str(r.reopened_by),
                                  "reopened_at": to_vn(r.reopened_at).isoformat(), "reason": str(r.reason)}
                                 for r in reopenings if r.period == lock.period]})
    return out
