"""Read a unit list from CSV or XLSX: columns code, name, kind, parent_code[, cluster_code].

Parsing never touches the database. Every bad row is reported in the user's language and
the caller gets nothing usable unless the whole file is readable."""

from __future__ import annotations

from dataclasses import dataclass

from flask_babel import gettext as _

from emulation.errors import InvalidInput
from emulation.org.models import UnitKind
from emulation.org.validation import code_problem, name_problem
from emulation.spreadsheets import Limits, read_csv, read_xlsx
from emulation.text import fold

REQUIRED = ("code", "name", "kind", "parent_code")
OPTIONAL = ("cluster_code",)
MAX_ROWS = 50_000
LIMITS = Limits(max_rows=MAX_ROWS)

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


def read_records(filename: str, data: bytes) -> list[list[str]]:
    """Cell text of the first sheet (XLSX) or of the file (CSV), header included, read within
    the upload limits (row cap, cell cap, unpacked size)."""
    name = filename.lower()
    if name.endswith(".xlsx"):
        return [[_cell(v) for v in row] for row in read_xlsx(data, LIMITS)]
    if name.endswith(".csv"):
        return read_csv(data, LIMITS)
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


def sheet_to_json(sheet: UnitSheet) -> dict:
    """The parsed sheet as plain JSON (kept between the preview and the apply)."""
    rows = [
        [r.line, r.code, r.name, r.kind.value, r.parent_code, r.cluster_code] for r in sheet.rows
    ]
    return {"rows": rows, "has_cluster_column": sheet.has_cluster_column}


def sheet_from_json(data: dict) -> UnitSheet:
    rows = [
        UnitRow(line, code, name, UnitKind(kind), parent, cluster)
        for line, code, name, kind, parent, cluster in data["rows"]
    ]
    return UnitSheet(rows, bool(data["has_cluster_column"]))
