"""Vietnamese everywhere the user looks: no Streamlit English chrome on any page, in Chromium.

The rendered DOM text (body.innerText) of every page a leader and an officer can open is checked
against English UI strings Streamlit would show (menus, toolbars, status, 404); the sign-in page of
a freshly started server lists no page names; a mistyped address gets a Vietnamese page.
"""

from __future__ import annotations

import contextlib
import re
from typing import Any

import pytest
from playwright.sync_api import TimeoutError as PlaywrightTimeout

from tests.e2e.conftest import ARTIFACTS
from tests.e2e.ui import no_exception, settle, sign_in
from ui.nav import PAGES, visible_pages

# Streamlit's English UI strings, as a leader would see them. Extend when Streamlit adds new ones.
ENGLISH = (
    "Show data", "Download as CSV", "Search", "Fullscreen", "View fullscreen", "Close fullscreen",
    "Page not found", "You have requested page", "Print", "Record a screencast", "Record screen",
    "Made with Streamlit", "Deploy", "Running", "Rerun", "Clear cache", "Settings", "About", "Stop",
    "Skip to main content", "Drag and drop", "Browse files", "per file", "Press Enter", "No results",
    "Choose an option", "Select all", "Please wait", "Connecting", "Something went wrong", "Traceback",
    "Sort ascending", "Sort descending",
)
PATTERN = re.compile(r"\b(" + "|".join(re.escape(w) for w in ENGLISH) + r")\b")


# The text a user can see: every text node of the rendered DOM, except inside elements not rendered
# (display: none, so no client rects), invisible, or drawn at font-size 0 (how the upload page replaces
# Streamlit's uploader hint with its own Vietnamese text).
VISIBLE_TEXT = """() => {
  const out = [];
  const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
  while (walker.nextNode()) {
    const node = walker.currentNode, el = node.parentElement;
    if (!el || !node.textContent.trim() || !el.getClientRects().length) continue;
    const style = getComputedStyle(el);
    if (style.visibility === "hidden" || parseFloat(style.fontSize) === 0) continue;
    out.push(node.textContent);
  }
  return out.join("\\n");
}"""


def _english(page: Any) -> list[str]:
    text = str(page.evaluate(VISIBLE_TEXT))
    assert len(text) > 20, "no visible text measured"
    return sorted(set(PATTERN.findall(text)))


def _new_page(browser: Any, width: int = 1920, height: int = 1080) -> Any:
    return browser.new_context(viewport={"width": width, "height": height}, locale="vi-VN").new_page()


def _reveal_toolbars(page: Any) -> None:
    """Hover the first chart and table: Streamlit shows their toolbars ("Show data", "Search") on hover."""
    # Only what is shown: on a phone the wide tables are hidden in favour of lists (ui/phone.py).
    for selector in ('[data-testid="stVegaLiteChart"]:visible', '[data-testid="stDataFrame"]:visible'):
        element = page.locator(selector).first
        if element.count():
            element.scroll_into_view_if_needed()
            element.hover()
            page.wait_for_timeout(300)


def test_sign_in_page_of_a_fresh_server_lists_no_pages(browser: Any, live_app: Any) -> None:
    page = _new_page(browser)
    try:
        page.goto(live_app.url)  # the first request this server answers
        page.get_by_label("Tên đăng nhập").wait_for(timeout=30000)
        settle(page)
        text = str(page.evaluate("() => document.body.innerText")).casefold()
        sidebar = page.locator('[data-testid="stSidebar"]')
        side = sidebar.inner_text().casefold() if sidebar.count() else ""
        assert page.locator('[data-testid="stSidebarNav"]').count() == 0
        for spec in PAGES:
            stem = spec.path.rsplit("/", 1)[-1].removesuffix(".py")
            for name in (stem, stem.replace("_", " ")):  # raw file names, as the pages/ folder listing shows
                assert name.casefold() not in text, f"the sign-in page shows {name!r}"
            assert spec.title.casefold() not in side, f"the sign-in sidebar lists {spec.title!r}"
            assert page.locator(f'a[href$="/{spec.url_path}"], a[href$="/{stem}"]').count() == 0, spec.url_path
        assert not _english(page), _english(page)
        assert page.locator('[data-testid="stMainMenu"]').filter(has=page.locator(":visible")).count() == 0
        # a page asked for before sign-in still answers with the sign-in form, not a page list or an error
        page.goto(f"{live_app.url}/chi-tieu")
        page.get_by_label("Tên đăng nhập").wait_for(timeout=30000)
        settle(page)
        assert page.locator('[data-testid="stSidebarNav"]').count() == 0 and not _english(page)
    finally:
        page.context.close()


@pytest.mark.parametrize("role", ["lanh_dao", "chuyen_vien"])
def test_no_page_shows_english_ui(browser: Any, live_app: Any, role: str) -> None:
    page = _new_page(browser)
    try:
        sign_in(page, live_app.url, role)
        for spec in visible_pages(role):
            page.goto(f"{live_app.url}/{spec.url_path}")
            settle(page)
            # The page's first run may not have started when `settle` looks (a loaded machine): wait for content.
            page.wait_for_function(
                "() => (document.querySelector('.stMainBlockContainer')?.innerText || '').trim().length > 0",
                timeout=60000)
            settle(page)
            page.wait_for_timeout(800)
            no_exception(page)
            # Streamlit's own "connecting" modal can show for a moment on a loaded machine and closes by itself;
            # a dialog of the app would stay open and fail here.
            with contextlib.suppress(PlaywrightTimeout):
                page.locator('[data-testid="stDialog"]').first.wait_for(state="detached", timeout=30000)
            assert page.locator('[data-testid="stDialog"]').count() == 0, (spec.url_path, "a dialog is open")
            assert page.locator(".stMainBlockContainer").inner_text().strip(), spec.url_path
            _reveal_toolbars(page)
            assert not _english(page), (role, spec.title, _english(page))
            toolbars = page.locator('[data-testid="stElementToolbar"]:visible, [data-testid="stMainMenu"]:visible')
            assert toolbars.count() == 0, (role, spec.title)
        page.goto(f"{live_app.url}/trang-khong-co")
        page.get_by_text("Không tìm thấy trang").first.wait_for(timeout=30000)
        settle(page)
        assert not _english(page), _english(page)
        page.get_by_text("Về trang Tổng quan").wait_for(timeout=30000)
    finally:
        page.context.close()


def test_phone_view_has_no_english_chrome(browser: Any, live_app: Any) -> None:
    page = _new_page(browser, 390, 844)
    try:
        sign_in(page, live_app.url, "lanh_dao")
        for url_path in ("tong-quan", "qua-han-co-quan"):
            page.goto(f"{live_app.url}/{url_path}")
            settle(page)
            page.wait_for_timeout(800)
            ARTIFACTS.mkdir(parents=True, exist_ok=True)
            page.screenshot(path=str(ARTIFACTS / f"khong_tieng_anh_390_{url_path}.png"))  # the first screen
            assert page.locator('[data-testid="stMainMenu"]:visible').count() == 0
            _reveal_toolbars(page)
            assert not _english(page), (url_path, _english(page))
    finally:
        page.context.close()

