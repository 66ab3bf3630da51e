"""What a unit said of itself, as its board reads it beside the score sheet: the
self-assessment, its scores and evidence by criterion (moved from sheets.py)."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.orm import Session

from emulation.assessments.models import Evidence, SelfAssessment, SelfScore
from emulation.campaigns.models import Period
from emulation.org.models import Unit


@dataclass(frozen=True)
class SelfSide:
    """What the unit said of itself: its assessment, scores and evidence by criterion."""

    assessment: SelfAssessment | None
    scores: dict[int, SelfScore]
    evidence: dict[int | None, list[Evidence]]


def self_side(session: Session, period: Period, unit: Unit) -> SelfSide:
    assessment = session.scalar(
        select(SelfAssessment).where(
            SelfAssessment.period_id == period.id, SelfAssessment.unit_id == unit.id
        )
    )
    if assessment is None:
        return SelfSide(None, {}, {})
    evidence: dict[int | None, list[Evidence]] = {}
    for item in sorted(assessment.evidence, key=lambda e: e.id):
        evidence.setdefault(item.criterion_id, []).append(item)
    return SelfSide(assessment, {s.criterion_id: s for s in assessment.scores}, evidence)


def own_score(session: Session, period: Period, unit: Unit, criterion_id: int) -> SelfScore | None:
    """The unit's self-score for one criterion (what a save compares with), one query."""
    return session.scalar(
        select(SelfScore)
        .join(SelfAssessment, SelfAssessment.id == SelfScore.assessment_id)
        .where(
            SelfAssessment.period_id == period.id,
            SelfAssessment.unit_id == unit.id,
            SelfScore.criterion_id == criterion_id,
        )
    )
