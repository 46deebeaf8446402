"""Tasks ↔ indicators (issue 18, item 3): which tasks of a plan are meant to move an indicator.

Each link carries its basis and its citation (`models.TaskIndicator`):
- `chi_tieu`: the task's own output states the indicator's target (a KH 5399 appendix row; the
  target's quote lies on the task's line of seed 002);
- `thanh_phan`: KH 5399 groups the task under the PAR INDEX component (or SIPAS) the indicator measures;
- `quan_tri`: an administrator added it, with a reason.
The sample builder seeds the first two from the seeds' own structure (`sample_data/build.py`,
`build_links`); an administrator adds and removes links (`add_link`, `remove_link`: role
`manage_settings`, audited, in one transaction, data version bumped). Pure core (no Streamlit).
"""

from __future__ import annotations

import datetime as dt

import pandas as pd
from sqlalchemy import delete, func, select
from sqlalchemy.engine import Engine
from sqlmodel import Session

from data_access import models as m
from data_access import status
from data_access import tables as tb
from data_access.db import bump_data_version
from data_access.permissions import Actor, record_audit, require

BASIS_LABELS = {
    m.LINK_TARGET: "Đầu ra của nhiệm vụ nêu chỉ tiêu",
    m.LINK_COMPONENT: "Nhiệm vụ thuộc chỉ số thành phần",
    m.LINK_ADMIN: "Quản trị bổ sung",
}
LINK_ACTION = "manage_settings"  # who edits links: administrators (same right as the scorecard weights)

TI, T, I, P, A, AG = tb.TASK_INDICATOR, tb.TASK, tb.INDICATOR, tb.PLAN, tb.ASSIGNMENT, tb.AGENCY  # noqa: E741


def _frame(engine: Engine, stmt: object) -> pd.DataFrame:
    with engine.connect() as conn:
        result = conn.execute(stmt)  # type: ignore[call-overload]
        return pd.DataFrame(result.mappings().all(), columns=list(result.keys()))


def _leads(engine: Engine, task_ids: list[int]) -> dict[int, list[str]]:
    """Lead agencies' names per task (as the catalogue names them now)."""
    if not task_ids:
        return {}
    stmt = (select(A.c.task_id, AG.c.name).select_from(A.join(AG, AG.c.id == A.c.agency_id))
            .where(A.c.role == m.ASSIGNMENT_LEAD, A.c.task_id.in_(task_ids)).order_by(A.c.task_id, AG.c.name))
    out: dict[int, list[str]] = {}
    with engine.connect() as conn:
        for task_id, name in conn.execute(stmt):
            out.setdefault(int(task_id), []).append(str(name))
    return out


def all_links(engine: Engine) -> pd.DataFrame:
    """Every link: link_id, task_code, task, plan_code, indicator_code, indicator, basis, basis_label, source,
    created_by. Ordered by indicator code, then task code."""
    stmt = (select(TI.c.id.label("link_id"), T.c.code.label("task_code"), T.c.text.label("task"),
                   P.c.code.label("plan_code"), I.c.code.label("indicator_code"), I.c.name.label("indicator"),
                   TI.c.basis, TI.c.source, TI.c.created_by)
            .select_from(TI.join(T, T.c.id == TI.c.task_id).join(P, P.c.id == T.c.plan_id)
                         .join(I, I.c.id == TI.c.indicator_id))
            .order_by(I.c.code, T.c.code))
    df = _frame(engine, stmt)
    df["basis_label"] = [BASIS_LABELS.get(b, b) for b in df["basis"]]
    return df


def indicator_tasks(engine: Engine, indicator_id: int, as_of: dt.date, *, overdue_first: bool = False,
                    due_soon_days: int = 30) -> pd.DataFrame:
    """The tasks linked to one indicator with their status at `as_of` (the same status the Nhiệm vụ page shows).

    Columns: task_id, code, task, plan_code, deadline_date, status, status_label, days_overdue, leads
    (names, "; "-joined), basis, basis_label, source. Order: by plan and code; with `overdue_first` (a red
    or at-risk indicator), overdue tasks first, the longest overdue at the top.
    """
    from data_access.status_sql import Filters, task_status_subquery

    ts = task_status_subquery(engine, Filters(as_of=as_of, due_soon_days=due_soon_days))
    stmt = (select(T.c.id.label("task_id"), T.c.code, T.c.text.label("task"), P.c.code.label("plan_code"),
                   T.c.deadline_date, ts.c.status, TI.c.basis, TI.c.source)
            .select_from(TI.join(T, T.c.id == TI.c.task_id).join(P, P.c.id == T.c.plan_id)
                         .outerjoin(ts, ts.c.id == T.c.id))
            .where(TI.c.indicator_id == indicator_id)
            .order_by(P.c.year, T.c.code))
    df = _frame(engine, stmt)
    df["deadline_date"] = [v if isinstance(v, dt.date) or v is None else dt.date.fromisoformat(str(v))
                           for v in df["deadline_date"]]
    df["status"] = [s if isinstance(s, str) else status.NO_DEADLINE for s in df["status"]]
    df["status_label"] = [status.STATUS_LABELS[s] for s in df["status"]]
    df["days_overdue"] = [status.days_overdue(d, as_of) if s == status.OPEN_OVERDUE and d else 0
                          for d, s in zip(df["deadline_date"], df["status"], strict=True)]
    leads = _leads(engine, [int(t) for t in df["task_id"]])
    df["leads"] = ["; ".join(leads.get(int(t), [])) for t in df["task_id"]]
    df["basis_label"] = [BASIS_LABELS.get(b, b) for b in df["basis"]]
    if overdue_first and not df.empty:
        df = df.sort_values("days_overdue", ascending=False, kind="stable").reset_index(drop=True)
    return df


def indicator_owners(engine: Engine, indicator_id: int) -> list[tuple[str, str]]:
    """(lead agency, citation) of the tasks whose own output states the indicator's target (`chi_tieu` links):
    the agency a document makes answerable for the indicator. Empty when no document says."""
    stmt = (select(AG.c.name, TI.c.source, T.c.code)
            .select_from(TI.join(T, T.c.id == TI.c.task_id).join(A, A.c.task_id == T.c.id)
                         .join(AG, AG.c.id == A.c.agency_id))
            .where(TI.c.indicator_id == indicator_id, TI.c.basis == m.LINK_TARGET, A.c.role == m.ASSIGNMENT_LEAD)
            .order_by(T.c.code, AG.c.name))
    seen: dict[str, str] = {}
    with engine.connect() as conn:
        for name, source, code in conn.execute(stmt):
            seen.setdefault(str(name), f"nhiệm vụ {code}: {source}")
    return list(seen.items())


def add_link(engine: Engine, task_code: str, indicator_code: str, reason: str, actor: Actor | None, *,
             now: dt.datetime | None = None) -> int:
    """Link a task to an indicator (administrator; a non-empty reason is the link's citation). Returns its id.

    ValueError (Vietnamese) for an unknown task or indicator, an empty reason, or an existing link; nothing is
    written then."""
    require(actor, LINK_ACTION)
    assert actor is not None
    reason = " ".join(reason.split())
    if not reason:
        raise ValueError("Cần ghi căn cứ của liên kết (văn bản, dòng, hoặc lý do).")
    now = now or m.utcnow()
    with Session(engine) as session:
        conn = session.connection()
        task = conn.execute(select(T.c.id, T.c.code).where(T.c.code == task_code.strip())).first()
        if task is None:
            raise ValueError(f"Không có nhiệm vụ mã {task_code.strip()!r}.")
        ind = conn.execute(select(I.c.id, I.c.code).where(I.c.code == indicator_code.strip())).first()
        if ind is None:
            raise ValueError(f"Không có chỉ số mã {indicator_code.strip()!r}.")
        if conn.execute(select(TI.c.id).where(TI.c.task_id == task.id, TI.c.indicator_id == ind.id)).first():
            raise ValueError(f"Nhiệm vụ {task.code} đã được gắn với chỉ số {ind.code}.")
        link = m.TaskIndicator(task_id=int(task.id), indicator_id=int(ind.id), basis=m.LINK_ADMIN,
                               source=f"{reason} (quản trị {actor.username} bổ sung)", created_at=now,
                               created_by=actor.username)
        session.add(link)
        record_audit(session, actor, "gan_nhiem_vu_chi_so", f"Gắn nhiệm vụ {task.code} với chỉ số {ind.code} · "
                     f"căn cứ: {reason}", at=now)
        bump_data_version(session)
        session.commit()
        return int(link.id or 0)


def remove_link(engine: Engine, link_id: int, actor: Actor | None, *, now: dt.datetime | None = None) -> None:
    """Remove one link (administrator), audited with what it was and its citation. ValueError if there is none."""
    require(actor, LINK_ACTION)
    assert actor is not None
    now = now or m.utcnow()
    with Session(engine) as session:
        conn = session.connection()
        row = conn.execute(select(T.c.code.label("task"), I.c.code.label("indicator"), TI.c.source)
                           .select_from(TI.join(T, T.c.id == TI.c.task_id).join(I, I.c.id == TI.c.indicator_id))
                           .where(TI.c.id == link_id)).first()
        if row is None:
            raise ValueError(f"Không có liên kết số {link_id}.")
        conn.execute(delete(TI).where(TI.c.id == link_id))
        record_audit(session, actor, "bo_gan_nhiem_vu_chi_so",
                     f"Bỏ gắn nhiệm vụ {row.task} với chỉ số {row.indicator} (căn cứ cũ: {row.source})", at=now)
        bump_data_version(session)
        session.commit()


def link_counts(engine: Engine) -> dict[int, int]:
    """Linked tasks per indicator id."""
    with engine.connect() as conn:
        return {int(i): int(n) for i, n in conn.execute(
            select(TI.c.indicator_id, func.count()).group_by(TI.c.indicator_id))}
