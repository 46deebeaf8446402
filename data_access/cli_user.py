"""Who a command-line write acts as: the `--user` account, checked against the credential store.

Policy (README, "Dòng lệnh"): `--user NAME` must name an existing, active account whose role
may do the action (the same permission table as the web pages, `auth.PERMISSIONS`);
otherwise the command is refused (exit 2, Vietnamese message) before anything is written.
Without `--user`: refused in production mode; in demo mode the command acts as an
administrator recorded as `cli:<OS user>` (demo stores hold no real figures). Every record a
command-line write leaves (upload summary, audit line) says it came from the command line.
"""

from __future__ import annotations

from data_access.auth import (
    ACTION_LABELS,
    ROLE_LABELS,
    AccountError,
    Actor,
    CredentialStore,
    can,
    normalize_username,
)
from data_access.settings import Settings, get_settings

SOURCE_CLI = "dòng lệnh"


class CliUserRefused(Exception):
    """`--user` does not name an active account allowed to do the action; `str(exc)` is Vietnamese."""


def cli_actor(name: str | None, action: str, settings: Settings | None = None) -> Actor:
    """The actor a command-line write acts as; raises CliUserRefused (see the module docstring)."""
    settings = settings or get_settings()
    what = ACTION_LABELS.get(action, action)
    if not name or not name.strip():
        if settings.mode == "production":
            raise CliUserRefused(
                f"Ở chế độ vận hành, hãy ghi --user TÊN_ĐĂNG_NHẬP: một tài khoản đang hoạt động có quyền {what} "
                "(người thực hiện được ghi vào lịch sử và nhật ký).")
        return Actor.system(None)
    key = normalize_username(name)
    try:
        users = CredentialStore(settings.credentials_file).list_users()
    except AccountError as exc:
        raise CliUserRefused(f"Không kiểm tra được tài khoản '{name}': {exc}") from None
    record = next((u for u in users if u["username"] == key), None)
    if record is None:
        raise CliUserRefused(
            f"Không có tài khoản '{name}' trong tệp tài khoản ({settings.credentials_file}). "
            "Hãy ghi --user là tên đăng nhập của một tài khoản đang hoạt động (xem: python -m data_access user list).")
    if record["disabled"]:
        raise CliUserRefused(f"Tài khoản '{key}' đang bị vô hiệu hóa, không thực hiện được thao tác này.")
    role = record["role"]
    if role is None or not can(role, action):
        label = ROLE_LABELS.get(role or "", "không rõ vai trò")
        raise CliUserRefused(f"Tài khoản '{key}' ({label}) không có quyền {what}.")
    return Actor(key, role)


__all__ = ["SOURCE_CLI", "CliUserRefused", "cli_actor"]
