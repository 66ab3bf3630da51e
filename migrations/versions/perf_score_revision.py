"""score_revision: a per-period counter of score changes, read by the inputs hash

Revision ID: perf_1
Revises: datasec_1
Create Date: 2026-11-27 18:00:00

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = 'perf_1'
down_revision = 'datasec_1'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('score_revision',
    sa.Column('period_id', sa.Integer(), nullable=False),
    sa.Column('revision', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['period_id'], ['period.id'], name=op.f('fk_score_revision_period_id_period'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('period_id', name=op.f('pk_score_revision'))
    )


def downgrade():
    op.drop_table('score_revision')
