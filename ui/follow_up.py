"""Explanation requests (giải trình) on screen: cached reads, the list beside an item, and the forms.

Writes go through `data_access.follow_up` (role check + audit); this module only renders and
turns a refusal into a Vietnamese message.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

import pandas as pd
import streamlit as st

from data_access import follow_up as fu
from data_access import permissions
from data_access.clock import today_vn
from data_access.vn import fmt_date, fmt_number
from ui.data import engine, invalidate, version
from ui.text import html_text, plain

DEFAULT_DAYS = 15  # default time given to answer


@st.cache_data(ttl=600, show_spinner=False, max_entries=16)
def _rows(_version: int, today: dt.date) -> list[dict[str, Any]]:
    return fu.request_rows(engine(), today)


def rows() -> list[dict[str, Any]]:
    """Every request (live), as `follow_up.request_rows` gives them."""
    return _rows(version(), today_vn())


@st.cache_data(ttl=600, show_spinner=False, max_entries=4)
def _agencies(_version: int) -> list[tuple[int, str]]:
    return fu.agency_choices(engine())


def _done(message: str) -> None:
    invalidate()
    _rows.clear()
    st.session_state["_fu_flash"] = message
    st.rerun()


def flash() -> None:
    """The confirmation of the last write (kept across the rerun that shows its effect)."""
    message = st.session_state.pop("_fu_flash", None)
    if message:
        st.success(message, icon=":material/check_circle:")


def state_badge(state: str) -> str:
    """The state as a coloured label (HTML)."""
    return (f"<span style='color:{fu.STATE_COLOURS[state]};font-weight:700'>"
            f"{html_text(fu.STATE_LABELS[state])}</span>")


def describe(r: dict[str, Any]) -> str:
    """One request as an HTML block: who, by when, what was asked, the answer."""
    due = fmt_date(r["due_date"])
    late = f" · quá hạn {fmt_number(r['days_overdue'])} ngày" if r["state"] == fu.OVERDUE else ""
    parts = [f"{state_badge(r['state'])} · <b>{html_text(r['agency'])}</b> · hạn {due}{late}",
             f"Yêu cầu số {r['id']} ({html_text(r['requested_by'])}, {fmt_date(_vn_date(r['requested_at']))}"
             + (f", {html_text(r['meeting'])}" if r["meeting"] else "") + f"): {html_text(r['reason'])}"]
    if r.get("answer"):
        doc = r["answer_document"] or "văn bản không số"
        parts.append(f"<b>Giải trình</b> ({html_text(doc)} ngày {fmt_date(r['answered_on'])}, Sở Nội vụ ghi nhận): "
                     f"{html_text(r['answer'])}")
    if r["state"] == fu.CLOSED:
        parts.append("Đã đóng" + (f": {html_text(r['close_note'])}" if r["close_note"] else "") + ".")
    return "<div style='margin:.2rem 0 .6rem 0;line-height:1.45'>" + "<br>".join(parts) + "</div>"


def _vn_date(value: Any) -> dt.date | None:
    if value is None or value is pd.NaT:
        return None
    from data_access.clock import to_vn

    return to_vn(value).date()


def raise_form(actor: permissions.Actor, kind: str, code: str, key: str, default_agencies: list[int] | None = None,
               meeting: str = "") -> None:
    """The "Yêu cầu giải trình" form for one item (leaders and Sở Nội vụ)."""
    if not permissions.can(actor.role, "request_explanation"):
        return
    agencies = dict(_agencies(version()))
    ids = list(agencies)
    default = default_agencies[0] if default_agencies else None
    with st.form(f"fu_raise_{key}", border=True):
        st.markdown("**Yêu cầu cơ quan giải trình**")
        agency = st.selectbox("Cơ quan giải trình", ids, index=ids.index(default) if default in ids else None,
                              format_func=lambda i: agencies.get(i, str(i)), key=f"fu_agency_{key}",
                              placeholder="Chọn cơ quan")
        reason = st.text_area("Nội dung cần giải trình", key=f"fu_reason_{key}", height=80,
                              placeholder="Ví dụ: Giải trình nguyên nhân chỉ tiêu chưa đạt và giải pháp khắc phục")
        due = st.date_input("Hạn giải trình", value=today_vn() + dt.timedelta(days=DEFAULT_DAYS), min_value=today_vn(),
                            format="DD/MM/YYYY", key=f"fu_due_{key}")
        if st.form_submit_button("Gửi yêu cầu giải trình", type="primary", key=f"fu_send_{key}"):
            if agency is None:
                st.error("Hãy chọn cơ quan giải trình.")
                return
            try:
                rid = fu.raise_request(engine(), actor, kind, code, int(agency), reason, due, meeting=meeting)
            except (fu.FollowUpError, permissions.PermissionDenied) as exc:
                st.error(plain(exc))
                return
            _done(f"Đã gửi yêu cầu giải trình số {rid} tới {agencies[int(agency)]}, hạn {fmt_date(due)}.")


def answer_form(actor: permissions.Actor, r: dict[str, Any], key: str) -> None:
    """Record the agency's answer from its letter, or close the request (Sở Nội vụ)."""
    if not permissions.can(actor.role, "record_explanation") or r["state"] == fu.CLOSED:
        return
    rid = int(r["id"])
    label = "Sửa nội dung giải trình" if r.get("answer") else "Ghi nhận giải trình"
    with st.expander(f"{label} / đóng yêu cầu số {rid}", icon=":material/edit_note:"):
        with st.form(f"fu_answer_{key}_{rid}", border=False):
            text = st.text_area("Nội dung giải trình (theo văn bản của cơ quan)", value=r.get("answer") or "",
                                key=f"fu_text_{key}_{rid}", height=90)
            c1, c2 = st.columns(2)
            doc = c1.text_input("Văn bản giải trình (số, ký hiệu)", value=r.get("answer_document") or "",
                                placeholder="Ví dụ: Công văn 123/STP-VP", key=f"fu_doc_{key}_{rid}")
            on = c2.date_input("Ngày văn bản", value=r.get("answered_on") or today_vn(), max_value=today_vn(),
                               format="DD/MM/YYYY", key=f"fu_on_{key}_{rid}")
            if st.form_submit_button("Lưu giải trình", type="primary", key=f"fu_save_{key}_{rid}"):
                try:
                    fu.record_answer(engine(), actor, rid, text, doc, on)
                except (fu.FollowUpError, permissions.PermissionDenied) as exc:
                    st.error(plain(exc))
                else:
                    _done(f"Đã ghi nhận giải trình của {r['agency']} cho yêu cầu số {rid}.")
        with st.form(f"fu_close_{key}_{rid}", border=False):
            note = st.text_input("Ghi chú khi đóng" + ("" if r.get("answer") else " (bắt buộc: yêu cầu chưa có "
                                                       "giải trình)"), key=f"fu_note_{key}_{rid}")
            if st.form_submit_button("Đóng yêu cầu", key=f"fu_closebtn_{key}_{rid}"):
                try:
                    fu.close_request(engine(), actor, rid, note)
                except (fu.FollowUpError, permissions.PermissionDenied) as exc:
                    st.error(plain(exc))
                else:
                    _done(f"Đã đóng yêu cầu giải trình số {rid}.")


def item_panel(actor: permissions.Actor, kind: str, code: str, key: str, default_agencies: list[int] | None = None,
               meeting: str = "", can_raise: bool = True) -> None:
    """The requests on one item (newest state first), their answer forms, and the raise form."""
    mine = [r for r in rows() if r["subject_kind"] == kind and r["subject_code"] == code]
    st.markdown(f"**Giải trình** ({fmt_number(len(mine))} yêu cầu)" if mine else "**Giải trình**: chưa có yêu cầu.")
    for r in mine:
        st.markdown(describe(r), unsafe_allow_html=True)
        answer_form(actor, r, key)
    if can_raise:
        raise_form(actor, kind, code, key, default_agencies, meeting)


@st.cache_data(ttl=600, show_spinner=False, max_entries=64)
def _leads(_version: int, task_code: str) -> list[int]:
    return [i for i, _ in fu.lead_agencies(engine(), task_code)]


def lead_ids(task_code: str) -> list[int]:
    """The task's lead agencies' ids: the default recipient of a request."""
    return _leads(version(), task_code)


def agencies() -> dict[int, str]:
    """Id -> name of every agency a request or a task can go to."""
    return dict(_agencies(version()))
