"""Text written from data into .xlsx stays text.

openpyxl stores a string beginning with "=" as a formula (data type "f"); Excel would
evaluate an agency name "=1+1", or a task text "=HYPERLINK(...)". Every cell the app
writes from data goes through `text_cells` (or a whole workbook of ours through
`no_formulas`), which marks string cells as shared strings (data type "s") with the text
unchanged. Values starting with "+", "-" or "@" are plain strings already and are marked
the same way, so any spreadsheet opens them as text.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any


def text_cells(cells: Iterable[Any]) -> None:
    """Mark every cell among `cells` holding a str as a text cell (formulas included)."""
    for cell in cells:
        if isinstance(cell.value, str):
            cell.data_type = "s"


def no_formulas(workbook: Any) -> None:
    """Make every str cell of every sheet of `workbook` a text cell. Only for workbooks the app
    builds itself (no intended formulas), never for a user's own file."""
    for ws in workbook.worksheets:
        for row in ws.iter_rows():
            text_cells(row)


__all__ = ["no_formulas", "text_cells"]
