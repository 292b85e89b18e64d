"""Half-up on the decimal value: the float's own rounding, except where it sits on a half."""

from __future__ import annotations

from fractions import Fraction

import numpy as np
import pandas as pd
from hypothesis import given
from hypothesis import strategies as st

from amctl.engine.exact import decimal, half_up
from amctl.engine.scoring import weighted


def test_an_exact_half_rounds_up_although_its_float_is_below() -> None:
    scores = pd.DataFrame({"a": [57.1004], "b": [57.1005]})
    assert 0.5 * 57.1004 + 0.5 * 57.1005 == 57.100449999999995  # what binary makes of 57.10045
    assert round(57.100449999999995, 4) == 57.1004
    assert weighted(scores, {"a": 50, "b": 50}).tolist() == [57.1005]


def test_negative_halves_round_away_from_zero_and_nan_stays() -> None:
    values = np.array([-0.00005, np.nan, 2.5e-5])
    out = half_up(values, 4, lambda positions: [decimal(values[i]) for i in positions])
    assert out[0] == -0.0001 and np.isnan(out[1]) and out[2] == 0.0


@given(st.lists(st.integers(0, 1_000_000), min_size=2, max_size=2), st.integers(1, 99))
def test_a_weighted_sum_rounds_as_decimal_arithmetic_would(units: list[int], w: int) -> None:
    a, b = (u / 10_000 for u in units)
    exact = Fraction(repr(a)) * w / 100 + Fraction(repr(b)) * (100 - w) / 100
    expected = float(Fraction((exact * 10_000 + Fraction(1, 2)).__floor__(), 10_000))
    got = weighted(pd.DataFrame({"a": [a], "b": [b]}), {"a": w, "b": 100 - w}).tolist()
    assert got == [expected]
