"""Importer of quarterly returns: dry run (`plan_import`), one-transaction apply, undo, history.

Pipeline: xlsx_safety (is the file safe to open) -> xlsx_reader (sheets -> rows, using cell_values,
return_columns and status_text) -> matching (row -> task) -> importer (this module: planning with
`preview` / `plan_import`; `apply_import`, `undo_upload`) -> upload history (`upload_history`,
`upload_file`, `annotated_copy`, still in this module).

Pure core (no Streamlit). The reading itself (safety checks, header detection,
value parsing) is `xlsx_reader.read_return`; this module decides what each row
means for the store:

- the reporting agency and period come from the arguments or from the workbook
  (hidden `_meta` sheet or title rows); arguments and workbook must agree;
- a row is matched to a lead assignment of that agency (or of its divisions) by
  `matching.Matcher` (the rule is written there: evidence must agree); rows that stay
  unmatched or ambiguous carry suggestions and are listed, never guessed; the officer's
  `decisions` (`preview(..., decisions=...)`) confirm a task or leave a row out; the same
  task on several rows is written for none until one row is picked;
- each matched row is classified against the current report of its assignment
  for the period: new / changed / unchanged. Rows with cell errors are rejected
  as a whole (nothing of a rejected row is written);
- `apply_import` re-checks against the store inside its transaction and appends
  only new or changed rows, tagged with the upload id, so applying the same file
  twice writes nothing the second time (reports are append-only: the current one
  has the highest id). It also records every row the upload asserts, written or
  not (new, changed AND unchanged; table `uploadassertion`).
- `undo_upload` deletes the rows the upload wrote, then sets every (assignment,
  period) and (indicator, period) it asserted to what the latest remaining applied
  upload asserting it says (upload order), appending a row tagged with that upload
  when the store's current row differs; with none remaining, the row reverts to what
  was there before any upload (sample or seeded history, or nothing). So undoing in
  any order gives the figures of applying only the remaining uploads, and no figure
  an applied upload still asserts ever changes silently. An upload whose rows were
  all unchanged creates no upload record and so asserts nothing. Uploads applied
  before migration 0008 were backfilled with the rows they wrote (their unchanged
  rows were never recorded).
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import hashlib
import io
import json
from collections import defaultdict
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any

import pandas as pd
from sqlalchemy import delete, insert, select
from sqlalchemy import text as sql_text
from sqlalchemy.engine import Connection, Engine
from sqlmodel import Session

from data_access import models as m
from data_access.clock import to_vn
from data_access.db import bump_data_version
from data_access.matching import (
    AMBIGUOUS,
    BY_DECISION,
    UNMATCHED,
    Decisions,
    Matcher,
    Suggestion,
    accept_above,
    code_key,
    remember,
)
from data_access.period_lock import check_open
from data_access.periods import period_bounds, quarter
from data_access.permissions import Actor, record_audit, require
from data_access.return_columns import INDICATOR_LOOKUP, TASK_LOOKUP, recognise
from data_access.settings import Settings, get_settings
from data_access.status_text import STATE_LABELS
from data_access.tables import AG, AL, IN, IV, SR, UA, A, U
from data_access.vn import fmt_date, fmt_decimal, fmt_number, fmt_period, nfc, search_key
from data_access.xlsx_reader import (
    OTHER_PERIOD,
    IndicatorRow,
    ParsedReturn,
    ReturnRow,
    SkippedPart,
    read_return,
)
from data_access.xlsx_safety import CellError, FileRefused
from data_access.xlsx_text import text_cells

NEW = "new"
CHANGED = "changed"
UNCHANGED = "unchanged"
REJECTED = "rejected"
SKIPPED = "skipped"  # nothing reported on the row (a template row left blank), or left out by the officer
# UNMATCHED (no task fits) and AMBIGUOUS (the evidence points to several tasks or contradicts itself)
# come from `matching`: neither is written until an officer confirms a task (`decisions`).
OUTCOMES = (NEW, CHANGED, UNCHANGED, REJECTED, UNMATCHED, AMBIGUOUS, SKIPPED)
OUTCOME_LABELS = {
    NEW: "Mới", CHANGED: "Thay đổi", UNCHANGED: "Không đổi", REJECTED: "Lỗi", UNMATCHED: "Chưa khớp",
    AMBIGUOUS: "Cần xác nhận", SKIPPED: "Để trống",
}
ACTION_UPLOAD = "tai_len"
ACTION_UNDO = "hoan_tac"
SOURCE_WEB = "trang web"  # where an upload or undo came from (upload summary, audit log)
_FIELDS = ("state", "progress_pct", "completed_on", "output_document", "difficulties")



# --- results ---------------------------------------------------------------------


@dataclass
class PlannedRow:
    """One task row of the return and what applying it would do."""

    sheet: str
    row: int
    outcome: str
    code: str | None  # the task code as written, or of the matched task
    task_text: str | None
    lead_text: str | None
    state: str | None = None
    progress_pct: float | None = None
    completed_on: dt.date | None = None
    output_document: str | None = None
    difficulties: str | None = None
    assignment_id: int | None = None
    lead_name: str | None = None  # the agency of the matched assignment
    matched_by: str = ""  # "mã" / "nội dung" / "cặp đã xác nhận" / "xác nhận"
    previous: dict[str, Any] | None = None  # the current report for the period, if any
    messages: list[str] = field(default_factory=list)
    text_as_written: str | None = None  # the row's own task text (task_text becomes the task's when matched)
    # For unmatched and ambiguous rows, best first (a shared empty tuple otherwise: 20 000 rows, no lists).
    suggestions: Sequence[Suggestion] = ()
    confirmed: bool = False  # matched by the officer's decision (remembered for the agency on apply)
    note: str = ""  # how a written row was matched ("khớp theo cặp đã xác nhận", ...)

    @property
    def message(self) -> str:
        """The row's problems, else how it was matched ("khớp theo mã", "khớp theo cặp đã xác nhận", ...)."""
        if self.messages:
            return "; ".join(self.messages)
        if self.note:
            return self.note
        return f"khớp theo {self.matched_by}" if self.assignment_id is not None else ""
    status_text: str | None = None  # the status as the agency wrote it (ReturnRow.status_text)
    state_source: str = ""  # where the state was read: "state" / "ticks" / "prose" / "progress" / ""
    planned_on: dt.date | None = None  # a planned date written on the row ("Dự kiến 30/12/2026"), not stored

    def values(self) -> tuple[Any, ...]:
        return tuple(getattr(self, f) for f in _FIELDS)


@dataclass
class PlannedIndicator:
    sheet: str
    row: int
    outcome: str
    code: str | None
    name: str | None
    period: str | None = None
    value: float | None = None
    indicator_id: int | None = None
    previous: float | None = None
    messages: list[str] = field(default_factory=list)


@dataclass
class ImportPlan:
    """The dry run of one file: nothing has been written."""

    file_name: str
    data: bytes = field(repr=False)
    sha256: str
    agency_id: int
    agency_name: str
    period: str
    period_start: dt.date
    period_end: dt.date
    rows_read: int
    rows: list[PlannedRow]
    indicators: list[PlannedIndicator]
    errors: list[CellError]  # every problem, in sheet/row order (rejected and unmatched rows)
    meta: dict[str, str]
    columns: dict[str, list[str]]  # sheet -> header labels in column order (for the annotated copy)
    notes: list[str] = field(default_factory=list)
    skipped: list[SkippedPart] = field(default_factory=list)  # hidden/instruction sheets, hidden rows, other periods

    def count(self, outcome: str) -> int:
        return sum(r.outcome == outcome for r in self.rows) + sum(i.outcome == outcome for i in self.indicators)

    @property
    def counts(self) -> dict[str, int]:
        """Task rows and indicator rows together, per outcome."""
        return {o: self.count(o) for o in OUTCOMES}

    @property
    def to_write(self) -> int:
        return self.count(NEW) + self.count(CHANGED)

    def summary(self) -> dict[str, Any]:
        """The JSON-friendly outcome (the command line prints it; uploads store it)."""
        return {
            "file": self.file_name,
            "agency": self.agency_name,
            "period": self.period,
            "rows_read": self.rows_read,
            **self.counts,
            "indicators": {o: sum(i.outcome == o for i in self.indicators) for o in OUTCOMES},
            "errors": [error_dict(e) for e in self.errors],
            "template_version": self.meta.get("template_version"),
            "ignored": [{"sheet": p.sheet, "row": p.row, "kind": p.kind, "message": p.message} for p in self.skipped],
        }


@dataclass(frozen=True)
class ApplyResult:
    upload_id: int | None  # None when there was nothing to write
    reports_written: int
    values_written: int
    new: int
    changed: int
    unchanged: int = 0  # rows identical to the store when the write lock was held

    @property
    def written(self) -> int:
        return self.reports_written + self.values_written

    @property
    def message(self) -> str:
        if not self.written:
            return "0 thay đổi: số liệu trong tệp trùng với số liệu đang có, không ghi gì thêm."
        return (f"{self.written} thay đổi: {self.new} mới, {self.changed} cập nhật "
                f"({self.reports_written} báo cáo nhiệm vụ, {self.values_written} giá trị chỉ tiêu).")


@dataclass(frozen=True)
class UndoResult:
    upload_id: int
    reports_deleted: int
    values_deleted: int
    reports_restored: int = 0  # reports set back to what a remaining applied upload asserts
    values_restored: int = 0

    @property
    def message(self) -> str:
        text = (f"Đã hoàn tác lần tải lên số {self.upload_id}: xoá {fmt_number(self.reports_deleted)} báo cáo nhiệm vụ "
                f"và {fmt_number(self.values_deleted)} giá trị chỉ tiêu")
        if self.reports_restored or self.values_restored:
            text += (f"; {fmt_number(self.reports_restored)} báo cáo và {fmt_number(self.values_restored)} giá trị "
                     "chỉ tiêu giữ theo các lần tải lên khác vẫn còn hiệu lực")
        return text + "."


def error_dict(e: CellError) -> dict[str, Any]:
    return {"sheet": e.sheet, "row": e.row, "column": e.column, "value": e.value, "message": e.message}


# --- agencies and periods ------------------------------------------------------------


def _agency_keys(conn: Connection) -> dict[str, int]:
    keys: dict[str, int] = {}
    for aid, name, short in conn.execute(select(AG.c.id, AG.c.name, AG.c.short_name)):
        for text in (name, short):
            if text:
                keys.setdefault(search_key(text), aid)
    for aid, alias in conn.execute(select(AL.c.agency_id, AL.c.alias)):
        keys.setdefault(search_key(alias), aid)
    return keys


def find_agency(engine: Engine, name: str) -> tuple[int, str] | None:
    """(id, official name) of the agency whose name, short name or alias has the search key of `name`."""
    key = search_key(name)
    if not key:
        return None
    with engine.connect() as conn:
        aid = _agency_keys(conn).get(key)
        if aid is None:
            return None
        official = conn.execute(select(AG.c.name).where(AG.c.id == aid)).scalar_one()
    return int(aid), str(official)


def agency_name(engine: Engine, agency_id: int) -> str:
    with engine.connect() as conn:
        name = conn.execute(select(AG.c.name).where(AG.c.id == agency_id)).scalar_one_or_none()
    if name is None:
        raise ValueError(f"Không có cơ quan mã số {agency_id} trong danh mục.")
    return str(name)


def agency_scope(conn: Connection, agency_id: int) -> list[int]:
    """The agency and its divisions: a Sở's return covers the tasks its phòng lead."""
    children = conn.execute(select(AG.c.id).where(AG.c.parent_id == agency_id)).scalars().all()
    return [agency_id, *children]


def reporting_agencies(engine: Engine) -> pd.DataFrame:
    """Agencies that may send a return (they, or their divisions, lead a task): id, name; divisions excluded."""
    from data_access.vn import vi_sort_key

    with engine.connect() as conn:
        leads = set(conn.execute(select(A.c.agency_id).where(A.c.role == m.ASSIGNMENT_LEAD)).scalars())
        rows = conn.execute(select(AG.c.id, AG.c.name, AG.c.parent_id, AG.c.kind)).all()
    parents = {r.parent_id for r in rows if r.id in leads and r.parent_id is not None}
    keep = [(r.id, r.name) for r in rows
            if (r.id in leads or r.id in parents) and r.parent_id is None and r.kind != m.KIND_GROUP]
    keep.sort(key=lambda x: vi_sort_key(x[1]))
    return pd.DataFrame(keep, columns=["id", "name"])


def resolve_meta(engine: Engine, meta: dict[str, str]) -> tuple[int | None, str | None, list[str]]:
    """The agency id and quarter the workbook declares (None when absent or unknown) and notes about it."""
    notes: list[str] = []
    agency_id: int | None = None
    period: str | None = None
    if meta.get("agency"):
        found = find_agency(engine, meta["agency"])
        if found is None:
            notes.append(f"Tệp ghi cơ quan báo cáo là '{meta['agency']}' nhưng tên này không có trong danh mục.")
        else:
            agency_id, note = successor(engine, found[0])
            if note:
                notes.append(note)
    if meta.get("period"):
        try:
            period = quarter(meta["period"])
        except ValueError:
            notes.append(f"Tệp ghi kỳ báo cáo '{meta['period']}' không phải là một quý.")
    return agency_id, period, notes


def successor(engine: Engine, agency_id: int) -> tuple[int, str]:
    """The agency that exists today for `agency_id` (following successors after the 2025
    reorganisation) and a Vietnamese note saying so ("" when `agency_id` is current)."""
    with engine.connect() as conn:
        rows = {r.id: r for r in conn.execute(select(AG.c.id, AG.c.name, AG.c.successor_id, AG.c.valid_to))}
    return _successor(rows, agency_id)


def _successor(rows: dict[int, Any], agency_id: int) -> tuple[int, str]:
    current, seen = agency_id, {agency_id}
    while rows[current].successor_id is not None and rows[current].successor_id not in seen:
        current = int(rows[current].successor_id)
        seen.add(current)
    if current == agency_id:
        return agency_id, ""
    old, new = rows[agency_id], rows[current]
    last_day = _as_date(old.valid_to)
    since = f" từ {fmt_date(last_day + dt.timedelta(days=1))}" if last_day is not None else ""
    return current, (f"{old.name} đã được sắp xếp, hợp nhất vào {new.name}{since}; "
                     f"báo cáo được ghi cho {new.name}.")


def former_agencies(engine: Engine) -> pd.DataFrame:
    """Agencies that no longer exist (before the 2025 reorganisation) whose successor may send a
    return: id, name, successor_id, successor (name). For the upload page's picker ("Tên cũ → tên mới")."""
    from data_access.vn import vi_sort_key

    current = {int(i) for i in reporting_agencies(engine)["id"]}
    with engine.connect() as conn:
        rows = {r.id: r for r in conn.execute(select(AG.c.id, AG.c.name, AG.c.successor_id, AG.c.valid_to))}
    records = []
    for aid, row in rows.items():
        if row.successor_id is None:
            continue
        succ, _ = _successor(rows, aid)
        if succ in current and succ != aid:
            records.append((int(aid), str(row.name), succ, str(rows[succ].name)))
    records.sort(key=lambda r: vi_sort_key(r[1]))
    return pd.DataFrame(records, columns=["id", "name", "successor_id", "successor"])


def _letterhead_agency(engine: Engine, meta: dict[str, str]) -> tuple[int, str] | None:
    """The agency the letterhead names (the line under "UBND TỈNH …"), as a last resort when neither
    the officer nor a "Cơ quan báo cáo:" line names one: only an exact name, short name or alias of
    an agency that is not a division (a "VĂN PHÒNG" of a Sở is no evidence), followed to its
    successor, with a note saying so."""
    text = meta.get("letterhead")
    found = find_agency(engine, text) if text else None
    if found is None:
        return None
    with engine.connect() as conn:
        parent = conn.execute(select(AG.c.parent_id).where(AG.c.id == found[0])).scalar_one_or_none()
    if parent is not None:
        return None
    agency_id, moved = successor(engine, found[0])
    note = f"Cơ quan báo cáo lấy theo tên ở đầu văn bản: '{nfc(text or '')}'."
    return agency_id, f"{note} {moved}" if moved else note


def _resolve(engine: Engine, meta: dict[str, str], agency_id: int | None, period: str | None) -> tuple[int, str, list[str]]:
    meta_agency, meta_period, notes = resolve_meta(engine, meta)
    if agency_id is not None:
        agency_id, note = successor(engine, agency_id)
        if note and note not in notes:
            notes.append(note)
        name = agency_name(engine, agency_id)
        if meta_agency is not None and meta_agency != agency_id:
            raise FileRefused(
                f"Tệp là báo cáo của {agency_name(engine, meta_agency)} nhưng đang được tải lên cho {name}. "
                "Hãy chọn đúng cơ quan báo cáo hoặc kiểm tra lại tệp."
            )
    elif meta_agency is not None:
        agency_id = meta_agency
    elif (head := _letterhead_agency(engine, meta)) is not None:
        agency_id, note = head
        notes.append(note)
    else:
        raise FileRefused(
            "Không xác định được cơ quan báo cáo: tệp không ghi tên cơ quan có trong danh mục. "
            "Hãy chọn cơ quan báo cáo (trên trang) hoặc dùng --agency (dòng lệnh)."
            + (f" ({notes[0]})" if notes else "")
        )
    if period is not None:
        try:
            period = quarter(period)
        except ValueError as exc:
            raise FileRefused(str(exc)) from None
        if meta_period is not None and meta_period != period:
            raise FileRefused(
                f"Tệp là báo cáo {fmt_period(meta_period)} nhưng đang được tải lên cho {fmt_period(period)}. "
                "Hãy chọn đúng kỳ báo cáo hoặc kiểm tra lại tệp."
            )
    elif meta_period is not None:
        period = meta_period
    else:
        raise FileRefused(
            "Không xác định được kỳ báo cáo: tệp không ghi quý báo cáo (ví dụ tiêu đề \"... QUÝ III/2026\"). "
            "Hãy chọn kỳ báo cáo (trên trang) hoặc dùng --period 2026-Q3 (dòng lệnh)."
            + (f" ({notes[-1]})" if notes else "")
        )
    return agency_id, period, notes


# --- current state -----------------------------------------------------------------


def _current_reports(conn: Connection, agency_ids: Sequence[int], period: str) -> dict[int, dict[str, Any]]:
    """Assignment id -> its current report for `period` (the highest id), for the agencies' lead assignments."""
    stmt = (
        select(SR.c.assignment_id, SR.c.id, SR.c.state, SR.c.progress_pct, SR.c.completed_on, SR.c.output_document,
               SR.c.difficulties, SR.c.is_sample)
        .select_from(SR.join(A, A.c.id == SR.c.assignment_id))
        .where(SR.c.period == period, A.c.agency_id.in_(list(agency_ids)), A.c.role == m.ASSIGNMENT_LEAD)
        .order_by(SR.c.id)
    )
    out: dict[int, dict[str, Any]] = {}
    for row in conn.execute(stmt).all():  # fetchall: one driver call, not one per row
        out[row.assignment_id] = {
            "state": row.state,
            "progress_pct": None if row.progress_pct is None else round(float(row.progress_pct), 6),
            "completed_on": _as_date(row.completed_on),
            "output_document": row.output_document,
            "difficulties": row.difficulties,
            "is_sample": bool(row.is_sample),
        }
    return out


def _current_values(conn: Connection, indicator_ids: Iterable[int]) -> dict[tuple[int, str], tuple[float, bool]]:
    ids = sorted(set(indicator_ids))
    if not ids:
        return {}
    stmt = (select(IV.c.indicator_id, IV.c.period, IV.c.value, IV.c.is_sample)
            .where(IV.c.indicator_id.in_(ids)).order_by(IV.c.id))
    return {(r.indicator_id, r.period): (float(r.value), bool(r.is_sample)) for r in conn.execute(stmt)}


def _as_date(value: Any) -> dt.date | None:
    if value is None or isinstance(value, dt.date) and not isinstance(value, dt.datetime):
        return value
    if isinstance(value, dt.datetime):
        return value.date()
    return dt.date.fromisoformat(str(value)[:10])


def _differs(row: PlannedRow, current: dict[str, Any] | None) -> bool:
    if current is None or current["is_sample"]:
        return True  # a real report replaces generated sample data even when the figures agree
    return row.values() != tuple(current[f] for f in _FIELDS)


# --- the dry run ---------------------------------------------------------------------


def _sheet_columns(parsed: ParsedReturn) -> dict[str, list[str]]:
    columns: dict[str, list[str]] = {}
    items: list[ReturnRow | IndicatorRow] = [*parsed.rows, *parsed.indicator_rows]
    for item in items:
        keys = list(item.raw)
        if len(keys) > len(columns.get(item.sheet, [])):
            columns[item.sheet] = keys
    return columns


def _field_labels(keys: list[str], lookup: dict[str, str]) -> dict[str, str]:
    labels: dict[str, str] = {}
    for key in keys:
        name = recognise(key, lookup)
        if name is not None and name not in labels:
            labels[name] = key
    return labels


def plan_import(engine: Engine, data: bytes, file_name: str, *, agency_id: int | None = None,
                period: str | None = None, settings: Settings | None = None,
                parsed: ParsedReturn | None = None, decisions: Decisions | None = None) -> ImportPlan:
    """Read `data` and say what applying it would do; writes nothing.

    Raises FileRefused (Vietnamese message, `.errors`) when the file is refused as a
    whole, when agency or period cannot be determined, or when the arguments contradict
    what the workbook declares. `parsed` lets a caller that already read the file skip
    a second read. `decisions` are the officer's: (sheet, row) -> task code (the row
    reports on that task) or None (leave the row out); see `preview`.
    """
    settings = settings or get_settings()
    if parsed is None:
        parsed = read_file(data, settings)
    try:
        agency_id, period, notes = _resolve(engine, parsed.meta, agency_id, period)
    except FileRefused as exc:
        if parsed.notes and period is None:
            raise FileRefused(f"{exc.message} {' '.join(parsed.notes)}") from None
        raise
    parsed = only_period(parsed, period)
    start, end = period_bounds(period)
    columns = _sheet_columns(parsed)
    errors_at: dict[tuple[str, int], list[CellError]] = defaultdict(list)
    for e in parsed.errors:
        errors_at[(e.sheet, e.row)].append(e)
    extra: list[CellError] = []
    decisions = dict(decisions or {})

    with engine.connect() as conn:
        matcher = Matcher(conn, agency_id, period)
        current = _current_reports(conn, matcher.scope, period)
        indicator_rows = _indicator_catalogue(conn)
        previous_upload = conn.execute(
            select(U.c.id, U.c.uploaded_at, U.c.uploaded_by).where(U.c.sha256 == _sha(data), U.c.undone_at.is_(None))
            .order_by(U.c.id.desc()).limit(1)
        ).first()

    rows: list[PlannedRow] = []
    label_cache: dict[str, dict[str, str]] = {}
    for r in parsed.rows:
        labels = label_cache.get(r.sheet)
        if labels is None:
            labels = label_cache[r.sheet] = _field_labels(columns.get(r.sheet, []), TASK_LOOKUP)
        decision = decisions.pop((r.sheet, r.row), _NO_DECISION)
        rows.append(_plan_row(r, errors_at.get((r.sheet, r.row), []), labels, matcher, extra, decision))
    _settle_duplicates(rows, label_cache, matcher, extra)
    for planned in rows:
        if planned.outcome == NEW:
            assert planned.assignment_id is not None
            prev = current.get(planned.assignment_id)
            planned.previous = prev
            planned.outcome = NEW if prev is None else CHANGED if _differs(planned, prev) else UNCHANGED
    for sheet, row in decisions:
        notes.append(f"Lựa chọn cho trang '{sheet}', dòng {row} không ứng với dòng báo cáo nhiệm vụ nào của tệp; "
                     "bỏ qua lựa chọn này.")

    with engine.connect() as conn:
        indicators = _plan_indicators(parsed.indicator_rows, errors_at, columns, indicator_rows, period, extra, conn)

    if previous_upload is not None:
        when = to_vn(previous_upload.uploaded_at)
        notes.append(f"Tệp này đã được tải lên lúc {when:%d/%m/%Y %H:%M} bởi {previous_upload.uploaded_by} "
                     f"(lần tải lên số {previous_upload.id}); áp dụng lại chỉ ghi những gì đã thay đổi.")
    all_errors = sorted([*parsed.errors, *extra], key=lambda e: (e.sheet, e.row))
    return ImportPlan(
        file_name=file_name, data=data, sha256=_sha(data), agency_id=agency_id,
        agency_name=matcher.agency_name, period=period, period_start=start, period_end=end,
        rows_read=parsed.rows_read, rows=rows, indicators=indicators, errors=all_errors, meta=dict(parsed.meta),
        columns=columns, notes=notes, skipped=list(parsed.skipped),
    )


def skipped_summary(skipped: Sequence[SkippedPart]) -> str:
    """One Vietnamese sentence counting what the reader left out on purpose, naming the rows:
    "Đã bỏ qua 2 dòng đang ẩn (trang 'Báo cáo': dòng 12, 15); 1 trang hướng dẫn/ví dụ ('Hướng dẫn')." """
    from data_access.xlsx_reader import HIDDEN_ROW, HIDDEN_SHEET, INSTRUCTION_SHEET

    parts: list[str] = []
    rows = [p for p in skipped if p.kind == HIDDEN_ROW]
    if rows:
        by_sheet: dict[str, list[int]] = defaultdict(list)
        for p in rows:
            by_sheet[p.sheet].append(p.row)
        where = "; ".join(f"trang '{sheet}': dòng {', '.join(str(r) for r in numbers)}"
                          for sheet, numbers in by_sheet.items())
        parts.append(f"{len(rows)} dòng đang ẩn ({where})")
    for kind, label in ((HIDDEN_SHEET, "trang đang ẩn"), (INSTRUCTION_SHEET, "trang hướng dẫn/ví dụ"),
                        (OTHER_PERIOD, "trang của kỳ khác")):
        sheets = [p for p in skipped if p.kind == kind]
        if sheets:
            names = ", ".join(f"'{p.sheet}'" + (f" ({fmt_period(p.period)})" if p.period else "") for p in sheets)
            parts.append(f"{len(sheets)} {label} ({names})")
    return f"Đã bỏ qua {'; '.join(parts)}." if parts else ""


def only_period(parsed: ParsedReturn, period: str) -> ParsedReturn:
    """`parsed` without the sheets whose own title names another quarter than `period` (one
    sheet per quarter): their rows, indicator rows and errors are dropped and each such sheet
    is listed in `skipped` with a message naming it and its period. A sheet that names no
    period, or a year, belongs to the return's period."""
    other = {sheet: p for sheet, p in parsed.sheet_periods.items() if "-Q" in p and p != period}
    if not other:
        return parsed
    skipped = list(parsed.skipped)
    for sheet, sheet_period in other.items():
        count = sum(r.sheet == sheet for r in parsed.rows) + sum(i.sheet == sheet for i in parsed.indicator_rows)
        skipped.append(SkippedPart(
            sheet, 0, OTHER_PERIOD,
            f"Trang '{sheet}' là báo cáo {fmt_period(sheet_period)}, khác kỳ đang cập nhật ({fmt_period(period)}): "
            f"bỏ qua {count} dòng của trang này.", sheet_period,
        ))
    return dataclasses.replace(
        parsed,
        rows=[r for r in parsed.rows if r.sheet not in other],
        indicator_rows=[i for i in parsed.indicator_rows if i.sheet not in other],
        errors=[e for e in parsed.errors if e.sheet not in other],
        skipped=skipped,
    )


def preview(engine: Engine, data: bytes, file_name: str, *, agency_id: int | None = None, period: str | None = None,
            decisions: Decisions | None = None, settings: Settings | None = None,
            parsed: ParsedReturn | None = None) -> ImportPlan:
    """The one call behind the upload page and the command line: read, match, reconcile and
    classify `data`; writes nothing (`apply_import` writes the plan it returns).

    `decisions` maps (sheet name, Excel row) -> a task code (the officer confirms the row
    reports on that task: the row is then new / changed / unchanged like a matched row, and
    the wording is remembered for the agency when the plan is applied) or None (leave the
    row out: "skipped"). Unmatched and ambiguous rows carry `suggestions`. FileRefused as
    `plan_import`; `parsed` spares a second read of a file already read.
    """
    return plan_import(engine, data, file_name, agency_id=agency_id, period=period, settings=settings,
                       parsed=parsed, decisions=decisions)


def suggested_decisions(plan: ImportPlan, threshold: float) -> dict[tuple[str, int], str | None]:
    """Decisions accepting every unmatched or ambiguous row's top suggestion scored >= `threshold`
    (and clearly ahead of the next one: `matching.accept_above`)."""
    return accept_above(plan.rows, threshold)


def row_dict(r: PlannedRow) -> dict[str, Any]:
    """One row of `import --json`'s `rows` list."""
    return {
        "sheet": r.sheet, "row": r.row, "outcome": r.outcome,
        "task": r.code if r.assignment_id is not None else None,
        "state": r.state, "progress": r.progress_pct,
        "completed_on": r.completed_on.isoformat() if r.completed_on else None,
        "message": r.message,
        "suggestions": [s.as_dict() for s in r.suggestions] if r.outcome in (UNMATCHED, AMBIGUOUS) else [],
    }


def read_file(data: bytes, settings: Settings | None = None) -> ParsedReturn:
    """`xlsx_reader.read_return` with the declared limits; raises FileRefused."""
    settings = settings or get_settings()
    return read_return(data, max_bytes=settings.upload_max_mb * 1024 * 1024, max_rows=settings.upload_max_rows,
                       max_cell_chars=settings.upload_max_cell_chars)


def _sha(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def _reject(planned: PlannedRow | PlannedIndicator, extra: list[CellError], column: str, value: str,
            message: str, outcome: str = REJECTED) -> None:
    text = f"Dòng {planned.row}, cột '{column}': {message}" if column else f"Dòng {planned.row}: {message}"
    extra.append(CellError(planned.sheet, planned.row, column, value, text))
    planned.messages.append(text)
    planned.outcome = outcome


def _plan_row(r: ReturnRow, errors: list[CellError], labels: dict[str, str], matcher: Matcher,
              extra: list[CellError], decision: object = None) -> PlannedRow:
    planned = PlannedRow(
        sheet=r.sheet, row=r.row, outcome=REJECTED, code=r.code, task_text=r.task_text, lead_text=r.lead_text,
        state=r.state, progress_pct=r.progress_pct, completed_on=r.completed_on, output_document=r.output_document,
        difficulties=r.difficulties, messages=[e.message for e in errors], text_as_written=r.task_text,
        status_text=r.status_text, state_source=r.state_source, planned_on=r.planned_on,
    )
    if errors:
        return planned
    if decision is None:
        planned.outcome = SKIPPED
        planned.note = "chuyên viên chọn bỏ qua dòng này"
        return planned
    if all(getattr(r, f) is None for f in _FIELDS):
        planned.outcome = SKIPPED
        return planned
    state_col = labels.get("state", "Tình trạng")
    prog_col = labels.get("progress", "Tỷ lệ hoàn thành (%)")
    date_col = labels.get("completed_on", "Ngày hoàn thành")
    state, progress = r.state, r.progress_pct
    if state is None:
        if progress is not None:
            state = m.STATE_DONE if progress >= 100 else m.STATE_IN_PROGRESS if progress > 0 else m.STATE_NOT_STARTED
            planned.state_source = "progress"
        elif r.completed_on is not None:
            # A date alone never says a task is done (it may be a deadline or a plan).
            _reject(planned, extra, state_col, "",
                    f"chỉ ghi ngày {fmt_date(r.completed_on)}, chưa ghi tình trạng (Đã hoàn thành / Đang thực hiện / "
                    "Chưa thực hiện); ngày không đủ để coi là đã hoàn thành")
            return planned
        else:
            _reject(planned, extra, state_col, "",
                    "chưa ghi tình trạng (Đã hoàn thành / Đang thực hiện / Chưa thực hiện)")
            return planned
    if state == m.STATE_NOT_STARTED and progress is not None and 0 < progress < 100:
        state = m.STATE_IN_PROGRESS  # "chưa hoàn thành, 60%" is work in progress
    if state == m.STATE_DONE:
        if progress is None:
            progress = 100.0
        elif progress < 100:
            _reject(planned, extra, prog_col, f"{fmt_decimal(progress)}%",
                    f"tình trạng là 'Đã hoàn thành' nhưng tỷ lệ hoàn thành là {fmt_decimal(progress)}%")
            return planned
    else:
        if progress is not None and progress >= 100:
            _reject(planned, extra, prog_col, "100%",
                    f"tỷ lệ hoàn thành 100% nhưng tình trạng là '{STATE_LABELS[state]}'")
            return planned
        if r.completed_on is not None:
            _reject(planned, extra, date_col, fmt_date(r.completed_on),
                    f"có ngày hoàn thành {fmt_date(r.completed_on)} nhưng tình trạng là '{STATE_LABELS[state]}'")
            return planned
    planned.state, planned.progress_pct = state, progress
    if isinstance(decision, str):
        found = matcher.confirm(decision, r.lead_text)
    else:
        found = matcher.match(r.code, r.task_text, r.lead_text)
    planned.matched_by = found.by
    cand = found.candidate
    if cand is None:
        column = labels.get("code", "") if r.code else labels.get("task", "")
        value = (r.code or r.task_text or "")[:200]
        planned.suggestions = found.suggestions
        _reject(planned, extra, column, value, found.message, outcome=found.outcome)
        return planned
    if found.by == BY_DECISION:
        planned.confirmed = True
        planned.note = f"đã xác nhận: {cand.task_code}"
    planned.assignment_id = cand.assignment_id
    planned.lead_name = cand.agency_name
    planned.code = cand.task_code
    planned.task_text = planned.task_text or cand.task_text
    planned.outcome = NEW  # classified against the store by the caller
    return planned


_NO_DECISION = object()  # no decision for the row (None means "leave the row out")


def _settle_duplicates(rows: list[PlannedRow], sheet_labels: dict[str, dict[str, str]],
                       matcher: Matcher, extra: list[CellError]) -> None:
    """The same assignment on several rows (two rows, two sheets): none is written, each names the
    others, until the officer confirms one row (the others are then left out)."""
    first: dict[int, PlannedRow] = {}
    groups: dict[int, list[PlannedRow]] = {}
    for r in rows:
        if r.outcome == NEW and r.assignment_id is not None:
            seen = first.setdefault(r.assignment_id, r)
            if seen is not r:
                groups.setdefault(r.assignment_id, [seen]).append(r)
    for group in groups.values():
        chosen = [r for r in group if r.confirmed]
        where = "; ".join(f"trang '{r.sheet}' dòng {r.row}" for r in group)
        for r in group:
            labels = sheet_labels.get(r.sheet, {})
            column = labels.get("code") or labels.get("task", "")
            if len(chosen) == 1 and r is not chosen[0]:
                r.outcome = SKIPPED
                r.note = (f"nhiệm vụ {r.code} đã được chọn ở trang '{chosen[0].sheet}' dòng {chosen[0].row}; "
                          "dòng này được bỏ qua")
                r.assignment_id = None
                continue
            if len(chosen) == 1:
                continue
            task = r.code or ""
            r.suggestions = matcher.suggest(r.text_as_written, matcher.lead_key(r.lead_text),
                                            among={matcher.by_code[code_key(task)][0].task_id})
            _reject(r, extra, column, task,
                    f"nhiệm vụ {task} ({r.lead_name}) được báo cáo ở nhiều dòng ({where}); không ghi dòng nào cho "
                    "đến khi chọn một dòng (bỏ qua các dòng còn lại)", outcome=AMBIGUOUS)
            r.assignment_id = None


def _indicator_catalogue(conn: Connection) -> dict[str, Any]:
    by_code: dict[str, Any] = {}
    by_name: dict[str, list[Any]] = defaultdict(list)
    for row in conn.execute(select(IN.c.id, IN.c.code, IN.c.name, IN.c.plan_id)):
        by_code[code_key(row.code)] = row
        by_name[search_key(row.name)].append(row)
    return {"code": by_code, "name": by_name}


def _plan_indicators(items: list[IndicatorRow], errors_at: dict[tuple[str, int], list[CellError]],
                     columns: dict[str, list[str]], catalogue: dict[str, Any], period: str,
                     extra: list[CellError], conn: Connection) -> list[PlannedIndicator]:
    year = period[:4]
    out: list[PlannedIndicator] = []
    for ir in items:
        labels = _field_labels(columns.get(ir.sheet, []), INDICATOR_LOOKUP)
        errors = errors_at.get((ir.sheet, ir.row), [])
        p = PlannedIndicator(ir.sheet, ir.row, REJECTED, ir.code, ir.name, ir.period or period, ir.value,
                             messages=[e.message for e in errors])
        out.append(p)
        if errors:
            continue
        if ir.value is None:
            p.outcome = SKIPPED
            continue
        found = catalogue["code"].get(code_key(ir.code)) if ir.code else None
        if found is None and not ir.code and ir.name:
            named = catalogue["name"].get(search_key(ir.name), [])
            found = named[0] if len(named) == 1 else None
        if found is None:
            column = labels.get("ind_code", "") if ir.code else labels.get("ind_name", "")
            _reject(p, extra, column, ir.code or ir.name or "",
                    f"không có chỉ tiêu {'mã ' + ir.code if ir.code else 'này'} trong danh mục chỉ tiêu",
                    outcome=UNMATCHED)
            continue
        p.indicator_id, p.code, p.name = int(found.id), found.code, p.name or found.name
        if found.plan_id is not None:
            _reject(p, extra, labels.get("ind_value", ""), fmt_decimal(ir.value),
                    "chỉ tiêu này được tính tự động từ tiến độ nhiệm vụ, không nhập giá trị")
            continue
        if p.period not in (period, year):
            _reject(p, extra, labels.get("ind_period", ""), fmt_period(p.period or ""),
                    f"kỳ {fmt_period(p.period or '')} khác kỳ báo cáo của tệp ({fmt_period(period)} hoặc năm {year})")
    seen: dict[tuple[int, str], int] = {}
    current = _current_values(conn, [p.indicator_id for p in out if p.indicator_id is not None])
    for p in out:
        if p.outcome != REJECTED or p.indicator_id is None or p.messages:
            continue
        key = (p.indicator_id, p.period or period)
        if key in seen:
            labels = _field_labels(columns.get(p.sheet, []), INDICATOR_LOOKUP)
            _reject(p, extra, labels.get("ind_code", ""), p.code or "",
                    f"chỉ tiêu {p.code} đã được báo cáo ở dòng {seen[key]}; mỗi chỉ tiêu chỉ ghi một dòng cho một kỳ")
            continue
        seen[key] = p.row
        prev = current.get(key)
        p.previous = prev[0] if prev else None
        if prev is None:
            p.outcome = NEW
        else:
            p.outcome = CHANGED if prev[1] or abs(prev[0] - (p.value or 0.0)) > 1e-9 else UNCHANGED
    return out


# --- apply, undo, history --------------------------------------------------------------


# Key of the PostgreSQL advisory lock that serialises writers of reports (apply and undo).
STORE_LOCK_KEY = 0x43434843  # "CCHC"


def lock_store(conn: Connection) -> None:
    """Take the store-wide write lock for the rest of the current transaction.

    PostgreSQL: a transaction-scoped advisory lock (released at commit or rollback, also
    when the client dies). SQLite: the transaction is made a write transaction at once by
    a write that changes nothing (pysqlite opens the transaction before it, SQLite takes its
    single writer lock, waiting up to busy_timeout), so every read that follows sees the
    store as the writers before it left it and nobody can write in between.
    """
    if conn.dialect.name == "postgresql":
        conn.execute(sql_text("SELECT pg_advisory_xact_lock(:key)"), {"key": STORE_LOCK_KEY})
    else:
        conn.execute(sql_text("UPDATE meta SET value = value WHERE key = 'data_version'"))


def _insert_many(conn: Connection, table: Any, columns: Sequence[str], rows: Sequence[tuple[Any, ...]],
                 constants: dict[str, Any]) -> None:
    """INSERT `rows` (values of `columns`, in order) plus the same `constants` in every row, in one
    DBAPI executemany (SQLite) or one INSERT ... SELECT FROM unnest (PostgreSQL). Values go through the columns' own bind processors (so what is stored is
    exactly what an ORM or Core insert would store); constants are processed once."""
    dialect = conn.dialect
    names = [*columns, *constants]
    procs = [table.c[c].type.dialect_impl(dialect).bind_processor(dialect) for c in columns]
    fixed = tuple(
        proc(v) if (proc := table.c[c].type.dialect_impl(dialect).bind_processor(dialect)) is not None else v
        for c, v in constants.items()
    )
    active = [(i, p) for i, p in enumerate(procs) if p is not None]
    if active:
        processed = []
        for row in rows:
            values = list(row)
            for i, proc in active:
                if values[i] is not None:
                    values[i] = proc(values[i])
            processed.append((*values, *fixed))
    else:
        processed = [(*row, *fixed) for row in rows]
    quote = dialect.identifier_preparer.quote
    mark = "?" if dialect.paramstyle == "qmark" else "%s"
    if dialect.name == "postgresql" and len(rows) > 1:
        # One INSERT ... SELECT FROM unnest(array per column) instead of one statement per row
        # (20 000 rows: one round trip). Each array is cast to its column's type and each constant
        # to its own, the same conversions an INSERT of bound parameters makes (a timezone-aware
        # datetime into a TIMESTAMP column included), so what is stored is identical.
        types = [table.c[n].type.compile(dialect=dialect) for n in names]
        n_cols = len(columns)
        arrays = [[row[i] for row in processed] for i in range(n_cols)]
        aliases = [f"c{i}" for i in range(n_cols)]
        select_list = [f"u.{a}" for a in aliases] + [f"%s::{t}" for t in types[n_cols:]]
        sql = (f"INSERT INTO {quote(table.name)} ({', '.join(quote(n) for n in names)}) "
               f"SELECT {', '.join(select_list)} FROM unnest({', '.join(f'%s::{t}[]' for t in types[:n_cols])}) "
               f"AS u({', '.join(aliases)})")
        conn.exec_driver_sql(sql, (*fixed, *arrays))
        return
    sql = (f"INSERT INTO {quote(table.name)} ({', '.join(quote(n) for n in names)}) "
           f"VALUES ({', '.join([mark] * len(names))})")
    conn.exec_driver_sql(sql, processed)


def apply_import(engine: Engine, plan: ImportPlan, actor: Actor, *,
                 on_locked: Callable[[], None] | None = None, source: str = SOURCE_WEB,
                 now: dt.datetime | None = None) -> ApplyResult:
    """Write the plan's new and changed rows in one transaction (with the Upload record, audit and version bump).

    The transaction starts by taking the store-wide write lock (`lock_store`), then
    re-classifies every matched row against the store as it is now, so two imports of the
    same tasks serialise: the later one sees the earlier one's reports (its new / changed /
    unchanged counts say so) and the end state is that of applying them one after the
    other. A plan applied twice writes nothing the second time. Nothing to write -> no
    upload record, only an audit line, result "0 thay đổi". `on_locked` is called once the
    lock is held (the command line says "Đang ghi vào kho dữ liệu..." there).

    Every matched row (new, changed and unchanged) is recorded as asserted by the upload
    (table `uploadassertion`), so `undo_upload` of an earlier upload keeps these figures.
    `source` ("trang web" / "dòng lệnh") is kept in the upload summary and the audit line.
    `now` (UTC; default the current time) stamps the upload: tests of return timeliness set it.
    """
    require(actor, "upload")
    now = now if now is not None else m.utcnow()
    start, end = plan.period_start, plan.period_end
    with Session(engine) as session:
        conn = session.connection()
        lock_store(conn)
        check_open(conn, plan.agency_id, plan.period, "cập nhật số liệu")
        if on_locked is not None:
            on_locked()
        scope = agency_scope(conn, plan.agency_id)
        current = _current_reports(conn, scope, plan.period)
        reports: list[tuple[Any, ...]] = []
        asserted: list[tuple[Any, ...]] = []  # every row the upload asserts, written or not (see undo_upload)
        new = changed = unchanged = 0
        for r in plan.rows:
            if r.outcome not in (NEW, CHANGED, UNCHANGED) or r.assignment_id is None:
                continue
            asserted.append((r.assignment_id, plan.period, r.state, r.progress_pct, r.completed_on,
                             r.output_document, r.difficulties))
            prev = current.get(r.assignment_id)
            if not _differs(r, prev):
                unchanged += 1
                continue
            if prev is None:
                new += 1
            else:
                changed += 1
            reports.append((r.assignment_id, r.state, r.progress_pct, r.completed_on, r.output_document,
                             r.difficulties))
        values_now = _current_values(conn, [i.indicator_id for i in plan.indicators if i.indicator_id is not None])
        values: list[dict[str, Any]] = []
        asserted_values: list[tuple[Any, ...]] = []
        for i in plan.indicators:
            if i.outcome not in (NEW, CHANGED, UNCHANGED) or i.indicator_id is None or i.value is None:
                continue
            ind_period = i.period or plan.period
            source = f"Báo cáo {plan.agency_name} {fmt_period(plan.period)} ({plan.file_name})"
            asserted_values.append((i.indicator_id, ind_period, i.value, source))
            prev_v = values_now.get((i.indicator_id, ind_period))
            if prev_v is not None and not prev_v[1] and abs(prev_v[0] - i.value) <= 1e-9:
                unchanged += 1
                continue
            new, changed = (new + 1, changed) if prev_v is None else (new, changed + 1)
            p_start, p_end = period_bounds(ind_period)
            values.append({
                "indicator_id": i.indicator_id, "period": ind_period, "period_start": p_start, "period_end": p_end,
                "value": i.value, "source": source,
                "is_sample": False, "recorded_at": now, "recorded_by": actor.username,
            })
        detail_base = f"{plan.file_name} · {plan.agency_name} · {fmt_period(plan.period)} · nguồn: {source}"
        if not reports and not values:
            _remember(session, plan, actor, None, now)
            record_audit(session, actor, ACTION_UPLOAD, f"{detail_base} · 0 thay đổi (không ghi gì)", at=now)
            session.commit()
            return ApplyResult(None, 0, 0, 0, 0, unchanged)
        summary = plan.summary()
        summary.update({"reports_written": len(reports), "values_written": len(values), "written_new": new,
                        "written_changed": changed, "written_unchanged": unchanged, "source": source,
                        "asserted_reports": len(asserted), "asserted_values": len(asserted_values)})
        summary["errors"] = summary["errors"][:500]
        inserted = conn.execute(insert(U).values(
            file_name=plan.file_name, sha256=plan.sha256, content=plan.data, uploaded_by=actor.username,
            uploaded_at=now, period=plan.period, agency_id=plan.agency_id,
            summary=json.dumps(summary, ensure_ascii=False, default=str),
        )).inserted_primary_key
        assert inserted is not None
        upload_id = int(inserted[0])
        if reports:
            _insert_many(conn, SR, _REPORT_COLUMNS, reports, {
                "period": plan.period, "period_start": start, "period_end": end, "is_sample": False,
                "recorded_at": now, "recorded_by": actor.username, "upload_id": upload_id,
            })
        if values:
            for row in values:
                row["upload_id"] = upload_id
            conn.execute(insert(IV), values)
        if asserted:
            _insert_many(conn, UA, _ASSERTED_REPORT_COLUMNS, asserted, {"upload_id": upload_id})
        if asserted_values:
            _insert_many(conn, UA, ("indicator_id", "period", "value", "source"), asserted_values,
                         {"upload_id": upload_id})
        _remember(session, plan, actor, upload_id, now)
        record_audit(session, actor, ACTION_UPLOAD,
                     f"Lần tải lên số {upload_id}: {detail_base} · {len(reports)} báo cáo, {len(values)} giá trị chỉ tiêu",
                     at=now)
        bump_data_version(session)
        session.commit()
    return ApplyResult(upload_id, len(reports), len(values), new, changed, unchanged)


def _remember(session: Session, plan: ImportPlan, actor: Actor, upload_id: int | None, now: dt.datetime) -> None:
    """Remember the wordings the officer confirmed (in the apply's transaction), with an audit line."""
    pairs = [(r.text_as_written or "", r.assignment_id) for r in plan.rows
             if r.confirmed and r.assignment_id is not None and r.text_as_written]
    if not pairs:
        return
    added = remember(session.connection(), plan.agency_id, [(t, a) for t, a in pairs if a is not None],
                     actor.username, upload_id, now)
    if added:
        record_audit(session, actor, "ghi_nho_cap_noi_dung",
                     f"{plan.agency_name}: ghi nhớ {added} cặp nội dung – nhiệm vụ đã xác nhận ({plan.file_name})",
                     at=now)


_REPORT_COLUMNS = ("assignment_id", "state", "progress_pct", "completed_on", "output_document", "difficulties")
_ASSERTED_REPORT_COLUMNS = ("assignment_id", "period", "state", "progress_pct", "completed_on", "output_document",
                            "difficulties")


def undo_upload(engine: Engine, upload_id: int, actor: Actor, *, source: str = SOURCE_WEB) -> UndoResult:
    """Undo upload `upload_id` (one transaction, under the same store-wide write lock as `apply_import`).

    Deletes the rows the upload wrote, marks it undone, then restores every task report and
    indicator value the upload asserted to what the remaining applied uploads assert, in
    upload order: the latest remaining upload asserting the (assignment, period) or
    (indicator, period) wins and, when the store's current row differs from it (because the
    deleted row was the one holding its figures), a row with its figures is appended, tagged
    with that upload (so undoing it in turn removes it). With no remaining upload asserting
    it, the row reverts to what was there before any upload (sample or seeded history, or
    nothing). So no figure an applied upload still asserts ever changes.

    ValueError (Vietnamese) if there is no such upload or it was already undone.
    `source` is where the action came from ("dòng lệnh" for the command line), for the audit log.
    """
    require(actor, "undo_upload")
    now = m.utcnow()
    with Session(engine) as session:
        lock_store(session.connection())
        upload = session.get(m.Upload, upload_id)
        if upload is None:
            raise ValueError(f"Không có lần tải lên số {upload_id}.")
        if upload.undone_at is not None:
            raise ValueError(f"Lần tải lên số {upload_id} đã được hoàn tác lúc {to_vn(upload.undone_at):%d/%m/%Y %H:%M} "
                             f"bởi {upload.undone_by}.")
        conn = session.connection()
        check_open(conn, upload.agency_id, upload.period, f"hoàn tác lần tải lên số {upload_id}")
        # The keys the upload touched: what it asserted, plus what it wrote (the same set, unless an
        # upload from before the assertion table lost rows; the union is always safe).
        report_keys = {(int(a), str(p)) for a, p in conn.execute(
            select(UA.c.assignment_id, UA.c.period).where(UA.c.upload_id == upload_id, UA.c.assignment_id.is_not(None)))}
        report_keys |= {(int(a), str(p)) for a, p in conn.execute(
            select(SR.c.assignment_id, SR.c.period).where(SR.c.upload_id == upload_id))}
        value_keys = {(int(i), str(p)) for i, p in conn.execute(
            select(UA.c.indicator_id, UA.c.period).where(UA.c.upload_id == upload_id, UA.c.indicator_id.is_not(None)))}
        value_keys |= {(int(i), str(p)) for i, p in conn.execute(
            select(IV.c.indicator_id, IV.c.period).where(IV.c.upload_id == upload_id))}
        reports = conn.execute(delete(SR).where(SR.c.upload_id == upload_id)).rowcount
        values = conn.execute(delete(IV).where(IV.c.upload_id == upload_id)).rowcount
        upload.undone_at = now
        upload.undone_by = actor.username
        session.add(upload)
        session.flush()  # the restoration below must see this upload as undone
        restored_reports = _restore_reports(conn, report_keys, now)
        restored_values = _restore_values(conn, value_keys, now)
        restored = (f"; khôi phục {len(restored_reports)} báo cáo, {restored_values} giá trị chỉ tiêu theo các lần "
                    f"tải lên còn hiệu lực (số {', '.join(str(u) for u in sorted(set(restored_reports.values())))})"
                    if restored_reports or restored_values else "")
        record_audit(session, actor, ACTION_UNDO,
                     f"Hoàn tác lần tải lên số {upload_id} ({upload.file_name}, {fmt_period(upload.period)}): "
                     f"xoá {reports} báo cáo, {values} giá trị chỉ tiêu{restored} · nguồn: {source}", at=now)
        bump_data_version(session)
        session.commit()
    return UndoResult(upload_id, int(reports or 0), int(values or 0), len(restored_reports), restored_values)


def _chunks(items: Sequence[Any], size: int = 2000) -> Iterable[Sequence[Any]]:
    for i in range(0, len(items), size):
        yield items[i:i + size]


def _report_values(row: Any) -> tuple[Any, ...]:
    """A report's figures in one comparable form (both backends, stored or asserted)."""
    return (row.state, None if row.progress_pct is None else round(float(row.progress_pct), 6),
            _as_date(row.completed_on), row.output_document, row.difficulties)


def _restore_reports(conn: Connection, keys: set[tuple[int, str]], now: dt.datetime) -> dict[tuple[int, str], int]:
    """Make the current report of every (assignment, period) in `keys` what the latest applied upload
    asserting it says; returns the keys rewritten -> the upload whose figures were restored."""
    if not keys:
        return {}
    assignments = sorted({a for a, _ in keys})
    winners: dict[tuple[int, str], Any] = {}
    current: dict[tuple[int, str], Any] = {}
    for chunk in _chunks(assignments):
        stmt = (select(UA.c.upload_id, UA.c.assignment_id, UA.c.period, UA.c.state, UA.c.progress_pct,
                       UA.c.completed_on, UA.c.output_document, UA.c.difficulties, U.c.uploaded_by)
                .select_from(UA.join(U, U.c.id == UA.c.upload_id))
                .where(UA.c.assignment_id.in_(list(chunk)), U.c.undone_at.is_(None))
                .order_by(UA.c.upload_id, UA.c.id))
        for row in conn.execute(stmt):
            key = (int(row.assignment_id), str(row.period))
            if key in keys:
                winners[key] = row  # upload order: the last one wins
        stmt2 = (select(SR.c.assignment_id, SR.c.period, SR.c.state, SR.c.progress_pct, SR.c.completed_on,
                        SR.c.output_document, SR.c.difficulties, SR.c.is_sample)
                 .where(SR.c.assignment_id.in_(list(chunk))).order_by(SR.c.id))
        for rep in conn.execute(stmt2):
            key = (int(rep.assignment_id), str(rep.period))
            if key in keys:
                current[key] = rep  # reports are append-only: the highest id is current
    restored: dict[tuple[int, str], int] = {}
    rows: list[tuple[Any, ...]] = []
    for key, win in sorted(winners.items()):
        now_row = current.get(key)
        if now_row is not None and not now_row.is_sample and _report_values(now_row) == _report_values(win):
            continue
        start, end = period_bounds(key[1])
        rows.append((key[0], key[1], start, end, win.state, win.progress_pct, _as_date(win.completed_on),
                     win.output_document, win.difficulties, int(win.upload_id), win.uploaded_by))
        restored[key] = int(win.upload_id)
    if rows:
        _insert_many(conn, SR, ("assignment_id", "period", "period_start", "period_end", "state", "progress_pct",
                                "completed_on", "output_document", "difficulties", "upload_id", "recorded_by"),
                     rows, {"is_sample": False, "recorded_at": now})
    return restored


def _restore_values(conn: Connection, keys: set[tuple[int, str]], now: dt.datetime) -> int:
    """`_restore_reports` for indicator values; returns how many values were rewritten."""
    if not keys:
        return 0
    indicators = sorted({i for i, _ in keys})
    winners: dict[tuple[int, str], Any] = {}
    for row in conn.execute(
            select(UA.c.upload_id, UA.c.indicator_id, UA.c.period, UA.c.value, UA.c.source, U.c.uploaded_by)
            .select_from(UA.join(U, U.c.id == UA.c.upload_id))
            .where(UA.c.indicator_id.in_(indicators), U.c.undone_at.is_(None)).order_by(UA.c.upload_id, UA.c.id)):
        key = (int(row.indicator_id), str(row.period))
        if key in keys:
            winners[key] = row
    current = _current_values(conn, indicators)
    rows: list[dict[str, Any]] = []
    for key, win in sorted(winners.items()):
        now_v = current.get(key)
        if now_v is not None and not now_v[1] and abs(now_v[0] - float(win.value)) <= 1e-9:
            continue
        start, end = period_bounds(key[1])
        rows.append({"indicator_id": key[0], "period": key[1], "period_start": start, "period_end": end,
                     "value": float(win.value), "source": win.source or "", "upload_id": int(win.upload_id),
                     "is_sample": False, "recorded_at": now, "recorded_by": win.uploaded_by})
    if rows:
        conn.execute(insert(IV), rows)
    return len(rows)


def upload_history(engine: Engine) -> pd.DataFrame:
    """Every upload, newest first (without the file bytes).

    Columns: id, uploaded_at (Vietnam time), file_name, agency_id, agency, period, uploaded_by,
    new, changed, unchanged, rejected, unmatched, reports_written, values_written,
    undone_at, undone_by, status ("Đã áp dụng" / "Đã hoàn tác"), source ("trang web" / "dòng lệnh").
    """
    stmt = (
        select(U.c.id, U.c.uploaded_at, U.c.file_name, U.c.agency_id, AG.c.name.label("agency"), U.c.period,
               U.c.uploaded_by,
               U.c.summary, U.c.undone_at, U.c.undone_by)
        .select_from(U.outerjoin(AG, AG.c.id == U.c.agency_id))
        .order_by(U.c.id.desc())
    )
    with engine.connect() as conn:
        rows = conn.execute(stmt).all()
    records = []
    for r in rows:
        try:
            summary = json.loads(r.summary or "{}")
        except ValueError:
            summary = {}
        records.append({
            "id": int(r.id), "uploaded_at": to_vn(r.uploaded_at), "file_name": r.file_name,
            "agency_id": int(r.agency_id) if r.agency_id is not None else None, "agency": r.agency or "",
            "period": r.period, "uploaded_by": r.uploaded_by,
            **{k: int(summary.get(k, 0)) for k in (NEW, CHANGED, UNCHANGED, REJECTED, UNMATCHED)},
            "reports_written": int(summary.get("reports_written", 0)),
            "values_written": int(summary.get("values_written", 0)),
            "undone_at": to_vn(r.undone_at) if r.undone_at is not None else None,
            "undone_by": r.undone_by,
            "status": "Đã hoàn tác" if r.undone_at is not None else "Đã áp dụng",
            "source": str(summary.get("source") or SOURCE_WEB),
        })
    columns = ["id", "uploaded_at", "file_name", "agency_id", "agency", "period", "uploaded_by", NEW, CHANGED, UNCHANGED,
               REJECTED, UNMATCHED, "reports_written", "values_written", "undone_at", "undone_by", "status", "source"]
    return pd.DataFrame(records, columns=columns)


def upload_file(engine: Engine, upload_id: int) -> tuple[str, bytes]:
    """The original file of an upload: (file name, bytes)."""
    with engine.connect() as conn:
        row = conn.execute(select(U.c.file_name, U.c.content).where(U.c.id == upload_id)).first()
    if row is None:
        raise ValueError(f"Không có lần tải lên số {upload_id}.")
    return str(row.file_name), bytes(row.content)


# --- the annotated copy ---------------------------------------------------------------


def annotated_copy(data: bytes, plan: ImportPlan) -> bytes:
    """The uploaded workbook with every problem marked: the cell filled red (orange for
    unmatched rows) with a comment, a note column at the right of each table, and a first
    sheet "Kết quả kiểm tra" listing them all. Text is written as text (never a formula)."""
    from openpyxl import load_workbook
    from openpyxl.comments import Comment
    from openpyxl.styles import Alignment, Font, PatternFill
    from openpyxl.utils import get_column_letter

    red = PatternFill("solid", fgColor="FFC7CE")
    orange = PatternFill("solid", fgColor="FFEB9C")
    wb = load_workbook(io.BytesIO(data))
    planned: list[PlannedRow | PlannedIndicator] = [*plan.rows, *plan.indicators]
    unmatched = {(r.sheet, r.row) for r in planned if r.outcome in (UNMATCHED, AMBIGUOUS)}
    by_row: dict[tuple[str, int], list[CellError]] = defaultdict(list)
    for e in plan.errors:
        if e.row > 0 and e.sheet in wb.sheetnames:
            by_row[(e.sheet, e.row)].append(e)
    for sheet in {s for s, _ in by_row}:
        ws = wb[sheet]
        labels = plan.columns.get(sheet, [])
        note_col = max(ws.max_column, len(labels)) + 1
        rows = sorted(r for s, r in by_row if s == sheet)
        first_data = min([r.row for r in planned if r.sheet == sheet] or rows)
        if first_data > 1 and ws.cell(first_data - 1, note_col).value is None:
            head = ws.cell(first_data - 1, note_col, "Lỗi phát hiện khi tải lên")
            head.font = Font(bold=True, color="9C0006")
        ws.column_dimensions[get_column_letter(note_col)].width = 60
        for row in rows:
            errs = by_row[(sheet, row)]
            fill = orange if (sheet, row) in unmatched else red
            for e in errs:
                col = _column_index(labels, e.column)
                cell = ws.cell(row, col)
                if type(cell).__name__ == "MergedCell":
                    continue
                cell.fill = fill
                cell.comment = Comment(e.message, "Hệ thống CCHC")
            note = ws.cell(row, note_col)
            note.value = "\n".join(e.message for e in errs)
            text_cells([note])
            note.fill = fill
            note.alignment = Alignment(wrap_text=True, vertical="top")
    summary = wb.create_sheet("Kết quả kiểm tra", 0)
    summary.append([f"Kết quả kiểm tra tệp {plan.file_name} – {plan.agency_name}, {fmt_period(plan.period)}"])
    summary.append([f"Mới: {plan.count(NEW)} · Thay đổi: {plan.count(CHANGED)} · Không đổi: {plan.count(UNCHANGED)} · "
                    f"Lỗi: {plan.count(REJECTED)} · Chưa khớp: {plan.count(UNMATCHED)} · "
                    f"Cần xác nhận: {plan.count(AMBIGUOUS)}"])
    summary.append([])
    # Headers the reader does not take for a table, so a corrected copy can be uploaded as it is.
    summary.append(["Trang tính", "Dòng", "Cột", "Giá trị trong ô", "Mô tả lỗi"])
    for cell in summary[4]:
        cell.font = Font(bold=True)
    for e in plan.errors:
        summary.append([e.sheet, e.row or None, e.column, e.value, e.message])
    for row in summary.iter_rows():
        text_cells(row)  # file names, values and messages are data: "=..." stays text
    for letter, width in zip("ABCDE", (14, 8, 24, 30, 100), strict=True):
        summary.column_dimensions[letter].width = width
    wb.active = 0
    for ws in wb.worksheets[1:]:
        ws.sheet_view.tabSelected = False
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()


def _column_index(labels: list[str], column: str) -> int:
    """1-based column of a header label as the reader reported it (a letter when the column had none)."""
    if column in labels:
        return labels.index(column) + 1
    for i, label in enumerate(labels):
        if label.startswith(column + " ("):
            return i + 1
    if column.isalpha() and column.isupper() and len(column) <= 3:
        index = 0
        for ch in column:
            index = index * 26 + ord(ch) - 64
        return index
    return 1


__all__ = [
    "AMBIGUOUS", "CHANGED", "NEW", "OUTCOMES", "OUTCOME_LABELS", "REJECTED", "SKIPPED", "UNCHANGED", "UNMATCHED",
    "ApplyResult", "ImportPlan", "PlannedIndicator", "PlannedRow", "UndoResult", "agency_name", "agency_scope",
    "annotated_copy", "apply_import", "error_dict", "find_agency", "former_agencies", "only_period", "plan_import",
    "preview", "quarter", "read_file", "reporting_agencies", "resolve_meta", "row_dict", "skipped_summary", "successor",
    "suggested_decisions", "undo_upload", "upload_file",
    "upload_history",
]
