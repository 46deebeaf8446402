"""Tổng quan: the headline numbers as of the chosen date, their change since the previous quarter, small views."""

from __future__ import annotations

from typing import Literal

import pandas as pd
import streamlit as st

from data_access import status
from data_access.queries import OverviewPage, previous_quarter_end
from data_access.vn import fmt_date, fmt_number, fmt_pct
from ui import charts, data
from ui.data import stop_if_empty
from ui.filters import describe, get_filters
from ui.fmt import fmt_delta
from ui.indices import index_cards
from ui.notice import sample_notice
from ui.signin import guard
from ui.text import plain

guard("view")

st.title("Tổng quan cải cách hành chính")
stop_if_empty()  # production store not loaded yet: guidance instead of zero figures
filters = get_filters()
st.caption(f"Số liệu tính đến ngày {fmt_date(filters.as_of)} · {plain(describe(filters))}")
sample_notice()

page: OverviewPage = data.overview_page(filters)  # every figure below, from two task queries
ov, before = page.change.now, page.change.before
pct_change = (ov.pct_done - before.pct_done) if ov.pct_done is not None and before.pct_done is not None else None


def arrow(change: float | None) -> Literal["off", "auto"]:
    return "off" if not change else "auto"


# Every headline card in one block (its CSS class `st-key-kpi_cards`, ui/chrome.py): on a phone the cards sit two
# to a row with the red numbers (overdue, targets not met, due soon) first, the indices after them.
with st.container(key="kpi_cards"):
    # The headline indices leaders ask about first: the province's PAR INDEX and SIPAS, with rank.
    i1, i2 = st.columns(2)
    has_indices = index_cards([i1, i2], filters.as_of)
    with st.container(key="kpi_tasks"):
        c1, c2, c3, c4, c5 = st.columns(5)
        c1.metric("Tổng số nhiệm vụ", fmt_number(ov.total), fmt_delta(ov.total - before.total), delta_color="off",
                  delta_arrow=arrow(ov.total - before.total),
                  border=True)
        c2.metric("Đã hoàn thành", fmt_pct(ov.pct_done, 1), fmt_delta(pct_change, 1, " điểm %"),
                  delta_arrow=arrow(pct_change), help=f"{fmt_number(ov.done)} nhiệm vụ", border=True)
        c3.container(key="kpi_overdue" + ("_hot" if ov.overdue else "")).metric(
            "Quá hạn", fmt_number(ov.overdue), fmt_delta(ov.overdue - before.overdue), delta_color="inverse",
            delta_arrow=arrow(ov.overdue - before.overdue), border=True)
        c4.container(key="kpi_soon").metric(
            status.due_soon_label(filters.due_soon_days), fmt_number(ov.due_soon), fmt_delta(ov.due_soon - before.due_soon),
            delta_color="inverse", delta_arrow=arrow(ov.due_soon - before.due_soon), border=True)
        c5.container(key="kpi_red" + ("_hot" if ov.indicators_red else "")).metric(
            "Chỉ tiêu chưa đạt", fmt_number(ov.indicators_red), fmt_delta(ov.indicators_red - before.indicators_red),
            delta_color="inverse", delta_arrow=arrow(ov.indicators_red - before.indicators_red), border=True,
            help="Số chỉ tiêu 2025 - 2026 đang ở mức đỏ (chưa đạt)")
st.caption(f"Mũi tên dưới mỗi số: thay đổi so với ngày {fmt_date(previous_quarter_end(filters.as_of))} "
           "(cuối quý trước), cùng bộ lọc.")
if has_indices:
    st.page_link("pages/chi_so.py", label="Xem chỉ số qua các năm và đánh giá 23 mục tiêu", icon="➡️")

left, right = st.columns(2)
with left:
    st.subheader("Tiến độ theo lĩnh vực")
    fields: pd.DataFrame = page.fields
    if fields.empty:
        st.info("Không có nhiệm vụ nào khớp bộ lọc.")
    else:
        charts.show(charts.field_status_chart(fields, height=24), "tong-quan-linh-vuc.png", "ov_png_fields", compact=True)
    st.page_link("pages/tien_do_linh_vuc.py", label="Xem chi tiết tiến độ theo lĩnh vực", icon="➡️")
with right:
    st.subheader("Cơ quan có nhiều nhiệm vụ quá hạn nhất")
    agencies: pd.DataFrame = page.agencies
    top = agencies[agencies["overdue"] > 0].head(8)
    if top.empty:
        st.success("Không có nhiệm vụ chủ trì nào đang quá hạn.")
    else:
        # A click on an agency's bar opens its overdue tasks on the overdue page (?co_quan=).
        charts.show(charts.overdue_chart(top, height=24, clickable=True), "tong-quan-qua-han.png", "ov_png_overdue",
                    compact=True, on_select="rerun")
        clicked = charts.picked("ov_png_overdue", charts.AGENCY_PICK)
        if clicked:
            st.switch_page("pages/qua_han_co_quan.py", query_params={"co_quan": str(int(clicked[0]))})
    st.page_link("pages/qua_han_co_quan.py", label="Xem chi tiết quá hạn theo cơ quan", icon="➡️")

st.subheader("Chỉ tiêu chưa đạt (tính bằng %)")
board: pd.DataFrame = page.board
red = board[(board["rag"] == status.RED) & (board["unit"] == "%") & board["value"].notna()
            & board["target_year"].notna()].head(8)
if red.empty:
    st.success("Không có chỉ tiêu tính bằng % nào ở mức chưa đạt.")
else:
    charts.show(charts.bullet_chart(red), "tong-quan-chi-tieu.png", "ov_png_indicators")
st.page_link("pages/chi_tieu.py", label="Xem toàn bộ chỉ tiêu 2025 - 2026", icon="➡️")
