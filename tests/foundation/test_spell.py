"""Numbers in words, as a Vietnamese or English reader says them (expected texts by hand)."""

from __future__ import annotations

import pytest

from emulation.spell import in_words


@pytest.mark.parametrize(
    ("number", "words"),
    [
        (0, "không"),
        (5, "năm"),
        (10, "mười"),
        (15, "mười lăm"),
        (21, "hai mươi mốt"),
        (24, "hai mươi bốn"),
        (25, "hai mươi lăm"),
        (100, "một trăm"),
        (105, "một trăm linh năm"),
        (110, "một trăm mười"),
        (124, "một trăm hai mươi bốn"),
        (1000, "một nghìn"),
        (1005, "một nghìn không trăm linh năm"),
        (3321, "ba nghìn ba trăm hai mươi mốt"),
        (10051, "mười nghìn không trăm năm mươi mốt"),
        (2_000_015, "hai triệu không trăm mười lăm"),
    ],
)
def test_vietnamese(number, words):
    assert in_words(number, "vi") == words


@pytest.mark.parametrize(
    ("number", "words"),
    [
        (0, "zero"),
        (13, "thirteen"),
        (40, "forty"),
        (124, "one hundred and twenty-four"),
        (1005, "one thousand and five"),
        (3321, "three thousand three hundred and twenty-one"),
        (2_000_000, "two million"),
    ],
)
def test_english(number, words):
    assert in_words(number, "en") == words


def test_out_of_range_is_refused():
    with pytest.raises(ValueError):
        in_words(-1)
