"""Small builders for the unit-registry tests."""

from __future__ import annotations

import csv
import io

from openpyxl import Workbook

from emulation.org.sheets import parse_units

HEADER = ["code", "name", "kind", "parent_code"]


def csv_bytes(rows, header=HEADER) -> bytes:
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(header)
    writer.writerows(rows)
    return out.getvalue().encode("utf-8")


def xlsx_bytes(rows, header=HEADER) -> bytes:
    book = Workbook()
    sheet = book.active
    sheet.append(header)
    for row in rows:
        sheet.append(list(row))
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def sheet_of(rows, header=HEADER, fmt="csv"):
    data = csv_bytes(rows, header) if fmt == "csv" else xlsx_bytes(rows, header)
    return parse_units(f"units.{fmt}", data)


def tree_rows(province, communes):
    """File rows for the ministry, a province and its communes (unit objects)."""
    rows = [["BCA", "Bộ Công an", "ministry", ""]]
    rows.append([province.code, province.name, province.kind.value, "BCA"])
    rows += [[u.code, u.name, u.kind.value, u.parent.code] for u in communes]
    return rows
