"""Tests for data_access.status_text: the table of Vietnamese status phrases (issue 11)."""

from __future__ import annotations

import datetime as dt
import unicodedata

import pytest

from data_access.status_text import (
    STATE_DONE,
    STATE_IN_PROGRESS,
    STATE_NOT_STARTED,
    UNKNOWN_REASON,
    dates_in,
    parse_state,
    read_status,
)

DONE, PROG, NOT = STATE_DONE, STATE_IN_PROGRESS, STATE_NOT_STARTED
D = dt.date

# (text as an agency writes it, state, progress, date, planned)
READ: list[tuple[str, str | None, float | None, dt.date | None, bool]] = [
    # plain words and short forms
    ("Đã hoàn thành", DONE, None, None, False),
    ("hoàn thành", DONE, None, None, False),
    ("HT", DONE, None, None, False),
    ("Xong", DONE, None, None, False),
    ("Đã hoàn tất", DONE, None, None, False),
    ("Hoàn thành đúng hạn", DONE, None, None, False),
    ("Hoàn thành quá hạn", DONE, None, None, False),
    ("  ĐÃ   HOÀN\nTHÀNH ", DONE, None, None, False),
    (unicodedata.normalize("NFD", "Đã hoàn thành"), DONE, None, None, False),
    ("da hoan thanh", DONE, None, None, False),
    ("Đang thực hiện", PROG, None, None, False),
    ("đang triển khai", PROG, None, None, False),
    ("ĐTH", PROG, None, None, False),
    ("Đang TH", PROG, None, None, False),
    ("Đang xem xét", PROG, None, None, False),
    ("dang trien khai 50%", PROG, 50.0, None, False),
    ("Chưa thực hiện", NOT, None, None, False),
    ("chưa triển khai", NOT, None, None, False),
    ("CHT", NOT, None, None, False),
    ("chưa", NOT, None, None, False),
    ("Không", NOT, None, None, False),
    ("Không thực hiện", NOT, None, None, False),
    # negations
    ("Chưa hoàn thành", NOT, None, None, False),
    ("Chưa hoàn thành (do thiếu kinh phí)", NOT, None, None, False),
    ("Không hoàn thành", NOT, None, None, False),
    ("Chưa hoàn thành, đạt 80% kế hoạch", PROG, 80.0, None, False),
    ("Chưa hoàn thành, 0%", NOT, 0.0, None, False),
    ("Chưa hoàn thành, đang lấy ý kiến các sở", PROG, None, None, False),
    ("Chưa triển khai, đạt 30%", PROG, 30.0, None, False),
    ("chưa xong", NOT, None, None, False),
    # partial and draft completions: never done
    ("Hoàn thành một phần", PROG, None, None, False),
    ("Đã hoàn thành dự thảo Quyết định, đang lấy ý kiến", PROG, None, None, False),
    ("Đã hoàn thành dự thảo…, đang lấy ý kiến", PROG, None, None, False),
    ("Cơ bản hoàn thành", PROG, None, None, False),
    ("Hoàn thành cơ bản các nội dung", PROG, None, None, False),
    ("Bước đầu hoàn thành", PROG, None, None, False),
    ("Đã xây dựng dự thảo, trình UBND tỉnh", PROG, None, None, False),
    ("Hoàn thành giai đoạn 1, tiếp tục triển khai giai đoạn 2", PROG, None, None, False),
    ("Đang chờ hướng dẫn của Bộ", PROG, None, None, False),
    ("Dự kiến hoàn thành 30/12/2026", PROG, None, D(2026, 12, 30), True),
    ("Dự kiến hoàn thành trong Quý IV/2026", PROG, None, None, False),
    # percentages and dates in prose
    ("Đang triển khai, đạt khoảng 70%", PROG, 70.0, None, False),
    ("Hoàn thành 100%", DONE, 100.0, None, False),
    ("Hoàn thành 80%", PROG, 80.0, None, False),
    ("Hoàn thành được khoảng 60,5% khối lượng", PROG, 60.5, None, False),
    ("80%", None, 80.0, None, False),
    ("Đạt khoảng 80% kế hoạch", None, 80.0, None, False),
    ("Đã hoàn thành ngày 15/8/2026", DONE, None, D(2026, 8, 15), False),
    ("Đã hoàn thành ngày 15 tháng 8 năm 2026", DONE, None, D(2026, 8, 15), False),
    ("Đã hoàn thành (QĐ số 123/QĐ-UBND ngày 20/7/2026)", DONE, None, D(2026, 7, 20), False),
    ("Hoàn thành 15/08/26", DONE, None, D(2026, 8, 15), False),
    # words that look like state words but are part of the task's own description
    ("Đã hoàn thành tổ chức đại hội Đảng bộ", DONE, None, None, False),
    ("Hoàn thành đăng tải công khai trên Cổng thông tin", DONE, None, None, False),
    ("Hoàn thành góp ý dự thảo Luật", DONE, None, None, False),
    ("Hoàn thành tập huấn kiến thức cơ bản", DONE, None, None, False),
    ("Hoàn thành xây dựng quy trình nội bộ", DONE, None, None, False),
    ("Hoàn thành kết nối, chia sẻ dữ liệu", DONE, None, None, False),
    ("Hoàn thành, không phát sinh vướng mắc", DONE, None, None, False),
]


@pytest.mark.parametrize(("text", "state", "progress", "date", "planned"), READ)
def test_read_status(text: str, state: str | None, progress: float | None, date: dt.date | None,
                     planned: bool) -> None:
    found = read_status(text)
    assert found.reason == ""
    assert (found.state, found.progress, found.date, found.date_planned) == (state, progress, date, planned)


HELP = "(dùng: Đã hoàn thành / Đang thực hiện / Chưa thực hiện)"
UNREADABLE: list[tuple[str, str]] = [
    ("Theo kế hoạch", f"không phải là tình trạng hợp lệ {HELP}"),
    ("Đã ban hành Kế hoạch số 12/KH-SNV ngày 10/9/2026", f"không phải là tình trạng hợp lệ {HELP}"),
    ("Thành", f"không phải là tình trạng hợp lệ {HELP}"),
    ("1", f"không phải là tình trạng hợp lệ {HELP}"),
    ("không rõ", f"không phải là tình trạng hợp lệ {HELP}"),
    ("abc%", f"không phải là tình trạng hợp lệ {HELP}"),
    ("hoàn thành nhưng chưa ban hành",
     f"không phải là tình trạng hợp lệ {HELP}: vừa ghi hoàn thành vừa ghi 'chưa ban hành'"),
    ("Hoàn thành 50%, giải ngân 60%",
     f"không phải là tình trạng hợp lệ {HELP}: ghi nhiều tỷ lệ khác nhau (50%, 60%) nên không biết tỷ lệ hoàn thành"),
    ("Chưa hoàn thành, đạt 100%", f"không phải là tình trạng hợp lệ {HELP}: ghi chưa hoàn thành nhưng tỷ lệ là 100%"),
    ("Cơ bản hoàn thành 100%",
     f"không phải là tình trạng hợp lệ {HELP}: ghi hoàn thành một phần hoặc đang thực hiện nhưng tỷ lệ là 100%"),
    ("Đạt 120%", "có tỷ lệ 120%, nằm ngoài khoảng 0–100%"),
    ("Đã hoàn thành, giải ngân đạt 80% vốn", f"không phải là tình trạng hợp lệ {HELP}: ghi hoàn thành nhưng tỷ lệ là 80%"),
]


@pytest.mark.parametrize(("text", "reason"), UNREADABLE)
def test_unreadable_phrases_are_unknown_with_the_reason(text: str, reason: str) -> None:
    found = read_status(text)
    assert (found.state, found.progress, found.known) == (None, None, False)
    assert found.reason == reason


def test_at_least_forty_phrases() -> None:
    assert len(READ) + len(UNREADABLE) >= 40


def test_blank() -> None:
    for text in (None, "", "   \n"):
        found = read_status(text)
        assert (found.state, found.progress, found.reason, found.known) == (None, None, "", True)


def test_done_is_never_read_from_a_date_alone() -> None:
    for text in ("15/08/2026", "Ngày 10/9/2026", "ngày 15 tháng 8 năm 2026"):
        found = read_status(text)
        assert found.state is None
        assert not found.known


def test_parse_state_uses_the_table_and_refuses_a_bare_percentage() -> None:
    assert parse_state("Chưa hoàn thành, đạt 80% kế hoạch") == PROG
    assert parse_state("Cơ bản hoàn thành") == PROG
    assert parse_state(None) is None
    with pytest.raises(ValueError) as info:
        parse_state("80%")
    assert str(info.value) == f"'80%' {UNKNOWN_REASON}"
    with pytest.raises(ValueError) as info:
        parse_state("hoàn thành nhưng chưa ban hành")
    assert str(info.value) == (
        f"'hoàn thành nhưng chưa ban hành' không phải là tình trạng hợp lệ {HELP}: "
        "vừa ghi hoàn thành vừa ghi 'chưa ban hành'"
    )


def test_dates_in_prose() -> None:
    assert dates_in("QĐ số 12/2026/QĐ-UBND ngày 20/7/2026") == [D(2026, 7, 20)]
    assert dates_in("ngày 15 tháng 8 năm 2026 và 15/08/26") == [D(2026, 8, 15)]
    assert dates_in("31/02/2026") == []
    assert dates_in("Kế hoạch 5399/KH-UBND") == []


def test_recurring_work_is_in_progress_and_a_share_of_items_is_not_its_progress() -> None:
    # A "thường xuyên" task never finishes; "100% TTHC được công khai" is an indicator of the items
    # handled, not the task's progress (issue 11, habit 3: prose in "Kết quả thực hiện").
    for text in ("Thực hiện thường xuyên; 100% TTHC được công khai đúng quy định",
                 "Thực hiện thường xuyên, đạt 100% TTHC được nhập sau công bố", "Thường xuyên",
                 "thuc hien thuong xuyen"):
        found = read_status(text)
        assert (found.state, found.progress, found.known) == (PROG, None, True), text
    found = read_status("Thực hiện thường xuyên, đạt 80% kế hoạch")
    assert (found.state, found.progress) == (PROG, 80.0)
    # A completion or a negation still wins over the recurring word.
    assert read_status("Chưa thực hiện thường xuyên").state == NOT
    assert read_status("Đã hoàn thành, thực hiện thường xuyên").state == DONE


def test_part_of_a_counted_job_done_is_in_progress_and_never_done() -> None:
    for text in ("Đã tổ chức 01/02 Hội nghị đối thoại với doanh nghiệp", "Đã kiểm tra 4/6 đơn vị"):
        found = read_status(text)
        assert (found.state, found.progress, found.known) == (PROG, None, True), text
    # All of them counted says nothing about the task being complete; a date is not a count.
    for text in ("Đã kiểm tra 6/6 đơn vị", "Đã tổ chức hội nghị ngày 01/02"):
        assert read_status(text).state is None and not read_status(text).known, text
