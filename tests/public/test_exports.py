"""CSV and XLSX exports of a leaderboard view."""

from __future__ import annotations

import csv
import io
from decimal import Decimal

from openpyxl import load_workbook


def test_csv_has_bom_vietnamese_headers_and_every_row(client, make):
    w = make.leaderboard_world(per_province=60)
    response = client.get("/bang-xep-hang/2025/xuat.csv")
    assert response.status_code == 200
    assert response.mimetype == "text/csv"
    assert "attachment" in response.headers["Content-Disposition"]
    body = response.get_data()
    assert body.startswith(b"\xef\xbb\xbf")
    rows = list(csv.reader(io.StringIO(body.decode("utf-8-sig"))))
    assert rows[0][:4] == ["Hạng", "Hạng trước", "Mã đơn vị", "Đơn vị"]
    assert len(rows) - 1 == len(w.units) == 120  # all rows, not one page
    assert rows[1][3] == w.units[0].name and rows[1][-2] == "99,00"


def test_csv_in_english_follows_the_scope(client, make):
    w = make.leaderboard_world()
    province = w.provinces[1]
    body = client.get(
        f"/leaderboard/2025/export.csv?lang=en&scope=province&key={province.code}"
    ).get_data()
    rows = list(csv.reader(io.StringIO(body.decode("utf-8-sig"))))
    assert rows[0][:4] == ["Rank", "Previous rank", "Unit code", "Unit"]
    assert [r[2] for r in rows[1:]] == [u.code for u in w.units if u.parent_id == province.id]
    assert "." in rows[1][-2]


def test_xlsx_opens_with_numbers(client, make):
    w = make.leaderboard_world()
    response = client.get("/leaderboard/2025/export.xlsx?lang=en")
    assert response.status_code == 200
    sheet = load_workbook(io.BytesIO(response.get_data())).active
    values = list(sheet.values)
    assert values[0][0] == "Rank" and "Total" in values[0]
    assert len(values) - 1 == len(w.units)
    total = values[1][values[0].index("Total")]
    assert Decimal(str(total)) == Decimal("99")


def test_unknown_format_or_no_snapshot_is_404(client, make):
    make.leaderboard_world()
    assert client.get("/leaderboard/2025/export.pdf").status_code == 404
    assert client.get("/leaderboard/none/export.csv").status_code == 404
