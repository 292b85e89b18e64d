"""Tier names and seat counts, in one place and free of pandas (policy check uses them)."""

from __future__ import annotations

import math
from fractions import Fraction
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from amctl.policy.models import Policy

TRAINEE = "trainee"


def tier_key(level: str, band: str | None) -> str:
    return level if level == TRAINEE or not band else f"{level}-{band}"


def seats(pct: float, base: int, rounding: str) -> int:
    """A cap or floor in % of `base` managers as seats, in exact rational arithmetic."""
    exact = Fraction(str(pct)) * base / 100
    if rounding == "floor":
        return math.floor(exact)
    if rounding == "ceil":
        return math.ceil(exact)
    return math.floor(exact + Fraction(1, 2))  # half_up


def tier_ladder(policy: Policy) -> list[str]:
    """Every tier, lowest first (trainee, junior-C … senior-A): a move up is a higher index."""
    return [TRAINEE] + [
        tier_key(lv, b)
        for lv in reversed(list(policy.levels))
        for b in reversed(policy.bands.names)
    ]
