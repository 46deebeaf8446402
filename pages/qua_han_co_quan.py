"""Quá hạn theo cơ quan: lead agencies ranked by overdue tasks (with ageing), completed late, coordination apart."""

from __future__ import annotations

from dataclasses import replace

import pandas as pd
import streamlit as st

from data_access import models as m
from data_access import status
from data_access.meeting import cut_words
from data_access.returns import last_returns, reporting_quarter
from data_access.vn import fmt_date, fmt_number, fmt_pct, fmt_period, vi_sort_key
from ui import charts, data, phone
from ui.data import engine
from ui.filters import describe, get_filters
from ui.fmt import dates
from ui.notice import sample_notice
from ui.signin import guard
from ui.text import plain

guard("view")
filters = get_filters()
st.title("Quá hạn theo cơ quan")
st.caption(f"Số liệu tính đến ngày {fmt_date(filters.as_of)} · {plain(describe(filters))}")
sample_notice()

agencies: pd.DataFrame = data.overdue_by_agency(filters)
# Most overdue first; ties in Vietnamese alphabetical order (SQL collation is not Vietnamese).
agencies = agencies.iloc[sorted(range(len(agencies)), key=lambda i: (
    -int(agencies["overdue"].iloc[i]), -int(agencies["coord_overdue"].iloc[i]),
    vi_sort_key(str(agencies["agency"].iloc[i]))))].reset_index(drop=True)
if agencies.empty:
    st.success("Không có cơ quan nào có nhiệm vụ quá hạn hoặc hoàn thành quá hạn theo bộ lọc đã chọn.")
    st.stop()

latest_returns = last_returns(engine())
current_quarter = reporting_quarter(filters.as_of)


def last_return_text(agency_id: int) -> str:
    """The agency's latest received quarterly return, "chưa cập nhật" when older than the reporting quarter."""
    last = latest_returns.get(agency_id)
    if last is None:
        return "Chưa có · chưa cập nhật"
    return (f"{fmt_period(last.period)}, nhận {last.received_at:%d/%m/%Y}{' · đã duyệt' if last.approved else ''}"
            f"{' · chưa cập nhật' if last.stale(filters.as_of) else ''}")


def _pick_bar() -> None:
    """A click on an agency's bar opens that agency's detail (its tasks) below, as a click on its row does."""
    ids = charts.picked("png_overdue", charts.AGENCY_PICK)
    if ids:
        st.session_state["agency_pick"] = int(ids[0])


leading = agencies[agencies["overdue"] > 0]
st.subheader("Nhiệm vụ chủ trì quá hạn, theo thời gian quá hạn")
if leading.empty:
    st.success("Không cơ quan nào có nhiệm vụ chủ trì đang quá hạn.")
else:
    st.caption("Bấm vào thanh của một cơ quan để xem các nhiệm vụ quá hạn của cơ quan đó.")
    charts.show(charts.overdue_chart(leading, clickable=True), "qua-han-theo-co-quan.png", "png_overdue",
                on_select=_pick_bar)

ranked = pd.DataFrame({
    "Cơ quan chủ trì": agencies["agency"],
    "Quá hạn (chủ trì)": [fmt_number(v) for v in agencies["overdue"]],
    **{bucket.label: [fmt_number(v) for v in agencies[bucket.key]] for bucket in status.AGEING},
    "Quá hạn lâu nhất (ngày)": [fmt_number(v) if v else "–" for v in agencies["max_days_overdue"]],
    "Hoàn thành quá hạn": [fmt_number(v) for v in agencies["done_late"]],
    "Quá hạn (chỉ phối hợp)": [fmt_number(v) for v in agencies["coord_overdue"]],
    "Báo cáo gần nhất đã nhận": [last_return_text(int(i)) for i in agencies["agency_id"]],
})
st.caption("Xếp theo số nhiệm vụ chủ trì đang quá hạn; các phòng, đơn vị thuộc một Sở được tính vào Sở (xem từng "
           "đơn vị ở phần chi tiết). Cột \"chỉ phối hợp\" đếm riêng các nhiệm vụ quá hạn mà cơ quan chỉ phối hợp, "
           "không cộng vào số chủ trì.")
names = {int(i): str(n) for i, n in zip(agencies["agency_id"], agencies["agency"], strict=True)}
ordered = list(agencies["agency_id"].astype(int))  # most overdue first, as ranked above


def _pick_ranked_row() -> None:
    """A click on a row of the ranking opens that agency's detail below."""
    rows = st.session_state["agencies_table"].selection.rows
    if rows and rows[0] < len(ordered):
        st.session_state["agency_pick"] = ordered[rows[0]]


# A shared link names the agency: ?co_quan=<id>. Applied once per distinct link.
linked = str(st.query_params.get("co_quan", ""))
if linked.isdigit() and st.session_state.get("_linked_agency") != linked:
    st.session_state["_linked_agency"] = linked
    st.session_state["agency_pick"] = int(linked)
# The picker follows the filters: an agency no longer ranked is not kept (its detail would contradict the ranking).
if st.session_state.get("agency_pick") not in ordered:
    st.session_state["agency_pick"] = ordered[0]

with phone.wide_only("agencies"):
    st.caption(f"Cột \"Báo cáo gần nhất đã nhận\": quý và ngày Sở Nội vụ nhận báo cáo gần nhất của cơ quan; \"chưa "
               f"cập nhật\" khi báo cáo đó cũ hơn {fmt_period(current_quarter)}: số liệu của cơ quan chưa phản ánh quý "
               "đó. Bấm vào một dòng để xem các nhiệm vụ của cơ quan đó.")
    charts.table(ranked, "qua-han-theo-co-quan.xlsx", "agencies", sheet="Quá hạn theo cơ quan",
                 on_select=_pick_ranked_row, selection_mode="single-row")
# On a phone: the ranking as a list, most overdue first; a tap opens the agency's tasks (?co_quan=).
phone.link_list("agencies", [
    phone.ListRow(
        label=f"{r['agency']}: {fmt_number(r['overdue'])} quá hạn",
        note=" · ".join(part for part in (
            f"{fmt_number(r['d90_plus'])} trên 90 ngày" if r["d90_plus"] else "",
            f"lâu nhất {fmt_number(r['max_days_overdue'])} ngày" if r["max_days_overdue"] else "",
            f"{fmt_number(r['done_late'])} hoàn thành quá hạn" if r["done_late"] else "",
            f"{fmt_number(r['coord_overdue'])} chỉ phối hợp quá hạn" if r["coord_overdue"] else "") if part),
        page="pages/qua_han_co_quan.py", query={"co_quan": str(int(r["agency_id"]))}, red=bool(r["overdue"]))
    for r in agencies.to_dict("records")])

st.subheader("Chi tiết một cơ quan")
choice = st.selectbox("Chọn cơ quan", ordered, format_func=lambda i: names.get(i, str(i)), key="agency_pick")
st.query_params["co_quan"] = str(choice)
st.session_state["_linked_agency"] = str(choice)
chosen_return = latest_returns.get(int(choice))
if chosen_return is None or chosen_return.stale(filters.as_of):
    st.badge(f"Chưa cập nhật: {'chưa có báo cáo quý nào' if chosen_return is None else 'báo cáo gần nhất là ' + fmt_period(chosen_return.period)}"
             f", chưa có báo cáo {fmt_period(current_quarter)}", icon=":material/history_toggle_off:", color="orange")
else:
    st.caption(f"Báo cáo gần nhất đã nhận: {fmt_period(chosen_return.period)}, ngày "
               f"{chosen_return.received_at:%d/%m/%Y}{', đã duyệt' if chosen_return.approved else ''}.")


def drill(df: pd.DataFrame) -> pd.DataFrame:
    return pd.DataFrame({  # the figures first, the long texts after
        "Mã": df["code"],
        "Số ngày quá hạn": [fmt_number(v) for v in df["days_overdue"]],
        "Tiến độ": [fmt_pct(v, 0) for v in df["progress_pct"]],
        "Hạn": dates(df["deadline_date"]),
        "Nhiệm vụ": df["task"],
        "Báo cáo gần nhất": [fmt_period(p) if isinstance(p, str) else "Chưa báo cáo" for p in df["last_period"]],
        "Kế hoạch": df["plan"],
        "Khó khăn, vướng mắc": [d if isinstance(d, str) and d.strip() else "–" for d in df["difficulties"]],
    })


units: pd.DataFrame = data.overdue_by_agency(replace(filters, agency_ids=(choice,)), False)
units = units[units["agency_id"] != choice]
if not units.empty:  # an agency with divisions (Sở Nội vụ's phòng): each division on its own line
    st.markdown("**Theo phòng, đơn vị thuộc**")
    with phone.wide_only("units"):
        charts.table(pd.DataFrame({
            "Phòng, đơn vị": units["agency"],
            "Quá hạn (chủ trì)": [fmt_number(v) for v in units["overdue"]],
            "Hoàn thành quá hạn": [fmt_number(v) for v in units["done_late"]],
            "Quá hạn (chỉ phối hợp)": [fmt_number(v) for v in units["coord_overdue"]],
        }), "qua-han-theo-don-vi-thuoc.xlsx", "units", sheet="Theo đơn vị thuộc")
    phone.link_list("units", [
        phone.ListRow(label=f"{r['agency']}: {fmt_number(r['overdue'])} quá hạn",
                      note=f"{fmt_number(r['done_late'])} hoàn thành quá hạn · "
                           f"{fmt_number(r['coord_overdue'])} chỉ phối hợp quá hạn", red=bool(r["overdue"]))
        for r in units.to_dict("records")])

lead_rows: pd.DataFrame = data.agency_tasks(filters, choice, m.ASSIGNMENT_LEAD, (status.OPEN_OVERDUE,))
st.markdown(f"**Chủ trì, đang quá hạn:** {fmt_number(len(lead_rows))} nhiệm vụ · bấm vào một dòng để xem chi tiết "
            "và lịch sử báo cáo của nhiệm vụ")
with phone.wide_only("drill_lead"):
    picked = charts.table(drill(lead_rows), "nhiem-vu-qua-han-chu-tri.xlsx", "drill_lead", sheet="Chủ trì quá hạn",
                          on_select="rerun", selection_mode="single-row")
# On a phone: the agency's overdue tasks, longest overdue first; a tap opens the task (?ma=).
phone.link_list("drill_lead", [
    phone.ListRow(
        label=f"{r['code']} · quá hạn {fmt_number(r['days_overdue'])} ngày",
        note=f"{cut_words(str(r['task']), 140)} · Hạn {fmt_date(r['deadline_date'])} · "
             + (f"tiến độ {fmt_pct(r['progress_pct'], 0)}, báo cáo {fmt_period(r['last_period'])}"
                if isinstance(r["last_period"], str) else "chưa báo cáo"),
        page="pages/nhiem_vu.py", query={"ma": str(r["code"])}, red=True)
    for r in lead_rows.sort_values("days_overdue", ascending=False, kind="stable").to_dict("records")],
    empty="Cơ quan không có nhiệm vụ chủ trì đang quá hạn.")
picked_rows = picked.selection.rows if picked is not None else []  # type: ignore[attr-defined]
if picked_rows and picked_rows[0] < len(lead_rows):
    st.switch_page("pages/nhiem_vu.py", query_params={"ma": str(lead_rows["code"].iloc[picked_rows[0]])})

late_rows: pd.DataFrame = data.agency_tasks(filters, choice, m.ASSIGNMENT_LEAD, (status.DONE_LATE,))
with st.expander(f"Hoàn thành quá hạn: {fmt_number(len(late_rows))} nhiệm vụ"):
    late = pd.DataFrame({
        "Mã": late_rows["code"], "Nhiệm vụ": late_rows["task"], "Kế hoạch": late_rows["plan"],
        "Hạn": dates(late_rows["deadline_date"]), "Ngày hoàn thành": dates(late_rows["completed_on"]),
    })
    charts.table(late, "nhiem-vu-hoan-thanh-qua-han.xlsx", "drill_late", sheet="Hoàn thành quá hạn")

coord_rows: pd.DataFrame = data.agency_tasks(filters, choice, m.ASSIGNMENT_COORDINATOR, (status.OPEN_OVERDUE,))
# "Only coordinates": not the tasks the agency leads through one of its divisions (as counted above).
led: pd.DataFrame = data.agency_tasks(filters, choice, m.ASSIGNMENT_LEAD, tuple(status.STATUS_ORDER))
coord_rows = coord_rows[~coord_rows["task_id"].isin(led["task_id"])].drop_duplicates("task_id")
with st.expander(f"Chỉ phối hợp, nhiệm vụ đang quá hạn: {fmt_number(len(coord_rows))} nhiệm vụ"):
    st.caption("Cơ quan chủ trì chịu trách nhiệm chính; các nhiệm vụ này cho biết cơ quan đang được chờ phối hợp.")
    coord = drill(coord_rows).drop(columns=["Báo cáo gần nhất", "Tiến độ", "Khó khăn, vướng mắc"])
    charts.table(coord, "nhiem-vu-qua-han-phoi-hop.xlsx", "drill_coord", sheet="Phối hợp quá hạn")

