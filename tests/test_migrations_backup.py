"""Schema migrations and backups, on SQLite and PostgreSQL."""

from __future__ import annotations

import gzip
import json
import os
import subprocess
import sys
import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest
import sqlalchemy as sa
from sqlalchemy.engine import Engine, make_url

from data_access import permissions
from data_access.backup import backup, restore
from data_access.db import make_engine, migrate, schema_revision
from data_access.queries import store_stats
from tests.conftest import BACKENDS, ROOT

ADMIN = permissions.Actor("quantri", "quan_tri")


def _head() -> str:
    from alembic.config import Config
    from alembic.script import ScriptDirectory

    from data_access.db import MIGRATIONS

    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS))
    head = ScriptDirectory.from_config(config).get_current_head()
    assert head is not None and head > "0001"
    return head


@pytest.fixture(params=BACKENDS)
def empty_url(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[str]:
    """The URL of a brand-new, empty store on each backend."""
    if request.param == "sqlite":
        yield f"sqlite:///{tmp_path / 'empty.db'}"
        return
    admin_url = request.getfixturevalue("pg_admin_url")
    name = f"cchc_e_{uuid.uuid4().hex[:12]}"
    admin = sa.create_engine(admin_url, isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(sa.text(f'CREATE DATABASE "{name}"'))
    yield make_url(admin_url).set(database=name).render_as_string(hide_password=False)
    with admin.connect() as conn:
        conn.execute(sa.text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
    admin.dispose()


def _indexes(engine: Engine, table: str) -> set[str]:
    return {i["name"] for i in sa.inspect(engine).get_indexes(table) if i["name"]}


def test_upgrade_from_first_schema_keeps_data(empty_url: str) -> None:
    engine = make_engine(empty_url)
    migrate(engine, "0001")
    assert schema_revision(engine) == "0001"
    assert "ix_statusreport_latest" not in _indexes(engine, "statusreport")
    with engine.begin() as conn:  # data written by the first schema version
        conn.execute(sa.text("INSERT INTO field (code, name, sort_order) VALUES ('TC', 'Cải cách thể chế', 1)"))
        conn.execute(sa.text("INSERT INTO plan (id, code, document, name, year, source) "
                             "VALUES (1, 'KH24', '3049/QĐ-UBND', 'Kế hoạch CCHC năm 2024', 2024, '')"))
        conn.execute(sa.text("INSERT INTO agency (id, name, kind, search_key) VALUES (1, 'Sở Tư pháp', 'so_nganh', "
                             "'so tu phap')"))
        conn.execute(sa.text("INSERT INTO task (id, plan_id, field_code, code, text, deadline_kind, search_key) "
                             "VALUES (1, 1, 'TC', 'KH24-01', 'Rà soát văn bản', 'year', 'ra soat van ban')"))
        conn.execute(sa.text("INSERT INTO assignment (id, task_id, agency_id, role, name_as_assigned) "
                             "VALUES (1, 1, 1, 'chu_tri', 'Sở Tư pháp')"))
        conn.execute(sa.text(
            "INSERT INTO statusreport (assignment_id, period, period_start, period_end, state, is_sample, "
            "recorded_at, recorded_by) VALUES (1, '2024-Q2', '2024-04-01', '2024-06-30', 'hoan_thanh', false, "
            "'2024-07-05 08:00:00+00:00', 'cb')"))
    before = store_stats(engine)
    migrate(engine)  # what `python -m data_access migrate` runs
    assert schema_revision(engine) == _head()
    assert "ix_statusreport_latest" in _indexes(engine, "statusreport")
    assert store_stats(engine) == before
    with engine.connect() as conn:
        assert conn.execute(sa.text("SELECT text FROM task WHERE code = 'KH24-01'")).scalar() == "Rà soát văn bản"
    engine.dispose()


def test_store_created_before_migrations_is_adopted(tmp_path: Path) -> None:
    """A store made by create_all (before Alembic existed) is stamped as the baseline, then upgraded."""
    engine = make_engine(f"sqlite:///{tmp_path / 'old.db'}")
    migrate(engine, "0001")  # the foundation's schema, as create_all made it then...
    with engine.begin() as conn:
        conn.execute(sa.text("DROP TABLE alembic_version"))  # ...with no version recorded
    migrate(engine)
    assert schema_revision(engine) == _head()


def test_migrate_command(tmp_path: Path) -> None:
    env = {**os.environ, "DATABASE_URL": f"sqlite:///{tmp_path / 'cli.db'}"}
    result = subprocess.run([sys.executable, "-m", "data_access", "migrate"], cwd=ROOT, env=env,
                            capture_output=True, text=True, timeout=120)
    assert result.returncode == 0, result.stderr
    assert f"-> {_head()}" in result.stdout


def _norm(value: object) -> object:
    import datetime as dt

    if isinstance(value, dt.datetime):
        return (value if value.tzinfo else value.replace(tzinfo=dt.UTC)).astimezone(dt.UTC).isoformat()
    return value


def _content(engine: Engine) -> dict[str, list[tuple[object, ...]]]:
    """Every row of every table but the audit log and meta, typed the same on both backends."""
    from data_access import models

    with engine.connect() as conn:
        return {t.name: [tuple(_norm(v) for v in r) for r in conn.execute(
                    sa.select(t).order_by(*t.primary_key.columns))]
                for t in models.metadata.sorted_tables if t.name not in ("auditlog", "meta")}


def test_backup_and_restore_round_trip(db: Engine, tmp_path: Path) -> None:
    before = _content(db)
    path = tmp_path / "sao_luu.json.gz"
    counts = backup(db, path)
    assert counts["task"] == 232
    with db.begin() as conn:  # damage the store
        conn.execute(sa.text("DELETE FROM statusreport"))
    restore(db, path, ADMIN)
    assert _content(db) == before
    with db.begin() as conn:  # ids keep working after restore (PostgreSQL sequences reset)
        conn.execute(sa.text("INSERT INTO field (code, name, sort_order) VALUES ('X', 'Thử', 99)"))


def test_restore_across_backends(sample_db_file: Path, pg_admin_url: str, tmp_path: Path) -> None:
    """A SQLite backup restores into PostgreSQL with identical content (the move to several replicas)."""
    if "postgresql" not in BACKENDS:
        pytest.skip("PostgreSQL not in CCHC_TEST_BACKENDS")
    source = make_engine(f"sqlite:///{sample_db_file}")
    path = tmp_path / "b.json.gz"
    backup(source, path)
    name = f"cchc_x_{uuid.uuid4().hex[:10]}"
    admin = sa.create_engine(pg_admin_url, isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(sa.text(f'CREATE DATABASE "{name}"'))
    target = make_engine(make_url(pg_admin_url).set(database=name).render_as_string(hide_password=False))
    try:
        restore(target, path, ADMIN)
        assert _content(target) == _content(source)
    finally:
        target.dispose()
        source.dispose()
        with admin.connect() as conn:
            conn.execute(sa.text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))


def test_restore_refuses_bad_files_and_leaders(db: Engine, tmp_path: Path) -> None:
    before = store_stats(db)
    bad = tmp_path / "x.json.gz"
    bad.write_bytes(b"not gzip")
    with pytest.raises(ValueError, match="không đọc được"):
        restore(db, bad, ADMIN)
    wrong = tmp_path / "y.json.gz"
    with gzip.open(wrong, "wt") as fh:
        json.dump({"format": "something-else"}, fh)
    with pytest.raises(ValueError, match="không phải tệp sao lưu"):
        restore(db, wrong, ADMIN)
    good = tmp_path / "z.json.gz"
    backup(db, good)
    with pytest.raises(permissions.PermissionDenied):
        restore(db, good, permissions.Actor("lanhdao", "lanh_dao"))
    assert store_stats(db) == before


def test_backup_is_consistent_while_writes_happen(db: Engine, tmp_path: Path) -> None:
    """A backup taken while another connection inserts sees either none or all of a transaction."""
    import threading

    stop = threading.Event()

    def writer() -> None:
        n = 0
        while not stop.is_set() and n < 200:
            with db.begin() as conn:  # two rows per transaction: a backup must never hold an odd number
                conn.execute(sa.text("INSERT INTO auditlog (at, username, action, detail) VALUES "
                                     "(CURRENT_TIMESTAMP, 'w', 'thu', 'a'), (CURRENT_TIMESTAMP, 'w', 'thu', 'b')"))
            n += 1

    thread = threading.Thread(target=writer)
    thread.start()
    try:
        for i in range(3):
            path = tmp_path / f"b{i}.json.gz"
            backup(db, path)
            with gzip.open(path, "rt") as fh:
                rows = json.load(fh)["tables"]["auditlog"]
            assert sum(1 for r in rows if r["username"] == "w") % 2 == 0
    finally:
        stop.set()
        thread.join()


def test_backup_covers_the_follow_up_tables(db: Engine, tmp_path: Path) -> None:
    """Explanation requests, notes and meeting conclusions (and the task a conclusion became) survive a
    backup and restore (issue 17)."""
    import datetime as dt

    from data_access import conclusions, follow_up, meeting, notes
    from data_access import models as m
    from data_access.queries import Filters

    staff = permissions.Actor("chuyenvien", "chuyen_vien")
    with db.connect() as conn:
        agency = int(conn.execute(sa.text("SELECT id FROM agency WHERE name = 'Sở Tư pháp'")).scalar_one())
        task = str(conn.execute(sa.text("SELECT code FROM task ORDER BY id")).scalars().first())
        indicator = str(conn.execute(sa.text("SELECT code FROM indicator ORDER BY id")).scalars().first())
    today = dt.date(2026, 10, 5)
    rid = follow_up.raise_request(db, staff, m.SUBJECT_TASK, task, agency, "Vì sao chậm?", today, today=today)
    follow_up.record_answer(db, staff, rid, "Do thiếu nhân sự", "CV 1/STP", today, today=today)
    notes.add_note(db, staff, m.SUBJECT_MEASURE, indicator, "2026-Q2", "Quý II giảm do chuyển đổi phần mềm")
    snap = meeting.create_snapshot(db, staff, "Họp giao ban", Filters(as_of=dt.date(2026, 9, 30)))
    kid = conclusions.add_conclusion(db, staff, snap, m.SUBJECT_TASK, task, "Hoàn thành trước 31/12/2026")
    conclusions.to_task(db, staff, kid, agency, dt.date(2026, 12, 31), today=today)
    before = _content(db)
    assert all(before[t] for t in ("explanation_request", "number_note", "meeting_conclusion"))
    path = tmp_path / "sao_luu.json.gz"
    counts = backup(db, path)
    assert (counts["explanation_request"], counts["number_note"], counts["meeting_conclusion"]) == (1, 1, 1)
    with db.begin() as conn:  # lose the follow-up
        for table in ("explanation_request", "number_note", "meeting_conclusion"):
            conn.execute(sa.text(f"DELETE FROM {table}"))
    restore(db, path, ADMIN)
    assert _content(db) == before
