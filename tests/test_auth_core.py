"""Tests for data_access.permissions, data_access.accounts and the `user` command: roles, passwords,
the credentials file, production readiness, the sign-in throttle, revocable sessions and the audit helper."""

from __future__ import annotations

import dataclasses
import datetime as dt
import json
import secrets
import stat
import time
from pathlib import Path

import jwt
import pytest
import sqlalchemy as sa
import yaml
from sqlalchemy.engine import Engine
from sqlalchemy.pool import StaticPool
from sqlmodel import Session, SQLModel, create_engine, select

from data_access import accounts, cli, permissions, session_token, throttle
from data_access.accounts import (
    DEMO_ACCOUNTS,
    CredentialFileError,
    CredentialStore,
    check_production_ready,
    cookie_key_from_env_or_secrets,
    ensure_demo_accounts,
    validate_password,
    validate_username,
)
from data_access.cli import user_cli
from data_access.db import make_engine
from data_access.models import AuditLog
from data_access.permissions import (
    PERMISSIONS,
    ROLE_LABELS,
    ROLES,
    AccountError,
    Actor,
    PermissionDenied,
    can,
    record_audit,
    require,
)
from data_access.settings import Settings
from data_access.tables import SIGNIN_THROTTLE

GOOD_PW = "matkhau-tot-2026"
STRONG_KEY = "kkX9f3-Qz8_Lm2Rt7Vb4wHyEo6PdJsNa1Uc"  # 36 chars, 34 distinct, not a default


@pytest.fixture
def store(tmp_path: Path) -> CredentialStore:
    # Few bcrypt rounds keep the tests fast; the format is identical.
    return CredentialStore(tmp_path / "conf" / "credentials.yaml", bcrypt_rounds=4)


@pytest.fixture(autouse=True)
def _clean_env(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("CCHC_NEW_PASSWORD", raising=False)
    monkeypatch.delenv("CCHC_COOKIE_KEY", raising=False)


def settings_for(store: CredentialStore, mode: str = "production") -> Settings:
    return Settings(
        database_url="sqlite://",
        due_soon_days=30,
        upload_max_mb=10,
        upload_max_rows=20_000,
        upload_max_cell_chars=5_000,
        credentials_file=store.path,
        mode=mode,
    )


def raw_users(store: CredentialStore) -> dict:
    return yaml.safe_load(store.path.read_text(encoding="utf-8"))["credentials"][
        "usernames"
    ]


# ----------------------------------------------------------------- permissions

# The follow-up loop (issue 17): a leader asks for explanations, records conclusions and writes notes;
# Sở Nội vụ also records the answers and turns conclusions into tasks.
FOLLOW_UP_ALL = {"request_explanation", "record_conclusion", "write_note"}
EXPECTED = {
    "lanh_dao": {"view", "present", *FOLLOW_UP_ALL},
    "chuyen_vien": {
        "view",
        "present",
        "upload",
        "undo_upload",
        "download_template",
        "view_history",
        "snapshot",
        "approve_return",
        "lock_period",
        *FOLLOW_UP_ALL,
        "record_explanation",
        "assign_conclusion",
    },
    "quan_tri": set(PERMISSIONS),
}


def test_roles_and_labels() -> None:
    assert ROLES == ("lanh_dao", "chuyen_vien", "quan_tri")
    assert ROLE_LABELS == {
        "lanh_dao": "Lãnh đạo",
        "chuyen_vien": "Chuyên viên Sở Nội vụ",
        "quan_tri": "Quản trị hệ thống",
    }
    assert set(PERMISSIONS) == {
        "view",
        "present",
        "upload",
        "undo_upload",
        "download_template",
        "view_history",
        "manage_users",
        "manage_agencies",
        "manage_settings",
        "view_audit",
        "snapshot",
        "approve_return",
        "lock_period",
        "reopen_period",
        "request_explanation",
        "record_explanation",
        "record_conclusion",
        "assign_conclusion",
        "write_note",
    }
    assert set(permissions.ACTION_LABELS) == set(PERMISSIONS)


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize("action", sorted(PERMISSIONS))
def test_permission_matrix(role: str, action: str) -> None:
    allowed = action in EXPECTED[role]
    assert can(role, action) is allowed
    actor = Actor(f"user-{role}", role)
    if allowed:
        require(actor, action)
    else:
        with pytest.raises(PermissionDenied, match="^Không có quyền"):
            require(actor, action)


def test_roles_are_nested() -> None:
    assert (
        permissions.allowed_actions("lanh_dao")
        < permissions.allowed_actions("chuyen_vien")
        < permissions.allowed_actions("quan_tri")
    )
    assert permissions.allowed_actions("khach") == frozenset()


def test_leader_cannot_upload_message() -> None:
    with pytest.raises(PermissionDenied) as info:
        require(Actor("lanhdao", "lanh_dao"), "upload")
    assert "Không có quyền tải lên báo cáo" in str(info.value)
    assert "Lãnh đạo" in str(info.value)
    assert info.value.action == "upload" and info.value.username == "lanhdao"


def test_no_actor_is_denied_everything() -> None:
    for action in PERMISSIONS:
        with pytest.raises(PermissionDenied, match="chưa đăng nhập"):
            require(None, action)


def test_unknown_role_and_action() -> None:
    assert can("khach", "view") is False
    assert can(None, "view") is False
    with pytest.raises(ValueError):
        can("quan_tri", "delete_everything")
    with pytest.raises(ValueError):
        require(Actor.system("x"), "uplod")
    with pytest.raises(AccountError):
        Actor("x", "admin")


def test_system_actor_is_admin() -> None:
    actor = Actor.system("cli:root")
    assert actor == Actor("cli:root", "quan_tri")
    require(actor, "manage_users")
    assert Actor.system().username.startswith("cli:")
    with pytest.raises(dataclasses.FrozenInstanceError):
        actor.role = "lanh_dao"  # type: ignore[misc]


# ------------------------------------------------------------ input validation


def test_password_too_short() -> None:
    with pytest.raises(AccountError, match="Mật khẩu phải có ít nhất 8 ký tự"):
        validate_password("abc1234")  # 7 chars
    validate_password("kh4nh-h0")  # 8 chars


def test_password_byte_limit_vietnamese() -> None:
    word = "Mậtkhẩu"
    assert len(word.encode("utf-8")) == 11
    too_long = word * 6 + "abcdefg"
    exact = word * 6 + "abcdef"
    assert len(too_long.encode("utf-8")) == 73
    assert len(exact.encode("utf-8")) == 72
    with pytest.raises(AccountError) as info:
        validate_password(too_long)
    message = str(info.value)
    assert message.startswith(
        "Mật khẩu dài quá 72 byte khi mã hóa UTF-8 (chữ có dấu chiếm 2-3 byte)"
    )
    assert "73 byte" in message
    validate_password(exact)
    with pytest.raises(AccountError, match="72 byte"):
        validate_password(word * 7)  # only 49 characters, but 77 bytes


def test_exact_72_byte_password_round_trips(store: CredentialStore) -> None:
    exact = "Mậtkhẩu" * 6 + "abcdef"
    store.add_user("dai", "Mật khẩu dài", "lanh_dao", exact)
    assert store.verify("dai", exact) == "lanh_dao"
    assert store.verify("dai", exact + "x") is None  # over 72 bytes: no exception


@pytest.mark.parametrize("name", ["abc", "nguyen.van-a_1", "A" * 32, "Admin"])
def test_valid_usernames(name: str) -> None:
    validate_username(name)


@pytest.mark.parametrize(
    "name", ["ab", "a" * 33, "nguyễn", "có dấu", "a b", "x@y", "", "a/b"]
)
def test_invalid_usernames(name: str) -> None:
    with pytest.raises(AccountError, match="Tên đăng nhập không hợp lệ"):
        validate_username(name)


# ---------------------------------------------------------- credential store


def test_missing_file_gives_skeleton(store: CredentialStore) -> None:
    assert store.load() == {"credentials": {"usernames": {}}}
    assert store.list_users() == []
    assert store.authenticator_credentials() == {"usernames": {}}
    assert store.verify("ai", GOOD_PW) is None
    assert not store.path.exists()


def test_store_round_trip(store: CredentialStore) -> None:
    store.add_user(
        "NguyenVanA", "Nguyễn Văn A", "chuyen_vien", GOOD_PW, email="a@khanhhoa.gov.vn"
    )
    store.add_user("admin1", "Trần Thị B", "quan_tri", GOOD_PW + "!")

    users = raw_users(store)
    rec = users["nguyenvana"]  # stored lower-case, as the library keys it
    assert rec["name"] == "Nguyễn Văn A"
    assert rec["email"] == "a@khanhhoa.gov.vn"
    assert rec["roles"] == ["chuyen_vien"]
    assert rec["disabled"] is False
    assert rec["failed_login_attempts"] == 0
    assert rec["logged_in"] is False
    assert rec["password"].startswith("$2b$") and rec["password"] != GOOD_PW

    with pytest.raises(AccountError, match="đã tồn tại"):
        store.add_user("nguyenvana", "Khác", "lanh_dao", GOOD_PW)
    with pytest.raises(AccountError, match="Vai trò không hợp lệ"):
        store.add_user("khac", "Khác", "admin", GOOD_PW)
    with pytest.raises(AccountError, match="Họ tên"):
        store.add_user("khac", "  ", "lanh_dao", GOOD_PW)
    with pytest.raises(AccountError, match="ít nhất 8"):
        store.add_user("khac", "Khác", "lanh_dao", "ngan")
    assert "khac" not in raw_users(store)

    assert store.verify("nguyenvana", GOOD_PW) == "chuyen_vien"
    assert store.verify("NguyenVanA", GOOD_PW) == "chuyen_vien"
    assert store.verify("nguyenvana", "sai-mat-khau") is None
    assert store.verify("khongco", GOOD_PW) is None

    store.set_password("nguyenvana", "mat-khau-moi-2026")
    assert store.verify("nguyenvana", GOOD_PW) is None
    assert store.verify("nguyenvana", "mat-khau-moi-2026") == "chuyen_vien"
    with pytest.raises(AccountError, match="Không có tài khoản"):
        store.set_password("khongco", GOOD_PW)
    with pytest.raises(AccountError, match="ít nhất 8"):
        store.set_password("nguyenvana", "ngan")

    store.disable("nguyenvana")
    assert store.verify("nguyenvana", "mat-khau-moi-2026") is None
    creds = store.authenticator_credentials()
    assert set(creds["usernames"]) == {"admin1"}

    listed = store.list_users()
    assert [u["username"] for u in listed] == ["admin1", "nguyenvana"]
    assert listed[1] == {
        "username": "nguyenvana",
        "name": "Nguyễn Văn A",
        "email": "a@khanhhoa.gov.vn",
        "role": "chuyen_vien",
        "disabled": True,
        "locked_until": None,
        "policy_version": accounts.PASSWORD_POLICY_VERSION,
    }
    assert all("password" not in u for u in listed)
    assert "$2b$" not in json.dumps(listed)

    store.enable("nguyenvana")
    assert store.verify("nguyenvana", "mat-khau-moi-2026") == "chuyen_vien"
    assert set(store.authenticator_credentials()["usernames"]) == {
        "admin1",
        "nguyenvana",
    }
    with pytest.raises(AccountError, match="Không có tài khoản"):
        store.disable("khongco")


def test_authenticator_credentials_shape_and_isolation(store: CredentialStore) -> None:
    store.add_user("canbo1", "Cán bộ 1", "lanh_dao", GOOD_PW)
    creds = store.authenticator_credentials()
    entry = creds["usernames"]["canbo1"]
    assert set(entry) == {
        "name",
        "email",
        "password",
        "roles",
        "failed_login_attempts",
        "logged_in",
    }
    assert entry["roles"] == ["lanh_dao"] and entry["failed_login_attempts"] == 0
    # The library mutates the dict it is given; that must not reach the file.
    entry["roles"].append("quan_tri")
    entry["logged_in"] = True
    assert raw_users(store)["canbo1"]["roles"] == ["lanh_dao"]
    assert raw_users(store)["canbo1"]["logged_in"] is False


def test_hash_accepted_by_streamlit_authenticator(store: CredentialStore) -> None:
    hasher = pytest.importorskip("streamlit_authenticator.utilities.hasher")
    store.add_user("canbo1", "Cán bộ 1", "lanh_dao", GOOD_PW)
    hashed = store.authenticator_credentials()["usernames"]["canbo1"]["password"]
    assert hasher.Hasher.is_hash(hashed)
    assert hasher.Hasher.check_pw(GOOD_PW, hashed)
    assert not hasher.Hasher.check_pw("sai-mat-khau", hashed)


def test_file_is_private_and_atomic(store: CredentialStore) -> None:
    store.add_user("canbo1", "Cán bộ 1", "lanh_dao", GOOD_PW)
    assert stat.S_IMODE(store.path.stat().st_mode) == 0o600
    text = store.path.read_text(encoding="utf-8")
    assert GOOD_PW not in text
    assert "$2b$" in text
    assert "Cán bộ 1" in text  # readable UTF-8, not escaped

    store.path.chmod(0o644)  # even if someone loosened it, the next write fixes it
    store.set_password("canbo1", "mat-khau-moi-2026")
    assert stat.S_IMODE(store.path.stat().st_mode) == 0o600
    assert "mat-khau-moi-2026" not in store.path.read_text(encoding="utf-8")
    leftovers = [p.name for p in store.path.parent.iterdir() if p.name.endswith(".tmp")]
    assert leftovers == []


def test_other_top_level_keys_preserved(store: CredentialStore) -> None:
    store.path.parent.mkdir(parents=True)
    store.path.write_text("cookie: {name: cchc, expiry_days: 7}\n", encoding="utf-8")
    store.add_user("canbo1", "Cán bộ 1", "lanh_dao", GOOD_PW)
    config = yaml.safe_load(store.path.read_text(encoding="utf-8"))
    assert config["cookie"] == {"name": "cchc", "expiry_days": 7}
    assert "canbo1" in config["credentials"]["usernames"]


def test_corrupt_file_is_reported(store: CredentialStore) -> None:
    store.path.parent.mkdir(parents=True)
    store.path.write_text("- just\n- a list\n", encoding="utf-8")
    with pytest.raises(CredentialFileError, match="không đúng định dạng"):
        store.load()
    store.path.write_text("credentials: {usernames: [\n", encoding="utf-8")
    with pytest.raises(CredentialFileError, match="YAML"):
        store.list_users()


def test_last_admin_cannot_be_disabled(store: CredentialStore) -> None:
    store.add_user("admin1", "Quản trị 1", "quan_tri", GOOD_PW)
    with pytest.raises(AccountError, match="quản trị cuối cùng"):
        store.disable("admin1")
    store.add_user("admin2", "Quản trị 2", "quan_tri", GOOD_PW)
    store.disable("admin1")
    with pytest.raises(AccountError, match="quản trị cuối cùng"):
        store.disable("admin2")


# ------------------------------------------------------------------- demo


def test_demo_accounts(store: CredentialStore) -> None:
    assert [(u, r) for u, _, r, _ in DEMO_ACCOUNTS] == [
        ("lanhdao", "lanh_dao"),
        ("chuyenvien", "chuyen_vien"),
        ("quantri", "quan_tri"),
    ]
    assert not store.has_demo_accounts()
    ensure_demo_accounts(store)
    assert store.has_demo_accounts()
    for username, _, role, password in DEMO_ACCOUNTS:
        validate_password(password)
        assert store.verify(username, password) == role
    assert raw_users(store)["lanhdao"]["name"] == "Lãnh đạo (trình diễn)"

    store.set_password("lanhdao", "doi-roi-2026")
    store.disable("chuyenvien")
    ensure_demo_accounts(store)  # idempotent; leaves existing accounts alone
    assert store.verify("lanhdao", "doi-roi-2026") == "lanh_dao"
    assert store.verify("chuyenvien", "chuyenvien@2026") is None
    assert len(store.list_users()) == 3


# ------------------------------------------------------- production readiness


def ready_store(store: CredentialStore) -> CredentialStore:
    store.add_user("admin1", "Quản trị 1", "quan_tri", GOOD_PW)
    return store


def test_production_ready_ok(store: CredentialStore) -> None:
    ready_store(store)
    assert check_production_ready(settings_for(store), store, STRONG_KEY) == []


@pytest.mark.parametrize(
    ("key", "fragment"),
    [
        (None, "Chưa đặt khóa"),
        ("   ", "Chưa đặt khóa"),
        ("doi-khoa-nay", "mặc định"),
        (accounts.EXAMPLE_COOKIE_KEY, "mặc định"),
        ("x" * 31, "quá ngắn (31 ký tự"),
    ],
)
def test_production_bad_cookie_key(
    store: CredentialStore, key: str | None, fragment: str
) -> None:
    ready_store(store)
    problems = check_production_ready(settings_for(store), store, key)
    assert len(problems) == 1
    assert fragment in problems[0]
    assert len(accounts.EXAMPLE_COOKIE_KEY) >= 32  # refused although long enough


def test_production_refuses_demo_accounts(store: CredentialStore) -> None:
    ready_store(store)
    ensure_demo_accounts(store)
    problems = check_production_ready(settings_for(store), store, STRONG_KEY)
    assert len(problems) == 1
    assert "trình diễn" in problems[0]
    assert "chuyenvien, lanhdao, quantri" in problems[0]
    for username, *_ in DEMO_ACCOUNTS:
        store.disable(username)
    assert not store.has_demo_accounts()
    assert check_production_ready(settings_for(store), store, STRONG_KEY) == []


def test_production_needs_an_admin(store: CredentialStore) -> None:
    problems = check_production_ready(settings_for(store), store, STRONG_KEY)
    assert len(problems) == 1 and "quản trị" in problems[0]

    store.add_user("canbo1", "Cán bộ 1", "chuyen_vien", GOOD_PW)
    assert len(check_production_ready(settings_for(store), store, STRONG_KEY)) == 1

    # The demo administrator does not count, even with its own password changed.
    store.add_user("quantri", "Quản trị (trình diễn)", "quan_tri", GOOD_PW)
    problems = check_production_ready(settings_for(store), store, STRONG_KEY)
    assert any("quản trị (quan_tri)" in p for p in problems)

    # Several problems are reported together.
    problems = check_production_ready(settings_for(store, mode="prod"), store, None)
    assert len(problems) == 4


def test_production_corrupt_file(store: CredentialStore) -> None:
    store.path.parent.mkdir(parents=True)
    store.path.write_text("[1, 2]\n", encoding="utf-8")
    problems = check_production_ready(settings_for(store), store, STRONG_KEY)
    assert len(problems) == 1 and "không đúng định dạng" in problems[0]


def test_cookie_key_sources(monkeypatch: pytest.MonkeyPatch) -> None:
    secrets = {"auth": {"cookie_key": "  from-secrets  "}}
    assert cookie_key_from_env_or_secrets(None) is None
    assert cookie_key_from_env_or_secrets({}) is None
    assert cookie_key_from_env_or_secrets({"auth": {}}) is None
    assert cookie_key_from_env_or_secrets({"auth": {"cookie_key": ""}}) is None
    assert cookie_key_from_env_or_secrets(secrets) == "from-secrets"
    monkeypatch.setenv("CCHC_COOKIE_KEY", "   ")
    assert cookie_key_from_env_or_secrets(secrets) == "from-secrets"
    monkeypatch.setenv("CCHC_COOKIE_KEY", "from-env")
    assert cookie_key_from_env_or_secrets(secrets) == "from-env"
    assert cookie_key_from_env_or_secrets(None) == "from-env"


def test_cookie_key_secrets_file_missing() -> None:
    class NoSecretsFile(dict):
        def __getitem__(self, key: str) -> object:
            raise FileNotFoundError("no secrets.toml")

    assert cookie_key_from_env_or_secrets(NoSecretsFile()) is None


# ------------------------------------------------- throttle (issue 13 item 2)

T0 = dt.datetime(2026, 3, 31, 8, 0, tzinfo=dt.UTC)


@pytest.fixture
def users(tmp_path: Path) -> CredentialStore:
    accounts = CredentialStore(tmp_path / "acc" / "credentials.yaml", bcrypt_rounds=4)
    accounts.add_user("admin1", "Quản trị 1", "quan_tri", GOOD_PW)
    return accounts


def _log(engine: Engine) -> list[tuple[str, str, str]]:
    with Session(engine) as session:
        rows = session.exec(select(AuditLog).order_by(AuditLog.id)).all()  # type: ignore[arg-type]
    return [(r.username, r.action, r.detail) for r in rows]


def test_delay_rule_grows_and_is_bounded() -> None:
    for rule in throttle.RULES.values():
        delays = [rule.delay(n) for n in range(200)]
        assert delays[: rule.threshold] == [0.0] * rule.threshold
        assert delays == sorted(delays) and max(delays) == 60 and delays[rule.threshold] == 2


def test_five_failures_for_the_admin_from_one_client_do_not_stop_the_admin_elsewhere(
        db: Engine, users: CredentialStore) -> None:
    waits = [throttle.record_failure(db, "admin1", "203.0.113.7", T0 + dt.timedelta(seconds=i)) for i in range(5)]
    assert waits == [0, 0, 2, 4, 8]  # the pair rule: 3 free failures, then 2 s doubling
    at = T0 + dt.timedelta(seconds=5)
    refused = throttle.sign_in(db, users, "admin1", GOOD_PW, "203.0.113.7", at)
    assert refused.role is None and refused.message == throttle.delayed_message(7)
    ok = throttle.sign_in(db, users, "admin1", GOOD_PW, "10.20.30.40", at)
    assert ok.role == "quan_tri"
    # The failing client may try again once its delay has passed, with the right password.
    later = throttle.sign_in(db, users, "admin1", GOOD_PW, "203.0.113.7", T0 + dt.timedelta(seconds=13))
    assert later.role == "quan_tri"


def test_delay_sequence_is_bounded_and_shared_between_replicas(db: Engine, users: CredentialStore) -> None:
    other_replica = make_engine(db.url.render_as_string(hide_password=False))
    try:
        moment, waits = T0, []
        for i in range(12):
            engine = db if i % 2 else other_replica  # alternate replicas: one shared count
            wait = throttle.record_failure(engine, "admin1", "203.0.113.7", moment)
            waits.append(wait)
            moment += dt.timedelta(seconds=wait or 1)
        assert waits == [0, 0, 2, 4, 8, 16, 32, 60, 60, 60, 60, 60]
        assert throttle.wait_seconds(other_replica, "admin1", "203.0.113.7", moment - dt.timedelta(seconds=30)) == 30
    finally:
        other_replica.dispose()


def test_account_rule_slows_addresses_that_failed_themselves(db: Engine, users: CredentialStore) -> None:
    # A spread-out guess: one failure from each of six addresses.
    for i in range(6):
        throttle.record_failure(db, "admin1", f"198.51.100.{i}", T0 + dt.timedelta(seconds=i))
    at = T0 + dt.timedelta(seconds=6)
    assert throttle.wait_seconds(db, "admin1", "198.51.100.9", at) == 0  # a client that never failed
    assert throttle.wait_seconds(db, "admin1", "198.51.100.0", at) == 3  # 6 failures on the account: 4 s


def test_unknown_and_known_names_answer_alike(db: Engine, users: CredentialStore, tmp_path: Path) -> None:
    known = [throttle.sign_in(db, users, "admin1", "sai-mat-khau", "192.0.2.1", T0 + dt.timedelta(seconds=i))
             for i in range(4)]
    unknown = [throttle.sign_in(db, users, "khongco", "sai-mat-khau", "192.0.2.2", T0 + dt.timedelta(seconds=i))
               for i in range(4)]
    assert [a.message for a in known] == [a.message for a in unknown]
    assert known[0].message == "Tên đăng nhập hoặc mật khẩu không đúng."
    assert known[3].message == throttle.delayed_message(1)  # unknown names are throttled too
    # Timing: a wrong password for an existing name and any password for an unknown name both
    # cost one bcrypt check at the store's cost factor (medians, to ride out a busy machine).
    slow = CredentialStore(tmp_path / "timing.yaml", bcrypt_rounds=10)
    slow.add_user("admin1", "Quản trị 1", "quan_tri", GOOD_PW)
    slow.verify("khongco", "x" * 8)  # the dummy hash is made once per store

    def median(name: str) -> float:
        runs = []
        for _ in range(7):
            t = time.perf_counter()
            assert slow.verify(name, "sai-mat-khau") is None
            runs.append(time.perf_counter() - t)
        return sorted(runs)[3]

    ratio = median("khongco") / median("admin1")
    assert 0.5 < ratio < 2.0, ratio


def test_expired_entries_are_deleted(db: Engine, users: CredentialStore) -> None:
    for i in range(50):
        throttle.record_failure(db, f"ten{i}", f"192.0.2.{i}", T0)
    throttle.record_failure(db, "admin1", "192.0.2.200", T0 + throttle.WINDOW + dt.timedelta(seconds=1))
    with db.connect() as conn:
        keys = [r[0] for r in conn.execute(sa.select(SIGNIN_THROTTLE.c.key))]
    assert sorted(keys) == ["cap:admin1@192.0.2.200", "ip:192.0.2.200", "tk:admin1"]


def test_every_outcome_is_audited_with_its_source(db: Engine, users: CredentialStore) -> None:
    for i in range(3):
        throttle.sign_in(db, users, "Admin1", "sai-mat-khau", "203.0.113.7", T0 + dt.timedelta(seconds=i))
    throttle.sign_in(db, users, "admin1", GOOD_PW, "203.0.113.7", T0 + dt.timedelta(seconds=3))
    throttle.sign_in(db, users, "admin1", GOOD_PW, "10.0.0.5", T0 + dt.timedelta(seconds=3))
    throttle.sign_in(db, users, "x" * 500, "sai-mat-khau", "10.0.0.6", T0)
    log = _log(db)[-6:]
    assert log[:3] == [("admin1", "dang_nhap_sai", "nguồn: 203.0.113.7")] * 3
    assert log[3] == ("admin1", "dang_nhap_tam_hoan", "nguồn: 203.0.113.7; phải chờ 1 giây")
    assert log[4] == ("admin1", "dang_nhap", "nguồn: 10.0.0.5")
    assert log[5] == ("x" * 64, "dang_nhap_sai", "nguồn: 10.0.0.6")  # long names are cut


def test_cli_account_changes_are_audited_from_the_command_line(
        db: Engine, users: CredentialStore, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("CCHC_NEW_PASSWORD", "mat-khau-moi-2026")
    assert user_cli(["add", "canbo1", "--name", "Cán bộ 1", "--role", "lanh_dao"], users, db) == 0
    assert user_cli(["passwd", "canbo1"], users, db) == 0
    assert user_cli(["role", "canbo1", "chuyen_vien"], users, db) == 0
    assert user_cli(["logout", "canbo1"], users, db) == 0
    assert user_cli(["disable", "canbo1"], users, db) == 0
    assert user_cli(["list"], users, db) == 0
    log = [(a, d) for u, a, d in _log(db)[-5:] if u.startswith("cli:")]
    assert log == [("tao_tai_khoan", "canbo1 (lanh_dao); nguồn: dòng lệnh"),
                   ("doi_mat_khau", "canbo1; nguồn: dòng lệnh"),
                   ("doi_vai_tro", "canbo1 (chuyen_vien); nguồn: dòng lệnh"),
                   ("ket_thuc_phien", "canbo1; nguồn: dòng lệnh"),
                   ("khoa_tai_khoan", "canbo1; nguồn: dòng lệnh")]
    assert users.session_generation("canbo1") == 4  # passwd, role, logout, disable


# ----------------------------------------- revocable sessions (issue 13 item 3)

KEY = "Yq3-8vKp_Zt2LmW9xR4bN7cJ1hF6dS0aQeUoGiT5"


@pytest.mark.parametrize("how", ["end_sessions", "set_password", "set_role", "disable"])
def test_old_generation_cookie_is_refused(users: CredentialStore, how: str) -> None:
    users.add_user("canbo1", "Cán bộ 1", "chuyen_vien", GOOD_PW)
    token = session_token.issue(KEY, "canbo1", users.session_generation("canbo1"), T0, 1.0)
    ok = session_token.verify(KEY, token, users, T0 + dt.timedelta(hours=1))
    assert ok is not None and ok.actor == Actor("canbo1", "chuyen_vien") and ok.name == "Cán bộ 1"
    {"end_sessions": lambda: users.end_sessions("canbo1"),
     "set_password": lambda: users.set_password("canbo1", "mat-khau-moi-2026"),
     "set_role": lambda: users.set_role("canbo1", "lanh_dao"),
     "disable": lambda: users.disable("canbo1")}[how]()
    assert session_token.verify(KEY, token, users, T0 + dt.timedelta(hours=1)) is None
    if how != "disable":  # a cookie issued now works again
        fresh = session_token.issue(KEY, "canbo1", users.session_generation("canbo1"), T0, 1.0)
        assert session_token.verify(KEY, fresh, users, T0 + dt.timedelta(hours=1)) is not None


def test_forged_expired_and_old_format_cookies_are_refused(users: CredentialStore) -> None:
    token = session_token.issue(KEY, "admin1", 0, T0, 1.0)
    assert session_token.verify(KEY, token, users, T0 + dt.timedelta(hours=23)) is not None
    assert session_token.verify(KEY, token, users, T0 + dt.timedelta(hours=25)) is None  # expired
    assert session_token.verify(KEY[::-1], token, users, T0) is None  # other key
    assert session_token.verify(KEY, token + "x", users, T0) is None
    assert session_token.verify(KEY, None, users, T0) is None
    legacy = jwt.encode({"username": "admin1", "exp_date": (T0 + dt.timedelta(days=1)).timestamp()}, KEY,
                        algorithm="HS256")  # issued before generations existed: no "gen"
    assert session_token.verify(KEY, legacy, users, T0) is None


def test_last_admin_cannot_be_demoted(users: CredentialStore) -> None:
    with pytest.raises(AccountError, match="quản trị cuối cùng"):
        users.set_role("admin1", "lanh_dao")
    assert users.list_users()[0]["role"] == "quan_tri"


# ---------------------------------------------- weak keys and common passwords


@pytest.mark.parametrize("password", ["12345678", "matkhau123", "admin@123", "Admin@123", "  password1 ",
                                      "anhyeuem123", "khanhhoa@2026", "zzzzzzzzzz", "qwertyuiop"])
def test_common_passwords_are_refused_when_set(users: CredentialStore, password: str) -> None:
    with pytest.raises(AccountError, match="quá phổ biến"):
        users.add_user("canbo1", "Cán bộ 1", "lanh_dao", password)
    with pytest.raises(AccountError, match="quá phổ biến"):
        users.set_password("admin1", password)
    assert users.verify("admin1", GOOD_PW) == "quan_tri"


def test_cli_refuses_a_common_password(users: CredentialStore, capsys: pytest.CaptureFixture[str],
                                       monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("CCHC_NEW_PASSWORD", "12345678")
    assert user_cli(["passwd", "admin1"], users) == 2
    assert "quá phổ biến" in capsys.readouterr().err
    assert users.verify("admin1", GOOD_PW) == "quan_tri"


def test_demo_accounts_keep_their_public_passwords(tmp_path: Path) -> None:
    accounts = CredentialStore(tmp_path / "demo.yaml", bcrypt_rounds=4)
    ensure_demo_accounts(accounts)  # "lanhdao@2026" is on the common list, allowed for demo only
    assert {u["username"] for u in accounts.list_users()} == {u for u, *_ in DEMO_ACCOUNTS}


@pytest.mark.parametrize("key", ["a" * 32, "ab" * 20, "abcd1234" * 5, "Xy7-" * 10, "31415926535897932384626433832795",
                                 "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa1b2c3d4e5f6g7h8i9j"])
def test_weak_cookie_keys_are_refused(users: CredentialStore, key: str) -> None:
    problems = check_production_ready(settings_for(users), users, key)
    assert len(problems) == 1 and "Khóa ký cookie quá yếu" in problems[0]


def test_random_cookie_keys_pass() -> None:
    for _ in range(200):
        assert accounts.cookie_key_weakness(secrets.token_urlsafe(24)) is None  # 32 characters
        assert accounts.cookie_key_weakness(secrets.token_hex(16)) is None  # 32 hex digits


def test_preflight_names_accounts_set_before_the_password_policy(users: CredentialStore) -> None:
    raw = yaml.safe_load(users.path.read_text(encoding="utf-8"))
    del raw["credentials"]["usernames"]["admin1"]["password_policy"]  # an account made by an older version
    users.path.write_text(yaml.safe_dump(raw, allow_unicode=True), encoding="utf-8")
    problems = check_production_ready(settings_for(users), users, STRONG_KEY)
    assert len(problems) == 1 and "admin1" in problems[0] and "user passwd" in problems[0]
    users.set_password("admin1", "mat-khau-moi-2026")
    assert check_production_ready(settings_for(users), users, STRONG_KEY) == []


# --------------------------------------------------------------------- audit


def test_record_audit_in_callers_transaction() -> None:
    engine = create_engine(
        "sqlite://", connect_args={"check_same_thread": False}, poolclass=StaticPool
    )
    SQLModel.metadata.create_all(engine, tables=[AuditLog.__table__])  # type: ignore[attr-defined]
    at = dt.datetime(2026, 3, 31, 9, 30)
    with Session(engine) as session:
        record_audit(
            session,
            Actor("chuyenvien", "chuyen_vien"),
            "upload",
            "Tải lên bao_cao_Q1.xlsx",
            at=at,
        )
        session.rollback()  # nothing is committed on the caller's behalf
    with Session(engine) as session:
        assert session.exec(select(AuditLog)).all() == []
        record_audit(
            session, Actor.system("cli:root"), "manage_users", "Tạo tài khoản canbo1"
        )
        session.commit()
    with Session(engine) as session:
        rows = session.exec(select(AuditLog)).all()
    assert len(rows) == 1
    assert (rows[0].username, rows[0].action, rows[0].detail) == (
        "cli:root",
        "manage_users",
        "Tạo tài khoản canbo1",
    )
    assert isinstance(rows[0].at, dt.datetime)


# ----------------------------------------------------------------------- CLI


def run_cli(
    store: CredentialStore, capsys: pytest.CaptureFixture[str], *argv: str
) -> tuple[int, str, str]:
    code = user_cli(list(argv), store)
    out, err = capsys.readouterr()
    return code, out, err


def test_cli_round_trip(
    store: CredentialStore,
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setenv("CCHC_NEW_PASSWORD", GOOD_PW)
    code, out, err = run_cli(
        store,
        capsys,
        "add",
        "NguyenVanA",
        "--name",
        "Nguyễn Văn A",
        "--role",
        "chuyen_vien",
    )
    assert (code, err) == (0, "")
    assert "Đã tạo tài khoản 'nguyenvana' (Chuyên viên Sở Nội vụ)" in out
    assert store.verify("nguyenvana", GOOD_PW) == "chuyen_vien"

    code, out, err = run_cli(
        store, capsys, "add", "admin1", "--name", "Quản trị", "--role", "quan_tri"
    )
    assert code == 0

    monkeypatch.setenv("CCHC_NEW_PASSWORD", "mat-khau-moi-2026")
    code, out, err = run_cli(store, capsys, "passwd", "nguyenvana")
    assert code == 0 and "Đã đổi mật khẩu" in out
    assert store.verify("nguyenvana", "mat-khau-moi-2026") == "chuyen_vien"

    code, out, err = run_cli(store, capsys, "disable", "nguyenvana")
    assert code == 0 and "Đã vô hiệu hóa" in out
    assert store.verify("nguyenvana", "mat-khau-moi-2026") is None

    code, out, err = run_cli(store, capsys, "list")
    assert code == 0
    assert "nguyenvana" in out and "Nguyễn Văn A" in out and "đã vô hiệu hóa" in out
    assert "Quản trị hệ thống" in out and "$2b$" not in out

    code, out, err = run_cli(store, capsys, "enable", "nguyenvana")
    assert code == 0 and "Đã kích hoạt lại" in out

    code, out, err = run_cli(store, capsys, "list", "--json")
    assert code == 0
    listed = json.loads(out)
    assert [(u["username"], u["role"], u["disabled"]) for u in listed] == [
        ("admin1", "quan_tri", False),
        ("nguyenvana", "chuyen_vien", False),
    ]
    assert "Nguyễn Văn A" in out  # not \u-escaped
    assert "password" not in out


@pytest.mark.parametrize(
    ("argv", "fragment"),
    [
        ([], "Thiếu lệnh"),
        (["xoa", "abc"], "Lệnh không hợp lệ"),
        (["add", "canbo1", "--role", "lanh_dao"], "Thiếu --name"),
        (["add", "canbo1", "--name", "Cán bộ"], "Thiếu --role"),
        (
            ["add", "canbo1", "--name", "Cán bộ", "--role", "admin"],
            "Vai trò không hợp lệ",
        ),
        (
            ["add", "cán-bộ", "--name", "Cán bộ", "--role", "lanh_dao"],
            "Tên đăng nhập không hợp lệ",
        ),
        (["add", "existing", "--name", "Cán bộ", "--role", "lanh_dao"], "đã tồn tại"),
        (["passwd", "khongco"], "Không có tài khoản 'khongco'"),
        (["disable", "khongco"], "Không có tài khoản"),
        (["disable", "existing"], "quản trị cuối cùng"),
        (["list", "--xml"], "Lệnh không hợp lệ"),
    ],
)
def test_cli_errors_exit_2(
    store: CredentialStore,
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
    argv: list[str],
    fragment: str,
) -> None:
    store.add_user("existing", "Quản trị", "quan_tri", GOOD_PW)
    monkeypatch.setenv("CCHC_NEW_PASSWORD", GOOD_PW)
    code, out, err = run_cli(store, capsys, *argv)
    assert code == 2
    assert fragment in err
    assert "Traceback" not in err + out


def test_cli_bad_passwords(
    store: CredentialStore,
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setenv("CCHC_NEW_PASSWORD", "ngan")
    code, _, err = run_cli(
        store, capsys, "add", "canbo1", "--name", "Cán bộ", "--role", "lanh_dao"
    )
    assert code == 2 and "Mật khẩu phải có ít nhất 8 ký tự" in err
    monkeypatch.setenv("CCHC_NEW_PASSWORD", "Mậtkhẩu" * 7)
    code, _, err = run_cli(
        store, capsys, "add", "canbo1", "--name", "Cán bộ", "--role", "lanh_dao"
    )
    assert code == 2 and "Mật khẩu dài quá 72 byte" in err
    assert store.list_users() == []


def test_cli_reads_password_without_echo(
    store: CredentialStore,
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    answers = iter([GOOD_PW, GOOD_PW, GOOD_PW, "khac-han-2026"])
    prompts: list[str] = []

    def fake_getpass(prompt: str = "") -> str:
        prompts.append(prompt)
        return next(answers)

    monkeypatch.setattr(cli.getpass, "getpass", fake_getpass)
    code, _, _ = run_cli(
        store, capsys, "add", "canbo1", "--name", "Cán bộ", "--role", "lanh_dao"
    )
    assert code == 0 and len(prompts) == 2
    assert store.verify("canbo1", GOOD_PW) == "lanh_dao"

    code, _, err = run_cli(store, capsys, "passwd", "canbo1")
    assert code == 2 and "không khớp" in err


def test_read_password_no_echo_eof(monkeypatch: pytest.MonkeyPatch) -> None:
    def eof(prompt: str = "") -> str:
        raise EOFError

    monkeypatch.setattr(cli.getpass, "getpass", eof)
    with pytest.raises(AccountError, match="Không đọc được mật khẩu"):
        cli.read_password_no_echo("Mật khẩu: ")


def test_cli_help_exits_zero(
    store: CredentialStore, capsys: pytest.CaptureFixture[str]
) -> None:
    code, out, _ = run_cli(store, capsys, "--help")
    assert code == 0 and "Quản lý tài khoản" in out
