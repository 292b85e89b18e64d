"""The grid an xlsx sheet's cells span, measured from its XML before the reader parses it.

The reader builds a dense grid from the first to the last cell it meets, and aborts the
process when that grid does not fit in memory. So the extent must be measured as the reader
reads references: in either quote, with spaces, in lowercase, with leading zeros, in any
order, and by position where a row or a cell has no reference at all. Spreadsheet programs
write one shape, `<c r="B7"`, in order; numpy measures that shape over a whole chunk at once.
A chunk holding any other shape goes through a tokenizer that follows the reader's rules one
tag at a time: slower, but only files no spreadsheet program wrote pay for it.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

import numpy as np

HUGE = 10**12  # a row or column past any budget: what a reference too long to count stands for
_LETTER = np.zeros(256, dtype=bool)
_LETTER[list(b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz")] = True
# a row or cell written any other way than `<row r="12"` / `<c r="AB12"`: three searches, as
# each alone runs on the regex engine's fast literal prefix
_ODD_CELL = re.compile(rb'<c(?=[\s/>])(?! r="[A-Z]{1,3}[1-9][0-9]{0,6}")')
_ODD_ROW = re.compile(rb'<row(?=[\s/>])(?! r="[1-9][0-9]{0,6}")')
_PREFIXED = re.compile(rb":(?:c|row)[\s/>]")  # <x:c …>: the reader takes it for a cell


@dataclass
class Grid:
    """What the reader's grid reaches so far (1-based), and where a row without its
    reference would go."""

    rows: int = 0
    cols: int = 0
    row: int = 1  # the row a cell without its reference goes to
    col: int = 0  # the column of the last cell in the row

    def feed(self, data: bytes) -> None:
        """Measure whole tags: `data` must start at a tag and not end inside one."""
        if not self._canonical(data):
            self._tokens(data)

    def _canonical(self, data: bytes) -> bool:
        """Measure a chunk where every row and cell is written `<row r="N"` / `<c r="B7"`
        (the checks below are what makes that sure); False, nothing measured, when not."""
        if _ODD_CELL.search(data) or _ODD_ROW.search(data) or _PREFIXED.search(data):
            return False
        # the checks keep every index below inside the data: a reference is whole, and
        # closed by its quote, before the chunk ends
        a = np.frombuffer(data, dtype=np.uint8)
        quotes = np.flatnonzero(a == ord('"'))
        quotes = quotes[quotes >= 5]  # room for `<c r=` before it (a chunk starts at a tag)
        opens = np.flatnonzero(
            (a[quotes - 1] == ord("=")) & (a[quotes - 2] == ord("r")) & (a[quotes - 3] == ord(" "))
        )
        opens = opens[opens + 1 < len(quotes)]
        at = quotes[opens]
        cell = (a[at - 4] == ord("c")) & (a[at - 5] == ord("<"))
        back = np.maximum(at - 7, 0)  # `<row r=` needs two bytes more than `<c r=`
        row = (
            (at >= 7) & (a[at - 4] == ord("w")) & (a[back + 1] == ord("r")) & (a[back] == ord("<"))
        )
        keep = cell | row
        starts, cell, row = at[keep] + 1, cell[keep], row[keep]
        length = quotes[opens[keep] + 1] - starts  # a checked reference holds no quote
        letters = np.zeros(len(starts), dtype=np.int64)
        run = cell.copy()
        for k in range(3):
            run &= _LETTER[a[starts + k]]
            letters += run
        digits = length - letters
        self.rows = max(self.rows, _largest(a, starts + letters, digits, 10))
        self.cols = max(self.cols, _largest(a, starts[cell], letters[cell], 26))
        if row.any():  # the last row's number, and every end of a row after it
            last = int(np.flatnonzero(row)[-1])
            number = _largest(a, starts[last : last + 1], digits[last : last + 1], 10)
            self.row = number + _ends(data, int(starts[last]))
        else:
            self.row += _ends(data, 0)
        self.col = self.cols  # a cell without its reference in the next chunk: at most here
        return True

    def _tokens(self, data: bytes) -> None:
        """Tag by tag, as the reader counts: a row's reference sets the row, every end of a row
        moves to the next, a cell's reference sets its place, a cell without one takes the
        next column."""
        for m in _TAG.finditer(data):
            if m.group(1) is None:  # </row>
                self.row += 1
                continue
            refs = [a or b for name, a, b in _ATTR.findall(m.group(2)) if name == b"r"]
            parsed = [_REF.match(r.strip()) for r in refs]
            found = [p for p in parsed if p is not None]
            if m.group(1) == b"row":
                numbers = [_count(p.group(2), 10) for p in found if p.group(2)]
                if numbers:
                    self.row = max(numbers)
                    self.rows = max(self.rows, self.row)
                self.col = 0
                if m.group(2).rstrip().endswith(b"/"):  # <row/>: its own end
                    self.row += 1
                continue
            if found:
                for p in found:
                    at_row = _count(p.group(2), 10) if p.group(2) else self.row
                    self.col = _count(p.group(1).upper(), 26) if p.group(1) else self.col + 1
                    self.rows = max(self.rows, at_row, self.row)
                    self.cols = max(self.cols, self.col)
            else:
                self.col += 1
                self.rows = max(self.rows, self.row)
                self.cols = max(self.cols, self.col)


def _largest(a: np.ndarray, starts: np.ndarray, widths: np.ndarray, base: int) -> int:
    """The largest row number (base 10) or column (base 26, letters) written at `starts`, each
    `widths` long: only the widest can be the largest, and only those are counted."""
    if not len(widths):
        return 0
    widest = int(widths.max())
    pick = starts[widths == widest]
    value = np.zeros(len(pick), dtype=np.int64)
    for k in range(widest):
        digit = a[pick + k].astype(np.int64)
        value = value * base + (digit - ord("0") if base == 10 else (digit & 0xDF) - ord("A") + 1)
    return int(value.max())


def _ends(data: bytes, start: int) -> int:
    """Ends of rows from `start` on, self-closed rows counted (with any other /> after a row
    tag: more than there are, never fewer)."""
    return data.count(b"</row>", start) + data.count(b"/>", start)


def _count(text: bytes, base: int) -> int:
    """A row number (base 10) or column letters (base 26, upper case), capped at HUGE."""
    zero = ord("0") if base == 10 else ord("A") - 1
    value = 0
    for ch in text.lstrip(b"0") if base == 10 else text:
        value = value * base + ch - zero
        if value > HUGE:
            return HUGE
    return value


# a row or cell start tag (any prefix; a > inside a quoted value does not end it), or </row>
_TAG = re.compile(
    rb"""<(?:[^\s<>/:]+:)?(row|c)(?=[\s/>])((?:[^>"']|"[^"]*"|'[^']*')*)>"""
    rb"|</(?:[^\s<>/:]+:)?row\s*>"
)
_ATTR = re.compile(rb"""([^\s=/"']+)\s*=\s*(?:"([^"]*)"|'([^']*)')""")
_REF = re.compile(rb"([A-Za-z]*)([0-9]*)$")
