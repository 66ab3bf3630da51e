"""Property test: the SQL recompute gives exactly the ranks, points and classes of ranking.py.

Runs on whichever database the suite runs on (SQLite locally, PostgreSQL in CI), so both
databases are held to the same pure reference. The worlds include nested trees (province →
district → commune, as in 2021) and unit codes with `_` and `%`, which must never act as
wildcards when a unit is placed in its province; each example starts from an empty database."""

import itertools

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from emulation.campaigns.models import Criterion, CriterionKind, PeriodStatus
from emulation.leaderboards.models import ScopeType
from emulation.leaderboards.ranking import Competitor, Node, Rules, Score, Sheet, standings
from emulation.leaderboards.recompute import recompute_period
from emulation.org.models import Unit, UnitKind
from emulation.scoring.models import BoardScore, ScoreSheet, SheetStatus
from emulation.scoring.rules import Bands

K = CriterionKind
BASE = (K.DIRECT, K.QUANTITATIVE, K.PASS_FAIL)
_codes = itertools.count(1)


@st.composite
def criteria(draw):
    """(code, kind, parent code, max points, weight) rows of a random tree."""
    rows = []
    for g in range(draw(st.integers(1, 3))):
        rows.append((f"G{g}", K.GROUP, None, draw(st.sampled_from([0, 500, 1200, 5000])), 100))
        for i in range(draw(st.integers(1, 3))):
            weight = draw(st.sampled_from([100, 100, 75, 50, 33]))
            rows.append((f"G{g}.{i}", draw(st.sampled_from(BASE)), f"G{g}", 1000, weight))
    for code, kind in (("B", K.BONUS), ("P", K.PENALTY)):
        rows.append((code, K.GROUP, None, draw(st.sampled_from([0, 300, 700])), 100))
        for i in range(draw(st.integers(1, 2))):
            rows.append((f"{code}{i}", kind, code, 1000, 100))
    rows.append(("V", K.GROUP, None, 0, 100))
    rows.append(("V0", K.VETO, "V", 0, 100))
    if draw(st.booleans()):
        rows.append(("T", K.DIRECT, None, 1000, draw(st.sampled_from([100, 50]))))
    return rows


def points_for(kind, draw):
    if kind is K.PENALTY:
        return draw(st.sampled_from([0, -50, -101, -333, -500]))
    if kind is K.VETO:
        return 0
    return draw(st.sampled_from([0, 50, 101, 250, 333, 500, 999]))


# Pairs of province codes where a LIKE prefix without escaping would confuse the two.
PROVINCE_CODES = [("P01", "P02"), ("P_1", "PX1"), ("P%", "PQ"), ("P_", "P%")]
UNIT_PREFIXES = ["H", "H_", "H%", "_", "%"]


@st.composite
def worlds(draw):
    tree = draw(criteria())
    leaves = [row for row in tree if row[1] is not K.GROUP]
    units = []
    for _ in range(draw(st.integers(1, 8))):
        unit = {
            "prefix": draw(st.sampled_from(UNIT_PREFIXES)),
            "province": draw(st.integers(0, 1)),
            "cluster": draw(st.sampled_from([None, 0, 1])),
            "kind": draw(st.sampled_from([UnitKind.COMMUNE, UnitKind.WARD, UnitKind.DISTRICT])),
            "active": draw(st.sampled_from([True, True, True, False])),
            "sheets": [],
        }
        for _ in range(draw(st.integers(0, 3))):
            status = draw(st.sampled_from([SheetStatus.SUBMITTED] * 3 + [SheetStatus.DRAFT]))
            scores = [
                (code, points_for(kind, draw), draw(st.sampled_from([None, 0, 1])))
                for code, kind, *_ in leaves
                if draw(st.integers(0, 4))
            ]
            unit["sheets"].append((status, scores))
        units.append(unit)
    bands = sorted(draw(st.lists(st.integers(0, 4000), min_size=3, max_size=3, unique=True)))
    keys = ["fewer_penalties", "bonus", "unit_code", "group:G0", "group:B", "group:P"]
    chain = ["total", *draw(st.lists(st.sampled_from(keys), unique=True, max_size=3))]
    rules = {
        "band_completed": bands[0],
        "band_good": bands[1],
        "band_excellent": bands[2],
        "excellent_cap_percent": draw(st.sampled_from([None, 0, 20, 50, 100])),
        "tie_break": chain,
    }
    tree_shape = {
        "province_codes": draw(st.sampled_from(PROVINCE_CODES)),
        "districts": draw(st.booleans()),  # province → district → commune
    }
    return tree, units, rules, tree_shape


def build(make, tree, units, rules, shape, scorers):
    session = make.session
    period = make.period(status=PeriodStatus.SCORING, **rules)
    nodes = {}
    for position, (code, kind, parent, max_points, weight) in enumerate(tree):
        node = Criterion(
            period=period,
            code=code,
            kind=kind,
            title_vi=code,
            max_points=max_points,
            weight_percent=weight,
            position=position,
            parent=nodes.get(parent),
        )
        session.add(node)
        nodes[code] = node
    provinces = [make.province(code=code) for code in shape["province_codes"]]
    # With districts, every unit sits one level lower: its province is its grandparent.
    parents = provinces
    if shape["districts"]:
        parents = [
            make.unit(parent=p, code=f"{p.code}.D", kind=UnitKind.DISTRICT) for p in provinces
        ]
    clusters = [make.cluster(), make.cluster()]
    competitors, sheets = [], []
    for spec in units:
        province = provinces[spec["province"]]
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
        session.flush()
        if spec["active"] and spec["kind"].competes:
            scopes = [(ScopeType.PROVINCE, province.code), (ScopeType.KIND, spec["kind"].value)]
            if cluster is not None:
                scopes.append((ScopeType.CLUSTER, cluster.code))
            competitors.append(Competitor(unit.id, unit.code, tuple(scopes)))
    session.commit()
    ref_nodes = [
        Node(n.id, n.parent_id, n.code, n.kind, n.max_points, n.weight_percent)
        for n in nodes.values()
    ]
    ref_sheets = [
        Sheet(s.unit_id, tuple(Score(b.criterion_id, b.points, b.measured) for b in s.scores))
        for s in sheets
        if s.status is SheetStatus.SUBMITTED
    ]
    return period, competitors, ref_nodes, ref_sheets


@settings(
    max_examples=40,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(world=worlds())
def test_sql_recompute_matches_the_pure_reference(make, reset_db, world):
    reset_db()
    tree, units, rules, shape = world
    scorers = [make.board_member() for _ in range(3)]
    period, competitors, nodes, sheets = build(make, tree, units, rules, shape, scorers)

    snapshot = recompute_period(make.session, period)
    make.session.commit()

    reference = standings(
        competitors,
        nodes,
        sheets,
        Rules(
            Bands(rules["band_excellent"], rules["band_good"], rules["band_completed"]),
            rules["excellent_cap_percent"],
            tuple(rules["tie_break"]),
        ),
    )
    expected = {
        (p.scope_type, p.scope_key, p.unit_id): (
            p.rank,
            p.result.total,
            p.result.base,
            p.result.bonus,
            p.result.penalty,
            p.result.subtotals,
            p.result.vetoed,
            p.classification,
        )
        for p in reference
    }
    got = {
        (s.scope_type, s.scope_key, s.unit_id): (
            s.rank,
            s.total,
            s.base,
            s.bonus,
            s.penalty,
            s.group_subtotals,
            s.vetoed,
            s.classification,
        )
        for s in (snapshot.standings if snapshot is not None else [])
    }
    assert got == expected
