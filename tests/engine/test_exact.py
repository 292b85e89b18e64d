"""Half-up on the decimal value: the float's own rounding, except where it sits on a half."""

from __future__ import annotations

from fractions import Fraction

import numpy as np
import pandas as pd
from hypothesis import given
from hypothesis import strategies as st

from amctl.engine.exact import decimal, half_up, weighted_half_up
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


@given(
    st.lists(
        st.tuples(st.integers(-(10**8), 10**8), st.integers(0, 6)), min_size=1, max_size=4
    ).flatmap(
        lambda terms: st.tuples(
            st.just(terms),
            st.lists(st.integers(0, 10_000), min_size=len(terms), max_size=len(terms)),
            st.lists(st.integers(0, 10**5), min_size=5, max_size=5),
        )
    )
)
def test_whole_number_weighting_is_the_fraction_sum_rounded(case) -> None:  # type: ignore[no-untyped-def]
    """The column-at-a-time exact path (integers of 10**-places) gives what summing the
    decimals as fractions and rounding half up gives, value for value, for scores of any
    size a policy meets (here up to ±10 million)."""
    terms, weights_100, rows = case
    columns = [
        np.array([(units + r) / 10**places for r in rows], dtype="float64")
        for units, places in terms
    ]
    weights = [w / 100 for w in weights_100]
    got = weighted_half_up(columns, weights, 4)
    assert got is not None
    for i in range(len(rows)):
        exact = sum(
            (decimal(c[i]) * decimal(w) / 100 for c, w in zip(columns, weights, strict=True)),
            Fraction(0),
        )
        whole = (abs(exact) * 10_000 + Fraction(1, 2)).__floor__()
        assert got[i] == float(Fraction(whole if exact >= 0 else -whole, 10_000))


def test_a_score_with_more_places_than_whole_numbers_carry_falls_back() -> None:
    assert weighted_half_up([np.array([1 / 3])], [50.0], 4) is None
    thirds = pd.DataFrame({"a": [1 / 3 + 0.00005], "b": [0.0]})
    assert weighted(thirds, {"a": 50, "b": 50}).tolist() == [0.1667]
