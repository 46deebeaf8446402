"""Only sessions signed in with the right to upload may send files to the server.

Streamlit's upload endpoint (PUT /_stcore/upload_file/<session>/<file>) accepts a file for
any live session, whether or not it shows a file_uploader: measured on Streamlit 1.67, a
visitor who never signed in could store 45 MB per request, and the files piled up in the
server's memory (four requests: +180 MB). ``server.maxUploadSize`` has to stay at 50 MB so
that files over the app's own 10 MB limit reach the importer and get its Vietnamese refusal.

So the endpoint's first check, ``Runtime.is_active_session`` (called before any byte of the
body is read; the upload route is its only caller in Streamlit 1.67), is narrowed to the
sessions registered here: signed in, with the ``upload`` permission. Any other session gets
HTTP 400 before the body is read, and nothing is kept.

Streamlit offers no start-up hook, so the gate is installed by the first script run of the
process (dashboard.py); files sent before that moment are dropped at installation.
"""

from __future__ import annotations

import threading
from collections.abc import Callable

from streamlit.runtime import Runtime
from streamlit.runtime.scriptrunner import get_script_run_ctx

from data_access import permissions

_allowed: set[str] = set()
_lock = threading.Lock()
_MARK = "_cchc_upload_gate"


_is_live: Callable[[str], bool] | None = None  # Streamlit's own check, kept for pruning


def install() -> bool:
    """Narrow the running server's upload endpoint to registered sessions (once per process).

    Returns False when there is no server runtime (tests through AppTest, bare mode).
    """
    global _is_live
    if not Runtime.exists():
        return False
    runtime = Runtime.instance()
    with _lock:
        if getattr(runtime, _MARK, False):
            return True
        original: Callable[[str], bool] = runtime.is_active_session

        def may_upload(session_id: str) -> bool:
            with _lock:
                allowed = session_id in _allowed
            return allowed and original(session_id)

        runtime.is_active_session = may_upload  # type: ignore[method-assign]
        setattr(runtime, _MARK, True)
        _is_live = original
        # The gate is installed by the first script run of the process; drop whatever was sent
        # before (nobody can have been signed in yet, so no legitimate upload is lost).
        manager = runtime.uploaded_file_mgr
        for session_id in list(getattr(manager, "file_storage", {})):
            manager.remove_session_files(session_id)
    return True


def register(actor: permissions.Actor | None) -> None:
    """Record whether this browser session may upload (call on every run after the sign-in gate)."""
    ctx = get_script_run_ctx()
    if ctx is None:
        return
    with _lock:
        if actor is not None and permissions.can(actor.role, "upload"):
            _allowed.add(ctx.session_id)
        else:
            _allowed.discard(ctx.session_id)
        if _is_live is not None and len(_allowed) > 64:  # forget sessions that have ended
            _allowed.intersection_update({s for s in _allowed if _is_live(s)})


def allowed_sessions() -> int:
    """How many sessions may upload now (for tests and diagnostics)."""
    with _lock:
        return len(_allowed)
