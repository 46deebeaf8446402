"""Reminders and past-due notices for quarterly returns, by e-mail (issue 16, item 3). Pure core.

Run by cron or a systemd timer: `python -m data_access notify [--dry-run] [--json]` (never inside Streamlit).
For the quarters around `today` (the running one and the `LOOKBACK` latest ended ones), per obligation
(`returns.obligations`) not yet received:

- a reminder ("reminder") from `CCHC_REMINDER_DAYS` (default 7) days before the due date up to the due date;
- a past-due notice ("overdue") after the due date, listing the tasks whose progress the return owes;

each to the agency's contact address (`agency.contact_email`, set on the Danh mục cơ quan page). Explanation
requests (issue 17, `follow_up.requests_needing_notice`) go the same way: a new request, then reminders
before and after its due date ("giai_trinh"), each recorded on the request once sent. Then one
digest ("digest") to Sở Nội vụ (`CCHC_NOTIFY_DIGEST_TO`) summarising each quarter concerned: who is
missing, who was reminded, who has no address.

Idempotent: every notice has a key ("reminder:2026-Q3:5", "overdue:2026-Q3:5", "digest:2026-Q3:<hash of its
content>"); a sent notice is written to `noticelog` after the SMTP server accepted it, and a key already
there is never sent again. A received return gets nothing. `dry_run` sends and writes nothing. An agency
with no address is reported (and named in the digest), never an error; once it has one, it gets the notice.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import smtplib
from dataclasses import asdict, dataclass, field
from typing import Any

from sqlalchemy import select
from sqlalchemy.engine import Engine
from sqlalchemy.exc import IntegrityError
from sqlmodel import Session

from data_access import follow_up as fu
from data_access import models as m
from data_access import returns as rt
from data_access import settings
from data_access.clock import VN_TZ, now_utc, today_vn
from data_access.mailer import Mailer, SmtpSettings
from data_access.periods import period_of
from data_access.permissions import ROLE_STAFF, Actor
from data_access.tables import AG, NL
from data_access.vn import fmt_date, fmt_period

REMINDER, OVERDUE, DIGEST, EXPLANATION = "reminder", "overdue", "digest", "giai_trinh"
KIND_LABELS = {REMINDER: "nhắc hạn", OVERDUE: "quá hạn", DIGEST: "tổng hợp", EXPLANATION: "giải trình"}
# The notifier's identity in the audit log when it records that a request's notice went out.
NOTIFIER = Actor("he_thong_nhac_viec", ROLE_STAFF)
LOOKBACK = 4  # ended quarters whose missing returns still get a past-due notice
TASKS_LISTED = 40  # a longer list is cut, saying how many more
PREFIX = "[CCHC Khánh Hòa]"


def reminder_days() -> int:
    """CCHC_REMINDER_DAYS (default 7): how many days before the due date reminders start."""
    raw = settings.raw("CCHC_REMINDER_DAYS") or settings.BY_ENV["CCHC_REMINDER_DAYS"].default or "7"
    if not raw.isdigit():
        raise ValueError(f"CCHC_REMINDER_DAYS phải là số ngày (số nguyên không âm), nhận được {raw!r}.")
    return int(raw)


def digest_address() -> str | None:
    """CCHC_NOTIFY_DIGEST_TO: Sở Nội vụ's address for the digest (None: no digest is sent)."""
    return settings.raw("CCHC_NOTIFY_DIGEST_TO")


@dataclass(frozen=True)
class Notice:
    key: str
    kind: str
    period: str
    agency_id: int | None
    agency: str  # "Sở Nội vụ (tổng hợp)" for the digest
    to: str | None  # None: the agency has no contact address
    subject: str
    body: str
    request: tuple[int, str] | None = None  # (request id, follow_up notice kind) for an explanation request

    def as_json(self) -> dict[str, Any]:
        return asdict(self)


@dataclass
class NotifyReport:
    dry_run: bool
    sent: list[Notice] = field(default_factory=list)  # in a dry run: what would be sent
    no_address: list[Notice] = field(default_factory=list)
    already_sent: int = 0
    errors: list[str] = field(default_factory=list)

    def as_json(self) -> dict[str, Any]:
        return {"dry_run": self.dry_run, "sent" if not self.dry_run else "would_send": [n.as_json() for n in self.sent],
                "no_address": [{"kind": n.kind, "period": n.period, "agency": n.agency} for n in self.no_address],
                "already_sent": self.already_sent, "errors": self.errors}


def _contacts(engine: Engine) -> dict[int, str | None]:
    with engine.connect() as conn:
        return {int(r.id): (r.contact_email or None) for r in conn.execute(select(AG.c.id, AG.c.contact_email))}


def _task_lines(engine: Engine, period: str, agency_id: int) -> list[str]:
    tasks = rt.owed_tasks(engine, period, agency_id)
    lines = [f"  - {code}: {text[:160]}{'…' if len(text) > 160 else ''}" for code, text in tasks[:TASKS_LISTED]]
    if len(tasks) > TASKS_LISTED:
        lines.append(f"  - … và {len(tasks) - TASKS_LISTED} nhiệm vụ khác")
    return lines


def _reminder(engine: Engine, o: rt.Obligation, to: str | None, today: dt.date) -> Notice:
    left = (o.due - today).days
    subject = f"{PREFIX} Nhắc nộp báo cáo CCHC {fmt_period(o.period)}, hạn {fmt_date(o.due)}"
    body = "\n".join([
        f"Kính gửi {o.agency},",
        "",
        f"Hạn nộp báo cáo kết quả thực hiện nhiệm vụ cải cách hành chính {fmt_period(o.period)} là ngày "
        f"{fmt_date(o.due)} ({'hôm nay' if left == 0 else f'còn {left} ngày'}). Đến ngày {fmt_date(today)}, "
        "Sở Nội vụ chưa nhận được báo cáo của cơ quan.",
        "",
        "Báo cáo cần cập nhật tiến độ các nhiệm vụ cơ quan chủ trì:",
        *_task_lines(engine, o.period, o.agency_id),
        "",
        "Nếu cơ quan đã gửi báo cáo, xin bỏ qua thư này.",
        "Thư gửi tự động từ hệ thống theo dõi CCHC tỉnh Khánh Hòa.",
    ])
    return Notice(f"{REMINDER}:{o.period}:{o.agency_id}", REMINDER, o.period, o.agency_id, o.agency, to, subject, body)


def _overdue(engine: Engine, o: rt.Obligation, to: str | None, today: dt.date, others: list[rt.Obligation]) -> Notice:
    late = (today - o.due).days
    subject = f"{PREFIX} Quá hạn nộp báo cáo CCHC {fmt_period(o.period)}: {o.agency}"
    body = [
        f"Kính gửi {o.agency},",
        "",
        f"Báo cáo kết quả thực hiện nhiệm vụ cải cách hành chính {fmt_period(o.period)} của cơ quan đã quá hạn "
        f"{late} ngày (hạn nộp {fmt_date(o.due)}). Đến ngày {fmt_date(today)}, Sở Nội vụ chưa nhận được báo cáo.",
        "",
        f"Còn thiếu: báo cáo {fmt_period(o.period)}, gồm tiến độ các nhiệm vụ cơ quan chủ trì:",
        *_task_lines(engine, o.period, o.agency_id),
    ]
    if others:
        body += ["", "Các báo cáo khác của cơ quan cũng chưa nhận được: "
                 + "; ".join(f"{fmt_period(x.period)} (hạn {fmt_date(x.due)})" for x in others) + "."]
    body += ["", "Đề nghị cơ quan gửi báo cáo cho Sở Nội vụ sớm nhất.",
             "Thư gửi tự động từ hệ thống theo dõi CCHC tỉnh Khánh Hòa."]
    return Notice(f"{OVERDUE}:{o.period}:{o.agency_id}", OVERDUE, o.period, o.agency_id, o.agency, to, subject,
                  "\n".join(body))


def _digest(period_items: dict[str, list[rt.Obligation]], notices: list[Notice], to: str | None,
            today: dt.date) -> Notice | None:
    """One digest for Sở Nội vụ over the quarters that have a reminder or a past-due notice; None if none."""
    concerned = sorted({n.period for n in notices}, reverse=True)
    if not concerned:
        return None
    lines: list[str] = []
    for period in concerned:
        items = period_items[period]
        s = rt.summary(items)
        lines += ["", f"{fmt_period(period)} (hạn nộp {fmt_date(rt.due_date(period))}): phải nộp {s['expected']}, "
                      f"đã nộp {s['received']} (đúng hạn {s['on_time']}, trễ hạn {s['late']}), "
                      f"chưa nộp quá hạn {s['missing']}, chưa đến hạn {s['not_due']}."]
        for kind, title in ((OVERDUE, "Quá hạn, chưa nộp"), (REMINDER, "Sắp đến hạn, chưa nộp")):
            these = [n for n in notices if n.period == period and n.kind == kind]
            if these:
                lines.append(f"{title}:")
                lines += [f"  - {n.agency}{'' if n.to else ' (chưa có địa chỉ e-mail, không gửi được thư)'}"
                          for n in these]
    content = "\n".join(lines)
    digest_hash = hashlib.sha256(content.encode("utf-8")).hexdigest()[:16]
    subject = f"{PREFIX} Tổng hợp tình hình nộp báo cáo CCHC {', '.join(fmt_period(p) for p in concerned)}"
    body = (f"Kính gửi Sở Nội vụ,\n\nTình hình nộp báo cáo quý của các cơ quan đến ngày {fmt_date(today)}:\n{content}\n\n"
            "Thư gửi tự động từ hệ thống theo dõi CCHC tỉnh Khánh Hòa.")
    return Notice(f"{DIGEST}:{concerned[0]}:{digest_hash}", DIGEST, concerned[0], None, "Sở Nội vụ (tổng hợp)", to,
                  subject, body)


def _explanation(n: fu.Notice, to: str | None, today: dt.date) -> Notice:
    """An explanation request's notice: new, reminder or overdue (`follow_up.notices_due` decides which)."""
    what = "chỉ tiêu" if n.subject_kind == m.SUBJECT_INDICATOR else "nhiệm vụ"
    head = {fu.NOTICE_NEW: "Đề nghị giải trình", fu.NOTICE_REMINDER: "Nhắc hạn giải trình",
            fu.NOTICE_OVERDUE: "Quá hạn giải trình"}[n.kind]
    subject = f"{PREFIX} {head} về {what} {n.subject_code}, hạn {fmt_date(n.due_date)}"
    late = f" Đã quá hạn {n.days_overdue} ngày." if n.kind == fu.NOTICE_OVERDUE else ""
    body = "\n".join([
        f"Kính gửi {n.agency},",
        "",
        f"Đề nghị cơ quan giải trình về {what} {n.subject_code}: {n.subject_text}",
        f"Nội dung cần giải trình: {n.reason}",
        f"Hạn gửi văn bản giải trình: {fmt_date(n.due_date)}.{late}",
        "",
        "Văn bản giải trình gửi Sở Nội vụ; Sở Nội vụ ghi nhận vào hệ thống theo dõi CCHC (trang Giải trình).",
        "Thư gửi tự động từ hệ thống theo dõi CCHC tỉnh Khánh Hòa.",
    ])
    # One key per notice and day: a reminder repeats only when `notices_due` says so again (days later).
    key = f"{EXPLANATION}:{n.request_id}:{n.kind}" + ("" if n.kind == fu.NOTICE_NEW else f":{today.isoformat()}")
    return Notice(key, EXPLANATION, period_of(n.due_date), n.agency_id, n.agency, to, subject, body,
                  request=(n.request_id, n.kind))


def plan_notices(engine: Engine, today: dt.date | None = None, *, days_before: int | None = None,
                 digest_to: str | None = None) -> list[Notice]:
    """Every notice due on `today` (Vietnam date), sent or not: agency notices, then the digest (if any).

    `days_before` defaults to CCHC_REMINDER_DAYS, `digest_to` to CCHC_NOTIFY_DIGEST_TO.
    """
    today = today or today_vn()
    n_days = reminder_days() if days_before is None else days_before
    digest_to = digest_to if digest_to is not None else digest_address()
    contacts = _contacts(engine)
    periods = sorted({period_of(today), *rt.recent_quarters(today, LOOKBACK)}, reverse=True)
    period_items = {p: rt.obligations(engine, p, today=today) for p in periods}
    missing_by_agency: dict[int, list[rt.Obligation]] = {}
    for items in period_items.values():
        for o in items:
            if o.status == rt.MISSING:
                missing_by_agency.setdefault(o.agency_id, []).append(o)
    notices: list[Notice] = []
    for period in periods:
        for o in period_items[period]:
            if o.received_at is not None:
                continue  # received: nothing to remind of
            to = contacts.get(o.agency_id)
            if o.status == rt.NOT_DUE and (o.due - today).days <= n_days:
                notices.append(_reminder(engine, o, to, today))
            elif o.status == rt.MISSING:
                others = [x for x in missing_by_agency[o.agency_id] if x.period != o.period]
                notices.append(_overdue(engine, o, to, today, others))
    digest = _digest(period_items, notices, digest_to, today)
    requests = [_explanation(n, contacts.get(n.agency_id), today) for n in fu.requests_needing_notice(engine, today)]
    return notices + requests + ([digest] if digest is not None else [])


def sent_keys(engine: Engine) -> set[str]:
    with engine.connect() as conn:
        return {str(k) for k in conn.execute(select(NL.c.key)).scalars()}


def _log(engine: Engine, n: Notice) -> bool:
    """Record a sent notice; False if another run recorded the same key meanwhile."""
    assert n.to is not None
    try:
        with Session(engine) as session:
            session.add(m.NoticeLog(key=n.key, kind=n.kind, period=n.period, agency_id=n.agency_id, recipient=n.to,
                                    subject=n.subject, sent_at=m.utcnow()))
            session.commit()
    except IntegrityError:
        return False
    return True


def notify(engine: Engine, today: dt.date | None = None, *, dry_run: bool = False,
           smtp: SmtpSettings | None = None, days_before: int | None = None,
           digest_to: str | None = None) -> NotifyReport:
    """Send the notices due on `today` that were never sent (see the module docstring).

    `smtp` defaults to `SmtpSettings.from_env()` (raises `MailerNotConfigured`, nothing sent, when unset;
    not needed for a dry run). A message the server refuses is reported in `errors` and not logged, so the
    next run tries it again.
    """
    report = NotifyReport(dry_run=dry_run)
    # The run's moment: now, or noon (Vietnam time) of the day the run is for (a catch-up run for an earlier day).
    real_today = today_vn()
    stamp = now_utc() if today is None or today == real_today else dt.datetime.combine(
        today, dt.time(12), tzinfo=VN_TZ).astimezone(dt.UTC)
    done = sent_keys(engine)
    pending: list[Notice] = []
    for n in plan_notices(engine, today, days_before=days_before, digest_to=digest_to):
        if n.key in done:
            report.already_sent += 1
        elif n.to is None:
            report.no_address.append(n)
        else:
            pending.append(n)
    if dry_run or not pending:
        report.sent = pending if dry_run else []
        return report
    settings = smtp or SmtpSettings.from_env()
    try:
        with Mailer(settings) as mail:
            for n in pending:
                try:
                    mail.send(n.to or "", n.subject, n.body)
                except (smtplib.SMTPException, OSError) as exc:
                    report.errors.append(f"Không gửi được thư {KIND_LABELS[n.kind]} {fmt_period(n.period)} cho "
                                         f"{n.agency} ({n.to}): {exc.__class__.__name__}: {exc}")
                    continue
                if _log(engine, n):
                    report.sent.append(n)
                    if n.request is not None:  # the request itself says its notice went out
                        fu.mark_notice_sent(engine, NOTIFIER, *n.request, now=stamp)
    except (smtplib.SMTPException, OSError) as exc:
        report.errors.append(f"Không kết nối được máy chủ thư {settings.host}:{settings.port}: "
                             f"{exc.__class__.__name__}: {exc}")
    return report
