"""Matching and reconciliation: every branch of the rule in data_access/matching.py, suggestions,
decisions (API and `--resolve`), remembered pairings and their removal, on real .xlsx bytes.

Facts of the province's plans used here (texts read from the sample store, which is built from them):
- "Báo cáo kết quả thực hiện công tác CCHC định kỳ của tỉnh" is a task of the 2024 plan (KH24-57,
  reference/tasks_2024.jsonl:57), of plan 5399/KH-UBND 2025 (PS25-02, seeds/002_fd824fa072a35cf2.txt:102,
  reference/tasks_par_sipas_2025.jsonl:2) and twice of the 2026 plan of Sở Nội vụ (SNV26-P1-26, Phòng CCHC,
  reference/tasks_2026.jsonl:26; SNV26-P2-43, Văn phòng Sở, reference/tasks_2026.jsonl:74).
- "Kiểm soát quy định TTHC" is PS25-17 (seeds/002_fd824fa072a35cf2.txt:132) and SNV26-P2-10
  (reference/tasks_2026.jsonl:41); the 2030 orientation writes it "10. 1 Kiểm soát quy định TTHC"
  (seeds/004_e5a04f5847edf0c4.txt:1215), a list number inside the cell.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from sqlalchemy import text
from sqlalchemy.engine import Engine

from data_access import importer as imp
from data_access import matching as mt
from data_access.permissions import Actor, PermissionDenied
from tests.conftest import ROOT
from tests.importer_files import reports_only, snapshot, table, task_text

STAFF = Actor("chuyenvien", "chuyen_vien")
ADMIN = Actor("quantri", "quan_tri")
HEADER = ["Mã nhiệm vụ", "Nhiệm vụ", "Cơ quan chủ trì", "Tình trạng", "Tỷ lệ hoàn thành (%)", "Ngày hoàn thành"]
REPORT_TEXT = "Báo cáo kết quả thực hiện công tác CCHC định kỳ của tỉnh"
VP_SO = "Văn phòng Sở"
P_CCHC = "Phòng Cải cách hành chính và Văn thư lưu trữ"
TCBC = "Phòng Tổ chức, biên chế và Công chức, viên chức"


def _snv(engine: Engine) -> int:
    found = imp.find_agency(engine, "Sở Nội vụ")
    assert found is not None
    return found[0]


def _plan(engine: Engine, quarter: str, rows: list[list[object]], **kw: object) -> imp.ImportPlan:
    data = table([[f"BÁO CÁO KẾT QUẢ CẢI CÁCH HÀNH CHÍNH {quarter}"], HEADER, *rows])
    return imp.preview(engine, data, "bc.xlsx", agency_id=_snv(engine), **kw)  # type: ignore[arg-type]


def _row(plan: imp.ImportPlan, row: int) -> imp.PlannedRow:
    return next(r for r in plan.rows if r.row == row)


def _top(r: imp.PlannedRow) -> list[str]:
    return [s.task for s in r.suggestions]


# --- folding (no store) -------------------------------------------------------------------------

@pytest.mark.parametrize(("a", "b"), [
    ("Kiểm soát quy định TTHC", "kiểm soát quy định thủ tục hành chính"),
    ("10. 1 Kiểm soát quy định TTHC", "Kiểm soát quy định TTHC"),  # seeds/004_e5a04f5847edf0c4.txt:1215
    ("a) Báo cáo kết quả thực hiện công tác CCHC", "Báo cáo kết quả thực hiện công tác cải cách hành chính"),
    ("- Thực hiện qui định về quản lí biên chế", "Thực hiện quy định về quản lý biên chế"),
    ("Chế độ CBCCVC; UBND, HĐND tỉnh", "chế độ cán bộ, công chức, viên chức - Uỷ ban nhân dân, Hội đồng nhân dân tỉnh"),
    ("Các ĐVSNCL và CQNN", "các đơn vị sự nghiệp công lập và cơ quan nhà nước"),
])
def test_folding_knows_abbreviations_spellings_and_list_numbers(a: str, b: str) -> None:
    assert mt.text_key(a) == mt.text_key(b)


def test_folding_keeps_numbers_that_are_not_list_markers() -> None:
    assert mt.text_key("100% hồ sơ TTHC được số hóa") != mt.text_key("hồ sơ TTHC được số hóa")
    assert mt.text_key("1.000 hồ sơ") == "1 000 ho so"


def test_similarity_tolerates_dropped_words_and_prefers_the_containing_text() -> None:
    index = mt.TokenIndex([mt.fold_tokens("Tiếp tục triển khai thực hiện chính sách tinh giản biên chế"),
                           mt.fold_tokens("Kiểm soát quy định thủ tục hành chính")])
    hits = index.search(mt.fold_tokens("triển khai chính sách tinh giản biên chế"))
    assert hits[0][0] == 0 and 0.8 < hits[0][1] < 1.0
    assert index.score(frozenset(mt.fold_tokens("Kiểm soát quy định TTHC")), 1) == 1.0


# --- code and text --------------------------------------------------------------------------------

def test_code_and_text_agree_when_the_text_is_that_tasks_even_abbreviated_or_abridged(db: Engine) -> None:
    p109 = task_text(db, "SNV26-P1-09")
    abbreviated = p109.replace("cán bộ, công chức, viên chức", "CBCCVC")
    assert abbreviated != p109
    abridged = " ".join(task_text(db, "SNV26-P2-34").split()[:-2])  # the last two words dropped
    plan = _plan(db, "QUÝ IV/2026", [
        ["SNV26-P1-09", abbreviated, TCBC, "Đang thực hiện", "50%", None],
        ["SNV26-P2-34", abridged, VP_SO, "Đang thực hiện", "40%", None],
    ])
    assert [(r.outcome, r.code, r.matched_by) for r in plan.rows] == [("new", "SNV26-P1-09", "mã"),
                                                                      ("new", "SNV26-P2-34", "mã")]


def test_copied_row_with_overwritten_text_is_not_written_and_names_both_tasks(db: Engine) -> None:
    """Habit 1: the row of P1-07 copied (its code came along) and the text overwritten with P1-11's."""
    plan = _plan(db, "QUÝ IV/2026", [["SNV26-P1-07", task_text(db, "SNV26-P1-11"), TCBC, "Đang thực hiện", "30%", None]])
    r = plan.rows[0]
    assert (r.outcome, r.assignment_id) == ("ambiguous", None)
    assert "SNV26-P1-07" in r.message and "SNV26-P1-11" in r.message
    assert _top(r)[0] == "SNV26-P1-11" and "SNV26-P1-07" in _top(r)
    assert plan.to_write == 0


def test_swapped_digits_in_the_code_are_caught_by_the_text(db: Engine) -> None:
    """P2-13 written as P2-31 (both exist): the text is P2-13's, so the row is held and P2-13 suggested first."""
    plan = _plan(db, "QUÝ IV/2026", [["SNV26-P2-31", task_text(db, "SNV26-P2-13"), None, "Đang thực hiện", "30%", None]])
    r = plan.rows[0]
    assert r.outcome == "ambiguous"
    assert "mã SNV26-P2-31 là nhiệm vụ" in r.message and "SNV26-P2-13" in r.message
    assert r.suggestions[0].task == "SNV26-P2-13" and r.suggestions[0].score >= 0.9
    assert "SNV26-P2-31" in _top(r)
    # A code of nobody's, without text: swapped digits are suggested from the code itself.
    alone = _plan(db, "QUÝ IV/2026", [["SNV26-P1-70", "", None, "Đang thực hiện", "30%", None]]).rows[0]
    assert alone.outcome == "unmatched" and "SNV26-P1-07" in _top(alone)


def test_unknown_code_with_a_known_text_is_held(db: Engine) -> None:
    plan = _plan(db, "QUÝ IV/2026", [["SNV26-P9-99", task_text(db, "SNV26-P1-11"), None, "Đang thực hiện", "30%",
                                      None]])
    r = plan.rows[0]
    assert r.outcome == "ambiguous" and "SNV26-P9-99 không thuộc" in r.message and "SNV26-P1-11" in r.message


# --- texts in several plans -----------------------------------------------------------------------

def test_cross_plan_twins_resolved_by_period_then_lead_else_ambiguous(db: Engine) -> None:
    rows = [[None, REPORT_TEXT, None, "Đang thực hiện", "50%", None]]
    q3_2025 = _plan(db, "QUÝ III/2025", rows).rows[0]
    assert (q3_2025.outcome, q3_2025.code) == ("changed", "PS25-02")  # the sample store has a report  # the 2025 plan's twin, not 2024's or 2026's
    q2_2024 = _plan(db, "QUÝ II/2024", rows).rows[0]
    assert (q2_2024.outcome in ("new", "changed"), q2_2024.code) == (True, "KH24-57")
    # 2026: two twins in the plan of the year; the lead column tells them apart...
    by_lead = _plan(db, "QUÝ IV/2026", [[None, REPORT_TEXT, P_CCHC, "Đang thực hiện", "50%", None]]).rows[0]
    assert (by_lead.outcome in ("new", "changed"), by_lead.code) == (True, "SNV26-P1-26")
    # ...but not the agency's own name (both divisions belong to it), nor no lead: listed, never guessed.
    for lead in ("Sở Nội vụ", None):
        r = _plan(db, "QUÝ IV/2026", [[None, REPORT_TEXT, lead, "Đang thực hiện", "50%", None]]).rows[0]
        assert r.outcome == "ambiguous" and r.assignment_id is None
        assert "SNV26-P1-26" in r.message and "SNV26-P2-43" in r.message and "KH24-57" not in r.message
        assert set(_top(r)[:2]) == {"SNV26-P1-26", "SNV26-P2-43"}
        assert mt.accept_above([r], 0.5) == {}  # two equally good tasks: a threshold never picks one


def test_abbreviated_text_matches_the_twin_of_the_period(db: Engine) -> None:
    """"Kiểm soát quy định thủ tục hành chính" is PS25-17 in 2025 and SNV26-P2-10 in 2026."""
    rows = [[None, "10. 1 Kiểm soát quy định thủ tục hành chính", None, "Đang thực hiện", "50%", None]]
    assert _plan(db, "QUÝ IV/2026", rows).rows[0].code == "SNV26-P2-10"
    assert _plan(db, "QUÝ II/2025", rows).rows[0].code == "PS25-17"


def test_single_candidate_contradicted_by_plan_year_or_lead_is_flagged(db: Engine) -> None:
    old = _plan(db, "QUÝ IV/2026", [[None, task_text(db, "KH24-54"), None, "Đã hoàn thành", "100%", None]]).rows[0]
    assert old.outcome == "ambiguous" and "kế hoạch 2024" in old.message and "Quý IV/2026" in old.message
    assert old.suggestions[0].task == "KH24-54" and old.suggestions[0].score < 0.9  # lowered: another period
    assert "khác kỳ báo cáo" in old.suggestions[0].why
    other_lead = _plan(db, "QUÝ IV/2026", [[None, task_text(db, "SNV26-P1-07"), "Sở Tư pháp", "Đang thực hiện",
                                            "50%", None]]).rows[0]
    assert other_lead.outcome == "ambiguous" and "Sở Tư pháp" in other_lead.message
    by_code = _plan(db, "QUÝ IV/2026", [["SNV26-P1-07", "", VP_SO, "Đang thực hiện", "50%", None]]).rows[0]
    assert by_code.outcome == "ambiguous" and "Văn phòng Sở" in by_code.message
    # An unknown lead text is no evidence either way; the agency's own name is its scope.
    for lead in ("Phòng TCBC&CCVC", "Sở Nội vụ"):
        r = _plan(db, "QUÝ IV/2026", [["SNV26-P1-07", "", lead, "Đang thực hiện", "50%", None]]).rows[0]
        assert (r.outcome, r.code) == ("new", "SNV26-P1-07")


def test_same_task_twice_in_one_file_writes_neither_until_one_is_picked(db: Engine) -> None:
    import openpyxl

    from tests.importer_files import save

    wb = openpyxl.Workbook()
    first = wb.active
    assert first is not None
    first.title = "Quý IV"
    second = wb.create_sheet("Bổ sung")
    for ws, pct in ((first, "40%"), (second, "60%")):
        ws.append(["BÁO CÁO KẾT QUẢ CẢI CÁCH HÀNH CHÍNH QUÝ IV/2026"])
        ws.append(HEADER)
        ws.append(["SNV26-P1-07", "", TCBC, "Đang thực hiện", pct, None])
    data = save(wb)
    plan = imp.preview(db, data, "bc.xlsx", agency_id=_snv(db))
    assert [(r.sheet, r.outcome) for r in plan.rows] == [("Quý IV", "ambiguous"), ("Bổ sung", "ambiguous")]
    assert all("trang 'Quý IV' dòng 3; trang 'Bổ sung' dòng 3" in r.message for r in plan.rows)
    picked = imp.preview(db, data, "bc.xlsx", agency_id=_snv(db), decisions={("Bổ sung", 3): "SNV26-P1-07"})
    assert [(r.sheet, r.outcome, r.progress_pct) for r in picked.rows] == [("Quý IV", "skipped", 40.0),
                                                                           ("Bổ sung", "new", 60.0)]


# --- suggestions ----------------------------------------------------------------------------------

@pytest.mark.parametrize(("code", "retype"), [
    ("SNV26-P2-17", lambda t: t.replace("TTHC", "thủ tục hành chính").replace("Thực hiện 100% ", "")),
    ("SNV26-P1-03", lambda t: "2) " + t.replace("quy định", "qui định").replace(", đơn vị sự nghiệp công lập", "")),
    ("SNV26-P2-16", lambda t: "- " + " ".join(w for w in t.split() if w not in ("toàn", "diện", "việc"))),
    ("SNV26-P1-09", lambda t: t.replace("cán bộ, công chức, viên chức", "CBCCVC").replace(" hệ thống chính trị", "")),
    ("SNV26-P2-37", lambda t: t.replace(", kiểm toán nhà nước", "")),
])
def test_true_task_is_among_three_suggestions_for_retyped_texts(db: Engine, code: str, retype: object) -> None:
    assert callable(retype)
    wording = retype(task_text(db, code))
    plan = _plan(db, "QUÝ IV/2026", [[None, wording, None, "Đang thực hiện", "50%", None]])
    r = plan.rows[0]
    assert r.outcome in ("unmatched", "ambiguous") and r.assignment_id is None  # never guessed
    assert code in _top(r), (wording, [(s.task, s.score) for s in r.suggestions])
    assert len(r.suggestions) <= 3 and all(0 <= s.score <= 1 for s in r.suggestions)
    assert [s.score for s in r.suggestions] == sorted((s.score for s in r.suggestions), reverse=True)
    best = next(s for s in r.suggestions if s.task == code)
    assert "% nội dung" in best.why and "kế hoạch 2026" in best.why


# --- decisions, apply, remembered pairings --------------------------------------------------------

def test_decisions_confirm_apply_remember_and_admin_removal(db: Engine) -> None:
    wording = "Triển khai Đề án về chính sách lao động việc làm thích ứng già hóa dân số"  # P1-02, retyped
    rows = [[None, wording, None, "Đang thực hiện", "30%", None],
            ["SNV26-P1-07", "", TCBC, "Đang thực hiện", "20%", None],
            [None, "Một việc không có trong kế hoạch", None, "Đang thực hiện", "10%", None]]
    data = table([["BÁO CÁO KẾT QUẢ CẢI CÁCH HÀNH CHÍNH QUÝ III/2026"], HEADER, *rows])
    sn = _snv(db)
    dry = imp.preview(db, data, "q3.xlsx", agency_id=sn)
    assert [r.outcome for r in dry.rows] == ["unmatched", "changed", "unmatched"]
    assert _top(dry.rows[0])[0] == "SNV26-P1-02"
    before = snapshot(db)
    confirmed = imp.preview(db, data, "q3.xlsx", agency_id=sn, decisions={("Báo cáo", 3): "SNV26-P1-02",
                                                                           ("Báo cáo", 5): None})
    assert snapshot(db) == before  # a preview writes nothing, decisions or not
    assert [(r.outcome, r.code) for r in confirmed.rows] == [("new", "SNV26-P1-02"), ("changed", "SNV26-P1-07"),
                                                             ("skipped", None)]
    assert confirmed.rows[0].message == "đã xác nhận: SNV26-P1-02"
    result = imp.apply_import(db, confirmed, STAFF)
    assert result.reports_written == 2
    assert imp.apply_import(db, confirmed, STAFF).written == 0  # idempotent
    remembered = mt.pairings(db, sn)
    assert list(remembered["task"]) == ["SNV26-P1-02"] and list(remembered["text"]) == [wording]
    assert list(remembered["upload_id"]) == [result.upload_id] and list(remembered["created_by"]) == ["chuyenvien"]

    # Next quarter the same wording (retyped once more: accents, spacing) matches by itself.
    q4 = table([["BÁO CÁO KẾT QUẢ CẢI CÁCH HÀNH CHÍNH QUÝ IV/2026"], HEADER,
                [None, wording.upper() + "  ", None, "Đã hoàn thành", "100%", "20/11/2026"]])
    again = imp.preview(db, q4, "q4.xlsx", agency_id=sn)
    assert [(r.outcome, r.code, r.message) for r in again.rows] == [
        ("new", "SNV26-P1-02", "khớp theo cặp đã xác nhận")]
    # Another agency's return does not use Sở Nội vụ's pairing.
    other = imp.find_agency(db, "Sở Tư pháp")
    assert other is not None
    assert imp.preview(db, q4, "q4.xlsx", agency_id=other[0]).rows[0].outcome == "unmatched"

    # Undo removes exactly the reports; the officer's confirmation stays remembered.
    imp.undo_upload(db, result.upload_id or 0, STAFF)
    assert reports_only(snapshot(db)) == reports_only(before)
    assert len(mt.pairings(db)) == 1

    # An administrator removes the pairing (audited); officers may not.
    pairing_id = int(remembered["id"].iloc[0])
    with pytest.raises(PermissionDenied):
        mt.remove_pairing(db, STAFF, pairing_id)
    mt.remove_pairing(db, ADMIN, pairing_id)
    assert mt.pairings(db).empty
    with db.connect() as conn:
        audit = conn.execute(text("SELECT username, action, detail FROM auditlog ORDER BY id DESC LIMIT 1")).one()
    assert audit[0] == "quantri" and audit[1] == "xoa_cap_noi_dung" and "SNV26-P1-02" in audit[2]
    assert imp.preview(db, q4, "q4.xlsx", agency_id=sn).rows[0].outcome == "unmatched"
    with pytest.raises(ValueError, match="Không tìm thấy"):
        mt.remove_pairing(db, ADMIN, pairing_id)


def test_a_decision_outside_the_agency_or_for_no_row_is_refused(db: Engine) -> None:
    plan = _plan(db, "QUÝ IV/2026", [[None, "Việc lạ", None, "Đang thực hiện", "10%", None]],
                 decisions={("Báo cáo", 3): "KH24-01", ("Báo cáo", 99): "SNV26-P1-07"})
    assert plan.rows[0].outcome == "unmatched" and "KH24-01 được chọn không thuộc" in plan.rows[0].message
    assert any("dòng 99" in n for n in plan.notes)


def test_an_exact_wording_is_not_remembered(db: Engine) -> None:
    """Twins are decided by the period and lead rules each quarter; a pairing is only for other wordings."""
    plan = _plan(db, "QUÝ IV/2026", [[None, REPORT_TEXT, None, "Đang thực hiện", "50%", None]],
                 decisions={("Báo cáo", 3): "SNV26-P2-43"})
    assert (plan.rows[0].outcome, plan.rows[0].lead_name) == ("new", VP_SO)
    imp.apply_import(db, plan, STAFF)
    assert mt.pairings(db).empty


def _cli(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "data_access", *args], cwd=ROOT, env=dict(os.environ),
                          capture_output=True, text=True, timeout=120)


def test_cli_resolve_decisions_file(db: Engine, tmp_path: Path) -> None:
    rows = [
        [None, task_text(db, "SNV26-P2-37").replace(", kiểm toán nhà nước", ""), None, "Đang thực hiện", "30%", None],
        [None, REPORT_TEXT, None, "Đang thực hiện", "50%", None],  # 2026 twins: needs a decision
        [None, "Một việc không có trong kế hoạch", None, "Đang thực hiện", "10%", None],
        ["SNV26-P1-07", "", TCBC, "Đang thực hiện", "20%", None],
    ]
    path = tmp_path / "bc.xlsx"
    path.write_bytes(table([["BÁO CÁO KẾT QUẢ CẢI CÁCH HÀNH CHÍNH QUÝ IV/2026"], ["Cơ quan báo cáo: Sở Nội vụ"],
                            HEADER, *rows]))
    dry = json.loads(_cli("import", str(path), "--dry-run", "--json").stdout)
    assert [(r["row"], r["outcome"]) for r in dry["rows"]] == [(4, "unmatched"), (5, "ambiguous"), (6, "unmatched"),
                                                               (7, "new")]
    first = dry["rows"][0]
    assert first["suggestions"][0]["task"] == "SNV26-P2-37" and set(first["suggestions"][0]) == {"task", "score", "why"}
    assert first["task"] is None and first["state"] == "dang_thuc_hien" and first["progress"] == 30.0
    assert dry["rows"][3]["suggestions"] == [] and dry["rows"][3]["task"] == "SNV26-P1-07"

    decisions = tmp_path / "decisions.json"
    decisions.write_text(json.dumps({"decisions": [{"sheet": "Báo cáo", "row": 5, "task": "SNV26-P1-26"},
                                                   {"sheet": "Báo cáo", "row": 6, "task": None}],
                                     "accept_above": 0.8}, ensure_ascii=False), encoding="utf-8")
    resolved = _cli("import", str(path), "--resolve", str(decisions), "--json")
    assert resolved.returncode == 0, resolved.stderr
    out = json.loads(resolved.stdout)
    assert [(r["row"], r["outcome"], r["task"]) for r in out["rows"]] == [
        (4, "new", "SNV26-P2-37"), (5, "new", "SNV26-P1-26"), (6, "skipped", None), (7, "new", "SNV26-P1-07")]
    assert out["applied"] is True and out["written"] == 3
    with db.connect() as conn:
        written = conn.execute(text(
            "SELECT t.code, r.progress_pct FROM statusreport r JOIN assignment a ON a.id = r.assignment_id "
            "JOIN task t ON t.id = a.task_id WHERE r.upload_id = :u ORDER BY t.code"), {"u": out["upload_id"]}).all()
    assert [tuple(w) for w in written] == [("SNV26-P1-07", 20.0), ("SNV26-P1-26", 50.0), ("SNV26-P2-37", 30.0)]

    bad = tmp_path / "bad.json"
    bad.write_text('{"decisions": [{"sheet": "Báo cáo", "row": "năm"}]}', encoding="utf-8")
    refused = _cli("import", str(path), "--resolve", str(bad))
    assert refused.returncode == 1 and "không hợp lệ" in refused.stderr and "Traceback" not in refused.stderr
