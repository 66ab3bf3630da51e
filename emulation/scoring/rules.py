"""Pure scoring rules: points per criterion kind, aggregation of scorers, totals, bands.

No database, no Flask. Entered points are integers in hundredths. Several scorers' values
are combined EXACTLY (`aggregate` returns a Fraction of hundredths, never rounded): totals
and ranks use the exact values, and only display rounds, half away from zero, to the
hundredth (`round_half_away`). The one computed score that is rounded is a quantitative
criterion's points (`quantitative_points`), worked out from exact measured values and
rounded to the hundredth like any entered score."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from fractions import Fraction

from emulation.campaigns.domain import Aggregation, Classification, CriterionKind


def round_half_away(value: Fraction | int) -> int:
    if type(value) is int:
        return value
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


def quantitative_points(
    spec: CriterionSpec, measured: Fraction | int, leader: Fraction | int | None = None
) -> int:
    """Measured value against the target (DOMAIN.md), rounded half away to the hundredth:

    below the target, pro-rated toward the target share; at the target, the target share of
    max; the best unit of the cluster (`leader`), full max; in between, interpolated.
    `measured` and `leader` may be exact aggregates (Fractions); whole inputs (every entered
    value) take `_quantitative_whole`, the same arithmetic on integers (no Fraction objects:
    the demo load and the reference recompute call this for every score)."""
    if type(measured) is int and (leader is None or type(leader) is int):
        return _quantitative_whole(spec, measured, leader)
    return round_half_away(quantitative_exact(spec, measured, leader))


def _divide_half_away(numerator: int, denominator: int) -> int:
    """numerator / denominator (> 0) rounded half away from zero, in integers."""
    whole, rest = divmod(abs(numerator), denominator)
    if 2 * rest >= denominator:
        whole += 1
    return whole if numerator >= 0 else -whole


def _quantitative_whole(spec: CriterionSpec, value: int, best: int | None) -> int:
    """`round_half_away(quantitative_exact(...))` for integer inputs: every branch's value is
    written as one fraction of integers and rounded once (tests/foundation compare the two)."""
    target = spec.target
    if target is None or target <= 0:
        raise RuleError("no_target")
    share = spec.target_share_percent or 100
    top = spec.max_points
    if not spec.higher_is_better:
        value = target * 2 - value
        best = None if best is None else target * 2 - best
    if value <= 0:
        return 0
    if value < target:  # top * share/100 * value / target
        return _divide_half_away(top * share * value, 100 * target)
    if best is None or best <= target:  # top * share/100
        return _divide_half_away(top * share, 100)
    if value >= best:
        return top
    # at_target + (top - at_target) * (value - target) / (best - target), over 100 (best - target)
    span = best - target
    return _divide_half_away(
        top * share * span + (100 * top - top * share) * (value - target), 100 * span
    )


def quantitative_exact(
    spec: CriterionSpec, measured: Fraction | int, leader: Fraction | int | None = None
) -> Fraction:
    """`quantitative_points` before rounding."""
    if spec.target is None or spec.target <= 0:
        raise RuleError("no_target")
    share = Fraction(spec.target_share_percent or 100, 100)
    at_target = spec.max_points * share
    value, target = Fraction(measured), Fraction(spec.target)
    best = None if leader is None else Fraction(leader)
    if not spec.higher_is_better:
        # Lower is better (e.g. late filings): reflect around the target.
        value = target * 2 - value
        best = None if best is None else target * 2 - best
    if value <= 0:
        return Fraction(0)
    if value < target:
        return at_target * value / target
    if best is None or best <= target:
        return at_target
    if value >= best:
        return Fraction(spec.max_points)
    return at_target + (spec.max_points - at_target) * (value - target) / (best - target)


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


TRIM_FROM = 5  # the trimmed mean drops the highest and lowest score from 5 scorers up


def aggregate(values: Sequence[int], method: Aggregation = Aggregation.MEAN) -> Fraction:
    """Several board members' values for one criterion, combined exactly (no rounding).

    mean: sum / n. median: the middle value, or the mean of the two middle ones. trimmed
    mean: from TRIM_FROM scorers, the mean without one highest and one lowest value;
    below that, the plain mean."""
    if not values:
        raise RuleError("no_scores")
    ordered = sorted(values)
    n = len(ordered)
    match Aggregation(method):
        case Aggregation.MEDIAN:
            middle = n // 2
            if n % 2:
                return Fraction(ordered[middle])
            return Fraction(ordered[middle - 1] + ordered[middle], 2)
        case Aggregation.TRIMMED_MEAN if n >= TRIM_FROM:
            return Fraction(sum(ordered[1:-1]), n - 2)
    return Fraction(sum(ordered), n)


def divisor(n: int, method: Aggregation = Aggregation.MEAN) -> int:
    """The denominator `aggregate` divides by for n values (its exact value times it is whole)."""
    match Aggregation(method):
        case Aggregation.MEDIAN:
            return 2 if n % 2 == 0 else 1
        case Aggregation.TRIMMED_MEAN if n >= TRIM_FROM:
            return n - 2
    return n


def mean_of_scorers(values: Sequence[int]) -> int:
    """The mean of several scorers rounded half away to the hundredth (for display only)."""
    return round_half_away(aggregate(values))


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
