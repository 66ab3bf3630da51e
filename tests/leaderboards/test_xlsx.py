"""The minimal XLSX writer, read back with openpyxl."""

import io
from decimal import Decimal

from openpyxl import load_workbook

from emulation.leaderboards.xlsx import column_letter, write_table


def _read(data: bytes):
    return load_workbook(io.BytesIO(data)).active


def test_column_letters():
    assert [column_letter(i) for i in (0, 25, 26, 51, 52, 701, 702)] == [
        "A", "Z", "AA", "AZ", "BA", "ZZ", "AAA",
    ]  # fmt: skip


def test_header_bold_frozen_and_points_with_two_decimals():
    sheet = _read(
        write_table(
            ["Hạng", "Đơn vị", "Tổng"],
            [[1, "Phường Cửa Nam", Decimal("95.50")], [2, "Xã Yên Sở", Decimal("-3")]],
            frozenset({2}),
            "2025 Toàn quốc",
        )
    )
    assert sheet.title == "2025 Toàn quốc"
    assert sheet.freeze_panes == "A2"
    assert [c.value for c in sheet[1]] == ["Hạng", "Đơn vị", "Tổng"]
    assert all(c.font.b for c in sheet[1])
    assert sheet["C2"].value == 95.5 and sheet["C2"].number_format == "0.00"
    assert sheet["C3"].value == -3
    assert sheet["A2"].number_format == "General"
    assert sheet.column_dimensions["B"].width == 10  # short headers get the minimum width


def test_text_is_escaped_kept_as_text_and_cleaned():
    sheet = _read(
        write_table(
            ["a", "b", "c"],
            [["=SUM(A1:A9)", 'x < y & "z" \x07bell', None]],
            frozenset(),
            "t",
        )
    )
    assert sheet["A2"].value == "=SUM(A1:A9)" and sheet["A2"].data_type == "s"
    assert sheet["B2"].value == 'x < y & "z" bell'
    assert sheet["C2"].value is None
