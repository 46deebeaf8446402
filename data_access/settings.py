"""Declared settings, read from the environment. Each is documented in README.md."""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def _int(name: str, default: int) -> int:
    raw = os.environ.get(name)
    if raw is None or raw.strip() == "":
        return default
    try:
        return int(raw)
    except ValueError as exc:
        raise ValueError(f"Biến môi trường {name} phải là số nguyên, nhận được {raw!r}") from exc


@dataclass(frozen=True)
class Settings:
    database_url: str
    due_soon_days: int
    upload_max_mb: int
    upload_max_rows: int
    upload_max_cell_chars: int
    credentials_file: Path
    mode: str  # "demo" or "production"
    return_due_days: int = 15  # a quarter's return is due this many days after the quarter ends


def get_settings() -> Settings:
    """Settings from the environment; defaults suit a single-machine demo."""
    default_db = f"sqlite:///{ROOT / 'data' / 'cchc.db'}"
    return Settings(
        database_url=os.environ.get("DATABASE_URL") or default_db,
        due_soon_days=_int("CCHC_DUE_SOON_DAYS", 30),
        upload_max_mb=_int("CCHC_UPLOAD_MAX_MB", 10),
        upload_max_rows=_int("CCHC_UPLOAD_MAX_ROWS", 20_000),
        upload_max_cell_chars=_int("CCHC_UPLOAD_MAX_CELL_CHARS", 5_000),
        credentials_file=Path(os.environ.get("CCHC_CREDENTIALS_FILE") or ROOT / "data" / "credentials.yaml"),
        mode=(os.environ.get("CCHC_MODE") or "demo").strip().lower(),
        return_due_days=_int("CCHC_RETURN_DUE_DAYS", 15),
    )
