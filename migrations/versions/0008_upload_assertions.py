"""upload assertions: every row an applied upload asserted (undo restores the remaining uploads' figures)

Revision ID: 0008
Revises: 0007
Create Date: 2026-11-23 19:00:00

Uploads applied before this revision recorded only the rows they wrote. They are
backfilled from those rows (the status reports and indicator values still tagged with
their upload id): for such an upload, undo treats exactly the rows it wrote as what it
asserted; the rows it found unchanged at the time are not known and not protected.
"""

from __future__ import annotations

import sqlalchemy as sa
import sqlmodel.sql.sqltypes  # noqa: F401  (AutoString in generated columns)
from alembic import op

revision = '0008'
down_revision = '0007'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table('uploadassertion',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('upload_id', sa.Integer(), nullable=False),
    sa.Column('assignment_id', sa.Integer(), nullable=True),
    sa.Column('indicator_id', sa.Integer(), nullable=True),
    sa.Column('period', sqlmodel.sql.sqltypes.AutoString(), nullable=False),
    sa.Column('state', sqlmodel.sql.sqltypes.AutoString(), nullable=True),
    sa.Column('progress_pct', sa.Float(), nullable=True),
    sa.Column('completed_on', sa.Date(), nullable=True),
    sa.Column('output_document', sqlmodel.sql.sqltypes.AutoString(), nullable=True),
    sa.Column('difficulties', sqlmodel.sql.sqltypes.AutoString(), nullable=True),
    sa.Column('value', sa.Float(), nullable=True),
    sa.Column('source', sqlmodel.sql.sqltypes.AutoString(), nullable=True),
    sa.ForeignKeyConstraint(['assignment_id'], ['assignment.id'],
                            name=op.f('fk_uploadassertion_assignment_id_assignment')),
    sa.ForeignKeyConstraint(['indicator_id'], ['indicator.id'], name=op.f('fk_uploadassertion_indicator_id_indicator')),
    sa.ForeignKeyConstraint(['upload_id'], ['upload.id'], name=op.f('fk_uploadassertion_upload_id_upload')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_uploadassertion'))
    )
    with op.batch_alter_table('uploadassertion', schema=None) as batch_op:
        batch_op.create_index('ix_uploadassertion_report', ['assignment_id', 'period'], unique=False)
        batch_op.create_index('ix_uploadassertion_value', ['indicator_id', 'period'], unique=False)
        batch_op.create_index(batch_op.f('ix_uploadassertion_upload_id'), ['upload_id'], unique=False)
    # Backfill: an applied upload asserted at least the rows it wrote (in id order, so the
    # latest write of a key stays the latest assertion).
    op.execute(
        "INSERT INTO uploadassertion (upload_id, assignment_id, period, state, progress_pct, completed_on, "
        "output_document, difficulties) "
        "SELECT r.upload_id, r.assignment_id, r.period, r.state, r.progress_pct, r.completed_on, r.output_document, "
        "r.difficulties FROM statusreport r JOIN upload u ON u.id = r.upload_id WHERE u.undone_at IS NULL "
        "ORDER BY r.id"
    )
    op.execute(
        "INSERT INTO uploadassertion (upload_id, indicator_id, period, value, source) "
        "SELECT v.upload_id, v.indicator_id, v.period, v.value, v.source FROM indicatorvalue v "
        "JOIN upload u ON u.id = v.upload_id WHERE u.undone_at IS NULL ORDER BY v.id"
    )


def downgrade() -> None:
    with op.batch_alter_table('uploadassertion', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_uploadassertion_upload_id'))
        batch_op.drop_index('ix_uploadassertion_value')
        batch_op.drop_index('ix_uploadassertion_report')
    op.drop_table('uploadassertion')
