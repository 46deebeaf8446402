"""task ↔ indicator links, indicator profiles (numerator/denominator) and agency scorecard weights (issue 18)

Revision ID: 0010
Revises: 0009
Create Date: 2026-11-23 22:30:00
"""

from __future__ import annotations

import sqlalchemy as sa
import sqlmodel.sql.sqltypes  # noqa: F401  (AutoString in generated columns)
from alembic import op

revision = '0010'
down_revision = '0009'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table('taskindicator',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('task_id', sa.Integer(), nullable=False),
    sa.Column('indicator_id', sa.Integer(), nullable=False),
    sa.Column('basis', sqlmodel.sql.sqltypes.AutoString(), nullable=False),
    sa.Column('source', sqlmodel.sql.sqltypes.AutoString(), nullable=False),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.Column('created_by', sqlmodel.sql.sqltypes.AutoString(), nullable=False),
    sa.ForeignKeyConstraint(['indicator_id'], ['indicator.id'], name=op.f('fk_taskindicator_indicator_id_indicator')),
    sa.ForeignKeyConstraint(['task_id'], ['task.id'], name=op.f('fk_taskindicator_task_id_task')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_taskindicator')),
    sa.UniqueConstraint('task_id', 'indicator_id', name=op.f('uq_taskindicator_task_id'))
    )
    with op.batch_alter_table('taskindicator', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_taskindicator_indicator_id'), ['indicator_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_taskindicator_task_id'), ['task_id'], unique=False)
    op.create_table('scorecardweight',
    sa.Column('criterion', sqlmodel.sql.sqltypes.AutoString(), nullable=False),
    sa.Column('weight', sa.Float(), nullable=False),
    sa.Column('updated_at', sa.DateTime(), nullable=False),
    sa.Column('updated_by', sqlmodel.sql.sqltypes.AutoString(), nullable=False),
    sa.PrimaryKeyConstraint('criterion', name=op.f('pk_scorecardweight'))
    )


    op.create_table('indicatorprofile',
    sa.Column('indicator_id', sa.Integer(), nullable=False),
    sa.Column('numerator', sqlmodel.sql.sqltypes.AutoString(), nullable=False),
    sa.Column('denominator', sqlmodel.sql.sqltypes.AutoString(), nullable=False),
    sa.Column('source', sqlmodel.sql.sqltypes.AutoString(), nullable=False),
    sa.ForeignKeyConstraint(['indicator_id'], ['indicator.id'], name=op.f('fk_indicatorprofile_indicator_id_indicator')),
    sa.PrimaryKeyConstraint('indicator_id', name=op.f('pk_indicatorprofile'))
    )


def downgrade() -> None:
    op.drop_table('indicatorprofile')
    op.drop_table('scorecardweight')
    op.drop_table('taskindicator')
