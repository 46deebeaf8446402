"""Journeys of a provincial leader, in a real browser."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from data_access import status
from data_access.clock import today_vn
from data_access.vn import fmt_number
from tests import independent
from tests.e2e.conftest import LiveApp, shot
from tests.e2e.ui import metric, metric_becomes, no_exception, settle, sign_in


def _choose(page: Any, label: str, option: str) -> None:
    """Pick `option` in the sidebar selectbox labelled `label`."""
    page.locator('[data-testid="stSidebar"] [data-testid="stSelectbox"]').filter(has_text=label).click()
    page.get_by_role("option", name=option, exact=True).click()
    settle(page)


def test_leader_sees_true_numbers_and_filters_change_them(page: Any, live_app: LiveApp, sample_db_file: Path) -> None:
    sign_in(page, live_app.url, "lanh_dao")
    no_exception(page)
    today = today_vn()
    expected = independent.status_counter(sample_db_file, today, plan_codes={"SNV26"})
    assert metric(page, "Tổng số nhiệm vụ") == fmt_number(sum(expected.values()))
    assert metric(page, "Quá hạn") == fmt_number(expected[status.OPEN_OVERDUE])
    shot(page, "lanh_dao_tong_quan_2026")
    _choose(page, "Năm kế hoạch", "Năm 2025")
    expected_2025 = independent.status_counter(sample_db_file, today, plan_codes={"PS25"})
    total_2025 = fmt_number(sum(expected_2025.values()))
    assert metric_becomes(page, "Tổng số nhiệm vụ", total_2025) == total_2025
    assert metric(page, "Quá hạn") == fmt_number(expected_2025[status.OPEN_OVERDUE])
    assert expected_2025[status.OPEN_OVERDUE] != expected[status.OPEN_OVERDUE]  # the change is visible
    no_exception(page)
    shot(page, "lanh_dao_tong_quan_2025")


def test_leader_cannot_reach_the_upload_page(page: Any, live_app: LiveApp) -> None:
    sign_in(page, live_app.url, "lanh_dao")
    nav = page.locator('[data-testid="stSidebarNav"]').inner_text()
    assert "Cập nhật số liệu" not in nav and "Tài khoản" not in nav
    page.goto(f"{live_app.url}/cap-nhat")
    page.get_by_text("Bạn không có quyền truy cập trang này.").wait_for(timeout=30000)
    settle(page)
    assert page.locator('[data-testid="stFileUploader"]').count() == 0
    # The session was restored from the cookie (a URL opens a new one): the person's name is still shown.
    assert "Lãnh đạo (trình diễn)" in page.locator('[data-testid="stSidebar"]').inner_text()
    shot(page, "lanh_dao_bi_tu_choi")


def test_sign_in_survives_refresh_and_sign_out_survives_too(page: Any, live_app: LiveApp) -> None:
    sign_in(page, live_app.url, "lanh_dao")
    page.reload()
    page.get_by_text("Tổng số nhiệm vụ").first.wait_for(timeout=30000)  # still signed in
    settle(page)
    page.get_by_role("button", name="Đăng xuất").click()
    page.get_by_label("Tên đăng nhập").wait_for(timeout=30000)
    settle(page)
    page.reload()
    page.get_by_label("Tên đăng nhập").wait_for(timeout=30000)  # still signed out
    settle(page)
    assert page.get_by_text("Tổng số nhiệm vụ").count() == 0
    shot(page, "dang_xuat_sau_khi_tai_lai")


def test_leader_drills_into_overdue_list_task_history_and_downloads_xlsx(page: Any, live_app: LiveApp) -> None:
    import io
    import sqlite3

    import openpyxl

    from data_access import queries as q
    from data_access.db import make_engine
    from tests.e2e.ui import goto_page

    sign_in(page, live_app.url, "lanh_dao")
    goto_page(page, "Quá hạn theo cơ quan")
    no_exception(page)
    with page.expect_download() as info:
        page.get_by_role("button", name="Tải bảng (Excel)").first.click()
    wb = openpyxl.load_workbook(io.BytesIO(Path(info.value.path()).read_bytes()))
    ws = wb.active
    # Row 1 the title, row 2 the as-of date, row 3 the bold frozen header with a filter, then typed cells.
    assert ws["A2"].value.startswith(f"Số liệu tính đến ngày {today_vn():%d/%m/%Y}")
    assert ws["A3"].value == "Cơ quan chủ trì" and ws["A3"].font.bold
    assert ws.freeze_panes == "A4" and ws.auto_filter.ref.startswith("A3:")
    rows = [r for r in ws.iter_rows(min_row=4, values_only=True) if any(v is not None for v in r)]
    assert all(isinstance(r[1], int) for r in rows) and ws["B4"].number_format == "#,##0"  # numbers, not text
    engine = make_engine(f"sqlite:///{live_app.db_path}")
    plan_id = int(q.plans(engine).set_index("code").loc["SNV26", "id"])
    expected = q.overdue_by_agency(engine, q.Filters(as_of=today_vn(), plan_ids=(plan_id,)))
    engine.dispose()
    assert [r[0] for r in rows] == list(expected["agency"])  # same agencies, same order as the store
    shot(page, "lanh_dao_qua_han_co_quan")

    goto_page(page, "Nhiệm vụ")
    con = sqlite3.connect(live_app.db_path)
    code, n_reports = con.execute(
        "SELECT t.code, count(r.id) FROM task t JOIN plan p ON p.id = t.plan_id "
        "JOIN assignment a ON a.task_id = t.id JOIN statusreport r ON r.assignment_id = a.id "
        "WHERE p.code = 'SNV26' GROUP BY t.code ORDER BY count(r.id) DESC, t.code LIMIT 1").fetchone()
    con.close()
    box = page.locator('[data-testid="stSelectbox"]').filter(has_text="Chọn nhiệm vụ")
    box.click()
    page.keyboard.type(code)
    page.keyboard.press("Enter")
    settle(page)
    page.get_by_text(f"Lịch sử báo cáo ({fmt_number(n_reports)} báo cáo)").wait_for(timeout=30000)
    no_exception(page)
    shot(page, "lanh_dao_lich_su_nhiem_vu")
