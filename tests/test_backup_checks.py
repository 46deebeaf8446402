"""Restore refuses every malformed backup before touching the store (issue 13, item 4), on both backends.

The store is compared by row counts and content checksums of every table before and after each refusal;
the command line answers exit 2 with a Vietnamese message and no traceback.
"""

from __future__ import annotations

import copy
import gzip
import json
import os
import stat
import subprocess
import sys
import zlib
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
import sqlalchemy as sa
from sqlalchemy.engine import Engine

from data_access import permissions
from data_access.backup import FORMAT, BackupRefused, backup, check_backup, content_checksum, restore
from tests.conftest import ROOT
from tests.importer_files import all_tables, snapshot

ADMIN = permissions.Actor("quantri", "quan_tri")


def _document(path: Path) -> dict[str, Any]:
    with gzip.open(path, "rt", encoding="utf-8") as fh:
        doc: dict[str, Any] = json.load(fh)
    return doc


def _write(path: Path, doc: object) -> Path:
    with gzip.open(path, "wt", encoding="utf-8") as fh:
        json.dump(doc, fh, ensure_ascii=False)
    return path


def _reseal(doc: dict[str, Any]) -> dict[str, Any]:
    """Recompute the manifest so that only the defect under test remains."""
    doc["manifest"] = {"tables": list(doc["tables"]), "counts": {k: len(v) for k, v in doc["tables"].items()},
                       "checksum": content_checksum(doc["tables"])}
    return doc


def _no_tables(doc: dict[str, Any]) -> dict[str, Any]:
    doc["tables"] = {}
    return _reseal(doc)


def _missing_statusreport(doc: dict[str, Any]) -> dict[str, Any]:
    del doc["tables"]["statusreport"]
    return _reseal(doc)


def _wrong_revision(doc: dict[str, Any]) -> dict[str, Any]:
    doc["revision"] = "0002"
    return doc


def _count_mismatch(doc: dict[str, Any]) -> dict[str, Any]:
    doc["tables"]["statusreport"].pop()  # the manifest still says one more
    return doc


def _checksum_mismatch(doc: dict[str, Any]) -> dict[str, Any]:
    row = doc["tables"]["statusreport"][0]
    row["state"] = "hoan_thanh" if row["state"] != "hoan_thanh" else "dang_thuc_hien"  # same counts
    return doc


def _all_rows_empty(doc: dict[str, Any]) -> dict[str, Any]:
    doc["tables"] = {k: [] for k in doc["tables"]}
    return _reseal(doc)


def _unknown_column(doc: dict[str, Any]) -> dict[str, Any]:
    doc["tables"]["field"][0]["khong_co"] = 1
    return _reseal(doc)


def _old_format(doc: dict[str, Any]) -> dict[str, Any]:
    doc["format"] = "cchc-backup/1"
    del doc["manifest"]
    return doc


CASES: dict[str, tuple[Callable[[dict[str, Any]], dict[str, Any]], str]] = {
    "no_tables": (_no_tables, "thiếu bảng"),
    "missing_table": (_missing_statusreport, "thiếu bảng: statusreport"),
    "wrong_revision": (_wrong_revision, "phiên bản cấu trúc dữ liệu 0002"),
    "count_mismatch": (_count_mismatch, "Số bản ghi không khớp bảng kê: statusreport"),
    "checksum_mismatch": (_checksum_mismatch, "checksum"),
    "no_rows": (_all_rows_empty, "không có bản ghi nào"),
    "unknown_column": (_unknown_column, "khong_co"),
    "old_format": (_old_format, "định dạng cũ"),
}


def _cli(*args: str, env: dict[str, str] | None = None) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "data_access", *args], cwd=ROOT,
                          env={**os.environ, **(env or {})}, capture_output=True, text=True, timeout=300)


@pytest.fixture
def good(db: Engine, tmp_path: Path) -> Path:
    path = tmp_path / "tot.json.gz"
    backup(db, path)
    return path


def test_each_malformed_backup_is_refused_with_the_store_unchanged(db: Engine, good: Path, tmp_path: Path) -> None:
    before = snapshot(db, all_tables(db))
    empty = tmp_path / "trong.json.gz"
    empty.write_bytes(b"")
    empty_gzip = tmp_path / "trong2.json.gz"
    with gzip.open(empty_gzip, "wb"):
        pass
    files = {"empty_file": (empty, "trống"), "empty_gzip": (empty_gzip, "trống")}
    for name, (damage, why) in CASES.items():
        files[name] = (_write(tmp_path / f"{name}.json.gz", damage(copy.deepcopy(_document(good)))), why)
    for name, (path, why) in files.items():
        with pytest.raises(BackupRefused, match=why):
            restore(db, path, ADMIN)
        assert snapshot(db, all_tables(db)) == before, name
        cli = _cli("restore", str(path), "--user", "quantri")
        assert cli.returncode == 2, (name, cli.stdout, cli.stderr)
        assert "Từ chối khôi phục" in cli.stderr and why in cli.stderr and "Traceback" not in cli.stderr, name
        assert snapshot(db, all_tables(db)) == before, name


def test_a_compression_bomb_is_refused_with_bounded_memory(db: Engine, tmp_path: Path,
                                                           monkeypatch: pytest.MonkeyPatch) -> None:
    """64 MB of zeros compressed to ~64 KB; with a 16 MB ceiling the read stops at 16 MB."""
    bomb = tmp_path / "bom.json.gz"
    compressor = zlib.compressobj(9, zlib.DEFLATED, 31)  # gzip container
    with bomb.open("wb") as fh:
        fh.write(compressor.compress(b'{"format": "' + FORMAT.encode() + b'", "pad": "'))
        for _ in range(64):
            fh.write(compressor.compress(b"0" * (1 << 20)))
        fh.write(compressor.compress(b'"}') + compressor.flush())
    assert bomb.stat().st_size < 200_000
    before = snapshot(db, all_tables(db))
    monkeypatch.setenv("CCHC_RESTORE_MAX_MB", "16")
    with pytest.raises(BackupRefused, match="vượt quá 16 MB"):
        restore(db, bomb, ADMIN)
    cli = _cli("restore", str(bomb), "--user", "quantri")
    assert cli.returncode == 2 and "bom nén" in cli.stderr and "Traceback" not in cli.stderr
    assert snapshot(db, all_tables(db)) == before


def test_dry_run_says_what_would_be_replaced_and_changes_nothing(db: Engine, good: Path) -> None:
    with db.begin() as conn:
        conn.execute(sa.text("DELETE FROM statusreport WHERE id IN (SELECT id FROM statusreport ORDER BY id LIMIT 5)"))
    before = snapshot(db, all_tables(db))
    plan = check_backup(db, good)
    assert plan.counts["statusreport"] == plan.now["statusreport"] + 5
    cli = _cli("restore", str(good), "--dry-run", "--user", "quantri")
    assert cli.returncode == 0, cli.stderr
    now, then = plan.now["statusreport"], plan.counts["statusreport"]
    assert f"statusreport: {now:,} -> {then:,}".replace(",", ".") in cli.stdout
    assert "không thay đổi gì" in cli.stdout
    assert snapshot(db, all_tables(db)) == before


def test_restore_round_trip_is_audited_refreshes_caches_and_checks_user(db: Engine, good: Path) -> None:
    from data_access.db import data_version

    doc = _document(good)
    assert doc["manifest"]["checksum"] == content_checksum(doc["tables"])
    assert doc["manifest"]["counts"]["task"] == len(doc["tables"]["task"]) == 232
    assert set(doc["manifest"]["tables"]) == set(all_tables(db)) - {"alembic_version"}
    assert stat.S_IMODE(good.stat().st_mode) == 0o600
    with db.begin() as conn:  # a few writes after the backup: the data version moves past the backup's
        conn.execute(sa.text("UPDATE meta SET value = CAST(CAST(value AS INTEGER) + 7 AS VARCHAR(20)) "
                             "WHERE key = 'data_version'"))
    version = data_version(db)
    leader = _cli("restore", str(good), "--user", "lanhdao")
    assert leader.returncode == 2 and "không có quyền thay đổi cấu hình" in leader.stderr
    done = _cli("restore", str(good), "--user", "quantri")
    assert done.returncode == 0, done.stderr
    assert data_version(db) > version  # caches keyed on the version cannot serve pre-restore figures
    with db.connect() as conn:
        who, detail = conn.execute(sa.text("SELECT username, detail FROM auditlog ORDER BY id DESC LIMIT 1")).one()
    assert who == "quantri" and "nguồn: dòng lệnh" in detail


def test_store_and_backup_files_are_private(tmp_path: Path) -> None:
    """A new SQLite store (main file, -wal, -shm) and a backup are created 0600 even under umask 022;
    an existing store readable by others is tightened when opened."""
    from data_access.db import init_db, make_engine

    old = os.umask(0o022)
    try:
        engine = make_engine(f"sqlite:///{tmp_path / 'kho' / 'cchc.db'}")
        init_db(engine)
        with engine.connect() as conn:
            conn.execute(sa.text("SELECT COUNT(*) FROM task"))
            modes = {p.name: stat.S_IMODE(p.stat().st_mode) for p in (tmp_path / "kho").iterdir()}
            assert {"cchc.db", "cchc.db-wal", "cchc.db-shm"} <= set(modes)
            assert set(modes.values()) == {0o600}, modes
            out = tmp_path / "sao_luu.json.gz"
            backup(engine, out)
            assert stat.S_IMODE(out.stat().st_mode) == 0o600
        engine.dispose()
        legacy = tmp_path / "cu.db"
        legacy.write_bytes(b"")
        legacy.chmod(0o644)
        make_engine(f"sqlite:///{legacy}").dispose()
        assert stat.S_IMODE(legacy.stat().st_mode) == 0o600
    finally:
        os.umask(old)
