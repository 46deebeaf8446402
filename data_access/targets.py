"""Targets judged the way their documents word them: the pure rules and the one read function.

A target (`models.Target`) belongs to a year and is judged only with a value of that year:
the latest value of its indicator whose period lies inside the year and has ended by the
as-of date (an annual value, else the latest quarter). A value of another year never rates
it; without one the rating is `chua_co_so_lieu` (grey), never a stale green.

Ratings (`rate`):
- `dat`: the value meets the target;
- `gan_dat` (gần đạt): not met, and short by at most 5% of the target value (relative; e.g.
  66,5% against "≥ 70%"), or by at most 2 places for a rank;
- `chua_dat`: short by more;
- `chua_co_so_lieu`: no value of the target's year (or, for "rank_up", no rank of the base year).

Comparators: ">=", ">", "<=", "<", "=" (for a higher-is-better indicator "= 100%" is met by 100),
"top" (rank <= N) and "rank_up" (rank improves by at least N places on the rank of `base_year`:
"up >= 5 places from 10" is met by rank <= 5). An "or" target lists alternatives; it is met
when any alternative is met.

When the document itself rates the goal (the five-year report's Phụ lục 9, Đạt / Không đạt)
and gives no figure of the target's year, that rating is used, with its citation, and the
period reads "Đánh giá của văn bản".
"""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Sequence
from dataclasses import asdict, dataclass, field, replace
from typing import Any

import pandas as pd
from sqlalchemy import select
from sqlalchemy.engine import Engine

from data_access import forecast as fc
from data_access import status
from data_access.tables import IN, IV, TG

DAT = "dat"
GAN_DAT = "gan_dat"
CHUA_DAT = "chua_dat"
CHUA_CO_SO_LIEU = "chua_co_so_lieu"
RATINGS = (CHUA_DAT, GAN_DAT, CHUA_CO_SO_LIEU, DAT)  # display order: the worst first
RATING_LABELS = {DAT: "Đạt", GAN_DAT: "Gần đạt", CHUA_DAT: "Chưa đạt", CHUA_CO_SO_LIEU: "Chưa có số liệu kỳ này"}
RATING_TO_RAG = {DAT: status.GREEN, GAN_DAT: status.AMBER, CHUA_DAT: status.RED, CHUA_CO_SO_LIEU: status.GREY}
NEAR_SHARE = 0.05  # gần đạt: short by at most 5% of the target value
NEAR_PLACES = 2  # gần đạt for ranks: at most 2 places short
OFFICIAL_PERIOD = "Đánh giá của văn bản"
RANK_COMPARATORS = ("top", "rank_up")


def rate(value: float | None, comparator: str, target: float, direction: str = "up",
         base_value: float | None = None) -> tuple[str, float | None]:
    """(rating, gap) of `value` against a target; gap > 0 is the shortfall (places for ranks), 0 when met.

    Raises ValueError on an unknown comparator.
    """
    if comparator == "rank_up":
        if base_value is None:
            return CHUA_CO_SO_LIEU, None
        return rate(value, "top", base_value - target)
    if value is None:
        return CHUA_CO_SO_LIEU, None
    if comparator == "top":
        short = max(0.0, value - target)
        return (DAT if short == 0 else GAN_DAT if short <= NEAR_PLACES else CHUA_DAT), short
    lower_is_better = comparator in ("<=", "<") or (comparator == "=" and direction == "down")
    met = {
        ">=": value >= target, ">": value > target, "<=": value <= target, "<": value < target,
        "=": (value <= target) if lower_is_better else (value >= target),
    }.get(comparator)
    if met is None:
        raise ValueError(f"Unknown comparator {comparator!r}")
    if met:
        return DAT, 0.0
    short = (value - target) if lower_is_better else (target - value)
    near = abs(target) * NEAR_SHARE
    return (GAN_DAT if near and short <= near else CHUA_DAT), short


def combine_alternatives(ratings: Sequence[str]) -> str:
    """The rating of an "or" target from its alternatives' ratings: met when any is met.

    Without a met alternative, an alternative without data might still meet it: no conclusion.
    """
    if DAT in ratings:
        return DAT
    if CHUA_CO_SO_LIEU in ratings:
        return CHUA_CO_SO_LIEU
    return GAN_DAT if GAN_DAT in ratings else CHUA_DAT


@dataclass(frozen=True)
class YearValue:
    """The value judging a target of `year`, with where it comes from."""

    value: float
    period: str
    source: str
    upload_id: int | None
    is_sample: bool
    is_derived: bool


def pick_value(values: pd.DataFrame, year: int, as_of: dt.date) -> YearValue | None:
    """The latest value inside `year` whose period has ended by `as_of` (None when there is none).

    `values`: one indicator's rows with period, period_start, period_end, value, source,
    upload_id, is_sample, is_derived, id. Ties on the period end prefer a value from a
    document or an upload over a generated one, then the newest record.
    """
    if values.empty:
        return None
    start, end = dt.date(year, 1, 1), dt.date(year, 12, 31)
    inside = values[(values["period_start"] >= start) & (values["period_end"] <= min(end, as_of))]
    if inside.empty:
        return None
    best = inside.sort_values(["period_end", "is_sample", "id"], ascending=[False, True, False]).iloc[0]
    upload = best["upload_id"]
    return YearValue(float(best["value"]), str(best["period"]), str(best["source"] or ""),
                     None if pd.isna(upload) else int(upload), bool(best["is_sample"]), bool(best["is_derived"]))


@dataclass(frozen=True)
class Alternative:
    indicator_code: str
    indicator_name: str
    comparator: str
    target: float
    unit: str
    value: float | None
    period: str | None
    sample: bool
    rating: str


@dataclass(frozen=True)
class TargetResult:
    """One target judged at an as-of date (see the module docstring)."""

    target_id: int
    code: str
    label: str
    indicator_id: int
    indicator_code: str
    indicator_name: str
    field_code: str | None
    unit: str
    direction: str
    year: int
    comparator: str
    target: float
    base_year: int | None
    base_value: float | None
    deadline: dt.date | None
    value: float | None
    period: str | None
    value_source: str
    value_upload_id: int | None
    sample: bool
    derived: bool
    rating: str
    gap: float | None
    document: str
    seed_file: str
    seed_line: int | None
    seed_line_end: int | None
    quote: str
    official_rating: str
    official_note: str
    note: str
    alternatives: list[Alternative] = field(default_factory=list)
    # Trajectory and forecast (data_access/forecast.py); baseline = base-year value or the earliest before `year`.
    baseline_period: str | None = None
    baseline_value: float | None = None
    expected_now: float | None = None
    projected: float | None = None
    trend_ratio: float | None = None
    trend_category: str = fc.CHUA_DU
    trend_reason: str = fc.NOT_ENOUGH
    trend_sample: bool = False

    @property
    def rag(self) -> str:
        return RATING_TO_RAG[self.rating]

    @property
    def trend_label(self) -> str:
        return fc.TREND_LABELS[self.trend_category]

    @property
    def at_risk(self) -> bool:
        """Nguy cơ không đạt: not met, and going backwards or making limited progress."""
        return self.rating != DAT and self.trend_category in fc.AT_RISK

    def to_json(self) -> dict[str, Any]:
        """The `targets --json` object (see README)."""
        source: dict[str, Any] = {"document": self.document, "seed": self.seed_file, "line": self.seed_line,
                                  "line_end": self.seed_line_end, "quote": self.quote}
        return {
            "code": self.code, "label": self.label,
            "indicator": {"code": self.indicator_code, "name": self.indicator_name, "unit": self.unit},
            "year": self.year, "comparator": self.comparator, "target": self.target,
            "base_year": self.base_year, "base_value": self.base_value,
            "deadline": self.deadline.isoformat() if self.deadline else None,
            "alternatives": [asdict(a) for a in self.alternatives],
            "value": self.value, "period": self.period, "rating": self.rating, "gap": self.gap,
            "value_source": {"upload": self.value_upload_id} if self.value_upload_id else {"text": self.value_source},
            "source": source, "sample": self.sample, "derived": self.derived,
            "official": {"rating": self.official_rating, "note": self.official_note} if self.official_rating else None,
            "note": self.note,
            "baseline": {"period": self.baseline_period, "value": self.baseline_value}
            if self.baseline_period else None,
            "expected_now": self.expected_now, "projected": self.projected,
            "trend_category": self.trend_category, "trend_label": self.trend_label, "trend_ratio": self.trend_ratio,
            "trend_reason": self.trend_reason, "trend_sample": self.trend_sample, "at_risk": self.at_risk,
        }


def _values(engine: Engine, indicator_ids: Sequence[int], as_of: dt.date) -> dict[int, pd.DataFrame]:
    stmt = (select(IV.c.id, IV.c.indicator_id, IV.c.period, IV.c.period_start, IV.c.period_end, IV.c.value,
                   IV.c.source, IV.c.upload_id, IV.c.is_sample, IV.c.is_derived)
            .where(IV.c.indicator_id.in_(list(indicator_ids)), IV.c.period_end <= as_of))
    with engine.connect() as conn:
        df = pd.DataFrame(conn.execute(stmt).mappings().all(),
                          columns=["id", "indicator_id", "period", "period_start", "period_end", "value", "source",
                                   "upload_id", "is_sample", "is_derived"])
    for col in ("period_start", "period_end"):
        df[col] = [v if isinstance(v, dt.date) else dt.date.fromisoformat(str(v)) for v in df[col]]
    return {int(str(k)): g for k, g in df.groupby("indicator_id")}


def target_results(engine: Engine, as_of: dt.date, years: tuple[int, ...] = (2025, 2026)) -> list[TargetResult]:
    """Every target of `years`, judged at `as_of`: the one read behind the Chỉ tiêu page and `targets --json`.

    Ordered by rating (worst first), then year and code.
    """
    with engine.connect() as conn:
        targets = conn.execute(select(TG).where(TG.c.year.in_(years)).order_by(TG.c.year, TG.c.code, TG.c.id)).mappings().all()
        indicators = {int(r["id"]): r for r in conn.execute(select(IN)).mappings().all()}
    by_code = {str(r["code"]): r for r in indicators.values()}
    alternatives = {int(row["id"]): json.loads(row["alternatives"]) if row["alternatives"] else [] for row in targets}
    wanted = {int(r["indicator_id"]) for r in targets}
    wanted |= {int(by_code[a["indicator"]]["id"]) for alts in alternatives.values() for a in alts}
    values = _values(engine, sorted(wanted), as_of)
    empty = pd.DataFrame()
    out: list[TargetResult] = []
    for row in targets:
        ind = indicators[int(row["indicator_id"])]
        year, comparator, target = int(row["year"]), str(row["comparator"]), float(row["value"])
        own = values.get(int(ind["id"]), empty)
        picked = pick_value(own, year, as_of)
        base_value = None
        if comparator == "rank_up" and row["base_year"] is not None:
            base = pick_value(own, int(row["base_year"]), as_of)
            base_value = base.value if base else None
        rating, gap = rate(picked.value if picked else None, comparator, target, str(ind["direction"]), base_value)
        period = picked.period if picked else None
        if picked is None and row["official_rating"]:
            rating, period = str(row["official_rating"]), OFFICIAL_PERIOD
        alts: list[Alternative] = []
        if alternatives[int(row["id"])]:
            alts.append(Alternative(str(ind["code"]), str(ind["name"]), comparator, target, str(ind["unit"]),
                                    picked.value if picked else None, period, bool(picked and picked.is_sample), rating))
            for a in alternatives[int(row["id"])]:
                alt_ind = by_code[a["indicator"]]
                alt_value = pick_value(values.get(int(alt_ind["id"]), empty), year, as_of)
                alt_rating, _ = rate(alt_value.value if alt_value else None, a["comparator"], float(a["value"]),
                                     str(alt_ind["direction"]))
                alts.append(Alternative(str(alt_ind["code"]), str(alt_ind["name"]), a["comparator"],
                                        float(a["value"]), str(alt_ind["unit"]),
                                        alt_value.value if alt_value else None, alt_value.period if alt_value else None,
                                        bool(alt_value and alt_value.is_sample), alt_rating))
            rating = combine_alternatives([a.rating for a in alts])
        out.append(TargetResult(
            target_id=int(row["id"]), code=str(row["code"]), label=str(row["label"] or ind["name"]),
            indicator_id=int(ind["id"]), indicator_code=str(ind["code"]), indicator_name=str(ind["name"]),
            field_code=ind["field_code"], unit=str(ind["unit"]), direction=str(ind["direction"]),
            year=year, comparator=comparator, target=target,
            base_year=row["base_year"], base_value=base_value, deadline=row["deadline"],
            value=picked.value if picked else None, period=period,
            value_source=picked.source if picked else (str(row["official_note"]) if row["official_rating"] else ""),
            value_upload_id=picked.upload_id if picked else None,
            sample=bool(picked and picked.is_sample) or any(a.sample for a in alts),
            derived=bool(picked and picked.is_derived), rating=rating, gap=gap,
            document=str(row["source"]), seed_file=str(row["seed_file"]), seed_line=row["seed_line"],
            seed_line_end=row["seed_line_end"], quote=str(row["source_quote"]),
            official_rating=str(row["official_rating"]), official_note=str(row["official_note"]),
            note=str(row["note"]), alternatives=alts,
        ))
    order = {r: n for n, r in enumerate(RATINGS)}
    return sorted(out, key=lambda r: (order[r.rating], r.year, r.code))


def natural_limits(unit: str) -> tuple[float | None, float | None]:
    """The values an indicator of `unit` can take: a rate lies in [0, 100], a rank is at least 1."""
    if unit == "%":
        return 0.0, 100.0
    if unit.startswith("hạng"):
        return 1.0, None
    return 0.0, None


def baseline_row(values: pd.DataFrame, year: int, base_year: int | None, as_of: dt.date) -> pd.Series | None:
    """The baseline of a target of `year`: the base year's value (as `pick_value` picks it), else the
    earliest value of the indicator whose period ended before `year` (a document's figure before a
    generated one). None when there is none."""
    if values.empty:
        return None
    if base_year is not None:
        start, end = dt.date(base_year, 1, 1), dt.date(base_year, 12, 31)
        pool = values[(values["period_start"] >= start) & (values["period_end"] <= min(end, as_of))]
        order, asc = ["period_end", "is_sample", "id"], [False, True, False]
    else:
        pool = values[values["period_end"] < dt.date(year, 1, 1)]
        order, asc = ["period_end", "is_sample", "id"], [True, True, False]
    if pool.empty:
        return None
    return pool.sort_values(order, ascending=asc).iloc[0]


def _is_annual(period: str) -> bool:
    return period.isdigit()


PLAN_TREND_REASON = "chưa đủ số liệu để dự báo (tỷ lệ tính từ tiến độ kế hoạch trong năm, không so được với năm trước)"


def trend_of(result: TargetResult, values: pd.DataFrame, as_of: dt.date, from_plan: bool = False) -> dict[str, Any]:
    """The forecast fields of one target (the keyword arguments for `dataclasses.replace`).

    Observed points: the indicator's values after the baseline whose period has ended by `as_of`,
    of the baseline's kind of period (annual or quarterly), one per period end (a document's figure before a generated one). An "or" target or a target
    without a baseline gets "chưa đủ số liệu để dự báo". The forecast is a sample when its
    baseline or any point is.
    """
    if from_plan:
        # A plan's completion share restarts with each plan: a trend across years would mean nothing.
        return {"trend_reason": PLAN_TREND_REASON}
    base = baseline_row(values, result.year, result.base_year, as_of)
    target = result.target
    if result.comparator == "rank_up":
        if result.base_value is None:
            return {}
        target = result.base_value - result.target
    if base is None or result.alternatives:
        return {"baseline_period": None if base is None else str(base["period"]),
                "baseline_value": None if base is None else float(base["value"])}
    base_end = base["period_end"]
    after = values[(values["period_end"] > base_end) & (values["period_end"] <= as_of)]
    # Same kind of period as the baseline only: a quarter's year-to-date figure (8,06% in Q1) is no
    # point on a line through annual figures (100% a year).
    annual = _is_annual(str(base["period"]))
    after = after[after["period"].map(lambda p: _is_annual(str(p)) == annual).astype(bool)]
    after = after.sort_values(["period_end", "is_sample", "id"], ascending=[True, True, False])
    after = after.drop_duplicates("period_end", keep="first")
    points = [(d, float(v)) for d, v in zip(after["period_end"], after["value"], strict=True)]
    sample = bool(base["is_sample"]) or bool(after["is_sample"].any())
    target_date = result.deadline or dt.date(result.year, 12, 31)
    f = fc.forecast((base_end, float(base["value"])), target_date, target, result.comparator, points, as_of,
                    result.direction, natural_limits(result.unit), sample)
    category, ratio = f.trend_category, f.ratio
    if result.rating == DAT:
        category = fc.DA_DAT  # "Đã đạt" beside the rating Đạt, and only there
    elif category == fc.DA_DAT:
        # An earlier value met the target, but none of the target's year does yet: the trend holds.
        category = fc.DUNG_HUONG
    return {"baseline_period": str(base["period"]), "baseline_value": float(base["value"]),
            "expected_now": f.expected_now, "projected": f.projected, "trend_ratio": ratio,
            "trend_category": category, "trend_reason": f.reason, "trend_sample": f.sample}


def target_trends(engine: Engine, as_of: dt.date, years: tuple[int, ...] = (2025, 2026)) -> list[TargetResult]:
    """`target_results` with the trajectory and forecast filled in, the at-risk targets first
    ("nguy cơ không đạt"), then in `target_results`' order. The read behind `targets --json` and the Chỉ tiêu page.
    """
    results = target_results(engine, as_of, years)
    values = _values(engine, sorted({r.indicator_id for r in results}), as_of)
    with engine.connect() as conn:
        from_plan = {int(i) for i in conn.execute(select(IN.c.id).where(
            IN.c.plan_id.is_not(None))).scalars()}
    empty = pd.DataFrame()
    out = []
    for r in results:
        fields = trend_of(r, values.get(r.indicator_id, empty), as_of, r.indicator_id in from_plan)
        if r.rating == DAT:  # met is met, with or without a trend to show
            fields.update(trend_category=fc.DA_DAT, trend_reason="")
        out.append(replace(r, **fields))
    return sorted(out, key=lambda r: not r.at_risk)


BOARD_COLUMNS = [
    "target_id", "code", "label", "indicator_id", "indicator_code", "indicator_name", "field_code", "unit",
    "direction", "year", "comparator", "target", "base_year", "base_value", "deadline", "value", "period",
    "value_source", "sample", "derived", "rating", "rag", "gap", "document", "seed_file", "seed_line",
    "seed_line_end", "quote", "official_rating", "official_note", "note", "alternatives",
    "baseline_period", "baseline_value", "expected_now", "projected", "trend_ratio", "trend_category",
    "trend_label", "trend_reason", "trend_sample", "at_risk",
]


def target_board(engine: Engine, as_of: dt.date, years: tuple[int, ...] = (2025, 2026)) -> pd.DataFrame:
    """`target_trends` as a frame (one row per target, same order: at risk first), for the pages."""
    rows = [{**{k: getattr(r, k) for k in BOARD_COLUMNS if k not in ("rag", "alternatives")},
             "rag": r.rag, "alternatives": [asdict(a) for a in r.alternatives]}
            for r in target_trends(engine, as_of, years)]
    return pd.DataFrame(rows, columns=BOARD_COLUMNS)


@dataclass(frozen=True)
class Passport:
    """What an indicator is and where its figures come from (the Chỉ tiêu page's "Hộ chiếu chỉ số")."""

    code: str
    name: str
    unit: str
    direction: str  # Vietnamese: "Cao hơn là tốt hơn" / "Thấp hơn là tốt hơn"
    limits: str  # e.g. "0-100%", "từ hạng 1"
    source: str  # the indicator's documented source (seed file / line as recorded), or "" when none
    frequency: str  # "Năm", "Quý", "Năm và quý" from the periods it has values for; "" without values
    from_plan: bool  # computed from a plan's tasks
    values: int
    official: int  # values from a document or an upload (neither generated nor derived)
    derived: int
    sample: int


def indicator_passport(engine: Engine, indicator_id: int) -> Passport | None:
    """The passport of one indicator (None when there is no such indicator). Counts are over all its values."""
    with engine.connect() as conn:
        ind = conn.execute(select(IN).where(IN.c.id == indicator_id)).mappings().first()
        if ind is None:
            return None
        rows = conn.execute(select(IV.c.period, IV.c.is_sample, IV.c.is_derived)
                            .where(IV.c.indicator_id == indicator_id)).all()
    unit = str(ind["unit"])
    _, hi = natural_limits(unit)
    limits = ("0-100%" if hi == 100.0 else "từ hạng 1" if unit.startswith("hạng") else "không âm")
    kinds = {_is_annual(str(r.period)) for r in rows}
    frequency = {frozenset({True}): "Năm", frozenset({False}): "Quý"}.get(frozenset(kinds), "Năm và quý" if kinds else "")
    sample = sum(bool(r.is_sample) for r in rows)
    derived = sum(bool(r.is_derived) and not r.is_sample for r in rows)
    return Passport(str(ind["code"]), str(ind["name"]), unit,
                    "Thấp hơn là tốt hơn" if ind["direction"] == "down" or unit.startswith("hạng") else "Cao hơn là tốt hơn",
                    limits, str(ind["source"] or ""), frequency, ind["plan_id"] is not None, len(rows),
                    len(rows) - sample - derived, derived, sample)
