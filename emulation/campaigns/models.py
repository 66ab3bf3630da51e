"""Campaigns, evaluation periods and their criteria trees."""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import Date, DateTime, Enum, ForeignKey, Index, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from emulation.campaigns.domain import (  # noqa: F401  (re-exported: the models' vocabulary)
    DEFAULT_TIE_BREAK,
    Classification,
    CriterionKind,
    PeriodKind,
    PeriodStatus,
)
from emulation.db import Base, JSONType, Points, PointsType, TimestampMixin


class Campaign(TimestampMixin, Base):
    __tablename__ = "campaign"

    id: Mapped[int] = mapped_column(primary_key=True)
    slug: Mapped[str] = mapped_column(String(80), unique=True)
    name_vi: Mapped[str] = mapped_column(String(300))
    name_en: Mapped[str] = mapped_column(String(300))
    description_vi: Mapped[str] = mapped_column(Text, default="")
    description_en: Mapped[str] = mapped_column(Text, default="")
    starts_on: Mapped[date] = mapped_column(Date)
    version: Mapped[int] = mapped_column(default=1)

    periods: Mapped[list[Period]] = relationship(
        back_populates="campaign",
        order_by="(Period.starts_on, Period.ends_on)",
        cascade="all, delete-orphan",
    )

    __mapper_args__ = {"version_id_col": version}


class Period(TimestampMixin, Base):
    __tablename__ = "period"
    __table_args__ = (
        UniqueConstraint("campaign_id", "code"),
        Index("ix_period_status", "status"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    campaign_id: Mapped[int] = mapped_column(ForeignKey("campaign.id", ondelete="CASCADE"))
    code: Mapped[str] = mapped_column(String(40))
    name_vi: Mapped[str] = mapped_column(String(200))
    name_en: Mapped[str] = mapped_column(String(200))
    kind: Mapped[PeriodKind] = mapped_column(Enum(PeriodKind, native_enum=False, length=20))
    starts_on: Mapped[date] = mapped_column(Date)
    ends_on: Mapped[date] = mapped_column(Date)
    status: Mapped[PeriodStatus] = mapped_column(
        Enum(PeriodStatus, native_enum=False, length=20), default=PeriodStatus.DRAFT
    )
    self_assessment_opens_at: Mapped[datetime | None] = mapped_column(DateTime)
    self_assessment_closes_at: Mapped[datetime | None] = mapped_column(DateTime)
    scoring_opens_at: Mapped[datetime | None] = mapped_column(DateTime)
    scoring_closes_at: Mapped[datetime | None] = mapped_column(DateTime)
    criteria_frozen_at: Mapped[datetime | None] = mapped_column(DateTime)
    published_at: Mapped[datetime | None] = mapped_column(DateTime)
    published_by_id: Mapped[int | None] = mapped_column(ForeignKey("user_account.id"))
    copied_from_id: Mapped[int | None] = mapped_column(ForeignKey("period.id"))

    # Classification rules (points in hundredths).
    band_excellent: Mapped[Points] = mapped_column(PointsType, default=9000)
    band_good: Mapped[Points] = mapped_column(PointsType, default=7000)
    band_completed: Mapped[Points] = mapped_column(PointsType, default=5000)
    # Share of those rated good or better that may be excellent, in percent; None = no cap.
    excellent_cap_percent: Mapped[int | None] = mapped_column()
    tie_break: Mapped[list] = mapped_column(JSONType, default=lambda: list(DEFAULT_TIE_BREAK))
    version: Mapped[int] = mapped_column(default=1)

    campaign: Mapped[Campaign] = relationship(back_populates="periods")
    criteria: Mapped[list[Criterion]] = relationship(
        back_populates="period",
        order_by="Criterion.position",
        cascade="all, delete-orphan",
        foreign_keys="Criterion.period_id",
    )
    copied_from: Mapped[Period | None] = relationship(remote_side=[id])

    __mapper_args__ = {"version_id_col": version}

    @property
    def criteria_frozen(self) -> bool:
        return self.criteria_frozen_at is not None

    def name(self, locale: str = "vi") -> str:
        return self.name_en if locale == "en" and self.name_en else self.name_vi

    def top_level_criteria(self) -> list[Criterion]:
        return [c for c in self.criteria if c.parent_id is None]

    def __repr__(self) -> str:
        return f"<Period {self.code} {self.status}>"


class Criterion(TimestampMixin, Base):
    """A node of a period's criteria tree: a group, or a criterion of one of the kinds."""

    __tablename__ = "criterion"
    __table_args__ = (UniqueConstraint("period_id", "code"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    period_id: Mapped[int] = mapped_column(ForeignKey("period.id", ondelete="CASCADE"), index=True)
    parent_id: Mapped[int | None] = mapped_column(ForeignKey("criterion.id", ondelete="CASCADE"))
    code: Mapped[str] = mapped_column(String(20))
    position: Mapped[int] = mapped_column(default=0)
    kind: Mapped[CriterionKind] = mapped_column(Enum(CriterionKind, native_enum=False, length=20))
    title_vi: Mapped[str] = mapped_column(String(500))
    title_en: Mapped[str] = mapped_column(String(500), default="")
    guidance_vi: Mapped[str] = mapped_column(Text, default="")
    guidance_en: Mapped[str] = mapped_column(Text, default="")
    max_points: Mapped[Points] = mapped_column(PointsType, default=0)
    min_points: Mapped[Points] = mapped_column(PointsType, default=0)
    # BONUS / PENALTY: points per counted item (positive); the cap is max_points.
    points_per_item: Mapped[Points | None] = mapped_column(PointsType)
    # QUANTITATIVE: target value (hundredths), share of max earned when the target is met
    # (percent), and whether a higher measured value is better.
    target: Mapped[int | None] = mapped_column()
    target_share_percent: Mapped[int | None] = mapped_column()
    higher_is_better: Mapped[bool] = mapped_column(default=True)
    measure_unit: Mapped[str] = mapped_column(String(40), default="")
    evidence_required: Mapped[bool] = mapped_column(default=False)
    # Weight in percent applied to the awarded points (100 = as scored).
    weight_percent: Mapped[int] = mapped_column(default=100)
    version: Mapped[int] = mapped_column(default=1)

    period: Mapped[Period] = relationship(back_populates="criteria", foreign_keys=[period_id])
    parent: Mapped[Criterion | None] = relationship(
        remote_side=[id], back_populates="children", foreign_keys=[parent_id]
    )
    children: Mapped[list[Criterion]] = relationship(
        back_populates="parent", order_by="Criterion.position", foreign_keys=[parent_id]
    )

    __mapper_args__ = {"version_id_col": version}

    @property
    def is_group(self) -> bool:
        return self.kind is CriterionKind.GROUP

    def title(self, locale: str = "vi") -> str:
        return self.title_en if locale == "en" and self.title_en else self.title_vi

    def __repr__(self) -> str:
        return f"<Criterion {self.code} {self.kind}>"
