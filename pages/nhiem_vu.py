"""Nhiệm vụ: the task explorer (filters, accent-insensitive search) and the detail of one task."""

from __future__ import annotations

import pandas as pd
import streamlit as st

from data_access import models as m
from data_access import status
from data_access.conclusions import PLAN_PREFIX
from data_access.meeting import cut_words
from data_access.status_text import STATE_LABELS
from data_access.vn import fmt_date, fmt_number, fmt_pct, fmt_period
from ui import charts, data, phone
from ui import notes as note_ui
from ui.filters import describe, get_filters
from ui.fmt import dates, status_label, task_columns
from ui.follow_up import flash, item_panel
from ui.follow_up import lead_ids as follow_up_leads
from ui.notice import sample_notice
from ui.signin import guard
from ui.text import plain

LIMIT = 2000
ASSIGNMENT_LABELS = {m.ASSIGNMENT_LEAD: "Chủ trì", m.ASSIGNMENT_COORDINATOR: "Phối hợp"}

actor = guard("view")
filters = get_filters()
st.title("Nhiệm vụ")
st.caption(f"Số liệu tính đến ngày {fmt_date(filters.as_of)} · {plain(describe(filters))}")
sample_notice()

# A shared link (or a click on the overdue page) names a task by its code: ?ma=PS25-09.
linked_code = str(st.query_params.get("ma", "")).strip()
if linked_code and st.session_state.get("_linked_code") != linked_code:
    st.session_state["_linked_code"] = linked_code
    st.session_state["task_search"] = linked_code
    st.session_state.pop("task_pick", None)
c1, c2 = st.columns([3, 2])
search = c1.text_input("Tìm nhiệm vụ", key="task_search", placeholder="Mã (ví dụ PS25-09) hoặc nội dung, có dấu hay không dấu")
statuses = c2.multiselect("Trạng thái", list(status.STATUS_ORDER), format_func=status_label, key="task_statuses",
                          placeholder="Tất cả trạng thái")
tasks: pd.DataFrame = data.task_list(filters, search=search, statuses=tuple(statuses), limit=LIMIT + 1)
more = len(tasks) > LIMIT
tasks = tasks.head(LIMIT)
st.caption(f"{fmt_number(len(tasks))}{'+' if more else ''} nhiệm vụ"
           + (f" (hiển thị {fmt_number(LIMIT)} nhiệm vụ đầu; hãy thu hẹp bộ lọc)" if more else ""))
# The columns that matter first (status and date before the long texts), so 1366 px shows them without scrolling.
listing = pd.DataFrame({
    **task_columns(tasks, field=True),
    "Số cơ quan chủ trì": [fmt_number(v) for v in tasks["lead_count"]],
})
if tasks.empty:
    st.info("Không tìm thấy nhiệm vụ nào khớp với từ khóa và bộ lọc đã chọn. Hãy thử mã nhiệm vụ (ví dụ PS25-09), "
            "bớt từ khóa hoặc mở rộng bộ lọc.")
else:
    with phone.wide_only("tasks"):
        charts.table(listing, "danh-sach-nhiem-vu.xlsx", "tasks", sheet="Nhiệm vụ",
                     column_config={"Nhiệm vụ": st.column_config.TextColumn(width="large")})
    # On a phone: overdue tasks first, then due soon; a tap opens the task (?ma=).
    phone.link_list("tasks", [
        phone.ListRow(label=f"{r['code']} · {status_label(r['status'])}",
                      note=f"{cut_words(str(r['task']), 140)} · Hạn {fmt_date(r['deadline_date'])}",
                      page="pages/nhiem_vu.py", query={"ma": str(r["code"])},
                      red=r["status"] in (status.OPEN_OVERDUE, status.DUE_SOON))
        for r in tasks.to_dict("records")])

# Directions for a period have no lead and no deadline: listed as directions, never counted as tasks of a year.
directions: pd.DataFrame = data.directions()
if not directions.empty:
    period = f"{int(directions['year_from'].iloc[0])}-{int(directions['year'].iloc[0])}"
    with st.expander(f"Định hướng giai đoạn {period}: {fmt_number(len(directions))} định hướng (chưa có cơ quan chủ "
                     "trì, thời hạn; không tính vào số nhiệm vụ, hoàn thành, quá hạn)"):
        charts.table(pd.DataFrame({
            "Mục": directions["number"],
            "Lĩnh vực": directions["field_name"],
            "Định hướng": directions["text"],
            "Nguồn": directions["plan"],
        }), "dinh-huong.xlsx", "directions", sheet="Định hướng",
            column_config={"Định hướng": st.column_config.TextColumn(width="large")})

if tasks.empty:
    st.stop()
st.subheader("Chi tiết nhiệm vụ")
codes = {int(i): f"{c} – {t[:110]}" for i, c, t in zip(tasks["task_id"], tasks["code"], tasks["task"], strict=True)}
if st.session_state.get("task_pick") not in codes:  # no stale task after the search or the filters change
    exact = tasks[tasks["code"].str.casefold() == linked_code.casefold()] if linked_code else tasks.head(0)
    st.session_state["task_pick"] = int(exact["task_id"].iloc[0]) if not exact.empty else next(iter(codes))
task_id = st.selectbox("Chọn nhiệm vụ", list(codes), format_func=lambda i: codes.get(i, str(i)), key="task_pick")
detail = data.task_detail(task_id, filters.as_of, filters.due_soon_days)
if detail is None:
    st.warning("Không tìm thấy nhiệm vụ.")
    st.stop()
st.query_params["ma"] = str(detail["code"])  # the address now names this task: a link a leader can share
st.session_state["_linked_code"] = str(detail["code"])
st.markdown(f"**{plain(detail['code'])}** · {plain(detail['text'])}")
a, b, c = st.columns(3)
a.markdown(f"**Kế hoạch:** {plain(detail['plan_document'])} – {plain(detail['plan_name'])}  \n"
           f"**Lĩnh vực:** {plain(detail['field_name'])}")
b.markdown(f"**Thời hạn:** {plain(detail['deadline_text']) or '–'}  \n**Hạn tính toán:** {fmt_date(detail['deadline_date'])}")
c.markdown(f"**Trạng thái:** {status_label(detail['status'])}  \n"
           f"**Ngày hoàn thành:** {fmt_date(detail['completed_on'])}")
if detail["output"]:
    st.markdown(f"**Sản phẩm:** {plain(detail['output'])}")
if str(detail["plan_code"]).startswith(PLAN_PREFIX) and detail["section"]:  # a meeting's conclusion: its source
    st.markdown(f"**Nguồn:** {plain(detail['section'])}")

assignments: pd.DataFrame = detail["assignments"]
st.markdown("**Cơ quan được giao**")
phone.link_list("assignments", [
    phone.ListRow(label=f"{ASSIGNMENT_LABELS.get(r['role'], '')}: {r['agency']}",
                  note=" · ".join(x for x in (
                      status_label(r["status"]) if isinstance(r["status"], str) else "",
                      f"tiến độ {fmt_pct(r['progress_pct'], 0)}" if pd.notna(r["progress_pct"]) else "",
                      f"báo cáo {fmt_period(r['last_period'])}" if isinstance(r["last_period"], str) else "chưa báo cáo",
                      str(r["difficulties"]).strip() if isinstance(r["difficulties"], str) else "") if x),
                  red=r["status"] in (status.OPEN_OVERDUE, status.DUE_SOON))
    for r in assignments.to_dict("records")])
assigned = pd.DataFrame({
    "Cơ quan hiện nay": assignments["agency"],
    "Vai trò": assignments["role"].map(ASSIGNMENT_LABELS),
    "Trạng thái": [status_label(s) if isinstance(s, str) else "–" for s in assignments["status"]],
    "Tiến độ": [fmt_pct(v, 0) for v in assignments["progress_pct"]],
    "Báo cáo gần nhất": [fmt_period(p) if isinstance(p, str) else "–" for p in assignments["last_period"]],
    "Ngày hoàn thành": dates(assignments["completed_on"]),
    "Khó khăn, vướng mắc": [d if isinstance(d, str) and d.strip() else "–" for d in assignments["difficulties"]],
    "Tên khi được giao": assignments["name_as_assigned"].where(assignments["name_as_assigned"] != "",
                                                               assignments["agency"]),
})
with phone.wide_only("assignments"):
    charts.table(assigned, f"co-quan-nhiem-vu-{detail['code']}.xlsx", "assignments", sheet="Cơ quan được giao")

# Giải trình: an overdue task can be put to its lead agencies; earlier requests stay listed.
flash()
item_panel(actor, m.SUBJECT_TASK, str(detail["code"]), f"nv_{detail['code']}", follow_up_leads(str(detail["code"])),
           can_raise=detail["status"] == status.OPEN_OVERDUE)

reports: pd.DataFrame = data.task_reports(task_id)
note_ui.panel(actor, m.SUBJECT_TASK, str(detail["code"]), sorted(set(reports["period"]), reverse=False),
              f"nt_{detail['code']}")
# Newest period first: the leader's question is "what did they last report?".
reports = reports.sort_values(["period_start", "report_id"], ascending=[False, False], kind="stable")
st.markdown(f"**Lịch sử báo cáo** ({fmt_number(len(reports))} báo cáo) – mới nhất trước")
history = pd.DataFrame({
    "Kỳ báo cáo": [fmt_period(p) for p in reports["period"]],
    "Cơ quan": reports["agency"],
    "Tình trạng": [STATE_LABELS.get(s, s) for s in reports["state"]],
    "Tiến độ": [fmt_pct(v, 0) for v in reports["progress_pct"]],
    "Vai trò": reports["role"].map(ASSIGNMENT_LABELS),
    "Ngày hoàn thành": dates(reports["completed_on"]),
    "Văn bản kết quả": [d if isinstance(d, str) and d else "–" for d in reports["output_document"]],
    "Khó khăn, vướng mắc": [d if isinstance(d, str) and d.strip() else "–" for d in reports["difficulties"]],
    "Nguồn": ["Dữ liệu mẫu" if u == "du_lieu_mau" else ("Tệp tải lên" if pd.notna(up) else u or "–")
              for u, up in zip(reports["recorded_by"], reports["upload_id"], strict=True)],
})
with phone.wide_only("reports"):
    charts.table(history, f"lich-su-bao-cao-{detail['code']}.xlsx", "reports", sheet="Lịch sử báo cáo")
# On a phone: one entry per report, newest first (the order above, kept: no red-first reordering of a history).
phone.link_list("reports", [
    phone.ListRow(label=f"{r['Kỳ báo cáo']} · {r['Cơ quan']}",
                  note=" · ".join(x for x in (r["Tình trạng"], f"tiến độ {r['Tiến độ']}", r["Vai trò"],
                                              r["Khó khăn, vướng mắc"]) if x and x not in ("–", "nan")))
    for r in history.to_dict("records")], empty="Chưa có báo cáo nào.")
