"""Chỉ số PAR INDEX, SIPAS: the province's headline indices by year, their components, satisfaction, the
Government-assigned tasks and the five-year report's own 23-goal scorecard (Phụ lục 9)."""

from __future__ import annotations

from typing import cast

import pandas as pd
import streamlit as st

from data_access.indices import (
    SCORECARD_COUNT_STATEMENTS,
    HeadlineIndices,
    rank_change_text,
    score_change_text,
    scorecard_counts,
)
from data_access.passport import indicator_id_by_code
from data_access.vn import fmt_date, fmt_number, fmt_pct, fmt_period
from ui import charts, data
from ui.data import engine
from ui.filters import get_filters
from ui.indices import TOTAL_PROVINCES, index_cards
from ui.notice import sample_notice
from ui.passport import passport_popover
from ui.signin import guard
from ui.text import plain

guard("view")
filters = get_filters()
st.title("Chỉ số PAR INDEX, SIPAS")
st.caption(f"Số liệu tính đến ngày {fmt_date(filters.as_of)} · Chỉ số của cả tỉnh (không phụ thuộc bộ lọc kế hoạch, "
           "lĩnh vực, cơ quan)")
sample_notice()

indices: HeadlineIndices = data.headline_indices(filters.as_of)
c1, c2 = st.columns(2)
if not index_cards([c1, c2], filters.as_of):
    st.info("Chưa có số liệu PAR INDEX, SIPAS đến ngày đã chọn.")
# The passport of each headline indicator, beside it.
for column, (code, label) in zip(st.columns(4), [("PAR_INDEX", "PAR INDEX"), ("PAR_RANK", "Hạng PAR INDEX"),
                                                  ("SIPAS", "SIPAS"), ("SIPAS_RANK", "Hạng SIPAS")], strict=True):
    found = indicator_id_by_code(engine(), code)
    if found is not None:
        with column:
            passport_popover(found, key=f"passport_{code}", label=f"Hộ chiếu: {label}")


def value_note(is_sample: bool, derived: bool) -> str:
    """What kind of figure this is: a published one, one derived from a stated change, or sample data."""
    if is_sample:
        return "Số liệu mẫu (sinh tự động)"
    return "Suy ra từ mức thay đổi" if derived else "Công bố"


# --- score and rank by year ---------------------------------------------------------------------
st.subheader("Điểm và xếp hạng qua các năm")
years = indices.years
if years.empty:
    st.info("Chưa có số liệu.")
else:
    table = pd.DataFrame({
        "Chỉ số": years["index"],
        "Năm": years["year"],
        "Điểm": [fmt_pct(v) for v in years["score"]],
        "Thay đổi điểm": [score_change_text(c) for c in years["score_change"]],
        "Xếp hạng": [f"{int(r)}/{TOTAL_PROVINCES}" if pd.notna(r) else "–" for r in years["rank"]],
        "Thay đổi hạng": [rank_change_text(c) for c in years["rank_change"]],
        "Loại số liệu": [value_note(bool(s), bool(d)) for s, d in zip(years["is_sample"], years["derived"], strict=True)],
        "Nguồn": [c if isinstance(c, str) else "–" for c in years["citation"]],
    })
    charts.table(table, "chi-so-par-index-sipas.xlsx", "index_years", sheet="PAR INDEX, SIPAS")
    derived = years[years["derived"] & years["arithmetic"].notna()]
    notes = [f"{r['index']} {r['year']}: {r['arithmetic']}" for _, r in derived.iterrows()]
    if notes:
        st.caption("Giá trị \"suy ra\": văn bản chỉ nêu điểm năm sau và mức tăng/giảm, nên điểm năm trước được tính "
                   "lại: " + "; ".join(notes) + ". Các năm khác: các văn bản hiện có không nêu.")

# --- components ----------------------------------------------------------------------------------
st.subheader("Chỉ số thành phần")
components = indices.components
if components.empty:
    st.info("Chưa có số liệu chỉ số thành phần.")
else:
    # One row per component, one column per year: the way the Bộ Nội vụ tables read.
    year_list = sorted(set(components["year"]))
    rows = []
    for (index, name), group in components.groupby(["index", "component"], sort=False):
        by_year = group.set_index("year")
        last = by_year.iloc[-1]
        notes = [f"{y}: suy ra ({a})" for y, a in zip(by_year.index, by_year["arithmetic"], strict=True)
                 if isinstance(a, str)]
        notes += [f"{y}: số liệu mẫu" for y, smp in zip(by_year.index, by_year["is_sample"], strict=True) if smp]
        rows.append({
            "Chỉ số": index, "Chỉ số thành phần": name,
            **{f"Năm {y}": fmt_pct(cast(float | None, by_year.at[y, "value"])) if y in by_year.index else "–" for y in year_list},
            "Thay đổi": score_change_text(last["change"]),
            "Ghi chú": "; ".join(notes) or "–",
            "Nguồn": last["citation"],
        })
    charts.table(pd.DataFrame(rows), "chi-so-thanh-phan.xlsx", "index_components", sheet="Chỉ số thành phần")

# --- satisfaction and Government-assigned tasks ---------------------------------------------------
SATISFACTION_LABELS = {"PL1-7.3": "Hài lòng chung (khảo sát của tỉnh)",
                       "HL_GIAI_QUYET_TTHC": "Hài lòng về giải quyết TTHC (Cổng DVC quốc gia)"}
st.subheader("Mức độ hài lòng")
sat = indices.satisfaction
if sat.empty:
    st.info("Chưa có số liệu.")
else:
    cells = {(str(r["year"]), str(r["code"])): fmt_pct(r["value"]) + (" (mẫu)" if r["is_sample"] else "")
             for _, r in sat.iterrows()}
    periods = sorted({p for p, _ in cells}, key=lambda p: (p[:4], p))
    codes = [c for c in SATISFACTION_LABELS if c in set(sat["code"])]
    charts.table(pd.DataFrame({
        "Kỳ": [fmt_period(p) for p in periods],
        **{SATISFACTION_LABELS[c]: [cells.get((p, c), "–") for p in periods] for c in codes},
    }), "muc-do-hai-long.xlsx", "satisfaction", sheet="Mức độ hài lòng")
    cited = sat[sat["citation"].notna()].drop_duplicates("code")
    st.caption("Nguồn: " + "; ".join(f"{SATISFACTION_LABELS.get(str(c), c)}: {w}"
                                     for c, w in zip(cited["code"], cited["citation"], strict=True))
               + ". \"(mẫu)\": số liệu sinh tự động.")

st.subheader("Nhiệm vụ Chính phủ, Thủ tướng Chính phủ giao")
gov = indices.government_tasks
if gov.empty:
    st.info("Chưa có số liệu.")
else:
    charts.table(pd.DataFrame({
        "Kỳ": [fmt_period(p) if p != "2025-Q1" else "Năm 2025 (đến 31/3)" for p in gov["period"]],
        "Được giao": [fmt_number(v) for v in gov["assigned"]],
        "Hoàn thành đúng hạn": [fmt_number(v) for v in gov["on_time"]],
        "Hoàn thành quá hạn": [fmt_number(v) for v in gov["done_late"]],
        "Quá hạn chưa hoàn thành": [fmt_number(v) for v in gov["overdue_open"]],
    }), "nhiem-vu-chinh-phu-giao.xlsx", "government_tasks", sheet="Nhiệm vụ Chính phủ giao")
    st.caption(f"Nguồn: {gov['citation'].iloc[0]}.")

# --- the 23-goal scorecard -------------------------------------------------------------------------
st.subheader("Đánh giá 23 mục tiêu CCHC giai đoạn 2011-2025 (Phụ lục 9)")
scorecard: pd.DataFrame = data.goal_scorecard()
if scorecard.empty:
    st.info("Kho dữ liệu chưa có bảng đánh giá mục tiêu.")
else:
    counts = scorecard_counts(scorecard)
    total = len(scorecard)
    st.markdown(" · ".join(f"**{rating}**: {fmt_number(n)}/{fmt_number(total)}"
                           for rating, n in sorted(counts.items(), key=lambda kv: -kv[1])))

    missed = scorecard[scorecard["rating"] != "Đạt"]
    if not missed.empty:
        st.markdown("**Mục tiêu chưa đạt theo Phụ lục 9:**\n" + "\n".join(
            f"- **{r['rating']}**, mục tiêu {r['goal_no']}: {plain(r['goal'])}"
            + (f" (chú thích của Phụ lục: {plain(r['footnote'])})" if isinstance(r["footnote"], str) else "")
            + (f" (kết quả: {fmt_pct(r['result_value'])})" if r["result_unit"] == "%" else "")
            for _, r in missed.iterrows()))
    charts.table(pd.DataFrame({
        "STT": [fmt_number(n) for n in scorecard["goal_no"]],
        "Đánh giá": scorecard["rating"],
        "Mục tiêu": scorecard["goal"],
        "Số liệu chính": [fmt_pct(v) if u == "%" else (fmt_number(v) if pd.notna(v) else "–")
                          for v, u in zip(scorecard["result_value"], scorecard["result_unit"], strict=True)],
        "Kết quả": scorecard["result"],
        "Nguồn": scorecard["source"],
    }), "danh-gia-23-muc-tieu.xlsx", "scorecard", sheet="23 mục tiêu",
        column_config={"STT": st.column_config.TextColumn(pinned=True),
                       "Đánh giá": st.column_config.TextColumn(pinned=True),
                       "Mục tiêu": st.column_config.TextColumn(width="large"),
                       "Kết quả": st.column_config.TextColumn(width="large")})
    statements = "; ".join(f"\"{quote}\" ({where})" for quote, where in SCORECARD_COUNT_STATEMENTS)
    st.caption(f"Lưu ý: báo cáo tự mâu thuẫn về số mục tiêu đạt: {statements}; còn bảng Phụ lục 9 ở trên ghi "
               f"{fmt_number(counts.get('Đạt', 0))}/{fmt_number(total)} mục tiêu \"Đạt\". Bảng chép đúng Phụ lục 9; "
               "hệ thống không chọn con số nào thay cho văn bản.")
