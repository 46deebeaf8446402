"""targets that mean what the text says: several targets per indicator and year, citation, alternatives

Revision ID: 0006
Revises: 0005
Create Date: 2026-11-23 19:20:00
"""

from __future__ import annotations

import sqlalchemy as sa
import sqlmodel.sql.sqltypes  # noqa: F401  (AutoString in generated columns)
from alembic import op

revision = '0006'
down_revision = '0005'
branch_labels = None
depends_on = None

_STR = sqlmodel.sql.sqltypes.AutoString


def upgrade() -> None:
    with op.batch_alter_table('target', schema=None) as batch_op:
        # Different plans set different thresholds for one indicator and year.
        batch_op.drop_constraint('uq_target_indicator_id', type_='unique')
        batch_op.add_column(sa.Column('code', _STR(), nullable=False, server_default=''))
        batch_op.add_column(sa.Column('label', _STR(), nullable=False, server_default=''))
        batch_op.add_column(sa.Column('base_year', sa.Integer(), nullable=True))
        batch_op.add_column(sa.Column('alternatives', sa.Text(), nullable=False, server_default=''))
        batch_op.add_column(sa.Column('deadline', sa.Date(), nullable=True))
        batch_op.add_column(sa.Column('seed_file', _STR(), nullable=False, server_default=''))
        batch_op.add_column(sa.Column('seed_line', sa.Integer(), nullable=True))
        batch_op.add_column(sa.Column('seed_line_end', sa.Integer(), nullable=True))
        batch_op.add_column(sa.Column('official_rating', _STR(), nullable=False, server_default=''))
        batch_op.add_column(sa.Column('official_note', _STR(), nullable=False, server_default=''))
        batch_op.add_column(sa.Column('note', _STR(), nullable=False, server_default=''))
        batch_op.create_index(batch_op.f('ix_target_code'), ['code'], unique=False)
    with op.batch_alter_table('indicatorvalue', schema=None) as batch_op:
        batch_op.add_column(sa.Column('is_derived', sa.Boolean(), nullable=False, server_default=sa.false()))


def downgrade() -> None:
    with op.batch_alter_table('indicatorvalue', schema=None) as batch_op:
        batch_op.drop_column('is_derived')
    with op.batch_alter_table('target', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_target_code'))
        for column in ('note', 'official_note', 'official_rating', 'seed_line_end', 'seed_line', 'seed_file',
                       'deadline', 'alternatives', 'base_year', 'label', 'code'):
            batch_op.drop_column(column)
        batch_op.create_unique_constraint('uq_target_indicator_id', ['indicator_id', 'year'])
