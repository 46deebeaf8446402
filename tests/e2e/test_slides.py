"""The meeting slides driven like a presenter would: keyboard and clicker keys, auto-advance, freezing.

At 1920x1080 and 1366x768: the counter names the slide shown, nothing scrolls, body text is >= 24 px
(measured with getComputedStyle in Chromium), and the PDF holds the same rows as the screen.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import pytest
from pypdf import PdfReader

from data_access import meeting
from tests.e2e.conftest import ARTIFACTS, LiveApp
from tests.e2e.ui import goto_page, no_exception, settle, sign_in

N = len(meeting.SLIDE_TITLES)
MEASURE = """() => {
  const px = s => [...document.querySelectorAll(s)].map(e => parseFloat(getComputedStyle(e).fontSize));
  const foot = document.querySelector('.slide-foot');
  return {
    foot: foot ? foot.innerText : '', footBottom: foot ? foot.getBoundingClientRect().bottom : 1e9,
    counter: (document.querySelector('.tc-counter') || {}).innerText || '',
    title: (document.querySelector('.slide-title') || {}).innerText || '',
    docHeight: document.documentElement.scrollHeight,
    mainScroll: document.querySelector('[data-testid="stMain"]').scrollHeight,
    body: [...px('table.slide-table td'), ...px('.slide-sub'), ...px('.kpi .label'), ...px('.slide-legend')],
    height: window.innerHeight,
  };
}"""


def _on_slide(page: Any, number: int) -> dict[str, Any]:
    """Wait until the footer says slide `number`, let charts settle, and measure the slide."""
    page.wait_for_function(
        f"() => (document.querySelector('.slide-foot') || {{}}).innerText?.startsWith('Trang {number}/{N}')",
        timeout=60000)  # auto-advance: 20 s plus a 5 s check, plus a page run on a loaded machine
    settle(page)
    page.wait_for_timeout(700)
    info: dict[str, Any] = page.evaluate(MEASURE)
    return info


def _check(info: dict[str, Any], number: int, label: str) -> None:
    assert info["title"] == meeting.SLIDE_TITLES[number - 1], (label, info["title"])
    assert info["counter"] == f"Trang {number}/{N}", (label, info["counter"])  # controls agree with the footer
    assert info["footBottom"] <= info["height"], f"{label}: slide {number} runs past the screen ({info})"
    assert info["docHeight"] <= info["height"] and info["mainScroll"] <= info["height"] + 2, f"{label}: scrolls"
    assert info["body"], f"{label}: no body text measured on slide {number}"
    assert min(info["body"]) >= 24, f"{label}: slide {number} body text {min(info['body'])} px < 24 px"


def _open_slides(page: Any, url: str) -> None:
    sign_in(page, url, "chuyen_vien")
    goto_page(page, "Trình chiếu")


@pytest.mark.parametrize(("width", "height"), [(1920, 1080), (1366, 768)])
def test_keyboard_and_clicker_keys_move_the_slides(browser: Any, live_app: LiveApp, width: int, height: int) -> None:
    context = browser.new_context(viewport={"width": width, "height": height}, locale="vi-VN")
    page = context.new_page()
    errors: list[str] = []
    page.on("pageerror", lambda exc: errors.append(str(exc)))
    try:
        _open_slides(page, live_app.url)
        label = f"{width}x{height}"
        # ArrowRight, PageDown (a clicker), Space, ArrowRight, PageDown: slides 1 to 6
        keys = ["ArrowRight", "PageDown", "Space", "ArrowRight", "PageDown"]
        for number in range(1, N + 1):
            info = _on_slide(page, number)
            _check(info, number, label)
            no_exception(page)
            ARTIFACTS.mkdir(parents=True, exist_ok=True)
            page.screenshot(path=str(ARTIFACTS / f"slides_{label}_{number}.png"))
            if number < N:
                page.keyboard.press(keys[number - 1])
        page.keyboard.press("ArrowRight")  # past the last slide: stays on 6
        page.wait_for_timeout(800)
        assert _on_slide(page, N)["counter"] == f"Trang {N}/{N}"
        page.keyboard.press("PageUp")
        _check(_on_slide(page, N - 1), N - 1, label)
        page.keyboard.press("ArrowLeft")
        _check(_on_slide(page, N - 2), N - 2, label)
        # Controls are hidden while presenting and shown when the mouse moves.
        controls = page.locator(".st-key-tc_controls")
        assert controls.evaluate("e => getComputedStyle(e).opacity") == "0"
        page.mouse.move(width // 2, height // 2)
        page.mouse.move(width // 2 + 5, height // 2 + 5)
        page.wait_for_timeout(500)
        assert controls.evaluate("e => getComputedStyle(e).opacity") == "1"
        page.screenshot(path=str(ARTIFACTS / f"slides_{label}_controls.png"))
        assert not errors, errors
    finally:
        context.close()


def test_reopening_starts_at_slide_one_and_auto_advance_keeps_the_counter_in_step(page: Any, live_app: LiveApp) -> None:
    _open_slides(page, live_app.url)
    _on_slide(page, 1)
    page.keyboard.press("ArrowRight")
    _on_slide(page, 2)  # one key, one slide: a second key before the footer shows 2 could skip past it
    page.keyboard.press("ArrowRight")
    _on_slide(page, 3)
    page.mouse.move(200, 20)
    page.locator(".st-key-tc_controls").get_by_role("link", name="Thoát").click()
    settle(page)
    goto_page(page, "Trình chiếu")
    _check(_on_slide(page, 1), 1, "reopened")  # starts at slide 1, not where it was left
    page.mouse.move(200, 20)
    page.locator(".st-key-tc_auto").get_by_text("Tự chuyển trang").click()
    settle(page)
    info = _on_slide(page, 2)  # after about 20 s, by itself
    assert info["counter"] == "Trang 2/6" and info["title"] == meeting.SLIDE_TITLES[1]
    next_button = page.locator(".st-key-tc_next button")
    prev_button = page.locator(".st-key-tc_prev button")
    assert next_button.is_enabled() and prev_button.is_enabled()  # the buttons follow the slide too
    no_exception(page)


def test_freezing_closes_the_form_and_the_pdf_holds_the_slides_rows(page: Any, live_app: LiveApp) -> None:
    _open_slides(page, live_app.url)
    _on_slide(page, 1)
    page.mouse.move(200, 20)
    page.locator(".st-key-tc_export").get_by_role("button").first.click()
    page.get_by_label("Tên cuộc họp").fill("Họp giao ban CCHC tháng 11/2026")
    page.get_by_role("button", name="Chốt số liệu", exact=True).click()
    page.locator(".slide-foot").filter(has_text="Họp giao ban CCHC tháng 11/2026").wait_for(timeout=30000)
    settle(page)
    assert page.get_by_label("Tên cuộc họp").count() == 0 or not page.get_by_label("Tên cuộc họp").is_visible()
    for number in range(1, N + 1):
        _check(_on_slide(page, number), number, "after freezing")
        if number == 4:
            shown = [c.inner_text() for c in page.locator("table.slide-table tr td:first-child").all()]
            more_on_screen = page.locator(".slide-more").inner_text()
        if number < N:
            page.keyboard.press("PageDown")
    page.mouse.move(200, 20)
    page.locator(".st-key-tc_export").get_by_role("button").first.click()
    with page.expect_download() as info:
        page.get_by_role("button", name="Tải bộ trình chiếu (PDF)").click()
    reader = PdfReader(info.value.path())
    assert len(reader.pages) == N
    text = re.sub(r"\s+", " ", reader.pages[3].extract_text())
    assert shown and len(shown) <= meeting.MAX_INDICATORS
    for name in shown:  # the same indicators as the slide, in the same order, and no others
        first_words = " ".join(name.rstrip("…").split()[:4])
        assert first_words in text, (first_words, text[:500])
    more = re.search(r"… và ([\d.]+) chỉ tiêu khác", text)
    assert more is not None and f"… và {more.group(1)} chỉ tiêu khác" in more_on_screen  # same rows left off
    Path(info.value.path()).replace(ARTIFACTS / "trinh_chieu_chot.pdf")
