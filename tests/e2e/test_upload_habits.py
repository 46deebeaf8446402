"""The upload page in Chromium on a return as agencies really write it (issue 11): status as prose shown
beside the state it was read as, hidden rows and instruction sheets listed as skipped, and a return
declared under a name from before the 2025 merger recorded for the successor with a note."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import openpyxl
from openpyxl.worksheet.worksheet import Worksheet

from data_access.db import make_engine
from tests.e2e.conftest import LiveApp, shot
from tests.e2e.ui import goto_page, no_exception, settle, sign_in
from tests.importer_files import save, task_text


def _prose_return(app: LiveApp) -> bytes:
    engine = make_engine(f"sqlite:///{app.db_path}")
    try:
        texts = {code: task_text(engine, code) for code in ("SNV26-P1-07", "SNV26-P1-08", "SNV26-P1-03")}
    finally:
        engine.dispose()
    wb = openpyxl.Workbook()
    guide = wb.active
    assert isinstance(guide, Worksheet)
    guide.title = "Hướng dẫn"
    guide.append(["Mã nhiệm vụ", "Nội dung công việc", "Kết quả thực hiện"])
    guide.append(["SNV26-P1-07", "Ví dụ", "Đã hoàn thành"])
    ws = wb.create_sheet("Báo cáo")
    ws.append(["BÁO CÁO KẾT QUẢ THỰC HIỆN NHIỆM VỤ CẢI CÁCH HÀNH CHÍNH QUÝ IV/2026"])
    ws.append(["Cơ quan báo cáo: Sở Nội vụ"])
    ws.append(["STT", "Mã nhiệm vụ", "Nội dung công việc", "Kết quả thực hiện", "Số, ký hiệu văn bản"])
    ws.append([1, "SNV26-P1-07", texts["SNV26-P1-07"], "Đã hoàn thành dự thảo Quyết định, đang lấy ý kiến", None])
    ws.append([2, "SNV26-P1-08", texts["SNV26-P1-08"], "Chưa hoàn thành, đạt 80% kế hoạch", None])
    ws.append([3, "SNV26-P1-03", texts["SNV26-P1-03"], "Hoàn thành 100% (QĐ số 45/QĐ-SNV ngày 20/10/2026)",
               "45/QĐ-SNV"])
    ws.append([3, "SNV26-P1-03", texts["SNV26-P1-03"], "Đã hoàn thành", None])  # 7: a stale copy, hidden
    ws.row_dimensions[7].hidden = True
    ws.column_dimensions["C"].width = 60
    ws.column_dimensions["D"].width = 50
    return save(wb)


def test_officer_sees_how_each_prose_cell_was_read_and_what_was_skipped(
    page: Any, live_app: LiveApp, tmp_path: Path
) -> None:
    sign_in(page, live_app.url, "chuyen_vien")
    goto_page(page, "Cập nhật số liệu")
    path = tmp_path / "bao-cao-van-xuoi.xlsx"
    path.write_bytes(_prose_return(live_app))
    page.locator('[data-testid="stFileUploaderDropzoneInput"]').set_input_files(str(path))
    page.get_by_role("button", name="Xác nhận cập nhật").wait_for(timeout=60000)
    settle(page)
    no_exception(page)
    body = page.locator("body").inner_text()
    assert ("Đã bỏ qua 1 dòng đang ẩn (trang 'Báo cáo': dòng 7); 1 trang hướng dẫn/ví dụ ('Hướng dẫn')." in body)
    page.get_by_text("Các phần được bỏ qua (2)").click()
    settle(page)
    shot(page, "upload_van_xuoi_1920")
    for width, height, name in ((1920, 1080, "upload_van_xuoi_bang_1920"), (1366, 768, "upload_van_xuoi_1366"),
                                (390, 844, "upload_van_xuoi_390")):
        page.set_viewport_size({"width": width, "height": height})
        settle(page)
        page.locator('[role="tabpanel"] [data-testid="stDataFrame"]').first.scroll_into_view_if_needed()
        page.wait_for_timeout(500)
        shot(page, name)
    page.set_viewport_size({"width": 1920, "height": 1080})
    settle(page)
    page.get_by_role("button", name="Xác nhận cập nhật").click()
    page.get_by_text("Đã cập nhật").first.wait_for(timeout=60000)
    settle(page)
    no_exception(page)
    engine = make_engine(f"sqlite:///{live_app.db_path}")
    try:
        with engine.connect() as conn:
            from sqlalchemy import text

            got = dict(conn.execute(text(
                "SELECT t.code, r.state || ':' || coalesce(r.progress_pct, '') FROM statusreport r "
                "JOIN assignment a ON a.id = r.assignment_id JOIN task t ON t.id = a.task_id "
                "WHERE r.period = '2026-Q4' AND r.upload_id IS NOT NULL")).all())
    finally:
        engine.dispose()
    assert got == {"SNV26-P1-07": "dang_thuc_hien:", "SNV26-P1-08": "dang_thuc_hien:80.0",
                   "SNV26-P1-03": "hoan_thanh:100.0"}


def test_old_agency_name_is_selectable_and_recorded_for_the_successor(page: Any, live_app: LiveApp) -> None:
    sign_in(page, live_app.url, "chuyen_vien")
    goto_page(page, "Cập nhật số liệu")
    engine = make_engine(f"sqlite:///{live_app.db_path}")
    try:
        text_kh = task_text(engine, "KH24-06")
    finally:
        engine.dispose()
    wb = openpyxl.Workbook()
    ws = wb.active
    assert isinstance(ws, Worksheet)
    ws.title = "Báo cáo"
    ws.append(["BÁO CÁO KẾT QUẢ THỰC HIỆN NHIỆM VỤ CẢI CÁCH HÀNH CHÍNH QUÝ IV/2024"])
    ws.append(["Cơ quan báo cáo: Sở Kế hoạch và Đầu tư"])
    ws.append(["Mã nhiệm vụ", "Nhiệm vụ", "Tình trạng"])
    ws.append(["KH24-06", text_kh, "Đã hoàn thành"])
    page.locator('[data-testid="stFileUploaderDropzoneInput"]').set_input_files(
        files=[{"name": "khdt.xlsx", "mimeType": "application/octet-stream", "buffer": save(wb)}])
    page.get_by_role("button", name="Xác nhận cập nhật").wait_for(timeout=60000)
    settle(page)
    no_exception(page)
    body = page.locator("body").inner_text()
    assert ("Sở Kế hoạch và Đầu tư đã được sắp xếp, hợp nhất vào Sở Tài chính từ 01/03/2025; báo cáo được ghi "
            "cho Sở Tài chính.") in body
    assert "khdt.xlsx · Sở Tài chính · Quý IV/2024" in body
    page.get_by_label("Cơ quan báo cáo").last.click()
    page.keyboard.type("Kế hoạch và Đầu tư")
    page.get_by_role("option", name="Sở Kế hoạch và Đầu tư → Sở Tài chính").wait_for(timeout=10000)
    shot(page, "upload_ten_cu")
    page.keyboard.press("Escape")
