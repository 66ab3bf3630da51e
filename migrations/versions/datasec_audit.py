"""audit head (anchors the chain so a truncation is found), audit checks, and on PostgreSQL
a trigger that refuses UPDATE, DELETE and TRUNCATE of the audit log

Revision ID: datasec_1
Revises: 0001
Create Date: 2026-11-27 17:58:24.917700

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = 'datasec_1'
down_revision = 'authsec_1'
branch_labels = None
depends_on = None

GENESIS = "0" * 64

# The application never changes or removes an audit row; on PostgreSQL the database refuses
# it too (docs/DEPLOYMENT.md, "Audit log protection"). The head row may only be updated.
PG_PROTECT = """
CREATE OR REPLACE FUNCTION audit_refuse_change() RETURNS trigger AS $$
BEGIN
    RAISE EXCEPTION 'the audit log is append-only: % on % refused', TG_OP, TG_TABLE_NAME
        USING ERRCODE = 'insufficient_privilege';
END;
$$ LANGUAGE plpgsql;
CREATE TRIGGER audit_event_append_only BEFORE UPDATE OR DELETE ON audit_event
    FOR EACH ROW EXECUTE FUNCTION audit_refuse_change();
CREATE TRIGGER audit_event_no_truncate BEFORE TRUNCATE ON audit_event
    FOR EACH STATEMENT EXECUTE FUNCTION audit_refuse_change();
CREATE TRIGGER audit_head_keep BEFORE DELETE ON audit_head
    FOR EACH ROW EXECUTE FUNCTION audit_refuse_change();
CREATE TRIGGER audit_head_no_truncate BEFORE TRUNCATE ON audit_head
    FOR EACH STATEMENT EXECUTE FUNCTION audit_refuse_change();
"""
PG_UNPROTECT = """
DROP TRIGGER IF EXISTS audit_event_append_only ON audit_event;
DROP TRIGGER IF EXISTS audit_event_no_truncate ON audit_event;
DROP TRIGGER IF EXISTS audit_head_keep ON audit_head;
DROP TRIGGER IF EXISTS audit_head_no_truncate ON audit_head;
DROP FUNCTION IF EXISTS audit_refuse_change();
"""


def upgrade():
    op.create_table('audit_check',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('at', sa.DateTime(), nullable=False),
    sa.Column('checked', sa.Integer(), nullable=False),
    sa.Column('last_id', sa.Integer(), nullable=False),
    sa.Column('last_at', sa.DateTime(), nullable=True),
    sa.Column('ok', sa.Boolean(), nullable=False),
    sa.Column('problem', sa.String(length=20), nullable=False),
    sa.Column('broken_at', sa.Integer(), nullable=True),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_audit_check'))
    )
    op.create_table('audit_head',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('count', sa.Integer(), nullable=False),
    sa.Column('last_id', sa.Integer(), nullable=False),
    sa.Column('hash', sa.String(length=64), nullable=False),
    sa.Column('at', sa.DateTime(), nullable=True),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_audit_head'))
    )
    # Anchor the chain that is already there.
    op.execute(
        sa.text(
            "INSERT INTO audit_head (id, count, last_id, hash, at) "
            "SELECT 1, COUNT(*), COALESCE(MAX(id), 0), COALESCE((SELECT hash FROM audit_event "
            "ORDER BY id DESC LIMIT 1), :genesis), MAX(at) FROM audit_event"
        ).bindparams(genesis=GENESIS)
    )
    if op.get_bind().dialect.name == "postgresql":
        op.execute(PG_PROTECT)


def downgrade():
    if op.get_bind().dialect.name == "postgresql":
        op.execute(PG_UNPROTECT)
    op.drop_table('audit_head')
    op.drop_table('audit_check')
