"""The command line, run as a real subprocess the way an administrator would."""

import json
import os
import subprocess
import sys
from pathlib import Path

from tests.conftest import ROOT

STATS_KEYS = {"plans", "tasks", "assignments", "agencies", "indicators", "indicator_values", "targets",
              "status_reports", "uploads"}


def _run(*args: str, db: Path) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "DATABASE_URL": f"sqlite:///{db}"}
    return subprocess.run([sys.executable, "-m", "data_access", *args], cwd=ROOT, env=env, capture_output=True,
                          text=True, timeout=120)


def test_load_sample_then_stats(tmp_path: Path) -> None:
    db = tmp_path / "cli.db"
    assert _run("init-db", db=db).returncode == 0
    empty = json.loads(_run("stats", "--json", db=db).stdout)
    assert set(empty) >= STATS_KEYS and empty["tasks"] == 0
    loaded = _run("load-sample", db=db)
    assert loaded.returncode == 0, loaded.stderr
    stats = json.loads(_run("stats", "--json", db=db).stdout)
    assert set(stats) >= STATS_KEYS
    assert stats["tasks"] >= 205 and stats["plans"] >= 3
    again = _run("load-sample", db=db)
    assert again.returncode != 0
    assert "--reset" in again.stderr and "Traceback" not in again.stderr
    assert json.loads(_run("stats", "--json", db=db).stdout) == stats  # nothing changed
    assert _run("load-sample", "--reset", db=db).returncode == 0


def test_bad_usage_is_reported_without_traceback(tmp_path: Path) -> None:
    result = _run("no-such-command", db=tmp_path / "x.db")
    assert result.returncode != 0
    assert "Traceback" not in result.stderr
