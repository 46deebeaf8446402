"""The province's headline indices: PAR INDEX and SIPAS by year with their components, satisfaction,
the Government-assigned tasks and the five-year report's own 23-goal scorecard (Phụ lục 9).

Read-only and pure (no streamlit). Values come from the store (indicator values and the
`goalscorecard` table), so a value uploaded later replaces a sample one; every figure carries
where it comes from (`source`) and whether it is generated sample data (`is_sample`). A value
the documents only imply (a 2023 score given as "2024 score, up x points") is marked derived,
with the arithmetic that gives it.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

import pandas as pd
from sqlalchemy import or_, select
from sqlalchemy.engine import Engine
from sqlalchemy.sql.elements import ColumnElement

from data_access.tables import GS, IN, IV

# Seeds: 001_fb3c06f5023b1873.txt (five-year report), 002_fd824fa072a35cf2.txt (KH 5399).
SEED_001 = "Báo cáo tổng kết CCHC 2021-2025 (seed 001"
SEED_002 = "KH 5399/KH-UBND (seed 002"
# Where the documents state each figure (seed file and line), by indicator code.
CITATIONS: dict[str, str] = {
    "PAR_INDEX": f"{SEED_002}, dòng 9)",
    "PAR_RANK": f"{SEED_002}, dòng 9)",
    "SIPAS": f"{SEED_002}, dòng 13)",
    "SIPAS_RANK": f"{SEED_002}, dòng 13)",
    "PAR_COMPONENTS": f"{SEED_002}, dòng 9 và 11)",
    "SIPAS_COMPONENTS": f"{SEED_002}, dòng 13)",
    "PL1-7.3": f"{SEED_001}, Phụ lục 1, dòng 1299)",
    "HL_GIAI_QUYET_TTHC": f"{SEED_001}, dòng 504 và Phụ lục 9 dòng 1522)",
    "PL1-9": f"{SEED_001}, Phụ lục 1, dòng 1301-1305)",
}
# The report's three statements of how many of the 23 goals were met (they disagree).
SCORECARD_COUNT_STATEMENTS: tuple[tuple[str, str], ...] = (
    ("đã đạt 17/23 mục tiêu, đạt tỉ lệ 73,91%", f"{SEED_001}, dòng 1047)"),
    ("đã đạt 06/23 mục tiêu, chiếm tỉ lệ 26,09%", f"{SEED_001}, dòng 1105)"),
)
MAIN = {"PAR INDEX": ("PAR_INDEX", "PAR_RANK"), "SIPAS": ("SIPAS", "SIPAS_RANK")}
SATISFACTION = ("PL1-7.3", "HL_GIAI_QUYET_TTHC")
GOVERNMENT_TASKS = {"PL1-9.1": "assigned", "PL1-9.2": "on_time", "PL1-9.3": "done_late", "PL1-9.4": "overdue_open"}
DERIVED_MARK = "suy ra"
SCORECARD_PL9 = "PL9-2011-2025"


def _frame(engine: Engine, stmt: Any) -> pd.DataFrame:
    with engine.connect() as conn:
        result = conn.execute(stmt)
        return pd.DataFrame(result.fetchall(), columns=list(result.keys()))


def _values(engine: Engine, as_of: dt.date, codes: list[str] | None = None,
            prefixes: tuple[str, ...] = ()) -> pd.DataFrame:
    """Values known at `as_of` (latest record per indicator and period) of the given indicators.

    Columns: code, name, unit, period, period_end, value, source, is_sample.
    """
    conds: list[ColumnElement[bool]] = []
    if codes is not None:
        conds.append(IN.c.code.in_(codes))
    for prefix in prefixes:
        conds.append(IN.c.code.startswith(prefix, autoescape=True))
    stmt = (
        select(IN.c.code, IN.c.name, IN.c.unit, IV.c.period, IV.c.period_end, IV.c.value, IV.c.source, IV.c.is_sample,
               IV.c.id)
        .select_from(IV.join(IN, IN.c.id == IV.c.indicator_id))
        .where(or_(*conds), IV.c.period_end <= as_of)
        .order_by(IN.c.code, IV.c.period_end, IV.c.id)
    )
    df = _frame(engine, stmt)
    df = df.drop_duplicates(["code", "period"], keep="last").drop(columns="id").reset_index(drop=True)
    df["is_sample"] = df["is_sample"].astype(bool)
    return df


def _num(value: float) -> str:
    """Vietnamese decimal with two digits (90,49), for the arithmetic of derived values."""
    return f"{value:.2f}".replace(".", ",")


def _arithmetic(derived: float, later: float | None) -> str | None:
    """How a derived earlier value follows from the later one and the stated change."""
    if later is None:
        return None
    change = round(later - derived, 2)
    sign = "−" if change >= 0 else "+"
    return f"{_num(later)} {sign} {_num(abs(change))} = {_num(derived)}"


@dataclass(frozen=True)
class HeadlineIndices:
    """What the indices page shows (see `headline_indices`)."""

    years: pd.DataFrame
    components: pd.DataFrame
    satisfaction: pd.DataFrame
    government_tasks: pd.DataFrame


def headline_indices(engine: Engine, as_of: dt.date) -> HeadlineIndices:
    """PAR INDEX and SIPAS per year (score, rank, change), their components, satisfaction, Government tasks.

    years: one row per (index, year) with a score or a rank known at `as_of`, oldest first.
      Columns: index ("PAR INDEX"/"SIPAS"), year, previous_year, score, rank, score_change (points vs the previous
      year shown), rank_change (places gained vs the previous year: positive = up), is_sample,
      derived (a value implied by a stated change), arithmetic, source, citation.
    components: index, component, year, value, change, is_sample, derived, arithmetic, citation.
    satisfaction: code, name, year (period), value, is_sample, citation.
    government_tasks: period, assigned, on_time, done_late, overdue_open, late (done late + still
      overdue), citation.
    """
    main = _values(engine, as_of, [c for pair in MAIN.values() for c in pair])
    rows: list[dict[str, Any]] = []
    for index, (score_code, rank_code) in MAIN.items():
        scores: dict[str, dict[Any, Any]] = {r["period"]: r for r in main[main["code"] == score_code].to_dict("records")}
        ranks: dict[str, dict[Any, Any]] = {r["period"]: r for r in main[main["code"] == rank_code].to_dict("records")}
        prev_score: float | None = None
        prev_rank: float | None = None
        prev_period: str | None = None
        for period in sorted(set(scores) | set(ranks)):
            score = float(scores[period]["value"]) if period in scores else None
            rank = float(ranks[period]["value"]) if period in ranks else None
            found = [rec[period] for rec in (scores, ranks) if period in rec]
            sources = [str(r["source"]) for r in found]
            sample = any(bool(r["is_sample"]) for r in found)
            derived = any(DERIVED_MARK in src for src in sources)
            later = next((float(scores[p]["value"]) for p in sorted(scores) if p > period), None)
            rows.append({
                "index": index, "year": period, "previous_year": prev_period, "score": score, "rank": rank,
                "score_change": round(score - prev_score, 2) if score is not None and prev_score is not None else None,
                "rank_change": int(prev_rank - rank) if rank is not None and prev_rank is not None else None,
                "is_sample": sample, "derived": derived,
                "arithmetic": _arithmetic(score, later) if derived and score is not None else None,
                "source": "; ".join(dict.fromkeys(sources)),
                "citation": None if sample else CITATIONS[score_code],
            })
            prev_score = score if score is not None else prev_score
            prev_rank = rank if rank is not None else prev_rank
            prev_period = period
    years = pd.DataFrame(rows, columns=["index", "year", "previous_year", "score", "rank", "score_change", "rank_change", "is_sample",
                                        "derived", "arithmetic", "source", "citation"])

    comp = _values(engine, as_of, prefixes=("PAR_", "SIPAS_"))
    comp = comp[~comp["code"].isin([c for pair in MAIN.values() for c in pair])]
    comp_rows: list[dict[str, Any]] = []
    for code, group in comp.groupby("code", sort=False):
        index = "PAR INDEX" if str(code).startswith("PAR_") else "SIPAS"
        name = str(group["name"].iloc[0]).removeprefix("PAR INDEX - ")
        by_period: dict[str, dict[Any, Any]] = {r["period"]: r for r in group.to_dict("records")}
        periods = sorted(by_period)
        for i, period in enumerate(periods):
            value = float(by_period[period]["value"])
            derived = DERIVED_MARK in str(by_period[period]["source"])
            later = float(by_period[periods[i + 1]]["value"]) if i + 1 < len(periods) else None
            earlier = float(by_period[periods[i - 1]]["value"]) if i else None
            comp_rows.append({
                "index": index, "component": name, "year": period, "value": value,
                "change": round(value - earlier, 2) if earlier is not None else None,
                "is_sample": bool(by_period[period]["is_sample"]), "derived": derived,
                "arithmetic": _arithmetic(value, later) if derived else None,
                "citation": CITATIONS["PAR_COMPONENTS" if index == "PAR INDEX" else "SIPAS_COMPONENTS"],
            })
    components = pd.DataFrame(comp_rows, columns=["index", "component", "year", "value", "change", "is_sample",
                                                   "derived", "arithmetic", "citation"])

    sat = _values(engine, as_of, list(SATISFACTION))
    satisfaction = pd.DataFrame({
        "code": sat["code"], "name": sat["name"], "year": sat["period"], "value": sat["value"].astype(float),
        "is_sample": sat["is_sample"], "citation": [None if smp else CITATIONS[str(c)]
                                                    for c, smp in zip(sat["code"], sat["is_sample"], strict=True)],
    })

    gov = _values(engine, as_of, list(GOVERNMENT_TASKS))
    wide = gov.pivot_table(index="period", columns="code", values="value", aggfunc="last") if not gov.empty else None
    gov_cols = ["period", *GOVERNMENT_TASKS.values(), "late", "citation"]
    if wide is None:
        government_tasks = pd.DataFrame(columns=gov_cols)
    else:
        wide = wide.rename(columns=GOVERNMENT_TASKS).reset_index()
        for col in GOVERNMENT_TASKS.values():
            if col not in wide:
                wide[col] = None
        wide["late"] = wide["done_late"].fillna(0) + wide["overdue_open"].fillna(0)
        wide["citation"] = CITATIONS["PL1-9"]
        government_tasks = wide[gov_cols].sort_values("period").reset_index(drop=True)
        government_tasks.columns.name = None
    return HeadlineIndices(years=years, components=components, satisfaction=satisfaction,
                           government_tasks=government_tasks)


def goal_scorecard(engine: Engine, scorecard: str = SCORECARD_PL9) -> pd.DataFrame:
    """The goals of a report's scorecard in their order, verbatim.

    Columns: goal_no, field_code, goal, result, result_value, result_unit, rating, footnote, source.
    """
    stmt = (
        select(GS.c.goal_no, GS.c.field_code, GS.c.goal, GS.c.result, GS.c.result_value, GS.c.result_unit,
               GS.c.rating, GS.c.footnote, GS.c.source)
        .where(GS.c.scorecard == scorecard)
        .order_by(GS.c.goal_no)
    )
    return _frame(engine, stmt)


def rank_change_text(change: float | None, since: str | None = None) -> str:
    """"▲ 3 bậc", "▼ 2 bậc" or "không đổi" (places gained: positive = up), with " so với <since>"."""
    if change is None or pd.isna(change):
        return "–"
    tail = f" so với {since}" if since else ""
    if change == 0:
        return f"không đổi{tail}"
    return f"{'▲' if change > 0 else '▼'} {abs(int(change))} bậc{tail}"


def score_change_text(change: float | None, since: str | None = None) -> str:
    """"▲ 1,89 điểm" / "▼ 3,48 điểm" / "không đổi" (percentage points), with " so với <since>"."""
    if change is None or pd.isna(change):
        return "–"
    tail = f" so với {since}" if since else ""
    if round(float(change), 2) == 0:
        return f"không đổi{tail}"
    text = f"{abs(float(change)):.2f}".rstrip("0").rstrip(".").replace(".", ",")
    return f"{'▲' if change > 0 else '▼'} {text} điểm{tail}"


def scorecard_counts(scorecard: pd.DataFrame) -> dict[str, int]:
    """Goals per rating as printed in the table (e.g. {"Đạt": 18, "Không đạt": 3, "Chưa đạt": 2})."""
    return {str(k): int(v) for k, v in scorecard["rating"].value_counts().items()}
