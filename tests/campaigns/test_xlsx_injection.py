"""The criteria XLSX export writes titles as text, never as formulas (issue 12, item 3)."""

from __future__ import annotations

import io
import zipfile

from openpyxl import load_workbook

from emulation.campaigns import xlsx


def test_formula_like_titles_are_string_cells_and_round_trip(make):
    period = make.period()
    make.criterion(period=period, code="A", title_vi="=1+1", title_en="@cmd", guidance_vi="-x")
    body = xlsx.export_criteria(period)
    with zipfile.ZipFile(io.BytesIO(body)) as archive:
        assert "<f>" not in archive.read("xl/worksheets/sheet1.xml").decode()
    sheet = load_workbook(io.BytesIO(body)).active
    header = [c.value for c in sheet[1]]
    row = {header[i]: cell for i, cell in enumerate(sheet[2])}
    assert row["title_vi"].value == "=1+1" and row["title_vi"].data_type == "s"
    assert row["title_en"].value == "@cmd" and row["guidance_vi"].value == "-x"
    # Importing the export gives the same text back.
    assert [r.data.title_vi for r in xlsx.parse_criteria(body)] == ["=1+1"]
