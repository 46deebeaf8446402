"""Return obligations and timeliness (issue 16, item 1) on SQLite and PostgreSQL.

Real .xlsx returns are applied with chosen upload times; the expected obligations are recomputed here
independently from the raw tables (pandas, not the module's SQL).
"""

from __future__ import annotations

import datetime as dt
import io
import json
import subprocess
import sys
from pathlib import Path

import openpyxl
import pandas as pd
import pytest
from sqlalchemy import text
from sqlalchemy.engine import Engine

from data_access import importer as imp
from data_access import models as m
from data_access import period_lock
from data_access.period_lock import PeriodLocked
from data_access.permissions import Actor, PermissionDenied
from data_access.returns import LATE, MISSING, NOT_DUE, ON_TIME, due_date, obligations, owed_tasks, summary
from tests.conftest import ROOT
from tests.importer_files import STATE_WORDS, current_states

STAFF = Actor("chuyenvien", "chuyen_vien")
SNV = "Sở Nội vụ"
AFTER_DUE = dt.date(2026, 11, 23)
# 15/10/2026 23:59 and 16/10/2026 00:01 Vietnam time (UTC+7): the last minute of the due date and the first after.
LAST_MINUTE = dt.datetime(2026, 10, 15, 16, 59, tzinfo=dt.UTC)
FIRST_LATE_MINUTE = dt.datetime(2026, 10, 15, 17, 1, tzinfo=dt.UTC)


def _q3_return(pct: int = 45) -> bytes:
    """Sở Nội vụ's return for Quý III/2026: two tasks of its 2026 internal plan."""
    wb = openpyxl.Workbook()
    ws = wb.active
    assert ws is not None
    ws.title = "Báo cáo"
    ws.append(["BÁO CÁO KẾT QUẢ THỰC HIỆN NHIỆM VỤ CẢI CÁCH HÀNH CHÍNH QUÝ III/2026"])
    ws.append([f"Cơ quan báo cáo: {SNV}"])
    ws.append(["Mã nhiệm vụ", "Tình trạng", "Tỷ lệ hoàn thành (%)", "Ngày hoàn thành"])
    ws.append(["SNV26-P1-07", STATE_WORDS[m.STATE_IN_PROGRESS], f"{pct}%", None])
    ws.append(["SNV26-P1-08", STATE_WORDS[m.STATE_IN_PROGRESS], "35%", None])
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()


def _apply(db: Engine, at: dt.datetime, pct: int = 45) -> int:
    plan = imp.plan_import(db, _q3_return(pct), f"snv-q3-{pct}.xlsx")
    assert not plan.errors, plan.errors
    result = imp.apply_import(db, plan, STAFF, now=at)
    assert result.upload_id is not None
    return result.upload_id


def _by_agency(db: Engine, today: dt.date = AFTER_DUE) -> dict[str, str]:
    return {o.agency: o.status for o in obligations(db, "2026-Q3", today=today)}


def _independent_owing(db: Engine, period_start: dt.date) -> set[str]:
    """Agencies owing a Q3/2026 return, recomputed in pandas from the raw tables."""
    with db.connect() as conn:
        ag = pd.read_sql("SELECT id, name, kind, parent_id FROM agency", conn)
        a = pd.read_sql("SELECT id, task_id, agency_id, role FROM assignment", conn)
        t = pd.read_sql("SELECT id, plan_id FROM task", conn)
        p = pd.read_sql("SELECT id, kind, year, year_from FROM plan", conn)
        sr = pd.read_sql("SELECT assignment_id, state, period_end FROM statusreport", conn)
    sr["period_end"] = pd.to_datetime(sr["period_end"]).dt.date
    done_assignments = sr[(sr.state == m.STATE_DONE) & (sr.period_end < period_start)].assignment_id
    p["first"] = p.year_from.fillna(p.year).astype(int)
    plans = set(p[(p.kind != m.PLAN_DIRECTIONS) & (p["first"] <= period_start.year)].id)
    tasks = set(t[t.plan_id.isin(plans)].id)
    # A lead whose own share was reported done before the quarter owes nothing more; another lead's "done" does
    # not close it (a task is done only when every lead is).
    leads = a[(a.role == m.ASSIGNMENT_LEAD) & a.task_id.isin(tasks) & ~a.id.isin(done_assignments)].agency_id
    rows = {int(r.id): r for r in ag.itertuples()}
    owners: set[str] = set()
    for aid in set(leads):
        r = rows[int(aid)]
        if r.kind == m.KIND_DIVISION and not pd.isna(r.parent_id):
            r = rows[int(r.parent_id)]
        if r.kind not in (m.KIND_GROUP, m.KIND_LOCAL):
            owners.add(str(r.name))
    return owners


def test_due_date_is_the_setting_after_the_quarter(monkeypatch: pytest.MonkeyPatch) -> None:
    assert due_date("2026-Q3") == dt.date(2026, 10, 15)
    assert due_date("Quý IV/2026") == dt.date(2027, 1, 15)
    monkeypatch.setenv("CCHC_RETURN_DUE_DAYS", "10")
    assert due_date("2026-Q1") == dt.date(2026, 4, 10)


def test_obligations_equal_an_independent_count(db: Engine) -> None:
    got = obligations(db, "2026-Q3", today=AFTER_DUE)
    expected = _independent_owing(db, dt.date(2026, 7, 1))
    assert {o.agency for o in got} == expected
    assert SNV in expected and len(expected) >= 3
    assert all(o.status == MISSING and o.received_at is None for o in got)  # the sample holds no upload
    assert summary(got)["expected"] == len(expected)
    # before the due date nothing is missing yet
    assert set(_by_agency(db, dt.date(2026, 10, 15)).values()) == {NOT_DUE}


def test_on_time_late_missing_and_undo(db: Engine) -> None:
    first = _apply(db, LAST_MINUTE)
    statuses = _by_agency(db)
    assert statuses[SNV] == ON_TIME
    others = {k: v for k, v in statuses.items() if k != SNV}
    assert others and set(others.values()) == {MISSING}
    snv = next(o for o in obligations(db, "2026-Q3", today=AFTER_DUE) if o.agency == SNV)
    assert snv.received_at is not None and snv.received_at.strftime("%d/%m/%Y %H:%M") == "15/10/2026 23:59"
    assert snv.upload_id == first and snv.due == dt.date(2026, 10, 15)

    imp.undo_upload(db, first, STAFF)  # the only return undone: missing again
    assert _by_agency(db)[SNV] == MISSING

    second = _apply(db, FIRST_LATE_MINUTE)  # the same return, re-sent one minute after the due date
    assert _by_agency(db)[SNV] == LATE
    s = summary(obligations(db, "2026-Q3", today=AFTER_DUE))
    assert (s["on_time"], s["late"], s["missing"], s["received"]) == (0, 1, s["expected"] - 1, 1)

    # A return counts from its first applied upload: a correction sent later does not make it later,
    # and undoing the first leaves the correction as the received return.
    _apply(db, dt.datetime(2026, 11, 2, 3, 0, tzinfo=dt.UTC), pct=60)
    snv = next(o for o in obligations(db, "2026-Q3", today=AFTER_DUE) if o.agency == SNV)
    assert (snv.status, snv.upload_id) == (LATE, second)
    imp.undo_upload(db, second, STAFF)
    snv = next(o for o in obligations(db, "2026-Q3", today=AFTER_DUE) if o.agency == SNV)
    assert snv.status == LATE and snv.received_at is not None and snv.received_at.date() == dt.date(2026, 11, 2)


def test_returns_cli_json(db: Engine) -> None:
    _apply(db, LAST_MINUTE)
    out = subprocess.run([sys.executable, "-m", "data_access", "returns", "--period", "Quý III/2026", "--json",
                          "--as-of", AFTER_DUE.isoformat()], cwd=ROOT, capture_output=True, text=True, timeout=120)
    assert out.returncode == 0, out.stderr
    items = json.loads(out.stdout)
    assert {"agency", "period", "due", "received_at", "status", "approved", "locked"} <= set(items[0])
    snv = next(i for i in items if i["agency"] == SNV)
    assert (snv["period"], snv["due"], snv["status"]) == ("2026-Q3", "2026-10-15", ON_TIME)
    assert snv["received_at"].startswith("2026-10-15T23:59")
    assert {i["status"] for i in items if i["agency"] != SNV} == {MISSING}
    bad = subprocess.run([sys.executable, "-m", "data_access", "returns", "--period", "2026"], cwd=ROOT,
                         capture_output=True, text=True, timeout=120)
    assert bad.returncode == 2 and "phải là một quý" in bad.stderr and "Traceback" not in bad.stderr


ADMIN = Actor("quantri", "quan_tri")
LEADER = Actor("lanhdao", "lanh_dao")


def _snv_id(db: Engine) -> int:
    found = imp.find_agency(db, SNV)
    assert found is not None
    return found[0]


def _audit(db: Engine, action: str) -> list[tuple[str, str]]:
    with db.connect() as conn:
        return [(str(u), str(d)) for u, d in conn.execute(text(
            "SELECT username, detail FROM auditlog WHERE action = :a ORDER BY id"), {"a": action})]


def test_approve_lock_refuses_import_and_undo_reopen_audited(db: Engine) -> None:
    first = _apply(db, LAST_MINUTE)
    snv = _snv_id(db)
    with pytest.raises(PermissionDenied):
        period_lock.approve(db, snv, "2026-Q3", LEADER)
    assert period_lock.approve(db, snv, "Quý III/2026", STAFF, now=dt.datetime(2026, 10, 20, 2, 0, tzinfo=dt.UTC))
    assert not period_lock.approve(db, snv, "2026-Q3", STAFF)  # already approved: nothing written
    o = next(o for o in obligations(db, "2026-Q3", today=AFTER_DUE) if o.agency == SNV)
    assert (o.approved, o.locked) == (True, False)

    assert period_lock.lock_period(db, "2026-Q3", STAFF, now=dt.datetime(2026, 10, 21, 1, 30, tzinfo=dt.UTC))
    assert all(o.locked for o in obligations(db, "2026-Q3", today=AFTER_DUE))
    before = current_states(db, ["SNV26-P1-07"], "2026-Q3")
    plan = imp.plan_import(db, _q3_return(70), "snv-q3-70.xlsx")
    with pytest.raises(PeriodLocked) as refused:
        imp.apply_import(db, plan, STAFF)
    message = str(refused.value)
    assert "Quý III/2026 đã khóa kỳ báo cáo" in message and "chuyenvien" in message and "21/10/2026 08:30" in message
    with pytest.raises(PeriodLocked, match="hoàn tác lần tải lên"):
        imp.undo_upload(db, first, STAFF)
    assert current_states(db, ["SNV26-P1-07"], "2026-Q3") == before  # nothing written by either refusal
    with db.connect() as conn:
        assert conn.execute(text("SELECT undone_at FROM upload WHERE id = :u"), {"u": first}).scalar_one() is None

    with pytest.raises(PermissionDenied):
        period_lock.reopen(db, snv, "2026-Q3", "Sửa số liệu", STAFF)
    with pytest.raises(ValueError, match="lý do"):
        period_lock.reopen(db, snv, "2026-Q3", "   ", ADMIN)
    period_lock.reopen(db, snv, "2026-Q3", "Sở Nội vụ gửi lại số liệu P1-07", ADMIN)
    assert _audit(db, "reopen_period") == [
        ("quantri", "Mở lại kỳ báo cáo Quý III/2026 cho Sở Nội vụ · lý do: Sở Nội vụ gửi lại số liệu P1-07")]
    locked = {o.agency: o.locked for o in obligations(db, "2026-Q3", today=AFTER_DUE)}
    assert locked[SNV] is False and all(v for k, v in locked.items() if k != SNV)
    assert imp.apply_import(db, imp.plan_import(db, _q3_return(70), "snv-q3-70.xlsx"), STAFF).upload_id is not None
    assert current_states(db, ["SNV26-P1-07"], "2026-Q3")["SNV26-P1-07"] == (m.STATE_IN_PROGRESS, 70.0)


def test_locked_period_cli_exit_2(db: Engine, tmp_path: Path) -> None:
    first = _apply(db, LAST_MINUTE)
    period_lock.lock_period(db, "2026-Q3", STAFF)
    path = tmp_path / "snv-q3-70.xlsx"
    path.write_bytes(_q3_return(70))
    run = [sys.executable, "-m", "data_access"]
    out = subprocess.run([*run, "import", str(path), "--user", "chuyenvien"], cwd=ROOT,
                         capture_output=True, text=True, timeout=120)
    assert out.returncode == 2, (out.stdout, out.stderr)
    assert "đã khóa kỳ báo cáo" in out.stdout + out.stderr and "Traceback" not in out.stderr
    out = subprocess.run([*run, "undo", str(first), "--user", "chuyenvien"], cwd=ROOT,
                         capture_output=True, text=True, timeout=120)
    assert out.returncode == 2 and "đã khóa kỳ báo cáo" in out.stdout + out.stderr



def test_a_lead_still_owes_while_its_own_share_is_open(db: Engine) -> None:
    """A task led by two agencies, one of which reported it done before the quarter: the other still owes its
    return on that task for the quarter (a task is done only when every lead is, as the overdue pages count it),
    and the agency that finished owes nothing more on it."""
    with db.begin() as conn:
        pair = conn.execute(text(
            "SELECT a1.id AS done_id, a1.agency_id AS done_agency, a2.id AS open_id, a2.agency_id AS open_agency, "
            "t.code FROM assignment a1 "
            "JOIN assignment a2 ON a2.task_id = a1.task_id AND a2.id <> a1.id AND a2.agency_id <> a1.agency_id "
            "JOIN agency g1 ON g1.id = a1.agency_id JOIN agency g2 ON g2.id = a2.agency_id "
            "JOIN task t ON t.id = a1.task_id JOIN plan p ON p.id = t.plan_id "
            "WHERE a1.role = :lead AND a2.role = :lead AND p.kind <> :dirs AND g1.kind = :prov AND g2.kind = :prov "
            "AND COALESCE(p.year_from, p.year) <= 2026 ORDER BY a1.id"),
            {"lead": m.ASSIGNMENT_LEAD, "dirs": m.PLAN_DIRECTIONS, "prov": m.KIND_PROVINCIAL}).first()
        assert pair is not None, "the sample has tasks with two provincial lead agencies"
        conn.execute(text("DELETE FROM statusreport WHERE assignment_id IN (:d, :o)"),
                     {"d": pair.done_id, "o": pair.open_id})
        conn.execute(text(
            "INSERT INTO statusreport (assignment_id, period, period_start, period_end, state, progress_pct, "
            "is_sample, recorded_at, recorded_by) VALUES (:d, '2026-Q1', '2026-01-01', '2026-03-31', :done, 100, "
            ":f, '2026-04-10 00:00:00', 'test')"), {"d": pair.done_id, "done": m.STATE_DONE, "f": False})
    assert pair.code in {code for code, _ in owed_tasks(db, "2026-Q3", int(pair.open_agency))}
    assert pair.code not in {code for code, _ in owed_tasks(db, "2026-Q3", int(pair.done_agency))}
