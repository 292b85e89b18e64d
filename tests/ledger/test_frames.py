"""A table through the ledger comes back exactly: dtypes, None, Decimal exponents, dates, lists."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import numpy as np
import pandas as pd
import pyarrow as pa
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


def test_a_long_table_of_few_texts_keeps_each_text_once() -> None:
    """A long table's ids, raters and indicators go as codes into their distinct texts; None
    stays None, and a NaN or a number among them is still looked at cell by cell."""
    n = 30_000
    raters = ["supervisor", "peer", None, "同事"] * (n // 4)
    frame = pd.DataFrame(
        {
            "employee_id": pd.Series([f"E{i // 24:07d}" for i in range(n)], dtype=object),
            "rater": pd.Series(raters, dtype=object),
            "score": [float(i % 100) for i in range(n)],
        }
    )
    body = encode(frame)
    same(frame, decode(body))
    kept = pa.ipc.open_stream(body).schema
    assert [str(kept.field(i).type) for i in (1, 2)] == [
        "dictionary<values=string, indices=int32, ordered=0>"
    ] * 2
    with_nan = frame.assign(rater=pd.Series([*raters[:-1], float("nan")], dtype=object))
    with pytest.raises(TypeError, match="mixes"):
        encode(with_nan)
    with_number = frame.assign(rater=pd.Series([*raters[:-1], 1], dtype=object))
    with pytest.raises(TypeError, match="mixes"):
        encode(with_number)
    for odd in (b"supervisor", np.int64(1)):  # bytes are not text, whichever way it goes
        for column in ([*raters[:-1], odd], [*raters[:30], odd]):
            with pytest.raises(TypeError, match="mixes"):
                encode(pd.DataFrame({"rater": pd.Series(column, dtype=object)}))
    lists = pd.Series([["rank", "1"], None] * (n // 2), dtype=object)
    same(frame.assign(rater=lists), decode(encode(frame.assign(rater=lists))))


def test_coded_ratings_come_back_as_they_were_read() -> None:
    """Wide (blocks sharing one column of raters), by column (one rater and indicator per
    block) and long alike: the same long table and one manager's rows; a run recorded
    before kept the long table itself, and reads back as it."""
    from amctl.data.ratings import Block, RatingRows, no_ratings
    from amctl.ledger.frames import decode_rated, encode, encode_rated

    people = (np.array([2, 0, 1, 2], dtype=np.int64), np.array(["A", "B", "C", "Z"], dtype=object))
    raters = np.array([0, 1, 1, 0], dtype=np.int64)
    words = np.array(["peer", "self"], dtype=object), np.array(["a", "b"], dtype=object)
    scores = [np.array([50.0, np.nan, 75.5, 100.0]), np.array([np.nan, 20.0, 30.0, 40.0])]
    shapes = [
        (Block(raters, 0, scores[0]), Block(raters, 1, scores[1])),  # wide
        (Block(0, 1, scores[0]), Block(1, 0, scores[1])),  # by column
        (Block(raters, np.array([1, 0, 1, 1], dtype=np.int64), scores[0]),),  # long
    ]
    for blocks in shapes:
        rows = RatingRows(people, words[0], words[1], blocks)
        back = decode_rated(encode_rated(rows))
        assert isinstance(back, RatingRows)
        pd.testing.assert_frame_equal(back.frame(), rows.frame())
        pd.testing.assert_frame_equal(back.of("Z"), rows.of("Z"))
        assert back.people[1].tolist() == ["A", "B", "C", "Z"]  # a word no row uses, kept
    old = rows.frame()
    pd.testing.assert_frame_equal(decode_rated(encode(old)), old)
    nothing = decode_rated(encode_rated(no_ratings()))  # a review that reads no ratings
    assert isinstance(nothing, RatingRows) and nothing.frame().empty


@given(
    st.lists(st.decimals(allow_nan=False, allow_infinity=False, places=3), min_size=1, max_size=4),
    st.lists(st.integers(0, 3), min_size=1, max_size=30),
)
def test_amounts_sharing_their_objects_are_kept_once_each_and_come_back(
    distinct: list[Decimal], picks: list[int]
) -> None:
    """Pay worked once per distinct input gives rows the same Decimal object: kept as codes
    into each one's text, and read back with the digits of each (1.0 is not 1.00)."""
    made = [*distinct, Decimal("1.0"), Decimal("1.00")]
    cells = np.array([made[p % len(made)] for p in picks] + made * 2, dtype=object)
    frame = pd.DataFrame({"amount": cells}, index=pd.Index(range(len(cells)), name="at"))
    body = encode(frame)
    back = decode(body)
    same(frame, back)
    kept = pa.ipc.open_stream(body).read_all().column(1)
    assert pa.types.is_dictionary(kept.type)  # the shared objects' text once each
