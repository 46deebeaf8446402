"""Cấu hình: the declared settings in force (set through environment variables; see README)."""

from __future__ import annotations

import pandas as pd
import streamlit as st
from sqlalchemy.engine import make_url

from data_access.db import schema_revision
from data_access.settings import get_settings
from data_access.vn import fmt_number
from ui.data import engine
from ui.signin import guard

guard("manage_settings")
settings = get_settings()
st.title("Cấu hình")
st.caption("Các thiết lập đặt bằng biến môi trường khi khởi động (xem README). Trang này chỉ để xem; thay đổi "
           "cần khởi động lại ứng dụng.")
url = make_url(settings.database_url)
rows = [
    ("DATABASE_URL", url.render_as_string(hide_password=True), "Kho dữ liệu"),
    ("", f"phiên bản cấu trúc {schema_revision(engine()) or '–'}", "Phiên bản cấu trúc dữ liệu (Alembic)"),
    ("CCHC_MODE", "trình diễn" if settings.mode == "demo" else "vận hành", "Chế độ chạy"),
    ("CCHC_DUE_SOON_DAYS", f"{fmt_number(settings.due_soon_days)} ngày", "Ngưỡng 'sắp đến hạn'"),
    ("CCHC_RETURN_DUE_DAYS", f"{fmt_number(settings.return_due_days)} ngày sau ngày cuối quý",
     "Hạn nộp báo cáo quý"),
    ("CCHC_UPLOAD_MAX_MB", f"{fmt_number(settings.upload_max_mb)} MB", "Dung lượng tối đa một tệp tải lên"),
    ("CCHC_UPLOAD_MAX_ROWS", f"{fmt_number(settings.upload_max_rows)} dòng", "Số dòng tối đa một tệp"),
    ("CCHC_UPLOAD_MAX_CELL_CHARS", f"{fmt_number(settings.upload_max_cell_chars)} ký tự", "Độ dài tối đa một ô"),
    ("CCHC_CREDENTIALS_FILE", str(settings.credentials_file), "Tệp tài khoản"),
]
st.dataframe(pd.DataFrame(rows, columns=["Biến môi trường", "Giá trị", "Ý nghĩa"]), hide_index=True, width="stretch")
