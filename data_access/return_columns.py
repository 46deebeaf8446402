"""The return's columns, in one place: the labels agencies head them with and how a label is recognised.

Pipeline: xlsx_safety (is the file safe to open) -> xlsx_reader (sheets -> rows, using cell_values,
return_columns and status_text) -> matching (row -> task) -> importer (planning: preview/plan_import;
apply_import, undo_upload) -> upload history. This module is pure data plus two small functions:
`recognise(label, lookup)` maps a header cell's text to a field name ("code", "task", "state", ...,
or for indicator sheets "ind_code", ...) or None. The reader uses it to find header rows; the importer
uses it to name the source column of each value it reports.
"""

from __future__ import annotations

import re
from functools import lru_cache

from data_access.status_text import STATE_DONE, STATE_IN_PROGRESS, STATE_NOT_STARTED
from data_access.vn import search_key

# The return's columns and the words agencies head them with (compared on `vn.search_key`).
# Besides the fields of a report: "prose" is a "Kết quả thực hiện" column of status written as
# text; "tick_*" are state columns ticked with "x"; "deadline" is the plan's own deadline column
# ("Thời gian hoàn thành" in a plan is a deadline, never a completion date); "expected_output" is
# the plan's "Kết quả/sản phẩm" (what the task should produce, not the document issued);
# "output_maybe" ("Sản phẩm") is the output document only when no "Văn bản" column exists;
# "stt" is the row number (a blank one marks a continuation row of a pasted Word table).
TASK_SYNONYMS: dict[str, tuple[str, ...]] = {
    "code": ("ma", "ma nhiem vu", "ma nv", "ma so", "ma so nhiem vu", "ma cong viec", "ma nhiem vu/cong viec"),
    "stt": ("stt", "tt", "so tt", "so thu tu"),
    "task": (
        "nhiem vu", "noi dung", "noi dung nhiem vu", "ten nhiem vu", "nhiem vu/noi dung",
        "noi dung cong viec", "ten nhiem vu/noi dung", "nhiem vu cong viec", "ten cong viec",
        "nhiem vu cu the", "nhiem vu giai phap", "nhiem vu, giai phap", "cac nhiem vu giai phap",
        "nhiem vu/giai phap", "noi dung thuc hien", "nhiem vu trong tam", "ten nhiem vu cu the",
        "noi dung nhiem vu cu the", "nhiem vu/cong viec", "noi dung cong viec/nhiem vu",
    ),
    "lead": (
        "co quan chu tri", "don vi chu tri", "chu tri", "co quan thuc hien", "don vi thuc hien",
        "co quan/don vi chu tri", "co quan don vi chu tri", "co quan chu tri thuc hien",
        "don vi chu tri thuc hien",
        # The Sở Nội vụ 2026 plan: "Phân công (cơ quan chủ trì/cơ quan phối hợp) và cách thức thực hiện"
        # (seed 004); its cells read "Phòng X chủ trì, phối hợp …" (the matcher keeps the part before "chủ trì").
        "phan cong", "phan cong thuc hien", "phan cong va cach thuc thuc hien", "phan cong chu tri",
    ),
    "state": (
        "tinh trang", "trang thai", "tien do thuc hien", "tinh trang thuc hien", "trang thai thuc hien",
        "tinh trang hoan thanh", "danh gia muc do hoan thanh",
    ),
    "prose": (
        "ket qua thuc hien", "ket qua", "tinh hinh thuc hien", "ket qua trien khai", "ket qua thuc hien nhiem vu",
        "tinh hinh ket qua thuc hien", "ket qua dat duoc", "tinh hinh trien khai", "tinh hinh, ket qua thuc hien",
        "tinh hinh ket qua trien khai", "noi dung bao cao", "bao cao ket qua",
    ),
    "tick_done": ("da hoan thanh", "hoan thanh", "hoan thanh dung han", "hoan thanh qua han", "hoan thanh truoc han"),
    "tick_progress": ("dang thuc hien", "dang trien khai", "dang th"),
    "tick_not_started": ("chua thuc hien", "chua trien khai", "chua hoan thanh", "chua th"),
    "progress": (
        "ty le hoan thanh", "tien do %", "% hoan thanh", "ty le %", "muc do hoan thanh",
        "ty le", "ty le hoan thanh %", "% tien do", "tien do hoan thanh %", "muc do hoan thanh %",
        "ty le %hoan thanh", "phan tram hoan thanh",
    ),
    "completed_on": (
        "ngay hoan thanh", "ngay hoan thanh thuc te", "thoi diem hoan thanh", "ngay thang hoan thanh",
        "thoi gian hoan thanh thuc te",
    ),
    "deadline": (
        "thoi gian hoan thanh", "thoi han", "thoi han hoan thanh", "thoi gian thuc hien", "tien do", "han hoan thanh",
        "tien do hoan thanh", "thoi gian", "moc thoi gian", "thoi han thuc hien", "han",
    ),
    "output_document": (
        "van ban", "so ky hieu van ban", "van ban/san pham", "san pham/van ban", "van ban ban hanh",
        "so ky hieu van ban/san pham", "van ban san pham", "so, ky hieu van ban", "so ky hieu", "so hieu van ban",
        "so van ban", "van ban da ban hanh", "ten van ban",
    ),
    "output_maybe": ("san pham",),
    "expected_output": (
        "ket qua/san pham", "ket qua san pham", "san pham dau ra", "ket qua/san pham dat duoc",
        "ket qua san pham dat duoc", "san pham du kien", "ket qua du kien", "ket qua/san pham du kien",
    ),
    "difficulties": (
        "kho khan", "vuong mac", "kho khan vuong mac", "ghi chu kho khan", "ly do chua hoan thanh",
        "kho khan/vuong mac", "kho khan vuong mac de xuat", "kho khan vuong mac kien nghi",
        "ly do", "ghi chu kho khan vuong mac",
    ),
}
TICKS = ("tick_done", "tick_progress", "tick_not_started")
TICK_STATES = {"tick_done": STATE_DONE, "tick_progress": STATE_IN_PROGRESS, "tick_not_started": STATE_NOT_STARTED}
STATUS_FIELDS = frozenset({"state", "prose", "progress", *TICKS})
INDICATOR_SYNONYMS: dict[str, tuple[str, ...]] = {
    "ind_code": ("ma chi tieu", "ma", "ma so", "ma so chi tieu"),
    "ind_name": ("ten chi tieu", "chi tieu", "noi dung chi tieu", "noi dung"),
    "ind_period": ("ky", "ky bao cao", "quy", "thoi ky", "ky/quy"),
    "ind_value": ("gia tri", "so lieu", "ket qua dat duoc", "gia tri thuc hien", "ket qua", "gia tri dat duoc"),
}


def build_lookup(synonyms: dict[str, tuple[str, ...]]) -> dict[str, str]:
    return {key: name for name, keys in synonyms.items() for key in keys}


TASK_LOOKUP = build_lookup(TASK_SYNONYMS)
INDICATOR_LOOKUP = build_lookup(INDICATOR_SYNONYMS)
_PARENS = re.compile(r"\(([^)]*)\)")
_SLASH = re.compile(r"\s*/\s*")


@lru_cache(maxsize=4096)
def label_keys(label: str) -> tuple[str, ...]:
    """Keys to look a header up by: full, without parentheses ("(nếu có)"), without %, "/" as space."""
    keys: list[str] = []
    full = _SLASH.sub("/", search_key(label))
    no_parens = _SLASH.sub("/", search_key(_PARENS.sub(" ", label)))
    for key in (full, no_parens):
        for variant in (key, key.replace("%", " "), key.replace("/", " ")):
            variant = " ".join(variant.split())
            if variant and variant not in keys:
                keys.append(variant)
    return tuple(keys)


def recognise(label: str, lookup: dict[str, str]) -> str | None:
    if not label or len(label) > 120:
        return None
    for key in label_keys(label):
        name = lookup.get(key)
        if name is not None:
            return name
    return None


__all__ = [
    "INDICATOR_LOOKUP",
    "INDICATOR_SYNONYMS",
    "STATUS_FIELDS",
    "TASK_LOOKUP",
    "TASK_SYNONYMS",
    "TICKS",
    "TICK_STATES",
    "build_lookup",
    "label_keys",
    "recognise",
]
