"""Tests for data_access.xlsx_reader: value parsers, header detection on hand-made
returns, the template path (hidden _meta sheet, indicator sheet) and every refusal."""

from __future__ import annotations

import datetime as dt
import io
import unicodedata
import zipfile
from collections.abc import Callable, Sequence

import openpyxl
import pytest
from openpyxl.worksheet.worksheet import Worksheet

from data_access.xlsx_reader import (
    STATE_DONE,
    STATE_IN_PROGRESS,
    STATE_NOT_STARTED,
    CellError,
    FileRefused,
    ParsedReturn,
    column_letter,
    parse_date,
    parse_number,
    parse_percent,
    parse_period,
    parse_state,
    read_return,
)

# --- builders ----------------------------------------------------------------

CLEAN_HEADER: list[object] = [
    "Mã nhiệm vụ", "Nội dung nhiệm vụ", "Cơ quan chủ trì", "Tình trạng",
    "Tỷ lệ hoàn thành (%)", "Ngày hoàn thành", "Văn bản/sản phẩm", "Khó khăn, vướng mắc",
]


def xlsx(build: Callable[[openpyxl.Workbook], None]) -> bytes:
    """An in-memory .xlsx whose first sheet `build` fills (and may add more)."""
    wb = openpyxl.Workbook()
    build(wb)
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()


def table(rows: Sequence[Sequence[object]], title: str = "Báo cáo") -> bytes:
    def build(wb: openpyxl.Workbook) -> None:
        ws = wb.active
        assert isinstance(ws, Worksheet)
        ws.title = title
        for row in rows:
            ws.append(row)

    return xlsx(build)


def rezip(data: bytes, change: Callable[[str, bytes], bytes | None], extra: dict[str, bytes] | None = None) -> bytes:
    """Copy a zip, letting `change` rewrite (or drop, by returning None) each entry."""
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(data)) as src, zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as dst:
        for info in src.infolist():
            content = change(info.filename, src.read(info))
            if content is not None:
                dst.writestr(info.filename, content)
        for name, content in (extra or {}).items():
            dst.writestr(name, content)
    return out.getvalue()


def refused(data: bytes, **kwargs: int) -> FileRefused:
    with pytest.raises(FileRefused) as info:
        read_return(data, **kwargs)
    return info.value


def errors_at(parsed: ParsedReturn) -> list[tuple[str, int, str, str]]:
    return [(e.sheet, e.row, e.column, e.message) for e in parsed.errors]


# --- parse_state ---------------------------------------------------------------

@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Đã hoàn thành", STATE_DONE),
        ("hoàn thành", STATE_DONE),
        ("HT", STATE_DONE),
        ("Hoàn thành đúng hạn", STATE_DONE),
        ("hoàn thành quá hạn", STATE_DONE),
        ("xong", STATE_DONE),
        ("  ĐÃ   HOÀN\nTHÀNH ", STATE_DONE),
        (unicodedata.normalize("NFD", "Đã hoàn thành"), STATE_DONE),
        ("đang triển khai", STATE_IN_PROGRESS),
        ("đang thực hiện", STATE_IN_PROGRESS),
        ("Đang TH", STATE_IN_PROGRESS),
        ("đang làm", STATE_IN_PROGRESS),
        ("ĐTH", STATE_IN_PROGRESS),
        (unicodedata.normalize("NFD", "Đang triển khai"), STATE_IN_PROGRESS),
        ("Đang xem xét", STATE_IN_PROGRESS),  # any "đang …" is work in progress (issue 11)
        ("chưa thực hiện", STATE_NOT_STARTED),
        ("chưa triển khai", STATE_NOT_STARTED),
        ("chưa hoàn thành", STATE_NOT_STARTED),
        ("Chưa hoàn thành (do thiếu kinh phí)", STATE_NOT_STARTED),
        ("CHT", STATE_NOT_STARTED),
        ("chưa", STATE_NOT_STARTED),
        ("", None),
        ("   ", None),
        (None, None),
    ],
)
def test_parse_state(text: str | None, expected: str | None) -> None:
    assert parse_state(text) == expected


@pytest.mark.parametrize("text", ["Theo kế hoạch", "hoàn thành nhưng chưa ban hành", "không rõ", "1", "Thành"])
def test_parse_state_rejects_unknown(text: str) -> None:
    with pytest.raises(ValueError, match="không phải là tình trạng hợp lệ"):
        parse_state(text)


def test_parse_state_message() -> None:
    with pytest.raises(ValueError) as info:
        parse_state(" Theo  kế hoạch ")
    assert str(info.value) == (
        "'Theo kế hoạch' không phải là tình trạng hợp lệ "
        "(dùng: Đã hoàn thành / Đang thực hiện / Chưa thực hiện)"
    )


# --- parse_percent -------------------------------------------------------------

@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("80%", 80.0),
        ("80 %", 80.0),
        ("80", 80.0),
        ("0,8", 80.0),
        ("0.8", 80.0),
        ("1,0", 100.0),
        ("60,5", 60.5),
        ("60.5", 60.5),
        ("60,5%", 60.5),
        ("0,5%", 0.5),
        ("0", 0.0),
        ("100", 100.0),
        ("1", 1.0),
        (80, 80.0),
        (80.0, 80.0),
        (0.8, 80.0),  # a cell formatted as percent: Excel stores 0.8
        (1.0, 100.0),
        (0, 0.0),
        ("", None),
        (None, None),
    ],
)
def test_parse_percent(value: object, expected: float | None) -> None:
    assert parse_percent(value) == expected


@pytest.mark.parametrize(
    ("value", "message"),
    [
        ("120", "120 nằm ngoài khoảng 0–100%"),
        ("-5", "-5 nằm ngoài khoảng 0–100%"),
        (150.0, "150 nằm ngoài khoảng 0–100%"),
        ("tám mươi", "tám mươi không phải là tỷ lệ hợp lệ (0–100%)"),
        ("80%%", "80%% không phải là tỷ lệ hợp lệ (0–100%)"),
        (True, "TRUE không phải là tỷ lệ hợp lệ (0–100%)"),
    ],
)
def test_parse_percent_rejects(value: object, message: str) -> None:
    with pytest.raises(ValueError) as info:
        parse_percent(value)
    assert str(info.value) == message


# --- parse_date ----------------------------------------------------------------

@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("15/07/2026", dt.date(2026, 7, 15)),
        ("5/7/2026", dt.date(2026, 7, 5)),
        ("15-07-2026", dt.date(2026, 7, 15)),
        ("15.07.2026", dt.date(2026, 7, 15)),
        (" 15/07/2026 ", dt.date(2026, 7, 15)),
        ("2026-07-15", dt.date(2026, 7, 15)),
        ("29/02/2024", dt.date(2024, 2, 29)),
        ("15/07/26", dt.date(2026, 7, 15)),  # two-digit years are this century (issue 11)
        (46218, dt.date(2026, 7, 15)),
        (46218.75, dt.date(2026, 7, 15)),
        ("46218", dt.date(2026, 7, 15)),
        (dt.date(2026, 7, 15), dt.date(2026, 7, 15)),
        (dt.datetime(2026, 7, 15, 9, 30), dt.date(2026, 7, 15)),
        ("", None),
        (None, None),
    ],
)
def test_parse_date(value: object, expected: dt.date | None) -> None:
    assert parse_date(value) == expected


@pytest.mark.parametrize(
    ("value", "message"),
    [
        ("31/02/2026", "31/02/2026 không phải là ngày hợp lệ"),
        ("29/02/2026", "29/02/2026 không phải là ngày hợp lệ"),
        ("15/13/2026", "15/13/2026 không phải là ngày hợp lệ"),
        ("15/07-2026", "15/07-2026 không phải là ngày hợp lệ"),
        ("tháng 7/2026", "tháng 7/2026 không phải là ngày hợp lệ"),
        (12345, "12345 không phải là ngày hợp lệ"),
        (99999.0, "99999 không phải là ngày hợp lệ"),
        (True, "TRUE không phải là ngày hợp lệ"),
        (dt.time(9, 30), "09:30:00 không phải là ngày hợp lệ"),
    ],
)
def test_parse_date_rejects(value: object, message: str) -> None:
    with pytest.raises(ValueError) as info:
        parse_date(value)
    assert str(info.value) == message


# --- parse_number / parse_period / column_letter ------------------------------

@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("1.234,5", 1234.5),
        ("90,49", 90.49),
        ("1.234", 1234.0),
        ("1.234.567", 1234567.0),
        ("0.5", 0.5),
        ("12.5", 12.5),
        ("1,234.5", 1234.5),
        ("-3,5", -3.5),
        ("1 234,5", 1234.5),
        (42, 42.0),
        (90.49, 90.49),
        ("", None),
        (None, None),
    ],
)
def test_parse_number(value: object, expected: float | None) -> None:
    assert parse_number(value) == expected


@pytest.mark.parametrize("value", ["abc", "1,2,3", "1.23.4", "12,34.5,6", "--1"])
def test_parse_number_rejects(value: str) -> None:
    with pytest.raises(ValueError, match="không phải là số hợp lệ"):
        parse_number(value)


@pytest.mark.parametrize(
    ("value", "expected"),
    [("2026-Q3", "2026-Q3"), ("Quý III/2026", "2026-Q3"), ("quý 3 năm 2026", "2026-Q3"), ("2026", "2026"), ("", None)],
)
def test_parse_period(value: str, expected: str | None) -> None:
    assert parse_period(value) == expected


def test_column_letter() -> None:
    assert [column_letter(i) for i in (0, 25, 26, 27, 701, 702)] == ["A", "Z", "AA", "AB", "ZZ", "AAA"]


# --- a clean table -------------------------------------------------------------

def test_clean_table() -> None:
    data = table([
        CLEAN_HEADER,
        ["P1-01", "Rà soát văn bản QPPL", "Sở Tư pháp", "Đã hoàn thành", 100, dt.date(2026, 7, 15),
         "QĐ 12/QĐ-UBND", None],
        ["P1-02", "Số hoá hồ sơ TTHC", "Sở KH&CN", "Đang thực hiện", "60,5", None, None, "Thiếu kinh phí"],
        ["P1-03", "Đào tạo CBCC", "Sở Nội vụ", "Chưa thực hiện", 0, None, None, None],
    ])
    parsed = read_return(data)
    assert parsed.errors == []
    assert parsed.meta == {}
    assert parsed.rows_read == 3
    assert parsed.indicator_rows == []
    assert [(r.row, r.code, r.state, r.progress_pct, r.completed_on) for r in parsed.rows] == [
        (2, "P1-01", STATE_DONE, 100.0, dt.date(2026, 7, 15)),
        (3, "P1-02", STATE_IN_PROGRESS, 60.5, None),
        (4, "P1-03", STATE_NOT_STARTED, 0.0, None),
    ]
    first, second = parsed.rows[0], parsed.rows[1]
    assert first.sheet == "Báo cáo"
    assert first.task_text == "Rà soát văn bản QPPL"
    assert first.lead_text == "Sở Tư pháp"
    assert first.output_document == "QĐ 12/QĐ-UBND"
    assert first.difficulties is None
    assert second.difficulties == "Thiếu kinh phí"
    assert first.raw == {
        "Mã nhiệm vụ": "P1-01", "Nội dung nhiệm vụ": "Rà soát văn bản QPPL", "Cơ quan chủ trì": "Sở Tư pháp",
        "Tình trạng": "Đã hoàn thành", "Tỷ lệ hoàn thành (%)": "100", "Ngày hoàn thành": "15/07/2026",
        "Văn bản/sản phẩm": "QĐ 12/QĐ-UBND", "Khó khăn, vướng mắc": "",
    }


# --- the hard path: a hand-made return ------------------------------------------

NFD_TASK = unicodedata.normalize("NFD", "Rà soát,  đơn giản hoá\nthủ tục hành chính ")


def hand_made(wb: openpyxl.Workbook) -> None:
    ws = wb.active
    assert isinstance(ws, Worksheet)
    ws.title = "Quý 3"
    ws["A1"] = "ỦY BAN NHÂN DÂN TỈNH KHÁNH HÒA"
    ws.merge_cells("A1:I1")
    ws["A2"] = "BÁO CÁO KẾT QUẢ THỰC HIỆN NHIỆM VỤ CẢI CÁCH HÀNH CHÍNH QUÝ III/2026"
    ws.merge_cells("A2:I2")
    ws["A3"] = "Cơ quan báo cáo: Sở Tư pháp"
    # Two-row header; "Kết quả thực hiện" is merged over three sub-columns.
    for col, label in zip("ABCGHI", ["STT", "Nội dung", "Khó khăn, vướng mắc (nếu có)", "Mã NV",
                                     "Đơn vị chủ trì", "Ghi chú"], strict=True):
        ws[f"{col}5"] = label
        ws.merge_cells(f"{col}5:{col}6")
    ws["D5"] = "Kết quả thực hiện"
    ws.merge_cells("D5:F5")
    ws["D6"] = "Ngày hoàn thành"
    ws["E6"] = "Tình trạng"
    ws["F6"] = "Tỷ lệ (%)"
    ws.append([f"({i})" for i in range(1, 10)])  # row 7: column numbering
    rows: list[list[object]] = [
        ["I", "CẢI CÁCH THỂ CHẾ"],  # row 8: section heading
        [1, NFD_TASK, None, "15/07/2026", " Đã  hoàn thành ", "100%", " P1-01 ", "Sở Tư pháp"],  # 9
        [2, "Số hoá hồ sơ", "Thiếu\nkinh phí", 46218, "đang triển khai", 0.6, "P1-02", "Sở Tư pháp", "ghi chú"],
        [3, "Tập huấn", None, None, "CHT", "0", "P1-03", "Sở Tư pháp"],  # 11
        ["II", "CẢI CÁCH THỦ TỤC HÀNH CHÍNH"],  # 12
        [4, "Công bố TTHC", None, "31/02/2026", "xong", "120", "P2-01", "Sở Tư pháp"],  # 13
        [5, "Niêm yết TTHC", None, dt.datetime(2026, 8, 3), "Theo kế hoạch", "80 %", None, "Sở Tư pháp"],  # 14
        [],  # 15
        [6, None, None, None, "HT"],  # 16: status but no task
    ]
    for row in rows:
        ws.append(row)
    guide = wb.create_sheet("Hướng dẫn")
    guide["A1"] = "Điền cột Tình trạng bằng một trong các giá trị trong danh sách."
    hidden = wb.create_sheet("Cũ")
    hidden.append(["Mã", "Nội dung", "Tình trạng"])
    hidden.append(["P9-99", "Không được đọc", "HT"])
    hidden.sheet_state = "hidden"


def test_hand_made_return() -> None:
    parsed = read_return(xlsx(hand_made))
    assert parsed.meta == {"period": "2026-Q3", "agency": "Sở Tư pháp"}
    # Numbering row 7, headings 8 and 12 and row 9..16 except blank 15 are examined.
    assert parsed.rows_read == 9
    assert [r.row for r in parsed.rows] == [9, 10, 11, 13, 14, 16]
    assert {r.sheet for r in parsed.rows} == {"Quý 3"}
    r9, r10, r11, r13, r14, r16 = parsed.rows
    assert r9.code == "P1-01"
    assert r9.task_text == "Rà soát, đơn giản hoá thủ tục hành chính"
    assert unicodedata.is_normalized("NFC", r9.task_text)
    assert (r9.state, r9.progress_pct, r9.completed_on) == (STATE_DONE, 100.0, dt.date(2026, 7, 15))
    assert r9.lead_text == "Sở Tư pháp"
    assert (r10.state, r10.progress_pct, r10.completed_on) == (STATE_IN_PROGRESS, 60.0, dt.date(2026, 7, 15))
    assert r10.difficulties == "Thiếu kinh phí"
    assert r10.output_document is None
    assert r10.raw["Ghi chú"] == "ghi chú"
    assert r10.raw["Ngày hoàn thành"] == "46218"
    assert (r11.state, r11.progress_pct, r11.completed_on) == (STATE_NOT_STARTED, 0.0, None)
    # Invalid fields are None, the row is still listed.
    assert (r13.code, r13.state, r13.progress_pct, r13.completed_on) == ("P2-01", STATE_DONE, None, None)
    assert (r14.code, r14.state, r14.progress_pct, r14.completed_on) == (None, None, 80.0, dt.date(2026, 8, 3))
    assert (r16.code, r16.task_text, r16.state) == (None, None, STATE_DONE)
    assert errors_at(parsed) == [
        ("Quý 3", 13, "Tỷ lệ (%)", "Dòng 13, cột 'Tỷ lệ (%)': 120 nằm ngoài khoảng 0–100%"),
        ("Quý 3", 13, "Ngày hoàn thành", "Dòng 13, cột 'Ngày hoàn thành': 31/02/2026 không phải là ngày hợp lệ"),
        ("Quý 3", 14, "Tình trạng",
         "Dòng 14, cột 'Tình trạng': 'Theo kế hoạch' không phải là tình trạng hợp lệ "
         "(dùng: Đã hoàn thành / Đang thực hiện / Chưa thực hiện)"),
        ("Quý 3", 16, "Mã NV",
         "Dòng 16: thiếu cả mã và nội dung nhiệm vụ nên không xác định được nhiệm vụ"),
    ]
    assert parsed.errors[1].value == "31/02/2026"
    assert parsed.errors[2].value == "Theo kế hoạch"


def test_date_error_message_format() -> None:
    header: list[object] = ["Mã", "Nhiệm vụ", "Ngày hoàn thành", "Tình trạng"]
    rows: list[list[object]] = [["X"], ["Y"], header]
    rows += [[f"P{i}", "nv", "01/01/2026", "HT"] for i in range(10)]
    rows.append(["P10", "nv", "31/02/2026", "HT"])  # row 14
    parsed = read_return(table(rows))
    assert [e.message for e in parsed.errors] == [
        "Dòng 14, cột 'Ngày hoàn thành': 31/02/2026 không phải là ngày hợp lệ"
    ]
    assert parsed.errors[0] == CellError(
        "Báo cáo", 14, "Ngày hoàn thành", "31/02/2026",
        "Dòng 14, cột 'Ngày hoàn thành': 31/02/2026 không phải là ngày hợp lệ",
    )


def test_vertically_merged_lead_applies_to_each_row_and_unnamed_column_uses_letter() -> None:
    def build(wb: openpyxl.Workbook) -> None:
        ws = wb.active
        assert isinstance(ws, Worksheet)
        ws.append(["Mã số", "Tên nhiệm vụ", "Chủ trì", "Trạng thái", None])
        ws.append(["A-1", "Một", "Sở Nội vụ", "HT", "x"])
        ws.append(["A-2", "Hai", None, "ĐTH", None])
        ws.append(["A-3", "Ba", None, "chưa", None])
        ws.merge_cells("C2:C4")

    parsed = read_return(xlsx(build))
    assert [(r.code, r.lead_text, r.state) for r in parsed.rows] == [
        ("A-1", "Sở Nội vụ", STATE_DONE), ("A-2", "Sở Nội vụ", STATE_IN_PROGRESS), ("A-3", "Sở Nội vụ", STATE_NOT_STARTED),
    ]
    assert parsed.rows[0].raw["E"] == "x"


def test_formula_text_is_kept_verbatim() -> None:
    def build(wb: openpyxl.Workbook) -> None:
        ws = wb.active
        assert isinstance(ws, Worksheet)
        ws.append(["Mã", "Nội dung", "Tình trạng", "Sản phẩm"])
        ws.append(["P1", "nv", "HT", None])
        ws["D2"] = '=HYPERLINK("http://x","QĐ")'
        ws["D2"].data_type = "s"  # stored as a text cell starting with "="

    parsed = read_return(xlsx(build))
    assert parsed.rows[0].output_document == '=HYPERLINK("http://x","QĐ")'
    assert parsed.rows[0].raw["Sản phẩm"] == '=HYPERLINK("http://x","QĐ")'


def test_signature_block_ends_the_table() -> None:
    rows: list[list[object]] = [
        ["Mã", "Nội dung", "Tình trạng", "Tỷ lệ (%)"],
        ["P1", "Giám đốc Sở chỉ đạo rà soát TTHC", "HT", 100],  # starts like a signature, but has a status
        ["P2", "Tập huấn", "đang thực hiện", "50%"],
        [None, "Tổng cộng", None, None],  # no status, no code: skipped quietly
        [],
        ["Nơi nhận:", None, "KT. GIÁM ĐỐC"],
        ["- UBND tỉnh;", None, "PHÓ GIÁM ĐỐC"],
        [None, None, "Nguyễn Văn A"],
    ]
    parsed = read_return(table(rows))
    assert [(r.row, r.code, r.state, r.progress_pct) for r in parsed.rows] == [
        (2, "P1", STATE_DONE, 100.0), (3, "P2", STATE_IN_PROGRESS, 50.0),
    ]
    assert parsed.errors == []
    assert parsed.rows_read == 3


def test_percentages_in_a_status_column_are_read_as_progress() -> None:
    rows: list[list[object]] = [
        ["Mã", "Nội dung", "Tiến độ thực hiện"],
        ["P1", "a", "80%"],
        ["P2", "b", 0.5],
        ["P3", "c", "Đang thực hiện"],
        ["P4", "d", "abc%"],
    ]
    parsed = read_return(table(rows))
    assert [(r.code, r.state, r.progress_pct) for r in parsed.rows] == [
        ("P1", None, 80.0), ("P2", None, 50.0), ("P3", STATE_IN_PROGRESS, None), ("P4", None, None),
    ]
    assert errors_at(parsed) == [
        ("Báo cáo", 5, "Tiến độ thực hiện",
         "Dòng 5, cột 'Tiến độ thực hiện': abc% không phải là tỷ lệ hợp lệ (0–100%)"),
    ]


def test_sheet_named_chi_tieu_is_read_as_indicators_even_if_it_looks_like_tasks() -> None:
    def build(wb: openpyxl.Workbook) -> None:
        ws = wb.active
        assert isinstance(ws, Worksheet)
        ws.title = "Chỉ tiêu"
        ws.append(["Mã", "Nội dung", "Kết quả"])
        ws.append(["CT01", "Tỷ lệ hồ sơ trực tuyến", "90,49"])

    parsed = read_return(xlsx(build))
    assert parsed.rows == []
    assert [(i.code, i.name, i.value) for i in parsed.indicator_rows] == [("CT01", "Tỷ lệ hồ sơ trực tuyến", 90.49)]


# --- the easy path: the generated template -------------------------------------

def template(wb: openpyxl.Workbook) -> None:
    ws = wb.active
    assert isinstance(ws, Worksheet)
    ws.title = "Báo cáo"
    ws.append(CLEAN_HEADER)
    ws.append(["P1-01", "Rà soát", "Sở Nội vụ", "Đã hoàn thành", 1.0, dt.date(2026, 9, 1), None, None])
    ind = wb.create_sheet("Chỉ tiêu")
    ind.append(["Mã chỉ tiêu", "Tên chỉ tiêu", "Kỳ", "Giá trị"])
    ind.append(["CT01", "Tỷ lệ hài lòng", "2026-Q3", "90,49"])
    ind.append(["CT02", "Số hồ sơ trực tuyến", "Quý III/2026", "1.234,5"])
    ind.append(["CT03", "Chỉ số PAR INDEX", None, 85.5])
    ind.append(["CT04", "Chỉ số SIPAS", "Q5/2026", "abc"])
    meta = wb.create_sheet("_meta")
    meta.append(["template_version", "2026.1"])
    meta.append(["agency", "Sở Nội vụ"])
    meta.append(["period", "2026-Q3"])
    meta.sheet_state = "hidden"
    lists = wb.create_sheet("DanhMuc")
    lists.append(["Mã", "Nội dung", "Tình trạng"])
    lists.append(["x", "y", "Đã hoàn thành"])
    lists.sheet_state = "hidden"


def test_template_with_meta_and_indicator_sheet() -> None:
    parsed = read_return(xlsx(template))
    assert parsed.meta == {"template_version": "2026.1", "agency": "Sở Nội vụ", "period": "2026-Q3"}
    assert [(r.sheet, r.row, r.code, r.state, r.progress_pct) for r in parsed.rows] == [
        ("Báo cáo", 2, "P1-01", STATE_DONE, 100.0),
    ]
    assert [(i.sheet, i.row, i.code, i.name, i.period, i.value) for i in parsed.indicator_rows] == [
        ("Chỉ tiêu", 2, "CT01", "Tỷ lệ hài lòng", "2026-Q3", 90.49),
        ("Chỉ tiêu", 3, "CT02", "Số hồ sơ trực tuyến", "2026-Q3", 1234.5),
        ("Chỉ tiêu", 4, "CT03", "Chỉ số PAR INDEX", None, 85.5),
        ("Chỉ tiêu", 5, "CT04", "Chỉ số SIPAS", None, None),
    ]
    assert errors_at(parsed) == [
        ("Chỉ tiêu", 5, "Kỳ",
         "Dòng 5, cột 'Kỳ': Q5/2026 không phải là kỳ báo cáo hợp lệ (ví dụ: Quý III/2026 hoặc 2026-Q3)"),
        ("Chỉ tiêu", 5, "Giá trị", "Dòng 5, cột 'Giá trị': abc không phải là số hợp lệ"),
    ]
    assert parsed.rows_read == 5


def test_meta_sheet_wins_over_title_and_period_is_normalised() -> None:
    def build(wb: openpyxl.Workbook) -> None:
        ws = wb.active
        assert isinstance(ws, Worksheet)
        ws.append(["Báo cáo kết quả Quý 2 năm 2026"])
        ws.append(["Đơn vị:", "UBND xã Cam Lâm"])
        ws.append(["Mã", "Nội dung", "Tiến độ (%)"])
        ws.append(["P1", "nv", 50])
        meta = wb.create_sheet("_meta")
        meta.append(["period", "Quý III/2026"])
        meta.sheet_state = "veryHidden"

    parsed = read_return(xlsx(build))
    assert parsed.meta == {"period": "2026-Q3", "agency": "UBND xã Cam Lâm"}
    assert parsed.rows[0].progress_pct == 50.0


def test_title_period_quarter_in_words() -> None:
    parsed = read_return(table([["Báo cáo CCHC quý 3 năm 2026"], CLEAN_HEADER, ["P1", "nv", None, "HT"]]))
    assert parsed.meta == {"period": "2026-Q3"}


# --- refusals ----------------------------------------------------------------------

def test_refuses_empty_file() -> None:
    exc = refused(b"")
    assert str(exc) == "Tệp trống (0 byte). Hãy chọn lại tệp báo cáo .xlsx."
    assert exc.errors == [CellError("", 0, "", "", str(exc))]


def test_refuses_file_over_size_limit() -> None:
    data = table([CLEAN_HEADER, ["P1", "nv", None, "HT"]])
    assert "Tệp quá lớn" in str(refused(data, max_bytes=1000))


def test_refuses_csv_renamed() -> None:
    csv = "Mã,Nội dung,Tình trạng\nP1,nv,HT\n".encode()
    assert "không phải là bảng tính Excel .xlsx" in str(refused(csv))
    assert "CSV" in str(refused(csv))


def test_refuses_legacy_xls() -> None:
    fake_xls = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 504 + "Workbook".encode("utf-16-le") + b"\0" * 1000
    assert str(refused(fake_xls)) == "Đây là tệp .xls cũ (Excel 97–2003), hãy lưu lại dạng .xlsx rồi tải lên lại."


def test_refuses_encrypted_workbook() -> None:
    encrypted = (
        b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 504
        + "EncryptionInfo".encode("utf-16-le") + b"\0" * 50 + "EncryptedPackage".encode("utf-16-le") + b"\0" * 1000
    )
    message = str(refused(encrypted))
    assert "mật khẩu" in message
    assert ".xls cũ" not in message


def test_refuses_zip_that_is_not_a_workbook() -> None:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as zf:
        zf.writestr("word/document.xml", "<w/>")
        zf.writestr("[Content_Types].xml", "<Types/>")
    assert "không phải là bảng tính Excel .xlsx" in str(refused(out.getvalue()))


def test_refuses_macro_workbook_with_vba_project() -> None:
    data = table([CLEAN_HEADER, ["P1", "nv", None, "HT"]])
    xlsm = rezip(data, lambda name, content: content, extra={"xl/vbaProject.bin": b"\0" * 100})
    assert "macro" in str(refused(xlsm))


def test_refuses_macro_enabled_content_type() -> None:
    data = table([CLEAN_HEADER, ["P1", "nv", None, "HT"]])

    def change(name: str, content: bytes) -> bytes:
        if name == "[Content_Types].xml":
            return content.replace(
                b"application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml",
                b"application/vnd.ms-excel.sheet.macroEnabled.main+xml",
            )
        return content

    assert "macro" in str(refused(rezip(data, change)))


def _with_zeros(data: bytes, megabytes: int) -> bytes:
    """The workbook plus one entry holding `megabytes` MB of zeros (streamed, compresses ~1000x)."""
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(data)) as src, zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as dst:
        for info in src.infolist():
            dst.writestr(info.filename, src.read(info))
        chunk = b"\0" * (1024 * 1024)
        with dst.open("xl/media/image1.bin", "w", force_zip64=True) as entry:
            for _ in range(megabytes):
                entry.write(chunk)
    return out.getvalue()


def test_refuses_zip_bomb_by_declared_total() -> None:
    bomb = _with_zeros(table([CLEAN_HEADER, ["P1", "nv", None, "HT"]]), 300)
    assert len(bomb) < 1024 * 1024
    assert "dung lượng giải nén quá lớn" in str(refused(bomb))


def test_refuses_zip_bomb_by_compression_ratio() -> None:
    bomb = _with_zeros(table([CLEAN_HEADER, ["P1", "nv", None, "HT"]]), 20)
    assert "dung lượng giải nén quá lớn" in str(refused(bomb))


def test_refuses_too_many_zip_entries() -> None:
    data = table([CLEAN_HEADER, ["P1", "nv", None, "HT"]])
    extra = {f"xl/media/x{i}.bin": b"x" for i in range(1001)}
    assert "thành phần" in str(refused(rezip(data, lambda name, content: content, extra=extra)))


DTD = b'<!DOCTYPE lolz [<!ENTITY lol "lol"><!ENTITY lol2 "&lol;&lol;&lol;&lol;">]>'


def _insert_before_root(content: bytes, insert: bytes) -> bytes:
    root = content.index(b"<", content.index(b"?>") + 2 if content.startswith(b"<?xml") else 0)
    return content[:root] + insert + content[root:]


def test_refuses_entity_declaration_in_sheet_xml() -> None:
    data = table([CLEAN_HEADER, ["P1", "nv", None, "HT"]])
    bad = rezip(data, lambda name, c: _insert_before_root(c, DTD) if name == "xl/worksheets/sheet1.xml" else c)
    assert str(refused(bad)) == (
        "Tệp chứa khai báo DOCTYPE/ENTITY trong XML (có thể là tệp độc hại); không đọc tệp này. "
        "Hãy lưu lại tệp bằng Excel rồi tải lên lại."
    )


def test_refuses_entity_declaration_anywhere_in_xml_part() -> None:
    data = table([CLEAN_HEADER, ["P1", "nv", None, "HT"]])
    bad = rezip(data, lambda name, c: c + b'<!entity x "y">' if name == "xl/styles.xml" else c)
    assert "DOCTYPE/ENTITY" in str(refused(bad))


def test_refuses_xml_part_whose_root_hides_behind_a_long_prologue() -> None:
    data = table([CLEAN_HEADER, ["P1", "nv", None, "HT"]])
    padding = b"<!--" + b" " * 70000 + b"-->"
    bad = rezip(data, lambda name, c: _insert_before_root(c, padding) if name == "xl/workbook.xml" else c)
    assert "XML bất thường" in str(refused(bad))


def test_refuses_too_many_data_rows() -> None:
    rows: list[list[object]] = [["Tiêu đề"], list(CLEAN_HEADER)]
    rows += [[f"P{i}", "nv", None, "HT"] for i in range(51)]
    exc = refused(table(rows), max_rows=50)
    assert str(exc) == "Trang 'Báo cáo' có quá nhiều dòng (tối đa 50 dòng dữ liệu). Hãy tách tệp hoặc xoá các dòng thừa."
    assert exc.errors[0].sheet == "Báo cáo"
    parsed = read_return(table(rows[:-1]), max_rows=50)
    assert len(parsed.rows) == 50


def test_refuses_tall_sheet_before_converting_it() -> None:
    def build(wb: openpyxl.Workbook) -> None:
        ws = wb.active
        assert isinstance(ws, Worksheet)
        ws.append(CLEAN_HEADER)
        ws.append(["P1", "nv", None, "HT"])
        ws["A1200"] = "ghi chú lạc"

    assert "quá nhiều dòng" in str(refused(xlsx(build), max_rows=100))


def test_refuses_sheet_with_a_stray_cell_far_to_the_right() -> None:
    def build(wb: openpyxl.Workbook) -> None:
        ws = wb.active
        assert isinstance(ws, Worksheet)
        ws.append(CLEAN_HEADER)
        ws.append(["P1", "nv", None, "HT"])
        ws["XFD400"] = "x"

    assert str(refused(xlsx(build))) == (
        "Trang 'Sheet' có dữ liệu trải quá rộng (đến cột XFD, dòng 400). Hãy xoá các cột, dòng thừa rồi tải lên lại."
    )


def test_refuses_workbook_without_a_return_table() -> None:
    assert "Không tìm thấy bảng báo cáo" in str(refused(table([["Họ tên", "Ghi chú"], ["A", "B"]])))


def test_too_long_cell_is_a_cell_error() -> None:
    long_text = "Nội dung rất dài " * 10  # 170 characters
    data = table([CLEAN_HEADER, ["P1", long_text, None, "HT"], ["P2", "ngắn", None, "x" * 150]])
    parsed = read_return(data, max_cell_chars=100)
    assert [(r.code, r.task_text, r.state) for r in parsed.rows] == [("P1", None, STATE_DONE), ("P2", "ngắn", None)]
    assert errors_at(parsed) == [
        ("Báo cáo", 2, "Nội dung nhiệm vụ",
         "Dòng 2, cột 'Nội dung nhiệm vụ': nội dung dài 170 ký tự, vượt quá giới hạn 100 ký tự"),
        ("Báo cáo", 3, "Tình trạng", "Dòng 3, cột 'Tình trạng': nội dung dài 150 ký tự, vượt quá giới hạn 100 ký tự"),
    ]
    assert len(parsed.rows[0].raw["Nội dung nhiệm vụ"]) == 100


# --- performance --------------------------------------------------------------------

def test_twenty_thousand_rows_parse_whole() -> None:
    """20 000 rows in mixed forms all read, none lost (the time it takes is measured by `make bench`, not here)."""
    wb = openpyxl.Workbook(write_only=True)
    ws = wb.create_sheet("Báo cáo")
    ws.append(["BÁO CÁO QUÝ III/2026"])
    ws.append(CLEAN_HEADER + ["Ghi chú", "STT"])
    states = ["Đã hoàn thành", "đang thực hiện", "CHT"]
    for i in range(20000):
        ws.append([f"P{i:05d}", f"Nhiệm vụ số {i}", "Sở Nội vụ", states[i % 3], i % 101,
                   dt.date(2026, 7, 1 + i % 28) if i % 2 else f"{1 + i % 28}/7/2026", "QĐ 1", None, "", i])
    out = io.BytesIO()
    wb.save(out)
    parsed = read_return(out.getvalue())
    assert len(parsed.rows) == 20000
    assert parsed.errors == []
    assert parsed.meta == {"period": "2026-Q3"}
