"""Hostile spreadsheets for the upload tests: huge row counts, wide sheets, zip bombs.

They are written straight into the XLSX zip (no openpyxl per cell), so even a 300,000-row
file takes well under a second to build."""

from __future__ import annotations

import io
import zipfile
from collections.abc import Iterable, Sequence

from openpyxl import Workbook
from openpyxl.utils import get_column_letter

SHEET = "xl/worksheets/sheet1.xml"
NS = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"


def _base() -> bytes:
    out = io.BytesIO()
    Workbook().save(out)
    return out.getvalue()


def _cell(ref: str, value: str) -> str:
    text = value.replace("&", "&amp;").replace("<", "&lt;")
    return f'<c r="{ref}" t="inlineStr"><is><t>{text}</t></is></c>'


def _rows_xml(rows: Iterable[Sequence[str]]) -> Iterable[bytes]:
    yield f'<worksheet xmlns="{NS}"><sheetData>'.encode()
    for r, row in enumerate(rows, start=1):
        cells = "".join(_cell(f"{get_column_letter(c)}{r}", v) for c, v in enumerate(row, 1))
        yield f'<row r="{r}">{cells}</row>'.encode()
    yield b"</sheetData></worksheet>"


def xlsx(rows: Iterable[Sequence[str]], *, padding_mb: int = 0) -> bytes:
    """A workbook whose first sheet holds `rows`; `padding_mb` adds a member of that many
    megabytes of zeros (a few kilobytes once compressed: a zip bomb)."""
    source = zipfile.ZipFile(io.BytesIO(_base()))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
        for item in source.infolist():
            if item.filename == SHEET:
                with target.open(SHEET, "w", force_zip64=True) as stream:
                    for chunk in _rows_xml(rows):
                        stream.write(chunk)
            else:
                target.writestr(item, source.read(item.filename))
        if padding_mb:
            with target.open("xl/media/padding.bin", "w", force_zip64=True) as stream:
                zeros = bytes(1024 * 1024)
                for _ in range(padding_mb):
                    stream.write(zeros)
    return out.getvalue()


def many_rows(header: Sequence[str], n: int, width: int | None = None) -> bytes:
    """`header` then `n` rows of filler text (`width` columns, default the header's)."""
    width = width or len(header)
    return xlsx([list(header), *([f"v{i}"] * width for i in range(n))])
