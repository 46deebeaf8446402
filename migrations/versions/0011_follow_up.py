"""follow-up loop: explanation requests, notes on a number, meeting conclusions (issue 17)

Revision ID: 0011
Revises: 0010
Create Date: 2026-11-23 22:40:00
"""

from __future__ import annotations

import sqlalchemy as sa
import sqlmodel.sql.sqltypes  # noqa: F401  (AutoString in generated columns)
from alembic import op

revision = '0011'
down_revision = '0010'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table('explanation_request',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('subject_kind', sqlmodel.sql.sqltypes.AutoString(), nullable=False),
    sa.Column('subject_code', sqlmodel.sql.sqltypes.AutoString(), nullable=False),
    sa.Column('subject_text', sqlmodel.sql.sqltypes.AutoString(), nullable=False),
    sa.Column('agency_id', sa.Integer(), nullable=False),
    sa.Column('reason', sa.Text(), nullable=False),
    sa.Column('due_date', sa.Date(), nullable=False),
    sa.Column('requested_at', sqlmodel.sql.sqltypes.UTCDateTime(), nullable=False),
    sa.Column('requested_by', sqlmodel.sql.sqltypes.AutoString(), nullable=False),
    sa.Column('meeting', sqlmodel.sql.sqltypes.AutoString(), nullable=False),
    sa.Column('answer', sa.Text(), nullable=True),
    sa.Column('answer_document', sqlmodel.sql.sqltypes.AutoString(), nullable=False),
    sa.Column('answered_on', sa.Date(), nullable=True),
    sa.Column('answered_at', sqlmodel.sql.sqltypes.UTCDateTime(), nullable=True),
    sa.Column('answered_by', sqlmodel.sql.sqltypes.AutoString(), nullable=True),
    sa.Column('closed_at', sqlmodel.sql.sqltypes.UTCDateTime(), nullable=True),
    sa.Column('closed_by', sqlmodel.sql.sqltypes.AutoString(), nullable=True),
    sa.Column('close_note', sqlmodel.sql.sqltypes.AutoString(), nullable=False),
    sa.Column('notified_at', sqlmodel.sql.sqltypes.UTCDateTime(), nullable=True),
    sa.Column('reminded_at', sqlmodel.sql.sqltypes.UTCDateTime(), nullable=True),
    sa.ForeignKeyConstraint(['agency_id'], ['agency.id'], name=op.f('fk_explanation_request_agency_id_agency')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_explanation_request'))
    )
    with op.batch_alter_table('explanation_request', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_explanation_request_agency_id'), ['agency_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_explanation_request_subject_code'), ['subject_code'], unique=False)
        batch_op.create_index(batch_op.f('ix_explanation_request_subject_kind'), ['subject_kind'], unique=False)
    op.create_table('number_note',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('subject_kind', sqlmodel.sql.sqltypes.AutoString(), nullable=False),
    sa.Column('subject_code', sqlmodel.sql.sqltypes.AutoString(), nullable=False),
    sa.Column('period', sqlmodel.sql.sqltypes.AutoString(), nullable=False),
    sa.Column('text', sa.Text(), nullable=False),
    sa.Column('author', sqlmodel.sql.sqltypes.AutoString(), nullable=False),
    sa.Column('created_at', sqlmodel.sql.sqltypes.UTCDateTime(), nullable=False),
    sa.Column('updated_at', sqlmodel.sql.sqltypes.UTCDateTime(), nullable=True),
    sa.Column('updated_by', sqlmodel.sql.sqltypes.AutoString(), nullable=True),
    sa.Column('deleted_at', sqlmodel.sql.sqltypes.UTCDateTime(), nullable=True),
    sa.Column('deleted_by', sqlmodel.sql.sqltypes.AutoString(), nullable=True),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_number_note'))
    )
    with op.batch_alter_table('number_note', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_number_note_subject_code'), ['subject_code'], unique=False)
        batch_op.create_index(batch_op.f('ix_number_note_subject_kind'), ['subject_kind'], unique=False)
    op.create_table('meeting_conclusion',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('snapshot_id', sa.Integer(), nullable=False),
    sa.Column('subject_kind', sqlmodel.sql.sqltypes.AutoString(), nullable=False),
    sa.Column('subject_code', sqlmodel.sql.sqltypes.AutoString(), nullable=False),
    sa.Column('subject_text', sqlmodel.sql.sqltypes.AutoString(), nullable=False),
    sa.Column('text', sa.Text(), nullable=False),
    sa.Column('created_at', sqlmodel.sql.sqltypes.UTCDateTime(), nullable=False),
    sa.Column('created_by', sqlmodel.sql.sqltypes.AutoString(), nullable=False),
    sa.Column('task_id', sa.Integer(), nullable=True),
    sa.ForeignKeyConstraint(['snapshot_id'], ['snapshot.id'], name=op.f('fk_meeting_conclusion_snapshot_id_snapshot')),
    sa.ForeignKeyConstraint(['task_id'], ['task.id'], name=op.f('fk_meeting_conclusion_task_id_task')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_meeting_conclusion'))
    )
    with op.batch_alter_table('meeting_conclusion', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_meeting_conclusion_snapshot_id'), ['snapshot_id'], unique=False)


def downgrade() -> None:
    op.drop_table('meeting_conclusion')
    op.drop_table('number_note')
    op.drop_table('explanation_request')
