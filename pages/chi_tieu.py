"""Chỉ tiêu 2025 - 2026: every indicator with a target, latest value, targets, gap, RAG (red first), trend."""

from __future__ import annotations

import altair as alt
import pandas as pd
import streamlit as st

from data_access import status as rules
from data_access.vn import fmt_date, fmt_decimal, fmt_period
from ui import charts
from ui.data import q
from ui.filters import get_filters
from ui.fmt import fmt_target, fmt_value
from ui.notice import sample_notice
from ui.session import guard

guard("view")
filters = get_filters()
st.title("Chỉ tiêu 2025 - 2026")
st.caption(f"Số liệu tính đến ngày {fmt_date(filters.as_of)} · Chỉ tiêu của tỉnh (không phụ thuộc bộ lọc kế hoạch, "
           "lĩnh vực, cơ quan) · Chỉ tiêu \"hoàn thành kế hoạch\" được tính từ chính các nhiệm vụ của kế hoạch")
sample_notice()

board: pd.DataFrame = q("indicator_board", filters.as_of)
if board.empty:
    st.info("Chưa có chỉ tiêu nào có giá trị mục tiêu 2025 hoặc 2026.")
    st.stop()


def period_text(value: object) -> str:
    if not isinstance(value, str) or not value:
        return "–"
    return value if value.startswith("đến") else fmt_period(value)


def gap_text(gap: object, unit: str, comparator: object) -> str:
    if gap is None or (isinstance(gap, float) and pd.isna(gap)):
        return "–"
    if float(gap) == 0:
        return "Đã đạt"
    if comparator == "top":
        return f"Cần tăng {fmt_decimal(float(gap))} bậc"
    suffix = " điểm %" if unit == "%" else (f" {unit}" if unit else "")
    return f"Còn thiếu {fmt_decimal(float(gap))}{suffix}"


def trend_text(change: object, first_period: object, unit: str, period: object) -> str:
    if first_period == period:
        return "Mới có một kỳ đo"
    if change is None or (isinstance(change, float) and pd.isna(change)) or not isinstance(first_period, str):
        return "–"
    sign = "+" if float(change) > 0 else "-" if float(change) < 0 else "±"
    suffix = " điểm %" if unit == "%" else ""
    return f"{sign}{fmt_decimal(abs(float(change)))}{suffix} so với {fmt_period(first_period).lower()}"


table = pd.DataFrame({
    "Đánh giá": board["rag"].map(rules.RAG_LABELS),
    "Mã": board["code"],
    "Chỉ tiêu": board["name"],
    "Giá trị mới nhất": [fmt_value(v, u) for v, u in zip(board["value"], board["unit"], strict=True)],
    "Kỳ": [period_text(p) for p in board["period"]],
    "Chỉ tiêu 2025": [fmt_target(c, v, u) for c, v, u in
                      zip(board["comparator_2025"], board["target_2025"], board["unit"], strict=True)],
    "Chỉ tiêu 2026": [fmt_target(c, v, u) for c, v, u in
                      zip(board["comparator_2026"], board["target_2026"], board["unit"], strict=True)],
    "Khoảng cách": [gap_text(g, u, board[f"comparator_{int(y)}"].iloc[i] if pd.notna(y) else None)
                    for i, (g, u, y) in enumerate(zip(board["gap"], board["unit"], board["target_year"], strict=True))],
    "Xu hướng từ 2021": [trend_text(c, p, u, lp) for c, p, u, lp in
                         zip(board["change"], board["first_period"], board["unit"], board["period"], strict=True)],
})
rag_choice = st.multiselect("Đánh giá", list(rules.RAG_ORDER), format_func=lambda r: rules.RAG_LABELS[r],
                            placeholder="Tất cả mức đánh giá", key="rag_pick")
keep = board["rag"].isin(rag_choice) if rag_choice else pd.Series(True, index=board.index)
st.caption("Đỏ: chưa đạt; vàng: gần đạt (cách chỉ tiêu không quá 5%, hoặc 5 bậc xếp hạng); xanh: đạt; xám: chưa "
           "đo được. Đánh giá so với chỉ tiêu năm gần nhất chưa qua.")
charts.table(table[keep.to_numpy()], "chi-tieu-2025-2026.xlsx", "indicators", sheet="Chỉ tiêu",
             column_config={"Chỉ tiêu": st.column_config.TextColumn(width="large")})

pct = board[keep.to_numpy() & (board["unit"] == "%").to_numpy() & board["value"].notna().to_numpy()
            & board["target_year"].notna().to_numpy()]
if not pct.empty:
    st.subheader("Giá trị so với chỉ tiêu (chỉ tiêu tính bằng %)")
    st.caption("Thanh: giá trị mới nhất, màu theo đánh giá; vạch đen: chỉ tiêu.")
    charts.show(charts.bullet_chart(pct), "chi-tieu-so-voi-muc-tieu.png", "png_bullet")

st.subheader("Diễn biến một chỉ tiêu từ năm 2021")
labels = {int(i): f"{c} – {n}" for i, c, n in zip(board["indicator_id"], board["code"], board["name"], strict=True)}
picked = st.selectbox("Chọn chỉ tiêu", list(labels), format_func=lambda i: labels.get(i, str(i)), key="indicator_pick")
history: pd.DataFrame = q("indicator_trends", filters.as_of, (picked,))
row = board[board["indicator_id"] == picked].iloc[0]
if history.empty:
    st.info("Chỉ tiêu này chưa có giá trị đo từ năm 2021 đến ngày đã chọn.")
else:
    hist = history.assign(period_label=[fmt_period(p) for p in history["period"]], value=history["value"].astype(float))
    line = alt.Chart(hist).mark_line(point=True).encode(
        x=alt.X("period_label:N", title="Kỳ", sort=list(hist["period_label"]), axis=alt.Axis(labelAngle=0)),
        y=alt.Y("value:Q", title=f"Giá trị ({row['unit']})" if row["unit"] else "Giá trị",
                scale=alt.Scale(reverse=str(row["unit"]).startswith("hạng"), zero=False)),
        tooltip=[alt.Tooltip("period_label:N", title="Kỳ"), alt.Tooltip("value:Q", title="Giá trị", format=",.2f")],
    ).properties(height=260)
    charts.show(line, "dien-bien-chi-tieu.png", "png_history")
    charts.table(pd.DataFrame({"Kỳ": hist["period_label"], "Giá trị": [fmt_value(v, str(row["unit"]))
                                                                        for v in hist["value"]]}),
                 "dien-bien-chi-tieu.xlsx", "history", sheet="Diễn biến")
