"""Benchmark figures as JSON: one object per measure, and the machine they were taken on.

Every benchmark (`benchmarks.pages`, `benchmarks.imports`) accepts `--json FILE` and writes a JSON
array, one object per measure:

    {"name": "Tổng quan", "backend": "SQLite", "size": 50000, "seconds": 0.42, "ratio": 3.1,
     "suite": "pages", "unit": "s", "date": "2026-11-23T22:30:00+00:00", "machine": "...", "load": "..."}

`name`, `backend`, `size`, `seconds` and `ratio` are always present; `ratio` is the measure against
its own baseline (pages: the same page at the smallest size; import: the bare python-calamine read
of the same file) or null when it has none. Peak memory is a measure with `unit` "MB" and its
figure in `value` (`seconds` null). `benchmarks.readme_table` rebuilds the README's table from these files.
"""

from __future__ import annotations

import datetime as dt
import json
import os
import platform
import sqlite3
from pathlib import Path
from typing import Any


def machine() -> str:
    """One line naming the machine: cores, memory, Python, SQLite."""
    try:
        with open("/proc/meminfo", encoding="ascii") as fh:
            kb = int(fh.readline().split()[1])
        mem = f"{kb / 2**20:.0f} GiB"
    except (OSError, ValueError, IndexError):
        mem = "? GiB"
    return (f"{os.cpu_count()} lõi, {mem}, {platform.system()} {platform.machine()}, "
            f"Python {platform.python_version()}, SQLite {sqlite3.sqlite_version}")


def load() -> str:
    """The 1/5/15-minute load averages when the run started (shared machines are noisy)."""
    try:
        one, five, fifteen = os.getloadavg()
    except OSError:
        return "?"
    return f"{one:.2f} {five:.2f} {fifteen:.2f}"


def measure(suite: str, name: str, backend: str, size: int, seconds: float | None, ratio: float | None,
            **extra: Any) -> dict[str, Any]:
    """One measure object (see the module docstring)."""
    return {"name": name, "backend": backend, "size": size,
            "seconds": None if seconds is None else round(seconds, 4),
            "ratio": None if ratio is None else round(ratio, 3), "suite": suite, "unit": "s", **extra}


def write(path: str | Path, measures: list[dict[str, Any]], started: dt.datetime, load_avg: str) -> None:
    """Write `measures` as a JSON array, each stamped with the run's date, machine and load."""
    stamp = {"date": started.isoformat(timespec="seconds"), "machine": machine(), "load": load_avg}
    out = [{**m, **stamp} for m in measures]
    Path(path).parent.mkdir(parents=True, exist_ok=True)
    Path(path).write_text(json.dumps(out, ensure_ascii=False, indent=1) + "\n", encoding="utf-8")


def now() -> dt.datetime:
    """The run's start time, UTC."""
    return dt.datetime.now(dt.UTC)
