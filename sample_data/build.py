"""Build the sample store from the reference extractions of the province's documents.

Facts (tasks verbatim, leads, deadlines, indicator values 2021-2025Q1, PAR INDEX and
SIPAS 2024, quantified targets) come from `sample_data/reference/` (copied from the
line-checked extractions in shared/reference). Where the documents are silent
(status of 2025-2026 tasks, indicator values after 31/03/2025) reports and values
are generated deterministically from a fixed seed and marked `is_sample`.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import random
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from sqlalchemy.engine import Engine
from sqlmodel import Session, delete, select

from data_access import models as m
from data_access.db import bump_data_version, init_db, set_meta
from data_access.periods import parse_deadline, period_bounds, period_of
from data_access.vn import nfc, search_key
from sample_data import target_catalogue as cat

REF = Path(__file__).resolve().parent / "reference"
SAMPLE_AS_OF = dt.date(2026, 11, 22)  # generated history stops at the last full quarter before this
SAMPLE_USER = "du_lieu_mau"


def _jsonl(name: str) -> list[dict[str, Any]]:
    with open(REF / name, encoding="utf-8") as fh:
        return [json.loads(line) for line in fh if line.strip()]


def _json(name: str) -> Any:
    with open(REF / name, encoding="utf-8") as fh:
        return json.load(fh)


def _rng(*parts: object) -> random.Random:
    """A random generator seeded by a stable hash of `parts` (same output every build)."""
    digest = hashlib.sha256("|".join(map(str, parts)).encode()).hexdigest()
    return random.Random(int(digest[:16], 16))


# --- agencies -------------------------------------------------------------------

DIVISIONS_SNV = [
    "Văn phòng Sở",
    "Phòng Cải cách hành chính và Văn thư lưu trữ",
    "Phòng Tổ chức, biên chế và Công chức, viên chức",
    "Phòng Lao động, Việc làm",
    "Phòng Xây dựng chính quyền và Công tác thanh niên",
    "Phòng Pháp chế",
    "Các đơn vị sự nghiệp trực thuộc Sở",
]
OTHER_BODIES_EXTRA = [
    "Ban Biên tập Cổng TTĐT CCHC tỉnh",
    "Đoàn kiểm tra công vụ tỉnh",
    "Các đơn vị sự nghiệp công lập",
    "Các cơ quan quản lý đơn vị sự nghiệp công lập",
    "Cơ quan được ủy quyền giao nhiệm vụ, đặt hàng, đấu thầu dịch vụ sự nghiệp công",
    "Các phòng chuyên môn cấp huyện",
    # Named only as coordinators in the plans (seed 002 lines 122-124, seed 003, seed 002 line 108).
    "Văn phòng Đoàn ĐBQH và HĐND tỉnh",
    "Kho bạc Nhà nước tỉnh",
    "Đại biểu HĐND tỉnh",
]
# Other spellings of agencies that the coordinating cells use (alias -> agency name).
COORDINATOR_ALIASES = {
    "UBND các huyện, thị xã, thành phố": "UBND cấp huyện",
    "Ủy ban nhân dân các huyện, thị xã, thành phố": "UBND cấp huyện",
    "Ủy ban nhân dân cấp huyện": "UBND cấp huyện",
    "Trung tâm Phục vụ hành chính công": "Trung tâm Phục vụ hành chính công tỉnh",
    "Phòng Thương mại và Công nghiệp Việt Nam (VCCI)": "VCCI Khánh Hòa",
}
SHORT_NAMES = {
    "Văn phòng UBND tỉnh": "VP UBND tỉnh",
    "Sở Nông nghiệp và Môi trường": "Sở NN&MT",
    "Sở Khoa học và Công nghệ": "Sở KH&CN",
    "Sở Giáo dục và Đào tạo": "Sở GD&ĐT",
    "Sở Văn hóa, Thể thao và Du lịch": "Sở VHTT&DL",
    "Sở Dân tộc và Tôn giáo": "Sở DT&TG",
    "Ban Quản lý Khu kinh tế Vân Phong": "BQL KKT Vân Phong",
}
REORG_DAY = dt.date(2025, 3, 1)
DISTRICT_END = dt.date(2025, 6, 30)


class AgencyBook:
    """Agencies by name; resolves assigned names (aliases, old names, groups)."""

    def __init__(self, session: Session) -> None:
        self.session = session
        self.by_key: dict[str, m.Agency] = {}
        self.members: dict[int, list[int]] = {}

    def add(self, name: str, kind: str, **extra: Any) -> m.Agency:
        agency = m.Agency(name=name, kind=kind, search_key=search_key(name), **extra)
        self.session.add(agency)
        self.session.flush()
        self.by_key[agency.search_key] = agency
        return agency

    def alias(self, alias: str, agency: m.Agency) -> None:
        key = search_key(alias)
        if key in self.by_key:
            return
        self.session.add(m.AgencyAlias(agency_id=agency.id or 0, alias=alias, search_key=key))
        self.by_key[key] = agency

    def group(self, name: str, member_ids: list[int]) -> None:
        group = self.add(name, m.KIND_GROUP)
        assert group.id is not None
        self.members[group.id] = member_ids
        for member_id in member_ids:
            self.session.add(m.GroupMember(group_id=group.id, member_id=member_id))

    def find(self, name: str) -> m.Agency:
        key = search_key(name)
        if key not in self.by_key:
            raise KeyError(f"Unknown agency {name!r}")
        return self.by_key[key]

    def final(self, agency: m.Agency) -> m.Agency:
        """Follow successors to the agency that exists today."""
        seen = set()
        while agency.successor_id is not None and agency.id not in seen:
            seen.add(agency.id)
            nxt = self.session.get(m.Agency, agency.successor_id)
            assert nxt is not None
            agency = nxt
        return agency

    def resolve(self, name: str) -> list[m.Agency]:
        """Concrete agencies owing a result for a lead named `name` (groups expanded)."""
        agency = self.find(name)
        if agency.kind == m.KIND_GROUP:
            return [self.final(self._get(i)) for i in self.members[agency.id or 0]]
        return [self.final(agency)]

    def _get(self, agency_id: int) -> m.Agency:
        agency = self.session.get(m.Agency, agency_id)
        assert agency is not None
        return agency

    def mentioned_in(self, text: str) -> list[tuple[str, m.Agency]]:
        """Concrete agencies named inside a free-text coordinating cell, as (name as named, agency today).

        Every named body counts, however short its name ("Sở Y tế"); groups ("các sở, ban,
        ngành") and unnamed parties ("các cơ quan liên quan") are not agencies and are skipped.
        Longest names match first, and a matched name is blanked out so that "Trung tâm Phục vụ
        hành chính công tỉnh" is not matched again as a shorter name inside it.
        """
        key = f" {search_key(text)} "
        found: list[tuple[str, m.Agency]] = []
        for name_key, agency in sorted(self.by_key.items(), key=lambda kv: (-len(kv[0]), kv[0])):
            if agency.kind == m.KIND_GROUP or not name_key:
                continue
            if f" {name_key} " in key:
                key = key.replace(f" {name_key} ", " | ")
                final = self.final(agency)
                if all(final.id != other.id for _, other in found):
                    found.append((agency.name, final))
        return found


def build_agencies(session: Session) -> AgencyBook:
    data = _json("agencies.json")
    book = AgencyBook(session)
    provincial = [
        book.add(name, m.KIND_PROVINCIAL, short_name=SHORT_NAMES.get(name), valid_from=REORG_DAY)
        for name in data["provincial_agencies_2025"]
    ]
    for name in data["other_named_bodies"] + OTHER_BODIES_EXTRA:
        if search_key(name) not in book.by_key:
            book.add(name, m.KIND_OTHER)
    snv = book.find("Sở Nội vụ")
    divisions = [
        book.add(name, m.KIND_DIVISION, parent_id=snv.id, short_name=f"SNV - {name}") for name in DIVISIONS_SNV
    ]
    # Old agencies (before the February 2025 reorganisation) point to their successor.
    canonical_old: dict[str, m.Agency] = {}
    for old, new in data["successor_of"].items():
        successor = book.find(new)
        norm = old.replace(" - ", ", ")
        if norm in canonical_old:
            book.alias(old, canonical_old[norm])
            continue
        canonical_old[norm] = book.add(
            old, m.KIND_PROVINCIAL, successor_id=successor.id, valid_to=REORG_DAY - dt.timedelta(days=1)
        )
    commune = book.add("UBND cấp xã", m.KIND_LOCAL, short_name="UBND cấp xã")
    book.add("UBND cấp huyện", m.KIND_LOCAL, successor_id=commune.id, valid_to=DISTRICT_END)
    book.alias("Ủy ban nhân dân cấp xã", commune)
    book.alias("Văn phòng Ủy ban nhân dân tỉnh", book.find("Văn phòng UBND tỉnh"))
    for alias, name in COORDINATOR_ALIASES.items():
        book.alias(alias, book.find(name))
    prov_ids = [a.id for a in provincial if a.id is not None]
    book.group("Các sở, ban, ngành", prov_ids)
    book.group("Các cơ quan, đơn vị", prov_ids)
    book.group("Các sở, ban, ngành, địa phương", [*prov_ids, commune.id or 0])
    book.group("Các cơ quan, đơn vị, địa phương", [*prov_ids, commune.id or 0])
    div_ids = [d.id for d in divisions if d.id is not None]
    book.group("Các Phòng được giao chủ trì", div_ids)
    book.group("Các đơn vị thuộc, trực thuộc Sở", div_ids)
    return book


# --- plans and tasks --------------------------------------------------------------


def _field_mapping() -> dict[str, str]:
    """Every field label of the documents (and each canonical name) -> field code."""
    fields = _json("fields.json")
    mapping: dict[str, str] = dict(fields["raw_to_code"])
    for canon in fields["canonical"]:
        mapping.setdefault(canon["name"], canon["code"])
    return mapping


def _field_code(raw: str | None, mapping: dict[str, str]) -> str:
    if raw is None:
        return "CDDH"
    if raw in mapping:
        return mapping[raw]
    for label, code in mapping.items():
        if search_key(label) == search_key(raw):
            return code
    raise KeyError(f"Unmapped field {raw!r}")


def _split_leads(text: str | None) -> list[str]:
    return [p.strip() for p in (text or "").split(";") if p.strip()]


def _add_task(
    session: Session,
    book: AgencyBook,
    plan: m.Plan,
    code: str,
    number: str | None,
    field_code: str,
    text: str,
    output: str | None,
    deadline_text: str | None,
    section: str | None,
    leads: list[str],
    coordinating: str | None,
) -> m.Task:
    deadline = parse_deadline(deadline_text)
    task = m.Task(
        plan_id=plan.id or 0,
        field_code=field_code,
        code=code,
        number=number,
        section=section,
        text=nfc(text),
        output=nfc(output) if output else None,
        deadline_text=nfc(deadline_text) if deadline_text else None,
        deadline_date=deadline.date,
        deadline_kind=deadline.kind,
        search_key=search_key(text),
    )
    session.add(task)
    session.flush()
    for agency_id, role, name in assignments_for(book, leads, coordinating):
        session.add(m.Assignment(task_id=task.id or 0, agency_id=agency_id, role=role, name_as_assigned=name))
    return task


def assignments_for(book: AgencyBook, leads: list[str], coordinating: str | None) -> list[tuple[int, str, str]]:
    """(agency id, role, name as assigned) of a task's leads and coordinators, leads first.

    A lead named by itself is a lead. A group lead ("Các sở, ban, ngành") is expanded to its
    members, except those the task names as coordinators: the plan says they coordinate, so
    they are coordinators, not leads (seed 002: 39 such cases). Every agency named in the
    coordinating cell that is not a lead is a coordinator.
    """
    coordinators = book.mentioned_in(coordinating or "")
    coordinator_ids = {agency.id for _, agency in coordinators}
    out: list[tuple[int, str, str]] = []
    lead_ids: set[int] = set()
    for explicit in (True, False):  # named leads first, so a group never shadows them
        for lead in leads:
            if (book.find(lead).kind == m.KIND_GROUP) == explicit:
                continue
            for agency in book.resolve(lead):
                agency_id = agency.id or 0
                if agency_id in lead_ids or (not explicit and agency_id in coordinator_ids):
                    continue
                lead_ids.add(agency_id)
                out.append((agency_id, m.ASSIGNMENT_LEAD, lead))
    for name, agency in coordinators:
        if (agency.id or 0) not in lead_ids:
            out.append((agency.id or 0, m.ASSIGNMENT_COORDINATOR, name))
    return out


# code, document, name, year, issued on, kind, first year. Names say what each plan is: Sở Nội vụ's
# 2026 plan is that department's internal plan (seed 004), not the province's; the 2026-2030
# directions (seed 001, Part 2) have no lead and no deadline and are never counted as tasks.
PLANS = [
    ("KH24", "3049/QĐ-UBND", "Kế hoạch cải cách hành chính năm 2024 của tỉnh Khánh Hòa", 2024, None,
     m.PLAN_PROVINCE, None),
    (
        "PS25",
        "5399/KH-UBND",
        "Kế hoạch nâng cao Chỉ số CCHC (PAR INDEX) và Chỉ số hài lòng (SIPAS) năm 2025",
        2025,
        dt.date(2025, 5, 7),
        m.PLAN_PROVINCE,
        None,
    ),
    ("SNV26", "KH CCHC 2026 - Sở Nội vụ", "Kế hoạch CCHC năm 2026 của Sở Nội vụ (kế hoạch nội bộ)", 2026, None,
     m.PLAN_INTERNAL, None),
    ("DH30", "Báo cáo tổng kết CCHC 2021-2025", "Định hướng cải cách hành chính giai đoạn 2026-2030", 2030, None,
     m.PLAN_DIRECTIONS, 2026),
]


def build_plans(session: Session, book: AgencyBook) -> dict[str, m.Plan]:
    mapping = _field_mapping()
    plans: dict[str, m.Plan] = {}
    for code, document, name, year, issued, kind, year_from in PLANS:
        plan = m.Plan(code=code, document=document, name=name, year=year, issued_on=issued,
                      source="sample_data/reference", kind=kind, year_from=year_from)
        session.add(plan)
        session.flush()
        plans[code] = plan

    for row in _jsonl("tasks_2024.jsonl"):
        _add_task(
            session, book, plans["KH24"], f"KH24-{row['row_no']:02d}", row["stt"],
            _field_code(row["field"], mapping), row["task"] or row["output"], row["output"],
            row["deadline_text"], row["section"], _split_leads(row["lead_agency"]), row["coordinating"],
        )
    for i, row in enumerate(_jsonl("tasks_par_sipas_2025.jsonl"), start=1):
        field = "SIPAS" if row["index_part"] == "SIPAS" else _field_code(row["field"], mapping)
        _add_task(
            session, book, plans["PS25"], f"PS25-{i:02d}", row["stt"], field, row["task"], row["output"],
            row["deadline_text"], row["section"], _split_leads(row["lead_agency"]), row["coordinating"],
        )
    for row in _jsonl("tasks_2026.jsonl"):
        _add_task(
            session, book, plans["SNV26"], f"SNV26-{row['row_id']}", row["stt_section"],
            _field_code(row["field"], mapping), row["task"], row["output"], row["deadline_text"],
            row["section"], _split_leads(row["lead_unit"]), row["coordinating"],
        )
    for i, row in enumerate(_jsonl("tasks_2026_2030.jsonl"), start=1):
        _add_task(
            session, book, plans["DH30"], f"DH30-{i:02d}", row["bullet"], _field_code(row["field"], mapping),
            row["text"], None, row["deadline"] or "Giai đoạn 2026-2030", None, [], None,
        )
    return plans


# --- status reports -------------------------------------------------------------

DIFFICULTIES = [
    "Chờ hướng dẫn của Bộ, ngành Trung ương",
    "Thiếu kinh phí triển khai",
    "Sắp xếp tổ chức bộ máy làm thay đổi đầu mối thực hiện",
    "Hệ thống phần mềm chưa kết nối, đồng bộ dữ liệu",
    "Nhân lực chuyên trách còn thiếu",
    "Đang chờ ý kiến thẩm định của cơ quan liên quan",
]


def _quarters(first: dt.date, last: dt.date) -> Iterator[str]:
    period = period_of(first)
    while period_bounds(period)[0] <= last:
        yield period
        end = period_bounds(period)[1]
        period = period_of(end + dt.timedelta(days=1))


def _report(
    assignment: m.Assignment, period: str, state: str, progress: float | None, completed_on: dt.date | None = None,
    difficulties: str | None = None, output_document: str | None = None,
) -> m.StatusReport:
    start, end = period_bounds(period)
    return m.StatusReport(
        assignment_id=assignment.id or 0, period=period, period_start=start, period_end=end, state=state,
        progress_pct=progress, completed_on=completed_on, difficulties=difficulties, output_document=output_document,
        is_sample=True, recorded_at=dt.datetime.combine(end + dt.timedelta(days=10), dt.time(9, 0), tzinfo=dt.UTC),
        recorded_by=SAMPLE_USER,
    )


def _history(
    assignment: m.Assignment, start: dt.date, last_quarter_end: dt.date, completed_on: dt.date | None,
    rng: random.Random, stuck: bool,
) -> list[m.StatusReport]:
    """Quarterly reports from `start` until completion or the last reported quarter."""
    reports: list[m.StatusReport] = []
    stop = min(completed_on, last_quarter_end) if completed_on else last_quarter_end
    periods = list(_quarters(start, stop))
    progress = 0.0
    for i, period in enumerate(periods):
        _, end = period_bounds(period)
        if completed_on is not None and completed_on <= end:
            doc = f"{rng.randint(100, 9999)}/BC-{rng.choice(['UBND', 'SNV', 'STC', 'STP'])}"
            reports.append(_report(assignment, period, m.STATE_DONE, 100.0, completed_on, output_document=doc))
            break
        progress = min(95.0, progress + rng.uniform(10, 35)) if i or rng.random() < 0.8 else 0.0
        state = m.STATE_IN_PROGRESS if progress > 0 else m.STATE_NOT_STARTED
        difficulty = rng.choice(DIFFICULTIES) if stuck and i == len(periods) - 1 else None
        reports.append(_report(assignment, period, state, round(progress), difficulties=difficulty))
    return reports


def _task_outcome(task: m.Task, plan: m.Plan, last_end: dt.date, rng: random.Random) -> str:
    """"on_time", "late", "open", "early", "ongoing" or "year_done" for a whole task.

    A task without a fixed deadline ("Thường xuyên", "Theo tiến độ Trung ương") can be reported
    done like any other ("year_done": done within its plan's year); it is never overdue.
    """
    deadline = task.deadline_date
    if plan.code == "KH24":
        return "on_time"  # fact: all 61 tasks of 2024 were completed (Phụ lục 1)
    if deadline is None:
        year_over = dt.date(plan.year, 12, 31) <= last_end
        return "year_done" if rng.random() < (0.8 if year_over else 0.45) else "ongoing"
    draw = rng.random()
    if deadline <= last_end:
        return "on_time" if draw < 0.62 else "late" if draw < 0.8 else "open"
    return "early" if draw < 0.3 else "open"


def _lead_completion(outcome: str, deadline: dt.date | None, plan: m.Plan, last_end: dt.date,
                     rng: random.Random, is_laggard: bool) -> dt.date | None:
    if plan.code == "KH24":
        end = deadline if deadline and deadline.year == 2024 else dt.date(2024, 12, 31)
        return max(dt.date(2024, 1, 15), end - dt.timedelta(days=rng.randint(0, 25)))
    if outcome == "year_done":  # done within the plan's year, reported by the last full quarter
        latest = min(dt.date(plan.year, 12, 20), last_end)
        return latest - dt.timedelta(days=rng.randint(0, 150))
    if deadline is None or outcome in ("ongoing",) or (outcome == "open" and is_laggard):
        return None
    if outcome == "open":  # the other leads of an unfinished task mostly did their part
        return deadline - dt.timedelta(days=rng.randint(0, 40)) if deadline <= last_end and rng.random() < 0.7 else None
    if outcome == "on_time":
        return deadline - dt.timedelta(days=rng.randint(0, 40))
    if outcome == "late":
        late = deadline + dt.timedelta(days=rng.randint(5, 75)) if is_laggard else deadline - dt.timedelta(
            days=rng.randint(0, 30))
        return late if late <= last_end else None
    early = deadline - dt.timedelta(days=rng.randint(20, 120))
    return early if early <= last_end else None


def build_reports(session: Session, plans: dict[str, m.Plan]) -> int:
    """Generate the report history of every lead assignment (deterministic).

    The outcome is drawn per task (so a task led by 15 agencies is not doomed by
    chance); one or two "laggard" leads carry a late or unfinished task.
    """
    last_end = period_bounds(period_of(SAMPLE_AS_OF))[0] - dt.timedelta(days=1)  # end of the last full quarter
    rows = session.exec(
        select(m.Assignment, m.Task, m.Plan)
        .join(m.Task, m.Assignment.task_id == m.Task.id)  # type: ignore[arg-type]
        .join(m.Plan, m.Task.plan_id == m.Plan.id)  # type: ignore[arg-type]
        .where(m.Assignment.role == m.ASSIGNMENT_LEAD)
        .order_by(m.Task.id, m.Assignment.id)  # type: ignore[arg-type]
    ).all()
    by_task: dict[int, list[tuple[m.Assignment, m.Task, m.Plan]]] = {}
    for row in rows:
        by_task.setdefault(row[1].id or 0, []).append(row)
    count = 0
    for leads in by_task.values():
        _, task, plan = leads[0]
        task_rng = _rng(task.code)
        outcome = _task_outcome(task, plan, last_end, task_rng)
        laggards = set(task_rng.sample(range(len(leads)), k=min(len(leads), 1 + (len(leads) > 5))))
        year_start = dt.date(plan.year, 1, 1) if plan.code != "PS25" else dt.date(2025, 4, 1)
        for i, (assignment, _, _) in enumerate(leads):
            rng = _rng(task.code, assignment.agency_id)
            completed = _lead_completion(outcome, task.deadline_date, plan, last_end, rng, i in laggards)
            if completed is not None:
                completed = max(completed, year_start)
            stuck = completed is None and task.deadline_date is not None and task.deadline_date <= last_end
            for report in _history(assignment, year_start, last_end, completed, rng, stuck):
                session.add(report)
                count += 1
    return count


# --- indicators and targets -----------------------------------------------------

UNITS = {"%": "%", "count": "số lượng", "flag": "có/không"}
# Phụ lục rows shown on the leadership views (appendix number, code as printed).
KEY_ROWS = {
    ("1", "2"), ("1", "3.2"), ("1", "7.3"), ("3", "4.1"), ("3", "4.3"), ("3", "6.1"), ("3", "6.2"), ("3", "6.3"),
    ("7", "1"), ("8", "6.3."), ("8", "6.2."), ("8", "6.5."),
}
ONLINE_PAYMENT = "TT_THANH_TOAN_TT"
SATISFACTION_TTHC = "HL_GIAI_QUYET_TTHC"


def _period(raw: str) -> str:
    return raw.replace("Q", "-Q") if "Q" in raw else raw


class IndicatorBook:
    def __init__(self, session: Session) -> None:
        self.session = session
        self.by_code: dict[str, m.Indicator] = {}
        self.by_key: dict[str, m.Indicator] = {}
        self.with_seed_values: set[str] = set()  # indicators carrying a figure stated by a document

    def add(self, code: str, name: str, field: str | None, unit: str, direction: str = "up", *,
            is_key: bool = False, source: str = "", plan_id: int | None = None) -> m.Indicator:
        indicator = m.Indicator(code=code, name=nfc(name), field_code=field, unit=unit, direction=direction,
                                is_key=is_key, source=source, plan_id=plan_id, search_key=search_key(name))
        self.session.add(indicator)
        self.session.flush()
        self.by_code[code] = indicator
        self.by_key[search_key(name)] = indicator
        return indicator

    def value(self, code: str, period: str, value: float, source: str, *, sample: bool = False,
              derived: bool = False) -> None:
        start, end = period_bounds(period)
        if not sample:
            self.with_seed_values.add(code)
        self.session.add(m.IndicatorValue(
            indicator_id=self.by_code[code].id or 0, period=period, period_start=start, period_end=end,
            value=float(value), source=source, is_sample=sample, is_derived=derived,
            recorded_at=dt.datetime.combine(end + dt.timedelta(days=15), dt.time(8, 0), tzinfo=dt.UTC), recorded_by=SAMPLE_USER,
        ))

    def target(self, spec: cat.Tgt) -> m.Target:
        """Store one catalogued target, its quote located in its document (refuses a quote not there)."""
        first, last = cat.locate(spec.seed, spec.quote, spec.near)
        alternatives = [{"indicator": code, "comparator": comparator, "value": value}
                        for code, comparator, value in spec.alternatives]
        for alt in alternatives:
            assert alt["indicator"] in self.by_code, alt
        target = m.Target(
            indicator_id=self.by_code[spec.indicator].id or 0, year=spec.year, comparator=spec.comparator,
            value=float(spec.value), source_quote=nfc(spec.quote), source=cat.DOCUMENTS[spec.seed], code=spec.code,
            label=nfc(spec.label), base_year=spec.base_year,
            alternatives=json.dumps(alternatives, ensure_ascii=False) if alternatives else "",
            deadline=dt.date.fromisoformat(spec.deadline) if spec.deadline else None,
            seed_file=spec.seed, seed_line=first, seed_line_end=last,
            official_rating=spec.official[0] if spec.official else "",
            official_note=nfc(spec.official[1]) if spec.official else "", note=nfc(spec.note),
        )
        self.session.add(target)
        return target


# Rank indicators whose component areas map to fields.
COMPONENT_FIELDS = {
    "Công tác chỉ đạo, điều hành CCHC": "CDDH", "Cải cách thủ tục hành chính": "TTHC", "Cải cách thể chế": "TC",
    "Cải cách tổ chức bộ máy": "TCBM", "Cải cách tài chính công": "TCC", "Cải cách chế độ công vụ": "CV",
    "Xây dựng và phát triển Chính phủ điện tử, Chính phủ số": "CQS",
    "Tác động của CCHC đến người dân và phát triển kinh tế - xã hội": "TD",
}
SAMPLE_LABEL = "Số liệu mẫu (sinh tự động)"


def _seed_source(seed: str, quote: str, near: int | None = None) -> str:
    """"<document>, <file> dòng N" for a figure the document states (the quote located, never composed)."""
    first, last = cat.locate(seed, quote, near)
    lines = f"dòng {first}" if first == last else f"dòng {first}-{last}"
    return f"{cat.DOCUMENTS[seed]}, {seed} {lines}"


def build_indicators(session: Session, plans: dict[str, m.Plan]) -> None:
    mapping = _field_mapping()
    book = IndicatorBook(session)
    source_pl = "Báo cáo tổng kết CCHC 2021-2025, Phụ lục"

    # Statistical appendices (Phụ lục 1-8): yearly values 2021-2024 and 2025Q1.
    counters: dict[str, int] = {}
    for row in _jsonl("indicators_2021_2025.jsonl"):
        if row["row_type"] not in ("indicator", "breakdown") or row["unit"] not in UNITS:
            continue
        appendix = row["appendix"].split()[-1]
        code = f"PL{appendix}-{row['code']}" if row["code"] else f"PL{appendix}-x{counters.setdefault(appendix, 0)}"
        counters[appendix] = counters.get(appendix, 0) + 1
        if code in book.by_code:
            code = f"{code}-{counters[appendix]}"
        source = f"{source_pl} {appendix}, {cat.S001} dòng {row['source_line']}"
        book.add(code, row["indicator"], _field_code(row["field"], mapping), UNITS[row["unit"]],
                 is_key=(appendix, row["code"]) in KEY_ROWS, source=f"{source_pl} {appendix}")
        for period, value in row["values"].items():
            if isinstance(value, (int, float)):
                book.value(code, _period(period), value, source)

    # PAR INDEX and SIPAS with components; 2023 values are derived from the stated changes.
    book.add("PAR_INDEX", "Chỉ số cải cách hành chính (PAR INDEX)", "CDDH", "%", is_key=True, source="Bộ Nội vụ")
    book.add("PAR_RANK", "Xếp hạng Chỉ số cải cách hành chính (PAR INDEX)", "CDDH", "hạng/63", "down", is_key=True,
             source="Bộ Nội vụ")
    book.add("SIPAS", "Chỉ số hài lòng của người dân, tổ chức (SIPAS)", "SIPAS", "%", is_key=True, source="Bộ Nội vụ")
    book.add("SIPAS_RANK", "Xếp hạng Chỉ số hài lòng (SIPAS)", "SIPAS", "hạng/63", "down", is_key=True,
             source="Bộ Nội vụ")
    for row in _jsonl("indicators_par_sipas.jsonl"):
        period = str(row["year"])
        where = f"{cat.DOCUMENTS[cat.S002]}, {cat.S002} dòng {row['source_line']}"
        note = where + (f" (suy ra: {row['arithmetic']})" if row["derived"] else "")
        name = row["indicator"]
        derived = bool(row["derived"])
        if row["metric_type"] == "score" and name.startswith("Chỉ số cải cách hành chính"):
            book.value("PAR_INDEX", period, row["value"], note, derived=derived)
        elif row["metric_type"] == "rank" and row["index"] == "PAR INDEX":
            book.value("PAR_RANK", period, row["value"], note, derived=derived)
        elif row["metric_type"] == "score" and name.startswith("Chỉ số hài lòng"):
            book.value("SIPAS", period, row["value"], note, derived=derived)
        elif row["metric_type"] == "rank" and row["index"] == "SIPAS":
            book.value("SIPAS_RANK", period, row["value"], note, derived=derived)
        elif row["metric_type"] == "component_score":
            code = f"{'PAR' if row['index'] == 'PAR INDEX' else 'SIPAS'}_{search_key(name).replace(' ', '_')[:40]}"
            if code not in book.by_code:
                field = COMPONENT_FIELDS.get(name, "SIPAS" if row["index"] == "SIPAS" else "CDDH")
                label = f"{row['index']} - {name}" if row["index"] == "PAR INDEX" else name
                book.add(code, label, field, "%", source="Bộ Nội vụ")
            book.value(code, period, row["value"], note, derived=derived)

    # Indicators that only the narrative text carries, and those the targets define.
    book.add(ONLINE_PAYMENT, "Tỷ lệ giao dịch thanh toán trực tuyến trên tổng số giao dịch dịch vụ công", "TTHC",
             "%", is_key=True, source="Báo cáo tổng kết CCHC 2021-2025")
    book.add(SATISFACTION_TTHC, "Mức độ hài lòng về giải quyết thủ tục hành chính (Cổng DVC quốc gia)", "SIPAS",
             "%", is_key=True, source="Báo cáo tổng kết CCHC 2021-2025")
    for ind in [*cat.INDICATORS, *cat.INDICATORS_2024]:
        book.add(ind.code, ind.name, ind.field, ind.unit, ind.direction, is_key=True, source="Mục tiêu kế hoạch")
    for fact in cat.SEED_VALUES:
        source = _seed_source(fact.seed, fact.quote, fact.near) + (f" ({fact.how})" if fact.how else "")
        book.value(fact.indicator, fact.period, fact.value, source, derived=fact.derived)

    # Plan-completion indicators, computed from the tasks themselves (no document sets them a target).
    for code, plan in plans.items():
        if plan.year > 2026:
            continue
        book.add(f"HT_{code}", f"Tỷ lệ nhiệm vụ hoàn thành - {plan.name}", "CDDH", "%", is_key=True,
                 plan_id=plan.id, source="Tính từ tiến độ nhiệm vụ")

    for spec in [*cat.TARGETS, *cat.TARGETS_2024]:
        book.target(spec)
    session.flush()
    _sample_values(book)


# Generated quarterly values after 31/03/2025 (the documents stop there): (start when the document
# gives no 2025Q1 figure, quarterly step). A series starts from the document's last figure.
SAMPLE_SERIES = {
    "PL3-6.1": (84.0, 2.5), "PL3-6.3": (90.0, 1.8), "PL8-6.3.": (88.0, 1.5), "PL8-6.2.": (80.0, 2.0),
    ONLINE_PAYMENT: (38.0, 3.5), SATISFACTION_TTHC: (97.0, 0.3), "PL3-4.1": (99.2, 0.1), "PL3-6.2": (95.6, 0.5),
    "TTHC_DN_TRUC_TUYEN": (82.0, 3.0),
}


def _sample_values(book: IndicatorBook) -> None:
    """Generated values where the documents are silent, flagged `is_sample`; never where a document gives
    a figure or its own rating for the goal (a generated value must not contradict the documents)."""
    last = period_of(period_bounds(period_of(SAMPLE_AS_OF))[0] - dt.timedelta(days=1))
    for code, (base, step) in SAMPLE_SERIES.items():
        rng = _rng("value", code)
        stated = book.session.exec(
            select(m.IndicatorValue.value).where(m.IndicatorValue.indicator_id == book.by_code[code].id,
                                                 m.IndicatorValue.period == "2025-Q1",
                                                 m.IndicatorValue.is_sample == False)  # noqa: E712
        ).first()
        value = float(stated) if stated is not None else base
        for period in _quarters(dt.date(2025, 4, 1), period_bounds(last)[1]):
            value = min(100.0, value + step * rng.uniform(0.2, 1.4))
            book.value(code, period, round(value, 2), SAMPLE_LABEL, sample=True)
    # Goals the documents give no measurement for: one generated value per year of a target
    # (2025: the year; 2026: the quarters ended by the sample date).
    targets = book.session.exec(select(m.Target)).all()
    official = {t.indicator_id for t in targets if t.official_rating}
    catalogued = {ind.code for ind in cat.INDICATORS if ind.unit == "%" and not ind.no_sample}
    # An alternative of an "or" target is measured in the target's year.
    judged = [(t.indicator_id, t.year, t.value) for t in targets]
    judged += [(book.by_code[a["indicator"]].id or 0, t.year, float(a["value"]))
               for t in targets if t.alternatives for a in json.loads(t.alternatives)]
    for code in sorted(catalogued - book.with_seed_values - set(SAMPLE_SERIES)):
        indicator = book.by_code[code]
        if indicator.id in official:
            continue
        years: dict[int, float] = {}
        for indicator_id, year, goal in judged:
            if indicator_id == indicator.id and year in (2025, 2026):
                years.setdefault(year, goal)
        for year, goal in sorted(years.items()):
            rng = _rng("target-value", code, year)
            value = round(min(100.0, goal * rng.uniform(0.82, 1.08)), 2)
            periods = ["2025"] if year == 2025 else list(_quarters(dt.date(2026, 1, 1), period_bounds(last)[1]))
            for period in periods:
                book.value(code, period, value, SAMPLE_LABEL, sample=True)
                value = round(min(100.0, value + rng.uniform(0.0, 2.0)), 2)
    book.value("PL7-1", "2025", 93.4, SAMPLE_LABEL, sample=True)
    # Annual indices for 2025 are published in 2026; sample values stand in for them.
    book.value("PAR_INDEX", "2025", 91.12, SAMPLE_LABEL, sample=True)
    book.value("PAR_RANK", "2025", 12, SAMPLE_LABEL, sample=True)
    book.value("SIPAS", "2025", 84.9, SAMPLE_LABEL, sample=True)
    book.value("SIPAS_RANK", "2025", 27, SAMPLE_LABEL, sample=True)


# --- the report's own scorecard ---------------------------------------------------

SCORECARD_PL9 = "PL9-2011-2025"
SEED_001 = "001"  # 001_fb3c06f5023b1873.txt, the 2021-2025 report


def build_scorecard(session: Session) -> int:
    """The 23 national goals of Phụ lục 9 of the five-year report (seed 001), verbatim with their ratings.

    Facts, not sample data: goal, result, the report's own rating and the seed line. Returns
    the number of goals written.
    """
    mapping = _field_mapping()
    count = 0
    for row in _jsonl("indicators_2021_2025.jsonl"):
        if row["row_type"] != "target_assessment":
            continue
        key_value = row.get("result_key_value") or {}
        session.add(m.GoalScorecard(
            scorecard=SCORECARD_PL9, goal_no=int(row["code"]), field_code=_field_code(row["field"], mapping),
            goal=nfc(row["indicator"]), result=nfc(row["result"]), result_value=key_value.get("value"),
            result_unit=key_value.get("unit"), rating=nfc(row["assessment"]),
            footnote="; ".join(row["footnotes"]) or None,
            source=f"Phụ lục 9, dòng {row['source_line']} (seed {SEED_001})",
        ))
        count += 1
    return count


# --- entry point ----------------------------------------------------------------

def _component_code(index: str, component: str) -> str:
    """The indicator code `build_indicators` gives a PAR INDEX component score."""
    return f"{'PAR' if index == 'PAR INDEX' else 'SIPAS'}_{search_key(component).replace(' ', '_')[:40]}"


def build_links(session: Session) -> int:
    """Task ↔ indicator links from KH 5399's own structure (seed 002), each with its citation:

    - `chi_tieu`: a catalogued 2025 target of seed 002 whose quote lies on the line(s) of a task row of the
      plan's appendix: the task's output states that indicator's target (e.g. PS25-03, line 103, states the
      30% inspection target of KIEM_TRA_CCHC);
    - `thanh_phan`: every task under a PAR INDEX component moves that component's score, PAR INDEX and its
      rank; every SIPAS task moves SIPAS and its rank (KH 5399 is the plan to raise both indices).
    Also the indicator profiles (numerator / denominator) a document writes out (`cat.FRACTIONS`).
    Returns the number of links written.
    """
    code_to_id = {c: int(i or 0) for c, i in session.exec(select(m.Indicator.code, m.Indicator.id)).all()}
    task_ids = {c: int(i or 0) for c, i in session.exec(select(m.Task.code, m.Task.id)).all()}
    doc = cat.DOCUMENTS[cat.S002]
    links: dict[tuple[int, int], tuple[str, str]] = {}
    rows = _jsonl("tasks_par_sipas_2025.jsonl")
    for spec in cat.TARGETS:
        if spec.seed != cat.S002:
            continue
        first, last = cat.locate(spec.seed, spec.quote, spec.near)
        for i, row in enumerate(rows, start=1):
            if any(first <= line <= last for line in row["source_lines"]):
                lines = row["source_lines"]
                where = f"dòng {lines[0]}" if len(lines) == 1 else f"dòng {lines[0]}-{lines[-1]}"
                key = (task_ids[f"PS25-{i:02d}"], code_to_id[spec.indicator])
                links.setdefault(key, (m.LINK_TARGET, f"{doc}, {cat.S002} {where}: đầu ra của nhiệm vụ nêu chỉ "
                                                      f"tiêu \"{nfc(spec.quote)}\" ({spec.code})"))
    for i, row in enumerate(rows, start=1):
        if row["index_part"] == "SIPAS":
            indicator = "SIPAS"
        else:
            indicator = _component_code(row["index_part"], row["index_component"])
        lines = row["source_lines"]
        where = f"dòng {lines[0]}" if len(lines) == 1 else f"dòng {lines[0]}-{lines[-1]}"
        part = row["index_part"] + ("" if row["index_part"] == "SIPAS" else f" - {row['index_component']}")
        # The component (or SIPAS) and the index's own score and rank: KH 5399 is the plan to raise them.
        wholes = ["PAR_INDEX", "PAR_RANK"] if row["index_part"] == "PAR INDEX" else ["SIPAS_RANK"]
        for code in [indicator, *wholes]:
            key = (task_ids[f"PS25-{i:02d}"], code_to_id[code])
            links.setdefault(key, (m.LINK_COMPONENT, f"{doc}, {cat.S002} {where}: nhiệm vụ thuộc mục "
                                                     f"{row['section']} của phần {part}"))
    for f in cat.FRACTIONS:
        session.add(m.IndicatorProfile(indicator_id=code_to_id[f.indicator], numerator=f.numerator,
                                       denominator=f.denominator, source=_seed_source(f.seed, f.quote, f.near)))
    at = dt.datetime.combine(dt.date(2025, 5, 7), dt.time(8, 0), tzinfo=dt.UTC)
    for (task_id, indicator_id), (basis, source) in sorted(links.items()):
        session.add(m.TaskIndicator(task_id=task_id, indicator_id=indicator_id, basis=basis, source=source,
                                    created_at=at, created_by=SAMPLE_USER))
    session.flush()
    return len(links)


def _tables_in_delete_order(keep: set[str]) -> list[Any]:
    """Every table of the store, children first (derived from the models, so new tables are never
    forgotten by a reset), except `keep`."""
    return [t for t in reversed(m.metadata.sorted_tables) if t.name not in keep]


ACTION_LOAD_SAMPLE = "nap_du_lieu_mau"


def load_sample(engine: Engine, *, reset: bool = False, audit_as: tuple[str, str] | None = None) -> dict[str, int]:
    """Load the sample store in one transaction. Refuses a non-empty store unless `reset`.

    `audit_as` = (username, detail): the audit log is kept through the reset and one line
    (action "nap_du_lieu_mau") records who loaded the sample, in the same transaction. The
    data version only grows (caches keyed on it never serve the deleted figures).
    Returns the number of rows written per table.
    """
    from data_access.db import get_meta
    from data_access.permissions import Actor, record_audit

    init_db(engine)
    with Session(engine) as session:
        version = int(get_meta(session, "data_version", "0") or 0)
        if session.exec(select(m.Plan.id).limit(1)).first() is not None:
            if not reset:
                raise RuntimeError("Kho dữ liệu đã có dữ liệu; dùng --reset để xóa và nạp lại dữ liệu mẫu.")
            for table in _tables_in_delete_order({"auditlog"} if audit_as else set()):
                session.connection().execute(delete(table))
            set_meta(session, "data_version", str(version))
        for i, field in enumerate(_json("fields.json")["canonical"]):
            session.add(m.Field(code=field["code"], name=field["name"], sort_order=i))
        session.flush()
        book = build_agencies(session)
        plans = build_plans(session, book)
        reports = build_reports(session, plans)
        build_indicators(session, plans)
        build_links(session)
        build_scorecard(session)
        set_meta(session, "sample_data", "1")
        set_meta(session, "sample_as_of", SAMPLE_AS_OF.isoformat())
        bump_data_version(session)
        if audit_as is not None:
            record_audit(session, Actor(audit_as[0], "quan_tri"), ACTION_LOAD_SAMPLE, audit_as[1])
        session.commit()
    return {"status_reports": reports}
