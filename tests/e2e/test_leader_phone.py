"""A leader on a 390x844 phone: overview → overdue by agency → one agency → one task → its report history.

On a phone the pages show red-first link lists instead of wide tables (ui/phone.py), the headline cards two to a
row with "Quá hạn" on the first screen, and charts whose bars are drawn at 360 px.
"""

from __future__ import annotations

import sqlite3
from typing import Any

import pandas as pd

from data_access import queries as q
from data_access.clock import today_vn
from data_access.db import make_engine
from data_access.vn import fmt_number, fmt_period, vi_sort_key
from tests.e2e.conftest import LiveApp, shot
from tests.e2e.ui import no_exception, settle, sign_in

PHONE = {"width": 390, "height": 844}
BAR_WIDTHS = """(root) => [...document.querySelectorAll('.vega-embed')].map(e =>
    Math.max(0, ...[...e.querySelectorAll('path[aria-roledescription="bar"]')].map(b => b.getBoundingClientRect().width)))"""


def _ranking(db_path: Any) -> pd.DataFrame:
    """Every year's lead agencies with overdue tasks, in the page's order (most overdue first, then coordination,
    then Vietnamese alphabetical order)."""
    engine = make_engine(f"sqlite:///{db_path}")
    ranking = q.overdue_by_agency(engine, q.Filters(as_of=today_vn()))
    engine.dispose()
    ranking = ranking.iloc[sorted(range(len(ranking)), key=lambda i: (
        -int(ranking["overdue"].iloc[i]), -int(ranking["coord_overdue"].iloc[i]),
        vi_sort_key(str(ranking["agency"].iloc[i]))))]
    return ranking[ranking["overdue"] > 0].reset_index(drop=True)


def _bar_widths(page: Any) -> list[float]:
    """The widest bar of every chart on the page, once every chart has drawn (Vega draws after the page run)."""
    page.wait_for_function("""() => { const charts = [...document.querySelectorAll('.vega-embed')];
        return charts.length > 0 && charts.every(e => e.querySelector('path[aria-roledescription="bar"]')); }""",
                           timeout=30000)
    return list(page.evaluate(BAR_WIDTHS))


def _phone_rows(page: Any, name: str) -> Any:
    return page.locator(f'[class*="st-key-phone_row_{name}_"]')


def test_leader_on_a_phone_goes_from_agency_to_task_history(browser: Any, live_app: LiveApp) -> None:
    context = browser.new_context(viewport=PHONE, locale="vi-VN", is_mobile=True, has_touch=False)
    page = context.new_page()
    errors: list[str] = []
    page.on("pageerror", lambda exc: errors.append(str(exc)))
    page.errors = errors
    try:
        sign_in(page, live_app.url, "lanh_dao")
        no_exception(page)
        # The red number is on the first screen, two cards to a row: "Quá hạn" first, "Chỉ tiêu chưa đạt" beside it.
        overdue = page.locator('[data-testid="stMetric"]').filter(has_text="Quá hạn").first.bounding_box()
        red = page.locator('[data-testid="stMetric"]').filter(has_text="Chỉ tiêu chưa đạt").first.bounding_box()
        assert overdue["y"] + overdue["height"] <= PHONE["height"], overdue
        assert abs(overdue["y"] - red["y"]) < 2 and overdue["x"] < red["x"], (overdue, red)
        assert overdue["width"] < PHONE["width"] / 2
        # Every chart draws its bars on a 360 px screen (labels no longer take the whole width).
        widths = _bar_widths(page)
        assert widths and all(w > 20 for w in widths), widths
        shot(page, "dien_thoai_tong_quan")

        ranking = _ranking(live_app.db_path)
        assert len(ranking) >= 2, "the sample store should have several agencies with overdue tasks"
        # A shared link with the filters in it (every year): the same figures on the phone.
        page.goto(f"{live_app.url}/qua-han-co-quan?nam=tat-ca")
        page.get_by_text("Chi tiết một cơ quan").wait_for(timeout=30000)
        settle(page)
        no_exception(page)
        widths = _bar_widths(page)
        assert widths and all(w > 20 for w in widths), widths
        # No wide ranking table on a phone: a list, most overdue first, each row a link to the agency's tasks.
        assert page.locator('[class*="st-key-wide_only_agencies"]').first.is_hidden()
        rows = _phone_rows(page, "agencies")
        first_rows = [rows.nth(i).inner_text() for i in range(2)]
        for text, (_, agency) in zip(first_rows, ranking.head(2).iterrows(), strict=True):
            assert text.startswith(f"{agency['agency']}: {fmt_number(int(agency['overdue']))} quá hạn"), text
        # Tap the second agency, so that the tap (not the default first agency) decides.
        top = ranking.iloc[1]
        rows.nth(1).get_by_role("link").click()
        page.get_by_text(f"Chủ trì, đang quá hạn: {fmt_number(int(top['overdue']))} nhiệm vụ").first.wait_for(
            timeout=30000)
        settle(page)
        assert f"co_quan={int(top['agency_id'])}" in page.url and "nam=tat-ca" in page.url  # shareable as it stands
        tasks = _phone_rows(page, "drill_lead")
        assert tasks.count() == int(top["overdue"])
        shot(page, "dien_thoai_qua_han_co_quan")

        # Tap the longest-overdue task: its detail opens, history newest first.
        tasks.first.get_by_role("link").click()
        page.get_by_text("Chi tiết nhiệm vụ").wait_for(timeout=30000)
        settle(page)
        no_exception(page)
        assert "ma=" in page.url
        code = page.url.split("ma=")[1].split("&")[0]
        con = sqlite3.connect(live_app.db_path)
        history = list(con.execute(
            "SELECT r.period FROM statusreport r JOIN assignment a ON a.id = r.assignment_id JOIN task t "
            "ON t.id = a.task_id WHERE t.code = ? ORDER BY r.period_start DESC, r.id DESC", (code,)))
        con.close()
        page.get_by_text(f"Lịch sử báo cáo ({fmt_number(len(history))} báo cáo) – mới nhất trước").wait_for(
            timeout=30000)
        reports = _phone_rows(page, "reports")
        expected_rows = min(30, len(history))
        for _ in range(120):  # the list arrives with the page run; wait until every row has been drawn
            if reports.count() == expected_rows:
                break
            page.wait_for_timeout(250)
        # The newest 30 reports, newest first; the rest announced (the Excel download holds them all).
        assert [reports.nth(i).inner_text().split(" · ")[0] for i in range(reports.count())] == \
            [fmt_period(p) for (p,) in history[:30]]
        if len(history) > 30:
            assert page.get_by_text(f"Còn {len(history) - 30} mục nữa").count() == 1
        shot(page, "dien_thoai_lich_su_nhiem_vu")

        # The sidebar lies over the page on a phone: a tap on a page of its menu closes it.
        page.locator('[data-testid="stExpandSidebarButton"]').first.click()
        page.wait_for_timeout(500)
        assert page.locator('[data-testid="stSidebar"]').bounding_box()["x"] >= 0
        page.locator('[data-testid="stSidebarNav"]').get_by_role("link", name="Tổng quan", exact=True).click()
        settle(page)
        page.wait_for_timeout(500)
        box = page.locator('[data-testid="stSidebar"]').bounding_box()
        assert box is None or box["x"] + box["width"] <= 0, box
        assert not errors, errors
    finally:
        context.close()


def test_a_click_on_an_agency_bar_opens_its_tasks(page: Any, live_app: LiveApp) -> None:
    sign_in(page, live_app.url, "lanh_dao")
    ranking = _ranking(live_app.db_path)
    page.goto(f"{live_app.url}/qua-han-co-quan?nam=tat-ca")
    page.get_by_text("Chi tiết một cơ quan").wait_for(timeout=60000)
    settle(page)
    target = ranking.iloc[1]  # not the default first agency
    chart = page.locator(".vega-embed").first
    chart.scroll_into_view_if_needed()
    # The bars of one agency share a row: the second row's first segment belongs to the second agency.
    bars = chart.locator('path[aria-roledescription="bar"]')
    boxes = [bars.nth(i).bounding_box() for i in range(bars.count())]
    rows = sorted({round(b["y"]) for b in boxes if b})
    second = min((b for b in boxes if b and round(b["y"]) == rows[1]), key=lambda b: b["x"])
    page.mouse.click(second["x"] + second["width"] / 2, second["y"] + second["height"] / 2)
    page.get_by_text(f"Chủ trì, đang quá hạn: {fmt_number(int(target['overdue']))} nhiệm vụ").first.wait_for(
        timeout=30000)
    settle(page)
    page.wait_for_function(f"() => location.search.includes('co_quan={int(target['agency_id'])}')", timeout=30000)
    no_exception(page)
    shot(page, "bam_thanh_co_quan")


def test_a_link_opened_while_signed_out_opens_after_sign_in(page: Any, live_app: LiveApp) -> None:
    con = sqlite3.connect(live_app.db_path)
    code, text = con.execute("SELECT t.code, t.text FROM task t JOIN plan p ON p.id = t.plan_id "
                             "WHERE p.code = 'SNV26' ORDER BY t.code DESC LIMIT 1").fetchone()
    con.close()
    page.goto(f"{live_app.url}/nhiem-vu?ma={code}")
    page.get_by_label("Tên đăng nhập").wait_for(timeout=30000)
    from tests.e2e.ui import PASSWORDS

    user, password = PASSWORDS["lanh_dao"]
    page.get_by_label("Tên đăng nhập").fill(user)
    page.get_by_label("Mật khẩu").fill(password)
    page.get_by_role("button", name="Đăng nhập").click()
    page.get_by_text("Chi tiết nhiệm vụ").wait_for(timeout=30000)
    settle(page)
    no_exception(page)
    assert "/nhiem-vu" in page.url and f"ma={code}" in page.url
    assert page.get_by_text(f"{code}", exact=False).count() > 0
    shot(page, "lien_ket_sau_dang_nhap")
