"""Property test: the SQL recompute gives exactly the ranks, points and classes of ranking.py.

Runs on whichever database the suite runs on (SQLite locally, PostgreSQL in CI), so both
databases are held to the same pure reference. The random worlds cover nested criteria
trees, weights, capped groups, quantitative criteria with cluster/province leaders (both
directions), every aggregation method with up to six scorers, veto flags and decisions, ties
that survive the chain, and units retired or moved after the roster was recorded."""

import itertools
from fractions import Fraction

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy import select

from emulation.campaigns.models import Aggregation, Criterion, CriterionKind, PeriodStatus
from emulation.leaderboards.models import RosterEntry, ScopeType
from emulation.leaderboards.ranking import (
    Competitor,
    Decision,
    Node,
    Rules,
    Score,
    Sheet,
    standings,
)
from emulation.leaderboards.recompute import recompute_period
from emulation.leaderboards.roster import record_roster
from emulation.org.models import Unit, UnitKind
from emulation.scoring.models import BoardScore, ScoreSheet, SheetStatus, VetoDecision
from emulation.scoring.rules import Bands, round_half_away

K = CriterionKind
BASE = (K.DIRECT, K.QUANTITATIVE, K.PASS_FAIL)
_codes = itertools.count(1)
SCORERS = 6


@st.composite
def criteria(draw):
    """(code, kind, parent code, max points, weight, quantitative spec) rows of a tree."""
    rows = []
    for g in range(draw(st.integers(1, 3))):
        rows.append((f"G{g}", K.GROUP, None, draw(st.sampled_from([0, 500, 1200, 5000])), 100))
        parent = f"G{g}"
        if draw(st.booleans()):  # a nested subgroup: its leaves still count for G{g}
            rows.append((f"G{g}S", K.GROUP, parent, 0, 100))
            parent = f"G{g}S"
        for i in range(draw(st.integers(1, 3))):
            weight = draw(st.sampled_from([100, 100, 75, 50, 33]))
            rows.append((f"G{g}.{i}", draw(st.sampled_from(BASE)), parent, 1000, weight))
    for code, kind in (("B", K.BONUS), ("P", K.PENALTY)):
        rows.append((code, K.GROUP, None, draw(st.sampled_from([0, 300, 700])), 100))
        for i in range(draw(st.integers(1, 2))):
            rows.append((f"{code}{i}", kind, code, 1000, 100))
    rows.append(("V", K.GROUP, None, 0, 100))
    rows.append(("V0", K.VETO, "V", 0, 100))
    rows.append(("V1", K.VETO, "V", 0, 100))  # decisions are recorded on V0 only
    if draw(st.booleans()):
        rows.append(("T", K.DIRECT, None, 1000, draw(st.sampled_from([100, 50]))))
    specs = {
        row[0]: (
            draw(st.sampled_from([50, 333, 1000])),
            draw(st.sampled_from([None, 60, 80, 100])),
            draw(st.booleans()),
        )
        for row in rows
        if row[1] is K.QUANTITATIVE
    }
    return rows, specs


def points_for(kind, draw):
    if kind is K.PENALTY:
        return draw(st.sampled_from([0, -50, -101, -333, -500]))
    if kind is K.VETO:
        return 0
    return draw(st.sampled_from([0, 50, 101, 250, 333, 500, 999]))


def measured_for(kind, draw):
    if kind is K.QUANTITATIVE:
        return draw(st.sampled_from([None, 0, 17, 50, 333, 334, 999, 2000]))
    if kind is K.VETO:
        return draw(st.sampled_from([None, 0, 0, 0, 1]))
    return draw(st.sampled_from([None, 0, 1]))


# Pairs of province codes where a LIKE prefix without escaping would confuse the two.
PROVINCE_CODES = [("P01", "P02"), ("P_1", "PX1"), ("P%", "PQ"), ("P_", "P%")]
UNIT_PREFIXES = ["H", "H_", "H%", "_", "%"]


@st.composite
def worlds(draw):
    tree, specs = draw(criteria())
    leaves = [row for row in tree if row[1] is not K.GROUP]
    units = []
    for _ in range(draw(st.integers(1, 8))):
        unit = {
            "prefix": draw(st.sampled_from(UNIT_PREFIXES)),
            "province": draw(st.integers(0, 1)),
            "cluster": draw(st.sampled_from([None, 0, 1])),
            "kind": draw(st.sampled_from([UnitKind.COMMUNE, UnitKind.WARD, UnitKind.DISTRICT])),
            "active": draw(st.sampled_from([True, True, True, False])),
            "later": draw(st.sampled_from([None, None, "retire", "move"])),
            "decision": draw(st.sampled_from([None, None, True, False])),
            "sheets": [],
        }
        for _ in range(draw(st.integers(0, SCORERS))):
            status = draw(st.sampled_from([SheetStatus.SUBMITTED] * 3 + [SheetStatus.DRAFT]))
            scores = [
                (code, points_for(kind, draw), measured_for(kind, draw))
                for code, kind, *_ in leaves
                if draw(st.integers(0, 4))
            ]
            unit["sheets"].append((status, scores))
        if draw(st.booleans()) and len(unit["sheets"]) > 1:
            unit["sheets"][1] = unit["sheets"][0]  # identical sheets: more exact ties
        units.append(unit)
    if len(units) > 1 and draw(st.booleans()):
        units[1] = {**units[0], "decision": None}  # a twin unit: a tie the chain cannot break
    bands = sorted(draw(st.lists(st.integers(0, 4000), min_size=3, max_size=3, unique=True)))
    keys = ["fewer_penalties", "bonus", "group:G0", "group:B", "group:P", "group:T"]
    chain = ["total", *draw(st.lists(st.sampled_from(keys), unique=True, max_size=3))]
    rules = {
        "band_completed": bands[0],
        "band_good": bands[1],
        "band_excellent": bands[2],
        "excellent_cap_percent": draw(st.sampled_from([None, 0, 20, 50, 100])),
        "tie_break": chain,
        "aggregation": draw(st.sampled_from(list(Aggregation))),
    }
    shape = {
        "province_codes": draw(st.sampled_from(PROVINCE_CODES)),
        "districts": draw(st.booleans()),  # province → district → commune
    }
    return tree, specs, units, rules, shape


def build_criteria(session, period, tree, specs):
    nodes = {}
    for position, (code, kind, parent, max_points, weight) in enumerate(tree):
        target, share, higher = specs.get(code, (None, None, True))
        node = Criterion(
            period=period,
            code=code,
            kind=kind,
            title_vi=code,
            max_points=max_points,
            weight_percent=weight,
            position=position,
            parent=nodes.get(parent),
            target=target,
            target_share_percent=share,
            higher_is_better=higher,
        )
        session.add(node)
        nodes[code] = node
    return nodes


def build(make, tree, specs, units, rules, shape, scorers):
    session = make.session
    period = make.period(status=PeriodStatus.SCORING, **rules)
    nodes = build_criteria(session, period, tree, specs)
    provinces = [_province(make, code) for code in shape["province_codes"]]
    # With districts, every unit sits one level lower: its province is its grandparent.
    parents = provinces
    if shape["districts"]:
        parents = [
            make.unit(parent=p, code=f"{p.code}.D{next(_codes)}", kind=UnitKind.DISTRICT)
            for p in provinces
        ]
    clusters = [make.cluster(), make.cluster()]
    made, sheets = [], []
    for spec in units:
        cluster = clusters[spec["cluster"]] if spec["cluster"] is not None else None
        unit = Unit(
            code=f"{spec['prefix']}{next(_codes):05d}",
            name="Xã",
            kind=spec["kind"],
            parent=parents[spec["province"]],
            active=spec["active"],
            cluster=cluster,
        )
        session.add(unit)
        for scorer, (status, scores) in zip(scorers, spec["sheets"], strict=False):
            sheet = ScoreSheet(period=period, unit=unit, scorer=scorer, status=status)
            sheet.scores = [
                BoardScore(criterion=nodes[code], points=points, measured=measured)
                for code, points, measured in scores
            ]
            session.add(sheet)
            sheets.append(sheet)
        if spec["decision"] is not None:
            session.add(
                VetoDecision(
                    period=period, unit=unit, criterion=nodes["V0"], vetoed=spec["decision"]
                )
            )
        made.append((unit, spec))
    session.flush()
    record_roster(session, period)
    for unit, spec in made:  # after the roster: must not change this period's results
        if spec["later"] == "retire":
            unit.active = False
        elif spec["later"] == "move":
            unit.cluster = clusters[1] if unit.cluster is clusters[0] else clusters[0]
    session.commit()
    return period, nodes, sheets


def _province(make, code: str) -> Unit:
    """The province with this code (hypothesis examples share the database)."""
    found = make.session.scalar(select(Unit).where(Unit.code == code))
    return found or make.province(code=code)


def reference_inputs(session, period, nodes, sheets):
    roster = session.scalars(select(RosterEntry).where(RosterEntry.period_id == period.id))
    competitors = []
    for entry in roster:
        scopes = [(ScopeType.KIND, entry.kind.value)]
        if entry.province_code:
            scopes.append((ScopeType.PROVINCE, entry.province_code))
        if entry.cluster_code:
            scopes.append((ScopeType.CLUSTER, entry.cluster_code))
        competitors.append(
            Competitor(entry.unit_id, entry.code, tuple(scopes), entry.peer_key, "", entry.pools)
        )
    ref_nodes = [
        Node(
            n.id,
            n.parent_id,
            n.code,
            n.kind,
            n.max_points,
            n.weight_percent,
            n.target,
            n.target_share_percent,
            n.higher_is_better,
        )
        for n in nodes.values()
    ]
    ref_sheets = [
        Sheet(s.unit_id, tuple(Score(b.criterion_id, b.points, b.measured) for b in s.scores))
        for s in sheets
        if s.status is SheetStatus.SUBMITTED
    ]
    decisions = [
        Decision(d.unit_id, d.criterion_id, d.vetoed)
        for d in session.scalars(select(VetoDecision).where(VetoDecision.period_id == period.id))
    ]
    return competitors, ref_nodes, ref_sheets, decisions


def _scorers(make):
    scorers = getattr(_scorers, "cached", None)
    if scorers is None or scorers[0] not in make.session:
        scorers = [make.board_member() for _ in range(SCORERS)]
        _scorers.cached = scorers
    return scorers


@settings(
    max_examples=50,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(world=worlds())
def test_sql_recompute_matches_the_pure_reference(make, world):
    tree, specs, units, rules, shape = world
    period, nodes, sheets = build(make, tree, specs, units, rules, shape, _scorers(make))

    snapshot = recompute_period(make.session, period)
    make.session.commit()

    competitors, ref_nodes, ref_sheets, decisions = reference_inputs(
        make.session, period, nodes, sheets
    )
    bands = Bands(rules["band_excellent"], rules["band_good"], rules["band_completed"])
    reference = standings(
        competitors,
        ref_nodes,
        ref_sheets,
        Rules(
            bands, rules["excellent_cap_percent"], tuple(rules["tie_break"]), rules["aggregation"]
        ),
        decisions,
    )
    expected = {
        (p.scope_type, p.scope_key, p.unit_id): (
            p.rank,
            p.result.total,
            round_half_away(p.result.total),
            round_half_away(p.result.base),
            round_half_away(p.result.bonus),
            round_half_away(p.result.penalty),
            {group: round_half_away(value) for group, value in p.result.subtotals.items()},
            p.result.vetoed,
            p.result.under_review,
            p.classification,
        )
        for p in reference
    }
    got = {
        (s.scope_type, s.scope_key, s.unit_id): (
            s.rank,
            Fraction(s.exact_total, snapshot.scale),
            s.total,
            s.base,
            s.bonus,
            s.penalty,
            s.group_subtotals,
            s.vetoed,
            s.under_review,
            s.classification,
        )
        for s in (snapshot.standings if snapshot is not None else [])
    }
    assert got == expected
