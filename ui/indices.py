"""The headline-index cards (latest PAR INDEX and SIPAS with their rank), shared by the overview and the indices page."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pandas as pd

from data_access.indices import rank_change_text, score_change_text
from data_access.vn import fmt_pct
from ui import data

TOTAL_PROVINCES = 63  # the ranks the seeds state are out of 63 provinces (seed 002, lines 9 and 13)


def _official_before(years: pd.DataFrame, index: str, year: str) -> pd.Series | None:
    """The latest non-sample, non-derived year of `index` before `year` (what a leader may quote)."""
    rows = years[(years["index"] == index) & (~years["is_sample"]) & (~years["derived"]) & (years["year"] < year)]
    return None if rows.empty else rows.iloc[-1]


def index_card(column: Any, row: pd.Series, years: pd.DataFrame) -> None:
    """One card: score, rank and the change of rank since the previous year; sample values say so."""
    index, year = str(row["index"]), str(row["year"])
    rank = row["rank"]
    since = row["previous_year"] if isinstance(row["previous_year"], str) else None
    rank_text = f"Hạng {int(rank)}/{TOTAL_PROVINCES}" if pd.notna(rank) else "Chưa có xếp hạng"
    change = row["rank_change"]
    delta = f"{rank_text} · {rank_change_text(change, since)}" if pd.notna(change) else rank_text
    color = "gray" if pd.isna(change) or change == 0 else ("green" if change > 0 else "red")
    label = f"{index} năm {year}" + (" (số liệu mẫu)" if row["is_sample"] else "")
    notes = [f"Điểm: {score_change_text(row['score_change'], since)}."]
    if row["is_sample"]:
        official = _official_before(years, index, year)
        notes.append("Số liệu mẫu sinh tự động, chưa phải kết quả Bộ Nội vụ công bố.")
        if official is not None:
            notes.append(f"Kết quả công bố gần nhất: năm {official['year']}, {fmt_pct(official['score'])}"
                         + (f", hạng {int(official['rank'])}/{TOTAL_PROVINCES}" if pd.notna(official["rank"]) else "")
                         + f" ({official['citation']}).")
    elif isinstance(row["citation"], str):
        notes.append(f"Nguồn: {row['citation']}.")
    column.metric(label, fmt_pct(row["score"]), delta, delta_color=color, delta_arrow="off", border=True,
                  help=" ".join(notes))


def index_cards(columns: list[Any], as_of: dt.date) -> bool:
    """Draw the latest PAR INDEX and SIPAS cards into `columns` (two); False when the store has neither."""
    indices = data.headline_indices(as_of)
    years: pd.DataFrame = indices.years
    latest = years[years["score"].notna()].groupby("index", sort=False).tail(1)
    if latest.empty:
        return False
    for column, (_, row) in zip(columns, latest.iterrows(), strict=False):
        index_card(column, row, years)
    return True
