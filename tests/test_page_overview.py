"""The overview page, driven through AppTest, shows the numbers an independent count gives."""

import datetime as dt
from pathlib import Path

import pytest
from sqlalchemy.engine import Engine
from streamlit.testing.v1 import AppTest

from data_access import status
from data_access.clock import today_vn
from data_access.vn import fmt_number, fmt_pct
from tests import independent
from tests.signin import signed_in


def _metrics(at: AppTest) -> dict[str, str]:
    return {m.label: m.value for m in at.metric}


def _expected(counts: dict[str, int]) -> dict[str, str]:
    total = sum(counts.values())
    done = counts[status.DONE_ON_TIME] + counts[status.DONE_LATE]
    return {
        "Tổng số nhiệm vụ": fmt_number(total),
        "Đã hoàn thành": fmt_pct(100.0 * done / total if total else None, 1),
        "Quá hạn": fmt_number(counts[status.OPEN_OVERDUE]),
        "Sắp đến hạn (30 ngày)": fmt_number(counts[status.DUE_SOON]),
    }


def _open(store: Engine) -> AppTest:
    return signed_in("lanh_dao")


@pytest.mark.parametrize(
    ("year", "fields", "as_of", "plans"),
    [
        (2026, [], today_vn(), {"SNV26"}),
        ("Tất cả", ["TTHC", "CQS"], dt.date(2025, 12, 31), None),
        (2025, ["SIPAS"], dt.date(2026, 3, 1), {"PS25"}),
    ],
)
def test_overview_numbers_equal_independent_count(
    store: Engine, sample_db_file: Path, year: object, fields: list[str], as_of: dt.date, plans: set[str] | None
) -> None:
    at = _open(store)
    assert not at.exception
    at.selectbox(key="f_year").set_value(year)
    at.multiselect(key="f_fields").set_value(fields)
    at.date_input(key="f_as_of").set_value(as_of)
    at.run()
    assert not at.exception
    counts = independent.status_counter(sample_db_file, as_of, plan_codes=plans, field_codes=set(fields) or None)
    shown = _metrics(at)
    for label, value in _expected({k: counts.get(k, 0) for k in status.STATUS_ORDER}).items():
        assert shown[label] == value, label
    assert any(as_of.strftime("%d/%m/%Y") in c.value for c in at.caption)


def test_sample_notice_is_shown(store: Engine) -> None:
    at = _open(store)
    # One compact line (a caption), not a second banner.
    assert any("dữ liệu mẫu" in c.value.lower() for c in at.caption)
    assert not any("dữ liệu mẫu" in i.value.lower() for i in at.info)


def test_empty_store_loads_sample_data_by_itself(store: Engine, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("DATABASE_URL", f"sqlite:///{tmp_path / 'new.db'}")
    at = signed_in("lanh_dao")
    assert not at.exception
    assert int(_metrics(at)["Tổng số nhiệm vụ"].replace(".", "")) > 0


def test_due_soon_label_and_count_follow_the_setting(store: Engine, sample_db_file: Path,
                                                      monkeypatch: pytest.MonkeyPatch) -> None:
    """CCHC_DUE_SOON_DAYS=60: the card says 60 days and counts the tasks due within 60 days."""
    monkeypatch.setenv("CCHC_DUE_SOON_DAYS", "60")
    at = _open(store)
    at.selectbox(key="f_year").set_value("Tất cả")
    at.date_input(key="f_as_of").set_value(dt.date(2025, 12, 31))
    at.run()
    assert not at.exception
    shown = _metrics(at)
    assert "Sắp đến hạn (30 ngày)" not in shown
    counts = independent.status_counter(sample_db_file, dt.date(2025, 12, 31), due_soon_days=60)
    assert shown["Sắp đến hạn (60 ngày)"] == fmt_number(counts[status.DUE_SOON])
