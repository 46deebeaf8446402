"""Load benchmark: many signed-in leaders opening the dashboard at once (a meeting room), in a real browser.

Run as `python -m benchmarks.load [--sessions 1,10,30] [--port 8660] [--nginx] [--json FILE]`. Not a test:
it prints figures and never fails on a slow one.

- Direct (default): one `streamlit run` over a private copy of the sample store (SQLite). Each session
  is a Playwright context (its own cookies) in one headless Chromium (/usr/bin/chromium); all sessions
  sign in first (not timed), wait at a barrier, then each opens, in turn, the overview, the overdue page
  and the targets page by URL (what a leader does with a link). Time to content = from the navigation
  until the page has finished running (no status widget) and shows its figures (a metric, table or
  chart). p50/p95 per page at each session count, against a single session.
- `--nginx`: the same through nginx (deploy/nginx.conf.template) in front of one, then two replicas on
  PostgreSQL (a fresh database holding the sample store, on CCHC_BENCH_PG_URL or the private test
  server). The template pins a client by address (ip_hash); every browser context here comes from
  127.0.0.1, so the benchmark pins by a per-session cookie instead (`hash $cookie_bench_client
  consistent`), as nginx Plus or an ingress would. Reported: sessions per second (a session = the three
  pages) and p95, one replica against two.
- The first page after a server restart: the server is started cold and one session's first
  overview (sign-in page to content) is timed, also the time until the server answers /_stcore/health.
Ports: `--port` (default 8660) for the app, +1.. for replicas and the proxy.
"""

from __future__ import annotations

import argparse
import asyncio
import os
import shutil
import signal
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.request
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
CHROMIUM = os.environ.get("CCHC_CHROMIUM", "/usr/bin/chromium")
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--no-first-run", "--disable-background-networking",
                 "--disable-component-update", "--disable-sync", "--disable-dev-shm-usage"]
PAGES = [("Tổng quan", "tong-quan"), ("Quá hạn theo cơ quan", "qua-han-co-quan"), ("Chỉ tiêu 2025 - 2026", "chi-tieu")]
# The page has finished its script run and shows figures.
CONTENT_JS = """() => !document.querySelector('[data-testid="stStatusWidget"]')
  && !!document.querySelector('[data-testid="stMain"] [data-testid="stMetric"], [data-testid="stMain"] '
     + '[data-testid="stDataFrame"], [data-testid="stMain"] [data-testid="stVegaLiteChart"], '
     + '[data-testid="stMain"] [data-testid="stTable"]')"""


def _wait_healthy(url: str, timeout: float = 180) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            with urllib.request.urlopen(f"{url}/_stcore/health", timeout=2) as response:
                if response.read().decode().strip() == "ok":
                    return
        except OSError:
            time.sleep(0.2)
    raise RuntimeError(f"{url} không trả lời sau {timeout} s")


@contextmanager
def app_server(port: int, env: dict[str, str], log: Path) -> Iterator[tuple[str, float]]:
    """`streamlit run dashboard.py` on `port`; yields (url, seconds until healthy)."""
    out = open(log, "w")  # noqa: SIM115 - closed below
    start = time.perf_counter()
    proc = subprocess.Popen(
        [sys.executable, "-m", "streamlit", "run", str(ROOT / "dashboard.py"), "--server.headless", "true",
         "--server.port", str(port), "--server.address", "127.0.0.1", "--browser.gatherUsageStats", "false"],
        cwd=ROOT, env=env, stdout=out, stderr=subprocess.STDOUT)
    url = f"http://127.0.0.1:{port}"
    try:
        _wait_healthy(url)
        yield url, time.perf_counter() - start
    finally:
        proc.send_signal(signal.SIGTERM)
        try:
            proc.wait(timeout=20)
        except subprocess.TimeoutExpired:
            proc.kill()
        out.close()


@contextmanager
def nginx(run: Path, port: int, upstream_ports: list[int]) -> Iterator[str]:
    """nginx from deploy/nginx.conf.template, pinning each session by its bench_client cookie."""
    run.mkdir(parents=True, exist_ok=True)
    template = (ROOT / "deploy" / "nginx.conf.template").read_text(encoding="utf-8")
    upstreams = " ".join(f"server 127.0.0.1:{p};" for p in upstream_ports)
    conf = (template.replace("@RUN@", str(run)).replace("@PORT@", str(port)).replace("@UPSTREAMS@", upstreams)
            .replace("ip_hash;", "hash $cookie_bench_client consistent;"))
    (run / "nginx.conf").write_text(conf, encoding="utf-8")
    binary = shutil.which("nginx") or "/usr/sbin/nginx"
    subprocess.run([binary, "-c", str(run / "nginx.conf"), "-p", str(run)], check=True)
    url = f"http://127.0.0.1:{port}"
    try:
        _wait_healthy(url, 30)
        yield url
    finally:
        pid = (run / "nginx.pid").read_text().strip() if (run / "nginx.pid").exists() else ""
        if pid:
            os.kill(int(pid), signal.SIGTERM)
            time.sleep(0.5)


async def _sign_in(page: Any, base: str) -> None:
    from data_access.auth import DEMO_ACCOUNTS

    user, password = next((u, p) for u, _, role, p in DEMO_ACCOUNTS if role == "lanh_dao")
    await page.goto(base, timeout=180_000)
    await page.get_by_label("Tên đăng nhập").fill(user, timeout=180_000)
    await page.get_by_label("Mật khẩu").fill(password)
    await page.get_by_role("button", name="Đăng nhập").click()
    await page.wait_for_function(CONTENT_JS, timeout=180_000, polling=50)


async def _open(page: Any, base: str, slug: str) -> float:
    """Seconds to content; infinity when the page had no content after 180 s (counted, never hidden)."""
    from playwright.async_api import TimeoutError as PlaywrightTimeout

    start = time.perf_counter()
    try:
        await page.goto(f"{base}/{slug}", timeout=180_000)
        await page.wait_for_function(CONTENT_JS, timeout=180_000, polling=50)
    except PlaywrightTimeout:
        return float("inf")
    return time.perf_counter() - start


async def run_sessions(browser: Any, base: str, n: int) -> dict[str, Any]:
    """n signed-in sessions open the three pages at the same moment; per-page times and sessions/s."""
    contexts = [await browser.new_context(viewport={"width": 1366, "height": 768}, locale="vi-VN") for _ in range(n)]
    for i, ctx in enumerate(contexts):
        await ctx.add_cookies([{"name": "bench_client", "value": f"{uuid.uuid4().hex}-{i}", "url": base}])
    pages = [await ctx.new_page() for ctx in contexts]
    gate = asyncio.Semaphore(5)  # sign-ins (bcrypt) a few at a time: they are not what is measured

    async def sign(page: Any) -> None:
        async with gate:
            await _sign_in(page, base)

    await asyncio.gather(*(sign(p) for p in pages))
    times: dict[str, list[float]] = {title: [] for title, _ in PAGES}

    async def session(page: Any) -> None:
        for title, slug in PAGES:
            times[title].append(await _open(page, base, slug))

    start = time.perf_counter()
    await asyncio.gather(*(session(p) for p in pages))
    wall = time.perf_counter() - start
    for ctx in contexts:
        await ctx.close()
    return {"times": times, "wall": wall, "sessions_per_s": n / wall}


def _pct(values: list[float], q: float) -> float:
    ordered = sorted(values)
    if len(ordered) == 1:
        return ordered[0]
    return statistics.quantiles(ordered, n=100, method="inclusive")[int(q) - 1]


async def _first_page(browser: Any, base: str) -> float:
    ctx = await browser.new_context(viewport={"width": 1366, "height": 768}, locale="vi-VN")
    page = await ctx.new_page()
    start = time.perf_counter()
    await _sign_in(page, base)
    elapsed = time.perf_counter() - start
    await ctx.close()
    return elapsed


def _print_rows(label: str, result: dict[str, Any], single: dict[str, Any] | None) -> list[dict[str, Any]]:
    rows = []
    for title, _ in PAGES:
        ts = result["times"][title]
        p50, p95 = _pct(ts, 50), _pct(ts, 95)
        base95 = _pct(single["times"][title], 95) if single else None
        ratio = f"{p95 / base95:5.1f}x" if base95 else "     "
        late = sum(1 for t in ts if t == float("inf"))
        print(f"{label:<28} {title:<22} {len(ts):>4} {p50:>7.2f} {p95:>7.2f} {ratio}"
              + (f"  ({late} lần quá 180 s)" if late else ""))
        rows.append({"title": title, "n": len(ts), "p50": p50, "p95": p95, "ratio_p95": p95 / base95 if base95 else None})
    print(f"{label:<28} {'phiên/giây':<22} {result['sessions_per_s']:>12.2f}   (tường {result['wall']:.1f} s)")
    return rows


def _sample_sqlite(tmp: Path) -> str:
    from data_access.db import make_engine
    from sample_data.build import load_sample

    path = tmp / "store.db"
    engine = make_engine(f"sqlite:///{path}")
    load_sample(engine)
    engine.dispose()
    return f"sqlite:///{path}"


def _sample_pg(tmp: Path) -> tuple[str, Any]:
    import sqlalchemy as sa
    from sqlalchemy.engine import make_url

    from benchmarks.imports import pg_admin_url
    from data_access.db import make_engine
    from sample_data.build import load_sample

    admin_url = pg_admin_url()
    if not admin_url:
        raise SystemExit("PostgreSQL không khởi động được")
    name = f"cchc_load_{uuid.uuid4().hex[:8]}"
    admin = sa.create_engine(admin_url, isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(sa.text(f'CREATE DATABASE "{name}"'))
    url = make_url(admin_url).set(database=name).render_as_string(hide_password=False)
    engine = make_engine(url)
    load_sample(engine)
    engine.dispose()

    def drop() -> None:
        with admin.connect() as conn:
            conn.execute(sa.text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        admin.dispose()

    return url, drop


async def main_async(args: argparse.Namespace) -> list[dict[str, Any]]:
    from data_access.auth import CredentialStore, ensure_demo_accounts
    from playwright.async_api import async_playwright

    counts = [int(x) for x in args.sessions.split(",")]
    out: list[dict[str, Any]] = []
    with tempfile.TemporaryDirectory() as tmp_name:
        tmp = Path(tmp_name)
        creds = tmp / "credentials.yaml"
        ensure_demo_accounts(CredentialStore(creds))
        drop = None
        url = _sample_pg(tmp) if args.nginx else (_sample_sqlite(tmp), None)
        if args.nginx:
            url, drop = url  # type: ignore[misc]
        else:
            url = url[0]
        env = {**os.environ, "DATABASE_URL": str(url), "CCHC_CREDENTIALS_FILE": str(creds), "CCHC_MODE": "demo",
               "CCHC_COOKIE_KEY": "bench-" + "k" * 40, "STREAMLIT_SERVER_COOKIE_SECRET": "bench-" + "s" * 40}
        try:
            async with async_playwright() as pw:
                browser = await pw.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
                print(f"Tải máy lúc bắt đầu (uptime 1/5/15 phút): {' '.join(f'{x:.2f}' for x in os.getloadavg())}")
                print(f"{'cấu hình':<28} {'trang':<22} {'lần':>4} {'p50 s':>7} {'p95 s':>7} p95/1 phiên")
                if not args.nginx:
                    with app_server(args.port, env, tmp / "app.log") as (base, healthy):
                        first = await _first_page(browser, base)
                        print(f"Khởi động lạnh: máy chủ trả lời sau {healthy:.1f} s; trang đầu tiên (đăng nhập -> "
                              f"Tổng quan có số liệu) {first:.2f} s")
                        out.append({"name": "load: trang đầu sau khởi động", "backend": "SQLite", "size": 1,
                                    "seconds": first, "ratio": None})
                        single = None
                        for n in counts:
                            res = await run_sessions(browser, base, n)
                            rows = _print_rows(f"trực tiếp, {n} phiên", res, single)
                            single = single or res
                            out += [{"name": f"load p95: {r['title']}", "backend": "SQLite", "size": n,
                                     "seconds": r["p95"], "ratio": r["ratio_p95"], "p50": r["p50"]} for r in rows]
                            out.append({"name": "load: phiên/giây", "backend": "SQLite", "size": n,
                                        "seconds": res["wall"], "ratio": None, "value": res["sessions_per_s"]})
                else:
                    n = counts[-1]
                    for replicas in (1, 2):
                        ports = [args.port + 1 + i for i in range(replicas)]
                        servers = [app_server(p, env, tmp / f"app-{p}.log") for p in ports]
                        entered = [s.__enter__() for s in servers]
                        try:
                            with nginx(tmp / f"nginx{replicas}", args.port, ports) as base:
                                first = await _first_page(browser, base)  # warm-up, and the cold first page
                                print(f"{replicas} bản sao: trang đầu tiên sau khởi động {first:.2f} s "
                                      f"(máy chủ trả lời sau {max(h for _, h in entered):.1f} s)")
                                single = await run_sessions(browser, base, 1)
                                res = await run_sessions(browser, base, n)
                                rows = _print_rows(f"nginx, {replicas} bản sao, {n} phiên", res, single)
                                out += [{"name": f"load nginx p95: {r['title']}", "backend": "PostgreSQL",
                                         "size": n, "seconds": r["p95"], "ratio": r["ratio_p95"], "p50": r["p50"],
                                         "replicas": replicas} for r in rows]
                                out.append({"name": "load nginx: phiên/giây", "backend": "PostgreSQL", "size": n,
                                            "seconds": res["wall"], "ratio": None, "value": res["sessions_per_s"],
                                            "replicas": replicas})
                        finally:
                            for s in servers:
                                s.__exit__(None, None, None)
                await browser.close()
        finally:
            if drop:
                drop()
    return out


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sessions", default="1,10,30", help="session counts; the first is the baseline")
    parser.add_argument("--port", type=int, default=8660)
    parser.add_argument("--nginx", action="store_true", help="through nginx, one replica then two (PostgreSQL)")
    parser.add_argument("--json", metavar="FILE")
    args = parser.parse_args(argv)
    from benchmarks import results as res

    started, load_avg = res.now(), res.load()
    measures = asyncio.run(main_async(args))
    if args.json:
        res.write(args.json, [res.measure("load", **{k: v for k, v in m.items() if k in
                                                      ("name", "backend", "size", "seconds", "ratio")},
                                          **{k: v for k, v in m.items() if k not in
                                             ("name", "backend", "size", "seconds", "ratio")}) for m in measures],
                  started, load_avg)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
