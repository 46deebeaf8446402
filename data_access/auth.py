"""Accounts, roles and permissions: the streamlit-free core of sign-in.

Three roles, each a superset of the previous one:

* ``lanh_dao`` (leaders) view the dashboard and present it in meetings;
* ``chuyen_vien`` (Sở Nội vụ staff) also upload returns, undo uploads, download
  templates, see the upload history and freeze meeting snapshots;
* ``quan_tri`` (administrators) also manage users, the agency catalogue, the
  settings and read the audit log.

Accounts live in a YAML file (``settings.credentials_file``, kept out of git) in
the exact shape streamlit-authenticator 0.4.2 reads, so the sign-in page can pass
``CredentialStore.authenticator_credentials()`` straight to ``stauth.Authenticate``
(with ``auto_hash=False``: every password in the file is already a bcrypt hash).
Usernames are stored lower-case because the library lower-cases the keys it reads.

Every write function in ``data_access`` calls :func:`require` first and records
what it did with :func:`record_audit` in the same transaction.
"""

from __future__ import annotations

import argparse
import contextlib
import copy
import datetime as dt
import getpass
import json
import math
import os
import re
import sys
import tempfile
import threading
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any, TextIO

import bcrypt
import yaml

from data_access.models import AuditLog
from data_access.settings import Settings

try:  # POSIX only; on other systems the in-process lock is all we get.
    import fcntl
except ImportError:  # pragma: no cover - Windows
    fcntl = None  # type: ignore[assignment]

# --------------------------------------------------------------------------- roles

ROLE_LEADER = "lanh_dao"
ROLE_STAFF = "chuyen_vien"
ROLE_ADMIN = "quan_tri"
ROLES: tuple[str, ...] = (ROLE_LEADER, ROLE_STAFF, ROLE_ADMIN)
ROLE_LABELS: dict[str, str] = {
    ROLE_LEADER: "Lãnh đạo",
    ROLE_STAFF: "Chuyên viên Sở Nội vụ",
    ROLE_ADMIN: "Quản trị hệ thống",
}

_ALL = frozenset(ROLES)
_STAFF_UP = frozenset({ROLE_STAFF, ROLE_ADMIN})
_ADMIN_ONLY = frozenset({ROLE_ADMIN})

PERMISSIONS: dict[str, frozenset[str]] = {
    "view": _ALL,
    "present": _ALL,  # meeting (projector) mode
    "upload": _STAFF_UP,
    "undo_upload": _STAFF_UP,
    "download_template": _STAFF_UP,
    "view_history": _STAFF_UP,  # upload history, the basis of undo
    "snapshot": _STAFF_UP,  # freeze the figures shown in a review meeting
    "approve_return": _STAFF_UP,  # mark an agency's quarterly return "đã duyệt"
    "lock_period": _STAFF_UP,  # lock a quarter for every agency
    "reopen_period": _ADMIN_ONLY,  # reopen one agency's return in a locked quarter, with a reason
    "request_explanation": _ALL,  # ask an agency to explain a red indicator or an overdue task (leaders too)
    "record_explanation": _STAFF_UP,  # record the agency's answer from its letter; close a request
    "record_conclusion": _ALL,  # record a meeting's conclusion against a slide's item
    "assign_conclusion": _STAFF_UP,  # turn a conclusion into a tracked task ("Kết luận giao ban" plan)
    "write_note": _ALL,  # a dated, signed note on a number (edit/delete: its author or an administrator)
    "manage_users": _ADMIN_ONLY,
    "manage_agencies": _ADMIN_ONLY,
    "manage_settings": _ADMIN_ONLY,
    "view_audit": _ADMIN_ONLY,
}

# Vietnamese phrases completing "Không có quyền ...".
ACTION_LABELS: dict[str, str] = {
    "view": "xem bảng điều hành",
    "present": "dùng chế độ trình chiếu",
    "upload": "tải lên báo cáo",
    "undo_upload": "hoàn tác lần tải lên",
    "download_template": "tải biểu mẫu báo cáo",
    "view_history": "xem lịch sử tải lên",
    "snapshot": "chốt số liệu cho cuộc họp",
    "approve_return": "duyệt báo cáo quý",
    "lock_period": "khóa kỳ báo cáo",
    "reopen_period": "mở lại kỳ báo cáo đã khóa",
    "request_explanation": "yêu cầu giải trình",
    "record_explanation": "ghi nhận nội dung giải trình",
    "record_conclusion": "ghi kết luận cuộc họp",
    "assign_conclusion": "giao nhiệm vụ từ kết luận cuộc họp",
    "write_note": "ghi chú về số liệu",
    "manage_users": "quản lý tài khoản",
    "manage_agencies": "quản lý danh mục cơ quan",
    "manage_settings": "thay đổi cấu hình",
    "view_audit": "xem nhật ký hệ thống",
}


class PermissionDenied(Exception):
    """The actor may not perform the action; ``str(exc)`` is a Vietnamese message."""

    def __init__(
        self, message: str, *, action: str = "", username: str | None = None
    ) -> None:
        super().__init__(message)
        self.action = action
        self.username = username


class AccountError(ValueError):
    """Bad account input (username, password, role, unknown user); Vietnamese message."""


class CredentialFileError(AccountError):
    """The credentials file exists but cannot be read as a credentials file."""


@dataclass(frozen=True)
class Actor:
    """Who performs an action. ``role`` must be one of :data:`ROLES`."""

    username: str
    role: str

    def __post_init__(self) -> None:
        if self.role not in ROLES:
            raise AccountError(
                f"Vai trò không hợp lệ: {self.role!r}. Các vai trò: {_roles_help()}."
            )

    @classmethod
    def system(cls, name: str | None = None) -> Actor:
        """An administrator actor for the command line: shell access implies admin.

        ``name`` defaults to ``cli:<OS user>`` so the audit log still says who it was.
        """
        if not name:
            try:
                os_user = getpass.getuser()
            except (KeyError, OSError):  # no user name in the environment (containers)
                os_user = "unknown"
            name = f"cli:{os_user}"
        return cls(username=name, role=ROLE_ADMIN)

    @property
    def role_label(self) -> str:
        return ROLE_LABELS[self.role]


def _check_action(action: str) -> None:
    if action not in PERMISSIONS:
        # A programming error (typo in an action name), not a user-facing condition.
        raise ValueError(f"Unknown action {action!r}; known: {sorted(PERMISSIONS)}")


def can(role: str | None, action: str) -> bool:
    """True when ``role`` may perform ``action``. Unknown roles may do nothing.

    Raises ValueError for an unknown action so typos fail loudly in tests.
    """
    _check_action(action)
    return role in PERMISSIONS[action]


def allowed_actions(role: str | None) -> frozenset[str]:
    """Every action ``role`` may perform (empty for an unknown role)."""
    return frozenset(action for action, roles in PERMISSIONS.items() if role in roles)


def require(actor: Actor | None, action: str) -> None:
    """Raise :class:`PermissionDenied` unless ``actor`` may perform ``action``.

    ``None`` (nobody signed in) is always denied. Every write function in
    ``data_access`` calls this before touching the database.
    """
    _check_action(action)
    label = ACTION_LABELS[action]
    if actor is None:
        raise PermissionDenied(
            f"Không có quyền {label}: chưa đăng nhập.", action=action
        )
    if not can(actor.role, action):
        raise PermissionDenied(
            f"Không có quyền {label} (tài khoản {actor.username}, vai trò {ROLE_LABELS[actor.role]}).",
            action=action,
            username=actor.username,
        )


# ----------------------------------------------------------------- input validation

PASSWORD_MIN_CHARS = 8
PASSWORD_MAX_BYTES = 72  # bcrypt's limit; bcrypt 5 raises instead of truncating
_USERNAME_RE = re.compile(r"[A-Za-z0-9._-]{3,32}")


def _roles_help() -> str:
    return ", ".join(f"{role} ({label})" for role, label in ROLE_LABELS.items())


def validate_password(password: str) -> None:
    """Raise :class:`AccountError` unless ``password`` has >= 8 characters and
    at most 72 bytes in UTF-8 (bcrypt's limit).

    The string is checked exactly as given (no trimming, no Unicode
    normalisation), because that is what the sign-in form will compare.
    """
    if not isinstance(password, str) or len(password) < PASSWORD_MIN_CHARS:
        raise AccountError(f"Mật khẩu phải có ít nhất {PASSWORD_MIN_CHARS} ký tự.")
    size = len(password.encode("utf-8"))
    if size > PASSWORD_MAX_BYTES:
        raise AccountError(
            f"Mật khẩu dài quá {PASSWORD_MAX_BYTES} byte khi mã hóa UTF-8 "
            f"(chữ có dấu chiếm 2-3 byte); mật khẩu này chiếm {size} byte. "
            "Hãy dùng mật khẩu ngắn hơn hoặc ít chữ có dấu hơn."
        )


COMMON_PASSWORDS_FILE = Path(__file__).with_name("common_passwords.txt")
# Bumped when the password rules get stricter; accounts set under an older version are
# reported by the production preflight (a bcrypt hash cannot be re-checked later).
PASSWORD_POLICY_VERSION = 1
_common_passwords: frozenset[str] | None = None


def is_common_password(password: str) -> bool:
    """True if ``password`` (case-insensitive, ignoring surrounding spaces) is on the shipped
    list of common passwords (``data_access/common_passwords.txt``) or is one repeated character."""
    global _common_passwords
    if _common_passwords is None:
        lines = COMMON_PASSWORDS_FILE.read_text(encoding="utf-8").splitlines()
        _common_passwords = frozenset(
            line.strip().lower() for line in lines if line.strip() and not line.startswith("#")
        )
    folded = password.strip().lower()
    return folded in _common_passwords or len(set(folded)) <= 1


def validate_new_password(password: str) -> None:
    """:func:`validate_password` plus refusal of common passwords: for every password
    set from now on (the app and the command line), never for checking a sign-in."""
    validate_password(password)
    if is_common_password(password):
        raise AccountError(
            "Mật khẩu này quá phổ biến, dễ bị đoán (ví dụ 12345678, matkhau123, admin@123). "
            "Hãy chọn mật khẩu khác, nên là một cụm từ dài."
        )


def validate_username(username: str) -> None:
    """Raise :class:`AccountError` unless ``username`` is 3-32 characters of ASCII
    letters, digits, ``.``, ``_`` or ``-``."""
    if not isinstance(username, str) or not _USERNAME_RE.fullmatch(username):
        raise AccountError(
            f"Tên đăng nhập không hợp lệ: {username!r}. Chỉ dùng chữ cái không dấu, "
            "chữ số và các ký tự . _ - ; dài từ 3 đến 32 ký tự."
        )


def validate_role(role: str) -> None:
    """Raise :class:`AccountError` unless ``role`` is one of :data:`ROLES`."""
    if role not in ROLES:
        raise AccountError(
            f"Vai trò không hợp lệ: {role!r}. Chọn một trong: {_roles_help()}."
        )


def normalize_username(username: str) -> str:
    """The stored form of a username: trimmed and lower-case (as the library keys it)."""
    return username.strip().lower()


# ----------------------------------------------------------------- credential store

_USER_KEYS = (
    "name",
    "email",
    "password",
    "roles",
    "failed_login_attempts",
    "logged_in",
)
_path_locks: dict[str, threading.Lock] = {}
_path_locks_guard = threading.Lock()


def _thread_lock_for(path: Path) -> threading.Lock:
    key = str(path.resolve())
    with _path_locks_guard:
        return _path_locks.setdefault(key, threading.Lock())


def _as_utc(moment: dt.datetime) -> dt.datetime:
    """Aware UTC datetime; a naive datetime is taken as server local time."""
    return moment.astimezone(dt.UTC)


class CredentialStore:
    """The YAML credentials file in streamlit-authenticator 0.4.2's shape.

    ``{"credentials": {"usernames": {u: {"name", "email", "password" (bcrypt),
    "roles": [role], "disabled", "failed_login_attempts", "logged_in"}}}}``;
    ``session_generation`` (sign-in cookies of an older generation are refused) and
    ``password_policy`` (the password rules the password was checked under) are ours;
    ``locked_until`` is a leftover of the former lock-out (now ``data_access.throttle``).
    Other top-level keys (e.g. ``cookie``) are preserved.

    Mutations are read-modify-write under an in-process lock plus an ``flock`` on
    ``<file>.lock`` (POSIX), and are written atomically (temp file + ``os.replace``)
    with mode 0600. ``bcrypt_rounds`` exists so tests can hash quickly.
    """

    def __init__(self, path: Path, *, bcrypt_rounds: int = 12) -> None:
        self.path = Path(path)
        self.bcrypt_rounds = bcrypt_rounds
        self._dummy_hash: bytes | None = None

    # -- file handling

    def load(self) -> dict[str, Any]:
        """The whole config; ``{"credentials": {"usernames": {}}}`` if the file is missing.

        Raises :class:`CredentialFileError` if the file is not valid YAML of the
        expected shape.
        """
        try:
            text = self.path.read_text(encoding="utf-8")
        except FileNotFoundError:
            return {"credentials": {"usernames": {}}}
        try:
            config = yaml.safe_load(text)
        except yaml.YAMLError as exc:
            raise CredentialFileError(
                f"Tệp tài khoản {self.path} không phải YAML hợp lệ: {exc}"
            ) from exc
        if config is None:
            config = {}
        if not isinstance(config, dict):
            raise CredentialFileError(
                f"Tệp tài khoản {self.path} không đúng định dạng (cần một bảng khóa/giá trị)."
            )
        credentials = config.get("credentials") or {}
        if not isinstance(credentials, dict):
            raise CredentialFileError(
                f"Tệp tài khoản {self.path}: mục 'credentials' không đúng định dạng."
            )
        usernames = credentials.get("usernames") or {}
        if not isinstance(usernames, dict) or not all(
            isinstance(u, dict) for u in usernames.values()
        ):
            raise CredentialFileError(
                f"Tệp tài khoản {self.path}: mục 'credentials.usernames' không đúng định dạng."
            )
        credentials["usernames"] = usernames
        config["credentials"] = credentials
        return config

    def _save(self, config: dict[str, Any]) -> None:
        self.path.parent.mkdir(parents=True, exist_ok=True)
        text = yaml.safe_dump(
            config, allow_unicode=True, sort_keys=False, default_flow_style=False
        )
        fd, tmp_name = tempfile.mkstemp(
            dir=self.path.parent, prefix=f".{self.path.name}.", suffix=".tmp"
        )
        try:
            os.chmod(tmp_name, 0o600)  # mkstemp already uses 0600; be explicit
            with os.fdopen(fd, "w", encoding="utf-8") as handle:
                handle.write(text)
                handle.flush()
                os.fsync(handle.fileno())
            os.replace(tmp_name, self.path)
        except BaseException:
            with contextlib.suppress(OSError):
                os.unlink(tmp_name)
            raise
        os.chmod(self.path, 0o600)

    @contextlib.contextmanager
    def _locked(self) -> Iterator[None]:
        with _thread_lock_for(self.path):
            if fcntl is None:  # pragma: no cover - Windows
                yield
                return
            self.path.parent.mkdir(parents=True, exist_ok=True)
            lock_path = self.path.with_name(self.path.name + ".lock")
            fd = os.open(lock_path, os.O_RDWR | os.O_CREAT, 0o600)
            try:
                fcntl.flock(fd, fcntl.LOCK_EX)
                yield
            finally:
                fcntl.flock(fd, fcntl.LOCK_UN)
                os.close(fd)

    @contextlib.contextmanager
    def _edit(self) -> Iterator[dict[str, Any]]:
        """Yield the ``usernames`` mapping for in-place edits; saved on normal exit."""
        with self._locked():
            config = self.load()
            yield config["credentials"]["usernames"]
            self._save(config)

    def _hash(self, password: str) -> str:
        return bcrypt.hashpw(
            password.encode("utf-8"), bcrypt.gensalt(self.bcrypt_rounds)
        ).decode("ascii")

    @staticmethod
    def _existing(users: dict[str, Any], username: str) -> tuple[str, dict[str, Any]]:
        key = normalize_username(username) if isinstance(username, str) else ""
        if key not in users:
            raise AccountError(f"Không có tài khoản '{username}'.")
        return key, users[key]

    # -- account management

    def add_user(
        self, username: str, name: str, role: str, password: str, email: str = "",
        *, allow_common: bool = False,
    ) -> None:
        """Create an account; the username is stored trimmed and lower-case.

        Raises :class:`AccountError` for an invalid username, empty name, unknown
        role, invalid or common password, or a username that already exists.
        ``allow_common`` is for the demo accounts only (their passwords are public anyway).
        """
        key = normalize_username(username) if isinstance(username, str) else username
        validate_username(key)
        if not isinstance(name, str) or not name.strip():
            raise AccountError("Họ tên hiển thị không được để trống.")
        validate_role(role)
        if allow_common:
            validate_password(password)
        else:
            validate_new_password(password)
        hashed = self._hash(password)
        with self._edit() as users:
            if key in users:
                raise AccountError(f"Tài khoản '{key}' đã tồn tại.")
            users[key] = {
                "name": name.strip(),
                "email": (email or "").strip(),
                "password": hashed,
                "roles": [role],
                "disabled": False,
                "failed_login_attempts": 0,
                "logged_in": False,
            }
            if not allow_common:
                users[key]["password_policy"] = PASSWORD_POLICY_VERSION

    def set_password(self, username: str, password: str) -> None:
        """Replace the password hash; also clears failed attempts and ends every
        session of the account (sign-in cookies issued before are refused)."""
        validate_new_password(password)
        hashed = self._hash(password)
        with self._edit() as users:
            _, user = self._existing(users, username)
            user["password"] = hashed
            user["password_policy"] = PASSWORD_POLICY_VERSION
            user["failed_login_attempts"] = 0
            user.pop("locked_until", None)
            _bump_generation(user)

    def set_role(self, username: str, role: str) -> None:
        """Give the account another role; ends its sessions. Refuses to demote the
        last enabled administrator."""
        validate_role(role)
        with self._edit() as users:
            key, user = self._existing(users, username)
            if _role_of(user) == ROLE_ADMIN and role != ROLE_ADMIN and not user.get("disabled"):
                self._refuse_last_admin(users, key, "đổi vai trò")
            user["roles"] = [role]
            _bump_generation(user)

    def end_sessions(self, username: str) -> int:
        """Bump the account's session generation (sign-out everywhere); returns the new value.

        Sign-in cookies carry the generation they were issued under; an older one is refused.
        """
        with self._edit() as users:
            _, user = self._existing(users, username)
            return _bump_generation(user)

    def session_generation(self, username: str) -> int:
        """The current session generation of an account (0 if never bumped)."""
        rec = self.load()["credentials"]["usernames"].get(normalize_username(username)) or {}
        return _generation_of(rec)

    def account(self, username: str) -> dict[str, Any] | None:
        """``{"role", "name", "generation"}`` of an enabled account with a valid role, else None.

        One read of the file: the sign-in gate calls this on every run.
        """
        if not isinstance(username, str) or not username:
            return None
        rec = self.load()["credentials"]["usernames"].get(normalize_username(username))
        if rec is None or rec.get("disabled") or _role_of(rec) is None or not rec.get("password"):
            return None
        return {"role": _role_of(rec), "name": str(rec.get("name") or username), "generation": _generation_of(rec)}

    @staticmethod
    def _refuse_last_admin(users: dict[str, Any], key: str, what: str) -> None:
        other_admins = [
            u for u, rec in users.items()
            if u != key and _role_of(rec) == ROLE_ADMIN and not rec.get("disabled")
        ]
        if not other_admins:
            raise AccountError(
                f"Không thể {what} '{key}': đây là tài khoản quản trị cuối cùng còn hoạt động. "
                "Hãy tạo tài khoản quản trị khác trước."
            )

    def disable(self, username: str) -> None:
        """Disable an account so it cannot sign in. Refuses to disable the last
        enabled administrator (nobody could manage accounts from the app)."""
        with self._edit() as users:
            key, user = self._existing(users, username)
            if _role_of(user) == ROLE_ADMIN and not user.get("disabled"):
                other_admins = [
                    u
                    for u, rec in users.items()
                    if u != key
                    and _role_of(rec) == ROLE_ADMIN
                    and not rec.get("disabled")
                ]
                if not other_admins:
                    raise AccountError(
                        f"Không thể vô hiệu hóa '{key}': đây là tài khoản quản trị cuối cùng còn hoạt động. "
                        "Hãy tạo tài khoản quản trị khác trước."
                    )
            user["disabled"] = True
            _bump_generation(user)

    def enable(self, username: str) -> None:
        """Re-enable a disabled account (clears failed attempts and lockout)."""
        with self._edit() as users:
            _, user = self._existing(users, username)
            user["disabled"] = False
            user["failed_login_attempts"] = 0
            user.pop("locked_until", None)
            _bump_generation(user)

    # -- reading

    def list_users(self) -> list[dict[str, Any]]:
        """Accounts sorted by username: username, name, email, role, disabled,
        locked_until (ISO string or None). Never includes password hashes."""
        users = self.load()["credentials"]["usernames"]
        return [
            {
                "username": key,
                "name": rec.get("name", ""),
                "email": rec.get("email", ""),
                "role": _role_of(rec),
                "disabled": bool(rec.get("disabled", False)),
                "locked_until": rec.get("locked_until"),
                "policy_version": int(rec.get("password_policy") or 0),
            }
            for key, rec in sorted(users.items())
        ]

    def authenticator_credentials(self) -> dict[str, Any]:
        """The ``credentials`` dict for ``stauth.Authenticate(..., auto_hash=False)``.

        A fresh deep copy (the library mutates it). Disabled accounts and accounts
        without a valid role are left out so they cannot sign in, not even with an
        old cookie. ``failed_login_attempts`` is exported as 0: the library's own
        counter is per session only; ``data_access.throttle`` is the real guard.
        """
        users = self.load()["credentials"]["usernames"]
        exported: dict[str, Any] = {}
        for key, rec in users.items():
            if rec.get("disabled") or _role_of(rec) is None or not rec.get("password"):
                continue
            entry = {k: copy.deepcopy(rec[k]) for k in _USER_KEYS if k in rec}
            entry["failed_login_attempts"] = 0
            entry.setdefault("logged_in", False)
            entry.setdefault("email", "")
            exported[str(key).lower()] = entry
        return {"usernames": exported}

    def verify(self, username: str, password: str) -> str | None:
        """The account's role if the password is right and the account enabled, else None.

        Never raises for bad input (unknown user, over-long password, corrupt hash).
        Does not consult or update the throttle (``data_access.throttle``).
        """
        if not isinstance(username, str) or not isinstance(password, str):
            return None
        rec = self.load()["credentials"]["usernames"].get(normalize_username(username))
        raw = password.encode("utf-8")
        if len(raw) > PASSWORD_MAX_BYTES:
            return None
        if rec is None or rec.get("disabled"):
            # Same cost as a real check: do not reveal which users exist.
            self._burn_time(raw)
            return None
        try:
            ok = bcrypt.checkpw(raw, str(rec.get("password", "")).encode("utf-8"))
        except ValueError:  # not a bcrypt hash
            return None
        return _role_of(rec) if ok else None

    def _burn_time(self, raw: bytes) -> None:
        if self._dummy_hash is None:
            self._dummy_hash = bcrypt.hashpw(
                b"dummy-password", bcrypt.gensalt(self.bcrypt_rounds)
            )
        bcrypt.checkpw(raw, self._dummy_hash)

    def has_demo_accounts(self) -> bool:
        """True if any demo username (see :data:`DEMO_ACCOUNTS`) exists and is enabled.

        Disabled demo accounts do not count: they cannot sign in, and the command
        line has no delete (disable is how production gets rid of them).
        """
        users = self.load()["credentials"]["usernames"]
        return any(u in users and not users[u].get("disabled") for u in DEMO_USERNAMES)


def _generation_of(rec: Mapping[str, Any]) -> int:
    try:
        return int(rec.get("session_generation") or 0)
    except (TypeError, ValueError):  # hand-edited file: treat as never bumped
        return 0


def _bump_generation(rec: dict[str, Any]) -> int:
    """Increment ``session_generation`` in a user record (inside an edit); returns the new value."""
    rec["session_generation"] = _generation_of(rec) + 1
    return int(rec["session_generation"])


def _role_of(rec: Mapping[str, Any]) -> str | None:
    """The first known role of a user record (accounts have exactly one)."""
    roles = rec.get("roles") or []
    if isinstance(roles, str):
        roles = [roles]
    for role in roles:
        if role in ROLES:
            return str(role)
    return None


# ------------------------------------------------------------ demo and production

# (username, display name, role, password). The passwords are public (README):
# demo mode only; production refuses to start while any of these is enabled.
DEMO_ACCOUNTS: list[tuple[str, str, str, str]] = [
    ("lanhdao", "Lãnh đạo (trình diễn)", ROLE_LEADER, "lanhdao@2026"),
    ("chuyenvien", "Chuyên viên Sở Nội vụ (trình diễn)", ROLE_STAFF, "chuyenvien@2026"),
    ("quantri", "Quản trị hệ thống (trình diễn)", ROLE_ADMIN, "quantri@2026"),
]
DEMO_USERNAMES: frozenset[str] = frozenset(u for u, _, _, _ in DEMO_ACCOUNTS)

# Values that must never be used as the cookie signing key in production.
EXAMPLE_COOKIE_KEY = "thay-bang-chuoi-ngau-nhien-dai-it-nhat-32-ky-tu"
DEFAULT_COOKIE_KEYS: frozenset[str] = frozenset({"doi-khoa-nay", EXAMPLE_COOKIE_KEY})
COOKIE_KEY_MIN_CHARS = 32
COOKIE_KEY_ENV = "CCHC_COOKIE_KEY"


COOKIE_KEY_MIN_DISTINCT = 8
COOKIE_KEY_MIN_BITS = 128


def cookie_key_weakness(key: str) -> str | None:
    """Why ``key`` is too weak to sign cookies (Vietnamese), or None.

    Beyond the length rule: at least 8 distinct characters, not a repetition of a
    shorter pattern, no character making up more than a third of it, and at least
    128 bits if its characters were random over the character classes it uses
    (digits, lower case, upper case, others). ``secrets.token_urlsafe(24)`` and
    ``secrets.token_hex(16)`` (32 characters) pass.
    """
    distinct = len(set(key))
    if distinct < COOKIE_KEY_MIN_DISTINCT:
        return f"chỉ có {distinct} ký tự khác nhau (cần ít nhất {COOKIE_KEY_MIN_DISTINCT})"
    period = (key + key).find(key, 1)
    if period < len(key):
        return f"là một đoạn {period} ký tự lặp lại"
    most = max(key.count(c) for c in set(key))
    if most * 3 > len(key):
        return "một ký tự chiếm quá một phần ba khóa"
    alphabet = (10 * any(c.isdigit() for c in key) + 26 * any(c.islower() for c in key)
                + 26 * any(c.isupper() for c in key) + 32 * any(not c.isalnum() for c in key))
    if len(key) * math.log2(max(alphabet, 2)) < COOKIE_KEY_MIN_BITS:
        return f"quá ít loại ký tự cho độ dài {len(key)} (cần tương đương {COOKIE_KEY_MIN_BITS} bit ngẫu nhiên)"
    return None


def ensure_demo_accounts(store: CredentialStore) -> None:
    """Create every missing demo account (demo mode only; the caller checks the mode).

    Existing accounts with a demo username are left alone, even if disabled or
    given another password.
    """
    existing = store.load()["credentials"]["usernames"]
    for username, name, role, password in DEMO_ACCOUNTS:
        if username in existing:
            continue
        with contextlib.suppress(AccountError):  # created concurrently by another session
            store.add_user(username, name, role, password, allow_common=True)


def check_production_ready(
    settings: Settings, store: CredentialStore, cookie_key: str | None
) -> list[str]:
    """Vietnamese problems that must stop the app from starting in production.

    Checks: a valid mode value; the cookie key is set, at least 32 characters, not
    a default/example value and not weak (:func:`cookie_key_weakness`); no enabled
    demo account; every enabled account's password was set under the current
    password policy (common passwords refused); at least one enabled, non-demo
    ``quan_tri`` account. An empty list means ready. Never raises for a
    corrupt credentials file: that is reported as a problem too.
    """
    problems: list[str] = []
    if settings.mode not in ("demo", "production"):
        problems.append(
            f"CCHC_MODE phải là 'demo' hoặc 'production' (đang là {settings.mode!r})."
        )
    key = (cookie_key or "").strip()
    generate_hint = 'Tạo khóa mới bằng lệnh: python -c "import secrets; print(secrets.token_urlsafe(48))".'
    if not key:
        problems.append(
            f"Chưa đặt khóa ký cookie đăng nhập (biến môi trường {COOKIE_KEY_ENV} hoặc mục "
            f"[auth] cookie_key trong .streamlit/secrets.toml). {generate_hint}"
        )
    elif key in DEFAULT_COOKIE_KEYS:
        problems.append(
            f"Khóa ký cookie vẫn là giá trị mặc định/ví dụ; phải thay bằng chuỗi ngẫu nhiên. {generate_hint}"
        )
    elif len(key) < COOKIE_KEY_MIN_CHARS:
        problems.append(
            f"Khóa ký cookie quá ngắn ({len(key)} ký tự, cần ít nhất {COOKIE_KEY_MIN_CHARS}). {generate_hint}"
        )
    elif (weakness := cookie_key_weakness(key)) is not None:
        problems.append(f"Khóa ký cookie quá yếu: {weakness}. {generate_hint}")
    try:
        users = store.list_users()
    except CredentialFileError as exc:
        problems.append(str(exc))
        return problems
    demo_enabled = sorted(
        u["username"]
        for u in users
        if u["username"] in DEMO_USERNAMES and not u["disabled"]
    )
    if demo_enabled:
        problems.append(
            "Còn tài khoản trình diễn đang hoạt động (mật khẩu đã công khai): "
            f"{', '.join(demo_enabled)}. Hãy vô hiệu hóa bằng lệnh 'user disable <tên đăng nhập>'."
        )
    unchecked = sorted(
        u["username"]
        for u in users
        if u["username"] not in DEMO_USERNAMES
        and not u["disabled"]
        and u.get("policy_version", 0) < PASSWORD_POLICY_VERSION
    )
    if unchecked:
        problems.append(
            "Mật khẩu của các tài khoản sau được đặt trước khi có kiểm tra mật khẩu phổ biến (không kiểm tra "
            f"lại được từ bản băm): {', '.join(unchecked)}. Hãy đặt lại bằng lệnh 'user passwd <tên đăng nhập>'."
        )
    admins = [
        u
        for u in users
        if u["role"] == ROLE_ADMIN
        and not u["disabled"]
        and u["username"] not in DEMO_USERNAMES
    ]
    if not admins:
        problems.append(
            f"Chưa có tài khoản quản trị (quan_tri) nào đang hoạt động trong {store.path}. "
            "Hãy tạo bằng lệnh 'user add <tên đăng nhập> --name \"Họ tên\" --role quan_tri'."
        )
    return problems


def cookie_key_from_env_or_secrets(secrets: Mapping[str, Any] | None) -> str | None:
    """The cookie signing key: env ``CCHC_COOKIE_KEY`` first, then
    ``secrets["auth"]["cookie_key"]`` (e.g. ``st.secrets``); None if neither is set.

    Blank values count as unset. A missing secrets file (Streamlit raises on
    access) also yields None.
    """
    env = os.environ.get(COOKIE_KEY_ENV, "").strip()
    if env:
        return env
    if secrets is None:
        return None
    try:
        section = secrets["auth"]
        value = section["cookie_key"]
    # StreamlitSecretNotFoundError (no secrets.toml) is a FileNotFoundError.
    except (KeyError, TypeError, FileNotFoundError):
        return None
    if not isinstance(value, str) or not value.strip():
        return None
    return value.strip()


# ------------------------------------------------------------------------- audit


def record_audit(
    session: Any,
    actor: Actor,
    action: str,
    detail: str = "",
    at: dt.datetime | None = None,
) -> None:
    """Add an :class:`AuditLog` row to ``session`` (the caller commits, so the entry
    belongs to the same transaction as the change it describes).

    ``at`` defaults to now. Stored as an aware UTC datetime (sqlmodel's datetime
    columns refuse naive values); a naive ``at`` is taken as server local time.
    """
    session.add(
        AuditLog(
            at=_as_utc(at) if at is not None else dt.datetime.now(dt.UTC),
            username=actor.username,
            action=action,
            detail=detail,
        )
    )


# ---------------------------------------------------------------- command line

NEW_PASSWORD_ENV = "CCHC_NEW_PASSWORD"


def read_password_no_echo(prompt: str = "Mật khẩu mới: ") -> str:
    """Read a password twice without echo; raise :class:`AccountError` if they differ
    or input ends. Validation is the caller's job."""
    try:
        first = getpass.getpass(prompt)
        second = getpass.getpass("Nhập lại mật khẩu: ")
    except EOFError as exc:
        raise AccountError("Không đọc được mật khẩu (đầu vào đã kết thúc).") from exc
    if first != second:
        raise AccountError("Hai lần nhập mật khẩu không khớp.")
    return first


def _new_password() -> str:
    from_env = os.environ.get(NEW_PASSWORD_ENV)
    if from_env:
        return from_env
    return read_password_no_echo()


class _Parser(argparse.ArgumentParser):
    """argparse that reports usage errors as AccountError instead of exiting."""

    def error(self, message: str) -> Any:
        raise AccountError(f"Lệnh không hợp lệ ({message}). Xem hướng dẫn: user --help")


def _build_parser() -> argparse.ArgumentParser:
    parser = _Parser(
        prog="user", description="Quản lý tài khoản đăng nhập bảng điều hành CCHC."
    )
    sub = parser.add_subparsers(dest="command", parser_class=_Parser)
    add = sub.add_parser(
        "add", help="tạo tài khoản (mật khẩu nhập ẩn, hoặc lấy từ CCHC_NEW_PASSWORD)"
    )
    add.add_argument(
        "username", help="tên đăng nhập: chữ không dấu, số, . _ - ; 3-32 ký tự"
    )
    add.add_argument("--name", default=None, help="họ tên hiển thị")
    add.add_argument("--role", default=None, help=f"vai trò: {_roles_help()}")
    add.add_argument("--email", default="", help="thư điện tử (không bắt buộc)")
    passwd = sub.add_parser("passwd", help="đặt lại mật khẩu (và mở khóa tạm)")
    passwd.add_argument("username")
    disable = sub.add_parser("disable", help="vô hiệu hóa tài khoản")
    disable.add_argument("username")
    enable = sub.add_parser("enable", help="kích hoạt lại tài khoản")
    enable.add_argument("username")
    role = sub.add_parser("role", help="đổi vai trò (kết thúc mọi phiên đăng nhập của tài khoản)")
    role.add_argument("username")
    role.add_argument("role", help=f"vai trò mới: {_roles_help()}")
    logout = sub.add_parser("logout", help="kết thúc mọi phiên đăng nhập của tài khoản (cookie cũ bị từ chối)")
    logout.add_argument("username")
    listing = sub.add_parser("list", help="liệt kê tài khoản")
    listing.add_argument("--json", action="store_true", help="in dạng JSON")
    return parser


def _print_table(users: list[dict[str, Any]], out: TextIO) -> None:
    if not users:
        print("Chưa có tài khoản nào.", file=out)
        return
    rows = [("Tên đăng nhập", "Họ tên", "Vai trò", "Trạng thái")]
    for u in users:
        status = "đã vô hiệu hóa" if u["disabled"] else "đang hoạt động"
        if u.get("locked_until"):
            status += f" (tạm khóa đến {u['locked_until']})"
        rows.append(
            (u["username"], u["name"], ROLE_LABELS.get(u["role"] or "", "?"), status)
        )
    widths = [max(len(r[i]) for r in rows) for i in range(3)]
    for r in rows:
        print(
            "  ".join(cell.ljust(widths[i]) for i, cell in enumerate(r[:3]))
            + "  "
            + r[3],
            file=out,
        )


SOURCE_CLI = "dòng lệnh"


def user_cli(argv: list[str], store: CredentialStore, engine: Any = None) -> int:
    """Run ``add | passwd | role | logout | disable | enable | list`` against ``store``.

    Returns 0 on success; 2 on bad input (:class:`AccountError`, message on
    stderr, no traceback); 1 if the file cannot be written; 130 if interrupted.
    New passwords come from env ``CCHC_NEW_PASSWORD`` when set (scripts, tests),
    otherwise they are read twice without echo. With an ``engine``, every account
    change is written to the audit log as ``cli:<OS user>`` with source "dòng lệnh";
    if the log cannot be written the change stands and a warning is printed.
    """
    parser = _build_parser()
    done: tuple[str, str] | None = None  # (audit action, detail) of a successful change
    try:
        if not argv:
            parser.print_help(sys.stderr)
            raise AccountError("Thiếu lệnh: add, passwd, role, logout, disable, enable hoặc list.")
        try:
            args = parser.parse_args(argv)
        except SystemExit as exc:  # --help
            return int(exc.code or 0)
        if args.command == "add":
            if not args.name or not args.name.strip():
                raise AccountError("Thiếu --name (họ tên hiển thị).")
            if not args.role:
                raise AccountError(f"Thiếu --role. Chọn một trong: {_roles_help()}.")
            username = normalize_username(args.username)
            validate_username(username)
            validate_role(args.role)
            # Fail before asking for a password.
            if username in store.load()["credentials"]["usernames"]:
                raise AccountError(f"Tài khoản '{username}' đã tồn tại.")
            store.add_user(
                username, args.name, args.role, _new_password(), email=args.email
            )
            print(f"Đã tạo tài khoản '{username}' ({ROLE_LABELS[args.role]}).")
            done = ("tao_tai_khoan", f"{username} ({args.role})")
        elif args.command == "passwd":
            username = normalize_username(args.username)
            if username not in store.load()["credentials"]["usernames"]:
                raise AccountError(f"Không có tài khoản '{args.username}'.")
            store.set_password(username, _new_password())
            print(f"Đã đổi mật khẩu cho tài khoản '{username}' (mọi phiên đăng nhập cũ đã kết thúc).")
            done = ("doi_mat_khau", username)
        elif args.command == "role":
            username = normalize_username(args.username)
            store.set_role(username, args.role)
            print(f"Đã đổi vai trò của '{username}' thành {ROLE_LABELS[args.role]} (mọi phiên đăng nhập cũ đã kết thúc).")
            done = ("doi_vai_tro", f"{username} ({args.role})")
        elif args.command == "logout":
            username = normalize_username(args.username)
            store.end_sessions(username)
            print(f"Đã kết thúc mọi phiên đăng nhập của '{username}'.")
            done = ("ket_thuc_phien", username)
        elif args.command == "disable":
            store.disable(args.username)
            print(f"Đã vô hiệu hóa tài khoản '{normalize_username(args.username)}'.")
            done = ("khoa_tai_khoan", normalize_username(args.username))
        elif args.command == "enable":
            store.enable(args.username)
            print(f"Đã kích hoạt lại tài khoản '{normalize_username(args.username)}'.")
            done = ("mo_khoa_tai_khoan", normalize_username(args.username))
        elif args.command == "list":
            users = store.list_users()
            if args.json:
                print(json.dumps(users, ensure_ascii=False, indent=2))
            else:
                _print_table(users, sys.stdout)
        else:  # only options, no command
            raise AccountError("Thiếu lệnh: add, passwd, role, logout, disable, enable hoặc list.")
    except AccountError as exc:
        print(f"Lỗi: {exc}", file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        print("\nĐã hủy.", file=sys.stderr)
        return 130
    except OSError as exc:
        print(
            f"Lỗi: không ghi được tệp tài khoản {store.path}: {exc.strerror or exc}",
            file=sys.stderr,
        )
        return 1
    if done is not None and engine is not None:
        try:
            _audited(engine, Actor.system(), done[0], f"{done[1]}; nguồn: {SOURCE_CLI}")
        except Exception as exc:  # noqa: BLE001 - the change is made; say the log entry is missing
            print(f"Cảnh báo: đã thực hiện nhưng không ghi được nhật ký hoạt động ({exc.__class__.__name__}).",
                  file=sys.stderr)
    return 0


# ------------------------------------------------------------- administrator writes


def _audited(engine: Any, actor: Actor, action: str, detail: str) -> None:
    from sqlmodel import Session

    with Session(engine) as session:
        record_audit(session, actor, action, detail)
        session.commit()


def _with_source(detail: str, source: str) -> str:
    return f"{detail}; nguồn: {source}" if source else detail


def add_user_as(actor: Actor | None, store: CredentialStore, engine: Any, username: str, name: str, role: str,
                password: str, email: str = "", *, source: str = "") -> None:
    """Create an account on behalf of `actor` (administrators only); audited with `source`
    (the client address in the app)."""
    require(actor, "manage_users")
    assert actor is not None
    store.add_user(username, name, role, password, email)
    _audited(engine, actor, "tao_tai_khoan", _with_source(f"{normalize_username(username)} ({role})", source))


def set_user_enabled_as(actor: Actor | None, store: CredentialStore, engine: Any, username: str,
                        enabled: bool, *, source: str = "") -> None:
    """Enable or disable an account on behalf of `actor` (administrators only); audited.
    Either way the account's sessions end."""
    require(actor, "manage_users")
    assert actor is not None
    if enabled:
        store.enable(username)
    else:
        store.disable(username)
    _audited(engine, actor, "mo_khoa_tai_khoan" if enabled else "khoa_tai_khoan",
             _with_source(normalize_username(username), source))


def set_password_as(actor: Actor | None, store: CredentialStore, engine: Any, username: str, password: str,
                    *, source: str = "") -> None:
    """Set another account's password on behalf of `actor` (administrators only); audited.
    The account's sessions end."""
    require(actor, "manage_users")
    assert actor is not None
    store.set_password(username, password)
    _audited(engine, actor, "doi_mat_khau", _with_source(normalize_username(username), source))


def set_role_as(actor: Actor | None, store: CredentialStore, engine: Any, username: str, role: str,
                *, source: str = "") -> None:
    """Change an account's role on behalf of `actor` (administrators only); audited.
    The account's sessions end."""
    require(actor, "manage_users")
    assert actor is not None
    store.set_role(username, role)
    _audited(engine, actor, "doi_vai_tro", _with_source(f"{normalize_username(username)} ({role})", source))
