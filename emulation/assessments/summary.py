"""Subtotals, total and classification of a self-assessment, by the leaderboard's own rules.

The self-assessment is aggregated exactly as one submitted board sheet would be
(`leaderboards.ranking`): group caps, weights, bonus/penalty caps and vetoes all apply, so
the total a unit head sees is the one the rules would give. Quantitative points are
provisional: the cluster leader is only known when everyone has been scored."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field

from emulation.campaigns.criteria import walk
from emulation.campaigns.domain import Aggregation
from emulation.campaigns.models import Classification, Criterion, CriterionKind, Period
from emulation.leaderboards import ranking
from emulation.scoring.rules import Bands, CriterionSpec, classify, round_half_away

K = CriterionKind


def spec_of(criterion: Criterion) -> CriterionSpec:
    return CriterionSpec(
        kind=criterion.kind,
        max_points=criterion.max_points or 0,
        min_points=criterion.min_points or 0,
        points_per_item=criterion.points_per_item,
        target=criterion.target,
        target_share_percent=criterion.target_share_percent,
        higher_is_better=criterion.higher_is_better,
    )


@dataclass
class Group:
    """A top-level group (or a top-level criterion standing alone) and its criteria."""

    node: Criterion
    criteria: list[Criterion] = field(default_factory=list)
    subtotal: int = 0
    answered: int = 0


@dataclass
class Summary:
    groups: list[Group]
    base: int
    bonus: int
    penalty: int
    vetoed: bool
    classification: Classification
    answered: int
    count: int

    @property
    def total(self) -> int:
        return self.base + self.bonus + self.penalty


def layout(period: Period) -> list[Group]:
    """The period's scored criteria grouped under their top-level group, in set order."""
    groups: list[Group] = []
    for criterion, depth in walk(period):
        if depth == 0:
            groups.append(Group(criterion))
        if criterion.kind is not K.GROUP:
            groups[-1].criteria.append(criterion)
    return [g for g in groups if g.criteria]


def summarise(period: Period, scores: Iterable) -> Summary:
    """Totals of the answered scores (objects with criterion_id, points, measured)."""
    answered = {s.criterion_id: s for s in scores if s.measured is not None}
    nodes = [
        ranking.Node(
            c.id,
            c.parent_id,
            c.code,
            c.kind,
            c.max_points or 0,
            c.weight_percent or 100,
            c.target,
            c.target_share_percent,
            c.higher_is_better,
        )
        for c in period.criteria
    ]
    sheet = ranking.Sheet(
        0, tuple(ranking.Score(s.criterion_id, s.points, s.measured) for s in answered.values())
    )
    unit = ranking.Competitor(0, "")
    lines = ranking.unit_lines(unit, ranking.leaves(nodes), [sheet], Aggregation.MEAN, {})
    result = ranking.unit_result(unit, lines)
    # The unit's own "yes" on a veto criterion counts here (a board's flag awaits the chair).
    vetoed = result.vetoed or result.under_review
    groups = layout(period)
    for group in groups:
        group.subtotal = round_half_away(result.subtotals.get(group.node.code, 0))
        group.answered = sum(1 for c in group.criteria if c.id in answered)
    bands = Bands(period.band_excellent, period.band_good, period.band_completed)
    return Summary(
        groups=groups,
        base=round_half_away(result.base),
        bonus=round_half_away(result.bonus),
        penalty=round_half_away(result.penalty),
        vetoed=vetoed,
        classification=classify(result.total, bands, vetoed),
        answered=len(answered),
        count=sum(len(g.criteria) for g in groups),
    )


def group_of(groups: Sequence[Group], criterion_id: int) -> Group | None:
    return next((g for g in groups if any(c.id == criterion_id for c in g.criteria)), None)
