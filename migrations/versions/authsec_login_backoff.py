"""sign-in delays replace the account lockout: drop user_account.failed_logins/locked_until

Failures are now counted per name in the shared rate-limit storage (Redis or the
rate_limit_counter table), for unknown names as for known ones.

Revision ID: authsec_1
Revises: 0001
"""

from alembic import op
import sqlalchemy as sa

revision = "authsec_1"
down_revision = "0001"
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table("user_account", schema=None) as batch_op:
        batch_op.drop_column("locked_until")
        batch_op.drop_column("failed_logins")


def downgrade():
    with op.batch_alter_table("user_account", schema=None) as batch_op:
        batch_op.add_column(
            sa.Column("failed_logins", sa.Integer(), nullable=False, server_default="0")
        )
        batch_op.add_column(sa.Column("locked_until", sa.DateTime(), nullable=True))
