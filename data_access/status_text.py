"""Reading Vietnamese status language: what a quarterly return says about a task's state.

Pure (no database, no Streamlit). `read_status(text)` turns a status cell, whether a
short word ("HT", "Đang thực hiện") or prose from a "Kết quả thực hiện" column
("Chưa hoàn thành, đạt 80% kế hoạch"), into a `StatusReading`: a state
(`hoan_thanh` / `dang_thuc_hien` / `chua_thuc_hien`), a progress in percent, and a
date mentioned in the text. What it cannot read is returned as unknown with the
reason (Vietnamese), so the row is flagged and never guessed.

The rules, in the order they are applied (case-, spacing- and Unicode-form-insensitive;
exact phrases are compared on `vn.search_key`; the other patterns on the casefolded text,
with its accents when it has any, and in an unaccented form when it was typed without):

1. Blank -> blank reading (no state, no reason).
2. Short forms and exact phrases from `_EXACT` ("HT", "ĐTH", "CHT", "chưa", "không", ...).
3. Percentages in the text ("đạt 80%", "70 %", "60,5%"): exactly one distinct value is
   the progress; several different values, or one outside 0–100, make the text unknown.
   A text that is only a percentage ("80%", "Đạt khoảng 80%") gives a progress and no
   state (the caller derives the state from the progress as it does for a % column).
4. Dates in the text ("10/9/2026", "15/08/26", "ngày 15 tháng 8 năm 2026"): exactly one
   distinct date is kept; it is a planned date (`date_planned`) when the text says so
   ("dự kiến", "sẽ", "phấn đấu", "trước ngày", "chậm nhất", "thời hạn"). A date never
   decides the state: "done" is never inferred from a date alone.
5. "Not started" openings ("Chưa thực hiện", "Chưa triển khai", "Không thực hiện",
   "chưa"): not started; a progress 0 < p < 100 makes it in progress; 100% is a contradiction.
6. Negated completion anywhere ("chưa hoàn thành", "không hoàn thành", "chưa xong"): never
   done. With 0 < p < 100 -> in progress p; with p = 0 -> not started; with 100% ->
   contradiction; without a percentage -> in progress when a partial form is present
   (rule 7), else not started.
7. Partial and future forms are never done: "một phần", "(hoàn thành | đã có | xây dựng) dự
   thảo", "cơ bản hoàn thành", "bước đầu", "đang …" ("đang" with its accent: "đảng", "đăng" are
   other words; typed without diacritics only "dang" + a verb), "dự kiến", "phấn đấu",
   "sẽ/tiếp tục + a verb", "chờ phê duyệt/ý kiến/…", "đã trình", "trình UBND/ký/…". They read
   as in progress (100% with such a form is a contradiction), even when the text also says
   "hoàn thành" ("Đã hoàn thành dự thảo…, đang lấy ý kiến", "Cơ bản hoàn thành"). Words that
   merely occur in a task's own description ("góp ý dự thảo", "kiến thức cơ bản", "quy trình",
   "chia sẻ") do not count.
8. Completion ("hoàn thành", "đã hoàn thành", "hoàn tất", "xong", "đã thực hiện xong"):
   a percentage right after it ("Hoàn thành 80%", "Hoàn thành, đạt 80%") is the progress of unfinished work
   (in progress); otherwise done, and a progress other than 100 is a contradiction. A
   negation of a completion step elsewhere ("hoàn thành nhưng chưa ban hành") without a
   partial form is a contradiction.
9. Recurring work ("Thực hiện thường xuyên") is in progress: such a task is never finished. A percentage in its text is
   its progress only when nothing but progress words surround it ("đạt 80% kế hoạch");
   otherwise it is a share of the items handled ("100% TTHC được công khai"), an indicator,
   not the task's progress, and is dropped.
10. Part of a counted job done ("Đã tổ chức 01/02 hội nghị", "đã kiểm tra 4/6 đơn vị"): a
   text opening with "đã" and counting k of n items (k < n; not a date: no year, not after
   "ngày") is in progress, with no progress figure. k = n says nothing more (rule 11).
11. Anything else ("Đã ban hành kế hoạch", "Theo kế hoạch") is unknown: such prose says
   what was done but not whether the task is complete.
"""

from __future__ import annotations

import datetime as dt
import re
import unicodedata
from dataclasses import dataclass
from functools import lru_cache

from unidecode import unidecode

from data_access.vn import fmt_date, fmt_decimal, nfc, search_key

# What an agency reports of an assignment (StatusReport.state; models.STATE_* are these), and how it reads.
STATE_DONE = "hoan_thanh"
STATE_IN_PROGRESS = "dang_thuc_hien"
STATE_NOT_STARTED = "chua_thuc_hien"
STATE_LABELS = {
    STATE_DONE: "Đã hoàn thành", STATE_IN_PROGRESS: "Đang thực hiện", STATE_NOT_STARTED: "Chưa thực hiện",
}


def state_text(state: str, progress_pct: float | None, completed_on: dt.date | None = None) -> str:
    """A reported state as one line: `Đang thực hiện (80%)`, `Đã hoàn thành, 15/07/2026`.

    The progress is shown only for work not done (done is 100% by definition); the completion
    date when known.
    """
    text = STATE_LABELS.get(state, state)
    if state != STATE_DONE and progress_pct is not None:
        text += f" ({fmt_decimal(progress_pct)}%)"
    if completed_on is not None:
        text += f", {fmt_date(completed_on)}"
    return text


STATE_HELP = "dùng: " + " / ".join(STATE_LABELS.values())  # "dùng: Đã hoàn thành / Đang thực hiện / ..."
UNKNOWN_REASON = f"không phải là tình trạng hợp lệ ({STATE_HELP})"


@dataclass(frozen=True)
class StatusReading:
    """What a status text says. `reason` is "" when the text was read (or blank) and
    the Vietnamese explanation otherwise (then `state` and `progress` are None)."""

    state: str | None = None
    progress: float | None = None
    date: dt.date | None = None
    date_planned: bool = False
    reason: str = ""

    @property
    def known(self) -> bool:
        return not self.reason


BLANK = StatusReading()

_EXACT: dict[str, str] = {
    "ht": STATE_DONE, "da ht": STATE_DONE, "xong": STATE_DONE, "da xong": STATE_DONE,
    "hoan thanh": STATE_DONE, "da hoan thanh": STATE_DONE, "hoan tat": STATE_DONE, "da hoan tat": STATE_DONE,
    "dth": STATE_IN_PROGRESS, "dang th": STATE_IN_PROGRESS, "dang lam": STATE_IN_PROGRESS,
    "dang thuc hien": STATE_IN_PROGRESS, "dang trien khai": STATE_IN_PROGRESS,
    "cht": STATE_NOT_STARTED, "chua": STATE_NOT_STARTED, "cth": STATE_NOT_STARTED, "chua th": STATE_NOT_STARTED,
    "chua ht": STATE_NOT_STARTED, "khong": STATE_NOT_STARTED, "chua thuc hien": STATE_NOT_STARTED,
    "chua trien khai": STATE_NOT_STARTED,
}

def _both(pattern: str) -> tuple[re.Pattern[str], re.Pattern[str]]:
    """A pattern written with accents, compiled for accented text and, accents dropped,
    for text typed without any diacritics."""
    return re.compile(pattern), re.compile(unidecode(pattern).lower())


_NEG = r"(?:chưa|không|ko)(?: được| thể)?"
_NOT_STARTED_OPENING = _both(rf"^{_NEG} (?:thực hiện|triển khai|bắt đầu|tiến hành|làm|th)\b|^chưa$|^không$")
_NEGATED_DONE = _both(rf"\b{_NEG} (?:hoàn thành|hoàn tất|xong|ht)\b")
_NEGATED_STEP = _both(rf"\b{_NEG} (?:ban hành|phê duyệt|thông qua|ký|triển khai|thực hiện|đạt|có kết quả)\b")
# "đang" counts only with its accent in accented text ("đảng", "đăng" are other words); in text
# typed without any diacritics only "dang" followed by a verb counts. "Dự thảo", "cơ bản", "trình"
# count only in the phrases below ("góp ý dự thảo", "kiến thức cơ bản", "quy trình" are tasks, not states).
_PARTIAL_COMMON = (
    r"một phần|(?:hoàn thành|hoàn tất|xong|đã có|đã xây dựng|xây dựng xong|trình|bước|giai đoạn)(?: bản)? dự thảo"
    r"|cơ bản (?:hoàn thành|hoàn tất|xong)|hoàn thành cơ bản|bước đầu|dự kiến|phấn đấu"
    r"|sẽ (?:hoàn thành|triển khai|thực hiện|ban hành|tiếp tục)|tiếp tục (?:thực hiện|triển khai|hoàn thiện|xây dựng)"
    r"|chờ (?:phê duyệt|ý kiến|hướng dẫn|ban hành|ký|kết quả|thẩm định)|đã trình"
    r"|trình (?:ubnd|ủy ban|uỷ ban|ký|phê duyệt|cấp có thẩm quyền|hđnd|lãnh đạo|thường trực|bộ)"
)
_PARTIAL = (
    re.compile(rf"\b(?:{_PARTIAL_COMMON}|đang)\b"),
    re.compile(
        rf"\b(?:{unidecode(_PARTIAL_COMMON).lower()}|dang (?:thuc hien|trien khai|tien hanh|lam|xay dung|hoan thien"
        r"|lay|cho|trinh|xu ly|to chuc|phoi hop|soan thao|th|ra soat|tham dinh|chinh sua|tong hop|xem xet|thuc))\b"
    ),
)
_DONE = _both(r"\b(?:hoàn thành|hoàn tất|xong|ht)\b")
_DONE_THEN_PERCENT = re.compile(
    r"hoan (?:thanh|tat)\W+(?:(?:duoc|khoang|dat|tren|gan|xap xi)\s+){0,3}[0-9]{1,3}(?:[.,][0-9]+)?\s*%"
)
_RECURRING = _both(r"\bthường xuyên\b")
# "đã <verb> k/n <items>": k of n counted items done (the text's opening "đã"; not a date).
_COUNT_PART = re.compile(r"^da\b(?:(?!ngay\b)[^/0-9])*?(?<![0-9/.])([0-9]{1,3})\s*/\s*([0-9]{1,3})(?![0-9/.])\s+[a-z]")
_PLANNED = _both(r"\b(?:dự kiến|sẽ|phấn đấu|trước ngày|chậm nhất|thời hạn|hạn chót|kế hoạch hoàn thành)\b")
_PERCENT = re.compile(r"([0-9]{1,3}(?:[.,][0-9]{1,2})?)\s*%|([0-9]{1,3}(?:[.,][0-9]{1,2})?)\s+phan tram\b")
# What may surround a lone percentage without making it a status phrase ("Đạt khoảng 80% kế hoạch").
_PERCENT_ONLY_WORDS = frozenset({
    "dat", "khoang", "dat khoang", "tien do", "ke hoach", "dat duoc", "thuc hien", "thuc hien duoc", "khoi luong",
    "so voi", "cong viec", "tong the", "uoc", "uoc dat", "tren", "gan", "tong", "%", "phan tram", "ty le", "muc",
})
_DATE_NUMERIC = re.compile(r"(?<![0-9/.-])([0-9]{1,2})\s*([/.-])\s*([0-9]{1,2})\s*\2\s*([0-9]{4}|[0-9]{2})(?![0-9])")
_DATE_WORDS = re.compile(r"ngay\s+([0-9]{1,2})\s+thang\s+([0-9]{1,2})\s+nam\s+([0-9]{4})")


def _plain(text: str) -> str:
    """Accents and case dropped, punctuation kept ("Đạt 80,5%" -> "dat 80,5%")."""
    return " ".join(unidecode(unicodedata.normalize("NFC", text)).casefold().split())


def year_of(two_or_four: str) -> int:
    """"26" -> 2026 (two-digit years in returns are this century), "2026" -> 2026."""
    year = int(two_or_four)
    return 2000 + year if len(two_or_four) == 2 else year


def dates_in(text: str) -> list[dt.date]:
    """Every valid date written in `text` (d/m/yyyy, d/m/yy with one separator kind, or
    "ngày d tháng m năm yyyy"), in order of appearance, duplicates removed."""
    plain = _plain(text)
    found: list[tuple[int, dt.date]] = []
    for match in _DATE_NUMERIC.finditer(plain):
        try:
            day = dt.date(year_of(match.group(4)), int(match.group(3)), int(match.group(1)))
        except ValueError:
            continue
        found.append((match.start(), day))
    for match in _DATE_WORDS.finditer(plain):
        try:
            day = dt.date(int(match.group(3)), int(match.group(2)), int(match.group(1)))
        except ValueError:
            continue
        found.append((match.start(), day))
    out: list[dt.date] = []
    for _, day in sorted(found, key=lambda x: x[0]):
        if 1900 <= day.year <= 2100 and day not in out:
            out.append(day)
    return out


def _percents(plain: str) -> list[float]:
    values: list[float] = []
    for match in _PERCENT.finditer(plain):
        number = float((match.group(1) or match.group(2)).replace(",", "."))
        if number not in values:
            values.append(number)
    return values


def _unknown(reason: str) -> StatusReading:
    return StatusReading(reason=reason)


def _pct(value: float) -> str:
    return f"{fmt_decimal(value)}%"


def read_status(text: str | None) -> StatusReading:
    """Read one status text (see the module docstring for the rules)."""
    if text is None:
        return BLANK
    return _read(text)


_NOT_WORD = re.compile(r"[^\w%]+")


@lru_cache(maxsize=8192)
def _read(text: str) -> StatusReading:
    shown = nfc(text)
    if not shown:
        return BLANK
    key = search_key(shown)
    exact = _EXACT.get(key)
    if exact is not None:
        return StatusReading(state=exact)
    plain = _plain(shown)
    percents = _percents(plain)
    if len(percents) > 1:
        listed = ", ".join(_pct(p) for p in percents)
        return _unknown(f"{UNKNOWN_REASON}: ghi nhiều tỷ lệ khác nhau ({listed}) nên không biết tỷ lệ hoàn thành")
    progress = percents[0] if percents else None
    if progress is not None and progress > 100:
        return _unknown(f"có tỷ lệ {_pct(progress)}, nằm ngoài khoảng 0–100%")
    # Words only (numbers, percentages and dates were read above), with accents when the text has
    # any ("đang" is not "đảng"), so the patterns pick their accented or plain form.
    words = " ".join(w for w in _NOT_WORD.sub(" ", re.sub(r"[0-9]+", " ", shown.casefold())).split() if w != "%")
    mode = 0 if not words.isascii() else 1
    dates = dates_in(shown)
    date = dates[0] if len(dates) == 1 else None
    planned = date is not None and _PLANNED[mode].search(words) is not None

    def reading(state: str | None, pct: float | None = progress) -> StatusReading:
        return StatusReading(state=state, progress=pct, date=date, date_planned=planned)

    partial = _PARTIAL[mode].search(words) is not None
    if _NOT_STARTED_OPENING[mode].search(words):
        if progress is None or progress == 0:
            return reading(STATE_NOT_STARTED)
        if progress >= 100:
            return _unknown(f"{UNKNOWN_REASON}: ghi chưa thực hiện nhưng tỷ lệ là {_pct(progress)}")
        return reading(STATE_IN_PROGRESS)
    if _NEGATED_DONE[mode].search(words):
        if progress is None:
            return reading(STATE_IN_PROGRESS if partial else STATE_NOT_STARTED)
        if progress >= 100:
            return _unknown(f"{UNKNOWN_REASON}: ghi chưa hoàn thành nhưng tỷ lệ là {_pct(progress)}")
        return reading(STATE_IN_PROGRESS if progress > 0 else STATE_NOT_STARTED)
    if partial:
        if progress is not None and progress >= 100:
            return _unknown(f"{UNKNOWN_REASON}: ghi hoàn thành một phần hoặc đang thực hiện nhưng tỷ lệ là "
                            f"{_pct(progress)}")
        return reading(STATE_IN_PROGRESS)
    if _DONE[mode].search(words):
        step = _NEGATED_STEP[mode].search(words)
        if step is not None:
            return _unknown(f"{UNKNOWN_REASON}: vừa ghi hoàn thành vừa ghi '{step.group(0)}'")
        if progress is not None and progress < 100:
            if _DONE_THEN_PERCENT.search(plain):
                return reading(STATE_IN_PROGRESS if progress > 0 else STATE_NOT_STARTED)
            return _unknown(f"{UNKNOWN_REASON}: ghi hoàn thành nhưng tỷ lệ là {_pct(progress)}")
        return reading(STATE_DONE, 100.0 if progress is not None else None)
    only_progress_words = set(_phrases(unidecode(words))) <= _PERCENT_ONLY_WORDS
    if _RECURRING[mode].search(words):
        rest = set(_phrases(unidecode(_RECURRING[mode].sub(" ", words)))) <= _PERCENT_ONLY_WORDS
        keep = progress if progress is not None and progress < 100 and rest else None
        return reading(STATE_IN_PROGRESS, keep)
    counted = _COUNT_PART.search(plain)
    if counted is not None and progress is None and int(counted.group(1)) < int(counted.group(2)):
        return reading(STATE_IN_PROGRESS)
    if progress is not None and only_progress_words:
        return reading(None)
    return _unknown(UNKNOWN_REASON)


def _phrases(words: str) -> list[str]:
    """The words of a text, with the two-word phrases of `_PERCENT_ONLY_WORDS` kept together."""
    parts = words.split()
    out: list[str] = []
    i = 0
    while i < len(parts):
        pair = " ".join(parts[i:i + 2])
        if pair in _PERCENT_ONLY_WORDS and i + 1 < len(parts):
            out.append(pair)
            i += 2
        else:
            out.append(parts[i])
            i += 1
    return out


def parse_state(text: object) -> str | None:
    """The state a status cell names, or None when blank; ValueError (Vietnamese) when the
    text names no state (a bare percentage included: that is a progress, not a state)."""
    if text is None:
        return None
    shown = nfc(text if isinstance(text, str) else str(text))
    found = read_status(shown)
    if found.reason:
        raise ValueError(f"'{shown}' {found.reason}")
    if found.state is None and shown:
        raise ValueError(f"'{shown}' {UNKNOWN_REASON}")
    return found.state


def message(shown: str, found: StatusReading) -> str:
    """The Vietnamese message for a text `read_status` could not read."""
    return f"'{shown}' {found.reason or UNKNOWN_REASON}"


__all__ = [
    "STATE_DONE", "STATE_HELP", "STATE_IN_PROGRESS", "STATE_NOT_STARTED", "UNKNOWN_REASON", "StatusReading",
    "dates_in", "message", "parse_state", "read_status", "year_of",
]
