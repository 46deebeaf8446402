"""A leader on a 390x844 phone: overview → overdue by agency → one agency → one task → its report history."""

from __future__ import annotations

import datetime as dt
import sqlite3
from typing import Any

from data_access import queries as q
from data_access.db import make_engine
from data_access.vn import fmt_number, vi_sort_key
from tests.e2e.conftest import LiveApp, shot
from tests.e2e.ui import no_exception, settle, sign_in


def _click_row(page: Any, table: Any, row: int) -> None:
    """Click the selection marker of data row `row` (0-based) of a st.dataframe (a canvas grid)."""
    table.scroll_into_view_if_needed()
    box = table.bounding_box()
    page.mouse.click(box["x"] + 14, box["y"] + 35 * (row + 1) + 17)
    settle(page)


def test_leader_on_a_phone_goes_from_agency_to_task_history(browser: Any, live_app: LiveApp) -> None:
    context = browser.new_context(viewport={"width": 390, "height": 844}, locale="vi-VN", is_mobile=True,
                                  has_touch=False)
    page = context.new_page()
    errors: list[str] = []
    page.on("pageerror", lambda exc: errors.append(str(exc)))
    page.errors = errors
    try:
        sign_in(page, live_app.url, "lanh_dao")
        no_exception(page)
        shot(page, "dien_thoai_tong_quan")
        engine = make_engine(f"sqlite:///{live_app.db_path}")
        plan_id = int(q.plans(engine).set_index("code").loc["SNV26", "id"])
        filters = q.Filters(as_of=dt.date.today(), plan_ids=(plan_id,))
        ranking = q.overdue_by_agency(engine, filters)
        # The page's order: most overdue first, then coordination, then Vietnamese alphabetical order.
        ranking = ranking.iloc[sorted(range(len(ranking)), key=lambda i: (
            -int(ranking["overdue"].iloc[i]), -int(ranking["coord_overdue"].iloc[i]),
            vi_sort_key(str(ranking["agency"].iloc[i]))))]
        engine.dispose()

        page.goto(f"{live_app.url}/qua-han-co-quan")
        page.get_by_text("Chi tiết một cơ quan").wait_for(timeout=30000)
        settle(page)
        no_exception(page)
        tables = page.locator('[data-testid="stDataFrame"]')
        # The first table on the page is the ranking; its first row is the most overdue agency.
        # The second row when there is one, so that the click (not the default first agency) decides.
        row = min(1, len(ranking) - 1)
        _click_row(page, tables.first, row)
        top = ranking.iloc[row]
        assert int(top["overdue"]) > 0
        page.get_by_text(f"Chủ trì, đang quá hạn: {fmt_number(int(top['overdue']))} nhiệm vụ").first.wait_for(
            timeout=30000)
        assert f"co_quan={int(top['agency_id'])}" in page.url  # the address can be shared as it stands
        shot(page, "dien_thoai_qua_han_co_quan")

        # Click the first overdue task of that agency: its detail opens, history newest first.
        lead_table = page.locator('[data-testid="stDataFrame"]').filter(has_text="").nth(
            1 if page.get_by_text("Theo phòng, đơn vị thuộc").count() == 0 else 2)
        _click_row(page, lead_table, 0)
        page.get_by_text("Chi tiết nhiệm vụ").wait_for(timeout=30000)
        settle(page)
        no_exception(page)
        assert "ma=" in page.url
        code = page.url.split("ma=")[1].split("&")[0]
        con = sqlite3.connect(live_app.db_path)
        periods = [p for (p,) in con.execute(
            "SELECT r.period FROM statusreport r JOIN assignment a ON a.id = r.assignment_id JOIN task t "
            "ON t.id = a.task_id WHERE t.code = ? ORDER BY r.period_start DESC, r.id DESC", (code,))]
        con.close()
        page.get_by_text(f"Lịch sử báo cáo ({fmt_number(len(periods))} báo cáo) – mới nhất trước").wait_for(
            timeout=30000)
        if periods:
            history = page.locator('[data-testid="stDataFrame"]').last
            history.scroll_into_view_if_needed()
            settle(page)
        shot(page, "dien_thoai_lich_su_nhiem_vu")
        assert not errors, errors
    finally:
        context.close()


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
