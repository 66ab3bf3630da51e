"""The pure rules of `ranking.py`: the reference the SQL recompute is tested against."""

from emulation.campaigns.domain import Classification as C
from emulation.campaigns.domain import CriterionKind as K
from emulation.labels import tie_break_label
from emulation.leaderboards.domain import ScopeType
from emulation.leaderboards.ranking import (
    Competitor,
    Node,
    Rules,
    Score,
    Sheet,
    UnitResult,
    classifications,
    competition_ranks,
    criterion_points,
    effective_chain,
    leaves,
    standings,
    unit_result,
    veto_found,
)
from emulation.scoring.rules import Bands, mean_of_scorers


def result(unit_id, total, code=None, subtotals=None, bonus=0, penalty=0, vetoed=False):
    base = total - bonus - penalty
    return UnitResult(
        unit_id, code or f"U{unit_id:03d}", base, bonus, penalty, subtotals or {}, vetoed
    )


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
    # Still equal after the whole chain: shared rank.
    assert competition_ranks(rows, ["total", "bonus"]) == {1: 1, 2: 1, 3: 1}


def test_unit_code_breaks_the_last_tie_by_code_point_order():
    rows = [result(1, 8000, code="b1"), result(2, 8000, code="B2"), result(3, 8000, code="a")]
    assert competition_ranks(rows, ["total", "unit_code"]) == {2: 1, 3: 2, 1: 3}


def test_unknown_and_repeated_keys_are_ignored():
    assert effective_chain(["total", "nonsense", "total", "group:"]) == ("total",)
    assert effective_chain([]) == ("total",)


def test_criterion_points_is_the_mean_rounded_half_away_and_the_weight_applies_once():
    assert criterion_points([100, 101]) == mean_of_scorers([100, 101]) == 101
    assert criterion_points([-100, -101]) == -101
    assert criterion_points([-1, -2]) == -2  # −1.5 -> −2, not −1 (no floor division)
    assert criterion_points([333], weight_percent=50) == 167  # 166.5 -> 167
    assert criterion_points([]) == 0


def test_veto_needs_a_strict_majority_of_the_sheets():
    assert veto_found([1, 1, 0])
    assert not veto_found([1, 0])
    assert not veto_found([1, None, 0])


def test_groups_cap_base_bonus_and_penalty():
    nodes = [
        Node(1, None, "1", K.GROUP, 1000),
        Node(2, 1, "1.1", K.DIRECT, 800),
        Node(3, 1, "1.2", K.DIRECT, 800),
        Node(4, None, "B", K.GROUP, 500),
        Node(5, 4, "B1", K.BONUS, 600),
        Node(6, None, "P", K.GROUP, 300),
        Node(7, 6, "P1", K.PENALTY, 1000),
        Node(8, None, "V", K.GROUP, 0),
        Node(9, 8, "V1", K.VETO, 0),
    ]
    sheet = Sheet(1, (Score(2, 800), Score(3, 700), Score(5, 600), Score(7, -900), Score(9, 0, 1)))
    got = unit_result(Competitor(1, "U1"), leaves(nodes), [sheet])
    assert (got.base, got.bonus, got.penalty, got.total) == (1000, 500, -300, 1200)
    assert got.subtotals == {"1": 1000, "B": 500, "P": -300}
    assert got.vetoed


def excellent_world(cap):
    results = [result(i, 9500 - i * 100) for i in range(1, 6)]  # 9400..9000: all excellent
    results += [result(6, 8000), result(7, 8000), result(8, 7500), result(9, 9900, vetoed=True)]
    ranks = competition_ranks(results, ["total"])
    return classifications(results, ranks, Rules(Bands(), cap))


def test_bands_and_veto():
    classes = excellent_world(None)
    assert classes[1] is C.EXCELLENT and classes[6] is C.GOOD
    assert classes[9] is C.NOT_COMPLETED  # veto beats 99 points


def test_excellent_cap_keeps_the_best_n_of_those_rated_good_or_better():
    classes = excellent_world(25)  # 8 good or better -> 2 may stay excellent
    assert [u for u, c in classes.items() if c is C.EXCELLENT] == [1, 2]
    assert all(classes[u] is C.GOOD for u in (3, 4, 5, 6, 7, 8))


def test_units_tied_at_the_excellent_boundary_are_treated_alike():
    results = [result(1, 9500), result(2, 9400), result(3, 9400), result(4, 7000)]
    ranks = competition_ranks(results, ["total"])
    classes = classifications(results, ranks, Rules(Bands(), 50))  # 4 * 50% = 2 places
    assert classes[1] is C.EXCELLENT and classes[2] is C.GOOD and classes[3] is C.GOOD


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
        assert tie_break_label("unit_code") == "Mã đơn vị, theo thứ tự tăng dần"
