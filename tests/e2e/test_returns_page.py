"""Tình hình nộp báo cáo in a real browser (issue 16): an officer approves a received return and locks the
quarter; the agency's upload history opens filtered; the page at three screen sizes."""

from __future__ import annotations

from typing import Any

from sqlalchemy import text

from data_access import importer as imp
from data_access.db import make_engine
from data_access.permissions import Actor
from tests.e2e.conftest import LiveApp, shot
from tests.e2e.ui import goto_page, no_exception, settle, sign_in
from tests.test_returns import LAST_MINUTE, SNV, _q3_return


def test_officer_approves_and_locks_in_the_browser(page: Any, live_app: LiveApp) -> None:
    engine = make_engine(f"sqlite:///{live_app.db_path}")
    plan = imp.plan_import(engine, _q3_return(), "snv-q3.xlsx")
    imp.apply_import(engine, plan, Actor("chuyenvien", "chuyen_vien"), now=LAST_MINUTE)  # on time: 15/10 23:59
    with engine.connect() as conn:
        snv = int(conn.execute(text("SELECT id FROM agency WHERE name = :n"), {"n": SNV}).scalar_one())
    sign_in(page, live_app.url, "chuyen_vien")
    goto_page(page, "Tình hình nộp báo cáo")
    main = page.locator('[data-testid="stMain"]')
    main.get_by_text("Duyệt báo cáo và khóa kỳ").first.wait_for(timeout=30000)
    no_exception(page)
    assert main.get_by_text("Dữ liệu cập nhật lần cuối 15/10/2026 23:59: báo cáo Quý III/2026 của Sở Nội vụ.").count() == 1
    shot(page, "nop_bao_cao_1920x1080")
    main.get_by_role("button", name="Duyệt báo cáo").click()
    settle(page)
    main.get_by_text(f"Đã duyệt báo cáo Quý III/2026 của {SNV}.").wait_for(timeout=30000)
    main.get_by_text("Tôi xác nhận khóa Quý III/2026").click()
    main.get_by_role("button", name="Khóa kỳ báo cáo").click()
    settle(page)
    main.get_by_text("Đã khóa kỳ báo cáo Quý III/2026.").wait_for(timeout=30000)
    # The flash message shows first; the form's lock line comes with the rerun that follows it.
    main.get_by_text("Quý III/2026 đã khóa kỳ báo cáo.").first.wait_for(timeout=30000)
    assert main.get_by_text("Quý III/2026 đã khóa kỳ báo cáo.").count() == 1
    no_exception(page)
    with engine.connect() as conn:
        assert conn.execute(text("SELECT count(*) FROM returnapproval")).scalar_one() == 1
        assert conn.execute(text("SELECT period, locked_by FROM periodlock")).all() == [("2026-Q3", "chuyenvien")]
    # The agency's row leads to its upload history, filtered by ?co_quan=.
    page.goto(f"{live_app.url}/lich-su-tai-len?co_quan={snv}")
    main.get_by_text(f"Đang xem các lần tải lên của {SNV}").wait_for(timeout=30000)
    no_exception(page)
    for width, height in ((1366, 768), (390, 844)):
        page.set_viewport_size({"width": width, "height": height})
        page.goto(f"{live_app.url}/nop-bao-cao")
        main.get_by_text("Duyệt báo cáo và khóa kỳ").first.wait_for(timeout=30000)
        settle(page)
        no_exception(page)
        shot(page, f"nop_bao_cao_{width}x{height}")
