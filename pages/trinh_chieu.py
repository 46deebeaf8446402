"""Trình chiếu: full-screen slides for the review meeting, from a frozen snapshot."""

from __future__ import annotations

import datetime as dt
import html

import altair as alt
import pandas as pd
import streamlit as st

from data_access import auth
from data_access import status as rules
from data_access.deck import AGEING, render_deck
from data_access.meeting import SLIDE_TITLES, Comparison, SnapshotView, compare
from data_access.vn import fmt_date, fmt_number, fmt_pct, fmt_period, fmt_target, fmt_value
from ui import meeting_data
from ui.filters import describe, get_filters
from ui.session import guard
from ui.text import html_text, plain

actor = guard("present")
N = len(SLIDE_TITLES)

st.markdown(
    """<style>
    section[data-testid="stSidebar"], header[data-testid="stHeader"] {display: none !important;}
    .block-container {padding-top: 1rem !important; padding-bottom: 0 !important; max-width: 100% !important;}
    .slide-title {font-size: clamp(32px, 3.2vw, 56px); font-weight: 700; color: #b71c1c; margin: 0 0 .4rem 0;
                  line-height: 1.15;}
    .slide-sub {font-size: clamp(16px, 1.3vw, 24px); color: #555; margin-bottom: .6rem;}
    .kpi {border: 2px solid #e0e0e0; border-radius: 10px; padding: .6rem; text-align: center;}
    .kpi .label {font-size: clamp(16px, 1.4vw, 26px); color: #555;}
    .kpi .value {font-size: clamp(40px, 4.6vw, 88px); font-weight: 700; line-height: 1.1;}
    .kpi .value.bad {color: #c62828;}
    table.slide-table {width: 100%; border-collapse: collapse; font-size: clamp(15px, 1.25vw, 24px);}
    table.slide-table th {text-align: left; color: #555; border-bottom: 2px solid #ccc; padding: 4px 8px;}
    table.slide-table td {border-bottom: 1px solid #eee; padding: 4px 8px; vertical-align: top;}
    .rag {font-weight: 700;}
    .slide-foot {font-size: clamp(13px, 1vw, 18px); color: #777;}
    </style>""",
    unsafe_allow_html=True,
)

# --- choose the snapshot -----------------------------------------------------------------
snapshots = meeting_data.snapshots()
filters = get_filters()
LIVE = -1
options = [LIVE, *[int(i) for i in snapshots["id"]]]
labels = {LIVE: f"Số liệu hiện tại (chưa chốt, đến {fmt_date(filters.as_of)})"}
for row in snapshots.to_dict("records"):
    labels[int(row["id"])] = f"#{row['id']} · {row['title']} · số liệu đến {fmt_date(row['as_of'])}"
if "tc_pending" in st.session_state:
    st.session_state["tc_snapshot"] = st.session_state.pop("tc_pending")
top = st.columns([1.2, 5, 1, 1, 1, 2])
top[0].page_link("pages/tong_quan.py", label="Thoát", icon=":material/logout:")
top = top[1:]
chosen = top[0].selectbox("Bộ số liệu", options, index=1 if len(options) > 1 else 0,
                          format_func=lambda i: labels.get(i, str(i)), key="tc_snapshot", label_visibility="collapsed")
if st.session_state.get("tc_last") != chosen:
    st.session_state["tc_last"] = chosen
    st.session_state["tc_slide"] = 1
slide = int(st.session_state.get("tc_slide", 1))
if top[1].button("◀ Trước", key="tc_prev", width="stretch", disabled=slide <= 1):
    slide -= 1
if top[2].button("Sau ▶", key="tc_next", width="stretch", disabled=slide >= N):
    slide += 1
st.session_state["tc_slide"] = slide
top[3].markdown(f"<div class='slide-sub' style='text-align:center;padding-top:.4rem'>Trang {slide}/{N}</div>",
                unsafe_allow_html=True)
auto = top[4].toggle("Tự chuyển trang (20 giây)", key="tc_auto")

snap: SnapshotView = meeting_data.live(filters, describe(filters)) if chosen == LIVE else meeting_data.load(chosen)
before = meeting_data.previous(snap)
comparison: Comparison | None = compare(before, snap) if before else None
fig = snap.figures


def _cut(text: str, limit: int) -> str:
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "…"


def title(text: str, sub: str = "") -> None:
    st.markdown(f"<div class='slide-title'>{html_text(text)}</div>", unsafe_allow_html=True)
    if sub:
        st.markdown(f"<div class='slide-sub'>{html_text(sub)}</div>", unsafe_allow_html=True)


def table(df: pd.DataFrame, colour_col: str | None = None, colours: dict[str, str] | None = None) -> None:
    head = "".join(f"<th style='white-space:nowrap'>{html.escape(str(c))}</th>" for c in df.columns)
    body = []
    for row in df.itertuples(index=False):
        cells = []
        for col, value in zip(df.columns, row, strict=True):
            css = []
            if colours and col == colour_col and str(value) in colours:
                css += [f"color:{colours[str(value)]}", "font-weight:700"]
            if len(str(value)) <= 14:  # dates, "273 ngày", "Chưa đạt": keep on one line
                css.append("white-space:nowrap")
            style = f" style='{';'.join(css)}'" if css else ""
            cells.append(f"<td{style}>{html_text(value)}</td>")
        body.append("<tr>" + "".join(cells) + "</tr>")
    st.markdown(f"<table class='slide-table'><tr>{head}</tr>{''.join(body)}</table>", unsafe_allow_html=True)


def big_chart(chart: alt.Chart, height: int) -> None:
    st.altair_chart(chart.properties(height=height).configure_axis(labelFontSize=20, titleFontSize=20,
                                                                      labelLimit=520)
                    .configure_legend(labelFontSize=18, titleFontSize=18, orient="bottom", labelLimit=400, columns=3)
                    .configure_view(strokeWidth=0), width="stretch")


STATUS_SCALE = alt.Scale(domain=[rules.STATUS_LABELS[s] for s in rules.STATUS_ORDER],
                         range=[rules.STATUS_COLOURS[s] for s in rules.STATUS_ORDER])


def slide_1() -> None:
    ov = fig["overview"]
    pct = 100.0 * ov["done"] / ov["total"] if ov["total"] else None
    title(SLIDE_TITLES[0], " · ".join(p for p in (snap.title, f"số liệu tính đến ngày {fmt_date(snap.as_of)}",
                                                   snap.scope) if p))
    cards = [("Tổng số nhiệm vụ", fmt_number(ov["total"]), False), ("Đã hoàn thành", fmt_pct(pct, 1), False),
             ("Quá hạn", fmt_number(ov["overdue"]), ov["overdue"] > 0),
             ("Sắp đến hạn (30 ngày)", fmt_number(ov["due_soon"]), False),
             ("Chỉ tiêu chưa đạt", fmt_number(ov["indicators_red"]), ov["indicators_red"] > 0)]
    for col, (label, value, bad) in zip(st.columns(5), cards, strict=True):
        col.markdown(f"<div class='kpi'><div class='label'>{label}</div>"
                     f"<div class='value{' bad' if bad else ''}'>{value}</div></div>", unsafe_allow_html=True)
    counts = pd.DataFrame([{"status": f"{rules.STATUS_LABELS[s]}: {fmt_number(ov['counts'].get(s, 0))}",
                            "n": ov["counts"].get(s, 0), "order": i} for i, s in enumerate(rules.STATUS_ORDER)])
    scale = alt.Scale(domain=list(counts["status"]), range=[rules.STATUS_COLOURS[s] for s in rules.STATUS_ORDER])
    chart = alt.Chart(counts).mark_bar(size=60).encode(
        x=alt.X("sum(n):Q", title=None, stack="zero", axis=None),
        color=alt.Color("status:N", scale=scale, title=None, sort=list(counts["status"])),
        order=alt.Order("order:Q"), tooltip=[alt.Tooltip("status:N", title="Trạng thái"),
                                             alt.Tooltip("n:Q", title="Số nhiệm vụ")])
    big_chart(chart, 170)


def slide_2() -> None:
    title(SLIDE_TITLES[1], "Số nhiệm vụ theo trạng thái; nhãn bên phải là tỷ lệ hoàn thành")
    rows = pd.DataFrame(fig["field_status"])
    if rows.empty:
        st.info("Không có nhiệm vụ trong phạm vi đã chọn.")
        return
    rows["status_label"] = rows["status"].map(rules.STATUS_LABELS)
    rows["order"] = rows["status"].map({s: i for i, s in enumerate(rules.STATUS_ORDER)})
    order = [f["field_name"] for f in fig["fields"]]
    pct = pd.DataFrame(fig["fields"])
    pct["label"] = pct["pct_done"].map(lambda v: fmt_pct(v, 0))
    bars = alt.Chart(rows).mark_bar().encode(
        y=alt.Y("field_name:N", sort=order, title=None), x=alt.X("sum(tasks):Q", title="Số nhiệm vụ"),
        color=alt.Color("status_label:N", scale=STATUS_SCALE, title=None), order=alt.Order("order:Q"))
    text = alt.Chart(pct).mark_text(align="left", dx=6, fontSize=20, fontWeight="bold").encode(
        y=alt.Y("field_name:N", sort=order), x=alt.X("total:Q"), text="label:N")
    big_chart(alt.layer(bars, text), 400)


def slide_3() -> None:
    rows = [a for a in fig["agencies"] if a["overdue"] > 0][:10]
    title(SLIDE_TITLES[2], f"{len(rows)} cơ quan có nhiều nhiệm vụ quá hạn nhất, theo thời gian quá hạn" if rows else "")
    if not rows:
        st.success("Không có nhiệm vụ quá hạn.")
        return
    long = pd.DataFrame([{"agency": a["agency"], "bucket": label, "n": a[key], "k": i, "total": a["overdue"]}
                         for a in rows for i, (key, label, _) in enumerate(AGEING)])
    scale = alt.Scale(domain=[label for _, label, _ in AGEING], range=[c for _, _, c in AGEING])
    order = [a["agency"] for a in rows]
    bars = alt.Chart(long).mark_bar().encode(
        y=alt.Y("agency:N", sort=order, title=None), x=alt.X("sum(n):Q", title="Số nhiệm vụ quá hạn"),
        color=alt.Color("bucket:N", scale=scale, title=None), order=alt.Order("k:Q"))
    totals = alt.Chart(pd.DataFrame(rows)).mark_text(align="left", dx=6, fontSize=20, fontWeight="bold").encode(
        y=alt.Y("agency:N", sort=order), x="overdue:Q", text="overdue:Q")
    big_chart(alt.layer(bars, totals), 400)


def _target_text(row: dict) -> str:
    """The target of the year the RAG was judged against."""
    year = row.get("target_year")
    if not year:
        return "–"
    return fmt_target(row.get(f"comparator_{int(year)}"), row.get(f"target_{int(year)}"), row["unit"])


def slide_4() -> None:
    rows = [i for i in fig["indicators"] if i["rag"] in (rules.RED, rules.AMBER)]
    title(SLIDE_TITLES[3], f"{len(rows)} chỉ tiêu chưa đạt hoặc gần đạt mục tiêu 2025 - 2026")
    if not rows:
        st.success("Mọi chỉ tiêu đo được đều đạt.")
        return
    df = pd.DataFrame([{
        "Chỉ tiêu": _cut(r["name"], 90),
        "Giá trị": fmt_value(r["value"], r["unit"]),
        "Kỳ": fmt_period(str(r["period"])) if str(r["period"])[:4].isdigit() else str(r["period"]),
        "Mục tiêu": _target_text(r), "Đánh giá": rules.RAG_LABELS[r["rag"]]} for r in rows[:9]])
    table(df, "Đánh giá", {rules.RAG_LABELS[k]: v for k, v in rules.RAG_COLOURS.items()})
    if len(rows) > 9:
        st.markdown(f"<div class='slide-foot'>… và {len(rows) - 9} chỉ tiêu khác (trang Chỉ tiêu 2025 - 2026).</div>",
                    unsafe_allow_html=True)


def slide_5() -> None:
    if comparison is None or before is None:
        title(SLIDE_TITLES[4], "Đây là lần chốt số liệu đầu tiên: chưa có kỳ để so sánh.")
        return
    title(SLIDE_TITLES[4], f"So với: {before.title} (số liệu đến {fmt_date(before.as_of)})")
    cards = [("Mới hoàn thành", len(comparison.newly_done)), ("Mới quá hạn", len(comparison.newly_overdue)),
             ("Chỉ tiêu thay đổi", len(comparison.indicators_moved)),
             ("Cơ quan tiến bộ", len(comparison.agencies_improved)),
             ("Cơ quan chậm thêm", len(comparison.agencies_behind))]
    for col, (label, n) in zip(st.columns(5), cards, strict=True):
        col.markdown(f"<div class='kpi'><div class='label'>{label}</div><div class='value'>{fmt_number(n)}</div>"
                     "</div>", unsafe_allow_html=True)
    left, right = st.columns(2)
    with left:
        st.markdown("<div class='slide-sub'><b>Mới hoàn thành</b></div>", unsafe_allow_html=True)
        table(pd.DataFrame([{"Mã": c["code"], "Nhiệm vụ": c["task"][:80]} for c in comparison.newly_done[:6]]
                           or [{"Mã": "–", "Nhiệm vụ": "Không có"}]))
    with right:
        st.markdown("<div class='slide-sub'><b>Mới quá hạn</b></div>", unsafe_allow_html=True)
        table(pd.DataFrame([{"Mã": c["code"], "Nhiệm vụ": c["task"][:80]} for c in comparison.newly_overdue[:6]]
                           or [{"Mã": "–", "Nhiệm vụ": "Không có"}]))


def slide_6() -> None:
    rows = fig["overdue"]
    title(SLIDE_TITLES[5], f"{fmt_number(len(rows))} lượt nhiệm vụ quá hạn; cơ quan chủ trì giải trình nguyên nhân")
    if not rows:
        st.success("Không có nhiệm vụ quá hạn cần giải trình.")
        return
    df = pd.DataFrame([{
        "Cơ quan chủ trì": r["agency"], "Nhiệm vụ": _cut(f"{r['code']}: {r['task']}", 64),
        "Hạn": fmt_date(dt.date.fromisoformat(r["deadline_date"])) if r["deadline_date"] else "–",
        "Quá hạn": f"{fmt_number(r['days_overdue'])} ngày",
        "Khó khăn, vướng mắc": _cut(r["difficulties"] or "Chưa nêu", 48),
    } for r in rows[:7]])
    table(df)
    if len(rows) > 7:
        st.markdown(f"<div class='slide-foot'>… và {len(rows) - 7} lượt khác (trang Quá hạn theo cơ quan).</div>",
                    unsafe_allow_html=True)


SLIDES = (slide_1, slide_2, slide_3, slide_4, slide_5, slide_6)


@st.fragment(run_every=20 if auto else None)
def show_slide() -> None:
    current = int(st.session_state.get("tc_slide", 1))
    if auto and st.session_state.get("tc_ticked"):
        current = current % N + 1
        st.session_state["tc_slide"] = current
    st.session_state["tc_ticked"] = bool(auto)
    SLIDES[current - 1]()
    sample = " · Dữ liệu mẫu" if meeting_data.sample() else ""
    st.markdown(f"<div class='slide-foot'>Trang {current}/{N} · {html_text(snap.title)} · số liệu tính đến ngày "
                f"{fmt_date(snap.as_of)}{sample}</div>", unsafe_allow_html=True)


show_slide()

with st.expander("Xuất và chốt số liệu"):
    pdf_name = f"trinh_chieu_{snap.as_of.strftime('%d-%m-%Y')}.pdf"
    st.download_button("Tải bộ trình chiếu (PDF)", data=render_deck(snap, before, comparison, meeting_data.sample()),
                       file_name=pdf_name, mime="application/pdf", key="tc_pdf")
    if auth.can(actor.role, "snapshot"):
        with st.form("chot_so_lieu"):
            name = st.text_input("Tên cuộc họp", placeholder="Ví dụ: Họp sơ kết CCHC quý IV/2026", key="tc_title")
            st.caption(f"Số liệu sẽ được chốt đến ngày {fmt_date(filters.as_of)} · {plain(describe(filters))}")
            if st.form_submit_button("Chốt số liệu", type="primary", key="tc_freeze"):
                try:
                    new_id = meeting_data.create(actor, name, filters, describe(filters))
                    st.session_state["tc_pending"] = new_id  # selected on the next run, before the widget exists
                    st.rerun()
                except (ValueError, auth.PermissionDenied) as exc:
                    st.error(plain(exc))
