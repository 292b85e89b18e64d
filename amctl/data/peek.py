"""The first rows of an xlsx sheet without parsing the sheet: enough to find the header.

A workbook reader parses a whole sheet to return any part of it, and the header row must be
known before the data can be read as typed columns. So the header is looked for in the XML
the guard already streamed (its first rows, a prefix such as `x:` on their tags taken off),
with the shared strings those rows use. Anything unusual (tags under more than one prefix, a
missing string) gives None, and the caller reads the sheet the straightforward way instead.
"""

from __future__ import annotations

import functools
import html
import re
import zipfile
from pathlib import Path
from typing import Any

from amctl.data.guard import EXCEL_COLUMNS, SheetScan, column_index

_ROW = re.compile(rb"<row\b([^>]*?)/>|<row\b([^>]*)>(.*?)</row>", re.S)
_CELL = re.compile(rb"<c\b([^>]*?)(?:/>|>(.*?)</c>)", re.S)
_ATTR = re.compile(rb'\b([\w:]+)="([^"]*)"')
_REF = re.compile(r"^([A-Z]{1,3})([0-9]{1,7})$")
_V = re.compile(rb"<v>(.*?)</v>", re.S)
_T = re.compile(rb"<t\b[^>]*>(.*?)</t>|<t\b[^>]*/>", re.S)
_PHONETIC = re.compile(rb"<rPh\b.*?</rPh>", re.S)
_SI_START = re.compile(rb"<si\b")


def head_rows(path: Path, scan: SheetScan) -> list[list[Any]] | None:
    """The sheet's first rows as the full reader would give them (merged ranges filled in), or
    None: then the full reader reads the sheet, and says what is wrong with it."""
    if not scan.head or b"<sheetData" not in scan.head:
        return None
    try:
        return _head_rows(path, scan)
    except (ValueError, UnicodeDecodeError, IndexError, KeyError):  # a value no program writes
        return None


def _head_rows(path: Path, scan: SheetScan) -> list[list[Any]] | None:
    cells: dict[tuple[int, int], Any] = {}
    shared: dict[tuple[int, int], int] = {}
    next_row = 0
    for m in _ROW.finditer(scan.head):
        attrs = dict(_ATTR.findall(m.group(1) or m.group(2) or b""))
        row = int(attrs[b"r"]) - 1 if b"r" in attrs else next_row
        next_row = row + 1
        next_col = 0
        for c in _CELL.finditer(m.group(3) or b""):
            cattrs = dict(_ATTR.findall(c.group(1)))
            col = next_col
            if b"r" in cattrs:
                ref = _REF.match(cattrs[b"r"].decode())
                if ref is None:
                    return None
                col = column_index(ref.group(1))
                row = int(ref.group(2)) - 1
            next_col = col + 1
            kind = cattrs.get(b"t", b"n")
            inner = c.group(2) or b""
            v = _V.search(inner)
            raw = v.group(1) if v else None
            if kind == b"s" and raw is not None:
                shared[(row, col)] = int(raw)
            elif kind == b"inlineStr":
                cells[(row, col)] = _text(inner)
            elif kind in (b"str", b"d") and raw is not None:
                cells[(row, col)] = html.unescape(raw.decode())
            elif kind == b"b" and raw is not None:
                cells[(row, col)] = raw.strip() == b"1"
            elif kind == b"n" and raw is not None:
                cells[(row, col)] = float(raw)
    if b"<c " not in scan.head and b"<c>" not in scan.head and b"<row" in scan.head:
        return None  # cells under a namespace prefix: not for this reader
    if shared:
        strings = _shared_strings(path, set(shared.values()))
        if strings is None:
            return None
        for key, index in shared.items():
            cells[key] = strings[index]
    return _grid(cells, scan)


def _grid(cells: dict[tuple[int, int], Any], scan: SheetScan) -> list[list[Any]] | None:
    """The head rows as a grid as wide as the sheet (scan.cols), merged ranges filled in and
    cut to it; None when the merged ranges ask for more filling than the grid has cells."""
    height = max((r for r, _ in cells), default=-1) + 1
    width = min(max(max((c for _, c in cells), default=-1) + 1, scan.cols), EXCEL_COLUMNS)
    for lo, hi in merged_ranges(scan):
        if lo[0] < height:
            width = max(width, min(hi[1] + 1, scan.cols))
    rows: list[list[Any]] = [[""] * width for _ in range(height)]
    for (r, c), value in cells.items():
        if c < width:
            rows[r][c] = value
    budget = 4 * height * max(width, 1)  # overlapping ranges (Excel forbids them) stop here
    for (r0, c0), (r1, c1) in merged_ranges(scan):
        if r0 >= height or c0 >= width:
            continue
        value = rows[r0][c0]
        last = min(c1, width - 1)
        for r in range(r0, min(r1, height - 1) + 1):
            rows[r][c0 : last + 1] = [value] * (last + 1 - c0)
            budget -= last + 1 - c0
        if budget < 0:
            return None
    return rows


def merged_ranges(scan: SheetScan) -> list[tuple[tuple[int, int], tuple[int, int]]]:
    """Merged ranges as ((first row, first col), (last row, last col)), 0-based."""
    out = []
    for ref in scan.merged:
        first, _, last = ref.partition(":")
        a, b = _REF.match(first), _REF.match(last or first)
        if a is None or b is None:
            continue
        out.append(
            (
                (int(a.group(2)) - 1, column_index(a.group(1))),
                (int(b.group(2)) - 1, column_index(b.group(1))),
            )
        )
    return out


def _text(inner: bytes) -> str:
    inner = _PHONETIC.sub(b"", inner)
    return html.unescape(b"".join(t or b"" for t in _T.findall(inner)).decode())


def _shared_strings(path: Path, wanted: set[int]) -> dict[int, str] | None:
    """The shared strings the head uses; the table is split once per file, parsed only there."""
    stat = path.stat()
    table = _string_table(str(path.resolve()), stat.st_mtime_ns, stat.st_size)
    if table is None or max(wanted) >= len(table[1]) - 1:
        return None
    data, starts = table
    return {i: _text(data[starts[i] : starts[i + 1]]) for i in wanted}


@functools.lru_cache(maxsize=4)
def _string_table(path: str, mtime_ns: int, size: int) -> tuple[bytes, list[int]] | None:
    try:
        with zipfile.ZipFile(path) as book:
            data = book.read("xl/sharedStrings.xml")
    except (KeyError, OSError, zipfile.BadZipFile):
        return None
    if b"<si" not in data:
        return None
    starts = [m.start() for m in _SI_START.finditer(data)]
    return data, [*starts, data.rfind(b"</sst>") if b"</sst>" in data else len(data)]
