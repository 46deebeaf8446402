"""Sign-in for the Streamlit app, on top of the tested core in `data_access.auth`.

streamlit-authenticator signs and restores the cookie (so a refresh keeps the user
signed in); our own Vietnamese form checks the password and the lock-out guard,
because the library's own attempt counter lives in one browser session only.
"""

from __future__ import annotations

import datetime as dt
import secrets as pysecrets
from typing import Any

import streamlit as st
import streamlit_authenticator as stauth
from sqlmodel import Session

from data_access import auth
from data_access.settings import ROOT, get_settings
from ui.data import engine

COOKIE_NAME = "cchc_khanh_hoa"
COOKIE_DAYS = 1.0


@st.cache_resource(show_spinner=False)
def credential_store(path: str) -> auth.CredentialStore:
    """The accounts file; in demo mode the demo accounts are created once per process."""
    store = auth.CredentialStore(ROOT / path if not path.startswith("/") else __import__("pathlib").Path(path))
    if get_settings().mode == "demo":
        auth.ensure_demo_accounts(store)
    return store


def _secrets() -> Any:
    try:
        return st.secrets
    except Exception:  # no secrets.toml at all
        return None


def cookie_key() -> str | None:
    """Production: from the environment or secrets. Demo: also a random key kept in data/ (git-ignored)."""
    key = auth.cookie_key_from_env_or_secrets(_secrets())
    if key or get_settings().mode != "demo":
        return key
    path = ROOT / "data" / ".cookie_key"
    if not path.exists():
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(pysecrets.token_urlsafe(48), encoding="utf-8")
        path.chmod(0o600)
    return path.read_text(encoding="utf-8").strip()


def _authenticator(store: auth.CredentialStore, key: str) -> Any:
    """One Authenticate per browser session (the library breaks when created twice)."""
    if "_authenticator" not in st.session_state:
        st.session_state["_authenticator"] = stauth.Authenticate(
            store.authenticator_credentials(), COOKIE_NAME, key, COOKIE_DAYS, auto_hash=False
        )
    return st.session_state["_authenticator"]


def _audit(actor: auth.Actor, action: str, detail: str = "") -> None:
    with Session(engine()) as session:
        auth.record_audit(session, actor, action, detail)
        session.commit()


def _login_form(store: auth.CredentialStore, authenticator: Any) -> None:
    st.title("Đăng nhập")
    st.caption("Hệ thống theo dõi cải cách hành chính tỉnh Khánh Hòa")
    with st.form("dang_nhap"):
        username = st.text_input("Tên đăng nhập", key="login_user", autocomplete="username")
        password = st.text_input("Mật khẩu", type="password", key="login_password", autocomplete="current-password")
        submitted = st.form_submit_button("Đăng nhập", type="primary")
    if not submitted:
        return
    now = dt.datetime.now(dt.UTC)
    guard = auth.LoginGuard(store)
    name = auth.normalize_username(username) if username.strip() else ""
    locked = guard.locked_message(name, now) if name else None
    if locked:
        st.error(locked)
        return
    role = store.verify(name, password) if name and password else None
    if role is None:
        if name and guard.record_failure(name, now):
            st.error(guard.locked_message(name, now) or "Tài khoản tạm khóa.")
        else:
            st.error("Tên đăng nhập hoặc mật khẩu không đúng.")
        return
    guard.record_success(name)
    user = next(u for u in store.list_users() if u["username"] == name)
    st.session_state.update(
        {"username": name, "name": user["name"], "roles": [role], "authentication_status": True, "logout": False}
    )
    authenticator.cookie_controller.set_cookie()
    _audit(auth.Actor(name, role), "dang_nhap")
    st.rerun()


def current_actor() -> auth.Actor | None:
    """The signed-in user of this browser session, or None."""
    actor = st.session_state.get("actor")
    return actor if isinstance(actor, auth.Actor) else None


def sign_in_gate() -> auth.Actor:
    """Return the signed-in actor; otherwise draw the sign-in form (or the refusal to start) and stop."""
    settings = get_settings()
    store = credential_store(str(settings.credentials_file))
    key = cookie_key()
    if settings.mode != "demo":
        problems = auth.check_production_ready(settings, store, key)
        if problems:
            st.error("Ứng dụng chưa thể chạy ở chế độ vận hành (production):\n\n" +
                     "\n".join(f"- {p}" for p in problems))
            st.stop()
    assert key is not None
    authenticator = _authenticator(store, key)
    authenticator.login(location="unrendered")  # restores the session from the signed cookie
    username = st.session_state.get("username")
    if st.session_state.get("authentication_status") and username:
        roles = st.session_state.get("roles") or []
        role = roles[0] if roles and roles[0] in auth.ROLES else None
        if role is not None:
            actor = auth.Actor(username, role)
            if _sidebar_account(actor, authenticator):
                st.session_state["actor"] = actor
                return actor
    st.session_state["actor"] = None
    if settings.mode == "demo":
        _demo_banner(show_accounts=True)
    _login_form(store, authenticator)
    st.stop()
    raise AssertionError("unreachable")


def _sidebar_account(actor: auth.Actor, authenticator: Any) -> bool:
    """Show who is signed in and the sign-out button; False once the user signs out."""
    with st.sidebar:
        st.markdown(f"**{st.session_state.get('name') or actor.username}**  \n{actor.role_label}")
        if st.button("Đăng xuất", key="dang_xuat"):
            _audit(actor, "dang_xuat")
            authenticator.authentication_controller.logout()
            authenticator.cookie_controller.delete_cookie()
            return False
    return True


def _demo_banner(show_accounts: bool = False) -> None:
    text = "**Chế độ trình diễn**: tài khoản và dữ liệu chỉ để thử nghiệm."
    if show_accounts:
        accounts = ", ".join(f"`{u}` / `{p}` ({auth.ROLE_LABELS[r]})" for u, _, r, p in auth.DEMO_ACCOUNTS)
        text += f" Tài khoản thử: {accounts}."
    st.warning(text, icon="🧪")


def demo_banner() -> None:
    """The "Chế độ trình diễn" banner shown on every page in demo mode."""
    if get_settings().mode == "demo":
        _demo_banner()


def guard(action: str) -> auth.Actor:
    """Top of a restricted page: refuse (message only) unless the actor may do `action`."""
    actor = current_actor()
    if actor is None or not auth.can(actor.role, action):
        st.error("Bạn không có quyền truy cập trang này.", icon="⛔")
        st.stop()
    assert actor is not None
    return actor
