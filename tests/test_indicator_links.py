"""Tasks ↔ indicators (issue 18): seeded links cite KH 5399's own lines, views list linked tasks with their
status (overdue first when asked), administrators edit links (role check, audit, nothing half-written)."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
from sqlalchemy import select, text
from sqlalchemy.engine import Engine

from data_access import links
from data_access import models as m
from data_access import status as st
from data_access import tables as tb
from data_access.permissions import Actor, PermissionDenied

SEEDS = Path(__file__).resolve().parents[1] / "sample_data" / "seeds"
S002 = "002_fd824fa072a35cf2.txt"
AS_OF = dt.date(2026, 11, 23)
ADMIN = Actor("quantri", "quan_tri")


def _line(seed: str, n: int) -> str:
    return (SEEDS / seed).read_text(encoding="utf-8").splitlines()[n - 1]


def _indicator_id(engine: Engine, code: str) -> int:
    with engine.connect() as conn:
        return int(conn.execute(select(tb.INDICATOR.c.id).where(tb.INDICATOR.c.code == code)).scalar_one())


def test_seeded_links_follow_kh5399_structure(sample_engine: Engine) -> None:
    df = links.all_links(sample_engine)
    # 68 KH 5399 tasks, each under one PAR INDEX component (54: component, PAR INDEX, its rank) or SIPAS
    # (14: SIPAS, its rank) (seed 002 appendix) ...
    assert (df["basis"] == m.LINK_COMPONENT).sum() == 54 * 3 + 14 * 2
    assert set(df[df["basis"] == m.LINK_COMPONENT]["plan_code"]) == {"PS25"}
    # ... and 36 tasks whose own output states a catalogued target (KH 5399's 38 targets; two share a task row
    # with another target of the same indicator: PS25-GN90/GN100 on line 184).
    direct = df[df["basis"] == m.LINK_TARGET]
    assert len(direct) == 36
    # 002 line 103: task 3 of section I states the 30% inspection target (PS25-03 → KIEM_TRA_CCHC).
    assert "kiểm tra ít nhất 30% số cơ quan" in _line(S002, 103)
    row = direct[(direct["task_code"] == "PS25-03") & (direct["indicator_code"] == "KIEM_TRA_CCHC")].iloc[0]
    assert f"{S002} dòng 103" in row["source"]
    # 002 line 178: "100% cán bộ, công chức cấp xã đạt chuẩn theo quy định" is PS25-33's output.
    assert "100% cán bộ, công chức cấp xã đạt chuẩn" in _line(S002, 178)
    row = direct[direct["indicator_code"] == "CBCC_XA_CHUAN"].iloc[0]
    assert row["task_code"] == "PS25-33" and f"{S002} dòng 178" in row["source"]
    # Every citation names seed 002 and a line that exists in it.
    for source in df["source"]:
        assert S002 in source


def test_component_links_group_tasks_under_their_index_part(sample_engine: Engine) -> None:
    df = links.all_links(sample_engine)
    comp = df[df["basis"] == m.LINK_COMPONENT]
    # The reference extraction of seed 002: 14 SIPAS tasks; 9 under "Cải cách thủ tục hành chính".
    assert (comp["indicator_code"] == "SIPAS").sum() == 14
    tthc = comp[comp["indicator"] == "PAR INDEX - Cải cách thủ tục hành chính"]
    assert len(tthc) == 9
    assert (comp["indicator_code"] == "PAR_RANK").sum() == 54 and (comp["indicator_code"] == "SIPAS_RANK").sum() == 14


def test_indicator_tasks_carry_status_and_overdue_first(sample_engine: Engine) -> None:
    sipas = _indicator_id(sample_engine, "SIPAS")
    plain = links.indicator_tasks(sample_engine, sipas, AS_OF)
    assert len(plain) == 14
    assert list(plain["code"]) == sorted(plain["code"])
    first = links.indicator_tasks(sample_engine, sipas, AS_OF, overdue_first=True)
    overdue = first[first["status"] == st.OPEN_OVERDUE]
    # Overdue tasks lead the list, longest overdue first; the rest keep their order.
    assert list(first["code"][: len(overdue)]) == list(overdue.sort_values("days_overdue", ascending=False)["code"])
    assert all(first["days_overdue"][: len(overdue)] > 0)
    # Statuses are the ones the Nhiệm vụ page shows (same status subquery).
    from data_access.queries import Filters, task_list

    tl = task_list(sample_engine, Filters(as_of=AS_OF))
    expected = dict(zip(tl["code"], tl["status"], strict=True))
    assert {c: expected[c] for c in plain["code"]} == dict(zip(plain["code"], plain["status"], strict=True))
    assert all(plain["leads"].str.len() > 0)


def test_owner_is_the_lead_of_the_task_stating_the_target(sample_engine: Engine) -> None:
    # 002 line 103 (task 3, section I): leads "Đoàn kiểm tra CCHC của tỉnh - Sở Nội vụ, Văn phòng UBND tỉnh".
    assert "Đoàn kiểm tra CCHC của tỉnh - Sở Nội vụ, Văn phòng UBND tỉnh" in _line(S002, 103)
    owners = links.indicator_owners(sample_engine, _indicator_id(sample_engine, "KIEM_TRA_CCHC"))
    assert {o for o, _ in owners} == {"Đoàn kiểm tra CCHC tỉnh", "Sở Nội vụ", "Văn phòng UBND tỉnh"}
    assert "dòng 103" in owners[0][1]
    assert links.indicator_owners(sample_engine, _indicator_id(sample_engine, "PAR_INDEX")) == []


def test_admin_adds_and_removes_a_link_audited(db: Engine) -> None:
    ind = _indicator_id(db, "PAR_INDEX")
    before = len(links.indicator_tasks(db, ind, AS_OF))
    with pytest.raises(PermissionDenied):
        links.add_link(db, "SNV26-P1-01", "PAR_INDEX", "thử", Actor("chuyenvien", "chuyen_vien"))
    with pytest.raises(ValueError, match="căn cứ"):
        links.add_link(db, "SNV26-P1-01", "PAR_INDEX", "   ", ADMIN)
    with pytest.raises(ValueError, match="Không có nhiệm vụ"):
        links.add_link(db, "KHONG-CO", "PAR_INDEX", "lý do", ADMIN)
    assert len(links.indicator_tasks(db, ind, AS_OF)) == before
    link_id = links.add_link(db, "SNV26-P1-01", "PAR_INDEX", "Kế hoạch 2026 của Sở Nội vụ, mục I", ADMIN)
    after = links.indicator_tasks(db, ind, AS_OF)
    assert len(after) == before + 1 and "SNV26-P1-01" in set(after["code"])
    with pytest.raises(ValueError, match="đã được gắn"):
        links.add_link(db, "SNV26-P1-01", "PAR_INDEX", "lần nữa", ADMIN)
    links.remove_link(db, link_id, ADMIN)
    assert len(links.indicator_tasks(db, ind, AS_OF)) == before
    with db.connect() as conn:
        actions = [r[0] for r in conn.execute(text(
            "select action from auditlog where username = 'quantri' order by id"))]
    assert actions[-2:] == ["gan_nhiem_vu_chi_so", "bo_gan_nhiem_vu_chi_so"]


def test_admin_page_adds_a_link(store: Engine) -> None:
    from tests.signin import signed_in

    at = signed_in("quan_tri")
    at.switch_page("pages/quan_tri_lien_ket.py").run()
    assert not at.exception, [e.value for e in at.exception]
    at.selectbox(key="link_task").set_value("SNV26-P1-01")
    at.selectbox(key="link_ind").set_value("PAR_INDEX")
    at.text_input(key="link_reason").input("Kế hoạch 2026 của Sở Nội vụ, mục I")
    at.button[0].click().run()
    assert not at.exception, [e.value for e in at.exception]
    assert any("Đã gắn nhiệm vụ SNV26-P1-01 với chỉ số PAR_INDEX" in s.value for s in at.success)
    ind = _indicator_id(store, "PAR_INDEX")
    assert "SNV26-P1-01" in set(links.indicator_tasks(store, ind, AS_OF)["code"])
    # A leader cannot open the page.
    leader = signed_in("lanh_dao")
    leader.switch_page("pages/quan_tri_lien_ket.py").run()
    assert any("không có quyền" in e.value for e in leader.error)
