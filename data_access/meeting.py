"""Meeting mode: frozen snapshots of the figures, their comparison, and the slide deck as PDF.

A snapshot stores the computed figures (not references to live rows), so what was shown
at a meeting stays exactly as it was, whatever is uploaded or undone afterwards.
"""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

import pandas as pd
from sqlalchemy import func, select
from sqlalchemy.engine import Engine
from sqlmodel import Session

from data_access import models as m
from data_access import queries as q
from data_access import status as st
from data_access import tables as tb
from data_access.auth import Actor, record_audit, require
from data_access.db import bump_data_version, data_version
from data_access.period_lock import locked_periods
from data_access.vn import fmt_date, fmt_number, fmt_pct, fmt_period, fmt_target, fmt_value, vi_sort_key

SLIDE_TITLES = (
    "Tình hình thực hiện nhiệm vụ",
    "Tiến độ theo lĩnh vực",
    "Nhiệm vụ quá hạn theo cơ quan chủ trì",
    "Chỉ tiêu chưa đạt và gần đạt",
    "Thay đổi so với lần họp trước",
    "Nhiệm vụ quá hạn cần giải trình",
)


def _records(df: pd.DataFrame, columns: list[str]) -> list[dict[str, Any]]:
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


def compute_figures(engine: Engine, filters: q.Filters) -> dict[str, Any]:
    """Everything the six slides show, as plain JSON-able data."""
    ov = q.overview(engine, filters)
    counts = q.status_counts(engine, filters)
    fields = q.field_summary(engine, filters)
    by_field = q.completion_by_field(engine, filters)
    agencies = q.overdue_by_agency(engine, filters)
    indicators = q.indicator_progress(engine, filters.as_of)
    overdue = q.assignment_list(engine, filters, statuses=(st.OPEN_OVERDUE,))
    tasks = q.task_list(engine, filters)
    overdue = overdue.sort_values(["days_overdue", "agency"], ascending=[False, True])
    return {
        "as_of": filters.as_of.isoformat(),
        "overview": {"total": ov.total, "done": ov.done, "overdue": ov.overdue, "due_soon": ov.due_soon,
                     "no_deadline": ov.no_deadline, "indicators_red": ov.indicators_red, "counts": counts},
        "fields": _records(fields, ["field_code", "field_name", "total", "done", "overdue", "pct_done"]),
        "field_status": _records(by_field, ["field_code", "field_name", "status", "tasks"]),
        "agencies": _records(agencies, ["agency_id", "agency", "overdue", "d1_30", "d31_90", "d90_plus", "done_late",
                                        "coord_overdue", "max_days_overdue"]),
        "indicators": _records(indicators, ["code", "name", "unit", "direction", "value", "period", "target_year",
                                            "rag", "gap"] + [c for c in indicators.columns
                                                            if c.startswith(("target_2", "comparator_"))]),
        "overdue": _records(overdue, ["code", "task", "plan_code", "agency", "deadline_date", "days_overdue",
                                      "last_period", "progress_pct", "difficulties"]),
        "task_status": dict(zip(tasks["code"], tasks["status"], strict=True)),
        "task_text": dict(zip(tasks["code"], tasks["task"], strict=True)),
        # Which quarters were locked ("đã khóa kỳ báo cáo") when the figures were frozen (issue 16).
        "locked_periods": locked_periods(engine),
    }


def locked_text(figures: dict[str, Any]) -> str:
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
    figures: dict[str, Any]
    last_upload_id: int | None = None
    extra: dict[str, Any] = field(default_factory=dict)


def current_view(engine: Engine, filters: q.Filters, title: str, scope: str = "", user: str = "") -> SnapshotView:
    """An unsaved snapshot of the current state (for the deck command without --snapshot)."""
    return SnapshotView(None, title, filters.as_of, dt.datetime.now(dt.UTC), user, scope,
                        compute_figures(engine, filters))


def create_snapshot(engine: Engine, actor: Actor | None, title: str, filters: q.Filters, scope: str = "") -> int:
    """Freeze the figures for a meeting ("Chốt số liệu"); staff and administrators only. Returns its id."""
    require(actor, "snapshot")
    assert actor is not None
    if not title.strip():
        raise ValueError("Hãy đặt tên cuộc họp cho lần chốt số liệu.")
    figures = compute_figures(engine, filters)
    upload_table = tb.UPLOAD
    with engine.connect() as conn:
        last_upload = conn.execute(select(func.max(upload_table.c.id)).where(
            upload_table.c.undone_at.is_(None))).scalar()
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
    table = tb.SNAPSHOT
    stmt = select(table.c.id, table.c.title, table.c.as_of, table.c.created_at, table.c.created_by,
                  table.c.scope).order_by(table.c.as_of.desc(), table.c.id.desc())
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
                            json.loads(snap.payload), snap.last_upload_id)


def previous_snapshot(engine: Engine, snap: SnapshotView) -> SnapshotView | None:
    """The snapshot taken before `snap` (by as-of date, then id), if any."""
    table = tb.SNAPSHOT
    stmt = select(table.c.id).order_by(table.c.as_of.desc(), table.c.id.desc())
    if snap.id is not None:
        stmt = stmt.where((table.c.as_of < snap.as_of) | ((table.c.as_of == snap.as_of) & (table.c.id < snap.id)))
    else:
        stmt = stmt.where(table.c.as_of <= snap.as_of)
    with engine.connect() as conn:
        prev_id = conn.execute(stmt.limit(1)).scalar()
    return load_snapshot(engine, int(prev_id)) if prev_id is not None else None


@dataclass
class Comparison:
    """What changed from `before` to `after`."""

    newly_done: list[dict[str, str]]
    newly_overdue: list[dict[str, str]]
    status_changed: list[dict[str, str]]  # every task whose status differs
    indicators_moved: list[dict[str, Any]]
    agencies_improved: list[dict[str, Any]]
    agencies_behind: list[dict[str, Any]]


def compare(before: SnapshotView, after: SnapshotView) -> Comparison:
    """Tasks whose status changed, indicators whose value moved, agencies whose overdue count changed."""
    old, new = before.figures["task_status"], after.figures["task_status"]
    texts = {**before.figures.get("task_text", {}), **after.figures.get("task_text", {})}
    changed = [
        {"code": code, "task": texts.get(code, ""), "before": old.get(code, ""), "after": status}
        for code, status in sorted(new.items()) if old.get(code) is not None and old.get(code) != status
    ]
    done = st.DONE_STATUSES
    newly_done = [c for c in changed if c["after"] in done and c["before"] not in done]
    newly_overdue = [c for c in changed if c["after"] == st.OPEN_OVERDUE]
    old_ind = {i["code"]: i for i in before.figures["indicators"]}
    moved = []
    for ind in after.figures["indicators"]:
        prev = old_ind.get(ind["code"])
        if prev and ind["value"] is not None and prev["value"] is not None and abs(ind["value"] - prev["value"]) > 1e-9:
            moved.append({"code": ind["code"], "name": ind["name"], "unit": ind["unit"], "before": prev["value"],
                          "after": ind["value"], "rag_before": prev["rag"], "rag_after": ind["rag"]})
    old_ag = {a["agency"]: a["overdue"] for a in before.figures["agencies"]}
    new_ag = {a["agency"]: a["overdue"] for a in after.figures["agencies"]}
    deltas = [{"agency": a, "before": old_ag.get(a, 0), "after": new_ag.get(a, 0)} for a in set(old_ag) | set(new_ag)]
    deltas.sort(key=lambda d: vi_sort_key(d["agency"]))
    return Comparison(
        newly_done=newly_done, newly_overdue=newly_overdue, status_changed=changed, indicators_moved=moved,
        agencies_improved=[d for d in deltas if d["after"] < d["before"]],
        agencies_behind=[d for d in deltas if d["after"] > d["before"]],
    )


# --- what each slide shows: decided once, drawn by the screen (pages/trinh_chieu.py) and the PDF (deck.py) ---

AGEING = (("d1_30", "1-30 ngày", "#f4a261"), ("d31_90", "31-90 ngày", "#e76f51"), ("d90_plus", "Trên 90 ngày", "#9b2226"))
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
    bars: list[dict[str, Any]] = field(default_factory=list)  # the rows of the bar chart
    tables: list[SlideTable] = field(default_factory=list)


def _fmt_day(value: str | None) -> str:
    return fmt_date(dt.date.fromisoformat(value)) if value else "–"


def _target_text(row: dict[str, Any]) -> str:
    """The target of the year the RAG was judged against."""
    year = row.get("target_year")
    if not year:
        return "–"
    return fmt_target(row.get(f"comparator_{int(year)}"), row.get(f"target_{int(year)}"), row["unit"])


def deck_content(snap: SnapshotView, before: SnapshotView | None, comparison: Comparison | None) -> list[SlideContent]:
    """The six slides' content. One function, so the screen and the PDF show the same rows."""
    fig = snap.figures
    ov = fig["overview"]
    pct = 100.0 * ov["done"] / ov["total"] if ov["total"] else None
    scope = " · ".join(p for p in (snap.title, f"số liệu tính đến ngày {fmt_date(snap.as_of)}", snap.scope) if p)
    s1 = SlideContent(1, SLIDE_TITLES[0], scope, kpis=[
        ("Tổng số nhiệm vụ", fmt_number(ov["total"]), False), ("Đã hoàn thành", fmt_pct(pct, 1), False),
        ("Quá hạn", fmt_number(ov["overdue"]), ov["overdue"] > 0),
        ("Sắp đến hạn (30 ngày)", fmt_number(ov["due_soon"]), False),
        ("Chỉ tiêu chưa đạt", fmt_number(ov["indicators_red"]), ov["indicators_red"] > 0)],
        bars=[{"status": s, "label": st.STATUS_LABELS[s], "tasks": int(ov["counts"].get(s, 0))}
              for s in st.STATUS_ORDER])

    s2 = SlideContent(2, SLIDE_TITLES[1], "Số nhiệm vụ theo trạng thái; nhãn bên phải là tỷ lệ hoàn thành",
                      empty="" if fig["fields"] else "Không có nhiệm vụ trong phạm vi đã chọn.",
                      bars=list(fig["fields"]))

    agencies = [a for a in fig["agencies"] if a["overdue"] > 0]
    s3 = SlideContent(3, SLIDE_TITLES[2], (f"{min(len(agencies), MAX_AGENCIES)} cơ quan có nhiều nhiệm vụ quá hạn nhất, "
                                           "theo thời gian quá hạn") if agencies else "",
                      empty="" if agencies else "Không có nhiệm vụ quá hạn.", bars=agencies[:MAX_AGENCIES])

    indicators = [i for i in fig["indicators"] if i["rag"] in (st.RED, st.AMBER)]
    ind_rows = [(cut_words(r["name"], TEXT_LIMIT), fmt_value(r["value"], r["unit"]),
                 fmt_period(str(r["period"])) if str(r["period"])[:4].isdigit() else str(r["period"] or "–"),
                 _target_text(r), st.RAG_LABELS[r["rag"]]) for r in indicators[:MAX_INDICATORS]]
    hidden = max(0, len(indicators) - MAX_INDICATORS)
    s4 = SlideContent(4, SLIDE_TITLES[3], f"{fmt_number(len(indicators))} chỉ tiêu chưa đạt hoặc gần đạt mục tiêu "
                      "2025 - 2026", empty="" if indicators else "Mọi chỉ tiêu đo được đều đạt.",
                      tables=[SlideTable(("Chỉ tiêu", "Giá trị", "Kỳ", "Mục tiêu", "Đánh giá"), ind_rows, hidden,
                                         f"… và {fmt_number(hidden)} chỉ tiêu khác (trang Chỉ tiêu 2025 - 2026)."
                                         if hidden else "",
                                         colours={st.RAG_LABELS[k]: v for k, v in st.RAG_COLOURS.items()})]
                      if indicators else [])

    if comparison is None or before is None:
        s5 = SlideContent(5, SLIDE_TITLES[4], "Đây là lần chốt số liệu đầu tiên: chưa có kỳ để so sánh.")
    else:
        def changes(items: list[dict[str, str]], caption: str) -> SlideTable:
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
    od_rows = [(cut_words(r["agency"], 40), cut_words(f"{r['code']}: {r['task']}", 80), _fmt_day(r["deadline_date"]),
                f"{fmt_number(r['days_overdue'])} ngày", cut_words(r["difficulties"] or "Chưa nêu", 48))
               for r in overdue[:MAX_OVERDUE]]
    left = max(0, len(overdue) - MAX_OVERDUE)
    s6 = SlideContent(6, SLIDE_TITLES[5], f"{fmt_number(len(overdue))} lượt nhiệm vụ quá hạn; cơ quan chủ trì giải "
                      "trình nguyên nhân", empty="" if overdue else "Không có nhiệm vụ quá hạn cần giải trình.",
                      tables=[SlideTable(("Cơ quan chủ trì", "Nhiệm vụ", "Hạn", "Quá hạn", "Khó khăn, vướng mắc"),
                                         od_rows, left, f"… và {fmt_number(left)} lượt khác (trang Quá hạn theo cơ "
                                         "quan)." if left else "")] if overdue else [])
    return [s1, s2, s3, s4, s5, s6]
