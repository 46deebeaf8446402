"""Consistent logical backups of the whole store, portable between SQLite and PostgreSQL.

A backup is a gzip-compressed JSON document: the schema revision and every row of every
table, read inside ONE transaction (a snapshot on both backends: WAL readers on SQLite,
REPEATABLE READ on PostgreSQL), so it is consistent while the app keeps writing.
Restore replaces the whole content of a store at the same schema revision in one
transaction: either everything is restored or nothing changes.
"""

from __future__ import annotations

import base64
import datetime as dt
import gzip
import json
from pathlib import Path
from typing import Any

from sqlalchemy import Date, DateTime, Integer, LargeBinary, Table, delete, func, insert, select, text
from sqlalchemy.engine import Connection, Engine

from data_access import models
from data_access.auth import Actor, record_audit, require
from data_access.db import init_db, schema_revision

FORMAT = "cchc-backup/1"


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
    """Write a consistent backup of the store to `path`; returns the row count per table.

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
    document = {"format": FORMAT, "revision": revision, "created_at": dt.datetime.now(dt.UTC).isoformat(),
                "tables": data}
    tmp = path.with_name(path.name + ".tmp")
    with gzip.open(tmp, "wt", encoding="utf-8") as fh:
        json.dump(document, fh, ensure_ascii=False)
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


def restore(engine: Engine, path: Path, actor: Actor) -> dict[str, int]:
    """Replace the store's content with the backup at `path` (administrators only).

    The store is first brought to the latest schema; the backup must have been taken at
    the same revision (ValueError otherwise). All or nothing, in one transaction.
    """
    require(actor, "manage_settings")
    try:
        with gzip.open(path, "rt", encoding="utf-8") as fh:
            document = json.load(fh)
    except (OSError, ValueError) as exc:
        raise ValueError(f"Tệp sao lưu không đọc được: {path} ({exc})") from exc
    if not isinstance(document, dict) or document.get("format") != FORMAT:
        raise ValueError(f"{path} không phải tệp sao lưu của hệ thống CCHC.")
    init_db(engine)
    current = schema_revision(engine)
    if document.get("revision") != current:
        raise ValueError(f"Bản sao lưu ở phiên bản cấu trúc {document.get('revision')}, kho dữ liệu ở {current}; "
                         "hãy khôi phục vào kho cùng phiên bản rồi chạy 'migrate'.")
    counts: dict[str, int] = {}
    with engine.begin() as conn:
        for table in reversed(_tables()):
            conn.execute(delete(table))
        for table in _tables():
            rows = [_decode(table, row) for row in document["tables"].get(table.name, [])]
            if rows:
                conn.execute(insert(table), rows)
            counts[table.name] = int(conn.execute(select(func.count()).select_from(table)).scalar_one())
        _reset_sequences(conn)
    from sqlmodel import Session

    with Session(engine) as session:
        from data_access.db import bump_data_version

        bump_data_version(session)
        record_audit(session, actor, "khoi_phuc", f"{path.name}: {sum(counts.values())} bản ghi")
        session.commit()
    return counts
