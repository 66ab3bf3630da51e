"""standing.snapshot_id loses its foreign key (one trigger call per inserted standing);
a trigger on snapshot deletes a deleted snapshot's standings instead (the same cascade)

Revision ID: recompute_2
Revises: recompute_1
Create Date: 2026-11-27 23:15:00
"""
from alembic import op

# revision identifiers, used by Alembic.
revision = 'recompute_2'
down_revision = 'recompute_1'
branch_labels = None
depends_on = None

# As `emulation.leaderboards.models.SNAPSHOT_CASCADE` (which builds it for create_all).
CREATE = {
    "sqlite": [
        "CREATE TRIGGER snapshot_deletes_standings AFTER DELETE ON snapshot FOR EACH ROW "
        "BEGIN DELETE FROM standing WHERE snapshot_id = OLD.id; END"
    ],
    "postgresql": [
        "CREATE OR REPLACE FUNCTION snapshot_deletes_standings() RETURNS trigger LANGUAGE plpgsql "
        "AS $$ BEGIN DELETE FROM standing WHERE snapshot_id = OLD.id; RETURN OLD; END $$",
        "CREATE TRIGGER snapshot_deletes_standings AFTER DELETE ON snapshot FOR EACH ROW "
        "EXECUTE FUNCTION snapshot_deletes_standings()",
    ],
}
DROP = {
    "sqlite": ["DROP TRIGGER IF EXISTS snapshot_deletes_standings"],
    "postgresql": [
        "DROP TRIGGER IF EXISTS snapshot_deletes_standings ON snapshot",
        "DROP FUNCTION IF EXISTS snapshot_deletes_standings()",
    ],
}


def upgrade():
    with op.batch_alter_table('standing', schema=None) as batch_op:
        batch_op.drop_constraint('fk_standing_snapshot_id_snapshot', type_='foreignkey')
    for statement in CREATE[op.get_bind().dialect.name]:
        op.execute(statement)


def downgrade():
    for statement in DROP[op.get_bind().dialect.name]:
        op.execute(statement)
    with op.batch_alter_table('standing', schema=None) as batch_op:
        batch_op.create_foreign_key(
            'fk_standing_snapshot_id_snapshot', 'snapshot', ['snapshot_id'], ['id'],
            ondelete='CASCADE',
        )
