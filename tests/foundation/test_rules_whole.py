"""`quantitative_points` on whole inputs (integer arithmetic) against the exact Fraction rule."""

from fractions import Fraction

from hypothesis import given
from hypothesis import strategies as st

from emulation.campaigns.models import CriterionKind
from emulation.scoring.rules import (
    CriterionSpec,
    quantitative_exact,
    quantitative_points,
    round_half_away,
)

specs = st.builds(
    CriterionSpec,
    kind=st.just(CriterionKind.QUANTITATIVE),
    max_points=st.integers(0, 100_000),
    target=st.integers(1, 10_000_000),
    target_share_percent=st.one_of(st.none(), st.integers(0, 100)),
    higher_is_better=st.booleans(),
)
measures = st.integers(-1_000_000, 20_000_000)


@given(specs, measures, st.one_of(st.none(), measures))
def test_whole_inputs_give_the_rounded_exact_value(spec, measured, leader):
    expected = round_half_away(quantitative_exact(spec, measured, leader))
    assert quantitative_points(spec, measured, leader) == expected


@given(specs, st.integers(1, 5_000), st.integers(1, 7))
def test_values_near_the_target_and_at_halves_round_alike(spec, offset, scorers):
    # Values a hair around the target and the leader hit every branch and its boundaries;
    # a Fraction measure (an aggregate of scorers) still takes the exact path.
    for measured in (spec.target - offset, spec.target, spec.target + offset):
        for leader in (None, spec.target, spec.target + offset, spec.target + 2 * offset):
            exact = round_half_away(quantitative_exact(spec, measured, leader))
            assert quantitative_points(spec, measured, leader) == exact
            aggregate = Fraction(measured * scorers + 1, scorers)
            assert quantitative_points(spec, aggregate, leader) == round_half_away(
                quantitative_exact(spec, aggregate, leader)
            )


def test_half_hundredths_round_away_from_zero():
    spec = CriterionSpec(CriterionKind.QUANTITATIVE, 1, target=2, target_share_percent=50)
    assert quantitative_exact(spec, 2) == Fraction(1, 2)
    assert quantitative_points(spec, 2) == 1  # 0.5 hundredth -> 1
    assert round_half_away(7) == 7 and round_half_away(Fraction(-5, 2)) == -3
