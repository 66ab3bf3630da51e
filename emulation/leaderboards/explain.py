"""Explain a rank: how one unit's total in one leaderboard was built, with exact figures.

The figures come from the pure reference (`ranking.py`) run on the unit's own submitted
sheets and, for quantitative criteria, on the measured values of its peer group; they
reproduce the snapshot's exact total (`matches` says so, and a test walks every unit of a
demo period). Nothing here writes."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import datetime
from fractions import Fraction

from sqlalchemy import func, select
from sqlalchemy.orm import Session, joinedload, selectinload

from emulation.assessments.models import SelfAssessment
from emulation.campaigns.criteria import walk
from emulation.campaigns.models import Aggregation, Classification, Criterion, CriterionKind
from emulation.leaderboards import ranking
from emulation.leaderboards.models import RosterEntry, ScopeType, Snapshot, Standing
from emulation.leaderboards.queries import BOARD_ORDER
from emulation.org.models import Unit
from emulation.scoring.models import BoardScore, ScoreSheet, SheetStatus, VetoDecision
from emulation.scoring.rules import Bands, classify, excellent_quota

K = CriterionKind


@dataclass(frozen=True)
class Scorer:
    number: int  # "member 1, 2 …": the order of the submitted sheets
    name: str  # empty for the public (anonymised)
    value: int | None  # points, or the measured value of a quantitative/veto criterion


@dataclass(frozen=True)
class CriterionRow:
    criterion: Criterion
    depth: int
    line: ranking.Line | None  # None for a group
    self_points: int | None
    self_measured: int | None
    scorers: tuple[Scorer, ...] = ()
    leader_units: tuple[str, ...] = ()


@dataclass(frozen=True)
class GroupRow:
    code: str
    title: str
    category: str
    raw: Fraction
    capped: Fraction
    cap: int


@dataclass(frozen=True)
class VetoRow:
    criterion: Criterion
    flagged: int
    sheets: int
    decision: VetoDecision | None


@dataclass(frozen=True)
class Neighbour:
    name: str
    code: str
    rank: int
    key: str | None  # the first chain key on which they differ; None: equal on all


@dataclass
class Explanation:
    period: object
    snapshot: Snapshot
    standing: Standing
    unit: Unit
    entry: RosterEntry | None
    aggregation: Aggregation
    rows: list[CriterionRow] = field(default_factory=list)
    groups: list[GroupRow] = field(default_factory=list)
    result: ranking.UnitResult | None = None
    vetoes: list[VetoRow] = field(default_factory=list)
    band: Classification | None = None
    cap: ranking.CapOutcome | None = None
    chain: tuple[str, ...] = ()
    above: Neighbour | None = None
    below: Neighbour | None = None
    sharing: list[str] = field(default_factory=list)
    names_shown: bool = False
    computed_at: datetime | None = None

    @property
    def exact_total(self) -> Fraction:
        return Fraction(self.standing.exact_total, self.snapshot.scale)

    @property
    def matches(self) -> bool:
        """The figures reproduce the published exact total."""
        return self.result is not None and self.result.total == self.exact_total

    @property
    def cap_applied(self) -> bool:
        return self.band is Classification.EXCELLENT and (
            self.standing.classification is Classification.GOOD
        )


# --- inputs -------------------------------------------------------------------------------
def _nodes(period) -> tuple[list[tuple[Criterion, int]], list[ranking.Node]]:
    tree = list(walk(period))
    nodes = [
        ranking.Node(
            c.id,
            c.parent_id,
            c.code,
            c.kind,
            c.max_points,
            c.weight_percent,
            c.target,
            c.target_share_percent,
            c.higher_is_better,
        )
        for c, _depth in tree
    ]
    return tree, nodes


def _sheets(session: Session, period_id: int, unit_ids, criterion_ids=None) -> list[ScoreSheet]:
    query = (
        select(ScoreSheet)
        .where(
            ScoreSheet.period_id == period_id,
            ScoreSheet.unit_id.in_(list(unit_ids)),
            ScoreSheet.status == SheetStatus.SUBMITTED,
        )
        .options(selectinload(ScoreSheet.scores), joinedload(ScoreSheet.scorer))
        .order_by(ScoreSheet.id)
    )
    return list(session.scalars(query).unique())


def _reference_sheets(sheets: list[ScoreSheet], only=None) -> list[ranking.Sheet]:
    return [
        ranking.Sheet(
            s.unit_id,
            tuple(
                ranking.Score(b.criterion_id, b.points, b.measured)
                for b in s.scores
                if only is None or b.criterion_id in only
            ),
            s.scorer_id,
        )
        for s in sheets
    ]


def _competitor(entry: RosterEntry) -> ranking.Competitor:
    return ranking.Competitor(
        entry.unit_id, entry.code, peer=entry.peer_key, name=entry.name, pools=entry.pools
    )


def _pool(session: Session, period_id: int, entry: RosterEntry) -> list[RosterEntry]:
    """The roster units whose measured values compete with this unit's (its peer group)."""
    query = select(RosterEntry).where(RosterEntry.period_id == period_id)
    if entry.cluster_code:
        query = query.where(RosterEntry.cluster_code == entry.cluster_code)
    else:
        query = query.where(RosterEntry.province_code == entry.province_code)
    return list(session.scalars(query))


def _leaders(session, period, entry, leaf_list, method):
    """(best aggregated measured value per criterion, names of the units holding it)."""
    quantitative = {leaf.id: leaf for leaf in leaf_list if leaf.spec is not None}
    if not quantitative:
        return {}, {}
    pool = _pool(session, period.id, entry)
    sheets_of = defaultdict(list)
    for sheet in _reference_sheets(
        _sheets(session, period.id, [e.unit_id for e in pool], set(quantitative)), quantitative
    ):
        sheets_of[sheet.unit_id].append(sheet)
    units = [ranking.Competitor(e.unit_id, e.code, peer=entry.peer_key, name=e.name) for e in pool]
    best = ranking.leaders(units, leaf_list, sheets_of, method)
    holders: dict[int, list[str]] = defaultdict(list)
    for unit in units:
        scores = [s for sheet in sheets_of.get(unit.id, []) for s in sheet.scores]
        for leaf_id in quantitative:
            mine = [s for s in scores if s.criterion_id == leaf_id]
            value = ranking.measured_aggregate(mine, method)
            if value is not None and value == best.get((entry.peer_key, leaf_id)):
                holders[leaf_id].append(unit.name)
    return best, holders


def _decisions(session: Session, period_id: int, unit_id: int) -> list[VetoDecision]:
    return list(
        session.scalars(
            select(VetoDecision)
            .where(VetoDecision.period_id == period_id, VetoDecision.unit_id == unit_id)
            .options(joinedload(VetoDecision.decided_by))
        )
    )


def unit_outcome(session, period, entry, leaf_list):
    """(lines, result, sheets) of one roster unit, by the reference rules."""
    method = Aggregation(period.aggregation)
    best, holders = _leaders(session, period, entry, leaf_list, method)
    sheets = _sheets(session, period.id, [entry.unit_id])
    lines = ranking.unit_lines(
        _competitor(entry), leaf_list, _reference_sheets(sheets), method, best
    )
    decided = {
        (d.unit_id, d.criterion_id): d.vetoed for d in _decisions(session, period.id, entry.unit_id)
    }
    return lines, ranking.unit_result(_competitor(entry), lines, decided), sheets, holders


# --- the explanation ----------------------------------------------------------------------
def explain(
    session: Session,
    snapshot: Snapshot,
    standing: Standing,
    *,
    names: bool = False,
    locale: str = "vi",
) -> Explanation:
    """How `standing` (one row of one leaderboard of `snapshot`) was built."""
    period = snapshot.period
    entry = session.scalar(
        select(RosterEntry).where(
            RosterEntry.period_id == period.id, RosterEntry.unit_id == standing.unit_id
        )
    )
    out = Explanation(
        period,
        snapshot,
        standing,
        standing.unit,
        entry,
        Aggregation(period.aggregation),
        names_shown=names,
        computed_at=snapshot.computed_at,
        chain=ranking.effective_chain(period.tie_break or ()),
    )
    if entry is None:
        return out
    tree, nodes = _nodes(period)
    leaf_list = ranking.leaves(nodes)
    lines, result, sheets, holders = unit_outcome(session, period, entry, leaf_list)
    out.result = result
    out.rows = _rows(session, period, standing.unit_id, tree, lines, sheets, holders, names)
    out.groups = _groups(tree, lines, locale)
    out.vetoes = _vetoes(session, period, standing.unit_id, tree, lines, len(sheets))
    bands = Bands(period.band_excellent, period.band_good, period.band_completed)
    out.band = classify(result.total, bands, result.vetoed)
    out.cap = cap_outcome(session, snapshot)
    if not standing.vetoed:
        _neighbours(session, out, leaf_list)
    return out


def _rows(session, period, unit_id, tree, lines, sheets, holders, names) -> list[CriterionRow]:
    assessment = session.scalar(
        select(SelfAssessment)
        .where(SelfAssessment.period_id == period.id, SelfAssessment.unit_id == unit_id)
        .options(selectinload(SelfAssessment.scores))
    )
    own = {s.criterion_id: s for s in (assessment.scores if assessment else [])}
    by_leaf = {line.leaf.id: line for line in lines}
    labels = [(s.scorer.full_name or s.scorer.username) if names else "" for s in sheets]
    rows = []
    for criterion, depth in tree:
        line = by_leaf.get(criterion.id)
        scorers = ()
        if line is not None:
            scorers = tuple(
                Scorer(i + 1, labels[i], _value(score, criterion))
                for i, sheet in enumerate(sheets)
                for score in sheet.scores
                if score.criterion_id == criterion.id
            )
        mine = own.get(criterion.id)
        rows.append(
            CriterionRow(
                criterion,
                depth,
                line,
                mine.points if mine else None,
                mine.measured if mine else None,
                scorers,
                tuple(holders.get(criterion.id, ())),
            )
        )
    return rows


def _value(score: BoardScore, criterion: Criterion) -> int | None:
    if criterion.kind in (K.QUANTITATIVE, K.VETO):
        return score.measured
    return score.points


def _groups(tree, lines, locale) -> list[GroupRow]:
    titles = {c.code: c.title(locale) for c, depth in tree if depth == 0}
    return [
        GroupRow(group, titles.get(group, group), category, raw, capped, cap)
        for (group, category), (raw, capped, cap) in ranking.group_sums(lines).items()
    ]


def _vetoes(session, period, unit_id, tree, lines, sheet_count) -> list[VetoRow]:
    decisions = {d.criterion_id: d for d in _decisions(session, period.id, unit_id)}
    by_id = {c.id: c for c, _depth in tree}
    return [
        VetoRow(by_id[line.leaf.id], line.flagged, sheet_count, decisions.get(line.leaf.id))
        for line in lines
        if line.leaf.category == "veto" and (line.flagged or line.leaf.id in decisions)
    ]


def cap_outcome(session: Session, snapshot: Snapshot) -> ranking.CapOutcome:
    """The excellent cap of a snapshot: good or better, quota, excellent by band, awarded."""
    period = snapshot.period
    national = (
        Standing.snapshot_id == snapshot.id,
        Standing.scope_type == ScopeType.NATIONAL,
    )

    def count(*where) -> int:
        return session.scalar(select(func.count(Standing.unit_id)).where(*national, *where)) or 0

    good = (Classification.EXCELLENT, Classification.GOOD)
    good_or_better = count(Standing.classification.in_(good))
    by_band = count(
        Standing.vetoed.is_(False),
        Standing.exact_total >= period.band_excellent * snapshot.scale,
    )
    awarded = count(Standing.classification == Classification.EXCELLENT)
    quota = excellent_quota(good_or_better, period.excellent_cap_percent)
    return ranking.CapOutcome(quota, good_or_better, by_band, awarded)


def _neighbours(session: Session, out: Explanation, leaf_list) -> None:
    """The units just above and below, and those sharing the rank, with the deciding key."""
    standing = out.standing
    board = (
        Standing.snapshot_id == standing.snapshot_id,
        Standing.scope_type == standing.scope_type,
        Standing.scope_key == standing.scope_key,
        Standing.vetoed.is_(False),
    )
    base = select(Standing).join(Unit, Unit.id == Standing.unit_id).where(*board)
    above = session.scalar(
        base.where(Standing.rank < standing.rank)
        .order_by(*(c.desc() for c in BOARD_ORDER))
        .limit(1)
    )
    below = session.scalar(
        base.where(Standing.rank > standing.rank).order_by(*BOARD_ORDER).limit(1)
    )
    same = session.scalars(
        base.where(Standing.rank == standing.rank, Standing.unit_id != standing.unit_id).order_by(
            *BOARD_ORDER
        )
    ).all()
    out.sharing = [row.unit.name for row in same]
    out.above = _neighbour(session, out, above, leaf_list)
    out.below = _neighbour(session, out, below, leaf_list)


def _neighbour(session, out: Explanation, row: Standing | None, leaf_list) -> Neighbour | None:
    if row is None:
        return None
    entry = session.scalar(
        select(RosterEntry).where(
            RosterEntry.period_id == out.period.id, RosterEntry.unit_id == row.unit_id
        )
    )
    key = None
    if entry is not None:
        _lines, theirs, _sheets, _holders = unit_outcome(session, out.period, entry, leaf_list)
        key = ranking.deciding_key(out.result, theirs, out.chain)
    return Neighbour(row.unit.name, row.unit.code, row.rank, key)
