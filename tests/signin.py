"""Helpers for page tests: open the app and sign in as a demo account of a role."""

from __future__ import annotations

from streamlit.testing.v1 import AppTest

from data_access.accounts import DEMO_ACCOUNTS
from tests.conftest import ROOT

PASSWORDS = {role: (user, pw) for user, _, role, pw in DEMO_ACCOUNTS}


def app() -> AppTest:
    return AppTest.from_file(str(ROOT / "dashboard.py"), default_timeout=60)


def sign_in(at: AppTest, username: str, password: str) -> AppTest:
    at.run()
    at.text_input(key="login_user").input(username)
    at.text_input(key="login_password").input(password)
    at.button[0].click()
    return at.run()


def signed_in(role: str = "lanh_dao") -> AppTest:
    """The app, signed in as the demo account of `role`, on the overview page."""
    return sign_in(app(), *PASSWORDS[role])
