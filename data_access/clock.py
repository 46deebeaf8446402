"""Vietnam time: the one clock of the application.

The server may run in any time zone (containers usually run in UTC); a leader in Khánh Hòa
reads dates in Asia/Ho_Chi_Minh (UTC+7). Between 00:00 and 07:00 Vietnam time the server's
`date.today()` in UTC is still yesterday, which made overdue counts lag a day. Every
user-facing "today" and every timestamp shown goes through this module.
"""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

VN_TZ = ZoneInfo("Asia/Ho_Chi_Minh")


def now_utc() -> dt.datetime:
    """The current instant, timezone-aware (UTC). The single clock: tests monkeypatch this."""
    return dt.datetime.now(dt.UTC)


def now_vn() -> dt.datetime:
    """The current instant in Vietnam time (aware, UTC+7)."""
    return now_utc().astimezone(VN_TZ)


def today_vn() -> dt.date:
    """Today's date in Vietnam, whatever the server's clock zone."""
    return now_vn().date()


def to_vn(value: dt.datetime | str) -> dt.datetime:
    """A stored timestamp in Vietnam time; naive values are taken as UTC (how SQLite returns them),
    strings as ISO 8601."""
    if isinstance(value, str):
        value = dt.datetime.fromisoformat(value)
    if value.tzinfo is None:
        value = value.replace(tzinfo=dt.UTC)
    return value.astimezone(VN_TZ)


def fmt_datetime(value: dt.datetime | str | None) -> str:
    """`31/03/2026 14:05` in Vietnam time; None -> `–`. Strings are read as ISO 8601."""
    if value is None:
        return "–"
    if isinstance(value, str):
        value = dt.datetime.fromisoformat(value)
    return to_vn(value).strftime("%d/%m/%Y %H:%M")
