"""Reporting periods and the parser for deadlines as written in the plans."""

from __future__ import annotations

import calendar
import datetime as dt
import re
from dataclasses import dataclass

from data_access.vn import search_key

_PERIOD = re.compile(r"^(\d{4})(?:-Q([1-4]))?$")
# Quarter numerals as written ("Quý III/2026", on search keys: lower case, no accents); the display
# text of a period ("Quý III/2026") is `vn.fmt_period`.
ROMAN_QUARTERS = {"i": 1, "ii": 2, "iii": 3, "iv": 4}


def quarter_number(numeral: str) -> int:
    """`iii` or `3` -> 3 (a quarter as written in a search key)."""
    return int(numeral) if numeral.isdigit() else ROMAN_QUARTERS[numeral]


def period_bounds(period: str) -> tuple[dt.date, dt.date]:
    """First and last day of `YYYY` or `YYYY-Qn`; ValueError otherwise."""
    match = _PERIOD.match(period.strip())
    if not match:
        raise ValueError(f"Kỳ báo cáo không hợp lệ: {period!r} (dạng đúng: 2026-Q3 hoặc 2026)")
    year = int(match.group(1))
    if match.group(2) is None:
        return dt.date(year, 1, 1), dt.date(year, 12, 31)
    quarter = int(match.group(2))
    first_month = 3 * quarter - 2
    last_month = 3 * quarter
    return (
        dt.date(year, first_month, 1),
        dt.date(year, last_month, calendar.monthrange(year, last_month)[1]),
    )


def normalise_period(text: str) -> str:
    """Accept `2026-Q3`, `2026Q3`, `Q3/2026`, `Quý III/2026`, `quý 3 năm 2026`; return `2026-Q3`.

    A bare year (`2026`) is returned as is. ValueError (Vietnamese message) otherwise.
    """
    key = search_key(text).replace(" nam ", "/").replace(" ", "")
    match = re.fullmatch(r"(\d{4})q([1-4])", key)
    if match:
        return f"{match.group(1)}-Q{match.group(2)}"
    match = re.fullmatch(r"(?:quy|q)(iv|iii|ii|i|[1-4])/?(\d{4})", key)
    if match:
        return f"{match.group(2)}-Q{quarter_number(match.group(1))}"
    if re.fullmatch(r"\d{4}", key):
        return key
    raise ValueError(f"Kỳ báo cáo không hợp lệ: {text!r} (dạng đúng: 2026-Q3)")


def quarter(period: str) -> str:
    """`period` normalised and checked to be a quarter (`2026-Q3`); ValueError (Vietnamese) otherwise."""
    normal = normalise_period(period)
    if "-Q" not in normal:
        raise ValueError(f"Kỳ báo cáo phải là một quý (ví dụ: 2026-Q3 hoặc Quý III/2026), không phải '{period}'.")
    return normal


def period_of(day: dt.date) -> str:
    return f"{day.year}-Q{(day.month - 1) // 3 + 1}"


def previous_quarter(period: str) -> str:
    start, _ = period_bounds(period)
    return period_of(start - dt.timedelta(days=1))


@dataclass(frozen=True)
class Deadline:
    date: dt.date | None
    kind: str  # date / month / quarter / year / recurring / dependent / other


def _month_end(year: int, month: int) -> dt.date:
    return dt.date(year, month, calendar.monthrange(year, month)[1])


def parse_deadline(text: str | None) -> Deadline:
    """The computed end date of a deadline as written.

    `Quý II/2024` -> 30/06/2024; `Trước ngày 31/3/2026` -> 31/03/2026;
    `Tháng 02/2024` -> 29/02/2024; `Trong năm 2025` -> 31/12/2025;
    `Thường xuyên` -> no date (recurring); `Theo tiến độ của Trung ương` -> no date
    (dependent). When several deadlines are listed (`a | b` or one per line), the
    latest dated one counts.
    """
    if not text or not text.strip():
        return Deadline(None, "other")
    parsed = [_parse_one(part) for part in re.split(r"\||\n", text) if part.strip()]
    dated = [d for d in parsed if d.date is not None]
    if dated:
        return max(dated, key=lambda d: d.date or dt.date.min)
    return parsed[0] if parsed else Deadline(None, "other")


def _parse_one(text: str) -> Deadline:
    key = re.sub(r"\s*/+\s*", "/", search_key(text))
    key = key.lstrip("- ").strip()
    # "Theo Quyết định số ... ngày 19/5/2023" cites a document: not a deadline.
    if key.startswith(("theo", "sau ", "trien khai sau")):
        return Deadline(None, "dependent")
    if "thuong xuyen" in key or "lien tuc" in key:
        return Deadline(None, "recurring")
    match = re.search(r"(\d{1,2})/(\d{1,2})/(\d{4})", key)
    if match:
        d, m, y = (int(g) for g in match.groups())
        try:
            return Deadline(dt.date(y, m, d), "date")
        except ValueError:
            return Deadline(None, "other")
    match = re.search(r"quy (iv|iii|ii|i|[1-4])(?:/| nam )(\d{4})", key)
    if match:
        return Deadline(_month_end(int(match.group(2)), 3 * quarter_number(match.group(1))), "quarter")
    match = re.search(r"thang (\d{1,2})(?:/| nam )(\d{4})", key)
    if match and 1 <= int(match.group(1)) <= 12:
        return Deadline(_month_end(int(match.group(2)), int(match.group(1))), "month")
    years = [int(y) for y in re.findall(r"\b(20\d{2})\b", key)]
    if years:
        return Deadline(dt.date(max(years), 12, 31), "year")
    return Deadline(None, "other")
