"""Sign-in for the Streamlit app, on top of the tested core in `data_access.accounts` and `data_access.permissions`.

Our own Vietnamese form checks the password under the shared throttle
(``data_access.throttle``); we sign and verify the cookie ourselves
(``data_access.session_token``, with a revocable session generation) and only borrow
streamlit-authenticator's cookie component to write and delete it in the browser.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import os
import secrets as pysecrets
from pathlib import Path
from typing import Any

import streamlit as st
import streamlit_authenticator as stauth

from data_access import accounts, permissions, session_token, throttle
from data_access.settings import ROOT, get_settings
from ui import upload_gate
from ui.chrome import pin_widget_identity, signed_out_navigation
from ui.data import engine
from ui.text import plain

COOKIE_NAME = "cchc_khanh_hoa"
COOKIE_DAYS = 1.0


@st.cache_resource(show_spinner=False)
def credential_store(path: str) -> accounts.CredentialStore:
    """The accounts file; in demo mode the demo accounts are created once per process."""
    store = accounts.CredentialStore(Path(path) if Path(path).is_absolute() else ROOT / path)
    if get_settings().mode == "demo":
        accounts.ensure_demo_accounts(store)
    store.verify("", "khoi-dong")  # make the dummy hash now: the first unknown name must not cost twice
    return store


def _secrets() -> Any:
    try:
        return st.secrets
    except Exception:  # no secrets.toml at all
        return None


def cookie_key() -> str | None:
    """Production: from the environment or secrets. Demo: also a random key kept in data/ (git-ignored)."""
    key = accounts.cookie_key_from_env_or_secrets(_secrets())
    if key or get_settings().mode != "demo":
        return key
    path = ROOT / "data" / ".cookie_key"
    if not path.exists():
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(pysecrets.token_urlsafe(48), encoding="utf-8")
        path.chmod(0o600)
    return path.read_text(encoding="utf-8").strip()


def _authenticator(store: accounts.CredentialStore, key: str) -> Any:
    """One Authenticate per browser session (the library breaks when created twice).

    Created only when a cookie must be written or deleted: its cookie component reruns the app.
    """
    if "_authenticator" not in st.session_state:
        st.session_state["_authenticator"] = stauth.Authenticate(
            store.authenticator_credentials(), COOKIE_NAME, key, COOKIE_DAYS, auto_hash=False
        )
    return st.session_state["_authenticator"]


def client_address() -> str:
    """The address the sign-in throttle and the audit log attribute a request to.

    Trust rule: Streamlit's server (uvicorn) takes X-Forwarded-For / X-Forwarded-Proto only
    from the proxies in FORWARDED_ALLOW_IPS (default 127.0.0.1 and ::1: nginx on the same
    machine), so behind the proxy this is the visitor's address as nginx saw it, and a
    visitor connecting directly cannot forge it. Streamlit reports a loopback peer as None.
    """
    return st.context.ip_address or "127.0.0.1"


def served_over_https() -> bool:
    """True when the browser reached the app over HTTPS (directly or via a TLS proxy), or
    when CCHC_COOKIE_SECURE=1 forces it: the sign-in cookie is then marked Secure."""
    if os.environ.get("CCHC_COOKIE_SECURE", "").strip() == "1":
        return True
    forwarded = (st.context.headers.get("X-Forwarded-Proto") or "").split(",")[0].strip().lower()
    return forwarded == "https" or str(st.context.url or "").lower().startswith("https://")


def _write_cookie(store: accounts.CredentialStore, key: str, username: str, generation: int) -> None:
    """Write the signed cookie carrying the session generation (rendered in this run)."""
    token = session_token.issue(key, username, generation, dt.datetime.now(dt.UTC), COOKIE_DAYS)
    manager = _authenticator(store, key).cookie_controller.cookie_model.cookie_manager
    manager.set(COOKIE_NAME, token, expires_at=dt.datetime.now() + dt.timedelta(days=COOKIE_DAYS),
                secure=served_over_https() or None, same_site="strict")


def _login_form(store: accounts.CredentialStore, key: str) -> bool:
    """Draw the sign-in form; True once the user signed in during this run.

    No st.rerun() after a success: the cookie is written by a browser-side component
    rendered in this run, and a rerun would discard it before the browser sees it.
    Throttling, timing and auditing: ``data_access.throttle.sign_in``.
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
        attempt = throttle.sign_in(engine(), store, username, password, client_address())
        account = store.account(username) if attempt.role else None
        if attempt.role is None or account is None:
            st.error(attempt.message or throttle.MESSAGE_FAILED)
            return False
    placeholder.empty()
    name = accounts.normalize_username(username)
    actor = permissions.Actor(name, account["role"])
    st.session_state.update({"username": name, "name": account["name"], "roles": [actor.role],
                             "authentication_status": True, "logout": False, "signed_out": False,
                             "actor": actor, "session_generation": account["generation"]})
    _write_cookie(store, key, name, account["generation"])  # rendered in this run; see the docstring
    return True


def current_actor() -> permissions.Actor | None:
    """The signed-in user of this browser session, or None."""
    actor = st.session_state.get("actor")
    return actor if isinstance(actor, permissions.Actor) else None


def _still_valid(store: accounts.CredentialStore, actor: permissions.Actor) -> bool:
    """The account is still enabled, with the same role and session generation as at sign-in."""
    account = store.account(actor.username)
    return (account is not None and account["role"] == actor.role
            and account["generation"] == st.session_state.get("session_generation"))


def request_cookie() -> str | None:
    """The sign-in cookie sent with this request (None without one)."""
    return st.context.cookies.get(COOKIE_NAME)


def _restore_from_cookie(store: accounts.CredentialStore, key: str) -> permissions.Actor | None:
    """Verify the signed cookie straight from the request (``data_access.session_token``).

    We do not call the library's login(): it sleeps on every run and its cookie component
    triggers a rerun before st.navigation runs, which sends a refreshed sub-page back to the
    default page (Streamlit-Authenticator issue #179).
    """
    if st.session_state.get("signed_out"):
        return None  # the request still carries the cookie this session just asked to delete
    verified = session_token.verify(key, request_cookie(), store, dt.datetime.now(dt.UTC))
    if verified is None:
        return None
    st.session_state["name"] = verified.name  # shown in the sidebar
    st.session_state["session_generation"] = verified.generation
    return verified.actor


def sign_in_gate() -> permissions.Actor:
    """Return the signed-in actor; otherwise draw the sign-in form (or the refusal to start) and stop."""
    pin_widget_identity()  # before any widget: see ui.chrome
    settings = get_settings()
    store = credential_store(str(settings.credentials_file))
    key = cookie_key()
    if settings.mode != "demo":
        problems = accounts.check_production_ready(settings, store, key)
        if problems:
            st.error("Ứng dụng chưa thể chạy ở chế độ vận hành (production):\n\n" +
                     "\n".join(f"- {p}" for p in problems))
            st.stop()
    assert key is not None
    actor = current_actor()
    if actor is not None and not _still_valid(store, actor):  # signed out elsewhere, disabled, role changed
        actor = None
    if actor is None:
        actor = _restore_from_cookie(store, key)
    if actor is not None and _sidebar_account(actor, store, key):
        st.session_state["actor"] = actor
        upload_gate.register(actor)
        return actor
    st.session_state["actor"] = None
    upload_gate.register(None)
    signed_out_navigation()  # pages registered hidden: the sign-in page lists none of them
    banner = st.empty()
    if settings.mode == "demo":
        with banner.container():
            _demo_banner(show_accounts=True)
    if _login_form(store, key):
        banner.empty()
        actor = current_actor()
        assert actor is not None
        upload_gate.register(actor)
        _sidebar_account(actor, store, key)
        return actor
    # Pages registered hidden, so the sign-in page lists none of them. Only in runs that stay signed out:
    # called before a successful sign-in, it changes the identity of the widgets drawn after it.
    st.stop()
    raise AssertionError("unreachable")


def _sidebar_account(actor: permissions.Actor, store: accounts.CredentialStore, key: str) -> bool:
    """Show who is signed in and the sign-out button; False once the user signs out.

    Signing out ends every session of the account (the generation is bumped), so a
    copied cookie stops working too.
    """
    with st.sidebar:
        name = st.session_state.get("name") or actor.username
        st.markdown(f"**{plain(name)}**  \n{actor.role_label}")
        if st.button("Đăng xuất", key="dang_xuat"):
            with contextlib.suppress(permissions.AccountError):  # account removed meanwhile: nothing to end
                store.end_sessions(actor.username)
            throttle.audit_event(engine(), actor.username, "dang_xuat", client_address())
            authenticator = _authenticator(store, key)
            authenticator.authentication_controller.logout()
            authenticator.cookie_controller.delete_cookie()
            st.session_state.update({"actor": None, "signed_out": True, "session_generation": None})
            return False
    return True


def _demo_banner(show_accounts: bool = False) -> None:
    text = "**Chế độ trình diễn**: tài khoản và dữ liệu chỉ để thử nghiệm."
    if show_accounts:
        demo = ", ".join(f"`{u}` / `{p}` ({permissions.ROLE_LABELS[r]})" for u, _, r, p in accounts.DEMO_ACCOUNTS)
        text += f" Tài khoản thử: {demo}."
    st.warning(text, icon=":material/science:")


def demo_banner(container: Any = None) -> None:
    """The "Chế độ trình diễn" note on every page in demo mode: one small line under the sidebar title.

    Not a banner above the page: the page's own one-line sample-data notice (ui/notice.py) says what
    matters for its figures, and the first screen belongs to the numbers (issue 15, item 8).
    """
    if get_settings().mode == "demo":
        with (container if container is not None else st.sidebar).container(key="demo_note"):
            st.markdown(":material/science: **Chế độ trình diễn**: tài khoản và dữ liệu chỉ để thử nghiệm.")


def guard(action: str) -> permissions.Actor:
    """Top of a restricted page: refuse (message only) unless the actor may do `action`."""
    actor = current_actor()
    if actor is None or not permissions.can(actor.role, action):
        st.error("Bạn không có quyền truy cập trang này.", icon=":material/block:")
        st.stop()
    assert actor is not None
    return actor
