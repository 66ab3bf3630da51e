"""A period's criteria set as a spreadsheet: one row per node, with its parent's code.

Export then import gives back exactly the same set. Parsing reports every bad row in the
user's language and returns nothing usable unless all rows are good."""

from __future__ import annotations

from decimal import Decimal
from io import BytesIO
from typing import Any

from flask_babel import gettext as _
from openpyxl import Workbook
from openpyxl.styles import Font

from emulation.campaigns.criteria import walk
from emulation.campaigns.criteria_sets import ImportRow
from emulation.campaigns.domain import (
    BOOLEAN_FIELDS,
    INTEGER_FIELDS,
    POINT_FIELDS,
    SPEC_FIELDS,
    CriterionInput,
)
from emulation.campaigns.models import CriterionKind, Period
from emulation.db import parse_points
from emulation.errors import InvalidInput
from emulation.spreadsheets import Limits, append_row, read_xlsx

# The spec's fields, with the parent's code after the criterion's own.
COLUMNS = (SPEC_FIELDS[0], "parent_code", *SPEC_FIELDS[1:])
HUNDREDTHS, INTEGERS, BOOLEANS = POINT_FIELDS, INTEGER_FIELDS, BOOLEAN_FIELDS
TRUE_WORDS = {"1", "true", "yes", "y", "x", "có", "co", "đúng"}
FALSE_WORDS = {"0", "false", "no", "n", "không", "khong", "sai", ""}
SHEET_TITLE = "criteria"
LIMITS = Limits(max_rows=2_000, max_cells=100_000)


def _points_cell(value: int | None) -> int | float | None:
    if value is None:
        return None
    if value % 100 == 0:
        return value // 100
    return float(Decimal(value) / 100)


def export_criteria(period: Period) -> bytes:
    """The period's tree as an .xlsx file (parents listed before their children)."""
    book = Workbook()
    sheet = book.active
    sheet.title = SHEET_TITLE
    append_row(sheet, COLUMNS)
    for cell in sheet[1]:
        cell.font = Font(bold=True)
    for criterion, _depth in walk(period):
        row: list[Any] = []
        for column in COLUMNS:
            if column == "parent_code":
                row.append(criterion.parent.code if criterion.parent is not None else None)
            elif column == "kind":
                row.append(str(criterion.kind))
            elif column in HUNDREDTHS:
                row.append(_points_cell(getattr(criterion, column)))
            elif column in BOOLEANS:
                row.append(1 if getattr(criterion, column) else 0)
            else:
                row.append(getattr(criterion, column))
        append_row(sheet, row)
    sheet.freeze_panes = "A2"
    for letter, width in (("A", 10), ("B", 12), ("C", 14), ("D", 50), ("E", 40)):
        sheet.column_dimensions[letter].width = width
    out = BytesIO()
    book.save(out)
    return out.getvalue()


def _text(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value).strip()


def _cell(column: str, value: Any) -> Any:
    """Convert one cell; raises ValueError (with the column name) when it cannot."""
    if column in HUNDREDTHS:
        if value is None or _text(value) == "":
            return None
        if isinstance(value, bool):
            raise ValueError(column)
        if isinstance(value, float):
            return parse_points(repr(value))
        return parse_points(value if isinstance(value, int) else _text(value))
    if column in INTEGERS:
        if value is None or _text(value) == "":
            return None
        text = _text(value)
        if not text.lstrip("-").isdigit():
            raise ValueError(column)
        return int(text)
    if column in BOOLEANS:
        if isinstance(value, bool):
            return value
        word = _text(value).lower()
        if word in TRUE_WORDS:
            return True
        if word in FALSE_WORDS:
            return False
        raise ValueError(column)
    if column == "kind":
        try:
            return CriterionKind(_text(value).lower())
        except ValueError:
            raise ValueError(column) from None
    return _text(value)


def _row_input(values: dict[str, Any]) -> tuple[str | None, CriterionInput]:
    parent = values.pop("parent_code") or None
    values["max_points"] = values["max_points"] or 0
    values["min_points"] = values["min_points"] or 0
    if values["weight_percent"] is None:
        values["weight_percent"] = 100
    if values["higher_is_better"] is None:
        values["higher_is_better"] = True
    return parent, CriterionInput(**values)


def parse_criteria(content: bytes) -> list[ImportRow]:
    """Read an uploaded workbook; raise InvalidInput listing every bad row."""
    records = read_xlsx(content, LIMITS, sheet_name=SHEET_TITLE)
    lines = iter(records)
    header = [(_text(h)).lower() for h in next(lines, ())]
    missing = [c for c in COLUMNS if c not in header]
    if missing:
        raise InvalidInput(
            _("Missing columns in the first row: %(columns)s.", columns=", ".join(missing))
        )
    index = {name: header.index(name) for name in COLUMNS}
    rows: list[ImportRow] = []
    errors: list[str] = []
    for number, line in enumerate(lines, start=2):
        cells = list(line) + [None] * (len(header) - len(line))
        if all(_text(v) == "" for v in cells):
            continue
        values: dict[str, Any] = {}
        bad: list[str] = []
        for column in COLUMNS:
            try:
                values[column] = _cell(column, cells[index[column]])
            except ValueError:
                bad.append(column)
        if bad:
            errors.append(
                _(
                    "Row %(row)s: unreadable value in %(columns)s.",
                    row=number,
                    columns=", ".join(bad),
                )
            )
            continue
        parent, data = _row_input(values)
        rows.append(ImportRow(number, parent, data))
    if errors:
        raise InvalidInput(" ".join(errors), details=errors)
    if not rows:
        raise InvalidInput(_("The file has no criteria rows."))
    return rows
