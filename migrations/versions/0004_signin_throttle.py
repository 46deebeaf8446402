"""sign-in throttle: recent failed sign-ins per client address and account

Revision ID: 0004
Revises: 0003
Create Date: 2026-11-23 19:10:00.000000
"""

from __future__ import annotations

import sqlalchemy as sa
import sqlmodel.sql.sqltypes  # noqa: F401  (AutoString in generated columns)
from alembic import op

revision = '0004'
down_revision = '0003'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table('signin_throttle',
    sa.Column('key', sqlmodel.sql.sqltypes.AutoString(length=200), nullable=False),
    sa.Column('failures', sa.Integer(), nullable=False),
    sa.Column('first_failure_at', sqlmodel.sql.sqltypes.UTCDateTime(), nullable=False),
    sa.Column('last_failure_at', sqlmodel.sql.sqltypes.UTCDateTime(), nullable=False),
    sa.PrimaryKeyConstraint('key', name=op.f('pk_signin_throttle'))
    )
    with op.batch_alter_table('signin_throttle', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_signin_throttle_last_failure_at'), ['last_failure_at'], unique=False)


def downgrade() -> None:
    with op.batch_alter_table('signin_throttle', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_signin_throttle_last_failure_at'))
    op.drop_table('signin_throttle')
