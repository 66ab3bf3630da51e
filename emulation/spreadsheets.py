"""Spreadsheets in and out, safely: the one reader of uploaded XLSX/CSV and the one writer of
exported cells.

Out: a spreadsheet treats a cell that starts with = + - @ (or a tab / carriage return) as a
formula, so every exported text is neutralised — CSV cells get a leading apostrophe, XLSX
text is stored as a string cell, never a formula.

In: an upload is read with hard limits decided before any work is done — the declared
uncompressed size and member count of the zip (a zip bomb is refused unopened), then a
streaming (read-only) parse that stops at the row cap and the cell cap. Every refusal is an
InvalidInput in the user's language."""

from __future__ import annotations

import csv
import io
import zipfile
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from itertools import islice
from typing import Any

from flask_babel import gettext as _
from openpyxl import load_workbook
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE
from openpyxl.worksheet.worksheet import Worksheet

from emulation.errors import InvalidInput

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
XLSX_MAGIC = b"PK\x03\x04"


# --- out ----------------------------------------------------------------------------------
def neutralise(value: Any) -> Any:
    """A CSV cell that no spreadsheet will run as a formula (text only; numbers untouched)."""
    if isinstance(value, str) and value.startswith(FORMULA_STARTS):
        return "'" + value
    return value


def csv_row(values: Iterable[Any]) -> list[Any]:
    return [neutralise(value) for value in values]


def append_row(sheet: Worksheet, values: Iterable[Any]) -> None:
    """Append values to an XLSX sheet; every text becomes a literal string cell."""
    cleaned = [ILLEGAL_CHARACTERS_RE.sub("", v) if isinstance(v, str) else v for v in values]
    sheet.append(cleaned)
    for cell in sheet[sheet.max_row]:
        if isinstance(cell.value, str):
            cell.data_type = "s"  # openpyxl would store "=…" as a formula


# --- in -----------------------------------------------------------------------------------
@dataclass(frozen=True)
class Limits:
    max_rows: int  # data rows after the header
    max_cells: int = 500_000
    max_columns: int = 100
    max_uncompressed_bytes: int = 25 * 1024 * 1024  # a 50,000-unit list is ~12 MB
    max_members: int = 1_000


def _not_a_workbook() -> InvalidInput:
    return InvalidInput(_("This file is not a readable Excel workbook (.xlsx)."))


def _too_many_rows(limits: Limits) -> InvalidInput:
    return InvalidInput(_("The file has more than %(n)d rows.", n=limits.max_rows))


def check_zip(data: bytes, limits: Limits) -> None:
    """Refuse a workbook whose declared content is too big (a zip bomb) before opening it."""
    if not data.startswith(XLSX_MAGIC):
        raise _not_a_workbook()
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            members = archive.infolist()
    except (zipfile.BadZipFile, ValueError, OSError):
        raise _not_a_workbook() from None
    # zipfile never inflates a member past its declared size (the CRC check fails), so the
    # declared sizes bound the memory and time a parse can take.
    total = sum(member.file_size for member in members)
    if len(members) > limits.max_members or total > limits.max_uncompressed_bytes:
        raise InvalidInput(
            _(
                "This workbook is too large once unpacked (at most %(mb)d MB).",
                mb=limits.max_uncompressed_bytes // (1024 * 1024),
            )
        )


def _bounded(rows: Iterator[tuple], limits: Limits) -> list[list[Any]]:
    """Every row, header first, stopping as soon as a cap is passed.

    Blank rows are kept (so row numbers stay those of the file) and count towards the cell
    cap only; the row cap counts rows with something in them."""
    out: list[list[Any]] = []
    cells = data_rows = 0
    for row in rows:
        cells += max(1, len(row))
        if cells > limits.max_cells:
            raise InvalidInput(
                _("The file has too many cells (at most %(n)d).", n=limits.max_cells)
            )
        values = list(row[: limits.max_columns])
        if out and any(v is not None and str(v).strip() for v in values):
            data_rows += 1
            if data_rows > limits.max_rows:
                raise _too_many_rows(limits)
        out.append(values)
    return out


def read_xlsx(data: bytes, limits: Limits, *, sheet_name: str | None = None) -> list[list[Any]]:
    """Cell values (header first) of `sheet_name` or the first sheet."""
    check_zip(data, limits)
    try:
        book = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except Exception:  # openpyxl raises many kinds for a broken file
        raise _not_a_workbook() from None
    try:
        names = book.sheetnames
        if not names:
            raise _not_a_workbook()
        sheet = book[sheet_name] if sheet_name in names else book[names[0]]
        if not hasattr(sheet, "iter_rows"):  # a chart sheet
            raise _not_a_workbook()
        # max_col pads every row to that width, so only pass the sheet's own (declared) one.
        width = min(sheet.max_column or limits.max_columns, limits.max_columns)
        rows = sheet.iter_rows(values_only=True, max_col=width if sheet.max_column else None)
        return _bounded(rows, limits)
    except InvalidInput:
        raise
    except Exception:
        raise _not_a_workbook() from None
    finally:
        book.close()


def read_csv(data: bytes, limits: Limits, *, delimiter: str | None = None) -> list[list[str]]:
    """Rows of a UTF-8 CSV (header first); `None` sniffs `,` or `;`."""
    if data.startswith(XLSX_MAGIC) or b"\x00" in data[:4096]:
        raise InvalidInput(_("This file is not a text CSV file."))
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise InvalidInput(_("The CSV file must be encoded in UTF-8.")) from None
    if delimiter is None:
        sample = text[:4096]
        delimiter = ";" if sample.count(";") > sample.count(",") else ","
    reader = csv.reader(io.StringIO(text), delimiter=delimiter)
    try:
        rows = islice(reader, limits.max_cells + 1)
        return _bounded(rows, limits)
    except csv.Error:
        raise InvalidInput(_("This file is not a text CSV file.")) from None
