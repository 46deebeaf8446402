"""Trình chiếu: full-screen slides for the review meeting, from a frozen snapshot.

What each slide shows comes from `meeting.deck_content`, the same function the PDF deck uses.
The whole show is one fragment, so the counter, the buttons and auto-advance move together;
a key listener maps a presenter's clicker (PageDown/PageUp) and the arrow keys and Space to
the "Sau"/"Trước" buttons. Controls float above the slide and fade out until the mouse moves.
"""

from __future__ import annotations

import time

import altair as alt
import pandas as pd
import streamlit as st

from data_access import permissions, status
from data_access.meeting import (
    SLIDE_TITLES,
    Comparison,
    SlideContent,
    SlideTable,
    SnapshotFigures,
    SnapshotView,
    compare,
    deck_content,
    locked_text,
)
from data_access.vn import fmt_date, fmt_number, fmt_pct
from ui import conclusions as conclusion_ui
from ui import follow_up, meeting_data
from ui.charts import VI_LOCALE
from ui.filters import describe, get_filters
from ui.signin import guard
from ui.text import html_text, plain

actor = guard("present")
N = len(SLIDE_TITLES)
AUTO_SECONDS = 20
LIVE = -1

# Streamlit drops the state of widgets that a run did not draw: "tc_auto" is missing exactly when the
# page is opened (from another page or afresh), and then the show starts at slide 1 with auto-advance off.
if "tc_auto" not in st.session_state:
    st.session_state["tc_slide"] = 1
    st.session_state["tc_changed_at"] = time.monotonic()

st.markdown(
    """<style>
    section[data-testid="stSidebar"], header[data-testid="stHeader"] {display: none !important;}
    .block-container {padding-top: .8rem !important; padding-bottom: 0 !important; max-width: 100% !important;}
    .slide-title {font-size: clamp(32px, 3vw, 56px); font-weight: 700; color: #b71c1c; margin: 0 0 .2rem 0;
                  line-height: 1.15;}
    .slide-sub {font-size: clamp(24px, 1.4vw, 28px); color: #444; margin-bottom: .4rem; line-height: 1.25;}
    .kpi {border: 2px solid #e0e0e0; border-radius: 10px; padding: .5rem; text-align: center;}
    .kpi .label {font-size: clamp(24px, 1.4vw, 28px); color: #444; line-height: 1.2; min-height: 2.4em;
                 display: flex; align-items: center; justify-content: center;}
    .slide-legend {font-size: clamp(24px, 1.3vw, 26px); color: #222; margin: .2rem 0 .2rem 0;}
    .kpi .value {font-size: clamp(44px, 4.4vw, 88px); font-weight: 700; line-height: 1.1;}
    .kpi .value.bad {color: #c62828;}
    table.slide-table {width: 100%; border-collapse: collapse; font-size: clamp(24px, 1.45vw, 30px);
                       line-height: 1.22;}
    table.slide-table th {text-align: left; color: #444; border-bottom: 2px solid #ccc; padding: 3px 8px;
                          white-space: nowrap;}
    /* Wrap on word boundaries only: a name is never split inside a word. */
    table.slide-table td {border-bottom: 1px solid #eee; padding: 3px 8px; vertical-align: top;
                          overflow-wrap: normal; word-break: normal; hyphens: none;}
    table.slide-table td.short {white-space: nowrap;}
    .slide-foot {font-size: clamp(18px, 1vw, 20px); color: #555;}
    .slide-more {font-size: clamp(24px, 1.3vw, 26px); color: #555;}
    /* The controls float above the slide and stay hidden while presenting; a mouse move shows them. */
    .st-key-tc_controls {position: fixed; top: 0; left: 0; right: 0; z-index: 999990; background: #fff;
                         padding: .4rem 1rem; box-shadow: 0 2px 8px rgba(0,0,0,.15); opacity: 0;
                         transition: opacity .3s;}
    /* Not pointer-events: none: reaching a control moves the mouse, which shows the controls first. */
    body.tc-show .st-key-tc_controls, .st-key-tc_controls:focus-within {opacity: 1;}
    </style>""",
    unsafe_allow_html=True,
)

# Keys of a presenter's clicker and of the keyboard click the slide buttons; installed once per browser tab,
# and inert on other pages (no slide buttons there).
KEYS_JS = """<script>
(function () {
  if (window.__cchcSlides) return;
  window.__cchcSlides = true;
  const NEXT = ["ArrowRight", "PageDown", " ", "Spacebar", "ArrowDown"];
  const PREV = ["ArrowLeft", "PageUp", "ArrowUp"];
  function button(key) {
    return document.querySelector(".st-key-" + key + " button");
  }
  document.addEventListener("keydown", function (ev) {
    if (!document.querySelector(".slide-title")) return;
    const t = ev.target;
    if (t && (t.isContentEditable || ["INPUT", "TEXTAREA", "SELECT"].includes(t.tagName))) return;
    if (ev.altKey || ev.ctrlKey || ev.metaKey) return;
    const key = NEXT.includes(ev.key) ? "tc_next" : PREV.includes(ev.key) ? "tc_prev" : null;
    if (!key) return;
    ev.preventDefault();  // Space and PageDown would otherwise scroll
    const b = button(key);
    if (b && !b.disabled) b.click();
  }, true);
  let timer = null;
  document.addEventListener("mousemove", function () {
    document.body.classList.add("tc-show");
    clearTimeout(timer);
    timer = setTimeout(function () { document.body.classList.remove("tc-show"); }, 2500);
  });
})();
</script>"""
st.html(KEYS_JS, unsafe_allow_javascript=True)

STATUS_SCALE = alt.Scale(domain=[status.STATUS_LABELS[s] for s in status.STATUS_ORDER],
                         range=[status.STATUS_COLOURS[s] for s in status.STATUS_ORDER])
# Counts are whole tasks: integer ticks only, in Vietnamese format (1.234).
COUNT_AXIS = alt.Axis(format=",d", tickMinStep=1, labelFontSize=22, titleFontSize=22)


def _go(step: int) -> None:
    st.session_state["tc_slide"] = min(N, max(1, int(st.session_state.get("tc_slide", 1)) + step))
    st.session_state["tc_changed_at"] = time.monotonic()


def _new_snapshot() -> None:
    st.session_state["tc_slide"] = 1
    st.session_state["tc_changed_at"] = time.monotonic()


def _auto_changed() -> None:
    st.session_state["tc_changed_at"] = time.monotonic()
    st.session_state["tc_auto_changed"] = True


def title(content: SlideContent) -> None:
    st.markdown(f"<div class='slide-title'>{html_text(content.title)}</div>", unsafe_allow_html=True)
    if content.subtitle:
        st.markdown(f"<div class='slide-sub'>{html_text(content.subtitle)}</div>", unsafe_allow_html=True)


def table(t: SlideTable) -> None:
    if t.caption:
        st.markdown(f"<div class='slide-sub'><b>{html_text(t.caption)}</b></div>", unsafe_allow_html=True)
    head = "".join(f"<th>{html_text(c)}</th>" for c in t.columns)
    body = []
    for row in t.rows:
        cells = []
        for i, value in enumerate(row):
            css = f" style='color:{t.colours[value]};font-weight:700'" if i == len(row) - 1 and value in t.colours \
                else ""
            short = " class='short'" if len(value) <= 14 else ""  # dates, "273 ngày", "Chưa đạt": one line
            cells.append(f"<td{short}{css}>{html_text(value)}</td>")
        body.append("<tr>" + "".join(cells) + "</tr>")
    st.markdown(f"<table class='slide-table'><tr>{head}</tr>{''.join(body)}</table>", unsafe_allow_html=True)
    if t.more:
        st.markdown(f"<div class='slide-more'>{html_text(t.more)}</div>", unsafe_allow_html=True)


def legend(items: list[tuple[str, str]]) -> None:
    """The colour key as one line of text above a chart (Vega's own legend is cut off at 1366 px)."""
    spans = "".join(f"<span style='white-space:nowrap;margin-right:1.4em'><span style='display:inline-block;"
                    f"width:.8em;height:.8em;background:{colour};margin-right:.3em'></span>{html_text(label)}</span> "
                    for label, colour in items)
    st.markdown(f"<div class='slide-legend'>{spans}</div>", unsafe_allow_html=True)


def big_chart(chart: alt.LayerChart | alt.Chart | alt.FacetChart, height: int, key: str) -> None:
    """A chart at slide size; its own key per slide, so a chart never keeps the previous slide's height."""
    st.altair_chart(chart.properties(height=height).configure(locale=VI_LOCALE)
                    .configure_axis(labelFontSize=22, titleFontSize=22, labelLimit=560, labelColor="#222",
                                    titleColor="#222")
                    .configure_view(strokeWidth=0), width="stretch", height=height, key=key)


def stacked_rows(long: pd.DataFrame, row: tuple[str, str], order: list[str], part: tuple[str, str, str],
                 scale: alt.Scale, value: tuple[str, str], totals: pd.DataFrame, total: str,
                 total_text: str | alt.Text) -> alt.LayerChart | alt.FacetChart:
    """One horizontal bar per `row` (column, tooltip title) in `order`, stacked by `part` (column, tooltip title,
    stacking-order column) coloured by `scale`, summing `value` (column, axis title); each row's `total` column
    of `totals` is written at the bar's end as `total_text`."""
    bars = alt.Chart(long).mark_bar().encode(
        y=alt.Y(f"{row[0]}:N", sort=order, title=None),
        x=alt.X(f"sum({value[0]}):Q", title=value[1], axis=COUNT_AXIS),
        color=alt.Color(f"{part[0]}:N", scale=scale, title=None, legend=None), order=alt.Order(f"{part[2]}:Q"),
        tooltip=[alt.Tooltip(f"{row[0]}:N", title=row[1]), alt.Tooltip(f"{part[0]}:N", title=part[1]),
                 alt.Tooltip(f"sum({value[0]}):Q", title="Số nhiệm vụ", format=",d")])
    text = alt.Chart(totals).mark_text(align="left", dx=6, fontSize=22, fontWeight="bold").encode(
        y=alt.Y(f"{row[0]}:N", sort=order), x=alt.X(f"{total}:Q"), text=total_text)
    return alt.layer(bars, text)


def kpis(items: list[tuple[str, str, bool]]) -> None:
    for col, (label, value, bad) in zip(st.columns(len(items)), items, strict=True):
        col.markdown(f"<div class='kpi'><div class='label'>{html_text(label)}</div>"
                     f"<div class='value{' bad' if bad else ''}'>{html_text(value)}</div></div>",
                     unsafe_allow_html=True)


def slide_1(c: SlideContent, fig: SnapshotFigures) -> None:
    kpis(c.kpis)
    counts = pd.DataFrame([{"status": f"{b['label']}: {fmt_number(b['tasks'])}", "n": b["tasks"], "order": i}
                           for i, b in enumerate(c.bars)])
    scale = alt.Scale(domain=list(counts["status"]), range=[status.STATUS_COLOURS[b["status"]] for b in c.bars])
    chart = alt.Chart(counts).mark_bar(size=60).encode(
        x=alt.X("sum(n):Q", title=None, stack="zero", axis=None,
                scale=alt.Scale(domain=[0, max(1, sum(b["tasks"] for b in c.bars))], nice=False)),
        color=alt.Color("status:N", scale=scale, title=None, sort=list(counts["status"]), legend=None),
        order=alt.Order("order:Q"), tooltip=[alt.Tooltip("status:N", title="Trạng thái"),
                                             alt.Tooltip("n:Q", title="Số nhiệm vụ", format=",d")])
    legend([(str(s), status.STATUS_COLOURS[b["status"]]) for s, b in zip(counts["status"], c.bars, strict=True)])
    big_chart(chart, 80 if c.tables else 110, "tc_chart_1")
    for t in c.tables:  # the previous meeting's conclusions and their status
        table(t)


def slide_2(c: SlideContent, fig: SnapshotFigures) -> None:
    rows = pd.DataFrame(fig["field_status"])
    rows["status_label"] = rows["status"].map(status.STATUS_LABELS)
    rows["order"] = rows["status"].map({s: i for i, s in enumerate(status.STATUS_ORDER)})
    order = [f["field_name"] for f in c.bars]
    pct = pd.DataFrame(c.bars)
    pct["label"] = pct["pct_done"].map(lambda v: fmt_pct(v, 0))
    chart = stacked_rows(rows, ("field_name", "Lĩnh vực"), order, ("status_label", "Trạng thái", "order"), STATUS_SCALE,
                         ("tasks", "Số nhiệm vụ"), pct, "total", "label:N")
    legend([(status.STATUS_LABELS[s], status.STATUS_COLOURS[s]) for s in status.STATUS_ORDER])
    big_chart(chart, min(470, 44 * len(order) + 90), "tc_chart_2")


def slide_3(c: SlideContent, fig: SnapshotFigures) -> None:
    rows = c.bars
    long = pd.DataFrame([{"agency": a["agency"], "bucket": b.label, "n": a[b.key], "k": i}
                         for a in rows for i, b in enumerate(status.AGEING)])
    scale = alt.Scale(domain=[b.label for b in status.AGEING], range=[b.colour for b in status.AGEING])
    order = [a["agency"] for a in rows]
    chart = stacked_rows(long, ("agency", "Cơ quan"), order, ("bucket", "Quá hạn", "k"), scale,
                         ("n", "Số nhiệm vụ quá hạn"), pd.DataFrame(rows), "overdue", alt.Text("overdue:Q", format=",d"))
    legend([(b.label, b.colour) for b in status.AGEING])
    big_chart(chart, min(470, 44 * len(order) + 90), "tc_chart_3")


def slide_tables(c: SlideContent, fig: SnapshotFigures) -> None:
    if c.kpis:
        kpis(c.kpis)
    if len(c.tables) == 2 and c.number == 5:  # before/after side by side; slides 4 and 6 put requests below
        for col, t in zip(st.columns(2), c.tables, strict=True):
            with col:
                table(t)
    else:
        for t in c.tables:
            table(t)


DRAW = {1: slide_1, 2: slide_2, 3: slide_3, 4: slide_tables, 5: slide_tables, 6: slide_tables}


@st.fragment(run_every=5 if st.session_state.get("tc_auto") else None)
def show() -> None:
    """Controls, slide and footer: redrawn together, so the counter always names the slide shown."""
    snapshots = meeting_data.snapshots()
    filters = get_filters()
    options = [LIVE, *[int(i) for i in snapshots["id"]]]
    labels = {LIVE: f"Số liệu hiện tại (chưa chốt, đến {fmt_date(filters.as_of)})"}
    for row in snapshots.to_dict("records"):
        labels[int(row["id"])] = f"#{row['id']} · {row['title']} · số liệu đến {fmt_date(row['as_of'])}"
    if "tc_pending" in st.session_state:  # a snapshot just frozen: show it, from slide 1, export closed
        st.session_state["tc_snapshot"] = st.session_state.pop("tc_pending")
        st.session_state["tc_export"] = False
        _new_snapshot()
    if st.session_state.get("tc_auto") and time.monotonic() - st.session_state.get("tc_changed_at", 0) >= AUTO_SECONDS:
        st.session_state["tc_slide"] = int(st.session_state.get("tc_slide", 1)) % N + 1
        st.session_state["tc_changed_at"] = time.monotonic()
    slide = int(st.session_state.get("tc_slide", 1))

    with st.container(key="tc_controls"):
        follow = slide in FOLLOW_UP_SLIDES and permissions.can(actor.role, "request_explanation")
        top = st.columns([0.9, 3.6, 1.1, 0.9, 1.1, 2.1, 1.6, 1.2] + ([1.3] if follow else []),
                         vertical_alignment="center")
        top[0].page_link("pages/tong_quan.py", label="Thoát", icon=":material/logout:")
        chosen = top[1].selectbox("Bộ số liệu", options, index=1 if len(options) > 1 else 0,
                                  format_func=lambda i: labels.get(i, str(i)), key="tc_snapshot",
                                  label_visibility="collapsed", on_change=_new_snapshot)
        top[2].button("◀ Trước", key="tc_prev", width="stretch", disabled=slide <= 1, on_click=_go, args=(-1,))
        top[3].markdown(f"<div class='tc-counter' style='text-align:center;font-size:20px'>Trang {slide}/{N}</div>",
                        unsafe_allow_html=True)
        top[4].button("Sau ▶", key="tc_next", width="stretch", disabled=slide >= N, on_click=_go, args=(1,))
        top[5].toggle(f"Tự chuyển trang ({AUTO_SECONDS} giây)", key="tc_auto", on_change=_auto_changed)
        with top[6].popover("Xuất và chốt số liệu", key="tc_export", on_change="rerun"):
            export_and_freeze(chosen, filters)
        with top[7].popover("Kết luận", key=f"tc_concl_{slide}", icon=":material/gavel:"):
            conclusion_panel(chosen, filters, slide)
        if follow:
            with top[8].popover("Giải trình", key=f"tc_follow_{slide}", icon=":material/record_voice_over:"):
                follow_up_panel(chosen, filters, slide)
    if st.session_state.pop("tc_auto_changed", False):
        st.rerun()  # the whole page: the fragment's timer is set when the page runs

    snap: SnapshotView = meeting_data.live(filters, describe(filters)) if chosen == LIVE else meeting_data.load(chosen)
    before = meeting_data.previous(snap)
    comparison: Comparison | None = compare(before, snap) if before else None
    content = deck_content(snap, before, comparison, follow_up.rows(),
                           conclusion_ui.rows(before.id if before else None))[slide - 1]
    title(content)
    if content.empty:
        st.markdown(f"<div class='slide-sub'><b>{html_text(content.empty)}</b></div>", unsafe_allow_html=True)
    else:
        DRAW[slide](content, snap.figures)
    sample = " · Dữ liệu mẫu" if meeting_data.sample() else ""
    locks = locked_text(snap.figures)
    st.markdown(f"<div class='slide-foot'>Trang {slide}/{N} · {html_text(snap.title)} · số liệu tính đến ngày "
                f"{fmt_date(snap.as_of)}{' · ' + html_text(locks) if locks else ''}{sample}</div>", unsafe_allow_html=True)


FOLLOW_UP_SLIDES = (4, 6)  # red/amber indicators, overdue tasks: the items a request can be raised on


def follow_up_panel(chosen: int, filters: object, slide: int) -> None:
    """Raise a request on an item the slide lists (and, for Sở Nội vụ, record its answer)."""
    from data_access import models as m
    from data_access.status_sql import Filters

    assert isinstance(filters, Filters)
    snap = meeting_data.live(filters, describe(filters)) if chosen == LIVE else meeting_data.load(chosen)
    if slide == 4:
        items = {str(i["code"]): f"{i['code']} – {i['name']} ({status.RAG_LABELS[i['rag']]})"
                 for i in snap.figures["indicators"] if i["rag"] in (status.RED, status.AMBER)}
        kind = m.SUBJECT_INDICATOR
    else:
        items = {str(r["code"]): f"{r['code']} – {r['task']} ({r['agency']})" for r in snap.figures["overdue"]}
        kind = m.SUBJECT_TASK
    if not items:
        st.info("Trang này không có mục nào cần giải trình.")
        return
    code = st.selectbox("Mục cần giải trình", list(items), format_func=lambda c: items.get(c, c),
                        key=f"tc_fu_item_{slide}")
    leads = follow_up.lead_ids(code) if kind == m.SUBJECT_TASK else None
    # The meeting a request was raised in: the frozen meeting's name, or the day of a show of live figures.
    held = snap.title if chosen != LIVE else f"Trình chiếu số liệu ngày {fmt_date(filters.as_of)}"
    follow_up.item_panel(actor, kind, code, f"tc{slide}_{code}", leads, meeting=held)


def conclusion_panel(chosen: int, filters: object, slide: int) -> None:
    """Record the meeting's conclusions against the slide's items (a frozen meeting only)."""
    from data_access import models as m
    from data_access.status_sql import Filters

    assert isinstance(filters, Filters)
    if chosen == LIVE:
        conclusion_ui.panel(actor, None, {}, f"s{slide}")
        return
    fig = meeting_data.load(chosen).figures
    items: dict[tuple[str, str], str] = {}
    if slide == 4:
        items = {(m.SUBJECT_INDICATOR, str(i["code"])): f"Chỉ tiêu {i['code']} – {i['name']}"
                 for i in fig["indicators"] if i["rag"] in (status.RED, status.AMBER)}
    elif slide == 6:
        items = {(m.SUBJECT_TASK, str(r["code"])): f"Nhiệm vụ {r['code']} – {r['task']}" for r in fig["overdue"]}
    elif slide == 3:
        items = {(m.SUBJECT_AGENCY, str(a["agency_id"])): f"Cơ quan {a['agency']}"
                 for a in fig["agencies"] if a["overdue"] > 0}
    conclusion_ui.panel(actor, chosen, items, f"s{slide}_{chosen}")


def export_and_freeze(chosen: int, filters: object) -> None:
    """The PDF of the chosen figures and, for staff, the freeze form (closed again after freezing)."""
    from data_access.deck import render_deck
    from data_access.status_sql import Filters

    assert isinstance(filters, Filters)
    snap = meeting_data.live(filters, describe(filters)) if chosen == LIVE else meeting_data.load(chosen)
    before = meeting_data.previous(snap)
    comparison = compare(before, snap) if before else None
    st.download_button("Tải bộ trình chiếu (PDF)", file_name=f"trinh_chieu_{snap.as_of.strftime('%d-%m-%Y')}.pdf",
                       data=lambda: render_deck(snap, before, comparison, meeting_data.sample(), follow_up.rows(),
                                                conclusion_ui.rows(before.id if before else None)),
                       mime="application/pdf", key="tc_pdf", on_click="ignore", icon=":material/picture_as_pdf:")
    if not permissions.can(actor.role, "snapshot"):
        return
    with st.form("chot_so_lieu", border=False):
        name = st.text_input("Tên cuộc họp", placeholder="Ví dụ: Họp sơ kết CCHC quý IV/2026", key="tc_title")
        st.caption(f"Số liệu sẽ được chốt đến ngày {fmt_date(filters.as_of)} · {plain(describe(filters))}")
        if st.form_submit_button("Chốt số liệu", type="primary", key="tc_freeze"):
            try:
                new_id = meeting_data.create(actor, name, filters, describe(filters))
                st.session_state["tc_pending"] = new_id  # selected on the next run, before the widget exists
                st.rerun()
            except (ValueError, permissions.PermissionDenied) as exc:
                st.error(plain(exc))


show()
