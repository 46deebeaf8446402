"""Sign-in and roles through AppTest, and the production-mode refusal (issue: sign-in and roles)."""

from __future__ import annotations

import datetime as dt
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from sqlalchemy.engine import Engine
from sqlmodel import Session, select
from streamlit.testing.v1 import AppTest

from data_access import accounts, permissions, session_token
from data_access.accounts import DEMO_ACCOUNTS
from data_access.models import AuditLog
from tests.conftest import ROOT
from tests.signin import PASSWORDS, app, sign_in

VIEWS = ["Tiến độ theo lĩnh vực", "Quá hạn theo cơ quan", "Tình hình nộp báo cáo", "Chỉ tiêu 2025 - 2026", "Xếp hạng cơ quan",
         "Nhiệm vụ", "Giải trình"]
UPLOADS = ["Cập nhật số liệu", "Lịch sử tải lên"]
EXPECTED_PAGES = {
    "lanh_dao": ["Tổng quan", "Chỉ số PAR INDEX, SIPAS", *VIEWS, "Trình chiếu"],
    "chuyen_vien": ["Tổng quan", "Chỉ số PAR INDEX, SIPAS", *VIEWS, "Trình chiếu", *UPLOADS],
    "quan_tri": ["Tổng quan", "Chỉ số PAR INDEX, SIPAS", *VIEWS, "Trình chiếu", *UPLOADS, "Tài khoản", "Danh mục cơ quan",
                 "Liên kết nhiệm vụ – chỉ số", "Cấu hình",
                 "Nhật ký hoạt động"],
}


def test_without_sign_in_only_the_form_renders(store: Engine) -> None:
    at = app().run()
    assert not at.exception
    assert [t.label for t in at.text_input] == ["Tên đăng nhập", "Mật khẩu"]
    assert len(at.metric) == 0 and len(at.dataframe) == 0 and len(at.get("arrow_vega_lite_chart")) == 0
    assert any("Chế độ trình diễn" in w.value for w in at.warning)


@pytest.mark.parametrize("role", list(EXPECTED_PAGES))
def test_each_role_sees_exactly_its_pages(store: Engine, role: str) -> None:
    at = sign_in(app(), *PASSWORDS[role])
    assert not at.exception
    assert at.session_state["visible_pages"] == EXPECTED_PAGES[role]
    assert at.session_state["actor"] == permissions.Actor(PASSWORDS[role][0], role)
    assert len(at.metric) == 7  # the overview is the landing page: PAR INDEX, SIPAS and five KPI cards


@pytest.mark.parametrize("page", ["pages/quan_tri_tai_khoan.py", "pages/quan_tri_nhat_ky.py"])
def test_leader_sent_to_admin_page_gets_refusal_only(store: Engine, page: str) -> None:
    at = sign_in(app(), *PASSWORDS["lanh_dao"])
    at.switch_page(page).run()
    assert not at.exception
    assert [e.value for e in at.error] == ["Bạn không có quyền truy cập trang này."]
    assert len(at.dataframe) == 0 and len(at.metric) == 0 and len(at.text_input) == 0


def test_admin_opens_accounts_and_audit(store: Engine) -> None:
    at = sign_in(app(), *PASSWORDS["quan_tri"])
    at.switch_page("pages/quan_tri_tai_khoan.py").run()
    assert not at.exception
    users = at.dataframe[0].value
    assert set(users["Tên đăng nhập"]) == {u for u, _, _, _ in DEMO_ACCOUNTS}
    at.switch_page("pages/quan_tri_nhat_ky.py").run()
    log = at.dataframe[0].value
    assert (log["Tài khoản"] == "quantri").any() and (log["Hoạt động"] == "Đăng nhập").any()


def test_wrong_password_fails(store: Engine) -> None:
    at = sign_in(app(), "lanhdao", "sai-mat-khau")
    assert [e.value for e in at.error] == ["Tên đăng nhập hoặc mật khẩu không đúng."]
    assert len(at.metric) == 0
    assert at.session_state["actor"] is None


def test_five_failures_delay_that_client_but_not_the_administrator_elsewhere(
        store: Engine, monkeypatch: pytest.MonkeyPatch) -> None:
    """Throttling, not lock-out (issue 13 item 2): the attacker's address waits, the admin signs in elsewhere."""
    from ui import signin

    monkeypatch.setattr(signin, "client_address", lambda: "203.0.113.7")
    attacker = app()
    for _ in range(5):
        sign_in(attacker, "quantri", "sai-mat-khau")
    attacker = sign_in(attacker, "quantri", "quantri@2026")  # right password, from the failing address
    assert len(attacker.metric) == 0
    assert attacker.error[0].value.startswith("Đăng nhập tạm hoãn vì nhập sai nhiều lần. Vui lòng thử lại sau")

    monkeypatch.setattr(signin, "client_address", lambda: "10.20.30.40")
    admin = sign_in(app(), "quantri", "quantri@2026")
    assert not admin.exception
    assert admin.session_state["actor"] == permissions.Actor("quantri", "quan_tri") and len(admin.metric) == 7
    with Session(store) as s:
        rows = s.exec(select(AuditLog).order_by(AuditLog.id)).all()  # type: ignore[arg-type]
    sources = [(r.username, r.action, r.detail) for r in rows if r.action.startswith("dang_nhap")]
    # Three wrong passwords are examined; from then on that address must wait (2 s, then 4 s, ...), and
    # attempts made while waiting are refused unexamined: audited, not counted.
    assert sources.count(("quantri", "dang_nhap_sai", "nguồn: 203.0.113.7")) == 3
    delayed = [d for u, a, d in sources if (u, a) == ("quantri", "dang_nhap_tam_hoan")]
    assert len(delayed) == 3 and all(d.startswith("nguồn: 203.0.113.7; phải chờ ") for d in delayed)
    assert sources[-1] == ("quantri", "dang_nhap", "nguồn: 10.20.30.40")


def test_unknown_and_known_names_get_the_same_answers(store: Engine, monkeypatch: pytest.MonkeyPatch) -> None:
    from ui import signin

    answers: dict[str, list[str]] = {}
    for name, address in (("lanhdao", "198.51.100.1"), ("khong-co-ai", "198.51.100.2")):
        monkeypatch.setattr(signin, "client_address", lambda a=address: a)
        at = app()
        answers[name] = [sign_in(at, name, "sai-mat-khau").error[0].value for _ in range(4)]
    assert answers["lanhdao"][:3] == answers["khong-co-ai"][:3]
    assert answers["lanhdao"][0] == "Tên đăng nhập hoặc mật khẩu không đúng."
    assert answers["lanhdao"][2] == "Tên đăng nhập hoặc mật khẩu không đúng. Vui lòng chờ 2 giây trước khi thử lại."
    for name in answers:  # the fourth attempt comes within the 2 s: refused unexamined, same text
        assert answers[name][3].startswith("Đăng nhập tạm hoãn vì nhập sai nhiều lần. Vui lòng thử lại sau ")


def test_seventy_three_byte_password_is_refused() -> None:
    password = "Mậtkhẩu" * 6 + "abcdefg"  # 66 + 7 = 73 bytes in UTF-8
    assert len(password.encode()) == 73
    with pytest.raises(permissions.AccountError, match="72 byte"):
        accounts.validate_password(password)


def test_leader_cannot_call_write_functions(store: Engine, tmp_path: Path) -> None:
    leader = permissions.Actor("lanhdao", "lanh_dao")
    users = accounts.CredentialStore(tmp_path / "c.yaml", bcrypt_rounds=4)
    with pytest.raises(permissions.PermissionDenied):
        accounts.add_user_as(leader, users, store, "moi", "Người mới", "lanh_dao", "matkhau123")
    assert users.list_users() == []


def test_sign_out(store: Engine) -> None:
    at = sign_in(app(), *PASSWORDS["chuyen_vien"])
    assert len(at.metric) == 7
    at.button(key="dang_xuat").click().run()
    assert len(at.metric) == 0
    assert [t.label for t in at.text_input] == ["Tên đăng nhập", "Mật khẩu"]


def _cookie_of(at: AppTest, key: str) -> str:
    """The cookie the browser holds after signing in `at` (same claims and key as the app writes)."""
    return session_token.issue(key, at.session_state["username"], at.session_state["session_generation"],
                               dt.datetime.now(dt.UTC), 1.0)


@pytest.mark.parametrize("how", ["sign_out", "password", "role", "disable"])
def test_old_cookie_is_refused_after_the_session_ends(store: Engine, monkeypatch: pytest.MonkeyPatch,
                                                      tmp_path: Path, how: str) -> None:
    """Revocable sessions (issue 13 item 3): a copied cookie stops working after sign-out and account changes."""
    from ui import signin

    key = "Yq3-8vKp_Zt2LmW9xR4bN7cJ1hF6dS0aQeUoGiT5"
    monkeypatch.setenv("CCHC_COOKIE_KEY", key)
    first = sign_in(app(), *PASSWORDS["chuyen_vien"])
    cookie = _cookie_of(first, key)
    monkeypatch.setattr(signin, "request_cookie", lambda: cookie)
    again = app().run()  # a new browser session carrying the cookie: signed in without the form
    assert again.session_state["actor"] == permissions.Actor("chuyenvien", "chuyen_vien") and len(again.metric) == 7

    users = accounts.CredentialStore(tmp_path / "credentials.yaml", bcrypt_rounds=4)
    if how == "sign_out":
        first.button(key="dang_xuat").click().run()
    elif how == "password":
        users.set_password("chuyenvien", "mat-khau-moi-2026")
    elif how == "role":
        users.set_role("chuyenvien", "lanh_dao")
    else:
        users.disable("chuyenvien")
    stolen = app().run()
    assert stolen.session_state["actor"] is None and len(stolen.metric) == 0
    assert [t.label for t in stolen.text_input] == ["Tên đăng nhập", "Mật khẩu"]
    again.run()  # the session that was open meanwhile ends at its next interaction too
    assert again.session_state["actor"] is None and len(again.metric) == 0


def _preflight(env: dict[str, str], tmp_path: Path) -> subprocess.CompletedProcess[str]:
    clean = {k: v for k, v in os.environ.items() if k not in ("CCHC_COOKIE_KEY",)}
    return subprocess.run([sys.executable, "-m", "data_access", "preflight"], cwd=tmp_path, capture_output=True,
                          text=True, env={**clean, "PYTHONPATH": str(ROOT), **env}, timeout=60)


def test_production_without_cookie_key_refuses_to_start(tmp_path: Path) -> None:
    shutil.copy(ROOT / ".streamlit" / "secrets.toml.example", tmp_path / "unused.toml")
    env = {"CCHC_MODE": "production", "CCHC_CREDENTIALS_FILE": str(tmp_path / "c.yaml")}
    result = _preflight(env, tmp_path)
    assert result.returncode == 2
    assert "Chưa đặt khóa ký cookie" in result.stderr and "Traceback" not in result.stderr


def test_production_ready(tmp_path: Path) -> None:
    users = accounts.CredentialStore(tmp_path / "c.yaml", bcrypt_rounds=4)
    users.add_user("admin.tinh", "Quản trị", "quan_tri", "mat-khau-rat-dai-2026")
    env = {"CCHC_MODE": "production", "CCHC_CREDENTIALS_FILE": str(tmp_path / "c.yaml"),
           "CCHC_COOKIE_KEY": "Yq3-8vKp_Zt2LmW9xR4bN7cJ1hF6dS0aQeUoGiT5xE"}
    assert _preflight(env, tmp_path).returncode == 0
    ensure = accounts.CredentialStore(tmp_path / "c.yaml", bcrypt_rounds=4)
    accounts.ensure_demo_accounts(ensure)
    result = _preflight(env, tmp_path)
    assert result.returncode == 2 and "trình diễn" in result.stderr


def test_admin_catalogue_adds_an_alias_the_importer_then_recognises(store: Engine) -> None:
    from data_access.catalogue import add_alias, agency_catalogue
    from data_access.importer import find_agency

    catalogue = agency_catalogue(store)
    old = catalogue[catalogue["name"] == "Sở Kế hoạch và Đầu tư"].iloc[0]
    assert old["successor"] == "Sở Tài chính" and old["lead_tasks"] == 0  # its tasks count under the successor
    finance = int(catalogue[catalogue["name"] == "Sở Tài chính"]["id"].iloc[0])
    with pytest.raises(permissions.PermissionDenied):
        add_alias(store, permissions.Actor("lanhdao", "lanh_dao"), finance, "STC Khánh Hòa")
    add_alias(store, permissions.Actor("quantri", "quan_tri"), finance, "STC Khánh Hòa")
    with pytest.raises(ValueError, match="đã được dùng"):
        add_alias(store, permissions.Actor("quantri", "quan_tri"), finance, "stc khanh hoa")
    found = find_agency(store, "STC Khanh Hoa")
    assert found is not None and found[0] == finance

    at = sign_in(app(), *PASSWORDS["quan_tri"])
    at.switch_page("pages/quan_tri_co_quan.py").run()
    assert not at.exception
    shown = at.dataframe[0].value
    assert "STC Khánh Hòa" in shown.loc[shown["Cơ quan"] == "Sở Tài chính", "Tên gọi khác"].iloc[0]
    at.switch_page("pages/quan_tri_cau_hinh.py").run()
    assert not at.exception and "CCHC_UPLOAD_MAX_MB" in set(at.dataframe[0].value["Biến môi trường"])


@pytest.mark.parametrize(("url", "forced", "secure"), [("https://cchc.khanhhoa.gov.vn/", "", True),
                                                       ("http://127.0.0.1:8501/", "", None),
                                                       ("http://127.0.0.1:8501/", "1", True)])
def test_cookie_is_secure_over_https(store: Engine, monkeypatch: pytest.MonkeyPatch, url: str, forced: str,
                                     secure: bool | None) -> None:
    import extra_streamlit_components as stx

    written: list[dict[str, object]] = []
    original = stx.CookieManager.set

    def record(self: object, cookie: str, val: str, **options: object) -> None:
        written.append({"cookie": cookie, "value": val, **options})
        original(self, cookie, val, **options)  # type: ignore[arg-type]

    monkeypatch.setattr(stx.CookieManager, "set", record)
    monkeypatch.setenv("CCHC_COOKIE_SECURE", forced)
    at = app()
    at.context = {"url": url}
    sign_in(at, *PASSWORDS["lanh_dao"])
    assert len(at.metric) == 7
    assert [(w["cookie"], w.get("secure"), w.get("same_site")) for w in written] == \
        [("cchc_khanh_hoa", secure, "strict")]
