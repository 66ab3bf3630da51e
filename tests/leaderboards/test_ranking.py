"""The pure rules of `ranking.py`, one hand-computed example per rule of the rules page."""

from fractions import Fraction as F

from emulation.campaigns.domain import Aggregation as A
from emulation.campaigns.domain import Classification as C
from emulation.campaigns.domain import CriterionKind as K
from emulation.labels import tie_break_label
from emulation.leaderboards.domain import ScopeType
from emulation.leaderboards.ranking import (
    Competitor,
    Decision,
    Node,
    Rules,
    Score,
    Sheet,
    UnitResult,
    classifications,
    competition_ranks,
    compute,
    deciding_key,
    effective_chain,
    standings,
)
from emulation.scoring.rules import Bands, aggregate, round_half_away


def result(unit_id, total, subtotals=None, bonus=0, penalty=0, vetoed=False):
    base = total - bonus - penalty
    subtotals = {k: F(v) for k, v in (subtotals or {}).items()}
    return UnitResult(unit_id, f"U{unit_id:03d}", F(base), F(bonus), F(penalty), subtotals, vetoed)


def national(units, nodes, sheets, rules=None, decisions=()):
    rules = rules or Rules()
    return {
        p.unit_id: p
        for p in standings(units, nodes, sheets, rules, decisions)
        if p.scope_key == "all"
    }


# --- rule 1: exact aggregation, rounding once for display ---------------------------------
def test_aggregation_is_exact_for_every_method():
    assert aggregate([100, 101]) == F(201, 2)  # 1.005 points, not 1.01
    assert aggregate([100, 300, 1000], A.MEDIAN) == 300
    assert aggregate([1000, 100, 300, 200], A.MEDIAN) == 250  # (200 + 300) / 2
    assert aggregate([0, 100, 200, 300, 10000], A.TRIMMED_MEAN) == 200  # 600 / 3
    assert aggregate([0, 100, 200, 10000], A.TRIMMED_MEAN) == F(10300, 4)  # < 5: the mean
    assert round_half_away(F(201, 2)) == 101 and round_half_away(F(-201, 2)) == -101


def test_two_sheets_no_longer_gain_from_rounding():
    nodes = [Node(1, None, "1", K.DIRECT, 2000), Node(2, None, "2", K.DIRECT, 2000)]
    units = [Competitor(1, "A"), Competitor(2, "B")]
    sheets = [
        # A: one sheet, 10.01 + 10.00 = 20.01 points.
        Sheet(1, (Score(1, 1001), Score(2, 1000))),
        # B: two sheets, means 10.005 and 10.000 = 20.005 points (rounded per criterion it
        # was 10.01 + 10.00 = 20.01, a tie with A decided by the unit code).
        Sheet(2, (Score(1, 1000), Score(2, 1000))),
        Sheet(2, (Score(1, 1001), Score(2, 1000))),
    ]
    placed = national(units, nodes, sheets)
    assert placed[1].result.total == 2001 and placed[1].rank == 1
    assert placed[2].result.total == F(4001, 2) and placed[2].rank == 2
    assert round_half_away(placed[2].result.total) == 2001  # displayed 20.01, ranked below


def test_weights_apply_exactly():
    nodes = [Node(1, None, "1", K.DIRECT, 1000, weight_percent=50)]
    done = compute([Competitor(1, "A")], nodes, [Sheet(1, (Score(1, 333),))], Rules())
    assert done.results[1].total == F(333, 2)  # 1.665 points, shown 1.67


def test_groups_cap_base_bonus_and_penalty():
    nodes = [
        Node(1, None, "1", K.GROUP, 1000),
        Node(2, 1, "1.1", K.DIRECT, 800),
        Node(10, 1, "1.S", K.GROUP, 0),  # a nested subgroup still counts for group 1
        Node(3, 10, "1.S.1", K.DIRECT, 800),
        Node(4, None, "B", K.GROUP, 500),
        Node(5, 4, "B1", K.BONUS, 600),
        Node(6, None, "P", K.GROUP, 300),
        Node(7, 6, "P1", K.PENALTY, 1000),
    ]
    sheet = Sheet(1, (Score(2, 800), Score(3, 700), Score(5, 600), Score(7, -900)))
    got = compute([Competitor(1, "U1")], nodes, [sheet], Rules()).results[1]
    assert (got.base, got.bonus, got.penalty, got.total) == (1000, 500, -300, 1200)
    assert got.subtotals == {"1": 1000, "B": 500, "P": -300}


# --- rule 2: quantitative criteria, the cluster leader gets full marks --------------------
QUANT = Node(1, None, "Q", K.QUANTITATIVE, 1000, target=8000, target_share_percent=80)


def quantitative_units(measured: dict[int, int], peer_of=lambda unit_id: "c:C1", pools_of=None):
    pools_of = pools_of or (lambda unit_id: ())
    units = [Competitor(u, f"U{u}", peer=peer_of(u), pools=pools_of(u)) for u in measured]
    sheets = [Sheet(u, (Score(1, 0, value),)) for u, value in measured.items()]
    return compute(units, [QUANT], sheets, Rules()).results


def test_quantitative_points_use_the_cluster_leader():
    # Target 80 (share 80% of 10 points = 8 points), leader 100.
    got = quantitative_units({1: 9000, 2: 10000, 3: 8000, 4: 4000})
    assert got[2].total == 1000  # the leader: full max
    assert got[3].total == 800  # at target: the target share
    assert got[1].total == 900  # 8 + 2 × (90 − 80) / (100 − 80)
    assert got[4].total == 400  # below target: 8 × 40 / 80


def test_units_without_a_cluster_are_led_within_their_province():
    peers = {1: "c:C1", 2: "c:C1", 3: "p:01", 4: "p:02"}
    pools = {1: ("c:C1", "p:01"), 2: ("c:C1", "p:01"), 3: ("p:01",), 4: ("p:02",)}
    got = quantitative_units({1: 9000, 2: 10000, 3: 9000, 4: 9000}, peers.get, pools.get)
    assert got[1].total == 900
    assert got[3].total == 900  # led by unit 2 of its province, clustered or not
    assert got[4].total == 1000  # the best of its province


def test_quantitative_lower_is_better_reflects_around_the_target():
    # Late filings, target 5 (share 80%): reflected, 1 -> 9, 3 -> 7, 7.5 -> 2.5; leader 9.
    node = Node(
        1,
        None,
        "Q",
        K.QUANTITATIVE,
        1000,
        target=500,
        target_share_percent=80,
        higher_is_better=False,
    )
    units = [Competitor(u, f"U{u}", peer="c:1") for u in (1, 2, 3)]
    sheets = [Sheet(1, (Score(1, 0, 100),)), Sheet(2, (Score(1, 0, 300),))]
    sheets += [Sheet(3, (Score(1, 0, 750),))]
    got = compute(units, [node], sheets, Rules()).results
    assert got[1].total == 1000  # fewest: the leader
    assert got[2].total == 900  # 8 + 2 × (7 − 5) / (9 − 5)
    assert got[3].total == 400  # 8 × 2.5 / 5


def test_quantitative_measured_values_are_aggregated_exactly():
    units = [Competitor(1, "A", peer="c"), Competitor(2, "B", peer="c")]
    sheets = [
        Sheet(1, (Score(1, 0, 9000),)),
        Sheet(1, (Score(1, 0, 9001),)),  # mean 9000.5
        Sheet(2, (Score(1, 0, 10000),)),
    ]
    got = compute(units, [QUANT], sheets, Rules()).results
    # 8 + 2 × (90.005 − 80) / (100 − 80) = 9.0005 points -> 9.00 (the formula rounds once)
    assert got[1].total == 900


# --- rule 3: vetoes are decisions ---------------------------------------------------------
VETO_NODES = [Node(1, None, "1", K.DIRECT, 1000), Node(2, None, "V", K.VETO, 0)]


def test_a_decided_veto_is_not_ranked_and_listed_after_ranked_units():
    units = [Competitor(u, f"U{u}") for u in (1, 2, 3, 4)]
    sheets = [
        Sheet(1, (Score(1, 900), Score(2, 0, 1))),  # flagged, decided: vetoed
        Sheet(2, (Score(1, 800), Score(2, 0, 1))),  # flagged, undecided: under review
        Sheet(3, (Score(1, 700), Score(2, 0, 1))),  # flagged, decided: not vetoed
        Sheet(4, (Score(1, 600),)),
    ]
    decisions = [Decision(1, 2, True), Decision(3, 2, False)]
    placed = national(units, VETO_NODES, sheets, decisions=decisions)
    assert {u: p.rank for u, p in placed.items()} == {2: 1, 3: 2, 4: 3, 1: 4}
    assert placed[1].result.vetoed and placed[1].classification is C.NOT_COMPLETED
    assert placed[2].result.under_review and not placed[2].result.vetoed
    assert not placed[3].result.under_review


def test_one_flag_is_not_a_veto_whatever_the_order_of_sheets():
    units = [Competitor(1, "A")]
    sheets = [Sheet(1, (Score(1, 900), Score(2, 0, 1))), Sheet(1, (Score(1, 900), Score(2, 0, 0)))]
    placed = national(units, VETO_NODES, sheets)
    assert not placed[1].result.vetoed and placed[1].result.under_review


# --- rule 4: ties share a rank after a meaningful chain -----------------------------------
def test_equal_totals_share_a_rank_and_the_next_rank_is_skipped():
    rows = [result(1, 9000), result(2, 8000), result(3, 8000), result(4, 7000)]
    assert competition_ranks(rows, ["total"]) == {1: 1, 2: 2, 3: 2, 4: 4}


def test_the_chain_breaks_ties_in_the_configured_order():
    rows = [
        result(1, 8000, subtotals={"4": 1500}, penalty=-500),
        result(2, 8000, subtotals={"4": 2000}, penalty=-900),
        result(3, 8000, subtotals={"4": 1500}, penalty=0),
    ]
    assert competition_ranks(rows, ["total", "group:4", "fewer_penalties"]) == {2: 1, 3: 2, 1: 3}
    assert competition_ranks(rows, ["total", "fewer_penalties", "group:4"]) == {3: 1, 1: 2, 2: 3}
    assert deciding_key(rows[0], rows[1], ["total", "group:4"]) == "group:4"
    # Still equal after the whole chain: shared rank.
    assert competition_ranks(rows, ["total", "bonus"]) == {1: 1, 2: 1, 3: 1}
    assert deciding_key(rows[0], rows[2], ["total", "bonus"]) is None


def test_the_unit_code_is_not_a_tie_break():
    assert effective_chain(["total", "unit_code"]) == ("total",)
    rows = [result(1, 8000), result(2, 8000)]
    assert competition_ranks(rows, ["total", "unit_code"]) == {1: 1, 2: 1}


def test_unknown_and_repeated_keys_are_ignored():
    assert effective_chain(["total", "nonsense", "total", "group:"]) == ("total",)
    assert effective_chain([]) == ("total",)


# --- rule 6: the excellent cap ------------------------------------------------------------
def excellent_world(cap):
    results = [result(i, 9500 - i * 100) for i in range(1, 6)]  # 9400..9000: all excellent
    results += [result(6, 8000), result(7, 8000), result(8, 7500)]
    ranks = competition_ranks(results, ["total"])
    return classifications(results, ranks, Rules(Bands(), cap))


def test_bands():
    classes, cap = excellent_world(None)
    assert classes[1] is C.EXCELLENT and classes[6] is C.GOOD
    assert cap.quota is None and cap.awarded == 5


def test_excellent_cap_keeps_the_best_n_of_those_rated_good_or_better():
    classes, cap = excellent_world(25)  # 8 good or better -> 2 may stay excellent
    assert [u for u, c in classes.items() if c is C.EXCELLENT] == [1, 2]
    assert all(classes[u] is C.GOOD for u in (3, 4, 5, 6, 7, 8))
    assert (cap.good_or_better, cap.quota, cap.by_band, cap.awarded) == (8, 2, 5, 2)


def test_a_tie_straddling_the_quota_is_demoted_as_a_whole():
    results = [result(1, 9500), result(2, 9400), result(3, 9400), result(4, 7000)]
    ranks = competition_ranks(results, ["total"])
    classes, cap = classifications(results, ranks, Rules(Bands(), 50))  # 4 × 50% = 2 places
    assert classes[1] is C.EXCELLENT and classes[2] is C.GOOD and classes[3] is C.GOOD
    assert (cap.quota, cap.awarded) == (2, 1)  # one place stays empty


# --- scopes -------------------------------------------------------------------------------
def test_standings_rank_every_scope_and_skip_units_without_sheets():
    nodes = [Node(1, None, "1", K.DIRECT, 1000)]
    units = [
        Competitor(1, "A", ((ScopeType.PROVINCE, "01"),)),
        Competitor(2, "B", ((ScopeType.PROVINCE, "02"),)),
        Competitor(3, "C", ((ScopeType.PROVINCE, "02"),)),
    ]
    sheets = [Sheet(1, (Score(1, 500),)), Sheet(2, (Score(1, 900),))]
    placed = {
        (p.scope_type, p.scope_key, p.unit_id): p.rank
        for p in standings(units, nodes, sheets, Rules())
    }
    assert placed == {
        (ScopeType.NATIONAL, "all", 2): 1,
        (ScopeType.NATIONAL, "all", 1): 2,
        (ScopeType.PROVINCE, "01", 1): 1,
        (ScopeType.PROVINCE, "02", 2): 1,
    }


def test_tie_break_labels_are_translated(app):
    from flask_babel import force_locale

    with force_locale("en"):
        assert tie_break_label("total") == "Higher total points"
        assert tie_break_label("group:4") == "Higher subtotal of group 4"
    with force_locale("vi"):
        assert tie_break_label("total") == "Tổng điểm cao hơn"
        assert tie_break_label("group:4") == "Điểm nhóm tiêu chí 4 cao hơn"
        assert tie_break_label("fewer_penalties") == "Ít điểm trừ hơn"
        assert tie_break_label("bonus") == "Điểm thưởng cao hơn"
