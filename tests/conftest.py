"""Shared fixtures: a sample store built once per run, fresh copies for tests that write."""

from __future__ import annotations

import os
import shutil
import sqlite3
import subprocess
import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest
import sqlalchemy as sa
from sqlalchemy.engine import Engine, make_url

from data_access.db import make_engine

ROOT = Path(__file__).resolve().parents[1]
REFERENCE = ROOT / "sample_data" / "reference"


@pytest.fixture(scope="session")
def sample_db_file(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A SQLite file holding the sample store (built once; never written by tests)."""
    from sample_data.build import load_sample

    path = tmp_path_factory.mktemp("store") / "sample.db"
    engine = make_engine(f"sqlite:///{path}")
    load_sample(engine)
    engine.dispose()
    # Fold the WAL into the main file so copies are complete.
    con = sqlite3.connect(path)
    con.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    con.close()
    return path


@pytest.fixture(scope="session")
def demo_credentials(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A credentials file holding the demo accounts (bcrypt is slow: hash them once per run)."""
    from data_access.accounts import CredentialStore, ensure_demo_accounts

    path = tmp_path_factory.mktemp("accounts") / "credentials.yaml"
    ensure_demo_accounts(CredentialStore(path))
    return path


# The data-access and importer suites run on every backend listed here. A listed backend that
# cannot be reached fails the run; it is never skipped silently.
BACKENDS = [b.strip() for b in os.environ.get("CCHC_TEST_BACKENDS", "sqlite,postgresql").split(",") if b.strip()]


@pytest.fixture(scope="session")
def pg_admin_url() -> str:
    """A superuser URL of a PostgreSQL server: CCHC_TEST_PG_URL, else the private test server."""
    url = os.environ.get("CCHC_TEST_PG_URL")
    if not url:
        result = subprocess.run(["bash", str(ROOT / "scripts" / "test_postgres.sh")], capture_output=True,
                                text=True, timeout=900)
        if result.returncode != 0:
            pytest.fail(f"Không khởi động được PostgreSQL cho kiểm thử:\n{result.stderr}")
        url = result.stdout.strip().splitlines()[-1]
    try:
        with sa.create_engine(url).connect() as conn:
            conn.execute(sa.text("SELECT 1"))
    except Exception as exc:  # noqa: BLE001 - any failure to connect must fail the run
        pytest.fail(f"PostgreSQL không truy cập được ({url}): {exc}")
    return url


def _pg_admin(url: str) -> Engine:
    return sa.create_engine(url, isolation_level="AUTOCOMMIT")


@pytest.fixture(scope="session")
def pg_sample_database(pg_admin_url: str) -> Iterator[str]:
    """Name of a PostgreSQL database holding the sample store (a template for per-test copies)."""
    from sample_data.build import load_sample

    name = f"cchc_sample_{os.getpid()}"
    admin = _pg_admin(pg_admin_url)
    with admin.connect() as conn:
        conn.execute(sa.text(f'DROP DATABASE IF EXISTS "{name}"'))
        conn.execute(sa.text(f'CREATE DATABASE "{name}"'))
    engine = make_engine(str(make_url(pg_admin_url).set(database=name)))
    load_sample(engine)
    engine.dispose()
    yield name
    with admin.connect() as conn:
        conn.execute(sa.text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
    admin.dispose()


def _backend_url(request: pytest.FixtureRequest, backend: str, sqlite_source: Path, workdir: Path) -> str:
    if backend == "sqlite":
        path = workdir / f"store-{uuid.uuid4().hex[:8]}.db"
        shutil.copy(sqlite_source, path)
        return f"sqlite:///{path}"
    if backend == "postgresql":
        admin_url = request.getfixturevalue("pg_admin_url")
        template = request.getfixturevalue("pg_sample_database")
        name = f"cchc_t_{uuid.uuid4().hex[:12]}"
        admin = _pg_admin(admin_url)
        with admin.connect() as conn:
            conn.execute(sa.text(f'CREATE DATABASE "{name}" TEMPLATE "{template}"'))
        admin.dispose()

        def drop() -> None:
            from data_access import db

            for url in [u for u in db._engines if name in u]:
                db._engines.pop(url).dispose()
            with _pg_admin(admin_url).connect() as conn:
                conn.execute(sa.text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))

        request.addfinalizer(drop)
        return str(make_url(admin_url).set(database=name).render_as_string(hide_password=False))
    raise ValueError(f"Unknown backend {backend!r}")


@pytest.fixture(scope="session", params=BACKENDS)
def sample_engine(request: pytest.FixtureRequest, sample_db_file: Path,
                  tmp_path_factory: pytest.TempPathFactory) -> Iterator[Engine]:
    """The sample store, read-only, on each backend (same deterministic content everywhere)."""
    if request.param == "sqlite":
        engine = make_engine(f"sqlite:///{sample_db_file}")
    else:
        engine = make_engine(_backend_url(request, request.param, sample_db_file, tmp_path_factory.mktemp("pg")))
    yield engine
    engine.dispose()


@pytest.fixture(params=BACKENDS)
def db(request: pytest.FixtureRequest, sample_db_file: Path, demo_credentials: Path, tmp_path: Path,
       monkeypatch: pytest.MonkeyPatch) -> Iterator[Engine]:
    """A private, writable copy of the sample store on each backend; DATABASE_URL points at it."""
    url = _backend_url(request, request.param, sample_db_file, tmp_path)
    shutil.copy(demo_credentials, tmp_path / "credentials.yaml")
    monkeypatch.setenv("DATABASE_URL", url)
    monkeypatch.setenv("CCHC_CREDENTIALS_FILE", str(tmp_path / "credentials.yaml"))
    engine = make_engine(url)
    yield engine
    engine.dispose()


@pytest.fixture
def store(sample_db_file: Path, demo_credentials: Path, tmp_path: Path,
          monkeypatch: pytest.MonkeyPatch) -> Iterator[Engine]:
    """A private copy of the sample store and of the demo accounts; the settings point at them."""
    path = tmp_path / "store.db"
    shutil.copy(sample_db_file, path)
    shutil.copy(demo_credentials, tmp_path / "credentials.yaml")
    url = f"sqlite:///{path}"
    monkeypatch.setenv("DATABASE_URL", url)
    monkeypatch.setenv("CCHC_CREDENTIALS_FILE", str(tmp_path / "credentials.yaml"))
    monkeypatch.setenv("CCHC_MODE", "demo")
    engine = make_engine(url)
    yield engine
    engine.dispose()


@pytest.fixture(autouse=True)
def _clear_streamlit_caches() -> Iterator[None]:
    """Streamlit caches outlive AppTest instances within one process; start each test clean."""
    import streamlit as st

    from data_access import db

    st.cache_data.clear()
    st.cache_resource.clear()
    db._engines.clear()
    yield
    st.cache_data.clear()
    st.cache_resource.clear()
    for engine in db._engines.values():
        engine.dispose()
    db._engines.clear()
