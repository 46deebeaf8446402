"""The notices shown under a page title: the sample-data line and the data date ("as of")."""

from __future__ import annotations

import streamlit as st

from data_access.returns import data_date
from data_access.vn import fmt_period
from ui import data
from ui.data import engine
from ui.text import plain

SAMPLE_NOTICE = ("**Có dữ liệu mẫu**: tiến độ nhiệm vụ 2025-2026 và số liệu sau 31/03/2025 được sinh tự động để "
                 "trình diễn, chưa phải báo cáo của các cơ quan.")


def data_date_notice() -> None:
    """One line: when the store last received a return (its newest applied upload), from whom, for which quarter."""
    latest = data_date(engine())
    if latest is None:
        st.caption(":material/update: Dữ liệu: chưa có báo cáo quý nào được tải lên; số liệu là số liệu nạp ban đầu "
                   "từ các văn bản của tỉnh.")
    else:
        st.caption(f":material/update: Dữ liệu cập nhật lần cuối {latest.at:%d/%m/%Y %H:%M}: báo cáo "
                   f"{fmt_period(latest.period)} của {plain(latest.agency)}.")


def sample_notice() -> None:
    """The data date, then one compact line (not a banner) while the store holds any generated report or value."""
    data_date_notice()
    if data.has_sample_data():
        st.caption(f":material/info: {SAMPLE_NOTICE}")
