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
from data_access.settings import get_settings


@st.cache_resource(show_spinner=False)
def engine() -> Engine:
    """The process-wide engine; creates the schema and, in demo mode only, loads the sample data
    into a new empty store. In production (CCHC_MODE=production) an empty store stays empty:
    the overview says how to load real data (`stop_if_empty`)."""
    eng = get_engine()
    init_db(eng)
    if get_settings().mode != "production" and is_empty(eng):
        from sample_data.build import load_sample

        load_sample(eng)
    return eng


EMPTY_STORE_TITLE = "Kho dữ liệu chưa có số liệu"
EMPTY_STORE_GUIDANCE = (
    "Ở chế độ vận hành, ứng dụng không tự nạp dữ liệu mẫu. Để nạp số liệu thật, quản trị viên khôi phục bản sao "
    "lưu của kho đang dùng: `python -m data_access restore TỆP_SAO_LƯU --user TÊN_QUẢN_TRỊ` (chạy thử trước với "
    "`--dry-run`); sau đó Sở Nội vụ cập nhật báo cáo quý của các cơ quan ở trang **Cập nhật số liệu**. "
    "Xem README, mục \"Dòng lệnh\"."
)


def stop_if_empty() -> None:
    """On an empty store: say how to load real data and stop the page (no zero-filled figures)."""
    if is_empty(engine()):
        st.info(f"**{EMPTY_STORE_TITLE}.** {EMPTY_STORE_GUIDANCE}", icon=":material/inventory_2:")
        st.stop()


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
