"""The importer on real .xlsx files: dry run, apply, idempotency, undo, two periods, refusals, CLI."""

from __future__ import annotations

import dataclasses
import datetime as dt
import io
import json
import os
import subprocess
import sys
import zipfile
from pathlib import Path

import openpyxl
import pytest
from sqlalchemy import select, text
from sqlalchemy.engine import Engine

from data_access import importer as imp
from data_access import models as m
from data_access.permissions import Actor, PermissionDenied
from data_access.settings import get_settings
from data_access.xlsx_reader import FileRefused, read_return
from tests.conftest import BACKENDS, ROOT
from tests.importer_files import all_tables, hand_made_q4, reports_only, snapshot, table

STAFF = Actor("chuyenvien", "chuyen_vien")
LEADER = Actor("lanhdao", "lanh_dao")
HEADER = ["Mã nhiệm vụ", "Nhiệm vụ", "Cơ quan chủ trì", "Tình trạng", "Tỷ lệ hoàn thành (%)", "Ngày hoàn thành"]


def _snv(engine: Engine) -> int:
    found = imp.find_agency(engine, "so noi vu")
    assert found is not None
    return found[0]


def _current(engine: Engine, code: str, as_of: dt.date = dt.date(2026, 11, 22)) -> tuple[str, str, float | None]:
    """(period, state, progress) of the latest report of the task's single lead assignment visible at `as_of`."""
    with engine.connect() as conn:
        row = conn.execute(text(
            "SELECT r.period, r.state, r.progress_pct FROM statusreport r JOIN assignment a ON a.id = r.assignment_id "
            "JOIN task t ON t.id = a.task_id WHERE t.code = :c AND a.role = 'chu_tri' AND r.period_start <= :d "
            "ORDER BY r.period_start DESC, r.id DESC LIMIT 1"), {"c": code, "d": as_of.isoformat()}).one()
    return row[0], row[1], row[2]


# --- the snapshot itself ---------------------------------------------------------------------

def test_snapshot_checksums_are_the_same_on_both_backends(request: pytest.FixtureRequest, sample_db_file: Path) -> None:
    """The same sample store gives the same counts and content checksums of every table on SQLite and
    PostgreSQL, so "unchanged" means the same thing on both (booleans, dates, datetimes, bytes canonicalised)."""
    if "postgresql" not in BACKENDS:
        pytest.skip("CCHC_TEST_BACKENDS excludes postgresql")
    from sqlalchemy.engine import make_url

    from data_access.db import make_engine

    pg = make_engine(str(make_url(request.getfixturevalue("pg_admin_url"))
                         .set(database=request.getfixturevalue("pg_sample_database"))))
    lite = make_engine(f"sqlite:///{sample_db_file}")
    try:
        tables = all_tables(lite)
        assert tables == all_tables(pg)
        assert snapshot(lite, tables) == snapshot(pg, tables)
    finally:
        pg.dispose()
        lite.dispose()


# --- the hand-made return ------------------------------------------------------------------

def test_hand_made_return_dry_run_is_exact_and_writes_nothing(db: Engine) -> None:
    data = hand_made_q4(db)
    before = snapshot(db)
    plan = imp.plan_import(db, data, "bc.xlsx")
    assert snapshot(db) == before
    assert (plan.agency_name, plan.period, plan.rows_read) == ("Sở Nội vụ", "2026-Q4", 9)
    assert plan.counts == {"new": 4, "changed": 0, "unchanged": 0, "rejected": 1, "unmatched": 1, "ambiguous": 1,
                           "skipped": 0}
    got = [(r.row, r.outcome, r.code, r.state, r.progress_pct, r.completed_on) for r in plan.rows]
    assert got == [
        (9, "new", "SNV26-P1-07", "hoan_thanh", 100.0, dt.date(2026, 10, 15)),
        (10, "new", "SNV26-P1-08", "hoan_thanh", 100.0, dt.date(2026, 10, 15)),
        (11, "new", "SNV26-P1-03", "dang_thuc_hien", 60.0, None),
        (12, "new", "SNV26-P2-21", "chua_thuc_hien", 0.0, None),
        (13, "ambiguous", None, "dang_thuc_hien", 50.0, None),
        (14, "rejected", None, "hoan_thanh", 100.0, None),
        (15, "unmatched", None, "dang_thuc_hien", 20.0, None),
    ]
    assert plan.rows[1].lead_name == "Phòng Tổ chức, biên chế và Công chức, viên chức"  # not P2-30 (Văn phòng Sở)
    assert plan.rows[2].difficulties == "Chờ hướng dẫn"
    assert [(e.sheet, e.row, e.column) for e in plan.errors] == [
        ("Quý IV", 13, "Nội dung công việc"), ("Quý IV", 14, "Ngày hoàn thành"), ("Quý IV", 15, "Nội dung công việc"),
    ]
    assert plan.errors[1].message == "Dòng 14, cột 'Ngày hoàn thành': 31/02/2026 không phải là ngày hợp lệ"
    assert plan.errors[1].value == "31/02/2026"
    assert "SNV26-P1-09" in plan.errors[0].message and "SNV26-P2-31" in plan.errors[0].message
    assert "không tìm thấy nhiệm vụ" in plan.errors[2].message


def test_apply_is_one_upload_idempotent_and_undo_restores_exactly(db: Engine) -> None:
    data = hand_made_q4(db)
    before = snapshot(db)
    plan = imp.plan_import(db, data, "bc.xlsx")
    result = imp.apply_import(db, plan, STAFF)
    assert (result.reports_written, result.values_written, result.new, result.changed) == (4, 0, 4, 0)
    after = snapshot(db)
    assert after["statusreport"] == before["statusreport"] + 4
    assert after["upload"] == 1 and after["auditlog"] == before["auditlog"] + 1
    assert int(str(after["meta:data_version"])) == int(str(before["meta:data_version"])) + 1
    with db.connect() as conn:
        upload = conn.execute(select(m.Upload)).one()  # type: ignore[call-overload]
        added = conn.execute(text("SELECT recorded_by, is_sample, period FROM statusreport WHERE upload_id = :u"),
                             {"u": result.upload_id}).all()
        audit = conn.execute(text("SELECT username, action FROM auditlog ORDER BY id DESC LIMIT 1")).one()
        # The bulk insert stores values exactly as an ORM insert does (same raw text on SQLite, same type on PostgreSQL).
        stamps = conn.execute(text(
            "SELECT (SELECT MIN(recorded_at) FROM statusreport WHERE upload_id = :u), "
            "(SELECT MAX(recorded_at) FROM statusreport WHERE upload_id = :u), "
            "(SELECT uploaded_at FROM upload WHERE id = :u), (SELECT at FROM auditlog ORDER BY id DESC LIMIT 1)"),
            {"u": result.upload_id}).one()
        done_on = conn.execute(text(
            "SELECT r.completed_on, r.period_start FROM statusreport r JOIN assignment a ON a.id = r.assignment_id "
            "JOIN task t ON t.id = a.task_id WHERE r.upload_id = :u AND t.code = 'SNV26-P1-07'"),
            {"u": result.upload_id}).one()
    assert upload.content == data and upload.uploaded_by == "chuyenvien" and upload.period == "2026-Q4"
    assert upload.sha256 == plan.sha256 and upload.agency_id == _snv(db)
    assert json.loads(upload.summary)["rejected"] == 1
    assert {tuple(r) for r in added} == {("chuyenvien", 0, "2026-Q4")}
    assert tuple(audit) == ("chuyenvien", "tai_len")
    assert len(set(stamps)) == 1, stamps
    assert [str(v)[:10] for v in done_on] == ["2026-10-15", "2026-10-01"]
    assert _current(db, "SNV26-P1-07")[1:] == ("hoan_thanh", 100.0)

    # The same file again: everything is unchanged and nothing is written.
    again = imp.plan_import(db, data, "bc.xlsx")
    assert again.counts["unchanged"] == 4 and again.to_write == 0
    assert any("đã được tải lên" in n for n in again.notes)
    second = imp.apply_import(db, again, STAFF)
    assert second.written == 0 and second.upload_id is None and second.message.startswith("0 thay đổi")
    # Applying the first (stale) plan again is re-checked inside the transaction too.
    assert imp.apply_import(db, plan, STAFF).written == 0
    assert {k: v for k, v in snapshot(db).items() if k != "auditlog"} == \
        {k: v for k, v in after.items() if k != "auditlog"}

    undone = imp.undo_upload(db, result.upload_id or 0, Actor("admin2", "quan_tri"))
    assert (undone.reports_deleted, undone.values_deleted) == (4, 0)
    assert reports_only(snapshot(db)) == reports_only(before)
    with db.connect() as conn:
        row = conn.execute(text("SELECT undone_by, undone_at FROM upload")).one()
        last = conn.execute(text("SELECT username, action FROM auditlog ORDER BY id DESC LIMIT 1")).one()
    assert row[0] == "admin2" and row[1] is not None
    assert tuple(last) == ("admin2", "hoan_tac")
    with pytest.raises(ValueError, match="đã được hoàn tác"):
        imp.undo_upload(db, result.upload_id or 0, STAFF)
    history = imp.upload_history(db)
    assert list(history["status"]) == ["Đã hoàn tác"] and list(history["new"]) == [4]


def test_two_periods_later_becomes_current_and_undo_restores_earlier(db: Engine) -> None:
    codes = ["SNV26-P1-06", "SNV26-P1-07", "SNV26-P1-08"]
    with db.begin() as conn:  # start from tasks with no report for these quarters
        conn.execute(text(
            "DELETE FROM statusreport WHERE period IN ('2026-Q2', '2026-Q3', '2026-Q4') AND assignment_id IN "
            "(SELECT a.id FROM assignment a JOIN task t ON t.id = a.task_id WHERE t.code IN "
            "('SNV26-P1-06', 'SNV26-P1-07', 'SNV26-P1-08'))"))
    q2 = table([["BÁO CÁO CCHC QUÝ II/2026"], HEADER, *[[c, "", "", "Đang thực hiện", "40%", None] for c in codes]])
    q3 = table([["BÁO CÁO CCHC QUÝ III/2026"], HEADER,
                *[[c, "", "", "Đã hoàn thành", "100%", "20/09/2026"] for c in codes]])
    sn = _snv(db)
    p2 = imp.plan_import(db, q2, "q2.xlsx", agency_id=sn)
    assert (p2.period, p2.counts["new"]) == ("2026-Q2", 3)
    imp.apply_import(db, p2, STAFF)
    assert {c: _current(db, c) for c in codes} == {c: ("2026-Q2", "dang_thuc_hien", 40.0) for c in codes}
    before_q3 = snapshot(db)
    p3 = imp.plan_import(db, q3, "q3.xlsx", agency_id=sn)
    assert (p3.period, p3.counts["new"]) == ("2026-Q3", 3)  # a report of another period is new for this one
    r3 = imp.apply_import(db, p3, STAFF)
    assert {c: _current(db, c) for c in codes} == {c: ("2026-Q3", "hoan_thanh", 100.0) for c in codes}
    imp.undo_upload(db, r3.upload_id or 0, STAFF)
    assert {c: _current(db, c) for c in codes} == {c: ("2026-Q2", "dang_thuc_hien", 40.0) for c in codes}
    assert reports_only(snapshot(db)) == reports_only(before_q3)


def test_code_rows_lead_column_and_consistency_rules(db: Engine) -> None:
    rows = [
        ["BÁO CÁO QUÝ IV/2026"], HEADER,
        # 3: six leading divisions, the lead column tells which (Phòng Pháp chế only coordinates it, seed 004)
        ["SNV26-P2-06", "", "Văn phòng Sở", "Đang thực hiện", "50%", None],
        ["SNV26-P2-06", "", "", "Đang thực hiện", "50%", None],  # 4: ambiguous without lead
        ["snv26-p1-17 ", "", "", "Đã hoàn thành", "80%", None],  # 5: done but 80%
        ["SNV26-P1-18", "", "", "Đang thực hiện", None, "01/10/2026"],  # 6: a date but not done
        ["KH24-01", "", "", "HT", None, None],  # 7: another agency's task
        ["SNV26-P1-19", "", "", None, "100%", None],  # 8: state from 100%
        ["SNV26-P1-19", "", "", None, "100%", None],  # 9: duplicate: neither 8 nor 9 is written
        ["SNV26-P1-23", "", "", None, None, None],  # 10: nothing reported -> skipped (but the code keeps it)
    ]
    plan = imp.plan_import(db, table(rows), "x.xlsx", agency_id=_snv(db))
    got = [(r.row, r.outcome, r.code, r.lead_name, r.state) for r in plan.rows]
    assert got[0] == (3, "new", "SNV26-P2-06", "Văn phòng Sở", "dang_thuc_hien")
    assert [g[1] for g in got] == ["new", "ambiguous", "rejected", "rejected", "unmatched", "ambiguous",
                                   "ambiguous", "skipped"]
    assert got[5][4] == "hoan_thanh"
    assert [(e.row, e.column) for e in plan.errors] == [
        (4, "Mã nhiệm vụ"), (5, "Tỷ lệ hoàn thành (%)"), (6, "Ngày hoàn thành"), (7, "Mã nhiệm vụ"), (8, "Mã nhiệm vụ"),
        (9, "Mã nhiệm vụ"),
    ]
    assert "trang 'Báo cáo' dòng 8; trang 'Báo cáo' dòng 9" in plan.errors[-1].message
    assert plan.errors[-2].message.split(": ", 1)[1] == plan.errors[-1].message.split(": ", 1)[1]
    # SNV26-P2-06 has 6 lead divisions (Phòng Pháp chế only coordinates it: seed 004, reference tasks_2026 P2-06).
    assert "SNV26-P2-06" in plan.errors[0].message and "khớp với 6 nhiệm vụ" in plan.errors[0].message
    assert "KH24-01 không thuộc" in plan.errors[3].message


def test_indicator_rows_matched_by_code(db: Engine) -> None:
    def build(wb: openpyxl.Workbook) -> None:
        ws = wb.active
        assert ws is not None
        ws.title = "Chỉ tiêu"
        for row in [["Mã chỉ tiêu", "Tên chỉ tiêu", "Kỳ", "Giá trị"],
                    ["PL3-6.1", "", "Quý IV/2026", "93,5"], ["KHONG-CO", "Chỉ tiêu lạ", "Quý IV/2026", 5],
                    ["PL3-6.3", "", "Quý I/2026", 99], ["PL3-4.1", "", None, None]]:
            ws.append(row)

    wb = openpyxl.Workbook()
    build(wb)
    out = io.BytesIO()
    wb.save(out)
    plan = imp.plan_import(db, out.getvalue(), "ct.xlsx", agency_id=_snv(db), period="2026-Q4")
    assert [(i.row, i.outcome, i.value) for i in plan.indicators] == [
        (2, "new", 93.5), (3, "unmatched", 5.0), (4, "rejected", 99.0), (5, "skipped", None)]
    result = imp.apply_import(db, plan, STAFF)
    assert (result.reports_written, result.values_written) == (0, 1)
    again = imp.plan_import(db, out.getvalue(), "ct.xlsx", agency_id=_snv(db), period="2026-Q4")
    assert again.indicators[0].outcome == "unchanged"


# --- permissions -----------------------------------------------------------------------------

def test_leader_can_neither_apply_nor_undo(db: Engine) -> None:
    plan = imp.plan_import(db, hand_made_q4(db), "bc.xlsx")
    before = snapshot(db)
    with pytest.raises(PermissionDenied):
        imp.apply_import(db, plan, LEADER)
    assert snapshot(db) == before
    upload_id = imp.apply_import(db, plan, STAFF).upload_id or 0
    after = snapshot(db)
    with pytest.raises(PermissionDenied):
        imp.undo_upload(db, upload_id, LEADER)
    assert snapshot(db) == after


# --- refusals: the store is byte-for-byte unchanged ----------------------------------------------

CLEAN = [["BÁO CÁO QUÝ IV/2026"], HEADER, ["SNV26-P1-07", "", "", "HT", None, None]]


def _rezip(data: bytes, extra: dict[str, bytes]) -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(data)) as src, zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as dst:
        for info in src.infolist():
            dst.writestr(info.filename, src.read(info))
        for name, content in extra.items():
            dst.writestr(name, content)
    return out.getvalue()


def _bomb() -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(table(CLEAN))) as src, zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as dst:
        for info in src.infolist():
            dst.writestr(info.filename, src.read(info))
        with dst.open("xl/media/big.bin", "w", force_zip64=True) as entry:
            for _ in range(20):
                entry.write(b"\0" * 1024 * 1024)
    return out.getvalue()


def _entity() -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(table(CLEAN))) as src, zipfile.ZipFile(out, "w") as dst:
        for info in src.infolist():
            content = src.read(info)
            if info.filename == "xl/worksheets/sheet1.xml":
                content = content.replace(b"<worksheet", b'<!DOCTYPE x [<!ENTITY a "b">]><worksheet', 1)
            dst.writestr(info.filename, content)
    return out.getvalue()


REFUSALS = {
    "empty": (b"", {}, "Tệp trống"),
    "csv_renamed": ("Mã,Nội dung\nP1,x\n".encode(), {}, "CSV"),
    "legacy_xls": (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 2000, {}, ".xls cũ"),
    "password": (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + "EncryptionInfo".encode("utf-16-le") + b"\0" * 900, {}, "mật khẩu"),
    "macro": (None, {"macro": True}, "macro"),
    "zip_bomb": (None, {"bomb": True}, "dung lượng giải nén quá lớn"),
    "xml_entity": (None, {"entity": True}, "DOCTYPE/ENTITY"),
    "too_big": (None, {"max_mb": 0}, "Tệp quá lớn"),
    "too_many_rows": (None, {"max_rows": 1}, "quá nhiều dòng"),
    "no_table": (table([["Họ tên", "Ghi chú"], ["A", "B"]]), {}, "Không tìm thấy bảng báo cáo"),
    "agency_conflict": (None, {"agency": "Sở Tư pháp"}, "Tệp là báo cáo của Sở Nội vụ"),
    "period_conflict": (None, {"period": "2026-Q3"}, "Tệp là báo cáo Quý IV/2026"),
    "period_not_quarter": (table([HEADER, ["SNV26-P1-07", "", "", "HT"]]), {"period": "2026"}, "phải là một quý"),
    "no_period": (table([HEADER, ["SNV26-P1-07", "", "", "HT"]]), {}, "Không xác định được kỳ báo cáo"),
    "no_agency": (table([["BÁO CÁO QUÝ IV/2026"], HEADER, ["SNV26-P1-07", "", "", "HT"]]), {"no_agency": True},
                  "Không xác định được cơ quan báo cáo"),
}


@pytest.mark.parametrize("case", list(REFUSALS))
def test_refused_files_change_nothing(db: Engine, case: str) -> None:
    data, opts, message = REFUSALS[case]
    settings = get_settings()
    if opts.get("max_mb") is not None:
        settings = dataclasses.replace(settings, upload_max_mb=int(opts["max_mb"]))
    if opts.get("max_rows"):
        settings = dataclasses.replace(settings, upload_max_rows=int(opts["max_rows"]))
    if data is None:
        base = table([["BÁO CÁO QUÝ IV/2026"], ["Cơ quan báo cáo: Sở Nội vụ"], HEADER,
                      ["SNV26-P1-07", "", "", "HT"], ["SNV26-P1-08", "", "", "HT"]])
        data = (_rezip(base, {"xl/vbaProject.bin": b"\0" * 64}) if opts.get("macro") else _bomb() if opts.get("bomb")
                else _entity() if opts.get("entity") else base)
    agency_id = None
    if isinstance(opts.get("agency"), str):
        found = imp.find_agency(db, str(opts["agency"]))
        assert found is not None
        agency_id = found[0]
    elif not opts.get("no_agency"):
        agency_id = None if case in ("agency_conflict", "period_conflict") else _snv(db)
    before = snapshot(db)
    with pytest.raises(FileRefused) as info:
        imp.plan_import(db, data, f"{case}.xlsx", agency_id=agency_id,
                        period=opts.get("period") if isinstance(opts.get("period"), str) else None, settings=settings)
    assert message in info.value.message
    assert info.value.errors and info.value.errors[0].message
    assert snapshot(db) == before


def test_formula_like_text_is_stored_as_text(db: Engine) -> None:
    rows = [["BÁO CÁO QUÝ IV/2026"], [*HEADER, "Khó khăn, vướng mắc"],
            ["SNV26-P1-07", "", "", "Đang thực hiện", "50%", None, "=HYPERLINK(\"http://x\")"]]
    wb = openpyxl.load_workbook(io.BytesIO(table(rows)))
    cell = wb.active["G3"]  # type: ignore[index]
    cell.value, cell.data_type = '=HYPERLINK("http://x")', "s"  # text typed with a leading "=", not a formula
    out = io.BytesIO()
    wb.save(out)
    plan = imp.plan_import(db, out.getvalue(), "f.xlsx", agency_id=_snv(db))
    assert plan.rows[0].difficulties == '=HYPERLINK("http://x")'
    imp.apply_import(db, plan, STAFF)
    with db.connect() as conn:
        stored = conn.execute(text("SELECT difficulties FROM statusreport ORDER BY id DESC LIMIT 1")).scalar_one()
    assert stored == '=HYPERLINK("http://x")'


# --- the annotated copy ----------------------------------------------------------------------

def test_annotated_copy_marks_error_cells(db: Engine) -> None:
    data = hand_made_q4(db)
    plan = imp.plan_import(db, data, "bc.xlsx")
    marked = imp.annotated_copy(data, plan)
    wb = openpyxl.load_workbook(io.BytesIO(marked))
    assert wb.sheetnames[0] == "Kết quả kiểm tra"
    summary = wb["Kết quả kiểm tra"]
    assert [summary.cell(r, 2).value for r in range(5, 8)] == [13, 14, 15]
    ws = wb["Quý IV"]
    date_cell = ws["D14"]  # "Ngày hoàn thành" is column D
    assert date_cell.value == "31/02/2026"
    assert date_cell.fill.fgColor.rgb.endswith("FFC7CE")
    assert date_cell.comment is not None and "không phải là ngày hợp lệ" in date_cell.comment.text
    assert ws["B13"].fill.fgColor.rgb.endswith("FFEB9C")  # unmatched: orange on the task text
    note = ws.cell(14, ws.max_column).value
    assert note == "Dòng 14, cột 'Ngày hoàn thành': 31/02/2026 không phải là ngày hợp lệ"
    # The marked copy is still a readable return with the same rows (the summary sheet is not taken for a table).
    again = read_return(marked)
    assert [r.row for r in again.rows] == [r.row for r in plan.rows]


# --- command line ----------------------------------------------------------------------------

def _cli(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "data_access", *args], cwd=ROOT, env=dict(os.environ),
                          capture_output=True, text=True, timeout=120)


def test_cli_import_json_dry_run_apply_and_refusal(db: Engine, tmp_path: Path) -> None:
    path = tmp_path / "bc.xlsx"
    path.write_bytes(hand_made_q4(db))
    before = snapshot(db)
    dry = _cli("import", str(path), "--dry-run", "--json")
    assert dry.returncode == 0, dry.stderr
    out = json.loads(dry.stdout)
    assert {k: out[k] for k in ("agency", "period", "rows_read", "new", "changed", "unchanged", "rejected",
                                "unmatched", "ambiguous", "applied")} == {
        "agency": "Sở Nội vụ", "period": "2026-Q4", "rows_read": 9, "new": 4, "changed": 0, "unchanged": 0,
        "rejected": 1, "unmatched": 1, "ambiguous": 1, "applied": False}
    assert [(r["row"], r["outcome"], r["task"]) for r in out["rows"]] == [
        (9, "new", "SNV26-P1-07"), (10, "new", "SNV26-P1-08"), (11, "new", "SNV26-P1-03"), (12, "new", "SNV26-P2-21"),
        (13, "ambiguous", None), (14, "rejected", None), (15, "unmatched", None)]
    assert out["rows"][0] == {"sheet": "Quý IV", "row": 9, "outcome": "new", "task": "SNV26-P1-07",
                              "state": "hoan_thanh", "progress": 100.0, "completed_on": "2026-10-15",
                              "message": "khớp theo nội dung", "suggestions": []}
    # The twins of row 13 (same text in P1-09 and P2-31, no lead column) are both offered.
    assert {s["task"] for s in out["rows"][4]["suggestions"]} == {"SNV26-P1-09", "SNV26-P2-31"}
    assert out["file"] == str(path)
    assert out["errors"][1] == {"sheet": "Quý IV", "row": 14, "column": "Ngày hoàn thành", "value": "31/02/2026",
                                "message": "Dòng 14, cột 'Ngày hoàn thành': 31/02/2026 không phải là ngày hợp lệ"}
    assert snapshot(db) == before

    # --user must name an active account allowed to upload (issue 13): a leader, an unknown name refused.
    for who, why in (("lanhdao", "không có quyền tải lên"), ("nguyenvana", "Không có tài khoản 'nguyenvana'")):
        refused_user = _cli("import", str(path), "--json", "--user", who)
        assert refused_user.returncode == 2 and why in json.loads(refused_user.stdout)["errors"][0]["message"]
    assert snapshot(db) == before
    applied = _cli("import", str(path), "--json", "--user", "chuyenvien", "--agency", "Sở Nội vụ",
                   "--period", "Quý IV/2026")
    assert applied.returncode == 0, applied.stderr
    assert json.loads(applied.stdout)["applied"] is True
    with db.connect() as conn:
        assert conn.execute(text("SELECT uploaded_by FROM upload")).scalar_one() == "chuyenvien"
        audit = conn.execute(text("SELECT detail FROM auditlog WHERE action = 'tai_len'")).scalar_one()
    assert "nguồn: dòng lệnh" in audit
    assert imp.upload_history(db)["source"].tolist() == ["dòng lệnh"]
    text_run = _cli("import", str(path))
    assert text_run.returncode == 0 and "0 thay đổi" in text_run.stdout

    bad = tmp_path / "bad.xlsx"
    bad.write_text("Mã,Nội dung\n", encoding="utf-8")
    refused = _cli("import", str(bad), "--json")
    assert refused.returncode == 2
    body = json.loads(refused.stdout)
    assert body["applied"] is False and "CSV" in body["errors"][0]["message"]
    plain = _cli("import", str(bad))
    assert plain.returncode == 2 and "Tệp bị từ chối" in plain.stderr and "Traceback" not in plain.stderr
    unknown = _cli("import", str(path), "--agency", "Sở Không Tồn Tại")
    assert unknown.returncode == 1 and "Không tìm thấy cơ quan" in unknown.stderr and "Traceback" not in unknown.stderr
