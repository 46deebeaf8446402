"""The signed sign-in cookie: issue and verify it, with a revocable session generation.

The cookie is an HS256 JWT ``{"username", "exp_date", "gen"}`` signed with the cookie
key (``username``/``exp_date`` keep streamlit-authenticator 0.4.2's shape). ``gen`` is
the account's session generation when the cookie was issued; sign-out, a password or
role change and disabling bump the generation in the credentials file
(:meth:`data_access.accounts.CredentialStore.end_sessions` and friends), so every cookie
issued before is refused from then on, on every replica (the file is shared).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

import jwt

from data_access.accounts import CredentialStore, normalize_username
from data_access.permissions import ROLES, Actor

ALGORITHM = "HS256"


def issue(key: str, username: str, generation: int, now: dt.datetime, days: float) -> str:
    """A signed token for ``username`` under ``generation``, valid for ``days`` from ``now``."""
    expires = now + dt.timedelta(days=days)
    payload: dict[str, Any] = {"username": normalize_username(username), "exp_date": expires.timestamp(),
                               "gen": int(generation)}
    return jwt.encode(payload, key, algorithm=ALGORITHM)


@dataclass(frozen=True)
class Verified:
    """A token that still signs in: the actor, display name and generation it carries."""

    actor: Actor
    name: str
    generation: int


def verify(key: str, raw: str | None, store: CredentialStore, now: dt.datetime) -> Verified | None:
    """The account a token signs in, or None when the token is missing, forged, expired,
    of an older session generation (signed out, password/role changed, disabled), or
    names an account that is disabled or gone. Never raises."""
    if not raw or not key:
        return None
    try:
        token = jwt.decode(raw, key, algorithms=[ALGORITHM])
    except jwt.PyJWTError:
        return None
    if not isinstance(token, dict):
        return None
    try:
        expires = float(token.get("exp_date") or 0)
        generation = int(token.get("gen", -1))
    except (TypeError, ValueError):
        return None
    if expires < now.timestamp():
        return None
    username = str(token.get("username") or "")
    account = store.account(username)
    if account is None or account["role"] not in ROLES or generation != account["generation"]:
        return None
    return Verified(Actor(normalize_username(username), account["role"]), account["name"], generation)
