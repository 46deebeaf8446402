"""Tổng quan: the headline numbers for the selected year as of the chosen date."""

from __future__ import annotations

import streamlit as st

from data_access.queries import Overview
from data_access.vn import fmt_date, fmt_number, fmt_pct
from ui.data import q
from ui.filters import describe, get_filters
from ui.session import guard

guard("view")

filters = get_filters()
st.title("Tổng quan cải cách hành chính")
st.caption(f"Số liệu tính đến ngày {fmt_date(filters.as_of)} · {describe(filters)}")
if q("has_sample_data"):
    st.info("Kho dữ liệu đang chứa **dữ liệu mẫu**: tiến độ năm 2025-2026 và chỉ tiêu sau 31/03/2025 được "
            "sinh tự động để trình diễn, chưa phải số liệu báo cáo của các cơ quan.", icon="ℹ️")

ov: Overview = q("overview", filters)
c1, c2, c3, c4, c5 = st.columns(5)
c1.metric("Tổng số nhiệm vụ", fmt_number(ov.total))
c2.metric("Đã hoàn thành", fmt_pct(ov.pct_done, 1), help=f"{fmt_number(ov.done)} nhiệm vụ")
c3.metric("Quá hạn", fmt_number(ov.overdue))
c4.metric("Sắp đến hạn (30 ngày)", fmt_number(ov.due_soon))
c5.metric("Chỉ tiêu chưa đạt", fmt_number(ov.indicators_red))
