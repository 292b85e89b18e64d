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
    rows = list(zip(*columns, strict=True))
    found = {row: fn(*row) for row in dict.fromkeys(rows)}
    return list(map(found.__getitem__, rows))


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
