"""Entry point and router: page config, sign-in gate, role-based navigation, shared filters."""

from __future__ import annotations

import streamlit as st

from ui.filters import render_sidebar_filters

st.set_page_config(page_title="CCHC Khánh Hòa", page_icon="📊", layout="wide")

PAGES = {
    "Theo dõi": [
        st.Page("pages/tong_quan.py", title="Tổng quan", icon="🏠", url_path="tong-quan", default=True),
    ],
}

navigation = st.navigation(PAGES)
st.sidebar.title("CCHC Khánh Hòa")
render_sidebar_filters()
navigation.run()
