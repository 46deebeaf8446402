"""Reminders and past-due notices (issue 16, item 3) sent to a real SMTP server (aiosmtpd on 127.0.0.1).

Quý III/2026 ends 30/09/2026; its return is due 15/10/2026 (quarter end + CCHC_RETURN_DUE_DAYS = 15).
With reminders starting 7 days before (CCHC_REMINDER_DAYS), 10/10/2026 is inside the reminder window and
20/10/2026 is past due. The messages are read back from the server: recipients, Vietnamese subject and
body with what is missing, each notice once, never again on a second run, nothing for a received return.
"""

from __future__ import annotations

import datetime as dt
import email
import email.policy
import json
import os
import socket
import subprocess
import sys
from collections.abc import Iterator
from dataclasses import dataclass, field
from email.message import EmailMessage
from typing import Any

import pytest
from aiosmtpd.controller import Controller
from sqlalchemy import text
from sqlalchemy.engine import Engine

from data_access import notify as nt
from data_access.catalogue import set_contact_email
from data_access.mailer import SmtpSettings
from data_access.permissions import Actor, PermissionDenied
from data_access.returns import obligations, owed_tasks
from tests.conftest import ROOT
from tests.test_returns import SNV, _apply

ADMIN = Actor("quantri", "quan_tri")
TP = "Sở Tư pháp"
DIGEST_TO = "tonghop@snv.example.invalid"
SNV_MAIL = "vanthu@snv.example.invalid"
TP_MAIL = "vanthu@stp.example.invalid"
IN_WINDOW = dt.date(2026, 10, 10)  # 5 days before 15/10/2026
PAST_DUE = dt.date(2026, 10, 20)
RECEIVED_EARLY = dt.datetime(2026, 10, 5, 2, 0, tzinfo=dt.UTC)  # 05/10/2026 09:00 Vietnam time


@dataclass
class Inbox:
    messages: list[tuple[list[str], EmailMessage]] = field(default_factory=list)

    async def handle_DATA(self, server: Any, session: Any, envelope: Any) -> str:  # noqa: N802 - aiosmtpd's hook name
        raw = envelope.original_content or envelope.content
        msg = email.message_from_bytes(raw, policy=email.policy.default)
        self.messages.append((list(envelope.rcpt_tos), msg))  # type: ignore[arg-type]
        return "250 OK"

    def to(self, address: str) -> list[EmailMessage]:
        return [msg for rcpt, msg in self.messages if address in rcpt]


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@pytest.fixture
def smtp() -> Iterator[tuple[Inbox, SmtpSettings]]:
    inbox = Inbox()
    port = _free_port()
    controller = Controller(inbox, hostname="127.0.0.1", port=port)
    controller.start()
    try:
        yield inbox, SmtpSettings("127.0.0.1", port, None, None, "cchc@khanhhoa.example.invalid", False)
    finally:
        controller.stop()


def _agency_id(db: Engine, name: str) -> int:
    with db.connect() as conn:
        return int(conn.execute(text("SELECT id FROM agency WHERE name = :n"), {"n": name}).scalar_one())


def _addresses(db: Engine) -> None:
    set_contact_email(db, ADMIN, _agency_id(db, SNV), SNV_MAIL)
    set_contact_email(db, ADMIN, _agency_id(db, TP), TP_MAIL)


def _log_count(db: Engine) -> int:
    with db.connect() as conn:
        return int(conn.execute(text("SELECT count(*) FROM noticelog")).scalar_one())


def _body(msg: EmailMessage) -> str:
    part = msg.get_body(("plain",))
    assert part is not None
    return str(part.get_content())


def test_reminder_once_never_for_a_received_return(db: Engine, smtp: tuple[Inbox, SmtpSettings]) -> None:
    inbox, settings = smtp
    _addresses(db)
    _apply(db, RECEIVED_EARLY)  # Sở Nội vụ's Q3 return, received 05/10/2026
    q3 = {o.agency: o for o in obligations(db, "2026-Q3", today=IN_WINDOW)}
    assert q3[SNV].received_at is not None and q3[TP].received_at is None  # both owe; only Tư pháp is missing

    report = nt.notify(db, IN_WINDOW, smtp=settings, days_before=7, digest_to=DIGEST_TO)
    assert not report.errors
    reminders = [m for m in inbox.to(TP_MAIL) if "Nhắc nộp" in str(m["Subject"])]
    assert len(reminders) == 1
    msg = reminders[0]
    assert msg["Subject"] == "[CCHC Khánh Hòa] Nhắc nộp báo cáo CCHC Quý III/2026, hạn 15/10/2026"
    assert msg["From"] == "cchc@khanhhoa.example.invalid" and msg["To"] == TP_MAIL
    body = _body(msg)
    assert f"Kính gửi {TP}," in body and "còn 5 ngày" in body and "Đến ngày 10/10/2026" in body
    tp_tasks = owed_tasks(db, "2026-Q3", _agency_id(db, TP))
    assert tp_tasks and all(f"- {code}:" in body for code, _ in tp_tasks[:nt.TASKS_LISTED])
    # Nothing for a received return: no Q3 message of any kind to Sở Nội vụ.
    assert not [m for m in inbox.to(SNV_MAIL) if "Quý III/2026" in str(m["Subject"])]
    # The digest names Tư pháp among the not yet received, and says who has no address.
    digests = inbox.to(DIGEST_TO)
    assert len(digests) == 1
    digest = _body(digests[0])
    q3_block = digest.split("Quý III/2026 (hạn nộp 15/10/2026)")[1].split("\n\n")[0]
    reminded = q3_block.split("Sắp đến hạn, chưa nộp:\n")[1]
    assert "  - Sở Tư pháp\n" in reminded and f"  - {SNV}" not in q3_block
    assert "(chưa có địa chỉ e-mail, không gửi được thư)" in digest
    assert {n.agency for n in report.no_address} >= {o.agency for o in q3.values()
                                                      if o.agency not in (SNV, TP) and o.received_at is None}
    sent = len(inbox.messages)
    assert sent == len(report.sent) == _log_count(db)

    again = nt.notify(db, IN_WINDOW, smtp=settings, days_before=7, digest_to=DIGEST_TO)
    assert again.sent == [] and again.already_sent == sent
    assert len(inbox.messages) == sent and _log_count(db) == sent  # never twice


def test_past_due_notice_lists_the_missing_tasks_once(db: Engine, smtp: tuple[Inbox, SmtpSettings]) -> None:
    inbox, settings = smtp
    _addresses(db)
    report = nt.notify(db, PAST_DUE, smtp=settings, days_before=7, digest_to=DIGEST_TO)
    assert not report.errors
    overdue = [m for m in inbox.to(SNV_MAIL) if m["Subject"] == "[CCHC Khánh Hòa] Quá hạn nộp báo cáo CCHC Quý III/2026: "
               f"{SNV}"]
    assert len(overdue) == 1
    body = _body(overdue[0])
    assert "đã quá hạn 5 ngày (hạn nộp 15/10/2026)" in body
    assert "- SNV26-P1-07:" in body and "- SNV26-P1-08:" in body  # the tasks its Q3 return must report
    # The return then arrives (late): no further notice for it, even on later days.
    _apply(db, dt.datetime(2026, 10, 21, 3, 0, tzinfo=dt.UTC))
    before = len(inbox.messages)
    later = nt.notify(db, dt.date(2026, 10, 22), smtp=settings, days_before=7, digest_to=DIGEST_TO)
    assert not [m for _, m in inbox.messages[before:] if "Quý III/2026" in str(m["Subject"])
                and SNV_MAIL in str(m["To"])]
    assert all(not (n.agency == SNV and n.period == "2026-Q3") for n in later.sent)


def test_dry_run_sends_and_logs_nothing(db: Engine, smtp: tuple[Inbox, SmtpSettings]) -> None:
    inbox, settings = smtp
    _addresses(db)
    report = nt.notify(db, PAST_DUE, dry_run=True, smtp=settings, days_before=7, digest_to=DIGEST_TO)
    assert {n.to for n in report.sent} == {SNV_MAIL, TP_MAIL, DIGEST_TO}
    assert inbox.messages == [] and _log_count(db) == 0


def test_contact_email_is_checked_and_for_administrators(db: Engine) -> None:
    tp = _agency_id(db, TP)
    with pytest.raises(ValueError, match="Địa chỉ e-mail không hợp lệ"):
        set_contact_email(db, ADMIN, tp, "vanthu@stp, khac@stp.vn")
    with pytest.raises(PermissionDenied):
        set_contact_email(db, Actor("chuyenvien", "chuyen_vien"), tp, TP_MAIL)
    assert set_contact_email(db, ADMIN, tp, f"  {TP_MAIL} ") == TP_MAIL
    with db.connect() as conn:
        detail = conn.execute(text("SELECT detail FROM auditlog WHERE action = 'dat_email_co_quan'")).scalar_one()
    assert detail == f"{TP}: e-mail nhận nhắc báo cáo (chưa có) -> {TP_MAIL}"


def test_cli_notify_json_sends_once_and_dry_run(db: Engine, smtp: tuple[Inbox, SmtpSettings]) -> None:
    inbox, settings = smtp
    _addresses(db)
    env = {**os.environ, "CCHC_SMTP_HOST": "127.0.0.1", "CCHC_SMTP_PORT": str(settings.port),
           "CCHC_SMTP_FROM": settings.sender, "CCHC_NOTIFY_DIGEST_TO": DIGEST_TO, "CCHC_REMINDER_DAYS": "7"}

    def run(*extra: str) -> subprocess.CompletedProcess[str]:
        return subprocess.run([sys.executable, "-m", "data_access", "notify", "--as-of", "2026-10-20", *extra],
                              cwd=ROOT, env=env, capture_output=True, text=True, timeout=120)

    dry = run("--dry-run")
    assert dry.returncode == 0, dry.stderr
    assert "Sẽ gửi (chạy thử, không gửi, không ghi gì)" in dry.stdout and "Quá hạn nộp báo cáo CCHC Quý III/2026" in dry.stdout
    assert inbox.messages == [] and _log_count(db) == 0
    env_full = env
    env = {k: v for k, v in env_full.items() if k != "CCHC_SMTP_HOST"}
    unset = run()
    assert unset.returncode == 2 and "CCHC_SMTP_HOST" in unset.stderr and _log_count(db) == 0
    env = env_full
    first = run("--json")
    assert first.returncode == 0, first.stderr
    out = json.loads(first.stdout)
    assert out["sent"] and {n["to"] for n in out["sent"]} == {SNV_MAIL, TP_MAIL, DIGEST_TO}
    assert len(inbox.messages) == len(out["sent"])
    second = json.loads(run("--json").stdout)
    assert second["sent"] == [] and second["already_sent"] == len(out["sent"])
    assert len(inbox.messages) == len(out["sent"])


def test_an_explanation_request_is_mailed_once_then_reminded_past_due(db: Engine,
                                                                      smtp: tuple[Inbox, SmtpSettings]) -> None:
    """Issue 17: the request goes to the agency's address once; past its due date a reminder says so; each is
    recorded on the request and in the send log, never sent twice; an answered request gets nothing more."""
    from data_access import follow_up
    from data_access import models as m

    inbox, settings = smtp
    _addresses(db)
    with db.connect() as conn:
        task = str(conn.execute(text("SELECT code FROM task ORDER BY id")).scalars().first())
    asked = dt.date(2026, 11, 2)
    rid = follow_up.raise_request(db, Actor("lanhdao", "lanh_dao"), m.SUBJECT_TASK, task, _agency_id(db, TP),
                                  "Giải thích vì sao chưa hoàn thành", dt.date(2026, 11, 16), today=asked)

    def mails() -> list[EmailMessage]:
        return [msg for msg in inbox.to(TP_MAIL) if "giải trình" in str(msg["Subject"])]

    nt.notify(db, asked, smtp=settings, days_before=7, digest_to=DIGEST_TO)
    first = mails()
    assert len(first) == 1 and "Đề nghị giải trình" in str(first[0]["Subject"]) and task in str(first[0]["Subject"])
    assert "Giải thích vì sao chưa hoàn thành" in _body(first[0]) and "16/11/2026" in _body(first[0])
    nt.notify(db, asked, smtp=settings, days_before=7, digest_to=DIGEST_TO)
    assert len(mails()) == 1  # never twice
    late = dt.date(2026, 11, 20)
    nt.notify(db, late, smtp=settings, days_before=7, digest_to=DIGEST_TO)
    nt.notify(db, late, smtp=settings, days_before=7, digest_to=DIGEST_TO)
    second = mails()
    assert len(second) == 2 and "Quá hạn giải trình" in str(second[1]["Subject"])
    assert "Đã quá hạn 4 ngày" in _body(second[1])
    with db.connect() as conn:
        row = conn.execute(text("SELECT notified_at, reminded_at FROM explanation_request WHERE id = :i"),
                           {"i": rid}).one()
    assert row.notified_at is not None and row.reminded_at is not None
    follow_up.record_answer(db, Actor("chuyenvien", "chuyen_vien"), rid, "Do chuyển đổi phần mềm",
                            "Công văn 12/STP-VP", dt.date(2026, 11, 21))
    nt.notify(db, dt.date(2026, 11, 30), smtp=settings, days_before=7, digest_to=DIGEST_TO)
    assert len(mails()) == 2  # answered: nothing more
