"""The "Tình hình nộp báo cáo" page (issue 16) driven through AppTest on SQLite and PostgreSQL.

Sở Nội vụ's Q3/2026 return is applied late (16/10/2026, due 15/10/2026); the page must show it late,
the other owing agencies missing, the DHIS2 counts per quarter, and let the officer approve and lock
and the administrator reopen with a reason (audited) through period_lock.
"""

from __future__ import annotations

import datetime as dt

import pandas as pd
from sqlalchemy import text
from sqlalchemy.engine import Engine
from streamlit.testing.v1 import AppTest

from data_access.returns import obligations
from tests.signin import signed_in
from tests.test_returns import FIRST_LATE_MINUTE, SNV, _apply

AS_OF = dt.date(2026, 11, 23)
PAGE = "pages/nop_bao_cao.py"


def _open(role: str) -> AppTest:
    at = signed_in(role)
    at.date_input(key="f_as_of").set_value(AS_OF)
    at.switch_page(PAGE).run()
    assert not at.exception, [e.value for e in at.exception]
    return at


def _frame(at: AppTest, column: str) -> pd.DataFrame:
    found = []
    for d in at.dataframe:
        value = d.value
        frame = value.data if hasattr(value, "data") else value  # a Styler carries its frame in .data
        if column in frame.columns:
            found.append(frame)
    assert len(found) == 1, [list(getattr(d.value, "data", d.value).columns) for d in at.dataframe]
    return found[0]


def _unescaped(message: str) -> str:
    """The text a user reads (the page escapes Markdown in messages holding names)."""
    return message.replace("\\", "")


def _audit(db: Engine, action: str) -> list[str]:
    with db.connect() as conn:
        return [str(r) for r in conn.execute(text("SELECT detail FROM auditlog WHERE action = :a ORDER BY id"),
                                             {"a": action}).scalars()]


def test_cycle_page_shows_late_missing_and_rates(db: Engine) -> None:
    _apply(db, FIRST_LATE_MINUTE)
    expected = obligations(db, "2026-Q3", today=AS_OF)
    at = _open("lanh_dao")
    per_quarter = _frame(at, "Tỷ lệ đúng hạn")
    q3 = per_quarter[per_quarter["Kỳ"] == "Quý III/2026"].iloc[0]
    n = len(expected)
    assert q3["Phải nộp"] == str(n) and q3["Đã nộp"] == "1" and q3["Trễ hạn"] == "1" and q3["Đúng hạn"] == "0"
    assert q3["Chưa nộp (quá hạn)"] == str(n - 1)
    assert q3["Tỷ lệ đã nộp"] == f"{100 / n:.2f}".replace(".", ",").rstrip("0").rstrip(",") + "%"
    assert q3["Tỷ lệ đúng hạn"] == "0%"
    matrix = _frame(at, "Báo cáo gần nhất đã nhận").set_index("Cơ quan")
    assert matrix.loc[SNV, "Quý III/2026"] == "Trễ hạn 16/10"
    assert matrix.loc[SNV, "Báo cáo gần nhất đã nhận"] == "Quý III/2026, nhận 16/10/2026"  # current: no badge
    others = [o.agency for o in expected if o.agency != SNV]
    assert all(matrix.loc[a, "Quý III/2026"] == "Chưa nộp" for a in others)
    assert all("chưa cập nhật" in matrix.loc[a, "Báo cáo gần nhất đã nhận"] for a in others)
    assert not [f for f in at.get("form")]  # a leader has no approve / lock forms


def test_officer_approves_and_locks_admin_reopens_with_reason(db: Engine) -> None:
    _apply(db, FIRST_LATE_MINUTE)
    snv = next(o.agency_id for o in obligations(db, "2026-Q3", today=AS_OF) if o.agency == SNV)
    at = _open("chuyen_vien")
    at.selectbox(key="nbc_ky").set_value("2026-Q3").run()
    assert at.selectbox(key="nbc_duyet_cq").value == snv
    at.button(key="FormSubmitter:nbc_duyet-Duyệt báo cáo").click().run()
    assert not at.exception
    assert f"Đã duyệt báo cáo Quý III/2026 của {SNV}." in [_unescaped(s.value) for s in at.success]
    assert _audit(db, "approve_return") == [f"Duyệt báo cáo {SNV} · Quý III/2026"]
    # Locking needs the confirmation box.
    at.button(key="FormSubmitter:nbc_khoa-Khóa kỳ báo cáo").click().run()
    assert "Đánh dấu ô xác nhận trước khi khóa kỳ báo cáo." in [w.value for w in at.warning]
    assert _audit(db, "lock_period") == []
    at.checkbox(key="nbc_khoa_xac_nhan").check()
    at.button(key="FormSubmitter:nbc_khoa-Khóa kỳ báo cáo").click().run()
    assert "Đã khóa kỳ báo cáo Quý III/2026." in [_unescaped(s.value) for s in at.success]
    matrix = _frame(at, "Báo cáo gần nhất đã nhận").set_index("Cơ quan")
    assert matrix.loc[SNV, "Quý III/2026"] == "Trễ hạn 16/10 · Đã duyệt · Đã khóa"
    assert "nbc_mo_lai_cq" not in [s.key for s in at.selectbox]  # reopening is the administrator's

    admin = _open("quan_tri")
    admin.selectbox(key="nbc_ky").set_value("2026-Q3").run()
    admin.selectbox(key="nbc_mo_lai_cq").set_value(snv)
    admin.button(key="FormSubmitter:nbc_mo_lai-Mở lại").click().run()
    assert "Cần ghi lý do mở lại kỳ báo cáo." in [_unescaped(e.value) for e in admin.error]
    admin.text_input(key="nbc_ly_do").input("Sở bổ sung số liệu nhiệm vụ SNV26-P1-07")
    admin.button(key="FormSubmitter:nbc_mo_lai-Mở lại").click().run()
    assert not admin.exception
    assert _audit(db, "reopen_period") == [
        f"Mở lại kỳ báo cáo Quý III/2026 cho {SNV} · lý do: Sở bổ sung số liệu nhiệm vụ SNV26-P1-07"]
    matrix = _frame(admin, "Báo cáo gần nhất đã nhận").set_index("Cơ quan")
    assert matrix.loc[SNV, "Quý III/2026"] == "Trễ hạn 16/10 · Đã duyệt"


def test_overdue_page_states_data_date_and_marks_stale_returns(db: Engine) -> None:
    _apply(db, FIRST_LATE_MINUTE)  # 16/10/2026 00:01 Vietnam time
    at = signed_in("lanh_dao")
    at.selectbox(key="f_year").set_value("Tất cả")
    at.date_input(key="f_as_of").set_value(AS_OF)
    at.switch_page("pages/qua_han_co_quan.py").run()
    assert not at.exception, [e.value for e in at.exception]
    assert any("Dữ liệu cập nhật lần cuối 16/10/2026 00:01: báo cáo Quý III/2026 của Sở Nội vụ" in c.value
               for c in at.caption)
    ranked = next(d.value for d in at.dataframe if "Báo cáo gần nhất đã nhận" in d.value.columns)
    by_agency = dict(zip(ranked["Cơ quan chủ trì"], ranked["Báo cáo gần nhất đã nhận"], strict=True))
    assert by_agency[SNV] == "Quý III/2026, nhận 16/10/2026"  # Q3 is the reporting quarter on 23/11/2026
    others = {v for a, v in by_agency.items() if a != SNV}
    assert len(by_agency) > 1 and others == {"Chưa có · chưa cập nhật"}
    # In 2027, Q4/2026 has ended: the same return no longer is current.
    at.date_input(key="f_as_of").set_value(dt.date(2027, 1, 20)).run()
    ranked = next(d.value for d in at.dataframe if "Báo cáo gần nhất đã nhận" in d.value.columns)
    by_agency = dict(zip(ranked["Cơ quan chủ trì"], ranked["Báo cáo gần nhất đã nhận"], strict=True))
    assert by_agency[SNV] == "Quý III/2026, nhận 16/10/2026 · chưa cập nhật"


def test_history_filtered_by_agency(db: Engine) -> None:
    _apply(db, FIRST_LATE_MINUTE)
    snv = next(o.agency_id for o in obligations(db, "2026-Q3", today=AS_OF) if o.agency == SNV)
    with db.connect() as conn:
        other = int(conn.execute(text("SELECT id FROM agency WHERE name = 'Sở Tư pháp'")).scalar_one())
    at = signed_in("chuyen_vien")
    at.query_params["co_quan"] = str(snv)
    at.switch_page("pages/lich_su_tai_len.py").run()
    assert not at.exception
    table = at.dataframe[0].value
    assert list(table["Cơ quan"]) == [SNV]
    at.query_params["co_quan"] = str(other)
    at.run()
    assert "Cơ quan này chưa có lần tải lên nào." in [i.value for i in at.info]


def test_reporting_quarter_is_the_last_ended_one() -> None:
    from data_access.returns import LastReturn, recent_quarters, reporting_quarter

    assert reporting_quarter(dt.date(2026, 11, 23)) == "2026-Q3"  # Q4 is running: its return cannot exist yet
    assert reporting_quarter(dt.date(2026, 9, 29)) == "2026-Q2"
    assert reporting_quarter(dt.date(2026, 9, 30)) == "2026-Q3"
    assert reporting_quarter(dt.date(2027, 1, 1)) == "2026-Q4"
    assert recent_quarters(dt.date(2026, 11, 23), 4) == ["2025-Q4", "2026-Q1", "2026-Q2", "2026-Q3"]
    got = LastReturn(1, "2026-Q2", dt.datetime(2026, 7, 10, 9, 0), approved=True)
    assert got.stale(dt.date(2026, 11, 23)) and not got.stale(dt.date(2026, 9, 29))
