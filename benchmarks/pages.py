"""Page benchmark: median AppTest run time of every leadership page on synthetic stores.

Run as `python -m benchmarks.pages [--sizes 500,5000,50000] [--runs 3] [--sqlite-only] [--json FILE]`
(`make bench` calls it; `--json` writes one object per page, backend and size, see benchmarks/results.py). Each store is measured on SQLite and, copied table by table, on PostgreSQL (the private
test server of scripts/test_postgres.sh, or CCHC_BENCH_PG_URL).
Each store starts from the sample store (fields, agencies, plans, indicators, targets) and
replaces its tasks with N synthetic ones, written by bulk SQL inserts: 1-3 lead and 0-3
coordinating agencies per task and 8 quarters of report history per lead. Every timed run
clears Streamlit's data cache first, so the figures are cold page loads, signed in.
Not a test: it prints a table and never fails on a slow figure.
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import random
import sqlite3
import statistics
import sys
import tempfile
import time
from pathlib import Path

from data_access.periods import period_bounds

ROOT = Path(__file__).resolve().parents[1]
# 8 quarters of history ending with the last full quarter before the as-of date used.
QUARTERS = ["2024-Q4", "2025-Q1", "2025-Q2", "2025-Q3", "2025-Q4", "2026-Q1", "2026-Q2", "2026-Q3"]
AS_OF = dt.date(2026, 11, 22)
PAGES = [
    ("Tổng quan", "pages/tong_quan.py"),
    ("Tiến độ theo lĩnh vực", "pages/tien_do_linh_vuc.py"),
    ("Quá hạn theo cơ quan", "pages/qua_han_co_quan.py"),
    ("Chỉ tiêu 2025 - 2026", "pages/chi_tieu.py"),
    ("Nhiệm vụ", "pages/nhiem_vu.py"),
]
_WORD_TEXT = ("số hóa hồ sơ thủ tục hành chính dịch vụ công trực tuyến chính quyền điện tử cải cách tổ chức bộ máy "
         "công chức kiểm tra tuyên truyền Khánh Hòa chuyển đổi số một cửa liên thông")
WORDS = _WORD_TEXT.split()


def build_store(path: Path, n_tasks: int, seed: int = 2026) -> None:
    """Write a store with `n_tasks` synthetic tasks at `path` (sample catalogues, bulk inserts)."""
    from data_access.db import make_engine
    from data_access.vn import search_key
    from sample_data.build import load_sample

    engine = make_engine(f"sqlite:///{path}")
    load_sample(engine)
    engine.dispose()
    rng = random.Random(seed)
    con = sqlite3.connect(path)
    con.execute("PRAGMA foreign_keys=OFF")
    con.execute("PRAGMA journal_mode=WAL")
    con.execute("PRAGMA synchronous=OFF")
    with con:
        for table in ("statusreport", "assignment", "task"):
            con.execute(f"DELETE FROM {table}")  # noqa: S608 - fixed table names
        fields = [r[0] for r in con.execute("SELECT code FROM field")]
        plans = [(r[0], r[1]) for r in con.execute("SELECT id, year FROM plan")]
        agencies = [r[0] for r in con.execute("SELECT id FROM agency WHERE kind != 'nhom'")]
        tasks, assignments, reports = [], [], []
        aid = rid = 0
        recorded = dt.datetime(2026, 10, 10, 9, 0).isoformat(sep=" ")
        for tid in range(1, n_tasks + 1):
            plan_id, year = rng.choice(plans)
            draw = rng.random()
            if draw < 0.1:
                deadline, kind, text = None, "recurring", "Thường xuyên"
            else:
                deadline = dt.date(2025, 1, 1) + dt.timedelta(days=rng.randint(0, 730))
                kind, text = "date", f"Trước ngày {deadline.strftime('%d/%m/%Y')}"
            words = " ".join(rng.sample(WORDS, 8))
            body = f"Nhiệm vụ {tid}: {words}"
            tasks.append((tid, plan_id, rng.choice(fields), f"BM-{tid:06d}", str(tid), None, body, "Báo cáo",
                          text, deadline.isoformat() if deadline else None, kind, search_key(body)))
            agency_pool = rng.sample(agencies, 6)
            n_leads = rng.choice((1, 1, 1, 2, 2, 3))
            n_coords = rng.randint(0, 3)
            for i, agency in enumerate(agency_pool[: n_leads + n_coords]):
                aid += 1
                role = "chu_tri" if i < n_leads else "phoi_hop"
                assignments.append((aid, tid, agency, role, ""))
                if role != "chu_tri":
                    continue
                done_q = rng.randint(0, 11)  # index into QUARTERS; >= 8 means not done yet
                progress = 0.0
                for qi, period in enumerate(QUARTERS):
                    start, end = period_bounds(period)
                    rid += 1
                    if qi == done_q:
                        done_on = start + dt.timedelta(days=rng.randint(0, 80))
                        reports.append((rid, aid, period, start.isoformat(), end.isoformat(), "hoan_thanh", 100.0,
                                        done_on.isoformat(), "12/BC-UBND", None, recorded))
                        break
                    progress = min(95.0, progress + rng.uniform(5, 20))
                    difficulty = "Thiếu kinh phí" if rng.random() < 0.1 else None
                    reports.append((rid, aid, period, start.isoformat(), end.isoformat(), "dang_thuc_hien",
                                    round(progress), None, None, difficulty, recorded))
        con.executemany(
            "INSERT INTO task (id, plan_id, field_code, code, number, section, text, output, deadline_text, "
            "deadline_date, deadline_kind, search_key) VALUES (?,?,?,?,?,?,?,?,?,?,?,?)", tasks)
        con.executemany("INSERT INTO assignment (id, task_id, agency_id, role, name_as_assigned) VALUES (?,?,?,?,?)",
                        assignments)
        con.executemany(
            "INSERT INTO statusreport (id, assignment_id, period, period_start, period_end, state, progress_pct, "
            "completed_on, output_document, difficulties, recorded_at, is_sample, recorded_by) "
            "VALUES (?,?,?,?,?,?,?,?,?,?,?,1,'benchmark')", reports)
        con.execute("UPDATE meta SET value = CAST(value AS INTEGER) + 1 WHERE key = 'data_version'")
    con.execute("ANALYZE")
    con.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    con.close()


def pg_admin_url() -> str:
    """A PostgreSQL superuser URL: CCHC_BENCH_PG_URL, else the private test server."""
    import subprocess

    url = os.environ.get("CCHC_BENCH_PG_URL")
    if url:
        return url
    result = subprocess.run(["bash", str(ROOT / "scripts" / "test_postgres.sh")], capture_output=True, text=True,
                            check=True, timeout=900)
    return result.stdout.strip().splitlines()[-1]


def copy_to_postgres(sqlite_path: Path, admin_url: str, name: str) -> str:
    """Copy the SQLite store into a fresh PostgreSQL database `name`; returns its URL."""
    import sqlalchemy as sa
    from sqlalchemy.engine import make_url

    from data_access import models
    from data_access.backup import _reset_sequences
    from data_access.db import init_db, make_engine

    admin = sa.create_engine(admin_url, isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(sa.text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        conn.execute(sa.text(f'CREATE DATABASE "{name}"'))
    admin.dispose()
    url = make_url(admin_url).set(database=name).render_as_string(hide_password=False)
    source = make_engine(f"sqlite:///{sqlite_path}")
    target = make_engine(url)
    init_db(target)
    with source.connect() as src, target.begin() as dst:
        for table in models.metadata.sorted_tables:
            rows = src.execute(sa.select(table)).mappings()
            while chunk := [dict(r) for r in rows.fetchmany(20_000)]:
                dst.execute(sa.insert(table), chunk)
        _reset_sequences(dst)
    with target.connect().execution_options(isolation_level="AUTOCOMMIT") as conn:
        conn.execute(sa.text("ANALYZE"))
    source.dispose()
    target.dispose()
    return url


def time_pages(runs: int) -> dict[str, float]:
    """Median seconds of a cold AppTest run of each page (the environment points at the store)."""
    import streamlit as st

    from tests.signin import signed_in

    at = signed_in("lanh_dao")
    at.date_input(key="f_as_of").set_value(AS_OF)
    at.selectbox(key="f_year").set_value("Tất cả")
    at.run()
    out: dict[str, float] = {}
    for title, path in PAGES:
        times = []
        for _ in range(runs):
            st.cache_data.clear()
            start = time.perf_counter()
            at.switch_page(path).run()
            times.append(time.perf_counter() - start)
            if at.exception:
                raise RuntimeError(f"{title}: {at.exception[0].value}")
        out[title] = statistics.median(times)
    return out


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", default="500,5000,50000")
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--sqlite-only", action="store_true", help="skip PostgreSQL")
    parser.add_argument("--json", metavar="FILE", help="also write the figures as JSON (benchmarks/results.py)")
    args = parser.parse_args(argv)
    from benchmarks import results as res

    started, load_avg = res.now(), res.load()
    sizes = [int(s) for s in args.sizes.split(",")]
    backends = ["SQLite"] if args.sqlite_only else ["SQLite", "PostgreSQL"]
    admin_url = None if args.sqlite_only else pg_admin_url()
    results: dict[tuple[str, int], dict[str, float]] = {}
    with tempfile.TemporaryDirectory() as tmp:
        import streamlit as st

        from data_access import db
        from data_access.accounts import CredentialStore, ensure_demo_accounts

        credentials = Path(tmp) / "credentials.yaml"
        ensure_demo_accounts(CredentialStore(credentials))
        os.environ["CCHC_CREDENTIALS_FILE"] = str(credentials)
        os.environ["CCHC_MODE"] = "demo"
        for n in sizes:
            path = Path(tmp) / f"bench_{n}.db"
            start = time.perf_counter()
            build_store(path, n)
            print(f"Kho {n:>6} nhiệm vụ dựng trong {time.perf_counter() - start:.1f} s", file=sys.stderr)
            urls = {"SQLite": f"sqlite:///{path}"}
            if admin_url:
                start = time.perf_counter()
                urls["PostgreSQL"] = copy_to_postgres(path, admin_url, f"cchc_bench_{n}")
                print(f"  chép sang PostgreSQL trong {time.perf_counter() - start:.1f} s", file=sys.stderr)
            for backend in backends:
                os.environ["DATABASE_URL"] = urls[backend]
                st.cache_resource.clear()
                for engine in db._engines.values():
                    engine.dispose()
                db._engines.clear()
                results[(backend, n)] = time_pages(args.runs)
    print(f"Thời gian trung vị một lần chạy AppTest của trang (giây; {args.runs} lần/trang, bộ đệm trống, "
          "đã đăng nhập)")
    columns = [(b, n) for n in sizes for b in backends]
    short = {"SQLite": "SQLite", "PostgreSQL": "PG"}
    header = f"{'Trang':<24}" + "".join(f"{short[b] + ' ' + f'{n:,}'.replace(',', '.'):>16}" for b, n in columns)
    ratio = len(sizes) > 1
    if ratio:
        header += "".join(f"{'tỷ lệ ' + short[b]:>16}" for b in backends)
    print(header)
    for title, _ in PAGES:
        line = f"{title:<24}" + "".join(f"{results[c][title]:>16.2f}" for c in columns)
        if ratio:
            line += "".join(f"{results[(b, sizes[-1])][title] / results[(b, sizes[0])][title]:>15.1f}x"
                            for b in backends)
        print(line)
    print(f"Tải máy lúc bắt đầu (uptime 1/5/15 phút): {load_avg}")
    if args.json:
        measures = [res.measure("pages", title, b, n, results[(b, n)][title],
                                results[(b, n)][title] / results[(b, sizes[0])][title], runs=args.runs)
                    for title, _ in PAGES for b in backends for n in sizes]
        res.write(args.json, measures, started, load_avg)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
