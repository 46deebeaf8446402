"""return cycle: approval of quarterly returns, period lock, reopenings (issue 16)

Revision ID: 0009
Revises: 0008
Create Date: 2026-11-23 20:30:00
"""

from __future__ import annotations

import sqlalchemy as sa
import sqlmodel.sql.sqltypes  # noqa: F401  (AutoString in generated columns)
from alembic import op

revision = '0009'
down_revision = '0008'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table('returnapproval',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('agency_id', sa.Integer(), nullable=False),
    sa.Column('period', sqlmodel.sql.sqltypes.AutoString(), nullable=False),
    sa.Column('approved_at', sa.DateTime(), nullable=False),
    sa.Column('approved_by', sqlmodel.sql.sqltypes.AutoString(), nullable=False),
    sa.ForeignKeyConstraint(['agency_id'], ['agency.id'], name=op.f('fk_returnapproval_agency_id_agency')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_returnapproval')),
    sa.UniqueConstraint('agency_id', 'period', name=op.f('uq_returnapproval_agency_id'))
    )
    with op.batch_alter_table('returnapproval', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_returnapproval_agency_id'), ['agency_id'], unique=False)
    op.create_table('periodlock',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('period', sqlmodel.sql.sqltypes.AutoString(), nullable=False),
    sa.Column('locked_at', sa.DateTime(), nullable=False),
    sa.Column('locked_by', sqlmodel.sql.sqltypes.AutoString(), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_periodlock')),
    sa.UniqueConstraint('period', name=op.f('uq_periodlock_period'))
    )
    op.create_table('periodreopen',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('agency_id', sa.Integer(), nullable=False),
    sa.Column('period', sqlmodel.sql.sqltypes.AutoString(), nullable=False),
    sa.Column('reopened_at', sa.DateTime(), nullable=False),
    sa.Column('reopened_by', sqlmodel.sql.sqltypes.AutoString(), nullable=False),
    sa.Column('reason', sqlmodel.sql.sqltypes.AutoString(), nullable=False),
    sa.ForeignKeyConstraint(['agency_id'], ['agency.id'], name=op.f('fk_periodreopen_agency_id_agency')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_periodreopen'))
    )
    with op.batch_alter_table('periodreopen', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_periodreopen_agency_id'), ['agency_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_periodreopen_period'), ['period'], unique=False)


def downgrade() -> None:
    op.drop_table('periodreopen')
    op.drop_table('periodlock')
    op.drop_table('returnapproval')
