"""The Chỉ tiêu page in a real browser: counts, the sample notice, a target's quote and period, three screen sizes."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

from data_access import targets as tg
from data_access.db import make_engine
from data_access.vn import fmt_number
from tests.e2e.conftest import LiveApp, shot
from tests.e2e.ui import goto_page, no_exception, settle, sign_in


def test_targets_page_shows_the_judgement_with_its_source(page: Any, live_app: LiveApp, sample_db_file: Path) -> None:
    engine = make_engine(f"sqlite:///{sample_db_file}")
    results = tg.target_results(engine, dt.date.today())
    sign_in(page, live_app.url, "lanh_dao")
    goto_page(page, "Chỉ tiêu 2025 - 2026")
    no_exception(page)
    main = page.locator('[data-testid="stMain"]')
    main.get_by_text("Chi tiết một chỉ tiêu").first.wait_for(timeout=30000)  # the page has finished drawing
    for rating in tg.RATINGS:  # the count of each rating, as target_results gives it
        count = sum(r.rating == rating for r in results)
        assert main.get_by_text(f"{tg.RATING_LABELS[rating]}: {fmt_number(count)}", exact=True).count() == 1
    assert main.get_by_text("Dữ liệu mẫu").count() >= 1
    at_risk = sum(r.at_risk for r in tg.target_trends(engine, dt.date.today()))
    assert at_risk and main.get_by_text(f"Nguy cơ không đạt: {fmt_number(at_risk)}", exact=True).count() == 1
    shot(page, "chi_tieu_1920x1080")
    # A target's detail: the verbatim quote, the document, file and line, the value's period.
    page.locator('[data-testid="stSelectbox"]').filter(has_text="Chọn chỉ tiêu").click()
    page.keyboard.type("BC25-HSTT50")  # the option list is virtualised: filter it first
    page.get_by_role("option", name="BC25-HSTT50 – Hồ sơ trực tuyến trên tổng số hồ sơ", exact=True).click()
    settle(page)
    main.get_by_text("Kỳ số liệu: Quý I/2025", exact=False).first.wait_for(timeout=30000)
    assert main.get_by_text("Tỷ lệ hồ sơ giải quyết trực tuyến trên tổng số hồ sơ đạt tối thiểu 50%").count() >= 1
    assert main.get_by_text("001_fb3c06f5023b1873.txt, dòng 1521", exact=False).count() >= 1
    assert main.get_by_text("Kỳ số liệu: Quý I/2025", exact=False).count() >= 1
    no_exception(page)
    engine.dispose()
    shot(page, "chi_tieu_chi_tiet_1920x1080")
    for width, height in ((1366, 768), (390, 844)):
        page.set_viewport_size({"width": width, "height": height})
        page.wait_for_timeout(800)
        no_exception(page)
        shot(page, f"chi_tieu_{width}x{height}")
        main.get_by_text("Nguy cơ không đạt:", exact=False).first.scroll_into_view_if_needed()
        page.wait_for_timeout(300)
        shot(page, f"chi_tieu_bang_{width}x{height}")
