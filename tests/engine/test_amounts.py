"""A money column's text and whole numbers are those of its Decimals, to the character."""

from __future__ import annotations

from decimal import Decimal

import numpy as np
import pyarrow as pa
from hypothesis import example, given
from hypothesis import strategies as st

from amctl.engine.amounts import Amounts, column, of_decimals, of_distinct, summed


def _decimals(cells: list[Decimal]) -> np.ndarray:
    values = np.empty(len(cells), dtype=object)
    values[:] = cells
    return values


def _plain(amounts: Amounts) -> list[str]:
    return [str(t) for t in amounts.text.cast(pa.string()).to_pylist()]


# amounts as pay rounds them: the quantum's places, the sign of a zero kept (-0.00)
PLACED = st.integers(0, 4).flatmap(
    lambda places: st.lists(
        st.builds(
            lambda units, minus: (
                Decimal(units).scaleb(-places).copy_negate()
                if minus and units == 0
                else Decimal(units).scaleb(-places)
            ),
            st.integers(-(10**14), 10**14) | st.sampled_from([0, 1, -1, 5, -5]),
            st.booleans(),
        ),
        max_size=40,
    )
)


@given(PLACED)
@example([Decimal("-0.00"), Decimal("0.00"), Decimal("-0.05"), Decimal("12.30")])
@example([Decimal("7"), Decimal("-0"), Decimal("-12")])
def test_the_text_of_each_row_is_str_of_its_decimal(cells: list[Decimal]) -> None:
    values = _decimals(cells)
    made = of_decimals(values)
    if not cells:
        assert made is None or _plain(made) == []
        return
    assert made is not None
    assert _plain(made) == [str(c) for c in cells]
    assert made.units is not None
    assert [Decimal(int(u)).scaleb(-made.places) for u in made.units] == cells
    exact = made.exact()  # each Decimal again, to its places and the sign of a zero
    assert exact is not None and [repr(e) for e in exact] == [repr(c) for c in cells]


@given(PLACED, st.lists(st.integers(0, 5), min_size=1, max_size=60))
def test_rows_sharing_a_decimal_read_the_same_as_rows_of_their_own(
    cells: list[Decimal], picks: list[int]
) -> None:
    distinct = _decimals(cells[:6] or [Decimal("1.50")])
    codes = np.array([p % len(distinct) for p in picks], dtype=np.int64)
    _, codes = np.unique(codes, return_inverse=True)  # numbered as pay numbers its groups
    first = {c: i for i, c in reversed(list(enumerate(codes.tolist())))}
    order = sorted(first, key=first.__getitem__)
    renumber = np.empty(len(order), dtype=np.int64)
    renumber[order] = np.arange(len(order))
    codes = renumber[codes]
    values = distinct[np.array(order)][codes]
    shared = of_distinct(distinct[np.array(order)], codes)
    alone = of_decimals(values)
    assert shared is not None and alone is not None
    assert pa.types.is_dictionary(shared.text.type)
    assert _plain(shared) == _plain(alone) == [str(v) for v in values]
    assert np.array_equal(shared.units, alone.units)  # type: ignore[arg-type]


@given(st.lists(PLACED, min_size=1, max_size=4))
def test_a_total_of_whole_numbers_is_written_as_its_decimal_sum(
    columns: list[list[Decimal]],
) -> None:
    n = min(len(c) for c in columns)
    picked = [_decimals(c[:n]) for c in columns]
    made = [of_decimals(c) for c in picked]
    totals = [sum((c[i] for c in picked), Decimal(0)) for i in range(n)]
    got = summed([m for m in made if m is not None]) if all(made) else None
    if n and len({m.places for m in made if m is not None}) == 1:
        assert got is not None
        assert _plain(got) == [str(t) for t in totals]  # never -0.00: the sum starts at 0
        exact = got.exact()  # the total column pay keeps: the Decimal adds' very result
        assert exact is not None and [repr(e) for e in exact] == [repr(t) for t in totals]
    elif n:
        assert got is None


@given(PLACED, st.lists(st.integers(0, 3), min_size=1, max_size=40))
def test_sums_of_runs_are_the_decimal_sums_to_the_place(
    cells: list[Decimal], groups: list[int]
) -> None:
    n = min(len(cells), len(groups))
    if not n:
        return
    values, codes = _decimals(cells[:n]), np.array(groups[:n])
    made = of_decimals(values)
    assert made is not None
    _, codes = np.unique(codes, return_inverse=True)
    order = np.argsort(codes, kind="stable")
    starts = np.searchsorted(codes[order], np.arange(codes.max() + 1))
    got = made.sums(order, starts)
    want = [sum(values[codes == g], Decimal(0)) for g in range(codes.max() + 1)]
    assert got is not None
    assert [repr(g) for g in got] == [repr(w) for w in want]


@given(PLACED)
def test_decimal128_from_whole_numbers_is_arrows_own(cells: list[Decimal]) -> None:
    if not cells:
        return
    made = of_decimals(_decimals(cells))
    assert made is not None
    arrow = pa.array(cells)
    want = arrow.cast(pa.decimal128(38, max(arrow.type.scale, 0)))
    got = made.decimals()
    assert got is not None and got.equals(want)


def test_amounts_without_one_places_keep_their_text_and_have_no_whole_numbers() -> None:
    cells = [Decimal("0"), Decimal("0.05"), Decimal("1E+1"), Decimal("0.0000001"), Decimal("NaN")]
    for picked in (cells[:2], cells[2:3], cells[3:4], cells[4:]):
        made = of_decimals(_decimals(picked))
        assert made is not None and made.units is None and made.decimals() is None
        assert _plain(made) == [str(c) for c in picked]
        assert made.sums(np.arange(len(picked)), np.array([0])) is None
    assert of_decimals(_decimals([Decimal(1), None])) is None  # type: ignore[list-item]


def test_a_sum_that_could_leave_int64_is_left_to_decimals() -> None:
    big = Decimal(2**61)
    made = of_decimals(_decimals([big, big, big]))
    assert made is not None and made.units is not None
    assert made.sums(np.arange(3), np.array([0])) is None
    assert summed([made, made]) is None


def test_a_column_read_back_shares_the_text_of_rows_holding_one_decimal() -> None:
    wage, other = Decimal("6600.00"), Decimal("2100.00")
    values = _decimals([wage, other, wage, wage] * 10_000)
    made = column(values)
    assert made is not None and made.codes is not None
    assert pa.types.is_dictionary(made.text.type) and len(made.text.dictionary) == 2
    assert _plain(made) == [str(v) for v in values]


def test_the_least_int64_is_no_whole_number_and_is_summed_as_decimals() -> None:
    """-2**63 fen has no size in int64 (its abs is itself): the column has no whole numbers,
    so neither the bound nor a sum can be fooled by it."""
    least = Decimal(-(2**63)).scaleb(-2)
    made = of_decimals(_decimals([least, Decimal("-1.00")]))
    assert made is not None and made.units is None
    assert made.sums(np.arange(2), np.array([0])) is None


def test_shared_amounts_are_written_plain_when_the_first_rows_hold_their_own() -> None:
    """As a column read back from the ledger tells it (`column`): the first rows first, so
    the ledger writes the text as the code before did, a dictionary or plain text."""
    distinct = _decimals([Decimal(i).scaleb(-2) for i in range(10_000)] + [Decimal("7.00")])
    codes = np.array([*range(10_000), *[10_000] * 10_002])
    values = distinct[codes]
    shared, read = of_distinct(distinct, codes), column(values)
    assert shared is not None and read is not None
    assert shared.text.type == read.text.type == pa.string()
    assert _plain(shared) == _plain(read) == [str(v) for v in values]
    few = np.array([0, 1, 0, 1] * 6_000)
    assert pa.types.is_dictionary(of_distinct(distinct[:2], few).text.type)  # type: ignore[union-attr]
