"""Liên kết nhiệm vụ – chỉ số: the administrator's view and edits of which tasks move which indicator
(data_access/links.py; every write role-checked and audited there)."""

from __future__ import annotations

import pandas as pd
import streamlit as st
from sqlalchemy import select

from data_access import links, permissions
from data_access import tables as tb
from data_access.vn import fmt_number
from ui.data import engine, invalidate
from ui.signin import guard
from ui.text import plain

actor = guard(links.LINK_ACTION)
st.title("Liên kết nhiệm vụ – chỉ số")
st.caption("Nhiệm vụ nào được giao để thay đổi chỉ số nào, kèm căn cứ. Liên kết có sẵn lấy từ chính cấu trúc KH "
           "5399/KH-UBND (nhiệm vụ nêu chỉ tiêu ở cột đầu ra; nhiệm vụ thuộc chỉ số thành phần PAR INDEX, SIPAS). "
           "Trang chi tiết chỉ tiêu liệt kê các nhiệm vụ này với tình trạng của chúng.")
done = st.session_state.pop("_lien_ket_xong", None)
if done:
    st.success(done)

all_links = links.all_links(engine())
with engine().connect() as conn:
    indicators = {str(c): str(n) for c, n in conn.execute(
        select(tb.INDICATOR.c.code, tb.INDICATOR.c.name).order_by(tb.INDICATOR.c.code))}
    tasks = {str(c): str(t) for c, t in conn.execute(
        select(tb.TASK.c.code, tb.TASK.c.text).order_by(tb.TASK.c.code))}

by = st.selectbox("Chỉ số", ["", *indicators], key="link_filter",
                  format_func=lambda c: "Tất cả chỉ số" if not c else f"{c} – {indicators[c]}")
shown = all_links[all_links["indicator_code"] == by] if by else all_links
st.caption(f"{fmt_number(len(shown))} liên kết")
st.dataframe(pd.DataFrame({
    "Số": shown["link_id"].astype(str), "Chỉ số": shown["indicator_code"], "Nhiệm vụ": shown["task_code"],
    "Nội dung nhiệm vụ": shown["task"], "Căn cứ": shown["basis_label"] + ": " + shown["source"],
}), hide_index=True, width="stretch", height=420, key="links_table",
    column_config={"Nội dung nhiệm vụ": st.column_config.TextColumn(width="large"),
                   "Căn cứ": st.column_config.TextColumn(width="large")})

with st.form("them_lien_ket", clear_on_submit=True):
    st.subheader("Gắn nhiệm vụ với chỉ số")
    task = st.selectbox("Nhiệm vụ", list(tasks), format_func=lambda c: f"{c} – {tasks[c][:90]}", key="link_task",
                        index=None, placeholder="Gõ mã hoặc nội dung nhiệm vụ")
    ind = st.selectbox("Chỉ số", list(indicators), format_func=lambda c: f"{c} – {indicators[c]}", key="link_ind",
                       index=None, placeholder="Gõ mã hoặc tên chỉ số")
    reason = st.text_input("Căn cứ (văn bản, dòng, hoặc lý do)", key="link_reason")
    if st.form_submit_button("Gắn", type="primary"):
        if task is None or ind is None:
            st.error("Cần chọn cả nhiệm vụ và chỉ số.")
        else:
            try:
                links.add_link(engine(), task, ind, reason, actor)
                invalidate()
                st.session_state["_lien_ket_xong"] = f"Đã gắn nhiệm vụ {task} với chỉ số {ind}."
                st.rerun()
            except (ValueError, permissions.PermissionDenied) as exc:
                st.error(plain(exc))

if not shown.empty:
    labels = {int(link_id): f"Số {int(link_id)}: {task_code} → {indicator_code}"
              for link_id, task_code, indicator_code in zip(shown["link_id"], shown["task_code"], shown["indicator_code"],
                                                            strict=True)}
    with st.form("bo_lien_ket"):
        st.subheader("Bỏ liên kết")
        chosen = st.selectbox("Liên kết", list(labels), format_func=lambda i: labels[i], key="link_remove")
        if st.form_submit_button("Bỏ liên kết này"):
            try:
                links.remove_link(engine(), int(chosen), actor)
                invalidate()
                st.session_state["_lien_ket_xong"] = f"Đã bỏ liên kết {labels[int(chosen)]}."
                st.rerun()
            except (ValueError, permissions.PermissionDenied) as exc:
                st.error(plain(exc))
