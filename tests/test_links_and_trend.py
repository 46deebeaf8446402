"""Shareable links that carry the sidebar filters, and a completion trend that starts with the plan (issue 15)."""

from __future__ import annotations

import datetime as dt
import sqlite3
from pathlib import Path

from sqlalchemy.engine import Engine

from tests.signin import signed_in
from tests.test_page_views import _page, _table


def _field_code(db: Path) -> str:
    con = sqlite3.connect(db)
    (code,) = con.execute("SELECT code FROM field ORDER BY code LIMIT 1").fetchone()
    con.close()
    return str(code)


def test_a_link_naming_filters_sets_the_sidebar_and_a_change_rewrites_it(store: Engine, sample_db_file: Path) -> None:
    code = _field_code(sample_db_file)
    at = signed_in("lanh_dao")
    at.query_params.update({"nam": "2025", "linh_vuc": code, "ke_hoach": "PS25"})
    at.run()
    assert not at.exception, [e.value for e in at.exception]
    assert at.selectbox(key="f_year").value == 2025
    assert at.multiselect(key="f_fields").value == [code]
    con = sqlite3.connect(sample_db_file)
    (ps25,) = con.execute("SELECT id FROM plan WHERE code = 'PS25'").fetchone()
    con.close()
    assert at.multiselect(key="f_plans").value == [ps25]
    # The leader changes the year in the sidebar: the address follows, so the link still says what is shown.
    at.selectbox(key="f_year").set_value("Tất cả").run()
    assert not at.exception
    assert str(at.query_params["nam"]) == "tat-ca" and str(at.query_params["linh_vuc"]) == code
    assert at.selectbox(key="f_year").value == "Tất cả"  # the old link is not applied again
    # A date other than today travels too; unknown values in a link are dropped, not guessed.
    at.query_params.update({"nam": "1999", "linh_vuc": "KHONG_CO", "den_ngay": "2026-03-31", "ke_hoach": ""})
    at.run()
    assert not at.exception
    assert at.date_input(key="f_as_of").value == dt.date(2026, 3, 31)
    assert at.multiselect(key="f_fields").value == []


def test_the_completion_trend_starts_in_the_plans_first_year(store: Engine) -> None:
    at = _page("pages/tien_do_linh_vuc.py", year=2026)
    trend = _table(at, "trend")
    assert not trend.empty
    # Only the 2026 plan (SNV26, year 2026 in the sample plans) is active in 2026: no quarter before it, no 0 % there.
    ends = [dt.datetime.strptime(d, "%d/%m/%Y").date() for d in trend["Tính đến ngày"]]
    assert min(ends) == dt.date(2026, 3, 31), ends
    assert any("Chỉ các quý từ năm 2026" in c.value for c in at.caption)
