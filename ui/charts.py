"""Altair charts shared by the leadership pages, and their PNG export.

Field names are ASCII; titles, legends and tooltips are Vietnamese. Status colours and
order come from `data_access.status`, so a status looks the same on every chart.
"""

from __future__ import annotations

from collections.abc import Hashable, Iterable
from typing import Any

import altair as alt
import pandas as pd
import streamlit as st

from data_access import status

STATUS_DOMAIN = [status.STATUS_LABELS[s] for s in status.STATUS_ORDER]
STATUS_RANGE = [status.STATUS_COLOURS[s] for s in status.STATUS_ORDER]
RAG_DOMAIN = [status.RAG_LABELS[r] for r in status.RAG_ORDER]
RAG_RANGE = [status.RAG_COLOURS[r] for r in status.RAG_ORDER]
AnyChart = alt.Chart | alt.LayerChart | alt.VConcatChart | alt.HConcatChart | alt.FacetChart
# Vega's number and time locale, so axes read 1.234,5 and not 1,234.5.
VI_LOCALE = {
    "number": {"decimal": ",", "thousands": ".", "grouping": [3], "currency": ["", " ₫"]},
    "time": {
        "dateTime": "%d/%m/%Y %H:%M", "date": "%d/%m/%Y", "time": "%H:%M:%S",
        "periods": ["SA", "CH"],
        "days": ["Chủ nhật", "Thứ hai", "Thứ ba", "Thứ tư", "Thứ năm", "Thứ sáu", "Thứ bảy"],
        "shortDays": ["CN", "T2", "T3", "T4", "T5", "T6", "T7"],
        "months": [f"Tháng {i}" for i in range(1, 13)],
        "shortMonths": [f"Th{i}" for i in range(1, 13)],
    },
}


def _label_limit(static: int, screen: bool) -> int | alt.ExprRef:
    """Pixels a row label may take: on screen at most ~40 % of the chart's own width (a 360 px phone keeps
    ~200 px for the bars; the full name is in the tooltip), `static` in the PNG, which has no container."""
    if not screen:
        return static
    return alt.ExprRef(expr=f"max(90, min({static}, floor(containerSize()[0] * 0.4)))")


def _legend_columns(compact: bool, screen: bool) -> int | alt.ExprRef:
    """Legend columns: one on a phone-wide chart (long status names stay whole), else two or three."""
    wide = 2 if compact else 3
    return alt.ExprRef(expr=f"containerSize()[0] < 480 ? 1 : {wide}") if screen else wide


def _legend_limit(compact: bool, screen: bool) -> int | alt.ExprRef:
    """Legend label width: the legend starts where the plot does (after the row labels), so each column gets
    a share of what is left; the full name is in the tooltip."""
    if not screen:
        return 260
    share = 0.3 if compact else 0.2
    return alt.ExprRef(expr=f"containerSize()[0] < 480 ? 260 : max(90, min(260, floor(containerSize()[0] * {share})))")


def finish(chart: AnyChart, compact: bool = False, screen: bool = False) -> AnyChart:
    """Apply the shared look (Vietnamese locale, readable labels); `compact` for half-width charts.

    `screen`: drawn in the browser, where label widths follow the chart's width, so bars are drawn at
    360 px as at 1920 px (on a phone, labels of 360 px used to leave no room for the bars).
    """
    axis_limit, y_limit = (170, 170) if compact else (320, 360)
    styled: AnyChart = chart.configure(locale=VI_LOCALE) \
        .configure_axis(labelLimit=_label_limit(axis_limit, screen), titleFontSize=13, labelFontSize=12,
                        labelColor="#333333", titleColor="#333333") \
        .configure_axisY(labelLimit=_label_limit(y_limit, screen)) \
        .configure_legend(labelLimit=_legend_limit(compact, screen), orient="top",
                          columns=_legend_columns(compact, screen), titleFontSize=12, labelFontSize=12,
                          labelColor="#333333")
    return styled


def status_legend_scale() -> alt.Scale:
    return alt.Scale(domain=STATUS_DOMAIN, range=STATUS_RANGE)


def status_stack(df: pd.DataFrame, category: str, category_title: str, height: int | None = None) -> alt.Chart:
    """Horizontal stacked bars of tasks by status (`height`: pixels per bar).

    `df` is long: `category`, `category_order` (int), `status_label`, `status_order` (int), `tasks`.
    """
    chart: alt.Chart = (  # altair types its builders loosely (Any); the result is a Chart
        alt.Chart(df)
        .mark_bar()
        .encode(
            y=alt.Y(f"{category}:N", title=None,
                    sort=alt.EncodingSortField(field="category_order", op="min", order="ascending")),
            x=alt.X("sum(tasks):Q", title="Số nhiệm vụ", stack="zero", axis=alt.Axis(format=",d", tickMinStep=1)),
            color=alt.Color("status_label:N", title="Trạng thái", scale=status_legend_scale(),
                            sort=STATUS_DOMAIN),
            order=alt.Order("status_order:Q"),
            tooltip=[alt.Tooltip(f"{category}:N", title=category_title),
                     alt.Tooltip("status_label:N", title="Trạng thái"),
                     alt.Tooltip("tasks:Q", title="Số nhiệm vụ", format=",d")],
        )
        .properties(height=alt.Step(height or 30))
    )
    return chart


def chart_png(chart: AnyChart, scale: float = 2.0) -> bytes:
    """The chart rendered to PNG bytes by vl-convert (no browser needed)."""
    import vl_convert

    with alt.data_transformers.disable_max_rows():
        spec = chart.to_dict()
    return bytes(vl_convert.vegalite_to_png(spec, scale=scale))


def show(chart: AnyChart, file_name: str, key: str, label: str = "Tải biểu đồ (PNG)", compact: bool = False,
         on_select: Any = None) -> Any:
    """Draw the chart full width with a PNG download button under it; return the chart's selection state.

    The PNG is rendered only when the button is pressed (the callable is deferred). `on_select`
    ("rerun" or a callback) makes the chart's selection parameters clickable (e.g. an agency's bar,
    `overdue_chart(clickable=True)`); read the click with `picked(key, AGENCY_PICK)`.
    """
    finished = finish(chart, compact)
    state = st.altair_chart(finish(chart, compact, screen=True), width="stretch",
                            **({"key": f"{key}_chart", "on_select": on_select} if on_select is not None else {}))
    st.download_button(label, data=lambda: chart_png(finished), file_name=file_name, mime="image/png", key=key,
                       on_click="ignore", icon=":material/image:")
    return state


def picked(key: str, param: str, field_name: str = "agency_id") -> list[Any]:
    """The values of `field_name` selected by a click on the chart drawn by `show(..., key=key, on_select=...)`."""
    state = st.session_state.get(f"{key}_chart")
    try:
        points = state["selection"][param] if state is not None else []
    except (KeyError, TypeError):
        return []
    return [p[field_name] for p in points or [] if isinstance(p, dict) and field_name in p]


# A status or rating reads in the colour it has on every chart (data_access.status), in tables too.
LABEL_COLOURS = {**{status.STATUS_LABELS[k]: c for k, c in status.STATUS_COLOURS.items()},
                 **{status.RAG_LABELS[k]: c for k, c in status.RAG_COLOURS.items()}}


def numbers_right(df: pd.DataFrame) -> dict[str, Any]:
    """Column settings right-aligning the columns whose every value is a number as the app writes it (`1.234`,
    `90,49%`, `12 ngày`; blanks `–` allowed), so digits line up as in a report."""
    from ui.fmt import _typed_column

    config: dict[str, Any] = {}
    for col in df.columns:
        values = df[col].astype(object).tolist()
        typed = _typed_column(values)
        if typed is not None and typed[1] not in ("dd/mm/yyyy", "dd/mm/yyyy hh:mm"):
            config[str(col)] = st.column_config.TextColumn(alignment="right")
    return config


def _label_style(value: object) -> str:
    colour = LABEL_COLOURS.get(str(value))
    return f"color: {colour}; font-weight: 600" if colour else ""


def status_styled(df: pd.DataFrame) -> Any:
    """The table with its status and rating cells coloured as on the charts (a Styler), or `df` when it has none."""
    columns: list[Hashable] = [c for c in df.columns if df[c].astype(str).isin(list(LABEL_COLOURS)).any()]
    if not columns or df.empty:
        return df
    return df.style.map(_label_style, subset=columns)


def table(df: pd.DataFrame, file_name: str, key: str, sheet: str = "Dữ liệu", height: int | str = "auto",
          label: str = "Tải bảng (Excel)", title: str | None = None, **kwargs: object) -> object:
    """Show a display-ready table (Vietnamese headers, formatted strings) and its .xlsx download.

    The download holds exactly the rows and columns shown, as typed cells under a title row
    (`title`, default the sheet name) and the "Số liệu tính đến ngày" of the sidebar filters.
    Extra keyword arguments go to st.dataframe (e.g. on_select); its return value is returned.
    """
    from ui.filters import describe, get_filters
    from ui.fmt import to_xlsx

    filters = get_filters()

    given: Any = kwargs.pop("column_config", None) or {}
    config = {**numbers_right(df), **dict(given)}  # the page's own settings win
    shown = st.dataframe(status_styled(df), hide_index=True, width="stretch", height=height, key=f"{key}_table",  # type: ignore[call-overload]
                         column_config=config, **kwargs)
    # The workbook is built only when the button is pressed, not on every page run.
    st.download_button(label, data=lambda: to_xlsx(df, sheet, title, filters.as_of, describe(filters)), file_name=file_name, key=f"{key}_xlsx",
                       on_click="ignore",
                       mime="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
                       icon=":material/download:", disabled=df.empty)
    return shown


# --- the charts of the leadership views -------------------------------------------------


def field_status_chart(fields: pd.DataFrame, height: int | None = None) -> alt.Chart:
    """Stacked bars per field from `queries.field_status_table` (one column per status)."""
    long = fields.melt(id_vars=["field_name"], value_vars=list(status.STATUS_ORDER), var_name="status",
                       value_name="tasks")
    long["category_order"] = long["field_name"].map({n: i for i, n in enumerate(fields["field_name"])})
    long["status_label"] = long["status"].map(status.STATUS_LABELS)
    long["status_order"] = long["status"].map({s: i for i, s in enumerate(status.STATUS_ORDER)})
    long = long[long["tasks"] > 0].rename(columns={"field_name": "field"})
    return status_stack(long, "field", "Lĩnh vực", height)


def completion_trend_chart(trend: pd.DataFrame, height: int = 280) -> alt.Chart:
    """% completed at each quarter end; one line per field_name (`queries.completion_over_time` rows)."""
    from data_access.vn import fmt_period

    df = trend.copy()
    df["quarter"] = df["period"].map(fmt_period)
    df["pct"] = df["pct_done"].astype(float)
    names = list(dict.fromkeys(df["field_name"]))
    chart: alt.Chart = (  # altair types its builders loosely (Any); the result is a Chart
        alt.Chart(df)
        .mark_line(point=True)
        .encode(
            x=alt.X("quarter:N", title="Quý", sort=list(dict.fromkeys(df["quarter"])), axis=alt.Axis(labelAngle=0)),
            y=alt.Y("pct:Q", title="Tỷ lệ hoàn thành (%)", scale=alt.Scale(domain=[0, 100])),
            color=alt.Color("field_name:N", title="Lĩnh vực", sort=names, legend=alt.Legend(columns=2)),
            tooltip=[alt.Tooltip("field_name:N", title="Lĩnh vực"), alt.Tooltip("quarter:N", title="Quý"),
                     alt.Tooltip("pct:Q", title="Đã hoàn thành (%)", format=",.1f"),
                     alt.Tooltip("done:Q", title="Số đã hoàn thành", format=",d"),
                     alt.Tooltip("total:Q", title="Tổng số nhiệm vụ", format=",d")],
        )
        .properties(height=height)
    )
    return chart


AGENCY_PICK = "pick_agency"  # the selection parameter of a clickable overdue chart


def overdue_chart(agencies: pd.DataFrame, height: int | None = None, clickable: bool = False) -> alt.Chart:
    """Overdue lead assignments per agency stacked by age (`queries.overdue_by_agency` rows, in that order).

    `clickable`: a click on any part of an agency's bar selects its `agency_id` (parameter AGENCY_PICK).
    """
    buckets = {bucket.key: bucket.label for bucket in status.AGEING}
    df = agencies[agencies["overdue"] > 0]
    ids = ["agency_id"] if "agency_id" in df.columns else []
    long = df.melt(id_vars=["agency", *ids], value_vars=list(buckets), var_name="bucket", value_name="tasks")
    long["bucket_label"] = long["bucket"].map(buckets)
    long["bucket_order"] = long["bucket"].map({b: i for i, b in enumerate(buckets)})
    order = list(df["agency"])
    chart: alt.Chart = (  # altair types its builders loosely (Any); the result is a Chart
        alt.Chart(long[long["tasks"] > 0])
        .mark_bar(cursor="pointer" if clickable else alt.Undefined)
        .encode(
            y=alt.Y("agency:N", title=None, sort=order),
            x=alt.X("sum(tasks):Q", title="Số nhiệm vụ quá hạn", axis=alt.Axis(format=",d", tickMinStep=1)),
            color=alt.Color("bucket_label:N", title="Quá hạn", sort=list(buckets.values()),
                            scale=alt.Scale(domain=list(buckets.values()), range=[b.colour for b in status.AGEING])),
            order=alt.Order("bucket_order:Q"),
            tooltip=[alt.Tooltip("agency:N", title="Cơ quan"), alt.Tooltip("bucket_label:N", title="Quá hạn"),
                     alt.Tooltip("tasks:Q", title="Số nhiệm vụ", format=",d")],
        )
        .properties(height=alt.Step(height or 30))
    )
    if clickable and ids:
        # The id rides along as a detail: the bars are aggregated (sum of tasks), and a click selects only fields
        # that survive the aggregation.
        chart = chart.encode(detail="agency_id:N").add_params(alt.selection_point(name=AGENCY_PICK, fields=["agency_id"], on="click"))
    return chart


def indicator_labels(names: Iterable[str], limit: int = 70) -> list[str]:
    """Chart labels for indicators: the name a leader knows (never the internal code such as HT_PS25),
    shortened on a word boundary; a repeated label gets " (2)", " (3)" so Vega keeps the rows apart."""
    from data_access.meeting import cut_words

    seen: dict[str, int] = {}
    out = []
    for name in names:
        label = cut_words(str(name), limit)
        seen[label] = seen.get(label, 0) + 1
        out.append(label if seen[label] == 1 else f"{label} ({seen[label]})")
    return out


def bullet_chart(board: pd.DataFrame, height: int | None = None, label_limit: int | None = None) -> alt.LayerChart:

    """% indicators: the latest value as a bar coloured by RAG, the target as a black tick.

    `board` rows from `queries.indicator_board` restricted to unit "%" with a value and a target.
    `label_limit` (pixels) cuts long row labels (full text in the tooltip), so bars stay visible on a phone.
    """
    df = board.copy()
    df["label"] = indicator_labels(df["name"])
    df["target"] = [row[f"target_{int(row['target_year'])}"] for _, row in df.iterrows()]
    df["value"] = df["value"].astype(float)
    df["target"] = df["target"].astype(float)
    df["rag_label"] = df["rag"].map(status.RAG_LABELS)
    order = list(df["label"])
    y = alt.Y("label:N", title=None, sort=order,
              axis=alt.Axis(labelLimit=label_limit) if label_limit else alt.Undefined)
    base = alt.Chart(df).properties(height=alt.Step(height or 26))
    bars = base.mark_bar(size=14).encode(
        y=y, x=alt.X("value:Q", title="Giá trị mới nhất và chỉ tiêu (%)", scale=alt.Scale(domain=[0, 100])),
        color=alt.Color("rag_label:N", title="Đánh giá", scale=alt.Scale(domain=RAG_DOMAIN, range=RAG_RANGE)),
        tooltip=[alt.Tooltip("name:N", title="Chỉ tiêu"), alt.Tooltip("value:Q", title="Giá trị (%)", format=",.2f"),
                 alt.Tooltip("target:Q", title="Chỉ tiêu (%)", format=",.2f"),
                 alt.Tooltip("rag_label:N", title="Đánh giá")],
    )
    ticks = base.mark_tick(color="#111111", thickness=3, size=22).encode(y=y, x="target:Q")
    return alt.LayerChart(layer=[bars, ticks])
