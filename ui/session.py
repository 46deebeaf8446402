"""Sign-in for the Streamlit app, on top of the tested core in `data_access.auth`.

streamlit-authenticator signs and restores the cookie (so a refresh keeps the user
signed in); our own Vietnamese form checks the password and the lock-out guard,
because the library's own attempt counter lives in one browser session only.
"""

from __future__ import annotations

import datetime as dt
import secrets as pysecrets
import time
from pathlib import Path
from typing import Any

import jwt
import streamlit as st
import streamlit_authenticator as stauth
from sqlmodel import Session

from data_access import auth
from data_access.settings import ROOT, get_settings
from ui.chrome import pin_widget_identity, signed_out_navigation
from ui.data import engine

COOKIE_NAME = "cchc_khanh_hoa"
COOKIE_DAYS = 1.0


@st.cache_resource(show_spinner=False)
def credential_store(path: str) -> auth.CredentialStore:
    """The accounts file; in demo mode the demo accounts are created once per process."""
    store = auth.CredentialStore(Path(path) if Path(path).is_absolute() else ROOT / path)
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
    """One Authenticate per browser session (the library breaks when created twice).

    Created only when a cookie must be written or deleted: its cookie component reruns the app.
    """
    if "_authenticator" not in st.session_state:
        st.session_state["_authenticator"] = stauth.Authenticate(
            store.authenticator_credentials(), COOKIE_NAME, key, COOKIE_DAYS, auto_hash=False
        )
    return st.session_state["_authenticator"]


def _audit(actor: auth.Actor, action: str, detail: str = "") -> None:
    with Session(engine()) as session:
        auth.record_audit(session, actor, action, detail)
        session.commit()


def _login_form(store: auth.CredentialStore, key: str) -> bool:
    """Draw the sign-in form; True once the user signed in during this run.

    No st.rerun() after a success: the cookie is written by a browser-side component
    rendered in this run, and a rerun would discard it before the browser sees it.
    """
    placeholder = st.empty()
    with placeholder.container():
        st.title("Đăng nhập")
        st.caption("Hệ thống theo dõi cải cách hành chính tỉnh Khánh Hòa")
        with st.form("dang_nhap"):
            username = st.text_input("Tên đăng nhập", key="login_user", autocomplete="username")
            password = st.text_input("Mật khẩu", type="password", key="login_password",
                                     autocomplete="current-password")
            submitted = st.form_submit_button("Đăng nhập", type="primary")
        if not submitted:
            return False
        now = dt.datetime.now(dt.UTC)
        guard = auth.LoginGuard(store)
        name = auth.normalize_username(username) if username.strip() else ""
        locked = guard.locked_message(name, now) if name else None
        if locked:
            st.error(locked)
            return False
        role = store.verify(name, password) if name and password else None
        if role is None:
            if name and guard.record_failure(name, now):
                st.error(guard.locked_message(name, now) or "Tài khoản tạm khóa.")
            else:
                st.error("Tên đăng nhập hoặc mật khẩu không đúng.")
            return False
    placeholder.empty()
    guard.record_success(name)
    user = next(u for u in store.list_users() if u["username"] == name)
    authenticator = _authenticator(store, key)
    st.session_state.update({"username": name, "name": user["name"], "roles": [role], "authentication_status": True,
                             "logout": False, "signed_out": False, "actor": auth.Actor(name, role)})
    authenticator.cookie_controller.set_cookie()  # rendered in this run; see the docstring
    _audit(auth.Actor(name, role), "dang_nhap")
    return True


def current_actor() -> auth.Actor | None:
    """The signed-in user of this browser session, or None."""
    actor = st.session_state.get("actor")
    return actor if isinstance(actor, auth.Actor) else None


def _account(store: auth.CredentialStore, username: str) -> tuple[str, str] | None:
    """(role, display name) of an enabled account; None for disabled or removed accounts."""
    user = store.authenticator_credentials()["usernames"].get(username) or {}
    roles = user.get("roles") or []
    if not roles or roles[0] not in auth.ROLES:
        return None
    return roles[0], str(user.get("name") or username)


def _restore_from_cookie(store: auth.CredentialStore, key: str) -> auth.Actor | None:
    """Verify the signed cookie (written by streamlit-authenticator) straight from the request.

    We do not call the library's login(): it sleeps on every run and its cookie component
    triggers a rerun before st.navigation runs, which sends a refreshed sub-page back to the
    default page (Streamlit-Authenticator issue #179).
    """
    if st.session_state.get("signed_out"):
        return None  # the request still carries the cookie this session just asked to delete
    raw = st.context.cookies.get(COOKIE_NAME)
    if not raw:
        return None
    try:
        token = jwt.decode(raw, key, algorithms=["HS256"])
    except jwt.PyJWTError:
        return None
    username = str(token.get("username") or "")
    if float(token.get("exp_date") or 0) < time.time():
        return None
    account = _account(store, username)
    if account is None:
        return None
    st.session_state["name"] = account[1]  # shown in the sidebar
    return auth.Actor(username, account[0])


def sign_in_gate() -> auth.Actor:
    """Return the signed-in actor; otherwise draw the sign-in form (or the refusal to start) and stop."""
    pin_widget_identity()  # before any widget: see ui.chrome
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
    actor = current_actor()
    if actor is not None:  # signed in earlier in this session: still enabled, same role?
        account = _account(store, actor.username)
        actor = actor if account is not None and account[0] == actor.role else None
    if actor is None:
        actor = _restore_from_cookie(store, key)
    if actor is not None and _sidebar_account(actor, store, key):
        st.session_state["actor"] = actor
        return actor
    st.session_state["actor"] = None
    signed_out_navigation()  # pages registered hidden: the sign-in page lists none of them
    banner = st.empty()
    if settings.mode == "demo":
        with banner.container():
            _demo_banner(show_accounts=True)
    if _login_form(store, key):
        banner.empty()
        actor = current_actor()
        assert actor is not None
        _sidebar_account(actor, store, key)
        return actor
    # Pages registered hidden, so the sign-in page lists none of them. Only in runs that stay signed out:
    # called before a successful sign-in, it changes the identity of the widgets drawn after it.
    st.stop()
    raise AssertionError("unreachable")


def _sidebar_account(actor: auth.Actor, store: auth.CredentialStore, key: str) -> bool:
    """Show who is signed in and the sign-out button; False once the user signs out."""
    with st.sidebar:
        name = st.session_state.get("name") or actor.username
        st.markdown(f"**{name}**  \n{actor.role_label}")
        if st.button("Đăng xuất", key="dang_xuat"):
            _audit(actor, "dang_xuat")
            authenticator = _authenticator(store, key)
            authenticator.authentication_controller.logout()
            authenticator.cookie_controller.delete_cookie()
            st.session_state.update({"actor": None, "signed_out": True})
            return False
    return True


def _demo_banner(show_accounts: bool = False) -> None:
    text = "**Chế độ trình diễn**: tài khoản và dữ liệu chỉ để thử nghiệm."
    if show_accounts:
        accounts = ", ".join(f"`{u}` / `{p}` ({auth.ROLE_LABELS[r]})" for u, _, r, p in auth.DEMO_ACCOUNTS)
        text += f" Tài khoản thử: {accounts}."
    st.warning(text, icon=":material/science:")


def demo_banner() -> None:
    """The "Chế độ trình diễn" banner shown on every page in demo mode."""
    if get_settings().mode == "demo":
        _demo_banner()


def guard(action: str) -> auth.Actor:
    """Top of a restricted page: refuse (message only) unless the actor may do `action`."""
    actor = current_actor()
    if actor is None or not auth.can(actor.role, action):
        st.error("Bạn không có quyền truy cập trang này.", icon=":material/block:")
        st.stop()
    assert actor is not None
    return actor
