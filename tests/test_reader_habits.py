"""The reader on returns as agencies really fill them (issue 11): tick-mark state columns beside the
plan's deadline, status as prose, hidden rows and sheets, instruction sheets, one sheet per quarter,
the plans' own headers, signature blocks of every kind of head, Word tables pasted into Excel, dates
written in words. Each test builds real .xlsx bytes and asserts what was read and the exact message."""

from __future__ import annotations

import datetime as dt

import openpyxl
import pytest
from openpyxl.worksheet.worksheet import Worksheet

from data_access.xlsx_reader import (
    HIDDEN_ROW,
    HIDDEN_SHEET,
    INSTRUCTION_SHEET,
    STATE_DONE,
    STATE_IN_PROGRESS,
    STATE_NOT_STARTED,
    FileRefused,
    ParsedReturn,
    SkippedPart,
    read_return,
)
from tests.importer_files import save, table

DONE, PROG, NOT = STATE_DONE, STATE_IN_PROGRESS, STATE_NOT_STARTED


def messages(parsed: ParsedReturn) -> list[tuple[str, int, str]]:
    return [(e.sheet, e.row, e.message) for e in parsed.errors]


def sheet(wb: openpyxl.Workbook, title: str, first: bool = False) -> Worksheet:
    ws = wb.active if first else wb.create_sheet(title)
    assert isinstance(ws, Worksheet)
    ws.title = title
    return ws


# --- tick-mark state columns beside the plan's deadline ------------------------------------------

def test_ticks_give_the_state_and_the_deadline_is_never_a_completion_date() -> None:
    wb = openpyxl.Workbook()
    ws = sheet(wb, "Báo cáo", first=True)
    ws["A1"] = "BÁO CÁO KẾT QUẢ THỰC HIỆN NHIỆM VỤ CẢI CÁCH HÀNH CHÍNH QUÝ III/2026"
    for col, label in zip("ABCD", ["STT", "Nhiệm vụ cụ thể", "Cơ quan chủ trì", "Thời gian hoàn thành"], strict=True):
        ws[f"{col}2"] = label
        ws.merge_cells(f"{col}2:{col}3")
    ws["E2"] = "Tình hình thực hiện"
    ws.merge_cells("E2:G2")
    ws["E3"], ws["F3"], ws["G3"] = "Đã hoàn thành", "Đang thực hiện", "Chưa thực hiện"
    rows: list[list[object]] = [
        [1, "Rà soát thủ tục", "Sở Nội vụ", "30/9/2026", "x"],  # 4
        [2, "Số hoá hồ sơ", "Sở Nội vụ", "31/12/2026", None, "X"],  # 5
        [3, "Tập huấn", "Sở Nội vụ", "Quý IV/2026", None, None, "✓"],  # 6
        [4, "Khảo sát", "Sở Nội vụ", "30/6/2026", "x", "x"],  # 7
        [5, "Kiểm tra", "Sở Nội vụ", "30/6/2026", "abc"],  # 8
        [6, "Công khai", "Sở Nội vụ", "30/6/2026", dt.datetime(2026, 8, 20)],  # 9: a date under "Đã hoàn thành"
    ]
    for row in rows:
        ws.append(row)
    parsed = read_return(save(wb))
    got = [(r.row, r.state, r.progress_pct, r.completed_on, r.state_source) for r in parsed.rows]
    assert got == [
        (4, DONE, None, None, "ticks"),
        (5, PROG, None, None, "ticks"),
        (6, NOT, None, None, "ticks"),
        (7, None, None, None, ""),
        (8, None, None, None, ""),
        (9, DONE, None, dt.date(2026, 8, 20), "ticks"),
    ]
    assert messages(parsed) == [
        ("Báo cáo", 7, "Dòng 7, cột 'Đã hoàn thành': đánh dấu ở nhiều cột tình trạng ('Đã hoàn thành' và "
                       "'Đang thực hiện'); chỉ đánh một cột"),
        ("Báo cáo", 8, "Dòng 8, cột 'Đã hoàn thành': 'abc' không phải là dấu đánh (hãy đánh 'x' vào đúng một cột "
                       "tình trạng)"),
    ]
    assert parsed.rows[0].raw["Thời gian hoàn thành"] == "30/9/2026"


def test_a_plan_table_without_any_status_column_is_refused_with_that_reason() -> None:
    data = table([
        ["STT", "Nhiệm vụ cụ thể", "Tiến độ", "Cơ quan chủ trì", "Cơ quan phối hợp", "Kết quả/sản phẩm"],
        [1, "Rà soát thủ tục", "Quý II/2025", "Sở Nội vụ", "Các sở", "Báo cáo"],
    ])
    with pytest.raises(FileRefused) as info:
        read_return(data)
    assert info.value.message == (
        "Bảng nhiệm vụ ở trang 'Báo cáo' không có cột tình trạng nên không biết nhiệm vụ nào đã hoàn thành: cần "
        "một cột 'Tình trạng', 'Kết quả thực hiện', 'Tỷ lệ hoàn thành (%)' hoặc các cột đánh dấu 'Đã hoàn thành' / "
        "'Đang thực hiện' / 'Chưa thực hiện'. Cột 'Thời gian hoàn thành' (hoặc 'Thời hạn') của kế hoạch là thời "
        "hạn, không phải ngày hoàn thành."
    )


def test_a_deadline_column_with_a_date_only_table_is_refused() -> None:
    data = table([["Nội dung nhiệm vụ", "Thời gian hoàn thành"], ["Rà soát", "30/9/2026"]])
    with pytest.raises(FileRefused, match="không có cột tình trạng"):
        read_return(data)


# --- status written as prose --------------------------------------------------------------------

def test_prose_status_is_read_with_the_original_text_kept() -> None:
    data = table([
        ["STT", "Nội dung công việc", "Kết quả thực hiện", "Kết quả/sản phẩm", "Số, ký hiệu văn bản"],
        [1, "A", "Hoàn thành một phần", "Quyết định", None],
        [2, "B", "Đã hoàn thành dự thảo Quyết định, đang lấy ý kiến", "Quyết định", None],
        [3, "C", "Cơ bản hoàn thành", "Kế hoạch", None],
        [4, "D", "Chưa hoàn thành, đạt 80% kế hoạch", "Báo cáo", None],
        [5, "E", "Đang triển khai, đạt khoảng 70%", "Báo cáo", None],
        [6, "F", "Hoàn thành 100%", "Quyết định", "QĐ số 12/QĐ-UBND"],
        [7, "G", "Đã hoàn thành (QĐ số 15/QĐ-UBND ngày 20/7/2026)", "Quyết định", "15/QĐ-UBND"],
        [8, "H", "Đã ban hành Kế hoạch số 12/KH-SNV", "Kế hoạch", None],
    ])
    parsed = read_return(data)
    got = [(r.row, r.state, r.progress_pct, r.completed_on, r.state_source, r.output_document) for r in parsed.rows]
    assert got == [
        (2, PROG, None, None, "prose", None),
        (3, PROG, None, None, "prose", None),
        (4, PROG, None, None, "prose", None),
        (5, PROG, 80.0, None, "prose", None),
        (6, PROG, 70.0, None, "prose", None),
        (7, DONE, 100.0, None, "prose", "QĐ số 12/QĐ-UBND"),
        (8, DONE, None, dt.date(2026, 7, 20), "prose", "15/QĐ-UBND"),
        (9, None, None, None, "", None),
    ]
    assert parsed.rows[1].status_text == "Đã hoàn thành dự thảo Quyết định, đang lấy ý kiến"
    assert messages(parsed) == [
        ("Báo cáo", 9, "Dòng 9, cột 'Kết quả thực hiện': 'Đã ban hành Kế hoạch số 12/KH-SNV' không phải là tình "
                       "trạng hợp lệ (dùng: Đã hoàn thành / Đang thực hiện / Chưa thực hiện)"),
    ]


def test_prose_that_contradicts_the_state_column_on_done_is_an_error_and_prose_alone_never_overrides() -> None:
    data = table([
        ["Mã nhiệm vụ", "Nhiệm vụ", "Tình trạng", "Kết quả thực hiện"],
        ["P1", "A", "Đã hoàn thành", "Đã hoàn thành dự thảo, đang lấy ý kiến"],  # 2: contradiction
        ["P2", "B", "Đang thực hiện", "Đã ban hành Kế hoạch 12/KH-SNV"],  # 3: prose unread, state column decides
        ["P3", "C", "Chưa thực hiện", "Chưa hoàn thành, đạt 40%"],  # 4: agrees on "not done", gives the progress
    ])
    parsed = read_return(data)
    assert [(r.row, r.state, r.progress_pct, r.state_source) for r in parsed.rows] == [
        (2, DONE, None, "state"), (3, PROG, None, "state"), (4, NOT, 40.0, "state"),
    ]
    assert messages(parsed) == [
        ("Báo cáo", 2, "Dòng 2, cột 'Kết quả thực hiện': nội dung 'Đã hoàn thành dự thảo, đang lấy ý kiến' cho thấy "
                       "'Đang thực hiện' nhưng cột 'Tình trạng' ghi 'Đã hoàn thành'"),
    ]


def test_text_ending_in_percent_in_the_status_column_is_not_a_bad_percentage() -> None:
    data = table([
        ["Mã", "Nội dung", "Tình trạng"],
        ["P1", "a", "Đang triển khai, đạt khoảng 70%"],
        ["P2", "b", "Chưa hoàn thành, đạt 80% kế hoạch"],
        ["P3", "c", "Hoàn thành 100%"],
    ])
    parsed = read_return(data)
    assert parsed.errors == []
    assert [(r.state, r.progress_pct) for r in parsed.rows] == [(PROG, 70.0), (PROG, 80.0), (DONE, 100.0)]


# --- hidden rows, hidden sheets, instruction sheets ---------------------------------------------

def hidden_and_guide() -> bytes:
    wb = openpyxl.Workbook()
    guide = sheet(wb, "Hướng dẫn", first=True)
    guide.append(["Mã nhiệm vụ", "Nhiệm vụ", "Tình trạng"])
    guide.append(["P1-01", "Ví dụ: rà soát thủ tục", "Đã hoàn thành"])  # the worked example
    ws = sheet(wb, "Báo cáo")
    ws.append(["Mã nhiệm vụ", "Nhiệm vụ", "Tình trạng", "Tỷ lệ hoàn thành (%)"])
    ws.append(["P1-01", "Rà soát thủ tục", "Đã hoàn thành", "100%"])  # 2: hidden, stale
    ws.append(["P1-01", "Rà soát thủ tục", "Đang thực hiện", "60%"])  # 3: the real row
    ws.append(["P1-02", "Tập huấn", "Chưa thực hiện", None])  # 4
    ws.append(["P1-03", "Khảo sát", "Đã hoàn thành", "100%"])  # 5: hidden
    ws.row_dimensions[2].hidden = True
    ws.row_dimensions[5].hidden = True
    old = sheet(wb, "Quý trước")
    old.append(["Mã nhiệm vụ", "Nhiệm vụ", "Tình trạng"])
    old.append(["P1-02", "Tập huấn", "Đã hoàn thành"])
    old.sheet_state = "hidden"
    example = sheet(wb, "Sheet3")
    example.append(["HƯỚNG DẪN CÁCH ĐIỀN BIỂU MẪU"])
    example.append(["Mã nhiệm vụ", "Nhiệm vụ", "Tình trạng"])
    example.append(["P1-02", "Tập huấn", "Đã hoàn thành"])
    return save(wb)


def test_hidden_rows_hidden_sheets_and_instruction_sheets_are_skipped_and_listed() -> None:
    parsed = read_return(hidden_and_guide())
    assert [(r.sheet, r.row, r.code, r.state, r.progress_pct) for r in parsed.rows] == [
        ("Báo cáo", 3, "P1-01", PROG, 60.0), ("Báo cáo", 4, "P1-02", NOT, None),
    ]
    assert parsed.errors == []
    assert parsed.skipped == [
        SkippedPart("Hướng dẫn", 0, INSTRUCTION_SHEET, "Trang 'Hướng dẫn' là trang hướng dẫn/ví dụ nên không được đọc."),
        SkippedPart("Báo cáo", 2, HIDDEN_ROW, "Trang 'Báo cáo', dòng 2 đang ẩn nên không được đọc."),
        SkippedPart("Báo cáo", 5, HIDDEN_ROW, "Trang 'Báo cáo', dòng 5 đang ẩn nên không được đọc."),
        SkippedPart("Quý trước", 0, HIDDEN_SHEET, "Trang 'Quý trước' đang ẩn nên không được đọc."),
        SkippedPart("Sheet3", 0, INSTRUCTION_SHEET,
                    "Trang 'Sheet3' là trang hướng dẫn/ví dụ (tiêu đề 'Hướng dẫn'/'Ví dụ') nên không được đọc."),
    ]
    assert parsed.rows_read == 2


@pytest.mark.parametrize("name", ["HD", "Ví dụ", "Mẫu", "Hướng dẫn điền", "huong dan"])
def test_instruction_sheet_names(name: str) -> None:
    wb = openpyxl.Workbook()
    guide = sheet(wb, name, first=True)
    guide.append(["Mã", "Nhiệm vụ", "Tình trạng"])
    guide.append(["P1", "ví dụ", "HT"])
    real = sheet(wb, "Mẫu số 01")  # a form number, not an example
    real.append(["Mã", "Nhiệm vụ", "Tình trạng"])
    real.append(["P2", "thật", "HT"])
    parsed = read_return(save(wb))
    assert [(r.sheet, r.code) for r in parsed.rows] == [("Mẫu số 01", "P2")]
    assert [(p.sheet, p.kind) for p in parsed.skipped] == [(name, INSTRUCTION_SHEET)]


# --- one sheet per quarter ----------------------------------------------------------------------

def two_quarters() -> bytes:
    wb = openpyxl.Workbook()
    for i, (title, quarter, state) in enumerate([("Quý III", "III", "Đang thực hiện"), ("Quý IV", "IV", "Đã hoàn thành")]):
        ws = sheet(wb, title, first=i == 0)
        ws.append([f"BÁO CÁO KẾT QUẢ THỰC HIỆN NHIỆM VỤ CẢI CÁCH HÀNH CHÍNH QUÝ {quarter}/2026"])
        ws.append(["Cơ quan báo cáo: Sở Nội vụ"])
        ws.append(["Mã nhiệm vụ", "Nhiệm vụ", "Tình trạng"])
        ws.append(["P1-01", "Rà soát", state])
    return save(wb)


def test_each_sheet_has_its_own_period_and_several_quarters_leave_the_choice_to_the_officer() -> None:
    parsed = read_return(two_quarters())
    assert parsed.sheet_periods == {"Quý III": "2026-Q3", "Quý IV": "2026-Q4"}
    assert [(r.sheet, r.period, r.state) for r in parsed.rows] == [("Quý III", "2026-Q3", PROG), ("Quý IV", "2026-Q4", DONE)]
    assert "period" not in parsed.meta
    assert parsed.meta["agency"] == "Sở Nội vụ"
    assert parsed.notes == [
        "Tệp có báo cáo của 2 kỳ: trang 'Quý III' (Quý III/2026), trang 'Quý IV' (Quý IV/2026). Hãy chọn kỳ báo "
        "cáo; các trang của kỳ khác được bỏ qua."
    ]


# --- the plans' own headers ---------------------------------------------------------------------

@pytest.mark.parametrize("label", ["Nhiệm vụ cụ thể", "Nội dung công việc", "Nhiệm vụ, giải pháp", "Nội dung nhiệm vụ"])
def test_plan_task_headers_are_recognised(label: str) -> None:
    parsed = read_return(table([["STT", label, "Tình trạng"], [1, "Rà soát thủ tục", "Đã hoàn thành"]]))
    assert [(r.task_text, r.state) for r in parsed.rows] == [("Rà soát thủ tục", DONE)]


def test_expected_output_column_is_not_the_output_document() -> None:
    only_expected = read_return(table([
        ["Nhiệm vụ cụ thể", "Kết quả/sản phẩm", "Tình trạng"], ["Rà soát", "Quyết định của UBND tỉnh", "HT"],
    ]))
    assert only_expected.rows[0].output_document is None
    both = read_return(table([
        ["Nhiệm vụ", "Sản phẩm", "Số, ký hiệu văn bản", "Tình trạng"], ["Rà soát", "Quyết định", "12/QĐ-UBND", "HT"],
    ]))
    assert both.rows[0].output_document == "12/QĐ-UBND"


# --- signature blocks ---------------------------------------------------------------------------

@pytest.mark.parametrize("title", [
    "GIÁM ĐỐC", "KT. GIÁM ĐỐC", "Q. CHÁNH VĂN PHÒNG", "CHÁNH THANH TRA", "KT. CHÁNH THANH TRA", "TRƯỞNG BAN",
    "PHÓ TRƯỞNG BAN", "TL. CHỦ TỊCH", "TUQ. CHỦ TỊCH", "TM. ỦY BAN NHÂN DÂN", "VIỆN TRƯỞNG", "HIỆU TRƯỞNG",
    "(Ký, ghi rõ họ tên)", "Nha Trang, ngày 10 tháng 10 năm 2026",
])
def test_signature_titles_end_the_table(title: str) -> None:
    parsed = read_return(table([
        ["STT", "Nội dung", "Kết quả thực hiện", "Ghi chú"],
        [1, "Rà soát", "Đã hoàn thành", None],
        [],
        [None, None, title],
        [None, None, "PHÓ GIÁM ĐỐC"],
        [None, None, "Nguyễn Văn A"],
    ]))
    assert parsed.errors == []
    assert [(r.row, r.state) for r in parsed.rows] == [(2, DONE)]
    assert parsed.rows_read == 1


# --- Word tables pasted into Excel --------------------------------------------------------------

def test_continuation_rows_are_merged_into_the_task_above() -> None:
    wb = openpyxl.Workbook()
    ws = sheet(wb, "Báo cáo", first=True)
    ws.append(["STT", "Nội dung nhiệm vụ", "Tình trạng", "Tỷ lệ hoàn thành (%)", "Khó khăn, vướng mắc"])
    ws.append([1, "Rà soát, đơn giản hóa", "Đang thực hiện", "50%"])  # 2
    ws.append([None, "thủ tục hành chính nội bộ", None, None])  # 3: paragraph continues
    ws.append([None, None, None, None, "Chờ hướng dẫn"])  # 4: only an extra cell
    ws.append([2, "Tập huấn nghiệp vụ", "Đã hoàn thành", "100%"])  # 5
    ws.append([3, "Số hoá hồ sơ", "Chưa thực hiện", None])  # 6: STT merged over 6..7
    ws.append([None, "thủ tục hành chính", None, None])  # 7
    ws.merge_cells("A6:A7")
    ws.append([None, "Khảo sát mức độ hài lòng", "Đã hoàn thành", None])  # 8: has a state: a row of its own
    parsed = read_return(save(wb))
    got = [(r.row, r.task_text, r.state, r.progress_pct, r.continuation_rows) for r in parsed.rows]
    assert got == [
        (2, "Rà soát, đơn giản hóa thủ tục hành chính nội bộ", PROG, 50.0, (3, 4)),
        (5, "Tập huấn nghiệp vụ", DONE, 100.0, ()),
        (6, "Số hoá hồ sơ thủ tục hành chính", NOT, None, (7,)),
        (8, "Khảo sát mức độ hài lòng", DONE, None, ()),
    ]
    assert parsed.rows[0].difficulties == "Chờ hướng dẫn"
    assert parsed.errors == []


# --- dates as written ---------------------------------------------------------------------------

def test_dates_in_words_and_planned_dates() -> None:
    data = table([
        ["Mã", "Nội dung", "Tình trạng", "Ngày hoàn thành"],
        ["P1", "a", "Đã hoàn thành", "ngày 15 tháng 8 năm 2026"],
        ["P2", "b", "Đã hoàn thành", "15/08/26"],
        ["P3", "c", "Đã hoàn thành", "Ngày 10/9/2026"],
        ["P4", "d", "Đã hoàn thành", "20/7/2026 (QĐ số 12/QĐ-UBND)"],
        ["P5", "e", "Đang thực hiện", "Dự kiến 30/12/2026"],
        ["P6", "f", "Đang thực hiện", "dự kiến hoàn thành trước 30/12/2026"],
        ["P7", "g", "Đã hoàn thành", "tháng 8/2026"],
    ])
    parsed = read_return(data)
    got = [(r.code, r.state, r.completed_on, r.planned_on) for r in parsed.rows]
    assert got == [
        ("P1", DONE, dt.date(2026, 8, 15), None),
        ("P2", DONE, dt.date(2026, 8, 15), None),
        ("P3", DONE, dt.date(2026, 9, 10), None),
        ("P4", DONE, dt.date(2026, 7, 20), None),
        ("P5", PROG, None, dt.date(2026, 12, 30)),
        ("P6", PROG, None, dt.date(2026, 12, 30)),
        ("P7", DONE, None, None),
    ]
    assert messages(parsed) == [
        ("Báo cáo", 8, "Dòng 8, cột 'Ngày hoàn thành': tháng 8/2026 không phải là ngày hợp lệ"),
    ]


def test_an_instruction_note_above_a_real_table_does_not_skip_the_sheet() -> None:
    parsed = read_return(table([
        ["Sở Nội vụ"],
        ["Hướng dẫn: điền cột Tình trạng bằng Đã hoàn thành / Đang thực hiện / Chưa thực hiện"],
        ["Mã", "Nhiệm vụ", "Tình trạng"],
        ["P1", "Rà soát", "HT"],
    ]))
    assert [(r.code, r.state) for r in parsed.rows] == [("P1", DONE)]
    assert parsed.skipped == []
