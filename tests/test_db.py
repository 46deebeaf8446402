import pytest
from sqlalchemy import text
from sqlalchemy.engine import Engine
from sqlalchemy.exc import IntegrityError


def test_sqlite_pragmas(store: Engine) -> None:
    with store.connect() as conn:
        assert conn.execute(text("PRAGMA foreign_keys")).scalar() == 1
        assert conn.execute(text("PRAGMA journal_mode")).scalar() == "wal"
        assert conn.execute(text("PRAGMA busy_timeout")).scalar() >= 5000


def test_foreign_keys_are_enforced(store: Engine) -> None:
    with pytest.raises(IntegrityError), store.begin() as conn:
        conn.execute(text("INSERT INTO assignment (task_id, agency_id, role, name_as_assigned) "
                          "VALUES (999999, 1, 'chu_tri', 'x')"))
