"""Which cells of an xlsx column are formatted as a percentage.

Excel stores 15.59 % as 0.1559 and keeps the percent in the cell's number format; the reader
(calamine) returns the number without its format. A metric declared in percent needs that
format to read 0.1559 as 15.59. Formats live in styles.xml (a cell's `s=` index → its
cellXfs entry → a numFmtId, built in or declared in numFmts); the sheet XML is searched only
for the cells of the columns asked for, and only when the workbook has a percent format at
all, so workbooks without one pay for reading styles.xml and nothing else.
"""

from __future__ import annotations

import functools
import re
import zipfile
from pathlib import Path

from amctl.data.cells import column_letter
from amctl.data.guard import CHUNK, SMALL_PART, attributes, sheet_entries, workbook_parts

BUILTIN_PERCENT = {9, 10}  # 0% and 0.00%
_NUMFMT = re.compile(rb"<(?:\w+:)?numFmt\b([^>]*)>")
_XFS = re.compile(rb"<(?:\w+:)?cellXfs\b[^>]*>(.*?)</(?:\w+:)?cellXfs>", re.S)
_XF = re.compile(rb"<(?:\w+:)?xf\b([^>]*)>")
_REF = re.compile(rb"([A-Za-z]{1,3})0*([0-9]{1,7})$")
_QUOTED = re.compile(r'"[^"]*"|\\.|\[[^\]]*\]')  # literal text, escapes, [colour] in a code


def is_percent_code(code: str) -> bool:
    """A format code that multiplies by 100: a % outside quoted text, escapes and brackets."""
    return "%" in _QUOTED.sub("", code)


@functools.lru_cache(maxsize=16)
def _percent_styles(path: str, mtime_ns: int) -> frozenset[int]:
    """The cellXfs indexes whose number format is a percentage."""
    try:
        with zipfile.ZipFile(path) as book:
            entry = workbook_parts(Path(path), book).styles
            if entry is None:
                return frozenset()
            info = book.getinfo(entry)
            if info.file_size > SMALL_PART:
                return frozenset()  # the guard refuses such a workbook before this is asked
            styles = book.read(info)
    except (KeyError, OSError, zipfile.BadZipFile):
        return frozenset()
    percent_ids = set(BUILTIN_PERCENT)
    for tag in _NUMFMT.findall(styles):
        found = attributes(tag)
        code = found.get(b"formatCode", b"").decode("utf-8", "replace")
        if found.get(b"numFmtId", b"").isdigit() and is_percent_code(_unescape(code)):
            percent_ids.add(int(found[b"numFmtId"]))
    xfs = _XFS.search(styles)
    if xfs is None:
        return frozenset()
    out = set()
    for index, tag in enumerate(_XF.findall(xfs.group(1))):
        number = attributes(tag).get(b"numFmtId", b"0")
        if number.isdigit() and int(number) in percent_ids:
            out.add(index)
    return frozenset(out)


def _unescape(code: str) -> str:
    return code.replace("&quot;", '"').replace("&amp;", "&").replace("&lt;", "<")


def percent_rows(path: str, sheet: str | None, columns: list[int]) -> dict[int, set[int]]:
    """For each column index asked for, the sheet rows (1-based) whose cell there is formatted
    as a percentage. Empty for anything but an xlsx (a csv has no formats)."""
    out: dict[int, set[int]] = {c: set() for c in columns}
    file = Path(path)
    if sheet is None or file.suffix.lower() not in {".xlsx", ".xlsm"} or not columns:
        return out
    styles = _percent_styles(str(file), file.stat().st_mtime_ns)
    if not styles:
        return out
    letters = {column_letter(c): c for c in columns}
    names = "|".join(letters).encode()
    # a cell tag in one of the columns (lowercase too): its attributes, in any order
    cell = re.compile(rb"<(?:\w+:)?c\s(?=[^>]*?\br\s*=\s*[\"'](?i:" + names + rb")[0-9])([^>]*)>")
    with zipfile.ZipFile(file) as book:
        entry = next((e for e, name in sheet_entries(file, book).items() if name == sheet), None)
        if entry is None:
            return out
        carry = b""
        with book.open(entry) as fh:
            while True:
                chunk = fh.read(CHUNK)
                data = carry + chunk
                cut = data.rfind(b"<") if chunk else len(data)
                for attrs in cell.findall(data, 0, max(cut, 0)):
                    found = attributes(attrs)
                    ref = _REF.match(found.get(b"r", b"").strip())
                    number = found.get(b"s", b"").strip()
                    if ref and number.isdigit() and int(number) in styles:
                        column = letters.get(ref.group(1).decode().upper())
                        if column is not None:
                            out[column].add(int(ref.group(2)))
                if not chunk:
                    break
                carry = data[max(cut, 0) :]
    return out
