"""ranking rules: period aggregation, veto decisions, period roster, exact totals

Revision ID: ranking_1
Revises: 0001
Create Date: 2026-11-27 17:50:00

"""

import json

import sqlalchemy as sa
from alembic import op

revision = "ranking_1"
down_revision = "0001"
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table("period", schema=None) as batch_op:
        batch_op.add_column(
            sa.Column(
                "aggregation",
                sa.Enum(
                    "MEAN",
                    "MEDIAN",
                    "TRIMMED_MEAN",
                    name="aggregation",
                    native_enum=False,
                    length=20,
                ),
                server_default="MEAN",
                nullable=False,
            )
        )
    with op.batch_alter_table("snapshot", schema=None) as batch_op:
        batch_op.add_column(
            sa.Column("scale", sa.BigInteger(), server_default="1", nullable=False)
        )
    with op.batch_alter_table("standing", schema=None) as batch_op:
        batch_op.add_column(
            sa.Column("under_review", sa.Boolean(), server_default="0", nullable=False)
        )
        batch_op.add_column(
            sa.Column("exact_total", sa.BigInteger(), server_default="0", nullable=False)
        )
    op.create_table(
        "veto_decision",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("period_id", sa.Integer(), nullable=False),
        sa.Column("unit_id", sa.Integer(), nullable=False),
        sa.Column("criterion_id", sa.Integer(), nullable=False),
        sa.Column("vetoed", sa.Boolean(), nullable=False),
        sa.Column("reason", sa.Text(), nullable=False),
        sa.Column("decided_by_id", sa.Integer(), nullable=True),
        sa.Column("decided_at", sa.DateTime(), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["criterion_id"],
            ["criterion.id"],
            name=op.f("fk_veto_decision_criterion_id_criterion"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["decided_by_id"],
            ["user_account.id"],
            name=op.f("fk_veto_decision_decided_by_id_user_account"),
        ),
        sa.ForeignKeyConstraint(
            ["period_id"],
            ["period.id"],
            name=op.f("fk_veto_decision_period_id_period"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["unit_id"], ["unit.id"], name=op.f("fk_veto_decision_unit_id_unit")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_veto_decision")),
        sa.UniqueConstraint(
            "period_id",
            "unit_id",
            "criterion_id",
            name=op.f("uq_veto_decision_period_id_unit_id_criterion_id"),
        ),
    )
    with op.batch_alter_table("veto_decision", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_veto_decision_unit_id"), ["unit_id"], unique=False)
    op.create_table(
        "roster_entry",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("period_id", sa.Integer(), nullable=False),
        sa.Column("unit_id", sa.Integer(), nullable=False),
        sa.Column("code", sa.String(length=20), nullable=False),
        sa.Column("name", sa.String(length=200), nullable=False),
        sa.Column(
            "kind",
            sa.Enum(
                "MINISTRY",
                "PROVINCE",
                "CITY",
                "DISTRICT",
                "COMMUNE",
                "WARD",
                "TOWNSHIP",
                "SPECIAL_ZONE",
                name="unitkind",
                native_enum=False,
                length=20,
            ),
            nullable=False,
        ),
        sa.Column("province_code", sa.String(length=20), nullable=True),
        sa.Column("cluster_id", sa.Integer(), nullable=True),
        sa.Column("cluster_code", sa.String(length=40), nullable=True),
        sa.Column("recorded_at", sa.DateTime(), nullable=False),
        sa.ForeignKeyConstraint(
            ["cluster_id"], ["cluster.id"], name=op.f("fk_roster_entry_cluster_id_cluster")
        ),
        sa.ForeignKeyConstraint(
            ["period_id"],
            ["period.id"],
            name=op.f("fk_roster_entry_period_id_period"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["unit_id"], ["unit.id"], name=op.f("fk_roster_entry_unit_id_unit")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_roster_entry")),
        sa.UniqueConstraint(
            "period_id", "unit_id", name=op.f("uq_roster_entry_period_id_unit_id")
        ),
    )
    with op.batch_alter_table("roster_entry", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_roster_entry_unit_id"), ["unit_id"], unique=False)
    _drop_unit_code_from_tie_breaks()


def _drop_unit_code_from_tie_breaks():
    """The unit code is no longer a tie-break key: units still equal share the rank."""
    bind = op.get_bind()
    period = sa.table("period", sa.column("id", sa.Integer), sa.column("tie_break", sa.JSON))
    for period_id, chain in bind.execute(sa.select(period.c.id, period.c.tie_break)).all():
        chain = json.loads(chain) if isinstance(chain, str) else list(chain or [])
        kept = [key for key in chain if key != "unit_code"]
        if kept != chain:
            bind.execute(
                period.update().where(period.c.id == period_id).values(tie_break=kept or ["total"])
            )


def downgrade():
    with op.batch_alter_table("roster_entry", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_roster_entry_unit_id"))
    op.drop_table("roster_entry")
    with op.batch_alter_table("veto_decision", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_veto_decision_unit_id"))
    op.drop_table("veto_decision")
    with op.batch_alter_table("standing", schema=None) as batch_op:
        batch_op.drop_column("exact_total")
        batch_op.drop_column("under_review")
    with op.batch_alter_table("snapshot", schema=None) as batch_op:
        batch_op.drop_column("scale")
    with op.batch_alter_table("period", schema=None) as batch_op:
        batch_op.drop_column("aggregation")
