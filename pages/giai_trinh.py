"""Giải trình: every explanation request, overdue answers first; Sở Nội vụ records answers and closes."""

from __future__ import annotations

import pandas as pd
import streamlit as st

from data_access import follow_up as fu
from data_access.clock import today_vn
from data_access.vn import fmt_date, fmt_number
from ui import charts
from ui.follow_up import answer_form, describe, flash, rows
from ui.signin import guard
from ui.text import plain

actor = guard("view")
st.title("Giải trình")
st.caption(f"Yêu cầu cơ quan giải trình về chỉ tiêu chưa đạt và nhiệm vụ quá hạn · tính đến ngày {fmt_date(today_vn())}"
           " · yêu cầu được gửi từ trang Chỉ tiêu, Nhiệm vụ hoặc khi trình chiếu")
flash()
requests = rows()
counts = {state: sum(1 for r in requests if r["state"] == state) for state in fu.STATE_LABELS}
# One line of counts (four metrics would stack into a screen's height on a phone).
st.markdown("".join(
    f"<span style='display:inline-block;margin:0 .5rem .5rem 0;padding:.35rem .8rem;border-radius:1rem;"
    f"border:2px solid {fu.STATE_COLOURS[state]};color:{fu.STATE_COLOURS[state]};font-weight:600'>"
    f"{fu.STATE_LABELS[state]}: {fmt_number(counts[state])}</span>" for state in fu.STATE_LABELS),
    unsafe_allow_html=True)
if not requests:
    st.info("Chưa có yêu cầu giải trình nào.")
    st.stop()

picked = st.multiselect("Tình trạng", list(fu.STATE_LABELS), default=[fu.OVERDUE, fu.OPEN, fu.ANSWERED],
                        format_func=lambda s: fu.STATE_LABELS[s], key="fu_states", placeholder="Mọi tình trạng")
shown = [r for r in requests if not picked or r["state"] in picked]
st.caption(f"{fmt_number(len(shown))} yêu cầu · quá hạn giải trình trước, rồi theo hạn")
if not shown:
    st.info("Không có yêu cầu nào ở tình trạng đã chọn.")
    st.stop()
charts.table(pd.DataFrame({
    "Số": [r["id"] for r in shown],
    "Tình trạng": [fu.STATE_LABELS[r["state"]] for r in shown],
    "Về": [fu.KIND_LABELS.get(r["subject_kind"], "") for r in shown],
    "Mã": [r["subject_code"] for r in shown],
    "Nội dung": [r["subject_text"] for r in shown],
    "Cơ quan giải trình": [r["agency"] for r in shown],
    "Hạn": [fmt_date(r["due_date"]) for r in shown],
    "Quá hạn (ngày)": [fmt_number(r["days_overdue"]) if r["days_overdue"] else "–" for r in shown],
    "Giải trình": [r["answer"] or "–" for r in shown],
    "Văn bản": [r["answer_document"] or "–" for r in shown],
}), "giai-trinh.xlsx", "fu_table", sheet="Giải trình",
    column_config={"Nội dung": st.column_config.TextColumn(width="large"),
                   "Giải trình": st.column_config.TextColumn(width="large")})

st.subheader("Chi tiết yêu cầu")
by_id = {int(r["id"]): r for r in shown}
rid = st.selectbox("Chọn yêu cầu", list(by_id), key="fu_pick",
                   format_func=lambda i: f"Số {i} · {by_id[i]['subject_code']} · {by_id[i]['agency']}")
r = by_id[int(rid)]
st.markdown(f"**{fu.KIND_LABELS.get(r['subject_kind'], '')} {plain(r['subject_code'])}**: {plain(r['subject_text'])}")
st.markdown(describe(r), unsafe_allow_html=True)
answer_form(actor, r, "page")
