"""The follow-up loop (issue 17): explanation requests ("yêu cầu giải trình") on red items.

A leader or Sở Nội vụ asks the agency responsible for a red indicator or an overdue task to
explain, with a due date; Sở Nội vụ records the answer from the agency's letter; the request
is then closed. Every write checks the actor's role, writes an audit line in the same
transaction and bumps the data version (so every cached view refreshes).

States are derived from the timestamps, never stored twice:
open (chờ giải trình) -> overdue (quá hạn giải trình, open past its due date) ->
answered (đã giải trình) -> closed (đã đóng).

E-mail is not sent here: :func:`notices_due` lists the requests that need a notice (a new
request, a reminder before/after the due date) so the notifier can send them and then call
:func:`mark_notice_sent`.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any

import pandas as pd
from sqlalchemy import select
from sqlalchemy.engine import Engine
from sqlmodel import Session

from data_access import clock
from data_access import models as m
from data_access import tables as tb
from data_access.db import bump_data_version
from data_access.permissions import Actor, record_audit, require
from data_access.vn import fmt_date, vi_sort_key

OPEN = "cho_giai_trinh"
OVERDUE = "qua_han_giai_trinh"
ANSWERED = "da_giai_trinh"
CLOSED = "da_dong"
STATE_LABELS: dict[str, str] = {
    OPEN: "Chờ giải trình",
    OVERDUE: "Quá hạn giải trình",
    ANSWERED: "Đã giải trình",
    CLOSED: "Đã đóng",
}
STATE_COLOURS: dict[str, str] = {OPEN: "#ef6c00", OVERDUE: "#c62828", ANSWERED: "#2e7d32", CLOSED: "#616161"}
KIND_LABELS: dict[str, str] = {m.SUBJECT_INDICATOR: "Chỉ tiêu", m.SUBJECT_TASK: "Nhiệm vụ"}

# Notices (the notifier of issue 14 sends them): a reminder from this many days before the due date,
# repeated at most every REMINDER_REPEAT_DAYS while the answer is missing.
REMINDER_DAYS_BEFORE = 3
REMINDER_REPEAT_DAYS = 7
NOTICE_NEW = "yeu_cau_moi"
NOTICE_REMINDER = "nhac_han"
NOTICE_OVERDUE = "qua_han"
NOTICE_LABELS: dict[str, str] = {NOTICE_NEW: "Yêu cầu giải trình mới", NOTICE_REMINDER: "Nhắc hạn giải trình",
                                 NOTICE_OVERDUE: "Quá hạn giải trình"}

REQ = tb.EXPLANATION_REQUEST
AG = tb.AGENCY


class FollowUpError(ValueError):
    """Bad input for a follow-up write; ``str(exc)`` is a Vietnamese message."""


def state_of(answered_at: Any, closed_at: Any, due_date: dt.date, today: dt.date) -> str:
    """The request's state at `today` (Vietnam date) from its timestamps."""
    if closed_at is not None and not (isinstance(closed_at, float) and pd.isna(closed_at)):
        return CLOSED
    if answered_at is not None and not (isinstance(answered_at, float) and pd.isna(answered_at)):
        return ANSWERED
    return OVERDUE if today > due_date else OPEN


def _subject_text(session: Session, kind: str, code: str) -> str:
    """The indicator's or task's name; FollowUpError if `code` names none."""
    if kind == m.SUBJECT_INDICATOR:
        # A "chỉ tiêu" on the slides and the Chỉ tiêu page is a target (its code and label), judged red/amber/green.
        T, IND = tb.TARGET, tb.INDICATOR
        found = session.connection().execute(select(T.c.label, IND.c.name).join(IND, IND.c.id == T.c.indicator_id)
                                             .where(T.c.code == code)).first()
        name = None if found is None else (found[0] or found[1])
        what = "chỉ tiêu"
    elif kind == m.SUBJECT_TASK:
        name = session.connection().execute(select(tb.TASK.c.text).where(tb.TASK.c.code == code)).scalar()
        what = "nhiệm vụ"
    else:
        raise FollowUpError("Chỉ yêu cầu giải trình được cho một chỉ tiêu hoặc một nhiệm vụ.")
    if name is None:
        raise FollowUpError(f"Không có {what} mã {code} trong dữ liệu.")
    return str(name)


def raise_request(engine: Engine, actor: Actor | None, subject_kind: str, subject_code: str, agency_id: int,
                  reason: str, due_date: dt.date, meeting: str = "", today: dt.date | None = None) -> int:
    """Ask `agency_id` to explain the indicator/task `subject_code` by `due_date`. Returns the request id.

    Refused (FollowUpError, nothing written) for an unknown item or agency, an empty reason,
    a due date before today, or when the same agency already has an unclosed request on the item.
    """
    require(actor, "request_explanation")
    assert actor is not None
    today = today or clock.today_vn()
    reason = " ".join(reason.split())
    if not reason:
        raise FollowUpError("Hãy ghi nội dung cần giải trình.")
    if due_date < today:
        raise FollowUpError(f"Hạn giải trình ({fmt_date(due_date)}) không được trước ngày hôm nay ({fmt_date(today)}).")
    with Session(engine) as session:
        text = _subject_text(session, subject_kind, subject_code)
        agency = session.get(m.Agency, agency_id)
        if agency is None:
            raise FollowUpError(f"Không có cơ quan mã số {agency_id} trong danh mục.")
        existing = session.connection().execute(select(REQ.c.id).where(
            REQ.c.subject_kind == subject_kind, REQ.c.subject_code == subject_code, REQ.c.agency_id == agency_id,
            REQ.c.closed_at.is_(None))).scalar()
        if existing is not None:
            raise FollowUpError(f"{agency.name} đã có yêu cầu giải trình số {existing} về mục này chưa đóng; "
                                "hãy ghi nhận hoặc đóng yêu cầu đó trước.")
        req = m.ExplanationRequest(subject_kind=subject_kind, subject_code=subject_code, subject_text=text,
                                   agency_id=agency_id, reason=reason, due_date=due_date,
                                   requested_at=clock.now_utc(), requested_by=actor.username, meeting=meeting.strip())
        session.add(req)
        session.flush()
        record_audit(session, actor, "yeu_cau_giai_trinh",
                     f"#{req.id} {KIND_LABELS[subject_kind].lower()} {subject_code} – {agency.name}, "
                     f"hạn {fmt_date(due_date)}")
        bump_data_version(session)
        session.commit()
        assert req.id is not None
        return req.id


def _get(session: Session, request_id: int) -> m.ExplanationRequest:
    req = session.get(m.ExplanationRequest, request_id)
    if req is None:
        raise FollowUpError(f"Không có yêu cầu giải trình số {request_id}.")
    return req


def record_answer(engine: Engine, actor: Actor | None, request_id: int, answer: str, document: str,
                  answered_on: dt.date, today: dt.date | None = None) -> None:
    """Record the agency's answer (from its letter `document`, dated `answered_on`). Sở Nội vụ only.

    A correction before closing replaces the answer (the audit keeps both); a closed request is refused.
    """
    require(actor, "record_explanation")
    assert actor is not None
    today = today or clock.today_vn()
    answer = answer.strip()
    if not answer:
        raise FollowUpError("Hãy ghi nội dung giải trình của cơ quan.")
    if answered_on > today:
        raise FollowUpError(f"Ngày văn bản giải trình ({fmt_date(answered_on)}) không được sau hôm nay.")
    with Session(engine) as session:
        req = _get(session, request_id)
        if req.closed_at is not None:
            raise FollowUpError(f"Yêu cầu giải trình số {request_id} đã đóng; không sửa được nội dung.")
        action = "sua_giai_trinh" if req.answered_at is not None else "ghi_nhan_giai_trinh"
        req.answer, req.answer_document, req.answered_on = answer, " ".join(document.split()), answered_on
        req.answered_at, req.answered_by = clock.now_utc(), actor.username
        session.add(req)
        record_audit(session, actor, action, f"#{request_id} {req.subject_code}: {req.answer_document or 'không số'}"
                     f" ngày {fmt_date(answered_on)}")
        bump_data_version(session)
        session.commit()


def close_request(engine: Engine, actor: Actor | None, request_id: int, note: str = "") -> None:
    """Close a request. An unanswered request closes only with a note saying why (e.g. withdrawn)."""
    require(actor, "record_explanation")
    assert actor is not None
    note = " ".join(note.split())
    with Session(engine) as session:
        req = _get(session, request_id)
        if req.closed_at is not None:
            raise FollowUpError(f"Yêu cầu giải trình số {request_id} đã đóng.")
        if req.answered_at is None and not note:
            raise FollowUpError("Yêu cầu chưa có nội dung giải trình: hãy ghi lý do đóng (ví dụ: rút yêu cầu).")
        req.closed_at, req.closed_by, req.close_note = clock.now_utc(), actor.username, note
        session.add(req)
        record_audit(session, actor, "dong_giai_trinh", f"#{request_id} {req.subject_code}" + (f": {note}" if note else ""))
        bump_data_version(session)
        session.commit()


COLUMNS = ["id", "subject_kind", "subject_code", "subject_text", "agency_id", "agency", "reason", "due_date",
           "requested_at", "requested_by", "meeting", "answer", "answer_document", "answered_on", "answered_at",
           "answered_by", "closed_at", "closed_by", "close_note", "notified_at", "reminded_at", "state",
           "days_overdue"]


def list_requests(engine: Engine, today: dt.date | None = None, subject_kind: str | None = None,
                  subject_codes: Iterable[str] | None = None, include_closed: bool = True) -> pd.DataFrame:
    """Requests with their agency's name, state and days past the due date (0 unless overdue).

    Ordered: overdue first (most days first), then open by due date, answered, closed; newest first within.
    """
    stmt = select(*[c for c in REQ.c], AG.c.name.label("agency")).join(AG, AG.c.id == REQ.c.agency_id)
    if subject_kind:
        stmt = stmt.where(REQ.c.subject_kind == subject_kind)
    if subject_codes is not None:
        stmt = stmt.where(REQ.c.subject_code.in_(list(subject_codes)))
    if not include_closed:
        stmt = stmt.where(REQ.c.closed_at.is_(None))
    with engine.connect() as conn:
        rows = [dict(r) for r in conn.execute(stmt).mappings()]
    today = today or clock.today_vn()
    for r in rows:
        r["state"] = state_of(r["answered_at"], r["closed_at"], r["due_date"], today)
        r["days_overdue"] = (today - r["due_date"]).days if r["state"] == OVERDUE else 0
    order = {OVERDUE: 0, OPEN: 1, ANSWERED: 2, CLOSED: 3}
    rows.sort(key=lambda r: (order[r["state"]], -r["days_overdue"], r["due_date"], -int(r["id"])))
    return pd.DataFrame(rows, columns=COLUMNS)


def lead_agencies(engine: Engine, task_code: str) -> list[tuple[int, str]]:
    """(id, name) of the task's lead agencies: whom an overdue task's request goes to by default."""
    A, T = tb.ASSIGNMENT, tb.TASK
    stmt = (select(AG.c.id, AG.c.name).join(A, A.c.agency_id == AG.c.id).join(T, T.c.id == A.c.task_id)
            .where(T.c.code == task_code, A.c.role == m.ASSIGNMENT_LEAD))
    with engine.connect() as conn:
        return sorted({(int(i), str(n)) for i, n in conn.execute(stmt)}, key=lambda p: vi_sort_key(p[1]))


def agency_choices(engine: Engine) -> list[tuple[int, str]]:
    """(id, name) of every agency a request can go to (not groups such as "Các sở, ban, ngành")."""
    with engine.connect() as conn:
        rows = conn.execute(select(AG.c.id, AG.c.name).where(AG.c.kind != m.KIND_GROUP)).all()
    return sorted(((int(i), str(n)) for i, n in rows), key=lambda p: vi_sort_key(p[1]))


# --- notices for the e-mail notifier (issue 14 sends them; nothing is sent here) ---

@dataclass(frozen=True)
class Notice:
    """One e-mail the notifier should send about one request."""

    request_id: int
    kind: str  # NOTICE_NEW, NOTICE_REMINDER or NOTICE_OVERDUE
    agency_id: int
    agency: str
    subject_kind: str
    subject_code: str
    subject_text: str
    reason: str
    due_date: dt.date
    days_overdue: int


def notices_due(requests: Sequence[dict[str, Any]], today: dt.date) -> list[Notice]:
    """Pure: which of `requests` (rows as :func:`list_requests` gives) need an e-mail at `today`.

    - a request never notified: NOTICE_NEW (whatever its due date), unless answered or closed;
    - an unanswered, unclosed request from REMINDER_DAYS_BEFORE days before its due date: a reminder
      (NOTICE_OVERDUE once past due), at most once every REMINDER_REPEAT_DAYS days.
    """
    out: list[Notice] = []
    for r in requests:
        state = state_of(r.get("answered_at"), r.get("closed_at"), r["due_date"], today)
        if state not in (OPEN, OVERDUE):
            continue
        notified, reminded = _date_or_none(r.get("notified_at")), _date_or_none(r.get("reminded_at"))
        if notified is None:
            kind = NOTICE_NEW
        elif today < r["due_date"] - dt.timedelta(days=REMINDER_DAYS_BEFORE):
            continue
        elif max(notified, reminded or notified) > today - dt.timedelta(days=REMINDER_REPEAT_DAYS):
            continue  # told recently enough; a new request is not followed by a reminder the next day
        else:
            kind = NOTICE_OVERDUE if state == OVERDUE else NOTICE_REMINDER
        out.append(Notice(int(r["id"]), kind, int(r["agency_id"]), str(r.get("agency", "")), str(r["subject_kind"]),
                          str(r["subject_code"]), str(r.get("subject_text", "")), str(r["reason"]), r["due_date"],
                          max(0, (today - r["due_date"]).days)))
    return out


def _date_or_none(value: Any) -> dt.date | None:
    if value is None or (isinstance(value, float) and pd.isna(value)) or value is pd.NaT:
        return None
    if isinstance(value, dt.datetime):
        return clock.to_vn(value).date()
    return value if isinstance(value, dt.date) else None


def requests_needing_notice(engine: Engine, today: dt.date | None = None) -> list[Notice]:
    """The notices due now (Vietnam date), read from the store: :func:`notices_due` over every unclosed request."""
    today = today or clock.today_vn()
    rows = list_requests(engine, today, include_closed=False).to_dict("records")
    return notices_due([{str(k): (None if v is pd.NaT else v) for k, v in r.items()} for r in rows], today)


def mark_notice_sent(engine: Engine, actor: Actor | None, request_id: int, kind: str,
                     now: dt.datetime | None = None) -> None:
    """Record that the notice `kind` about `request_id` went out at `now` (default: the clock's now; the notifier
    passes its run's time, calls this after sending)."""
    require(actor, "record_explanation")
    assert actor is not None
    with Session(engine) as session:
        req = _get(session, request_id)
        now = now or clock.now_utc()
        if kind == NOTICE_NEW:
            req.notified_at = now
        elif kind in (NOTICE_REMINDER, NOTICE_OVERDUE):
            req.reminded_at = now
        else:
            raise ValueError(f"Unknown notice kind {kind!r}")
        session.add(req)
        record_audit(session, actor, "gui_thong_bao_giai_trinh", f"#{request_id} {NOTICE_LABELS[kind]}")
        session.commit()


def request_rows(engine: Engine, today: dt.date | None = None) -> list[dict[str, Any]]:
    """Every request as plain rows (what `meeting.deck_content` and `deck.render_deck` take)."""
    frame = list_requests(engine, today)
    return [{str(k): (None if v is pd.NaT else v) for k, v in r.items()} for r in frame.to_dict("records")]
