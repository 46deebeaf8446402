"""The pages' reads: one typed, cached reader per query of `data_access`, keyed by the store's data version.

Each reader is written out below with its own cache (no two readers share entries), so a caller's
name says what it reads and what it gets back. The first argument of every cached body is the store's
data version, passed by `_versioned`: every write bumps it in the database, so the next rerun in any
process sees a new key and recomputes, and an upload is visible at once everywhere. `invalidate()`
clears every reader's cache in this process (after a write made here).
"""

from __future__ import annotations

import datetime as dt
import functools
from collections.abc import Callable
from typing import Concatenate, ParamSpec, TypeVar

import pandas as pd
import streamlit as st
from sqlalchemy.engine import Engine

from data_access import indices, queries, status
from data_access import links as task_links
from data_access import models as m
from data_access import passport as pp
from data_access import scorecard as sc
from data_access.db import data_version, get_engine, init_db, is_empty
from data_access.indices import HeadlineIndices
from data_access.queries import FieldProgress, OverviewPage, TaskDetail
from data_access.settings import get_settings
from data_access.status_sql import Filters
from data_access.targets import Passport


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
    """The store's data version (bumped by every write, in any process)."""
    return data_version(engine())


P = ParamSpec("P")
R = TypeVar("R")
_CLEARS: list[Callable[[], None]] = []  # every reader's cache, for `invalidate`


def _versioned(read: Callable[Concatenate[int, P], R]) -> Callable[P, R]:
    """Cache `read` on its own and call it with the current data version as its first argument.

    The version argument is named `store_version`, not `_version`: `st.cache_data` leaves arguments
    whose name starts with an underscore out of the key, and the version must be in it.
    """
    cached = st.cache_data(ttl=600, show_spinner=False, max_entries=64)(read)
    _CLEARS.append(cached.clear)

    @functools.wraps(read)
    def reader(*args: P.args, **kwargs: P.kwargs) -> R:
        return cached(version(), *args, **kwargs)

    return reader


def invalidate() -> None:
    """Drop every reader's cached results in this process (the data version already protects other processes)."""
    for clear in _CLEARS:
        clear()


# --- the readers, one per query a page shows (alphabetical) -------------------------------------------------------


@_versioned
def agency_tasks(store_version: int, filters: Filters, agency_id: int, role: str = m.ASSIGNMENT_LEAD,
                 statuses: tuple[str, ...] = (status.OPEN_OVERDUE,)) -> pd.DataFrame:
    """`queries.agency_tasks`: one agency's assignments of `role` in `statuses`."""
    return queries.agency_tasks(engine(), filters, agency_id, role, statuses)


@_versioned
def audit_log(store_version: int) -> pd.DataFrame:
    """`queries.audit_log`: the latest audit entries, newest first."""
    return queries.audit_log(engine())


@_versioned
def directions(store_version: int) -> pd.DataFrame:
    """`queries.directions`: the directions of the directions plans."""
    return queries.directions(engine())


@_versioned
def field_progress(store_version: int, filters: Filters, quarters: int = 8) -> FieldProgress:
    """`queries.field_progress`: the fields table and the completion over `quarters` quarter ends."""
    return queries.field_progress(engine(), filters, quarters)


@_versioned
def fields(store_version: int) -> pd.DataFrame:
    """`queries.fields`: code and name of every field, in their order."""
    return queries.fields(engine())


@_versioned
def goal_scorecard(store_version: int) -> pd.DataFrame:
    """`indices.goal_scorecard`: the goals of the PL9 scorecard, verbatim."""
    return indices.goal_scorecard(engine())


@_versioned
def has_sample_data(store_version: int) -> bool:
    """`queries.has_sample_data`: True while any generated report or value is in the store."""
    return queries.has_sample_data(engine())


@_versioned
def headline_indices(store_version: int, as_of: dt.date) -> HeadlineIndices:
    """`indices.headline_indices`: PAR INDEX and SIPAS by year, their components and satisfaction."""
    return indices.headline_indices(engine(), as_of)


@_versioned
def indicator_passport(store_version: int, indicator_id: int) -> Passport | None:
    """`queries.indicator_passport`: what an indicator is and where its figures come from."""
    return queries.indicator_passport(engine(), indicator_id)


@_versioned
def indicator_trends(store_version: int, as_of: dt.date, indicator_ids: tuple[int, ...]) -> pd.DataFrame:
    """`queries.indicator_trends`: values of the indicators by period, oldest first."""
    return queries.indicator_trends(engine(), as_of, indicator_ids)


@_versioned
def lead_agencies(store_version: int) -> pd.DataFrame:
    """`queries.lead_agencies`: agencies leading at least one task, in Vietnamese order."""
    return queries.lead_agencies(engine())


@_versioned
def overdue_by_agency(store_version: int, filters: Filters, rollup: bool = True) -> pd.DataFrame:
    """`queries.overdue_by_agency`: lead agencies ranked by overdue tasks (divisions rolled up unless told)."""
    return queries.overdue_by_agency(engine(), filters, rollup)


@_versioned
def overview_page(store_version: int, filters: Filters) -> OverviewPage:
    """`queries.overview_page`: every figure of the overview page."""
    return queries.overview_page(engine(), filters)


@_versioned
def plans(store_version: int) -> pd.DataFrame:
    """`queries.plans`: plans with their task counts, newest year first."""
    return queries.plans(engine())


@_versioned
def target_board(store_version: int, as_of: dt.date) -> pd.DataFrame:
    """`queries.target_board`: every 2025/2026 target judged at `as_of`."""
    return queries.target_board(engine(), as_of)


@_versioned
def task_detail(store_version: int, task_id: int, as_of: dt.date, due_soon_days: int) -> TaskDetail | None:
    """`queries.task_detail`: one task and its assignments at `as_of` (None if no such task)."""
    return queries.task_detail(engine(), task_id, as_of, due_soon_days)


@_versioned
def task_list(store_version: int, filters: Filters, search: str = "", statuses: tuple[str, ...] = (),
              limit: int | None = None) -> pd.DataFrame:
    """`queries.task_list`: tasks in scope with status and lead agencies; `search` is accent-insensitive."""
    return queries.task_list(engine(), filters, search=search, statuses=statuses, limit=limit)


@_versioned
def task_reports(store_version: int, task_id: int) -> pd.DataFrame:
    """`queries.task_reports`: every report recorded for the task, oldest period first."""
    return queries.task_reports(engine(), task_id)


@_versioned
def agency_scorecard(store_version: int, period: str, today: dt.date) -> pd.DataFrame:
    """`scorecard.agency_scorecard`: the agency x criterion table of `period` as of `today`."""
    return sc.agency_scorecard(engine(), period, today=today)


@_versioned
def scorecard_weights(store_version: int) -> dict[str, float]:
    """`scorecard.weights`: the scorecard's criterion weights in force."""
    return sc.weights(engine())


@_versioned
def full_passport(store_version: int, indicator_id: int) -> pp.FullPassport | None:
    """`passport.full_passport`: everything the passport says about one indicator."""
    return pp.full_passport(engine(), indicator_id)


@_versioned
def indicator_tasks(store_version: int, indicator_id: int, as_of: dt.date, overdue_first: bool) -> pd.DataFrame:
    """`links.indicator_tasks`: the tasks linked to one indicator with their status as of `as_of`."""
    return task_links.indicator_tasks(engine(), indicator_id, as_of, overdue_first=overdue_first)
