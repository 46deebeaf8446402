"""The upload endpoint against a real server (issue 13, item 6): a visitor who never signed in
cannot make the server hold files, while a signed-in officer still gets the app's Vietnamese
refusal for a file over 10 MB (Streamlit's own ceiling stays at 50 MB for that reason)."""

from __future__ import annotations

import asyncio
import concurrent.futures
import http.cookiejar
import os
import shutil
import subprocess
import sys
import urllib.error
import urllib.request
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from tests.conftest import ROOT
from tests.e2e.conftest import free_port, wait_healthy
from tests.e2e.ui import goto_page, settle, sign_in

MB = 1024 * 1024


class Server:
    def __init__(self, url: str, pid: int) -> None:
        self.url, self.pid = url, pid

    def rss_mb(self) -> float:
        for line in Path(f"/proc/{self.pid}/status").read_text().splitlines():
            if line.startswith("VmRSS"):
                return int(line.split()[1]) / 1024
        raise AssertionError("no VmRSS")


@pytest.fixture(scope="module")
def server(sample_db_file: Path, demo_credentials: Path, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Server]:
    work = tmp_path_factory.mktemp("gate")
    shutil.copy(sample_db_file, work / "store.db")
    shutil.copy(demo_credentials, work / "credentials.yaml")
    port = free_port()
    env = {**os.environ, "DATABASE_URL": f"sqlite:///{work / 'store.db'}",
           "CCHC_CREDENTIALS_FILE": str(work / "credentials.yaml"), "CCHC_MODE": "demo"}
    log = open(work / "server.log", "w")  # noqa: SIM115 - closed below
    proc = subprocess.Popen(
        [sys.executable, "-m", "streamlit", "run", str(ROOT / "dashboard.py"), "--server.headless", "true",
         "--server.port", str(port), "--server.address", "127.0.0.1", "--browser.gatherUsageStats", "false"],
        cwd=ROOT, env=env, stdout=log, stderr=subprocess.STDOUT)
    try:
        wait_healthy(f"http://127.0.0.1:{port}")
        yield Server(f"http://127.0.0.1:{port}", proc.pid)
    finally:
        proc.terminate()
        proc.wait(timeout=15)
        log.close()


async def _anonymous_session(url: str) -> tuple[str, str, Any]:
    """What any visitor gets without signing in: the XSRF cookie and a live Streamlit session id."""
    import websockets
    from streamlit.proto.BackMsg_pb2 import BackMsg
    from streamlit.proto.ForwardMsg_pb2 import ForwardMsg

    jar = http.cookiejar.CookieJar()
    urllib.request.build_opener(urllib.request.HTTPCookieProcessor(jar)).open(url + "/_stcore/health").read()
    xsrf = next(c.value for c in jar if c.name == "_streamlit_xsrf")
    ws = await websockets.connect(url.replace("http", "ws") + "/_stcore/stream", subprotocols=["streamlit", xsrf],
                                  additional_headers={"Cookie": f"_streamlit_xsrf={xsrf}"}, max_size=None)
    back = BackMsg()
    back.rerun_script.query_string = ""
    await ws.send(back.SerializeToString())
    session_id = ""
    while True:  # the sign-in page has been drawn once the first run finishes
        msg = ForwardMsg()
        msg.ParseFromString(await asyncio.wait_for(ws.recv(), 60))
        if msg.WhichOneof("type") == "new_session":
            session_id = msg.new_session.initialize.session_id
        elif msg.WhichOneof("type") == "script_finished" and session_id:
            return session_id, xsrf, ws


def _put(url: str, session_id: str, xsrf: str, file_id: str, size: int) -> str:
    body = (b'--b\r\nContent-Disposition: form-data; name="file"; filename="a.xlsx"\r\n'
            b"Content-Type: application/octet-stream\r\n\r\n" + os.urandom(size) + b"\r\n--b--\r\n")
    request = urllib.request.Request(
        f"{url}/_stcore/upload_file/{session_id}/{file_id}", data=body, method="PUT",
        headers={"Content-Type": "multipart/form-data; boundary=b", "Cookie": f"_streamlit_xsrf={xsrf}",
                 "X-Xsrftoken": xsrf})
    try:
        return f"HTTP {urllib.request.urlopen(request, timeout=120).status}"
    except urllib.error.HTTPError as exc:
        return f"HTTP {exc.code}"
    except (urllib.error.URLError, ConnectionError):  # refused before the body was read
        return "connection closed"


def test_visitor_who_never_signed_in_cannot_make_the_server_hold_uploads(server: Server) -> None:
    async def attack() -> tuple[list[str], float, float]:
        session_id, xsrf, ws = await _anonymous_session(server.url)
        await asyncio.sleep(1)
        before = server.rss_mb()
        answers = [await asyncio.to_thread(_put, server.url, session_id, xsrf, f"gia-{i}", 45 * MB) for i in range(4)]
        await asyncio.sleep(1)
        after = server.rss_mb()
        await ws.close()
        return answers, before, after

    # Its own thread: Playwright's sync API (the session's browser fixture) keeps an event loop running in this one.
    with concurrent.futures.ThreadPoolExecutor(1) as pool:
        answers, before, after = pool.submit(asyncio.run, attack()).result()
    assert all(a in ("HTTP 400", "connection closed") for a in answers), answers
    # Before the gate the same four requests added about 180 MB that stayed (4 x 45 MB kept in memory).
    assert after - before < 20, (before, after)


def test_signed_in_officer_still_gets_the_vietnamese_size_refusal(server: Server, page: Any, tmp_path: Path) -> None:
    sign_in(page, server.url, "chuyen_vien")
    goto_page(page, "Cập nhật số liệu")
    big = tmp_path / "bao-cao-lon.xlsx"
    big.write_bytes(os.urandom(11 * MB))
    page.locator('[data-testid="stFileUploaderDropzoneInput"]').set_input_files(str(big))
    page.get_by_text("Tệp quá lớn").first.wait_for(timeout=60000)
    settle(page)
    assert "giới hạn là 10" in page.get_by_text("Tệp quá lớn").first.inner_text()
