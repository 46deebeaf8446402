"""What a leader takes away: Vietnam dates whatever the server clock, Excel files with typed cells,
and slides whose content is decided once for the screen and the PDF."""

from __future__ import annotations

import datetime as dt
import io
import os
import time
from collections.abc import Iterator
from pathlib import Path

import pandas as pd
import pytest
from openpyxl import load_workbook
from sqlalchemy.engine import Engine

from data_access import clock, status
from tests.signin import signed_in
from ui.fmt import to_xlsx

# --- Vietnam time -------------------------------------------------------------------------


@pytest.fixture
def utc_server(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    """The process runs with TZ=UTC, as a container usually does, and the clock reads 23:30 UTC."""
    monkeypatch.setenv("TZ", "UTC")
    time.tzset()
    monkeypatch.setattr(clock, "now_utc", lambda: dt.datetime(2026, 3, 31, 23, 30, tzinfo=dt.UTC))
    yield
    monkeypatch.delenv("TZ")
    time.tzset()


def test_today_is_the_vietnamese_date_at_23_30_utc(utc_server: None) -> None:
    assert time.strftime("%Z") == "UTC" and os.environ["TZ"] == "UTC"
    assert dt.datetime.now().date() == dt.datetime.now(dt.UTC).date()  # the server's own date is UTC's
    # 23:30 UTC on 31/03 is 06:30 on 01/04 in Khánh Hòa (UTC+7).
    assert clock.today_vn() == dt.date(2026, 4, 1)
    assert clock.now_vn().strftime("%H:%M") == "06:30"
    assert clock.fmt_datetime(dt.datetime(2026, 3, 31, 23, 30)) == "01/04/2026 06:30"  # naive = stored UTC
    assert clock.fmt_datetime("2026-03-31T23:30:00+00:00") == "01/04/2026 06:30"
    assert clock.fmt_datetime(None) == "–"


def test_sidebar_as_of_date_defaults_to_the_vietnamese_today(store: Engine, utc_server: None) -> None:
    at = signed_in("lanh_dao")
    assert not at.exception, [e.value for e in at.exception]
    assert at.date_input(key="f_as_of").value == dt.date(2026, 4, 1)


# --- Excel downloads ------------------------------------------------------------------------


def _sheet(data: bytes) -> object:
    return load_workbook(io.BytesIO(data)).active


def test_xlsx_has_title_as_of_row_typed_cells_frozen_bold_header_and_filter() -> None:
    df = pd.DataFrame({
        "Cơ quan": ["Sở Nội vụ", "=1+1", "-2", "@SUM(A1)"],
        "Quá hạn": ["1.234", "5", "0", "12"],
        "Tỷ lệ": ["90,49%", "100%", "–", "0,5%"],
        "Hạn": ["31/03/2026", "01/01/2025", "–", "29/02/2024"],
        "Số ngày quá hạn": ["273 ngày", "1 ngày", "–", "3 ngày"],
        "Tổng": [1, 2, 3, 4],
        "Mã": ["PS25-09", "12", "SNV26-P1-01", "3"],  # one code is digits only: the column stays text
    })
    ws = _sheet(to_xlsx(df, "Quá hạn", title="Nhiệm vụ quá hạn theo cơ quan", as_of=dt.date(2026, 3, 31),
                        scope="Tất cả kế hoạch"))
    assert ws.title == "Quá hạn"
    assert ws["A1"].value == "Nhiệm vụ quá hạn theo cơ quan" and ws["A1"].font.bold
    assert ws["A2"].value == "Số liệu tính đến ngày 31/03/2026 · Tất cả kế hoạch"
    assert [c.value for c in ws[3]] == list(df.columns)
    assert all(c.font.bold for c in ws[3])
    assert ws.freeze_panes == "A4"
    assert ws.auto_filter.ref == "A3:G7"
    # numbers
    assert ws["B4"].value == 1234 and ws["B4"].data_type == "n" and ws["B4"].number_format == "#,##0"
    assert ws["F4"].value == 1 and ws["F4"].number_format == "#,##0"
    # percentages (one decimal place shown as 2 because 90,49% needs them)
    assert ws["C4"].value == pytest.approx(0.9049) and ws["C4"].number_format == "0.00%"
    assert ws["C5"].value == 1 and ws["C6"].value is None
    # dates are real dates shown day/month/year
    assert ws["D4"].is_date and ws["D4"].value.date() == dt.date(2026, 3, 31)
    assert ws["D4"].number_format == "dd/mm/yyyy" and ws["D7"].value.date() == dt.date(2024, 2, 29)
    # "N ngày" keeps its unit in the format, the value is a number
    assert ws["E4"].value == 273 and ws["E4"].number_format == '#,##0 "ngày"'
    # text stays text: a formula-looking name is a string cell, the code column is not turned into numbers
    for ref in ("A5", "A6", "A7"):
        assert ws[ref].data_type == "s", ref
    assert ws["A5"].value == "=1+1" and ws["A6"].value == "-2"
    assert ws["G5"].value == "12" and ws["G5"].data_type == "s"
    assert 10 <= ws.column_dimensions["A"].width <= 60


def test_xlsx_typed_values_from_numeric_and_datetime_columns() -> None:
    df = pd.DataFrame({"n": [1, 2], "x": [1.5, None], "d": [dt.date(2026, 1, 2), None],
                       "t": pd.to_datetime(["2026-03-31 23:30", None], utc=True)})
    ws = _sheet(to_xlsx(df))
    assert ws["A4"].value == 1 and ws["A4"].number_format == "#,##0"
    assert ws["B4"].value == 1.5 and ws["B4"].number_format == "#,##0.00" and ws["B5"].value is None
    assert ws["C4"].value.date() == dt.date(2026, 1, 2) and ws["C4"].number_format == "dd/mm/yyyy"
    assert ws["D4"].value == dt.datetime(2026, 4, 1, 6, 30)  # shown in Vietnam time
    assert ws["A2"].value == f"Số liệu tính đến ngày {clock.today_vn():%d/%m/%Y}"


def test_overdue_page_table_downloads_as_typed_cells(store: Engine, sample_db_file: Path) -> None:
    from tests.test_page_views import _page, _table

    at = _page("pages/qua_han_co_quan.py")
    shown = _table(at, "agencies")
    ws = _sheet(to_xlsx(shown, "Quá hạn theo cơ quan", as_of=dt.date(2026, 11, 22)))
    header = [c.value for c in ws[3]]
    col = header.index("Quá hạn (chủ trì)") + 1
    values = [ws.cell(r, col).value for r in range(4, 4 + len(shown))]
    assert all(isinstance(v, int) for v in values)
    assert values == [int(n.replace(".", "")) for n in shown["Quá hạn (chủ trì)"]]
    assert ws.cell(4, 1).data_type == "s" and ws.cell(4, 1).value == shown.iloc[0, 0]


# --- slides: one content for screen and PDF, whole-number axes ------------------------------


def test_cut_words_never_cuts_inside_a_word() -> None:
    from data_access.meeting import cut_words

    text = "Công bố danh mục văn bản quy phạm pháp luật do Hội đồng nhân dân, Ủy ban nhân dân tỉnh ban hành"
    for limit in range(8, len(text) + 1):
        cut = cut_words(text, limit)
        assert len(cut) <= limit
        if cut != text:
            assert cut.endswith("…")
            kept = cut[:-1].split()
            words = text.split()[: len(kept)]
            assert kept[:-1] == words[:-1] and kept[-1] == words[-1].rstrip(","), (limit, cut)  # whole words only
    assert cut_words("ngắn", 10) == "ngắn"


def test_pdf_deck_shows_exactly_the_rows_of_the_slides(db: Engine) -> None:
    import re

    from pypdf import PdfReader

    from data_access import meeting
    from data_access import queries as q
    from data_access.deck import render_deck
    from data_access.permissions import Actor

    staff = Actor("chuyenvien", "chuyen_vien")
    first = meeting.create_snapshot(db, staff, "Họp quý III/2026", q.Filters(as_of=dt.date(2026, 9, 30)))
    second = meeting.create_snapshot(db, staff, "Họp tháng 11/2026", q.Filters(as_of=dt.date(2026, 11, 22)))
    snap = meeting.load_snapshot(db, second)
    before = meeting.previous_snapshot(db, snap)
    assert before is not None and before.id == first
    comparison = meeting.compare(before, snap)
    slides = meeting.deck_content(snap, before, comparison)
    pages = [re.sub(r"\s+", " ", p.extract_text()) for p in
             PdfReader(io.BytesIO(render_deck(snap, before, comparison))).pages]
    assert len(pages) == len(slides) == 6
    indicators = slides[3].tables[0]
    red_or_amber = [i for i in snap.figures["indicators"] if i["rag"] in (status.RED, status.AMBER)]
    assert len(indicators.rows) == min(len(red_or_amber), meeting.MAX_INDICATORS)
    assert indicators.hidden == len(red_or_amber) - len(indicators.rows)
    for row in indicators.rows:
        assert " ".join(row[0].rstrip("…").split()[:4]) in pages[3]
        assert row[1] in pages[3]
    if indicators.hidden:
        assert f"… và {indicators.hidden} chỉ tiêu khác" in pages[3]
    # rows not on the slide are not in the PDF either
    for ind in red_or_amber[meeting.MAX_INDICATORS:]:
        assert ind["name"] not in pages[3]
    overdue = slides[5].tables[0]
    assert len(overdue.rows) == min(len(snap.figures["overdue"]), meeting.MAX_OVERDUE)
    for row in overdue.rows:
        assert row[1].split(":")[0] in pages[5]  # the task code
    for kpi_label, value, _ in slides[4].kpis:  # the comparison slide: same five counts
        assert re.search(rf"{kpi_label}\s*{re.escape(value)}\b", pages[4]), kpi_label


def test_slide_count_axes_are_whole_numbers_in_vietnamese_format(store: Engine) -> None:
    import json

    at = signed_in("chuyen_vien")
    at.switch_page("pages/trinh_chieu.py").run()
    assert not at.exception
    for _ in range(2):  # slides 2 and 3 are the charts of counts
        at.button(key="tc_next").click().run()
        assert not at.exception
        specs = [json.loads(e.proto.spec) for e in at.get("vega_lite_chart")]
        assert specs
        for spec in specs:
            assert spec["config"]["locale"]["number"]["decimal"] == ","
            assert spec["config"]["locale"]["number"]["thousands"] == "."
            axis = spec["layer"][0]["encoding"]["x"]["axis"]
            assert axis["format"] == ",d" and axis["tickMinStep"] == 1
