"""Cached access to meeting snapshots for the presentation page."""

from __future__ import annotations

import pandas as pd
import streamlit as st

from data_access import meeting, permissions
from data_access.status_sql import Filters
from ui.data import engine, has_sample_data, invalidate, overview_page, version


@st.cache_data(ttl=600, show_spinner=False, max_entries=64)
def _snapshots(store_version: int) -> pd.DataFrame:
    return meeting.list_snapshots(engine())


def snapshots() -> pd.DataFrame:
    return _snapshots(version())


@st.cache_data(ttl=3600, show_spinner=False, max_entries=32)
def load(snapshot_id: int) -> meeting.SnapshotView:
    """A stored snapshot never changes, so it is cached by id alone."""
    return meeting.load_snapshot(engine(), snapshot_id)


@st.cache_data(ttl=600, show_spinner=False, max_entries=16)
def _live(store_version: int, filters: Filters, scope: str) -> meeting.SnapshotView:
    # The Tổng quan page's own cached read: the live slides equal that page by construction.
    page = overview_page(filters)
    return meeting.current_view(engine(), filters, "Số liệu hiện tại (chưa chốt)", scope, page=page)


def live(filters: Filters, scope: str) -> meeting.SnapshotView:
    return _live(version(), filters, scope)


def previous(snap: meeting.SnapshotView) -> meeting.SnapshotView | None:
    return meeting.previous_snapshot(engine(), snap)


def sample() -> bool:
    return has_sample_data()


def create(actor: permissions.Actor, title: str, filters: Filters, scope: str) -> int:
    snapshot_id = meeting.create_snapshot(engine(), actor, title, filters, scope)
    invalidate()
    _snapshots.clear()
    return snapshot_id
