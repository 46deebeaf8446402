"""notify: agency contact e-mail, log of e-mail notices sent (issue 16)

Revision ID: 0012
Revises: 0011
Create Date: 2026-11-23 22:30:00
"""

from __future__ import annotations

import sqlalchemy as sa
import sqlmodel.sql.sqltypes  # noqa: F401  (AutoString in generated columns)
from alembic import op

revision = '0012'
down_revision = '0011'
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table('agency', schema=None) as batch_op:
        batch_op.add_column(sa.Column('contact_email', sqlmodel.sql.sqltypes.AutoString(), nullable=True))
    op.create_table('noticelog',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('key', sqlmodel.sql.sqltypes.AutoString(), nullable=False),
    sa.Column('kind', sqlmodel.sql.sqltypes.AutoString(), nullable=False),
    sa.Column('period', sqlmodel.sql.sqltypes.AutoString(), nullable=False),
    sa.Column('agency_id', sa.Integer(), nullable=True),
    sa.Column('recipient', sqlmodel.sql.sqltypes.AutoString(), nullable=False),
    sa.Column('subject', sqlmodel.sql.sqltypes.AutoString(), nullable=False),
    sa.Column('sent_at', sa.DateTime(), nullable=False),
    sa.ForeignKeyConstraint(['agency_id'], ['agency.id'], name=op.f('fk_noticelog_agency_id_agency')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_noticelog')),
    sa.UniqueConstraint('key', name=op.f('uq_noticelog_key'))
    )
    with op.batch_alter_table('noticelog', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_noticelog_period'), ['period'], unique=False)


def downgrade() -> None:
    op.drop_table('noticelog')
    # A plain ALTER TABLE ... DROP COLUMN (SQLite >= 3.35 has it): a batch copy of `agency` would have to drop
    # the table, which every foreign key to it forbids while foreign keys are on.
    op.drop_column('agency', 'contact_email')
