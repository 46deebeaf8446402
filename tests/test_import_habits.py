"""The importer on returns as agencies really fill them (issue 11), against the sample store on both
backends: hidden and example rows never block the real row, one sheet per quarter, names from before
the February 2025 merger, status prose written as read, a date alone never "done"."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import openpyxl
import pytest
from openpyxl.worksheet.worksheet import Worksheet
from sqlalchemy import text
from sqlalchemy.engine import Engine

from data_access import importer as imp
from data_access import models as m
from data_access.permissions import Actor
from data_access.xlsx_reader import FileRefused
from tests.conftest import ROOT
from tests.importer_files import save, snapshot, table, task_text

STAFF = Actor("chuyenvien", "chuyen_vien")


def _agency(engine: Engine, name: str) -> int:
    found = imp.find_agency(engine, name)
    assert found is not None
    return found[0]


def _reports(engine: Engine, period: str) -> dict[str, tuple[str, float | None]]:
    """Task code -> (state, progress) of the reports an upload wrote for `period`."""
    with engine.connect() as conn:
        rows = conn.execute(text(
            "SELECT t.code, r.state, r.progress_pct FROM statusreport r JOIN assignment a ON a.id = r.assignment_id "
            "JOIN task t ON t.id = a.task_id WHERE r.period = :p AND r.upload_id IS NOT NULL ORDER BY r.id"),
            {"p": period}).all()
    return {r[0]: (r[1], None if r[2] is None else float(r[2])) for r in rows}


def _sheet(wb: openpyxl.Workbook, title: str, first: bool = False) -> Worksheet:
    ws = wb.active if first else wb.create_sheet(title)
    assert isinstance(ws, Worksheet)
    ws.title = title
    return ws


HEADER = ["Mã nhiệm vụ", "Nhiệm vụ", "Tình trạng", "Tỷ lệ hoàn thành (%)"]


def test_hidden_stale_row_and_worked_example_never_make_the_real_row_a_duplicate(db: Engine) -> None:
    wb = openpyxl.Workbook()
    guide = _sheet(wb, "Hướng dẫn", first=True)
    guide.append(HEADER)
    guide.append(["SNV26-P1-07", "Ví dụ", "Đã hoàn thành", "100%"])
    ws = _sheet(wb, "Báo cáo")
    ws.append(["BÁO CÁO KẾT QUẢ THỰC HIỆN NHIỆM VỤ CẢI CÁCH HÀNH CHÍNH QUÝ IV/2026"])
    ws.append(["Cơ quan báo cáo: Sở Nội vụ"])
    ws.append(HEADER)
    ws.append(["SNV26-P1-07", task_text(db, "SNV26-P1-07"), "Đã hoàn thành", "100%"])  # 4: hidden, stale
    ws.append(["SNV26-P1-07", task_text(db, "SNV26-P1-07"), "Đang thực hiện", "60%"])  # 5: the real row
    ws.row_dimensions[4].hidden = True
    plan = imp.plan_import(db, save(wb), "bc.xlsx")
    assert [(r.sheet, r.row, r.outcome, r.code, r.state, r.progress_pct) for r in plan.rows] == [
        ("Báo cáo", 5, imp.NEW, "SNV26-P1-07", m.STATE_IN_PROGRESS, 60.0),
    ]
    assert plan.errors == []
    assert imp.skipped_summary(plan.skipped) == (
        "Đã bỏ qua 1 dòng đang ẩn (trang 'Báo cáo': dòng 4); 1 trang hướng dẫn/ví dụ ('Hướng dẫn')."
    )
    assert plan.summary()["ignored"] == [
        {"sheet": "Hướng dẫn", "row": 0, "kind": "instruction_sheet",
         "message": "Trang 'Hướng dẫn' là trang hướng dẫn/ví dụ nên không được đọc."},
        {"sheet": "Báo cáo", "row": 4, "kind": "hidden_row",
         "message": "Trang 'Báo cáo', dòng 4 đang ẩn nên không được đọc."},
    ]
    imp.apply_import(db, plan, STAFF)
    assert _reports(db, "2026-Q4") == {"SNV26-P1-07": (m.STATE_IN_PROGRESS, 60.0)}


def _two_quarters(engine: Engine) -> bytes:
    wb = openpyxl.Workbook()
    sheets = [("Quý III", "III", "Đang thực hiện", "40%"), ("Quý IV", "IV", "Đã hoàn thành", "100%")]
    for i, (title, quarter, state, progress) in enumerate(sheets):
        ws = _sheet(wb, title, first=i == 0)
        ws.append([f"BÁO CÁO KẾT QUẢ THỰC HIỆN NHIỆM VỤ CẢI CÁCH HÀNH CHÍNH QUÝ {quarter}/2026"])
        ws.append(["Cơ quan báo cáo: Sở Nội vụ"])
        ws.append(HEADER)
        ws.append(["SNV26-P1-08", task_text(engine, "SNV26-P1-08"), state, progress])
    return save(wb)


def test_one_sheet_per_quarter_writes_only_the_chosen_quarter(db: Engine) -> None:
    data = _two_quarters(db)
    with pytest.raises(FileRefused) as info:
        imp.plan_import(db, data, "hai-quy.xlsx")
    assert info.value.message.endswith(
        "Tệp có báo cáo của 2 kỳ: trang 'Quý III' (Quý III/2026), trang 'Quý IV' (Quý IV/2026). Hãy chọn kỳ báo "
        "cáo; các trang của kỳ khác được bỏ qua."
    )
    assert info.value.message.startswith("Không xác định được kỳ báo cáo")
    plan = imp.plan_import(db, data, "hai-quy.xlsx", period="2026-Q4")
    assert [(r.sheet, r.row, r.outcome, r.state) for r in plan.rows] == [("Quý IV", 4, imp.NEW, m.STATE_DONE)]
    assert [(p.sheet, p.kind, p.message) for p in plan.skipped] == [
        ("Quý III", "other_period",
         "Trang 'Quý III' là báo cáo Quý III/2026, khác kỳ đang cập nhật (Quý IV/2026): bỏ qua 1 dòng của trang này."),
    ]
    imp.apply_import(db, plan, STAFF)
    assert _reports(db, "2026-Q4") == {"SNV26-P1-08": (m.STATE_DONE, 100.0)}
    assert _reports(db, "2026-Q3") == {}
    q3 = imp.plan_import(db, data, "hai-quy.xlsx", period="2026-Q3")
    assert [(r.sheet, r.state, r.progress_pct) for r in q3.rows] == [("Quý III", m.STATE_IN_PROGRESS, 40.0)]


OLD = "Sở Kế hoạch và Đầu tư"
NOTE = "Sở Kế hoạch và Đầu tư đã được sắp xếp, hợp nhất vào Sở Tài chính từ 01/03/2025; báo cáo được ghi cho Sở Tài chính."


def _old_name_return(engine: Engine, agency_line: str | None) -> bytes:
    rows: list[list[object]] = [["BÁO CÁO KẾT QUẢ THỰC HIỆN NHIỆM VỤ CẢI CÁCH HÀNH CHÍNH QUÝ IV/2024"]]
    if agency_line:
        rows.append([agency_line])
    rows += [HEADER, ["KH24-06", task_text(engine, "KH24-06"), "Đã hoàn thành", "100%"]]
    return table(rows)


def test_old_agency_name_in_the_file_resolves_to_its_successor_with_a_note(db: Engine) -> None:
    plan = imp.plan_import(db, _old_name_return(db, f"Cơ quan báo cáo: {OLD}"), "khdt.xlsx")
    assert (plan.agency_name, plan.period) == ("Sở Tài chính", "2024-Q4")
    assert plan.notes == [NOTE]
    assert [(r.code, r.outcome, r.lead_name) for r in plan.rows] == [("KH24-06", imp.NEW, "Sở Tài chính")]
    assert imp.resolve_meta(db, {"agency": OLD})[0] == _agency(db, "Sở Tài chính")


def test_old_agency_chosen_on_the_page_or_the_command_line_resolves_to_its_successor(db: Engine, tmp_path: Path) -> None:
    former = imp.former_agencies(db)
    row = former[former["name"] == OLD].iloc[0]
    assert row["successor"] == "Sở Tài chính"
    assert int(row["id"]) == _agency(db, OLD)
    plan = imp.plan_import(db, _old_name_return(db, None), "khdt.xlsx", agency_id=int(row["id"]))
    assert plan.agency_name == "Sở Tài chính"
    assert plan.agency_id == _agency(db, "Sở Tài chính")
    assert plan.notes == [NOTE]
    # The file declares the successor while the old name is chosen: the same agency, no refusal.
    same = imp.plan_import(db, _old_name_return(db, "Cơ quan báo cáo: Sở Tài chính"), "tc.xlsx",
                           agency_id=int(row["id"]))
    assert same.agency_name == "Sở Tài chính"
    path = tmp_path / "khdt.xlsx"
    path.write_bytes(_old_name_return(db, None))
    out = subprocess.run([sys.executable, "-m", "data_access", "import", str(path), "--agency", OLD, "--dry-run"],
                         cwd=ROOT, env=dict(os.environ), capture_output=True, text=True, timeout=120)
    assert out.returncode == 0, out.stderr
    assert NOTE in out.stdout
    assert "Tệp khdt.xlsx: Sở Tài chính, Quý IV/2024" in out.stdout


def test_prose_status_is_written_as_read_and_a_date_alone_is_not_done(db: Engine, tmp_path: Path) -> None:
    t = task_text
    data = table([
        ["BÁO CÁO KẾT QUẢ THỰC HIỆN NHIỆM VỤ CẢI CÁCH HÀNH CHÍNH QUÝ IV/2026"],
        ["Cơ quan báo cáo: Sở Nội vụ"],
        ["STT", "Mã nhiệm vụ", "Nội dung công việc", "Kết quả thực hiện", "Ngày hoàn thành"],
        [1, "SNV26-P1-07", t(db, "SNV26-P1-07"), "Hoàn thành một phần", None],  # 4
        [2, "SNV26-P1-08", t(db, "SNV26-P1-08"), "Chưa hoàn thành, đạt 80% kế hoạch", "Dự kiến 30/12/2026"],  # 5
        [3, "SNV26-P1-03", t(db, "SNV26-P1-03"), "Hoàn thành 100%", "ngày 15 tháng 10 năm 2026"],  # 6
        [4, "SNV26-P2-21", t(db, "SNV26-P2-21"), None, "20/10/2026"],  # 7: a date alone
    ])
    plan = imp.plan_import(db, data, "van-xuoi.xlsx")
    got = [(r.row, r.outcome, r.state, r.progress_pct, r.status_text, r.state_source) for r in plan.rows]
    assert got == [
        (4, imp.NEW, m.STATE_IN_PROGRESS, None, "Hoàn thành một phần", "prose"),
        (5, imp.NEW, m.STATE_IN_PROGRESS, 80.0, "Chưa hoàn thành, đạt 80% kế hoạch", "prose"),
        (6, imp.NEW, m.STATE_DONE, 100.0, "Hoàn thành 100%", "prose"),
        (7, imp.REJECTED, None, None, None, ""),
    ]
    assert plan.rows[1].planned_on is not None and plan.rows[1].completed_on is None
    assert [e.message for e in plan.errors] == [
        "Dòng 7, cột 'Tình trạng': chỉ ghi ngày 20/10/2026, chưa ghi tình trạng (Đã hoàn thành / Đang thực hiện / "
        "Chưa thực hiện); ngày không đủ để coi là đã hoàn thành",
    ]
    before = snapshot(db)
    imp.apply_import(db, plan, STAFF)
    assert snapshot(db) != before
    assert _reports(db, "2026-Q4") == {
        "SNV26-P1-07": (m.STATE_IN_PROGRESS, None),
        "SNV26-P1-08": (m.STATE_IN_PROGRESS, 80.0),
        "SNV26-P1-03": (m.STATE_DONE, 100.0),
    }
    path = tmp_path / "van-xuoi.xlsx"
    path.write_bytes(data)
    out = subprocess.run([sys.executable, "-m", "data_access", "import", str(path), "--dry-run", "--json"],
                         cwd=ROOT, env=dict(os.environ), capture_output=True, text=True, timeout=120)
    assert out.returncode == 0, out.stderr
    assert json.loads(out.stdout)["unchanged"] == 3


def _letterhead_return(engine: Engine, upper: str, agency_line: str) -> bytes:
    """A return whose only statement of its agency is the letterhead (Nghị định 30/2020 layout)."""
    return table([
        [upper, None, "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM"],
        [agency_line, None, "Độc lập - Tự do - Hạnh phúc"],
        ["BÁO CÁO KẾT QUẢ THỰC HIỆN NHIỆM VỤ CẢI CÁCH HÀNH CHÍNH QUÝ IV/2024"],
        HEADER, ["KH24-06", task_text(engine, "KH24-06"), "Đã hoàn thành", "100%"],
    ])


def test_old_agency_name_in_the_letterhead_resolves_to_its_successor_when_nothing_is_chosen(db: Engine) -> None:
    # Issue 11, habit 8: a late return of a merged agency, its old name only in the letterhead.
    plan = imp.plan_import(db, _letterhead_return(db, "UBND TỈNH KHÁNH HÒA", OLD.upper()), "khdt.xlsx")
    assert (plan.agency_name, plan.period) == ("Sở Tài chính", "2024-Q4")
    assert plan.notes == [f"Cơ quan báo cáo lấy theo tên ở đầu văn bản: '{OLD.upper()}'. {NOTE}"]
    assert [(r.code, r.outcome) for r in plan.rows] == [("KH24-06", imp.NEW)]
    # A line under the letterhead that is no agency, or a Sở's own division, is no evidence: refused.
    for line in ("BÁO CÁO", "VĂN PHÒNG SỞ"):
        with pytest.raises(FileRefused, match="Không xác định được cơ quan báo cáo"):
            imp.plan_import(db, _letterhead_return(db, "ỦY BAN NHÂN DÂN TỈNH KHÁNH HÒA", line), "x.xlsx")
    # What the officer chooses still decides; the letterhead is only the last resort.
    chosen = imp.plan_import(db, _letterhead_return(db, "UBND TỈNH KHÁNH HÒA", "SỞ NỘI VỤ"), "x.xlsx",
                             agency_id=_agency(db, "Sở Tài chính"))
    assert chosen.agency_name == "Sở Tài chính"


def test_plan_assignment_column_names_the_lead_before_chu_tri(db: Engine) -> None:
    # Seed 004 (Sở Nội vụ 2026 plan): "Phân công (cơ quan chủ trì/cơ quan phối hợp) và cách thức thực
    # hiện". SNV26-P1-08 (Phòng TCBC) and SNV26-P2-30 (Văn phòng Sở) share their text word for word.
    body = task_text(db, "SNV26-P1-08")
    assert body == task_text(db, "SNV26-P2-30")
    header = ["Nhiệm vụ", "Phân công (cơ quan chủ trì/cơ quan phối hợp) và cách thức thực hiện", "Tình trạng"]
    lead = ("Phòng Tổ chức, biên chế và Công chức, viên chức chủ trì, phối hợp các sở, ban, ngành và "
            "Ủy ban nhân dân cấp xã")
    plan = imp.plan_import(db, table([header, [body, lead, "Đang thực hiện"]]), "snv.xlsx",
                           agency_id=_agency(db, "Sở Nội vụ"), period="2026-Q3")
    assert [r.code for r in plan.rows] == ["SNV26-P1-08"]
    assert plan.rows[0].outcome in ("new", "changed")  # written (the sample store may hold a Q3 report)
    # A cell naming only a coordinator is no evidence of the lead: the twins stay for the officer.
    plan = imp.plan_import(db, table([header, [body, "Phối hợp với Văn phòng Sở", "Đang thực hiện"]]), "snv.xlsx",
                           agency_id=_agency(db, "Sở Nội vụ"), period="2026-Q3")
    assert [r.outcome for r in plan.rows] == ["ambiguous"]
