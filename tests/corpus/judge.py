"""Runs the corpus through the importer's command line (in process) and judges every row.

The contract judged is `python -m data_access import FILE --dry-run --json [--agency]
[--period] [--resolve decisions.json]`: the printed object's `rows` list, one object per
data row read (`sheet`, `row`, `outcome`, `task`, `state`, `progress`, `completed_on`,
`message`, `suggestions`). A row whose outcome would write (new / changed / unchanged) must
name its true task and state what the row states; a row that is not a task row, a duplicate
or a row of another quarter must not write; a recordable row must be recorded or offered
(unmatched / ambiguous with its true task among the first three suggestions).

When the importer prints no `rows` (the importer before issue 11), the rows are rebuilt
from `importer.plan_import` so that a "before" figure can still be measured; the source is
recorded and the test fails on it.
"""

from __future__ import annotations

import contextlib
import io
import json
import os
import tempfile
import traceback
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from tests.corpus.truth import DONE, HABITS, NOT_STARTED, CorpusFile, Truth

WRITES = ("new", "changed", "unchanged")
OFFERS = ("unmatched", "ambiguous")

# Verdicts of one truth row.
RECORDED = "recorded"  # written to the true task with the true state
OFFERED = "offered"  # not written; the true task among the first three suggestions
MISSED = "missed"  # recordable, neither recorded nor usefully offered
HELD = "held"  # a row that must not write, and did not
WRONG_TASK = "wrong_task"  # written to another task (or a non-task row written)
WRONG_STATE = "wrong_state"  # written to the true task with another state / progress off by > 0,5
WRONG_DATE = "wrong_date"  # written with a completion date the row does not give
NOT_TO_WRITE = "should_not_write"  # a duplicate or another quarter's row written
NOISE = "noise"  # a non-task row listed with an outcome other than skipped (not a write)


@dataclass
class Run:
    """One invocation of the command line."""

    exit_code: int | None
    out: dict[str, Any]
    rows: list[dict[str, Any]]
    source: str  # "json" (the contract), "legacy" (rebuilt from plan_import), "none"
    crash: str | None = None  # a traceback or an argparse refusal
    stderr: str = ""


@dataclass
class Verdict:
    truth: Truth | None
    got: dict[str, Any] | None
    verdict: str
    detail: str = ""
    figure_lost: bool = False  # recorded, but the progress figure the row gives was not kept


@dataclass
class FileResult:
    file: CorpusFile
    run: Run
    verdicts: list[Verdict] = field(default_factory=list)


@contextlib.contextmanager
def _database(url: str | None) -> Iterator[None]:
    if url is None:
        yield
        return
    old = os.environ.get("DATABASE_URL")
    os.environ["DATABASE_URL"] = url
    try:
        yield
    finally:
        if old is None:
            os.environ.pop("DATABASE_URL", None)
        else:
            os.environ["DATABASE_URL"] = old


def run_cli(cf: CorpusFile, workdir: Path, *, dry_run: bool = True, decisions: list[dict[str, Any]] | None = None,
            database_url: str | None = None) -> Run:
    """`import FILE --json [--dry-run] [--resolve …]` in process; never raises."""
    from data_access.cli import main

    path = workdir / cf.name
    path.write_bytes(cf.data)
    argv = [*cf.argv(str(path)), "--json"]
    if dry_run:
        argv.append("--dry-run")
    else:
        argv += ["--user", "chuyenvien"]
    if decisions is not None:
        dpath = workdir / (cf.name + ".decisions.json")
        dpath.write_text(json.dumps({"decisions": decisions}, ensure_ascii=False), encoding="utf-8")
        argv += ["--resolve", str(dpath)]
    stdout, stderr = io.StringIO(), io.StringIO()
    crash = None
    code: int | None = None
    with _database(database_url), contextlib.redirect_stdout(stdout), contextlib.redirect_stderr(stderr):
        try:
            code = main(["import", *argv])
        except SystemExit as exc:  # argparse refusing an argument it does not know
            code = exc.code if isinstance(exc.code, int) else 2
            crash = f"SystemExit({exc.code}): {stderr.getvalue().strip().splitlines()[-1:]}"
        except Exception:  # noqa: BLE001 - a traceback is a finding, not a test error
            crash = traceback.format_exc()
    out: dict[str, Any] = {}
    text = stdout.getvalue().strip()
    if text:
        try:
            out = json.loads(text.splitlines()[-1])
        except json.JSONDecodeError:
            crash = (crash or "") + f"\nstdout is not JSON: {text[:300]}"
    if "rows" in out and isinstance(out["rows"], list):
        return Run(code, out, out["rows"], "json", crash, stderr.getvalue())
    if crash is None and dry_run and decisions is None:
        return Run(code, out, _legacy_rows(cf, workdir, database_url), "legacy", None, stderr.getvalue())
    return Run(code, out, [], "none", crash, stderr.getvalue())


def _legacy_rows(cf: CorpusFile, workdir: Path, database_url: str | None) -> list[dict[str, Any]]:
    """The rows of the importer before `rows` existed in its JSON (for the "before" figure)."""
    try:
        from data_access import importer
        from data_access.db import get_engine

        with _database(database_url):
            engine = get_engine()
            agency_id = None
            if cf.agency:
                found = importer.find_agency(engine, cf.agency)
                if found is None:
                    return []
                agency_id = found[0]
            try:
                plan = importer.plan_import(engine, cf.data, cf.name, agency_id=agency_id, period=cf.period)
            except importer.FileRefused:
                return []
    except Exception:  # noqa: BLE001 - legacy path only
        return []
    rows = []
    for p in plan.rows:
        matched = p.outcome in WRITES
        rows.append({
            "sheet": p.sheet, "row": p.row, "outcome": p.outcome, "task": p.code if matched else None,
            "state": p.state, "progress": p.progress_pct,
            "completed_on": p.completed_on.isoformat() if p.completed_on else None,
            "message": "; ".join(p.messages), "suggestions": [],
        })
    return rows


def _progress_ok(t: Truth, got: Any) -> bool:
    if t.progress is None:
        if got is None:
            return True
        if t.state == DONE:
            return abs(float(got) - 100) <= 0.5
        if t.state == NOT_STARTED:
            return abs(float(got)) <= 0.5
        return False
    if got is None:
        # A figure the row gives but the importer dropped is a loss (counted apart), not a wrong number.
        return True
    return abs(float(got) - t.progress) <= 0.5


def _figure_lost(t: Truth, got: Any) -> bool:
    """The row states a progress figure (other than the 100 of done / 0 of not started) and none was kept."""
    if t.progress is None or got is not None:
        return False
    return not ((t.state == DONE and t.progress == 100) or (t.state == NOT_STARTED and t.progress == 0))


def _top3(got: dict[str, Any]) -> list[str | None]:
    return [s.get("task") for s in (got.get("suggestions") or [])[:3] if isinstance(s, dict)]


def judge_row(t: Truth, got: dict[str, Any] | None, *, resolved: bool = False) -> Verdict:
    """The verdict of one row (`resolved`: after decisions, picked duplicates count as recordable)."""
    outcome = got.get("outcome") if got else None
    writes = outcome in WRITES
    recordable = t.recordable or (resolved and t.duplicate == "pick" and t.state is not None)
    if t.task is None:
        if writes:
            return Verdict(t, got, WRONG_TASK, f"không phải dòng nhiệm vụ nhưng được ghi vào {got.get('task')}")  # type: ignore[union-attr]
        if got and outcome != "skipped":
            return Verdict(t, got, NOISE)
        return Verdict(t, got, HELD)
    if not recordable:
        if writes:
            kind = WRONG_TASK if got.get("task") != t.task else NOT_TO_WRITE  # type: ignore[union-attr]
            return Verdict(t, got, kind, f"không được ghi ({t.note}) nhưng được ghi vào {got.get('task')}")  # type: ignore[union-attr]
        return Verdict(t, got, HELD)
    assert got is not None or not writes
    if writes:
        assert got is not None
        if got.get("task") != t.task:
            return Verdict(t, got, WRONG_TASK, f"ghi vào {got.get('task')}, đúng là {t.task}")
        if got.get("state") != t.state or not _progress_ok(t, got.get("progress")):
            return Verdict(t, got, WRONG_STATE,
                           f"ghi {got.get('state')} {got.get('progress')}, đúng là {t.state} {t.progress}")
        done_on = got.get("completed_on")
        if done_on is not None and (t.state != DONE or t.completed_on is None
                                    or str(done_on)[:10] != t.completed_on):
            return Verdict(t, got, WRONG_DATE, f"ngày hoàn thành {done_on}, đúng là {t.completed_on}")
        return Verdict(t, got, RECORDED, figure_lost=_figure_lost(t, got.get("progress")))
    if outcome in OFFERS and t.task in _top3(got or {}):
        return Verdict(t, got, OFFERED)
    return Verdict(t, got, MISSED, f"{outcome or 'không có dòng'}: {(got or {}).get('message', '')}"[:300])


def judge_file(cf: CorpusFile, run: Run, *, resolved: bool = False) -> FileResult:
    result = FileResult(cf, run)
    by_pos = {(str(r.get("sheet")), int(r.get("row") or 0)): r for r in run.rows}
    known = set()
    for t in cf.truth:
        known.add((t.sheet, t.row))
        result.verdicts.append(judge_row(t, by_pos.get((t.sheet, t.row)), resolved=resolved))
    for pos, got in by_pos.items():
        if pos in known:
            continue
        if got.get("outcome") in WRITES:
            result.verdicts.append(Verdict(None, got, WRONG_TASK, f"dòng {pos} không có trong bảng đúng nhưng được ghi"))
        elif got.get("outcome") != "skipped":
            result.verdicts.append(Verdict(None, got, NOISE))
    return result


def judge_corpus(corpus: list[CorpusFile], workdir: Path, database_url: str | None = None) -> list[FileResult]:
    return [judge_file(cf, run_cli(cf, workdir, database_url=database_url)) for cf in corpus]


# --- the per-habit table ----------------------------------------------------------------------

COLUMNS = ("dòng", "cần ghi", "tự ghi", "gợi ý đúng", "bỏ sót", "sai NV", "sai TT", "sai ngày", "ghi nhầm", "nhiễu",
           "mất tỷ lệ")


_VERDICT_COLUMN = {RECORDED: "tự ghi", OFFERED: "gợi ý đúng", MISSED: "bỏ sót", WRONG_TASK: "sai NV",
                   WRONG_STATE: "sai TT", WRONG_DATE: "sai ngày", NOT_TO_WRITE: "ghi nhầm", NOISE: "nhiễu"}


def habit_counts(results: list[FileResult]) -> dict[str, dict[str, int]]:
    table: dict[str, dict[str, int]] = {h: dict.fromkeys(COLUMNS, 0) for h in [*HABITS, "(ngoài bảng)", "TỔNG"]}
    for fr in results:
        for v in fr.verdicts:
            habits = list(v.truth.habits) if v.truth else ["(ngoài bảng)"]
            for h in [*habits, "TỔNG"]:
                row = table[h]
                row["dòng"] += 1
                if v.truth is not None and v.truth.recordable:
                    row["cần ghi"] += 1
                column = _VERDICT_COLUMN.get(v.verdict)
                if column:
                    row[column] += 1
                row["mất tỷ lệ"] += v.figure_lost
    return {h: c for h, c in table.items() if c["dòng"]}


def format_table(results: list[FileResult]) -> str:
    counts = habit_counts(results)
    width = max(len(HABITS.get(h, h)) for h in counts) + 1
    lines = [f"{'thói quen':<{width}}" + "".join(f"{c:>11}" for c in COLUMNS)]
    for h, c in counts.items():
        lines.append(f"{HABITS.get(h, h):<{width}}" + "".join(f"{c[k]:>11}" for k in COLUMNS))
    total = counts["TỔNG"]
    need = max(total["cần ghi"], 1)
    certain = sum(1 for fr in results for t in fr.file.truth if t.recordable and t.certain)
    lines.append(f"tự ghi {total['tự ghi']}/{total['cần ghi']} = {100 * total['tự ghi'] / need:.1f}% "
                 f"(trần: {certain}/{total['cần ghi']} = {100 * certain / need:.1f}% dòng có bằng chứng chắc chắn)")
    return "\n".join(lines)


def format_files(results: list[FileResult]) -> str:
    lines = []
    for fr in results:
        run = fr.run
        status = f"exit {run.exit_code}, rows: {run.source}"
        if run.crash:
            status += f", LỖI: {run.crash.strip().splitlines()[-1][:160]}"
        refused = [e.get("message") for e in run.out.get("errors", []) if not e.get("row")] if run.exit_code == 2 else []
        if refused:
            status += f", từ chối: {refused[0]}"
        lines.append(f"{fr.file.name}: {status}")
        for v in fr.verdicts:
            if v.verdict in (WRONG_TASK, WRONG_STATE, WRONG_DATE, NOT_TO_WRITE, MISSED):
                where = f"{v.truth.sheet}!{v.truth.row}" if v.truth else f"{(v.got or {}).get('sheet')}!{(v.got or {}).get('row')}"
                lines.append(f"    {v.verdict:<16} {where:<22} {v.truth.task if v.truth else '-'}: {v.detail}")
    return "\n".join(lines)


def decisions_for(fr: FileResult) -> list[dict[str, Any]]:
    """What an officer confirms: suggestions equal to the truth, and the kept row of a duplicate."""
    out: list[dict[str, Any]] = []
    for v in fr.verdicts:
        t = v.truth
        if t is None:
            continue
        if v.verdict == OFFERED or t.duplicate == "pick":
            out.append({"sheet": t.sheet, "row": t.row, "task": t.task})
        elif t.duplicate == "drop":
            out.append({"sheet": t.sheet, "row": t.row, "task": None})
    return out


def temp_workdir() -> tempfile.TemporaryDirectory[str]:
    return tempfile.TemporaryDirectory(prefix="cchc-corpus-")
