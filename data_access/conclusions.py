"""Meeting conclusions (issue 17): recorded in meeting mode against a slide's item; a conclusion
can become a task of the "Kết luận giao ban" plan of its year, tracked like every other task.

A conclusion belongs to a frozen snapshot (the meeting: its title and date), so "the previous
meeting" is well defined. The task it becomes is an ordinary task (a provincial plan's task with
one lead agency and a dated deadline): the overview, overdue and field views count it with no
special case. Every write is role-checked, audited in its transaction and bumps the data version.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.engine import Engine
from sqlmodel import Session

from data_access import clock
from data_access import models as m
from data_access import tables as tb
from data_access.db import bump_data_version
from data_access.permissions import Actor, record_audit, require
from data_access.vn import fmt_date, search_key

PLAN_PREFIX = "KLGB"  # plan code KLGB26, task codes KLGB26-01, ...
PLAN_NAME = "Kết luận giao ban năm {year}"
KIND_LABELS = {m.SUBJECT_INDICATOR: "Chỉ tiêu", m.SUBJECT_TASK: "Nhiệm vụ", m.SUBJECT_AGENCY: "Cơ quan", "": "Chung"}
C = tb.MEETING_CONCLUSION


class ConclusionError(ValueError):
    """Bad input for a conclusion; ``str(exc)`` is a Vietnamese message."""


def meeting_date(snap: m.Snapshot) -> dt.date:
    """The day the meeting froze its figures (Vietnam time): the conclusions' date."""
    return clock.to_vn(snap.created_at).date()


def _subject(session: Session, kind: str, code: str) -> tuple[str, str | None]:
    """(name, field code) of the item; ConclusionError if it does not exist."""
    conn = session.connection()
    if kind == "":
        return "", None
    if kind == m.SUBJECT_INDICATOR:
        row = conn.execute(select(tb.TARGET.c.label, tb.INDICATOR.c.name, tb.INDICATOR.c.field_code)
                           .join(tb.INDICATOR, tb.INDICATOR.c.id == tb.TARGET.c.indicator_id)
                           .where(tb.TARGET.c.code == code)).first()
        if row is not None:
            return str(row[0] or row[1]), row[2]
    elif kind == m.SUBJECT_TASK:
        task = conn.execute(select(tb.TASK.c.text, tb.TASK.c.field_code).where(tb.TASK.c.code == code)).first()
        if task is not None:
            return str(task[0]), str(task[1])
    elif kind == m.SUBJECT_AGENCY and code.isdigit():
        name = conn.execute(select(tb.AGENCY.c.name).where(tb.AGENCY.c.id == int(code))).scalar()
        if name is not None:
            return str(name), None
    raise ConclusionError("Không tìm thấy mục được kết luận trong dữ liệu.")


def add_conclusion(engine: Engine, actor: Actor | None, snapshot_id: int, kind: str, code: str, text: str) -> int:
    """Record a conclusion of the meeting `snapshot_id` about an item (kind "" = the meeting as a whole)."""
    require(actor, "record_conclusion")
    assert actor is not None
    text = text.strip()
    if not text:
        raise ConclusionError("Hãy ghi nội dung kết luận.")
    with Session(engine) as session:
        snap = session.get(m.Snapshot, snapshot_id)
        if snap is None:
            raise ConclusionError("Kết luận được ghi cho một cuộc họp đã chốt số liệu; hãy chốt số liệu trước.")
        name, _ = _subject(session, kind, code)
        row = m.MeetingConclusion(snapshot_id=snapshot_id, subject_kind=kind, subject_code=code if kind else "",
                                  subject_text=name, text=text, created_at=clock.now_utc(), created_by=actor.username)
        session.add(row)
        session.flush()
        record_audit(session, actor, "ghi_ket_luan", f"#{row.id} cuộc họp #{snapshot_id} {snap.title}: {code}".strip())
        bump_data_version(session)
        session.commit()
        assert row.id is not None
        return row.id


def to_task(engine: Engine, actor: Actor | None, conclusion_id: int, agency_id: int, deadline: dt.date,
            field_code: str | None = None, today: dt.date | None = None) -> str:
    """Make conclusion `conclusion_id` a task of the "Kết luận giao ban" plan of the meeting's year, led by
    `agency_id`, due `deadline`; its section names the meeting and its date. Returns the new task's code.

    The field is the item's own (a target's indicator, a task) unless `field_code` is given; a conclusion
    about an agency or the whole meeting needs one. Refused when it already became a task.
    """
    require(actor, "assign_conclusion")
    assert actor is not None
    today = today or clock.today_vn()
    if deadline < today:
        raise ConclusionError(f"Thời hạn ({fmt_date(deadline)}) không được trước ngày hôm nay ({fmt_date(today)}).")
    with Session(engine) as session:
        row = session.get(m.MeetingConclusion, conclusion_id)
        if row is None:
            raise ConclusionError(f"Không có kết luận số {conclusion_id}.")
        if row.task_id is not None:
            raise ConclusionError(f"Kết luận số {conclusion_id} đã được giao thành nhiệm vụ.")
        snap = session.get(m.Snapshot, row.snapshot_id)
        assert snap is not None
        agency = session.get(m.Agency, agency_id)
        if agency is None:
            raise ConclusionError(f"Không có cơ quan mã số {agency_id} trong danh mục.")
        _, own_field = _subject(session, row.subject_kind, row.subject_code)
        field = field_code or own_field
        if not field or session.get(m.Field, field) is None:
            raise ConclusionError("Hãy chọn lĩnh vực của nhiệm vụ.")
        held = meeting_date(snap)
        plan_code = f"{PLAN_PREFIX}{deadline.year % 100:02d}"
        plan: int | None = session.connection().execute(select(tb.PLAN.c.id).where(tb.PLAN.c.code == plan_code)).scalar()
        if plan is None:
            new_plan = m.Plan(code=plan_code, name=PLAN_NAME.format(year=deadline.year), year=deadline.year,
                              document="Thông báo kết luận giao ban", source="Kết luận các cuộc họp giao ban CCHC",
                              kind=m.PLAN_PROVINCE)
            session.add(new_plan)
            session.flush()
            plan = new_plan.id
        assert plan is not None
        count = session.connection().execute(select(func.count()).select_from(tb.TASK)
                                             .where(tb.TASK.c.plan_id == plan)).scalar_one()
        code = f"{plan_code}-{int(count) + 1:02d}"
        task = m.Task(plan_id=int(plan), field_code=field, code=code, number=str(int(count) + 1),
                      section=f"Kết luận {snap.title} ngày {fmt_date(held)}", text=row.text,
                      deadline_text=fmt_date(deadline), deadline_date=deadline, deadline_kind="date",
                      search_key=search_key(row.text))
        session.add(task)
        session.flush()
        assert task.id is not None
        session.add(m.Assignment(task_id=task.id, agency_id=agency_id, role=m.ASSIGNMENT_LEAD, name_as_assigned=agency.name))
        row.task_id = task.id
        session.add(row)
        record_audit(session, actor, "giao_nhiem_vu_ket_luan",
                     f"#{conclusion_id} -> {code}: {agency.name}, hạn {fmt_date(deadline)}")
        bump_data_version(session)
        session.commit()
        return code


def list_conclusions(engine: Engine, snapshot_id: int) -> list[dict[str, Any]]:
    """The conclusions of one meeting, in the order recorded: id, subject_kind, subject_code, subject_text,
    text, created_by, task_code (None unless it became a task), lead agency of that task, deadline."""
    A, T, AG = tb.ASSIGNMENT, tb.TASK, tb.AGENCY
    stmt = (select(C.c.id, C.c.subject_kind, C.c.subject_code, C.c.subject_text, C.c.text, C.c.created_by,
                   T.c.code.label("task_code"), T.c.deadline_date, AG.c.name.label("agency"))
            .select_from(C).outerjoin(T, T.c.id == C.c.task_id)
            .outerjoin(A, (A.c.task_id == T.c.id) & (A.c.role == m.ASSIGNMENT_LEAD)).outerjoin(AG, AG.c.id == A.c.agency_id)
            .where(C.c.snapshot_id == snapshot_id).order_by(C.c.id))
    with engine.connect() as conn:
        return [dict(r) for r in conn.execute(stmt).mappings()]
