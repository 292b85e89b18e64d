"""Seats from percentages: exact rational rounding, as written (20 % of 35 is 7)."""

from __future__ import annotations

import math
from fractions import Fraction

from hypothesis import given, settings
from hypothesis import strategies as st

from amctl.policy.names import per_distinct, seats

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


cells = st.one_of(st.sampled_from(["senior", "mid", "A", ""]), st.none(), st.booleans())
odd = st.one_of(cells, st.just(float("nan")), st.integers(0, 2), st.just(1.0))


@settings(deadline=None)  # the first example imports pandas
@given(
    st.one_of(  # text, flags and None: hashed by pandas; with NaN or numbers: as tuples
        st.lists(st.tuples(cells, cells, st.booleans()), max_size=30),
        st.lists(st.tuples(cells, odd, st.booleans()), max_size=30),
    ),
    st.sampled_from(["numpy", "pandas"]),
)
def test_per_distinct_hashed_a_column_at_a_time_is_as_over_tuples(
    rows: list[tuple[object, object, bool]], held: str
) -> None:
    """numpy and pandas columns are hashed a column at a time; lists as tuples of a row.
    Both give every row fn of its row (None is not NaN, True is not "True", a tuple stays
    whole), fn called once per distinct row."""
    import numpy as np
    import pandas as pd

    columns = [list(c) for c in zip(*rows, strict=True)] if rows else [[], [], []]
    calls: list[tuple[object, ...]] = []

    def fn(*values: object) -> tuple[object, ...]:
        calls.append(values)
        return values

    held_so: list[object]
    if held == "numpy":
        held_so = [np.array(c, dtype=object) for c in columns[:2]] + [np.array(columns[2])]
    else:
        held_so = [pd.Series(c, dtype=object) for c in columns[:2]]
        held_so.append(pd.Series(columns[2], dtype=bool))

    def shown(values: list[tuple[object, ...]]) -> list[str]:  # numpy's False is False
        return [
            repr(tuple(x.item() if isinstance(x, np.generic) else x for x in v)) for v in values
        ]

    got = per_distinct(fn, *held_so)
    made = len(calls)
    assert shown(got) == shown(per_distinct(fn, *columns))
    assert made == len(calls) - made  # as many distinct rows found either way
    if all(isinstance(v, str | bool | None) for v in columns[1]):  # no 1 beside True, no NaN
        assert shown(got) == shown(rows)  # each row's own values
