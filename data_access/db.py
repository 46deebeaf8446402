"""Engine creation, SQLite pragmas, schema creation and the data version.

One engine per process and database URL; one short session per unit of work.
"""

from __future__ import annotations

import contextlib
import os
import stat
import threading
from pathlib import Path
from typing import Any

from sqlalchemy import event
from sqlalchemy.engine import Engine, make_url
from sqlmodel import Session, create_engine, select

from data_access import models
from data_access.settings import get_settings

_engines: dict[str, Engine] = {}
_lock = threading.Lock()


def _sqlite_pragmas(dbapi_conn: Any, _record: Any) -> None:
    cur = dbapi_conn.cursor()
    cur.execute("PRAGMA foreign_keys=ON")
    cur.execute("PRAGMA busy_timeout=10000")
    cur.execute("PRAGMA synchronous=NORMAL")
    mode = cur.execute("PRAGMA journal_mode=WAL").fetchone()
    # WAL is refused silently for in-memory databases; that is fine for tests.
    if mode and str(mode[0]).lower() not in ("wal", "memory"):
        raise RuntimeError(f"Không bật được chế độ WAL cho SQLite (đang ở {mode[0]})")
    cur.close()


def _private_sqlite_file(path: Path) -> None:
    """Create the SQLite file with mode 0600 before SQLite does (SQLite creates its -wal and -shm
    files with the main file's permissions), and take group/other access away from an existing
    store and its -wal/-shm that we own (they hold every upload and the audit log)."""
    path.parent.mkdir(parents=True, exist_ok=True)
    with contextlib.suppress(FileExistsError):
        os.close(os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600))
    for candidate in (path, path.with_name(path.name + "-wal"), path.with_name(path.name + "-shm")):
        try:
            info = candidate.stat()
            if info.st_uid == os.getuid() and info.st_mode & 0o077:
                os.chmod(candidate, stat.S_IMODE(info.st_mode) & 0o700)
        except OSError:
            continue  # absent, or not ours to change


def make_engine(url: str) -> Engine:
    """A new engine for `url`; SQLite files get their folder created, mode 0600 and pragmas set."""
    parsed = make_url(url)
    if parsed.get_backend_name() == "sqlite":
        if parsed.database and parsed.database != ":memory:" and not parsed.database.startswith("file:"):
            _private_sqlite_file(Path(parsed.database))
        engine = create_engine(url, connect_args={"timeout": 10})
        event.listen(engine, "connect", _sqlite_pragmas)
        return engine
    if parsed.drivername in ("postgres", "postgresql"):
        url = str(parsed.set(drivername="postgresql+psycopg"))
    return create_engine(url, pool_pre_ping=True)


def get_engine(url: str | None = None) -> Engine:
    """The process-wide engine for `url` (default: the DATABASE_URL setting)."""
    url = url or get_settings().database_url
    with _lock:
        if url not in _engines:
            _engines[url] = make_engine(url)
        return _engines[url]


MIGRATIONS = Path(__file__).resolve().parents[1] / "migrations"
BASELINE_REVISION = "0001"


def _alembic_config(connection: Any) -> Any:
    from alembic.config import Config

    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS))
    config.attributes["connection"] = connection
    return config


def schema_revision(engine: Engine) -> str | None:
    """The Alembic revision the store is at (None for a store never migrated)."""
    from alembic.runtime.migration import MigrationContext

    with engine.connect() as conn:
        return MigrationContext.configure(conn).get_current_revision()


def migrate(engine: Engine, revision: str = "head") -> None:
    """Upgrade the schema in place to `revision`, keeping the data.

    A store created before migrations existed (tables present, no version) is first
    stamped at the baseline revision, which describes exactly that schema.
    """
    from alembic import command
    from sqlalchemy import inspect

    with engine.begin() as conn:
        config = _alembic_config(conn)
        tables = set(inspect(conn).get_table_names())
        if "alembic_version" not in tables and "task" in tables:
            command.stamp(config, BASELINE_REVISION)
        command.upgrade(config, revision)


def init_db(engine: Engine) -> None:
    """Bring the schema to the latest revision (creating it in an empty store)."""
    migrate(engine)


def get_meta(session: Session, key: str, default: str = "") -> str:
    row = session.get(models.Meta, key)
    return row.value if row else default


def set_meta(session: Session, key: str, value: str) -> None:
    row = session.get(models.Meta, key)
    if row is None:
        session.add(models.Meta(key=key, value=value))
    else:
        row.value = value
        session.add(row)


def bump_data_version(session: Session) -> int:
    """Increment the data version inside the caller's transaction; caches key on it."""
    version = int(get_meta(session, "data_version", "0")) + 1
    set_meta(session, "data_version", str(version))
    return version


def data_version(engine: Engine) -> int:
    """The current data version (0 for an empty or new store)."""
    with Session(engine) as session:
        try:
            return int(get_meta(session, "data_version", "0"))
        except Exception:  # table missing on a brand-new store
            return 0


def is_empty(engine: Engine) -> bool:
    """True when the store has no plan at all."""
    with Session(engine) as session:
        return session.exec(select(models.Plan.id).limit(1)).first() is None
