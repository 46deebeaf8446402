"""The upload and history pages through AppTest: upload, preview, confirm, overview numbers, undo, refusals."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from sqlalchemy import text
from sqlalchemy.engine import Engine
from streamlit.testing.v1 import AppTest

from data_access import status as s
from data_access.clock import today_vn
from data_access.vn import fmt_number, fmt_pct
from tests import independent
from tests.importer_files import XLSX_MIME, hand_made_q4, snapshot
from tests.signin import signed_in

UPLOAD_PAGE = "pages/cap_nhat.py"
HISTORY_PAGE = "pages/lich_su_tai_len.py"


def _metrics(at: AppTest) -> dict[str, str]:
    return {m.label: m.value for m in at.metric}


def _expected_overview(db: Path) -> dict[str, str]:
    counts = independent.status_counter(db, today_vn(), plan_codes={"SNV26"})
    total = sum(counts.values())
    done = counts[s.DONE_ON_TIME] + counts[s.DONE_LATE]
    return {"Tổng số nhiệm vụ": fmt_number(total), "Đã hoàn thành": fmt_pct(100.0 * done / total, 1),
            "Quá hạn": fmt_number(counts[s.OPEN_OVERDUE])}


def _overview(at: AppTest) -> dict[str, str]:
    at.switch_page("pages/tong_quan.py").run()
    assert not at.exception
    shown = _metrics(at)
    return {k: shown[k] for k in ("Tổng số nhiệm vụ", "Đã hoàn thành", "Quá hạn")}


def _upload(at: AppTest, data: bytes, name: str = "bc.xlsx") -> AppTest:
    at.switch_page(UPLOAD_PAGE).run()
    assert not at.exception
    at.file_uploader(key="tep_bao_cao").set_value((name, data, XLSX_MIME))
    return at.run()


def test_upload_preview_confirm_and_overview_shows_new_numbers(store: Engine) -> None:
    db = Path(str(store.url.database))
    at = signed_in("chuyen_vien")
    assert today_vn() >= dt.date(2026, 10, 1), "the Q4 return must be visible as of today"
    before = _overview(at)
    assert before == _expected_overview(db)
    data = hand_made_q4(store)
    snap = snapshot(store)
    _upload(at, data)
    assert not at.exception
    shown = _metrics(at)
    assert [shown[k] for k in ("Mới", "Thay đổi", "Không đổi", "Lỗi", "Chưa khớp")] == ["4", "0", "0", "1", "2"]
    assert [t.label for t in at.tabs] == ["Mới (4)", "Thay đổi (0)", "Không đổi (0)", "Lỗi (1)", "Chưa khớp (2)"]
    errors = at.tabs[3].dataframe[0].value
    assert list(errors["Dòng"]) == ["14"]
    assert list(errors["Lỗi"]) == ["Dòng 14, cột 'Ngày hoàn thành': 31/02/2026 không phải là ngày hợp lệ"]
    assert list(at.tabs[0].dataframe[0].value["Mã nhiệm vụ"]) == ["SNV26-P1-07", "SNV26-P1-08", "SNV26-P1-03",
                                                                  "SNV26-P2-21"]
    assert at.selectbox(key=[k for k in at.session_state if str(k).startswith("cq_")][0]).value is not None
    assert snapshot(store) == snap  # the preview wrote nothing

    at.button(key="xac_nhan_cap_nhat").click().run()
    assert not at.exception
    assert any("Đã cập nhật Sở Nội vụ, Quý IV/2026" in x.value and "4 thay đổi" in x.value for x in at.success)
    with store.connect() as conn:
        assert conn.execute(text("SELECT uploaded_by FROM upload")).scalar_one() == "chuyenvien"
    after = _overview(at)
    assert after == _expected_overview(db)
    assert after != before
    done_before = float(before["Đã hoàn thành"].rstrip("%").replace(",", "."))
    done_after = float(after["Đã hoàn thành"].rstrip("%").replace(",", "."))
    assert done_after > done_before

    # The same file again: "0 thay đổi".
    _upload(at, data, "bc-lan-2.xlsx")
    assert _metrics(at)["Không đổi"] == "4"
    at.button(key="xac_nhan_cap_nhat").click().run()
    assert any("0 thay đổi" in x.value for x in at.success)

    # History: the upload is listed; undo with a confirmation step restores the numbers.
    at.switch_page(HISTORY_PAGE).run()
    assert not at.exception
    table = at.dataframe[0].value
    assert list(table["Tệp"]) == ["bc.xlsx"] and list(table["Kỳ"]) == ["Quý IV/2026"]
    assert list(table["Người tải lên"]) == ["chuyenvien"] and list(table["Trạng thái"]) == ["Đã áp dụng"]
    assert table["Thời gian"].iloc[0][2] == "/" and len(table["Thời gian"].iloc[0]) == 16
    at.button(key="ls_hoan_tac").click().run()
    assert any("Tiếp tục?" in w.value for w in at.warning)
    at.button(key="ls_xac_nhan_hoan_tac").click().run()
    assert not at.exception
    assert any("Đã hoàn tác lần tải lên số 1" in x.value for x in at.success)
    assert at.dataframe[0].value["Trạng thái"].iloc[0].startswith("Đã hoàn tác")
    with store.connect() as conn:
        assert conn.execute(text("SELECT undone_by FROM upload")).scalar_one() == "chuyenvien"
    assert _overview(at) == before


def test_refused_file_shows_message_and_changes_nothing(store: Engine) -> None:
    at = signed_in("chuyen_vien")
    snap = snapshot(store)
    _upload(at, "Mã,Nội dung\nP1,x\n".encode(), "bao-cao.xlsx")
    assert not at.exception
    assert any("Tệp bị từ chối" in e.value and "CSV" in e.value for e in at.error)
    assert not [b for b in at.button if b.key == "xac_nhan_cap_nhat"]
    assert snapshot(store) == snap


def test_leader_cannot_see_or_open_upload_pages(store: Engine) -> None:
    at = signed_in("lanh_dao")
    assert "Cập nhật số liệu" not in at.session_state["visible_pages"]
    assert "Lịch sử tải lên" not in at.session_state["visible_pages"]
    for page in (UPLOAD_PAGE, HISTORY_PAGE):
        at.switch_page(page).run()
        assert [e.value for e in at.error] == ["Bạn không có quyền truy cập trang này."]
        assert not at.get("file_uploader")


def test_staff_sees_upload_pages(store: Engine) -> None:
    at = signed_in("chuyen_vien")
    assert {"Cập nhật số liệu", "Lịch sử tải lên"} <= set(at.session_state["visible_pages"])
    at.switch_page(HISTORY_PAGE).run()
    assert any("Chưa có lần tải lên nào" in i.value for i in at.info)
