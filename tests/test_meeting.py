"""Meeting mode: frozen snapshots, their comparison, the slides and the PDF deck."""

from __future__ import annotations

import datetime as dt
import io
import re
from html import unescape
from pathlib import Path

import pytest
import sqlalchemy as sa
from pypdf import PdfReader
from sqlalchemy.engine import Engine

from data_access import meeting, permissions, status
from data_access import queries as q
from data_access.deck import render_deck
from data_access.vn import fmt_number, fmt_pct
from tests import independent
from tests.signin import signed_in

STAFF = permissions.Actor("chuyenvien", "chuyen_vien")
Q2_END, Q3_END = dt.date(2026, 6, 30), dt.date(2026, 9, 30)


def _complete_an_overdue_task(engine: Engine, as_of: dt.date) -> str:
    """Record a 'done' report for every lead of one overdue task, as an upload would; returns its code."""
    overdue = q.task_list(engine, q.Filters(as_of=as_of), statuses=(status.OPEN_OVERDUE,))
    code = str(overdue["code"].iloc[0])
    with engine.begin() as conn:
        leads = conn.execute(sa.text(
            "SELECT a.id FROM assignment a JOIN task t ON t.id = a.task_id "
            "WHERE t.code = :c AND a.role = 'chu_tri'"), {"c": code}).scalars().all()
        for assignment_id in leads:
            conn.execute(sa.text(
                "INSERT INTO statusreport (assignment_id, period, period_start, period_end, state, progress_pct, "
                "completed_on, is_sample, recorded_at, recorded_by) VALUES (:a, '2026-Q3', :ps, :pe, 'hoan_thanh', "
                "100, :done, false, :now, 'test')"),
                {"a": assignment_id, "ps": dt.date(2026, 7, 1), "pe": Q3_END, "done": dt.date(2026, 8, 1),
                 "now": dt.datetime.now(dt.UTC)})
        conn.execute(sa.text("UPDATE meta SET value = CAST(CAST(value AS INTEGER) + 1 AS VARCHAR(20)) "
                             "WHERE key = 'data_version'"))
    return code


def test_snapshot_keeps_its_numbers_after_a_later_upload(db: Engine) -> None:
    filters = q.Filters(as_of=Q3_END)
    snap_id = meeting.create_snapshot(db, STAFF, "Họp sơ kết quý III/2026", filters, "Tất cả kế hoạch")
    frozen = meeting.load_snapshot(db, snap_id)
    code = _complete_an_overdue_task(db, Q3_END)
    live = meeting.compute_figures(db, filters)
    assert live["overview"]["overdue"] == frozen.figures["overview"]["overdue"] - 1  # the live figures moved
    again = meeting.load_snapshot(db, snap_id)
    assert again.figures == frozen.figures  # the snapshot did not
    assert again.figures["task_status"][code] == status.OPEN_OVERDUE


def test_comparison_lists_exactly_the_tasks_whose_status_changed(db: Engine, sample_db_file: Path) -> None:
    first = meeting.create_snapshot(db, STAFF, "Họp quý II", q.Filters(as_of=Q2_END))
    second = meeting.create_snapshot(db, STAFF, "Họp quý III", q.Filters(as_of=Q3_END))
    after = meeting.load_snapshot(db, second)
    before = meeting.previous_snapshot(db, after)
    assert before is not None and before.id == first
    cmp = meeting.compare(before, after)
    old = independent.task_statuses(sample_db_file, Q2_END)
    new = independent.task_statuses(sample_db_file, Q3_END)
    expected = {code for code in new if old[code] != new[code]}
    assert expected  # the sample has movement between the two quarters
    assert {c["code"] for c in cmp.status_changed} == expected
    assert {c["code"] for c in cmp.newly_done} == {
        c for c in expected if new[c] in status.DONE_STATUSES and old[c] not in status.DONE_STATUSES}
    assert {c["code"] for c in cmp.newly_overdue} == {c for c in expected if new[c] == status.OPEN_OVERDUE}


def test_only_staff_may_freeze_figures(db: Engine) -> None:
    with pytest.raises(permissions.PermissionDenied):
        meeting.create_snapshot(db, permissions.Actor("lanhdao", "lanh_dao"), "Họp", q.Filters(as_of=Q3_END))
    with pytest.raises(ValueError, match="tên cuộc họp"):
        meeting.create_snapshot(db, STAFF, "  ", q.Filters(as_of=Q3_END))
    assert meeting.list_snapshots(db).empty


def _pdf(engine: Engine, snap_id: int) -> PdfReader:
    snap = meeting.load_snapshot(engine, snap_id)
    before = meeting.previous_snapshot(engine, snap)
    data = render_deck(snap, before, meeting.compare(before, snap) if before else None, sample=True)
    return PdfReader(io.BytesIO(data))


def test_pdf_has_one_page_per_slide_with_vietnamese_text(db: Engine) -> None:
    snap_id = meeting.create_snapshot(db, STAFF, "Họp sơ kết quý III/2026", q.Filters(as_of=Q3_END))
    reader = _pdf(db, snap_id)
    assert len(reader.pages) == len(meeting.SLIDE_TITLES) == 6
    texts = [page.extract_text() for page in reader.pages]
    for title, text in zip(meeting.SLIDE_TITLES, texts, strict=True):
        assert title in text
    assert "Quá hạn" in texts[0] and "lĩnh vực" in texts[1]
    overdue = meeting.load_snapshot(db, snap_id).figures["overview"]["overdue"]
    assert re.search(rf"Quá hạn\s*{fmt_number(overdue)}\b", texts[0])
    fonts = reader.pages[0]["/Resources"]["/Font"]
    for ref in fonts.values():  # every font is embedded (a subset of Source Sans Pro)
        descendant = ref.get_object()["/DescendantFonts"][0].get_object()
        assert "/FontFile2" in descendant["/FontDescriptor"]


def test_deck_command(store: Engine, tmp_path: Path) -> None:
    import os
    import subprocess
    import sys

    from tests.conftest import ROOT

    out = tmp_path / "deck.pdf"
    result = subprocess.run([sys.executable, "-m", "data_access", "deck", "--as-of", "2026-09-30", "-o", str(out)],
                            cwd=ROOT, env=dict(os.environ), capture_output=True, text=True, timeout=120)
    assert result.returncode == 0, result.stderr
    assert len(PdfReader(out).pages) == 6
    bad = subprocess.run([sys.executable, "-m", "data_access", "deck", "--snapshot", "999", "-o", str(out)],
                         cwd=ROOT, env=dict(os.environ), capture_output=True, text=True, timeout=120)
    assert bad.returncode == 1 and "Không có lần chốt số liệu số 999" in bad.stderr


def test_apptest_walks_all_slides_and_freezes(store: Engine) -> None:
    at = signed_in("chuyen_vien")
    at.switch_page("pages/trinh_chieu.py").run()
    assert not at.exception
    seen = []
    for number in range(1, len(meeting.SLIDE_TITLES) + 1):
        text = "".join(m.value for m in at.markdown)
        seen.extend(re.findall(r"class='slide-title'>([^<]+)<", text))
        assert text.count(f"Trang {number}/6") == 2  # the counter in the controls and the footer agree
        if number < len(meeting.SLIDE_TITLES):
            at.button(key="tc_next").click().run()
            assert not at.exception
    assert seen == list(meeting.SLIDE_TITLES)
    assert at.button(key="tc_next").disabled
    at.text_input(key="tc_title").input("Họp giao ban tháng 11/2026")
    at.button(key="tc_freeze").click().run()
    assert not at.exception
    assert meeting.list_snapshots(store)["title"].tolist() == ["Họp giao ban tháng 11/2026"]


def test_leader_can_present_but_not_freeze(store: Engine) -> None:
    at = signed_in("lanh_dao")
    at.switch_page("pages/trinh_chieu.py").run()
    assert not at.exception
    assert "Trình chiếu" in at.session_state["visible_pages"]
    assert not any(b.label == "Chốt số liệu" for b in at.button)


# --- slides equal pages by construction: the live slides are built from the overview page's own read ---------


def _slide_figures_filters(engine: Engine) -> list[q.Filters]:
    agency = int(q.lead_agencies(engine)["id"].iloc[0])
    return [q.Filters(as_of=Q3_END), q.Filters(as_of=dt.date(2025, 12, 31), field_codes=("CQS", "TTHC")),
            q.Filters(as_of=Q2_END, agency_ids=(agency,), due_soon_days=45)]


def test_slide_figures_are_the_overview_page_figures(db: Engine) -> None:
    for filters in _slide_figures_filters(db):
        page = q.overview_page(db, filters)
        slides = meeting.deck_content(meeting.current_view(db, filters, "Họp thử"), None, None)
        now = page.change.now
        kpis = {label: value for label, value, _ in slides[0].kpis}
        assert kpis["Tổng số nhiệm vụ"] == fmt_number(now.total) and now.total > 0
        assert kpis["Đã hoàn thành"] == fmt_pct(now.pct_done, 1)
        assert kpis["Quá hạn"] == fmt_number(now.overdue)
        assert kpis[f"Sắp đến hạn ({filters.due_soon_days} ngày)"] == fmt_number(now.due_soon)  # the setting's window
        assert kpis["Chỉ tiêu chưa đạt"] == fmt_number(now.indicators_red)
        assert {b["status"]: b["tasks"] for b in slides[0].bars} == {
            code: int(page.fields[code].sum()) for code in status.STATUS_ORDER}
        assert [(b["field_code"], b["total"], b["done"], b["overdue"]) for b in slides[1].bars] == [
            (r["field_code"], r["total"], r["done"], r["overdue"]) for r in page.fields.to_dict("records")]
        shown = page.agencies[page.agencies["overdue"] > 0].head(meeting.MAX_AGENCIES)
        assert [(a["agency"], a["overdue"], a["d1_30"], a["d31_90"], a["d90_plus"]) for a in slides[2].bars] == [
            (r["agency"], r["overdue"], r["d1_30"], r["d31_90"], r["d90_plus"]) for r in shown.to_dict("records")]


def test_live_slide_shows_the_overview_page_numbers(store: Engine) -> None:
    """What a leader reads on Tổng quan is what the live slide 1 says, for the same sidebar filters."""
    at = signed_in("lanh_dao")
    at.multiselect(key="f_fields").set_value(["TTHC", "CQS"])
    at.date_input(key="f_as_of").set_value(dt.date(2025, 12, 31))
    at.run()
    assert not at.exception
    page = {m.label: m.value for m in at.metric}
    at.switch_page("pages/trinh_chieu.py").run()
    assert not at.exception
    html = "".join(m.value for m in at.markdown)
    slide = {unescape(label): unescape(value) for label, value in
             re.findall(r"<div class='label'>([^<]+)</div><div class='value[^']*'>([^<]+)</div>", html)}
    assert len(slide) == 5
    assert slide == {label: page[label] for label in slide}
def test_snapshot_records_which_periods_were_locked(db: Engine) -> None:
    """Issue 16: a frozen snapshot says which quarters were locked then; a later lock does not change it."""
    from data_access import period_lock

    admin = permissions.Actor("quantri", "quan_tri")
    locked_at = dt.datetime(2026, 10, 20, 1, 30, tzinfo=dt.UTC)  # 20/10/2026 08:30 Vietnam time
    period_lock.lock_period(db, "2026-Q2", STAFF, now=locked_at)
    with db.connect() as conn:
        snv = int(conn.execute(sa.text("SELECT id FROM agency WHERE name = 'Sở Nội vụ'")).scalar_one())
    period_lock.reopen(db, snv, "2026-Q2", "Bổ sung báo cáo", admin, now=locked_at + dt.timedelta(hours=1))
    snap_id = meeting.create_snapshot(db, STAFF, "Họp sơ kết quý III/2026", q.Filters(as_of=Q3_END))
    period_lock.lock_period(db, "2026-Q3", STAFF)  # after the freeze
    frozen = meeting.load_snapshot(db, snap_id).figures["locked_periods"]
    assert frozen == [{"period": "2026-Q2", "locked_at": "2026-10-20T08:30:00+07:00", "locked_by": "chuyenvien",
                       "reopened": [{"agency": "Sở Nội vụ", "reopened_by": "quantri",
                                     "reopened_at": "2026-10-20T09:30:00+07:00", "reason": "Bổ sung báo cáo"}]}]
    assert meeting.locked_text(meeting.load_snapshot(db, snap_id).figures) == "Kỳ đã khóa: Quý II/2026 (mở lại cho 1 cơ quan)"
    live = meeting.compute_figures(db, q.Filters(as_of=Q3_END))["locked_periods"]
    assert [p["period"] for p in live] == ["2026-Q3", "2026-Q2"]
    assert meeting.locked_text({}) == ""  # a snapshot frozen before the record existed
