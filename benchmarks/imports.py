"""Import benchmark: `python -m benchmarks.imports` (also run by `make bench`).

For returns of 5 000 and 20 000 rows (each row a real lead assignment, matched by
code, so every row is written), prints the bare python-calamine read, the dry run
(`plan_import`) and the apply (`apply_import`) times, their ratio to the bare read,
and the peak traced Python memory of dry run + apply (measured on a separate, untimed run). Runs on a throw-away SQLite
store holding the sample data plus one synthetic agency with enough tasks.
"""

from __future__ import annotations

import datetime as dt
import io
import tempfile
import time
import tracemalloc
from pathlib import Path

import openpyxl
import python_calamine
from sqlalchemy import insert, select

from data_access import importer as imp
from data_access import models as m
from data_access.auth import Actor
from data_access.db import make_engine
from sample_data.build import load_sample

SIZES = (5_000, 20_000)
AGENCY = "Cơ quan thử tải"


def _store(path: Path, rows: int) -> tuple[object, int]:
    engine = make_engine(f"sqlite:///{path}")
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
            {"task_id": t, "agency_id": agency_id, "role": m.ROLE_LEAD, "name_as_assigned": AGENCY} for t in ids])
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


def run(rows: int) -> dict[str, float]:
    with tempfile.TemporaryDirectory() as tmp:
        engine, agency_id = _store(Path(tmp) / "bench.db", rows)
        data = _return(rows)
        bare = min(_bare_read(data) for _ in range(3))
        t0 = time.perf_counter()
        plan = imp.plan_import(engine, data, "bench.xlsx", agency_id=agency_id)  # type: ignore[arg-type]
        t1 = time.perf_counter()
        result = imp.apply_import(engine, plan, Actor.system("benchmark"))  # type: ignore[arg-type]
        t2 = time.perf_counter()
        assert plan.counts["new"] == rows and result.reports_written == rows, (plan.counts, result)
        imp.undo_upload(engine, result.upload_id or 0, Actor.system("benchmark"))  # type: ignore[arg-type]
        # Memory is measured on a second, identical run: tracemalloc slows Python down, so it is not timed.
        tracemalloc.start()
        plan = imp.plan_import(engine, data, "bench.xlsx", agency_id=agency_id)  # type: ignore[arg-type]
        imp.apply_import(engine, plan, Actor.system("benchmark"))  # type: ignore[arg-type]
        _, peak = tracemalloc.get_traced_memory()
        tracemalloc.stop()
        engine.dispose()  # type: ignore[attr-defined]
    return {"rows": rows, "bytes": len(data), "bare": bare, "dry": t1 - t0, "apply": t2 - t1, "peak_mb": peak / 2**20}


def main() -> None:
    print("Nhập báo cáo quý: thời gian (giây) và bộ nhớ đỉnh (tracemalloc, MB)")
    print(f"{'dòng':>7} {'tệp KB':>7} {'đọc calamine':>13} {'chạy thử':>9} {'x đọc':>6} {'ghi':>7} {'x đọc':>6} "
          f"{'bộ nhớ đỉnh':>12}")
    for rows in SIZES:
        r = run(rows)
        print(f"{rows:>7} {r['bytes'] / 1024:>7.0f} {r['bare']:>13.3f} {r['dry']:>9.3f} {r['dry'] / r['bare']:>6.1f} "
              f"{r['apply']:>7.3f} {r['apply'] / r['bare']:>6.1f} {r['peak_mb']:>12.1f}")
    print("Mục tiêu: ghi (apply) trong vòng 3 lần thời gian đọc trần; bộ nhớ đỉnh < 300 MB ở 20.000 dòng.")


if __name__ == "__main__":
    main()
