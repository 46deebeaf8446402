"""Cell values of a return: how a cell's content becomes a number, a percentage, a date or a period.

Pipeline: xlsx_safety -> xlsx_reader (sheets -> rows, using cell_values (this module), return_columns
and status_text) -> matching -> importer (planning: preview/plan_import; apply_import, undo_upload)
-> upload history.

Pure functions, no Streamlit, no database. The `parse_*` functions return None for a blank cell and
raise ValueError with a Vietnamese message (naming the value as the user sees it, `cell_text`) for
a value that is not what the column asks for; the reader turns that message into a CellError.
"""

from __future__ import annotations

import datetime as dt
import math
import re
import unicodedata
from functools import lru_cache
from typing import Any

from unidecode import unidecode

from data_access.periods import normalise_period, quarter_number
from data_access.status_text import dates_in
from data_access.vn import nfc, search_key

_NUMBER_CHARS = re.compile(r"[-+]?[0-9][0-9.,]*")
_THOUSANDS_DOT = re.compile(r"[1-9][0-9]{0,2}(?:\.[0-9]{3})+")
_THOUSANDS_COMMA = re.compile(r"[1-9][0-9]{0,2}(?:,[0-9]{3})+\.[0-9]+")


def _parse_number_text(text: str) -> tuple[float, bool]:
    """`1.234,5` -> (1234.5, True); `90,49` -> 90.49; `1.234` -> 1234 (Vietnamese thousands).

    Returns the value and whether the text had a decimal separator. ValueError if
    the text is not a plain number.
    """
    compact = text.replace("\u00a0", "").replace(" ", "")
    if not _NUMBER_CHARS.fullmatch(compact):
        raise ValueError(text)
    sign = ""
    if compact[0] in "+-":
        sign, compact = compact[0], compact[1:]
    if "," in compact and "." in compact:
        if compact.rfind(",") > compact.rfind("."):  # 1.234,5
            if not re.fullmatch(r"[0-9]{1,3}(?:\.[0-9]{3})+,[0-9]+", compact):
                raise ValueError(text)
            compact = compact.replace(".", "").replace(",", ".")
        else:  # 1,234.5
            if not _THOUSANDS_COMMA.fullmatch(compact):
                raise ValueError(text)
            compact = compact.replace(",", "")
        return float(sign + compact), True
    if "," in compact:
        if compact.count(",") > 1:
            raise ValueError(text)
        return float(sign + compact.replace(",", ".")), True
    if "." in compact:
        if _THOUSANDS_DOT.fullmatch(compact):
            return float(sign + compact.replace(".", "")), False
        if compact.count(".") > 1:
            raise ValueError(text)
        return float(sign + compact), True
    return float(sign + compact), False


def parse_number(value: object) -> float | None:
    """A number as written in Vietnamese (`1.234,5`, `90,49`) or a numeric cell; blank -> None."""
    if value is None:
        return None
    if isinstance(value, bool):
        raise ValueError(f"{cell_text(value)} không phải là số hợp lệ")  # noqa: TRY004 - a cell value, not a bug
    if isinstance(value, (int, float)):
        if isinstance(value, float) and not math.isfinite(value):
            raise ValueError(f"{cell_text(value)} không phải là số hợp lệ")
        return float(value)
    text = nfc(str(value))
    if not text:
        return None
    try:
        return _parse_number_text(text)[0]
    except ValueError:
        raise ValueError(f"{text} không phải là số hợp lệ") from None


def parse_percent(value: object) -> float | None:
    """Progress in percent, 0..100; blank -> None; ValueError (Vietnamese) otherwise.

    `80%`, `80 %`, `80` -> 80; `60,5` / `60.5` -> 60.5; a fraction written with a
    decimal separator and at most 1 (`0,8`, `1,0`) -> 80 / 100. A numeric cell
    between 0 and 1 is read as a fraction too (that is what Excel stores for a
    cell formatted as percent: 80% -> 0.8, 100% -> 1.0).
    """
    if value is None:
        return None
    if type(value) is str:
        return _percent_text(value)  # cached: a return repeats a handful of texts ("100%", "40%")
    if isinstance(value, bool):
        raise ValueError(f"{cell_text(value)} không phải là tỷ lệ hợp lệ (0–100%)")  # noqa: TRY004 - a cell value, not a bug
    if isinstance(value, (int, float)):
        if not math.isfinite(value):
            raise ValueError(f"{cell_text(value)} không phải là tỷ lệ hợp lệ (0–100%)")
        number = float(value) * 100 if 0 < value <= 1 else float(value)
        shown = cell_text(value)
    else:
        return _percent_text(str(value))
    if not 0 <= number <= 100:
        raise ValueError(f"{shown} nằm ngoài khoảng 0–100%")
    return round(number, 6)


@lru_cache(maxsize=4096)
def _percent_text(value: str) -> float | None:
    """`parse_percent` of a text (pure, so cached; a ValueError is raised again on every call)."""
    shown = nfc(value)
    if not shown:
        return None
    text = shown
    has_sign = text.endswith("%")
    if has_sign:
        text = text[:-1].strip()
    try:
        number, has_decimal = _parse_number_text(text)
    except ValueError:
        raise ValueError(f"{shown} không phải là tỷ lệ hợp lệ (0–100%)") from None
    if not has_sign and has_decimal and 0 <= number <= 1:
        number *= 100
    if not 0 <= number <= 100:
        raise ValueError(f"{shown} nằm ngoài khoảng 0–100%")
    return round(number, 6)


_EXCEL_EPOCH = dt.date(1899, 12, 30)
SERIAL_MIN, SERIAL_MAX = 30000, 80000  # 1982-02-18 .. 2119-01-10
_DATE_TEXT = re.compile(r"([0-9]{1,2})\s*([/.-])\s*([0-9]{1,2})\s*\2\s*([0-9]{4})")
_ISO_DATE = re.compile(r"([0-9]{4})-([0-9]{1,2})-([0-9]{1,2})")
_SERIAL_TEXT = re.compile(r"[0-9]{5}(?:[.,][0-9]+)?")


def parse_date(value: object) -> dt.date | None:
    """A date from a date/datetime cell, `d/m/yyyy` text (`/`, `-` or `.`), ISO
    `yyyy-mm-dd`, or an Excel serial number (30000..80000, origin 1899-12-30).

    Blank -> None; anything else (31/02/2026, 12345, "tháng 7") -> ValueError (Vietnamese).
    """
    if value is None:
        return None
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    if isinstance(value, bool) or not isinstance(value, (int, float, str)):
        raise ValueError(f"{cell_text(value)} không phải là ngày hợp lệ")  # noqa: TRY004 - a cell value, not a bug
    if isinstance(value, (int, float)):
        return _from_serial(value, cell_text(value))
    found, planned = _date_text(value)
    if planned:
        raise ValueError(f"{nfc(value)} là ngày dự kiến, không phải ngày hoàn thành")
    return found


def read_date(value: object) -> tuple[dt.date | None, bool]:
    """Like `parse_date`, but a planned date ("Dự kiến 30/12/2026", "dự kiến hoàn thành
    trước 30/12/2026") is returned with True instead of raising: (date, planned)."""
    if isinstance(value, str):
        return _date_text(value)
    return parse_date(value), False


_DATE_PREFIX_WORDS = frozenset({
    "ngay", "hoan thanh", "da hoan thanh", "hoan thanh ngay", "da hoan thanh ngay", "hoan thanh vao ngay",
    "du kien", "du kien ngay", "du kien hoan thanh", "du kien hoan thanh ngay", "du kien hoan thanh truoc",
    "du kien hoan thanh truoc ngay", "du kien truoc", "du kien truoc ngay", "du kien trong", "ke hoach",
})
_PLANNED_PREFIX = ("du kien", "ke hoach")
_DATE_NOTE_START = ("(", ",", ";", "-", "–", ":", "theo", "tai", "qd", "quyet dinh", "van ban", "so ")


@lru_cache(maxsize=4096)
def _date_text(text: str) -> tuple[dt.date | None, bool]:
    """A date written as text (see `parse_date`) and whether it is a planned date."""
    shown = nfc(text)
    if not shown:
        return None, False
    match = _DATE_TEXT.fullmatch(shown)
    try:
        if match:
            day, month, year = int(match.group(1)), int(match.group(3)), int(match.group(4))
            result = dt.date(year, month, day)
        elif iso := _ISO_DATE.fullmatch(shown):
            result = dt.date(int(iso.group(1)), int(iso.group(2)), int(iso.group(3)))
        elif _SERIAL_TEXT.fullmatch(shown):
            return _from_serial(float(shown.replace(",", ".")), shown), False
        else:
            return _date_in_words(shown)
    except ValueError:
        raise ValueError(f"{shown} không phải là ngày hợp lệ") from None
    if not 1900 <= result.year <= 2100:
        raise ValueError(f"{shown} không phải là ngày hợp lệ")
    return result, False


_ONE_DATE = re.compile(
    r"([0-9]{1,2})\s*([/.-])\s*([0-9]{1,2})\s*\2\s*([0-9]{4}|[0-9]{2})(?![0-9])"
    r"|ngay\s+([0-9]{1,2})\s+thang\s+([0-9]{1,2})\s+nam\s+([0-9]{4})"
)


def _date_in_words(shown: str) -> tuple[dt.date | None, bool]:
    """"Ngày 10/9/2026", "15/08/26", "ngày 15 tháng 8 năm 2026", "20/7/2026 (QĐ số …)",
    "Dự kiến 30/12/2026": one date, at most a few known words before it, any note after it."""
    plain = " ".join(unidecode(shown).casefold().split())
    match = _ONE_DATE.search(plain)
    bad = ValueError(f"{shown} không phải là ngày hợp lệ")
    if match is None:
        raise bad
    before = search_key(plain[: match.start()])
    after = plain[match.end():].strip()
    if before and before not in _DATE_PREFIX_WORDS:
        raise bad
    if after and not after.startswith(_DATE_NOTE_START):
        raise bad
    found = dates_in(plain[match.start(): match.end()])
    if len(found) != 1:
        raise bad
    return found[0], before.startswith(_PLANNED_PREFIX)


def _from_serial(number: float, shown: str) -> dt.date:
    if not math.isfinite(number) or not SERIAL_MIN <= number < SERIAL_MAX:
        raise ValueError(f"{shown} không phải là ngày hợp lệ")
    return _EXCEL_EPOCH + dt.timedelta(days=int(number))


def parse_period(value: object) -> str | None:
    """`Quý III/2026`, `2026-Q3`, `quý 3 năm 2026` -> `2026-Q3`; `2026` -> `2026`; blank -> None."""
    if value is None:
        return None
    shown = cell_text(value) if not isinstance(value, str) else nfc(value)
    if not shown:
        return None
    found = period_in_text(shown)
    if found is not None and search_key(shown).startswith(("quy", "q")):
        return found
    try:
        return normalise_period(shown)
    except ValueError:
        if found is not None:
            return found
        raise ValueError(
            f"{shown} không phải là kỳ báo cáo hợp lệ (ví dụ: Quý III/2026 hoặc 2026-Q3)"
        ) from None


_QUARTER_IN_TEXT = re.compile(r"\bquy (iv|iii|ii|i|[1-4]) ?(?:/|nam|-) ?([0-9]{4})\b")
_YEAR_REPORT = re.compile(r"\bbao cao\b.*\bnam ([0-9]{4})\b")


def period_in_text(text: str) -> str | None:
    """A period mentioned in a title row: "... QUÝ III/2026" -> 2026-Q3, "BÁO CÁO ... NĂM 2026" -> 2026."""
    key = search_key(text)
    match = _QUARTER_IN_TEXT.search(key)
    if match:
        return normalise_period(f"{match.group(2)}-Q{quarter_number(match.group(1))}")
    match = _YEAR_REPORT.search(key)
    if match:
        return match.group(1)
    return None


# --- cell helpers -------------------------------------------------------------

CellValue = Any  # str | float | int | bool | date | datetime | time | timedelta


def cell_text(value: CellValue) -> str:
    """A cell as text, the way a Vietnamese user sees it (`0,8`, `15/07/2026`)."""
    if type(value) is str:
        return value
    if value is None:
        return ""
    if isinstance(value, bool):
        return "TRUE" if value else "FALSE"
    if isinstance(value, float):
        if value.is_integer() and abs(value) < 1e15:
            return str(int(value))
        return repr(value).replace(".", ",")
    if isinstance(value, dt.datetime):
        if value.time() == dt.time(0):
            return value.strftime("%d/%m/%Y")
        return value.strftime("%d/%m/%Y %H:%M")
    if isinstance(value, dt.date):
        return value.strftime("%d/%m/%Y")
    return str(value)


def is_blank(value: CellValue) -> bool:
    return value is None or (type(value) is str and (not value or value.isspace()))


def fold(text: str) -> str:
    """Same result as vn.nfc (NFC, white space folded), with a fast path for NFC input."""
    if unicodedata.is_normalized("NFC", text):
        return " ".join(text.split())
    return nfc(text)


@lru_cache(maxsize=4096)
def fold_status(text: str) -> str:
    """`fold` for status cells, cached: a return repeats a handful of status texts."""
    return fold(text)


def column_letter(index: int) -> str:
    """0 -> A, 25 -> Z, 26 -> AA."""
    letters = ""
    index += 1
    while index:
        index, rem = divmod(index - 1, 26)
        letters = chr(65 + rem) + letters
    return letters


__all__ = [
    "CellValue",
    "cell_text",
    "column_letter",
    "fold",
    "fold_status",
    "is_blank",
    "parse_date",
    "parse_number",
    "parse_percent",
    "parse_period",
    "period_in_text",
    "read_date",
]
