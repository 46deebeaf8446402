"""Notes on a number on screen: cached reads, the list under a chart or a task, the add/edit/delete forms."""

from __future__ import annotations

import datetime as dt
from typing import Any

import streamlit as st

from data_access import notes as nt
from data_access import permissions
from data_access.vn import fmt_date
from ui.data import engine, invalidate, version
from ui.text import html_text, plain

NO_PERIOD = ""


@st.cache_data(ttl=600, show_spinner=False, max_entries=64)
def _rows(_version: int, kind: str, code: str) -> list[dict[str, Any]]:
    return nt.list_notes(engine(), kind, code)


def rows(kind: str, code: str) -> list[dict[str, Any]]:
    """The visible notes on one item (oldest period first)."""
    return _rows(version(), kind, code)


def _done(message: str) -> None:
    invalidate()
    _rows.clear()
    st.session_state["_note_flash"] = message
    st.rerun()


def line(n: dict[str, Any]) -> str:
    """One note as HTML: period, text, author and date (and the date of the last edit)."""
    edited = f", sửa ngày {fmt_date(dt.date.fromisoformat(n['edited']))}" if n.get("edited") else ""
    period = f"<b>{html_text(n['period_label'])}</b>: " if n["period_label"] else ""
    return (f"<div style='margin:.15rem 0'>📝 {period}{html_text(n['text'])} "
            f"<span style='color:#666'>— {html_text(n['author'])}, {fmt_date(dt.date.fromisoformat(n['date']))}"
            f"{edited}</span></div>")


def panel(actor: permissions.Actor, kind: str, code: str, periods: list[str], key: str) -> None:
    """The notes on an item, and (for anyone signed in) a form to add one; own notes can be edited/deleted."""
    message = st.session_state.pop("_note_flash", None)
    if message:
        st.success(message, icon=":material/check_circle:")
    notes = rows(kind, code)
    st.markdown("**Ghi chú về số liệu**" + ("" if notes else ": chưa có ghi chú."))
    for n in notes:
        st.markdown(line(n), unsafe_allow_html=True)
    if not permissions.can(actor.role, "write_note"):
        return
    mine = {int(n["id"]): n for n in notes if n["author"] == actor.username or actor.role == permissions.ROLE_ADMIN}
    with st.expander("Thêm ghi chú" + (" / sửa ghi chú của tôi" if mine else ""), icon=":material/edit_note:"):
        with st.form(f"note_add_{key}", border=False):
            from data_access.vn import fmt_period

            options = [NO_PERIOD, *periods]
            period = st.selectbox("Kỳ số liệu", options, index=len(options) - 1 if periods else 0, key=f"note_p_{key}",
                                  format_func=lambda p: fmt_period(p) if p else "Không gắn với một kỳ")
            text = st.text_area("Nội dung ghi chú", key=f"note_t_{key}", height=80, max_chars=nt.MAX_CHARS,
                                placeholder="Ví dụ: Quý II giảm do chuyển đổi phần mềm một cửa")
            if st.form_submit_button("Lưu ghi chú", type="primary", key=f"note_save_{key}"):
                try:
                    nt.add_note(engine(), actor, kind, code, period, text)
                except (nt.NoteError, permissions.PermissionDenied) as exc:
                    st.error(plain(exc))
                else:
                    _done("Đã lưu ghi chú (ký tên " + actor.username + ").")
        for nid, n in mine.items():
            with st.form(f"note_edit_{key}_{nid}", border=True):
                new = st.text_area(f"Ghi chú số {nid}" + (f" ({n['period_label']})" if n["period_label"] else ""),
                                   value=n["text"], key=f"note_e_{key}_{nid}", height=68, max_chars=nt.MAX_CHARS)
                c1, c2 = st.columns(2)
                save = c1.form_submit_button("Lưu sửa đổi", key=f"note_es_{key}_{nid}")
                drop = c2.form_submit_button("Xóa ghi chú", key=f"note_d_{key}_{nid}")
                try:
                    if save:
                        nt.edit_note(engine(), actor, nid, new)
                        _done(f"Đã sửa ghi chú số {nid}.")
                    elif drop:
                        nt.delete_note(engine(), actor, nid)
                        _done(f"Đã xóa ghi chú số {nid}.")
                except (nt.NoteError, permissions.PermissionDenied) as exc:
                    st.error(plain(exc))
