"""standing: its natural key (snapshot, scope type, scope key, unit) becomes the primary key;
the surrogate id, its sequence and the unique constraint on the same columns go (one index
fewer to fill for every standing a recompute writes)

Revision ID: recompute_3
Revises: recompute_2
Create Date: 2026-11-28 00:45:00
"""
import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision = 'recompute_3'
down_revision = 'recompute_2'
branch_labels = None
depends_on = None

KEY = ['snapshot_id', 'scope_type', 'scope_key', 'unit_id']
UNIQUE = 'uq_standing_snapshot_id_scope_type_scope_key_unit_id'
# SQLite rebuilds the table, and refuses while snapshot's trigger (recompute_2) names it.
SQLITE_TRIGGER = (
    "CREATE TRIGGER snapshot_deletes_standings AFTER DELETE ON snapshot FOR EACH ROW "
    "BEGIN DELETE FROM standing WHERE snapshot_id = OLD.id; END"
)


def _rebuild(change) -> None:
    sqlite = op.get_bind().dialect.name == 'sqlite'
    if sqlite:
        op.execute('DROP TRIGGER IF EXISTS snapshot_deletes_standings')
    change()
    if sqlite:
        op.execute(SQLITE_TRIGGER)


def upgrade():
    def change():
        with op.batch_alter_table('standing', schema=None) as batch_op:
            batch_op.drop_constraint('pk_standing', type_='primary')
            batch_op.drop_constraint(UNIQUE, type_='unique')
            batch_op.drop_column('id')
            batch_op.create_primary_key('pk_standing', KEY)

    _rebuild(change)


def downgrade():
    def change():
        with op.batch_alter_table('standing', schema=None) as batch_op:
            batch_op.drop_constraint('pk_standing', type_='primary')
            batch_op.create_unique_constraint(UNIQUE, KEY)
        if op.get_bind().dialect.name == 'postgresql':
            op.execute('ALTER TABLE standing ADD COLUMN id SERIAL')
            op.execute('ALTER TABLE standing ADD CONSTRAINT pk_standing PRIMARY KEY (id)')
            return
        # SQLite: a table rebuilt with an integer primary key numbers its rows itself.
        with op.batch_alter_table('standing', schema=None, recreate='always') as batch_op:
            batch_op.add_column(sa.Column('id', sa.Integer(), nullable=False))
            batch_op.create_primary_key('pk_standing', ['id'])

    _rebuild(change)
