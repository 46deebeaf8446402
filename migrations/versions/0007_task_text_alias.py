"""remembered pairings of a task wording with a task, per reporting agency

Revision ID: 0007
Revises: 0006
Create Date: 2026-11-23 19:00:00
"""

from __future__ import annotations

import sqlalchemy as sa
import sqlmodel.sql.sqltypes  # noqa: F401  (AutoString, UTCDateTime)
from alembic import op

revision = '0007'
down_revision = '0006'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table('task_text_alias',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('agency_id', sa.Integer(), nullable=False),
    sa.Column('task_id', sa.Integer(), nullable=False),
    sa.Column('text', sqlmodel.sql.sqltypes.AutoString(), nullable=False),
    sa.Column('text_key', sqlmodel.sql.sqltypes.AutoString(), nullable=False),
    sa.Column('created_by', sqlmodel.sql.sqltypes.AutoString(), nullable=False),
    sa.Column('created_at', sqlmodel.sql.sqltypes.UTCDateTime(), nullable=False),
    sa.Column('upload_id', sa.Integer(), nullable=True),
    sa.ForeignKeyConstraint(['agency_id'], ['agency.id'], name=op.f('fk_task_text_alias_agency_id_agency')),
    sa.ForeignKeyConstraint(['task_id'], ['task.id'], name=op.f('fk_task_text_alias_task_id_task')),
    sa.ForeignKeyConstraint(['upload_id'], ['upload.id'], name=op.f('fk_task_text_alias_upload_id_upload')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_task_text_alias')),
    sa.UniqueConstraint('agency_id', 'text_key', name=op.f('uq_task_text_alias_agency_id'))
    )
    with op.batch_alter_table('task_text_alias', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_task_text_alias_agency_id'), ['agency_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_task_text_alias_task_id'), ['task_id'], unique=False)


def downgrade() -> None:
    with op.batch_alter_table('task_text_alias', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_task_text_alias_task_id'))
        batch_op.drop_index(batch_op.f('ix_task_text_alias_agency_id'))
    op.drop_table('task_text_alias')
