"""Vietnam time in the browser: the default "Số liệu tính đến ngày" is today in Khánh Hòa, and a date typed
into the sidebar is applied by pressing Enter."""

from __future__ import annotations

from typing import Any

from data_access.clock import today_vn
from data_access.vn import fmt_date
from tests.e2e.conftest import LiveApp, shot
from tests.e2e.ui import no_exception, settle, sign_in


def test_today_is_vietnamese_and_enter_applies_a_typed_date(page: Any, live_app: LiveApp) -> None:
    sign_in(page, live_app.url, "lanh_dao")
    main = page.locator(".stMainBlockContainer")
    assert f"Số liệu tính đến ngày {fmt_date(today_vn())}" in main.inner_text()
    day, month, year = (page.locator('.st-key-f_as_of [role="spinbutton"]').nth(i) for i in range(3))
    day.click()
    page.keyboard.type("30")
    page.keyboard.type("09")
    page.keyboard.type("2026")
    assert [day.inner_text(), month.inner_text(), year.inner_text()] == ["30", "09", "2026"]
    page.keyboard.press("Enter")  # nothing else: no click elsewhere, no Tab
    main.get_by_text("Số liệu tính đến ngày 30/09/2026").first.wait_for(timeout=30000)
    settle(page)
    no_exception(page)
    shot(page, "ngay_nhap_enter")
