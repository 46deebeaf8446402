"""The per-agency template: its structure, and the round trip (filled in code, imported cleanly)."""

from __future__ import annotations

import datetime as dt
import io
import os
import subprocess
import sys
from pathlib import Path

import openpyxl
from sqlalchemy import text
from sqlalchemy.engine import Engine

from data_access import importer as imp
from data_access.permissions import Actor
from data_access.templates import HEADER, HEADER_ROW, build_template
from data_access.xlsx_reader import read_return
from tests.conftest import ROOT
from tests.importer_files import snapshot


def _snv(engine: Engine) -> int:
    found = imp.find_agency(engine, "Sở Nội vụ")
    assert found is not None
    return found[0]


def _open_leads_independently(engine: Engine, agency_id: int, period_end: str) -> set[tuple[str, str]]:
    """(task code, lead agency) of lead assignments of the agency or its divisions whose latest report
    started by `period_end` is not done -- counted with plain SQL, without the code under test."""
    end = dt.date.fromisoformat(period_end)
    with engine.connect() as con:
        scope = {agency_id} | {r[0] for r in con.execute(text("select id from agency where parent_id = :a"),
                                                         {"a": agency_id})}
        out = set()
        for aid, code, agency, ag in con.execute(text(
                "select a.id, t.code, g.name, a.agency_id from assignment a join task t on t.id = a.task_id "
                "join agency g on g.id = a.agency_id where a.role = 'chu_tri'")):
            if ag not in scope:
                continue
            last = con.execute(text("select state from statusreport where assignment_id = :a and period_start <= :d "
                                    "order by period_start desc, id desc limit 1"), {"a": aid, "d": end}).first()
            if last is None or last[0] != "hoan_thanh":
                out.add((code, agency))
    return out


def test_template_structure(db: Engine, tmp_path: Path) -> None:
    data = build_template(db, _snv(db), "2026-Q3")
    wb = openpyxl.load_workbook(io.BytesIO(data))
    assert wb.sheetnames == ["Báo cáo", "Chỉ tiêu", "DanhMuc", "_meta"]
    assert (wb["DanhMuc"].sheet_state, wb["_meta"].sheet_state) == ("hidden", "hidden")
    meta = {r[0].value: r[1].value for r in wb["_meta"].iter_rows()}
    assert {k: meta[k] for k in ("template_version", "agency", "period")} == {
        "template_version": "2026.1", "agency": "Sở Nội vụ", "period": "2026-Q3"}
    ws = wb["Báo cáo"]
    assert ws["A1"].value == "ỦY BAN NHÂN DÂN TỈNH KHÁNH HÒA" and ws["A2"].value == "SỞ NỘI VỤ"
    assert ws["E1"].value == "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM" and ws["E2"].value == "Độc lập - Tự do - Hạnh phúc"
    assert ws["A4"].value == "BÁO CÁO KẾT QUẢ THỰC HIỆN NHIỆM VỤ CẢI CÁCH HÀNH CHÍNH QUÝ III/2026"
    assert [c.value for c in ws[HEADER_ROW]][:10] == HEADER
    rows = [(ws.cell(r, 1).value, ws.cell(r, 3).value) for r in range(HEADER_ROW + 1, ws.max_row + 1)
            if ws.cell(r, 1).value]
    assert set(rows) == _open_leads_independently(db, _snv(db), "2026-09-30")
    assert len(rows) == len(set(rows)) > 50
    first = HEADER_ROW + 1
    assert ws.protection.sheet is True
    assert ws.cell(first, 1).protection.locked is True  # code locked
    assert all(ws.cell(first, c).protection.locked is False for c in range(6, 11))  # inputs unlocked
    validations = {dv.type: dv for dv in ws.data_validations.dataValidation}
    assert validations["list"].formula1 == "=DanhMuc!$A$2:$A$4"
    assert str(validations["list"].sqref).startswith(f"F{first}:")
    assert str(validations["date"].sqref).startswith(f"H{first}:")
    assert [c.value for c in wb["DanhMuc"]["A"]][1:] == ["Đã hoàn thành", "Đang thực hiện", "Chưa thực hiện"]
    ind = wb["Chỉ tiêu"]
    assert [c.value for c in ind[3]][:5] == ["Mã chỉ tiêu", "Tên chỉ tiêu", "Đơn vị tính", "Kỳ", "Giá trị"]
    assert ind["D4"].value == "Quý III/2026" and ind["E4"].protection.locked is False
    parsed = read_return(data)
    assert parsed.meta["period"] == "2026-Q3" and parsed.meta["agency"] == "Sở Nội vụ"
    assert parsed.errors == []


def test_filled_template_imports_cleanly(db: Engine) -> None:
    agency = _snv(db)
    wb = openpyxl.load_workbook(io.BytesIO(build_template(db, agency, "2026-Q4")))
    ws = wb["Báo cáo"]
    first = HEADER_ROW + 1
    ws.cell(first, 6, "Đã hoàn thành")
    ws.cell(first, 8, dt.date(2026, 10, 20))
    ws.cell(first, 9, "Quyết định số 12/QĐ-SNV")
    ws.cell(first + 1, 6, "Đang thực hiện")
    ws.cell(first + 1, 7, 0.6)  # the cell is formatted as percent: Excel stores 60% as 0.6
    ws.cell(first + 1, 10, "Chờ ý kiến Bộ Nội vụ")
    ws.cell(first + 2, 6, "Chưa thực hiện")
    wb["Chỉ tiêu"]["E4"] = 97.25
    out = io.BytesIO()
    wb.save(out)
    filled = out.getvalue()
    before = snapshot(db)
    plan = imp.plan_import(db, filled, "mau.xlsx")
    assert snapshot(db) == before
    assert plan.errors == []
    assert (plan.agency_name, plan.period) == ("Sở Nội vụ", "2026-Q4")
    assert plan.counts["new"] == 4 and plan.counts["rejected"] == plan.counts["unmatched"] == 0
    assert [(r.row, r.state, r.progress_pct) for r in plan.rows if r.outcome == "new"] == [
        (first, "hoan_thanh", 100.0), (first + 1, "dang_thuc_hien", 60.0), (first + 2, "chua_thuc_hien", None)]
    assert plan.rows[0].completed_on == dt.date(2026, 10, 20)
    assert plan.rows[0].code == ws.cell(first, 1).value
    assert [(i.value, i.outcome) for i in plan.indicators if i.outcome != "skipped"] == [(97.25, "new")]
    result = imp.apply_import(db, plan, Actor("chuyenvien", "chuyen_vien"))
    assert (result.reports_written, result.values_written) == (3, 1)
    assert imp.plan_import(db, filled, "mau.xlsx").counts["unchanged"] == 4
    # The task done in Q4 drops out of the next template.
    wb_next = openpyxl.load_workbook(io.BytesIO(build_template(db, agency, "2026-Q4")))
    codes_next = [c.value for c in wb_next["Báo cáo"]["A"]]
    assert (ws.cell(first, 1).value, ws.cell(first, 3).value) not in {
        (wb_next["Báo cáo"].cell(r, 1).value, wb_next["Báo cáo"].cell(r, 3).value)
        for r in range(first, len(codes_next) + 1)}


def test_template_cli(db: Engine, tmp_path: Path) -> None:
    out = tmp_path / "snv.xlsx"
    run = subprocess.run([sys.executable, "-m", "data_access", "template", "--agency", "so noi vu", "--period",
                          "Quý III/2026", "-o", str(out)], cwd=ROOT, env=dict(os.environ), capture_output=True,
                         text=True, timeout=120)
    assert run.returncode == 0, run.stderr
    assert "Sở Nội vụ, Quý III/2026" in run.stdout
    assert read_return(out.read_bytes()).meta["period"] == "2026-Q3"
    bad = subprocess.run([sys.executable, "-m", "data_access", "template", "--agency", "Sở Vũ Trụ", "--period",
                          "2026-Q3", "-o", str(tmp_path / "x.xlsx")], cwd=ROOT, env=dict(os.environ),
                         capture_output=True, text=True, timeout=120)
    assert bad.returncode == 1 and "không tìm thấy cơ quan 'Sở Vũ Trụ'" in bad.stderr
    assert "Traceback" not in bad.stderr and not (tmp_path / "x.xlsx").exists()
