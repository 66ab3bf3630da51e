"""Published results for a unit head: the board's score per criterion beside the self-score."""

from __future__ import annotations

from dataclasses import dataclass, field

from flask import render_template
from flask_login import current_user
from sqlalchemy import select

from emulation import access
from emulation.accounts import authz
from emulation.accounts.models import Role
from emulation.assessments import services
from emulation.assessments.summary import layout
from emulation.assessments.views import bp
from emulation.campaigns.domain import Aggregation
from emulation.campaigns.models import Criterion, Period, PeriodStatus
from emulation.errors import NotFound
from emulation.extensions import db
from emulation.leaderboards import queries, unit_queries
from emulation.org.models import Unit
from emulation.scoring.models import BoardScore, ScoreSheet, SheetStatus
from emulation.scoring.rules import aggregate, round_half_away


@dataclass
class Line:
    criterion: Criterion
    self_points: int | None
    board_points: int | None
    comments: list[str] = field(default_factory=list)


def board_lines(unit: Unit, period: Period) -> list[tuple[Criterion, list[Line]]]:
    """Per group: each criterion's self points and the mean of the submitted board sheets."""
    rows = db.session.execute(
        select(BoardScore.criterion_id, BoardScore.points, BoardScore.comment)
        .join(ScoreSheet, ScoreSheet.id == BoardScore.sheet_id)
        .where(
            ScoreSheet.unit_id == unit.id,
            ScoreSheet.period_id == period.id,
            ScoreSheet.status == SheetStatus.SUBMITTED,
        )
    ).all()
    points: dict[int, list[int]] = {}
    comments: dict[int, list[str]] = {}
    for criterion_id, value, comment in rows:
        points.setdefault(criterion_id, []).append(value)
        if comment and comment.strip():
            comments.setdefault(criterion_id, []).append(comment.strip())
    assessment = services.assessment_for(db.session, unit, period)
    own = {s.criterion_id: s for s in assessment.scores} if assessment else {}
    out = []
    for group in layout(period):
        lines = []
        for c in group.criteria:
            mine = own.get(c.id)
            board = _board_points(points.get(c.id), c.weight_percent, period)
            self_points = mine.points if mine is not None and mine.answered else None
            lines.append(Line(c, self_points, board, comments.get(c.id, [])))
        out.append((group.node, lines))
    return out


@bp.get("/my-unit/<int:unit_id>/periods/<int:period_id>/results")
@access.roles(Role.UNIT_HEAD)
def results(unit_id: int, period_id: int):
    unit = db.session.get(Unit, unit_id)
    period = db.session.get(Period, period_id)
    if unit is None or period is None:
        raise NotFound()
    authz.require(current_user, "self_assess", unit)
    if period.status is not PeriodStatus.PUBLISHED:
        return render_template("assessments/results.html", unit=unit, period=period, groups=None)
    snapshot = queries.latest_snapshot(db.session, period)
    standings = unit_queries.unit_standings(db.session, snapshot, unit) if snapshot else {}
    return render_template(
        "assessments/results.html",
        unit=unit,
        period=period,
        groups=board_lines(unit, period),
        standings=standings,
    )


def _board_points(points: list[int] | None, weight_percent: int, period: Period) -> int | None:
    """The board's combined points for one criterion by the period's method, rounded once."""
    if not points:
        return None
    method = Aggregation(period.aggregation)
    return round_half_away(aggregate(points, method) * (weight_percent or 100) / 100)
