"""The deployment example: two app replicas on PostgreSQL behind nginx, used through the proxy."""

from __future__ import annotations

import datetime as dt
import os
import subprocess
import urllib.request
import uuid
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import sqlalchemy as sa
from sqlalchemy.engine import make_url

from data_access.db import make_engine
from data_access.templates import build_template
from tests.conftest import ROOT
from tests.e2e.conftest import free_port, shot
from tests.e2e.test_officer_meeting import _fill_template
from tests.e2e.ui import goto_page, metric, no_exception, settle, sign_in


@pytest.fixture(scope="module")
def replicas(pg_admin_url: str, pg_sample_database: str, demo_credentials: Path,
             tmp_path_factory: pytest.TempPathFactory) -> Iterator[dict[str, Any]]:
    name = f"cchc_deploy_{uuid.uuid4().hex[:8]}"
    admin = sa.create_engine(pg_admin_url, isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(sa.text(f'CREATE DATABASE "{name}" TEMPLATE "{pg_sample_database}"'))
    url = make_url(pg_admin_url).set(database=name).render_as_string(hide_password=False)
    work = tmp_path_factory.mktemp("replicas")
    creds = work / "credentials.yaml"
    creds.write_bytes(demo_credentials.read_bytes())
    ports = [free_port(), free_port()]
    proxy = free_port()
    env = {**os.environ, "DATABASE_URL": url, "CCHC_CREDENTIALS_FILE": str(creds), "CCHC_RUN_DIR": str(work / "run"),
           "CCHC_PROXY_PORT": str(proxy), "CCHC_REPLICA_PORTS": " ".join(map(str, ports)), "CCHC_MODE": "demo"}
    script = str(ROOT / "scripts" / "run_replicas.sh")
    started = subprocess.run(["bash", script, "start"], env=env, capture_output=True, text=True, timeout=300)
    assert started.returncode == 0, started.stderr
    try:
        yield {"url": started.stdout.strip().splitlines()[-1], "ports": ports, "db_url": url, "run": work / "run"}
    finally:
        subprocess.run(["bash", script, "stop"], env=env, capture_output=True, timeout=60)
        with admin.connect() as conn:
            conn.execute(sa.text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        admin.dispose()


def _get(url: str) -> str:
    with urllib.request.urlopen(url, timeout=10) as response:
        return response.read().decode()


def test_two_replicas_behind_nginx_serve_pages_and_uploads(page: Any, replicas: dict[str, Any],
                                                            tmp_path: Path) -> None:
    for port in replicas["ports"]:  # both replicas are up
        assert _get(f"http://127.0.0.1:{port}/_stcore/health").strip() == "ok"
    assert _get(f"{replicas['url']}/_stcore/health").strip() == "ok"  # and the proxy's health check

    sign_in(page, replicas["url"], "chuyen_vien")  # the WebSocket goes through nginx
    no_exception(page)
    before = metric(page, "Đã hoàn thành")
    engine = make_engine(replicas["db_url"])
    with engine.connect() as conn:
        agency = conn.execute(sa.text("SELECT id FROM agency WHERE name = 'Sở Nội vụ'")).scalar_one()
    filled = tmp_path / "bao-cao-qua-proxy.xlsx"
    filled.write_bytes(_fill_template(build_template(engine, agency, "2026-Q3"), dt.date(2026, 9, 20)))
    goto_page(page, "Cập nhật số liệu")
    page.locator('[data-testid="stFileUploaderDropzoneInput"]').set_input_files(str(filled))  # HTTP PUT via nginx
    try:
        page.get_by_role("button", name="Xác nhận cập nhật").click(timeout=60000)
    finally:
        shot(page, "trien_khai_nginx_tai_len")
    page.get_by_text("Đã cập nhật").first.wait_for(timeout=60000)
    settle(page)
    with engine.connect() as conn:
        uploads = conn.execute(sa.text("SELECT count(*) FROM upload WHERE uploaded_by = 'chuyenvien'")).scalar_one()
    engine.dispose()
    assert uploads == 1
    goto_page(page, "Tổng quan")
    assert metric(page, "Đã hoàn thành") != before
    page.reload()  # a refresh through the proxy keeps the session (sticky, same cookie secret)
    page.get_by_text("Tổng số nhiệm vụ").first.wait_for(timeout=30000)
    settle(page)
    shot(page, "trien_khai_nginx_hai_ban_sao")
    log = (replicas["run"] / "access.log").read_text()
    assert "/_stcore/upload_file/" in log and "/_stcore/stream" in log
