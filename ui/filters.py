"""The shared filters (year/plan, field, lead agency, as-of date), drawn once in the sidebar.

They live in the entry point, so their values survive page switches.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

import pandas as pd
import streamlit as st

from data_access import models as m
from data_access.clock import today_vn
from data_access.settings import get_settings
from data_access.status_sql import Filters
from ui import data

ALL = "Tất cả"


def _year_label(year: int) -> str:
    return f"Năm {year}"


def _active_in(plans: pd.DataFrame, year: int) -> pd.DataFrame:
    """Plans whose tasks are tasks of `year` (same rule as `queries.plans_active_in`)."""
    first = plans["year_from"].fillna(plans["year"]).astype(int)
    return plans[(first <= year) & (plans["year"].astype(int) >= year)]


def render_sidebar_filters(container: Any = None) -> Filters:
    """Draw the filters (in `container`, default the sidebar) and return the current selection.

    The selection is also kept in session_state["filters"] for the pages.
    """
    plans: pd.DataFrame = data.plans()
    fields: pd.DataFrame = data.fields()
    agencies: pd.DataFrame = data.lead_agencies()
    today = today_vn()
    # Directions for a period (2026-2030) are not tasks of a year: they are listed on the tasks page.
    plans = plans[plans["kind"] != m.PLAN_DIRECTIONS]
    years = sorted({int(y) for y in plans["year"]}, reverse=True)
    default_year = today.year if today.year in years else (years[0] if years else None)
    with container if container is not None else st.sidebar:
        st.markdown("**Bộ lọc**")
        year_options: list[int | str] = [ALL, *years]
        year = st.selectbox(
            "Năm kế hoạch",
            year_options,
            index=year_options.index(default_year) if default_year in year_options else 0,
            format_func=lambda y: "Tất cả các năm" if y == ALL else _year_label(int(y)),
            key="f_year",
        )
        # The province's picture of the year: every plan active that year, unless the leader picks some.
        in_year = plans if year == ALL else _active_in(plans, int(year))
        plan_labels = {int(r["id"]): f"{r['name']} ({r['document']})" for r in in_year.to_dict("records")}
        chosen_plans = st.multiselect(
            "Kế hoạch", list(plan_labels), format_func=lambda i: plan_labels.get(i, str(i)),
            placeholder="Tất cả kế hoạch của năm đã chọn", key="f_plans",
        )
        field_labels = {str(r["code"]): str(r["name"]) for r in fields.to_dict("records")}
        chosen_fields = st.multiselect(
            "Lĩnh vực", list(field_labels), format_func=lambda c: field_labels.get(c, c),
            placeholder="Tất cả lĩnh vực", key="f_fields",
        )
        agency_labels = {int(r["id"]): str(r["name"]) for r in agencies.to_dict("records")}
        chosen_agencies = st.multiselect(
            "Cơ quan chủ trì", list(agency_labels), format_func=lambda i: agency_labels.get(i, str(i)),
            placeholder="Tất cả cơ quan", key="f_agencies",
        )
        as_of = st.date_input("Số liệu tính đến ngày", value=today, format="DD/MM/YYYY", key="f_as_of")
    plan_ids = tuple(sorted(chosen_plans)) or tuple(sorted(plan_labels))
    filters = Filters(
        as_of=as_of if isinstance(as_of, dt.date) else today,
        plan_ids=plan_ids if year != ALL or chosen_plans else (),
        field_codes=tuple(sorted(chosen_fields)),
        agency_ids=tuple(sorted(chosen_agencies)),
        due_soon_days=get_settings().due_soon_days,
    )
    st.session_state["filters"] = filters
    return filters


def get_filters() -> Filters:
    """The selection made in the sidebar (today, everything, when a page runs alone)."""
    filters = st.session_state.get("filters")
    if isinstance(filters, Filters):
        return filters
    return Filters(as_of=today_vn(), due_soon_days=get_settings().due_soon_days)


def describe(filters: Filters) -> str:
    """One line saying what the numbers cover, e.g. for captions and exports."""
    plans: pd.DataFrame = data.plans()
    parts = []
    if filters.plan_ids:
        chosen = plans[plans["id"].isin(filters.plan_ids)]
        names = [str(n) for n in chosen["name"]]
        parts.append("Kế hoạch: " + "; ".join(names))
    else:
        parts.append("Tất cả kế hoạch (không gồm định hướng 2026-2030)")
    if filters.field_codes:
        parts.append(f"{len(filters.field_codes)} lĩnh vực")
    if filters.agency_ids:
        parts.append(f"{len(filters.agency_ids)} cơ quan chủ trì")
    return " · ".join(parts)
