"""A unit's self-assessment for a period, its scores and its evidence files."""

from __future__ import annotations

import enum
from datetime import datetime

from sqlalchemy import BigInteger, DateTime, Enum, ForeignKey, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from emulation.accounts.models import User
from emulation.campaigns.models import Criterion, Period
from emulation.db import Base, Points, PointsType, TimestampMixin, utcnow
from emulation.org.models import Unit


class AssessmentStatus(enum.StrEnum):
    DRAFT = "draft"
    SUBMITTED = "submitted"
    RETURNED = "returned"  # sent back by the board for explanation
    LOCKED = "locked"  # scoring finished


class SelfAssessment(TimestampMixin, Base):
    __tablename__ = "self_assessment"
    __table_args__ = (UniqueConstraint("period_id", "unit_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    period_id: Mapped[int] = mapped_column(ForeignKey("period.id", ondelete="CASCADE"))
    unit_id: Mapped[int] = mapped_column(ForeignKey("unit.id"), index=True)
    status: Mapped[AssessmentStatus] = mapped_column(
        Enum(AssessmentStatus, native_enum=False, length=20), default=AssessmentStatus.DRAFT
    )
    # The unit's answer to a return for revision, given when it resubmits.
    explanation: Mapped[str] = mapped_column(Text, default="")
    # Why the board chair returned it (shown to the unit head until it is resubmitted).
    return_reason: Mapped[str] = mapped_column(Text, default="")
    returned_at: Mapped[datetime | None] = mapped_column(DateTime)
    returned_by_id: Mapped[int | None] = mapped_column(ForeignKey("user_account.id"))
    submitted_at: Mapped[datetime | None] = mapped_column(DateTime)
    submitted_by_id: Mapped[int | None] = mapped_column(ForeignKey("user_account.id"))
    updated_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow, onupdate=utcnow)
    version: Mapped[int] = mapped_column(default=1)

    period: Mapped[Period] = relationship()
    unit: Mapped[Unit] = relationship()
    submitted_by: Mapped[User | None] = relationship(foreign_keys=[submitted_by_id])
    returned_by: Mapped[User | None] = relationship(foreign_keys=[returned_by_id])
    scores: Mapped[list[SelfScore]] = relationship(
        back_populates="assessment", cascade="all, delete-orphan"
    )
    evidence: Mapped[list[Evidence]] = relationship(
        back_populates="assessment", cascade="all, delete-orphan"
    )

    __mapper_args__ = {"version_id_col": version}


class SelfScore(Base):
    __tablename__ = "self_score"
    __table_args__ = (UniqueConstraint("assessment_id", "criterion_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    assessment_id: Mapped[int] = mapped_column(ForeignKey("self_assessment.id", ondelete="CASCADE"))
    criterion_id: Mapped[int] = mapped_column(ForeignKey("criterion.id", ondelete="CASCADE"))
    # Awarded points (hundredths); `measured` is the raw value (quantitative: value in
    # hundredths; bonus/penalty: item count; pass/fail and veto: 1 or 0; direct: the points
    # entered). `measured` None means no value yet (the justification may be saved alone).
    points: Mapped[Points] = mapped_column(PointsType, default=0)
    measured: Mapped[int | None] = mapped_column()
    note: Mapped[str] = mapped_column(Text, default="")
    updated_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow, onupdate=utcnow)
    updated_by_id: Mapped[int | None] = mapped_column(ForeignKey("user_account.id"))
    # Per-criterion version: two devices editing the same criterion see a conflict.
    version: Mapped[int] = mapped_column(default=1)

    assessment: Mapped[SelfAssessment] = relationship(back_populates="scores")
    criterion: Mapped[Criterion] = relationship()
    updated_by: Mapped[User | None] = relationship()

    __mapper_args__ = {"version_id_col": version}

    @property
    def answered(self) -> bool:
        return self.measured is not None


class Evidence(TimestampMixin, Base):
    """An uploaded file, stored outside static/ under a server-chosen name."""

    __tablename__ = "evidence"

    id: Mapped[int] = mapped_column(primary_key=True)
    assessment_id: Mapped[int] = mapped_column(
        ForeignKey("self_assessment.id", ondelete="CASCADE"), index=True
    )
    criterion_id: Mapped[int | None] = mapped_column(
        ForeignKey("criterion.id", ondelete="SET NULL")
    )
    original_name: Mapped[str] = mapped_column(String(255))
    stored_name: Mapped[str] = mapped_column(String(100), unique=True)
    sha256: Mapped[str] = mapped_column(String(64))
    size: Mapped[int] = mapped_column(BigInteger)
    mime: Mapped[str] = mapped_column(String(100))
    uploaded_by_id: Mapped[int | None] = mapped_column(ForeignKey("user_account.id"))

    assessment: Mapped[SelfAssessment] = relationship(back_populates="evidence")
    criterion: Mapped[Criterion | None] = relationship()
    uploaded_by: Mapped[User | None] = relationship()


class DeadlineExtension(TimestampMixin, Base):
    """An administrator let one unit self-assess until `until` (UTC), with a reason."""

    __tablename__ = "deadline_extension"
    __table_args__ = (UniqueConstraint("period_id", "unit_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    period_id: Mapped[int] = mapped_column(ForeignKey("period.id", ondelete="CASCADE"))
    unit_id: Mapped[int] = mapped_column(ForeignKey("unit.id"), index=True)
    until: Mapped[datetime] = mapped_column(DateTime)
    reason: Mapped[str] = mapped_column(Text)
    granted_by_id: Mapped[int | None] = mapped_column(ForeignKey("user_account.id"))
    version: Mapped[int] = mapped_column(default=1)

    period: Mapped[Period] = relationship()
    unit: Mapped[Unit] = relationship()
    granted_by: Mapped[User | None] = relationship()

    __mapper_args__ = {"version_id_col": version}
