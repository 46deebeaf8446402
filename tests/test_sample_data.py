"""The sample store reproduces the facts of the province's documents."""

import datetime as dt
import json
import sqlite3
from collections import Counter
from pathlib import Path

import pytest
from sqlalchemy.engine import Engine

from data_access import queries as q
from tests import oracles
from tests.conftest import REFERENCE

PLAN_FILES = {"KH24": "tasks_2024.jsonl", "PS25": "tasks_par_sipas_2025.jsonl", "SNV26": "tasks_2026.jsonl",
              "DH30": "tasks_2026_2030.jsonl"}


def _ref(name: str) -> list[dict]:
    return [json.loads(line) for line in (REFERENCE / name).read_text(encoding="utf-8").splitlines() if line]


def _ref_field_counts(plan: str) -> Counter[str]:
    fields = json.loads((REFERENCE / "fields.json").read_text(encoding="utf-8"))
    mapping = dict(fields["raw_to_code"]) | {c["name"]: c["code"] for c in fields["canonical"]}
    rows = _ref(PLAN_FILES[plan])
    return Counter("SIPAS" if r.get("index_part") == "SIPAS" else mapping[r["field"]] for r in rows)


@pytest.mark.parametrize("plan", list(PLAN_FILES))
def test_task_counts_per_plan_and_field_equal_reference(sample_db_file: Path, plan: str) -> None:
    con = sqlite3.connect(sample_db_file)
    got = Counter(dict(con.execute(
        "select t.field_code, count(*) from task t join plan p on p.id = t.plan_id where p.code = ? group by 1",
        (plan,))))
    con.close()
    assert got == _ref_field_counts(plan)
    assert sum(got.values()) == len(_ref(PLAN_FILES[plan]))


def test_plan_sizes(sample_engine: Engine) -> None:
    plans = q.plans(sample_engine).set_index("code")["tasks"].to_dict()
    assert plans == {"KH24": 61, "PS25": 68, "SNV26": 76, "DH30": 27}


def test_every_task_text_is_verbatim(sample_db_file: Path) -> None:
    con = sqlite3.connect(sample_db_file)
    texts = {code: text for code, text in con.execute("select code, text from task where code like 'SNV26-%'")}
    con.close()
    for row in _ref("tasks_2026.jsonl"):
        assert texts[f"SNV26-{row['row_id']}"] == " ".join(row["task"].split())


def test_2024_is_fully_completed(sample_engine: Engine) -> None:
    plan_id = int(q.plans(sample_engine).set_index("code").loc["KH24", "id"])
    ov = oracles.overview(sample_engine, q.Filters(as_of=dt.date(2025, 1, 31), plan_ids=(plan_id,)))
    assert (ov.done, ov.total) == (61, 61)
    assert ov.pct_done == 100.0


def _latest_value(db: Path, code: str, period: str) -> float:
    con = sqlite3.connect(db)
    row = con.execute(
        "select v.value from indicatorvalue v join indicator i on i.id = v.indicator_id "
        "where i.code = ? and v.period = ? order by v.id desc limit 1", (code, period)).fetchone()
    con.close()
    return float(row[0])


def test_par_index_and_sipas_2024(sample_db_file: Path) -> None:
    assert _latest_value(sample_db_file, "PAR_INDEX", "2024") == 90.49
    assert _latest_value(sample_db_file, "PAR_RANK", "2024") == 10
    assert _latest_value(sample_db_file, "SIPAS", "2024") == 83.66
    assert _latest_value(sample_db_file, "SIPAS_RANK", "2024") == 30


def test_old_agency_counts_under_successor(sample_db_file: Path) -> None:
    """A 2024 task assigned to Sở Kế hoạch và Đầu tư counts under Sở Tài chính, keeping the name assigned."""
    con = sqlite3.connect(sample_db_file)
    rows = con.execute(
        "select g.name, a.name_as_assigned from assignment a join agency g on g.id = a.agency_id "
        "join task t on t.id = a.task_id join plan p on p.id = t.plan_id "
        "where p.code = 'KH24' and a.name_as_assigned = 'Sở Kế hoạch và Đầu tư' and a.role = 'chu_tri'").fetchall()
    old_agency_leads = con.execute(
        "select count(*) from assignment a join agency g on g.id = a.agency_id where g.valid_to is not null "
        "and g.successor_id is not null").fetchone()[0]
    con.close()
    expected = sum(1 for r in _ref("tasks_2024.jsonl") if "Sở Kế hoạch và Đầu tư" in (r["lead_agency"] or ""))
    assert expected > 0
    assert len(rows) == expected
    assert {name for name, _ in rows} == {"Sở Tài chính"}
    assert old_agency_leads == 0  # nothing stays attached to an abolished agency


def test_group_leads_are_expanded(sample_db_file: Path) -> None:
    con = sqlite3.connect(sample_db_file)
    n = con.execute(
        "select count(*) from assignment where name_as_assigned = 'Các sở, ban, ngành' and role = 'chu_tri' "
        "and task_id = (select min(task_id) from assignment where name_as_assigned = 'Các sở, ban, ngành')"
    ).fetchone()[0]
    con.close()
    assert n >= 13  # the 14 provincial agencies, minus any already named explicitly on the task


def test_targets_present_for_2025_and_2026(sample_db_file: Path) -> None:
    con = sqlite3.connect(sample_db_file)
    years = dict(con.execute("select year, count(*) from target group by year").fetchall())
    con.close()
    assert years.get(2024, 0) >= 10 and years.get(2025, 0) >= 20 and years.get(2026, 0) >= 4


def test_build_is_deterministic(tmp_path: Path) -> None:
    from data_access.db import make_engine
    from sample_data.build import load_sample

    dumps = []
    for name in ("a.db", "b.db"):
        engine = make_engine(f"sqlite:///{tmp_path / name}")
        load_sample(engine)
        engine.dispose()
        con = sqlite3.connect(tmp_path / name)
        dumps.append(con.execute(
            "select group_concat(assignment_id || period || state || coalesce(completed_on, '') || "
            "coalesce(progress_pct, ''), ';') from (select * from statusreport order by id)").fetchone()[0])
        con.close()
    assert dumps[0] == dumps[1]


def test_load_sample_refuses_a_filled_store_without_reset(store: Engine) -> None:
    from sample_data.build import load_sample

    with pytest.raises(RuntimeError, match="--reset"):
        load_sample(store)
    assert q.store_stats(store)["tasks"] == 232
    load_sample(store, reset=True)
    assert q.store_stats(store)["tasks"] == 232
