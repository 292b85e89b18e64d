"""The grid a sheet's cells span, as the reader will build it, however the XML is written."""

from __future__ import annotations

import random
import re

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from amctl.data.cells import column_letter
from amctl.data.grid import HUGE, ROW_START, Grid, SharedIndex, row_start, unprefixed

cells = st.lists(
    st.tuples(st.integers(1, 1_048_576), st.integers(1, 16_384)), min_size=1, max_size=40
)


def _xml(found: list[tuple[int, int]], style: int) -> bytes:
    """Rows and cells in one of the shapes XML allows the reader to take."""
    out = []
    for row, col in found:
        ref = f"{column_letter(col - 1)}{row}"
        if style == 0:
            out.append(f'<row r="{row}"><c r="{ref}" t="n"><v>1</v></c></row>')
        elif style == 1:  # single quotes, spaces, lowercase, leading zeros
            ref = f"{column_letter(col - 1).lower()}00{row}"
            out.append(f"<row r = '{row}'><c s='1' r = '{ref}'><v>1</v></c></row>")
        else:  # a namespace prefix and a tab
            out.append(f'<x:row r="{row}"><x:c\tr="{ref}"><x:v>1</x:v></x:c></x:row>')
    return "".join(out).encode()


@settings(max_examples=60, deadline=None)
@given(cells, st.integers(0, 2), st.randoms(use_true_random=False))
def test_the_extent_is_the_largest_row_and_column_in_any_order_and_shape(
    found: list[tuple[int, int]], style: int, rnd: random.Random
) -> None:
    rnd.shuffle(found)
    grid = Grid()
    grid.feed(_xml(found, style))
    assert grid.rows == max(r for r, _ in found)
    assert grid.cols == max(c for _, c in found)


def test_a_chunk_in_the_spreadsheet_programs_shape_is_measured_on_the_fast_path() -> None:
    data = _xml([(5, 3), (900, 2), (7, 28)], 0)
    grid = Grid()
    assert grid._canonical(data) == len(data)
    assert (grid.rows, grid.cols) == (900, 28)
    assert not Grid()._canonical(_xml([(5, 3)], 1))


def test_rows_and_cells_without_references_are_placed_by_position() -> None:
    grid = Grid()
    grid.feed(b'<row r="10"><c r="C10"/><c/><c/></row><row><c/></row><row/><row><c/></row>')
    assert (grid.rows, grid.cols) == (13, 5)  # C + 2 cells; each end of a row moves on one


def test_every_end_of_a_row_moves_a_cell_without_reference_down() -> None:
    grid = Grid()
    grid.feed(b'<row r="1"><c r="XFD1"/>' + b"</row>" * 2000 + b"<c><v>1</v></c>")
    assert grid.rows == 2001


def test_an_end_of_a_row_with_a_space_in_it_moves_on_too() -> None:
    """`</row >` and `</row\n>` end a row for the readers: a cell with no reference after
    them, in the next chunk, is placed below each."""
    for end in (b"</row >", b"</row\n>"):
        grid = Grid()
        grid.feed(b'<row r="1"><c r="XFD1"/>' + end * 2000)
        grid.feed(b"<c><v>1</v></c>")
        assert grid.rows >= 2001, end  # never fewer (a cell's /> counts too)


def test_a_cell_with_an_empty_prefix_is_a_cell() -> None:
    """`<:c>` is a cell to the reader (found by a fuzz against calamine)."""
    grid = Grid()
    grid.feed(b'<row r="1"><c r="A1"/></row><:row r="7"><:c r="ZZ500"><v>2</v></:c></:row>')
    assert (grid.rows, grid.cols) == (500, 702)


def test_a_second_r_attribute_is_measured_too() -> None:
    grid = Grid()
    grid.feed(b'<row r="1"><c r="A1" r="XFD1048576"><v>1</v></c></row>')
    assert (grid.rows, grid.cols) == (1_048_576, 16_384)


def test_a_reference_is_read_from_the_r_attribute_only() -> None:
    for tag in (b'<c foo=" r=\'A1\'" r="XFD1048576">', b'<c foo=">" r="XFD1048576">'):
        grid = Grid()
        grid.feed(b"<row>" + tag + b"<v>1</v></c></row>")
        assert (grid.rows, grid.cols) == (1_048_576, 16_384), tag


_HIDDEN = [  # what the reader (quick-xml, calamine) takes for no row: checked against calamine
    b'<row r="1000" x=">"><c r="A1000" y="a>b"><v>1</v></c></row><x a="/row>"/>',
    b'<row r="1000"><c r="A1000"><v>1</v></c></row><!--<row r="1"/>-->',
    b'<row r="1000"><c r="A1000"><v>1</v></c></row><![CDATA[<row r="1"/>]]>',
    b'<row r="1000"><c r="A1000"><v>1</v></c></row><?x <row r="1"/>?>',
]


@pytest.mark.parametrize("head", _HIDDEN)
def test_a_tag_in_a_comment_or_what_looks_like_one_in_a_value_is_no_tag(head: bytes) -> None:
    """A `<row r="1">` the reader does not see must not move the rows after it up: 300 rows
    without references after row 1000 reach row 1300 in calamine."""
    data = head + b"<row><c><v>2</v></c></row>" * 300
    grid = Grid()
    assert grid.feed(data) == len(data)
    assert (grid.rows, grid.cols) == (1300, 1)
    assert not Grid()._canonical(head)  # not the programs' shape: the tokenizer reads it


_STRANGE = [  # XML no program writes, which the reader takes one way and a pattern another
    b'<row r="1000" x=\'<row r="1">\'>',  # < in a value
    b'<<:c r="XFD1048576"><v>1</v></c>',  # a name with < in it: a cell to the reader
    b'<a/b:c r="A500"><v>1</v></c>',  # and with /
    b"<\x0c:c><v>2</v></c>",  # and with a form feed
    b"<'>':c r=\"A500\"><v>1</v></c>",  # and with quotes
    b'<c r="Z1"><f><c r="A1"/></f></c>',  # a tag inside a formula, which the reader skips
    b'<c r="Z1"/><c \'\'r="A"><v>1</v></c>',  # an attribute named \'\'r
    b"<c r='Z1'/><c ='r=\"A\"'><v>1</v></c>",  # an attribute with no name
    b'<x><row r="1"><c><v>1</v></c></a b:row>',  # an end of a row to the reader
    b"</v></c><row r='1'><c><v>1</v></c>",  # the rest of a cell: a chunk cut in it
]


@pytest.mark.parametrize("strange", _STRANGE)
def test_markup_no_program_writes_stops_the_tokenizer_where_it_starts(strange: bytes) -> None:
    head = b'<row r="7"><c r="B7"><v>1</v></c></row>'
    grid = Grid()
    stop = grid.feed(head + strange + b"<row><c><v>2</v></c></row>")
    assert len(head) <= stop < len(head + strange)


def test_markup_not_closed_is_left_for_the_next_chunk() -> None:
    grid = Grid()
    data = b'<row r="5"><c r="B5"><v>1</v></c></row><row r="6" x="a<c r=\'ZZ9\'>'
    assert data[grid.feed(data, final=False) :] == b'<row r="6" x="a<c r=\'ZZ9\'>'
    assert (grid.rows, grid.cols) == (5, 2)  # the quoted cell is no cell
    assert Grid().feed(b"<row><!-- <c/> ", final=True) == len(b"<row>")


def test_the_column_of_cells_without_references_carries_over_chunks() -> None:
    grid = Grid()
    grid.feed(b"<row>" + b"<c><v>1</v></c>" * 10)
    grid.feed(b"<c><v>1</v></c>" * 10 + b"</row>")
    assert grid.cols == 20


def test_a_number_too_long_to_count_stands_for_a_huge_one() -> None:
    grid = Grid()
    grid.feed(b'<row><c r="A' + b"9" * 5000 + b'"/></row>')
    assert grid.rows == HUGE


def test_a_cell_at_the_very_start_of_a_chunk_is_measured() -> None:
    grid = Grid(rows=5, cols=3)
    grid.feed(b'<c r="XFD1048576"><v>1</v></c></row></sheetData></worksheet>')
    assert (grid.rows, grid.cols) == (1_048_576, 16_384)


# each reference as the programs write it, read the plain way: what the fast path must measure
_CELL_REF = re.compile(rb'<c r="([A-Z]{1,3})([0-9]+)"')
_ROW_REF = re.compile(rb'<row r="([0-9]+)"')
_PLAIN = [
    '<row r="{n}">',
    '<row r="{n}" spans="1:3">',
    '<c r="{col}{n}"><v>1</v></c>',
    '<c r="{col}{n}" t="s"/>',
    "</row>",
    '<col min="1" max="3"/>',
    "<cfRule/>",
]
_ODD = [  # each makes the chunk the tokenizer's
    "<row/>",
    "<c><v>2</v></c>",
    "<c/>",
    '<c r="{lower}{n}"/>',
    '<c r="{col}0{n}"/>',
    "<c r='{col}{n}'/>",
    '<c  r="{col}{n}"/>',
    '<c s="1" r="{col}{n}"/>',
    '<c\tr="{col}{n}"/>',
    '<c r="ABCD{n}"/>',
    '<c r="{col}12345678"/>',
    '<c r="{col}"/>',
    '<c r="{n}"/>',
    '<c r="{col}{n}x"/>',
    '<row r="0{n}">',
    '<row r="{n}9999999">',
    '<row\nr="{n}">',
    '<c\x0cr="{col}{n}"/>',
    "<c r=\"{col}{n}'/>",
    '<c r="{col}{n}',
    '<c r="{col}{n}" r="A1"/>',  # the readers take the last r
    '<row r="{n}" r="1">',
    '<c r="{col}{n}" s="1" r ="A1"/>',
    '<c r="{col}{n}" s="1"r="A1"/>',
]
_PIECE = st.tuples(st.integers(1, 1_048_576), st.integers(1, 16_384))


def _chunk(pieces: list[tuple[str, tuple[int, int]]]) -> bytes:
    return "".join(
        p.format(n=n, col=column_letter(c - 1), lower=column_letter(c - 1).lower())
        for p, (n, c) in pieces
    ).encode()


@settings(max_examples=200, deadline=None)
@given(st.lists(st.tuples(st.sampled_from(_PLAIN), _PIECE), max_size=30))
def test_the_fast_path_measures_what_each_reference_says(
    pieces: list[tuple[str, tuple[int, int]]],
) -> None:
    """A chunk in the programs' shape is measured on the fast path: the largest row and
    column any reference names, and the row after the ends that follow the largest row number's
    last tag (the last tag, in the programs' order)."""
    data = _chunk(pieces)
    grid = Grid(row=3)
    assert grid._canonical(data) == len(data)
    numbers = [int(m.group(1)) for m in _ROW_REF.finditer(data)]
    numbers += [int(m.group(2)) for m in _CELL_REF.finditer(data)]
    letters = [m.group(1).decode() for m in _CELL_REF.finditer(data)]
    assert grid.rows == max(numbers, default=0)
    assert grid.cols == max((_column(x) for x in letters), default=0)
    tags = list(_ROW_REF.finditer(data))
    top = max(tags, key=lambda m: (int(m.group(1)), m.start()), default=None)
    tail = data[top.start(1) :] if top else data
    ends = tail.count(b"</row>") + tail.count(b"/>")
    assert grid.row == (int(top.group(1)) if top else 3) + ends


@settings(max_examples=200, deadline=None)
@given(
    st.lists(st.tuples(st.sampled_from(_PLAIN), _PIECE), max_size=10),
    st.tuples(st.sampled_from(_ODD), _PIECE),
    st.lists(st.tuples(st.sampled_from(_PLAIN), _PIECE), max_size=10),
)
def test_one_tag_in_another_shape_sends_the_chunk_to_the_tokenizer(
    before: list[tuple[str, tuple[int, int]]],
    odd: tuple[str, tuple[int, int]],
    after: list[tuple[str, tuple[int, int]]],
) -> None:
    grid = Grid(row=3)
    assert not grid._canonical(_chunk([*before, odd, *after]))
    assert grid == Grid(row=3)  # nothing measured


def _column(letters: str) -> int:
    """A column's number from its letters: A is 1, Z 26, AA 27."""
    number = 0
    for ch in letters:
        number = number * 26 + ord(ch) - ord("A") + 1
    return number


_PIECES = [
    '<row r="{n}"><c r="{col}{n}" s="1"><v>1</v></c></row>',
    "<row><c><v>1</v></c><c/></row>",
    '<row r="{n}" x=\'>row r="1">\'/><c><v>1</v></c>',
    '<c r="{col}{n}" x="c r=\'A1\'>>"/>',
    '<!-- <row r="1"/> " -->',
    "<?pi <row r='1'> ?>",
    '<x a="/row>" b=\'"\'/>',
    '<c><f>IF(A1="x",1)</f><v>1</v></c>',
    '<c t="inlineStr"><is><r><rPr><b/></rPr><t>x</t></r></is></c>',
]


@settings(max_examples=300, deadline=None)
@given(
    st.lists(st.tuples(st.sampled_from(_PIECES), _PIECE), max_size=30),
    st.integers(8, 300),
)
def test_where_a_chunk_ends_never_lowers_the_measure(
    pieces: list[tuple[str, tuple[int, int]]], size: int
) -> None:
    """Fed in chunks of any size, carrying what is not closed, the grid is at least what the
    tokenizer measures on the whole (the fast path may only place later cells further)."""
    data = _chunk(pieces)
    exact = Grid()
    assert exact._tokens(data) == len(data)
    grid, carry = Grid(), b""
    for k in range(0, len(data), size):
        block = carry + data[k : k + size]
        carry = block[grid.feed(block, final=False) :]
    assert grid.feed(carry) == len(carry)
    assert grid.rows >= exact.rows
    assert grid.cols >= exact.cols


@pytest.mark.parametrize(
    ("data", "extent"),
    [  # each as calamine places it, but for two references (it takes the last: never fewer)
        (b'<c r="Z1"><v>1</v></c><row><c><v>1</v></c></row>', (1, 27)),  # a row's start
        (b'<c r="Z1"><f>A1</f><v>1</v></c><c><v>1</v></c>', (1, 27)),
        (b'<c r="Z1" t="inlineStr"><is><r><t>x</t></r></is></c><c><v>1</v></c>', (1, 27)),
        (b'<c r="Z1"><f><![CDATA[IF(A1<1,"<c/>",0)]]></f><v>0</v></c><c><v>1</v></c>', (1, 27)),
        (b'<c r="Z1" r="A1"/><c><v>1</v></c>', (1, 27)),  # the larger of two references
        (b'<row r="5"><c r="C5"/></row><c><v>1</v></c>', (6, 3)),  # an end: the first column
    ],
)
def test_the_column_of_a_cell_without_reference_is_the_readers(
    data: bytes, extent: tuple[int, int]
) -> None:
    """The reader keeps its column at a row's start and goes back to the first at a row's
    end; a cell's v, f and is are its own."""
    grid = Grid()
    assert grid._tokens(data) == len(data)
    assert (grid.rows, grid.cols) == extent


def _chunked(*chunks: bytes) -> tuple[Grid, bytes]:
    """The chunks fed as the guard feeds them, what is not closed carried to the next; with
    what is left at the end (the guard refuses a sheet that leaves any)."""
    grid, carry = Grid(), b""
    for k, chunk in enumerate(chunks):
        block = carry + chunk
        carry = block[grid.feed(block, final=k == len(chunks) - 1) :]
    return grid, carry


_ENDS = b'<row r="1"><x><x><x></row></row></row></row>'  # four ends of a row to the reader


@pytest.mark.parametrize(
    ("chunks", "extent"),
    [  # calamine's extent for each (found by a fuzz of the fast path)
        ((_ENDS + b'<c r="A1"><f><row r="1"></f><v>1</v>', b"</c><c><v>1</v></c>"), (5, 2)),
        ((_ENDS + b'<c r="A1"><f>', b'<row r="1"/></f><v>1</v></c><c><v>1</v></c>'), (5, 2)),
        ((b'<c r="F1" t="str"><v>', b"</row></v></c><row><c><v>1</v></c>"), (1, 7)),
        ((b'<row r="9"/><c r="A1"><f>', b'<row r="1"/></f></c><c><v>1</v></c>'), (10, 2)),
    ],
)
def test_a_row_or_its_end_inside_a_cell_never_moves_the_cells_after_it_back(
    chunks: tuple[bytes, ...], extent: tuple[int, int]
) -> None:
    """The reader skips what is inside a cell; a row there, or a chunk ending inside a cell
    and read on as if outside, moved the next cells without references back."""
    grid, left = _chunked(*chunks)
    assert left or (grid.rows >= extent[0] and grid.cols >= extent[1])


def test_a_chunk_ending_inside_a_cell_is_measured_to_that_cell() -> None:
    data = b'<row r="7"><c r="B7"><v>1</v></c><c r="C7"><f>SUM(A1:A2)'
    cut = data.index(b'<c r="C7"')
    assert Grid()._canonical(data) == cut
    grid, left = _chunked(data, b"</f><v>3</v></c></row><row><c><v>1</v></c></row>")
    assert not left
    assert (grid.rows, grid.cols) == (8, 3)


_ROWS = st.lists(st.tuples(st.integers(1, 5000), st.integers(1, 400)), min_size=1, max_size=12)


def _rows(refs: list[tuple[int, int]]) -> bytes:
    return "".join(
        f'<row r="{r}"><c r="{column_letter(c - 1)}{r}"><v>1</v></c><c r="A{r}"/></row>'
        for r, c in refs
    ).encode()


@settings(max_examples=200, deadline=None)
@given(_ROWS, _ROWS, st.booleans())
def test_a_piece_measured_alone_from_a_row_start_joins_as_if_fed_in_order(
    before: list[tuple[int, int]], after: list[tuple[int, int]], fresh: bool
) -> None:
    first, piece = (b"" if fresh else _rows(before)), _rows(after)
    fed, joined, alone = Grid(), Grid(), Grid()
    fed.feed(first)
    joined.feed(first)
    fed.feed(piece)
    assert alone.whole(piece)
    assert joined.join(alone, piece)
    assert joined == fed


def test_a_piece_not_at_a_row_start_joins_only_a_grid_that_measured_nothing() -> None:
    piece = b'<c r="B9"/></row>'
    alone = Grid()
    assert alone.whole(piece)
    grid = Grid()
    grid.feed(b'<row r="9"><c r="A9"/>')
    kept = Grid(**vars(grid))
    assert not grid.join(alone, piece)  # its row would be 1 + 1, not 9 + 1
    assert grid == kept
    fresh = Grid()
    assert fresh.join(alone, piece) and fresh == alone
    assert not Grid().whole(b"<row><c/></row>")  # not in the programs' shape: not measured


def test_the_fast_path_notes_the_columns_of_text_and_of_numbers_from_row_100_on() -> None:
    """A cell's tag says what it holds: t="s", t="str" or t="inlineStr" after the reference
    or last, text; the reference or a style alone, or t="n" last, a number. A boolean, an
    error, an empty cell, more attributes or a row above 100 (a head's) say nothing."""
    cells = [
        '<c r="B99" t="s"><v>1</v></c>',  # above: a head's text
        '<c r="C100" t="s"><v>1</v></c>',
        '<c r="D100" t="str"><f>A1</f><v>x</v></c>',
        '<c r="E100" t="inlineStr"><is><t>x</t></is></c>',
        '<c r="F100"><v>1</v></c>',
        '<c r="G100" s="3"><v>1</v></c>',
        '<c r="H100" t="n"><v>1</v></c>',
        '<c r="I100" t="b"><v>1</v></c>',
        '<c r="J100" t="s"/>',
        '<c r="K100" t="s" s="2"><v>1</v></c>',
        '<c r="L100" s="1" t="b" cm="1"><v>1</v></c>',
        '<c r="M100" t="e"><v>#N/A</v></c>',
        '<c r="AA1000" s="1" t="s"><v>1</v></c>',
    ]
    data = ('<row r="100">' + "".join(cells) + "</row>").encode()
    grid = Grid()
    assert grid._canonical(data) == len(data)
    columns = {"C": 3, "D": 4, "E": 5, "F": 6, "G": 7, "H": 8, "K": 11, "AA": 27}
    assert grid.texts == sum(1 << columns[c] for c in ("C", "D", "E", "K", "AA"))
    assert grid.numbers == sum(1 << columns[c] for c in ("F", "G", "H"))


@pytest.mark.parametrize(
    "hiding",
    [
        b'<!-- > <row r="1"><?x -->',  # the comment's first > is not its end
        b"<?x a > b?>",
        b"<![CDATA[ > ]]>",
        b"<!DOCTYPE x>",
        b"<!-->",
        b"<?>",
    ],
)
def test_markup_whose_first_gt_is_not_its_end_sends_the_chunk_to_the_tokenizer(
    hiding: bytes,
) -> None:
    """A > inside a comment, an instruction or CDATA pairs with a < and hides what follows
    from the fast path; the tokenizer reads it as the reader does."""
    data = b'<row r="1"><c r="A1"/></row>' + hiding + b'<row r="2"><c r="B2"/></row>'
    assert not Grid()._canonical(data)


@pytest.mark.parametrize(
    "whole", [b"<!-- a comment -->", b"<!---->", b'<?x a="1"?>', b"<![CDATA[ text ]]>"]
)
def test_markup_that_ends_at_its_first_gt_stays_on_the_fast_path(whole: bytes) -> None:
    data = b'<row r="1"><c r="A1"/></row>' + whole + b'<row r="2"><c r="B2"/></row>'
    grid = Grid()
    assert grid._canonical(data) == len(data)
    assert (grid.rows, grid.cols) == (2, 2)


@settings(max_examples=150, deadline=None)
@given(st.lists(st.tuples(st.sampled_from(_PLAIN), _PIECE), min_size=1, max_size=30), st.booleans())
def test_a_chunk_whose_tags_carry_one_prefix_is_measured_as_without_it(
    pieces: list[tuple[str, tuple[int, int]]], open_cell: bool
) -> None:
    """The Open XML SDK writes `<x:row>`, `<x:c>`, `<x:v>`: measured on the fast path as the
    same chunk without the prefix (the reader reads local names); with a cell still open at
    its end, measured up to that cell's <."""
    bare = _chunk(pieces) + (b'<c r="B7"><v>1' if open_cell else b"")
    data = re.sub(rb"<(/?)(?=(?:row|c|v|col|cfRule)\b)", rb"<\1x:", bare)
    prefixed, plain = Grid(), Grid()
    measured = prefixed._canonical(data)
    assert plain._canonical(bare) and measured
    assert prefixed == plain
    assert measured == (data.rindex(b"<x:c ") if open_cell else len(data))
    two = b'<x:row r="1"><x:c r="A1"/><y:c r="B1"/></x:row>'
    assert not Grid()._canonical(two)  # two prefixes on cells: the tokenizer's


def test_an_r_standing_alone_in_a_cells_text_keeps_the_chunk_on_the_fast_path() -> None:
    """Inline strings (Apache POI's streaming writer puts text in the cell) may say "r = 0.8"
    or "a r b": text, no attribute. An r attribute inside a tag still counts."""
    rows = b"".join(
        b'<row r="%d"><c r="A%d" t="inlineStr"><is><t>r = 0.8, a r b</t></is></c>'
        b'<c r="C%d"><v>1</v></c></row>' % (n, n, n)
        for n in (1, 2, 300)
    )
    grid = Grid()
    assert grid._canonical(rows) == len(rows)
    assert (grid.rows, grid.cols) == (300, 3)
    hidden = rows + b'<row r="301"><c r="A301" s="1" r ="ZZ9"/></row>'
    assert not Grid()._canonical(hidden)


def test_the_prefix_is_the_first_prefixed_row_or_cells_wherever_a_colon_comes_first() -> None:
    """A `:c ` in a value before the first prefixed tag is no prefix; the search for the tag
    goes on from there."""
    data = b"<x:sheetData><x:v>a:c b</x:v>" + b" " * 40 + b'<x:row r="1"><x:c r="A1"/></x:row>'
    assert row_start(data) == b'<x:row r="'
    assert unprefixed(data).endswith(b'<row r="1"><c r="A1"/></row>')
    plain = b'<row r="1"><c r="A1"><v>a:c b</v></c></row>'
    assert row_start(plain) == ROW_START and unprefixed(plain) is plain


GOOD_SHARED = [
    b'<row r="1"><c r="A1" t="s"><v>0</v></c><c r="B1" s="3" t="s"><v>12</v></c></row>',
    b'<row r="2"><c r="A2" t="s" s="3"><v>4294967295</v></c><c r="B2" t="s"/></row>',
    b'<row r="3"><c r="A3" t="str"><v>x</v></c><c r="B3" t="n"><v>0.5</v></c></row>',
]


@pytest.mark.parametrize("xml", GOOD_SHARED)
def test_shared_string_cells_the_programs_write_stay_on_the_fast_path(xml: bytes) -> None:
    assert Grid().whole(xml)
    grid = Grid()
    assert grid.feed(xml) == len(xml)


@pytest.mark.parametrize(
    "odd",
    [
        b'<row r="4"><c t="s" r="A4"><v>7</v></c></row>',  # the attributes in another order
        b'<row r="4"><c r="A4" t="s"><v>0007</v></c></row>',  # leading zeros: still 7
        b'<row r="4"><c r="A4" t="s"><v></v></c></row>',  # no index: an empty cell
        b'<row r="4"><c r="A4" t="s"></c><c r="B4"><is><t>t="s"</t></is></c></row>',
        b'<x:row r="4"><x:c r="A4" t="s"><x:v>3</x:v></x:c></x:row>',
        b"<row r='4'><c r='A4' t = 's'><v>18446744073709551615</v></c></row>",  # 2^64 - 1
        b'<row r="4"><c r="A4" t="s">\n  <v>7</v>\n</c></row>',  # white space about the value
    ],
)
def test_a_shared_string_index_the_reader_reads_passes_in_any_shape(odd: bytes) -> None:
    grid = Grid()
    assert grid.feed(odd) == len(odd)
    assert (grid.rows, grid.cols) in ((4, 1), (4, 2))


@pytest.mark.parametrize(
    ("cell", "value"),
    [
        (b'<c r="B5" t="s"><v>abc</v></c>', b"abc"),
        (b'<c r="B5" t="s"><v>-1</v></c>', b"-1"),
        (b'<c r="B5" s="2" t="s"><v>0.5</v></c>', b"0.5"),
        (b'<c r="B5" t="s"><v> 1</v></c>', b" 1"),
        (b'<c r="B5" t="s"><v>+1</v></c>', b"+1"),
        (b'<c r="B5" t="s"><v>18446744073709551616</v></c>', b"18446744073709551616"),
        (b'<c t="s" r="B5"><v>1e0</v></c>', b"1e0"),
        (b'<c r="B5" t="s"><v><![CDATA[1]]></v></c>', b"<v><![CDATA[1]]></v>"),
        (b'<x:c r="B5" t="s"><x:v>x</x:v></x:c>', b"x"),
        (b"<c r=\"B5\" t='s'><v>abc</v></c>", b"abc"),  # single quotes: the reader's too
        (b'<c r="B5" t = "s"><v>abc</v></c>', b"abc"),  # spaces about the =
        # the reader reads the last value, past any prefix, and skips comments and CDATA
        (b'<c r="B5" t="s"><v>1</v><v>abc</v></c>', b"<v>1</v><v>abc</v>"),
        (b'<c r="B5" t="s"><v></v><v>abc</v></c>', b"<v></v><v>abc</v>"),
        (b'<c r="B5" t="s"><x.y:v>abc</x.y:v></c>', b"abc"),
        (b'<c r="B5" t="s"><:v>abc</:v></c>', b"abc"),
        (b'<c r="B5" t="s"><!--<v>1</v>--><v>abc</v></c>', b"<!--<v>1</v>--><v>abc</v>"),
        (
            b'<c r="B5" t="s"><f><![CDATA[<v>2</v>]]></f><v>x</v></c>',
            b"<f><![CDATA[<v>2</v>]]></f><v>x</v>",
        ),
    ],
)
def test_a_shared_string_index_the_reader_would_read_as_0_is_refused(
    cell: bytes, value: bytes
) -> None:
    """The reader takes an index it cannot parse for 0, the first shared string, silently."""
    row = b'<x:row r="5">' if cell.startswith(b"<x:") else b'<row r="5">'
    xml = row + b'<c r="A5"><v>1</v></c>'.replace(b"<c", b"<x:c" if b"<x:" in row else b"<c")
    xml = xml.replace(b"</c>", b"</x:c>" if b"<x:" in row else b"</c>")
    xml += cell + (b"</x:row>" if b"<x:" in row else b"</row>")
    assert not Grid().whole(xml)  # not on the fast path
    with pytest.raises(SharedIndex) as raised:
        Grid().feed(xml)
    assert (raised.value.row, raised.value.col, raised.value.value) == (5, 2, value)
