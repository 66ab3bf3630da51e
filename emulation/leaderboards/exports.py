"""CSV and XLSX of a leaderboard view: the same rows as the page, headers in the locale.

CSV is UTF-8 with a byte-order mark (so Excel detects the encoding), comma-separated, points
written with the locale's decimal separator. XLSX stores points as exact decimal numbers
formatted with two decimals, so Excel shows the reader's own decimal separator. Text that a
spreadsheet would run as a formula is neutralised (emulation/spreadsheets.py)."""

from __future__ import annotations

import csv
from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal
from io import BytesIO, StringIO

from flask_babel import gettext as _
from openpyxl import Workbook
from openpyxl.styles import Font
from openpyxl.utils import get_column_letter

from emulation.db import Points, points_to_decimal
from emulation.labels import classification_label, unit_kind_label
from emulation.leaderboards.models import Standing
from emulation.spreadsheets import append_row, csv_row

BOM = "\ufeff"
POINTS_FORMAT = "0.00"


@dataclass(frozen=True)
class Table:
    headers: list[str]
    rows: list[list]
    # Column indexes that hold points (Decimal values).
    points_columns: frozenset[int]


def leaderboard_table(
    standings: Sequence[Standing], groups: Sequence, provinces: dict[int, str]
) -> Table:
    """Rows of the board with translated headers; points as Decimal."""
    headers = [_("Rank"), _("Previous rank"), _("Unit code"), _("Unit"), _("Province")]
    headers += [_("Unit kind")]
    headers += [f"{g.code}. {g.title}" for g in groups]
    headers += [_("Bonus"), _("Penalty"), _("Total"), _("Classification")]
    first_points = 6
    points_columns = frozenset(range(first_points, first_points + len(groups) + 3))
    rows = []
    for row in standings:
        subtotals = row.group_subtotals or {}
        rows.append(
            [
                row.rank,
                row.previous_rank,
                row.unit.code,
                row.unit.name,
                provinces.get(row.unit_id, ""),
                unit_kind_label(row.unit.kind),
                *(_decimal(subtotals.get(g.code)) for g in groups),
                _decimal(row.bonus),
                _decimal(row.penalty),
                _decimal(row.total),
                classification_label(row.classification),
            ]
        )
    return Table(headers, rows, points_columns)


def _decimal(points: Points | None) -> Decimal | None:
    return None if points is None else points_to_decimal(points)


def _csv_value(value, locale: str) -> str:
    if value is None:
        return ""
    if isinstance(value, Decimal):
        text = f"{value:.2f}"
        return text.replace(".", ",") if locale == "vi" else text
    return str(value)


def to_csv(table: Table, locale: str) -> bytes:
    buffer = StringIO()
    buffer.write(BOM)
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerow(csv_row(table.headers))
    for row in table.rows:
        writer.writerow([_csv_value(value, locale) for value in csv_row(row)])  # numbers untouched
    return buffer.getvalue().encode("utf-8")


def to_xlsx(table: Table, sheet_title: str) -> bytes:
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = _sheet_title(sheet_title)
    append_row(sheet, table.headers)
    for cell in sheet[1]:
        cell.font = Font(bold=True)
    for row in table.rows:
        append_row(sheet, row)
    for index in table.points_columns:
        letter = get_column_letter(index + 1)
        for cell in sheet[letter][1:]:
            cell.number_format = POINTS_FORMAT
    for index, header in enumerate(table.headers, start=1):
        sheet.column_dimensions[get_column_letter(index)].width = max(10, min(40, len(header) + 2))
    sheet.freeze_panes = "A2"
    buffer = BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def _sheet_title(text: str) -> str:
    cleaned = "".join(ch for ch in text if ch not in "[]:*?/\\")
    return (cleaned or "Sheet")[:31]
