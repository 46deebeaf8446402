"""Small helpers to lay out a return the way agencies do (title rows, merged headers,
signature blocks) and to save it as stable .xlsx bytes."""

from __future__ import annotations

import datetime as dt
import io
import re
import zipfile
from collections.abc import Sequence
from typing import Any

from openpyxl import Workbook
from openpyxl.styles import Alignment, Font
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.worksheet import Worksheet

_FIXED_TIME = (2026, 10, 5, 8, 0, 0)
_STAMP = "2026-10-05T08:00:00Z"


class Sheet:
    """A worksheet filled top to bottom; `add` returns the 1-based Excel row it wrote."""

    def __init__(self, ws: Worksheet, width: int) -> None:
        self.ws = ws
        self.width = width
        self.next = 1

    def add(self, values: Sequence[Any], *, bold: bool = False, hidden: bool = False) -> int:
        row = self.next
        for col, value in enumerate(values, start=1):
            if value is None or value == "":
                continue
            cell = self.ws.cell(row=row, column=col, value=value)
            cell.alignment = Alignment(wrap_text=True, vertical="top")
            if bold:
                cell.font = Font(bold=True)
        if hidden:
            self.ws.row_dimensions[row].hidden = True
        self.next += 1
        return row

    def blank(self, n: int = 1) -> None:
        self.next += n

    def merged(self, text: str, first: int = 1, last: int | None = None, *, bold: bool = True) -> int:
        row = self.add([None] * (first - 1) + [text], bold=bold)
        last = last or self.width
        if last > first:
            self.ws.merge_cells(start_row=row, start_column=first, end_row=row, end_column=last)
        self.ws.cell(row=row, column=first).alignment = Alignment(horizontal="center", wrap_text=True)
        return row

    def letterhead(self, upper: str, agency: str, number: str, place_date: str, *, split: int = 3) -> None:
        """The two-column head of an administrative document (Nghị định 30/2020 layout)."""
        right = split + 1
        self.add([upper] + [None] * (right - 2) + ["CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM"], bold=True)
        self.add([agency] + [None] * (right - 2) + ["Độc lập - Tự do - Hạnh phúc"], bold=True)
        self.blank()
        self.add([number] + [None] * (right - 2) + [place_date])
        self.blank()

    def header(self, labels: Sequence[str]) -> int:
        row = self.add(labels, bold=True)
        self.widths()
        return row

    def header2(self, top: Sequence[str | None], sub: Sequence[str | None]) -> tuple[int, int]:
        """A two-row header: a label over a blank below spans both rows; a label followed by
        None on the top row spans those columns (its sub-labels are on the second row)."""
        r1 = self.add(top, bold=True)
        r2 = self.add(sub, bold=True)
        col = 1
        n = max(len(top), len(sub))
        while col <= n:
            label = top[col - 1] if col - 1 < len(top) else None
            if label is None:
                col += 1
                continue
            end = col
            while end < n and (end >= len(top) or top[end] is None) and end < len(sub) and sub[end]:
                end += 1
            if end > col:
                self.ws.merge_cells(start_row=r1, start_column=col, end_row=r1, end_column=end)
            elif col - 1 >= len(sub) or not sub[col - 1]:
                self.ws.merge_cells(start_row=r1, start_column=col, end_row=r2, end_column=col)
            col = end + 1
        self.widths()
        return r1, r2

    def widths(self) -> None:
        for col in range(1, self.width + 1):
            self.ws.column_dimensions[get_column_letter(col)].width = 14
        self.ws.column_dimensions["B"].width = 48

    def signature(self, left: Sequence[str], right: Sequence[str], *, left_col: int = 2,
                  right_col: int | None = None) -> list[int]:
        """'Nơi nhận' lines on the left, the signer's block on the right; returns the rows used."""
        right_col = right_col or max(self.width - 2, left_col + 1)
        rows: list[int] = []
        self.blank()
        for i in range(max(len(left), len(right))):
            values: list[Any] = [None] * max(self.width, right_col)
            if i < len(left):
                values[left_col - 1] = left[i]
            if i < len(right) and right[i]:
                values[right_col - 1] = right[i]
            if any(v is not None for v in values):
                rows.append(self.add(values, bold=i < len(right) and right[i].isupper()))
            else:
                self.blank()
        return rows


class Book:
    """A workbook whose first sheet is replaced by the sheets asked for, in order."""

    def __init__(self) -> None:
        self.wb = Workbook()
        self._fresh = True

    def sheet(self, title: str, width: int, *, state: str = "visible") -> Sheet:
        if self._fresh:
            ws = self.wb.active
            assert ws is not None
            ws.title = title
            self._fresh = False
        else:
            ws = self.wb.create_sheet(title)
        ws.sheet_state = state
        return Sheet(ws, width)

    def bytes(self) -> bytes:
        self.wb.properties.creator = "Văn thư"
        self.wb.properties.created = dt.datetime(2026, 10, 5, 8, 0, 0)
        buf = io.BytesIO()
        self.wb.save(buf)
        return stable(buf.getvalue())


def stable(data: bytes) -> bytes:
    """The same workbook with fixed zip timestamps and document dates (deterministic bytes)."""
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(data)) as src, zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as dst:
        for info in src.infolist():
            body = src.read(info.filename)
            if info.filename == "docProps/core.xml":
                text = body.decode("utf-8")
                text = re.sub(r"(<dcterms:(?:created|modified)[^>]*>)[^<]*(<)", rf"\g<1>{_STAMP}\g<2>", text)
                body = text.encode("utf-8")
            fixed = zipfile.ZipInfo(info.filename, date_time=_FIXED_TIME)
            fixed.compress_type = zipfile.ZIP_DEFLATED
            fixed.external_attr = info.external_attr
            dst.writestr(fixed, body)
    return out.getvalue()
