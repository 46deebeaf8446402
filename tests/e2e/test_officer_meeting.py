"""Journeys of a Sở Nội vụ officer (template, upload, dry run, apply) and of a review meeting."""

from __future__ import annotations

import datetime as dt
import io
from pathlib import Path
from typing import Any

import openpyxl
from pypdf import PdfReader

from data_access import meeting, status
from data_access.clock import today_vn
from data_access.vn import fmt_pct
from tests import independent
from tests.e2e.conftest import ARTIFACTS, LiveApp, shot
from tests.e2e.ui import goto_page, metric, no_exception, settle, sign_in


def _fill_template(data: bytes, done_on: dt.date) -> bytes:
    """Report every task of the template as completed on `done_on` (as an officer would in Excel)."""
    wb = openpyxl.load_workbook(io.BytesIO(data))
    ws = wb["Báo cáo"]
    header_row = next(r for r in range(1, 30) if ws.cell(r, 1).value == "Mã nhiệm vụ")
    columns = {ws.cell(header_row, c).value: c for c in range(1, ws.max_column + 1)}
    filled = 0
    for row in range(header_row + 1, ws.max_row + 1):
        if not ws.cell(row, 1).value:
            continue
        ws.cell(row, columns["Tình trạng"], "Đã hoàn thành")
        ws.cell(row, columns["Tỷ lệ hoàn thành (%)"], 100)
        ws.cell(row, columns["Ngày hoàn thành"], done_on)
        ws.cell(row, columns["Văn bản/sản phẩm"], "Báo cáo số 123/BC-SNV")
        filled += 1
    assert filled > 0
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()


def test_officer_downloads_template_uploads_it_and_sees_the_overview_change(
    page: Any, live_app: LiveApp, tmp_path: Path
) -> None:
    sign_in(page, live_app.url, "chuyen_vien")
    today = today_vn()  # the app counts in Vietnam time, whatever the server clock zone
    before = independent.status_counter(live_app.db_path, today, plan_codes={"SNV26"})
    pct_before = 100.0 * (before[status.DONE_ON_TIME] + before[status.DONE_LATE]) / sum(before.values())
    assert metric(page, "Đã hoàn thành") == fmt_pct(pct_before, 1)

    goto_page(page, "Cập nhật số liệu")
    no_exception(page)
    page.get_by_text("1. Tải biểu mẫu báo cáo quý").click()
    with page.expect_download() as info:
        page.get_by_role("button", name="Tải biểu mẫu (.xlsx)").click()
    template = Path(info.value.path()).read_bytes()
    assert template[:2] == b"PK"
    filled = tmp_path / "bao-cao-quy-iii-2026.xlsx"
    filled.write_bytes(_fill_template(template, dt.date(2026, 9, 15)))

    page.locator('[data-testid="stFileUploaderDropzoneInput"]').set_input_files(str(filled))
    page.get_by_role("button", name="Xác nhận cập nhật").wait_for(timeout=60000)
    settle(page)
    no_exception(page)
    assert page.get_by_role("tab").filter(has_text="Mới").count() == 1
    shot(page, "chuyen_vien_xem_truoc")
    page.get_by_role("button", name="Xác nhận cập nhật").click()
    page.get_by_text("Đã cập nhật").first.wait_for(timeout=60000)
    settle(page)
    shot(page, "chuyen_vien_da_cap_nhat")

    goto_page(page, "Tổng quan")
    after = independent.status_counter(live_app.db_path, today, plan_codes={"SNV26"})
    pct_after = 100.0 * (after[status.DONE_ON_TIME] + after[status.DONE_LATE]) / sum(after.values())
    assert pct_after > pct_before
    assert metric(page, "Đã hoàn thành") == fmt_pct(pct_after, 1)
    no_exception(page)
    shot(page, "chuyen_vien_tong_quan_sau_cap_nhat")


def test_meeting_slides_advance_and_the_pdf_downloads(page: Any, live_app: LiveApp) -> None:
    sign_in(page, live_app.url, "chuyen_vien")
    goto_page(page, "Trình chiếu")
    for number, title in enumerate(meeting.SLIDE_TITLES, start=1):
        page.locator(".slide-title").filter(has_text=title).wait_for(timeout=30000)
        settle(page)
        no_exception(page)
        page.wait_for_timeout(500)  # let charts take their final size
        scroll, visible = page.evaluate(
            "() => { const m = document.querySelector('[data-testid=\"stMain\"]'); "
            "return [m.scrollHeight, m.clientHeight]; }")
        assert scroll <= visible + 2, f"slide {number} scrolls ({scroll} > {visible} px) at 1920x1080"
        shot(page, f"trinh_chieu_{number}")
        if number < len(meeting.SLIDE_TITLES):
            page.get_by_role("button", name="Sau ▶").click()
    page.get_by_text("Xuất và chốt số liệu").click()
    with page.expect_download() as info:
        page.get_by_role("button", name="Tải bộ trình chiếu (PDF)").click()
    pdf = PdfReader(info.value.path())
    assert len(pdf.pages) == 6
    assert "Tiến độ theo lĩnh vực" in pdf.pages[1].extract_text()
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    Path(info.value.path()).replace(ARTIFACTS / "trinh_chieu.pdf")


def test_bad_files_get_a_vietnamese_refusal_in_the_browser(page: Any, live_app: LiveApp, tmp_path: Path) -> None:
    import os

    sign_in(page, live_app.url, "chuyen_vien")
    goto_page(page, "Cập nhật số liệu")
    csv = tmp_path / "bao-cao.xlsx"
    csv.write_text("Mã nhiệm vụ,Tình trạng\nSNV26-P1-01,Đã hoàn thành\n", encoding="utf-8")
    big = tmp_path / "bao-cao-lon.xlsx"
    big.write_bytes(os.urandom(11 * 1024 * 1024))  # over the 10 MB limit, under Streamlit's 50 MB ceiling
    legacy = tmp_path / "bao-cao-cu.xls"  # an Excel 97-2003 file (OLE2 signature)
    legacy.write_bytes(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(4096))
    for path, message in ((csv, "CSV"), (legacy, ".xls cũ"), (big, "Tệp quá lớn")):
        page.locator('[data-testid="stFileUploaderDropzoneInput"]').set_input_files(str(path))
        page.locator('[data-testid="stAlert"]').filter(has_text="Tệp bị từ chối, không có gì được ghi.").filter(
            has_text=message).wait_for(timeout=60000)
        settle(page)
        text = page.locator('[data-testid="stMain"]').inner_text()
        assert message in text and "File must be" not in text
        no_exception(page)
    shot(page, "chuyen_vien_tep_qua_lon")
