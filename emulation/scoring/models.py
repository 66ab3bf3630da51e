"""Evaluation boards, their members' assignments, and the score sheets they fill in."""

from __future__ import annotations

import enum
from datetime import datetime

from sqlalchemy import DateTime, Enum, ForeignKey, Index, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from emulation.accounts.models import User
from emulation.campaigns.models import Criterion, Period
from emulation.db import Base, Points, PointsType, TimestampMixin, utcnow
from emulation.org.models import Cluster, Unit


class AssignmentMode(enum.StrEnum):
    ALL = "all"  # every member scores every unit in scope
    BALANCED = "balanced"  # each unit gets N scorers, spread evenly


class SheetStatus(enum.StrEnum):
    DRAFT = "draft"
    SUBMITTED = "submitted"


class Board(TimestampMixin, Base):
    """Hội đồng thẩm định: scores the units of a subtree or a cluster in one period."""

    __tablename__ = "board"

    id: Mapped[int] = mapped_column(primary_key=True)
    period_id: Mapped[int] = mapped_column(ForeignKey("period.id", ondelete="CASCADE"), index=True)
    name: Mapped[str] = mapped_column(String(200))
    scope_unit_id: Mapped[int | None] = mapped_column(ForeignKey("unit.id"))
    cluster_id: Mapped[int | None] = mapped_column(ForeignKey("cluster.id"))
    assignment_mode: Mapped[AssignmentMode] = mapped_column(
        Enum(AssignmentMode, native_enum=False, length=20), default=AssignmentMode.ALL
    )
    scorers_per_unit: Mapped[int | None] = mapped_column()
    # Set when the chair finalises the board: its sheets are then closed for good.
    finalised_at: Mapped[datetime | None] = mapped_column(DateTime)
    finalised_by_id: Mapped[int | None] = mapped_column(ForeignKey("user_account.id"))

    period: Mapped[Period] = relationship()
    scope_unit: Mapped[Unit | None] = relationship()
    cluster: Mapped[Cluster | None] = relationship()
    members: Mapped[list[BoardMember]] = relationship(
        back_populates="board", cascade="all, delete-orphan"
    )

    @property
    def chair(self) -> BoardMember | None:
        return next((m for m in self.members if m.is_chair), None)


class BoardMember(TimestampMixin, Base):
    __tablename__ = "board_member"
    __table_args__ = (UniqueConstraint("board_id", "user_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    board_id: Mapped[int] = mapped_column(ForeignKey("board.id", ondelete="CASCADE"))
    user_id: Mapped[int] = mapped_column(ForeignKey("user_account.id"), index=True)
    is_chair: Mapped[bool] = mapped_column(default=False)

    board: Mapped[Board] = relationship(back_populates="members")
    user: Mapped[User] = relationship()
    assignments: Mapped[list[Assignment]] = relationship(
        back_populates="member", cascade="all, delete-orphan"
    )


class Assignment(TimestampMixin, Base):
    """Member `member` scores `unit`. A conflict of interest needs a recorded override."""

    __tablename__ = "assignment"
    __table_args__ = (UniqueConstraint("member_id", "unit_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    member_id: Mapped[int] = mapped_column(ForeignKey("board_member.id", ondelete="CASCADE"))
    unit_id: Mapped[int] = mapped_column(ForeignKey("unit.id"), index=True)
    conflict_override_reason: Mapped[str | None] = mapped_column(Text)
    overridden_by_id: Mapped[int | None] = mapped_column(ForeignKey("user_account.id"))

    member: Mapped[BoardMember] = relationship(back_populates="assignments")
    unit: Mapped[Unit] = relationship()
    overridden_by: Mapped[User | None] = relationship()


class ScoreSheet(TimestampMixin, Base):
    """One board member's scores for one unit in one period."""

    __tablename__ = "score_sheet"
    __table_args__ = (
        UniqueConstraint("period_id", "unit_id", "scorer_id"),
        Index("ix_score_sheet_period_status", "period_id", "status"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    period_id: Mapped[int] = mapped_column(ForeignKey("period.id", ondelete="CASCADE"))
    unit_id: Mapped[int] = mapped_column(ForeignKey("unit.id"), index=True)
    scorer_id: Mapped[int] = mapped_column(ForeignKey("user_account.id"), index=True)
    assignment_id: Mapped[int | None] = mapped_column(
        ForeignKey("assignment.id", ondelete="SET NULL")
    )
    status: Mapped[SheetStatus] = mapped_column(
        Enum(SheetStatus, native_enum=False, length=20), default=SheetStatus.DRAFT
    )
    submitted_at: Mapped[datetime | None] = mapped_column(DateTime)
    updated_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow, onupdate=utcnow)
    version: Mapped[int] = mapped_column(default=1)

    period: Mapped[Period] = relationship()
    unit: Mapped[Unit] = relationship()
    scorer: Mapped[User] = relationship()
    assignment: Mapped[Assignment | None] = relationship()
    scores: Mapped[list[BoardScore]] = relationship(
        back_populates="sheet", cascade="all, delete-orphan"
    )

    __mapper_args__ = {"version_id_col": version}


class BoardScore(Base):
    __tablename__ = "board_score"
    __table_args__ = (UniqueConstraint("sheet_id", "criterion_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    sheet_id: Mapped[int] = mapped_column(ForeignKey("score_sheet.id", ondelete="CASCADE"))
    criterion_id: Mapped[int] = mapped_column(ForeignKey("criterion.id", ondelete="CASCADE"))
    points: Mapped[Points] = mapped_column(PointsType, default=0)
    measured: Mapped[int | None] = mapped_column()
    comment: Mapped[str] = mapped_column(Text, default="")

    sheet: Mapped[ScoreSheet] = relationship(back_populates="scores")
    criterion: Mapped[Criterion] = relationship()


class ExplanationStatus(enum.StrEnum):
    OPEN = "open"  # the unit head may answer until the deadline
    ANSWERED = "answered"  # the unit head sent the answers
    CLOSED = "closed"  # the board finalised or the deadline passed


class Explanation(TimestampMixin, Base):
    """Giải trình: the board sends its provisional result to a unit, whose head answers."""

    __tablename__ = "explanation"
    __table_args__ = (UniqueConstraint("board_id", "unit_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    board_id: Mapped[int] = mapped_column(ForeignKey("board.id", ondelete="CASCADE"), index=True)
    unit_id: Mapped[int] = mapped_column(ForeignKey("unit.id"), index=True)
    status: Mapped[ExplanationStatus] = mapped_column(
        Enum(ExplanationStatus, native_enum=False, length=20), default=ExplanationStatus.OPEN
    )
    message: Mapped[str] = mapped_column(Text, default="")
    deadline: Mapped[datetime] = mapped_column(DateTime)
    requested_by_id: Mapped[int | None] = mapped_column(ForeignKey("user_account.id"))
    answered_at: Mapped[datetime | None] = mapped_column(DateTime)
    answered_by_id: Mapped[int | None] = mapped_column(ForeignKey("user_account.id"))
    version: Mapped[int] = mapped_column(default=1)

    board: Mapped[Board] = relationship()
    unit: Mapped[Unit] = relationship()
    requested_by: Mapped[User | None] = relationship(foreign_keys=[requested_by_id])
    answered_by: Mapped[User | None] = relationship(foreign_keys=[answered_by_id])
    answers: Mapped[list[ExplanationAnswer]] = relationship(
        back_populates="explanation", cascade="all, delete-orphan"
    )

    __mapper_args__ = {"version_id_col": version}


class ExplanationAnswer(Base):
    """The unit head's answer on one criterion."""

    __tablename__ = "explanation_answer"
    __table_args__ = (UniqueConstraint("explanation_id", "criterion_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    explanation_id: Mapped[int] = mapped_column(ForeignKey("explanation.id", ondelete="CASCADE"))
    criterion_id: Mapped[int] = mapped_column(ForeignKey("criterion.id", ondelete="CASCADE"))
    text: Mapped[str] = mapped_column(Text, default="")

    explanation: Mapped[Explanation] = relationship(back_populates="answers")
    criterion: Mapped[Criterion] = relationship()


class VetoDecision(Base):
    """The chair's recorded decision on a veto flagged (or raised) for a unit.

    Members flag a veto through their sheets (a VETO criterion's BoardScore with measured
    = 1); only a decision with `vetoed` true takes the unit out of the ranking. A flag
    without a decision is "under review" in provisional results."""

    __tablename__ = "veto_decision"
    __table_args__ = (UniqueConstraint("period_id", "unit_id", "criterion_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    period_id: Mapped[int] = mapped_column(ForeignKey("period.id", ondelete="CASCADE"))
    unit_id: Mapped[int] = mapped_column(ForeignKey("unit.id"), index=True)
    criterion_id: Mapped[int] = mapped_column(ForeignKey("criterion.id", ondelete="CASCADE"))
    vetoed: Mapped[bool] = mapped_column()
    reason: Mapped[str] = mapped_column(Text, default="")
    decided_by_id: Mapped[int | None] = mapped_column(ForeignKey("user_account.id"))
    decided_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow)
    version: Mapped[int] = mapped_column(default=1)

    period: Mapped[Period] = relationship()
    unit: Mapped[Unit] = relationship()
    criterion: Mapped[Criterion] = relationship()
    decided_by: Mapped[User | None] = relationship()

    __mapper_args__ = {"version_id_col": version}
