"""Tiến độ theo lĩnh vực: tasks by status per field, % completed, completion by quarter, tasks of a field."""

from __future__ import annotations

import datetime as dt
from dataclasses import replace

import pandas as pd
import streamlit as st

from data_access import models as m
from data_access import status
from data_access.queries import FieldProgress
from data_access.vn import fmt_date, fmt_number, fmt_pct, fmt_period
from ui import charts, data
from ui.filters import describe, get_filters
from ui.fmt import dates, task_columns
from ui.notice import sample_notice
from ui.signin import guard
from ui.text import plain

guard("view")
filters = get_filters()
st.title("Tiến độ theo lĩnh vực")
st.caption(f"Số liệu tính đến ngày {fmt_date(filters.as_of)} · {plain(describe(filters))}")
sample_notice()

progress: FieldProgress = data.field_progress(filters, 8)  # the table and the quarters, in one query
fields: pd.DataFrame = progress.table
if fields.empty:
    st.info("Không có nhiệm vụ nào khớp bộ lọc đã chọn.")
    st.stop()

st.subheader("Nhiệm vụ theo trạng thái")
charts.show(charts.field_status_chart(fields), "tien-do-theo-linh-vuc.png", "png_fields")

summary = pd.DataFrame({
    "Lĩnh vực": fields["field_name"],
    "Tỷ lệ hoàn thành": [fmt_pct(v, 1) for v in fields["pct_done"]],
    "Tổng số": [fmt_number(v) for v in fields["total"]],
    **{status.STATUS_LABELS[s]: [fmt_number(v) for v in fields[s]] for s in status.STATUS_ORDER},
})
charts.table(summary, "tien-do-theo-linh-vuc.xlsx", "fields", sheet="Tiến độ theo lĩnh vực")

st.subheader("Tỷ lệ hoàn thành qua các quý")
trend: pd.DataFrame = progress.trend
# Only the quarters in which a chosen plan existed: before its first year the plan had no tasks to complete, and a
# 0 % there would read as a failure (issue 15). The quarters dropped are said under the chart.
plans: pd.DataFrame = data.plans()
chosen = plans[plans["id"].isin(filters.plan_ids)] if filters.plan_ids else plans[plans["kind"] != m.PLAN_DIRECTIONS]
first_year = int(chosen["year_from"].fillna(chosen["year"]).astype(int).min()) if not chosen.empty else None
before_plan = pd.Series(False, index=trend.index)
if first_year is not None and not trend.empty:
    before_plan = pd.to_datetime(trend["period_end"]).dt.date < dt.date(first_year, 1, 1)
trend = trend[~before_plan]
names = {str(c): str(n) for c, n in zip(fields["field_code"], fields["field_name"], strict=True)}
shown_fields = st.multiselect("Lĩnh vực trên biểu đồ", list(names), format_func=lambda c: names.get(c, c),
                              placeholder="Chỉ đường chung của tất cả lĩnh vực", key="trend_fields")
lines = trend[trend["field_code"].isin(["", *shown_fields])]
charts.show(charts.completion_trend_chart(lines), "ty-le-hoan-thanh-theo-quy.png", "png_trend")
if bool(before_plan.any()):
    st.caption(f"Chỉ các quý từ năm {first_year}, năm bắt đầu của kế hoạch đã chọn: trước đó kế hoạch chưa có.")
trend_table = pd.DataFrame({
    "Quý": [fmt_period(p) for p in lines["period"]],
    "Tính đến ngày": dates(lines["period_end"]),
    "Lĩnh vực": lines["field_name"],
    "Tổng số nhiệm vụ": [fmt_number(v) for v in lines["total"]],
    "Đã hoàn thành": [fmt_number(v) for v in lines["done"]],
    "Quá hạn": [fmt_number(v) for v in lines["overdue"]],
    "Tỷ lệ hoàn thành": [fmt_pct(v, 1) for v in lines["pct_done"]],
})
with st.expander("Bảng số liệu theo quý"):
    charts.table(trend_table, "ty-le-hoan-thanh-theo-quy.xlsx", "trend", sheet="Theo quý")

st.subheader("Nhiệm vụ của một lĩnh vực")
field = st.selectbox("Chọn lĩnh vực", list(names), format_func=lambda c: names.get(c, c), key="field_pick")
tasks: pd.DataFrame = data.task_list(replace(filters, field_codes=(field,)))
task_table = pd.DataFrame({
    **task_columns(tasks, completed=True),
})
st.caption(f"{fmt_number(len(task_table))} nhiệm vụ thuộc lĩnh vực {plain(names.get(field, ''))}")
charts.table(task_table, "nhiem-vu-theo-linh-vuc.xlsx", "field_tasks", sheet="Nhiệm vụ")
