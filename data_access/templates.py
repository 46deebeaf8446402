"""The per-agency quarterly-return template (.xlsx, written with openpyxl).

`build_template(engine, agency_id, period)` returns a workbook that `xlsx_reader`
reads back without guessing:

- sheet "Báo cáo": the official title rows (issuing authority, national motto,
  "BÁO CÁO ... QUÝ III/2026"), the header row, one row per OPEN lead assignment
  of the agency and its divisions (not completed as of the period's last day),
  with the code, task, lead, deadline and last reported status filled in and
  locked; only the input columns are unlocked (sheet protection without a
  password, to prevent accidents rather than to secure anything);
- dropdown for the status from the hidden sheet "DanhMuc", percent and date validation;
- sheet "Chỉ tiêu": the key indicators reported quarterly (code | name | unit | period | value);
- hidden sheet "_meta": template_version, agency, period (the reader's `meta`).
"""

from __future__ import annotations

import io
from typing import Any

from openpyxl import Workbook
from openpyxl.styles import Alignment, Border, Font, PatternFill, Protection, Side
from openpyxl.worksheet.datavalidation import DataValidation
from openpyxl.worksheet.worksheet import Worksheet
from sqlalchemy import select
from sqlalchemy.engine import Engine

from data_access import models as m
from data_access.clock import today_vn
from data_access.importer import agency_name, agency_scope
from data_access.periods import period_bounds, quarter
from data_access.status_text import STATE_LABELS, state_text
from data_access.tables import AG, IN, IV, SR, A, P, T
from data_access.vn import fmt_date, fmt_decimal, fmt_period, vi_sort_key
from data_access.xlsx_text import no_formulas

TEMPLATE_VERSION = "2026.1"
SHEET_TASKS = "Báo cáo"
SHEET_INDICATORS = "Chỉ tiêu"
SHEET_LISTS = "DanhMuc"
SHEET_META = "_meta"
HEADER = [
    "Mã nhiệm vụ", "Nhiệm vụ", "Cơ quan chủ trì", "Hạn hoàn thành", "Trạng thái kỳ trước",
    "Tình trạng", "Tỷ lệ hoàn thành (%)", "Ngày hoàn thành", "Văn bản/sản phẩm", "Khó khăn, vướng mắc",
]
INPUT_COLUMNS = "FGHIJ"  # the columns an agency fills in
HEADER_ROW = 8
EXTRA_ROWS = 10  # unlocked blank rows for tasks reported without a code


_THIN = Side(style="thin", color="808080")
_BORDER = Border(left=_THIN, right=_THIN, top=_THIN, bottom=_THIN)
_INPUT_FILL = PatternFill("solid", fgColor="FFF2CC")
_HEADER_FILL = PatternFill("solid", fgColor="D9E1F2")
_BOLD = Font(bold=True)
_WRAP = Alignment(wrap_text=True, vertical="top")
_CENTER = Alignment(horizontal="center", vertical="center", wrap_text=True)


def _status_text(report: dict[str, Any] | None) -> str:
    if report is None:
        return "Chưa báo cáo"
    return f"{state_text(report['state'], report['progress_pct'])} – {fmt_period(report['period'])}"


def open_assignments(engine: Engine, agency_id: int, period: str) -> list[dict[str, Any]]:
    """Lead assignments of the agency and its divisions not completed as of the period's last day,
    with the last status reported before the period; sorted by plan year and task code."""
    start, end = period_bounds(period)
    with engine.connect() as conn:
        scope = agency_scope(conn, agency_id)
        stmt = (
            select(A.c.id, T.c.code, T.c.text, T.c.deadline_text, T.c.deadline_date, P.c.year,
                   AG.c.name.label("agency"))
            .select_from(A.join(T, T.c.id == A.c.task_id).join(P, P.c.id == T.c.plan_id)
                         .join(AG, AG.c.id == A.c.agency_id))
            .where(A.c.role == m.ASSIGNMENT_LEAD, A.c.agency_id.in_(scope))
        )
        assignments = [dict(r._mapping) for r in conn.execute(stmt)]
        reports = conn.execute(
            select(SR.c.assignment_id, SR.c.period_start, SR.c.id, SR.c.period, SR.c.state, SR.c.progress_pct)
            .select_from(SR.join(A, A.c.id == SR.c.assignment_id))
            .where(A.c.agency_id.in_(scope), A.c.role == m.ASSIGNMENT_LEAD, SR.c.period_start <= end)
        ).all()
    latest: dict[int, Any] = {}
    before: dict[int, Any] = {}
    for r in reports:
        key = (str(r.period_start), r.id)
        if r.assignment_id not in latest or key > latest[r.assignment_id][0]:
            latest[r.assignment_id] = (key, r)
        if str(r.period_start) < start.isoformat() and (
                r.assignment_id not in before or key > before[r.assignment_id][0]):
            before[r.assignment_id] = (key, r)
    out = []
    for a in assignments:
        last = latest.get(a["id"])
        if last is not None and last[1].state == m.STATE_DONE:
            continue
        prev = before.get(a["id"])
        a["previous"] = None if prev is None else {
            "state": prev[1].state, "progress_pct": prev[1].progress_pct, "period": prev[1].period}
        out.append(a)
    out.sort(key=lambda a: (a["year"], a["code"], vi_sort_key(a["agency"])))
    return out


def reported_indicators(engine: Engine, period: str) -> list[dict[str, Any]]:
    """Key indicators entered by hand and reported by quarter, with their value for the previous period."""
    with engine.connect() as conn:
        quarterly = select(IV.c.indicator_id).where(IV.c.period.like("%-Q%"))
        rows = conn.execute(
            select(IN.c.id, IN.c.code, IN.c.name, IN.c.unit)
            .where(IN.c.is_key.is_(True), IN.c.plan_id.is_(None), IN.c.id.in_(quarterly))
            .order_by(IN.c.code)
        ).all()
        start, _ = period_bounds(period)
        last: dict[int, tuple[str, float]] = {}
        for iid, p, value in conn.execute(
            select(IV.c.indicator_id, IV.c.period, IV.c.value)
            .where(IV.c.indicator_id.in_([r.id for r in rows]), IV.c.period_end < start)
            .order_by(IV.c.period_end, IV.c.id)
        ):
            last[iid] = (p, float(value))
    return [{"id": r.id, "code": r.code, "name": r.name, "unit": r.unit, "previous": last.get(r.id)} for r in rows]


def build_template(engine: Engine, agency_id: int, period: str) -> bytes:
    """The return template of `agency_id` for the quarter `period` (`2026-Q3`), as .xlsx bytes."""
    period = quarter(period)
    name = agency_name(engine, agency_id)
    period_title = fmt_period(period).upper()  # "QUÝ III/2026"
    tasks = open_assignments(engine, agency_id, period)
    indicators = reported_indicators(engine, period)

    wb = Workbook()
    ws = wb.active
    assert isinstance(ws, Worksheet)
    ws.title = SHEET_TASKS
    _title_block(ws, name, period_title)
    for col, label in enumerate(HEADER, start=1):
        cell = ws.cell(HEADER_ROW, col, label)
        cell.font, cell.fill, cell.alignment, cell.border = _BOLD, _HEADER_FILL, _CENTER, _BORDER
    first = HEADER_ROW + 1
    row = first
    for a in tasks:
        deadline = a["deadline_text"] or (fmt_date(a["deadline_date"]) if a["deadline_date"] else "")
        values = [a["code"], a["text"], a["agency"], deadline, _status_text(a["previous"])]
        for col, value in enumerate(values, start=1):
            ws.cell(row, col, value)  # text cells: `no_formulas` below
        row += 1
    last = row + EXTRA_ROWS - 1
    for r in range(first, last + 1):
        for col in range(1, len(HEADER) + 1):
            cell = ws.cell(r, col)
            cell.border = _BORDER
            cell.alignment = _WRAP
            letter = cell.column_letter
            if letter in INPUT_COLUMNS or r >= row:  # extra rows: everything may be typed
                cell.protection = Protection(locked=False)
                cell.fill = _INPUT_FILL
        ws.cell(r, 7).number_format = "0%"
        ws.cell(r, 8).number_format = "DD/MM/YYYY"
    state_list = DataValidation(type="list", formula1=f"={SHEET_LISTS}!$A$2:$A$4", allow_blank=True,
                            showErrorMessage=True, errorTitle="Tình trạng không hợp lệ",
                            error="Chọn một giá trị trong danh sách: Đã hoàn thành / Đang thực hiện / Chưa thực hiện.")
    state_list.add(f"F{first}:F{last}")
    percent = DataValidation(type="decimal", operator="between", formula1="0", formula2="1", allow_blank=True,
                             showErrorMessage=True, errorTitle="Tỷ lệ không hợp lệ",
                             error="Nhập tỷ lệ từ 0% đến 100% (ví dụ 80%).")
    percent.add(f"G{first}:G{last}")
    date = DataValidation(type="date", operator="between", formula1="DATE(2000,1,1)", formula2="DATE(2100,12,31)",
                          allow_blank=True, showErrorMessage=True, errorTitle="Ngày không hợp lệ",
                          error="Nhập ngày dạng dd/mm/yyyy, ví dụ 15/07/2026.")
    date.add(f"H{first}:H{last}")
    for dv in (state_list, percent, date):
        ws.add_data_validation(dv)
    _footer(ws, last + 2)
    for letter, width in zip("ABCDEFGHIJ", (15, 60, 28, 18, 22, 17, 13, 15, 28, 30), strict=True):
        ws.column_dimensions[letter].width = width
    ws.freeze_panes = ws.cell(first, 3)
    _protect(ws)

    ind = wb.create_sheet(SHEET_INDICATORS)
    _indicator_sheet(ind, indicators, period, period_title)

    lists = wb.create_sheet(SHEET_LISTS)
    lists.append(["Tình trạng"])
    for label in STATE_LABELS.values():
        lists.append([label])
    lists.sheet_state = "hidden"

    meta = wb.create_sheet(SHEET_META)
    for key, value in (("template_version", TEMPLATE_VERSION), ("agency", name), ("agency_id", str(agency_id)),
                       ("period", period), ("generated_on", today_vn().isoformat())):
        meta.append([key, value])
    meta.sheet_state = "hidden"

    no_formulas(wb)  # agency names and task texts are data: "=1+1" stays text
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()


def _title_block(ws: Worksheet, name: str, period_title: str) -> None:
    ws.merge_cells("A1:C1")
    ws.merge_cells("A2:C2")
    ws.merge_cells("E1:J1")
    ws.merge_cells("E2:J2")
    ws["A1"] = "ỦY BAN NHÂN DÂN TỈNH KHÁNH HÒA"
    ws["A2"] = name.upper()
    ws["E1"] = "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM"
    ws["E2"] = "Độc lập - Tự do - Hạnh phúc"
    for ref in ("A1", "A2", "E1", "E2"):
        ws[ref].alignment = _CENTER
        ws[ref].font = _BOLD
    ws["E2"].font = Font(bold=True, underline="single")
    ws.merge_cells("A4:J4")
    ws["A4"] = f"BÁO CÁO KẾT QUẢ THỰC HIỆN NHIỆM VỤ CẢI CÁCH HÀNH CHÍNH {period_title}"
    ws["A4"].font = Font(bold=True, size=13)
    ws["A4"].alignment = _CENTER
    ws.merge_cells("A5:J5")
    ws["A5"] = f"Cơ quan báo cáo: {name}"
    ws["A5"].alignment = Alignment(horizontal="center")
    ws.merge_cells("A6:J6")
    ws["A6"] = ("Hướng dẫn: chỉ điền các ô nền vàng. Tình trạng chọn trong danh sách; tỷ lệ hoàn thành nhập dạng 80%; "
                "ngày hoàn thành nhập dạng dd/mm/yyyy. Không sửa cột Mã nhiệm vụ. Nhiệm vụ khác (nếu có) ghi ở các "
                "dòng trống cuối bảng.")
    ws["A6"].font = Font(italic=True, size=10)
    ws["A6"].alignment = Alignment(wrap_text=True, vertical="top")
    ws.row_dimensions[6].height = 30
    ws.row_dimensions[HEADER_ROW].height = 32


def _footer(ws: Worksheet, row: int) -> None:
    ws.cell(row, 2, "NGƯỜI LẬP BIỂU").font = _BOLD
    ws.cell(row, 9, "THỦ TRƯỞNG CƠ QUAN").font = _BOLD
    ws.cell(row + 1, 2, "(Ký, ghi rõ họ tên)").font = Font(italic=True)
    ws.cell(row + 1, 9, "(Ký tên, đóng dấu)").font = Font(italic=True)


def _protect(ws: Worksheet) -> None:
    """Lock everything but the unlocked cells; no password (accident prevention, not security)."""
    ws.protection.sheet = True
    ws.protection.formatColumns = False
    ws.protection.formatRows = False
    ws.protection.formatCells = False


def _indicator_sheet(ws: Worksheet, indicators: list[dict[str, Any]], period: str, period_title: str) -> None:
    ws.merge_cells("A1:F1")
    ws["A1"] = f"CHỈ TIÊU ĐỊNH LƯỢNG {period_title}"
    ws["A1"].font = Font(bold=True, size=13)
    ws["A1"].alignment = _CENTER
    header = ["Mã chỉ tiêu", "Tên chỉ tiêu", "Đơn vị tính", "Kỳ", "Giá trị", "Giá trị kỳ trước"]
    for col, label in enumerate(header, start=1):
        cell = ws.cell(3, col, label)
        cell.font, cell.fill, cell.alignment, cell.border = _BOLD, _HEADER_FILL, _CENTER, _BORDER
    period_label = fmt_period(period)
    for i, ind in enumerate(indicators, start=4):
        prev = ind["previous"]
        values = [ind["code"], ind["name"], ind["unit"], period_label, None,
                  f"{fmt_decimal(prev[1])} ({fmt_period(prev[0])})" if prev else "–"]
        for col, value in enumerate(values, start=1):
            cell = ws.cell(i, col, value)
            cell.border = _BORDER
            cell.alignment = _WRAP
        value_cell = ws.cell(i, 5)
        value_cell.protection = Protection(locked=False)
        value_cell.fill = _INPUT_FILL
        value_cell.number_format = "#,##0.##"
    if indicators:
        number = DataValidation(type="decimal", operator="between", formula1="-1000000000", formula2="1000000000",
                                allow_blank=True, showErrorMessage=True, errorTitle="Giá trị không hợp lệ",
                                error="Nhập một số, ví dụ 95,5.")
        number.add(f"E4:E{3 + len(indicators)}")
        ws.add_data_validation(number)
    for letter, width in zip("ABCDEF", (18, 70, 12, 14, 14, 22), strict=True):
        ws.column_dimensions[letter].width = width
    _protect(ws)


__all__ = ["HEADER", "TEMPLATE_VERSION", "build_template", "open_assignments", "reported_indicators"]
