"""Pure scoring rules (no app, no database)."""

import pytest
from hypothesis import given
from hypothesis import strategies as st

from emulation.campaigns.models import Classification, CriterionKind
from emulation.scoring.rules import (
    Bands,
    CriterionSpec,
    RuleError,
    classify,
    count_points,
    excellent_quota,
    mean_of_scorers,
    points_for,
    quantitative_points,
    round_half_away,
    unit_total,
)

QUANT = CriterionSpec(CriterionKind.QUANTITATIVE, 500, target=7500, target_share_percent=80)


def test_quantitative_below_target_is_prorated_toward_the_target_share():
    assert quantitative_points(QUANT, 3750) == 200  # half the target -> half of 80% of 5
    assert quantitative_points(QUANT, 0) == 0


def test_quantitative_at_target_gets_the_share_and_the_leader_gets_full_marks():
    assert quantitative_points(QUANT, 7500) == 400
    assert quantitative_points(QUANT, 9000, leader=9000) == 500
    assert quantitative_points(QUANT, 8250, leader=9000) == 450  # halfway -> interpolated
    assert quantitative_points(QUANT, 9500) == 400  # no leader known: the target share


def test_quantitative_lower_is_better():
    spec = CriterionSpec(
        CriterionKind.QUANTITATIVE,
        400,
        target=1000,
        target_share_percent=100,
        higher_is_better=False,
    )
    assert quantitative_points(spec, 1000) == 400
    assert quantitative_points(spec, 1500) == 200


def test_quantitative_without_target_is_an_error():
    with pytest.raises(RuleError):
        quantitative_points(CriterionSpec(CriterionKind.QUANTITATIVE, 500), 10)


def test_bonus_and_penalty_are_capped_counts():
    bonus = CriterionSpec(CriterionKind.BONUS, 450, points_per_item=150)
    penalty = CriterionSpec(CriterionKind.PENALTY, 500, points_per_item=50)
    assert count_points(bonus, 2) == 300 and count_points(bonus, 5) == 450
    assert count_points(penalty, 3) == -150 and count_points(penalty, 40) == -500
    with pytest.raises(RuleError):
        count_points(bonus, -1)


def test_direct_pass_fail_and_veto():
    direct = CriterionSpec(CriterionKind.DIRECT, 300)
    assert points_for(direct, 275) == 275
    with pytest.raises(RuleError):
        points_for(direct, 325)
    assert points_for(CriterionSpec(CriterionKind.PASS_FAIL, 400), 1) == 400
    assert points_for(CriterionSpec(CriterionKind.PASS_FAIL, 400), 0) == 0
    assert points_for(CriterionSpec(CriterionKind.VETO, 0), 1) == 0


def test_mean_of_scorers_rounds_half_away_from_zero():
    assert mean_of_scorers([100, 101]) == 101  # 100.5 -> 101
    assert mean_of_scorers([-100, -101]) == -101
    assert mean_of_scorers([100, 100, 101]) == 100


@given(st.lists(st.integers(-10_000, 10_000), min_size=1, max_size=8))
def test_mean_is_within_one_hundredth_of_the_exact_mean(values):
    mean = mean_of_scorers(values)
    assert abs(mean * len(values) - sum(values)) <= len(values) / 2


def test_round_half_away_is_symmetric():
    assert [round_half_away(v) for v in (0, 1, -1)] == [0, 1, -1]


def test_totals_cap_the_bonus_and_subtract_penalties():
    total = unit_total([2000, 1500], [300, 800], [-300], bonus_cap=1000)
    assert (total.base, total.bonus, total.penalty, total.total) == (3500, 1000, -300, 4200)


def test_classification_bands_and_veto():
    bands = Bands()
    assert classify(9000, bands) is Classification.EXCELLENT
    assert classify(8999, bands) is Classification.GOOD
    assert classify(7000, bands) is Classification.GOOD
    assert classify(5000, bands) is Classification.COMPLETED
    assert classify(4999, bands) is Classification.NOT_COMPLETED
    assert classify(10000, bands, vetoed=True) is Classification.NOT_COMPLETED


def test_excellent_quota_rounds_down():
    assert excellent_quota(10, 20) == 2 and excellent_quota(9, 20) == 1
    assert excellent_quota(100, None) is None
