"""Tài khoản: administrators list, create, disable and enable accounts."""

from __future__ import annotations

import pandas as pd
import streamlit as st

from data_access import accounts, permissions
from data_access.settings import get_settings
from ui.data import engine
from ui.signin import client_address, credential_store, guard
from ui.text import plain

actor = guard("manage_users")
store = credential_store(str(get_settings().credentials_file))
st.title("Quản lý tài khoản")

users = store.list_users()
table = pd.DataFrame(
    [{"Tên đăng nhập": u["username"], "Họ tên": u["name"], "Vai trò": permissions.ROLE_LABELS.get(u["role"], u["role"]),
      "Trạng thái": "Đã khóa" if u["disabled"] else "Hoạt động"} for u in users]
)
st.dataframe(table, hide_index=True, width="stretch")

left, right = st.columns(2)
with left, st.form("tao_tai_khoan", clear_on_submit=True):
    st.subheader("Tạo tài khoản")
    username = st.text_input("Tên đăng nhập", help="Chữ không dấu, số, dấu chấm, gạch dưới; 3-32 ký tự")
    name = st.text_input("Họ tên")
    role = st.selectbox("Vai trò", permissions.ROLES, format_func=lambda r: permissions.ROLE_LABELS[r])
    password = st.text_input("Mật khẩu", type="password", help="Ít nhất 8 ký tự, tối đa 72 byte")
    if st.form_submit_button("Tạo tài khoản", type="primary"):
        try:
            accounts.add_user_as(actor, store, engine(), username, name, role, password, source=client_address())
            st.success(f"Đã tạo tài khoản {plain(username)}.")
            st.rerun()
        except (permissions.AccountError, permissions.PermissionDenied) as exc:
            st.error(plain(exc))
with right, st.form("khoa_tai_khoan"):
    st.subheader("Khóa / mở khóa")
    target = st.selectbox("Tài khoản", [u["username"] for u in users])
    enable = st.radio("Thao tác", ["Khóa", "Mở khóa"], horizontal=True) == "Mở khóa"
    if st.form_submit_button("Thực hiện"):
        try:
            accounts.set_user_enabled_as(actor, store, engine(), str(target), enable, source=client_address())
            st.success("Đã cập nhật.")
            st.rerun()
        except (permissions.AccountError, permissions.PermissionDenied) as exc:
            st.error(plain(exc))
