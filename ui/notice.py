"""The one-line sample-data notice, shown on every page whose figures include generated values."""

from __future__ import annotations

import streamlit as st

from ui import data

SAMPLE_NOTICE = ("**Có dữ liệu mẫu**: tiến độ nhiệm vụ 2025-2026 và số liệu sau 31/03/2025 được sinh tự động để "
                 "trình diễn, chưa phải báo cáo của các cơ quan.")


def sample_notice() -> None:
    """One compact line (not a banner) while the store holds any generated report or value."""
    if data.has_sample_data():
        st.caption(f":material/info: {SAMPLE_NOTICE}")
