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


# The filters in the address, so a shared link opens the same figures: ?nam=2025&ke_hoach=SNV26,KH25&linh_vuc=TTHC
# &chu_tri=12,14&den_ngay=2026-03-31 ("nam=tat-ca": every year; no den_ngay: today in Vietnam).
LINK_KEYS = ("nam", "ke_hoach", "linh_vuc", "chu_tri", "den_ngay")
_LINKED = "_linked_filters"


def _link_values() -> dict[str, str]:
    return {k: str(st.query_params.get(k, "")).strip() for k in LINK_KEYS}


def _csv(text: str) -> list[str]:
    return [part.strip() for part in text.split(",") if part.strip()]


def _apply_link_year(link: dict[str, str], years: list[int], default_year: int | None) -> None:
    """A link's year into the year picker (before it is drawn); an unknown year keeps the default."""
    if link["nam"] == "tat-ca":
        st.session_state["f_year"] = ALL
    elif link["nam"].isdigit() and int(link["nam"]) in years:
        st.session_state["f_year"] = int(link["nam"])
    elif default_year is not None:
        st.session_state["f_year"] = default_year


def _apply_link_rest(link: dict[str, str], in_year: pd.DataFrame, fields: pd.DataFrame, agencies: pd.DataFrame,
                     today: dt.date) -> None:
    """A link's plans, fields, agencies and date into their pickers; values the pickers do not offer are dropped."""
    by_code = {str(c): int(i) for i, c in zip(in_year["id"], in_year["code"], strict=True)}
    st.session_state["f_plans"] = [by_code[c] for c in _csv(link["ke_hoach"]) if c in by_code]
    known_fields = {str(c) for c in fields["code"]}
    st.session_state["f_fields"] = [c for c in _csv(link["linh_vuc"]) if c in known_fields]
    known_agencies = {int(i) for i in agencies["id"]}
    st.session_state["f_agencies"] = [int(a) for a in _csv(link["chu_tri"]) if a.isdigit() and int(a) in known_agencies]
    try:
        st.session_state["f_as_of"] = dt.date.fromisoformat(link["den_ngay"]) if link["den_ngay"] else today
    except ValueError:
        st.session_state["f_as_of"] = today


def _write_link(year: object, plan_codes: list[str], fields: list[str], agencies: list[int], as_of: dt.date,
                today: dt.date, default_year: int | None) -> None:
    """The filters that differ from the defaults into the address (page parameters such as ?co_quan= and ?ma= are
    kept); with the defaults the address stays as it is (no rewrite while Streamlit settles the page)."""
    values = {"nam": "" if year == default_year else "tat-ca" if year == ALL else str(year),
              "ke_hoach": ",".join(plan_codes),
              "linh_vuc": ",".join(fields), "chu_tri": ",".join(str(a) for a in agencies),
              "den_ngay": "" if as_of == today else as_of.isoformat()}
    for key, value in values.items():
        if value and st.query_params.get(key) != value:
            st.query_params[key] = value
        elif not value and key in st.query_params:
            del st.query_params[key]
    st.session_state[_LINKED] = values


def render_sidebar_filters(container: Any = None, write_link: bool = True) -> Filters:
    """Draw the filters (in `container`, default the sidebar) and return the current selection.

    `write_link`: put the selection into the address (?nam=…), so the link can be shared as it stands.

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
    # A link naming filters (one not written by this session) sets the pickers before they are drawn.
    link = _link_values()
    from_link = any(link.values()) and link != st.session_state.get(_LINKED)
    if from_link:
        _apply_link_year(link, years, default_year)
    with container if container is not None else st.sidebar:
        st.markdown("**Bộ lọc**")
        year_options: list[int | str] = [ALL, *years]
        # Defaults through session state (not index=/value=), so a link may set them without Streamlit's warning.
        if st.session_state.get("f_year", default_year) not in year_options:
            st.session_state.pop("f_year", None)
        st.session_state.setdefault("f_year", default_year if default_year in year_options else ALL)
        st.session_state.setdefault("f_as_of", today)
        year = st.selectbox(
            "Năm kế hoạch",
            year_options,
            format_func=lambda y: "Tất cả các năm" if y == ALL else _year_label(int(y)),
            key="f_year",
        )
        # The province's picture of the year: every plan active that year, unless the leader picks some.
        in_year = plans if year == ALL else _active_in(plans, int(year))
        if from_link:
            _apply_link_rest(link, in_year, fields, agencies, today)
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
        as_of = st.date_input("Số liệu tính đến ngày", format="DD/MM/YYYY", key="f_as_of")
    codes = {int(i): str(c) for i, c in zip(in_year["id"], in_year["code"], strict=True)}
    if write_link:
        _write_link(year, [codes[i] for i in chosen_plans if i in codes], list(chosen_fields),
                    list(chosen_agencies), as_of if isinstance(as_of, dt.date) else today, today, default_year)
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
