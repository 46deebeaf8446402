"""plan kinds and the goal scorecard

Plans say what they are (provincial plan, an agency's internal plan, directions for a
period), and the five-year report's 23-goal scorecard (Phụ lục 9) gets its own table.

Revision ID: 0005
Revises: 0004
Create Date: 2026-11-23 19:10:00
"""

from __future__ import annotations

import sqlalchemy as sa
import sqlmodel.sql.sqltypes  # noqa: F401  (AutoString in generated columns)
from alembic import op

revision = '0005'
down_revision = '0004'
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table('plan', schema=None) as batch_op:
        batch_op.add_column(sa.Column('kind', sqlmodel.sql.sqltypes.AutoString(), server_default='tinh',
                                      nullable=False))
        batch_op.add_column(sa.Column('year_from', sa.Integer(), nullable=True))
    # Plans of an existing store keep counting as before except the two whose nature the seeds state.
    op.execute("UPDATE plan SET kind = 'noi_bo' WHERE code = 'SNV26'")
    op.execute("UPDATE plan SET kind = 'dinh_huong', year_from = 2026 WHERE code = 'DH30'")
    op.create_table('goalscorecard',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('scorecard', sqlmodel.sql.sqltypes.AutoString(), nullable=False),
    sa.Column('goal_no', sa.Integer(), nullable=False),
    sa.Column('field_code', sqlmodel.sql.sqltypes.AutoString(), nullable=True),
    sa.Column('goal', sa.Text(), nullable=False),
    sa.Column('result', sa.Text(), nullable=False),
    sa.Column('result_value', sa.Float(), nullable=True),
    sa.Column('result_unit', sqlmodel.sql.sqltypes.AutoString(), nullable=True),
    sa.Column('rating', sqlmodel.sql.sqltypes.AutoString(), nullable=False),
    sa.Column('footnote', sqlmodel.sql.sqltypes.AutoString(), nullable=True),
    sa.Column('source', sqlmodel.sql.sqltypes.AutoString(), nullable=False),
    sa.ForeignKeyConstraint(['field_code'], ['field.code'], name=op.f('fk_goalscorecard_field_code_field')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_goalscorecard')),
    sa.UniqueConstraint('scorecard', 'goal_no', name=op.f('uq_goalscorecard_scorecard'))
    )


def downgrade() -> None:
    op.drop_table('goalscorecard')
    with op.batch_alter_table('plan', schema=None) as batch_op:
        batch_op.drop_column('year_from')
        batch_op.drop_column('kind')
