"""`--user` of the command line names an active account allowed to do the action (issue 13, item 6)."""

from __future__ import annotations

from pathlib import Path

import pytest

from data_access.accounts import CredentialStore
from data_access.cli import CliUserRefused, cli_actor
from data_access.permissions import ROLE_ADMIN, ROLE_LEADER, ROLE_STAFF, Actor
from data_access.settings import get_settings


@pytest.fixture
def accounts(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> CredentialStore:
    store = CredentialStore(tmp_path / "credentials.yaml", bcrypt_rounds=4)
    for user, role in (("canbo1", ROLE_STAFF), ("lanhdao1", ROLE_LEADER), ("quantri1", ROLE_ADMIN),
                       ("nghiviec", ROLE_STAFF)):
        store.add_user(user, user, role, "Mat-khau#2026-dai")
    store.disable("nghiviec")
    monkeypatch.setenv("CCHC_CREDENTIALS_FILE", str(store.path))
    monkeypatch.setenv("CCHC_MODE", "demo")
    return store


@pytest.mark.parametrize(("user", "action", "why"), [
    ("lanhdao1", "upload", "(Lãnh đạo) không có quyền tải lên báo cáo"),
    ("canbo1", "manage_settings", "không có quyền thay đổi cấu hình"),
    ("nghiviec", "upload", "đang bị vô hiệu hóa"),
    ("khongai", "undo_upload", "Không có tài khoản 'khongai'"),
])
def test_refused(accounts: CredentialStore, user: str, action: str, why: str) -> None:
    with pytest.raises(CliUserRefused, match=why.replace("(", r"\(").replace(")", r"\)")):
        cli_actor(user, action)


def test_allowed_accounts_act_with_their_own_role(accounts: CredentialStore) -> None:
    assert cli_actor(" CanBo1 ", "upload") == Actor("canbo1", ROLE_STAFF)
    assert cli_actor("quantri1", "manage_settings") == Actor("quantri1", ROLE_ADMIN)


def test_without_user_production_refuses_and_demo_acts_as_the_os_user(accounts: CredentialStore,
                                                                       monkeypatch: pytest.MonkeyPatch) -> None:
    assert cli_actor(None, "upload").username.startswith("cli:")
    monkeypatch.setenv("CCHC_MODE", "production")
    with pytest.raises(CliUserRefused, match="hãy ghi --user"):
        cli_actor(None, "upload", get_settings())
