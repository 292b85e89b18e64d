"""The reasons kept a column at a time read, per manager, as the steps said them."""

from __future__ import annotations

import numpy as np
import pandas as pd
from hypothesis import given, settings
from hypothesis import strategies as st

from amctl.engine.reasons import reason
from amctl.engine.why import Lazy, Shared, Why


def _why() -> Why:
    why = Why(4)
    why.add(np.array([2, 0, 1]), "rank", n=[3, 1, 2], of=3)  # any order, aligned values
    why.add(np.array([True, False, True, False]), "seat", level="mid", seats=np.array([1, 2]))
    why.add([1], "not_eligible", level="senior", failures=Lazy(lambda at: [f"row {at}"]))
    why.extend([2], [[reason("override", tier="mid-A")]])
    why.extend([0], [[reason("rater_gap", raters=["同事"])]], how="prepend")
    why.add([2], "held.level", how="reset", keep=("rank",), level="junior")
    why.add([0, 1], "band.split", band=["A", "B"], split=Shared([["A", 1]]))
    return why


def test_each_manager_reads_the_steps_in_order() -> None:
    why = _why()
    assert why.at(0) == [
        {"code": "rater_gap", "raters": ["同事"]},
        {"code": "rank", "n": 1, "of": 3},
        {"code": "seat", "level": "mid", "seats": 1},
        {"code": "band.split", "band": "A", "split": [["A", 1]]},
    ]
    assert why.at(1) == [
        {"code": "rank", "n": 2, "of": 3},
        {"code": "not_eligible", "level": "senior", "failures": ["row 1"]},
        {"code": "band.split", "band": "B", "split": [["A", 1]]},
    ]
    assert why.at(2) == [
        {"code": "rank", "n": 3, "of": 3},
        {"code": "held.level", "level": "junior"},
    ]
    assert why.at(3) == []
    assert type(why.at(0)[2]["seats"]) is int  # numpy values come back as Python's


def test_a_reasons_column_stays_lazy_through_selection_and_reindexing() -> None:
    why = _why()
    column = why.column(pd.Index(["a", "b", "c", "d"]))
    assert column.dtype.name == "amctl-reasons"
    picked = column[["c", "a"]]
    assert picked.tolist() == [why.at(2), why.at(0)]
    grown = column.reindex(["b", "z"])
    assert grown["b"] == why.at(1) and grown["z"] is None
    both = pd.concat([column.iloc[:1], column.iloc[3:]])
    assert both.tolist() == [why.at(0), []]
    assert column.map(len).tolist() == [4, 3, 2, 0]


@settings(max_examples=200, deadline=None)
@given(st.data())
def test_positions_sort_as_a_stable_argsort_does(data) -> None:  # type: ignore[no-untyped-def]
    """Positions given in any order, some repeated or not: ascending, with the order that
    sorts them, whichever way (scatter or sort) they are found."""
    from amctl.engine.why import _positions

    n = data.draw(st.integers(1, 40))
    given = np.array(data.draw(st.lists(st.integers(0, n - 1), max_size=2 * n)), dtype=np.int64)
    at, order = _positions(given, n)
    expected = np.argsort(given, kind="stable")
    assert at.tolist() == given[expected].tolist()
    if order is not None:
        assert given[order].tolist() == at.tolist()
        assert order.tolist() == expected.tolist()
