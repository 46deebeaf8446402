"""Notes on a number (issue 17): a dated, signed note on an indicator's value, a task, or a period.

Anyone signed in may write a note (it carries the author's name and the date); only its author
or an administrator may edit or delete it. Deleting keeps the row (hidden, with who and when).
Every write is role-checked, audited in the same transaction and bumps the data version.

Meeting snapshots copy the visible notes into their payload (:func:`notes_payload`), so a
frozen snapshot shows a note as it was, even after it is edited or deleted.
"""

from __future__ import annotations

from typing import Any

import pandas as pd
from sqlalchemy import select
from sqlalchemy.engine import Engine
from sqlmodel import Session

from data_access import clock
from data_access import models as m
from data_access import tables as tb
from data_access.db import bump_data_version
from data_access.periods import period_bounds
from data_access.permissions import ROLE_ADMIN, Actor, PermissionDenied, record_audit, require
from data_access.vn import fmt_period

NOTE = tb.NUMBER_NOTE
KINDS = (m.SUBJECT_MEASURE, m.SUBJECT_TASK, m.SUBJECT_PERIOD)
MAX_CHARS = 1000


class NoteError(ValueError):
    """Bad input for a note; ``str(exc)`` is a Vietnamese message."""


def _clean(text: str) -> str:
    text = text.strip()
    if not text:
        raise NoteError("Hãy ghi nội dung ghi chú.")
    if len(text) > MAX_CHARS:
        raise NoteError(f"Ghi chú dài quá {MAX_CHARS} ký tự; hãy viết gọn lại.")
    return text


def _check_subject(session: Session, kind: str, code: str, period: str) -> None:
    if kind not in KINDS:
        raise NoteError("Ghi chú chỉ gắn với một chỉ số, một nhiệm vụ hoặc một kỳ báo cáo.")
    if period:
        try:
            period_bounds(period)
        except ValueError:
            raise NoteError(f"Kỳ \"{period}\" không hợp lệ (ví dụ: 2026-Q2 hoặc 2025).") from None
    if kind == m.SUBJECT_PERIOD:
        if not period:
            raise NoteError("Ghi chú về một kỳ cần ghi rõ kỳ (ví dụ: 2026-Q2).")
        return
    table, column, what = ((tb.INDICATOR, tb.INDICATOR.c.code, "chỉ số") if kind == m.SUBJECT_MEASURE
                           else (tb.TASK, tb.TASK.c.code, "nhiệm vụ"))
    if session.connection().execute(select(table.c.id).where(column == code)).scalar() is None:
        raise NoteError(f"Không có {what} mã {code} trong dữ liệu.")


def add_note(engine: Engine, actor: Actor | None, kind: str, code: str, period: str, text: str) -> int:
    """A new note by `actor` (signed with its user name, dated now). Returns its id."""
    require(actor, "write_note")
    assert actor is not None
    text, period, code = _clean(text), period.strip(), code.strip() if kind != m.SUBJECT_PERIOD else ""
    with Session(engine) as session:
        _check_subject(session, kind, code, period)
        note = m.NumberNote(subject_kind=kind, subject_code=code, period=period, text=text, author=actor.username,
                            created_at=clock.now_utc())
        session.add(note)
        session.flush()
        record_audit(session, actor, "ghi_chu_so_lieu", f"#{note.id} {code} {period}".strip())
        bump_data_version(session)
        session.commit()
        assert note.id is not None
        return note.id


def _own(session: Session, actor: Actor, note_id: int) -> m.NumberNote:
    note = session.get(m.NumberNote, note_id)
    if note is None or note.deleted_at is not None:
        raise NoteError(f"Không có ghi chú số {note_id}.")
    if note.author != actor.username and actor.role != ROLE_ADMIN:
        raise PermissionDenied(f"Chỉ người viết ({note.author}) hoặc quản trị hệ thống được sửa, xóa ghi chú này.",
                               action="write_note", username=actor.username)
    return note


def edit_note(engine: Engine, actor: Actor | None, note_id: int, text: str) -> None:
    """Replace a note's text (its author or an administrator); the date of the change is kept."""
    require(actor, "write_note")
    assert actor is not None
    text = _clean(text)
    with Session(engine) as session:
        note = _own(session, actor, note_id)
        note.text, note.updated_at, note.updated_by = text, clock.now_utc(), actor.username
        session.add(note)
        record_audit(session, actor, "sua_ghi_chu", f"#{note_id}")
        bump_data_version(session)
        session.commit()


def delete_note(engine: Engine, actor: Actor | None, note_id: int) -> None:
    """Hide a note (its author or an administrator); the row stays for the audit."""
    require(actor, "write_note")
    assert actor is not None
    with Session(engine) as session:
        note = _own(session, actor, note_id)
        note.deleted_at, note.deleted_by = clock.now_utc(), actor.username
        session.add(note)
        record_audit(session, actor, "xoa_ghi_chu", f"#{note_id}")
        bump_data_version(session)
        session.commit()


def list_notes(engine: Engine, kind: str | None = None, code: str | None = None) -> list[dict[str, Any]]:
    """Visible notes (not deleted), oldest period first then newest note: plain JSON-able rows
    (id, subject_kind, subject_code, period, period_label, text, author, date (ISO, Vietnam), edited)."""
    stmt = select(NOTE).where(NOTE.c.deleted_at.is_(None))
    if kind:
        stmt = stmt.where(NOTE.c.subject_kind == kind)
    if code is not None:
        stmt = stmt.where(NOTE.c.subject_code == code)
    with engine.connect() as conn:
        rows = list(conn.execute(stmt).mappings())
    out = [{
        "id": int(r["id"]), "subject_kind": r["subject_kind"], "subject_code": r["subject_code"],
        "period": r["period"], "period_label": fmt_period(r["period"]) if r["period"] else "",
        "text": r["text"], "author": r["author"], "date": clock.to_vn(r["created_at"]).date().isoformat(),
        "edited": clock.to_vn(r["updated_at"]).date().isoformat() if r["updated_at"] is not None else None,
    } for r in rows]
    out.sort(key=lambda n: (n["period"] or "9999", -n["id"]))
    return out


def notes_payload(engine: Engine) -> list[dict[str, Any]]:
    """Every visible note, for a meeting snapshot's payload (copied, so later edits do not reach it)."""
    return list_notes(engine)


def notes_frame(notes: list[dict[str, Any]]) -> pd.DataFrame:
    """Notes as a frame (the chart's marker layer); empty with the same columns when there are none."""
    columns = ["id", "subject_kind", "subject_code", "period", "period_label", "text", "author", "date", "edited"]
    return pd.DataFrame(notes, columns=columns)


def snapshot_notes(figures: dict[str, Any], kind: str | None = None, code: str | None = None) -> list[dict[str, Any]]:
    """The notes a snapshot froze (none for a snapshot taken before notes existed)."""
    return [n for n in figures.get("notes", []) if (kind is None or n["subject_kind"] == kind)
            and (code is None or n["subject_code"] == code)]
