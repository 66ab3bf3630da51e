"""What a unit sees of the board's scores while the board asks it for an explanation: per
criterion the self-score beside the board's value (the submitted sheets combined by the
period's aggregation, rounded only for display) and the members' comments, anonymised."""

from __future__ import annotations

from dataclasses import dataclass, field

from sqlalchemy import select
from sqlalchemy.orm import Session

from emulation.assessments.models import SelfScore
from emulation.campaigns.models import Aggregation, Criterion, Period
from emulation.org.models import Unit
from emulation.scoring.models import BoardScore, ScoreSheet
from emulation.scoring.models import SheetStatus as SS
from emulation.scoring.rules import aggregate, round_half_away
from emulation.scoring.self_side import self_side
from emulation.scoring.sheets import leaf_criteria


@dataclass
class ResultRow:
    criterion: Criterion
    own: SelfScore | None
    method: Aggregation = Aggregation.MEAN
    board_points: list[int] = field(default_factory=list)  # in member order
    comments: list[tuple[int, str]] = field(default_factory=list)  # (member number, comment)

    @property
    def board(self) -> int | None:
        """The board's value by the period's aggregation, rounded for display only."""
        if not self.board_points:
            return None
        return round_half_away(aggregate(self.board_points, self.method))


@dataclass
class UnitResults:
    period: Period
    unit: Unit
    rows: list[ResultRow]
    scorers: int


def unit_results(session: Session, period: Period, unit: Unit) -> UnitResults:
    """Self vs board per criterion for one unit, from the submitted sheets."""
    sheets = session.scalars(
        select(ScoreSheet)
        .where(
            ScoreSheet.period_id == period.id,
            ScoreSheet.unit_id == unit.id,
            ScoreSheet.status == SS.SUBMITTED,
        )
        .order_by(ScoreSheet.id)
    ).all()
    number = {sheet.id: n for n, sheet in enumerate(sheets, start=1)}
    own = self_side(session, period, unit).scores
    method = period.aggregation or Aggregation.MEAN
    rows = {c.id: ResultRow(c, own.get(c.id), method) for c in leaf_criteria(period)}
    scores = session.scalars(
        select(BoardScore)
        .where(BoardScore.sheet_id.in_(number))
        .order_by(BoardScore.sheet_id, BoardScore.id)
    )
    for score in scores:
        row = rows.get(score.criterion_id)
        if row is None:
            continue
        row.board_points.append(score.points)
        if score.comment:
            row.comments.append((number[score.sheet_id], score.comment))
    return UnitResults(period, unit, list(rows.values()), len(sheets))
