"""Sign-in throttling: progressive delays, never a lock-out (streamlit-free core).

Policy (OWASP Authentication Cheat Sheet, "Protect against automated attacks":
progressive delays instead of a lock-out an attacker could impose on the real user):

* Every failed sign-in is counted under three keys, in the database so that all
  replicas share the counts: the client address (``ip:``), the account name as
  typed (``tk:``), and the pair of both (``cap:``). Unknown account names are
  counted exactly like existing ones, so the answers never reveal which exist.
* After ``threshold`` failures on a key, the next attempt on that key must wait
  ``base * 2**(failures - threshold)`` seconds, at most ``cap`` seconds: the delay
  grows and is bounded. See :data:`RULES`.
* The account key only applies to clients that have failed themselves within the
  window: five wrong passwords for ``quantri`` from one address slow that address
  down, while the administrator signing in from another address is not delayed.
  An attacker spread over many addresses is still slowed by the account key from
  each address's first failure on.
* A counter is forgotten :data:`WINDOW` after its last failure; writes delete the
  expired rows, so the table stays bounded. A successful sign-in clears the
  account and pair keys (not the address key: a valid account of one's own must
  not reset the address counter).
* While a delay runs, an attempt is refused without checking the password (no
  bcrypt work for the attacker to spend) and with the same text for every name.
* Every failure and every delayed attempt is written to the audit log with its
  source (the client address).

The caller supplies ``client``: behind the reverse proxy it is the address the
proxy saw (see ``ui.signin.client_address`` for the trust rule).
"""

from __future__ import annotations

import datetime as dt
import math
from dataclasses import dataclass

from sqlalchemy import delete, select, update
from sqlalchemy.engine import Engine
from sqlalchemy.exc import IntegrityError
from sqlmodel import Session

from data_access import models
from data_access.accounts import CredentialStore, normalize_username
from data_access.tables import TH

WINDOW = dt.timedelta(hours=1)
MAX_NAME_CHARS = 64  # a typed name longer than this is cut (it is stored in keys and the audit log)
UNKNOWN_CLIENT = "không rõ"

ACTION_FAILED = "dang_nhap_sai"
ACTION_DELAYED = "dang_nhap_tam_hoan"
ACTION_SIGNED_IN = "dang_nhap"

MESSAGE_FAILED = "Tên đăng nhập hoặc mật khẩu không đúng."


@dataclass(frozen=True)
class Rule:
    """No delay below ``threshold`` failures; then ``base * 2**(n - threshold)`` seconds, at most ``cap``."""

    threshold: int
    base: float
    cap: float

    def delay(self, failures: int) -> float:
        if failures < self.threshold:
            return 0.0
        return float(min(self.cap, self.base * 2 ** min(failures - self.threshold, 32)))


RULES: dict[str, Rule] = {
    "cap": Rule(threshold=3, base=2, cap=60),  # one account from one address
    "tk": Rule(threshold=5, base=2, cap=60),  # one account, from addresses that failed themselves
    "ip": Rule(threshold=10, base=2, cap=60),  # one address, any account (offices share an address)
}


def _name(username: str) -> str:
    return normalize_username(username or "")[:MAX_NAME_CHARS]


def _keys(username: str, client: str) -> dict[str, str]:
    name, source = _name(username), (client or UNKNOWN_CLIENT)[:100]
    return {"ip": f"ip:{source}", "tk": f"tk:{name}", "cap": f"cap:{name}@{source}"}


def _utc(moment: dt.datetime) -> dt.datetime:
    return moment.astimezone(dt.UTC) if moment.tzinfo else moment.replace(tzinfo=dt.UTC)


def wait_seconds(engine: Engine, username: str, client: str, now: dt.datetime) -> int:
    """Whole seconds ``client`` must still wait before an attempt for ``username`` is examined (0: go)."""
    moment = _utc(now)
    keys = _keys(username, client)
    with engine.connect() as conn:
        rows = {
            r.key: r
            for r in conn.execute(
                select(TH.c.key, TH.c.failures, TH.c.last_failure_at).where(
                    TH.c.key.in_(list(keys.values())), TH.c.last_failure_at >= moment - WINDOW
                )
            )
        }
    waits = [0.0]
    client_failed = keys["ip"] in rows
    for kind, key in keys.items():
        row = rows.get(key)
        if row is None or (kind == "tk" and not client_failed):
            continue
        until = _utc(row.last_failure_at) + dt.timedelta(seconds=RULES[kind].delay(row.failures))
        waits.append((until - moment).total_seconds())
    return max(0, math.ceil(max(waits)))


def _bump(session: Session, key: str, moment: dt.datetime) -> None:
    table = TH
    result = session.execute(
        update(table).where(table.c.key == key).values(failures=table.c.failures + 1, last_failure_at=moment)
    )
    if result.rowcount:  # type: ignore[attr-defined]
        return
    try:
        with session.begin_nested():  # another replica may insert the same key at the same moment
            session.add(models.SignInThrottle(key=key, failures=1, first_failure_at=moment, last_failure_at=moment))
    except IntegrityError:
        session.execute(
            update(table).where(table.c.key == key).values(failures=table.c.failures + 1, last_failure_at=moment)
        )


def record_failure(engine: Engine, username: str, client: str, now: dt.datetime) -> int:
    """Count a failed sign-in under the address, account and pair keys; audit it.

    Returns the whole seconds this client must now wait before its next attempt for
    ``username``. Expired rows are deleted in the same transaction.
    """
    moment = _utc(now)
    table = TH
    with Session(engine) as session:
        session.execute(delete(table).where(table.c.last_failure_at < moment - WINDOW))
        for key in _keys(username, client).values():
            _bump(session, key, moment)
        _audit(session, username, ACTION_FAILED, f"nguồn: {client or UNKNOWN_CLIENT}", moment)
        session.commit()
    return wait_seconds(engine, username, client, moment)


def record_success(engine: Engine, username: str, client: str) -> None:
    """Forget the account and pair counters after a correct password (the address counter stays)."""
    keys = _keys(username, client)
    table = TH
    with Session(engine) as session:
        session.execute(delete(table).where(table.c.key.in_([keys["tk"], keys["cap"]])))
        session.commit()


def _audit(session: Session, username: str, action: str, detail: str, at: dt.datetime) -> None:
    """An audit row for a sign-in event; ``username`` is the name as typed (maybe not an account)."""
    session.add(models.AuditLog(at=at, username=_name(username) or "(trống)", action=action, detail=detail))


def audit_event(engine: Engine, username: str, action: str, client: str, extra: str = "") -> None:
    """Write one sign-in audit row (sign-in, sign-out, delayed attempt) with its source address."""
    detail = f"nguồn: {client or UNKNOWN_CLIENT}" + (f"; {extra}" if extra else "")
    with Session(engine) as session:
        _audit(session, username, action, detail, dt.datetime.now(dt.UTC))
        session.commit()


def delayed_message(seconds: int) -> str:
    """The refusal while a delay runs: identical for known and unknown names."""
    return f"Đăng nhập tạm hoãn vì nhập sai nhiều lần. Vui lòng thử lại sau {seconds} giây."


@dataclass(frozen=True)
class Attempt:
    """Outcome of :func:`sign_in`: ``role`` is set on success; otherwise ``message`` is shown."""

    role: str | None
    message: str
    wait: int = 0


def sign_in(engine: Engine, store: CredentialStore, username: str, password: str, client: str,
            now: dt.datetime | None = None) -> Attempt:
    """Check a sign-in attempt under the throttle policy above; audits every outcome with ``client``.

    Unknown, disabled and known names cost the same bcrypt check
    (:meth:`CredentialStore.verify`) and get the same messages.
    """
    moment = _utc(now or dt.datetime.now(dt.UTC))
    name = _name(username)
    wait = wait_seconds(engine, name, client, moment)
    if wait > 0:
        audit_event(engine, name, ACTION_DELAYED, client, f"phải chờ {wait} giây")
        return Attempt(None, delayed_message(wait), wait)
    role = store.verify(name, password) if name and password else None
    if role is None:
        if not name or not password:
            store.verify("", password or "")  # same cost as a real check
        wait = record_failure(engine, name, client, moment)
        message = MESSAGE_FAILED + (f" Vui lòng chờ {wait} giây trước khi thử lại." if wait else "")
        return Attempt(None, message, wait)
    record_success(engine, name, client)
    audit_event(engine, name, ACTION_SIGNED_IN, client)
    return Attempt(role, "")
