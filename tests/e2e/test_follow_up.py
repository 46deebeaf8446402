"""The follow-up loop in the browser: a leader raises an explanation request on a red indicator while
presenting, Sở Nội vụ records the agency's answer, and the slide shows it (at 1920x1080, 1366x768, 390x844)."""

from __future__ import annotations

import sqlite3
from typing import Any

from data_access import follow_up as fu
from data_access import meeting
from tests.e2e.conftest import ARTIFACTS, LiveApp
from tests.e2e.ui import goto_page, no_exception, settle, sign_in

N = len(meeting.SLIDE_TITLES)
ANSWER = "Quý III giảm do chuyển đổi phần mềm một cửa; dự kiến đạt trong quý IV."
SIZES = ((1920, 1080), (1366, 768), (390, 844))


def _on_slide(page: Any, number: int) -> None:
    page.wait_for_function(
        f"() => (document.querySelector('.slide-foot') || {{}}).innerText?.startsWith('Trang {number}/{N}')",
        timeout=60000)
    settle(page)


def _to_slide_4(page: Any) -> None:
    goto_page(page, "Trình chiếu")
    _on_slide(page, 1)
    for number in (2, 3, 4):
        page.keyboard.press("ArrowRight")
        _on_slide(page, number)  # one key, one slide


def _shots(page: Any, name: str) -> None:
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    for width, height in SIZES:
        page.set_viewport_size({"width": width, "height": height})
        page.wait_for_timeout(1200)
        page.screenshot(path=str(ARTIFACTS / f"{name}_{width}x{height}.png"), full_page=width < 1000)
    page.set_viewport_size({"width": 1920, "height": 1080})
    page.wait_for_timeout(800)


def _requests(db_path: Any) -> list[tuple[Any, ...]]:
    with sqlite3.connect(db_path) as conn:
        return conn.execute("SELECT id, subject_kind, subject_code, requested_by, answer, answer_document, "
                            "answered_by FROM explanation_request ORDER BY id").fetchall()


def test_leader_raises_a_request_in_the_meeting_officer_records_the_answer_slide_shows_it(
    page: Any, browser: Any, live_app: LiveApp
) -> None:
    sign_in(page, live_app.url, "lanh_dao")
    _to_slide_4(page)
    slide = page.locator("table.slide-table").first
    first_red = slide.locator("tr").nth(1).locator("td").first.inner_text()
    assert page.get_by_text("Yêu cầu giải trình", exact=True).count() == 0  # nothing asked yet

    page.mouse.move(300, 20)
    page.locator(".st-key-tc_follow_4").get_by_role("button").first.click()
    panel = page.locator('[data-testid="stPopoverBody"]')
    panel.get_by_text("Yêu cầu cơ quan giải trình").wait_for(timeout=20000)
    agency = panel.get_by_label("Cơ quan giải trình")
    agency.click()
    page.keyboard.type("Sở Tư pháp")
    page.get_by_role("option", name="Sở Tư pháp", exact=True).click()
    panel.get_by_label("Nội dung cần giải trình").fill("Giải trình nguyên nhân chỉ tiêu chưa đạt")
    panel.get_by_role("button", name="Gửi yêu cầu giải trình").click()
    settle(page)
    page.keyboard.press("Escape")
    _on_slide(page, 4)
    requests = _requests(live_app.db_path)
    assert len(requests) == 1 and (requests[0][1], requests[0][3]) == ("chi_tieu", "lanhdao")
    code = requests[0][2]
    page.locator("table.slide-table").nth(1).wait_for(timeout=30000)
    asked = page.locator("table.slide-table").nth(1).inner_text()
    assert "Sở Tư pháp" in asked and fu.STATE_LABELS[fu.OPEN] in asked
    # The item asked about is the slide's first (reddest) indicator, which the slide still lists above.
    assert f"{code}: {first_red[:20]}" in " ".join(asked.split())
    no_exception(page)

    # Sở Nội vụ records the answer from the agency's letter, on the "Giải trình" page.
    officer_ctx = browser.new_context(viewport={"width": 1920, "height": 1080}, locale="vi-VN")
    officer = officer_ctx.new_page()
    sign_in(officer, live_app.url, "chuyen_vien")
    goto_page(officer, "Giải trình")
    officer.get_by_text(f"Ghi nhận giải trình / đóng yêu cầu số {requests[0][0]}").click()
    officer.get_by_label("Nội dung giải trình (theo văn bản của cơ quan)").fill(ANSWER)
    officer.get_by_label("Văn bản giải trình (số, ký hiệu)").fill("Công văn 123/STP-VP")
    officer.get_by_role("button", name="Lưu giải trình").click()
    settle(officer)
    officer.get_by_text(f"Đã ghi nhận giải trình của Sở Tư pháp cho yêu cầu số {requests[0][0]}.").wait_for(
        timeout=30000)
    no_exception(officer)
    _shots(officer, "giai_trinh_page")
    officer_ctx.close()
    stored = _requests(live_app.db_path)[0]
    assert stored[4:] == (ANSWER, "Công văn 123/STP-VP", "chuyenvien")

    # The leader's slide shows the answer.
    page.goto(live_app.url)  # the home page (the slides hide the sidebar); still signed in
    page.get_by_text("Tổng số nhiệm vụ").first.wait_for(timeout=30000)
    settle(page)
    _to_slide_4(page)
    answered = page.locator("table.slide-table").nth(1).inner_text()
    assert "chuyển đổi phần mềm một cửa" in answered and fu.STATE_LABELS[fu.ANSWERED] in answered
    assert "Công văn 123/STP-VP" in answered
    no_exception(page)
    _shots(page, "giai_trinh_slide4")
