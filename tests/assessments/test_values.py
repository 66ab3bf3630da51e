"""Parsing and bounds of a self-assessment value, per criterion kind (pure: no app)."""

import pytest

from emulation.assessments.values import BadValue, check_value, parse_value
from emulation.campaigns.models import CriterionKind as K
from emulation.scoring.rules import CriterionSpec

DIRECT = CriterionSpec(K.DIRECT, 600)
QUANT = CriterionSpec(K.QUANTITATIVE, 500, target=9000, target_share_percent=80)
PASS = CriterionSpec(K.PASS_FAIL, 400)
BONUS = CriterionSpec(K.BONUS, 600, points_per_item=300)
PENALTY = CriterionSpec(K.PENALTY, 500, points_per_item=200)
VETO = CriterionSpec(K.VETO, 0)


def _points(spec, text, unit=""):
    return check_value(spec, parse_value(spec.kind, text), unit)


@pytest.mark.parametrize(
    ("spec", "text", "points"),
    [
        (DIRECT, "5,5", 550),
        (DIRECT, "5.5", 550),
        (DIRECT, " 6 ", 600),
        (DIRECT, "0", 0),
        (QUANT, "90", 400),  # at the target: 80 % of 5 points
        (QUANT, "45", 200),  # half the target: half of 4 points
        (QUANT, "100", 400),  # above the target: provisional, the leader is not known yet
        (QUANT, "0", 0),
        (PASS, "1", 400),
        (PASS, "0", 0),
        (BONUS, "1", 300),
        (BONUS, "3", 600),  # 9 points capped at 6
        (PENALTY, "2", -400),
        (PENALTY, "3", -500),  # −6 capped at −5
        (PENALTY, "0", 0),
        (VETO, "1", 0),
        (VETO, "0", 0),
    ],
)
def test_points_per_kind(spec, text, points):
    assert _points(spec, text, "%") == points


@pytest.mark.parametrize(
    ("spec", "text", "code"),
    [
        (DIRECT, "abc", "not_a_number"),
        (DIRECT, "1e3", "not_a_number"),
        (DIRECT, "-1", "negative"),
        (DIRECT, "6,01", "over_max"),
        (DIRECT, "1" + "0" * 30, "too_large"),  # 10^30
        (DIRECT, "١٢", "not_a_number"),  # Arabic-Indic digits
        (DIRECT, "１２", "not_a_number"),  # full-width digits
        (DIRECT, "1,234", "too_many_decimals"),
        (QUANT, "-5", "negative"),
        (QUANT, "100,01", "over_max"),  # a percentage above 100
        (QUANT, "1" + "0" * 30, "too_large"),
        (QUANT, "৯০", "not_a_number"),  # Bengali digits
        (PASS, "2", "choose"),
        (PASS, "yes", "choose"),
        (BONUS, "1,5", "whole_number"),
        (BONUS, "-1", "negative"),
        (BONUS, "1000", "over_max"),
        (BONUS, "1" + "0" * 30, "too_large"),
        (PENALTY, "x", "not_a_number"),
        (VETO, "-1", "choose"),
    ],
)
def test_bad_input_is_refused_with_its_reason(spec, text, code):
    with pytest.raises(BadValue) as info:
        _points(spec, text, "%")
    assert info.value.code == code


@pytest.mark.parametrize("kind", [K.DIRECT, K.QUANTITATIVE, K.PASS_FAIL, K.BONUS, K.VETO])
@pytest.mark.parametrize("text", ["", "   ", None])
def test_empty_means_no_value_yet(kind, text):
    assert parse_value(kind, text) is None


def test_quantitative_outside_percent_accepts_larger_values():
    spec = CriterionSpec(K.QUANTITATIVE, 300, target=500, target_share_percent=100)
    assert check_value(spec, parse_value(K.QUANTITATIVE, "250"), "vụ") == 300
    with pytest.raises(BadValue):
        check_value(spec, parse_value(K.QUANTITATIVE, "1000001"), "vụ")


def test_direct_respects_a_minimum():
    spec = CriterionSpec(K.DIRECT, 600, min_points=100)
    with pytest.raises(BadValue) as info:
        check_value(spec, 50)
    assert info.value.code == "under_min" and info.value.params == {"min": 100}
