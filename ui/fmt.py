"""Display helpers: status labels, Vietnamese formats for tables, .xlsx export."""

from __future__ import annotations

import datetime as dt
import io
import re
from collections.abc import Iterable

import pandas as pd

from data_access import status
from data_access.clock import to_vn
from data_access.vn import fmt_date, fmt_decimal, fmt_pct, fmt_target, fmt_value

# Display strings the app writes (data_access.vn), recognised back into typed cells for Excel.
_INT = re.compile(r"^-?\d{1,3}(?:\.\d{3})*$")
_DEC = re.compile(r"^-?\d{1,3}(?:\.\d{3})*,(\d+)$")
_PCT = re.compile(r"^(-?\d{1,3}(?:\.\d{3})*(?:,(\d+))?)%$")
_DAYS = re.compile(r"^(-?\d{1,3}(?:\.\d{3})*) ngày$")
_DATE = re.compile(r"^(\d{2})/(\d{2})/(\d{4})$")
_BLANKS = {"", "–", "-"}
# Excel number formats are stored locale-neutral ("," = grouping, "." = decimal) and shown with the
# viewer's separators: on a Vietnamese Windows/Excel `#,##0.00` reads 1.234,50. Dates use an explicit
# day/month/year order so they read 31/03/2026 whatever the locale.
FMT_INT = "#,##0"
FMT_DATE = "dd/mm/yyyy"


def _blank(value: object) -> bool:
    return value is None or value is pd.NaT or (isinstance(value, float) and pd.isna(value))


def _vi_number(text: str) -> float:
    return float(text.replace(".", "").replace(",", "."))


def _decimals_format(decimals: int, pct: bool = False) -> str:
    base = "0" if pct else "#,##0"
    return base + ("." + "0" * decimals if decimals else "") + ("%" if pct else "")


def _typed_column(values: list[object]) -> tuple[list[object], str | None] | None:
    """The column as typed Excel values and one number format, or None to keep it as text.

    A column is typed only when every non-blank cell is a number (int, decimal, percentage,
    "N ngày") or every one is a date: one stray text keeps the whole column as text, so a
    code or a name is never turned into a number.
    """
    cells = [v for v in values if not _blank(v)]
    if not cells:
        return None
    if all(isinstance(v, dt.datetime | pd.Timestamp) for v in cells):
        # Timestamps are shown in Vietnam time (naive ones are stored UTC), without the zone Excel cannot hold.
        return [None if _blank(v)
                else to_vn(pd.Timestamp(v).to_pydatetime()).replace(tzinfo=None)  # type: ignore[arg-type]
                for v in values], "dd/mm/yyyy hh:mm"
    if all(isinstance(v, dt.date) for v in cells):
        return values, FMT_DATE
    if all(isinstance(v, bool) for v in cells):
        return None
    if all(isinstance(v, int | float) and not isinstance(v, bool) for v in cells):
        whole = all(float(v).is_integer() for v in cells)  # type: ignore[arg-type]
        return [None if _blank(v) else v for v in values], \
            FMT_INT if whole else _decimals_format(2)
    texts = [str(v).strip() for v in cells]
    if not all(isinstance(v, str) for v in cells) or all(t in _BLANKS for t in texts):
        return None
    kinds: set[str] = set()
    decimals = 0
    out: list[object] = []
    for value in values:
        text = "" if _blank(value) else str(value).strip()
        if text in _BLANKS:
            out.append(None)
        elif m := _DATE.match(text):
            try:
                out.append(dt.date(int(m.group(3)), int(m.group(2)), int(m.group(1))))
            except ValueError:
                return None
            kinds.add("date")
        elif m := _PCT.match(text):
            out.append(round(_vi_number(m.group(1)) / 100, 12))  # 90,49% -> 0.9049, not 0.90489999
            decimals = max(decimals, len(m.group(2) or ""))
            kinds.add("pct")
        elif m := _DAYS.match(text):
            out.append(int(_vi_number(m.group(1))))
            kinds.add("days")
        elif _INT.match(text):
            out.append(int(_vi_number(text)))
            kinds.add("num")
        elif m := _DEC.match(text):
            out.append(_vi_number(text))
            decimals = max(decimals, len(m.group(1)))
            kinds.add("num")
        else:
            return None
    if len(kinds) != 1:
        return None
    kind = kinds.pop()
    if kind == "date":
        return out, FMT_DATE
    if kind == "pct":
        return out, _decimals_format(decimals, pct=True)
    if kind == "days":
        return out, '#,##0 "ngày"'
    return out, _decimals_format(decimals)


def to_xlsx(df: pd.DataFrame, sheet: str = "Dữ liệu", title: str | None = None,
            as_of: dt.date | None = None, scope: str = "") -> bytes:
    """The table as an .xlsx workbook a leader can sort, sum and filter.

    Layout: row 1 the title (default: the sheet name), row 2 "Số liệu tính đến ngày dd/mm/yyyy"
    (default: today in Vietnam) and the scope, row 3 the bold, frozen header with an autofilter,
    then the rows. Numbers, percentages, "N ngày" and dates (typed or as the app displays them,
    `1.234`, `90,49%`, `31/03/2026`) become typed cells with number formats; every other text
    cell is a string cell, so text starting with `=`, `+`, `-` or `@` stays text that Excel
    displays and never evaluates; the value itself is kept.
    """
    from openpyxl import Workbook
    from openpyxl.styles import Alignment, Font, PatternFill
    from openpyxl.utils import get_column_letter

    from data_access.clock import today_vn
    from data_access.xlsx_text import no_formulas

    header_row = 3
    wb = Workbook()
    ws = wb.active
    assert ws is not None
    ws.title = re.sub(r"[\\/*?:\[\]]", " ", sheet)[:31]
    ws.cell(1, 1, title or sheet).font = Font(bold=True, size=14)
    note = f"Số liệu tính đến ngày {fmt_date(as_of or today_vn())}" + (f" · {scope}" if scope else "")
    ws.cell(2, 1, note).font = Font(italic=True, color="555555")
    head_fill = PatternFill("solid", fgColor="F2DCDB")
    for c, name in enumerate(df.columns, start=1):
        cell = ws.cell(header_row, c, str(name))
        cell.font = Font(bold=True)
        cell.fill = head_fill
        cell.alignment = Alignment(wrap_text=True, vertical="center")
    for c, col in enumerate(df.columns, start=1):
        values = df[col].astype(object).tolist()
        typed = _typed_column(values)
        letter = get_column_letter(c)
        width = len(str(col))
        for r, value in enumerate(typed[0] if typed else values, start=header_row + 1):
            if _blank(value):
                continue
            cell = ws.cell(r, c, value)
            if typed:
                cell.number_format = typed[1] or "General"
                width = max(width, len(str(values[r - header_row - 1])))
            else:
                cell.value = str(value)  # a text cell, "=..." included: `no_formulas` below
                width = max(width, len(str(value)))
                if len(str(value)) > 60:
                    cell.alignment = Alignment(wrap_text=True, vertical="top")
        ws.column_dimensions[letter].width = min(60, max(10, width + 2))
    last = get_column_letter(max(1, len(df.columns)))
    ws.freeze_panes = f"A{header_row + 1}"
    ws.auto_filter.ref = f"A{header_row}:{last}{header_row + max(1, len(df))}"
    ws.print_title_rows = f"{header_row}:{header_row}"
    no_formulas(wb)  # the shared guard (data_access/xlsx_text.py): no cell written from data is a formula
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()


def status_label(code: str) -> str:
    return status.STATUS_LABELS.get(code, code)


def task_columns(tasks: pd.DataFrame, *, field: bool = False, completed: bool = False) -> dict[str, object]:
    """The columns every list of tasks (`queries.task_list` rows) starts with, as shown: the ones a leader reads
    first (code, status, dated deadline, and the completion date when asked) before the long texts (task, the
    field when asked, plan, deadline as written), so 1366 px shows them without scrolling."""
    columns: dict[str, object] = {"Mã": tasks["code"], "Trạng thái": [status_label(s) for s in tasks["status"]],
                                  "Hạn (ngày)": dates(tasks["deadline_date"])}
    if completed:
        columns["Ngày hoàn thành"] = dates(tasks["completed_on"])
    columns["Nhiệm vụ"] = tasks["task"]
    if field:
        columns["Lĩnh vực"] = tasks["field"]
    columns["Kế hoạch"] = tasks["plan"]
    columns["Thời hạn"] = [t or "–" for t in tasks["deadline_text"]]
    return columns


def dates(values: Iterable[object]) -> list[str]:
    return [fmt_date(v) if v is not None and not (isinstance(v, float) and pd.isna(v)) else "–"  # type: ignore[arg-type]
            for v in values]


def fmt_delta(change: float | int | None, decimals: int = 0, suffix: str = "") -> str | None:
    """A signed change for st.metric: `+3`, `-1,5 điểm %`, `0`; None when unknown."""
    if change is None or (isinstance(change, float) and pd.isna(change)):
        return None
    text = fmt_decimal(abs(change), decimals) if decimals else fmt_decimal(round(abs(change)), 0)
    sign = "+" if change > 0 else "-" if change < 0 and text != "0" else ""
    return f"{sign}{text}{suffix}"


__all__ = ["fmt_date", "fmt_decimal", "fmt_pct", "to_xlsx", "status_label", "dates", "fmt_delta", "fmt_target",
           "fmt_value", "task_columns"]
