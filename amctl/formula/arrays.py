"""How the evaluator holds a column: one evaluator, two holders.

- numpy arrays (`numpy_arrays()`): object arrays of Decimals and text, float arrays for
  conditions; what a run uses, one call per node over the whole column.
- Python lists (`LISTS`): for the few hundred made-up managers `policy check` probes pay
  with, so that checking a policy does not import numpy (a third of its start-up).

Each holder gives the evaluator the same primitives, each an elementwise operation with no
meaning of its own (pick, compare, an operator or a function on every value, dates counted
as amctl.period counts them). What a formula means — missing values, unknown conditions,
brackets, years_since — is written once, in evaluate.py, on top of them; what a missing value
is, is `absent` here, since numpy holds a blank date as NaT and a list as None. Dates are
datetime64[D] in numpy, datetime.date in lists. Tests run every formula through both
holders. A scalar stays a scalar.
"""

from __future__ import annotations

import datetime as dt
import functools
from collections.abc import Callable, Mapping, Sequence
from decimal import Decimal
from types import NoneType
from typing import Any, Protocol, cast


class Arrays(Protocol):
    def is_column(self, value: Any) -> bool: ...
    def column(self, values: Sequence[Any]) -> Any: ...
    def full(self, size: int, value: Any) -> Any: ...
    def objects(self, value: Any) -> Any:
        """As values kept as they are (text stays text when picked)."""

    def floats(self, value: Any) -> Any:
        """A condition as floats: 1 true, 0 false, NaN unknown."""

    def apply(self, fn: Callable[..., Any], *args: Any) -> Any:
        """An operator (+, <, abs …) on every value, columns and scalars broadcast."""

    def each(self, fn: Callable[[Any], Any], value: Any) -> Any:
        """A Python function on every value, giving values."""

    def quantize(self, value: Any, quantum: Decimal, rounding: str) -> Any:
        """Each Decimal to a multiple of `quantum` (a power of ten), rounded by `rounding`."""

    def finite(self, value: Any) -> Any:
        """True where a value is a finite Decimal."""

    def pick(self, keys: Any, table: Mapping[Any, Any]) -> Any:
        """table[k] for every key: a key the table lacks must not be in `keys`."""

    def positions(self, mask: Any) -> list[int]:
        """The rows where `mask` is true."""

    def missing(self, value: Any) -> Any:
        """True where a value is missing (`absent`, or a NaT date)."""

    def full_counts(self, dates: Any, end: dt.date, years: bool) -> Any:
        """Full years (or months) from each date to `end`, as amctl.period counts them; any
        number where a date is missing."""

    def decimals(self, counts: Any) -> Any:
        """Whole numbers as exact Decimals."""

    def where(self, test: Any, then: Any, orelse: Any) -> Any: ...
    def equal(self, value: Any, to: float) -> Any: ...
    def isnan(self, value: Any) -> Any: ...
    def either(self, a: Any, b: Any) -> Any: ...
    def both(self, a: Any, b: Any) -> Any: ...
    def negate(self, value: Any) -> Any: ...
    def grouped(self, over: str, stat: str, values: Any, known: Any, units: Any, size: int) -> Any:
        """Each row's group figure (aggregates.grouped)."""


class NumpyArrays:
    """numpy does each primitive over a whole column in one call."""

    def __init__(self) -> None:
        import numpy

        self.np: Any = numpy

    def _scalar(self, result: Any) -> Any:
        """A 0-d result (of scalars only) is a plain scalar again."""
        return result if result.ndim else result.item()

    def is_column(self, value: Any) -> bool:
        return isinstance(value, self.np.ndarray)

    def column(self, values: Sequence[Any]) -> Any:
        values = list(values)  # fromiter: 10x np.array's pace on a list of Decimals
        return self.np.fromiter(values, dtype=object, count=len(values))

    def full(self, size: int, value: Any) -> Any:
        return self.np.full(size, value, dtype=object)

    def objects(self, value: Any) -> Any:
        return self.np.asarray(value, dtype=object)

    def floats(self, value: Any) -> Any:
        if isinstance(value, self.np.ndarray):
            return self._scalar(self.np.asarray(value, dtype=float))
        return float(value)

    def apply(self, fn: Callable[..., Any], *args: Any) -> Any:
        return fn(*args)  # numpy broadcasts operators over columns itself

    def each(self, fn: Callable[[Any], Any], value: Any) -> Any:
        return self.np.frompyfunc(fn, 1, 1)(value)

    def quantize(self, value: Any, quantum: Decimal, rounding: str) -> Any:
        return self._quantize(value, quantum, rounding)  # Decimal's own method, called by C

    @functools.cached_property
    def _quantize(self) -> Any:
        return self.np.frompyfunc(Decimal.quantize, 3, 1)

    def _decimal(self, value: Any) -> Any:
        """True where a value (of an object column) is a Decimal; types compared in C."""
        kinds = self.np.fromiter(map(type, value), dtype=object, count=len(value))
        return kinds == Decimal

    def finite(self, value: Any) -> Any:
        value = self.np.asarray(value, dtype=object).reshape(-1)
        out = self._decimal(value)
        if out.any():
            out[out] = self.np.frompyfunc(Decimal.is_finite, 1, 1)(value[out]).astype(bool)
        return out

    def pick(self, keys: Any, table: Mapping[Any, Any]) -> Any:
        return self.np.fromiter(map(table.__getitem__, keys), dtype=object, count=len(keys))

    def positions(self, mask: Any) -> list[int]:
        return cast(list[int], self.np.flatnonzero(mask).tolist())

    def missing(self, value: Any) -> Any:
        if isinstance(value, self.np.ndarray) and value.dtype.kind == "M":
            return self.np.isnat(value)
        if isinstance(value, self.np.ndarray) and value.ndim == 0:
            value = value.item()
        if not isinstance(value, self.np.ndarray):
            return absent(value)
        if value.dtype != object:  # numbers as floats, conditions: never missing
            return self.np.zeros(value.shape, dtype=bool)
        # None found by its type in C: Decimal == None asks the numbers ABCs, per value
        kinds = self.np.fromiter(map(type, value.ravel()), dtype=object, count=value.size)
        gone = (kinds == NoneType).reshape(value.shape)
        nan = (value != value).astype(bool)  # NaN alone differs from itself
        if nan.any():  # a float NaN is an unknown condition, not a missing number
            nan[nan] = self._decimal(value[nan])
        return gone | nan

    def full_counts(self, dates: Any, end: dt.date, years: bool) -> Any:
        from amctl.period import full_counts  # its patterns: not for a policy without dates

        return full_counts(self.np.asarray(dates, dtype="datetime64[D]"), end, years=years)

    def decimals(self, counts: Any) -> Any:
        """Each distinct number made a Decimal once (a column of years has a few dozen)."""
        counts = self.np.asarray(counts, dtype="int64")
        if not counts.size:
            return self.np.empty(counts.shape, dtype=object)
        low = int(counts.min())
        made = [Decimal(v) for v in range(low, int(counts.max()) + 1)]
        return self.np.fromiter(made, dtype=object, count=len(made))[counts - low]

    def where(self, test: Any, then: Any, orelse: Any) -> Any:
        return self._scalar(self.np.where(test, then, orelse))

    def equal(self, value: Any, to: float) -> Any:
        return self.np.equal(value, to)

    def isnan(self, value: Any) -> Any:
        return self.np.isnan(value)

    def either(self, a: Any, b: Any) -> Any:
        return self.np.logical_or(a, b)

    def both(self, a: Any, b: Any) -> Any:
        return self.np.logical_and(a, b)

    def negate(self, value: Any) -> Any:
        return self.np.logical_not(value)

    def grouped(self, over: str, stat: str, values: Any, known: Any, units: Any, size: int) -> Any:
        from amctl.formula.aggregates import grouped

        return grouped(over, stat, values, known, units, size)


@functools.cache
def numpy_arrays() -> NumpyArrays:
    """The holder of runs, made (and numpy imported) on first use."""
    return NumpyArrays()


class ListArrays:
    """Python lists, one value at a time: fast enough for a few hundred rows."""

    def is_column(self, value: Any) -> bool:
        return isinstance(value, list)

    def column(self, values: Sequence[Any]) -> Any:
        return list(values)

    def full(self, size: int, value: Any) -> Any:
        return [value] * size

    def objects(self, value: Any) -> Any:
        return value

    def floats(self, value: Any) -> Any:
        return self.apply(float, value)

    def apply(self, fn: Callable[..., Any], *args: Any) -> Any:
        if len(args) == 1:  # the commonest, made plain
            return [fn(v) for v in args[0]] if isinstance(args[0], list) else fn(args[0])
        size = next((len(a) for a in args if isinstance(a, list)), None)
        if size is None:
            return fn(*args)
        columns = [a if isinstance(a, list) else [a] * size for a in args]
        return [fn(*row) for row in zip(*columns, strict=True)]

    def each(self, fn: Callable[[Any], Any], value: Any) -> Any:
        return self.apply(fn, value)

    def quantize(self, value: Any, quantum: Decimal, rounding: str) -> Any:
        return self.apply(lambda v: v.quantize(quantum, rounding=rounding), value)

    def finite(self, value: Any) -> Any:
        return self.apply(lambda v: isinstance(v, Decimal) and v.is_finite(), value)

    def pick(self, keys: Any, table: Mapping[Any, Any]) -> Any:
        return [table[k] for k in keys]

    def positions(self, mask: Any) -> list[int]:
        return [i for i, v in enumerate(mask) if v]

    def missing(self, value: Any) -> Any:
        return self.apply(absent, value)

    def full_counts(self, dates: Any, end: dt.date, years: bool) -> Any:
        from amctl.period import full_months, full_years

        count = full_years if years else full_months
        return self.apply(lambda d: 0 if absent(d) else count(d, end), dates)

    def decimals(self, counts: Any) -> Any:
        return self.apply(Decimal, counts)

    def where(self, test: Any, then: Any, orelse: Any) -> Any:
        return self.apply(_pick, test, then, orelse)

    def equal(self, value: Any, to: float) -> Any:
        return self.apply(_equal, value, to)

    def isnan(self, value: Any) -> Any:
        return self.apply(_isnan, value)

    def either(self, a: Any, b: Any) -> Any:
        return self.apply(_or, a, b)

    def both(self, a: Any, b: Any) -> Any:
        return self.apply(_and, a, b)

    def negate(self, value: Any) -> Any:
        return self.apply(_not, value)

    def grouped(self, over: str, stat: str, values: Any, known: Any, units: Any, size: int) -> Any:
        """Group figures have one implementation, on numpy: imported for them alone."""
        arrays = numpy_arrays()
        np = arrays.np

        def held(value: Any) -> Any:
            return arrays.column(value) if isinstance(value, list) else value

        known = np.asarray(known, dtype=bool)
        units = None if units is None else np.asarray(units, dtype=object)
        return list(arrays.grouped(over, stat, held(values), known, units, size))


def absent(value: Any) -> bool:
    """A value the data does not give: a missing number (a Decimal NaN), text or date (None,
    as lists hold a blank date; numpy's NaT is found by its dtype). A condition never is."""
    return value is None or (isinstance(value, Decimal) and value.is_nan())


def _pick(test: Any, then: Any, orelse: Any) -> Any:
    return then if test else orelse


def _equal(value: Any, to: Any) -> bool:
    return bool(value == to)


def _isnan(value: Any) -> bool:
    return bool(value != value)


def _or(a: Any, b: Any) -> bool:
    return bool(a) or bool(b)


def _and(a: Any, b: Any) -> bool:
    return bool(a) and bool(b)


def _not(value: Any) -> bool:
    return not value


LISTS = ListArrays()
