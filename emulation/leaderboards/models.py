"""Snapshots of computed standings, and the job-run ledger that makes ticks exactly-once."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import DateTime, Enum, ForeignKey, Index, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from emulation.campaigns.models import Classification, Period
from emulation.db import Base, JSONType, Points, PointsType, utcnow
from emulation.leaderboards.domain import ScopeType
from emulation.org.models import Unit


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

    period: Mapped[Period] = relationship()
    standings: Mapped[list[Standing]] = relationship(
        back_populates="snapshot", cascade="all, delete-orphan", passive_deletes=True
    )


class Standing(Base):
    __tablename__ = "standing"
    __table_args__ = (
        UniqueConstraint("snapshot_id", "scope_type", "scope_key", "unit_id"),
        Index("ix_standing_board", "snapshot_id", "scope_type", "scope_key", "rank"),
        Index("ix_standing_unit", "unit_id", "snapshot_id"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    snapshot_id: Mapped[int] = mapped_column(ForeignKey("snapshot.id", ondelete="CASCADE"))
    unit_id: Mapped[int] = mapped_column(ForeignKey("unit.id"))
    scope_type: Mapped[ScopeType] = mapped_column(Enum(ScopeType, native_enum=False, length=20))
    # 'all' for national; the province code; the cluster code; the unit kind.
    scope_key: Mapped[str] = mapped_column(String(40))
    total: Mapped[Points] = mapped_column(PointsType)
    base: Mapped[Points] = mapped_column(PointsType, default=0)
    bonus: Mapped[Points] = mapped_column(PointsType, default=0)
    penalty: Mapped[Points] = mapped_column(PointsType, default=0)
    # {"1": 1850, "2": 1700, ...}: subtotal per top-level group code.
    group_subtotals: Mapped[dict] = mapped_column(JSONType, default=dict)
    rank: Mapped[int] = mapped_column()
    previous_rank: Mapped[int | None] = mapped_column()
    classification: Mapped[Classification] = mapped_column(
        Enum(Classification, native_enum=False, length=20)
    )
    vetoed: Mapped[bool] = mapped_column(default=False)

    snapshot: Mapped[Snapshot] = relationship(back_populates="standings")
    unit: Mapped[Unit] = relationship()


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
