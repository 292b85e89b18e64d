"""Refuse workbooks that would exhaust memory before the reader sees them.

The xlsx reader builds each sheet as a dense grid from its top-left to its bottom-right cell.
One stray cell at XFD1048576 makes that 17 billion cells, and the reader aborts the process.
So before opening an xlsx we stream each sheet's XML and measure the grid its cells span (and
refuse zip entries that would inflate beyond reason): cheap next to parsing, and it turns a
crash into a message that says where the stray cell is. The same pass keeps each sheet's first
rows and merged ranges, which is all the columnar reader needs to find the header.
"""

from __future__ import annotations

import re
import zipfile
from dataclasses import dataclass
from pathlib import Path

from amctl.data.cells import column_letter
from amctl.errors import DataError, Finding, Location

MAX_CELLS = 40_000_000  # ~1.3 GB as the reader's grid; 100,000 rows × 400 columns
MAX_XML = 8 * 1024**3  # an inflated sheet beyond 8 GB is a zip bomb, not a roster
CHUNK = 16 * 1024**2

_CELL = re.compile(rb'<c\b[^>]*?\br="([A-Z]{1,3})([0-9]{1,7})"')
_TAG = re.compile(rb"<(?:\w+:)?(sheet|Relationship)\b([^>]*)>")
_ATTR = re.compile(rb'\b([\w:]+)="([^"]*)"')


def column_index(letters: str | bytes) -> int:
    """'A' → 0, 'AA' → 26: the column of a cell reference."""
    n = 0
    for ch in letters.encode() if isinstance(letters, str) else letters:
        n = n * 26 + ch - 64
    return n - 1


def _sheet_names(book: zipfile.ZipFile) -> dict[str, str]:
    """Worksheet XML path → the sheet's name, for messages."""
    try:
        workbook = book.read("xl/workbook.xml")
        rels = book.read("xl/_rels/workbook.xml.rels")
    except KeyError:
        return {}
    targets = {}
    for kind, attrs in _TAG.findall(rels):
        found = dict(_ATTR.findall(attrs))
        if kind == b"Relationship" and b"Id" in found:
            targets[found[b"Id"]] = found.get(b"Target", b"").decode()
    out = {}
    for kind, attrs in _TAG.findall(workbook):
        found = dict(_ATTR.findall(attrs))
        if kind != b"sheet" or b"r:id" not in found:
            continue
        target = targets.get(found[b"r:id"], "")
        path = target.lstrip("/") if target.startswith("/") else f"xl/{target}"
        out[path] = found.get(b"name", b"?").decode("utf-8", "replace")
    return out


@dataclass(frozen=True)
class SheetScan:
    """What one pass over a sheet's XML learns: its extent, its first rows, its merged ranges."""

    rows: int
    cols: int
    head: bytes  # the XML from the first row to the end of row HEAD_ROWS (or the whole sheet)
    merged: tuple[str, ...]  # "A1:J1" references


def check_xlsx(path: Path) -> dict[str, SheetScan]:
    """Raise DataError when a sheet's grid or an inflated entry is too large to read.

    Returns each sheet's scan by sheet name, for the columnar reader (empty when the file is
    not a zip: xls, ods or a damaged file, which the reader reports)."""
    try:
        book = zipfile.ZipFile(path)
    except (zipfile.BadZipFile, OSError):
        return {}
    scans: dict[str, SheetScan] = {}
    with book:
        names = _sheet_names(book)
        for info in book.infolist():
            if not info.filename.startswith("xl/worksheets/") or not info.filename.endswith(".xml"):
                continue
            sheet = names.get(info.filename, info.filename)
            if info.file_size > MAX_XML:
                raise _refuse(path, sheet, f"the sheet inflates to {info.file_size:,} bytes")
            scan = _scan(book, info)
            if scan.rows * scan.cols > MAX_CELLS:
                far = f"{column_letter(scan.cols - 1)}{scan.rows}"
                raise _refuse(
                    path,
                    sheet,
                    f"a cell at {far} stretches the sheet to {scan.rows:,} rows × {scan.cols:,} "
                    "columns",
                )
            scans[sheet] = scan
    return scans


HEAD_ROWS = 30
_ROW = re.compile(rb'<row\b[^>]*?\br="([0-9]{1,7})"')
_WIDE = re.compile(rb'r="([A-Z]{2,3})([0-9]{1,7})"')  # a cell reference in column AA or beyond
_MERGE = re.compile(rb'<mergeCell\b[^>]*?\bref="([A-Z]+[0-9]+(?::[A-Z]+[0-9]+)?)"')


def _scan(book: zipfile.ZipFile, info: zipfile.ZipInfo) -> SheetScan:
    """The highest row number and column count any cell of the sheet reaches, and more.

    Cheap on ordinary sheets: rows come in order, so the last row tag gives the height, and
    only references with two or three letters (column AA and beyond) are looked at one by one.
    """
    max_row = max_col = 0
    tail = b""
    head: bytes | None = None
    start = b""  # the sheet's first chunks, until they hold the head rows
    merged: list[bytes] = []
    with book.open(info) as fh:
        while True:
            chunk = fh.read(CHUNK)
            data = tail + chunk
            if head is None:
                start += chunk
                head = _head(start, final=not chunk or len(start) > 4 * CHUNK)
            for m in _ROW.finditer(data, max(0, len(data) - 4096)):
                max_row = max(max_row, int(m.group(1)))
            cut = data.rfind(b"<row ")
            if cut >= 0:
                last = _ROW.match(data, cut)
                if last:
                    max_row = max(max_row, int(last.group(1)))
            if _WIDE.search(data):
                for letters, row in _WIDE.findall(data):
                    max_row = max(max_row, int(row))
                    max_col = max(max_col, column_index(letters) + 1)
            elif max_col < 26 and b"<c " in data:
                max_col = max(max_col, 26)
            if b"<mergeCell" in data:
                merged += _MERGE.findall(data, len(tail))  # the tail was searched with the last
            if not chunk:
                break
            tail = data[-256:]  # a tag cut at the chunk's end is matched again with the next
    refs = tuple(dict.fromkeys(m.decode() for m in merged))
    return SheetScan(max_row, max_col, head or b"", refs)


def _head(data: bytes, *, final: bool) -> bytes | None:
    """The first HEAD_ROWS rows' XML once the data holds them all (or the sheet has ended)."""
    end = 0
    for _ in range(HEAD_ROWS):
        found = data.find(b"</row>", end)
        if found < 0:
            break
        end = found + len(b"</row>")
    else:
        return data[:end]
    return data if final else None


def _refuse(path: Path, sheet: str, what: str) -> DataError:
    message = (
        f"{what}, too large to read; delete the stray cells beyond the table "
        "(in Excel, Ctrl+End shows the last used cell) or save the table as csv"
    )
    where = Location(str(path), sheet=sheet)
    return DataError([Finding(where, "AMD021", message)], "the workbook cannot be read safely")
