"""Every cell the app writes from data into .xlsx is a text cell (issue 13, item 6): an agency named "=1+1"
and task texts starting with "=", "+", "-", "@" come back from openpyxl as strings (data type "s"), intact."""

from __future__ import annotations

import io

import openpyxl
import pandas as pd
from sqlalchemy import text
from sqlalchemy.engine import Engine

from data_access import importer as imp
from data_access.templates import build_template
from tests.importer_files import synthetic_agency, table
from ui.fmt import to_xlsx

NAME = "=1+1"
TEXTS = ["=HYPERLINK(\"http://vi-du.invalid\",\"Bấm\")", "+1+2", "-3+4", "@SUM(1,2)"]


def _cells(data: bytes) -> dict[str, list[tuple[str, str]]]:
    """Per sheet: (value, data type) of every cell holding one of the risky texts."""
    wb = openpyxl.load_workbook(io.BytesIO(data))
    out: dict[str, list[tuple[str, str]]] = {}
    for ws in wb.worksheets:
        for row in ws.iter_rows():
            for cell in row:
                if isinstance(cell.value, str) and cell.value.lstrip()[:1] in ("=", "+", "-", "@"):
                    out.setdefault(ws.title, []).append((cell.value, cell.data_type))
    return out


def _risky_agency(db: Engine) -> tuple[int, list[str]]:
    agency_id, codes = synthetic_agency(db, NAME, "CTX", len(TEXTS))
    with db.begin() as conn:
        for code, value in zip(codes, TEXTS, strict=True):
            conn.execute(text("UPDATE task SET text = :t WHERE code = :c"), {"t": value, "c": code})
    return agency_id, codes


def test_template_writes_agency_name_and_task_texts_as_text(db: Engine) -> None:
    agency_id, _ = _risky_agency(db)
    cells = _cells(build_template(db, agency_id, "2026-Q4"))
    found = [c for sheet in cells.values() for c in sheet]
    assert all(kind == "s" for _, kind in found), cells
    values = {v for v, _ in found}
    assert NAME in values  # the title block (upper-cased: the same text) and the hidden _meta sheet
    assert set(TEXTS) <= values  # task rows
    assert len([v for v, _ in found if v == NAME]) >= 3  # title, task rows' lead column, _meta


def test_table_download_writes_text_cells_headers_included() -> None:
    df = pd.DataFrame({NAME: [NAME, TEXTS[1]], "Nội dung": [TEXTS[0], TEXTS[3]]})
    cells = _cells(to_xlsx(df))["Dữ liệu"]
    assert sorted(cells) == sorted([(NAME, "s"), (NAME, "s"), (TEXTS[1], "s"), (TEXTS[0], "s"), (TEXTS[3], "s")])


def test_annotated_copy_writes_values_and_messages_as_text(db: Engine) -> None:
    header = ["Mã nhiệm vụ", "Nhiệm vụ", "Cơ quan chủ trì", "Tình trạng", "Tỷ lệ hoàn thành (%)", "Ngày hoàn thành"]
    rows = [["BÁO CÁO QUÝ IV/2026"], header, ["", NAME, "", "Đang thực hiện", "50%", None],
            ["SNV26-P1-07", "", "", "Đã hoàn thành", "80%", None]]
    wb = openpyxl.load_workbook(io.BytesIO(table(rows)))
    ws = wb.active
    assert ws is not None
    ws.cell(3, 2).data_type = "s"  # the agency typed "=1+1" as text (a formula would be read as empty)
    out = io.BytesIO()
    wb.save(out)
    data = out.getvalue()
    plan = imp.plan_import(db, data, "=tep.xlsx", agency_id=imp.find_agency(db, "Sở Nội vụ")[0])  # type: ignore[index]
    assert plan.count("unmatched") == 1 and plan.count("rejected") == 1
    cells = _cells(imp.annotated_copy(data, plan))
    summary = cells["Kết quả kiểm tra"]
    assert (NAME, "s") in summary  # the unmatched row's value, listed in the summary sheet
    assert all(kind == "s" for _, kind in summary)
