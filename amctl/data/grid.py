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
_UPPER = np.zeros(256, dtype=bool)
_UPPER[list(b"ABCDEFGHIJKLMNOPQRSTUVWXYZ")] = True
_DIGIT = np.zeros(256, dtype=bool)
_DIGIT[list(b"0123456789")] = True
_SPACE = np.zeros(256, dtype=bool)  # a space of any kind, as the XML reader skips them
_SPACE[list(b" \t\n\r\f\v")] = True
_AFTER = _SPACE.copy()  # what ends a tag's name: a space, / or >
_AFTER[list(b"/>")] = True
_NAMED = np.zeros(256, dtype=bool)  # what an XML name is made of: an r after one is no attribute
_NAMED[list(b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789._-:")] = True
_NAMED[128:] = True  # a name's non-ASCII letters
_NOT_MARKS = bytes(sorted(set(range(256)) - set(b'<>"')))  # all but what _plain looks at
_PAD = 24  # bytes past the end a reference's checks may look at: a tag's name and a reference
_PREFIXED = re.compile(rb":(?:c|row)[\s/>]")  # <x:c …>: the reader takes it for a cell


@dataclass
class Grid:
    """What the reader's grid reaches so far (1-based), and where a row without its
    reference would go."""

    rows: int = 0
    cols: int = 0
    row: int = 1  # the row a cell without its reference goes to
    col: int = 0  # the column of the last cell in the row

    def feed(self, data: bytes, *, final: bool = True) -> int:
        """Measure the markup `data` starts with, which must begin outside any tag; return how
        many bytes were measured. The rest starts at markup not closed yet: the caller passes
        it again with the next chunk (`final=False`), or, at the end, it never closes."""
        cut = len(data) if final else data.rfind(b"<")
        if cut > 0 and self._canonical(data[:cut]):
            return cut
        return self._tokens(data)

    def _canonical(self, data: bytes) -> bool:
        """Measure a chunk where every row and cell is written `<row r="N"` / `<c r="B7"`:
        1–3 capital letters, then 1–7 digits not led by a zero, in double quotes, the first
        attribute after one space, and every tag plain (see _plain). Found and checked with numpy
        at each tag that opens a row or a cell, no regular expression per cell; False, nothing
        measured, when one is not so."""
        if _PREFIXED.search(data):
            return False
        a = np.frombuffer(data, dtype=np.uint8)
        lt = np.flatnonzero(a == ord("<"))
        if not _plain(data, a, lt):
            return False
        p = np.concatenate([a, np.zeros(_PAD, dtype=np.uint8)])  # the checks read past the end
        at = lt[(p[lt + 1] == ord("c")) | (p[lt + 1] == ord("r"))]
        cell = (p[at + 1] == ord("c")) & _AFTER[p[at + 2]]
        row = (p[at + 1] == ord("r")) & (p[at + 2] == ord("o")) & (p[at + 3] == ord("w"))
        row &= _AFTER[p[at + 4]]
        keep = cell | row
        at, cell, row = at[keep], cell[keep], row[keep]
        begins = at + np.where(cell, 2, 4)  # the byte after the tag's name
        shaped = (p[begins] == ord(" ")) & (p[begins + 1] == ord("r"))
        shaped &= (p[begins + 2] == ord("=")) & (p[begins + 3] == ord('"'))
        starts = begins + 4
        letters = np.zeros(len(starts), dtype=np.int64)
        run = cell.copy()
        for k in range(3):
            run &= _UPPER[p[starts + k]]
            letters += run
        first = starts + letters
        digits = np.zeros(len(starts), dtype=np.int64)
        run = np.ones(len(starts), dtype=bool)
        for k in range(8):  # 8: a digit past the seventh is seen
            run &= _DIGIT[p[first + k]]
            if not run.any():
                break
            digits += run
        shaped &= (letters > 0) | row
        shaped &= (digits >= 1) & (digits <= 7) & (p[first] != ord("0"))
        shaped &= p[first + digits] == ord('"')
        if not shaped.all():
            return False
        # an `r` attribute anywhere else (a second one in a tag, which the readers take, or
        # one spelt `r =`) is for the tokenizer: every one counted, as many as the tags
        r = np.flatnonzero(p[1:-1] == ord("r")) + 1
        named = ~_NAMED[p[r - 1]] & (_SPACE[p[r + 1]] | (p[r + 1] == ord("=")))
        if int(np.count_nonzero(named)) != len(at):
            return False
        self.rows = max(self.rows, _largest(a, first, digits, 10))
        self.cols = max(self.cols, _largest(a, starts[cell], letters[cell], 26))
        if row.any():  # the last row's number, and every end of a row after it
            last = int(np.flatnonzero(row)[-1])
            number = _largest(a, first[last : last + 1], digits[last : last + 1], 10)
            self.row = number + _ends(data, int(starts[last]))
        else:
            self.row += _ends(data, 0)
        self.col = self.cols  # a cell without its reference in the next chunk: at most here
        return True

    def _tokens(self, data: bytes) -> int:
        """Tag by tag, as the reader counts: a row's reference sets the row, every end of a row
        moves to the next, a cell's reference sets its place, a cell without one takes the
        next column. Comments, CDATA, instructions and quoted values hide what looks like a tag
        in them, as they do from the reader. Returns where it stopped: the end, or markup that
        does not close in `data`."""
        pos = 0
        while m := _STEP.match(data, pos):
            pos = m.end()
            if m.group(1):  # </row>
                self.row += 1
                continue
            if not m.group(2):
                return pos
            refs = [a or b for name, a, b in _ATTR.findall(m.group(3)) if name == b"r"]
            parsed = [_REF.match(r.strip()) for r in refs]
            found = [p for p in parsed if p is not None]
            if m.group(2) == b"row":
                numbers = [_count(p.group(2), 10) for p in found if p.group(2)]
                if numbers:
                    self.row = max(numbers)
                    self.rows = max(self.rows, self.row)
                self.col = 0
                if m.group(3).rstrip().endswith(b"/"):  # <row/>: its own end
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
        return pos


def _plain(data: bytes, a: np.ndarray, lt: np.ndarray) -> bool:
    """Every tag ends at the first > after its <, with no < before it and its quotes paired:
    then each < opens a tag for the reader too, none is inside a quoted value or a comment,
    and a chunk may end at any <. Checked on the positions of < and >, and the parity of the
    quotes between them, not byte by byte."""
    if b"'" not in data:  # the usual shape, checked on the marks alone: <"" ""> repeated
        marks = data.translate(None, _NOT_MARKS)
        if marks.replace(b'""', b"") == b"<>" * len(lt):
            return True
    gt = np.flatnonzero(a == ord(">"))
    if len(gt) != len(lt) or (len(lt) and ((lt > gt).any() or (gt[:-1] > lt[1:]).any())):
        return False
    if not len(lt):
        return True
    bounds = np.empty(2 * len(lt), dtype=np.int64)
    bounds[0::2], bounds[1::2] = lt, gt
    double = (a == ord('"')).view(np.uint8)
    if np.bitwise_xor.reduceat(double, bounds)[0::2].any():  # an odd number of " in a tag
        return False
    if b"'" not in data:
        return True
    single = np.flatnonzero(a == ord("'"))
    tag = np.searchsorted(lt, single, side="right") - 1  # the tag each ' may be in
    inside = tag >= 0
    inside[inside] = single[inside] < gt[tag[inside]]
    # a ' in a tag is well only inside a "-quoted value: an odd number of " before it there
    quotes = np.flatnonzero(double)
    before = np.searchsorted(quotes, single[inside]) - np.searchsorted(quotes, lt[tag[inside]])
    return bool((before & 1).all())


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
    tag, and `</row >` or `</rowBreaks>`: more than there are, never fewer)."""
    return data.count(b"</row", start) + data.count(b"/>", start)


def _count(text: bytes, base: int) -> int:
    """A row number (base 10) or column letters (base 26, upper case), capped at HUGE."""
    zero = ord("0") if base == 10 else ord("A") - 1
    value = 0
    for ch in text.lstrip(b"0") if base == 10 else text:
        value = value * base + ch - zero
        if value > HUGE:
            return HUGE
    return value


# one step of the tokenizer: text, comments, CDATA, instructions and other tags skipped whole
# (a > or < in quotes does not end or open a tag), then </row> (1) or a row or cell start tag
# (any prefix, an empty one too: the reader takes <:c> for a cell) with its name (2) and
# attributes (3). Possessive: an unclosed tag at the end stops the step, it never backtracks.
_PREFIX = rb"(?:[^\s<>/:]*+:)?"
_INSIDE = rb"""(?:[^>"']++|"[^"]*+"|'[^']*+')*+"""
_STEP = re.compile(
    rb"(?:[^<]++|<!--.*?-->|<!\[CDATA\[.*?\]\]>|<\?.*?\?>"
    rb"|<(?![!?]|/" + _PREFIX + rb"row[\s>]|" + _PREFIX + rb"(?:row|c)[\s/>])" + _INSIDE + rb">)*+"
    rb"(?:(</)" + _PREFIX + rb"row\s*+>|<" + _PREFIX + rb"(row|c)(?=[\s/>])(" + _INSIDE + rb")>)?",
    re.S,
)
_ATTR = re.compile(rb"""([^\s=/"']+)\s*=\s*(?:"([^"]*)"|'([^']*)')""")
_REF = re.compile(rb"([A-Za-z]*)([0-9]*)$")
