"""Nhật ký hoạt động: who did what (sign-ins, uploads, undo, account changes)."""

from __future__ import annotations

import pandas as pd
import streamlit as st

from ui import data
from ui.signin import guard

guard("view_audit")
st.title("Nhật ký hoạt động")
ACTIONS = {
    "dang_nhap": "Đăng nhập", "dang_xuat": "Đăng xuất", "dang_nhap_sai": "Đăng nhập sai",
    "dang_nhap_tam_hoan": "Đăng nhập bị tạm hoãn", "doi_vai_tro": "Đổi vai trò",
    "ket_thuc_phien": "Kết thúc phiên đăng nhập", "tao_tai_khoan": "Tạo tài khoản",
    "khoa_tai_khoan": "Khóa tài khoản", "mo_khoa_tai_khoan": "Mở khóa tài khoản", "doi_mat_khau": "Đổi mật khẩu",
    "tai_len": "Tải lên báo cáo", "hoan_tac": "Hoàn tác tải lên", "nap_du_lieu_mau": "Nạp dữ liệu mẫu",
    "chot_so_lieu": "Chốt số liệu họp", "khoi_phuc": "Khôi phục sao lưu", "them_ten_goi_khac": "Thêm tên gọi khác",
}
log: pd.DataFrame = data.audit_log()
if log.empty:
    st.info("Chưa có hoạt động nào được ghi lại.")
else:
    view = pd.DataFrame({
        "Thời điểm": pd.to_datetime(log["at"], utc=True).dt.tz_convert("Asia/Ho_Chi_Minh").dt.strftime("%d/%m/%Y %H:%M"),
        "Tài khoản": log["username"],
        "Hoạt động": log["action"].map(lambda a: ACTIONS.get(a, a)),
        "Chi tiết": log["detail"],
    })
    st.dataframe(view, hide_index=True, width="stretch")
