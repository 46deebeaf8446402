"""Chỉ tiêu 2025 - 2026: every target as its document words it, judged with a value of its own year.

The figures are `queries.target_board` = `data_access.targets.target_results`, the same read as
`python -m data_access targets --json`.
"""

from __future__ import annotations

import html

import altair as alt
import pandas as pd
import streamlit as st

from data_access import forecast as fc
from data_access import models as m
from data_access import targets as tg
from data_access.vn import fmt_date, fmt_decimal, fmt_number, fmt_period, fmt_target, fmt_value
from ui import charts, data
from ui import notes as note_ui
from ui.filters import get_filters
from ui.fmt import to_xlsx
from ui.follow_up import flash, item_panel
from ui.notice import data_date_notice
from ui.passport import linked_tasks, passport, passport_markdown, passport_popover
from ui.signin import guard

actor = guard("view")
filters = get_filters()
st.title("Chỉ tiêu 2025 - 2026")
st.caption(f"Số liệu tính đến ngày {fmt_date(filters.as_of)} · Chỉ tiêu của tỉnh, trích nguyên văn từ văn bản "
           "(không phụ thuộc bộ lọc kế hoạch, lĩnh vực, cơ quan) · Mỗi chỉ tiêu chỉ được đánh giá bằng số liệu "
           "của chính năm đó")
data_date_notice()

board: pd.DataFrame = data.target_board(filters.as_of)
if board.empty:
    st.info("Chưa có chỉ tiêu nào của năm 2025 hoặc 2026.")
    st.stop()

COLOURS = {tg.DAT: "#1a7f37", tg.GAN_DAT: "#b58100", tg.CHUA_DAT: "#c62828", tg.CHUA_CO_SO_LIEU: "#757575"}
BACKGROUNDS = {tg.DAT: "#e6f4ea", tg.GAN_DAT: "#fff4d6", tg.CHUA_DAT: "#fde7e7", tg.CHUA_CO_SO_LIEU: "#eeeeee"}


def _missing(value: object) -> bool:
    return value is None or (isinstance(value, float) and pd.isna(value))


def period_text(period: object) -> str:
    if _missing(period) or not period:
        return "Chưa có số liệu kỳ này"
    return fmt_period(str(period))


def value_text(row: pd.Series) -> str:
    if _missing(row["value"]):
        return "–"
    shown = fmt_value(float(row["value"]), str(row["unit"]))
    return shown + (" (mẫu)" if row["sample"] else "") + (" (suy ra)" if row["derived"] else "")


def target_text(row: pd.Series) -> str:
    base = None if _missing(row["base_year"]) else int(row["base_year"])
    text = fmt_target(str(row["comparator"]), float(row["target"]), str(row["unit"]), base)
    for alt_row in row["alternatives"][1:]:
        text += " hoặc " + fmt_target(alt_row["comparator"], alt_row["target"], alt_row["unit"])
    if row["comparator"] == "rank_up" and not _missing(row["base_value"]):
        text += f" (năm {base}: hạng {fmt_decimal(float(row['base_value']))}, cần hạng " \
                f"{fmt_decimal(float(row['base_value']) - float(row['target']))} trở lên)"
    return text


def gap_text(row: pd.Series) -> str:
    gap = row["gap"]
    if row["alternatives"] or _missing(gap):
        return "–"
    if float(gap) == 0:
        return "Đã đạt"
    if row["comparator"] in tg.RANK_COMPARATORS:
        return f"Cần tăng {fmt_decimal(float(gap))} bậc"
    suffix = " điểm %" if row["unit"] == "%" else (f" {row['unit']}" if row["unit"] else "")
    return f"Còn thiếu {fmt_decimal(float(gap))}{suffix}"


TREND_COLOURS = {fc.DI_NGUOC: "#c62828", fc.HAN_CHE: "#c62828", fc.CAN_DAY_NHANH: "#b58100",
                 fc.DUNG_HUONG: "#1a7f37", fc.DA_DAT: "#1a7f37", fc.CHUA_DU: "#757575"}


def trend_text(row: pd.Series) -> str:
    """The Xu hướng cell: at-risk targets say so first; a forecast resting on generated values says "(mẫu)"."""
    category = str(row["trend_category"])
    if category == fc.CHUA_DU:
        return "Chưa đủ số liệu để dự báo"
    text = ("Nguy cơ không đạt – " if row["at_risk"] else "") + fc.TREND_LABELS[category]
    return text + (" (mẫu)" if row["trend_sample"] else "")


def forecast_text(row: pd.Series) -> str:
    """Lộ trình (where the straight path says the value should be now) and the projection at the deadline."""
    if _missing(row["expected_now"]):
        return "–"
    unit = str(row["unit"])
    text = f"Lộ trình: {fmt_value(float(row['expected_now']), unit)}"
    if not _missing(row["projected"]):
        text += f" · Dự báo cuối kỳ: {fmt_value(float(row['projected']), unit)}"
    return text


def source_text(row: pd.Series) -> str:
    first, last = row["seed_line"], row["seed_line_end"]
    lines = "" if _missing(first) else (f", dòng {int(first)}" if first == last or _missing(last)
                                        else f", dòng {int(first)}-{int(last)}")
    return f"{row['document']} ({row['seed_file']}{lines})"


samples = int(board["sample"].sum())
if samples:
    # The page's one sample-data line (the generic notice would say less): how many ratings rest on generated values.
    st.caption(f":material/science: **Có dữ liệu mẫu**: {fmt_number(samples)} chỉ tiêu đang được đánh giá bằng giá "
               "trị sinh tự động (ghi \"(mẫu)\" ở cột Giá trị) vì văn bản của tỉnh chưa có số liệu kỳ đó. Không dùng "
               "các giá trị này để báo cáo.")

# One wrapping row of counts (four stacked metric boxes would fill a phone screen).
counts = board["rating"].value_counts()
pills = "".join(
    f"<span style='display:inline-block;margin:0 .5rem .5rem 0;padding:.35rem .8rem;border-radius:1rem;"
    f"background:{BACKGROUNDS[r]};color:{COLOURS[r]};font-weight:600'>{tg.RATING_LABELS[r]}: "
    f"<span style='font-size:1.25rem'>{fmt_number(int(counts.get(r, 0)))}</span></span>" for r in tg.RATINGS)
at_risk = int(board["at_risk"].sum())
pills += (f"<span style='display:inline-block;margin:0 .5rem .5rem 0;padding:.35rem .8rem;border-radius:1rem;"
          f"border:2px solid #c62828;color:#c62828;font-weight:600'>Nguy cơ không đạt: "
          f"<span style='font-size:1.25rem'>{fmt_number(at_risk)}</span></span>")
st.markdown(f"<div>{pills}</div>", unsafe_allow_html=True)

c1, c2 = st.columns([1, 2])
years = c1.multiselect("Năm của chỉ tiêu", [2025, 2026], placeholder="Cả hai năm", key="target_years")
picked_ratings = c2.multiselect("Đánh giá", list(tg.RATINGS), format_func=lambda r: tg.RATING_LABELS[r],
                                placeholder="Tất cả mức đánh giá", key="rag_pick")
keep = pd.Series(True, index=board.index)
if years:
    keep &= board["year"].isin(years)
if picked_ratings:
    keep &= board["rating"].isin(picked_ratings)
shown = board[keep].reset_index(drop=True)

st.caption(f"Đạt: số liệu đáp ứng chỉ tiêu. Gần đạt: còn thiếu không quá {fmt_decimal(tg.NEAR_SHARE * 100)}% giá "
           f"trị chỉ tiêu (xếp hạng: không quá {tg.NEAR_PLACES} bậc). Chưa đạt: thiếu nhiều hơn. Chưa có số liệu kỳ "
           "này: chưa có số liệu của năm chỉ tiêu (không dùng số năm khác). \"Đánh giá của văn bản\": văn bản tự "
           "đánh giá Đạt/Không đạt mà không nêu số liệu.")
st.caption("Xu hướng (phương pháp của Cơ quan Thống kê Canada): tỷ số giữa tốc độ thay đổi thực tế (đường xu hướng "
           "bình phương nhỏ nhất qua các giá trị từ năm gốc) và tốc độ cần thiết để từ năm gốc đạt chỉ tiêu đúng hạn. "
           "≥ 95%: Đúng hướng; 60-95%: Cần đẩy nhanh; 0-60%: Tiến triển hạn chế; âm: Đi ngược. Chỉ tiêu chưa đạt "
           "mà Đi ngược hoặc Tiến triển hạn chế là **Nguy cơ không đạt**, xếp lên đầu bảng.")
# The columns a leader reads first come first (a phone shows only the first three).
table = pd.DataFrame({
    "Đánh giá": [tg.RATING_LABELS[r] for r in shown["rating"]],
    "Chỉ tiêu": shown["label"],  # before Xu hướng: a phone must show which target a row is
    "Xu hướng": [trend_text(r) for _, r in shown.iterrows()],
    "Giá trị": [value_text(r) for _, r in shown.iterrows()],
    "Mục tiêu": [target_text(r) for _, r in shown.iterrows()],
    "Kỳ số liệu": [period_text(p) for p in shown["period"]],
    "Năm": [str(y) for y in shown["year"]],
    "Khoảng cách": [gap_text(r) for _, r in shown.iterrows()],
    "Lộ trình và dự báo": [forecast_text(r) for _, r in shown.iterrows()],
    "Mã": shown["code"],
    "Trích dẫn văn bản": [f"“{t}”" for t in shown["quote"]],
    "Nguồn": [source_text(r) for _, r in shown.iterrows()],
})
ratings = list(shown["rating"])
trends = list(shown["trend_category"])
styled = table.style.apply(
    lambda col: [f"background-color: {BACKGROUNDS[r]}; color: {COLOURS[r]}; font-weight: 600" for r in ratings],
    subset=["Đánh giá"]).apply(
    lambda col: [f"color: {TREND_COLOURS[c]}; font-weight: 600" for c in trends], subset=["Xu hướng"])
event = st.dataframe(styled, hide_index=True, width="stretch", height=460, key="targets_table",
                     on_select="rerun", selection_mode="single-row",
                     column_config={"Chỉ tiêu": st.column_config.TextColumn(width="large"),
                                    "Trích dẫn văn bản": st.column_config.TextColumn(width="large"),
                                    "Nguồn": st.column_config.TextColumn(width="medium")})
st.caption("Chọn một dòng để xem chi tiết, hộ chiếu chỉ số và các nhiệm vụ gắn với chỉ tiêu ở phần dưới.")
# A row picked in the table opens its detail below (once per pick, so the picker below still works).
picked_rows = list(event.selection.rows) if event is not None else []
if picked_rows and picked_rows[0] < len(shown):
    row_code = str(shown["code"].iloc[picked_rows[0]])
    if st.session_state.get("_table_pick") != row_code:
        st.session_state["_table_pick"] = row_code
        st.session_state["indicator_pick"] = row_code
st.download_button("Tải bảng (Excel)", data=lambda: to_xlsx(table, "Chỉ tiêu"), file_name="chi-tieu-2025-2026.xlsx",
                   key="targets_xlsx", on_click="ignore", icon=":material/download:", disabled=table.empty,
                   mime="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")

pct = shown[(shown["unit"] == "%").to_numpy() & shown["value"].notna().to_numpy()]
if not pct.empty:
    st.subheader("Giá trị so với chỉ tiêu (chỉ tiêu tính bằng %)")
    st.caption("Thanh: giá trị của năm chỉ tiêu, màu theo đánh giá; vạch đen: chỉ tiêu; \"(mẫu)\": giá trị sinh tự động.")
    bullet = pd.DataFrame({
        "code": pct["code"], "name": [f"{lbl} (mẫu)" if smp else str(lbl)
                                      for lbl, smp in zip(pct["label"], pct["sample"], strict=True)],
        "value": pct["value"], "rag": pct["rag"], "target_year": pct["year"],
    })
    for year in (2025, 2026):
        bullet[f"target_{year}"] = [t if y == year else None for t, y in zip(pct["target"], pct["year"], strict=True)]
    # Labels cut at 160 px (full wording in the tooltip and the table) keep the bars visible on a phone.
    charts.show(charts.bullet_chart(bullet, label_limit=160), "chi-tieu-so-voi-muc-tieu.png", "png_bullet")

noted = board[board["note"].astype(bool)]
if not noted.empty:
    with st.expander(f"Ghi chú về số liệu và chỗ các văn bản khác nhau ({fmt_number(len(noted))})"):
        for _, row in noted.iterrows():
            st.markdown(f"**{html.escape(str(row['code']))}** – {html.escape(str(row['label']))}: "
                        f"{html.escape(str(row['note']))}")

st.subheader("Chi tiết một chỉ tiêu")
labels = {str(c): f"{c} – {lbl}" for c, lbl in zip(board["code"], board["label"], strict=True)}
# ?chi_tieu=CODE opens one target's detail (a shareable address); choosing another rewrites it.
asked = st.query_params.get("chi_tieu")
if asked in labels and st.session_state.get("_chi_tieu_asked") != asked:
    st.session_state["indicator_pick"] = asked
    st.session_state["_chi_tieu_asked"] = asked
elif asked and asked not in labels and st.session_state.get("_chi_tieu_asked") != asked:
    st.session_state["_chi_tieu_asked"] = asked
    st.warning(f"Không có chỉ tiêu mã \"{html.escape(str(asked))}\" trong năm 2025, 2026.", icon=":material/search_off:")
pick_col, pass_col = st.columns([4, 1], vertical_alignment="bottom")
picked = pick_col.selectbox("Chọn chỉ tiêu", list(labels), format_func=lambda c: labels.get(c, c), key="indicator_pick")
if st.query_params.get("chi_tieu") != picked:
    st.query_params["chi_tieu"] = picked
    st.session_state["_chi_tieu_asked"] = picked
row = board[board["code"] == picked].iloc[0]
baseline = (f"{period_text(row['baseline_period'])}: {fmt_value(float(row['baseline_value']), str(row['unit']))}"
            if not _missing(row["baseline_value"]) else "")
with pass_col:
    passport_popover(int(row["indicator_id"]), baseline, key="passport_popover")
rating = str(row["rating"])
st.markdown(
    f"<div style='border-left:6px solid {COLOURS[rating]};padding:.4rem .8rem;background:{BACKGROUNDS[rating]}'>"
    f"<b style='color:{COLOURS[rating]}'>{tg.RATING_LABELS[rating]}</b> · Mục tiêu năm {int(row['year'])}: "
    f"{html.escape(target_text(row))} · Giá trị: {html.escape(value_text(row))} · Kỳ số liệu: "
    f"{html.escape(period_text(row['period']))}</div>", unsafe_allow_html=True)
st.markdown(f"Xu hướng: **{html.escape(trend_text(row))}**"
            + (f" · Năm gốc {html.escape(period_text(row['baseline_period']))}: "
               f"{html.escape(fmt_value(float(row['baseline_value']), str(row['unit'])))}"
               if not _missing(row["baseline_value"]) else "")
            + (f" · {html.escape(forecast_text(row))}" if not _missing(row["expected_now"]) else "")
            # The bare "chưa đủ số liệu" is already the label; a longer reason says why.
            + (f" · {html.escape(str(row['trend_reason']))}" if row["trend_reason"] not in ("", fc.NOT_ENOUGH) else ""))
st.markdown(f"> {html.escape(str(row['quote']))}\n\n— {html.escape(source_text(row))}")
st.markdown(f"Chỉ số đo: **{html.escape(str(row['indicator_name']))}** ({html.escape(str(row['indicator_code']))})"
            + (f" · Nguồn số liệu: {html.escape(str(row['value_source']))}"
               if row["value_source"] and not _missing(row["value"]) else ""))
full = passport(int(row["indicator_id"]))
if full is not None:
    with st.expander(f"Hộ chiếu chỉ số {full.base.code}", icon=":material/badge:", expanded=True):
        st.markdown(passport_markdown(full, baseline))
if row["official_rating"]:
    st.markdown(f"Văn bản tự đánh giá: {html.escape(str(row['official_note']))}")
if row["note"]:
    st.info(str(row["note"]), icon=":material/info:")
if row["alternatives"]:
    st.caption("Chỉ tiêu \"hoặc\": đạt khi một trong các phương án đạt.")
    st.dataframe(pd.DataFrame({
        "Phương án": [a["indicator_name"] for a in row["alternatives"]],
        "Mục tiêu": [fmt_target(a["comparator"], a["target"], a["unit"]) for a in row["alternatives"]],
        "Giá trị": [fmt_value(a["value"], a["unit"]) + (" (mẫu)" if a["sample"] else "") for a in row["alternatives"]],
        "Kỳ số liệu": [period_text(a["period"]) for a in row["alternatives"]],
        "Đánh giá phương án": [tg.RATING_LABELS[a["rating"]] for a in row["alternatives"]],
    }), hide_index=True, width="stretch", key="alternatives_table")

# Giải trình: a red target ("Chưa đạt") can be put to the responsible agency; earlier requests stay listed.
flash()
item_panel(actor, m.SUBJECT_INDICATOR, str(row["code"]), f"ct_{row['code']}", can_raise=rating == tg.CHUA_DAT)

history: pd.DataFrame = data.indicator_trends(filters.as_of, (int(row["indicator_id"]),))
if history.empty:
    st.info("Chỉ số này chưa có giá trị đo từ năm 2021 đến ngày đã chọn.")
else:
    hist = history.assign(period_label=[fmt_period(p) for p in history["period"]], value=history["value"].astype(float))
    line = alt.Chart(hist).mark_line(point=True).encode(
        x=alt.X("period_label:N", title="Kỳ", sort=list(hist["period_label"]), axis=alt.Axis(labelAngle=0)),
        y=alt.Y("value:Q", title=f"Giá trị ({row['unit']})" if row["unit"] else "Giá trị",
                scale=alt.Scale(reverse=str(row["unit"]).startswith("hạng"), zero=False),
                axis=alt.Axis(format=",.2~f")),
        tooltip=[alt.Tooltip("period_label:N", title="Kỳ"), alt.Tooltip("value:Q", title="Giá trị", format=",.2f")],
    ).properties(height=260)
    # Notes on a period of this indicator: a marker on the chart (hover for the text), listed under it.
    period_notes = [n for n in note_ui.rows(m.SUBJECT_MEASURE, str(row["indicator_code"]))
             if n["period_label"] in set(hist["period_label"])]
    if period_notes:
        marks = pd.DataFrame([{"period_label": n["period_label"], "note": f"{n['text']} ({n['author']})",
                               "value": float(hist.loc[hist["period_label"] == n["period_label"], "value"].iloc[-1])}
                              for n in period_notes])
        flags = alt.Chart(marks).mark_point(shape="triangle-down", size=260, filled=True, color="#6a1b9a",
                                            yOffset=-16).encode(
            x=alt.X("period_label:N", sort=list(hist["period_label"])), y="value:Q",
            tooltip=[alt.Tooltip("period_label:N", title="Kỳ"), alt.Tooltip("note:N", title="Ghi chú")])
        charts.show(alt.layer(line, flags), "dien-bien-chi-tieu.png", "png_history")
        st.caption("▼ tím: kỳ có ghi chú (di chuột vào để đọc).")
    else:
        charts.show(line, "dien-bien-chi-tieu.png", "png_history")
note_ui.panel(actor, m.SUBJECT_MEASURE, str(row["indicator_code"]),
              [] if history.empty else list(dict.fromkeys(history["period"])), f"ci_{row['indicator_code']}")

st.markdown("**Nhiệm vụ gắn với chỉ số**" + (" · chỉ tiêu chưa đạt hoặc có nguy cơ: nhiệm vụ quá hạn xếp trước"
                                               if row["rating"] == tg.CHUA_DAT or row["at_risk"] else ""))
linked_tasks(int(row["indicator_id"]), filters.as_of, bool(row["rating"] == tg.CHUA_DAT or row["at_risk"]),
             key="indicator_tasks_table")
