"""Consistent logical backups of the whole store, portable between SQLite and PostgreSQL.

A backup is a gzip-compressed JSON document (format `cchc-backup/2`, file mode 0600):

    {"format": "cchc-backup/2", "revision": "0009", "created_at": "...",
     "manifest": {"tables": [every table, parents first], "counts": {table: rows},
                  "checksum": "sha256:<hex>"},
     "tables": {table: [row, ...]}}

The checksum is SHA-256 of the `tables` object dumped canonically (sorted keys, no spaces,
UTF-8). Rows are read inside ONE transaction (a snapshot on both backends: WAL readers on
SQLite, REPEATABLE READ on PostgreSQL), so a backup is consistent while the app keeps writing.

Restore checks everything BEFORE touching the store and refuses (`BackupRefused`, a
Vietnamese message) a file that is not gzip/JSON, decompresses to more than
`CCHC_RESTORE_MAX_MB` MB (default 256: a fixed ceiling, read as a stream, so a compression
bomb costs at most that much memory), has another format (the old `cchc-backup/1` has no
manifest: refused with the way forward), another schema revision than this software's, a
table missing or unknown, counts or checksum differing from its manifest, rows with unknown
columns or undecodable values, or no rows at all. Then it replaces the whole content in one
transaction (counts re-checked inside it, audit line and data version included): either
everything is restored or nothing changes. `check_backup` is the dry run.
"""

from __future__ import annotations

import base64
import binascii
import datetime as dt
import gzip
import hashlib
import json
import os
import zlib
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from sqlalchemy import Date, DateTime, Integer, LargeBinary, Table, delete, func, insert, select, text, update
from sqlalchemy.engine import Connection, Engine

from data_access import models
from data_access.db import init_db, schema_revision
from data_access.permissions import Actor, require
from data_access.settings import int_setting
from data_access.tables import AU, ME

FORMAT = "cchc-backup/2"
OLD_FORMATS = ("cchc-backup/1",)
_CHUNK = 1 << 20


class BackupRefused(ValueError):
    """The backup cannot be restored; nothing was changed. `str(exc)` is Vietnamese."""


def restore_max_bytes() -> int:
    """The decompressed-size ceiling of a backup: CCHC_RESTORE_MAX_MB (default 256, `settings.REGISTRY`) MB."""
    try:
        mb = int_setting("CCHC_RESTORE_MAX_MB")
    except ValueError as exc:
        raise BackupRefused(f"{exc}.") from None
    return max(mb, 1) * 1024 * 1024


def head_revision() -> str | None:
    """The schema revision this software creates (read from the migration scripts, not the store)."""
    from alembic.config import Config
    from alembic.script import ScriptDirectory

    from data_access.db import MIGRATIONS

    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS))
    return ScriptDirectory.from_config(config).get_current_head()


def content_checksum(tables: dict[str, Any]) -> str:
    canonical = json.dumps(tables, sort_keys=True, ensure_ascii=False, separators=(",", ":"))
    return "sha256:" + hashlib.sha256(canonical.encode("utf-8")).hexdigest()


def _tables() -> list[Table]:
    """Tables in foreign-key order (parents first)."""
    return list(models.metadata.sorted_tables)


def _encode(value: Any) -> Any:
    if isinstance(value, bytes | bytearray | memoryview):
        return {"b64": base64.b64encode(bytes(value)).decode()}
    if isinstance(value, dt.datetime | dt.date):
        return value.isoformat()
    return value


def _decode(table: Table, row: dict[str, Any]) -> dict[str, Any]:
    out: dict[str, Any] = {}
    for name, value in row.items():
        column_type = table.c[name].type
        base = getattr(column_type, "impl", column_type)  # SQLModel wraps datetimes in a TypeDecorator
        if value is None:
            out[name] = None
        elif isinstance(base, LargeBinary):
            out[name] = base64.b64decode(value["b64"])
        elif isinstance(base, DateTime):
            moment = dt.datetime.fromisoformat(value)
            out[name] = moment if moment.tzinfo else moment.replace(tzinfo=dt.UTC)
        elif isinstance(base, Date):
            out[name] = dt.date.fromisoformat(value)
        else:
            out[name] = value
    return out


def _read_all(conn: Connection) -> dict[str, list[dict[str, Any]]]:
    data: dict[str, list[dict[str, Any]]] = {}
    for table in _tables():
        rows = conn.execute(select(table).order_by(*table.primary_key.columns)).mappings().all()
        data[table.name] = [{k: _encode(v) for k, v in row.items()} for row in rows]
    return data


def backup(engine: Engine, path: Path) -> dict[str, int]:
    """Write a consistent backup of the store to `path` (mode 0600, with its manifest); returns the
    row count per table.

    SQLite: the online backup API first copies a snapshot (pysqlite would not wrap plain
    SELECTs in one transaction). PostgreSQL: one REPEATABLE READ, read-only transaction.
    """
    revision = schema_revision(engine)
    if engine.dialect.name == "sqlite":
        import sqlite3
        import tempfile

        with tempfile.TemporaryDirectory() as tmpdir:
            snapshot = Path(tmpdir) / "snapshot.db"
            raw = engine.raw_connection()
            try:
                target = sqlite3.connect(snapshot)
                raw.driver_connection.backup(target)  # type: ignore[union-attr]
                target.close()
            finally:
                raw.close()
            from sqlalchemy import create_engine

            copy = create_engine(f"sqlite:///{snapshot}")
            with copy.connect() as conn:
                data = _read_all(conn)
            copy.dispose()
    else:
        with engine.connect().execution_options(isolation_level="REPEATABLE READ") as conn, conn.begin():
            data = _read_all(conn)
    counts = {name: len(rows) for name, rows in data.items()}
    manifest = {"tables": list(data), "counts": counts, "checksum": content_checksum(data)}
    document = {"format": FORMAT, "revision": revision, "created_at": dt.datetime.now(dt.UTC).isoformat(),
                "manifest": manifest, "tables": data}
    tmp = path.with_name(path.name + ".tmp")
    # Created 0600 from the start (the backup holds every account's uploads and the audit log).
    fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(fd, "wb") as raw_out, gzip.GzipFile(fileobj=raw_out, mode="wb") as gz:
        gz.write(json.dumps(document, ensure_ascii=False).encode("utf-8"))
    os.chmod(tmp, 0o600)  # an existing .tmp keeps its old mode through O_TRUNC
    tmp.replace(path)
    return counts


def _reset_sequences(conn: Connection) -> None:
    if conn.dialect.name != "postgresql":
        return
    for table in _tables():
        pk = list(table.primary_key.columns)
        if len(pk) == 1 and isinstance(pk[0].type, Integer):
            conn.execute(text(
                f"SELECT setval(pg_get_serial_sequence('\"{table.name}\"', '{pk[0].name}'), "
                f"COALESCE((SELECT MAX({pk[0].name}) FROM \"{table.name}\"), 0) + 1, false)"))


@dataclass(frozen=True)
class RestorePlan:
    """A validated backup and what restoring it would replace."""

    path: Path
    revision: str
    created_at: str
    rows: dict[str, list[dict[str, Any]]]  # decoded, per table (parents first)
    now: dict[str, int]  # rows per table in the store now
    counts: dict[str, int]  # rows per table in the backup

    def lines(self) -> list[str]:
        """"table: rows now -> rows in the backup", one line per table (Vietnamese number format)."""
        from data_access.vn import fmt_number

        return [f"{name}: {fmt_number(self.now.get(name, 0))} -> {fmt_number(self.counts[name])}"
                for name in self.counts]


def _read_bounded(path: Path, limit: int) -> bytearray:
    """The decompressed bytes of `path`, read as a stream; BackupRefused past `limit` bytes."""
    buffer = bytearray()  # grown in place: no second copy of the content at the end
    total = 0
    try:
        with gzip.open(path, "rb") as fh:
            while True:
                chunk = fh.read(_CHUNK)
                if not chunk:
                    break
                total += len(chunk)
                if total > limit:
                    raise BackupRefused(
                        f"Tệp sao lưu {path.name} giải nén vượt quá {limit // (1024 * 1024)} MB "
                        "(giới hạn CCHC_RESTORE_MAX_MB): có thể là tệp nén bất thường (bom nén). Không khôi phục, "
                        "kho dữ liệu không thay đổi. Nếu đây đúng là bản sao lưu của một kho rất lớn, hãy đặt "
                        "CCHC_RESTORE_MAX_MB lớn hơn.")
                buffer += chunk
    except BackupRefused:
        raise
    except FileNotFoundError:
        raise BackupRefused(f"Không tìm thấy tệp sao lưu {path}.") from None
    except (OSError, EOFError, zlib.error) as exc:
        raise BackupRefused(f"Tệp sao lưu {path.name} không đọc được (không phải tệp gzip hoàn chỉnh: {exc}).") from None
    return buffer  # json.loads reads a bytearray as it is


def _decode_rows(table: Table, rows: Any) -> list[dict[str, Any]]:
    if not isinstance(rows, list):
        raise BackupRefused(f"Bảng {table.name} trong bản sao lưu không phải một danh sách bản ghi.")
    columns = set(table.c.keys())
    out: list[dict[str, Any]] = []
    for i, row in enumerate(rows, 1):
        if not isinstance(row, dict):
            raise BackupRefused(f"Bản ghi {i} của bảng {table.name} không đúng định dạng.")
        unknown = set(row) - columns
        if unknown:
            raise BackupRefused(f"Bản ghi {i} của bảng {table.name} có cột không có trong cấu trúc dữ liệu: "
                                f"{', '.join(sorted(unknown))}.")
        try:
            out.append(_decode(table, row))
        except (TypeError, ValueError, KeyError, AttributeError, binascii.Error) as exc:
            raise BackupRefused(f"Bản ghi {i} của bảng {table.name} có giá trị không đọc được ({exc}).") from None
    return out


def _count_rows(engine: Engine) -> dict[str, int]:
    from sqlalchemy import inspect

    with engine.connect() as conn:
        present = set(inspect(conn).get_table_names())
        return {t.name: int(conn.execute(select(func.count()).select_from(t)).scalar_one()) if t.name in present else 0
                for t in _tables()}


def check_backup(engine: Engine, path: Path) -> RestorePlan:
    """Validate the backup at `path` without touching the store (the dry run of `restore`).

    Raises BackupRefused (Vietnamese) for every reason listed in the module docstring.
    """
    data = _read_bounded(path, restore_max_bytes())
    if not data.strip():
        raise BackupRefused(f"Tệp sao lưu {path.name} trống.")
    try:
        document = json.loads(data)
    except (ValueError, RecursionError) as exc:
        raise BackupRefused(f"Tệp sao lưu {path.name} không phải JSON hợp lệ ({exc}).") from None
    del data
    if not isinstance(document, dict) or not isinstance(document.get("format"), str) \
            or not document["format"].startswith("cchc-backup/"):
        raise BackupRefused(f"{path.name} không phải tệp sao lưu của hệ thống CCHC.")
    if document["format"] in OLD_FORMATS:
        raise BackupRefused(
            f"{path.name} là bản sao lưu định dạng cũ ({document['format']}), không có bảng kê (số bản ghi, mã "
            "kiểm tra) nên không kiểm tra được là đầy đủ; không khôi phục. Cách làm: dùng phiên bản phần mềm đã tạo "
            "bản sao lưu này để khôi phục vào một kho trống, chạy 'python -m data_access migrate', rồi "
            "'python -m data_access backup' để có bản sao lưu định dạng mới và khôi phục bản đó.")
    if document["format"] != FORMAT:
        raise BackupRefused(f"{path.name} có định dạng {document['format']}, phần mềm này đọc {FORMAT}.")
    head = head_revision()
    revision = document.get("revision")
    if revision != head:
        raise BackupRefused(
            f"Bản sao lưu ở phiên bản cấu trúc dữ liệu {revision}, phần mềm này ở {head}; không khôi phục. "
            "Hãy khôi phục bằng phiên bản phần mềm cùng cấu trúc, chạy 'migrate', rồi sao lưu lại.")
    manifest = document.get("manifest")
    content = document.get("tables")
    if not isinstance(manifest, dict) or not isinstance(content, dict):
        raise BackupRefused(f"{path.name} thiếu bảng kê (manifest) hoặc nội dung các bảng.")
    expected = [t.name for t in _tables()]
    listed = manifest.get("tables")
    counts = manifest.get("counts")
    if not isinstance(listed, list) or not isinstance(counts, dict):
        raise BackupRefused(f"Bảng kê của {path.name} không đúng định dạng.")
    missing = [n for n in expected if n not in listed or n not in content]
    if missing:
        raise BackupRefused(f"Bản sao lưu thiếu bảng: {', '.join(missing)}; không khôi phục (sẽ làm mất dữ liệu).")
    unknown = sorted((set(listed) | set(content)) - set(expected))
    if unknown:
        raise BackupRefused(f"Bản sao lưu có bảng lạ không thuộc cấu trúc dữ liệu: {', '.join(unknown)}.")
    wrong = [f"{n} (bảng kê {counts.get(n)}, thực có {len(content[n]) if isinstance(content[n], list) else '?'})"
             for n in expected if not isinstance(content[n], list) or counts.get(n) != len(content[n])]
    if wrong:
        raise BackupRefused(f"Số bản ghi không khớp bảng kê: {'; '.join(wrong)}; tệp đã bị sửa hoặc hỏng.")
    if manifest.get("checksum") != content_checksum(content):
        raise BackupRefused("Mã kiểm tra (checksum) nội dung không khớp bảng kê: tệp đã bị sửa hoặc hỏng.")
    if not any(content[n] for n in expected):
        raise BackupRefused("Bản sao lưu không có bản ghi nào; khôi phục sẽ xóa toàn bộ kho dữ liệu, không làm.")
    rows = {t.name: _decode_rows(t, content[t.name]) for t in _tables()}
    return RestorePlan(path=path, revision=str(revision), created_at=str(document.get("created_at", "")),
                       rows=rows, now=_count_rows(engine), counts={n: len(rows[n]) for n in expected})


def restore(engine: Engine, path: Path, actor: Actor, *, source: str = "trang web") -> dict[str, int]:
    """Replace the store's content with the backup at `path` (administrators only).

    Everything is validated first (`check_backup`); the store is then brought to the latest
    schema and its whole content replaced in one transaction, counts re-checked before the
    commit, with the audit line and a data version above both the old and the restored one
    (so every cache refreshes). BackupRefused: nothing changed.
    """
    require(actor, "manage_settings")
    plan = check_backup(engine, path)
    init_db(engine)
    if schema_revision(engine) != plan.revision:
        raise BackupRefused(f"Kho dữ liệu ở phiên bản cấu trúc {schema_revision(engine)}, bản sao lưu ở "
                            f"{plan.revision}; không khôi phục.")
    from data_access.db import data_version

    version_before = data_version(engine)
    counts: dict[str, int] = {}
    with engine.begin() as conn:
        for table in reversed(_tables()):
            conn.execute(delete(table))
        for table in _tables():
            rows = plan.rows[table.name]
            if rows:
                conn.execute(insert(table), rows)
            counts[table.name] = int(conn.execute(select(func.count()).select_from(table)).scalar_one())
        if counts != plan.counts:  # cannot happen short of a driver bug; the transaction rolls back
            raise BackupRefused("Số bản ghi sau khi ghi khác bản sao lưu; đã hủy, kho dữ liệu không thay đổi.")
        _reset_sequences(conn)
        _set_version(conn, version_before)
        conn.execute(insert(AU).values(
            at=dt.datetime.now(dt.UTC), username=actor.username, action="khoi_phuc",
            detail=f"{path.name}: {sum(counts.values())} bản ghi (bản sao lưu lúc {plan.created_at}) · nguồn: {source}"))
    return counts


def _set_version(conn: Connection, before: int) -> None:
    restored = conn.execute(select(ME.c.value).where(ME.c.key == "data_version")).scalar_one_or_none()
    try:
        value = max(before, int(restored or 0)) + 1
    except ValueError:
        value = before + 1
    if restored is None:
        conn.execute(insert(ME).values(key="data_version", value=str(value)))
    else:
        conn.execute(update(ME).where(ME.c.key == "data_version").values(value=str(value)))
