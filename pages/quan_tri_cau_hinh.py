"""Cấu hình: the declared settings in force (`data_access.settings.REGISTRY`; set through environment variables)."""

from __future__ import annotations

import pandas as pd
import streamlit as st

from data_access.db import schema_revision
from data_access.settings import get_settings, page_rows
from ui.data import engine
from ui.signin import guard

guard("manage_settings")
st.title("Cấu hình")
st.caption("Các thiết lập đặt bằng biến môi trường khi khởi động (xem README, mục \"Cấu hình\"). Trang này chỉ để "
           "xem; thay đổi cần khởi động lại ứng dụng.")
rows = page_rows(get_settings())
rows.insert(1, ("", f"phiên bản cấu trúc {schema_revision(engine()) or '–'}", "Phiên bản cấu trúc dữ liệu (Alembic)"))
st.dataframe(pd.DataFrame(rows, columns=["Biến môi trường", "Giá trị", "Ý nghĩa"]), hide_index=True, width="stretch")
