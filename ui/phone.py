"""The phone view of a leader's page: wide tables on a computer, red-first lists on a phone.

Streamlit tells a page nothing about the viewport, so both are drawn and CSS media queries in
ui/chrome.py show one: blocks keyed `wide_only_*` hide at 640 px and below, blocks keyed
`phone_only_*` hide above it. A list row is a link (to a page with its query parameters), so a tap
on an agency opens its tasks and a tap on a task opens its detail, on a phone as on a computer.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field

import streamlit as st
from streamlit.delta_generator import DeltaGenerator

from ui.text import plain


@dataclass(frozen=True)
class ListRow:
    """One line of a phone list: `label` (plain text, shown as the link), `note` (a grey second line),
    `page` and `query` where a tap leads; `red` marks the rows a leader must see first."""

    label: str
    note: str = ""
    page: str = ""
    query: dict[str, str] = field(default_factory=dict)
    red: bool = False


@contextmanager
def wide_only(name: str) -> Iterator[DeltaGenerator]:
    """A block shown on a computer or tablet only (hidden at 640 px and below)."""
    box = st.container(key=f"wide_only_{name}")
    with box:
        yield box


@contextmanager
def phone_only(name: str) -> Iterator[DeltaGenerator]:
    """A block shown on a phone only (640 px wide or less)."""
    box = st.container(key=f"phone_only_{name}")
    with box:
        yield box


def red_first(rows: Iterable[ListRow]) -> list[ListRow]:
    """The rows with the red ones first, each group in its given order."""
    items = list(rows)
    return [r for r in items if r.red] + [r for r in items if not r.red]


def link_list(name: str, rows: Iterable[ListRow], empty: str = "Không có mục nào.", limit: int = 30) -> None:
    """Draw `rows` (red first) as a phone list: one link per row, its note under it; at most `limit`
    rows, then a line saying how many more the computer view's table holds."""
    items = red_first(rows)
    with phone_only(name):
        if not items:
            st.caption(empty)
            return
        for i, row in enumerate(items[:limit]):
            with st.container(key=f"phone_row_{name}_{i}" + ("_red" if row.red else "")):
                if row.page:
                    st.page_link(row.page, label=plain(row.label), query_params=row.query or None, width="stretch")
                else:
                    st.markdown(plain(row.label))
                if row.note:
                    st.caption(plain(row.note))
        if len(items) > limit:
            st.caption(f"Còn {len(items) - limit} mục nữa: xem đầy đủ trên máy tính hoặc tải bảng Excel.")
