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

import functools
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
_SPACE_OR_EQUALS = _SPACE.copy()  # what may follow the name of an attribute r
_SPACE_OR_EQUALS[ord("=")] = True
_SPACE_OR_CLOSE = _SPACE.copy()  # what may follow the name of an end tag
_SPACE_OR_CLOSE[ord(">")] = True
_CELL_ROW_OR_END = np.zeros(256, dtype=bool)  # the first byte of a tag's name worth a look
_CELL_ROW_OR_END[list(b"cr/")] = True
_BANG_OR_ASK = np.zeros(256, dtype=bool)  # <! and <?: a comment, CDATA, an instruction
_BANG_OR_ASK[list(b"!?")] = True
_NOT_MARKS = bytes(sorted(set(range(256)) - set(b'<>"')))  # all but what _plain looks at
_PAD = 24  # bytes past the end a reference's checks may look at: a tag's name and a reference
ROW_START = b'<row r="'  # a row with its reference, as the programs write it: a piece starts here
_PREFIXED = re.compile(rb":(?:c|row)[\s/>]")  # <x:c …>: the reader takes it for a cell
_PREFIX = re.compile(rb"</?([A-Za-z][A-Za-z0-9]{0,15}):(?:c|row)[\s/>]")  # which prefix
_PREFIX_REACH = 18  # how far before its : a _PREFIX match starts: </ and 16 letters


def _prefix(data: bytes) -> bytes | None:
    """The prefix the first prefixed row or cell tag in `data` carries (`x` of `<x:row>`, the
    Open XML SDK's way), or None. `_PREFIX` tries every < it meets (80 ms a 16 MiB chunk),
    so it starts only where `_PREFIXED`, which looks for the rare `:`, found one (5 ms)."""
    colon = _PREFIXED.search(data)
    if colon is None:
        return None
    found = _PREFIX.search(data, max(0, colon.start() - _PREFIX_REACH))
    return None if found is None else found.group(1)


def unprefixed(data: bytes) -> bytes:
    """`data` with the prefix of its first prefixed row or cell tag taken off every tag that
    carries it; `data` itself when there is none. The reader reads an element by its local
    name, so this is the sheet as it reads it."""
    prefix = _prefix(data)
    if prefix is None:
        return data
    return data.replace(b"<" + prefix + b":", b"<").replace(b"</" + prefix + b":", b"</")


def row_start(data: bytes) -> bytes:
    """How a row with its reference starts in a sheet written as `data` (its first chunk) is:
    `<row r="`, or under a prefix `<x:row r="`."""
    prefix = _prefix(data)
    return ROW_START if prefix is None else b"<" + prefix + b':row r="'


@dataclass
class Grid:
    """What the reader's grid reaches so far (1-based), and where a row without its
    reference would go."""

    rows: int = 0
    cols: int = 0
    row: int = 1  # the row a cell without its reference goes to
    col: int = 0  # the column of the last cell in the row
    # the columns (bit c for column c) with text, and with numbers, in a row from 100 on,
    # as far as the fast path saw: a column with both is one the typed reader refuses
    texts: int = 0
    numbers: int = 0

    def feed(self, data: bytes, *, final: bool = True) -> int:
        """Measure the markup `data` starts with, which must begin outside any tag; return how
        many bytes were measured. The rest starts at markup not closed yet: the caller passes
        it again with the next chunk (`final=False`), or, at the end, it never closes."""
        cut = len(data) if final else data.rfind(b"<")
        measured = self._canonical(data[:cut]) if cut > 0 else 0
        if final or not measured:  # the rest tag by tag: all of it, or all that closes
            measured += self._tokens(data[measured:] if measured else data)
        return measured

    def whole(self, piece: bytes) -> bool:
        """Measure `piece` on the fast path only: True when all of it was in the programs'
        shape (see _canonical), False (and nothing measured) otherwise. A piece that starts
        at a row's reference measures the same from any grid; so it can be measured from a
        fresh one, beside the pieces before it, and joined on (`join`)."""
        return self._canonical(piece) == len(piece) if piece else True

    def join(self, other: Grid, piece: bytes, start: bytes = ROW_START) -> bool:
        """Take in `other`, a fresh grid that measured `piece` whole (see `whole`): what
        feeding `piece` to this grid would have measured, when `piece` starts at a row's
        reference (`start`, see row_start: its row does not depend on the rows before) or
        this grid has measured nothing yet (it is as fresh as `other` was). False, and
        nothing taken, otherwise."""
        if not (piece.startswith(start) or self == Grid()):
            return False
        self.rows, self.cols = max(self.rows, other.rows), max(self.cols, other.cols)
        self.row, self.col = other.row, self.cols
        self.texts, self.numbers = self.texts | other.texts, self.numbers | other.numbers
        return True

    def _canonical(self, data: bytes) -> int:
        """Measure a chunk where every row and cell is written `<row r="N"` / `<c r="B7"`:
        1–3 capital letters, then 1–7 digits not led by a zero, in double quotes, the first
        attribute after one space; every tag plain (see _plain) and no row or cell inside a
        cell (see _outside). Found and checked with numpy at each tag that opens a row or a
        cell, no regular expression per cell. Returns the bytes measured: up to a cell that
        does not close in the chunk, or 0, nothing measured, when the chunk is not so.
        The byte k places after each tag is read as `p[k:][at]`, a view's gather: no index
        array is made for it (the chunk holds a million tags)."""
        if _PREFIXED.search(data):
            return self._prefixed(data)
        a = np.frombuffer(data, dtype=np.uint8)
        lt = np.flatnonzero(a == ord("<"))
        if not _plain(data, a, lt):
            return 0
        p = np.concatenate([a, np.zeros(_PAD, dtype=np.uint8)])  # the checks read past the end
        end, at, cell, shut, filled = _outside(a, p, lt)
        if not end:
            return 0
        if end < len(data):  # from the cell still open: measured with the next chunk
            a, p = a[:end], p[: end + _PAD]
            p[end:] = 0  # p is ours: the checks read zeros past the end, as before
            kept = int(np.searchsorted(at, end))  # the tags are in order
            at, cell = at[:kept], cell[:kept]
            cells = int(np.count_nonzero(cell))
            shut, filled = shut[:cells], filled[:cells]
        row = ~cell
        starts = at + 4  # the byte after the tag's name (<row is 4 bytes, <c 2), then 4 on
        starts[cell] -= 2
        shaped = p[starts] == ord(" ")
        shaped &= p[1:][starts] == ord("r")
        shaped &= p[2:][starts] == ord("=")
        shaped &= p[3:][starts] == ord('"')
        starts += 4  # where the reference starts
        letters = np.zeros(len(starts), dtype=np.int64)
        run = cell.copy()
        for k in range(3):
            run &= _UPPER[p[k:][starts]]
            letters += run
        first = starts + letters
        digits = np.zeros(len(starts), dtype=np.int64)
        run = np.ones(len(starts), dtype=bool)
        for k in range(8):  # 8: a digit past the seventh is seen
            run &= _DIGIT[p[k:][first]]
            if not run.any():
                break
            digits += run
        shaped &= (letters > 0) | row
        shaped &= (digits >= 1) & (digits <= 7) & (p[first] != ord("0"))
        shaped &= p[first + digits] == ord('"')
        if not shaped.all():
            return 0
        # an `r` attribute anywhere else (a second one in a tag, which the readers take, or
        # one spelt `r =`) is for the tokenizer: every one counted, as many as the tags; an
        # r standing alone in a cell's text (an inline string, "r = 0.8") is no attribute
        before = np.flatnonzero(p[1:-1] == ord("r"))  # the byte before each r
        named = before[~_NAMED[p[before]] & _SPACE_OR_EQUALS[p[2:][before]]]
        if len(named) != len(at) and _in_tags(a, lt, named + 1) != len(at):
            return 0
        if not _indexed(end, p, first[cell] + digits[cell], shut, filled):
            return 0
        self.rows = max(self.rows, _largest(a, first, digits, 10))
        self.cols = max(self.cols, _largest(a, starts[cell], letters[cell], 26))
        if row.any():
            # the largest row number and every end of a row after its last tag: the last tag
            # in the programs' order; a tag the reader skips (in a formula) can then only add
            # rows, never move the rows after it up
            at_rows = np.flatnonzero(row)
            numbers = _numbers(a, first[at_rows], digits[at_rows])
            top = at_rows[len(at_rows) - 1 - int(np.argmax(numbers[::-1]))]
            self.row = int(numbers.max()) + _ends(data, int(starts[top]), end)
        else:
            self.row += _ends(data, 0, end)
        self.col = self.cols  # a cell without its reference in the next chunk: at most here
        self._kinds(p, starts[cell], letters[cell], digits[cell], shut, filled)
        return end

    def _prefixed(self, data: bytes) -> int:
        """A chunk whose tags carry one prefix (`<x:row>`, `<x:c>`, as the Open XML SDK writes
        them), measured without it: the reader reads an element by its local name, whatever
        its prefix. 0, nothing measured, when another prefix is left. Taking the prefix off
        moves no < or > or quote, so the chunk is as plain as before, and the cell still
        open at the end is the same k-th < in both."""
        bare = unprefixed(data)
        if bare is data or _PREFIXED.search(bare):
            return 0
        end = self._canonical(bare)
        if end in (0, len(bare)):
            return end and len(data)
        k = bare.count(b"<", 0, end)
        return int(np.flatnonzero(np.frombuffer(data, dtype=np.uint8) == ord("<"))[k])

    def _kinds(
        self,
        p: np.ndarray,
        starts: np.ndarray,
        letters: np.ndarray,
        digits: np.ndarray,
        shut: np.ndarray,
        filled: np.ndarray,
    ) -> None:
        """Note which columns hold text and which numbers, in rows from 100 on (three digits:
        below any head), from the cell's tag (its reference ends at a quote, its > is
        `shut`). Text: `t="s"`, `t="str"` or `t="inlineStr"` right after the reference or
        last. A number: the reference last, or only a style after it (` s="12"`), or
        `t="n"` last. Anything else (a boolean, an error, more attributes) says nothing:
        this only spares the typed reader a sheet it would refuse."""
        wanted = filled & (digits >= 3)
        if not wanted.any():
            return
        q = shut[wanted]
        e = starts[wanted] + letters[wanted] + digits[wanted]  # the reference's closing quote
        quoted = p[q - 1] == ord('"')
        last, before = p[q - 2], p[q - 3]
        named = (p[e + 1] == ord(" ")) & (p[e + 3] == ord("=")) & (p[e + 4] == ord('"'))
        typed = named & (p[e + 2] == ord("t"))  # t="…" right after the reference
        text = quoted & (last == ord("s")) & (before == ord('"')) & (p[q - 5] == ord("t"))
        text |= quoted & (last == ord("r")) & (before == ord("t")) & ((p[q - 4] | 0x20) == ord("s"))
        text |= typed & (p[e + 5] == ord("s")) & (p[e + 6] == ord('"'))
        text |= typed & (p[e + 5] == ord("s")) & (p[e + 6] == ord("t")) & (p[e + 7] == ord("r"))
        text |= typed & (p[e + 5] == ord("i")) & (p[e + 6] == ord("n"))
        styled = named & (p[e + 2] == ord("s")) & (q - e <= 12) & _DIGIT[last]  # ` s="123456"`
        number = (q == e + 1) | (quoted & styled)
        number |= quoted & (last == ord("n")) & (before == ord('"')) & (p[q - 5] == ord("t"))
        columns = _numbers(p, starts[wanted], letters[wanted], 26)
        self.texts |= _bits(columns[text])
        self.numbers |= _bits(columns[number])

    def _tokens(self, data: bytes) -> int:
        """Markup by markup, as the reader counts: a row's reference sets the row, every end of
        a row moves to the next and back to the first column, a cell's reference sets its
        place, a cell without one takes the next column, and what is inside a cell is the
        cell's. Only XML a program could have written is read (names, attributes in quotes):
        anything else would be taken one way here and another by the reader. Returns where it
        stopped: the end, or markup that does not close in `data` or is not such XML."""
        pos = 0
        while m := _STEP.match(data, pos):
            pos = m.end()
            end, row, cell = m.group("end", "row", "cell")
            if end is not None:  # </row>
                self.row += 1
                self.col = 0
                continue
            if row is not None:
                number, _ = _reference(row)
                if number:
                    self.row = number
                    self.rows = max(self.rows, number)
                if row.endswith(b"/"):  # <row/>: its own end
                    self.row += 1
                    self.col = 0
                continue
            if cell is None:
                return pos
            number, column = _reference(cell)
            self.col = column or self.col + 1
            self.rows = max(self.rows, self.row, number)
            self.cols = max(self.cols, self.col)
            if _SHARED.search(cell) and (value := _unindexed(data[m.end("cell") : m.end()])):
                raise SharedIndex(number or self.row, self.col, value)
        return pos


def _reference(attributes: bytes) -> tuple[int, int]:
    """The row and the column an r attribute names, 0 where it names none; the largest of
    each where a tag has more than one r (the reader takes one of them: never fewer)."""
    row = col = 0
    for name, a, b in _ATTR.findall(attributes):
        if name == b"r" and (found := _REF.match((a or b).strip())):
            letters, digits = found.groups()
            if digits:
                row = max(row, int(digits) if len(digits) < 13 else _count(digits, 10))
            if letters:
                col = max(col, _column(letters.upper()))
    return row, col


class SharedIndex(Exception):
    """A shared-string cell whose index is not a whole number: the reader takes it for 0, the
    first shared string, and says nothing."""

    def __init__(self, row: int, col: int, value: bytes) -> None:
        super().__init__(row, col, value)
        self.row, self.col, self.value = row, col, value


_SHARED = re.compile(rb"""(?:^|\s)t\s*=\s*(?:"s"|'s')""")  # the reader's shared-string cell
_VALUE = re.compile(rb"<(?:[^\s/<>:]*:)?v(?:\s[^>]*)?>([^<]*)</(?:[^\s/<>:]*:)?v\s*>")
_USIZE = 2**64  # the reader reads the index as a 64-bit unsigned number


def _unindexed(content: bytes) -> bytes | None:
    """What a shared-string cell holds (`content`: from its tag's end to its own) when the
    reader would not read it as an index; None when it would, or the cell holds nothing.
    The cell must hold one value of ASCII digits within 64 bits and nothing else: the reader
    takes the last of two values, skips comments and reads a value past any prefix, so any
    other content is refused rather than read another way than the reader reads it."""
    inner = content[1 : content.rfind(b"</")].strip() if content.startswith(b">") else b""
    if not inner:
        return None
    found = _VALUE.fullmatch(inner)
    value = found.group(1) if found else inner
    if found and (not value or (value.isdigit() and value.isascii() and int(value) < _USIZE)):
        return None
    return value


def _indexed(
    end: int, p: np.ndarray, quotes: np.ndarray, shut: np.ndarray, filled: np.ndarray
) -> bool:
    """The fast path's look at shared-string cells: every value "s" (or 's') in the chunk is
    a cell's ` t="s"`, right after its reference or last in its tag, and each such cell holds
    `<v>`, 1–10 digits and `</v></c>` (`quotes`: where each cell's reference ends; `shut`:
    its tag's >). False when any is otherwise (`t = 's'`, an "s" in a text, a second value):
    the chunk goes tag by tag (`_tokens`), which refuses a bad index."""
    s = np.flatnonzero(p[1:end] == ord("s")) + 1  # numpy finds a byte faster than bytes.count
    quote = p[s - 1]
    count = int(np.count_nonzero(((quote == ord('"')) | (quote == ord("'"))) & (p[s + 1] == quote)))
    if not count:
        return True
    words = _words(p)
    shared = words[quotes + 1] & _SIX == _SHARED_WORD  # right after the reference, as written
    if int(np.count_nonzero(shared)) != count:
        shared |= words[shut - 6] & _SIX == _SHARED_WORD  # or last, the 6 bytes before the >
        if int(np.count_nonzero(shared)) != count:
            return False
    value = shut[shared & filled] + 1  # after the tag's >: <v>, the digits, </v></c>
    good = words[value] & _THREE == _OPEN_WORD
    digits = np.zeros(len(value), dtype=np.int64)
    run = good.copy()
    for k in range(11):  # 11: a digit past the tenth is seen
        run &= _DIGIT[p[3 + k :][value]]
        if not run.any():
            break
        digits += run
    good &= (digits >= 1) & (digits <= 10)
    good &= words[value + 3 + digits] == _CLOSE_WORD  # one value, nothing else in the cell
    return bool(good.all())


def _words(p: np.ndarray) -> np.ndarray:
    """The 8 bytes from each place of `p` as one little-endian number: a look at a few bytes
    after each of many places is one gather, not one a byte."""
    return np.ndarray((len(p) - 7,), dtype="<u8", buffer=p, strides=(1,))


def _word(text: bytes) -> int:
    return int.from_bytes(text.ljust(8, b"\0"), "little")


_SIX, _THREE = _word(b"\xff" * 6), _word(b"\xff" * 3)  # the bytes of a word looked at
_SHARED_WORD, _OPEN_WORD, _CLOSE_WORD = _word(b' t="s"'), _word(b"<v>"), _word(b"</v></c>")


@functools.lru_cache(maxsize=4096)
def _column(letters: bytes) -> int:
    return _count(letters, 26)


def _outside(
    a: np.ndarray, p: np.ndarray, lt: np.ndarray
) -> tuple[int, np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    """Where the chunk's measure may end: its end, or the start of a cell still open there;
    0 when a row, an end of a row or a cell is inside a cell (the reader skips what is in a
    cell, its value, formula or inline string: a row or cell tag there is none to it). With
    the tags that open a row or a cell, in order, and which of them are cells (the others
    are rows); for the cells, where each tag's > is and whether the cell is not self-closed.
    Tags are plain (_plain): the i-th > closes the i-th <."""
    some = np.flatnonzero(_CELL_ROW_OR_END[p[1:][lt]])
    at = lt[some]
    first, second, third, fourth = p[1:][at], p[2:][at], p[3:][at], p[4:][at]
    cell = (first == ord("c")) & _AFTER[second]
    row = (first == ord("r")) & (second == ord("o")) & (third == ord("w")) & _AFTER[fourth]
    ended = first == ord("/")
    closes = ended & (second == ord("c")) & _SPACE_OR_CLOSE[third]
    ends = ended & (second == ord("r")) & (third == ord("o")) & (fourth == ord("w"))
    opens = cell.copy()  # a cell with something in it, up to its </c>
    cells = some[cell]  # their tags' places in lt; each tag ends at its > (plain)
    last = len(cells) and cells[-1] == len(lt) - 1  # a cell tag is the chunk's last tag
    ahead = lt[1:][cells[:-1] if last else cells]  # where the next tag starts
    if last:
        ahead = np.append(ahead, len(a))
    ahead -= 1  # no text between the tags (the programs' way): the tag's > is right there
    plain = bool((p[ahead] == ord(">")).all())
    shut = ahead if plain else np.flatnonzero(a == ord(">"))[cells]
    opens[cell] = p[shut - 1] != ord("/")
    depth = np.cumsum(opens.view(np.int8) - closes.view(np.int8), dtype=np.int32)
    tags = np.flatnonzero(cell | row)
    nowhere, no = np.zeros(0, dtype=np.int64), np.zeros(0, dtype=bool)
    none = nowhere, no, nowhere, no
    if len(depth) and (depth.min() < 0 or depth.max() > 1):
        return 0, *none
    if ((depth != opens) & (cell | row | ends)).any():  # a row, an end or a cell inside a cell
        return 0, *none
    end = int(at[np.flatnonzero(opens)[-1]]) if len(depth) and depth[-1] else len(a)
    return end, at[tags], cell[tags], shut, opens[cell]


def _plain(data: bytes, a: np.ndarray, lt: np.ndarray) -> bool:
    """Every tag ends at the first > after its <, with no < before it and its quotes paired,
    and every comment, instruction and CDATA section ends there too: then each < opens a
    tag for the reader too, none is inside a quoted value, a comment, an instruction or a
    CDATA section, and a chunk may be cut at any < (all its markup is closed there)."""
    return _paired(data, a, lt) and _end_at_first_gt(a, lt)


def _end_at_first_gt(a: np.ndarray, lt: np.ndarray) -> bool:
    """Each comment, processing instruction or CDATA section (tags paired: see _paired) ends
    at the first > after its start, `-->`, `?>` or `]]>`; any other <! (a DOCTYPE) is not
    the programs' shape. A > inside one would pair with a < and hide the markup after it
    (`<!-- > <row r="1"><?x -->`: the reader reads a row where a tag seems to be skipped)."""
    if not len(lt):
        return True
    starts = lt[_BANG_OR_ASK[a[1:][lt]]]  # a < is never last: each has its > after it
    if not len(starts):
        return True
    ends = np.flatnonzero(a == ord(">"))
    ends = ends[np.searchsorted(ends, starts)]

    def at(places: np.ndarray) -> np.ndarray:
        return np.take(a, places, mode="clip")  # past the end: the last byte, a >

    size = ends - starts
    ask = at(starts + 1) == ord("?")
    comment = (at(starts + 2) == ord("-")) & (at(starts + 3) == ord("-")) & ~ask
    cdata = np.ones(len(starts), dtype=bool)
    for k, ch in enumerate(b"![CDATA["):
        cdata &= at(starts + 1 + k) == ch
    closed = ask & (size >= 3) & (at(ends - 1) == ord("?"))
    twice = (at(ends - 1) == at(ends - 2)) & (size >= 6)
    closed |= comment & twice & (at(ends - 1) == ord("-"))
    closed |= cdata & twice & (size >= 11) & (at(ends - 1) == ord("]"))
    return bool(closed.all())


def _paired(data: bytes, a: np.ndarray, lt: np.ndarray) -> bool:
    """Every tag ends at the first > after its <, with no < before it and its quotes paired.
    Checked on the positions of < and >, and the parity of the quotes between them, not
    byte by byte."""
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
    tag = _tag_of(lt, gt, single)
    inside = tag >= 0
    # a ' in a tag is well only inside a "-quoted value: an odd number of " before it there
    quotes = np.flatnonzero(double)
    before = np.searchsorted(quotes, single[inside]) - np.searchsorted(quotes, lt[tag[inside]])
    return bool((before & 1).all())


def _largest(a: np.ndarray, starts: np.ndarray, widths: np.ndarray, base: int) -> int:
    """The largest row number (base 10) or column (base 26, letters) written at `starts`, each
    `widths` long. Only the widest can be the largest, and among them the first digits decide
    as in a dictionary: each place is read only where the places before it were the largest,
    so most numbers are read one character, not seven."""
    if not len(widths):
        return 0
    width = int(widths.max())
    places = starts[widths == width]
    for k in range(width):
        digit = a[k:][places]
        places = places[digit == digit.max()]
        if len(places) == 1:
            break
    return int(_numbers(a, places[:1], np.array([width]), base)[0])  # all alike: the first


def _in_tags(a: np.ndarray, lt: np.ndarray, places: np.ndarray) -> int:
    """How many of `places` lie inside a tag, not in the text between tags."""
    return int(np.count_nonzero(_tag_of(lt, np.flatnonzero(a == ord(">")), places) >= 0))


def _tag_of(lt: np.ndarray, gt: np.ndarray, places: np.ndarray) -> np.ndarray:
    """The tag each of `places` lies in, between its < and its > (tags paired: the i-th >
    closes the i-th <); -1 for a place in the text between tags."""
    tag = np.searchsorted(lt, places, side="right") - 1
    inside = tag >= 0
    inside[inside] = places[inside] < gt[tag[inside]]
    tag[~inside] = -1
    return tag


def _bits(columns: np.ndarray) -> int:
    """The columns as a set of bits: bit c for column c."""
    bits = 0
    for c in np.flatnonzero(np.bincount(columns)).tolist():
        bits |= 1 << c
    return bits


def _numbers(a: np.ndarray, starts: np.ndarray, widths: np.ndarray, base: int = 10) -> np.ndarray:
    """Each row number (base 10) or column (base 26, letters) written at `starts`, each
    `widths` long (at most 7 digits or 3 letters on the fast path)."""
    value = np.zeros(len(starts), dtype=np.int64)
    for k in range(int(widths.max(initial=0))):
        digit = a[np.minimum(starts + k, len(a) - 1)].astype(np.int64)
        digit = digit - ord("0") if base == 10 else (digit & 0xDF) - ord("A") + 1
        value = np.where(widths > k, value * base + digit, value)
    return value


def _ends(data: bytes, start: int, end: int) -> int:
    """Ends of rows in data[start:end], self-closed rows counted (with any other /> after a
    row tag, and `</row >` or `</rowBreaks>`: more than there are, never fewer)."""
    return data.count(b"</row", start, end) + data.count(b"/>", start, end)


def _count(text: bytes, base: int) -> int:
    """A row number (base 10) or column letters (base 26, upper case), capped at HUGE."""
    zero = ord("0") if base == 10 else ord("A") - 1
    value = 0
    for ch in text.lstrip(b"0") if base == 10 else text:
        value = value * base + ch - zero
        if value > HUGE:
            return HUGE
    return value


# One step of the tokenizer, over XML as programs write it: names of letters, digits and
# _.- (and any non-ASCII byte), with a prefix (an empty one too: the reader takes <:c> for a
# cell); attributes named so, = and a value in quotes with no < in it; spaces as XML has them.
# Text, comments, CDATA, instructions and other tags are skipped whole; then </row> (end), a
# row's start tag (row: its attributes, a / when it ends there too) or a whole cell (cell: its
# attributes; inside it only v, f and is with their contents (text, CDATA, comments), as the
# reader skips them).
# Possessive: markup not closed, or not such XML, stops the step where it starts.
_S = rb"[ \t\r\n]"
_NAME = rb"[A-Za-z_\x80-\xff][A-Za-z0-9_.\-\x80-\xff]*+"
_QP = rb"(?:(?:" + _NAME + rb")?:)?"  # a prefix
_ATTRS = (
    rb"(?:"
    + _S
    + rb"++"
    + _QP
    + _NAME
    + _S
    + rb"*+="
    + _S
    + rb"""*+(?:"[^"<]*+"|'[^'<]*+'))*+"""
    + _S
    + rb"*+"
)
_OTHER = rb"<\?.*?\?>|<!--.*?-->|<!\[CDATA\[.*?\]\]>"


def _tag(names: bytes, end: bool = False) -> bytes:
    """A start tag (or, with `end`, an end tag) whose name is none of `names`."""
    if end:
        return rb"</(?!" + _QP + names + _S + rb"*+>)" + _QP + _NAME + _S + rb"*+>"
    return rb"<(?!" + _QP + names + rb"[ \t\r\n/>])" + _QP + _NAME + _ATTRS + rb"/?>"


_INLINE = rb"(?:[^<]++|" + _OTHER + b"|" + _tag(rb"(?:c|row|is|v|f)") + b"|"
_INLINE += _tag(rb"(?:c|row|is|v|f)", end=True) + rb")*+"
_CELL_PART = (
    rb"(?:[^<]++|"
    + _OTHER
    + rb"|<(?P<p1>"
    + _QP
    + rb")(?P<n1>v|f)"
    + _ATTRS
    + rb"(?:/>|>(?:[^<]++|"
    + _OTHER  # CDATA in a formula or a value: Apache POI writes long formulas so
    + rb")*+</(?P=p1)(?P=n1)"
    + _S
    + rb"*+>)"
    + rb"|<(?P<p2>"
    + _QP
    + rb")is"
    + _ATTRS
    + rb"(?:/>|>"
    + _INLINE
    + rb"</(?P=p2)is"
    + _S
    + rb"*+>)"
    + b"|"
    + _tag(rb"(?:c|row|is|v|f)")
    + b"|"
    + _tag(rb"(?:c|row|is|v|f)", end=True)
    + rb")*+"
)
_STEP = re.compile(
    rb"(?:[^<]++|"
    + _OTHER
    + b"|"
    + _tag(rb"(?:c|row)")
    + b"|"
    + _tag(rb"(?:row|c|v|f|is)", end=True)
    + rb")*+"
    rb"(?:(?P<end></" + _QP + rb"row" + _S + rb"*+>)"
    rb"|<" + _QP + rb"row(?P<row>" + _ATTRS + rb"/?)>"
    rb"|<"
    + _QP
    + rb"c(?P<cell>"
    + _ATTRS
    + rb")(?:/>|>"
    + _CELL_PART
    + rb"</"
    + _QP
    + rb"c"
    + _S
    + rb"*+>))?",
    re.S,
)
_ATTR = re.compile(rb"""([^\s=/"']+)\s*=\s*(?:"([^"]*)"|'([^']*)')""")
_REF = re.compile(rb"([A-Za-z]*)([0-9]*)$")
