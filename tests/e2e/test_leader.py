"""Journeys of a provincial leader, in a real browser."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

from data_access import status as s
from data_access.vn import fmt_number
from tests import independent
from tests.e2e.conftest import LiveApp, shot
from tests.e2e.ui import metric, no_exception, settle, sign_in


def _choose(page: Any, label: str, option: str) -> None:
    """Pick `option` in the sidebar selectbox labelled `label`."""
    page.locator('[data-testid="stSidebar"] [data-testid="stSelectbox"]').filter(has_text=label).click()
    page.get_by_role("option", name=option, exact=True).click()
    settle(page)


def test_leader_sees_true_numbers_and_filters_change_them(page: Any, live_app: LiveApp, sample_db_file: Path) -> None:
    sign_in(page, live_app.url, "lanh_dao")
    no_exception(page)
    today = dt.date.today()
    expected = independent.status_counter(sample_db_file, today, plan_codes={"SNV26"})
    assert metric(page, "Tổng số nhiệm vụ") == fmt_number(sum(expected.values()))
    assert metric(page, "Quá hạn") == fmt_number(expected[s.OPEN_OVERDUE])
    shot(page, "lanh_dao_tong_quan_2026")
    _choose(page, "Năm kế hoạch", "Năm 2025")
    expected_2025 = independent.status_counter(sample_db_file, today, plan_codes={"PS25"})
    assert metric(page, "Tổng số nhiệm vụ") == fmt_number(sum(expected_2025.values()))
    assert metric(page, "Quá hạn") == fmt_number(expected_2025[s.OPEN_OVERDUE])
    assert expected_2025[s.OPEN_OVERDUE] != expected[s.OPEN_OVERDUE]  # the change is visible
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
