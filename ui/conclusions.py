"""Meeting conclusions on screen (meeting mode): record one against a slide's item, turn it into a task."""

from __future__ import annotations

import datetime as dt
from typing import Any

import streamlit as st

from data_access import conclusions as kl
from data_access import permissions
from data_access.clock import today_vn
from data_access.vn import fmt_date
from ui import data
from ui.data import engine, invalidate, version
from ui.follow_up import agencies as agency_names
from ui.text import plain

GENERAL = ("", "")


@st.cache_data(ttl=600, show_spinner=False, max_entries=32)
def _rows(_version: int, snapshot_id: int) -> list[dict[str, Any]]:
    return kl.list_conclusions(engine(), snapshot_id)


def rows(snapshot_id: int | None) -> list[dict[str, Any]]:
    """The conclusions of meeting `snapshot_id` (none for the live, unfrozen figures)."""
    return _rows(version(), snapshot_id) if snapshot_id is not None else []


def _done(message: str) -> None:
    invalidate()
    _rows.clear()
    st.session_state["_kl_flash"] = message
    st.rerun()


def panel(actor: permissions.Actor, snapshot_id: int | None, items: dict[tuple[str, str], str], key: str) -> None:
    """This meeting's conclusions, the form to record one about an item of the slide, and (Sở Nội vụ)
    the form that makes a conclusion a task of the "Kết luận giao ban" plan."""
    message = st.session_state.pop("_kl_flash", None)
    if message:
        st.success(message, icon=":material/check_circle:")
    if snapshot_id is None:
        st.info("Kết luận được ghi cho một cuộc họp đã chốt số liệu: hãy chốt số liệu (hoặc chọn một lần đã chốt).")
        return
    if permissions.can(actor.role, "record_conclusion"):
        with st.form(f"kl_add_{key}", border=True):
            options = [GENERAL, *items]
            subject = st.selectbox("Kết luận về", options, key=f"kl_item_{key}",
                                   format_func=lambda k: "Chung cho cuộc họp" if k == GENERAL else items.get(k, k[1]))
            text = st.text_area("Nội dung kết luận", key=f"kl_text_{key}", height=80,
                                placeholder="Ví dụ: Sở Tư pháp hoàn thành rà soát văn bản trước ngày 15/12/2026")
            if st.form_submit_button("Ghi kết luận", type="primary", key=f"kl_save_{key}"):
                try:
                    kid = kl.add_conclusion(engine(), actor, snapshot_id, subject[0], subject[1], text)
                except (kl.ConclusionError, permissions.PermissionDenied) as exc:
                    st.error(plain(exc))
                else:
                    _done(f"Đã ghi kết luận số {kid}.")
    mine = rows(snapshot_id)
    st.markdown(f"**Kết luận của cuộc họp** ({len(mine)})" if mine else "**Kết luận của cuộc họp**: chưa có.")
    agencies = agency_names()
    fields = data.fields()
    field_names = dict(zip(fields["code"], fields["name"], strict=True)) if "code" in fields else {}
    for c in mine:
        task = (f" → nhiệm vụ **{plain(c['task_code'])}** ({plain(c['agency'])}, hạn {fmt_date(c['deadline_date'])})"
                if c["task_code"] else "")
        about = f"{kl.KIND_LABELS.get(c['subject_kind'], '')} {c['subject_code']}".strip()
        st.markdown(f"{c['id']}. [{plain(about)}] {plain(c['text'])}{task}")
        if c["task_code"] or not permissions.can(actor.role, "assign_conclusion"):
            continue
        with (st.expander(f"Giao thành nhiệm vụ (kết luận số {c['id']})", icon=":material/assignment_add:"),
              st.form(f"kl_task_{key}_{c['id']}", border=False)):
            ids = list(agencies)
            agency = st.selectbox("Cơ quan chủ trì", ids, index=None, placeholder="Chọn cơ quan",
                                  format_func=lambda i: agencies.get(i, str(i)), key=f"kl_ag_{key}_{c['id']}")
            deadline = st.date_input("Thời hạn", value=today_vn() + dt.timedelta(days=30), min_value=today_vn(),
                                     format="DD/MM/YYYY", key=f"kl_dl_{key}_{c['id']}")
            field = st.selectbox("Lĩnh vực (để trống: lĩnh vực của mục được kết luận)", [None, *field_names],
                                 format_func=lambda f: "–" if f is None else field_names.get(f, f),
                                 key=f"kl_f_{key}_{c['id']}")
            if st.form_submit_button("Giao nhiệm vụ", type="primary", key=f"kl_go_{key}_{c['id']}"):
                if agency is None:
                    st.error("Hãy chọn cơ quan chủ trì.")
                else:
                    try:
                        code = kl.to_task(engine(), actor, int(c["id"]), int(agency), deadline, field)
                    except (kl.ConclusionError, permissions.PermissionDenied) as exc:
                        st.error(plain(exc))
                    else:
                        _done(f"Đã giao nhiệm vụ {code} cho {agencies[int(agency)]}, hạn {fmt_date(deadline)}.")
