"""Roles, permissions, the acting user and the audit log: who may do what, and the record of it.

Three roles, each a superset of the previous one:

* ``lanh_dao`` (leaders) view the dashboard and present it in meetings;
* ``chuyen_vien`` (Sở Nội vụ staff) also upload returns, undo uploads, download
  templates, see the upload history and freeze meeting snapshots;
* ``quan_tri`` (administrators) also manage users, the agency catalogue, the
  settings and read the audit log.

Every write function in ``data_access`` calls :func:`require` first and records
what it did with :func:`record_audit` in the same transaction. Where accounts are
stored and checked is ``data_access.accounts``.
"""

from __future__ import annotations

import datetime as dt
import getpass
from dataclasses import dataclass
from typing import Any

from data_access.models import AuditLog

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
    """Bad account input (username, password, role, unknown user); Vietnamese message.

    Defined here because an unknown role is refused here (:class:`Actor`, :func:`validate_role`);
    ``data_access.accounts`` raises it for everything else."""


@dataclass(frozen=True)
class Actor:
    """Who performs an action. ``role`` must be one of :data:`ROLES`."""

    username: str
    role: str

    def __post_init__(self) -> None:
        if self.role not in ROLES:
            raise AccountError(
                f"Vai trò không hợp lệ: {self.role!r}. Các vai trò: {roles_help()}."
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


def roles_help() -> str:
    """Every role with its label (``lanh_dao (Lãnh đạo), ...``), for help texts and messages."""
    return ", ".join(f"{role} ({label})" for role, label in ROLE_LABELS.items())


def validate_role(role: str) -> None:
    """Raise :class:`AccountError` unless ``role`` is one of :data:`ROLES`."""
    if role not in ROLES:
        raise AccountError(
            f"Vai trò không hợp lệ: {role!r}. Chọn một trong: {roles_help()}."
        )


def _as_utc(moment: dt.datetime) -> dt.datetime:
    """Aware UTC datetime; a naive datetime is taken as server local time."""
    return moment.astimezone(dt.UTC)


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


def write_audit(engine: Any, actor: Actor, action: str, detail: str) -> None:
    """Write one audit line in its own transaction (for changes outside the database,
    e.g. to the credentials file)."""
    from sqlmodel import Session

    with Session(engine) as session:
        record_audit(session, actor, action, detail)
        session.commit()
