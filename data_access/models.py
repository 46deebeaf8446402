"""All tables of the CCHC store (SQLModel).

Conventions: dates are `datetime.date`; periods are strings `YYYY` (a year) or
`YYYY-Qn` (a quarter) with explicit start/end dates stored beside them so SQL can
compare them with an as-of date on SQLite and PostgreSQL alike. Status reports and
indicator values are append-only history: the current value for a period is the
row with the highest id; undoing an upload deletes exactly the rows it added.
"""

from __future__ import annotations

import datetime as dt

from sqlalchemy import Column, Index, LargeBinary, MetaData, Text, UniqueConstraint
from sqlmodel import Field as F
from sqlmodel import SQLModel

from data_access.status_text import STATE_DONE as STATE_DONE  # re-exported: models name the reported states
from data_access.status_text import STATE_IN_PROGRESS as STATE_IN_PROGRESS
from data_access.status_text import STATE_NOT_STARTED as STATE_NOT_STARTED

# Named constraints keep future Alembic batch migrations on SQLite workable.
SQLModel.metadata.naming_convention = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}
metadata: MetaData = SQLModel.metadata

# Agency kinds.
KIND_PROVINCIAL = "so_nganh"  # provincial agency (sở, ban, ngành)
KIND_DIVISION = "don_vi_thuoc"  # division of an agency (phòng thuộc sở)
KIND_LOCAL = "dia_phuong"  # local government level (UBND cấp xã, cấp huyện)
KIND_GROUP = "nhom"  # a group used as a lead ("Các sở, ban, ngành")
KIND_OTHER = "khac"  # other named bodies (Công an tỉnh, Báo Khánh Hòa, ...)

# Plan kinds: what a plan is decides how it is counted.
PLAN_PROVINCE = "tinh"  # a provincial plan (UBND tỉnh): its tasks are the province's tasks of its year
PLAN_INTERNAL = "noi_bo"  # an agency's internal plan (led by its divisions), rolled up to the agency
PLAN_DIRECTIONS = "dinh_huong"  # directions for a period: no lead, no deadline, never counted as tasks
PLAN_KINDS = (PLAN_PROVINCE, PLAN_INTERNAL, PLAN_DIRECTIONS)

# The role of an agency in an assignment (Assignment.role): leads or coordinates the task. Not an
# account role (auth.ROLE_LEADER / ROLE_STAFF / ROLE_ADMIN are who may sign in and do what).
ASSIGNMENT_LEAD = "chu_tri"
ASSIGNMENT_COORDINATOR = "phoi_hop"

# Reported states of an assignment: STATE_DONE, STATE_IN_PROGRESS, STATE_NOT_STARTED (imported above; their
# home, with their labels, is data_access/status_text.py).
STATES = (STATE_DONE, STATE_IN_PROGRESS, STATE_NOT_STARTED)


def utcnow() -> dt.datetime:
    """Timezone-aware now (SQLModel refuses naive datetimes)."""
    return dt.datetime.now(dt.UTC)


class Agency(SQLModel, table=True):
    id: int | None = F(default=None, primary_key=True)
    name: str = F(index=True, unique=True)
    short_name: str | None = None
    kind: str = F(default=KIND_PROVINCIAL, index=True)
    parent_id: int | None = F(default=None, foreign_key="agency.id")
    successor_id: int | None = F(default=None, foreign_key="agency.id")
    valid_from: dt.date | None = None
    valid_to: dt.date | None = None
    search_key: str = F(default="", index=True)
    contact_email: str | None = None  # where `python -m data_access notify` sends reminders (issue 16)


class AgencyAlias(SQLModel, table=True):
    """Another spelling of an agency's name, matched by its search key."""

    id: int | None = F(default=None, primary_key=True)
    agency_id: int = F(foreign_key="agency.id", index=True)
    alias: str
    search_key: str = F(index=True, unique=True)


class GroupMember(SQLModel, table=True):
    """Membership of a concrete agency in a group such as "Các sở, ban, ngành"."""

    __table_args__ = (UniqueConstraint("group_id", "member_id"),)
    id: int | None = F(default=None, primary_key=True)
    group_id: int = F(foreign_key="agency.id", index=True)
    member_id: int = F(foreign_key="agency.id", index=True)


class Field(SQLModel, table=True):
    """A CCHC field: the eight PAR INDEX component areas and SIPAS."""

    code: str = F(primary_key=True)
    name: str
    sort_order: int = 0


class Plan(SQLModel, table=True):
    id: int | None = F(default=None, primary_key=True)
    code: str = F(unique=True)  # short code used as task-code prefix, e.g. "KH24"
    document: str = ""  # the decision, e.g. "3049/QĐ-UBND"
    name: str
    year: int = F(index=True)  # the year the plan is for (last year of a multi-year plan)
    issued_on: dt.date | None = None
    source: str = ""
    # PLAN_PROVINCE, PLAN_INTERNAL or PLAN_DIRECTIONS (directions never count as tasks of a year).
    kind: str = F(default=PLAN_PROVINCE, sa_column_kwargs={"server_default": PLAN_PROVINCE})
    year_from: int | None = None  # first year of a multi-year plan (directions 2026-2030); None = `year`


class Task(SQLModel, table=True):
    id: int | None = F(default=None, primary_key=True)
    plan_id: int = F(foreign_key="plan.id", index=True)
    field_code: str = F(foreign_key="field.code", index=True)
    code: str = F(unique=True)  # stable code shown in templates, e.g. "SNV26-P1-01"
    number: str | None = None  # as printed (STT)
    section: str | None = None
    text: str
    output: str | None = None
    deadline_text: str | None = None
    deadline_date: dt.date | None = F(default=None, index=True)
    deadline_kind: str = "other"
    search_key: str = ""


class Assignment(SQLModel, table=True):
    __table_args__ = (UniqueConstraint("task_id", "agency_id", "role"),)
    id: int | None = F(default=None, primary_key=True)
    task_id: int = F(foreign_key="task.id", index=True)
    agency_id: int = F(foreign_key="agency.id", index=True)
    role: str = F(default=ASSIGNMENT_LEAD, index=True)
    name_as_assigned: str = ""


class Upload(SQLModel, table=True):
    id: int | None = F(default=None, primary_key=True)
    file_name: str
    sha256: str = F(index=True)
    content: bytes = F(sa_column=Column(LargeBinary, nullable=False))
    uploaded_by: str
    uploaded_at: dt.datetime
    period: str
    agency_id: int | None = F(default=None, foreign_key="agency.id")
    summary: str = ""  # JSON outcome
    undone_at: dt.datetime | None = None
    undone_by: str | None = None


class StatusReport(SQLModel, table=True):
    # The status pipeline picks each assignment's latest report visible at a date.
    __table_args__ = (Index("ix_statusreport_latest", "assignment_id", "period_start", "id"),)
    id: int | None = F(default=None, primary_key=True)
    assignment_id: int = F(foreign_key="assignment.id", index=True)
    period: str = F(index=True)  # "2026-Q3"
    period_start: dt.date
    period_end: dt.date
    state: str
    progress_pct: float | None = None
    completed_on: dt.date | None = None
    output_document: str | None = None
    difficulties: str | None = None
    upload_id: int | None = F(default=None, foreign_key="upload.id", index=True)
    is_sample: bool = False
    recorded_at: dt.datetime
    recorded_by: str = ""


class UploadAssertion(SQLModel, table=True):
    """One row an applied upload asserted: a task report (assignment_id set) or an indicator
    value (indicator_id set), whether the apply wrote it (new, changed) or found it already
    in the store (unchanged). Undo restores every affected report/value to what the latest
    remaining applied upload asserts, so undoing one upload never erases another's figures."""

    __table_args__ = (
        Index("ix_uploadassertion_report", "assignment_id", "period"),
        Index("ix_uploadassertion_value", "indicator_id", "period"),
    )
    id: int | None = F(default=None, primary_key=True)
    upload_id: int = F(foreign_key="upload.id", index=True)
    assignment_id: int | None = F(default=None, foreign_key="assignment.id")
    indicator_id: int | None = F(default=None, foreign_key="indicator.id")
    period: str
    state: str | None = None
    progress_pct: float | None = None
    completed_on: dt.date | None = None
    output_document: str | None = None
    difficulties: str | None = None
    value: float | None = None
    source: str | None = None  # the indicator value's source text


class Indicator(SQLModel, table=True):
    id: int | None = F(default=None, primary_key=True)
    code: str = F(unique=True)
    name: str
    field_code: str | None = F(default=None, foreign_key="field.code")
    unit: str = ""  # "%", "điểm", "hạng", "số lượng", ...
    direction: str = "up"  # "up": higher is better; "down": lower is better
    is_key: bool = False  # shown on the leadership views
    # Set for "share of the plan's tasks completed" indicators, computed from the tasks.
    plan_id: int | None = F(default=None, foreign_key="plan.id")
    source: str = ""
    search_key: str = ""


class IndicatorValue(SQLModel, table=True):
    __table_args__ = (Index("ix_indicatorvalue_latest", "indicator_id", "period_end", "id"),)
    id: int | None = F(default=None, primary_key=True)
    indicator_id: int = F(foreign_key="indicator.id", index=True)
    period: str
    period_start: dt.date
    period_end: dt.date
    value: float
    source: str = ""
    upload_id: int | None = F(default=None, foreign_key="upload.id", index=True)
    is_sample: bool = False
    # Computed by arithmetic from figures the documents state (e.g. 2023 = 2024 - stated change).
    is_derived: bool = False
    recorded_at: dt.datetime
    recorded_by: str = ""


class Target(SQLModel, table=True):
    """A quantified goal of a plan, as its document words it (see data_access/targets.py).

    Several targets may share an indicator and a year (different plans set different
    thresholds). `comparator` is ">=", "<=", "=", ">", "<", "top" (rank <= value) or
    "rank_up" (rank improves by >= value places on the rank of `base_year`).
    `alternatives` holds, for an "or" target, a JSON list of further
    {indicator, comparator, value} any one of which meets it as well.
    """

    id: int | None = F(default=None, primary_key=True)
    indicator_id: int = F(foreign_key="indicator.id", index=True)
    year: int
    comparator: str
    value: float
    source_quote: str = ""  # verbatim from the document
    source: str = ""  # the document, e.g. "5399/KH-UBND"
    code: str = F(default="", index=True)  # stable target code
    label: str = ""  # short Vietnamese name of the goal
    base_year: int | None = None  # for "rank_up"
    alternatives: str = F(default="", sa_column=Column(Text, nullable=False, server_default=""))
    deadline: dt.date | None = None  # when the document fixes a date other than the year's end
    seed_file: str = ""  # the province's document the quote comes from
    seed_line: int | None = None  # first line of the quote in that document
    seed_line_end: int | None = None  # last line (quotes wrapped over several lines)
    official_rating: str = ""  # the document's own Đạt/Không đạt, as a rating code
    official_note: str = ""  # the document's own result text, with its citation
    note: str = ""  # why this figure/choice (e.g. documents contradicting each other)


class GoalScorecard(SQLModel, table=True):
    """One goal of a report's own scorecard (Phụ lục 9 of the 2021-2025 report: 23 national goals).

    Kept verbatim: the goal (its wording carries the target), the result the report gives,
    the report's own rating ("Đạt", "Không đạt", "Chưa đạt") and the seed line it comes from.
    """

    __table_args__ = (UniqueConstraint("scorecard", "goal_no"),)
    id: int | None = F(default=None, primary_key=True)
    scorecard: str  # which scorecard, e.g. "PL9-2011-2025"
    goal_no: int
    field_code: str | None = F(default=None, foreign_key="field.code")
    goal: str = F(sa_column=Column(Text, nullable=False))
    result: str = F(sa_column=Column(Text, nullable=False))
    result_value: float | None = None  # the figure the result states, when it states one
    result_unit: str | None = None
    rating: str  # as printed: "Đạt", "Không đạt", "Chưa đạt"
    footnote: str | None = None
    source: str = ""  # document and line, e.g. "Báo cáo tổng kết CCHC 2021-2025, Phụ lục 9 (seed 001, dòng 1514)"


class AuditLog(SQLModel, table=True):
    id: int | None = F(default=None, primary_key=True)
    at: dt.datetime
    username: str
    action: str
    detail: str = ""


class Meta(SQLModel, table=True):
    """Key/value facts about the store: data_version (bumped by every write), sample flag."""

    key: str = F(primary_key=True)
    value: str


class Snapshot(SQLModel, table=True):
    """A frozen cut of the figures for a review meeting ("Chốt số liệu").

    `payload` holds the computed figures as JSON, so later uploads, undos or rule
    changes never alter what was shown at the meeting.
    """

    id: int | None = F(default=None, primary_key=True)
    title: str
    as_of: dt.date
    created_at: dt.datetime
    created_by: str
    data_version: int
    last_upload_id: int | None = None  # newest upload the figures include
    scope: str = ""  # Vietnamese description of the filters
    payload: str = F(sa_column=Column(Text, nullable=False))


class SignInThrottle(SQLModel, table=True):
    """Recent failed sign-ins per key (a client address, an account, or both), for progressive delays.

    Kept in the database so every replica sees the same counts. A row lives until
    ``data_access.throttle.WINDOW`` after its last failure, then any write deletes it,
    so the table stays bounded by the failures of the last window.
    """

    __tablename__ = "signin_throttle"
    key: str = F(primary_key=True, max_length=200)
    failures: int = 0
    first_failure_at: dt.datetime
    last_failure_at: dt.datetime = F(index=True)


class TaskTextAlias(SQLModel, table=True):
    """A wording of a task text that an officer confirmed for one reporting agency (a
    remembered pairing): the same wording in that agency's later returns matches the task."""

    __tablename__ = "task_text_alias"
    __table_args__ = (UniqueConstraint("agency_id", "text_key"),)
    id: int | None = F(default=None, primary_key=True)
    agency_id: int = F(foreign_key="agency.id", index=True)
    task_id: int = F(foreign_key="task.id", index=True)
    text: str  # the wording as the agency wrote it
    text_key: str  # matching.text_key of it
    created_by: str
    created_at: dt.datetime
    upload_id: int | None = F(default=None, foreign_key="upload.id")


class ReturnApproval(SQLModel, table=True):
    """Sở Nội vụ accepted ("đã duyệt") an agency's return for a quarter."""

    __table_args__ = (UniqueConstraint("agency_id", "period"),)
    id: int | None = F(default=None, primary_key=True)
    agency_id: int = F(foreign_key="agency.id", index=True)
    period: str
    approved_at: dt.datetime
    approved_by: str


class PeriodLock(SQLModel, table=True):
    """A quarter locked for every agency ("đã khóa kỳ báo cáo"): imports and undo refused."""

    id: int | None = F(default=None, primary_key=True)
    period: str = F(unique=True)
    locked_at: dt.datetime
    locked_by: str


class PeriodReopen(SQLModel, table=True):
    """An administrator reopened one agency's return in a locked quarter, with a reason."""

    id: int | None = F(default=None, primary_key=True)
    agency_id: int = F(foreign_key="agency.id", index=True)
    period: str = F(index=True)
    reopened_at: dt.datetime
    reopened_by: str
    reason: str


# Bases of a task ↔ indicator link (issue 18): why the task is said to move the indicator.
LINK_TARGET = "chi_tieu"  # the task's own output states the indicator's target (KH 5399 appendix row)
LINK_COMPONENT = "thanh_phan"  # the plan groups the task under the index component the indicator measures
LINK_ADMIN = "quan_tri"  # added by an administrator
LINK_BASES = (LINK_TARGET, LINK_COMPONENT, LINK_ADMIN)


class TaskIndicator(SQLModel, table=True):
    """A task said to move an indicator, with the citation that says so (issue 18)."""

    __table_args__ = (UniqueConstraint("task_id", "indicator_id"),)
    id: int | None = F(default=None, primary_key=True)
    task_id: int = F(foreign_key="task.id", index=True)
    indicator_id: int = F(foreign_key="indicator.id", index=True)
    basis: str = LINK_ADMIN  # one of LINK_BASES
    source: str = ""  # the citation: document, seed file and line, or who added it and why
    created_at: dt.datetime
    created_by: str = ""


class ScorecardWeight(SQLModel, table=True):
    """An administrator's weight for one criterion of the agency scorecard (defaults in data_access/scorecard.py)."""

    criterion: str = F(primary_key=True)
    weight: float
    updated_at: dt.datetime
    updated_by: str = ""


class IndicatorProfile(SQLModel, table=True):
    """What a document states about how an indicator is computed (issue 18 passport): its numerator and
    denominator, with the citation (document, seed file and line). Absent: the documents do not say."""

    indicator_id: int = F(foreign_key="indicator.id", primary_key=True)
    numerator: str = ""
    denominator: str = ""
    source: str = ""


# --- the follow-up loop (issue 17): explanation requests, notes on a number, meeting conclusions ---

SUBJECT_INDICATOR = "chi_tieu"  # subject_code = Target.code (a "chỉ tiêu" judged red/amber/green)
SUBJECT_TASK = "nhiem_vu"  # subject_code = Task.code
SUBJECT_AGENCY = "co_quan"  # subject_code = str(Agency.id)
SUBJECT_MEASURE = "chi_so"  # subject_code = Indicator.code (a measured series: its trend chart)
SUBJECT_PERIOD = "ky"  # subject_code = "" (a note on a whole reporting period)


class ExplanationRequest(SQLModel, table=True):
    """A request that an agency explain a red indicator or an overdue task ("yêu cầu giải trình").

    Cycle: requested -> answered (Sở Nội vụ records the agency's letter) -> closed. The
    state is read from the timestamps (answered_at, closed_at), never stored twice.
    """

    __tablename__ = "explanation_request"
    id: int | None = F(default=None, primary_key=True)
    subject_kind: str = F(index=True)  # SUBJECT_INDICATOR or SUBJECT_TASK
    subject_code: str = F(index=True)
    subject_text: str = ""  # the item's name when asked, so the request reads on its own
    agency_id: int = F(foreign_key="agency.id", index=True)
    reason: str = F(sa_column=Column(Text, nullable=False))  # what must be explained
    due_date: dt.date
    requested_at: dt.datetime
    requested_by: str
    meeting: str = ""  # the meeting it was raised in, if any
    answer: str | None = F(default=None, sa_column=Column(Text, nullable=True))
    answer_document: str = ""  # the agency's letter, e.g. "Công văn 123/STP-VP ngày 05/12/2026"
    answered_on: dt.date | None = None  # the date of the agency's answer
    answered_at: dt.datetime | None = None
    answered_by: str | None = None
    closed_at: dt.datetime | None = None
    closed_by: str | None = None
    close_note: str = ""
    notified_at: dt.datetime | None = None  # the request's e-mail went out
    reminded_at: dt.datetime | None = None  # the latest reminder went out


class NumberNote(SQLModel, table=True):
    """A dated, signed note on a number: an indicator's value (in a period, or in general), a task,
    or a whole period ("quý II giảm do chuyển đổi phần mềm một cửa").

    Deleting keeps the row (deleted_at set) so the audit can name it; meeting snapshots copy the
    notes into their payload, so a frozen snapshot keeps a note as it was when frozen.
    """

    __tablename__ = "number_note"
    id: int | None = F(default=None, primary_key=True)
    subject_kind: str = F(index=True)  # SUBJECT_MEASURE, SUBJECT_TASK or SUBJECT_PERIOD
    subject_code: str = F(default="", index=True)
    period: str = ""  # "2026-Q2", "2025" or "" (not tied to one period)
    text: str = F(sa_column=Column(Text, nullable=False))
    author: str
    created_at: dt.datetime
    updated_at: dt.datetime | None = None
    updated_by: str | None = None
    deleted_at: dt.datetime | None = None
    deleted_by: str | None = None


class MeetingConclusion(SQLModel, table=True):
    """A conclusion recorded in a review meeting (a frozen snapshot), against a slide's item
    (a target, a task, an agency) or the meeting as a whole. `task_id` is set when it became
    a task of the "Kết luận giao ban" plan, tracked like every other task."""

    __tablename__ = "meeting_conclusion"
    id: int | None = F(default=None, primary_key=True)
    snapshot_id: int = F(foreign_key="snapshot.id", index=True)
    subject_kind: str = ""  # SUBJECT_INDICATOR, SUBJECT_TASK, SUBJECT_AGENCY or "" (the meeting as a whole)
    subject_code: str = ""
    subject_text: str = ""
    text: str = F(sa_column=Column(Text, nullable=False))
    created_at: dt.datetime
    created_by: str
    task_id: int | None = F(default=None, foreign_key="task.id")
class NoticeLog(SQLModel, table=True):
    """One e-mail notice sent by `python -m data_access notify`; `key` makes sending idempotent.

    key: "reminder:<period>:<agency id>", "overdue:<period>:<agency id>" or "digest:<period>:<content hash>".
    """

    id: int | None = F(default=None, primary_key=True)
    key: str = F(unique=True)
    kind: str  # reminder / overdue / digest
    period: str = F(index=True)
    agency_id: int | None = F(default=None, foreign_key="agency.id")
    recipient: str
    subject: str
    sent_at: dt.datetime
