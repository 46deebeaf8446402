"""Alembic environment: the schema is SQLModel.metadata; SQLite uses batch mode for ALTERs."""

from __future__ import annotations

from alembic import context
from sqlalchemy.engine import Connection

from data_access import models

target_metadata = models.metadata


def _run(connection: Connection) -> None:
    context.configure(
        connection=connection,
        target_metadata=target_metadata,
        render_as_batch=connection.dialect.name == "sqlite",
        compare_type=True,
    )
    with context.begin_transaction():
        context.run_migrations()


def run() -> None:
    connection = context.config.attributes.get("connection")
    if connection is not None:
        _run(connection)
        return
    from data_access.db import get_engine

    with get_engine().connect() as conn:
        _run(conn)
        conn.commit()


run()
