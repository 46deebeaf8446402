"""Vietnamese text helpers: search keys, collation, number and date formatting.

Everything a user reads goes through these so that numbers look like `90,49%`
and `1.234`, dates like `31/03/2026` and quarters like `Quý II/2026`.
"""

from __future__ import annotations

import datetime as dt
import math
import re
import unicodedata

from unidecode import unidecode

_SPACES = re.compile(r"\s+")


def nfc(text: str) -> str:
    """NFC-normalised text with runs of white space (including line breaks) folded."""
    return _SPACES.sub(" ", unicodedata.normalize("NFC", text)).strip()


def search_key(text: str | None) -> str:
    """Accent- and case-insensitive key: "Khánh Hòa" -> "khanh hoa", "Đ" -> "d"."""
    if not text:
        return ""
    plain = unidecode(nfc(text)).casefold()
    plain = re.sub(r"[^0-9a-z%/]+", " ", plain)
    return _SPACES.sub(" ", plain).strip()


_ALPHA = "aăâbcdđeêfghijklmnoôơpqrstuưvwxyz"
_TONES = {"\u0300": 1, "\u0309": 2, "\u0303": 3, "\u0301": 4, "\u0323": 5}


def vi_sort_key(text: str) -> tuple[list[int], list[int]]:
    """Sort key in Vietnamese alphabetical order (d before đ, a < ă < â, tone second)."""
    primary: list[int] = []
    secondary: list[int] = []
    for ch in unicodedata.normalize("NFC", text.casefold()):
        decomposed = unicodedata.normalize("NFD", ch)
        secondary.append(next((_TONES[m] for m in decomposed[1:] if m in _TONES), 0))
        base = unicodedata.normalize("NFC", "".join(m for m in decomposed if m not in _TONES))
        if base in _ALPHA:
            primary.append(_ALPHA.index(base) + 1)
        elif base.isspace():
            primary.append(0)
        else:
            primary.append(100 + ord(base))
    return primary, secondary


def fmt_number(value: float | int | None, decimals: int = 0) -> str:
    """`1234.5` -> `1.234,5` (decimals fixed); None/NaN -> `–`."""
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return "–"
    text = f"{value:,.{decimals}f}"
    return text.replace(",", "\0").replace(".", ",").replace("\0", ".")


def fmt_decimal(value: float | int | None, max_decimals: int = 2) -> str:
    """Like fmt_number but drops trailing zeros: 90.49 -> `90,49`, 100.0 -> `100`."""
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return "–"
    text = fmt_number(value, max_decimals)
    if "," in text:
        text = text.rstrip("0").rstrip(",")
    return text


def fmt_pct(value: float | None, max_decimals: int = 2) -> str:
    """A value already in percent: 90.49 -> `90,49%`."""
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return "–"
    return f"{fmt_decimal(value, max_decimals)}%"


def fmt_date(value: dt.date | None) -> str:
    """`31/03/2026`; None -> `–`."""
    if value is None:
        return "–"
    return value.strftime("%d/%m/%Y")


def _missing(value: object) -> bool:
    return value is None or (isinstance(value, float) and math.isnan(value))


COMPARATOR_SIGNS = {">=": "≥", "<=": "≤", ">": ">", "<": "<", "=": "="}


def fmt_target(comparator: str | None, value: float | None, unit: str = "", base_year: int | None = None) -> str:
    """A target as read in the plans: `≥ 70%`, `= 100%`, `Top 15`, `Tăng ≥ 5 bậc so với 2024`; `–` when absent."""
    if _missing(comparator) or _missing(value):
        return "–"
    assert comparator is not None and value is not None
    if comparator == "top":
        return f"Top {fmt_decimal(value)}"
    if comparator == "rank_up":
        since = f" so với {base_year}" if base_year and not _missing(base_year) else ""
        return f"Tăng ≥ {fmt_decimal(value)} bậc{since}"
    tail = "%" if unit == "%" else (f" {unit}" if unit and not unit.startswith("hạng") else "")
    return f"{COMPARATOR_SIGNS.get(comparator, comparator)} {fmt_decimal(value)}{tail}"


def fmt_value(value: float | None, unit: str = "") -> str:
    """An indicator value with its unit: `90,49%`, `Hạng 10/63`, `1.234 số lượng`; `–` when absent."""
    if _missing(value):
        return "–"
    assert value is not None
    if unit == "%":
        return fmt_pct(value)
    if unit.startswith("hạng"):
        return f"Hạng {fmt_decimal(value)}{unit[4:]}"
    return f"{fmt_decimal(value)} {unit}".strip()


ROMAN = {1: "I", 2: "II", 3: "III", 4: "IV"}


def fmt_period(period: str) -> str:
    """`2026-Q2` -> `Quý II/2026`; `2024` -> `Năm 2024`."""
    match = re.fullmatch(r"(\d{4})-Q([1-4])", period)
    if match:
        return f"Quý {ROMAN[int(match.group(2))]}/{match.group(1)}"
    if re.fullmatch(r"\d{4}", period):
        return f"Năm {period}"
    return period
