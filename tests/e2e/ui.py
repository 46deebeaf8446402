"""Small Playwright helpers that speak the app's Vietnamese UI."""

from __future__ import annotations

import contextlib
from typing import Any

from playwright.sync_api import TimeoutError as PlaywrightTimeout

from data_access.accounts import DEMO_ACCOUNTS

PASSWORDS = {role: (user, pw) for user, _, role, pw in DEMO_ACCOUNTS}


def settle(page: Any, timeout: float = 60000) -> None:
    """Wait until Streamlit has finished running the script (no status widget); 60 s because a loaded
    2-core CI machine can take longer than 30 s for a page run after a rerun-heavy action.

    Reruns travel over the websocket, which "networkidle" does not see; it only helps after a navigation
    (static assets, chart data). A request that lingers (seen once in CI on a sidebar filter change) must not
    fail the journey, so it is waited for briefly and the script-run widget is the gate that counts."""
    with contextlib.suppress(PlaywrightTimeout):  # the status-widget wait below decides
        page.wait_for_load_state("networkidle", timeout=min(timeout, 10000))
    page.wait_for_function(
        "() => !document.querySelector('[data-testid=\"stStatusWidget\"]')", timeout=timeout)
    page.wait_for_timeout(300)


def sign_in(page: Any, base_url: str, role: str) -> None:
    user, password = PASSWORDS[role]
    page.goto(base_url)
    page.get_by_label("Tên đăng nhập").fill(user)
    page.get_by_label("Mật khẩu").fill(password)
    page.get_by_role("button", name="Đăng nhập").click()
    page.get_by_text("Tổng số nhiệm vụ").first.wait_for(timeout=30000)
    settle(page)


def goto_page(page: Any, title: str) -> None:
    """Click a page in the sidebar navigation."""
    page.locator('[data-testid="stSidebarNav"]').get_by_role("link", name=title, exact=True).click()
    settle(page)


def metric(page: Any, label: str) -> str:
    """The value of the st.metric whose label is `label`."""
    box = page.locator('[data-testid="stMetric"]').filter(has_text=label).first
    return str(box.locator('[data-testid="stMetricValue"]').inner_text()).strip()


def metric_becomes(page: Any, label: str, expected: str, timeout: float = 30000) -> str:
    """The metric `label` once it shows `expected` (a rerun may still be arriving after `settle`), else
    its value after `timeout` ms, for the caller's assertion to report."""
    step = 250
    for _ in range(int(timeout // step)):
        if metric(page, label) == expected:
            break
        page.wait_for_timeout(step)
    return metric(page, label)


def no_exception(page: Any) -> None:
    assert page.locator('[data-testid="stException"]').count() == 0, "the page shows an exception"
    assert not getattr(page, "errors", []), f"JavaScript errors: {page.errors}"
