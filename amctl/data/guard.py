"""Refuse workbooks that would exhaust memory before the reader sees them.

The xlsx reader builds each sheet as a dense grid from its top-left to its bottom-right cell.
One stray cell at XFD1048576 makes that 17 billion cells, and the reader aborts the process.
So before opening an xlsx we stream each sheet's XML and measure the grid its cells span (and
refuse zip entries that would inflate beyond reason): cheap next to parsing, and it turns a
crash into a message that says where the stray cell is. The same pass keeps each sheet's first
rows and merged ranges, which is all the columnar reader needs to find the header.
"""

from __future__ import annotations

import copy
import html
import os
import posixpath
import re
import stat
import zipfile
import zlib
from collections import deque
from collections.abc import Generator, Iterable
from concurrent.futures import Future, ThreadPoolExecutor
from contextlib import closing, suppress
from dataclasses import dataclass
from pathlib import Path
from typing import IO

from amctl.data.cells import column_letter
from amctl.data.grid import Grid, SharedIndex, row_start, unprefixed
from amctl.errors import DataError, Finding, Location
from amctl.messages import Said, said

# Budgets: what a real roster never needs, so that a file built to hurt is refused with a
# message before it costs memory or minutes. Each can be raised for a genuine file with the
# environment variable AMCTL_MAX_<NAME>.
BUDGETS = {
    "INPUT_BYTES": 2 * 1024**3,  # an input file on disk
    "SHEET_BYTES": 512 * 1024**2,  # a sheet's XML (or styles, shared strings) once inflated
    "CELLS": 20_000_000,  # one sheet's grid; the reader takes 32 bytes a cell: 640 MB
    "ROWS": 20_000_000,  # rows of a table (parquet says it in its metadata): 1M × 6 raters
    "SHEETS": 256,  # sheets of a workbook
    "COLUMNS": 10_000,  # columns of a parquet table (pyarrow aborts on 100,000)
}
EXCEL_ROWS, EXCEL_COLUMNS = 1_048_576, 16_384
EXCEL_FORMATS = 2 * 65_490  # cell formats and cell styles: the reader parses each one
CHUNK = 16 * 1024**2


def budget(name: str) -> int:
    raw = os.environ.get(f"AMCTL_MAX_{name}", "")
    return int(raw) if raw.isdigit() and int(raw) > 0 else BUDGETS[name]


def over(path: Path, what: Said, name: str, sheet: str | None = None, times: int = 1) -> DataError:
    """A budget exceeded: which, and how to raise it when the file is genuine."""
    limit = budget(name) * times
    if times > 1:
        message = said("data.over_limit_times", what=what, limit=limit, times=times, name=name)
    else:
        message = said("data.over_limit", what=what, limit=limit, name=name)
    where = Location(str(path), sheet=sheet)
    summary = said("data.not_read", path=str(path), what=what)
    return DataError([Finding.of(where, "AMD022", message)], summary)


def check_input_file(path: Path) -> None:
    """A regular file (a symlink to one is fine) of bounded size: never a device or a pipe."""
    info = path.stat()
    if not stat.S_ISREG(info.st_mode) and not stat.S_ISDIR(info.st_mode):
        message = said("data.not_regular_file")
        raise _broken(path, None, message)
    if info.st_size > budget("INPUT_BYTES"):
        raise over(path, said("data.file_bytes", bytes=info.st_size), "INPUT_BYTES")


def check_csv(path: Path, raw: bytes) -> None:
    """The csv module keeps a list per row and a string per field: refuse a file of blank
    lines or separators before it is split into hundreds of millions of them."""
    if (lines := raw.count(b"\n")) > budget("ROWS"):
        raise over(path, said("data.file_lines", lines=lines), "ROWS")
    fields = lines + max(raw.count(b","), raw.count(b"\t"), raw.count(b";"))
    if fields > 5 * budget("CELLS"):
        raise over(path, said("data.file_fields", fields=fields), "CELLS", times=5)
    _csv_width(path, raw)


def _csv_width(path: Path, raw: bytes) -> None:
    """The columns of the widest line: the columnar reader makes an array for each. Only a
    line at least as long as the budget can hold that many separators, so only those count."""
    import numpy as np

    cap = budget("COLUMNS")
    ends = np.flatnonzero(np.frombuffer(raw, dtype=np.uint8) == ord("\n"))
    bounds = np.concatenate([[-1], ends, [len(raw)]])
    for at in np.flatnonzero(np.diff(bounds) > cap).tolist():
        line = raw[bounds[at] + 1 : bounds[at + 1]]
        width = 1 + max(line.count(b","), line.count(b"\t"), line.count(b";"))
        if width > cap:
            raise over(path, said("data.line_columns", line=at + 1, columns=width), "COLUMNS")


def check_parquet(path: Path) -> None:
    """parquet says its row count up front: refuse 50 million claimed rows before reading."""
    import pyarrow.parquet as pq

    try:
        meta = pq.read_metadata(path)
    except Exception:  # a damaged file: the reader says what is wrong
        return
    if meta.num_rows > budget("ROWS"):
        raise over(path, said("data.declares_rows", rows=meta.num_rows), "ROWS")
    if meta.num_columns > budget("COLUMNS"):
        raise over(path, said("data.declares_columns", columns=meta.num_columns), "COLUMNS")
    unpacked = sum(meta.row_group(i).total_byte_size for i in range(meta.num_row_groups))
    if unpacked > budget("INPUT_BYTES"):
        raise over(path, said("data.unpacks_bytes", bytes=unpacked), "INPUT_BYTES")


_TAG = re.compile(rb"<(?:\w+:)?(sheet|Relationship)\b([^>]*)>")
_ATTR = re.compile(rb"""\b([\w:]+)\s*=\s*(?:"([^"]*)"|'([^']*)')""")  # either quote


def column_index(letters: str | bytes) -> int:
    """'A' → 0, 'AA' → 26: the column of a cell reference."""
    n = 0
    for ch in letters.encode() if isinstance(letters, str) else letters:
        n = n * 26 + ch - 64
    return n - 1


# what the zip module raises for a zip it cannot read: damaged, or in a form it does not
# implement (a zip version past 6.3, patched data, strong encryption)
_UNZIPPED = (zipfile.BadZipFile, zlib.error, EOFError, OSError, NotImplementedError)
SMALL_PART = 64 * 1024**2  # workbook.xml, its relationships, styles: never this large


def _small_part(path: Path, book: zipfile.ZipFile, name: str) -> bytes | None:
    """An entry the reader parses whole, read within a bound (None when absent)."""
    try:
        info = book.getinfo(name)
    except KeyError:
        return None
    if info.file_size > SMALL_PART:
        what = said("data.entry_inflates", entry=name, bytes=info.file_size)
        raise over(path, what, "SHEET_BYTES")
    try:
        with _opened(book, info) as fh:
            data = fh.read(SMALL_PART + 1)
    except _UNZIPPED as exc:
        raise _damaged(path, None, exc) from None
    if len(data) > SMALL_PART:
        what = said("data.entry_inflates_beyond", entry=name, bytes=SMALL_PART)
        raise over(path, what, "SHEET_BYTES")
    _as_declared(path, None, info, len(data))
    return data


def attributes(tag: bytes) -> dict[bytes, bytes]:
    """A tag's attributes, in either quote."""
    return {name: double or single for name, double, single in _ATTR.findall(tag)}


def _normal(name: str) -> str:
    """An entry name as the reader looks it up: / for \\, no leading /, lower case."""
    return posixpath.normpath(name.replace("\\", "/").lstrip("/")).lower()


@dataclass(frozen=True)
class Parts:
    """Where a workbook's parts are, found as the reader finds them: through _rels/.rels to
    the workbook (wherever it is stored), then through the workbook's relationships."""

    sheets: dict[str, str]  # zip entry → the sheet's name
    styles: str | None  # zip entry
    strings: tuple[str, ...]  # zip entries of shared strings
    plain: bool = False  # each sheet's entry is beyond doubt the one the reader reads (_plain)


def workbook_parts(path: Path, book: zipfile.ZipFile) -> Parts:
    lookup: dict[str, str] = {}
    for info in book.infolist():
        lookup.setdefault(_normal(info.filename), info.filename)

    def part(name: str) -> bytes | None:
        real = lookup.get(_normal(name))
        return None if real is None else _small_part(path, book, real)

    def relationships(data: bytes | None) -> dict[bytes, tuple[str, str]]:
        out = {}
        for kind, attrs in _TAG.findall(data or b""):
            found = attributes(attrs)
            if kind == b"Relationship" and b"Id" in found:
                target = found.get(b"Target", b"").decode("utf-8", "replace")
                out[found[b"Id"]] = (found.get(b"Type", b"").decode("utf-8", "replace"), target)
        return out

    home = "xl/workbook.xml"
    for kind, target in relationships(part("_rels/.rels")).values():
        if kind.endswith("/officeDocument"):
            home = target
    folder, base = posixpath.split(_normal(home))
    workbook = part(home)
    rels_data = part(posixpath.join(folder, "_rels", base + ".rels"))
    rels = relationships(rels_data)

    def entry(target: str) -> str | None:
        name = target if target.startswith("/") else posixpath.join(folder, target)
        return lookup.get(_normal(name))

    sheets: dict[str, str] = {}
    for kind, attrs in _TAG.findall(workbook or b""):
        found = attributes(attrs)
        rid = next((v for k, v in found.items() if k.endswith(b":id")), None)  # any prefix
        if kind == b"sheet" and rid is not None and rid in rels:
            real = entry(rels[rid][1])
            if real is not None:
                sheets[real] = found.get(b"name", b"?").decode("utf-8", "replace")
    styles = next((entry(t) for k, t in rels.values() if k.endswith("/styles")), None)
    strings = {entry(t) for k, t in rels.values() if k.endswith("/sharedStrings")}
    strings |= {real for norm, real in lookup.items() if norm.endswith("sharedstrings.xml")}
    plain = _plain(book, lookup, part("_rels/.rels"), home, workbook, rels_data, sheets)
    return Parts(
        sheets,
        styles or lookup.get("xl/styles.xml"),
        tuple(sorted(e for e in strings if e)),
        plain,
    )


# A tag of a workbook's map as the programs write it: each attribute once, in double quotes,
# without a character reference; nothing else in the tag.
_PLAIN_ATTRS = re.compile(rb'(?:\s+[A-Za-z][\w.:-]*="[^"&<>]*")*\s*/?')


def _plain_tags(data: bytes | None) -> list[tuple[bytes, dict[bytes, bytes]]] | None:
    """The sheet and relationship tags of a part written as the programs write it, or None:
    no comment, CDATA, DTD or instruction past the declaration (what an XML reader skips
    and a search does not), no prefix on them, every tag plain."""
    if data is None or b"<!" in data or data.count(b"<?") > 1:
        return None
    if b"<?" in data and not data.removeprefix(b"\xef\xbb\xbf").startswith(b"<?xml"):
        return None
    tags = []
    for whole in _TAG.finditer(data):
        kind, attrs = whole.group(1), whole.group(2)
        if whole.group(0)[1 : 1 + len(kind)] != kind or not _PLAIN_ATTRS.fullmatch(attrs):
            return None
        names = [name for name, _, _ in _ATTR.findall(attrs)]
        if len(names) != len(set(names)):
            return None
        tags.append((kind, attributes(attrs)))
    return tags


def _plain(
    book: zipfile.ZipFile,
    lookup: dict[str, str],
    root: bytes | None,
    home: str,
    workbook: bytes | None,
    rels: bytes | None,
    sheets: dict[str, str],
) -> bool:
    """Whether the guard's map from a sheet's name to its zip entry is beyond doubt the
    reader's: the workbook, its relationships and the way to it written as the programs write
    them (_plain_tags), one officeDocument, each sheet with one relationship id of its own
    and a name of its own, each relationship's target the very name of an entry (no case,
    backslash or dot to resolve) and no two entries alike but for case. A workbook made any
    other way (`&#65;` for a name, a second `:id`, two entries differing in case) can map a
    name to another entry in the reader than here: its sheets are all scanned before any is
    read (data.sheets._Guarded)."""
    if len(lookup) != len(book.infolist()):  # two entries alike but for case or slashes
        return False
    found = [_plain_tags(part) for part in (root, workbook, rels)]
    if any(tags is None for tags in found):
        return False
    root_tags, workbook_tags, rel_tags = (tags or [] for tags in found)
    homes = [a for k, a in root_tags if a.get(b"Type", b"").endswith(b"/officeDocument")]
    home = home.lstrip("/")
    folder, base = posixpath.split(home)
    exact = (home, posixpath.join(folder, "_rels", base + ".rels"))
    if len(homes) != 1 or any(lookup.get(_normal(e)) != e for e in exact):
        return False
    if lookup.get("_rels/.rels") != "_rels/.rels" or posixpath.normpath(home) != home:
        return False
    targets: dict[bytes, str] = {}
    for kind, attrs in rel_tags:
        rid, target = attrs.get(b"Id"), attrs.get(b"Target")
        if kind != b"Relationship" or rid is None or target is None or rid in targets:
            return False
        if b"TargetMode" in attrs:
            return False
        text = target.decode("utf-8", "replace")
        name = text[1:] if text.startswith("/") else posixpath.join(folder, text)
        if "\\" in name or posixpath.normpath(name) != name:
            return False
        targets[rid] = name
    named: list[str] = []
    for kind, attrs in workbook_tags:
        ids = [v for k, v in attrs.items() if k.endswith(b":id")]
        if kind != b"sheet" or len(ids) != 1 or b"name" not in attrs:
            return False
        entry, name = targets.get(ids[0]), attrs[b"name"].decode("utf-8", "replace")
        if entry is None or sheets.get(entry) != name:
            return False
        named.append(name.casefold())
    return len(named) == len(set(named)) == len(sheets)


def sheet_entries(path: Path, book: zipfile.ZipFile) -> dict[str, str]:
    """Worksheet zip entry → the sheet's name."""
    return workbook_parts(path, book).sheets


@dataclass(frozen=True)
class SheetScan:
    """What one pass over a sheet's XML learns: its extent, its first rows, its merged ranges."""

    rows: int
    cols: int
    head: bytes  # the XML from the first row to the end of row HEAD_ROWS (or the whole sheet),
    # a prefix on its tags taken off (grid.unprefixed)
    merged: tuple[str, ...]  # "A1:J1" references
    mixed: bool = False  # a column holds text and numbers below the head (see Grid._kinds)


def check_xlsx(path: Path) -> dict[str, SheetScan]:
    """Raise DataError when a sheet's grid, an inflated entry or the shared strings are too
    large to read, or the zip is damaged. Sheets are found through the workbook's
    relationships, wherever they are stored.

    Returns each sheet's scan by sheet name, for the columnar reader (empty when the file is
    not a zip: xls, ods or a damaged file, which the reader reports)."""
    with Checked(path) as checked:
        return dict(checked.scans())


class Checked:
    """A workbook whose parts the reader parses on opening (relationships, styles, shared
    strings) passed the guard, and its sheets, to be scanned one by one (`scans`): a sheet
    can be read once it has passed, while the guard goes on with the next."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self.sheets: list[tuple[zipfile.ZipInfo, str]] = []  # in the order they are scanned
        self.named: list[str] = []  # the workbook's sheets, in its order
        self.plain = False  # see _plain: a sheet may be read before the sheets after it passed
        self.book = _zip(path)
        if self.book is None:
            return
        try:
            self._open()
        except BaseException:
            self.close()
            raise

    def _open(self) -> None:
        path, book = self.path, self.book
        assert book is not None
        _packed(path, book)
        parts = workbook_parts(path, book)
        names = parts.sheets
        entries = {info.filename: info for info in book.infolist()}
        styles = (_small_part(path, book, parts.styles) if parts.styles else None) or b""
        if (formats := styles.count(b"<xf ") + styles.count(b"<xf/")) > EXCEL_FORMATS:
            what = said("data.styles_formats_short", formats=formats, limit=EXCEL_FORMATS)
            message = said("data.styles_formats", formats=formats, limit=EXCEL_FORMATS)
            raise DataError([Finding.of(Location(str(path)), "AMD021", message)], what)
        stray = [f for f in entries if "worksheets/" in _normal(f) and _normal(f).endswith(".xml")]
        paths = [p for p in names if p in entries] + [f for f in stray if f not in names]
        if len(paths) > budget("SHEETS"):
            raise over(path, said("data.workbook_sheets", sheets=len(paths)), "SHEETS")
        for name in parts.strings:
            _inflate(path, book, entries[name])
        self.sheets = [(entries[entry], names.get(entry, entry)) for entry in paths]
        # a worksheet no sheet points to is scanned under its path, which a sheet may take
        # as its name: then the name is not beyond doubt either
        self.named = list(names.values())
        self.plain = parts.plain and len(self.sheets) == len(self.named)

    def scans(self) -> Generator[tuple[str, SheetScan], None, None]:
        """Each sheet's scan by its name, in order; DataError at the first that fails."""
        for at, (_, sheet) in enumerate(self.sheets):
            yield sheet, self.scan(at)

    def scan(self, at: int) -> SheetScan:
        """The scan of sheet `at` (in `sheets`); DataError when it fails."""
        info, sheet = self.sheets[at]
        assert self.book is not None
        scan = _scan(self.path, self.book, info, sheet)
        _within(self.path, sheet, scan.rows, scan.cols)
        return scan

    def close(self) -> None:
        if self.book is not None:
            self.book.close()

    def __enter__(self) -> Checked:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


def _within(path: Path, sheet: str, rows: int, cols: int) -> None:
    """The grid the reader would build: within Excel's limits and the cell budget."""
    if rows > EXCEL_ROWS or cols > EXCEL_COLUMNS:
        if rows > EXCEL_ROWS:
            far = said("data.cell_beyond_row", row=rows)
        else:
            far = said("data.cell_beyond_column", column=cols)
        raise _refuse(path, sheet, far)
    if rows * cols > budget("CELLS"):
        cell = f"{column_letter(cols - 1)}{rows}"
        stretch = said("data.cell_stretches", cell=cell, rows=rows, columns=cols)
        raise _refuse(path, sheet, stretch, "CELLS")


OLE2 = bytes.fromhex("D0CF11E0A1B11AE1")  # an encrypted xlsx is an OLE2 file, not a zip


def _zip(path: Path) -> zipfile.ZipFile | None:
    """The workbook's zip, opened by the zip module the guard reads with; refused when it
    will not open (not a zip, a name in broken UTF-8): a reader that opened it all the same
    would read what the guard never looked at. None for an OLE2 file (an encrypted
    workbook), which the readers refuse in words of their own."""
    try:
        book = zipfile.ZipFile(path)
    except (*_UNZIPPED, ValueError) as exc:  # ValueError: a name in broken UTF-8
        with suppress(OSError), path.open("rb") as fh:
            if fh.read(len(OLE2)) == OLE2:
                return None
        message = said("data.cannot_open", reason=str(exc) or type(exc).__name__)
        raise _broken(path, None, message) from None
    if _ends_apart(book):
        book.close()
        message = said("data.zip_two_ends")
        raise _broken(path, None, message)
    return book


_END = b"PK\x05\x06"  # a zip's end record: 22 bytes, then a comment of the length it says


def _ends_apart(book: zipfile.ZipFile) -> bool:
    """Whether the zip module and the readers take different end records, and so different
    entries: the zip module the last in the file's tail, the readers' zip library the last
    whose comment fits in the file. A second end record, whose comment the last one's
    comment holds, had the readers read a sheet the guard never saw."""
    fh = book.fp
    assert fh is not None
    fh.seek(0, os.SEEK_END)
    size = fh.tell()
    fh.seek(max(0, size - 22 - 0xFFFF))
    tail = fh.read()
    ends = [m.start() for m in re.finditer(re.escape(_END), tail)]
    fits = [
        at
        for at in ends
        if at + 22 <= len(tail)
        and at + 22 + int.from_bytes(tail[at + 20 : at + 22], "little") <= len(tail)
    ]
    return bool(ends) and bool(fits) and fits[-1] != ends[-1]


_PACKED = (zipfile.ZIP_STORED, zipfile.ZIP_DEFLATED)  # all Excel, WPS and LibreOffice write
_METHODS = {9: "Deflate64", 12: "bzip2", 14: "LZMA", 93: "Zstandard", 95: "xz", 98: "PPMd"}


def _packed(path: Path, book: zipfile.ZipFile) -> None:
    """Each entry stored or deflated, none encrypted: the zip module cannot open any other
    (it raises errors that are not a damaged file's), and the readers mostly cannot either.
    A zip tool repacked the workbook (Deflate64 is how Windows packs large files), or locked
    its entries: saved again by a spreadsheet program, it reads."""
    for info in book.infolist():
        if info.flag_bits & 0x1:
            message = said("data.zip_encrypted", entry=info.filename)
        elif info.compress_type not in _PACKED:
            method = _METHODS.get(info.compress_type, f"#{info.compress_type}")
            message = said("data.zip_method", entry=info.filename, method=method)
        else:
            continue
        raise _broken(path, None, message)


def _damaged(path: Path, sheet: str | None, exc: BaseException) -> DataError:
    return _broken(path, sheet, said("data.zip_damaged", kind=type(exc).__name__, error=str(exc)))


def _broken(path: Path, sheet: str | None, message: Said) -> DataError:
    """An input the readers cannot read, or would read otherwise than the guard (AMD001)."""
    return DataError([Finding.of(Location(str(path), sheet=sheet), "AMD001", message)], message)


def _opened(book: zipfile.ZipFile, info: zipfile.ZipInfo) -> IO[bytes]:
    """The entry inflated as the readers inflate it: to the end of its compressed data,
    whatever size its headers declare. zipfile stops at the declared size and checks the CRC
    of that much alone, where the readers go on and build a grid of what follows (a header
    that lied hid a cell at XFD1048576, and the reader asked for 512 GB). Read so, the CRC
    is checked over all of it; `_as_declared` holds its size to the header's."""
    whole = copy.copy(info)
    whole.file_size = 1 << 62  # never reached: every read here is bounded by a budget
    return book.open(whole)


def _as_declared(path: Path, sheet: str | None, info: zipfile.ZipInfo, size: int) -> None:
    if size != info.file_size:
        message = said(
            "data.zip_size_lies", entry=info.filename, size=size, declared=info.file_size
        )
        raise _broken(path, sheet, message)


def _inflate(path: Path, book: zipfile.ZipFile, info: zipfile.ZipInfo) -> None:
    """Count the inflated bytes of the shared strings without keeping them: a header may lie."""
    cap = budget("SHEET_BYTES")
    if info.file_size > cap:
        raise over(path, said("data.strings_inflate", bytes=info.file_size), "SHEET_BYTES")
    size = strings = 0
    try:
        with _opened(book, info) as fh:
            while chunk := fh.read(CHUNK):
                size += len(chunk)
                if size > cap:
                    what = said("data.strings_inflate_beyond", bytes=cap)
                    raise over(path, what, "SHEET_BYTES")
                strings += chunk.count(b"<si")  # each string is a cell's worth to the reader
                if strings > budget("CELLS"):
                    what = said("data.strings_many", strings=strings)
                    raise over(path, what, "CELLS")
        _as_declared(path, None, info, size)
    except _UNZIPPED as exc:
        raise _damaged(path, None, exc) from None


HEAD_ROWS = 30
_MERGE = re.compile(rb'<mergeCell\b[^>]*?\bref="([A-Z]+[0-9]+(?::[A-Z]+[0-9]+)?)"')


def _scan(path: Path, book: zipfile.ZipFile, info: zipfile.ZipInfo, sheet: str) -> SheetScan:
    """The extent of a sheet's grid, its first rows and merged ranges, within the budgets."""
    cap = budget("SHEET_BYTES")
    if info.file_size > cap:
        what = said("data.sheet_inflates", bytes=info.file_size)
        raise over(path, what, "SHEET_BYTES", sheet)
    try:
        return _extent(path, book, info, sheet, cap)
    except _UNZIPPED as exc:
        raise _damaged(path, sheet, exc) from None
    except SharedIndex as exc:
        cell = f"{column_letter(exc.col - 1)}{exc.row}"
        value = exc.value[:40].decode("utf-8", "replace")
        raise _unsafe(path, sheet, said("data.shared_index", cell=cell, value=value)) from None


def _extent(
    path: Path, book: zipfile.ZipFile, info: zipfile.ZipInfo, sheet: str, cap: int
) -> SheetScan:
    """The grid the sheet's cells span (see data.grid), measured chunk by chunk and refused as
    soon as it is too large; with the sheet's first rows and merged ranges.

    A chunk is cut into pieces before row references, and two pieces are measured at once on
    the fast path in workers (numpy lets the GIL go), then joined on in order. A cut must
    fall outside all markup: it does when the piece before it is measured whole on the fast
    path, whose tags are plain (data.grid._plain), and then the piece after it starts at a
    row's reference and measures alone what it would in order (Grid.join). From a piece
    that will not join on, the sheet is measured in order, as it comes, a piece at a time."""
    grid = Grid()
    size = 0
    done = 0  # the bytes measured: where markup not closed yet starts
    carry = b""  # from markup not closed in a chunk: a tag is never measured in two halves
    head: bytes | None = None
    start = b""  # the sheet's first chunks, until they hold the head rows
    merged: list[bytes] = []
    rows_start = b""  # how a row with its reference starts here: known from the first chunk
    pending: deque[tuple[bytes, Future[Grid | None]]] = deque()  # pieces being measured

    def took(whole: bytes) -> None:
        nonlocal done
        done += len(whole)
        if b"<mergeCell" in whole:
            merged.extend(_MERGE.findall(whole))
        _within(path, sheet, grid.rows, grid.cols)  # stop early, not at the end

    def in_order(parts: Iterable[bytes], final: bool = False) -> bytes:
        """Measure the parts as they come (Grid.feed); the markup not closed at their end."""
        rest = b""
        for part in parts:
            data = rest + part
            fed = grid.feed(data, final=final)
            rest = data[fed:]
            if len(rest) > CHUNK or (rest and final):
                raise _unclosed(path, sheet, done + fed, rest)
            took(data[:fed])
        return rest

    def settle(keep: int) -> list[bytes]:
        """Join on the pieces measured, all but the last `keep`; from the first that will not
        join on, the pieces (measured in order by the caller)."""
        while len(pending) > keep:
            piece, measuring = pending.popleft()
            found = measuring.result()
            if found is None or not grid.join(found, piece, rows_start):
                rest = [piece, *(p for p, _ in pending)]
                pending.clear()
                return rest
            took(piece)
        return []

    with (
        closing(_inflated(book, info)) as chunks,  # its worker done with before leaving
        ThreadPoolExecutor(AHEAD, thread_name_prefix="amctl-measure") as workers,
    ):
        ordered = False  # a piece would not join on: the rest is measured as it comes
        for chunk in chunks:
            size += len(chunk)
            if size > cap:
                what = said("data.sheet_inflates_beyond", bytes=cap)
                raise over(path, what, "SHEET_BYTES", sheet)
            if head is None:
                start += chunk
                head = _head(unprefixed(start), final=not chunk or len(start) > 4 * CHUNK)
            rows_start = rows_start or row_start(chunk)
            data = carry + chunk
            # at 0 the data starts at its only row reference: nothing before it to cut off
            cut = data.rfind(rows_start) if chunk and not ordered else -1
            if cut > 0 and len(data) - cut <= CHUNK:
                pieces, carry = _pieces(data[:cut], rows_start), data[cut:]
                for piece in pieces:
                    pending.append((piece, workers.submit(_whole, piece)))
                    if rest := settle(AHEAD):
                        carry, ordered = in_order([*rest, *pieces]) + carry, True
                        break
                continue
            if rest := settle(0):
                data, ordered = in_order(rest) + data, True
            carry = in_order([data], final=not chunk)
    _as_declared(path, sheet, info, size)
    refs = tuple(dict.fromkeys(m.decode() for m in merged))
    return SheetScan(grid.rows, grid.cols, head or b"", refs, bool(grid.texts & grid.numbers))


AHEAD = 2  # pieces measured at once: the machines this runs on have two cores or more
PIECE = 4 * 1024**2  # about the size of a piece: what measuring one holds is some 8 times it


def _pieces(data: bytes, start: bytes) -> Generator[bytes, None, None]:
    """`data`, which starts a piece, cut before row starts (`start`) into pieces of about
    PIECE bytes (a longer one where no row starts within PIECE)."""
    begin = 0
    while len(data) - begin > PIECE:
        cut = data.rfind(start, begin + 1, begin + PIECE)
        if cut < 0:
            cut = data.find(start, begin + PIECE)
            if cut < 0:
                break
        yield data[begin:cut]
        begin = cut
    yield data[begin:]


def _whole(piece: bytes) -> Grid | None:
    """The piece measured on the fast path from a fresh grid; None when it is not all in the
    programs' shape."""
    grid = Grid()
    return grid if grid.whole(piece) else None


def _inflated(book: zipfile.ZipFile, info: zipfile.ZipInfo) -> Generator[bytes, None, None]:
    """The entry's chunks, then b"": each inflated in a worker while the one before is
    measured (zlib lets the GIL go). Closed early, it waits for the one read begun."""
    with (
        _opened(book, info) as fh,
        ThreadPoolExecutor(1, thread_name_prefix="amctl-inflate") as ahead,
    ):
        pending = ahead.submit(fh.read, CHUNK)
        while chunk := pending.result():
            pending = ahead.submit(fh.read, CHUNK)
            yield chunk
    yield b""


def _unclosed(path: Path, sheet: str, at: int, markup: bytes) -> DataError:
    """Markup that does not close within a chunk (or at all): no spreadsheet program writes a
    tag, comment or quoted value of 16 MiB, and the reader would read it differently."""
    start = markup[:40].decode("utf-8", "replace")
    return _unsafe(path, sheet, said("data.markup_unclosed", offset=at, start=start))


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


def _refuse(path: Path, sheet: str, what: Said, name: str | None = None) -> DataError:
    if name:
        return _unsafe(path, sheet, said("data.too_large_raise", what=what, name=name))
    return _unsafe(path, sheet, said("data.too_large", what=what))


def _unsafe(path: Path, sheet: str, message: Said) -> DataError:
    """A sheet the reader cannot be given safely (AMD021), and why."""
    where = Location(str(path), sheet=sheet)
    return DataError([Finding.of(where, "AMD021", message)], said("data.unsafe_workbook"))


_ODS_TOKEN = re.compile(
    rb"<table:table[\s>]|<table:table-row\b([^>]*?)(/?)>|</table:table-row>"
    rb"|<table:(?:covered-)?table-cell\b([^>]*?)(/?)>"
)
_ODS_ROWS = re.compile(rb"table:number-rows-repeated\s*=\s*(?:\"([^\"]*)\"|'([^']*)')")
_ODS_COLUMNS = re.compile(rb"table:number-columns-repeated\s*=\s*(?:\"([^\"]*)\"|'([^']*)')")
_ODS_SPACES = re.compile(rb"<text:s\b[^>]*?text:c\s*=\s*(?:\"([^\"]*)\"|'([^']*)')")


def _repeat(found: re.Match[bytes] | tuple[bytes, bytes] | None) -> int:
    """A repeat count as the reader takes it: character references decoded (&#49;000 is
    1000), anything past a budget's reach counted as such."""
    if found is None:
        return 1
    raw = b"".join(g or b"" for g in (found.groups() if isinstance(found, re.Match) else found))
    text = html.unescape(raw.decode("utf-8", "replace")).strip()
    if not (text.isascii() and text.isdigit()):
        return 1
    return int(text) if len(text) <= 15 else 10**15


def check_ods(path: Path) -> None:
    """ODS compresses a table by repeating rows and cells (number-rows-repeated="1000000"):
    a small file can stand for billions of cells. Count the grid its non-empty cells span,
    repeats included, before the reader expands them."""
    book = _zip(path)
    if book is None:
        return  # the reader says what it is
    with book:
        _packed(path, book)
        try:
            info = book.getinfo("content.xml")
        except KeyError:
            return
        cap = budget("SHEET_BYTES")
        if info.file_size > cap:
            what = said("data.content_inflates", bytes=info.file_size)
            raise over(path, what, "SHEET_BYTES")
        try:
            _ods_extent(path, book, info, cap)
        except _UNZIPPED as exc:
            raise _damaged(path, None, exc) from None


def _ods_extent(path: Path, book: zipfile.ZipFile, info: zipfile.ZipInfo, cap: int) -> None:
    rows = used_rows = used_cols = size = expanded = spaces = 0
    repeat = col = filled = 0
    # the reader walks empty repeats too (about 20 ns a cell): ten times the grid budget
    walk = 10 * budget("CELLS")
    tail = b""
    with _opened(book, info) as fh:
        while True:
            chunk = fh.read(CHUNK)
            size += len(chunk)
            if size > cap:
                what = said("data.content_inflates_beyond", bytes=cap)
                raise over(path, what, "SHEET_BYTES")
            data = tail + chunk
            last = 0
            spaces += sum(_repeat(n) for n in _ODS_SPACES.findall(data, len(tail)))
            if spaces > walk:  # <text:s text:c="2000000000"/>: two billion spaces of text
                what = said("data.repeated_spaces", spaces=spaces)
                raise over(path, what, "CELLS", times=10)
            for m in _ODS_TOKEN.finditer(data):
                last = m.end()
                token = m.group()
                if token.startswith(b"<table:table-row"):
                    repeat, col, filled = _repeat(_ODS_ROWS.search(m.group(1) or b"")), 0, 0
                    if m.group(2):  # a self-closing row has no cells
                        rows += repeat
                elif token == b"</table:table-row>":
                    rows += repeat
                    if filled:
                        used_rows, used_cols = rows, max(used_cols, filled)
                    if used_rows * used_cols > budget("CELLS"):
                        what = said("data.repeats_stretch", rows=used_rows, columns=used_cols)
                        raise over(path, what, "CELLS")
                    expanded += repeat * max(col, 1)
                    if expanded > walk:
                        what = said("data.repeats_walk", cells=expanded)
                        raise over(path, what, "CELLS", times=10)
                elif token.startswith(b"<table:table") and b"-" not in token[:14]:
                    rows = 0  # a new table
                else:
                    col += _repeat(_ODS_COLUMNS.search(m.group(3) or b""))
                    if not m.group(4):  # a cell with content
                        filled = col
            if not chunk:
                _as_declared(path, None, info, size)
                break
            tail = data[last:][-4096:]
