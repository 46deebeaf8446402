"""The follow-up loop: explanation requests (request -> answer -> closed), their notices, slides and PDF."""

from __future__ import annotations

import datetime as dt
import io

import pytest
import sqlalchemy as sa
from pypdf import PdfReader
from sqlalchemy.engine import Engine

from data_access import follow_up, meeting, permissions, status
from data_access import models as m
from data_access import queries as q
from data_access.deck import render_deck

LEADER = permissions.Actor("lanhdao", "lanh_dao")
STAFF = permissions.Actor("chuyenvien", "chuyen_vien")
AS_OF = dt.date(2026, 9, 30)
TODAY = dt.date(2026, 10, 5)


def _red_indicator(engine: Engine) -> dict:
    """The first red indicator the meeting's slide 4 lists at AS_OF."""
    figures = meeting.compute_figures(engine, q.Filters(as_of=AS_OF))
    red = [i for i in figures["indicators"] if i["rag"] == status.RED]
    assert red, "the sample store has red indicators at 30/09/2026"
    return red[0]


def _overdue_task(engine: Engine) -> str:
    overdue = q.task_list(engine, q.Filters(as_of=AS_OF), statuses=(status.OPEN_OVERDUE,))
    return str(overdue["code"].iloc[0])


def _agency(engine: Engine, name: str = "Sở Tư pháp") -> int:
    with engine.connect() as conn:
        return int(conn.execute(sa.text("SELECT id FROM agency WHERE name = :n"), {"n": name}).scalar_one())


def _audit(engine: Engine, action: str) -> list[str]:
    with engine.connect() as conn:
        return list(conn.execute(sa.text("SELECT detail FROM auditlog WHERE action = :a ORDER BY id"),
                                 {"a": action}).scalars())


def test_request_answer_close_cycle(db: Engine) -> None:
    ind = _red_indicator(db)
    agency = _agency(db)
    rid = follow_up.raise_request(db, LEADER, m.SUBJECT_INDICATOR, ind["code"], agency,
                                  "Giải trình nguyên nhân chỉ tiêu chưa đạt", dt.date(2026, 10, 15),
                                  meeting="Họp giao ban quý III/2026", today=TODAY)
    row = follow_up.list_requests(db, TODAY).set_index("id").loc[rid]
    assert (row["state"], row["agency"], row["subject_text"]) == (follow_up.OPEN, "Sở Tư pháp", ind["name"])
    # Past the due date with no answer: overdue, counted in days.
    late = follow_up.list_requests(db, dt.date(2026, 10, 20)).set_index("id").loc[rid]
    assert (late["state"], late["days_overdue"]) == (follow_up.OVERDUE, 5)

    # A leader may ask but not record the answer; nothing is written by the refusal.
    with pytest.raises(permissions.PermissionDenied):
        follow_up.record_answer(db, LEADER, rid, "x", "CV 1", TODAY, today=TODAY)
    follow_up.record_answer(db, STAFF, rid, "Quý III giảm do chuyển đổi phần mềm một cửa.",
                            "Công văn 123/STP-VP", dt.date(2026, 10, 4), today=TODAY)
    row = follow_up.list_requests(db, dt.date(2026, 10, 20)).set_index("id").loc[rid]
    assert row["state"] == follow_up.ANSWERED  # answered: no longer overdue, whatever the date
    assert row["answer"] == "Quý III giảm do chuyển đổi phần mềm một cửa."
    assert (row["answer_document"], row["answered_on"], row["answered_by"]) == (
        "Công văn 123/STP-VP", dt.date(2026, 10, 4), "chuyenvien")

    follow_up.close_request(db, STAFF, rid)
    assert follow_up.list_requests(db, TODAY).set_index("id").loc[rid, "state"] == follow_up.CLOSED
    assert follow_up.list_requests(db, TODAY, include_closed=False).empty
    with pytest.raises(follow_up.FollowUpError, match="đã đóng"):
        follow_up.record_answer(db, STAFF, rid, "sửa", "CV 2", TODAY, today=TODAY)
    # Each write left its audit line.
    assert len(_audit(db, "yeu_cau_giai_trinh")) == 1
    assert "Công văn 123/STP-VP" in _audit(db, "ghi_nhan_giai_trinh")[0]
    assert _audit(db, "dong_giai_trinh") == [f"#{rid} {ind['code']}"]


def test_bad_requests_are_refused_and_nothing_is_written(db: Engine) -> None:
    ind = _red_indicator(db)
    agency = _agency(db)
    with pytest.raises(permissions.PermissionDenied):
        follow_up.raise_request(db, None, m.SUBJECT_INDICATOR, ind["code"], agency, "x", TODAY, today=TODAY)
    with pytest.raises(follow_up.FollowUpError, match="Không có chỉ tiêu mã KHONG-CO"):
        follow_up.raise_request(db, LEADER, m.SUBJECT_INDICATOR, "KHONG-CO", agency, "x", TODAY, today=TODAY)
    with pytest.raises(follow_up.FollowUpError, match="nội dung cần giải trình"):
        follow_up.raise_request(db, LEADER, m.SUBJECT_INDICATOR, ind["code"], agency, "  ", TODAY, today=TODAY)
    with pytest.raises(follow_up.FollowUpError, match="không được trước ngày hôm nay"):
        follow_up.raise_request(db, LEADER, m.SUBJECT_INDICATOR, ind["code"], agency, "x",
                                TODAY - dt.timedelta(days=1), today=TODAY)
    assert follow_up.list_requests(db, TODAY).empty
    rid = follow_up.raise_request(db, LEADER, m.SUBJECT_TASK, _overdue_task(db), agency, "Vì sao quá hạn?",
                                  TODAY, today=TODAY)
    with pytest.raises(follow_up.FollowUpError, match=f"số {rid} về mục này chưa đóng"):
        follow_up.raise_request(db, STAFF, m.SUBJECT_TASK, _overdue_task(db), agency, "Lần nữa", TODAY, today=TODAY)
    with pytest.raises(follow_up.FollowUpError, match="lý do đóng"):
        follow_up.close_request(db, STAFF, rid)
    follow_up.close_request(db, STAFF, rid, "Rút yêu cầu: cơ quan đã báo cáo trong kỳ")
    assert len(follow_up.list_requests(db, TODAY)) == 1


def test_overdue_task_request_goes_to_its_lead_agencies(sample_engine: Engine) -> None:
    code = _overdue_task(sample_engine)
    leads = follow_up.lead_agencies(sample_engine, code)
    with sample_engine.connect() as conn:
        expected = set(conn.execute(sa.text(
            "SELECT ag.name FROM assignment a JOIN task t ON t.id = a.task_id JOIN agency ag ON ag.id = a.agency_id "
            "WHERE t.code = :c AND a.role = 'chu_tri'"), {"c": code}).scalars())
    assert {n for _, n in leads} == expected and expected


def test_notices_new_then_reminder_then_overdue(db: Engine) -> None:
    agency = _agency(db)
    ind = _red_indicator(db)
    rid = follow_up.raise_request(db, STAFF, m.SUBJECT_INDICATOR, ind["code"], agency, "Giải trình",
                                  dt.date(2026, 10, 20), today=TODAY)
    notices = follow_up.requests_needing_notice(db, TODAY)
    assert [(n.request_id, n.kind, n.agency) for n in notices] == [(rid, follow_up.NOTICE_NEW, "Sở Tư pháp")]
    system = permissions.Actor.system("notify")
    follow_up.mark_notice_sent(db, system, rid, follow_up.NOTICE_NEW)
    rows = follow_up.list_requests(db, TODAY).to_dict("records")
    sent = rows[0]["notified_at"]
    # Pure rule over rows: nothing until 3 days before the due date, then a reminder, then overdue.
    base = {**rows[0], "notified_at": dt.datetime(2026, 10, 5, 3, 0, tzinfo=dt.UTC), "reminded_at": None}
    assert sent is not None
    assert follow_up.notices_due([base], dt.date(2026, 10, 16)) == []
    assert [n.kind for n in follow_up.notices_due([base], dt.date(2026, 10, 17))] == [follow_up.NOTICE_REMINDER]
    reminded = {**base, "reminded_at": dt.datetime(2026, 10, 17, 3, 0, tzinfo=dt.UTC)}
    assert follow_up.notices_due([reminded], dt.date(2026, 10, 23)) == []  # repeated at most weekly
    late = follow_up.notices_due([reminded], dt.date(2026, 10, 24))
    assert [(n.kind, n.days_overdue) for n in late] == [(follow_up.NOTICE_OVERDUE, 4)]
    answered = {**reminded, "answered_at": dt.datetime(2026, 10, 21, tzinfo=dt.UTC)}
    assert follow_up.notices_due([answered], dt.date(2026, 10, 24)) == []


def _pdf_text(data: bytes) -> list[str]:
    return [" ".join((p.extract_text() or "").split()) for p in PdfReader(io.BytesIO(data)).pages]


def test_requests_show_on_their_slide_and_in_the_pdf(db: Engine) -> None:
    ind = _red_indicator(db)
    task = _overdue_task(db)
    agency = _agency(db)
    snap_id = meeting.create_snapshot(db, STAFF, "Họp giao ban quý III/2026", q.Filters(as_of=AS_OF))
    snap = meeting.load_snapshot(db, snap_id)
    rid = follow_up.raise_request(db, LEADER, m.SUBJECT_INDICATOR, ind["code"], agency, "Nêu nguyên nhân chưa đạt",
                                  dt.date(2026, 12, 31), meeting=snap.title, today=TODAY)
    follow_up.raise_request(db, LEADER, m.SUBJECT_TASK, task, agency, "Vì sao quá hạn?", dt.date(2026, 12, 31),
                            today=TODAY)
    requests = follow_up.list_requests(db, TODAY).to_dict("records")
    slides = meeting.deck_content(snap, None, None, requests)
    s4, s6 = slides[3], slides[5]
    assert s4.tables[1].caption == "Yêu cầu giải trình"
    assert s4.tables[1].rows[0][0].startswith(f"{ind['code']}: ")
    assert [r[1:] for r in s4.tables[1].rows] == [("Sở Tư pháp", "31/12/2026", "Yêu cầu: Nêu nguyên nhân chưa đạt",
                                                    "Chờ giải trình")]
    assert [r[1:] for r in s6.tables[1].rows] == [("Sở Tư pháp", "31/12/2026", "Yêu cầu: Vì sao quá hạn?",
                                                    "Chờ giải trình")]
    # The slide still lists the same number of items in all (shown + "… và N khác").
    red_amber = [i for i in snap.figures["indicators"] if i["rag"] in (status.RED, status.AMBER)]
    assert len(s4.tables[0].rows) + s4.tables[0].hidden == len(red_amber)
    assert len(s6.tables[0].rows) + s6.tables[0].hidden == len(snap.figures["overdue"])
    # Without requests the slides are as before (one table each).
    plain_slides = meeting.deck_content(snap, None, None)
    assert len(plain_slides[3].tables) == 1 and len(plain_slides[5].tables) == 1

    follow_up.record_answer(db, STAFF, rid, "Quý III giảm do chuyển đổi phần mềm một cửa.", "Công văn 45/STP",
                            dt.date(2026, 10, 4), today=TODAY)
    requests = follow_up.list_requests(db, TODAY).to_dict("records")
    row = meeting.deck_content(snap, None, None, requests)[3].tables[1].rows[0]
    assert row[3:] == ("Quý III giảm do chuyển đổi phần mềm một cửa. (Công văn 45/STP ngày 04/10/2026)",
                       "Đã giải trình")
    pages = _pdf_text(render_deck(snap, None, None, requests=requests))
    assert "Yêu cầu giải trình" in pages[3] and "chuyển đổi phần mềm một cửa" in pages[3]
    assert "Đã giải trình" in pages[3] and "Vì sao quá hạn?" in pages[5]
    assert "Yêu cầu giải trình" not in _pdf_text(render_deck(snap, None, None))[3]


# --- notes on a number ---

def test_notes_signed_dated_only_their_author_edits_and_a_snapshot_keeps_them_as_they_were(db: Engine) -> None:
    from data_access import notes as nt

    with db.connect() as conn:
        indicator = str(conn.execute(sa.text("SELECT code FROM indicator ORDER BY id")).scalars().first())
    nid = nt.add_note(db, LEADER, m.SUBJECT_MEASURE, indicator, "2026-Q2",
                      "Quý II giảm do chuyển đổi phần mềm một cửa")
    other = nt.add_note(db, STAFF, m.SUBJECT_PERIOD, "", "2026-Q3", "Kỳ sáp nhập đơn vị hành chính cấp xã")
    listed = nt.list_notes(db, m.SUBJECT_MEASURE, indicator)
    assert [(n["id"], n["period_label"], n["author"], n["text"]) for n in listed] == [
        (nid, "Quý II/2026", "lanhdao", "Quý II giảm do chuyển đổi phần mềm một cửa")]
    assert listed[0]["date"] == __import__("data_access.clock", fromlist=["today_vn"]).today_vn().isoformat()
    with pytest.raises(nt.NoteError, match="Kỳ \"2026-Q5\" không hợp lệ"):
        nt.add_note(db, LEADER, m.SUBJECT_MEASURE, indicator, "2026-Q5", "x")
    with pytest.raises(nt.NoteError, match="nội dung ghi chú"):
        nt.add_note(db, LEADER, m.SUBJECT_MEASURE, indicator, "", "   ")
    with pytest.raises(permissions.PermissionDenied, match="Chỉ người viết"):
        nt.edit_note(db, STAFF, nid, "Sửa của người khác")

    snap_id = meeting.create_snapshot(db, STAFF, "Họp giao ban quý III/2026", q.Filters(as_of=AS_OF))
    nt.edit_note(db, LEADER, nid, "Quý II giảm do chuyển đổi phần mềm một cửa (đã khắc phục tháng 8)")
    nt.delete_note(db, STAFF, other)
    frozen = meeting.load_snapshot(db, snap_id).figures
    assert [(n["id"], n["text"]) for n in nt.snapshot_notes(frozen)] == [
        (nid, "Quý II giảm do chuyển đổi phần mềm một cửa"), (other, "Kỳ sáp nhập đơn vị hành chính cấp xã")]
    now = [(n["id"], n["text"], n["edited"] is not None) for n in nt.list_notes(db)]
    assert now == [(nid, "Quý II giảm do chuyển đổi phần mềm một cửa (đã khắc phục tháng 8)", True)]
    assert len(_audit(db, "ghi_chu_so_lieu")) == 2 and _audit(db, "xoa_ghi_chu") == [f"#{other}"]


# --- meeting conclusions ---

def test_a_conclusion_becomes_a_task_counted_like_any_other_and_opens_the_next_meeting(db: Engine) -> None:
    from pathlib import Path

    from data_access import conclusions as kl
    from tests import independent

    first = meeting.create_snapshot(db, STAFF, "Họp giao ban quý III/2026", q.Filters(as_of=AS_OF))
    task = _overdue_task(db)
    agency = _agency(db)
    with pytest.raises(permissions.PermissionDenied):
        kl.add_conclusion(db, None, first, m.SUBJECT_TASK, task, "x")
    kid = kl.add_conclusion(db, LEADER, first, m.SUBJECT_TASK, task,
                            "Sở Tư pháp hoàn thành rà soát văn bản trước ngày 15/12/2026")
    noted = kl.add_conclusion(db, LEADER, first, "", "", "Các cơ quan nộp báo cáo quý đúng hạn")
    with pytest.raises(permissions.PermissionDenied):  # a leader records; Sở Nội vụ turns it into a task
        kl.to_task(db, LEADER, kid, agency, dt.date(2026, 12, 15), today=TODAY)
    with pytest.raises(kl.ConclusionError, match="lĩnh vực"):
        kl.to_task(db, STAFF, noted, agency, dt.date(2026, 12, 15), today=TODAY)

    later = q.Filters(as_of=dt.date(2026, 12, 31))
    before_ov = q.overview_page(db, later).change.now
    before_agency = q.overdue_by_agency(db, later).set_index("agency")["overdue"].get("Sở Tư pháp", 0)
    code = kl.to_task(db, STAFF, kid, agency, dt.date(2026, 12, 15), today=TODAY)
    assert code == "KLGB26-01"
    with pytest.raises(kl.ConclusionError, match="đã được giao"):
        kl.to_task(db, STAFF, kid, agency, dt.date(2026, 12, 15), today=TODAY)

    # An ordinary task: one more task, one more overdue at 31/12/2026, one more for Sở Tư pháp.
    after_ov = q.overview_page(db, later).change.now
    assert (after_ov.total, after_ov.overdue) == (before_ov.total + 1, before_ov.overdue + 1)
    assert q.overdue_by_agency(db, later).set_index("agency")["overdue"]["Sở Tư pháp"] == before_agency + 1
    listed = q.task_list(db, later, statuses=(status.OPEN_OVERDUE,))
    assert code in set(listed["code"])
    if db.dialect.name == "sqlite":  # the same count made without queries.py
        counted = independent.status_counter(Path(str(db.url.database)), later.as_of)
        assert counted[status.OPEN_OVERDUE] == after_ov.overdue and sum(counted.values()) == after_ov.total
        plan_tasks = independent.task_statuses(Path(str(db.url.database)), later.as_of, plan_codes={"KLGB26"})
        assert plan_tasks == {code: status.OPEN_OVERDUE}
    with db.connect() as conn:
        plan = conn.execute(sa.text("SELECT p.name, p.year, t.section, t.field_code FROM task t "
                                    "JOIN plan p ON p.id = t.plan_id WHERE t.code = :c"), {"c": code}).one()
        field = conn.execute(sa.text("SELECT field_code FROM task WHERE code = :c"), {"c": task}).scalar_one()
    assert plan[0] == "Kết luận giao ban năm 2026" and plan[1] == 2026
    assert plan[2].startswith("Kết luận Họp giao ban quý III/2026 ngày ") and plan[3] == field

    # The next meeting opens with the previous meeting's conclusions and their status.
    second = meeting.create_snapshot(db, STAFF, "Họp giao ban tháng 12/2026", later)
    snap, prev = meeting.load_snapshot(db, second), meeting.load_snapshot(db, first)
    assert meeting.previous_snapshot(db, snap).id == first  # type: ignore[union-attr]
    rows = kl.list_conclusions(db, first)
    slide1 = meeting.deck_content(snap, prev, meeting.compare(prev, snap), conclusions=rows)[0]
    table = slide1.tables[0]
    assert table.caption == "Kết luận Họp giao ban quý III/2026 và kết quả thực hiện"
    assert [r[1:] for r in table.rows] == [("Sở Tư pháp", "15/12/2026", status.STATUS_LABELS[status.OPEN_OVERDUE]),
                                           ("–", "–", "Chưa giao nhiệm vụ")]
    assert table.rows[0][0].startswith(f"{code}: Sở Tư pháp hoàn thành")
    text = _pdf_text(render_deck(snap, prev, meeting.compare(prev, snap), conclusions=rows))[0]
    assert "Kết luận Họp giao ban quý III/2026" in text and code in text and "Chưa giao nhiệm vụ" in text
    assert len(_audit(db, "ghi_ket_luan")) == 2 and len(_audit(db, "giao_nhiem_vu_ket_luan")) == 1
