"""Tier names and seat counts, in one place and free of pandas (policy check uses them)."""

from __future__ import annotations

import functools
from collections.abc import Callable, Iterable
from fractions import Fraction
from typing import TYPE_CHECKING, Any, TypeVar

if TYPE_CHECKING:
    from amctl.policy.models import Policy

TRAINEE = "trainee"


T = TypeVar("T")


def per_distinct(fn: Callable[..., T], *columns: Iterable[Any]) -> list[T]:
    """fn of each row's values, worked out once per distinct row (a column of tiers has a
    dozen) and picked for every row in C: no line of Python per manager."""
    coded = _coded_rows(columns) if all(map(_held, columns)) else None
    if coded is not None:
        codes, first = coded
        picked = [column.take(first).tolist() for column in columns]  # type: ignore[attr-defined]
        made = _objects([fn(*row) for row in zip(*picked, strict=True)])
        listed: list[T] = made[codes].tolist()
        return listed
    rows = list(zip(*columns, strict=True))
    found = {row: fn(*row) for row in dict.fromkeys(rows)}
    return list(map(found.__getitem__, rows))


_HASHED = (str, bool, type(None))  # equal as dict keys exactly when pandas hashes them equal


def _held(column: Any) -> bool:
    """A pandas column, or numpy's objects: their values are those a row gives (numpy's own
    types are not, nor a list numpy would make text of), and pandas is loaded already."""
    kind = type(column).__module__.partition(".")[0]
    return kind == "pandas" or (kind == "numpy" and str(getattr(column, "dtype", "")) == "object")


def _coded_rows(columns: tuple[Any, ...]) -> tuple[Any, Any] | None:
    """Columns of text, flags and None: each row's distinct row as a code and each code's
    first row, hashed a column at a time by pandas rather than as a million tuples. None for
    anything else (NaN is not None as a key)."""
    import numpy as np
    import pandas as pd

    sizes = {len(c) for c in columns}
    if len(sizes) != 1:
        return None  # zip(strict=True) says so
    key = np.zeros(sizes.pop(), dtype=np.int64)
    for column in columns:
        values = np.asarray(column)
        if values.dtype != bool and not all(issubclass(t, _HASHED) for t in set(map(type, values))):
            return None
        codes, distinct = pd.factorize(values, use_na_sentinel=False)
        key = pd.factorize(key * (len(distinct) + 1) + codes)[0]
    return key, np.flatnonzero(~pd.Series(key).duplicated().to_numpy())


def _objects(values: list[Any]) -> Any:
    """A list as a 1-d object array, tuples and all kept whole."""
    import numpy as np

    out = np.empty(len(values), dtype=object)
    out[:] = values
    return out


def tier_key(level: str, band: str | None) -> str:
    return level if level == TRAINEE or not band else f"{level}-{band}"


def seats(pct: float, base: int, rounding: str) -> int:
    """A cap or floor in % of `base` managers as seats, in exact rational arithmetic: the share
    as a fraction top/bottom, so each headcount costs integer divisions (policy check tries
    every headcount up to 1,000 for every level)."""
    top, bottom = _share(pct)
    seats_times_bottom = top * base
    if rounding == "floor":
        return seats_times_bottom // bottom
    if rounding == "ceil":
        return -(-seats_times_bottom // bottom)
    return (2 * seats_times_bottom + bottom) // (2 * bottom)  # half_up: floor(x + 1/2)


@functools.lru_cache(maxsize=256)
def _share(pct: float) -> tuple[int, int]:
    """pct % as an exact fraction, read from the number as written (20 % of 35 is 7)."""
    share = Fraction(str(pct)) / 100
    return share.numerator, share.denominator


def tier_ladder(policy: Policy) -> list[str]:
    """Every tier, lowest first (trainee, junior-C … senior-A): a move up is a higher index."""
    return [TRAINEE] + [
        tier_key(lv, b)
        for lv in reversed(list(policy.levels))
        for b in reversed(policy.bands.names)
    ]
