"""Sign-in and roles through AppTest, and the production-mode refusal (issue: sign-in and roles)."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from sqlalchemy.engine import Engine

from data_access import auth
from data_access.auth import DEMO_ACCOUNTS
from tests.conftest import ROOT
from tests.signin import PASSWORDS, app, sign_in

VIEWS = ["Tiến độ theo lĩnh vực", "Quá hạn theo cơ quan", "Chỉ tiêu 2025 - 2026", "Nhiệm vụ"]
UPLOADS = ["Cập nhật số liệu", "Lịch sử tải lên"]
EXPECTED_PAGES = {
    "lanh_dao": ["Tổng quan", *VIEWS, "Trình chiếu"],
    "chuyen_vien": ["Tổng quan", *VIEWS, "Trình chiếu", *UPLOADS],
    "quan_tri": ["Tổng quan", *VIEWS, "Trình chiếu", *UPLOADS, "Tài khoản", "Danh mục cơ quan", "Cấu hình",
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
    assert at.session_state["actor"] == auth.Actor(PASSWORDS[role][0], role)
    assert len(at.metric) == 5  # the overview is the landing page


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


def test_lockout_after_five_failures(store: Engine) -> None:
    at = app()
    for _ in range(5):
        sign_in(at, "lanhdao", "sai-mat-khau")
    at = sign_in(at, "lanhdao", "lanhdao@2026")  # right password, but locked
    assert len(at.metric) == 0
    assert "khóa" in at.error[0].value


def test_seventy_three_byte_password_is_refused() -> None:
    password = "Mậtkhẩu" * 6 + "abcdefg"  # 66 + 7 = 73 bytes in UTF-8
    assert len(password.encode()) == 73
    with pytest.raises(auth.AccountError, match="72 byte"):
        auth.validate_password(password)


def test_leader_cannot_call_write_functions(store: Engine, tmp_path: Path) -> None:
    leader = auth.Actor("lanhdao", "lanh_dao")
    users = auth.CredentialStore(tmp_path / "c.yaml", bcrypt_rounds=4)
    with pytest.raises(auth.PermissionDenied):
        auth.add_user_as(leader, users, store, "moi", "Người mới", "lanh_dao", "matkhau123")
    assert users.list_users() == []


def test_sign_out(store: Engine) -> None:
    at = sign_in(app(), *PASSWORDS["chuyen_vien"])
    assert len(at.metric) == 5
    at.button(key="dang_xuat").click().run()
    assert len(at.metric) == 0
    assert [t.label for t in at.text_input] == ["Tên đăng nhập", "Mật khẩu"]


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
    users = auth.CredentialStore(tmp_path / "c.yaml", bcrypt_rounds=4)
    users.add_user("admin.tinh", "Quản trị", "quan_tri", "mat-khau-rat-dai-2026")
    env = {"CCHC_MODE": "production", "CCHC_CREDENTIALS_FILE": str(tmp_path / "c.yaml"),
           "CCHC_COOKIE_KEY": "k" * 48}
    assert _preflight(env, tmp_path).returncode == 0
    ensure = auth.CredentialStore(tmp_path / "c.yaml", bcrypt_rounds=4)
    auth.ensure_demo_accounts(ensure)
    result = _preflight(env, tmp_path)
    assert result.returncode == 2 and "trình diễn" in result.stderr


def test_admin_catalogue_adds_an_alias_the_importer_then_recognises(store: Engine) -> None:
    from data_access.catalogue import add_alias, agency_catalogue
    from data_access.importer import find_agency

    catalogue = agency_catalogue(store)
    old = catalogue[catalogue["name"] == "Sở Kế hoạch và Đầu tư"].iloc[0]
    assert old["successor"] == "Sở Tài chính" and old["lead_tasks"] == 0  # its tasks count under the successor
    finance = int(catalogue[catalogue["name"] == "Sở Tài chính"]["id"].iloc[0])
    with pytest.raises(auth.PermissionDenied):
        add_alias(store, auth.Actor("lanhdao", "lanh_dao"), finance, "STC Khánh Hòa")
    add_alias(store, auth.Actor("quantri", "quan_tri"), finance, "STC Khánh Hòa")
    with pytest.raises(ValueError, match="đã được dùng"):
        add_alias(store, auth.Actor("quantri", "quan_tri"), finance, "stc khanh hoa")
    found = find_agency(store, "STC Khanh Hoa")
    assert found is not None and found[0] == finance

    at = sign_in(app(), *PASSWORDS["quan_tri"])
    at.switch_page("pages/quan_tri_co_quan.py").run()
    assert not at.exception
    shown = at.dataframe[0].value
    assert "STC Khánh Hòa" in shown.loc[shown["Cơ quan"] == "Sở Tài chính", "Tên gọi khác"].iloc[0]
    at.switch_page("pages/quan_tri_cau_hinh.py").run()
    assert not at.exception and "CCHC_UPLOAD_MAX_MB" in set(at.dataframe[0].value["Biến môi trường"])
