"""Pure scoring rules: points per criterion kind, aggregation of scorers, totals, bands.

No database, no Flask. All points are integers in hundredths; every division rounds half
away from zero to the hundredth, with integer arithmetic only, so results are exact and the
same on every database and machine."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from fractions import Fraction

from emulation.campaigns.domain import Classification, CriterionKind


def round_half_away(value: Fraction | int) -> int:
    value = Fraction(value)
    magnitude = abs(value)
    whole = magnitude.numerator // magnitude.denominator
    if magnitude - whole >= Fraction(1, 2):
        whole += 1
    return whole if value >= 0 else -whole


@dataclass(frozen=True)
class CriterionSpec:
    """What the rules need to know of a criterion (points in hundredths)."""

    kind: CriterionKind
    max_points: int
    min_points: int = 0
    points_per_item: int | None = None
    target: int | None = None  # hundredths of the measure unit
    target_share_percent: int | None = None
    higher_is_better: bool = True


class RuleError(ValueError):
    """A value a criterion cannot take; the message key names the problem."""


def check_direct(spec: CriterionSpec, points: int) -> int:
    if not spec.min_points <= points <= spec.max_points:
        raise RuleError("out_of_range")
    return points


def quantitative_points(spec: CriterionSpec, measured: int, leader: int | None = None) -> int:
    """Measured value against the target (DOMAIN.md):

    below the target, pro-rated toward the target share; at the target, the target share of
    max; the best unit of the cluster (`leader`), full max; in between, interpolated."""
    if spec.target is None or spec.target <= 0:
        raise RuleError("no_target")
    share = Fraction(spec.target_share_percent or 100, 100)
    at_target = spec.max_points * share
    value, target = Fraction(measured), Fraction(spec.target)
    if not spec.higher_is_better:
        # Lower is better (e.g. late filings): reflect around the target.
        value, target = target * 2 - value, target
        if leader is not None:
            leader = int(Fraction(spec.target) * 2 - leader)
    if value <= 0:
        return 0
    if value < target:
        return round_half_away(at_target * value / target)
    if leader is None or leader <= target or value >= leader:
        if leader is not None and value >= leader > target:
            return spec.max_points
        return round_half_away(at_target)
    extra = (spec.max_points - at_target) * (value - target) / (Fraction(leader) - target)
    return round_half_away(at_target + extra)


def count_points(spec: CriterionSpec, count: int) -> int:
    """Bonus or penalty: count × points per item, capped at max (penalties come back < 0)."""
    if count < 0:
        raise RuleError("negative_count")
    per_item = spec.points_per_item or 0
    points = min(count * per_item, spec.max_points)
    return -points if spec.kind is CriterionKind.PENALTY else points


def points_for(spec: CriterionSpec, measured: int, leader: int | None = None) -> int:
    """Awarded points for a scorer's input (`measured` as documented on SelfScore)."""
    match spec.kind:
        case CriterionKind.DIRECT:
            return check_direct(spec, measured)
        case CriterionKind.QUANTITATIVE:
            return quantitative_points(spec, measured, leader)
        case CriterionKind.PASS_FAIL:
            return spec.max_points if measured else 0
        case CriterionKind.BONUS | CriterionKind.PENALTY:
            return count_points(spec, measured)
        case CriterionKind.VETO:
            return 0
    raise RuleError("group_has_no_points")


def mean_of_scorers(values: Sequence[int]) -> int:
    """Several board members' points for one criterion: their mean, rounded half away."""
    if not values:
        raise RuleError("no_scores")
    return round_half_away(Fraction(sum(values), len(values)))


@dataclass(frozen=True)
class Total:
    base: int
    bonus: int
    penalty: int  # <= 0

    @property
    def total(self) -> int:
        return self.base + self.bonus + self.penalty


def unit_total(base: Iterable[int], bonus: Iterable[int], penalty: Iterable[int], bonus_cap: int):
    """Base + capped bonus + penalty (penalty points are negative)."""
    return Total(sum(base), min(sum(bonus), bonus_cap), sum(penalty))


@dataclass(frozen=True)
class Bands:
    excellent: int = 9000
    good: int = 7000
    completed: int = 5000


def classify(total: int, bands: Bands, vetoed: bool = False) -> Classification:
    """Point bands (DOMAIN.md), with a veto forcing 'not completed'."""
    if vetoed:
        return Classification.NOT_COMPLETED
    if total >= bands.excellent:
        return Classification.EXCELLENT
    if total >= bands.good:
        return Classification.GOOD
    if total >= bands.completed:
        return Classification.COMPLETED
    return Classification.NOT_COMPLETED


def excellent_quota(good_or_better: int, cap_percent: int | None) -> int | None:
    """How many of those rated good or better may be excellent (rounded down); None = no cap."""
    if cap_percent is None:
        return None
    return good_or_better * cap_percent // 100
