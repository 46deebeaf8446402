"""From "which agency" to "which task": links, pickers that follow the filters, code search, newest history first."""

from __future__ import annotations

import sqlite3
from pathlib import Path

from sqlalchemy.engine import Engine
from streamlit.testing.v1 import AppTest

from data_access.vn import fmt_period
from tests.signin import signed_in
from tests.test_page_views import TODAY, _lead_overdue, _page, _table


def _agency_ids(db: Path) -> dict[str, int]:
    con = sqlite3.connect(db)
    ids = {str(n): int(i) for i, n in con.execute("select id, name from agency")}
    con.close()
    return ids


def test_link_to_an_agency_lists_its_overdue_tasks(store: Engine, sample_db_file: Path) -> None:
    overdue, _ = _lead_overdue(sample_db_file, TODAY, None)
    ranked = sorted((n, a) for a, n in overdue.items() if n)
    # An agency that is not first in the ranking, so the link (not the default) decides.
    count, name = ranked[0]
    at = signed_in("lanh_dao")
    at.selectbox(key="f_year").set_value("Tất cả")
    at.date_input(key="f_as_of").set_value(TODAY)
    at.query_params["co_quan"] = str(_agency_ids(sample_db_file)[name])
    at.switch_page("pages/qua_han_co_quan.py").run()
    assert not at.exception, [e.value for e in at.exception]
    assert at.selectbox(key="agency_pick").value == _agency_ids(sample_db_file)[name]
    assert len(_table(at, "drill_lead")) == count
    # Choosing another agency rewrites the link, so the address can be shared as it stands.
    other = max((n, a) for a, n in overdue.items() if n)[1]
    at.selectbox(key="agency_pick").set_value(_agency_ids(sample_db_file)[other]).run()
    assert str(at.query_params["co_quan"]) == str(_agency_ids(sample_db_file)[other])
    assert len(_table(at, "drill_lead")) == overdue[other]


def test_agency_picker_follows_the_filters(store: Engine, sample_db_file: Path) -> None:
    overdue, _ = _lead_overdue(sample_db_file, TODAY, None)
    ids = _agency_ids(sample_db_file)
    at = _page("pages/qua_han_co_quan.py", "Tất cả", [], TODAY)
    ranked = list(_table(at, "agencies")["Cơ quan chủ trì"])
    stale, kept = ranked[0], ranked[1]
    at.selectbox(key="agency_pick").set_value(ids[stale]).run()
    assert len(_table(at, "drill_lead")) == overdue[stale]
    # The leader narrows the filter to another agency: the one picked before is no longer ranked.
    at.multiselect(key="f_agencies").set_value([ids[kept]]).run()
    assert not at.exception, [e.value for e in at.exception]
    assert list(_table(at, "agencies")["Cơ quan chủ trì"]) == [kept]
    assert at.selectbox(key="agency_pick").value == ids[kept]
    assert len(_table(at, "drill_lead")) == overdue[kept]


def test_search_by_task_code(store: Engine, sample_db_file: Path) -> None:
    con = sqlite3.connect(sample_db_file)
    codes = [c for (c,) in con.execute("select t.code from task t join plan p on p.id = t.plan_id "
                                       "where p.kind <> 'dinh_huong' and t.code like '%-%' order by t.code")]
    con.close()
    code = codes[len(codes) // 2]
    at = _page("pages/nhiem_vu.py")
    at.text_input(key="task_search").set_value(code).run()
    shown = _table(at, "tasks")
    assert code in set(shown["Mã"])
    assert all(code.lower() in c.lower() for c in shown["Mã"])
    at.text_input(key="task_search").set_value("khong co nhiem vu nao nhu the nay xyz").run()
    assert not at.exception
    assert any("Không tìm thấy nhiệm vụ nào" in i.value for i in at.info)


def test_link_to_a_task_shows_history_newest_first(store: Engine, sample_db_file: Path) -> None:
    con = sqlite3.connect(sample_db_file)
    task_id, code = con.execute("""select t.id, t.code from task t join assignment a on a.task_id = t.id
        join statusreport r on r.assignment_id = a.id join plan p on p.id = t.plan_id where p.kind <> 'dinh_huong'
        group by t.id having count(distinct r.period_start) >= 2 order by t.id limit 1""").fetchone()
    periods = [p for (p,) in con.execute("""select r.period from statusreport r join assignment a
        on a.id = r.assignment_id where a.task_id = ? order by r.period_start desc, r.id desc""", (task_id,))]
    con.close()
    at: AppTest = signed_in("lanh_dao")
    at.selectbox(key="f_year").set_value("Tất cả")
    at.query_params["ma"] = code
    at.switch_page("pages/nhiem_vu.py").run()
    assert not at.exception, [e.value for e in at.exception]
    assert at.selectbox(key="task_pick").value == task_id
    reports = _table(at, "reports")
    assert list(reports["Kỳ báo cáo"]) == [fmt_period(p) for p in periods]
    assert reports["Kỳ báo cáo"].iloc[0] != reports["Kỳ báo cáo"].iloc[-1]
    assert str(at.query_params["ma"]) == code
