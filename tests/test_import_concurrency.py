"""Imports at the same time and imports killed half-way, on SQLite and PostgreSQL.

- two imports of different agencies' files, run as two real `python -m data_access import`
  processes at once, both land completely;
- two imports of the same tasks, both planned before either applies (so each plan is stale
  for the other), applied at once from two threads with their own engines: the store-wide
  write lock serialises them and the second re-classifies against the first's reports;
- a `python -m data_access import` of a 20 000-row return killed with SIGKILL inside its
  apply transaction leaves every table exactly as before, and the store stays usable.
"""

from __future__ import annotations

import json
import os
import signal
import sqlite3
import subprocess
import sys
import threading
import time
from pathlib import Path

from sqlalchemy import text
from sqlalchemy.engine import Engine

from data_access import importer as imp
from data_access import models as m
from data_access.db import make_engine
from data_access.permissions import Actor
from tests.conftest import ROOT
from tests.importer_files import all_tables, current_states, snapshot, status_return, synthetic_agency

STAFF = Actor("chuyenvien", "chuyen_vien")
DONE, GOING = m.STATE_DONE, m.STATE_IN_PROGRESS


def _url(engine: Engine) -> str:
    return engine.url.render_as_string(hide_password=False)


def _cli(engine: Engine, path: Path, agency: str, *extra: str) -> subprocess.Popen[str]:
    env = {**os.environ, "DATABASE_URL": _url(engine)}
    return subprocess.Popen(
        [sys.executable, "-m", "data_access", "import", str(path), "--agency", agency, "--period", "2026-Q4",
         "--json", "--user", "chuyenvien", *extra],  # an active account allowed to upload (issue 13)
        cwd=ROOT, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)


def _count(engine: Engine, sql: str, **params: object) -> int:
    with engine.connect() as conn:
        return int(conn.execute(text(sql), params).scalar_one())


def test_two_agencies_import_at_the_same_time_both_land(db: Engine, tmp_path: Path) -> None:
    n = 3000
    files = {}
    for name, prefix in (("Cơ quan thử A", "CTA"), ("Cơ quan thử B", "CTB")):
        _, codes = synthetic_agency(db, name, prefix, n)
        rows = [(c, (DONE, GOING)[i % 2], (100.0, 40.0)[i % 2]) for i, c in enumerate(codes)]
        files[name] = (codes, rows, tmp_path / f"{prefix}.xlsx")
        files[name][2].write_bytes(status_return(name, rows))
    before = _count(db, "SELECT COUNT(*) FROM statusreport")
    procs = {name: _cli(db, path, name) for name, (_, _, path) in files.items()}
    outs = {}
    for name, proc in procs.items():
        stdout, stderr = proc.communicate(timeout=120)
        assert proc.returncode == 0, stderr
        assert "Traceback" not in stderr
        outs[name] = json.loads(stdout)
    for name, (codes, rows, _) in files.items():
        out = outs[name]
        assert (out["applied"], out["rows_read"], out["new"], out["changed"], out["unchanged"], out["written"]) == \
            (True, n, n, 0, 0, n), out
        assert out["rejected"] == out["unmatched"] == 0
        assert _count(db, "SELECT COUNT(*) FROM statusreport WHERE upload_id = :u", u=out["upload_id"]) == n
        assert current_states(db, codes) == {c: (s, p) for c, s, p in rows}
    assert outs["Cơ quan thử A"]["upload_id"] != outs["Cơ quan thử B"]["upload_id"]
    assert _count(db, "SELECT COUNT(*) FROM statusreport") == before + 2 * n
    assert _count(db, "SELECT COUNT(*) FROM upload") == 2


def test_two_imports_of_the_same_tasks_serialise_without_lost_updates(db: Engine) -> None:
    name = "Cơ quan thử chung"
    agency_id, codes = synthetic_agency(db, name, "CTC", 600)
    # File 1 reports tasks 0-399 in progress; file 2 reports 200-299 the same, 300-399 done, 400-599 in progress.
    rows1 = [(c, GOING, 40.0) for c in codes[:400]]
    rows2 = [(c, GOING, 40.0) for c in codes[200:300]] + [(c, DONE, 100.0) for c in codes[300:400]] + \
        [(c, GOING, 20.0) for c in codes[400:]]
    plans = [imp.plan_import(db, status_return(name, rows), f"f{i}.xlsx", agency_id=agency_id)
             for i, rows in ((1, rows1), (2, rows2))]
    assert [p.counts["new"] for p in plans] == [400, 400]  # both planned against the store before either writes
    before = _count(db, "SELECT COUNT(*) FROM statusreport")

    results: dict[int, imp.ApplyResult] = {}
    failures: list[BaseException] = []
    barrier = threading.Barrier(2)

    def apply(index: int) -> None:
        engine = make_engine(_url(db))  # one engine per thread, as two app replicas would have
        try:
            barrier.wait(timeout=30)
            results[index] = imp.apply_import(engine, plans[index], STAFF)
        except BaseException as exc:  # noqa: BLE001 - reported by the main thread
            failures.append(exc)
        finally:
            engine.dispose()

    threads = [threading.Thread(target=apply, args=(i,)) for i in (0, 1)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=60)
    assert not failures, failures
    first, second = sorted(results, key=lambda i: results[i].upload_id or 0)
    r1, r2 = results[first], results[second]
    # Whichever went first wrote all its 400 rows; the other saw them: 100 identical rows, 100 that
    # differ and 200 of its own (the split is the same for both orders).
    assert (r1.new, r1.changed, r1.unchanged, r1.reports_written) == (400, 0, 0, 400)
    assert (r2.new, r2.changed, r2.unchanged, r2.reports_written) == (200, 100, 100, 300)
    assert _count(db, "SELECT COUNT(*) FROM statusreport") == before + 700
    expected: dict[str, tuple[str, float]] = {}
    for index in (first, second):
        expected.update({c: (s, p) for c, s, p in (rows1, rows2)[index]})
    assert current_states(db, codes) == expected
    # Undo is serialised the same way and restores the state after the first import only.
    imp.undo_upload(db, r2.upload_id or 0, STAFF)
    assert current_states(db, codes) == {c: (s, p) for c, s, p in (rows1, rows2)[first]}


def _writer_inside(engine: Engine) -> bool:
    """True while another connection holds the store's write lock (an apply transaction is open)."""
    if engine.dialect.name == "postgresql":
        with engine.connect() as conn:
            got = conn.execute(text("SELECT pg_try_advisory_xact_lock(:k)"), {"k": imp.STORE_LOCK_KEY}).scalar_one()
            conn.rollback()
        return not got
    con = sqlite3.connect(str(engine.url.database), timeout=0)
    try:
        con.execute("BEGIN IMMEDIATE")
    except sqlite3.OperationalError:
        return True
    finally:
        con.close()  # rolls back the probe's own (empty) transaction
    return False


def _pg_inserting_reports(engine: Engine) -> bool:
    with engine.connect() as conn:
        return bool(conn.execute(text(
            "SELECT COUNT(*) FROM pg_stat_activity WHERE datname = current_database() AND pid <> pg_backend_pid() "
            "AND state = 'active' AND backend_xid IS NOT NULL AND query LIKE 'INSERT INTO %statusreport%'"
        )).scalar_one())


def _kill_inside_apply(engine: Engine, path: Path, agency: str) -> tuple[int | None, bool, str]:
    """Start the CLI import, wait for its "Đang ghi vào kho dữ liệu..." line (printed once it holds the
    write lock, inside the transaction), then on PostgreSQL wait until its backend is executing the
    status-report INSERTs (so the upload row and some reports are already written in the transaction),
    on SQLite sleep a few tens of ms; check it still holds the lock and SIGKILL it.
    (return code, whether the lock was held just before the kill, stderr seen)."""
    proc = _cli(engine, path, agency)
    timer = threading.Timer(90, proc.kill)  # never hang the suite
    timer.start()
    seen: list[str] = []
    inside = False
    try:
        assert proc.stderr is not None
        for line in proc.stderr:
            seen.append(line)
            if "Đang ghi vào kho dữ liệu" in line:
                if engine.dialect.name == "postgresql":
                    deadline = time.monotonic() + 10
                    while proc.poll() is None and time.monotonic() < deadline and not _pg_inserting_reports(engine):
                        time.sleep(0.001)
                else:
                    # SQLite keeps the transaction's pages in its cache until the commit writes them to
                    # the WAL, so any moment between the lock and the commit is the same for the file.
                    time.sleep(0.03)
                inside = _writer_inside(engine)
                proc.send_signal(signal.SIGKILL)
                break
        proc.wait(timeout=30)
    finally:
        timer.cancel()
    return proc.returncode, inside, "".join(seen)


def test_import_killed_inside_apply_leaves_the_store_as_before(db: Engine, tmp_path: Path) -> None:
    name = "Cơ quan thử lớn"
    n = 20_000
    agency_id, codes = synthetic_agency(db, name, "CTL", n)
    rows = [(c, (DONE, GOING, m.STATE_NOT_STARTED)[i % 3], (100.0, 40.0, 0.0)[i % 3]) for i, c in enumerate(codes)]
    path = tmp_path / "lon.xlsx"
    data = status_return(name, rows)
    path.write_bytes(data)
    tables = all_tables(db)
    before = snapshot(db, tables)

    code, inside, seen = _kill_inside_apply(db, path, name)
    assert code == -signal.SIGKILL, f"the import finished before it could be killed (exit {code}): {seen}"
    assert inside, f"the import did not hold the write lock when it was killed: {seen}"
    assert snapshot(db, tables) == before
    if db.dialect.name == "sqlite":
        with db.connect() as conn:
            assert conn.execute(text("PRAGMA integrity_check")).scalar_one() == "ok"

    # Still usable: the same file now lands completely, under the same lock.
    plan = imp.plan_import(db, data, "lon.xlsx", agency_id=agency_id)
    assert plan.counts["new"] == n
    result = imp.apply_import(db, plan, STAFF)
    assert (result.new, result.reports_written) == (n, n)
    assert _count(db, "SELECT COUNT(*) FROM statusreport WHERE upload_id = :u", u=result.upload_id) == n
    assert _count(db, "SELECT COUNT(*) FROM upload") == 1
