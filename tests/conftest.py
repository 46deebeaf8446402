"""Shared fixtures: a sample store built once per run, fresh copies for tests that write."""

from __future__ import annotations

import shutil
import sqlite3
from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy.engine import Engine

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
    from data_access.auth import CredentialStore, ensure_demo_accounts

    path = tmp_path_factory.mktemp("accounts") / "credentials.yaml"
    ensure_demo_accounts(CredentialStore(path))
    return path


@pytest.fixture(scope="session")
def sample_engine(sample_db_file: Path) -> Iterator[Engine]:
    engine = make_engine(f"sqlite:///{sample_db_file}")
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
