"""Xếp hạng cơ quan: the agency scorecard of a quarter (data_access/scorecard.py), coloured and ranked."""

from __future__ import annotations

import altair as alt
import pandas as pd
import streamlit as st

from data_access import permissions
from data_access import returns as rt
from data_access import scorecard as sc
from data_access.periods import period_bounds, period_of, previous_quarter
from data_access.vn import fmt_date, fmt_decimal, fmt_number, fmt_period
from ui import charts, data
from ui.data import engine, invalidate
from ui.filters import get_filters
from ui.fmt import to_xlsx
from ui.signin import guard
from ui.text import plain

actor = guard("view")
filters = get_filters()
st.title("Xếp hạng cơ quan")


# The quarters from 2025 to the one of the as-of date; the default is the last quarter already ended.
current = period_of(filters.as_of)
quarters = [current]
while quarters[-1] > "2025-Q1":
    quarters.append(previous_quarter(quarters[-1]))
default = quarters[1] if len(quarters) > 1 and period_bounds(current)[1] > filters.as_of else quarters[0]
period = st.selectbox("Quý", quarters, index=quarters.index(default), format_func=fmt_period, key="score_period")
start, end = period_bounds(period)
weights = data.scorecard_weights()
st.caption(f"Tính đến ngày {fmt_date(min(end, filters.as_of))} · Nhiệm vụ chủ trì của từng sở, ban, ngành (các "
           "phòng, đơn vị thuộc tính vào cơ quan) · Trọng số: "
           + ", ".join(f"{sc.CRITERION_LABELS[k]} {fmt_decimal(weights[k])}" for k in sc.CRITERIA))

card = data.agency_scorecard(period, filters.as_of)
if card.empty:
    st.info(f"Chưa có cơ quan nào có nhiệm vụ đến hạn hoặc báo cáo phải nộp trong {fmt_period(period)}.")
    st.stop()
if end > filters.as_of:
    st.warning(f"{fmt_period(period)} chưa kết thúc (ngày tính số liệu {fmt_date(filters.as_of)}): điểm còn thay đổi.",
               icon=":material/schedule:")


def _colour(score: object) -> str:
    if score is None or pd.isna(score):  # type: ignore[call-overload]
        return "background-color: #eeeeee; color: #757575"
    value = float(score)  # type: ignore[arg-type]
    if value >= 90:
        return "background-color: #e6f4ea; color: #1a7f37; font-weight: 600"
    if value >= 70:
        return "background-color: #fff4d6; color: #8a6200; font-weight: 600"
    return "background-color: #fde7e7; color: #c62828; font-weight: 600"


def _score(value: object) -> str:
    return "–" if value is None or pd.isna(value) else fmt_decimal(float(value), 1)  # type: ignore[call-overload, arg-type]


RETURN_TEXT: dict[str | None, str] = {None: "Không phải nộp"}
RETURN_TEXT.update(rt.STATUS_LABELS)
SCORE_COLUMNS = {"Tổng điểm": "total", **{sc.CRITERION_LABELS[k]: k for k in sc.CRITERIA}}
table = pd.DataFrame({
    "Hạng": [fmt_number(int(r)) if not pd.isna(r) else "–" for r in card["rank"]],
    "Cơ quan": card["agency"],
    # Scores as text ("–" for nothing to measure: Streamlit shows a missing number as "None").
    **{label: [_score(v) for v in card[col]] for label, col in SCORE_COLUMNS.items()},
    "Đúng hạn / đến hạn trong quý": [f"{fmt_number(a)}/{fmt_number(b)}"
                                     for a, b in zip(card["on_time"], card["due_in_quarter"], strict=True)],
    "Quá hạn / phải xong đến cuối quý": [f"{fmt_number(a)}/{fmt_number(b)}"
                                         for a, b in zip(card["overdue"], card["due_by_end"], strict=True)],
    "Báo cáo quý": [RETURN_TEXT.get(s if isinstance(s, str) else None, "–") for s in card["return_status"]],
})
styled = table.style
for label, col in SCORE_COLUMNS.items():
    colours = [_colour(v) for v in card[col]]
    styled = styled.apply(lambda _c, colours=colours: colours, subset=[label])
st.dataframe(styled, hide_index=True, width="stretch", key="scorecard_table",
             height=min(38 + 35 * len(table), 560),
             column_config={"Cơ quan": st.column_config.TextColumn(width="medium", pinned=True)})
st.caption("Màu: xanh từ 90 điểm, vàng 70 - dưới 90, đỏ dưới 70, xám: không có gì để tính (không tính vào tổng). "
           "Điểm mỗi tiêu chí từ 0 đến 100; tổng điểm là bình quân có trọng số của các tiêu chí có số liệu.")
export = table.copy()  # scores as numbers in Excel
export["Tổng điểm"] = card["total"].round(2)
for k in sc.CRITERIA:
    export[sc.CRITERION_LABELS[k]] = card[k].round(2)
st.download_button("Tải bảng (Excel)", data=lambda: to_xlsx(export, "Xếp hạng"), key="scorecard_xlsx",
                   file_name=f"xep-hang-co-quan-{period}.xlsx", on_click="ignore", icon=":material/download:",
                   mime="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")

ranked = card[card["total"].notna()]
if not ranked.empty:
    st.subheader(f"Xếp hạng {fmt_period(period)}")
    bars = pd.DataFrame({"agency": ranked["agency"], "total": ranked["total"].astype(float),
                         "label": [_score(v) for v in ranked["total"]]})
    chart = alt.Chart(bars).mark_bar(color="#4a7ab8").encode(
        x=alt.X("total:Q", title="Tổng điểm", scale=alt.Scale(domain=[0, 100])),
        y=alt.Y("agency:N", title=None, sort=list(bars["agency"]), axis=alt.Axis(labelLimit=180)),
        tooltip=[alt.Tooltip("agency:N", title="Cơ quan"), alt.Tooltip("label:N", title="Tổng điểm")],
    ).properties(height=28 * len(bars))
    charts.show(chart, f"xep-hang-co-quan-{period}.png", "png_scorecard")

with st.expander("Cách tính điểm", icon=":material/calculate:"):
    st.markdown(
        f"- **{sc.CRITERION_LABELS[sc.DUNG_HAN]}**: trong các nhiệm vụ cơ quan chủ trì có hạn trong quý, tỷ lệ "
        "hoàn thành đúng hạn (tình trạng ở ngày cuối quý, cùng quy tắc với mọi trang). Nhiệm vụ do hai phòng của cùng "
        "cơ quan chủ trì tính một lần, chỉ đúng hạn khi cả hai đúng hạn.\n"
        f"- **{sc.CRITERION_LABELS[sc.QUA_HAN]}**: trong các nhiệm vụ phải xong đến ngày cuối quý và chưa xong khi quý "
        "bắt đầu, tỷ lệ không quá hạn ở ngày cuối quý (100 = không có nhiệm vụ quá hạn).\n"
        f"- **{sc.CRITERION_LABELS[sc.BAO_CAO]}**: báo cáo quý của cơ quan (hạn: ngày cuối quý cộng số ngày "
        "CCHC_RETURN_DUE_DAYS): nộp đúng hạn 100, trễ hạn 50, chưa nộp khi đã quá hạn 0; chưa đến hạn hoặc không "
        "phải nộp: không tính.\n"
        "- **Trả lời yêu cầu giải trình**: chưa tính, vì hệ thống chưa có chức năng yêu cầu giải trình.\n"
        "- Trọng số mặc định: " + ", ".join(f"{sc.CRITERION_LABELS[k]} {fmt_decimal(sc.DEFAULT_WEIGHTS[k])}"
                                           for k in sc.CRITERIA)
        + "; quản trị hệ thống thay đổi được (mọi thay đổi ghi nhật ký).")

if permissions.can(actor.role, sc.WEIGHT_ACTION):
    st.subheader("Trọng số (quản trị)")
    done = st.session_state.pop("_weights_saved", None)
    if done:
        st.success(done)
    with st.form("scorecard_weights"):
        cols = st.columns(len(sc.CRITERIA))
        # Whole numbers: "40", not the English "40.00".
        new = {k: float(cols[i].number_input(sc.CRITERION_LABELS[k], min_value=0, max_value=100, step=5,
                                             value=int(round(weights[k])), format="%d", key=f"w_{k}"))
               for i, k in enumerate(sc.CRITERIA)}
        if st.form_submit_button("Lưu trọng số", type="primary"):
            try:
                sc.set_weights(engine(), new, actor)
                invalidate()
                st.session_state["_weights_saved"] = "Đã lưu trọng số mới; bảng xếp hạng đã tính lại."
                st.rerun()
            except (ValueError, permissions.PermissionDenied) as exc:
                st.error(plain(exc))
