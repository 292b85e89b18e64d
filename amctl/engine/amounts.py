"""A money column's amounts as every output reads them: text once, and whole numbers to sum.

Pay's amounts are Decimals, exact, and a million of them are a million objects: summing
them for the summaries, then writing each as text for the ledger and again for a csv, was a
pass of Python calls each time, over objects scattered in memory. Every amount of one
component has its quantum's exponent (0.01: two places), so the column is also a column of
whole numbers of its last place (the fen): numpy sums them exactly within int64. Its text,
`str` of each Decimal as the ledger and csv write it, is made once, once per distinct amount
when rows share one (a tier's wage), and read by each.
"""

from __future__ import annotations

import decimal
import functools
import sys
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from itertools import repeat

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc

PLACES = 6  # beyond this str(Decimal) may write an exponent (1E-7): no whole numbers then
SAMPLE = 10_000  # rows looked at first to tell whether rows share their Decimals
_LIMIT = 2**62  # a sum of whole numbers below this is exact in int64
_TEXT = pa.string()  # the amounts' text type, as the ledger keeps text
_EXACT = decimal.Context(prec=40)  # an int64 (19 digits) placed about the point exactly


@dataclass(frozen=True)
class Amounts:
    """One money column, as little as holds it: rows that share their Decimal (a tier's
    wage) as `codes` into the distinct amounts; `values`, whole numbers of the last place
    (each amount × 10**places, when every one has exactly `places` decimals, 0–6) of each
    row or distinct amount, or None; `words`, the text of each distinct amount, or of every
    row when there are no whole numbers; `minus`, the rows whose amount is -0 (text "-0.00",
    which whole numbers cannot tell)."""

    places: int
    values: np.ndarray | None
    codes: np.ndarray | None = None
    words: pa.Array | None = None
    minus: np.ndarray = field(default_factory=lambda: np.zeros(0, dtype=np.int64))

    @property
    def units(self) -> np.ndarray | None:
        """Each row's whole number, or None."""
        if self.values is None or self.codes is None:
            return self.values
        units: np.ndarray = self.values[self.codes]
        return units

    def __len__(self) -> int:
        if self.codes is not None:
            return len(self.codes)
        if self.values is not None:
            return len(self.values)
        return 0 if self.words is None else len(self.words)

    @functools.cached_property
    def text(self) -> pa.Array:
        """str() of each row's amount (a dictionary over the distinct texts when rows share
        them): made when first written, then kept for the next writer."""
        if self.codes is not None:
            assert self.words is not None
            shared = pa.DictionaryArray.from_arrays(pa.array(self.codes), self.words)
            if len(self.codes) >= 2 * SAMPLE and _own(self.codes[:SAMPLE]):
                return shared.cast(pa.string())  # as `shared_codes` tells it from the first rows
            return shared
        if self.values is None:
            assert self.words is not None
            return self.words
        negative = self.values < 0
        negative[self.minus] = True  # a -0.00: its sign is in `minus` alone
        return placed(np.abs(self.values), self.places, negative)

    @property
    def bound(self) -> float:
        """The largest whole number's size (0 without them)."""
        if self.values is None or not len(self.values):
            return 0.0
        return float(np.abs(self.values).max())

    def sums(self, order: np.ndarray, starts: np.ndarray) -> list[Decimal] | None:
        """The sums of `order`'s runs that begin at `starts` (each run non-empty), as a sum of
        the Decimals gives them (0.00 with the places, never -0.00); None without whole
        numbers or when a sum could leave int64."""
        units = self.units
        if units is None or not len(order) or self.bound * len(units) >= _LIMIT:
            return None
        sums: list[int] = np.add.reduceat(units[order], starts).tolist()
        return list(_placed_decimals(sums, self.places))

    def exact(self) -> np.ndarray | None:
        """Each row's amount as a Decimal with its places, made from its whole number (what
        a sum of the Decimals gives, -0 where `minus` says), or None without whole numbers:
        a total is a million Decimal adds fewer (one per component and row)."""
        values, codes = self.values, self.codes
        if values is None:
            return None
        shared = codes is None and len(values) >= 2 * SAMPLE
        if shared and not _own(pd.factorize(values[:SAMPLE])[0]):  # a tier's wage × months
            codes, values = pd.factorize(values)
        made = np.fromiter(
            _placed_decimals(values.tolist(), self.places), dtype=object, count=len(values)
        )
        if codes is not None:  # each distinct amount made once, its rows sharing it
            made = made[codes]
        if len(self.minus):
            made[self.minus] = self._minus_zero
        return made

    @property
    def _minus_zero(self) -> Decimal:
        """-0 with the places (-0.00): a row `minus` says its whole number cannot tell."""
        return _EXACT.scaleb(Decimal(0), -self.places).copy_negate()

    def picked(self, rows: np.ndarray) -> np.ndarray | None:
        """`exact()` of `rows` alone (positions): the Decimals of the few rows a page shows,
        without a million made first; None without whole numbers."""
        if self.values is None:
            return None
        units = self.values[self.codes[rows]] if self.codes is not None else self.values[rows]
        made = np.fromiter(
            _placed_decimals(units.tolist(), self.places), dtype=object, count=len(units)
        )
        made[np.isin(rows, self.minus)] = self._minus_zero
        return made

    def decimals(self) -> pa.Array | None:
        """The amounts as Arrow's decimal128 at their places (parquet's money), from their
        whole numbers (each the low half of its 128 bits, the sign the high half), or None
        without them."""
        units = self.units
        if units is None or sys.byteorder != "little":
            return None
        wide = np.empty((len(units), 2), dtype=np.int64)
        wide[:, 0] = units
        wide[:, 1] = units >> 63
        kind = pa.decimal128(38, self.places)
        return pa.Array.from_buffers(kind, len(units), [None, pa.py_buffer(wide)])


def _placed_decimals(whole: list[int], places: int) -> Iterator[Decimal]:
    """Whole numbers of the last of `places` decimals as those Decimals (1250, 2 → 12.50),
    exactly: placed in a context wider than any int64."""
    return map(_EXACT.scaleb, map(Decimal, whole), repeat(Decimal(-places)))


def of_decimals(values: np.ndarray, codes: np.ndarray | None = None) -> Amounts | None:
    """The amounts of a column of Decimals; `codes` number the rows that hold the very same
    Decimal (first seen first), whose text is then made once. None when a cell is not a
    Decimal (a blank): such a column is written cell by cell. Each row's text is made here
    to learn its whole number, then let go: it is made again from them when written."""
    if codes is None:
        if set(map(type, values)) != {Decimal}:
            return None
        text = pa.array(list(map(str, values)), pa.string())
        units, places = _units(text)
        if units is None:
            return Amounts(places, None, words=text)
        minus = np.flatnonzero((units == 0) & _flags(pc.starts_with(text, "-")))
        return Amounts(places, units, minus=minus)
    return of_distinct(values[first_rows(codes)], codes)


def of_distinct(distinct: np.ndarray, codes: np.ndarray) -> Amounts | None:
    """The amounts of rows holding `distinct[codes]` (codes numbered as first seen: pay's
    groups), each distinct amount's text made once."""
    if set(map(type, distinct)) != {Decimal}:
        return None
    words = pa.array(list(map(str, distinct)), pa.string())
    units, places = _units(words)
    return Amounts(places, units, codes.astype(np.int32), words)


def placed(
    whole: np.ndarray, places: int, negative: np.ndarray, kind: pa.DataType = _TEXT
) -> pa.Array:
    """Whole numbers (≥ 0) of the last of `places` decimals as text, their digits placed
    about the point (1250, 2 → 12.50; 5, 2 → 0.05), a minus where `negative`: what str()
    writes of a Decimal, and format(x, ".2f") of a float, made by Arrow for a whole column."""
    digits = pc.cast(pa.array(whole // 10**places), kind)
    if places:
        part = pc.utf8_lpad(pc.cast(pa.array(whole % 10**places), kind), places, "0")
        digits = pc.binary_join_element_wise(digits, part, pa.scalar(".", kind))
    signed = pc.binary_join_element_wise(pa.scalar("-", kind), digits, pa.scalar("", kind))
    return pc.if_else(pa.array(negative), signed, digits)


def _flags(array: pa.Array) -> np.ndarray:
    flags: np.ndarray = array.to_numpy(zero_copy_only=False)
    return flags


def column(values: np.ndarray) -> Amounts | None:
    """The amounts of a column of Decimals made anywhere (a payroll read back from the
    ledger): each shared Decimal's text made once, as `of_decimals` makes it."""
    return of_decimals(values, shared_codes(values))


def shared_codes(values: np.ndarray) -> np.ndarray | None:
    """Codes of the rows that share their Decimal object (pay works each distinct input once,
    and its rows hold one result), or None when most rows hold their own: told by the first
    rows first, so a million distinct totals are not hashed to learn that."""
    if len(values) >= 2 * SAMPLE and _own(by_object(values[:SAMPLE])):
        return None
    codes = by_object(values)
    return None if _own(codes) else codes


def summed(columns: Sequence[Amounts]) -> Amounts | None:
    """The amounts of each row's sum of these columns (a total), from their whole numbers;
    None when one has none, their places differ or a sum could leave int64."""
    if not columns or any(c.values is None for c in columns):
        return None
    places = {c.places for c in columns}
    if len(places) != 1 or sum(c.bound for c in columns) >= _LIMIT:
        return None
    total = np.zeros(len(columns[0]), dtype=np.int64)
    for c in columns:
        units = c.units
        assert units is not None  # checked above
        total += units
    return Amounts(places.pop(), total)  # a sum started at 0 is never -0: no `minus`


def _units(words: pa.Array) -> tuple[np.ndarray | None, int]:
    """Whole numbers of the last place of these texts, when all are plain decimals with the
    same places: '-12.50', '7'; else None."""
    if not len(words):
        return None, 0
    first = str(words[0].as_py())
    places = len(first) - first.index(".") - 1 if "." in first else 0
    if places > PLACES:
        return None, 0
    pattern = rf"^-?[0-9]+\.[0-9]{{{places}}}$" if places else r"^-?[0-9]+$"
    if not pc.all(pc.match_substring_regex(words, pattern)).as_py():
        return None, 0
    digits = pc.replace_substring(words, ".", "") if places else words
    try:
        units: np.ndarray = pc.cast(digits, pa.int64()).to_numpy()
    except pa.ArrowInvalid:  # beyond int64: summed as Decimals
        return None, 0
    if units.min() == np.iinfo(np.int64).min:  # its size is no int64: as beyond it
        return None, 0
    return units, places


def by_object(cells: np.ndarray) -> np.ndarray:
    """Codes of an object column by the very object: rows sharing one Decimal (as pay's
    groups leave them) share a code; numbered as they first occur."""
    ids = np.fromiter(map(id, cells), dtype=np.int64, count=len(cells))
    codes: np.ndarray = pd.factorize(ids)[0]
    return codes


def first_rows(codes: np.ndarray) -> np.ndarray:
    """Each code's first row, in code order (codes numbered as they first occur, as
    pd.factorize numbers them), found by hashing, not sorting."""
    return np.flatnonzero(~pd.Series(codes).duplicated().to_numpy())


def _own(codes: np.ndarray) -> bool:
    """Whether most rows hold an object of their own (codes number them as first seen)."""
    return 2 * (int(codes.max(initial=-1)) + 1) > len(codes)
