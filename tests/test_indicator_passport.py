"""The complete indicator passport (issue 18, item 1) and the indicator detail view (?chi_tieu=CODE) with its
linked tasks. Seed facts are asserted with their file and line."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from sqlalchemy.engine import Engine
from streamlit.testing.v1 import AppTest

from data_access import passport as pp
from data_access import status as st
from tests.signin import signed_in

SEEDS = Path(__file__).resolve().parents[1] / "sample_data" / "seeds"
S001, S002 = "001_fb3c06f5023b1873.txt", "002_fd824fa072a35cf2.txt"
AS_OF = dt.date(2026, 11, 23)


def _line(seed: str, n: int) -> str:
    return (SEEDS / seed).read_text(encoding="utf-8").splitlines()[n - 1]


def _passport(engine: Engine, code: str) -> pp.FullPassport:
    ind = pp.indicator_id_by_code(engine, code)
    assert ind is not None
    p = pp.full_passport(engine, ind)
    assert p is not None
    return p


def test_fraction_only_where_a_document_writes_it(sample_engine: Engine) -> None:
    # 001 line 1521: "... tỷ lệ hồ sơ giải quyết trực tuyến trên tổng số hồ sơ: 32.178/128.748, đạt 24,99%".
    assert "32.178/128.748, đạt 24,99%" in _line(S001, 1521)
    p = _passport(sample_engine, "HS_TT_TONG")
    assert (p.numerator, p.denominator) == ("Số hồ sơ giải quyết trực tuyến", "Tổng số hồ sơ TTHC")
    assert p.fraction_source.endswith(f"{S001} dòng 1521")
    # 001 lines 1302-1303: Phụ lục 1 mục 9.1 (nhiệm vụ được giao) and 9.2 (hoàn thành đúng hạn).
    assert _line(S001, 1302).startswith("9.1\tTổng số nhiệm vụ được giao")
    assert _line(S001, 1303).startswith("9.2\tSố nhiệm vụ đã hoàn thành đúng hạn")
    assert _passport(sample_engine, "NV_CP_GIAO").fraction_source.endswith(f"{S001} dòng 1302-1303")
    # No document writes out the inspection share as a fraction: the passport says so instead of guessing.
    p = _passport(sample_engine, "KIEM_TRA_CCHC")
    assert p.numerator == pp.NOT_STATED and p.fraction_source == ""


def test_owner_definition_limits_and_official_share(sample_engine: Engine) -> None:
    p = _passport(sample_engine, "KIEM_TRA_CCHC")
    # 002 line 103: the inspection target and its leads (Đoàn kiểm tra CCHC của tỉnh - Sở Nội vụ, VP UBND tỉnh).
    assert "đảm bảo kiểm tra ít nhất 30% số cơ quan, đơn vị trở lên" in _line(S002, 103)
    assert {name for name, _ in p.owners} == {"Đoàn kiểm tra CCHC tỉnh", "Sở Nội vụ", "Văn phòng UBND tỉnh"}
    assert all(f"{S002} dòng 103" in where for _, where in p.owners)
    wording = {c.code: c for c in p.targets}
    assert wording["PS25-KIEMTRA"].where == f"5399/KH-UBND ({S002}, dòng 103)"
    assert (p.base.unit, p.base.limits, p.base.direction) == ("%", "0-100%", "Cao hơn là tốt hơn")
    # Only generated values so far: the passport says they are not for reporting.
    assert p.base.official == 0 and p.base.sample > 0 and "không dùng để báo cáo" in p.official_label
    rank = _passport(sample_engine, "PAR_RANK")
    assert rank.base.limits == "từ hạng 1" and rank.base.direction == "Thấp hơn là tốt hơn"
    assert rank.owners == [] and rank.linked_tasks == 54


def _detail(code: str) -> AppTest:
    at = signed_in("lanh_dao")
    at.date_input(key="f_as_of").set_value(AS_OF)
    at.query_params["chi_tieu"] = code
    at.switch_page("pages/chi_tieu.py").run()
    assert not at.exception, [e.value for e in at.exception]
    return at


def test_detail_view_by_address_shows_passport_and_tasks(store: Engine) -> None:
    at = _detail("PS25-KIEMTRA")
    assert at.selectbox(key="indicator_pick").value == "PS25-KIEMTRA"
    shown = " ".join(m.value for m in at.markdown)
    assert "**Cơ quan chủ trì theo dõi**: " in shown and "Sở Nội vụ" in shown
    assert f"{S002}, dòng 103" in shown
    tasks = next(d.value for d in at.dataframe if "Căn cứ liên kết" in d.value.columns)
    tasks = tasks.data if hasattr(tasks, "data") else tasks
    assert list(tasks["Mã"]) == ["PS25-03"]
    # Choosing another target rewrites the address.
    at.selectbox(key="indicator_pick").set_value("PS25-PARUP5").run()
    assert at.query_params["chi_tieu"] == ["PS25-PARUP5"] or at.query_params["chi_tieu"] == "PS25-PARUP5"


def test_at_risk_indicator_shows_its_overdue_tasks_first(store: Engine) -> None:
    # PS25-PARUP5 (PAR INDEX up 5 places) is "Nguy cơ không đạt": its 54 KH 5399 PAR INDEX tasks, overdue first.
    at = _detail("PS25-PARUP5")
    tasks = next(d.value for d in at.dataframe if "Căn cứ liên kết" in d.value.columns)
    tasks = tasks.data if hasattr(tasks, "data") else tasks
    assert len(tasks) == 54
    overdue_label = st.STATUS_LABELS[st.OPEN_OVERDUE]
    statuses = list(tasks["Tình trạng"])
    n = statuses.count(overdue_label)
    assert n > 0 and statuses[:n] == [overdue_label] * n
    assert any("đang quá hạn (xếp lên đầu)" in e.value for e in at.error)


def test_unknown_code_in_the_address_is_said(store: Engine) -> None:
    at = _detail("KHONG-CO")
    assert any("Không có chỉ tiêu mã" in w.value for w in at.warning)


def test_indices_page_has_a_passport_beside_each_headline(store: Engine) -> None:
    at = signed_in("lanh_dao")
    at.switch_page("pages/chi_so.py").run()
    assert not at.exception, [e.value for e in at.exception]
    shown = " ".join(m.value for m in at.markdown)
    # PAR INDEX 2024 = 90,49 is stated on 002 line 9; its passport cites that line as the latest official figure.
    assert "90,49/100" in _line(S002, 9)
    assert f"số liệu chính thức gần nhất: 5399/KH-UBND, {S002} dòng 9" in shown
    assert "(PAR_RANK)" in shown and "(SIPAS_RANK)" in shown
