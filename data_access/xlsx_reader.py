"""Reading layer of the quarterly-return importer (pure: no Streamlit, no database).

Pipeline: xlsx_safety (is the file safe to open) -> xlsx_reader (this module: sheets -> rows, using
cell_values for cell values, return_columns for column labels and status_text for status prose)
-> matching (row -> task) -> importer (planning: preview/plan_import; apply_import, undo_upload)
-> upload history.

`read_return(data)` checks an uploaded workbook with `xlsx_safety`, reads it with
python-calamine and returns the task-status rows, the indicator rows, the
cell-level errors and what the workbook declares about itself (agency, period,
template version). Matching rows to tasks and writing them is another layer's job.
`FileRefused`, `CellError` and the `parse_*` functions are re-exported here for callers
that import them from this module.

Contracts:
- Whole-file problems raise `FileRefused` (Vietnamese message, nothing parsed).
- Cell problems never stop the read: each becomes a `CellError` whose message
  names the row and the column ("Dòng 14, cột 'Ngày hoàn thành': ..."), the row
  is still returned and the offending field is None.
- A cell longer than `max_cell_chars` is rejected as a cell (CellError, field
  None, `raw` keeps its first `max_cell_chars` characters), not the whole file.
- Memory stays bounded: the container is checked (size, entry count, declared
  and actual uncompressed sizes, compression ratio, DOCTYPE/ENTITY) before
  calamine sees it, and a sheet taller than `max_rows` plus a small allowance
  for title rows is refused before its cells are converted to Python objects.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import io
import re
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field
from functools import lru_cache
from typing import Any

import python_calamine

from data_access.cell_values import (
    CellValue,
    cell_text,
    column_letter,
    fold,
    fold_status,
    is_blank,
    parse_date,
    parse_number,
    parse_percent,
    parse_period,
    period_in_text,
    read_date,
)
from data_access.return_columns import INDICATOR_LOOKUP, STATUS_FIELDS, TASK_LOOKUP, TICK_STATES, TICKS, recognise
from data_access.status_text import (
    STATE_DONE,
    STATE_IN_PROGRESS,
    STATE_LABELS,
    STATE_NOT_STARTED,
    StatusReading,
    parse_state,
    read_status,
)
from data_access.status_text import message as status_message
from data_access.vn import fmt_period, nfc, search_key
from data_access.xlsx_safety import CellError, FileRefused, HiddenRows, check_container, inspect_container

# --- public constants -------------------------------------------------------

META_SHEET = "_meta"

TITLE_ROW_ALLOWANCE = 1000  # rows a sheet may have beyond max_rows before it is refused unread
HEADER_SEARCH_ROWS = 60
MAX_SHEET_CELLS = 5_000_000  # rows x columns of the used area; bounds to_python's memory

# --- public data types ------------------------------------------------------


@dataclass
class ReturnRow:
    """One data row of task status (fields are None when blank or invalid).

    Beyond the values: `status_text` is the status as the agency wrote it (the prose of a
    "Kết quả thực hiện" column, else the "Tình trạng" cell), shown beside the state it
    became; `state_source` says where the state was read ("state": a status column,
    "ticks": an "x" under Đã hoàn thành / Đang thực hiện / Chưa thực hiện, "prose": the
    prose column, "": no state written); `planned_on` is a planned date ("Dự kiến
    30/12/2026"), never a completion; `period` is the period the row's own sheet declares
    in its title rows (None when it declares none); `continuation_rows` are the 1-based
    rows merged into this one (a Word table pasted so that one task spans several rows).
    """

    sheet: str
    row: int
    code: str | None
    task_text: str | None
    lead_text: str | None
    state: str | None
    progress_pct: float | None
    completed_on: dt.date | None
    output_document: str | None
    difficulties: str | None
    raw: dict[str, str]
    status_text: str | None = None
    state_source: str = ""
    planned_on: dt.date | None = None
    period: str | None = None
    continuation_rows: tuple[int, ...] = ()


HIDDEN_SHEET = "hidden_sheet"
HIDDEN_ROW = "hidden_row"
INSTRUCTION_SHEET = "instruction_sheet"
OTHER_PERIOD = "other_period"


@dataclass(frozen=True)
class SkippedPart:
    """A sheet (`row` 0) or a row (1-based) left out on purpose; `kind` is one of HIDDEN_SHEET,
    HIDDEN_ROW, INSTRUCTION_SHEET, OTHER_PERIOD; `message` is the Vietnamese explanation."""

    sheet: str
    row: int
    kind: str
    message: str
    period: str | None = None


@dataclass
class IndicatorRow:
    """One row of the optional indicator sheet ("Chỉ tiêu")."""

    sheet: str
    row: int
    code: str | None
    name: str | None
    period: str | None
    value: float | None
    raw: dict[str, str]


@dataclass
class ParsedReturn:
    """Everything read from one workbook.

    `rows_read` counts the non-blank rows examined below the header rows of the
    task and indicator tables (section headings and numbering rows included, the
    signature block after "Nơi nhận:" excluded).
    """

    rows: list[ReturnRow]
    indicator_rows: list[IndicatorRow]
    errors: list[CellError]
    meta: dict[str, str]
    rows_read: int
    skipped: list[SkippedPart] = field(default_factory=list)  # hidden/instruction sheets, hidden rows
    sheet_periods: dict[str, str] = field(default_factory=dict)  # sheet -> period its title rows declare
    notes: list[str] = field(default_factory=list)  # Vietnamese notes about the workbook as a whole


@dataclass
class _Header:
    row: int  # 0-based index of the (lower) header row
    columns: dict[str, int]  # field -> 0-based column index
    labels: dict[int, str]  # column index -> header as written (NFC, folded)
    score: int


def _header_grid(rows: Sequence[Sequence[CellValue]], merges: list[tuple[tuple[int, int], tuple[int, int]]],
                 limit: int) -> dict[tuple[int, int], str]:
    """Merged header-area cells filled from their top-left cell (rows < limit only)."""
    filled: dict[tuple[int, int], str] = {}
    for (r1, c1), (r2, c2) in merges:
        if r1 >= limit or r1 >= len(rows) or (r1 == r2 and c1 == c2):
            continue
        top = rows[r1]
        if c1 >= len(top) or is_blank(top[c1]):
            continue
        text = cell_text(top[c1])
        for r in range(r1, min(r2, limit - 1, len(rows) - 1) + 1):
            for c in range(c1, min(c2, len(top) - 1) + 1):
                filled[(r, c)] = text
    return filled


def _cell_label(rows: Sequence[Sequence[CellValue]], filled: dict[tuple[int, int], str], r: int, c: int) -> str:
    if (r, c) in filled:
        return nfc(filled[(r, c)])
    row = rows[r]
    if c < len(row) and not is_blank(row[c]):
        return nfc(cell_text(row[c]))
    return ""


def _find_header(rows: Sequence[Sequence[CellValue]], filled: dict[tuple[int, int], str], width: int,
                 lookup: dict[str, str], limit: int) -> _Header | None:
    """Best-scoring header row among the first `limit` rows.

    A candidate row must recognise at least one column by itself; a blank cell in it
    takes the label of the cell above (two-row headers: the merged parent cell or
    a vertically merged label). Score = number of distinct fields recognised.
    """
    best: _Header | None = None
    for r in range(min(limit, len(rows))):
        own = 0
        columns: dict[str, int] = {}
        labels: dict[int, str] = {}
        for c in range(width):
            sub = _cell_label(rows, filled, r, c)
            label = sub
            name = recognise(sub, lookup) if sub else None
            if name is not None:
                own += 1
            elif not sub and r > 0:
                parent = _cell_label(rows, filled, r - 1, c)
                name = recognise(parent, lookup) if parent else None
                if name is not None:
                    label = parent
            if label:
                labels[c] = label
            if name is not None and name not in columns:
                columns[name] = c
        if own == 0:
            continue
        score = len(columns)
        if best is None or score > best.score:
            best = _Header(r, columns, labels, score)
    return best


def _is_task_header(header: _Header | None) -> bool:
    """A task table: a code or task column and a usable status column (a state, prose, tick
    or progress column; a date alone never says a task is done)."""
    if header is None:
        return False
    cols = header.columns
    return ("code" in cols or "task" in cols) and bool(STATUS_FIELDS & cols.keys())


def _is_statusless_task_header(header: _Header | None) -> bool:
    """A task table without any usable status column (a plan's own table, dates only, ...)."""
    if header is None:
        return False
    cols = header.columns
    return "task" in cols and not STATUS_FIELDS & cols.keys() and len(cols) >= 2


def _is_indicator_header(header: _Header | None) -> bool:
    if header is None:
        return False
    cols = header.columns
    return ("ind_code" in cols or "ind_name" in cols) and "ind_value" in cols


def _int_vi(number: int) -> str:
    """20000 -> `20.000`."""
    return f"{number:,}".replace(",", ".")


# --- reading ----------------------------------------------------------------

_ENUMERATOR = re.compile(r"(?:[IVXLC]+|[A-ZĐ])\.?")
_NUMBERING_CELL = re.compile(r"\(?(?:[0-9]{1,2}|[A-Z])\)?(?:\s*[=+*x-]\s*\(?(?:[0-9]{1,2}|[A-Z])\)?)*")
# The first line of a provincial agency's letterhead (the agency it reports to).
_GOVERNING_BODIES = ("ubnd tinh", "uy ban nhan dan tinh")
# ... and how the agency's own line under it begins (a title "BÁO CÁO …" is not an agency).
_AGENCY_HEADS = ("so ", "ban ", "van phong", "thanh tra", "trung tam", "chi cuc", "cong an", "bo chi huy")
_AGENCY_LABELS = frozenset({
    "co quan bao cao", "don vi bao cao", "co quan", "don vi", "co quan/don vi", "co quan don vi",
    "co quan/don vi bao cao", "co quan don vi bao cao", "ten co quan", "ten don vi",
})


_TICK_MARKS = frozenset({"x", "✓", "✔", "√", "v", "☑", "☒", "×", "✗", "✘", "ü", "þ", "●", "•", "+", "1", "có", "co"})
_UNTICKED = frozenset({"0", "-", "–", "—", "không", "khong"})
_INSTRUCTION_NAMES = frozenset({
    "hd", "mau", "mau vi du", "bang mau", "mau dien", "mau huong dan", "vi du", "huong dan", "example", "examples",
    "instruction", "instructions", "sample", "guide",
})
_INSTRUCTION_PREFIXES = ("huong dan", "vi du", "hd ", "cach dien", "cach ghi", "mau vi du", "mau (vi du")
_TECHNICAL_SHEETS = frozenset({"danhmuc", "danh muc", "lists", "list"})


def _is_instruction_name(name: str) -> bool:
    """ "Hướng dẫn", "HD", "Ví dụ", "Mẫu", "Hướng dẫn điền" (a sheet named "Mẫu số 01" is a return)."""
    key = search_key(name)
    return key in _INSTRUCTION_NAMES or key.startswith(_INSTRUCTION_PREFIXES)


def _is_instruction_title(title_rows: list[list[CellValue]]) -> bool:
    """A sheet whose title says "HƯỚNG DẪN ..." / "VÍ DỤ ..." (its first title cell, or a title in
    capitals) and that has no "BÁO CÁO ..." title. A note such as the template's "Hướng dẫn: chỉ
    điền ..." (a colon after the word) is not a title."""
    says_guide = False
    first = True
    for row in title_rows:
        for value in row:
            if type(value) is not str or is_blank(value):
                continue
            key = search_key(value)
            if key.startswith("bao cao"):
                return False
            text = value.strip()
            if (key.startswith(("huong dan", "vi du", "mau vi du")) and ":" not in text[:20]
                    and (first or text.isupper())):
                says_guide = True
            first = False
    return says_guide


@dataclass
class _Status:
    """What one row says about its state (see `_Reader._status`)."""

    state: str | None = None
    source: str = ""
    progress: float | None = None
    completed_on: dt.date | None = None
    planned_on: dt.date | None = None
    text: str | None = None


UNKNOWN_STATE = "không phải là tình trạng hợp lệ (dùng: Đã hoàn thành / Đang thực hiện / Chưa thực hiện)"


def _at(row: list[CellValue], c: int | None) -> CellValue:
    return row[c] if c is not None and c < len(row) else None


def _short(text: str, limit: int = 80) -> str:
    return text if len(text) <= limit else text[: limit - 1] + "…"


def _task_spans(merges: list[tuple[tuple[int, int], tuple[int, int]]], start: int,
                task_cols: list[int | None]) -> dict[int, int]:
    """Row index -> first row index of a merged STT/code cell spanning several data rows (one task
    whose paragraphs a pasted Word table spread over several rows)."""
    spans: dict[int, int] = {}
    cols = [c for c in task_cols if c is not None]
    for (r1, c1), (r2, c2) in merges:
        if r2 > r1 and r1 >= start and any(c1 <= c <= c2 for c in cols):
            for r in range(r1 + 1, r2 + 1):
                spans[r] = r1
    return spans


class _Reader:
    def __init__(self, max_rows: int, max_cell_chars: int) -> None:
        self.max_rows = max_rows
        self.max_cell_chars = max_cell_chars
        self.errors: list[CellError] = []
        self.rows: list[ReturnRow] = []
        self.indicator_rows: list[IndicatorRow] = []
        self.meta: dict[str, str] = {}
        self.title_meta: dict[str, str] = {}
        self.rows_read = 0
        self.skipped: list[SkippedPart] = []
        self.sheet_periods: dict[str, str] = {}
        self.notes: list[str] = []
        self.statusless: list[str] = []  # sheets with a task table but no status column
        self._raw_keys: list[str] = []
        self._hidden: HiddenRows | None = None

    # -- workbook --

    def read(self, data: bytes, hidden: dict[str, set[int]]) -> ParsedReturn:
        try:
            workbook = python_calamine.CalamineWorkbook.from_filelike(io.BytesIO(data))
        except python_calamine.PasswordError:
            raise FileRefused("Tệp được đặt mật khẩu nên không đọc được; hãy gỡ mật khẩu rồi lưu lại dạng .xlsx.") from None
        except Exception:  # noqa: BLE001 - calamine raises several types for broken files
            raise FileRefused("Không đọc được tệp .xlsx (tệp bị hỏng hoặc không đúng định dạng).") from None
        self._hidden = HiddenRows(data, hidden)
        with workbook:
            found = False
            for info in workbook.sheets_metadata:
                if info.typ != python_calamine.SheetTypeEnum.WorkSheet:
                    continue
                if info.name.strip().lower() == META_SHEET:
                    self._read_meta_sheet(self._load(workbook, info.name)[0])
                    continue
                if info.visible != python_calamine.SheetVisibleEnum.Visible:
                    if not info.name.startswith("_") and search_key(info.name) not in _TECHNICAL_SHEETS:
                        self.skipped.append(SkippedPart(
                            info.name, 0, HIDDEN_SHEET, f"Trang '{info.name}' đang ẩn nên không được đọc."))
                    continue
                if _is_instruction_name(info.name):
                    self.skipped.append(SkippedPart(
                        info.name, 0, INSTRUCTION_SHEET,
                        f"Trang '{info.name}' là trang hướng dẫn/ví dụ nên không được đọc."))
                    continue
                found = self._read_sheet(workbook, info.name) or found
        if not found:
            if self.statusless:
                sheets = ", ".join(f"'{name}'" for name in self.statusless)
                raise FileRefused(
                    f"Bảng nhiệm vụ ở trang {sheets} không có cột tình trạng nên không biết nhiệm vụ nào đã hoàn "
                    "thành: cần một cột 'Tình trạng', 'Kết quả thực hiện', 'Tỷ lệ hoàn thành (%)' hoặc các cột đánh "
                    "dấu 'Đã hoàn thành' / 'Đang thực hiện' / 'Chưa thực hiện'. Cột 'Thời gian hoàn thành' (hoặc "
                    "'Thời hạn') của kế hoạch là thời hạn, không phải ngày hoàn thành."
                )
            raise FileRefused(
                "Không tìm thấy bảng báo cáo trong tệp: cần một dòng tiêu đề có cột 'Mã nhiệm vụ' hoặc "
                "'Nội dung nhiệm vụ' và ít nhất một cột 'Tình trạng', 'Tỷ lệ hoàn thành (%)' hoặc "
                "'Ngày hoàn thành' (hoặc trang 'Chỉ tiêu' có cột 'Tên chỉ tiêu' và 'Giá trị')."
            )
        for key, value in self.title_meta.items():
            self.meta.setdefault(key, value)
        if "period" not in self.meta:
            self._period_from_sheets()
        return ParsedReturn(self.rows, self.indicator_rows, self.errors, self.meta, self.rows_read,
                            skipped=self.skipped, sheet_periods=self.sheet_periods, notes=self.notes)

    def _period_from_sheets(self) -> None:
        """The workbook's period from its sheets' titles: the one quarter they name; with several
        quarters (one sheet per quarter) none, and a note listing them."""
        quarters = sorted({p for p in self.sheet_periods.values() if "-Q" in p})
        others = sorted(set(self.sheet_periods.values()) - set(quarters))
        if len(quarters) == 1:
            self.meta["period"] = quarters[0]
        elif len(quarters) > 1:
            listed = ", ".join(f"trang '{s}' ({fmt_period(p)})" for s, p in self.sheet_periods.items() if "-Q" in p)
            self.notes.append(f"Tệp có báo cáo của {len(quarters)} kỳ: {listed}. Hãy chọn kỳ báo cáo; các trang "
                              "của kỳ khác được bỏ qua.")
        elif others:
            self.meta["period"] = others[0]

    def _load(self, workbook: python_calamine.CalamineWorkbook, name: str) -> tuple[list[list[CellValue]], Any]:
        try:
            sheet = workbook.get_sheet_by_name(name)
        except Exception:  # noqa: BLE001 - as above
            raise FileRefused(f"Không đọc được trang tính '{name}' (dữ liệu bị hỏng).") from None
        limit = self.max_rows + TITLE_ROW_ALLOWANCE
        end = sheet.end
        if end is not None and end[0] + 1 > limit:
            self._too_many_rows(name)
        if end is not None and (end[0] + 1) * (end[1] + 1) > MAX_SHEET_CELLS:
            message = (
                f"Trang '{name}' có dữ liệu trải quá rộng (đến cột {column_letter(end[1])}, dòng {end[0] + 1}). "
                "Hãy xoá các cột, dòng thừa rồi tải lên lại."
            )
            raise FileRefused(message, [CellError(name, 0, "", "", message)])
        return sheet.to_python(skip_empty_area=False, nrows=limit), sheet

    def _too_many_rows(self, sheet: str) -> None:
        message = (
            f"Trang '{sheet}' có quá nhiều dòng (tối đa {_int_vi(self.max_rows)} dòng dữ liệu). "
            "Hãy tách tệp hoặc xoá các dòng thừa."
        )
        raise FileRefused(message, [CellError(sheet, 0, "", "", message)])

    def _read_meta_sheet(self, rows: list[list[CellValue]]) -> None:
        for row in rows:
            if len(row) < 2 or is_blank(row[0]) or is_blank(row[1]):
                continue
            key = search_key(cell_text(row[0])).replace(" ", "_")
            value = nfc(cell_text(row[1]))[: self.max_cell_chars]
            if key == "period":
                with contextlib.suppress(ValueError):  # kept as written; the caller validates
                    value = parse_period(value) or value
            self.meta[key] = value

    # -- sheets --

    def _read_sheet(self, workbook: python_calamine.CalamineWorkbook, name: str) -> bool:
        rows, sheet = self._load(workbook, name)
        if not rows:
            return False
        width = max((len(row) for row in rows[:HEADER_SEARCH_ROWS + 1]), default=0)
        merges = sheet.merged_cell_ranges or []
        filled = _header_grid(rows, merges, HEADER_SEARCH_ROWS + 1)
        task_header = _find_header(rows, filled, width, TASK_LOOKUP, HEADER_SEARCH_ROWS)
        ind_header = _find_header(rows, filled, width, INDICATOR_LOOKUP, HEADER_SEARCH_ROWS)
        is_task, is_ind = _is_task_header(task_header), _is_indicator_header(ind_header)
        if is_task and is_ind:
            prefer_ind = "chi tieu" in search_key(name) or (
                ind_header is not None and task_header is not None and ind_header.score > task_header.score
            )
            is_task, is_ind = not prefer_ind, prefer_ind
        header = task_header if is_task else ind_header if is_ind else None
        if header is None:
            if _is_statusless_task_header(task_header):
                self.statusless.append(name)
            return False
        if _is_instruction_title(rows[: header.row]):
            self.skipped.append(SkippedPart(
                name, 0, INSTRUCTION_SHEET,
                f"Trang '{name}' là trang hướng dẫn/ví dụ (tiêu đề 'Hướng dẫn'/'Ví dụ') nên không được đọc."))
            return True
        period = self._read_titles(rows[: header.row]) or period_in_text(name)
        if period is not None:
            self.sheet_periods[name] = period
        data_start = header.row + 1
        cols = header.columns
        spans = _task_spans(merges, data_start, [cols.get("stt"), cols.get("code")]) if is_task else {}
        self._fill_vertical_merges(rows, merges, data_start, spans)
        data_width = max(width, max((len(row) for row in rows), default=0))
        columns = [header.labels.get(c) or column_letter(c) for c in range(data_width)]
        self._raw_keys = _unique_keys(columns)
        assert self._hidden is not None
        hidden = self._hidden.rows(name) if len(rows) > data_start else set()
        if is_task:
            self._read_task_rows(name, rows, data_start, header, columns, hidden, spans, period)
        else:
            self._read_indicator_rows(name, rows, data_start, header, columns, hidden)
        return True

    def _read_titles(self, title_rows: list[list[CellValue]]) -> str | None:
        """The period a sheet's title names ("BÁO CÁO ... QUÝ III/2026"); the agency from
        "Cơ quan báo cáo: X" goes to the workbook's title meta (first sheet that names one)."""
        period: str | None = None
        governing = False  # the previous non-blank title row was the letterhead's "UBND TỈNH …" line
        for row in title_rows:
            cells = [nfc(cell_text(v)) for v in row if not is_blank(v)]
            if cells:
                # Letterhead (Nghị định 30/2020): the governing body, then the issuing agency under it.
                if governing and "letterhead" not in self.title_meta and search_key(cells[0]).startswith(_AGENCY_HEADS):
                    self.title_meta["letterhead"] = cells[0][: self.max_cell_chars]
                governing = search_key(cells[0]).startswith(_GOVERNING_BODIES)
            for i, text in enumerate(cells):
                if period is None and (found := period_in_text(text)):
                    period = found
                label, colon, rest = text.partition(":")
                if colon and "agency" not in self.title_meta and search_key(label) in _AGENCY_LABELS:
                    agency = rest.strip() or (cells[i + 1] if i + 1 < len(cells) else "")
                    if agency:
                        self.title_meta["agency"] = agency[: self.max_cell_chars]
        return period

    @staticmethod
    def _fill_vertical_merges(rows: list[list[CellValue]], merges: list[tuple[tuple[int, int], tuple[int, int]]],
                              start: int, spans: dict[int, int]) -> None:
        """A value merged down over several data rows applies to each of them (first column only),
        except inside one task's rows (`spans`: a merged STT/code cell), which are merged as one row."""
        for (r1, c1), (r2, _c2) in merges:
            if r2 <= r1 or r1 < start or r1 >= len(rows) or spans.get(r2) == r1:
                continue
            top = rows[r1]
            if c1 >= len(top) or is_blank(top[c1]):
                continue
            for r in range(r1 + 1, min(r2, len(rows) - 1) + 1):
                row = rows[r]
                if c1 < len(row) and is_blank(row[c1]):
                    row[c1] = top[c1]

    def _data_rows(self, sheet: str, rows: list[list[CellValue]], start: int, used: list[int],
                   values: list[int], hidden: set[int]) -> Iterator[tuple[int, list[CellValue]]]:
        """Yield (index, row) for non-blank, visible data rows (in the used columns), skipping numbering rows."""
        count = 0
        leading = True
        for index in range(start, len(rows)):
            row = rows[index]
            n = len(row)
            if all(c >= n or is_blank(row[c]) for c in used):
                continue
            if index in hidden:
                self.skipped.append(SkippedPart(sheet, index + 1, HIDDEN_ROW,
                                                f"Trang '{sheet}', dòng {index + 1} đang ẩn nên không được đọc."))
                continue
            if _is_footer_row(row) and all(c >= n or is_blank(row[c]) or _is_footer_text(row[c]) for c in values):
                return  # "Nơi nhận:" / signature block: the table has ended
            count += 1
            if count > self.max_rows:
                self._too_many_rows(sheet)
            self.rows_read += 1
            if leading and _is_numbering_row(row):
                continue
            leading = False
            yield index, row

    def _cell_text(self, sheet: str, index: int, column: str, value: CellValue) -> str | None:
        """Folded NFC text, or None (blank, or too long -> CellError)."""
        if type(value) is str:
            if not value or value.isspace():
                return None
            text = value
        elif value is None:
            return None
        else:
            text = cell_text(value)
        if len(text) > self.max_cell_chars:
            self._too_long(sheet, index, column, text)
            return None
        return fold(text)

    def _too_long(self, sheet: str, index: int, column: str, text: str) -> None:
        self.errors.append(CellError(
            sheet, index + 1, column, text[:200] + "…",
            f"Dòng {index + 1}, cột '{column}': nội dung dài {_int_vi(len(text))} ký tự, "
            f"vượt quá giới hạn {_int_vi(self.max_cell_chars)} ký tự",
        ))

    def _error(self, sheet: str, index: int, column: str, value: CellValue, message: str) -> None:
        self.errors.append(CellError(sheet, index + 1, column, cell_text(value)[:200],
                                     f"Dòng {index + 1}, cột '{column}': {message}"))

    def _parse_cell(self, sheet: str, index: int, column: str, value: CellValue,
                    parser: Callable[[CellValue], Any]) -> Any:
        if is_blank(value):
            return None
        if isinstance(value, str):
            if len(value) > self.max_cell_chars:
                self._too_long(sheet, index, column, value)
                return None
            value = value.strip()
        try:
            return parser(value)
        except ValueError as exc:
            self.errors.append(CellError(sheet, index + 1, column, cell_text(value), f"Dòng {index + 1}, cột '{column}': {exc}"))
            return None

    def _raw(self, row: list[CellValue], keys: list[str]) -> dict[str, str]:
        """header -> cell text as read (cut to max_cell_chars); `keys` are unique per sheet."""
        limit = self.max_cell_chars
        return {key: (v if type(v) is str else cell_text(v))[:limit] for key, v in zip(keys, row, strict=False)}

    def _logical_rows(self, sheet: str, rows: list[list[CellValue]], start: int, header: _Header,
                      hidden: set[int], spans: dict[int, int]) -> Iterator[tuple[int, list[CellValue], list[int]]]:
        """Data rows with the continuation rows of a pasted Word table merged into the task row
        above them: (index, cells, continuation indexes). A row continues the one above when it
        lies in the same merged STT/code cell, or when the table numbers its rows (STT), the row
        above is numbered, and this one is adjacent, has no STT, no code and no state, progress,
        date or tick: only text that carries on the task's paragraphs or extra cells."""
        cols = header.columns
        used = sorted(c for name, c in cols.items() if name != "stt")
        c_stt, c_code = cols.get("stt"), cols.get("code")
        values = [cols[name] for name in ("state", "progress", "completed_on", *TICKS) if name in cols]
        footer_values = [*values, *([cols["prose"]] if "prose" in cols else [])]
        data_rows = self._data_rows(sheet, rows, start, used, footer_values, hidden)
        if c_stt is None and not spans:  # no row numbers, no merged task cells: no continuation rows
            for index, row in data_rows:
                yield index, row, []
            return
        pending: tuple[int, list[CellValue], list[int]] | None = None
        last = -2
        for index, row in data_rows:
            if pending is not None:
                span = spans.get(index) if spans else None
                if (span is not None and span <= pending[0] <= index) or (
                    c_stt is not None and is_blank(_at(row, c_stt)) and index == last + 1
                    and not is_blank(_at(pending[1], c_stt)) and (c_code is None or is_blank(_at(row, c_code)))
                    and all(is_blank(_at(row, c)) for c in values)
                ):
                    pending = self._merge_rows(sheet, pending, index, row)
                    last = index
                    continue
                yield pending
            pending = (index, row, [])
            last = index
        if pending is not None:
            yield pending

    def _merge_rows(self, sheet: str, pending: tuple[int, list[CellValue], list[int]], index: int,
                    row: list[CellValue]) -> tuple[int, list[CellValue], list[int]]:
        """Texts are joined; a value only the continuation row has is taken; two different
        non-text values for the same task are a cell error (nothing is chosen)."""
        first, cells, more = pending
        cells = list(cells) if not more else cells
        for c, value in enumerate(row):
            if is_blank(value):
                continue
            if c >= len(cells):
                cells.extend([None] * (c + 1 - len(cells)))
            old = cells[c]
            if is_blank(old):
                cells[c] = value
            elif old == value:
                continue
            elif type(old) is str and type(value) is str:
                cells[c] = f"{old}\n{value}"
            else:
                column = self._raw_keys[c] if c < len(self._raw_keys) else column_letter(c)
                self._error(sheet, first, column, value,
                            f"dòng {index + 1} (phần tiếp theo của nhiệm vụ này) ghi giá trị khác "
                            f"('{cell_text(value)}' và '{cell_text(old)}')")
        return first, cells, [*more, index]

    def _read_task_rows(self, sheet: str, rows: list[list[CellValue]], start: int, header: _Header,
                        columns: list[str], hidden: set[int], spans: dict[int, int], period: str | None) -> None:
        cols = header.columns
        c_code, c_task, c_lead = cols.get("code"), cols.get("task"), cols.get("lead")
        c_state, c_prog, c_date, c_prose = cols.get("state"), cols.get("progress"), cols.get("completed_on"), cols.get("prose")
        c_out = cols.get("output_document", cols.get("output_maybe"))
        c_diff = cols.get("difficulties")
        ticks = [(name, cols[name]) for name in TICKS if name in cols]
        # Column indexes in one list (-1 when absent) so each row is sliced once, without helper calls.
        wanted = [c if c is not None else -1 for c in (c_state, c_prog, c_date, c_out, c_diff, c_lead, c_code, c_task,
                                                      c_prose)]
        report_cols = [c for c in (c_state, c_prog, c_date, c_out, c_diff, c_lead, c_prose) if c is not None]
        report_cols += [c for _, c in ticks]
        for index, row, more in self._logical_rows(sheet, rows, start, header, hidden, spans):
            n = len(row)
            v_state, v_prog, v_date, v_out, v_diff, v_lead, v_code, v_task, v_prose = [
                row[c] if 0 <= c < n else None for c in wanted]
            if all(c >= n or is_blank(row[c]) for c in report_cols) and not _is_real_code(v_code):
                continue  # section heading ("I. CẢI CÁCH THỂ CHẾ") or a task with nothing reported
            code = self._cell_text(sheet, index, columns[c_code], v_code) if c_code is not None else None
            task = self._cell_text(sheet, index, columns[c_task], v_task) if c_task is not None else None
            status = self._status(sheet, index, row, cols, columns, ticks)
            record = ReturnRow(
                sheet=sheet,
                row=index + 1,
                code=code,
                task_text=task,
                lead_text=self._cell_text(sheet, index, columns[c_lead], v_lead) if c_lead is not None else None,
                state=status.state,
                progress_pct=status.progress,
                completed_on=status.completed_on,
                output_document=self._cell_text(sheet, index, columns[c_out], v_out) if c_out is not None else None,
                difficulties=self._cell_text(sheet, index, columns[c_diff], v_diff) if c_diff is not None else None,
                raw=self._raw(row, self._raw_keys),
                status_text=status.text,
                state_source=status.source,
                planned_on=status.planned_on,
                period=period,
                continuation_rows=tuple(i + 1 for i in more),
            )
            if is_blank(v_code) and is_blank(v_task):
                column = columns[c_code] if c_code is not None else columns[c_task] if c_task is not None else ""
                self.errors.append(CellError(
                    sheet, index + 1, column, "",
                    f"Dòng {index + 1}: thiếu cả mã và nội dung nhiệm vụ nên không xác định được nhiệm vụ",
                ))
            self.rows.append(record)

    def _status(self, sheet: str, index: int, row: list[CellValue], cols: dict[str, int], columns: list[str],
                ticks: list[tuple[str, int]]) -> _Status:
        """State, progress and dates of one row from its tick, state, progress, date and prose cells.

        The explicit state (a tick, else the state column) wins; prose decides only when there is
        none, and contradicts it only on done / not done (then the row gets a cell error). A
        progress or date column wins over a percentage or date read from text.
        """
        out = _Status()
        n = len(row)
        c_state, c_prog, c_date, c_prose = cols.get("state"), cols.get("progress"), cols.get("completed_on"), cols.get("prose")
        readings: list[StatusReading] = []  # what the texts said, in order of precedence
        tick_column = ""
        if ticks:
            tick_column = self._ticks(sheet, index, row, columns, ticks, out, readings)
        # the state column
        v_state = row[c_state] if c_state is not None and c_state < n else None
        v_prog = row[c_prog] if c_prog is not None and c_prog < n else None
        if v_state is not None and not is_blank(v_state):
            column = columns[c_state]  # type: ignore[index]
            if type(v_state) is str:
                if len(v_state) > self.max_cell_chars:
                    self._too_long(sheet, index, column, v_state)
                    found = None
                else:
                    out.text = fold_status(v_state)
                    found = read_status(out.text)
            else:
                found = None
            if found is not None and not found.reason:
                readings.append(found)
                if found.state is not None:
                    if out.state is None:
                        out.state, out.source = found.state, "state"
                    elif (out.state == STATE_DONE) != (found.state == STATE_DONE):
                        self._error(sheet, index, column, v_state,
                                    f"'{out.text}' mâu thuẫn với dấu đánh ở cột '{tick_column}'")
            elif found is not None and not out.text.endswith("%"):  # type: ignore[union-attr]
                self._error(sheet, index, column, v_state, status_message(out.text or "", found))
            elif found is not None or type(v_state) is not str:
                # A number or a bad "…%" in the status column: it is a progress column ("Tiến độ thực hiện: 80%").
                if v_prog is None or is_blank(v_prog):
                    out.progress = self._parse_cell(sheet, index, column, v_state, parse_percent)
                    if out.progress is not None:
                        readings.append(StatusReading(progress=out.progress))
                else:
                    self._error(sheet, index, column, v_state, f"'{cell_text(v_state)}' {UNKNOWN_STATE}")
        # the prose column
        v_prose = row[c_prose] if c_prose is not None and c_prose < n else None
        if v_prose is not None and not is_blank(v_prose):
            column = columns[c_prose]  # type: ignore[index]
            text = self._cell_text(sheet, index, column, v_prose)
            if text is not None:
                out.text = text
                found = read_status(text)
                if found.reason:
                    if out.state is None and (v_prog is None or is_blank(v_prog)) and out.progress is None:
                        self._error(sheet, index, column, v_prose, status_message(_short(text), found))
                elif found.state is not None and out.state is not None and (
                        (out.state == STATE_DONE) != (found.state == STATE_DONE)):
                    source = tick_column if out.source == "ticks" else columns[c_state] if c_state is not None else ""
                    self._error(sheet, index, column, v_prose,
                                f"nội dung '{_short(text)}' cho thấy '{STATE_LABELS[found.state]}' nhưng cột "
                                f"'{source}' ghi '{STATE_LABELS[out.state]}'")
                else:
                    readings.append(found)
                    if out.state is None and found.state is not None:
                        out.state, out.source = found.state, "prose"
        # progress and dates: a column wins over what a text says
        if v_prog is not None and not is_blank(v_prog):
            out.progress = self._parse_cell(sheet, index, columns[c_prog], v_prog, parse_percent)  # type: ignore[index]
        elif out.progress is None:
            out.progress = next((r.progress for r in readings if r.progress is not None), None)
        v_date = row[c_date] if c_date is not None and c_date < n else None
        if v_date is not None and not is_blank(v_date):
            day = self._parse_cell(sheet, index, columns[c_date], v_date, read_date)  # type: ignore[index]
            if day is not None:
                if day[1]:
                    out.planned_on = day[0]
                else:
                    out.completed_on = day[0]
        for found in readings:
            if found.date is None:
                continue
            if found.date_planned:
                out.planned_on = out.planned_on or found.date
            elif out.completed_on is None and out.state == STATE_DONE:
                out.completed_on = found.date
        return out

    def _ticks(self, sheet: str, index: int, row: list[CellValue], columns: list[str], ticks: list[tuple[str, int]],
               out: _Status, readings: list[StatusReading]) -> str:
        """Read the tick columns into `out` (state) and `readings` (a date or % written in place of
        the tick); returns the label of the ticked column ("" when none)."""
        ticked: list[tuple[str, int]] = []
        for name, c in ticks:
            value = row[c] if c < len(row) else None
            if is_blank(value):
                continue
            mark = cell_text(value).strip().casefold()
            if mark in _UNTICKED:
                continue
            if mark in _TICK_MARKS:
                ticked.append((name, c))
                continue
            if name == "tick_done" and isinstance(value, (dt.date, str)):
                with contextlib.suppress(ValueError):
                    day, planned = read_date(value)
                    if day is not None and not planned:
                        ticked.append((name, c))
                        readings.append(StatusReading(state=STATE_DONE, date=day))
                        continue
            if name == "tick_progress" and _looks_like_percent(value):
                with contextlib.suppress(ValueError):
                    pct = parse_percent(value)
                    ticked.append((name, c))
                    readings.append(StatusReading(state=STATE_IN_PROGRESS, progress=pct))
                    continue
            self._error(sheet, index, columns[c], value,
                        f"'{cell_text(value)}' không phải là dấu đánh (hãy đánh 'x' vào đúng một cột tình trạng)")
        if len(ticked) > 1:
            labels = " và ".join(f"'{columns[c]}'" for _, c in ticked)
            self._error(sheet, index, columns[ticked[0][1]], "x",
                        f"đánh dấu ở nhiều cột tình trạng ({labels}); chỉ đánh một cột")
            return ""
        if ticked:
            out.state, out.source = TICK_STATES[ticked[0][0]], "ticks"
            return columns[ticked[0][1]]
        return ""

    def _read_indicator_rows(self, sheet: str, rows: list[list[CellValue]], start: int, header: _Header,
                             columns: list[str], hidden: set[int]) -> None:
        cols = header.columns
        used = sorted(cols.values())
        c_code, c_name = cols.get("ind_code"), cols.get("ind_name")
        c_period, c_value = cols.get("ind_period"), cols.get("ind_value")
        value_cols = [c_value] if c_value is not None else []
        for index, row in self._data_rows(sheet, rows, start, used, value_cols, hidden):
            n = len(row)

            def cell(c: int | None, row: list[CellValue] = row, n: int = n) -> CellValue:
                return row[c] if c is not None and c < n else None

            v_code, v_name, v_period, v_value = cell(c_code), cell(c_name), cell(c_period), cell(c_value)
            if is_blank(v_value) and is_blank(v_period) and not _is_real_code(v_code):
                continue  # group heading
            self.indicator_rows.append(IndicatorRow(
                sheet=sheet,
                row=index + 1,
                code=self._cell_text(sheet, index, columns[c_code], v_code) if c_code is not None else None,
                name=self._cell_text(sheet, index, columns[c_name], v_name) if c_name is not None else None,
                period=self._parse_cell(sheet, index, columns[c_period], v_period, parse_period) if c_period is not None else None,
                value=self._parse_cell(sheet, index, columns[c_value], v_value, parse_number) if c_value is not None else None,
                raw=self._raw(row, self._raw_keys),
            ))


def _unique_keys(columns: list[str]) -> list[str]:
    """Column headers made unique for `raw`: a repeated header gets its column letter."""
    keys: list[str] = []
    seen: set[str] = set()
    for c, label in enumerate(columns):
        key = label if label not in seen else f"{label} ({column_letter(c)})"
        seen.add(key)
        keys.append(key)
    return keys


def _looks_like_percent(value: CellValue) -> bool:
    """A number, or text ending in "%" (what a status column holds when it is really a progress column)."""
    if type(value) is float or type(value) is int:
        return True
    return type(value) is str and value.strip().endswith("%")


def _is_real_code(value: CellValue) -> bool:
    """A task/indicator code rather than blank or a section enumerator ("I", "II", "A")."""
    if is_blank(value):
        return False
    text = cell_text(value).strip()
    return not _ENUMERATOR.fullmatch(text) and len(text) <= 40 and " " not in text


_FOOTER_STARTS = (
    "noi nhan", "nguoi lap", "thu truong", "xac nhan cua", "ky ten", "ky ghi ro", "ky va ghi ro", "ky dong dau",
    "ky ten dong dau", "lanh dao don vi", "lanh dao co quan", "nguoi tong hop", "nguoi bao cao",
)
# The title of an agency's head in a signature block, with the delegation prefixes (KT., Q., TL.,
# TUQ., TM., "PHÓ ..."): "KT. GIÁM ĐỐC", "Q. CHÁNH VĂN PHÒNG", "TL. CHỦ TỊCH", "PHÓ TRƯỞNG BAN".
_HEAD_TITLE = re.compile(
    r"^(?:(?:kt|q|tl|tuq|thua lenh|thua uy quyen|quyen)\s+)?(?:pho\s+)?"
    r"(?:giam doc|chanh van phong|chanh thanh tra|truong ban|chu tich|vien truong|hieu truong|tong giam doc"
    r"|cuc truong|chi cuc truong|truong phong|tong bien tap|chanh an|thu truong|truong dai dien|bi thu"
    r"|truong khoa)\b"
    r"|^tm\s+\S"  # "TM. ỦY BAN NHÂN DÂN", "TM. BAN GIÁM ĐỐC"
)
# "Nha Trang, ngày 10 tháng 10 năm 2026" above the signature.
_PLACE_DATE = re.compile(r"^[^\d,]{2,40},\s*ngày\s+[0-9.]{1,2}\s+tháng\s+[0-9.]{1,2}\s+năm\s+[0-9]{4}$", re.IGNORECASE)


def _is_footer_row(row: list[CellValue]) -> bool:
    """The signature block under the table ("Nơi nhận:", "KT. GIÁM ĐỐC", "NGƯỜI LẬP BIỂU")."""
    cells: list[CellValue] = []
    for value in row:
        if not is_blank(value):
            if len(cells) == 3:
                return False
            cells.append(value)
    return any(_is_footer_text(v) for v in cells)


@lru_cache(maxsize=4096)
def _footer_key(value: str) -> bool:
    if len(value) >= 80:
        return False
    key = search_key(value.strip("() "))
    if key.startswith(_FOOTER_STARTS) or (len(value) < 50 and _HEAD_TITLE.match(key) is not None):
        return True
    return _PLACE_DATE.match(nfc(value)) is not None


def _is_footer_text(value: CellValue) -> bool:
    return type(value) is str and _footer_key(value)


def _is_numbering_row(row: list[CellValue]) -> bool:
    """The "(1) (2) (3) ..." row many Vietnamese reports put under the header."""
    cells = [v for v in row if not is_blank(v)]
    if len(cells) < 3:
        return False
    for value in cells:
        if isinstance(value, float):
            if not (value.is_integer() and 0 < value < 100):
                return False
        elif not (isinstance(value, str) and _NUMBERING_CELL.fullmatch(value.strip())):
            return False
    texts = [cell_text(v).strip("() ") for v in cells]
    return len(set(texts)) == len(texts)


def read_return(data: bytes, *, max_bytes: int = 10 * 1024 * 1024, max_rows: int = 20000,
                max_cell_chars: int = 5000) -> ParsedReturn:
    """Check and read one quarterly-return workbook; raises FileRefused for whole-file problems.

    Reads every visible sheet (plus the hidden `_meta` sheet) and keeps the
    ones with a recognisable task or indicator table. `max_rows` bounds the
    non-blank data rows per sheet; longer cells become CellErrors.
    """
    hidden = inspect_container(data, max_bytes=max_bytes)
    return _Reader(max_rows, max_cell_chars).read(data, hidden)


__all__ = [
    "STATE_DONE",
    "STATE_IN_PROGRESS",
    "STATE_NOT_STARTED",
    "CellError",
    "FileRefused",
    "IndicatorRow",
    "ParsedReturn",
    "ReturnRow",
    "check_container",
    "column_letter",
    "parse_date",
    "parse_number",
    "parse_percent",
    "parse_period",
    "parse_state",
    "read_return",
]
