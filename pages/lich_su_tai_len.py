"""Lịch sử tải lên: every upload with its outcome, the original file, and undo (with a confirmation step)."""

from __future__ import annotations

import pandas as pd
import streamlit as st
from sqlalchemy.exc import SQLAlchemyError

from data_access import importer as imp
from data_access.permissions import PermissionDenied, can
from data_access.vn import fmt_number, fmt_period
from ui.data import engine, invalidate
from ui.notice import data_date_notice
from ui.signin import guard
from ui.text import plain

actor = guard("view_history")
eng = engine()

st.title("Lịch sử tải lên")
st.caption("Mỗi lần tải lên được lưu cùng tệp gốc và mọi dòng nó báo cáo. Hoàn tác xoá những bản ghi lần tải lên "
           "đó đã thêm; số liệu mà một lần tải lên khác còn hiệu lực cũng báo cáo thì giữ theo lần tải lên đó "
           "(lần mới nhất), số liệu còn lại trở về như trước khi tải lên.")
data_date_notice()
flash = st.session_state.pop("ls_thong_bao", None)
if flash:
    st.success(flash, icon=":material/check_circle:")

history = imp.upload_history(eng)
if history.empty:
    st.info("Chưa có lần tải lên nào. Tải báo cáo quý ở trang Cập nhật số liệu.", icon=":material/inbox:")
    st.stop()

# ?co_quan=<id> (from Tình hình nộp báo cáo): only that agency's uploads, with a way back to all.
linked = str(st.query_params.get("co_quan", ""))
if linked.isdigit():
    mine = history[history["agency_id"] == int(linked)]
    if mine.empty:
        st.info("Cơ quan này chưa có lần tải lên nào.", icon=":material/inbox:")
    else:
        st.caption(f"Đang xem các lần tải lên của **{plain(mine['agency'].iloc[0])}**.")
    if st.button("Xem tất cả các lần tải lên", key="ls_bo_loc_co_quan"):
        del st.query_params["co_quan"]
        st.rerun()
    if mine.empty:
        st.stop()
    history = mine.reset_index(drop=True)


def _status(row: pd.Series) -> str:
    if row["undone_at"] is None or pd.isna(row["undone_at"]):
        return "Đã áp dụng"
    return f"Đã hoàn tác {row['undone_at']:%d/%m/%Y %H:%M} ({row['undone_by']})"


table = pd.DataFrame({
    "Số": history["id"].astype(str),
    "Thời gian": [f"{t:%d/%m/%Y %H:%M}" for t in history["uploaded_at"]],
    "Trạng thái": [_status(r) for _, r in history.iterrows()],  # first: applied or undone is what matters
    "Tệp": history["file_name"],
    "Cơ quan": history["agency"],
    "Kỳ": [fmt_period(p) for p in history["period"]],
    "Người tải lên": history["uploaded_by"],
    "Nguồn": history["source"],
    "Mới": [fmt_number(v) for v in history["new"]],
    "Thay đổi": [fmt_number(v) for v in history["changed"]],
    "Không đổi": [fmt_number(v) for v in history["unchanged"]],
    "Lỗi": [fmt_number(v) for v in history["rejected"]],
    "Chưa khớp": [fmt_number(v) for v in history["unmatched"]],
    "Đã ghi": [fmt_number(a + b) for a, b in zip(history["reports_written"], history["values_written"], strict=True)],
})
st.dataframe(table, hide_index=True, width="stretch")

records = {int(r["id"]): r for _, r in history.iterrows()}


def _label(upload_id: int) -> str:
    r = records[upload_id]
    return f"Số {upload_id} · {r['uploaded_at']:%d/%m/%Y %H:%M} · {r['file_name']} · {r['agency']}, {fmt_period(r['period'])}"


chosen = st.selectbox("Chọn lần tải lên", list(records), format_func=_label, key="ls_chon")
row = records[int(chosen)]
undone = row["undone_at"] is not None and not pd.isna(row["undone_at"])
c1, c2 = st.columns(2)
with c1:
    try:
        name, content = imp.upload_file(eng, int(chosen))
    except ValueError as exc:
        st.error(plain(exc))
    else:
        st.download_button("Tải tệp gốc", data=content, file_name=name,
                           mime="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
                           key="ls_tai_tep_goc", on_click="ignore", icon=":material/description:")
with c2:
    if undone:
        st.caption(f"Lần tải lên này đã được hoàn tác lúc {row['undone_at']:%d/%m/%Y %H:%M} bởi {plain(row['undone_by'])}.")
    elif can(actor.role, "undo_upload") and st.button("Hoàn tác lần tải lên này", key="ls_hoan_tac"):
        st.session_state["ls_cho_xac_nhan"] = int(chosen)

if not undone and st.session_state.get("ls_cho_xac_nhan") == int(chosen):
    written = int(row["reports_written"]) + int(row["values_written"])
    st.warning(
        f"Hoàn tác lần tải lên số {chosen} ({plain(row['file_name'])}, {plain(row['agency'])}, {fmt_period(row['period'])}) sẽ xoá "
        f"{fmt_number(written)} bản ghi mà lần tải lên này đã thêm; số liệu mà lần tải lên khác còn hiệu lực cũng báo "
        "cáo được giữ theo lần đó, số liệu còn lại trở về như trước khi tải lên. Tiếp tục?",
        icon=":material/warning:",
    )
    b1, b2 = st.columns(2)
    if b1.button("Xác nhận hoàn tác", type="primary", key="ls_xac_nhan_hoan_tac"):
        st.session_state.pop("ls_cho_xac_nhan", None)
        try:
            result = imp.undo_upload(eng, int(chosen), actor)
        except (PermissionDenied, ValueError) as exc:
            st.error(plain(exc), icon=":material/block:")
            st.stop()
        except SQLAlchemyError as exc:
            st.error(f"Không hoàn tác được, không có gì thay đổi: {exc.__class__.__name__}", icon=":material/block:")
            st.stop()
        invalidate()
        st.session_state["ls_thong_bao"] = result.message
        st.rerun()
    if b2.button("Huỷ", key="ls_huy"):
        st.session_state.pop("ls_cho_xac_nhan", None)
        st.rerun()
