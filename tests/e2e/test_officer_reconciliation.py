"""Journey of a Sở Nội vụ officer reconciling a return whose rows do not all match a task:
suggestions confirmed row by row, one row left out, apply, the store checked."""

from __future__ import annotations

import sqlite3
from pathlib import Path
from typing import Any

from data_access.db import make_engine
from tests.e2e.conftest import LiveApp, shot
from tests.e2e.ui import goto_page, metric, no_exception, settle, sign_in
from tests.test_page_upload import reconciliation_return

VIEWPORTS = {"1920x1080": (1920, 1080), "1366x768": (1366, 768), "390x844": (390, 844)}


def _reports(db_path: Path, upload_id: int) -> list[tuple[str, str, float]]:
    with sqlite3.connect(db_path) as con:
        return [tuple(r) for r in con.execute(
            "SELECT t.code, r.state, r.progress_pct FROM statusreport r JOIN assignment a ON a.id = r.assignment_id "
            "JOIN task t ON t.id = a.task_id WHERE r.upload_id = ? ORDER BY t.code", (upload_id,))]


def test_officer_confirms_suggestions_leaves_a_row_out_and_applies(page: Any, live_app: LiveApp,
                                                                    tmp_path: Path) -> None:
    engine = make_engine(f"sqlite:///{live_app.db_path}")
    data = reconciliation_return(engine)
    engine.dispose()
    path = tmp_path / "bao-cao-snv-quy-iv-2026.xlsx"
    path.write_bytes(data)

    sign_in(page, live_app.url, "chuyen_vien")
    goto_page(page, "Cập nhật số liệu")
    page.locator('[data-testid="stFileUploaderDropzoneInput"]').set_input_files(str(path))
    page.get_by_role("button", name="Xác nhận lựa chọn").wait_for(timeout=60000)
    settle(page)
    no_exception(page)
    assert (metric(page, "Chưa khớp"), metric(page, "Cần xác nhận")) == ("2", "1")
    assert page.get_by_role("heading", name="Đối chiếu").count() == 1
    for name, (w, h) in VIEWPORTS.items():
        page.set_viewport_size({"width": w, "height": h})
        settle(page)
        page.get_by_role("heading", name="Đối chiếu").scroll_into_view_if_needed()
        shot(page, f"doi_chieu_truoc_{name}")
        page.locator('[data-testid="stRadio"]').nth(1).scroll_into_view_if_needed()
        shot(page, f"doi_chieu_truoc_dong_5_{name}")
    page.set_viewport_size({"width": 1920, "height": 1080})
    settle(page)

    radios = page.locator('[data-testid="stRadio"]')
    assert radios.count() == 3  # rows 4, 5, 6 of the return
    radios.nth(0).locator("label").filter(has_text="SNV26-P2-37 · điểm").click()  # the retyped row: top suggestion
    radios.nth(1).locator("label").filter(has_text="SNV26-P1-26 · điểm").click()  # the twins: the Phòng CCHC task
    radios.nth(2).locator("label").filter(has_text="Bỏ qua dòng này").click()  # a task of no plan: left out
    page.get_by_role("button", name="Xác nhận lựa chọn").click()
    page.get_by_text("Đã chọn cho 3 dòng").wait_for(timeout=60000)
    settle(page)
    no_exception(page)
    assert (metric(page, "Chưa khớp"), metric(page, "Cần xác nhận"), metric(page, "Mới")) == ("0", "0", "3")
    for name, (w, h) in VIEWPORTS.items():
        page.set_viewport_size({"width": w, "height": h})
        settle(page)
        page.get_by_role("heading", name="Đối chiếu").scroll_into_view_if_needed()
        shot(page, f"doi_chieu_da_chon_{name}")
    page.set_viewport_size({"width": 1920, "height": 1080})
    settle(page)
    with sqlite3.connect(live_app.db_path) as con:
        assert con.execute("SELECT COUNT(*) FROM upload").fetchone() == (0,)  # nothing written before confirming

    page.get_by_role("button", name="Xác nhận cập nhật").click()
    page.get_by_text("Đã cập nhật").first.wait_for(timeout=60000)
    settle(page)
    no_exception(page)
    shot(page, "doi_chieu_da_cap_nhat_1920x1080")
    with sqlite3.connect(live_app.db_path) as con:
        upload_id = con.execute("SELECT MAX(id) FROM upload").fetchone()[0]
        remembered = con.execute("SELECT t.code FROM task_text_alias p JOIN task t ON t.id = p.task_id").fetchall()
    assert _reports(live_app.db_path, upload_id) == [("SNV26-P1-07", "dang_thuc_hien", 35.0),
                                                     ("SNV26-P1-26", "dang_thuc_hien", 70.0),
                                                     ("SNV26-P2-37", "dang_thuc_hien", 45.0)]
    assert remembered == [("SNV26-P2-37",)]
