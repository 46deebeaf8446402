"""The page a signed-out visitor asked for (path and query parameters), opened again after sign-in.

The sign-in gate runs before the navigation exists, so the address of a shared link would otherwise be
lost: it is remembered here before the gate and honoured once the navigation is built.
"""

from __future__ import annotations

from urllib.parse import urlsplit

import streamlit as st

_KEY = "_requested_page"


def remember_request() -> None:
    """Before the sign-in gate: while nobody is signed in, keep the requested path and query parameters."""
    if st.session_state.get("actor") is not None or _KEY in st.session_state:
        return
    url = st.context.url or ""
    path = urlsplit(url).path.strip("/").split("/")[-1] if url else ""
    st.session_state[_KEY] = (path, {k: st.query_params.get(k, "") for k in st.query_params})


def requested_page(current_url_path: str) -> tuple[str, dict[str, str]] | None:
    """After sign-in: the (url_path, query parameters) to open instead of `current_url_path`, once; else None."""
    wanted = st.session_state.pop(_KEY, None)
    if not wanted:
        return None
    path, params = wanted
    if (path, params) == (current_url_path, {k: st.query_params.get(k, "") for k in st.query_params}):
        return None
    if not path and not params:
        return None
    return str(path), dict(params)
