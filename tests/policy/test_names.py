"""Seats from percentages: exact rational rounding, as written (20 % of 35 is 7)."""

from __future__ import annotations

import math
from fractions import Fraction

from hypothesis import given
from hypothesis import strategies as st

from amctl.policy.names import seats

PERCENTS = st.one_of(
    st.integers(0, 100),
    st.decimals("0", "100", places=2).map(float),
    st.sampled_from([12.5, 33.3, 66.7, 0.1, 7.25]),
)


@given(PERCENTS, st.integers(0, 5000), st.sampled_from(["floor", "ceil", "half_up"]))
def test_seats_are_the_exact_share_rounded(pct: float, base: int, rounding: str) -> None:
    exact = Fraction(str(pct)) * base / 100
    expected = {
        "floor": math.floor(exact),
        "ceil": math.ceil(exact),
        "half_up": math.floor(exact + Fraction(1, 2)),
    }[rounding]
    assert seats(pct, base, rounding) == expected


def test_a_half_seat_rounds_up() -> None:
    assert seats(50, 7, "half_up") == 4
    assert seats(12.5, 4, "half_up") == 1
    assert seats(12.5, 4, "floor") == 0
