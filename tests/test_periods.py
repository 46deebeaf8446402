import datetime as dt
import json

import pytest

from data_access.periods import normalise_period, parse_deadline, period_bounds
from tests.conftest import REFERENCE


@pytest.mark.parametrize(
    ("text", "expected", "kind"),
    [
        ("Quý II/2024", dt.date(2024, 6, 30), "quarter"),
        ("Quý I/ 2024", dt.date(2024, 3, 31), "quarter"),
        ("Trước ngày 31/3/2026", dt.date(2026, 3, 31), "date"),
        ("Trước ngày 30/3//2026", dt.date(2026, 3, 30), "date"),
        ("Tháng 02/2024", dt.date(2024, 2, 29), "month"),
        ("Trong năm 2025", dt.date(2025, 12, 31), "year"),
        ("Từ năm 2024 - 2025", dt.date(2025, 12, 31), "year"),
        ("Thường xuyên", None, "recurring"),
        ("Theo tiến độ của Trung ương", None, "dependent"),
        ("Theo Quyết định số 1117/QĐ-UBND ngày 19/5/2023", None, "dependent"),
        ("Thường xuyên | Trong năm 2026", dt.date(2026, 12, 31), "year"),
        ("", None, "other"),
        (None, None, "other"),
    ],
)
def test_parse_deadline(text: str | None, expected: dt.date | None, kind: str) -> None:
    result = parse_deadline(text)
    assert result.date == expected
    assert result.kind == kind


@pytest.mark.parametrize("name", ["tasks_2024.jsonl", "tasks_par_sipas_2025.jsonl", "tasks_2026.jsonl"])
def test_parser_agrees_with_every_checked_deadline(name: str) -> None:
    """The reference extraction computed each deadline by hand; the parser must agree on every one."""
    rows = [json.loads(line) for line in (REFERENCE / name).read_text(encoding="utf-8").splitlines()]
    mismatches = [
        (r["deadline_text"], r["deadline_date"])
        for r in rows
        if (parse_deadline(r["deadline_text"]).date or None) != (
            dt.date.fromisoformat(r["deadline_date"]) if r["deadline_date"] else None
        )
    ]
    assert mismatches == []


def test_periods() -> None:
    assert period_bounds("2026-Q3") == (dt.date(2026, 7, 1), dt.date(2026, 9, 30))
    assert period_bounds("2024") == (dt.date(2024, 1, 1), dt.date(2024, 12, 31))
    for text in ("2026-Q3", "2026Q3", "Q3/2026", "Quý III/2026", "quý 3 năm 2026"):
        assert normalise_period(text) == "2026-Q3", text
    with pytest.raises(ValueError, match="Kỳ báo cáo không hợp lệ"):
        normalise_period("Quý 5/2026")
