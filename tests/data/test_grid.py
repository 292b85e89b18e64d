"""The grid a sheet's cells span, as the reader will build it, however the XML is written."""

from __future__ import annotations

import random

from hypothesis import given, settings
from hypothesis import strategies as st

from amctl.data.cells import column_letter
from amctl.data.grid import HUGE, Grid

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
    assert grid._canonical(data)
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


def test_a_reference_is_read_from_the_r_attribute_only() -> None:
    for tag in (b'<c foo=" r=\'A1\'" r="XFD1048576">', b'<c foo=">" r="XFD1048576">'):
        grid = Grid()
        grid.feed(b"<row>" + tag + b"<v>1</v></c></row>")
        assert (grid.rows, grid.cols) == (1_048_576, 16_384), tag


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
