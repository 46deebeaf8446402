"""Tình hình nộp báo cáo: who owed a quarterly return, who sent it on time, late or not at all; approval and lock.

Figures come from `data_access.returns` (obligations, DHIS2 timeliness); approval, lock and reopening go
through `data_access.period_lock` (role check and audit there). The page only renders.
"""

from __future__ import annotations

import pandas as pd
import streamlit as st

from data_access import returns as rt
from data_access.period_lock import approve, lock_period, reopen
from data_access.permissions import PermissionDenied, can
from data_access.settings import get_settings
from data_access.vn import fmt_date, fmt_number, fmt_pct, fmt_period, vi_sort_key
from ui.data import engine, invalidate
from ui.filters import get_filters
from ui.fmt import to_xlsx
from ui.notice import sample_notice
from ui.signin import guard
from ui.text import plain

actor = guard("view")
filters = get_filters()
eng = engine()
st.title("Tình hình nộp báo cáo")
st.caption(f"Số liệu tính đến ngày {fmt_date(filters.as_of)} · Báo cáo quý của các cơ quan chủ trì nhiệm vụ; hạn nộp: "
           f"ngày thứ {get_settings().return_due_days} sau khi hết quý. Một báo cáo được tính là đã nhận khi lần tải "
           "lên đầu tiên của cơ quan cho quý đó được áp dụng (và không bị hoàn tác).")
sample_notice()
flash = st.session_state.pop("nbc_thong_bao", None)
if flash:
    st.success(plain(flash), icon=":material/check_circle:")

count = st.segmented_control("Số quý hiển thị", [4, 6, 8], default=4, key="nbc_so_quy",
                             format_func=lambda n: f"{n} quý gần nhất") or 4
periods = rt.recent_quarters(filters.as_of, int(count))
items = rt.cycle(eng, periods, today=filters.as_of)
latest = rt.last_returns(eng)
current = rt.reporting_quarter(filters.as_of)

# --- counts and rates per quarter (DHIS2: expected, actual, on time) -------------------------------------
st.subheader("Theo quý")
rows = []
for period in periods[::-1]:
    these = [o for o in items if o.period == period]
    s = rt.summary(these)
    rows.append({
        "Kỳ": fmt_period(period),  # rates first after the quarter: what a leader on a phone reads
        "Tỷ lệ đã nộp": fmt_pct(100 * s["reporting_rate"], 2) if s["reporting_rate"] is not None else "–",
        "Tỷ lệ đúng hạn": fmt_pct(100 * s["on_time_rate"], 2) if s["on_time_rate"] is not None else "–",
        "Phải nộp": fmt_number(s["expected"]),
        "Đã nộp": fmt_number(s["received"]),
        "Đúng hạn": fmt_number(s["on_time"]),
        "Trễ hạn": fmt_number(s["late"]),
        "Chưa nộp (quá hạn)": fmt_number(s["missing"]),
        "Hạn nộp": fmt_date(rt.due_date(period)),
        "Đã duyệt": fmt_number(sum(o.approved for o in these)),
        "Khóa kỳ": "Đã khóa kỳ báo cáo" if these and all(o.locked for o in these) else (
            "Đã khóa, mở lại cho " + fmt_number(sum(not o.locked for o in these)) + " cơ quan"
            if any(o.locked for o in these) else "Chưa khóa"),
    })
per_quarter = pd.DataFrame(rows)
st.dataframe(per_quarter, hide_index=True, width="stretch", key="nbc_theo_quy",
             column_config={"Kỳ": st.column_config.TextColumn(pinned=True)})
st.caption("Tỷ lệ đã nộp = số báo cáo đã nhận / số phải nộp; tỷ lệ đúng hạn = số nhận đến hết ngày hạn nộp / số phải "
           "nộp (cách tính của DHIS2). Quý chưa đến hạn không tính là chưa nộp.")

# --- agency × quarter -------------------------------------------------------------------------------------
st.subheader("Theo cơ quan")
CELL = {rt.ON_TIME: "Đúng hạn", rt.LATE: "Trễ hạn", rt.MISSING: "Chưa nộp", rt.NOT_DUE: "Chưa đến hạn"}
COLOURS = {"Đã khóa": "#d9d9e8", "Đã duyệt": "#cfe8d5", "Đúng hạn": "#e6f4ea", "Trễ hạn": "#fff1d6",
           "Chưa nộp": "#fbdcdc", "Chưa đến hạn": "#f3f3f3"}


def cell(o: rt.Obligation) -> str:
    text = CELL[o.status]
    if o.received_at is not None:
        text += f" {o.received_at:%d/%m}"
    if o.approved:
        text += " · Đã duyệt"
    if o.locked:
        text += " · Đã khóa"
    return text


agencies = sorted({(o.agency_id, o.agency) for o in items}, key=lambda a: vi_sort_key(a[1]))
by_key = {(o.agency_id, o.period): o for o in items}
matrix_rows = []
for aid, name in agencies:
    row: dict[str, str] = {"Cơ quan": name}
    for period in periods[::-1]:
        o = by_key.get((aid, period))
        row[fmt_period(period)] = cell(o) if o is not None else "Không phải nộp"
    last = latest.get(aid)
    if last is None:
        row["Báo cáo gần nhất đã nhận"] = "Chưa có · chưa cập nhật"
    else:
        row["Báo cáo gần nhất đã nhận"] = (f"{fmt_period(last.period)}, nhận {last.received_at:%d/%m/%Y}"
                                           f"{' · đã duyệt' if last.approved else ''}"
                                           f"{' · chưa cập nhật' if last.stale(filters.as_of) else ''}")
    matrix_rows.append(row)
matrix = pd.DataFrame(matrix_rows)


def _colour(value: object) -> str:
    text = str(value)
    for word in ("Đã khóa", "Đã duyệt", "Đúng hạn", "Trễ hạn", "Chưa nộp", "Chưa đến hạn"):
        if word in text:
            return f"background-color: {COLOURS[word]}; color: #1a1a1a"
    if "chưa cập nhật" in text:
        return "color: #a8071a; font-weight: 600"
    return "color: #777"


if matrix.empty:
    st.info("Không có cơ quan nào phải nộp báo cáo trong các quý này.", icon=":material/inbox:")
    st.stop()
st.caption(f"Mỗi ô: tình trạng báo cáo của cơ quan trong quý (ngày nhận), \"Đã duyệt\" khi Sở Nội vụ đã duyệt, "
           f"\"Đã khóa\" khi kỳ báo cáo đã khóa. \"Chưa cập nhật\": báo cáo gần nhất cũ hơn {fmt_period(current)}, "
           "số liệu của cơ quan chưa phản ánh quý đó."
           + (" Bấm vào một dòng để xem lịch sử tải lên của cơ quan." if can(actor.role, "view_history") else ""))
styled = matrix.style.map(_colour, subset=[c for c in matrix.columns if c != "Cơ quan"])
ids = [aid for aid, _ in agencies]
picked = st.dataframe(styled, hide_index=True, width="stretch", key="nbc_ma_tran", height=35 * (len(matrix) + 1) + 3,
                      column_config={"Cơ quan": st.column_config.TextColumn(pinned=True)},
                      on_select="rerun" if can(actor.role, "view_history") else "ignore", selection_mode="single-row")
picked_rows = picked.selection.rows if can(actor.role, "view_history") else []  # type: ignore[union-attr]
if picked_rows and picked_rows[0] < len(ids):
    st.switch_page("pages/lich_su_tai_len.py", query_params={"co_quan": str(ids[picked_rows[0]])})
st.download_button("Tải bảng (Excel)", data=lambda: to_xlsx(matrix, "Tình hình nộp báo cáo", None, filters.as_of, ""),
                   file_name="tinh-hinh-nop-bao-cao.xlsx", key="nbc_xlsx", on_click="ignore",
                   mime="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", icon=":material/download:")

# --- approval, lock, reopening (Sở Nội vụ; reopening: administrator) ---------------------------------------
if not can(actor.role, "approve_return"):
    st.stop()
st.subheader("Duyệt báo cáo và khóa kỳ")
st.caption("\"Đã duyệt\": Sở Nội vụ đã kiểm tra và chấp nhận báo cáo của một cơ quan. \"Đã khóa kỳ báo cáo\": cả quý "
           "không nhận thêm tải lên và không hoàn tác được nữa; quản trị hệ thống có thể mở lại cho một cơ quan, kèm lý do.")
period = st.selectbox("Kỳ báo cáo", periods[::-1], format_func=fmt_period, key="nbc_ky")
these = [o for o in items if o.period == period]
names = {o.agency_id: o.agency for o in these}


def _run(action: str, fn: object) -> None:
    try:
        message = fn()  # type: ignore[operator]
    except (PermissionDenied, ValueError) as exc:
        st.error(plain(exc), icon=":material/block:")
        return
    invalidate()
    st.session_state["nbc_thong_bao"] = message
    st.rerun()


received = [o.agency_id for o in these if o.received_at is not None and not o.approved]
c1, c2 = st.columns(2)
with c1, st.form("nbc_duyet"):
    st.markdown("**Duyệt báo cáo của một cơ quan**")
    chosen: int | None
    if received:
        chosen = st.selectbox("Cơ quan (đã nộp, chưa duyệt)", received, format_func=lambda i: names[i], key="nbc_duyet_cq")
    else:
        chosen = None
        st.caption(f"Không có báo cáo nào của {fmt_period(period)} đã nộp mà chưa duyệt.")
    if st.form_submit_button("Duyệt báo cáo", type="primary", disabled=chosen is None) and chosen is not None:
        def _approve(aid: int = int(chosen)) -> str:
            done = approve(eng, aid, period, actor)
            return (f"Đã duyệt báo cáo {fmt_period(period)} của {names[aid]}." if done
                    else f"Báo cáo {fmt_period(period)} của {names[aid]} đã được duyệt từ trước; không ghi thêm.")
        _run("approve", _approve)
with c2, st.form("nbc_khoa"):
    st.markdown("**Khóa kỳ báo cáo**")
    locked_now = bool(these) and all(o.locked for o in these)
    waiting = sum(1 for o in these if not o.approved)
    st.caption(f"{fmt_period(period)}: {fmt_number(sum(o.approved for o in these))}/{fmt_number(len(these))} báo cáo "
               f"đã duyệt{f'; {fmt_number(waiting)} chưa duyệt (khóa vẫn được, các cơ quan này không nộp thêm được)' if waiting else ''}.")
    sure = st.checkbox(f"Tôi xác nhận khóa {fmt_period(period)}", key="nbc_khoa_xac_nhan", disabled=locked_now)
    if st.form_submit_button("Khóa kỳ báo cáo", disabled=locked_now):
        if not sure:
            st.warning("Đánh dấu ô xác nhận trước khi khóa kỳ báo cáo.")
        else:
            def _lock() -> str:
                done = lock_period(eng, period, actor)
                return (f"Đã khóa kỳ báo cáo {fmt_period(period)}." if done
                        else f"{fmt_period(period)} đã khóa kỳ báo cáo từ trước; không ghi thêm.")
            _run("lock", _lock)
    if locked_now:
        st.caption(f"{fmt_period(period)} đã khóa kỳ báo cáo.")

if can(actor.role, "reopen_period"):
    locked = [o.agency_id for o in these if o.locked]
    with st.form("nbc_mo_lai"):
        st.markdown("**Mở lại kỳ báo cáo cho một cơ quan** (quản trị hệ thống, ghi lý do)")
        which: int | None
        if locked:
            which = st.selectbox("Cơ quan", locked, format_func=lambda i: names[i], key="nbc_mo_lai_cq")
        else:
            which = None
            st.caption(f"{fmt_period(period)} chưa khóa với cơ quan nào.")
        reason = st.text_input("Lý do mở lại", key="nbc_ly_do", max_chars=500)
        if st.form_submit_button("Mở lại", disabled=which is None) and which is not None:
            def _reopen(aid: int = int(which)) -> str:
                reopen(eng, aid, period, reason, actor)
                return f"Đã mở lại {fmt_period(period)} cho {names[aid]}; lý do đã được ghi vào nhật ký."
            _run("reopen", _reopen)
