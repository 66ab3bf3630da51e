"""The reference's per-criterion half: the inputs, each criterion's exact points for one
unit (`Line`), quantitative leaders and group caps. `ranking.py` builds totals, vetoes,
classes and ranks on top; read its docstring for the rules."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from fractions import Fraction

from emulation.campaigns.domain import BASE_KINDS, CATEGORY, Aggregation, CriterionKind
from emulation.leaderboards.domain import ScopeType
from emulation.scoring.rules import CriterionSpec, aggregate, quantitative_points

K = CriterionKind
__all__ = ["BASE_KINDS", "CATEGORY"]  # re-exported by ranking.py


@dataclass(frozen=True)
class Node:
    """One criterion-tree node as stored (points in hundredths)."""

    id: int
    parent_id: int | None
    code: str
    kind: CriterionKind
    max_points: int = 0
    weight_percent: int = 100
    target: int | None = None
    target_share_percent: int | None = None
    higher_is_better: bool = True


@dataclass(frozen=True)
class Leaf:
    """A scored criterion with its top-level group, the group's cap and its category."""

    id: int
    group: str
    category: str
    cap: int = 0  # 0 = no cap
    weight_percent: int = 100
    spec: CriterionSpec | None = None  # quantitative criteria only
    code: str = ""


@dataclass(frozen=True)
class Score:
    criterion_id: int
    points: int
    measured: int | None = None


@dataclass(frozen=True)
class Sheet:
    """One SUBMITTED score sheet of a unit."""

    unit_id: int
    scores: tuple[Score, ...] = ()
    scorer_id: int | None = None


@dataclass(frozen=True)
class Competitor:
    """A roster entry: `scopes` besides the national one.

    `peer` names the group whose best unit leads this unit's quantitative criteria (its
    cluster, else its province); `pools` every group its own value competes in (its cluster
    and its province; default: the peer alone)."""

    id: int
    code: str
    scopes: tuple[tuple[ScopeType, str], ...] = ()
    peer: str = ""
    name: str = ""
    pools: tuple[str, ...] = ()


@dataclass(frozen=True)
class Decision:
    """The chair's recorded veto decision."""

    unit_id: int
    criterion_id: int
    vetoed: bool


@dataclass(frozen=True)
class Line:
    """How one criterion's points were built for one unit (the explain page's row)."""

    leaf: Leaf
    values: tuple[int, ...]  # the scorers' points (or measured values, quantitative)
    aggregated: Fraction | None  # the combined points (or measured value)
    leader: Fraction | None = None  # quantitative: the peer group's best aggregate
    points: Fraction = Fraction(0)  # before the weight (quantitative: rounded formula)
    flagged: int = 0  # veto: sheets that flagged it

    @property
    def weighted(self) -> Fraction:
        return self.points * self.leaf.weight_percent / 100


# --- criteria -----------------------------------------------------------------------------
def leaves(nodes: Iterable[Node]) -> list[Leaf]:
    """Scored leaves of a criteria tree, each with its top-level group and that group's cap."""
    by_id = {node.id: node for node in nodes}
    out = []
    for node in by_id.values():
        if node.kind is K.GROUP:
            continue
        root = node
        while root.parent_id is not None and root.parent_id in by_id:
            root = by_id[root.parent_id]
        cap = root.max_points if root is not node and root.kind is K.GROUP else 0
        spec = None
        if node.kind is K.QUANTITATIVE:
            spec = CriterionSpec(
                node.kind,
                node.max_points,
                target=node.target,
                target_share_percent=node.target_share_percent,
                higher_is_better=node.higher_is_better,
            )
        category = CATEGORY[node.kind]
        out.append(Leaf(node.id, root.code, category, cap, node.weight_percent, spec, node.code))
    return sorted(out, key=lambda leaf: leaf.id)


def _by_criterion(sheets: Sequence[Sheet]) -> dict[int, list[Score]]:
    found: dict[int, list[Score]] = defaultdict(list)
    for sheet in sheets:
        for score in sheet.scores:
            found[score.criterion_id].append(score)
    return found


def measured_aggregate(scores: Sequence[Score], method: Aggregation) -> Fraction | None:
    values = [s.measured for s in scores if s.measured is not None]
    return aggregate(values, method) if values else None


def leaders(
    units: Sequence[Competitor],
    leaf_list: Sequence[Leaf],
    sheets_of: dict[int, list[Sheet]],
    method: Aggregation,
) -> dict[tuple[str, int], Fraction]:
    """The best aggregated measured value per (peer group, quantitative criterion)."""
    best: dict[tuple[str, int], Fraction] = {}
    quantitative = [leaf for leaf in leaf_list if leaf.spec is not None]
    for unit in units:
        if not sheets_of.get(unit.id):
            continue
        scores = _by_criterion(sheets_of[unit.id])
        for leaf in quantitative:
            value = measured_aggregate(scores.get(leaf.id, []), method)
            if value is None:
                continue
            better = max if leaf.spec.higher_is_better else min
            for pool in unit.pools or (unit.peer,):
                key = (pool, leaf.id)
                best[key] = value if key not in best else better(best[key], value)
    return best


def criterion_line(
    leaf: Leaf, scores: Sequence[Score], method: Aggregation, leader: Fraction | None
) -> Line:
    """One criterion of one unit: the scorers' values, their exact combination, the points."""
    if leaf.category == "veto":
        flagged = sum(1 for s in scores if s.measured)
        return Line(leaf, tuple(s.measured or 0 for s in scores), None, flagged=flagged)
    if leaf.spec is not None:
        value = measured_aggregate(scores, method)
        measured = tuple(s.measured for s in scores if s.measured is not None)
        if value is None:
            return Line(leaf, measured, None, leader)
        points = quantitative_points(leaf.spec, value, leader)
        return Line(leaf, measured, value, leader, Fraction(points))
    if not scores:
        return Line(leaf, (), None)
    combined = aggregate([s.points for s in scores], method)
    return Line(leaf, tuple(s.points for s in scores), combined, points=combined)


def capped(category: str, points: Fraction, cap: int) -> Fraction:
    if cap <= 0:
        return points
    return max(points, Fraction(-cap)) if category == "penalty" else min(points, Fraction(cap))


# --- one unit -----------------------------------------------------------------------------
def unit_lines(
    unit: Competitor,
    leaf_list: Sequence[Leaf],
    sheets: Sequence[Sheet],
    method: Aggregation,
    best: dict[tuple[str, int], Fraction],
) -> list[Line]:
    scores = _by_criterion(sheets)
    return [
        criterion_line(leaf, scores.get(leaf.id, []), method, best.get((unit.peer, leaf.id)))
        for leaf in leaf_list
    ]


def group_sums(lines: Sequence[Line]) -> dict[tuple[str, str], tuple[Fraction, Fraction, int]]:
    """(group, category) -> (sum before the cap, after the cap, the cap)."""
    sums: dict[tuple[str, str], Fraction] = {}
    caps: dict[tuple[str, str], int] = {}
    for line in lines:
        if line.leaf.category == "veto":
            continue
        key = (line.leaf.group, line.leaf.category)
        sums[key] = sums.get(key, Fraction(0)) + line.weighted
        caps[key] = line.leaf.cap
    return {
        key: (value, capped(key[1], value, caps[key]), caps[key]) for key, value in sums.items()
    }
