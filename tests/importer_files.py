"""Workbooks built in code for the importer, template and upload-page tests, and a store snapshot."""

from __future__ import annotations

import datetime as dt
import hashlib
import io
import unicodedata
from collections.abc import Sequence

import openpyxl
from openpyxl.worksheet.worksheet import Worksheet
from sqlalchemy import inspect, select, text
from sqlalchemy.engine import Engine

from data_access import models as m

XLSX_MIME = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
TCBC = "Phòng Tổ chức, biên chế và Công chức, viên chức"
SERIAL_15_10_2026 = (dt.date(2026, 10, 15) - dt.date(1899, 12, 30)).days


def task_text(engine: Engine, code: str) -> str:
    with engine.connect() as conn:
        return str(conn.execute(select(m.Task.text).where(m.Task.code == code)).scalar_one())  # type: ignore[arg-type]


def save(wb: openpyxl.Workbook) -> bytes:
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()


def table(rows: Sequence[Sequence[object]], title: str = "Báo cáo") -> bytes:
    wb = openpyxl.Workbook()
    ws = wb.active
    assert isinstance(ws, Worksheet)
    ws.title = title
    for row in rows:
        ws.append(list(row))
    return save(wb)


def pasted(text_value: str) -> str:
    """Task text as pasted from a Word document: decomposed Unicode, a line break, doubled and stray spaces."""
    words = text_value.split(" ")
    middle = len(words) // 2
    messy = " ".join(words[:middle]) + "\n" + "  ".join(words[middle:]) + "  "
    return unicodedata.normalize("NFD", messy)


def hand_made_q4(engine: Engine) -> bytes:
    """A return typed by hand for Quý IV/2026 by Sở Nội vụ: title rows, a merged two-row header, columns
    renamed and reordered, no code column (rows matched by text), text and serial dates, NFD text.

    Row 9  SNV26-P1-07  done 15/10/2026 (text date)            -> new
    Row 10 SNV26-P1-08  done (serial date), lead tells it from P2-30 -> new
    Row 11 SNV26-P1-03  in progress 60 % (same text as P2-21)  -> new
    Row 12 SNV26-P2-21  not started 0                          -> new
    Row 13 SNV26-P1-09  text also P2-31, no lead               -> unmatched (ambiguous)
    Row 14 SNV26-P1-11  date 31/02/2026                        -> rejected
    Row 15 a task not in the plan                               -> unmatched
    """
    wb = openpyxl.Workbook()
    ws = wb.active
    assert isinstance(ws, Worksheet)
    ws.title = "Quý IV"
    ws["A1"] = "ỦY BAN NHÂN DÂN TỈNH KHÁNH HÒA"
    ws.merge_cells("A1:C1")
    ws["E1"] = "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM"
    ws["A2"] = "SỞ NỘI VỤ"
    ws["E2"] = "Độc lập - Tự do - Hạnh phúc"
    ws["A3"] = "BÁO CÁO KẾT QUẢ THỰC HIỆN NHIỆM VỤ CẢI CÁCH HÀNH CHÍNH QUÝ IV/2026"
    ws.merge_cells("A3:G3")
    ws["A4"] = "Cơ quan báo cáo: Sở Nội vụ"
    for col, label in zip("ABCG", ["STT", "Nội dung công việc", "Đơn vị chủ trì", "Khó khăn/vướng mắc"], strict=True):
        ws[f"{col}5"] = label
        ws.merge_cells(f"{col}5:{col}6")
    ws["D5"] = "Kết quả thực hiện"
    ws.merge_cells("D5:F5")
    ws["D6"] = "Ngày hoàn thành"
    ws["E6"] = "Tình trạng"
    ws["F6"] = "Tỷ lệ (%)"
    ws.append([f"({i})" for i in range(1, 8)])  # row 7
    t = task_text
    rows: list[list[object]] = [
        ["I", "CẢI CÁCH TỔ CHỨC BỘ MÁY"],  # 8
        [1, pasted(t(engine, "SNV26-P1-07")), TCBC, "15/10/2026", " Đã  hoàn thành ", "100%"],  # 9
        [2, t(engine, "SNV26-P1-08") + "   ", TCBC, SERIAL_15_10_2026, "HT"],  # 10
        [3, t(engine, "SNV26-P1-03"), TCBC, None, "đang triển khai", "60 %", "Chờ hướng dẫn"],  # 11
        [4, t(engine, "SNV26-P2-21"), "Văn phòng Sở", None, "Chưa thực hiện", 0],  # 12
        [5, t(engine, "SNV26-P1-09"), None, None, "đang thực hiện", "50%"],  # 13
        [6, t(engine, "SNV26-P1-11"), "Phòng Pháp chế", "31/02/2026", "Đã hoàn thành", "100%"],  # 14
        [7, "Tổ chức hội thao chào mừng ngày thành lập ngành", "Văn phòng Sở", None, "đang thực hiện", "20%"],  # 15
        [],
        [None, "Nơi nhận:", None, None, None, None, "GIÁM ĐỐC"],
    ]
    for row in rows:
        ws.append(row)
    return save(wb)


def _canonical(value: object) -> object:
    """A backend-independent form of a stored value, so checksums mean the same on SQLite and PostgreSQL
    (SQLite hands back 0/1 for booleans, ISO strings for dates and naive datetimes; psycopg hands back
    bool, date and aware datetime objects; bytea may come back as memoryview)."""
    if isinstance(value, bool):
        return int(value)
    if isinstance(value, memoryview):
        value = value.tobytes()
    if isinstance(value, bytes):
        return "sha256:" + hashlib.sha256(value).hexdigest()
    if isinstance(value, dt.datetime):
        if value.tzinfo is not None:
            value = value.astimezone(dt.UTC).replace(tzinfo=None)
        return value.isoformat(sep=" ")
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, float):
        return repr(round(value, 9))
    # SQLite stores datetimes as text: bring "2026-10-15 01:02:03.000004" and friends to one form.
    if isinstance(value, str) and len(value) >= 19 and value[4] == "-" and value[10] in " T" and value[13] == ":":
        try:
            return _canonical(dt.datetime.fromisoformat(value))
        except ValueError:
            return value
    return value


def _checksum(engine: Engine, table: str) -> str:
    """SHA-256 of every row of `table` in primary-key order, values in canonical form."""
    digest = hashlib.sha256()
    with engine.connect() as conn:
        pk = inspect(conn).get_pk_constraint(table)["constrained_columns"] or ["id"]
        order = ", ".join(f'"{c}"' for c in pk)
        for row in conn.execute(text(f'SELECT * FROM "{table}" ORDER BY {order}')):  # noqa: S608 - our tables
            digest.update(repr(tuple(_canonical(v) for v in row)).encode())
    return digest.hexdigest()


WRITTEN_BY_IMPORTS = ("statusreport", "indicatorvalue", "upload")


def snapshot(engine: Engine, tables: Sequence[str] = WRITTEN_BY_IMPORTS) -> dict[str, object]:
    """Row counts of every table plus content checksums of `tables` (default: those an import writes;
    `all_tables(engine)` for everything)."""
    out: dict[str, object] = {}
    with engine.connect() as conn:
        for name in sorted(inspect(conn).get_table_names()):
            out[name] = conn.execute(text(f'SELECT COUNT(*) FROM "{name}"')).scalar_one()  # noqa: S608
        out["meta:data_version"] = conn.execute(text("SELECT value FROM meta WHERE key = 'data_version'")).scalar()
    for name in tables:
        out[f"sum:{name}"] = _checksum(engine, name)
    return out


def all_tables(engine: Engine) -> list[str]:
    with engine.connect() as conn:
        return sorted(inspect(conn).get_table_names())


def reports_only(snap: dict[str, object]) -> dict[str, object]:
    """The part of a snapshot an undo must restore exactly (history and audit rows are expected to grow)."""
    return {k: v for k, v in snap.items() if k in ("statusreport", "indicatorvalue", "sum:statusreport",
                                                    "sum:indicatorvalue")}


# --- synthetic agencies and large returns (concurrency, crash and load tests) -----------------

def synthetic_agency(engine: Engine, name: str, prefix: str, tasks: int) -> tuple[int, list[str]]:
    """Add an agency leading `tasks` new tasks of the SNV26 plan, coded `{prefix}-00000`...; (id, codes)."""
    from sqlalchemy import insert

    from data_access.vn import search_key

    codes = [f"{prefix}-{i:05d}" for i in range(tasks)]
    with engine.begin() as conn:
        agency_id = conn.execute(insert(m.Agency.__table__).values(  # type: ignore[attr-defined]
            name=name, kind=m.KIND_PROVINCIAL, search_key=search_key(name))).inserted_primary_key[0]
        plan_id = conn.execute(select(m.Plan.id).where(m.Plan.code == "SNV26")).scalar_one()  # type: ignore[arg-type]
        conn.execute(insert(m.Task.__table__), [  # type: ignore[attr-defined]
            {"plan_id": plan_id, "field_code": "CDDH", "code": code, "text": f"Nhiệm vụ {name} số {i}",
             "deadline_kind": "date", "deadline_date": dt.date(2026, 12, 31), "search_key": ""}
            for i, code in enumerate(codes)])
        ids = conn.execute(select(m.Task.id).where(m.Task.code.like(f"{prefix}-%"))  # type: ignore[attr-defined]
                           .order_by(m.Task.id)).scalars().all()
        conn.execute(insert(m.Assignment.__table__), [  # type: ignore[attr-defined]
            {"task_id": t, "agency_id": agency_id, "role": m.ASSIGNMENT_LEAD, "name_as_assigned": name} for t in ids])
    return int(agency_id), codes


STATE_WORDS = {m.STATE_DONE: "Đã hoàn thành", m.STATE_IN_PROGRESS: "Đang thực hiện",
               m.STATE_NOT_STARTED: "Chưa thực hiện"}


def status_return(agency: str, rows: Sequence[tuple[str, str, float]], quarter_title: str = "QUÝ IV/2026") -> bytes:
    """A return by code: rows of (task code, state, progress %); done rows get a completion date."""
    wb = openpyxl.Workbook(write_only=True)
    ws = wb.create_sheet("Báo cáo")
    ws.append([f"BÁO CÁO KẾT QUẢ THỰC HIỆN NHIỆM VỤ CẢI CÁCH HÀNH CHÍNH {quarter_title}"])
    ws.append([f"Cơ quan báo cáo: {agency}"])
    ws.append(["Mã nhiệm vụ", "Cơ quan chủ trì", "Tình trạng", "Tỷ lệ hoàn thành (%)", "Ngày hoàn thành"])
    for code, state, pct in rows:
        ws.append([code, agency, STATE_WORDS[state], f"{pct:g}%", "15/10/2026" if state == m.STATE_DONE else None])
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()


def current_states(engine: Engine, codes: Sequence[str], period: str = "2026-Q4") -> dict[str, tuple[str, float]]:
    """Task code -> (state, progress) of its current report for `period` (highest id), for tasks that have one."""
    wanted = set(codes)
    out: dict[str, tuple[str, float]] = {}
    with engine.connect() as conn:
        for code, state, pct in conn.execute(text(
                "SELECT t.code, r.state, r.progress_pct FROM statusreport r JOIN assignment a ON a.id = r.assignment_id "
                "JOIN task t ON t.id = a.task_id WHERE r.period = :p ORDER BY r.id"), {"p": period}):
            if code in wanted:
                out[code] = (state, float(pct))
    return out
