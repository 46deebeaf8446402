"""Cached access to `data_access.queries`, keyed by the store's data version.

Every write bumps the data version in the database, so the next rerun in any
process sees a new key and recomputes: an upload is visible at once everywhere.
"""

from __future__ import annotations

from typing import Any

import streamlit as st
from sqlalchemy.engine import Engine

from data_access import queries
from data_access.db import data_version, get_engine, init_db, is_empty


@st.cache_resource(show_spinner=False)
def engine() -> Engine:
    """The process-wide engine; creates the schema and, on a new empty store, loads the sample data."""
    eng = get_engine()
    init_db(eng)
    if is_empty(eng):
        from sample_data.build import load_sample

        load_sample(eng)
    return eng


def version() -> int:
    return data_version(engine())


@st.cache_data(ttl=600, show_spinner=False, max_entries=512)
def _run(name: str, _version: int, args: tuple[Any, ...], kwargs: tuple[tuple[str, Any], ...]) -> Any:
    return getattr(queries, name)(engine(), *args, **dict(kwargs))


def q(name: str, *args: Any, **kwargs: Any) -> Any:
    """Run `queries.<name>(engine, *args, **kwargs)` through the cache."""
    return _run(name, version(), args, tuple(sorted(kwargs.items())))


def invalidate() -> None:
    """Drop cached reads in this process (the data version already protects other processes)."""
    _run.clear()
