"""Status taxonomy of tasks and RAG of indicators, as plain functions.

The official four-way taxonomy (Văn phòng Chính phủ) plus two statuses leaders ask
for. `status_sql.py` is the same rules in SQL (every page figure is computed there, for
speed); tests/test_status.py checks both agree on every task of the sample store.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass

DONE_ON_TIME = "hoan_thanh_dung_han"
DONE_LATE = "hoan_thanh_qua_han"
OPEN_ON_TIME = "chua_hoan_thanh_trong_han"
OPEN_OVERDUE = "chua_hoan_thanh_qua_han"
DUE_SOON = "sap_den_han"
NO_DEADLINE = "khong_co_han"

# Display order and labels; colours are used by every chart so a status looks the same everywhere.
STATUS_ORDER = (DONE_ON_TIME, DONE_LATE, OPEN_ON_TIME, DUE_SOON, OPEN_OVERDUE, NO_DEADLINE)
STATUS_LABELS = {
    DONE_ON_TIME: "Hoàn thành đúng hạn",
    DONE_LATE: "Hoàn thành quá hạn",
    OPEN_ON_TIME: "Chưa hoàn thành, trong hạn",
    DUE_SOON: "Sắp đến hạn",
    OPEN_OVERDUE: "Chưa hoàn thành, quá hạn",
    NO_DEADLINE: "Không có hạn cụ thể",
}
STATUS_COLOURS = {
    DONE_ON_TIME: "#1a7f37",
    DONE_LATE: "#7fbf7f",
    OPEN_ON_TIME: "#4a7ab8",
    DUE_SOON: "#e0a100",
    OPEN_OVERDUE: "#c62828",
    NO_DEADLINE: "#9e9e9e",
}
DONE_STATUSES = frozenset({DONE_ON_TIME, DONE_LATE})
DUE_SOON_DAYS = 30  # the default of the setting CCHC_DUE_SOON_DAYS (data_access/settings.py)


def due_soon_label(days: int | None) -> str:
    """The due-soon figure's label with its window, `Sắp đến hạn (30 ngày)`; without it when unknown
    (a snapshot frozen before the window was recorded)."""
    return STATUS_LABELS[DUE_SOON] if days is None else f"{STATUS_LABELS[DUE_SOON]} ({days} ngày)"


def assignment_status(
    deadline: dt.date | None,
    completed_on: dt.date | None,
    as_of: dt.date,
    due_soon_days: int = DUE_SOON_DAYS,
) -> str:
    """Status of one assignment as of `as_of`.

    Completed on or before the deadline -> on time; after it -> late. Not completed:
    no deadline -> NO_DEADLINE (never overdue); deadline before `as_of` -> overdue;
    deadline within `due_soon_days` of `as_of` (the deadline day included) -> due soon;
    otherwise on time.
    """
    if completed_on is not None and completed_on <= as_of:
        if deadline is None or completed_on <= deadline:
            return DONE_ON_TIME
        return DONE_LATE
    if deadline is None:
        return NO_DEADLINE
    if deadline < as_of:
        return OPEN_OVERDUE
    if (deadline - as_of).days <= due_soon_days:
        return DUE_SOON
    return OPEN_ON_TIME


def task_completed_on(lead_completions: Iterable[dt.date | None]) -> dt.date | None:
    """A task is complete when every lead has completed; its date is the last lead's.

    A task with no lead at all is not complete.
    """
    dates = list(lead_completions)
    if not dates or any(d is None for d in dates):
        return None
    return max(d for d in dates if d is not None)


def task_status(
    deadline: dt.date | None,
    lead_completions: Iterable[dt.date | None],
    as_of: dt.date,
    due_soon_days: int = DUE_SOON_DAYS,
) -> str:
    """Status of a task from its leads' completion dates (only those visible at `as_of`)."""
    visible = [d if d is not None and d <= as_of else None for d in lead_completions]
    return assignment_status(deadline, task_completed_on(visible), as_of, due_soon_days)


def days_overdue(deadline: dt.date | None, as_of: dt.date) -> int:
    """Whole days past the deadline (0 when not overdue or no deadline)."""
    if deadline is None or deadline >= as_of:
        return 0
    return (as_of - deadline).days


@dataclass(frozen=True)
class AgeingBucket:
    """How long an open task is past its deadline: `first_day`..`last_day` whole days (None: no end).

    `key` is the column of `queries.overdue_by_agency` counting it; `label` and `colour` are what
    every table, chart and slide shows for it.
    """

    key: str
    label: str
    first_day: int
    last_day: int | None
    colour: str


# The one list of ageing buckets: the SQL counts, the tables, the charts and the slides all read it.
AGEING = (
    AgeingBucket("d1_30", "1-30 ngày", 1, 30, "#f2b134"),
    AgeingBucket("d31_90", "31-90 ngày", 31, 90, "#e06d2a"),
    AgeingBucket("d90_plus", "Trên 90 ngày", 91, None, "#b71c1c"),
)


def ageing_bucket(days: int) -> AgeingBucket:
    """The bucket of an item `days` (>= 1) past its deadline."""
    for bucket in AGEING:
        if bucket.last_day is None or days <= bucket.last_day:
            return bucket
    raise AssertionError("the last ageing bucket has no end")


# --- indicators -----------------------------------------------------------------

GREEN, AMBER, RED, GREY = "xanh", "vang", "do", "xam"
RAG_LABELS = {GREEN: "Đạt", AMBER: "Gần đạt", RED: "Chưa đạt", GREY: "Chưa có số liệu kỳ này"}
RAG_COLOURS = {GREEN: "#1a7f37", AMBER: "#e0a100", RED: "#c62828", GREY: "#9e9e9e"}
RAG_ORDER = (RED, AMBER, GREEN, GREY)


def rag(
    value: float | None,
    comparator: str,
    target: float,
    direction: str = "up",
    amber_margin: float = 0.05,
) -> str:
    """RAG of a value against a target.

    comparator: ">=", ">", "<=", "<", "=" or "top" (a rank: `top 15` is met by rank <= 15).
    Green when met. Amber when within `amber_margin` (relative; for ranks, within
    5 places) on the right side of the gap. Red otherwise. Grey when there is no value.
    For "=" the direction decides which side is short: for a higher-is-better
    indicator, "= 100%" is met by 100 and amber from 95.
    """
    if value is None:
        return GREY
    if comparator == "top":
        if value <= target:
            return GREEN
        return AMBER if value <= target + 5 else RED
    lower_is_better = comparator in ("<=", "<") or (comparator == "=" and direction == "down")
    met = {
        ">=": value >= target,
        ">": value > target,
        "<=": value <= target,
        "<": value < target,
        "=": (value <= target) if lower_is_better else (value >= target),
    }.get(comparator)
    if met is None:
        raise ValueError(f"Unknown comparator {comparator!r}")
    if met:
        return GREEN
    margin = abs(target) * amber_margin if target else amber_margin
    gap = (value - target) if lower_is_better else (target - value)
    return AMBER if gap <= margin else RED


def gap(value: float | None, comparator: str, target: float, direction: str = "up") -> float | None:
    """Signed distance to the target, positive when short of it (ranks: places to climb)."""
    if value is None:
        return None
    if comparator == "top":
        return max(0.0, value - target)
    lower_is_better = comparator in ("<=", "<") or (comparator == "=" and direction == "down")
    short = (value - target) if lower_is_better else (target - value)
    return max(0.0, short)
