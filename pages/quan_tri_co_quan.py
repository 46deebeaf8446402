"""Danh mục cơ quan: the agencies after the 2025 reorganisation, their successors and other names."""

from __future__ import annotations

import pandas as pd
import streamlit as st

from data_access import permissions
from data_access.catalogue import KIND_LABELS, add_alias, agency_catalogue, set_contact_email
from data_access.matching import pairings, remove_pairing
from data_access.vn import fmt_date, fmt_number
from ui.data import engine, invalidate
from ui.signin import guard
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
    "E-mail nhận nhắc báo cáo": [v if isinstance(v, str) and v else "–" for v in catalogue["contact_email"]],
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
        except (ValueError, permissions.PermissionDenied) as exc:
            st.error(plain(exc))

with st.form("email_co_quan"):
    st.subheader("E-mail nhận nhắc báo cáo")
    st.caption("Thư nhắc hạn và thư quá hạn nộp báo cáo quý (lệnh python -m data_access notify) được gửi đến địa chỉ "
               "này; để trống để xóa. Cơ quan chưa có địa chỉ được nêu trong thư tổng hợp gửi Sở Nội vụ.")
    emails = dict(zip(catalogue["id"].astype(int), catalogue["contact_email"], strict=True))
    mail_agency = st.selectbox("Cơ quan", list(names), format_func=lambda i: names[i], key="email_co_quan_cq")
    current = emails.get(int(mail_agency))
    st.caption(f"Địa chỉ hiện tại: {plain(current) if isinstance(current, str) and current else 'chưa có'}")
    address = st.text_input("Địa chỉ e-mail mới", placeholder="vanthu@snv.khanhhoa.gov.vn", key="email_co_quan_dc")
    if st.form_submit_button("Lưu địa chỉ", type="primary"):
        try:
            saved = set_contact_email(engine(), actor, int(mail_agency), address)
            invalidate()
            st.session_state["_email_da_luu"] = (f"Đã lưu e-mail nhận nhắc báo cáo của {names[int(mail_agency)]}: "
                                                 f"{saved or '(đã xóa)'}.")
            st.rerun()
        except (ValueError, permissions.PermissionDenied) as exc:
            st.error(plain(exc))
saved_flash = st.session_state.pop("_email_da_luu", None)
if saved_flash:
    st.success(plain(saved_flash))

st.subheader("Cặp nội dung – nhiệm vụ đã ghi nhớ")
st.caption("Khi chuyên viên xác nhận một dòng báo cáo (ở bước Đối chiếu) thuộc nhiệm vụ nào, cách ghi nội dung đó được "
           "ghi nhớ cho cơ quan báo cáo: các kỳ sau, dòng ghi giống hệt sẽ tự khớp. Xóa một cặp khi nó đã ghi nhớ sai.")
done = st.session_state.pop("_cap_da_xoa", None)
if done:
    st.success(done)
remembered = pairings(engine())
if remembered.empty:
    st.caption("Chưa có cặp nào được ghi nhớ.")
else:
    st.dataframe(pd.DataFrame({
        "Số": remembered["id"].astype(str),
        "Cơ quan báo cáo": remembered["agency"],
        "Nội dung ghi trong báo cáo": remembered["text"],
        "Nhiệm vụ": remembered["task"] + " – " + remembered["task_text"].str.slice(0, 90),
        "Người xác nhận": remembered["created_by"],
        "Thời gian": [v.strftime("%d/%m/%Y %H:%M") for v in remembered["created_at"]],
        "Lần tải lên": [f"số {int(u)}" if u is not None and not pd.isna(u) else "–" for u in remembered["upload_id"]],
    }), hide_index=True, width="stretch")
    labels = {int(i): f"Số {int(i)}: {agency} · «{str(text)[:60]}» → {task}"
              for i, agency, text, task in zip(remembered["id"], remembered["agency"], remembered["text"],
                                               remembered["task"], strict=True)}
    with st.form("xoa_cap_noi_dung"):
        chosen = st.selectbox("Cặp cần xóa", list(labels), format_func=lambda i: labels[i], key="cap_can_xoa")
        if st.form_submit_button("Xóa cặp này", key="xoa_cap"):
            try:
                remove_pairing(engine(), actor, int(chosen))
                invalidate()
                st.session_state["_cap_da_xoa"] = (f"Đã xóa cặp số {int(chosen)}; các kỳ sau nội dung đó sẽ lại cần "
                                                   "đối chiếu.")
                st.rerun()
            except (ValueError, permissions.PermissionDenied) as exc:
                st.error(plain(exc))
