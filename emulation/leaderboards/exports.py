"""CSV and XLSX of a leaderboard view: the same rows as the page, headers in the locale.

CSV is UTF-8 with a byte-order mark (so Excel detects the encoding), comma-separated, points
written with the locale's decimal separator. XLSX stores points as exact decimal numbers
formatted with two decimals, so Excel shows the reader's own decimal separator. Text that a
spreadsheet would run as a formula is neutralised: CSV cells through emulation/spreadsheets.py,
XLSX text is written as inline strings, which are never formulas (leaderboards/xlsx.py)."""

from __future__ import annotations

import csv
import functools
import gc
from collections.abc import Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from decimal import Decimal
from io import StringIO

from flask_babel import gettext as _

from emulation.db import Points, points_to_decimal
from emulation.labels import classification_label, unit_kind_label
from emulation.leaderboards.queries import ExportRow
from emulation.leaderboards.xlsx import write_table
from emulation.spreadsheets import csv_row

BOM = "\ufeff"


@contextmanager
def collector_paused():
    """No cyclic garbage collection while a big export is built: its ~300,000 short-lived
    objects (rows, Decimals, cell strings) make no cycles, yet they trigger full collections
    that walk every object of the process (a third of the build's CPU at 10,051 rows)."""
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            gc.enable()


@dataclass(frozen=True)
class Table:
    headers: list[str]
    rows: list[list]
    # Column indexes that hold points (Decimal values).
    points_columns: frozenset[int]


def leaderboard_table(
    standings: Sequence[ExportRow], groups: Sequence, provinces: dict[int, str]
) -> Table:
    """Rows of the board with translated headers; points as Decimal."""
    # A handful of distinct labels: translate each once, not once per row.
    kind_label = functools.cache(unit_kind_label)
    class_label = functools.cache(classification_label)
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
                row.shown_rank if row.ranked else _("Not ranked (veto)"),
                row.previous_rank,
                row.code,
                row.name,
                provinces.get(row.unit_id, ""),
                kind_label(row.kind),
                *(_decimal(subtotals.get(g.code)) for g in groups),
                _decimal(row.bonus),
                _decimal(row.penalty),
                _decimal(row.total),
                class_label(row.classification),
            ]
        )
    return Table(headers, rows, points_columns)


@functools.lru_cache(maxsize=65_536)  # Decimals are immutable; board points repeat a lot
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
    """The table as a one-sheet workbook (see `xlsx.py`: about ten times openpyxl's speed)."""
    return write_table(table.headers, table.rows, table.points_columns, _sheet_title(sheet_title))


def _sheet_title(text: str) -> str:
    cleaned = "".join(ch for ch in text if ch not in "[]:*?/\\")
    return (cleaned or "Sheet")[:31]
