"""Leaderboard exports never hand a spreadsheet a formula (issue 12, item 3)."""

from __future__ import annotations

import csv
import io
import zipfile

from openpyxl import load_workbook

from tests.public.helpers import world

EVIL = ['=HYPERLINK("http://evil.example","x")', "+1+1", "-2+3", "@SUM(A1)", "\tTab", "\rCR"]


def _csv_rows(client, url):
    body = client.get(url).get_data().decode("utf-8-sig")
    return list(csv.reader(io.StringIO(body)))


def test_csv_prefixes_every_formula_like_unit_name_with_an_apostrophe(client, make):
    w = world(make, per_province=1, extra_names=EVIL)
    rows = _csv_rows(client, "/leaderboard/2025/export.csv?lang=en")
    names = {row[3] for row in rows[1:]}
    assert {"'" + name for name in EVIL} <= names
    assert not any(name.startswith(("=", "+", "-", "@", "\t", "\r")) for name in names)
    # Numbers are not text: the totals stay plain numbers.
    assert rows[1][-2] == "99.00" and w.units


def test_xlsx_stores_formula_like_names_as_text_never_as_formulas(client, make):
    world(make, per_province=1, extra_names=EVIL)
    body = client.get("/leaderboard/2025/export.xlsx?lang=en").get_data()
    with zipfile.ZipFile(io.BytesIO(body)) as archive:
        sheet_xml = archive.read("xl/worksheets/sheet1.xml").decode()
    assert "<f>" not in sheet_xml and "<f " not in sheet_xml
    sheet = load_workbook(io.BytesIO(body)).active
    names = {row[3] for row in list(sheet.values)[1:]}
    assert set(EVIL) - {"\rCR"} <= names  # the exact text, as a literal string
    assert all(cell.data_type == "s" for cell in sheet["D"][1:])
