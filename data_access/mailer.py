"""Sending e-mail over SMTP (issue 16: reminders and past-due notices). Pure core (no Streamlit).

Settings come from the environment (README, "Cấu hình"):
CCHC_SMTP_HOST (required to send), CCHC_SMTP_PORT (default 25; 587 with STARTTLS), CCHC_SMTP_USER and
CCHC_SMTP_PASSWORD (login only when a user is set), CCHC_SMTP_FROM (the sender address),
CCHC_SMTP_STARTTLS (1/true/yes to upgrade the connection with STARTTLS before login).
"""

from __future__ import annotations

import os
import smtplib
import ssl
from dataclasses import dataclass
from email.message import EmailMessage
from email.utils import formatdate, make_msgid
from types import TracebackType

from data_access import settings

TIMEOUT_SECONDS = 30


class MailerNotConfigured(ValueError):
    """The SMTP settings are missing or invalid; the message (Vietnamese) says which."""


@dataclass(frozen=True)
class SmtpSettings:
    host: str
    port: int
    user: str | None
    password: str | None
    sender: str
    starttls: bool

    @classmethod
    def from_env(cls) -> SmtpSettings:
        """Read the CCHC_SMTP_* variables; `MailerNotConfigured` when the host or sender is missing."""
        host = settings.raw("CCHC_SMTP_HOST") or ""
        sender = settings.raw("CCHC_SMTP_FROM") or ""
        if not host or not sender:
            raise MailerNotConfigured("Chưa cấu hình gửi thư: cần đặt biến môi trường CCHC_SMTP_HOST và CCHC_SMTP_FROM "
                                      "(xem README, mục Cấu hình). Chạy với --dry-run để xem trước các thư.")
        raw_port = settings.raw("CCHC_SMTP_PORT") or "25"
        if not raw_port.isdigit():
            raise MailerNotConfigured(f"CCHC_SMTP_PORT phải là số cổng, nhận được {raw_port!r}.")
        user = settings.raw("CCHC_SMTP_USER")
        starttls = (settings.raw("CCHC_SMTP_STARTTLS") or "").lower() in ("1", "true", "yes", "co", "có")
        password = os.environ.get("CCHC_SMTP_PASSWORD")  # as set: a password may begin or end with a space
        return cls(host, int(raw_port), user, password, sender, starttls)


def build_message(sender: str, to: str, subject: str, body: str) -> EmailMessage:
    """A plain-text UTF-8 message (Vietnamese subject encoded per RFC 2047 by the email package)."""
    msg = EmailMessage()
    msg["From"] = sender
    msg["To"] = to
    msg["Subject"] = subject
    msg["Date"] = formatdate(localtime=True)
    msg["Message-ID"] = make_msgid(domain=sender.rpartition("@")[2] or None)
    msg.set_content(body, charset="utf-8")
    return msg


class Mailer:
    """One SMTP connection for a batch of messages: `with Mailer(settings) as mail: mail.send(...)`."""

    def __init__(self, settings: SmtpSettings) -> None:
        self.settings = settings
        self._smtp: smtplib.SMTP | None = None

    def __enter__(self) -> Mailer:
        s = self.settings
        smtp = smtplib.SMTP(s.host, s.port, timeout=TIMEOUT_SECONDS)
        try:
            if s.starttls:
                smtp.starttls(context=ssl.create_default_context())
            if s.user:
                smtp.login(s.user, s.password or "")
        except Exception:
            smtp.close()
            raise
        self._smtp = smtp
        return self

    def __exit__(self, kind: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None) -> None:
        if self._smtp is not None:
            try:
                self._smtp.quit()
            except smtplib.SMTPException:
                self._smtp.close()
            self._smtp = None

    def send(self, to: str, subject: str, body: str) -> None:
        """Send one message; SMTP errors propagate (the caller records nothing for a failed send)."""
        if self._smtp is None:
            raise RuntimeError("Mailer used outside its with-block")
        self._smtp.send_message(build_message(self.settings.sender, to, subject, body))
