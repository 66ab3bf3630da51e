"""criterion_result: the board's scores aggregated once per (period, unit, criterion);
criterion_result_source: the submitted sheets each unit's rows were built from;
installation: this database's random token (the Redis render cache's key prefix);
standing.unit_id loses its foreign key (a trigger call per inserted standing)

Revision ID: recompute_1
Revises: boards_1
Create Date: 2026-11-27 21:30:00

Derived tables (no foreign keys): the next recompute fills them from the score sheets
(`leaderboards/criterion_results.py`), so the upgrade copies nothing.
"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = 'recompute_1'
down_revision = 'boards_1'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('criterion_result',
    sa.Column('period_id', sa.Integer(), nullable=False),
    sa.Column('unit_id', sa.Integer(), nullable=False),
    sa.Column('criterion_id', sa.Integer(), nullable=False),
    sa.Column('n', sa.Integer(), nullable=False),
    sa.Column('psum', sa.BigInteger(), nullable=False),
    sa.Column('pmin', sa.BigInteger(), nullable=False),
    sa.Column('pmax', sa.BigInteger(), nullable=False),
    sa.Column('pmid', sa.BigInteger(), nullable=False),
    sa.Column('m', sa.Integer(), nullable=False),
    sa.Column('msum', sa.BigInteger(), nullable=True),
    sa.Column('mmin', sa.BigInteger(), nullable=True),
    sa.Column('mmax', sa.BigInteger(), nullable=True),
    sa.Column('mmid', sa.BigInteger(), nullable=False),
    sa.Column('hits', sa.Integer(), nullable=False),
    sa.PrimaryKeyConstraint('period_id', 'unit_id', 'criterion_id', name=op.f('pk_criterion_result'))
    )
    op.create_table('criterion_result_source',
    sa.Column('period_id', sa.Integer(), nullable=False),
    sa.Column('unit_id', sa.Integer(), nullable=False),
    sa.Column('sheets', sa.Integer(), nullable=False),
    sa.Column('version_sum', sa.BigInteger(), nullable=False),
    sa.Column('id_sum', sa.BigInteger(), nullable=False),
    sa.PrimaryKeyConstraint('period_id', 'unit_id', name=op.f('pk_criterion_result_source'))
    )
    op.create_table('installation',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('token', sa.String(length=32), nullable=False),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_installation'))
    )
    with op.batch_alter_table('standing', schema=None) as batch_op:
        batch_op.drop_constraint('fk_standing_unit_id_unit', type_='foreignkey')


def downgrade():
    with op.batch_alter_table('standing', schema=None) as batch_op:
        batch_op.create_foreign_key('fk_standing_unit_id_unit', 'unit', ['unit_id'], ['id'])
    op.drop_table('installation')
    op.drop_table('criterion_result_source')
    op.drop_table('criterion_result')
