"""Pure leaderboard rules: a unit's points from its submitted sheets, classification, ranks.

No database, no Flask app. This module is the REFERENCE: `recompute.py` computes the same thing
in set-based SQL, and property tests assert both agree on random data. The rules (the public
rules page states them in the same words, DOMAIN.md "Ranking rules"):

* Who competes: the period roster (units, with province, cluster and kind, recorded when
  board scoring opens). A roster unit with no SUBMITTED sheet is not ranked.
* Aggregation is exact: the submitted sheets that scored a criterion are combined by the
  period's method (`scoring.rules.aggregate`: mean, median or trimmed mean) without
  rounding, then multiplied by the criterion's weight (percent). A criterion no submitted
  sheet scored counts 0. Values are Fractions of hundredths; only display rounds (half
  away from zero, to the hundredth).
* Quantitative criteria count from the measured values: the sheets' measured values are
  aggregated by the same method; the leader is the best aggregate among the competing units
  (roster units with a submitted sheet) of the same cluster, or of the province (all its
  competing units) for a unit without a cluster; points =
  `scoring.rules.quantitative_points` (rounded to the hundredth, like an entered score),
  times the weight. No measured value: 0.
* Each leaf criterion belongs to its TOP-LEVEL group (a top-level criterion is its own
  group). Its kind gives its category: direct/quantitative/pass_fail -> base, bonus,
  penalty (negative points), veto. Per group and category the points are summed and capped
  by the group's `max_points` when above 0: base and bonus at most +max, penalty at least
  −max. A group's subtotal is the sum of its capped categories.
* base, bonus, penalty = sums of the capped categories; total = base + bonus + penalty.
* Vetoes are decisions: a unit with a decision `vetoed` is not ranked and "not completed";
  it is listed after the ranked units of every scope (rank = ranked units + 1, shown as
  "not ranked (veto)"). A veto criterion flagged (measured not 0) on a submitted sheet with
  no decision yet puts the unit "under review"; it stays ranked.
* Classification: the period's bands on the exact total. With `excellent_cap_percent`,
  quota = floor(good_or_better * cap / 100); an excellent unit keeps "excellent" only if the
  number of excellent units ranked at or above it nationally (ties included) is at most the
  quota, otherwise it becomes "good": a tie straddling the quota is demoted as a whole.
* Ranking: standard competition ranking (1, 2, 2, 4) ordered by the tie-break chain on exact
  values; units equal on the whole chain share a rank and are listed by name. Keys:
  "total", "group:<code>" (higher subtotal first), "fewer_penalties" (penalty closer to
  zero first), "bonus" (higher first). Unknown keys are ignored; an empty chain means
  ["total"].
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from fractions import Fraction

from emulation.campaigns.domain import Aggregation, Classification, group_of_key, is_tie_break_key
from emulation.leaderboards.criterion_lines import (  # noqa: F401  (the reference's inputs)
    BASE_KINDS,
    CATEGORY,
    Competitor,
    Decision,
    Leaf,
    Line,
    Node,
    Score,
    Sheet,
    capped,
    criterion_line,
    group_sums,
    leaders,
    leaves,
    measured_aggregate,
    unit_lines,
)
from emulation.leaderboards.domain import ScopeType
from emulation.scoring.rules import Bands, classify, excellent_quota


@dataclass(frozen=True)
class Rules:
    bands: Bands = field(default_factory=Bands)
    excellent_cap_percent: int | None = None
    tie_break: tuple[str, ...] = ("total",)
    aggregation: Aggregation = Aggregation.MEAN


@dataclass(frozen=True)
class UnitResult:
    unit_id: int
    code: str
    base: Fraction
    bonus: Fraction
    penalty: Fraction
    subtotals: dict[str, Fraction]
    vetoed: bool
    under_review: bool = False
    name: str = ""

    @property
    def total(self) -> Fraction:
        return self.base + self.bonus + self.penalty


@dataclass(frozen=True)
class Placed:
    scope_type: ScopeType
    scope_key: str
    unit_id: int
    rank: int  # a vetoed unit: ranked units of the scope + 1 (shown as "not ranked")
    result: UnitResult
    classification: Classification


# --- one unit -----------------------------------------------------------------------------
def veto_state(
    unit_id: int, lines: Sequence[Line], decisions: dict[tuple[int, int], bool]
) -> tuple[bool, bool]:
    """(vetoed, under review): a decision vetoes; a flag without a decision is under review."""
    vetoed = any(v for (u, _c), v in decisions.items() if u == unit_id)
    review = any(
        line.flagged and (unit_id, line.leaf.id) not in decisions
        for line in lines
        if line.leaf.category == "veto"
    )
    return vetoed, review and not vetoed


def unit_result(
    unit: Competitor,
    lines: Sequence[Line],
    decisions: dict[tuple[int, int], bool] | None = None,
) -> UnitResult:
    """A unit's base, bonus, penalty, group subtotals and veto state from its lines."""
    parts = group_sums(lines)
    subtotals: dict[str, Fraction] = {}
    for (group, _category), (_raw, value, _cap) in parts.items():
        subtotals[group] = subtotals.get(group, Fraction(0)) + value

    def part(category: str) -> Fraction:
        return sum((v for (_g, c), (_r, v, _cap) in parts.items() if c == category), Fraction(0))

    vetoed, review = veto_state(unit.id, lines, decisions or {})
    return UnitResult(
        unit.id,
        unit.code,
        part("base"),
        part("bonus"),
        part("penalty"),
        subtotals,
        vetoed,
        review,
        unit.name,
    )


# --- ranking ------------------------------------------------------------------------------
def effective_chain(chain: Iterable[str]) -> tuple[str, ...]:
    """The chain without unknown or repeated keys; ["total"] when nothing is left."""
    out: list[str] = []
    for key in chain or ():
        if is_tie_break_key(key) and key not in out:
            out.append(key)
    return tuple(out) or ("total",)


def chain_value(result: UnitResult, key: str) -> Fraction:
    """The exact value a chain key compares (higher is better)."""
    if key == "total":
        return result.total
    if key == "fewer_penalties":
        return result.penalty
    if key == "bonus":
        return result.bonus
    return result.subtotals.get(group_of_key(key) or "", Fraction(0))


def sort_key(result: UnitResult, chain: Sequence[str]) -> tuple:
    """Ascending sort key: the best unit first."""
    return tuple(-chain_value(result, key) for key in chain)


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


def deciding_key(a: UnitResult, b: UnitResult, chain: Sequence[str]) -> str | None:
    """The first chain key on which two units differ; None if they share the rank."""
    for key in effective_chain(chain):
        if chain_value(a, key) != chain_value(b, key):
            return key
    return None


@dataclass(frozen=True)
class CapOutcome:
    quota: int | None  # None: no cap
    good_or_better: int
    by_band: int  # units the bands alone rate excellent
    awarded: int  # excellent after the cap


def classifications(
    results: Sequence[UnitResult], national_ranks: dict[int, int], rules: Rules
) -> tuple[dict[int, Classification], CapOutcome]:
    """Bands and veto, then the optional cap on "excellent" by national rank."""
    classes = {r.unit_id: classify(r.total, rules.bands, r.vetoed) for r in results}
    excellent = [u for u, c in classes.items() if c is Classification.EXCELLENT]
    good_or_better = sum(
        c in (Classification.EXCELLENT, Classification.GOOD) for c in classes.values()
    )
    quota = excellent_quota(good_or_better, rules.excellent_cap_percent)
    if quota is not None:
        ranks = [national_ranks[u] for u in excellent]
        for unit_id in excellent:
            if sum(1 for r in ranks if r <= national_ranks[unit_id]) > quota:
                classes[unit_id] = Classification.GOOD
    awarded = sum(c is Classification.EXCELLENT for c in classes.values())
    return classes, CapOutcome(quota, good_or_better, len(excellent), awarded)


@dataclass(frozen=True)
class Computation:
    """Everything the reference worked out for a period (the explain page reads it)."""

    leaf_list: list[Leaf]
    lines: dict[int, list[Line]]
    results: dict[int, UnitResult]
    national: dict[int, int]
    classes: dict[int, Classification]
    cap: CapOutcome
    leaders: dict[tuple[str, int], Fraction]


def compute(
    units: Sequence[Competitor],
    nodes: Iterable[Node],
    sheets: Sequence[Sheet],
    rules: Rules,
    decisions: Iterable[Decision] = (),
) -> Computation:
    """Every competing unit's lines and result, national ranks and classes."""
    leaf_list = leaves(nodes)
    sheets_of: dict[int, list[Sheet]] = defaultdict(list)
    for sheet in sheets:
        sheets_of[sheet.unit_id].append(sheet)
    decided = {(d.unit_id, d.criterion_id): d.vetoed for d in decisions}
    best = leaders(units, leaf_list, sheets_of, rules.aggregation)
    competing = [u for u in units if sheets_of.get(u.id)]
    lines = {
        u.id: unit_lines(u, leaf_list, sheets_of[u.id], rules.aggregation, best) for u in competing
    }
    results = {u.id: unit_result(u, lines[u.id], decided) for u in competing}
    ranked = [r for r in results.values() if not r.vetoed]
    national = competition_ranks(ranked, rules.tie_break)
    classes, cap = classifications(ranked, national, rules)
    for result in results.values():
        if result.vetoed:
            classes[result.unit_id] = Classification.NOT_COMPLETED
    return Computation(leaf_list, lines, results, national, classes, cap, best)


def standings(
    units: Sequence[Competitor],
    nodes: Iterable[Node],
    sheets: Sequence[Sheet],
    rules: Rules,
    decisions: Iterable[Decision] = (),
) -> list[Placed]:
    """Every scope's standings of a period: the reference for `recompute.recompute_period`."""
    done = compute(units, nodes, sheets, rules, decisions)
    members: dict[tuple[ScopeType, str], list[int]] = defaultdict(list)
    for unit in units:
        if unit.id in done.results:
            for scope in ((ScopeType.NATIONAL, "all"), *unit.scopes):
                members[scope].append(unit.id)
    placed = []
    for (scope_type, scope_key), unit_ids in members.items():
        ranked = [done.results[u] for u in unit_ids if not done.results[u].vetoed]
        ranks = competition_ranks(ranked, rules.tie_break)
        for unit_id in unit_ids:
            rank = ranks.get(unit_id, len(ranked) + 1)
            placed.append(
                Placed(
                    scope_type,
                    scope_key,
                    unit_id,
                    rank,
                    done.results[unit_id],
                    done.classes[unit_id],
                )
            )
    return placed
