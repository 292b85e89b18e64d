"""A table through the ledger comes back exactly: dtypes, None, Decimal exponents, dates, lists."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pandas as pd
import pytest
from hypothesis import given
from hypothesis import strategies as st

from amctl.ledger.frames import decode, encode
from amctl.period import parse
from amctl.pipeline.grade import grade_files
from amctl.pipeline.payroll import run_payroll
from amctl.policy.loader import load_policy
from tests.helpers import DEFAULT_POLICY, EXAMPLE


def same(a: pd.DataFrame, b: pd.DataFrame) -> None:
    pd.testing.assert_frame_equal(a, b, check_exact=True)
    assert [str(t) for t in a.dtypes] == [str(t) for t in b.dtypes]
    assert str(a.index.dtype) == str(b.index.dtype) and a.index.name == b.index.name
    for column in a.columns:  # repr: Decimal("52.00") is not Decimal("52.0"), None is not NaN
        assert [repr(v) for v in a[column]] == [repr(v) for v in b[column]], column


def test_every_table_of_a_real_run_comes_back_exactly() -> None:
    policy = load_policy(DEFAULT_POLICY)
    grading = grade_files(policy, EXAMPLE, parse("2024Q3"))
    lines = run_payroll(policy, grading).lines
    for frame in (grading.managers, grading.data, grading.ratings, lines):
        same(frame, decode(encode(frame)))


texts = st.one_of(st.none(), st.text(max_size=8))
floats = st.floats(allow_nan=True, allow_infinity=False, width=64)
money = st.decimals(allow_nan=False, allow_infinity=False, places=2, min_value=-1e9, max_value=1e9)


@given(
    st.lists(
        st.tuples(
            texts,
            floats,
            st.one_of(st.none(), money),
            st.one_of(st.none(), st.dates(dt.date(1950, 1, 1), dt.date(2100, 1, 1))),
            st.lists(st.text(max_size=5), max_size=3),
            st.one_of(st.none(), st.integers(-(2**40), 2**40)),
            st.booleans(),
        ),
        max_size=12,
    )
)
def test_any_table_of_the_kinds_a_run_holds_comes_back(rows: list[tuple[object, ...]]) -> None:
    columns = list(zip(*rows, strict=True)) if rows else [()] * 7
    frame = pd.DataFrame(
        {
            "text": pd.Series(columns[0], dtype=object),
            "score": pd.Series(columns[1], dtype="float64"),
            "money": pd.Series(columns[2], dtype=object),
            "date": pd.Series(columns[3], dtype=object),
            "reasons": pd.Series(columns[4], dtype=object),
            "rank": pd.array(columns[5], dtype="Int64"),
            "flag": pd.Series(columns[6], dtype=bool),
            "tier": pd.Series(columns[0], dtype="str"),
        },
        index=pd.Index([f"KM{i:04d}" for i in range(len(rows))], dtype=object, name="id"),
    )
    same(frame, decode(encode(frame)))


def test_a_column_of_mixed_kinds_is_a_bug_found_when_recording() -> None:
    frame = pd.DataFrame({"x": pd.Series(["a", Decimal(1)], dtype=object)})
    with pytest.raises(TypeError, match="mixes"):
        encode(frame)
