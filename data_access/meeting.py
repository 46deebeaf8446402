"""Meeting mode: frozen snapshots of the figures, their comparison, and the slide deck as PDF.

A snapshot stores the computed figures (not references to live rows), so what was shown
at a meeting stays exactly as it was, whatever is uploaded or undone afterwards.
"""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any, NotRequired, TypedDict, cast

import pandas as pd
from sqlalchemy import func, select
from sqlalchemy.engine import Engine
from sqlmodel import Session

from data_access import models as m
from data_access import queries as q
from data_access import status
from data_access.db import bump_data_version, data_version
from data_access.notes import notes_payload
from data_access.period_lock import locked_periods
from data_access.permissions import Actor, record_audit, require
from data_access.status_sql import Filters
from data_access.tables import SN, U
from data_access.vn import fmt_date, fmt_number, fmt_pct, fmt_period, fmt_target, fmt_value, vi_sort_key

SLIDE_TITLES = (
    "Tình hình thực hiện nhiệm vụ",
    "Tiến độ theo lĩnh vực",
    "Nhiệm vụ quá hạn theo cơ quan chủ trì",
    "Chỉ tiêu chưa đạt và gần đạt",
    "Thay đổi so với lần họp trước",
    "Nhiệm vụ quá hạn cần giải trình",
)


class OverviewFigures(TypedDict):
    """Slide 1's headline numbers (`queries.overview`) and the tasks in each status (`queries.status_counts`)."""

    total: int
    done: int
    overdue: int
    due_soon: int
    no_deadline: int
    indicators_red: int
    counts: dict[str, int]  # status code -> tasks, every status of status.STATUS_ORDER
    due_soon_days: NotRequired[int]  # the due-soon window in force (snapshots before the setting lack it)


class FieldFigure(TypedDict):
    """One field (`queries.field_summary`)."""

    field_code: str
    field_name: str
    total: int
    done: int
    overdue: int
    pct_done: float | None  # 0-100


class FieldStatusFigure(TypedDict):
    """Tasks of one field in one status (`queries.completion_by_field`)."""

    field_code: str
    field_name: str
    status: str
    tasks: int


class AgencyFigure(TypedDict):
    """One lead agency's overdue tasks with their ageing (`queries.overdue_by_agency`)."""

    agency_id: int
    agency: str
    overdue: int
    d1_30: int
    d31_90: int
    d90_plus: int
    done_late: int
    coord_overdue: int
    max_days_overdue: int | None


class IndicatorFigure(TypedDict):
    """One judged target (`queries.indicator_progress`); the row also holds `target_<year>` and
    `comparator_<year>` for each target year (read them with `year_target`)."""

    code: str
    name: str
    unit: str
    direction: str
    value: float | None
    period: str | None
    target_year: int | None
    rag: str
    gap: float | None


class OverdueFigure(TypedDict):
    """One overdue lead assignment (`queries.assignment_list`), most overdue first."""

    code: str
    task: str
    plan_code: str
    agency: str
    deadline_date: str | None  # ISO date
    days_overdue: int
    last_period: str | None
    progress_pct: float | None
    difficulties: str | None


class SnapshotFigures(TypedDict):
    """Everything the six slides show, as stored in a snapshot's JSON payload (`compute_figures`)."""

    as_of: str  # ISO date
    overview: OverviewFigures
    fields: list[FieldFigure]
    field_status: list[FieldStatusFigure]
    agencies: list[AgencyFigure]
    indicators: list[IndicatorFigure]
    overdue: list[OverdueFigure]
    task_status: dict[str, str]  # task code -> status code
    task_text: NotRequired[dict[str, str]]  # task code -> text; absent from snapshots frozen before it existed
    locked_periods: NotRequired[list[dict[str, Any]]]  # quarters locked when frozen (period_lock.locked_periods)
    notes: NotRequired[list[dict[str, Any]]]  # notes on the numbers when frozen (notes.notes_payload); absent before


def year_target(row: IndicatorFigure, year: int) -> tuple[str | None, float | None]:
    """The comparator and the target value of `row` for `year` (None, None when the row has none)."""
    by_year = cast(Mapping[str, Any], row)  # the year keys are named at run time
    return by_year.get(f"comparator_{year}"), by_year.get(f"target_{year}")


def _records(df: pd.DataFrame, columns: list[str]) -> list[Any]:
    """The rows of `df[columns]` as JSON-able dicts; the caller's TypedDict names what a row holds."""
    out = []
    for row in df[columns].to_dict("records"):
        clean: dict[str, Any] = {}
        for key, value in row.items():
            if isinstance(value, dt.date):
                value = value.isoformat()
            elif isinstance(value, float) and pd.isna(value):
                value = None
            elif hasattr(value, "item"):  # numpy scalars
                value = value.item()
            clean[str(key)] = value
        out.append(clean)
    return out


def compute_figures(engine: Engine, filters: Filters, page: q.OverviewPage | None = None) -> SnapshotFigures:
    """Everything the six slides show, as plain JSON-able data.

    The headline numbers, the fields, the agencies and the indicators are the overview page's own
    read (`queries.overview_page`, passed in as `page` when the caller already holds it), so a
    slide shows exactly what the Tổng quan page shows for the same filters; only the list of
    overdue assignments and the task statuses (for the comparison) are read besides.
    """
    if page is None:
        page = q.overview_page(engine, filters)
    ov = page.change.now
    overdue = q.assignment_list(engine, filters, statuses=(status.OPEN_OVERDUE,))
    tasks = q.task_list(engine, filters)
    overdue = overdue.sort_values(["days_overdue", "agency"], ascending=[False, True])
    indicators = page.board
    return {
        "as_of": filters.as_of.isoformat(),
        "overview": {"total": ov.total, "done": ov.done, "overdue": ov.overdue, "due_soon": ov.due_soon,
                     "no_deadline": ov.no_deadline, "indicators_red": ov.indicators_red,
                     "counts": _status_totals(page.fields), "due_soon_days": filters.due_soon_days},
        "fields": _records(page.fields, ["field_code", "field_name", "total", "done", "overdue", "pct_done"]),
        "field_status": _field_status_long(page.fields),
        "agencies": _records(page.agencies, ["agency_id", "agency", "overdue", *(b.key for b in status.AGEING),
                                             "done_late", "coord_overdue", "max_days_overdue"]),
        "indicators": _records(indicators, ["code", "name", "unit", "direction", "value", "period", "target_year",
                                            "rag", "gap"] + [c for c in indicators.columns
                                                            if c.startswith(("target_2", "comparator_"))]),
        "overdue": _records(overdue, ["code", "task", "plan_code", "agency", "deadline_date", "days_overdue",
                                      "last_period", "progress_pct", "difficulties"]),
        "task_status": dict(zip(tasks["code"], tasks["status"], strict=True)),
        "task_text": dict(zip(tasks["code"], tasks["task"], strict=True)),
        # Notes on the numbers as they read now: a frozen snapshot keeps them as they were (issue 17).
        "notes": notes_payload(engine),
        # Which quarters were locked ("đã khóa kỳ báo cáo") when the figures were frozen (issue 16).
        "locked_periods": locked_periods(engine),
    }


def _status_totals(fields: pd.DataFrame) -> dict[str, int]:
    """Tasks per status (all six, zeros included) from a `field_status_table` frame."""
    return {code: int(fields[code].sum()) if not fields.empty else 0 for code in status.STATUS_ORDER}


def _field_status_long(fields: pd.DataFrame) -> list[FieldStatusFigure]:
    """(field_code, field_name, status, tasks) for every field and status with tasks, in field order then
    status code: the rows of `queries.completion_by_field`, from a `field_status_table` frame."""
    return [
        {"field_code": str(r["field_code"]), "field_name": str(r["field_name"]), "status": code,
         "tasks": int(r[code])}
        for r in fields.to_dict("records")
        for code in sorted(status.STATUS_ORDER)
        if int(r[code])
    ]


def locked_text(figures: SnapshotFigures) -> str:
    """"Kỳ đã khóa: Quý III/2026 (mở lại cho 1 cơ quan)" from a snapshot's figures; "" when none was locked
    (or the snapshot predates the record, issue 16)."""
    locks = figures.get("locked_periods") or []
    if not locks:
        return ""
    parts = [fmt_period(str(lk["period"])) + (f" (mở lại cho {len(lk['reopened'])} cơ quan)" if lk.get("reopened") else "")
             for lk in locks]
    return "Kỳ đã khóa: " + ", ".join(parts)


@dataclass
class SnapshotView:
    """A snapshot as the slides and the PDF use it."""

    id: int | None
    title: str
    as_of: dt.date
    created_at: dt.datetime
    created_by: str
    scope: str
    figures: SnapshotFigures
    last_upload_id: int | None = None
    extra: dict[str, Any] = field(default_factory=dict)


def current_view(engine: Engine, filters: Filters, title: str, scope: str = "", user: str = "",
                 page: q.OverviewPage | None = None) -> SnapshotView:
    """An unsaved snapshot of the current state (the live slides; the deck command without --snapshot).

    `page`: the overview page's read for `filters` when the caller holds it (see `compute_figures`)."""
    return SnapshotView(None, title, filters.as_of, dt.datetime.now(dt.UTC), user, scope,
                        compute_figures(engine, filters, page))


def create_snapshot(engine: Engine, actor: Actor | None, title: str, filters: Filters, scope: str = "") -> int:
    """Freeze the figures for a meeting ("Chốt số liệu"); staff and administrators only. Returns its id."""
    require(actor, "snapshot")
    assert actor is not None
    if not title.strip():
        raise ValueError("Hãy đặt tên cuộc họp cho lần chốt số liệu.")
    figures = compute_figures(engine, filters)
    with engine.connect() as conn:
        last_upload = conn.execute(select(func.max(U.c.id)).where(
            U.c.undone_at.is_(None))).scalar()
    with Session(engine) as session:
        snap = m.Snapshot(title=title.strip(), as_of=filters.as_of, created_at=dt.datetime.now(dt.UTC),
                          created_by=actor.username, data_version=data_version(engine), last_upload_id=last_upload,
                          scope=scope, payload=json.dumps(figures, ensure_ascii=False))
        session.add(snap)
        session.flush()
        record_audit(session, actor, "chot_so_lieu", f"#{snap.id} {snap.title} ({fmt_date(filters.as_of)})")
        bump_data_version(session)
        session.commit()
        assert snap.id is not None
        return snap.id


def list_snapshots(engine: Engine) -> pd.DataFrame:
    """Snapshots, newest first: id, title, as_of, created_at, created_by, scope."""
    stmt = select(SN.c.id, SN.c.title, SN.c.as_of, SN.c.created_at, SN.c.created_by,
                  SN.c.scope).order_by(SN.c.as_of.desc(), SN.c.id.desc())
    with engine.connect() as conn:
        result = conn.execute(stmt)
        return pd.DataFrame(result.fetchall(), columns=list(result.keys()))


def load_snapshot(engine: Engine, snapshot_id: int) -> SnapshotView:
    """One stored snapshot; ValueError (Vietnamese) if it does not exist."""
    with Session(engine) as session:
        snap = session.get(m.Snapshot, snapshot_id)
        if snap is None:
            raise ValueError(f"Không có lần chốt số liệu số {snapshot_id}.")
        return SnapshotView(snap.id, snap.title, snap.as_of, snap.created_at, snap.created_by, snap.scope,
                            cast(SnapshotFigures, json.loads(snap.payload)), snap.last_upload_id)


def previous_snapshot(engine: Engine, snap: SnapshotView) -> SnapshotView | None:
    """The snapshot taken before `snap` (by as-of date, then id), if any."""
    stmt = select(SN.c.id).order_by(SN.c.as_of.desc(), SN.c.id.desc())
    if snap.id is not None:
        stmt = stmt.where((SN.c.as_of < snap.as_of) | ((SN.c.as_of == snap.as_of) & (SN.c.id < snap.id)))
    else:
        stmt = stmt.where(SN.c.as_of <= snap.as_of)
    with engine.connect() as conn:
        prev_id = conn.execute(stmt.limit(1)).scalar()
    return load_snapshot(engine, int(prev_id)) if prev_id is not None else None


class StatusChange(TypedDict):
    """A task whose status differs between two snapshots (status codes)."""

    code: str
    task: str
    before: str
    after: str


class IndicatorMove(TypedDict):
    """An indicator whose value moved between two snapshots."""

    code: str
    name: str
    unit: str
    before: float
    after: float
    rag_before: str
    rag_after: str


class AgencyChange(TypedDict):
    """An agency's overdue count in two snapshots."""

    agency: str
    before: int
    after: int


@dataclass
class Comparison:
    """What changed from `before` to `after`."""

    newly_done: list[StatusChange]
    newly_overdue: list[StatusChange]
    status_changed: list[StatusChange]  # every task whose status differs
    indicators_moved: list[IndicatorMove]
    agencies_improved: list[AgencyChange]
    agencies_behind: list[AgencyChange]


def compare(before: SnapshotView, after: SnapshotView) -> Comparison:
    """Tasks whose status changed, indicators whose value moved, agencies whose overdue count changed."""
    old, new = before.figures["task_status"], after.figures["task_status"]
    texts = {**before.figures.get("task_text", {}), **after.figures.get("task_text", {})}
    changed: list[StatusChange] = [
        {"code": code, "task": texts.get(code, ""), "before": old.get(code, ""), "after": now}
        for code, now in sorted(new.items()) if old.get(code) is not None and old.get(code) != now
    ]
    done = status.DONE_STATUSES
    newly_done = [c for c in changed if c["after"] in done and c["before"] not in done]
    newly_overdue = [c for c in changed if c["after"] == status.OPEN_OVERDUE]
    old_ind = {i["code"]: i for i in before.figures["indicators"]}
    moved: list[IndicatorMove] = []
    for ind in after.figures["indicators"]:
        prev = old_ind.get(ind["code"])
        if prev and ind["value"] is not None and prev["value"] is not None and abs(ind["value"] - prev["value"]) > 1e-9:
            moved.append({"code": ind["code"], "name": ind["name"], "unit": ind["unit"], "before": prev["value"],
                          "after": ind["value"], "rag_before": prev["rag"], "rag_after": ind["rag"]})
    old_ag = {a["agency"]: a["overdue"] for a in before.figures["agencies"]}
    new_ag = {a["agency"]: a["overdue"] for a in after.figures["agencies"]}
    deltas: list[AgencyChange] = [{"agency": a, "before": old_ag.get(a, 0), "after": new_ag.get(a, 0)} for a in set(old_ag) | set(new_ag)]
    deltas.sort(key=lambda d: vi_sort_key(d["agency"]))
    return Comparison(
        newly_done=newly_done, newly_overdue=newly_overdue, status_changed=changed, indicators_moved=moved,
        agencies_improved=[d for d in deltas if d["after"] < d["before"]],
        agencies_behind=[d for d in deltas if d["after"] > d["before"]],
    )


# --- what each slide shows: decided once, drawn by the screen (pages/trinh_chieu.py) and the PDF (deck.py) ---

# How many rows a slide holds: chosen so that the slide fits 1366x768 at >= 24 px text as well as 1920x1080.
MAX_AGENCIES = 10
MAX_INDICATORS = 7
MAX_CHANGES = 5
MAX_OVERDUE = 5
TEXT_LIMIT = 110  # characters of a task or indicator name on a slide (about two lines)


def cut_words(text: str, limit: int) -> str:
    """`text` shortened to at most `limit` characters on a word boundary, with an ellipsis; never mid-word."""
    text = " ".join(str(text).split())
    if len(text) <= limit:
        return text
    head = text[: limit - 1]
    if " " in head and text[limit - 1] != " ":
        head = head[: head.rfind(" ")]
    return head.rstrip(" ,;:.-–") + "…"


@dataclass
class SlideTable:
    """A table on a slide: display strings, the rows shown, and how many were left off."""

    columns: tuple[str, ...]
    rows: Sequence[tuple[str, ...]]
    hidden: int = 0
    more: str = ""  # the footnote when rows were left off
    caption: str = ""
    colours: dict[str, str] = field(default_factory=dict)  # cell text -> colour, for the last column


@dataclass
class SlideContent:
    """Everything one slide shows; the screen and the PDF draw exactly this."""

    number: int
    title: str
    subtitle: str = ""
    empty: str = ""  # the message instead of the body when there is nothing to show
    kpis: list[tuple[str, str, bool]] = field(default_factory=list)  # (label, value, is bad)
    bars: Sequence[Mapping[str, Any]] = field(default_factory=list)  # the rows of the bar chart
    tables: list[SlideTable] = field(default_factory=list)


def _fmt_day(value: str | None) -> str:
    return fmt_date(dt.date.fromisoformat(value)) if value else "–"


def _target_text(row: IndicatorFigure) -> str:
    """The target of the year the RAG was judged against."""
    year = row.get("target_year")
    if not year:
        return "–"
    return fmt_target(*year_target(row, int(year)), row["unit"])


MAX_REQUESTS = 3  # explanation requests under slide 4's or slide 6's table


def _requests_table(requests: Sequence[dict[str, Any]] | None, kind: str, codes: set[str]) -> SlideTable | None:
    """The explanation requests on the items a slide lists (live, not frozen: the follow-up of the
    meeting's figures), or None when there are none. Rows ordered as follow_up.list_requests orders them."""
    from data_access import follow_up as fu  # follow_up never imports this module

    rows = [r for r in requests or () if r["subject_kind"] == kind and r["subject_code"] in codes]
    if not rows:
        return None
    shown = []
    for r in rows[:MAX_REQUESTS]:
        if r["state"] in (fu.ANSWERED, fu.CLOSED) and r.get("answer"):
            said = f"{r['answer']} ({r['answer_document'] or 'văn bản'} ngày {fmt_date(r['answered_on'])})"
        elif r["state"] == fu.CLOSED:
            said = f"Đóng: {r['close_note']}"
        else:
            said = f"Yêu cầu: {r['reason']}"
        shown.append((cut_words(f"{r['subject_code']}: {r['subject_text']}", 48), cut_words(str(r["agency"]), 30),
                      fmt_date(r["due_date"]), cut_words(said, 110), fu.STATE_LABELS[r["state"]]))
    left = len(rows) - len(shown)
    return SlideTable(("Giải trình về", "Cơ quan", "Hạn", "Nội dung", "Tình trạng"), shown, left,
                      f"… và {fmt_number(left)} yêu cầu khác (trang Giải trình)." if left else "",
                      caption="Yêu cầu giải trình", colours={fu.STATE_LABELS[k]: v for k, v in fu.STATE_COLOURS.items()})


MAX_CONCLUSIONS = 3  # the previous meeting's conclusions on slide 1


def _conclusions_table(snap: SnapshotView, before: SnapshotView | None,
                       conclusions: Sequence[dict[str, Any]] | None) -> SlideTable | None:
    """The previous meeting's conclusions and their status in `snap`'s figures (a task's status as frozen
    now; "Chưa giao nhiệm vụ" for a conclusion that did not become a task)."""
    if not conclusions or before is None:
        return None
    frozen = snap.figures.get("task_status", {})
    rows = []
    for c in conclusions[:MAX_CONCLUSIONS]:
        code = c.get("task_code")
        if not code:
            state = "Chưa giao nhiệm vụ"
        elif code in frozen:
            state = status.STATUS_LABELS[frozen[code]]
        else:
            state = "Giao sau lần chốt này"
        rows.append((cut_words(f"{code}: {c['text']}" if code else str(c["text"]), 90),
                     cut_words(str(c.get("agency") or "–"), 34),
                     fmt_date(c["deadline_date"]) if c.get("deadline_date") else "–", state))
    left = len(conclusions) - len(rows)
    return SlideTable(("Kết luận", "Cơ quan chủ trì", "Hạn", "Trạng thái"), rows, left,
                      f"… và {fmt_number(left)} kết luận khác." if left else "",
                      caption=f"Kết luận {before.title} và kết quả thực hiện",
                      colours={status.STATUS_LABELS[k]: v for k, v in status.STATUS_COLOURS.items()})


def deck_content(snap: SnapshotView, before: SnapshotView | None, comparison: Comparison | None,
                 requests: Sequence[dict[str, Any]] | None = None,
                 conclusions: Sequence[dict[str, Any]] | None = None) -> list[SlideContent]:
    """The six slides' content. One function, so the screen and the PDF show the same rows.

    `requests`: explanation requests (rows of `follow_up.list_requests`); those on a red/amber
    indicator or an overdue task the slide lists are shown under slide 4's or slide 6's table.
    `conclusions`: the previous meeting's (`before`) conclusions (rows of `conclusions.list_conclusions`),
    listed on slide 1 with their status.
    """
    from data_access import models as mdl

    fig = snap.figures
    ov = fig["overview"]
    pct = 100.0 * ov["done"] / ov["total"] if ov["total"] else None
    scope = " · ".join(p for p in (snap.title, f"số liệu tính đến ngày {fmt_date(snap.as_of)}", snap.scope) if p)
    s1 = SlideContent(1, SLIDE_TITLES[0], scope, kpis=[
        ("Tổng số nhiệm vụ", fmt_number(ov["total"]), False), ("Đã hoàn thành", fmt_pct(pct, 1), False),
        ("Quá hạn", fmt_number(ov["overdue"]), ov["overdue"] > 0),
        (status.due_soon_label(ov.get("due_soon_days")), fmt_number(ov["due_soon"]), False),
        ("Chỉ tiêu chưa đạt", fmt_number(ov["indicators_red"]), ov["indicators_red"] > 0)],
        bars=[{"status": s, "label": status.STATUS_LABELS[s], "tasks": int(ov["counts"].get(s, 0))}
              for s in status.STATUS_ORDER])
    previous = _conclusions_table(snap, before, conclusions)
    if previous:
        s1.tables.append(previous)

    s2 = SlideContent(2, SLIDE_TITLES[1], "Số nhiệm vụ theo trạng thái; nhãn bên phải là tỷ lệ hoàn thành",
                      empty="" if fig["fields"] else "Không có nhiệm vụ trong phạm vi đã chọn.",
                      bars=list(fig["fields"]))

    agencies = [a for a in fig["agencies"] if a["overdue"] > 0]
    s3 = SlideContent(3, SLIDE_TITLES[2], (f"{min(len(agencies), MAX_AGENCIES)} cơ quan có nhiều nhiệm vụ quá hạn nhất, "
                                           "theo thời gian quá hạn") if agencies else "",
                      empty="" if agencies else "Không có nhiệm vụ quá hạn.", bars=agencies[:MAX_AGENCIES])

    indicators = [i for i in fig["indicators"] if i["rag"] in (status.RED, status.AMBER)]
    ind_requests = _requests_table(requests, mdl.SUBJECT_INDICATOR, {str(i["code"]) for i in indicators})
    # Room for the requests: the slide still fits 1366x768.
    max_ind = MAX_INDICATORS - (len(ind_requests.rows) + 2 if ind_requests else 0)
    ind_rows = [(cut_words(r["name"], TEXT_LIMIT), fmt_value(r["value"], r["unit"]),
                 fmt_period(str(r["period"])) if str(r["period"])[:4].isdigit() else str(r["period"] or "–"),
                 _target_text(r), status.RAG_LABELS[r["rag"]]) for r in indicators[:max_ind]]
    hidden = max(0, len(indicators) - max_ind)
    s4 = SlideContent(4, SLIDE_TITLES[3], f"{fmt_number(len(indicators))} chỉ tiêu chưa đạt hoặc gần đạt mục tiêu "
                      "2025 - 2026", empty="" if indicators else "Mọi chỉ tiêu đo được đều đạt.",
                      tables=[SlideTable(("Chỉ tiêu", "Giá trị", "Kỳ", "Mục tiêu", "Đánh giá"), ind_rows, hidden,
                                         f"… và {fmt_number(hidden)} chỉ tiêu khác (trang Chỉ tiêu 2025 - 2026)."
                                         if hidden else "",
                                         colours={status.RAG_LABELS[k]: v for k, v in status.RAG_COLOURS.items()})]
                      + ([ind_requests] if ind_requests else []) if indicators else [])

    if comparison is None or before is None:
        s5 = SlideContent(5, SLIDE_TITLES[4], "Đây là lần chốt số liệu đầu tiên: chưa có kỳ để so sánh.")
    else:
        def changes(items: list[StatusChange], caption: str) -> SlideTable:
            rows = [(c["code"], cut_words(c["task"], 70)) for c in items[:MAX_CHANGES]] or [("–", "Không có")]
            left = max(0, len(items) - MAX_CHANGES)
            return SlideTable(("Mã", "Nhiệm vụ"), rows, left, f"… và {fmt_number(left)} nhiệm vụ khác." if left else "",
                              caption=caption)

        s5 = SlideContent(5, SLIDE_TITLES[4], f"So với: {before.title} (số liệu đến {fmt_date(before.as_of)})",
                          kpis=[("Mới hoàn thành", fmt_number(len(comparison.newly_done)), False),
                                ("Mới quá hạn", fmt_number(len(comparison.newly_overdue)),
                                 len(comparison.newly_overdue) > 0),
                                ("Chỉ tiêu thay đổi", fmt_number(len(comparison.indicators_moved)), False),
                                ("Cơ quan tiến bộ", fmt_number(len(comparison.agencies_improved)), False),
                                ("Cơ quan chậm thêm", fmt_number(len(comparison.agencies_behind)),
                                 len(comparison.agencies_behind) > 0)],
                          tables=[changes(comparison.newly_done, "Mới hoàn thành"),
                                  changes(comparison.newly_overdue, "Mới quá hạn")])

    overdue = fig["overdue"]
    od_requests = _requests_table(requests, mdl.SUBJECT_TASK, {str(r["code"]) for r in overdue})
    max_od = MAX_OVERDUE - (len(od_requests.rows) if od_requests else 0)
    od_rows = [(cut_words(r["agency"], 40), cut_words(f"{r['code']}: {r['task']}", 80), _fmt_day(r["deadline_date"]),
                f"{fmt_number(r['days_overdue'])} ngày", cut_words(r["difficulties"] or "Chưa nêu", 48))
               for r in overdue[:max_od]]
    left = max(0, len(overdue) - max_od)
    s6 = SlideContent(6, SLIDE_TITLES[5], f"{fmt_number(len(overdue))} lượt nhiệm vụ quá hạn; cơ quan chủ trì giải "
                      "trình nguyên nhân", empty="" if overdue else "Không có nhiệm vụ quá hạn cần giải trình.",
                      tables=[SlideTable(("Cơ quan chủ trì", "Nhiệm vụ", "Hạn", "Quá hạn", "Khó khăn, vướng mắc"),
                                         od_rows, left, f"… và {fmt_number(left)} lượt khác (trang Quá hạn theo cơ "
                                         "quan)." if left else "")] + ([od_requests] if od_requests else [])
                      if overdue else [])
    return [s1, s2, s3, s4, s5, s6]
