"""Snapshots of computed standings, and the job-run ledger that makes ticks exactly-once."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import (
    DDL,
    BigInteger,
    DateTime,
    Enum,
    ForeignKey,
    Index,
    PrimaryKeyConstraint,
    String,
    UniqueConstraint,
    event,
)
from sqlalchemy.orm import Mapped, mapped_column, relationship

from emulation.campaigns.models import Classification, Period
from emulation.db import Base, JSONType, Points, PointsType, utcnow
from emulation.leaderboards.domain import ScopeType
from emulation.org.models import Unit, UnitKind


class Snapshot(Base):
    """A complete computation of every scope of a period; readers use the latest one."""

    __tablename__ = "snapshot"
    __table_args__ = (Index("ix_snapshot_period_computed", "period_id", "computed_at"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    period_id: Mapped[int] = mapped_column(ForeignKey("period.id", ondelete="CASCADE"))
    computed_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow)
    inputs_hash: Mapped[str] = mapped_column(String(64))
    official: Mapped[bool] = mapped_column(default=False)
    unit_count: Mapped[int] = mapped_column(default=0)
    # Exact totals are integers of 1/scale hundredth (`Standing.exact_total`): the least
    # common multiple of every divisor the period's aggregation used, times 100.
    scale: Mapped[int] = mapped_column(BigInteger, default=1, server_default="1")

    period: Mapped[Period] = relationship()
    standings: Mapped[list[Standing]] = relationship(
        back_populates="snapshot",
        primaryjoin="Snapshot.id == Standing.snapshot_id",
        foreign_keys="Standing.snapshot_id",
        cascade="all, delete-orphan",
        passive_deletes=True,  # the database deletes them (trigger below)
    )


class Standing(Base):
    __tablename__ = "standing"
    __table_args__ = (
        # The natural key is the primary key: no surrogate id, its sequence and a fourth index
        # to fill for each of the 40,204 rows a 10,051-unit recompute writes (0.15 s on
        # PostgreSQL, issue 14).
        PrimaryKeyConstraint("snapshot_id", "scope_type", "scope_key", "unit_id"),
        Index("ix_standing_board", "snapshot_id", "scope_type", "scope_key", "rank"),
        Index("ix_standing_unit", "unit_id", "snapshot_id"),
    )

    # No foreign key to snapshot either: its check was one trigger call per inserted standing
    # (0.18 s of a 10,051-unit recompute on PostgreSQL). Deleting a snapshot (or its period)
    # still deletes its standings: `snapshot_deletes_standings`, one call per snapshot.
    snapshot_id: Mapped[int] = mapped_column()
    # No foreign key to unit: standings are written by one INSERT … SELECT from roster rows
    # and never edited, units are never deleted, and the check cost 0.2–0.35 s of a 10,051-unit
    # recompute on PostgreSQL (one trigger call per row).
    unit_id: Mapped[int] = mapped_column()
    scope_type: Mapped[ScopeType] = mapped_column(Enum(ScopeType, native_enum=False, length=20))
    # 'all' for national; the province code; the cluster code; the unit kind.
    scope_key: Mapped[str] = mapped_column(String(40))
    total: Mapped[Points] = mapped_column(PointsType)
    base: Mapped[Points] = mapped_column(PointsType, default=0)
    bonus: Mapped[Points] = mapped_column(PointsType, default=0)
    penalty: Mapped[Points] = mapped_column(PointsType, default=0)
    # {"1": 1850, "2": 1700, ...}: subtotal per top-level group code.
    group_subtotals: Mapped[dict] = mapped_column(JSONType, default=dict)
    # Competition rank in the scope. A vetoed unit is not ranked: it sorts after every
    # ranked unit (rank = ranked units + 1) and pages show "not ranked (veto)", no number.
    rank: Mapped[int] = mapped_column()
    # Rank in the same scope in the previous period's official result (None if absent).
    previous_rank: Mapped[int | None] = mapped_column()
    classification: Mapped[Classification] = mapped_column(
        Enum(Classification, native_enum=False, length=20)
    )
    vetoed: Mapped[bool] = mapped_column(default=False)
    # A member flagged a veto the chair has not decided yet (provisional results only).
    under_review: Mapped[bool] = mapped_column(default=False, server_default="0")
    # The exact total in 1/snapshot.scale hundredths; `total` is it rounded for display.
    exact_total: Mapped[int] = mapped_column(BigInteger, default=0, server_default="0")

    snapshot: Mapped[Snapshot] = relationship(
        back_populates="standings",
        primaryjoin="Snapshot.id == Standing.snapshot_id",
        foreign_keys=[snapshot_id],
    )
    unit: Mapped[Unit] = relationship(
        primaryjoin="Standing.unit_id == Unit.id", foreign_keys=[unit_id]
    )

    @property
    def ranked(self) -> bool:
        return not self.vetoed

    @property
    def shown_rank(self) -> int | None:
        """The rank to print: None for a vetoed (not ranked) unit."""
        return None if self.vetoed else self.rank


class RosterEntry(Base):
    """Who competes in a period, as they stood when board scoring opened.

    Every recompute and page of the period reads the roster, never today's unit table, so
    retiring a unit or moving it to another cluster does not change published results."""

    __tablename__ = "roster_entry"
    __table_args__ = (UniqueConstraint("period_id", "unit_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    period_id: Mapped[int] = mapped_column(ForeignKey("period.id", ondelete="CASCADE"))
    unit_id: Mapped[int] = mapped_column(ForeignKey("unit.id"), index=True)
    code: Mapped[str] = mapped_column(String(20))
    name: Mapped[str] = mapped_column(String(200))
    kind: Mapped[UnitKind] = mapped_column(Enum(UnitKind, native_enum=False, length=20))
    province_code: Mapped[str | None] = mapped_column(String(20))
    cluster_id: Mapped[int | None] = mapped_column(ForeignKey("cluster.id"))
    cluster_code: Mapped[str | None] = mapped_column(String(40))
    recorded_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow)

    period: Mapped[Period] = relationship()
    unit: Mapped[Unit] = relationship()

    @property
    def peer_key(self) -> str:
        """The group whose best unit leads quantitative criteria: cluster, else province."""
        if self.cluster_code:
            return f"c:{self.cluster_code}"
        return f"p:{self.province_code or ''}"

    @property
    def pools(self) -> tuple[str, ...]:
        """Every group this unit's measured values compete in: its cluster and province."""
        province = f"p:{self.province_code or ''}"
        return (f"c:{self.cluster_code}", province) if self.cluster_code else (province,)


class JobRun(Base):
    """One row per (job, tick): the unique key makes a tick run once across processes."""

    __tablename__ = "job_run"
    __table_args__ = (UniqueConstraint("job", "tick"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    job: Mapped[str] = mapped_column(String(80))
    tick: Mapped[str] = mapped_column(String(40))
    started_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow)
    finished_at: Mapped[datetime | None] = mapped_column(DateTime)
    status: Mapped[str] = mapped_column(String(20), default="running")
    detail: Mapped[str] = mapped_column(String(500), default="")


class ScoreRevision(Base):
    """A counter per period, bumped whenever a score of the period changes (see
    `recompute.note_scores_changed`), so the inputs hash sees every score-row change."""

    __tablename__ = "score_revision"

    period_id: Mapped[int] = mapped_column(
        ForeignKey("period.id", ondelete="CASCADE"), primary_key=True
    )
    revision: Mapped[int] = mapped_column(default=0)


class CriterionResult(Base):
    """The submitted board sheets' scores of one (period, unit, criterion), aggregated once.

    A derived table kept by `criterion_results.py` (never edited by hand): exact integer
    statistics from which every aggregation method's exact value follows (mean: psum / n;
    trimmed mean: without pmax and pmin; median: pmid / 1 or 2), so the recompute reads one
    row per criterion instead of every scorer's row, whatever the period's method."""

    __tablename__ = "criterion_result"

    period_id: Mapped[int] = mapped_column(primary_key=True)
    unit_id: Mapped[int] = mapped_column(primary_key=True)
    criterion_id: Mapped[int] = mapped_column(primary_key=True)
    n: Mapped[int] = mapped_column()  # submitted sheets scoring the criterion
    psum: Mapped[int] = mapped_column(BigInteger)
    pmin: Mapped[int] = mapped_column(BigInteger)
    pmax: Mapped[int] = mapped_column(BigInteger)
    pmid: Mapped[int] = mapped_column(BigInteger)  # the middle value, or the two middle ones
    m: Mapped[int] = mapped_column()  # measured values present
    msum: Mapped[int | None] = mapped_column(BigInteger)
    mmin: Mapped[int | None] = mapped_column(BigInteger)
    mmax: Mapped[int | None] = mapped_column(BigInteger)
    mmid: Mapped[int] = mapped_column(BigInteger)
    hits: Mapped[int] = mapped_column()  # measured values other than 0 (veto flags)


class CriterionResultSource(Base):
    """What a unit's `CriterionResult` rows were built from: its submitted sheets' count,
    version sum and id sum. A unit whose sheets no longer match is rebuilt at the next
    recompute; `note_scores_changed` deletes these rows to force that."""

    __tablename__ = "criterion_result_source"

    period_id: Mapped[int] = mapped_column(primary_key=True)
    unit_id: Mapped[int] = mapped_column(primary_key=True)
    sheets: Mapped[int] = mapped_column()
    version_sum: Mapped[int] = mapped_column(BigInteger)
    id_sum: Mapped[int] = mapped_column(BigInteger)


# Deleting a snapshot deletes its standings, whoever deletes it (the period's cascade
# included): the foreign key's ON DELETE CASCADE without its per-insert check.
SNAPSHOT_CASCADE = {
    "sqlite": [
        "CREATE TRIGGER snapshot_deletes_standings AFTER DELETE ON snapshot FOR EACH ROW "
        "BEGIN DELETE FROM standing WHERE snapshot_id = OLD.id; END"
    ],
    "postgresql": [
        "CREATE OR REPLACE FUNCTION snapshot_deletes_standings() RETURNS trigger "
        "LANGUAGE plpgsql AS $$ BEGIN DELETE FROM standing WHERE snapshot_id = OLD.id; "
        "RETURN OLD; END $$",
        "CREATE TRIGGER snapshot_deletes_standings AFTER DELETE ON snapshot FOR EACH ROW "
        "EXECUTE FUNCTION snapshot_deletes_standings()",
    ],
}
for _dialect, _statements in SNAPSHOT_CASCADE.items():
    for _statement in _statements:
        event.listen(
            Snapshot.__table__, "after_create", DDL(_statement).execute_if(dialect=_dialect)
        )
