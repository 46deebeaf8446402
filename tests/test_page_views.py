"""The leadership views, driven through AppTest, show what an independent count over the same store gives."""

from __future__ import annotations

import datetime as dt
import io
import sqlite3
import unicodedata
from collections import Counter
from pathlib import Path

import pandas as pd
import pytest
from openpyxl import load_workbook
from sqlalchemy.engine import Engine
from streamlit.testing.v1 import AppTest

from data_access import status
from data_access.vn import fmt_number, fmt_pct
from tests import independent
from tests.signin import signed_in
from ui.fmt import to_xlsx

TODAY = dt.date(2026, 11, 22)


def _page(path: str, year: object = "Tất cả", fields: list[str] | None = None, as_of: dt.date = TODAY) -> AppTest:
    at = signed_in("lanh_dao")
    at.selectbox(key="f_year").set_value(year)
    at.multiselect(key="f_fields").set_value(fields or [])
    at.date_input(key="f_as_of").set_value(as_of)
    at.switch_page(path).run()
    assert not at.exception, [e.value for e in at.exception]
    return at


# Each table is recognised by a column only it has on its page.
SIGNATURES = {"fields": "Tổng số", "trend": "Tính đến ngày", "field_tasks": "Hạn (ngày)", "agencies": "Cơ quan chủ trì",
              "drill_lead": "Tiến độ", "indicators": "Đánh giá", "tasks": "Số cơ quan chủ trì",
              "assignments": "Cơ quan hiện nay", "reports": "Kỳ báo cáo"}


def _table(at: AppTest, key: str) -> pd.DataFrame:
    matches = [d.value for d in at.dataframe if SIGNATURES[key] in d.value.columns]
    assert len(matches) == 1, (key, [list(d.value.columns) for d in at.dataframe])
    return matches[0]


def _plans_of_year(db: Path, year: object) -> set[str] | None:
    if year == "Tất cả":
        return None
    con = sqlite3.connect(db)
    codes = {c for (c,) in con.execute("select code from plan where year = ?", (year,))}
    con.close()
    return codes


def _plain(text: str) -> str:
    """Independent accent folding (not data_access.vn.search_key)."""
    text = unicodedata.normalize("NFD", text.lower()).replace("đ", "d")
    return "".join(ch for ch in text if unicodedata.category(ch) != "Mn")


# --- Tiến độ theo lĩnh vực ------------------------------------------------------------


@pytest.mark.parametrize(("year", "fields", "as_of"), [
    ("Tất cả", [], TODAY),
    (2025, ["TTHC", "SIPAS", "CQS"], dt.date(2025, 12, 31)),
])
def test_fields_page_counts_equal_independent(store: Engine, sample_db_file: Path, year: object,
                                              fields: list[str], as_of: dt.date) -> None:
    at = _page("pages/tien_do_linh_vuc.py", year, fields, as_of)
    shown = _table(at, "fields").set_index("Lĩnh vực")
    con = sqlite3.connect(sample_db_file)
    names = dict(con.execute("select code, name from field"))
    con.close()
    expected_fields = fields or [c for c in names]
    plans = _plans_of_year(sample_db_file, year)
    seen = 0
    for code in expected_fields:
        counts = independent.status_counter(sample_db_file, as_of, plan_codes=plans, field_codes={code})
        total = sum(counts.values())
        if not total:
            assert names[code] not in shown.index
            continue
        seen += 1
        row = shown.loc[names[code]]
        for state in status.STATUS_ORDER:
            assert row[status.STATUS_LABELS[state]] == fmt_number(counts.get(state, 0)), (code, state)
        assert row["Tổng số"] == fmt_number(total)
        done = counts.get(status.DONE_ON_TIME, 0) + counts.get(status.DONE_LATE, 0)
        assert row["Tỷ lệ hoàn thành"] == fmt_pct(100.0 * done / total, 1)
    assert seen == len(shown) and seen > 0


def test_fields_page_history_and_field_tasks(store: Engine, sample_db_file: Path) -> None:
    at = _page("pages/tien_do_linh_vuc.py")
    trend = _table(at, "trend")
    assert list(trend["Quý"].head(1)) == ["Quý IV/2024"] and list(trend["Quý"].tail(1)) == ["Quý III/2026"]
    # The whole-scope line at each quarter end equals the independent count at that date.
    for quarter, end in (("Quý IV/2025", dt.date(2025, 12, 31)), ("Quý II/2026", dt.date(2026, 6, 30))):
        counts = independent.status_counter(sample_db_file, end)
        row = trend[(trend["Quý"] == quarter) & (trend["Lĩnh vực"] == "Tất cả lĩnh vực")].iloc[0]
        assert row["Đã hoàn thành"] == fmt_number(counts[status.DONE_ON_TIME] + counts[status.DONE_LATE])
        assert row["Quá hạn"] == fmt_number(counts[status.OPEN_OVERDUE])
    at.selectbox(key="field_pick").set_value("SIPAS").run()
    tasks = _table(at, "field_tasks")
    statuses = independent.task_statuses(sample_db_file, TODAY, field_codes={"SIPAS"})
    assert sorted(tasks["Mã"]) == sorted(statuses)
    assert all(tasks["Trạng thái"] == [status.STATUS_LABELS[statuses[c]] for c in tasks["Mã"]])


# --- Quá hạn theo cơ quan ---------------------------------------------------------------


def _lead_overdue(db: Path, as_of: dt.date, plan_codes: set[str] | None) -> tuple[Counter[str], Counter[str]]:
    """Per agency name: overdue tasks it leads and those overdue more than 90 days (raw SQL + rules).

    Lead assignments only (a coordinator is never counted); a division counts under its parent agency
    (the province's view: Sở Nội vụ's phòng under Sở Nội vụ), a task once per agency.
    """
    con = sqlite3.connect(db)
    rows = con.execute("""
        select a.id, a.task_id, coalesce(parent.name, ag.name), t.deadline_date, p.code from assignment a
        join task t on t.id = a.task_id join plan p on p.id = t.plan_id join agency ag on ag.id = a.agency_id
        left join agency parent on parent.id = ag.parent_id where a.role = 'chu_tri'""").fetchall()
    reports = con.execute("select assignment_id, period_start, id, state, completed_on, period_end from statusreport"
                          " where period_start <= ?", (as_of.isoformat(),)).fetchall()
    con.close()
    latest: dict[int, tuple[str, int, str, str | None, str]] = {}
    for r in reports:
        if r[0] not in latest or (r[1], r[2]) > latest[r[0]][:2]:
            latest[r[0]] = r[1:]
    overdue_tasks: dict[str, set[int]] = {}
    old_tasks: dict[str, set[int]] = {}
    for aid, task_id, agency, deadline, plan in rows:
        if plan_codes is not None and plan not in plan_codes:
            continue
        rep = latest.get(aid)
        done = rep is not None and rep[2] == "hoan_thanh" and (rep[3] or rep[4]) <= as_of.isoformat()
        d = dt.date.fromisoformat(deadline) if deadline else None
        if status.assignment_status(d, as_of if done else None, as_of) == status.OPEN_OVERDUE:
            overdue_tasks.setdefault(agency, set()).add(task_id)
            if status.days_overdue(d, as_of) > 90:
                old_tasks.setdefault(agency, set()).add(task_id)
    return (Counter({a: len(t) for a, t in overdue_tasks.items()}),
            Counter({a: len(t) for a, t in old_tasks.items()}))


@pytest.mark.parametrize(("year", "as_of"), [("Tất cả", TODAY), (2025, dt.date(2026, 2, 15))])
def test_overdue_page_equals_independent(store: Engine, sample_db_file: Path, year: object, as_of: dt.date) -> None:
    at = _page("pages/qua_han_co_quan.py", year, [], as_of)
    shown = _table(at, "agencies")
    overdue, old = _lead_overdue(sample_db_file, as_of, _plans_of_year(sample_db_file, year))
    got = {r["Cơ quan chủ trì"]: r["Quá hạn (chủ trì)"] for _, r in shown.iterrows() if r["Quá hạn (chủ trì)"] != "0"}
    assert got == {a: fmt_number(n) for a, n in overdue.items() if n}
    assert {r["Cơ quan chủ trì"]: r["Trên 90 ngày"] for _, r in shown.iterrows() if r["Trên 90 ngày"] != "0"} == {
        a: fmt_number(n) for a, n in old.items() if n}
    counts = [int(v.replace(".", "")) for v in shown["Quá hạn (chủ trì)"]]
    assert counts == sorted(counts, reverse=True)
    # Drill-down of the first agency lists exactly its overdue lead tasks, with days and dd/mm/yyyy deadlines.
    drill = _table(at, "drill_lead")
    assert len(drill) == overdue[shown["Cơ quan chủ trì"].iloc[0]]
    assert all(len(d) == 10 and d[2] == "/" for d in drill["Hạn"])
    assert all(p.startswith("Quý ") or p == "Chưa báo cáo" for p in drill["Báo cáo gần nhất"])


def test_moving_the_date_back_turns_overdue_into_on_time(store: Engine, sample_db_file: Path) -> None:
    at = _page("pages/nhiem_vu.py")
    at.multiselect(key="task_statuses").set_value([status.OPEN_OVERDUE]).run()
    listed = _table(at, "tasks")
    assert len(listed) > 0 and set(listed["Trạng thái"]) == {status.STATUS_LABELS[status.OPEN_OVERDUE]}
    # Pick an overdue task whose deadline is in 2026, and look at it 40 days before its deadline.
    row = next(r for _, r in listed.iterrows() if r["Hạn (ngày)"].endswith("/2026"))
    deadline = dt.datetime.strptime(row["Hạn (ngày)"], "%d/%m/%Y").date()
    earlier = deadline - dt.timedelta(days=40)
    at.multiselect(key="task_statuses").set_value([])
    at.date_input(key="f_as_of").set_value(earlier)
    at.run()
    again = _table(at, "tasks")
    status_then = again.set_index("Mã").loc[row["Mã"], "Trạng thái"]
    assert status_then == status.STATUS_LABELS[status.OPEN_ON_TIME]
    assert independent.task_statuses(sample_db_file, earlier)[row["Mã"]] == status.OPEN_ON_TIME


# --- Chỉ tiêu ------------------------------------------------------------------------------


@pytest.mark.parametrize("as_of", [TODAY, dt.date(2025, 6, 30)])
def test_indicator_page(store: Engine, sample_db_file: Path, as_of: dt.date) -> None:
    """The Chỉ tiêu page shows every 2025/2026 target with the figures of `targets --json` (target_results)."""
    from data_access import targets as tg
    from data_access.db import make_engine
    from data_access.vn import fmt_period, fmt_value

    at = _page("pages/chi_tieu.py", as_of=as_of)
    shown = _table(at, "indicators").set_index("Mã")
    con = sqlite3.connect(sample_db_file)
    codes = {c for (c,) in con.execute("select code from target where year in (2025, 2026)")}
    con.close()
    assert set(shown.index) == codes
    # "Nguy cơ không đạt" first (not met; going backwards or limited progress), then the worst rating first.
    risk = [t.startswith("Nguy cơ không đạt") for t in shown["Xu hướng"]]
    assert any(risk) and risk == sorted(risk, reverse=True)
    order = [(not r, tg.RATINGS.index(next(k for k, v in tg.RATING_LABELS.items() if v == label)))
             for r, label in zip(risk, shown["Đánh giá"], strict=True)]
    assert order == sorted(order)
    engine = make_engine(f"sqlite:///{sample_db_file}")
    results = {r.code: r for r in tg.target_trends(engine, as_of)}
    engine.dispose()
    assert [c for c, r in results.items() if r.at_risk] == list(shown.index[:sum(risk)])
    for code, r in results.items():
        row = shown.loc[code]
        assert row["Đánh giá"] == tg.RATING_LABELS[r.rating], code
        assert row["Giá trị"].startswith(fmt_value(r.value, r.unit)), code
        assert row["Giá trị"].endswith("(mẫu)") == r.sample, code
        assert row["Kỳ số liệu"] == (fmt_period(r.period) if r.period else "Chưa có số liệu kỳ này"), code
        assert r.quote in row["Trích dẫn văn bản"] and str(r.seed_file) in row["Nguồn"], code
        assert r.trend_label in row["Xu hướng"] or r.trend_category == "chua_du_so_lieu", code
        assert row["Xu hướng"].endswith("(mẫu)") == (r.trend_sample and r.trend_category != "chua_du_so_lieu"), code
    online = shown.loc["BC25-HSTT50"]  # Phụ lục 9 mục 5: Không đạt, 24,99%
    assert (online["Đánh giá"], online["Giá trị"]) == ("Chưa đạt", "24,99%")
    targets = set(shown["Mục tiêu"])
    assert "= 100%" in targets and any(t.startswith("≥ ") for t in targets) and "Top 15" in targets
    assert any(t.startswith("Tăng ≥ 5 bậc so với 2024") for t in targets)
    assert not any(">=" in t or "top" in t or "rank_up" in t for t in targets)
    captions = " ".join(c.value for c in at.caption)
    assert ("Có dữ liệu mẫu" in captions) == any(r.sample for r in results.values())
    # Where the documents contradict each other the page says so (tests/test_fidelity.py pins the choice).
    at.selectbox(key="indicator_pick").set_value("BC25-HLHC90").run()
    notes = " ".join(i.value for i in at.info)
    assert "85,85%" in notes and "87,92%" in notes
    assert any("001_fb3c06f5023b1873.txt, dòng 1532" in m.value for m in at.markdown)


# --- Nhiệm vụ: search, detail ------------------------------------------------------------


@pytest.mark.parametrize(("query", "accented"), [("so hoa", "số hóa"), ("dien tu", "điện tử"),
                                                 ("Khanh Hoa", "khánh hòa")])
def test_search_is_accent_insensitive(store: Engine, sample_db_file: Path, query: str, accented: str) -> None:
    at = _page("pages/nhiem_vu.py")
    at.text_input(key="task_search").set_value(query).run()
    shown = _table(at, "tasks")
    con = sqlite3.connect(sample_db_file)
    words = query.lower().split()  # every word must occur, in any order (as a search box behaves)
    # Directions 2026-2030 are listed apart, not as tasks.
    expected = {c for c, text in con.execute("select t.code, t.text from task t join plan p on p.id = t.plan_id "
                                             "where p.kind <> 'dinh_huong'") if all(w in _plain(text) for w in words)}
    con.close()
    assert expected and set(shown["Mã"]) == expected
    assert any(accented in unicodedata.normalize("NFC", t).lower() for t in shown["Nhiệm vụ"])


def test_task_detail_shows_assignments_and_reports(store: Engine, sample_db_file: Path) -> None:
    con = sqlite3.connect(sample_db_file)
    task_id, _code = con.execute("""select t.id, t.code from task t join assignment a on a.task_id = t.id
        join agency ag on ag.id = a.agency_id where a.name_as_assigned != ag.name and a.role = 'chu_tri'
        order by t.id limit 1""").fetchone()
    n_assign = con.execute("select count(*) from assignment where task_id = ?", (task_id,)).fetchone()[0]
    n_reports = con.execute("select count(*) from statusreport r join assignment a on a.id = r.assignment_id "
                            "where a.task_id = ?", (task_id,)).fetchone()[0]
    con.close()
    at = _page("pages/nhiem_vu.py")
    at.selectbox(key="task_pick").set_value(task_id).run()
    assignments = _table(at, "assignments")
    assert len(assignments) == n_assign
    assert set(assignments["Vai trò"]) <= {"Chủ trì", "Phối hợp"}
    assert (assignments["Tên khi được giao"] != assignments["Cơ quan hiện nay"]).any()
    reports = _table(at, "reports")
    assert len(reports) == n_reports
    assert all(p.startswith("Quý ") for p in reports["Kỳ báo cáo"])


# --- shared: no raw codes or ISO dates, exports ------------------------------------------------


PAGES = ["pages/tong_quan.py", "pages/tien_do_linh_vuc.py", "pages/qua_han_co_quan.py", "pages/chi_tieu.py",
         "pages/nhiem_vu.py"]


def test_no_status_codes_or_iso_dates_shown(store: Engine) -> None:
    import re

    at = signed_in("lanh_dao")
    for path in PAGES:
        at.switch_page(path).run()
        assert not at.exception, path
        texts = [str(v) for df in at.dataframe for v in df.value.to_numpy().ravel()]
        texts += [m.value for m in at.markdown] + [c.value for c in at.caption]
        for text in texts:
            assert not any(code in text for code in status.STATUS_ORDER), (path, text)
            assert not re.search(r"\b20\d\d-\d\d-\d\d\b", text), (path, text)
            assert not re.search(r"\b20\d\d-Q[1-4]\b", text), (path, text)
        assert len(at.get("download_button")) >= 2, path


def test_exported_table_reopens_with_same_rows(store: Engine) -> None:
    at = _page("pages/qua_han_co_quan.py")
    shown = _table(at, "agencies")
    sheet = load_workbook(io.BytesIO(to_xlsx(shown, "Quá hạn"))).active
    rows = [[c.value for c in r] for r in sheet.iter_rows(min_row=3)]  # rows 1-2: title, "số liệu tính đến"
    assert rows[0] == list(shown.columns)
    assert len(rows) - 1 == len(shown)
    assert [r[0] for r in rows[1:]] == shown.iloc[:, 0].tolist()  # typed cells: tests/test_leader_output.py


def test_export_neutralises_formulas() -> None:
    df = pd.DataFrame({"Nhiệm vụ": ["=HYPERLINK(\"http://x\")", "+1", "-2", "@SUM(A1)", "bình thường"]})
    sheet = load_workbook(io.BytesIO(to_xlsx(df))).active
    cells = [sheet.cell(row=i, column=1) for i in range(4, 9)]  # under the title, date and header rows
    assert [c.data_type for c in cells] == ["s"] * 5
    assert cells[0].value == "=HYPERLINK(\"http://x\")"


def test_chart_png_is_a_png() -> None:
    from ui.charts import chart_png, field_status_chart

    fields = pd.DataFrame({"field_name": ["Cải cách thể chế"], **{code: [1] for code in status.STATUS_ORDER}})
    data = chart_png(field_status_chart(fields))
    assert data[:8] == b"\x89PNG\r\n\x1a\n" and len(data) > 2000


def test_overview_change_since_previous_quarter(store: Engine, sample_db_file: Path) -> None:
    at = _page("pages/tong_quan.py")
    now = independent.status_counter(sample_db_file, TODAY)
    before = independent.status_counter(sample_db_file, dt.date(2026, 9, 30))
    metric = {m.label: m for m in at.metric}
    change = now[status.OPEN_OVERDUE] - before[status.OPEN_OVERDUE]
    assert change != 0
    assert metric["Quá hạn"].delta == f"{'+' if change > 0 else '-'}{abs(change)}"
    assert metric["Quá hạn"].value == fmt_number(now[status.OPEN_OVERDUE])
