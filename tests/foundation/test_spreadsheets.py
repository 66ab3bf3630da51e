"""The one safe reader of uploaded spreadsheets (issue 12, item 6) and the export neutraliser
(item 3), tested on their own."""

from __future__ import annotations

import pytest
from openpyxl import Workbook

from emulation.errors import InvalidInput
from emulation.spreadsheets import Limits, neutralise, read_csv, read_xlsx
from tests import bombs


def test_neutralise_prefixes_only_formula_like_text():
    cases = {"=1+1": "'=1+1", "+7": "'+7", "-x": "'-x", "@a": "'@a", "\tx": "'\tx", "\rx": "'\rx"}
    assert {value: neutralise(value) for value in cases} == cases
    assert (
        neutralise("Xã An Phú") == "Xã An Phú" and neutralise(-5) == -5 and neutralise(None) is None
    )


def test_rows_up_to_the_cap_are_read_blank_rows_kept_for_numbering():
    data = bombs.xlsx([["h"], ["a"], [""], ["b"]])
    assert read_xlsx(data, Limits(max_rows=2)) == [["h"], ["a"], [""], ["b"]]


def test_one_row_past_the_cap_is_refused():
    with pytest.raises(InvalidInput, match="more than 2 rows"):
        read_xlsx(bombs.xlsx([["h"], ["a"], ["b"], ["c"]]), Limits(max_rows=2))


def test_the_cell_cap_counts_every_cell_even_blank_rows():
    data = bombs.xlsx([["h", "x", "y"], *[["", "", "v"]] * 10])
    with pytest.raises(InvalidInput, match="too many cells"):
        read_xlsx(data, Limits(max_rows=100, max_cells=20))


def test_a_zip_bomb_is_refused_before_parsing():
    with pytest.raises(InvalidInput, match="too large once unpacked"):
        read_xlsx(
            bombs.xlsx([["h"]], padding_mb=3), Limits(max_rows=10, max_uncompressed_bytes=2**21)
        )


@pytest.mark.parametrize(
    "data", [b"", b"PK\x03\x04garbage", b"not a zip", b"PK\x03\x04" + bytes(50)]
)
def test_anything_but_a_workbook_is_a_clear_error(data):
    with pytest.raises(InvalidInput, match="not a readable Excel workbook"):
        read_xlsx(data, Limits(max_rows=10))


def test_a_chart_only_or_sheetless_book_is_a_clear_error(tmp_path):
    book = Workbook()
    book.create_chartsheet(0)
    book.save(tmp_path / "c.xlsx")
    with pytest.raises(InvalidInput, match="not a readable Excel workbook"):
        read_xlsx((tmp_path / "c.xlsx").read_bytes(), Limits(max_rows=10))


def test_csv_caps_encoding_and_nul_bytes():
    assert read_csv(b"a;b\n1;2\n", Limits(max_rows=5)) == [["a", "b"], ["1", "2"]]
    with pytest.raises(InvalidInput, match="more than 1 rows"):
        read_csv(b"a\n1\n2\n", Limits(max_rows=1))
    with pytest.raises(InvalidInput, match="UTF-8"):
        read_csv("a\nXã\n".encode("latin-1"), Limits(max_rows=5))
    with pytest.raises(InvalidInput, match="not a text CSV"):
        read_csv(b"a,b\x00\n", Limits(max_rows=5))
