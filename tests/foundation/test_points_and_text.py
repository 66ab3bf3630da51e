from fractions import Fraction

import pytest

from emulation.db import format_points, format_signed_points, parse_points
from emulation.scoring.rules import round_half_away
from emulation.text import fold


@pytest.mark.parametrize(
    ("text", "hundredths"),
    [("12,5", 1250), ("12.5", 1250), ("0", 0), ("100", 10000), ("-0,5", -50), (" 7,25 ", 725)],
)
def test_parse_points_is_exact(text, hundredths):
    assert parse_points(text) == hundredths


@pytest.mark.parametrize("text", ["12,345", "abc", "", "1e3", "1,2,3", "nan"])
def test_parse_points_rejects_what_is_not_hundredths(text):
    with pytest.raises(ValueError):
        parse_points(text)


def test_format_points_uses_the_locale_separator_and_never_rounds():
    assert format_points(1250, "vi") == "12,5"
    assert format_points(1250, "en") == "12.5"
    assert format_points(1205, "vi") == "12,05"
    assert format_points(9000, "vi") == "90"
    assert format_points(-50, "en") == "−0.5"
    assert format_points(None) == "–"


def test_format_signed_points_signs_a_difference_but_never_zero():
    assert format_signed_points(25, "vi") == "+0,25"
    assert format_signed_points(-150, "en") == "−1.5"
    assert format_signed_points(0, "vi") == "0"
    assert format_signed_points(None) == "–"


def test_a_mean_deviation_that_rounds_to_zero_shows_no_sign():
    # A third of a hundredth above the board rounds to 0 hundredths: "0", not "+0".
    assert format_signed_points(round_half_away(Fraction(1, 3)), "vi") == "0"
    assert format_signed_points(round_half_away(Fraction(-1, 3)), "vi") == "0"


def test_parse_and_format_round_trip():
    for value in range(-1000, 1001, 7):
        assert parse_points(format_points(value, "en").replace("−", "-")) == value


@pytest.mark.parametrize(
    ("name", "folded"),
    [
        ("Phường Cửa Nam", "phuong cua nam"),
        ("Xã Đông Anh", "xa dong anh"),
        ("ĐẶC KHU  Phú Quốc", "dac khu phu quoc"),
        ("Thị trấn Ea Súp", "thi tran ea sup"),
    ],
)
def test_fold_removes_diacritics_and_case(name, folded):
    assert fold(name) == folded
