"""A minimal XLSX writer for one table: bold header row, frozen below it, column widths,
numbers with a fixed format, strings stored inline.

openpyxl spends about 20 µs per cell building and serialising cell objects (3 s of CPU for
the national board of 10,051 rows × 15 columns); this writes the same sheet as text in a
tenth of that. Strings are never formulas here (inline strings have no <f>), so a cell
starting with "=" stays text."""

from __future__ import annotations

import zipfile
from collections.abc import Sequence
from decimal import Decimal
from io import BytesIO
from xml.sax.saxutils import escape

# One pass over cell text: escape markup, drop the characters XML 1.0 forbids.
_ESCAPE = {ord("&"): "&amp;", ord("<"): "&lt;", ord(">"): "&gt;"}
_ESCAPE |= dict.fromkeys([*range(0x00, 0x09), 0x0B, 0x0C, *range(0x0E, 0x20), 0xFFFE, 0xFFFF])
STYLE_HEADER, STYLE_POINTS = 1, 2

_XML = '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
_PKG = "http://schemas.openxmlformats.org/package/2006"
_REL = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
_MIME = "application/vnd.openxmlformats-officedocument.spreadsheetml"
CONTENT_TYPES = (
    f'{_XML}<Types xmlns="{_PKG}/content-types">'
    '<Default Extension="rels" '
    'ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
    '<Default Extension="xml" ContentType="application/xml"/>'
    f'<Override PartName="/xl/workbook.xml" ContentType="{_MIME}.sheet.main+xml"/>'
    f'<Override PartName="/xl/worksheets/sheet1.xml" ContentType="{_MIME}.worksheet+xml"/>'
    f'<Override PartName="/xl/styles.xml" ContentType="{_MIME}.styles+xml"/>'
    "</Types>"
)
ROOT_RELS = (
    f'{_XML}<Relationships xmlns="{_PKG}/relationships">'
    f'<Relationship Id="rId1" Type="{_REL}/officeDocument" Target="xl/workbook.xml"/>'
    "</Relationships>"
)
WORKBOOK_RELS = (
    f'{_XML}<Relationships xmlns="{_PKG}/relationships">'
    f'<Relationship Id="rId1" Type="{_REL}/worksheet" Target="worksheets/sheet1.xml"/>'
    f'<Relationship Id="rId2" Type="{_REL}/styles" Target="styles.xml"/>'
    "</Relationships>"
)
STYLES = (
    '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
    '<styleSheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">'
    '<numFmts count="1"><numFmt numFmtId="164" formatCode="0.00"/></numFmts>'
    '<fonts count="2"><font><sz val="11"/><name val="Calibri"/></font>'
    '<font><b/><sz val="11"/><name val="Calibri"/></font></fonts>'
    '<fills count="2"><fill><patternFill patternType="none"/></fill>'
    '<fill><patternFill patternType="gray125"/></fill></fills>'
    '<borders count="1"><border><left/><right/><top/><bottom/><diagonal/></border></borders>'
    '<cellStyleXfs count="1"><xf numFmtId="0" fontId="0" fillId="0" borderId="0"/></cellStyleXfs>'
    '<cellXfs count="3"><xf numFmtId="0" fontId="0" fillId="0" borderId="0" xfId="0"/>'
    '<xf numFmtId="0" fontId="1" fillId="0" borderId="0" xfId="0" applyFont="1"/>'
    '<xf numFmtId="164" fontId="0" fillId="0" borderId="0" xfId="0" applyNumberFormat="1"/>'
    "</cellXfs>"
    '<cellStyles count="1"><cellStyle name="Normal" xfId="0" builtinId="0"/></cellStyles>'
    "</styleSheet>"
)


def column_letter(index: int) -> str:
    """0 -> A, 25 -> Z, 26 -> AA."""
    letters = ""
    index += 1
    while index:
        index, rest = divmod(index - 1, 26)
        letters = chr(65 + rest) + letters
    return letters


def _cell(value, style: str) -> str:
    """One <c> element; no `r` reference (optional in the format: cells follow in order,
    and an empty cell is written as an empty string cell so later ones keep their column)."""
    kind = type(value)
    if kind is int or kind is Decimal or kind is float:
        return f"<c{style}><v>{value}</v></c>"
    if kind is bool:
        return f'<c t="b"{style}><v>{int(value)}</v></c>'
    if value is None:
        return "<c/>"
    text = str(value).translate(_ESCAPE)
    return f'<c t="inlineStr"{style}><is><t xml:space="preserve">{text}</t></is></c>'


def _sheet(headers: Sequence[str], rows: Sequence[Sequence], points: frozenset[int]) -> str:
    widths = "".join(
        f'<col min="{i}" max="{i}" width="{max(10, min(40, len(h) + 2))}" customWidth="1"/>'
        for i, h in enumerate(headers, start=1)
    )
    styles = [f' s="{STYLE_POINTS}"' if i in points else "" for i in range(len(headers))]
    bold = f' s="{STYLE_HEADER}"'
    parts = [
        f"{_XML}"
        '<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">'
        '<sheetViews><sheetView workbookViewId="0"><pane ySplit="1" topLeftCell="A2" '
        'activePane="bottomLeft" state="frozen"/></sheetView></sheetViews>'
        f"<cols>{widths}</cols><sheetData>",
        '<row r="1">' + "".join(_cell(h, bold) for h in headers) + "</row>",
    ]
    # Most cells repeat (points, province, kind, classification): each distinct one is
    # written once (the type is in the key: 1, True and Decimal("1.00") differ).
    memo: dict[tuple, str] = {}
    for number, row in enumerate(rows, start=2):
        cells = []
        for value, style in zip(row, styles, strict=False):
            key = (value.__class__, value, style)
            text = memo.get(key)
            if text is None:
                text = memo[key] = _cell(value, style)
            cells.append(text)
        parts.append(f'<row r="{number}">{"".join(cells)}</row>')
    parts.append("</sheetData></worksheet>")
    return "".join(parts)


def write_table(
    headers: Sequence[str], rows: Sequence[Sequence], points: frozenset[int], title: str
) -> bytes:
    """The workbook as bytes; `points` are the column indexes shown with two decimals."""
    workbook = (
        '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
        '<workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" '
        'xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships">'
        f'<sheets><sheet name="{escape(title, {chr(34): "&quot;"})}" sheetId="1" r:id="rId1"/>'
        "</sheets></workbook>"
    )
    buffer = BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED, compresslevel=1) as archive:
        archive.writestr("[Content_Types].xml", CONTENT_TYPES)
        archive.writestr("_rels/.rels", ROOT_RELS)
        archive.writestr("xl/workbook.xml", workbook)
        archive.writestr("xl/_rels/workbook.xml.rels", WORKBOOK_RELS)
        archive.writestr("xl/styles.xml", STYLES)
        archive.writestr("xl/worksheets/sheet1.xml", _sheet(headers, rows, points))
    return buffer.getvalue()
