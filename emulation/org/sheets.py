"""Read a unit list from CSV or XLSX: columns code, name, kind, parent_code[, cluster_code].

Parsing never touches the database. Every bad row is reported in the user's language and
the caller gets nothing usable unless the whole file is readable."""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass
from zipfile import BadZipFile

from flask_babel import gettext as _
from openpyxl import load_workbook
from openpyxl.utils.exceptions import InvalidFileException

from emulation.errors import InvalidInput
from emulation.org.models import UnitKind
from emulation.org.validation import code_problem, name_problem
from emulation.text import fold

REQUIRED = ("code", "name", "kind", "parent_code")
OPTIONAL = ("cluster_code",)
XLSX_MAGIC = b"PK\x03\x04"
MAX_ROWS = 50_000

# Vietnamese words (folded) and a few English synonyms accepted in the `kind` column.
KIND_WORDS: dict[str, UnitKind] = {
    "bo": UnitKind.MINISTRY,
    "bo cong an": UnitKind.MINISTRY,
    "tinh": UnitKind.PROVINCE,
    "thanh pho": UnitKind.CITY,
    "thanh pho truc thuoc trung uong": UnitKind.CITY,
    "huyen": UnitKind.DISTRICT,
    "quan": UnitKind.DISTRICT,
    "thi xa": UnitKind.DISTRICT,
    "xa": UnitKind.COMMUNE,
    "phuong": UnitKind.WARD,
    "thi tran": UnitKind.TOWNSHIP,
    "dac khu": UnitKind.SPECIAL_ZONE,
    "special zone": UnitKind.SPECIAL_ZONE,
}


@dataclass(frozen=True)
class UnitRow:
    line: int  # row number in the file, header = 1
    code: str
    name: str
    kind: UnitKind
    parent_code: str  # "" for the root
    cluster_code: str | None  # None when the file has no cluster_code column


@dataclass(frozen=True)
class UnitSheet:
    rows: list[UnitRow]
    has_cluster_column: bool


def parse_kind(text: str) -> UnitKind | None:
    key = fold(text).replace("_", " ")
    for kind in UnitKind:
        if key == kind.value.replace("_", " "):
            return kind
    return KIND_WORDS.get(key)


def _cell(value: object) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    return str(value).strip()  # inner spaces kept: official names are compared exactly


def _records_from_csv(data: bytes) -> list[list[str]]:
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise InvalidInput(_("The CSV file must be encoded in UTF-8.")) from None
    sample = text[:4096]
    delimiter = ";" if sample.count(";") > sample.count(",") else ","
    return list(csv.reader(io.StringIO(text), delimiter=delimiter))


def _records_from_xlsx(data: bytes) -> list[list[str]]:
    try:
        book = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except (BadZipFile, InvalidFileException, KeyError, ValueError, OSError):
        raise InvalidInput(_("This file is not a readable Excel workbook (.xlsx).")) from None
    try:
        sheet = book.worksheets[0]
        return [[_cell(v) for v in row] for row in sheet.iter_rows(values_only=True)]
    finally:
        book.close()


def read_records(filename: str, data: bytes) -> list[list[str]]:
    """Raw cell text of the first sheet (XLSX) or of the file (CSV), header included."""
    name = filename.lower()
    if name.endswith(".xlsx"):
        if not data.startswith(XLSX_MAGIC):
            raise InvalidInput(_("This file is not a readable Excel workbook (.xlsx)."))
        return _records_from_xlsx(data)
    if name.endswith(".csv"):
        if data.startswith(XLSX_MAGIC) or b"\x00" in data[:4096]:
            raise InvalidInput(_("This file is not a text CSV file."))
        return _records_from_csv(data)
    raise InvalidInput(_("Upload a .csv or .xlsx file."))


def _header(record: list[str]) -> dict[str, int]:
    columns = {fold(_cell(name)).replace(" ", "_"): i for i, name in enumerate(record)}
    missing = [name for name in REQUIRED if name not in columns]
    if missing:
        raise InvalidInput(
            _(
                "The first row must name the columns; missing: %(columns)s.",
                columns=", ".join(missing),
            )
        )
    return columns


def parse_units(filename: str, data: bytes) -> UnitSheet:
    """Parse the whole file; raise InvalidInput listing every bad row."""
    records = read_records(filename, data)
    if not records:
        raise InvalidInput(_("The file is empty."))
    columns = _header(records[0])
    has_cluster = "cluster_code" in columns
    if len(records) - 1 > MAX_ROWS:
        raise InvalidInput(_("The file has more than %(n)d rows.", n=MAX_ROWS))
    rows: list[UnitRow] = []
    errors: list[str] = []

    def get(record: list[str], name: str) -> str:
        index = columns.get(name)
        return _cell(record[index]) if index is not None and index < len(record) else ""

    for line, record in enumerate(records[1:], start=2):
        if not any(_cell(v) for v in record):
            continue
        code, name, kind_text = get(record, "code"), get(record, "name"), get(record, "kind")
        if not code:
            errors.append(_("Row %(line)d: the code is empty.", line=line))
            continue
        if len(code) > 20:
            errors.append(_("Row %(line)d: the code %(code)s is too long.", line=line, code=code))
            continue
        if not name or len(name) > 200:
            errors.append(
                _("Row %(line)d (%(code)s): the name is empty or too long.", line=line, code=code)
            )
            continue
        if problem := code_problem(code) or name_problem(name):  # the "new unit" form's rules
            errors.append(
                _("Row %(line)d (%(code)s): %(problem)s", line=line, code=code, problem=problem)
            )
            continue
        kind = parse_kind(kind_text)
        if kind is None:
            errors.append(
                _(
                    "Row %(line)d (%(code)s): unknown kind “%(kind)s”.",
                    line=line,
                    code=code,
                    kind=kind_text,
                )
            )
            continue
        cluster = get(record, "cluster_code") if has_cluster else None
        rows.append(UnitRow(line, code, name, kind, get(record, "parent_code"), cluster))
    if errors:
        raise InvalidInput(_("Nothing was imported."), details=errors)
    if not rows:
        raise InvalidInput(_("The file has no unit rows."))
    return UnitSheet(rows, has_cluster)
