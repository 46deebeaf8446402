"""Display helpers: status labels, Vietnamese formats for tables, .xlsx export."""

from __future__ import annotations

import io
from collections.abc import Iterable

import pandas as pd

from data_access import status as st_rules
from data_access.vn import fmt_date, fmt_decimal, fmt_pct, fmt_target, fmt_value


def to_xlsx(df: pd.DataFrame, sheet: str = "Dữ liệu") -> bytes:
    """The table as .xlsx bytes.

    Every text cell is written as a string cell, so text starting with `=`, `+`, `-`
    or `@` stays text that Excel displays and never evaluates; the value itself is kept.
    """
    from openpyxl import Workbook
    from openpyxl.utils import get_column_letter

    from data_access.xlsx_text import no_formulas

    wb = Workbook()
    ws = wb.active
    assert ws is not None
    ws.title = sheet[:31]
    ws.append([str(c) for c in df.columns])
    for row in df.itertuples(index=False):
        ws.append([None if (isinstance(v, float) and pd.isna(v)) else v for v in row])
    no_formulas(wb)  # headers too (a column may be named after an agency): "=..." is never a formula
    for i, col in enumerate(df.columns, start=1):
        width = max([len(str(col))] + [len(str(v)) for v in df[col].head(200)])
        ws.column_dimensions[get_column_letter(i)].width = min(60, max(10, width + 2))
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()


def status_label(code: str) -> str:
    return st_rules.STATUS_LABELS.get(code, code)


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
           "fmt_value"]
