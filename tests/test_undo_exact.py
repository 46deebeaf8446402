"""Undo that never erases a figure a remaining upload still asserts (issue 13, item 1), on both backends.

Each upload's figures are recomputed here independently (the baseline of the sample store, then the
remaining applied uploads' rows in upload order, the latest winning) and compared with the store.
"""

from __future__ import annotations

import io
import itertools
import json
import os
import subprocess
import sys
from collections.abc import Sequence

import openpyxl
import pytest
from sqlalchemy import text
from sqlalchemy.engine import Engine

from data_access import importer as imp
from data_access import models as m
from data_access.permissions import Actor
from tests.conftest import ROOT
from tests.importer_files import STATE_WORDS, current_states

STAFF = Actor("chuyenvien", "chuyen_vien")
CODES = ["SNV26-P1-06", "SNV26-P1-07", "SNV26-P1-08", "SNV26-P1-03"]
INDICATOR = "PL3-6.1"
DONE, DOING, TODO = m.STATE_DONE, m.STATE_IN_PROGRESS, m.STATE_NOT_STARTED

Row = tuple[str, str, float]

# Three returns of Sở Nội vụ for Quý IV/2026 that overlap: U2 repeats U1's "done" for P1-06 (unchanged
# when applied, so it writes nothing for it), U3 repeats U1's P1-07 figure (changed against U2's) and
# U1's P1-08 (unchanged). Indicator PL3-6.1: U1 93,5; U2 none; U3 93,5 (unchanged against U1's).
UPLOADS: list[tuple[list[Row], float | None]] = [
    ([("SNV26-P1-06", DONE, 100), ("SNV26-P1-07", DOING, 40), ("SNV26-P1-08", DOING, 20)], 93.5),
    ([("SNV26-P1-06", DONE, 100), ("SNV26-P1-07", DOING, 60), ("SNV26-P1-03", TODO, 0)], None),
    ([("SNV26-P1-07", DOING, 40), ("SNV26-P1-08", DOING, 20), ("SNV26-P1-03", DOING, 10)], 93.5),
]


def _return(rows: Sequence[Row], value: float | None) -> bytes:
    wb = openpyxl.Workbook()
    ws = wb.active
    assert ws is not None
    ws.title = "Báo cáo"
    ws.append(["BÁO CÁO KẾT QUẢ THỰC HIỆN NHIỆM VỤ CẢI CÁCH HÀNH CHÍNH QUÝ IV/2026"])
    ws.append(["Cơ quan báo cáo: Sở Nội vụ"])
    ws.append(["Mã nhiệm vụ", "Tình trạng", "Tỷ lệ hoàn thành (%)", "Ngày hoàn thành"])
    for code, state, pct in rows:
        ws.append([code, STATE_WORDS[state], f"{pct:g}%", "15/10/2026" if state == DONE else None])
    if value is not None:
        ci = wb.create_sheet("Chỉ tiêu")
        ci.append(["Mã chỉ tiêu", "Tên chỉ tiêu", "Kỳ", "Giá trị"])
        ci.append([INDICATOR, "", "Quý IV/2026", value])
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()


def _apply(db: Engine, index: int) -> int:
    rows, value = UPLOADS[index]
    plan = imp.plan_import(db, _return(rows, value), f"u{index + 1}.xlsx")
    assert not plan.errors, plan.errors
    result = imp.apply_import(db, plan, STAFF)
    assert result.upload_id is not None
    return result.upload_id


def _value(db: Engine) -> float | None:
    """The current value of the indicator for Quý IV/2026 (highest id), or None."""
    with db.connect() as conn:
        row = conn.execute(text(
            "SELECT v.value FROM indicatorvalue v JOIN indicator i ON i.id = v.indicator_id "
            "WHERE i.code = :c AND v.period = '2026-Q4' ORDER BY v.id DESC LIMIT 1"), {"c": INDICATOR}).first()
    return None if row is None else float(row[0])


def _expected(baseline: dict[str, tuple[str, float]], base_value: float | None,
              remaining: Sequence[int]) -> tuple[dict[str, tuple[str, float]], float | None]:
    """Independent recomputation: the baseline, then each remaining upload's rows in upload order."""
    states = dict(baseline)
    value = base_value
    for index in sorted(remaining):
        rows, v = UPLOADS[index]
        for code, state, pct in rows:
            states[code] = (state, float(pct))
        if v is not None:
            value = v
    return states, value


def test_undo_keeps_what_a_later_upload_repeats(db: Engine) -> None:
    """The issue's scenario: upload 1 sets P1-06 done, upload 2 repeats it (unchanged, nothing written),
    undo 1 -> P1-06 is still done because upload 2 still says so."""
    baseline = current_states(db, CODES)
    assert baseline.get("SNV26-P1-06") != (DONE, 100.0)  # the sample does not already say "done"
    u1 = _apply(db, 0)
    plan2 = imp.plan_import(db, _return(*UPLOADS[1]), "u2.xlsx")
    assert [r.outcome for r in plan2.rows] == ["unchanged", "changed", "new" if "SNV26-P1-03" not in baseline
                                               else "changed"]
    u2 = imp.apply_import(db, plan2, STAFF).upload_id
    assert u2 is not None
    with db.connect() as conn:  # upload 2 wrote no row for P1-06, but it is recorded as asserted
        written = conn.execute(text("SELECT COUNT(*) FROM statusreport WHERE upload_id = :u"), {"u": u2}).scalar_one()
        asserted = conn.execute(text("SELECT COUNT(*) FROM uploadassertion WHERE upload_id = :u AND assignment_id "
                                     "IS NOT NULL"), {"u": u2}).scalar_one()
    assert (written, asserted) == (2, 3)
    undone = imp.undo_upload(db, u1, STAFF)
    assert current_states(db, CODES)["SNV26-P1-06"] == (DONE, 100.0)
    assert current_states(db, CODES)["SNV26-P1-07"] == (DOING, 60.0)  # upload 2's figure, not upload 1's
    assert current_states(db, CODES).get("SNV26-P1-08") == baseline.get("SNV26-P1-08")  # only upload 1 said it
    assert _value(db) != 93.5  # only upload 1 gave the indicator: back to the sample's
    assert (undone.reports_deleted, undone.values_deleted, undone.reports_restored) == (3, 1, 1)
    assert "giữ theo các lần tải lên khác" in undone.message
    history = imp.upload_history(db).set_index("id")
    assert history.loc[u1, "status"] == "Đã hoàn tác" and history.loc[u2, "status"] == "Đã áp dụng"
    # Undoing upload 2 too: back to the sample's figures exactly.
    imp.undo_upload(db, u2, STAFF)
    assert current_states(db, CODES) == baseline


@pytest.mark.parametrize("order", list(itertools.permutations(range(3))), ids=lambda o: "-".join(map(str, o)))
def test_undo_in_any_order_matches_an_independent_recomputation(db: Engine, order: tuple[int, ...]) -> None:
    """All 6 orders of undoing 3 uploads; after every step (the partial orders) the store says what the
    remaining uploads say, latest winning; undone everything -> the sample's figures."""
    baseline, base_value = current_states(db, CODES), _value(db)
    ids = [_apply(db, i) for i in range(3)]
    assert (current_states(db, CODES), _value(db)) == _expected(baseline, base_value, [0, 1, 2])
    remaining = [0, 1, 2]
    for index in order:
        imp.undo_upload(db, ids[index], STAFF)
        remaining.remove(index)
        assert (current_states(db, CODES), _value(db)) == _expected(baseline, base_value, remaining), \
            (order, remaining)
    assert current_states(db, CODES) == baseline and _value(db) == base_value
    # Redo: the same three files again give the same figures as the first time (new uploads), and
    # undoing in the same order again ends at the sample once more.
    ids = [_apply(db, i) for i in range(3)]
    assert (current_states(db, CODES), _value(db)) == _expected(baseline, base_value, [0, 1, 2])
    for index in order:
        imp.undo_upload(db, ids[index], STAFF)
    assert current_states(db, CODES) == baseline and _value(db) == base_value
    history = imp.upload_history(db)
    assert len(history) == 6 and set(history["status"]) == {"Đã hoàn tác"}


def test_undo_twice_is_refused_and_changes_nothing(db: Engine) -> None:
    u1 = _apply(db, 0)
    imp.undo_upload(db, u1, STAFF)
    states = current_states(db, CODES)
    with pytest.raises(ValueError, match="đã được hoàn tác"):
        imp.undo_upload(db, u1, STAFF)
    assert current_states(db, CODES) == states


def test_store_migrated_with_earlier_uploads_backfills_their_assertions(db: Engine) -> None:
    """Uploads applied before revision 0008 assert the rows they wrote (the migration backfills them)."""
    from alembic import command

    from data_access.db import _alembic_config, migrate

    u1 = _apply(db, 0)
    u2 = _apply(db, 1)
    with db.begin() as conn:  # back to 0007: the uploads are there, their assertions are not
        command.downgrade(_alembic_config(conn), "0007")
    migrate(db)
    with db.connect() as conn:
        rows = conn.execute(text("SELECT upload_id, COUNT(*) FROM uploadassertion GROUP BY upload_id "
                                 "ORDER BY upload_id")).all()
    assert [tuple(r) for r in rows] == [(u1, 4), (u2, 2)]  # u2's unchanged P1-06 row was never recorded
    imp.undo_upload(db, u1, STAFF)
    assert current_states(db, CODES)["SNV26-P1-07"] == (DOING, 60.0)  # u2 wrote it: kept


# --- the command line ----------------------------------------------------------------------------------

def _cli(*args: str, env: dict[str, str] | None = None) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "data_access", *args], cwd=ROOT,
                          env={**os.environ, **(env or {})}, capture_output=True, text=True, timeout=120)


def test_cli_undo_json_and_refusals(db: Engine) -> None:
    u1 = _apply(db, 0)
    _apply(db, 1)
    leader = _cli("undo", str(u1), "--user", "lanhdao")
    assert leader.returncode == 2 and "không có quyền hoàn tác" in leader.stderr and "Traceback" not in leader.stderr
    nobody = _cli("undo", str(u1), "--user", "khongco", "--json")
    assert nobody.returncode == 2 and "Không có tài khoản 'khongco'" in json.loads(nobody.stdout)["message"]
    assert imp.upload_history(db).set_index("id").loc[u1, "status"] == "Đã áp dụng"
    done = _cli("undo", str(u1), "--user", "chuyenvien", "--json")
    assert done.returncode == 0, done.stderr
    body = json.loads(done.stdout)
    assert (body["undone"], body["reports_deleted"], body["values_deleted"], body["reports_restored"]) == \
        (True, 3, 1, 1)
    assert current_states(db, CODES)["SNV26-P1-06"] == (DONE, 100.0)
    again = _cli("undo", str(u1), "--user", "chuyenvien")
    assert again.returncode == 2 and "đã được hoàn tác" in again.stderr and "Traceback" not in again.stderr
    missing = _cli("undo", "999", "--user", "quantri")
    assert missing.returncode == 2 and "Không có lần tải lên số 999" in missing.stderr
    with db.connect() as conn:
        undo_by, = conn.execute(text("SELECT undone_by FROM upload WHERE id = :u"), {"u": u1}).one()
        detail, = conn.execute(text("SELECT detail FROM auditlog WHERE action = 'hoan_tac' ORDER BY id DESC")).first()
    assert undo_by == "chuyenvien" and "nguồn: dòng lệnh" in detail


# --- the history page --------------------------------------------------------------------------------

def test_history_page_shows_states_after_undo_and_keeps_later_figures(db: Engine) -> None:
    from tests.signin import signed_in

    u1 = _apply(db, 0)
    u2 = _apply(db, 1)
    at = signed_in("chuyen_vien")
    at.switch_page("pages/lich_su_tai_len.py").run()
    assert not at.exception
    at.selectbox(key="ls_chon").set_value(u1).run()
    at.button(key="ls_hoan_tac").click().run()
    assert any("được giữ theo lần đó" in w.value for w in at.warning)
    at.button(key="ls_xac_nhan_hoan_tac").click().run()
    assert not at.exception
    assert any(f"Đã hoàn tác lần tải lên số {u1}" in x.value and "giữ theo" in x.value for x in at.success)
    table = at.dataframe[0].value.set_index("Số")
    assert table.loc[str(u1), "Trạng thái"].startswith("Đã hoàn tác")
    assert table.loc[str(u2), "Trạng thái"] == "Đã áp dụng"
    assert table.loc[str(u2), "Nguồn"] == "trang web"
    assert current_states(db, CODES)["SNV26-P1-06"] == (DONE, 100.0)
