"""Danh mục cơ quan: the agencies after the 2025 reorganisation, their successors and other names."""

from __future__ import annotations

import pandas as pd
import streamlit as st

from data_access import auth
from data_access.catalogue import KIND_LABELS, add_alias, agency_catalogue
from data_access.vn import fmt_date, fmt_number
from ui.data import engine, invalidate
from ui.session import guard
from ui.text import plain

actor = guard("manage_agencies")
st.title("Danh mục cơ quan")
st.caption("Cơ quan cũ (trước sắp xếp tháng 02/2025) được quy về cơ quan kế thừa; tên gọi khác giúp nhận diện "
           "tên cơ quan trong báo cáo gửi lên.")
catalogue = agency_catalogue(engine())
view = pd.DataFrame({
    "Cơ quan": catalogue["name"],
    "Loại": catalogue["kind"].map(lambda k: KIND_LABELS.get(k, k)),
    "Trực thuộc": catalogue["parent"].fillna("–"),
    "Kế thừa bởi": catalogue["successor"].fillna("–"),
    "Hoạt động đến": [fmt_date(v) if v is not None and not pd.isna(v) else "–" for v in catalogue["valid_to"]],
    "Số nhiệm vụ chủ trì": catalogue["lead_tasks"].map(fmt_number),
    "Tên gọi khác": catalogue["aliases"].map(lambda a: "; ".join(a) or "–"),
})
st.dataframe(view, hide_index=True, width="stretch", height=520)

with st.form("ten_goi_khac", clear_on_submit=True):
    st.subheader("Thêm tên gọi khác")
    names = dict(zip(catalogue["id"].astype(int), catalogue["name"], strict=True))
    agency_id = st.selectbox("Cơ quan", list(names), format_func=lambda i: names[i])
    alias = st.text_input("Tên gọi khác", placeholder="Ví dụ: VP UBND tỉnh")
    if st.form_submit_button("Thêm", type="primary"):
        try:
            add_alias(engine(), actor, int(agency_id), alias)
            invalidate()
            st.success(f"Đã thêm tên gọi khác cho {plain(names[int(agency_id)])}.")
        except (ValueError, auth.PermissionDenied) as exc:
            st.error(plain(exc))
