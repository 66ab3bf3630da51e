"""Pure leaderboard rules: a unit's points from its submitted sheets, classification, ranks.

No database, no Flask app. This module is the REFERENCE: `recompute.py` computes the same thing
in set-based SQL, and property tests assert both agree on random data. The rules:

* Criterion points: the mean of the unit's SUBMITTED sheets that scored the criterion,
  times its weight, rounded half away from zero to the hundredth once:
  round_half_away(sum(points) * weight_percent / (n * 100)). With weight 100 this is
  `scoring.rules.mean_of_scorers`. A criterion no submitted sheet scored counts 0.
* Each leaf criterion belongs to its TOP-LEVEL group (a top-level criterion is its own
  group). Its kind gives its category: direct/quantitative/pass_fail -> base, bonus,
  penalty (negative points), veto.
* Per group and category the points are summed and capped by the group's `max_points`
  when it is above 0: base and bonus at most +max, penalty at least −max. A group's
  subtotal is the sum of its capped categories; `group_subtotals` holds every top-level
  group that has base, bonus or penalty criteria (0 when nothing was scored).
* base, bonus, penalty = sums of the capped categories; total = base + bonus + penalty.
* Veto: a veto criterion is found for a unit when a strict majority of the submitted
  sheets that scored it have `measured` not null and not 0. Any veto found -> vetoed.
* A unit with no submitted sheet is not ranked. Only active units of a competing kind
  compete (the caller filters).
* Classification: the period's bands (`scoring.rules.classify`); veto forces "not
  completed". With `excellent_cap_percent`, N = floor(good_or_better * cap / 100) where
  good_or_better counts units classed excellent or good; an excellent unit keeps
  "excellent" only if the number of excellent units ranked at or above it in the national
  scope (ties included) is at most N, otherwise it becomes "good". Units tied at the
  boundary are therefore treated alike.
* Ranking: standard competition ranking (1, 2, 2, 4) ordered by the tie-break chain;
  units equal on the whole chain share a rank. Keys: "total", "group:<code>" (higher
  subtotal first), "fewer_penalties" (penalty closer to zero first), "bonus" (higher
  first), "unit_code" (ascending, by code point). Unknown keys are ignored; an empty chain
  means ["total"].
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from fractions import Fraction

from emulation.campaigns.domain import (
    CATEGORY,
    Classification,
    CriterionKind,
    group_of_key,
    is_tie_break_key,
)
from emulation.leaderboards.domain import ScopeType
from emulation.scoring.rules import Bands, classify, round_half_away

K = CriterionKind


@dataclass(frozen=True)
class Node:
    """One criterion-tree node as stored (points in hundredths)."""

    id: int
    parent_id: int | None
    code: str
    kind: CriterionKind
    max_points: int = 0
    weight_percent: int = 100


@dataclass(frozen=True)
class Leaf:
    """A scored criterion with its top-level group, the group's cap and its category."""

    id: int
    group: str
    category: str
    cap: int = 0  # 0 = no cap
    weight_percent: int = 100


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


@dataclass(frozen=True)
class Competitor:
    id: int
    code: str
    scopes: tuple[tuple[ScopeType, str], ...] = ()  # besides the national scope


@dataclass(frozen=True)
class Rules:
    bands: Bands = field(default_factory=Bands)
    excellent_cap_percent: int | None = None
    tie_break: tuple[str, ...] = ("total",)


@dataclass(frozen=True)
class UnitResult:
    unit_id: int
    code: str
    base: int
    bonus: int
    penalty: int
    subtotals: dict[str, int]
    vetoed: bool

    @property
    def total(self) -> int:
        return self.base + self.bonus + self.penalty


@dataclass(frozen=True)
class Placed:
    scope_type: ScopeType
    scope_key: str
    unit_id: int
    rank: int
    result: UnitResult
    classification: Classification


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
        out.append(Leaf(node.id, root.code, CATEGORY[node.kind], cap, node.weight_percent))
    return sorted(out, key=lambda leaf: leaf.id)


def criterion_points(points: Sequence[int], weight_percent: int = 100) -> int:
    """Weighted mean of several scorers' points, rounded half away from zero once."""
    if not points:
        return 0
    return round_half_away(Fraction(sum(points) * weight_percent, len(points) * 100))


def veto_found(measured: Sequence[int | None]) -> bool:
    """A strict majority of the sheets that scored a veto criterion found the condition."""
    hits = sum(1 for value in measured if value)
    return 2 * hits > len(measured)


def _capped(category: str, points: int, cap: int) -> int:
    if cap <= 0:
        return points
    return max(points, -cap) if category == "penalty" else min(points, cap)


# --- one unit -----------------------------------------------------------------------------
def unit_result(unit: Competitor, leaf_list: Sequence[Leaf], sheets: Sequence[Sheet]):
    """A unit's base, bonus, penalty, group subtotals and veto from its submitted sheets."""
    by_criterion: dict[int, list[Score]] = defaultdict(list)
    for sheet in sheets:
        for score in sheet.scores:
            by_criterion[score.criterion_id].append(score)
    sums: dict[tuple[str, str], int] = {}
    caps: dict[tuple[str, str], int] = {}
    vetoed = False
    for leaf in leaf_list:
        scores = by_criterion.get(leaf.id, [])
        if leaf.category == "veto":
            vetoed = vetoed or (bool(scores) and veto_found([s.measured for s in scores]))
            continue
        key = (leaf.group, leaf.category)
        points = criterion_points([s.points for s in scores], leaf.weight_percent)
        sums[key] = sums.get(key, 0) + points
        caps[key] = leaf.cap
    capped = {key: _capped(key[1], value, caps[key]) for key, value in sums.items()}
    subtotals: dict[str, int] = {}
    for (group, _category), value in capped.items():
        subtotals[group] = subtotals.get(group, 0) + value

    def part(category: str) -> int:
        return sum(v for (_g, c), v in capped.items() if c == category)

    return UnitResult(
        unit.id, unit.code, part("base"), part("bonus"), part("penalty"), subtotals, vetoed
    )


# --- ranking ------------------------------------------------------------------------------
def effective_chain(chain: Iterable[str]) -> tuple[str, ...]:
    """The chain without unknown or repeated keys; ["total"] when nothing is left."""
    out: list[str] = []
    for key in chain or ():
        if is_tie_break_key(key) and key not in out:
            out.append(key)
    return tuple(out) or ("total",)


def sort_key(result: UnitResult, chain: Sequence[str]) -> tuple:
    """Ascending sort key: the best unit first."""
    parts: list = []
    for key in chain:
        if key == "total":
            parts.append(-result.total)
        elif key == "fewer_penalties":
            parts.append(-result.penalty)
        elif key == "bonus":
            parts.append(-result.bonus)
        elif key == "unit_code":
            parts.append(result.code)
        elif (group := group_of_key(key)) is not None:
            parts.append(-result.subtotals.get(group, 0))
    return tuple(parts)


def competition_ranks(results: Sequence[UnitResult], chain: Sequence[str]) -> dict[int, int]:
    """Standard competition ranking (1, 2, 2, 4) after the tie-break chain.

    Units still equal after the whole chain share a rank; the chain is shown on the public
    rules page (`labels.tie_break_label`), so the order here must match that text."""
    chain = effective_chain(chain)
    ordered = sorted(results, key=lambda r: sort_key(r, chain))
    ranks: dict[int, int] = {}
    previous, rank = None, 0
    for position, result in enumerate(ordered, start=1):
        key = sort_key(result, chain)
        if key != previous:
            rank, previous = position, key
        ranks[result.unit_id] = rank
    return ranks


def classifications(
    results: Sequence[UnitResult], national_ranks: dict[int, int], rules: Rules
) -> dict[int, Classification]:
    """Bands and veto, then the optional cap on "excellent" by national rank."""
    classes = {r.unit_id: classify(r.total, rules.bands, r.vetoed) for r in results}
    if rules.excellent_cap_percent is None:
        return classes
    good_or_better = sum(
        c in (Classification.EXCELLENT, Classification.GOOD) for c in classes.values()
    )
    quota = good_or_better * rules.excellent_cap_percent // 100
    excellent_ranks = [
        national_ranks[u] for u, c in classes.items() if c is Classification.EXCELLENT
    ]
    for unit_id, cls in classes.items():
        if cls is Classification.EXCELLENT:
            at_or_above = sum(1 for r in excellent_ranks if r <= national_ranks[unit_id])
            if at_or_above > quota:
                classes[unit_id] = Classification.GOOD
    return classes


def standings(
    units: Sequence[Competitor], nodes: Iterable[Node], sheets: Sequence[Sheet], rules: Rules
) -> list[Placed]:
    """Every scope's standings of a period: the reference for `recompute.recompute_period`."""
    leaf_list = leaves(nodes)
    sheets_of: dict[int, list[Sheet]] = defaultdict(list)
    for sheet in sheets:
        sheets_of[sheet.unit_id].append(sheet)
    ranked_units = [u for u in units if sheets_of.get(u.id)]
    results = {u.id: unit_result(u, leaf_list, sheets_of[u.id]) for u in ranked_units}
    national = competition_ranks(list(results.values()), rules.tie_break)
    classes = classifications(list(results.values()), national, rules)
    members: dict[tuple[ScopeType, str], list[int]] = defaultdict(list)
    for unit in ranked_units:
        for scope in ((ScopeType.NATIONAL, "all"), *unit.scopes):
            members[scope].append(unit.id)
    placed = []
    for (scope_type, scope_key), unit_ids in members.items():
        ranks = competition_ranks([results[u] for u in unit_ids], rules.tie_break)
        for unit_id in unit_ids:
            placed.append(
                Placed(
                    scope_type,
                    scope_key,
                    unit_id,
                    ranks[unit_id],
                    results[unit_id],
                    classes[unit_id],
                )
            )
    return placed
