"""Leads apart from coordinators, plans framed for what they are, no-deadline tasks, and the headline indices.

Seed facts are asserted with their citation: seed file and line (the reference extractions in
sample_data/reference carry the line as `source_line(s)`).
"""

from __future__ import annotations

import datetime as dt
import json
import re
import sqlite3
import unicodedata
from collections import defaultdict
from pathlib import Path

import pandas as pd
import pytest
import sqlalchemy as sa
from sqlalchemy.engine import Engine
from sqlmodel import Session, select

from data_access import indices, status
from data_access import models as m
from data_access import queries as q
from data_access.backup import backup, restore
from data_access.db import make_engine
from data_access.permissions import Actor
from tests import independent, oracles
from tests.conftest import REFERENCE
from tests.signin import signed_in

TODAY = dt.date(2026, 11, 22)
DATES = [dt.date(2025, 12, 31), TODAY]


def _ref(name: str) -> list[dict]:
    return [json.loads(line) for line in (REFERENCE / name).read_text(encoding="utf-8").splitlines() if line]


def _plain(text: str) -> str:
    """Independent folding: lower case, no accents, punctuation as spaces."""
    text = unicodedata.normalize("NFD", text.lower()).replace("đ", "d")
    text = "".join(ch for ch in text if unicodedata.category(ch) != "Mn")
    return " " + " ".join(re.sub(r"[^a-z0-9]+", " ", text).split()) + " "


# --- leads and coordinators ------------------------------------------------------------------------


def _assignments(db: Path) -> dict[str, dict[str, str]]:
    """Task code -> {current agency name: role}."""
    con = sqlite3.connect(db)
    out: dict[str, dict[str, str]] = defaultdict(dict)
    for code, name, role in con.execute("select t.code, g.name, a.role from assignment a join task t on "
                                        "t.id = a.task_id join agency g on g.id = a.agency_id"):
        out[code][name] = role
    con.close()
    return out


def test_group_lead_never_makes_a_named_coordinator_a_lead(sample_db_file: Path) -> None:
    got = _assignments(sample_db_file)
    # Seed 002 (KH 5399), line 107: lead "Các sở, ban, ngành, địa phương", coordinator "Văn phòng UBND tỉnh".
    task = got["PS25-05"]
    assert task["Văn phòng UBND tỉnh"] == m.ASSIGNMENT_COORDINATOR
    leads = {a for a, r in task.items() if r == m.ASSIGNMENT_LEAD}
    assert len(leads) == 14 and "UBND cấp xã" in leads  # the 13 other provincial agencies and the communes
    # Seed 002, lines 132 and 135: lead "Các sở, ban, ngành", coordinators "Văn phòng UBND tỉnh; Sở Tư pháp".
    assert got["PS25-17"]["Văn phòng UBND tỉnh"] == m.ASSIGNMENT_COORDINATOR and got["PS25-17"]["Sở Tư pháp"] == m.ASSIGNMENT_COORDINATOR
    # Across KH 5399: no agency named as coordinator is a lead unless the lead cell names it by itself.
    cases = 0
    for i, row in enumerate(_ref("tasks_par_sipas_2025.jsonl"), start=1):
        coord, lead = _plain(row["coordinating"] or ""), _plain(row["lead_agency"] or "")
        for phrase, agency in NAMED.items():
            if f" {phrase} " in coord and f" {phrase} " not in lead and agency in PROVINCIAL:
                roles = got[f"PS25-{i:02d}"]
                assert roles.get(agency) == m.ASSIGNMENT_COORDINATOR, (i, row["source_lines"], agency)
                cases += 1
    assert cases >= 36


# Named bodies as the plans write them (folded) -> the agency that exists today (agencies.json successors).
NAMED = {
    "so y te": "Sở Y tế", "so giao duc va dao tao": "Sở Giáo dục và Đào tạo",
    "van phong ubnd tinh": "Văn phòng UBND tỉnh", "so noi vu": "Sở Nội vụ", "so tai chinh": "Sở Tài chính",
    "so tu phap": "Sở Tư pháp", "so khoa hoc va cong nghe": "Sở Khoa học và Công nghệ",
    "so thong tin va truyen thong": "Sở Khoa học và Công nghệ", "so ke hoach va dau tu": "Sở Tài chính",
    "van phong doan dbqh va hdnd tinh": "Văn phòng Đoàn ĐBQH và HĐND tỉnh",
    "kho bac nha nuoc tinh": "Kho bạc Nhà nước tỉnh",
    "trung tam phuc vu hanh chinh cong": "Trung tâm Phục vụ hành chính công tỉnh", "vcci": "VCCI Khánh Hòa",
    "ubnd cac huyen": "UBND cấp xã", "uy ban nhan dan cac huyen": "UBND cấp xã", "ubnd cap huyen": "UBND cấp xã",
    "uy ban nhan dan cap huyen": "UBND cấp xã", "ubnd cap xa": "UBND cấp xã", "uy ban nhan dan cap xa": "UBND cấp xã",
    "dai bieu hdnd tinh": "Đại biểu HĐND tỉnh", "van phong so": "Văn phòng Sở", "phong phap che": "Phòng Pháp chế",
    "phong to chuc bien che va cong chuc vien chuc": "Phòng Tổ chức, biên chế và Công chức, viên chức",
    "phong lao dong viec lam": "Phòng Lao động, Việc làm",
    "cac don vi su nghiep truc thuoc so": "Các đơn vị sự nghiệp trực thuộc Sở",
}
PROVINCIAL = set(json.loads((REFERENCE / "agencies.json").read_text(encoding="utf-8"))["provincial_agencies_2025"])
PLAN_FILES = (("KH24", "tasks_2024.jsonl", "lead_agency"), ("PS25", "tasks_par_sipas_2025.jsonl", "lead_agency"),
              ("SNV26", "tasks_2026.jsonl", "lead_unit"))


def _code(plan: str, i: int, row: dict) -> str:
    return {"KH24": lambda: f"KH24-{row['row_no']:02d}", "PS25": lambda: f"PS25-{i:02d}",
            "SNV26": lambda: f"SNV26-{row['row_id']}"}[plan]()


def test_every_named_coordinator_is_kept(sample_db_file: Path) -> None:
    """Every body a coordinating cell names is on the task: as coordinator, or as lead when the lead cell names it."""
    got = _assignments(sample_db_file)
    named = 0
    for plan, file, lead_key in PLAN_FILES:
        for i, row in enumerate(_ref(file), start=1):
            coord, lead = _plain(row["coordinating"] or ""), _plain(row[lead_key] or "")
            roles = got[_code(plan, i, row)]
            found = {agency for phrase, agency in NAMED.items() if f" {phrase} " in coord}
            explicit_leads = {agency for phrase, agency in NAMED.items() if f" {phrase} " in lead}
            for agency in found:
                named += 1
                expected = m.ASSIGNMENT_LEAD if agency in explicit_leads else m.ASSIGNMENT_COORDINATOR
                assert roles.get(agency) == expected, (plan, i, agency, row["coordinating"])
    assert named >= 100  # 114 named in the count (several names may share a cell)


def test_so_y_te_is_coordinator_where_the_seeds_say_so(sample_db_file: Path) -> None:
    got = _assignments(sample_db_file)
    # Seed 003 (QĐ 3049), line 453: "Sở Nội vụ chủ trì, phối hợp với Sở Y tế, Sở Giáo dục và Đào tạo, ...".
    assert got["KH24-55"]["Sở Y tế"] == m.ASSIGNMENT_COORDINATOR and got["KH24-55"]["Sở Nội vụ"] == m.ASSIGNMENT_LEAD
    # Seed 004 (Sở Nội vụ 2026), line 761: coordinators "Sở Y tế, Sở Giáo dục và Đào tạo".
    assert got["SNV26-P1-24"]["Sở Y tế"] == m.ASSIGNMENT_COORDINATOR
    assert got["SNV26-P1-24"]["Sở Giáo dục và Đào tạo"] == m.ASSIGNMENT_COORDINATOR


def _independent_overdue(db: Path, as_of: dt.date, rollup: bool = True) -> dict[str, set[int]]:
    """Agency name -> overdue tasks it leads (lead assignments only; divisions under their parent), raw SQL."""
    statuses = independent.task_statuses(db, as_of)
    con = sqlite3.connect(db)
    rows = con.execute("""
        select a.id, t.id, t.code, t.deadline_date, g.name, parent.name from assignment a
        join task t on t.id = a.task_id join agency g on g.id = a.agency_id
        left join agency parent on parent.id = g.parent_id where a.role = 'chu_tri'""").fetchall()
    reports = con.execute("select assignment_id, period_start, id, state, completed_on, period_end "
                          "from statusreport where period_start <= ?", (as_of.isoformat(),)).fetchall()
    con.close()
    latest: dict[int, tuple] = {}
    for r in reports:
        if r[0] not in latest or (r[1], r[2]) > latest[r[0]][:2]:
            latest[r[0]] = r[1:]
    out: dict[str, set[int]] = defaultdict(set)
    for aid, task_id, code, deadline, name, parent in rows:
        if code not in statuses:  # not a task (directions)
            continue
        rep = latest.get(aid)
        done = rep is not None and rep[2] == "hoan_thanh" and (rep[3] or rep[4]) <= as_of.isoformat()
        d = dt.date.fromisoformat(deadline) if deadline else None
        if status.assignment_status(d, as_of if done else None, as_of) == status.OPEN_OVERDUE:
            out[(parent or name) if rollup else name].add(task_id)
    return out


@pytest.mark.parametrize("as_of", DATES)
def test_overdue_by_agency_counts_no_coordinating_only_assignment(sample_engine: Engine, sample_db_file: Path,
                                                                  as_of: dt.date) -> None:
    got = q.overdue_by_agency(sample_engine, q.Filters(as_of=as_of))
    expected = _independent_overdue(sample_db_file, as_of)
    assert {a: int(n) for a, n in zip(got["agency"], got["overdue"], strict=True) if n} == {
        a: len(t) for a, t in expected.items() if t}
    # The case: Văn phòng UBND tỉnh's four "overdue" items were tasks it only coordinates.
    vp = got[got["agency"] == "Văn phòng UBND tỉnh"]
    assert vp.empty or int(vp["overdue"].iloc[0]) == len(expected.get("Văn phòng UBND tỉnh", set()))
    # Divisions are rolled up to their agency in the province's view.
    con = sqlite3.connect(sample_db_file)
    divisions = {n for (n,) in con.execute("select name from agency where parent_id is not null")}
    con.close()
    assert not divisions & set(got["agency"])


def test_vp_ubnd_leads_nothing_overdue_and_coordinates_apart(sample_engine: Engine, sample_db_file: Path) -> None:
    got = q.overdue_by_agency(sample_engine, q.Filters(as_of=TODAY)).set_index("agency")
    assert "Văn phòng UBND tỉnh" not in _independent_overdue(sample_db_file, TODAY)
    assert int(got.loc["Văn phòng UBND tỉnh", "overdue"]) == 0
    assert int(got.loc["Văn phòng UBND tỉnh", "coord_overdue"]) > 0  # shown apart, as coordination


def test_drill_down_lists_the_divisions_of_so_noi_vu(sample_engine: Engine, sample_db_file: Path) -> None:
    plans = q.plans(sample_engine).set_index("code")
    f = q.Filters(as_of=TODAY, plan_ids=(int(plans.loc["SNV26", "id"]),))
    top = q.overdue_by_agency(sample_engine, f)
    assert list(top["agency"]) == ["Sở Nội vụ"]  # the internal plan's phòng roll up to the department
    snv = int(top["agency_id"].iloc[0])
    units = q.overdue_by_agency(sample_engine, q.Filters(as_of=TODAY, plan_ids=f.plan_ids, agency_ids=(snv,)),
                                rollup=False)
    expected = _independent_overdue(sample_db_file, TODAY, rollup=False)
    snv26 = {t for t in independent.task_statuses(sample_db_file, TODAY, plan_codes={"SNV26"})}
    con = sqlite3.connect(sample_db_file)
    ids = {code: i for i, code in con.execute("select id, code from task")}
    con.close()
    for _, row in units[units["overdue"] > 0].iterrows():
        assert int(row["overdue"]) == len({t for t in expected[row["agency"]] if t in {ids[c] for c in snv26}})
    assert int(top["overdue"].iloc[0]) <= int(units["overdue"].sum())  # a task led by two phòng counts once


# --- plans framed for what they are ------------------------------------------------------------------


def test_directions_are_never_tasks_of_a_year(sample_engine: Engine) -> None:
    plans = q.plans(sample_engine).set_index("code")
    assert plans.loc["DH30", "kind"] == m.PLAN_DIRECTIONS and int(plans.loc["DH30", "tasks"]) == 27
    dh30 = int(plans.loc["DH30", "id"])
    far = dt.date(2031, 1, 1)  # long after the period: still never open, never overdue
    for f in (q.Filters(as_of=far), q.Filters(as_of=far, plan_ids=(dh30,))):
        counts = oracles.status_counts(sample_engine, f)
        assert sum(counts.values()) == (61 + 68 + 76 if not f.plan_ids else 0)
    listed = q.task_list(sample_engine, q.Filters(as_of=far))
    assert not any(str(c).startswith("DH30-") for c in listed["code"])
    assert not q.assignment_list(sample_engine, q.Filters(as_of=far))["code"].str.startswith("DH30-").any()
    directions = q.directions(sample_engine)
    assert len(directions) == 27 and set(directions["plan_code"]) == {"DH30"}
    assert dh30 not in q.plans_active_in(sample_engine, 2026)


def test_internal_plan_is_labelled_as_such(sample_engine: Engine) -> None:
    plans = q.plans(sample_engine).set_index("code")
    # Seed 004 is Sở Nội vụ's own plan (its divisions lead every task).
    assert plans.loc["SNV26", "name"] == "Kế hoạch CCHC năm 2026 của Sở Nội vụ (kế hoạch nội bộ)"
    assert plans.loc["SNV26", "kind"] == m.PLAN_INTERNAL
    assert set(plans.loc[["KH24", "PS25"], "kind"]) == {m.PLAN_PROVINCE}


def test_province_default_for_a_leader_is_every_plan_active_in_the_year(store: Engine, sample_db_file: Path) -> None:
    con = sqlite3.connect(sample_db_file)
    active = {y: {c for (c,) in con.execute(
        "select code from plan where kind <> 'dinh_huong' and coalesce(year_from, year) <= ? and year >= ?", (y, y))}
        for y in (2024, 2025, 2026)}
    ids = {c: i for i, c in con.execute("select id, code from plan")}
    con.close()
    at = signed_in("lanh_dao")
    assert not at.exception
    year = dt.date.today().year
    f = at.session_state["filters"]
    if year in active:
        assert set(f.plan_ids) == {ids[c] for c in active[year]}
    options = at.selectbox(key="f_year").options
    assert "Năm 2030" not in options  # directions are not a year of tasks
    for y in (2025, 2026):
        at.selectbox(key="f_year").set_value(y).run()
        assert set(at.session_state["filters"].plan_ids) == {ids[c] for c in active[y]}
        assert set(at.session_state["filters"].plan_ids) == set(q.plans_active_in(store, y))
    labels = at.multiselect(key="f_plans").options
    assert any("(kế hoạch nội bộ)" in label for label in labels)


# --- tasks without a fixed deadline ---------------------------------------------------------------------


def test_no_deadline_tasks_in_the_sample_are_done_as_well(sample_engine: Engine, sample_db_file: Path) -> None:
    statuses = independent.task_statuses(sample_db_file, TODAY, plan_codes={"PS25"})
    con = sqlite3.connect(sample_db_file)
    no_deadline = {c for (c,) in con.execute("select code from task where code like 'PS25-%' and deadline_date is null")}
    con.close()
    done = [c for c in no_deadline if statuses[c] in status.DONE_STATUSES]
    assert no_deadline and len(done) > len(no_deadline) / 2
    assert not any(statuses[c] == status.OPEN_OVERDUE for c in no_deadline)
    plan_id = int(q.plans(sample_engine).set_index("code").loc["PS25", "id"])
    ov = oracles.overview(sample_engine, q.Filters(as_of=TODAY, plan_ids=(plan_id,)))
    assert ov.done == sum(1 for v in statuses.values() if v in status.DONE_STATUSES)
    assert ov.pct_done is not None and ov.pct_done > 75.0  # no longer capped by the recurring tasks


def test_a_no_deadline_task_reported_done_counts_as_done(db: Engine) -> None:
    plan_id = int(q.plans(db).set_index("code").loc["SNV26", "id"])
    before_day, as_of = dt.date(2026, 10, 14), dt.date(2026, 11, 1)
    f = q.Filters(as_of=before_day, plan_ids=(plan_id,))
    open_tasks = q.task_list(db, f, statuses=(status.NO_DEADLINE,))
    task_id = int(open_tasks["task_id"].iloc[0])  # a "Thường xuyên"-like task nobody has reported done
    with Session(db) as session:
        leads = session.exec(select(m.Assignment).where(m.Assignment.task_id == task_id,
                                                        m.Assignment.role == m.ASSIGNMENT_LEAD)).all()
        assert leads
        for lead in leads:
            session.add(m.StatusReport(
                assignment_id=lead.id or 0, period="2026-Q4", period_start=dt.date(2026, 10, 1),
                period_end=dt.date(2026, 12, 31), state=m.STATE_DONE, progress_pct=100.0,
                completed_on=dt.date(2026, 10, 15), recorded_at=dt.datetime(2026, 10, 16, tzinfo=dt.UTC),
                recorded_by="chuyenvien"))
        session.commit()
    detail = q.task_detail(db, task_id, as_of)
    assert detail is not None and detail["deadline_date"] is None
    assert detail["status"] == status.DONE_ON_TIME and detail["completed_on"] == dt.date(2026, 10, 15)
    before = oracles.status_counts(db, q.Filters(as_of=as_of, plan_ids=(plan_id,)))
    assert q.task_list(db, f).set_index("task_id").loc[task_id, "status"] == status.NO_DEADLINE  # not done yet then
    counts_then = oracles.status_counts(db, f)
    assert before[status.DONE_ON_TIME] >= counts_then[status.DONE_ON_TIME] + 1
    # Never overdue, however late the date.
    late = q.task_list(db, q.Filters(as_of=dt.date(2031, 1, 1), plan_ids=(plan_id,)), statuses=(status.OPEN_OVERDUE,))
    assert task_id not in set(late["task_id"])


# --- the headline indices ------------------------------------------------------------------------


def _par_sipas(indicator: str, year: int, metric: str = "score") -> dict:
    return next(r for r in _ref("indicators_par_sipas.jsonl")
                if r["indicator"] == indicator and r["year"] == year and r["metric_type"] == metric)


def test_headline_indices_equal_the_seeds(sample_engine: Engine) -> None:
    h = indices.headline_indices(sample_engine, TODAY)
    years = h.years.set_index(["index", "year"])
    par24 = _par_sipas("Chỉ số cải cách hành chính (PAR INDEX)", 2024)
    assert par24["source_line"] == 9  # seed 002 line 9: "Chỉ số PAR INDEX đạt 90,49% ... xếp hạng 10/63"
    assert years.loc[("PAR INDEX", "2024"), "score"] == par24["value"] == 90.49
    assert years.loc[("PAR INDEX", "2024"), "rank"] == 10
    assert not years.loc[("PAR INDEX", "2024"), "is_sample"] and not years.loc[("PAR INDEX", "2024"), "derived"]
    sipas24 = _par_sipas("Chỉ số hài lòng (SIPAS)", 2024)
    assert sipas24["source_line"] == 13  # seed 002 line 13: "SIPAS ... đạt 83,66% ... xếp hạng 30/63"
    assert years.loc[("SIPAS", "2024"), "score"] == 83.66 and years.loc[("SIPAS", "2024"), "rank"] == 30
    # 2023 is only implied ("tăng 1,89%", "tăng 2,57%"): marked derived, with the arithmetic.
    par23 = _par_sipas("Chỉ số cải cách hành chính (PAR INDEX)", 2023)
    assert par23["derived"] and years.loc[("PAR INDEX", "2023"), "score"] == par23["value"] == 88.6
    assert years.loc[("PAR INDEX", "2023"), "derived"]
    assert years.loc[("PAR INDEX", "2023"), "arithmetic"] == "90,49 − 1,89 = 88,60"
    assert years.loc[("SIPAS", "2023"), "arithmetic"] == "83,66 − 2,57 = 81,09"
    assert "dòng 9" in years.loc[("PAR INDEX", "2024"), "citation"]
    # Generated 2025 values say so and carry no citation.
    if ("PAR INDEX", "2025") in years.index:
        assert years.loc[("PAR INDEX", "2025"), "is_sample"] and pd.isna(years.loc[("PAR INDEX", "2025"), "citation"])
    # Components: every component score of the reference, same value, derived ones marked.
    comps = h.components.set_index(["component", "year"])
    for row in _ref("indicators_par_sipas.jsonl"):
        if row["metric_type"] == "component_score":
            got = comps.loc[(row["indicator"], str(row["year"]))]
            assert got["value"] == row["value"] and bool(got["derived"]) == row["derived"], row["indicator"]
    assert comps.loc[("Cải cách tổ chức bộ máy", "2023"), "arithmetic"] == "94,52 + 3,48 = 98,00"  # seed 002 l. 11
    # Satisfaction, seed 001 line 1299 (Phụ lục 1, 7.3): 81,98% / 85,70% / 87,92%.
    sat = h.satisfaction[h.satisfaction["code"] == "PL1-7.3"].set_index("year")["value"].to_dict()
    # 2025: 85,85% from the online survey that replaced the regular one (seed 001 line 131).
    assert sat == {"2022": 81.98, "2023": 85.7, "2024": 87.92, "2025": 85.85}
    # Government-assigned tasks, seed 001 lines 1302-1305 (Phụ lục 1, 9.1-9.4).
    gov = h.government_tasks.set_index("period")
    assert [int(gov.loc[y, "assigned"]) for y in ("2021", "2022", "2023", "2024")] == [64, 163, 180, 210]
    assert int(gov.loc["2022", "done_late"]) == 2 and int(gov.loc["2022", "late"]) == 2
    assert int(gov["overdue_open"].sum()) == 0


def test_the_23_goal_scorecard_is_phu_luc_9_verbatim(sample_engine: Engine) -> None:
    card = indices.goal_scorecard(sample_engine)
    ref = [r for r in _ref("indicators_2021_2025.jsonl") if r["row_type"] == "target_assessment"]
    assert len(card) == len(ref) == 23
    for (_, got), row in zip(card.iterrows(), ref, strict=True):
        assert got["rating"] == row["assessment"] and got["goal_no"] == int(row["code"])
        assert f"dòng {row['source_line']}" in got["source"]
    by_no = card.set_index("goal_no")
    # Seed 001 line 1521: online dossiers / all dossiers Q1/2025 24,99% (target ≥ 50%), "Không đạt".
    assert by_no.loc[5, "rating"] == "Không đạt" and by_no.loc[5, "result_value"] == 24.99
    # Lines 1531 and 1535: ĐVSNCL −6,2% and self-financing 6,75%, both "Không đạt".
    assert (by_no.loc[10, "result_value"], by_no.loc[14, "result_value"]) == (6.2, 6.75)
    assert {by_no.loc[n, "rating"] for n in (10, 14)} == {"Không đạt"}
    # The table rates 18 "Đạt"; the text says 17/23 (line 1047) and 06/23 (line 1105): the page shows all three.
    assert int((card["rating"] == "Đạt").sum()) == 18


def test_backup_and_restore_keep_the_scorecard(sample_db_file: Path, tmp_path: Path) -> None:
    source = make_engine(f"sqlite:///{sample_db_file}")
    path = tmp_path / "b.json.gz"
    counts = backup(source, path)
    assert counts["goalscorecard"] == 23
    target = make_engine(f"sqlite:///{tmp_path / 'r.db'}")
    restore(target, path, Actor("quantri", "quan_tri"))
    with target.connect() as conn:
        assert conn.execute(sa.text("select count(*) from goalscorecard")).scalar_one() == 23
        assert conn.execute(sa.text("select kind from plan where code = 'SNV26'")).scalar_one() == m.PLAN_INTERNAL


# --- pages -------------------------------------------------------------------------------------------


def test_indices_page_renders_the_seed_figures(store: Engine) -> None:
    at = signed_in("lanh_dao")
    at.switch_page("pages/chi_so.py").run()
    assert not at.exception, [e.value for e in at.exception]
    labels = [mt.label for mt in at.metric]
    assert labels[0].startswith("PAR INDEX") and labels[1].startswith("SIPAS")
    tables = {tuple(d.value.columns): d.value for d in at.dataframe}
    years = next(v for k, v in tables.items() if "Xếp hạng" in k and "Thay đổi hạng" in k)
    row24 = years[(years["Chỉ số"] == "PAR INDEX") & (years["Năm"] == "2024")].iloc[0]
    assert (row24["Điểm"], row24["Xếp hạng"], row24["Loại số liệu"]) == ("90,49%", "10/63", "Công bố")
    row23 = years[(years["Chỉ số"] == "SIPAS") & (years["Năm"] == "2023")].iloc[0]
    assert row23["Điểm"] == "81,09%" and row23["Loại số liệu"] == "Suy ra từ mức thay đổi"
    card = next(v for k, v in tables.items() if "Mục tiêu" in k and "Đánh giá" in k)
    assert len(card) == 23 and list(card["Đánh giá"]).count("Đạt") == 18
    captions = " ".join(c.value for c in at.caption)
    assert "17/23" in captions and "06/23" in captions and "1047" in captions and "1105" in captions
    assert "90,49 − 1,89 = 88,60" in captions
    assert any("dữ liệu mẫu" in c.value.lower() for c in at.caption)  # the 2025 values are sample


def test_overview_first_cards_are_par_index_and_sipas(store: Engine) -> None:
    at = signed_in("lanh_dao")
    assert not at.exception
    labels = [mt.label for mt in at.metric]
    assert labels[0].startswith("PAR INDEX") and labels[1].startswith("SIPAS")
    assert "Hạng" in str(at.metric[0].proto.delta) or "Hạng" in str(at.metric[0].delta)


@pytest.mark.parametrize("page", ["pages/tien_do_linh_vuc.py", "pages/qua_han_co_quan.py", "pages/chi_tieu.py",
                                  "pages/nhiem_vu.py"])
def test_sample_notice_is_one_line_on_every_page_with_sample_data(store: Engine, page: str) -> None:
    at = signed_in("lanh_dao")
    at.switch_page(page).run()
    assert not at.exception, [e.value for e in at.exception]
    assert sum("dữ liệu mẫu" in c.value.lower() for c in at.caption) == 1
    assert not any("dữ liệu mẫu" in i.value.lower() for i in at.info)


def test_overdue_page_coordination_apart_and_divisions_on_drill_down(store: Engine) -> None:
    at = signed_in("lanh_dao")
    at.selectbox(key="f_year").set_value(2026)
    at.date_input(key="f_as_of").set_value(TODAY)
    at.switch_page("pages/qua_han_co_quan.py").run()
    assert not at.exception, [e.value for e in at.exception]
    ranked = next(d.value for d in at.dataframe if "Cơ quan chủ trì" in d.value.columns)
    assert list(ranked["Cơ quan chủ trì"]) == ["Sở Nội vụ"]  # the internal plan's phòng roll up to Sở Nội vụ
    units = next(d.value for d in at.dataframe if "Phòng, đơn vị" in d.value.columns)
    assert "Văn phòng Sở" in set(units["Phòng, đơn vị"])
    coord = next(e.label for e in at.expander if e.label.startswith("Chỉ phối hợp"))
    assert coord.endswith(f": {ranked['Quá hạn (chỉ phối hợp)'].iloc[0]} nhiệm vụ")
