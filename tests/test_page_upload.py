"""The upload and history pages through AppTest: upload, preview, confirm, overview numbers, undo, refusals."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from sqlalchemy import text
from sqlalchemy.engine import Engine
from streamlit.testing.v1 import AppTest

from data_access import status
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
    done = counts[status.DONE_ON_TIME] + counts[status.DONE_LATE]
    return {"Tổng số nhiệm vụ": fmt_number(total), "Đã hoàn thành": fmt_pct(100.0 * done / total, 1),
            "Quá hạn": fmt_number(counts[status.OPEN_OVERDUE])}


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
    statuses_before = independent.task_statuses(db, dt.date.today(), plan_codes={"SNV26"})
    data = hand_made_q4(store)
    snap = snapshot(store)
    _upload(at, data)
    assert not at.exception
    shown = _metrics(at)
    assert [shown[k] for k in ("Mới", "Thay đổi", "Không đổi", "Lỗi", "Chưa khớp", "Cần xác nhận")] == \
        ["4", "0", "0", "1", "1", "1"]
    assert [t.label for t in at.tabs] == ["Mới (4)", "Thay đổi (0)", "Không đổi (0)", "Lỗi (1)", "Chưa khớp (1)",
                                          "Cần xác nhận (1)"]
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
    # The outcome is the answer: no re-check of the applied file ("Sẽ ghi 0 dòng") and no live confirm button.
    assert not any("Sẽ ghi" in x.value for x in at.markdown)
    assert "xac_nhan_cap_nhat" not in [b.key for b in at.button]
    with store.connect() as conn:
        assert conn.execute(text("SELECT uploaded_by FROM upload")).scalar_one() == "chuyenvien"
    after = _overview(at)
    assert after == _expected_overview(db)
    # The two tasks reported done (rows 9-10) are now done. (The headline % may not move: rows 11-12 report
    # two no-deadline tasks as in progress that the sample history had reported done, and the latest report wins.)
    statuses = independent.task_statuses(db, dt.date.today(), plan_codes={"SNV26"})
    assert {statuses["SNV26-P1-07"], statuses["SNV26-P1-08"]} <= set(status.DONE_STATUSES)
    assert statuses_before["SNV26-P1-07"] not in status.DONE_STATUSES

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


def reconciliation_return(engine: Engine) -> bytes:
    """A Quý IV/2026 return of Sở Nội vụ by text only: row 4 a retyped P2-37 (words dropped), row 5 the text
    shared by SNV26-P1-26 and SNV26-P2-43 with no lead (ambiguous), row 6 a task not in any plan, row 7 exact."""
    from tests.importer_files import table, task_text

    return table([
        ["BÁO CÁO KẾT QUẢ THỰC HIỆN NHIỆM VỤ CẢI CÁCH HÀNH CHÍNH QUÝ IV/2026"], ["Cơ quan báo cáo: Sở Nội vụ"],
        ["STT", "Nội dung công việc", "Đơn vị chủ trì", "Tình trạng", "Tỷ lệ (%)"],
        [1, "- " + task_text(engine, "SNV26-P2-37").replace(", kiểm toán nhà nước", ""), None, "Đang thực hiện", "45%"],
        [2, "Báo cáo kết quả thực hiện công tác CCHC định kỳ của tỉnh", None, "Đang thực hiện", "70%"],
        [3, "Tổ chức giải bóng đá chào mừng ngày thành lập ngành", None, "Đang thực hiện", "20%"],
        [4, task_text(engine, "SNV26-P1-07"), None, "Đang thực hiện", "35%"],
    ])


def test_reconciliation_confirms_suggestions_and_apply_writes_them(store: Engine) -> None:
    import hashlib

    from data_access import matching as mt
    from tests.importer_files import current_states

    at = signed_in("chuyen_vien")
    data = reconciliation_return(store)
    sha = hashlib.sha256(data).hexdigest()[:12]
    snap = snapshot(store)
    _upload(at, data, "doi-chieu.xlsx")
    assert not at.exception
    shown = _metrics(at)
    assert [shown[k] for k in ("Mới", "Thay đổi", "Chưa khớp", "Cần xác nhận")] == ["1", "0", "2", "1"]
    assert any(h.value == "Đối chiếu" for h in at.subheader)
    row4 = at.radio(key=f"dc_{sha}_Báo cáo_4")
    assert row4.options[0].startswith("SNV26-P2-37 · điểm 0,")  # the true task first, with its score and why
    assert "% nội dung" in row4.options[0] and "kế hoạch 2026" in row4.options[0]
    assert row4.value == "__chua_chon__"
    row5 = at.radio(key=f"dc_{sha}_Báo cáo_5")
    assert {o.split(" · ")[0] for o in row5.options[:2]} == {"SNV26-P1-26", "SNV26-P2-43"}
    # Row 4: the top suggestion; row 5: another task of the agency (the Phòng CCHC twin); row 6: left out.
    row4.set_value("SNV26-P2-37")
    row5.set_value("__khac__")
    at.selectbox(key=f"dck_{sha}_Báo cáo_5").set_value("SNV26-P1-26")
    at.radio(key=f"dc_{sha}_Báo cáo_6").set_value("__bo_qua__")
    at.button(key=f"dc_xac_nhan_{sha}").click().run()
    assert not at.exception
    shown = _metrics(at)
    assert [shown[k] for k in ("Chưa khớp", "Cần xác nhận")] == ["0", "0"]
    assert int(shown["Mới"]) + int(shown["Thay đổi"]) == 3
    assert any("Đã chọn cho 3 dòng" in i.value for i in at.info)
    assert snapshot(store) == snap  # confirming choices writes nothing

    at.button(key="xac_nhan_cap_nhat").click().run()
    assert not at.exception
    assert any("3 thay đổi" in x.value for x in at.success)
    assert current_states(store, ["SNV26-P2-37", "SNV26-P1-26", "SNV26-P1-07"]) == {
        "SNV26-P2-37": ("dang_thuc_hien", 45.0), "SNV26-P1-26": ("dang_thuc_hien", 70.0),
        "SNV26-P1-07": ("dang_thuc_hien", 35.0)}
    assert list(mt.pairings(store)["task"]) == ["SNV26-P2-37"]  # the retyped wording is remembered


def test_reconciliation_accept_above_threshold(store: Engine) -> None:
    import hashlib

    at = signed_in("chuyen_vien")
    data = reconciliation_return(store)
    sha = hashlib.sha256(data).hexdigest()[:12]
    _upload(at, data, "doi-chieu.xlsx")
    at.number_input(key=f"nguong_{sha}").set_value(0.8)
    at.button(key=f"dc_chap_nhan_{sha}").click().run()
    assert not at.exception
    shown = _metrics(at)
    # The retyped row is taken; the twins (equally good) and the stranger stay for the officer.
    assert [shown[k] for k in ("Chưa khớp", "Cần xác nhận")] == ["1", "1"]
    assert at.radio(key=f"dc_{sha}_Báo cáo_4").value == "SNV26-P2-37"


def test_admin_lists_and_removes_a_remembered_pairing(store: Engine) -> None:
    import datetime as _dt

    from data_access import importer as imp
    from data_access import matching as mt
    from data_access.permissions import Actor

    data = reconciliation_return(store)
    plan = imp.preview(store, data, "q4.xlsx", decisions={("Báo cáo", 4): "SNV26-P2-37"})
    imp.apply_import(store, plan, Actor("chuyenvien", "chuyen_vien"))
    remembered = mt.pairings(store)
    assert list(remembered["task"]) == ["SNV26-P2-37"]
    assert remembered["created_at"].iloc[0].utcoffset() == _dt.timedelta(hours=7)  # Vietnam time

    at = signed_in("quan_tri")
    at.switch_page("pages/quan_tri_co_quan.py").run()
    assert not at.exception
    shown = at.dataframe[1].value
    assert list(shown["Cơ quan báo cáo"]) == ["Sở Nội vụ"] and list(shown["Người xác nhận"]) == ["chuyenvien"]
    assert shown["Nhiệm vụ"].iloc[0].startswith("SNV26-P2-37 – Tổ chức thực hiện các kiến nghị")
    assert shown["Nội dung ghi trong báo cáo"].iloc[0].startswith("- Tổ chức thực hiện")
    at.button(key="xoa_cap").click().run()
    assert not at.exception
    assert any("Đã xóa cặp số" in x.value for x in at.success)
    assert mt.pairings(store).empty
    assert any("Chưa có cặp nào" in c.value for c in at.caption)
    # The same wording is offered again (not matched by itself) once the pairing is gone.
    assert imp.preview(store, data, "q4.xlsx").rows[0].outcome == "unmatched"
