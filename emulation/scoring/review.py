"""The chair's reading of a board: completion, disagreements, lenient and harsh scorers.

Read-only and exact: spreads and gaps are integers in hundredths, means are Fractions
(rounded half away from zero only for display, by the caller)."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from fractions import Fraction

from sqlalchemy import and_, select
from sqlalchemy.orm import Session

from emulation.assessments.models import SelfAssessment, SelfScore
from emulation.campaigns.models import Aggregation, Criterion
from emulation.org.models import Unit
from emulation.scoring.models import Assignment, Board, BoardMember, BoardScore, ScoreSheet
from emulation.scoring.models import SheetStatus as SS
from emulation.scoring.queue import IN_PROGRESS, NOT_STARTED, SUBMITTED, sheet_status
from emulation.scoring.rules import aggregate


@dataclass(frozen=True)
class Seat:
    """One (member, unit) assignment and the state of its sheet."""

    member: BoardMember
    unit: Unit
    sheet: ScoreSheet | None
    status: str

    @property
    def scored(self) -> int:
        return len(self.sheet.scores) if self.sheet is not None else 0


def seats(session: Session, board: Board) -> list[Seat]:
    """Every assignment of the board with its member's sheet (if any)."""
    rows = session.execute(
        select(BoardMember, Unit, ScoreSheet)
        .join(Assignment, Assignment.member_id == BoardMember.id)
        .join(Unit, Unit.id == Assignment.unit_id)
        .outerjoin(
            ScoreSheet,
            and_(
                ScoreSheet.unit_id == Unit.id,
                ScoreSheet.scorer_id == BoardMember.user_id,
                ScoreSheet.period_id == board.period_id,
            ),
        )
        .where(BoardMember.board_id == board.id)
        .order_by(Unit.path, BoardMember.id)
    ).all()
    return [
        Seat(m, u, s, sheet_status(s.status, len(s.scores)) if s else NOT_STARTED)
        for m, u, s in rows
    ]


@dataclass
class Tally:
    submitted: int = 0
    in_progress: int = 0
    not_started: int = 0

    @property
    def total(self) -> int:
        return self.submitted + self.in_progress + self.not_started

    @property
    def percent(self) -> int:
        return self.submitted * 100 // self.total if self.total else 0

    def add(self, status: str) -> None:
        key = {SUBMITTED: "submitted", IN_PROGRESS: "in_progress"}.get(status, "not_started")
        setattr(self, key, getattr(self, key) + 1)


def completion(board_seats: list[Seat]):
    """Tallies by member and by unit, in the order first seen."""
    by_member: dict[int, tuple[BoardMember, Tally]] = {}
    by_unit: dict[int, tuple[Unit, Tally, list[Seat]]] = {}
    for seat in board_seats:
        by_member.setdefault(seat.member.id, (seat.member, Tally()))[1].add(seat.status)
        entry = by_unit.setdefault(seat.unit.id, (seat.unit, Tally(), []))
        entry[1].add(seat.status)
        entry[2].append(seat)
    return list(by_member.values()), list(by_unit.values())


@dataclass(frozen=True)
class Cell:
    """One unit × criterion: the submitted members' points and the self-score."""

    unit: Unit
    criterion: Criterion
    points: dict[int, int]  # member id -> points
    self_points: int | None
    method: Aggregation = Aggregation.MEAN

    @property
    def spread(self) -> int:
        return max(self.points.values()) - min(self.points.values())

    @property
    def mean(self) -> Fraction:
        """The board's value: the members' points by the period's aggregation (exact)."""
        return aggregate(list(self.points.values()), self.method)

    @property
    def gap(self) -> Fraction | None:
        return None if self.self_points is None else self.mean - self.self_points


def cells(session: Session, board: Board, board_seats: list[Seat]) -> list[Cell]:
    """Every unit × criterion with at least one submitted sheet's score."""
    submitted = {s.sheet.id: s for s in board_seats if s.sheet and s.sheet.status is SS.SUBMITTED}
    if not submitted:
        return []
    points: dict[tuple[int, int], dict[int, int]] = defaultdict(dict)
    for score in session.scalars(select(BoardScore).where(BoardScore.sheet_id.in_(submitted))):
        seat = submitted[score.sheet_id]
        points[(seat.unit.id, score.criterion_id)][seat.member.id] = score.points
    unit_ids = {k[0] for k in points}
    self_rows = session.execute(
        select(SelfAssessment.unit_id, SelfScore.criterion_id, SelfScore.points)
        .join(SelfScore, SelfScore.assessment_id == SelfAssessment.id)
        .where(SelfAssessment.period_id == board.period_id, SelfAssessment.unit_id.in_(unit_ids))
    )
    own = {(u, c): p for u, c, p in self_rows}
    units = {s.unit.id: s.unit for s in board_seats}
    criteria = {c.id: c for c in board.period.criteria}
    return [
        Cell(units[u], criteria[c], values, own.get((u, c)), board.period.aggregation)
        for (u, c), values in sorted(points.items())
    ]


def disagreements(all_cells: list[Cell], limit: int = 15):
    """The largest member spreads and the largest board-vs-self gaps, biggest first."""
    spread = sorted(
        (c for c in all_cells if len(c.points) > 1 and c.spread > 0),
        key=lambda c: (-c.spread, c.unit.path, c.criterion.code),
    )
    gaps = sorted(
        (c for c in all_cells if c.gap is not None and c.gap != 0),
        key=lambda c: (-abs(c.gap), c.unit.path, c.criterion.code),
    )
    return spread[:limit], gaps[:limit]


@dataclass(frozen=True)
class Deviation:
    member: BoardMember
    mean: Fraction | None  # > 0: more lenient than the board; < 0: harsher
    cells: int


def deviations(members: list[BoardMember], all_cells: list[Cell]) -> list[Deviation]:
    """Each member's mean deviation from the board's value, over the cells scored by ≥2."""
    sums: dict[int, Fraction] = defaultdict(Fraction)
    counts: dict[int, int] = defaultdict(int)
    for cell in all_cells:
        if len(cell.points) < 2:
            continue
        mean = cell.mean
        for member_id, points in cell.points.items():
            sums[member_id] += points - mean
            counts[member_id] += 1
    out = [
        Deviation(m, sums[m.id] / counts[m.id] if counts[m.id] else None, counts[m.id])
        for m in members
    ]
    return sorted(out, key=lambda d: (d.mean is None, -(d.mean or 0), d.member.id))
