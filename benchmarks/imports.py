"""Import benchmark: `python -m benchmarks.imports` (also run by `make bench`).

For returns of 5 000 and 20 000 rows (each row a real lead assignment, matched by
code, so every row is written), on SQLite and on PostgreSQL side by side, prints:

- read: python-calamine merely reading the file (every sheet to Python values), best of 3;
- dry run: `plan_import` from the bytes (safety checks, read, header detection, parsing,
  matching, classification against the store), nothing written;
- apply: `apply_import` of that plan (store-wide write lock, re-classification against the
  store inside the transaction, upload record, bulk insert of the reports, audit, commit);
- total: dry run + apply, i.e. the whole path from the uploaded bytes to committed rows;
- each as a multiple of the bare read, and the peak traced Python memory of dry run +
  apply (tracemalloc, on a separate untimed run, since tracing slows Python down).

Each backend gets a throw-away store holding the sample data plus one synthetic agency
with enough tasks: a SQLite file, and a PostgreSQL database created on the server given by
CCHC_BENCH_PG_URL, else the private test server of `scripts/test_postgres.sh` (started if
needed). `--sqlite-only` skips PostgreSQL; `--sizes 5000,20000` picks the sizes; `--json FILE` also writes the figures as JSON (one object
per measure: read, dry run, apply, total, peak memory; see benchmarks/results.py).
"""

from __future__ import annotations

import datetime as dt
import io
import os
import subprocess
import sys
import tempfile
import time
import tracemalloc
import uuid
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import openpyxl
import python_calamine
import sqlalchemy as sa
from sqlalchemy import insert, select
from sqlalchemy.engine import Engine, make_url

from data_access import importer as imp
from data_access import models as m
from data_access.db import make_engine
from data_access.permissions import Actor
from sample_data.build import load_sample

SIZES = (5_000, 20_000)
AGENCY = "Cơ quan thử tải"


ROOT = Path(__file__).resolve().parents[1]


def _store(url: str, rows: int) -> tuple[Engine, int]:
    engine = make_engine(url)
    load_sample(engine)
    with engine.begin() as conn:
        agency_id = conn.execute(insert(m.Agency.__table__).values(  # type: ignore[attr-defined]
            name=AGENCY, kind=m.KIND_PROVINCIAL, search_key="co quan thu tai")).inserted_primary_key[0]
        plan_id = conn.execute(select(m.Plan.id).where(m.Plan.code == "SNV26")).scalar_one()  # type: ignore[arg-type]
        conn.execute(insert(m.Task.__table__), [  # type: ignore[attr-defined]
            {"plan_id": plan_id, "field_code": "CDDH", "code": f"BENCH-{i:05d}", "text": f"Nhiệm vụ thử tải số {i}",
             "deadline_kind": "date", "deadline_date": dt.date(2026, 12, 31), "search_key": f"nhiem vu thu tai so {i}"}
            for i in range(rows)])
        ids = conn.execute(select(m.Task.id).where(m.Task.code.like("BENCH-%")).order_by(m.Task.id)).scalars().all()  # type: ignore[attr-defined]
        conn.execute(insert(m.Assignment.__table__), [  # type: ignore[attr-defined]
            {"task_id": t, "agency_id": agency_id, "role": m.ASSIGNMENT_LEAD, "name_as_assigned": AGENCY} for t in ids])
    return engine, int(agency_id)


def _return(rows: int) -> bytes:
    wb = openpyxl.Workbook(write_only=True)
    ws = wb.create_sheet("Báo cáo")
    ws.append(["BÁO CÁO KẾT QUẢ THỰC HIỆN NHIỆM VỤ CẢI CÁCH HÀNH CHÍNH QUÝ IV/2026"])
    ws.append([f"Cơ quan báo cáo: {AGENCY}"])
    ws.append(["Mã nhiệm vụ", "Nhiệm vụ", "Cơ quan chủ trì", "Tình trạng", "Tỷ lệ hoàn thành (%)", "Ngày hoàn thành",
               "Văn bản/sản phẩm", "Khó khăn, vướng mắc"])
    states = ["Đã hoàn thành", "Đang thực hiện", "Chưa thực hiện"]
    for i in range(rows):
        state = states[i % 3]
        ws.append([f"BENCH-{i:05d}", f"Nhiệm vụ thử tải số {i}", AGENCY, state,
                   "100%" if i % 3 == 0 else "40%" if i % 3 == 1 else "0%",
                   "15/10/2026" if i % 3 == 0 else None, f"Văn bản số {i}/QĐ" if i % 3 == 0 else None,
                   "Thiếu kinh phí" if i % 7 == 0 else None])
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()


def _bare_read(data: bytes) -> float:
    start = time.perf_counter()
    wb = python_calamine.CalamineWorkbook.from_filelike(io.BytesIO(data))
    for name in wb.sheet_names:
        wb.get_sheet_by_name(name).to_python()
    return time.perf_counter() - start


@contextmanager
def _sqlite_url() -> Iterator[str]:
    with tempfile.TemporaryDirectory() as tmp:
        yield f"sqlite:///{Path(tmp) / 'bench.db'}"


def pg_admin_url() -> str | None:
    """A superuser URL: CCHC_BENCH_PG_URL, else the private test server (started by the script)."""
    url = os.environ.get("CCHC_BENCH_PG_URL")
    if url:
        return url
    result = subprocess.run(["bash", str(ROOT / "scripts" / "test_postgres.sh")], capture_output=True, text=True,
                            timeout=900, check=False)
    if result.returncode != 0 or not result.stdout.strip():
        print(f"PostgreSQL không khởi động được, bỏ qua: {result.stderr.strip()[-300:]}", file=sys.stderr)
        return None
    return result.stdout.strip().splitlines()[-1]


def _pg_url_factory(admin_url: str) -> Callable[[], Any]:
    @contextmanager
    def factory() -> Iterator[str]:
        name = f"cchc_bench_{uuid.uuid4().hex[:10]}"
        admin = sa.create_engine(admin_url, isolation_level="AUTOCOMMIT")
        with admin.connect() as conn:
            conn.execute(sa.text(f'CREATE DATABASE "{name}"'))
        try:
            yield make_url(admin_url).set(database=name).render_as_string(hide_password=False)
        finally:
            with admin.connect() as conn:
                conn.execute(sa.text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
            admin.dispose()

    return factory


def run(rows: int, url_factory: Callable[[], Any] = _sqlite_url) -> dict[str, float]:
    data = _return(rows)
    bare = min(_bare_read(data) for _ in range(3))
    with url_factory() as url:
        engine, agency_id = _store(url, rows)
        actor = Actor.system("benchmark")
        t0 = time.perf_counter()
        plan = imp.plan_import(engine, data, "bench.xlsx", agency_id=agency_id)
        t1 = time.perf_counter()
        result = imp.apply_import(engine, plan, actor)
        t2 = time.perf_counter()
        assert plan.counts["new"] == rows and result.reports_written == rows, (plan.counts, result)
        imp.undo_upload(engine, result.upload_id or 0, actor)
        # Memory is measured on a second, identical run: tracemalloc slows Python down, so it is not timed.
        tracemalloc.start()
        plan = imp.plan_import(engine, data, "bench.xlsx", agency_id=agency_id)
        imp.apply_import(engine, plan, actor)
        _, peak = tracemalloc.get_traced_memory()
        tracemalloc.stop()
        engine.dispose()
    return {"rows": rows, "bytes": len(data), "bare": bare, "dry": t1 - t0, "apply": t2 - t1,
            "total": t2 - t0, "peak_mb": peak / 2**20}


def main(argv: list[str] | None = None) -> None:
    from benchmarks import results as res

    args = sys.argv[1:] if argv is None else argv
    started, load_avg = res.now(), res.load()
    backends: list[tuple[str, Callable[[], Any]]] = [("SQLite", _sqlite_url)]
    if "--sqlite-only" not in args:
        admin = pg_admin_url()
        if admin:
            backends.append(("PostgreSQL", _pg_url_factory(admin)))
    sizes = tuple(int(x) for x in args[args.index("--sizes") + 1].split(",")) if "--sizes" in args else SIZES
    results = {(name, rows): run(rows, factory) for name, factory in backends for rows in sizes}
    print("Nhập báo cáo quý: thời gian (giây), bội số so với đọc trần bằng python-calamine, bộ nhớ đỉnh (MB)")
    print("  đọc trần = python-calamine đọc mọi trang tính; chạy thử = plan_import từ bytes (kiểm tra, đọc, khớp, "
          "phân loại);")
    print("  ghi = apply_import của bản chạy thử (khoá ghi, phân loại lại trong giao dịch, ghi, commit); "
          "tổng = chạy thử + ghi.")
    head = f"{'CSDL':<11} {'dòng':>6} {'tệp KB':>7} {'đọc trần':>9} {'chạy thử':>9} {'x':>5} {'ghi':>7} {'x':>5} " \
           f"{'tổng':>7} {'x':>5} {'bộ nhớ':>7}"
    print(head)
    for rows in sizes:
        for name, _ in backends:
            r = results[(name, rows)]
            b = r["bare"]
            print(f"{name:<11} {rows:>6} {r['bytes'] / 1024:>7.0f} {b:>9.3f} {r['dry']:>9.3f} {r['dry'] / b:>5.1f} "
                  f"{r['apply']:>7.3f} {r['apply'] / b:>5.1f} {r['total']:>7.3f} {r['total'] / b:>5.1f} "
                  f"{r['peak_mb']:>7.1f}")
    print("Mục tiêu: tổng (chạy thử + ghi) trong vòng 3 lần thời gian đọc trần; bộ nhớ đỉnh < 300 MB ở 20.000 dòng.")
    print(f"Tải máy lúc bắt đầu (uptime 1/5/15 phút): {load_avg}")
    if "--json" in args:
        names = {"bare": "import: đọc trần", "dry": "import: chạy thử", "apply": "import: ghi",
                 "total": "import: tổng"}
        measures = []
        for (name, rows), r in results.items():
            for key, label in names.items():
                measures.append(res.measure("imports", label, name, rows, r[key], r[key] / r["bare"]))
            measures.append(res.measure("imports", "import: bộ nhớ đỉnh", name, rows, None, None, unit="MB",
                                        value=round(r["peak_mb"], 1)))
        res.write(args[args.index("--json") + 1], measures, started, load_avg)


if __name__ == "__main__":
    main()
