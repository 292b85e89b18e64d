"""A run's rows as one Arrow part: every cell comes back as SQLite gave it before schema 5."""

from __future__ import annotations

import numpy as np
import pandas as pd
from hypothesis import given
from hypothesis import strategies as st

from amctl.ledger import ipc
from amctl.ledger import rows as kept_rows

texts = st.one_of(st.none(), st.just(float("nan")), st.just(pd.NA), st.text(max_size=5))
numbers = st.one_of(st.none(), st.just(float("nan")), st.floats(allow_nan=False))


@given(st.data())
def test_rows_read_back_as_kept_with_nan_and_na_as_null(data: st.DataObject) -> None:
    n = data.draw(st.integers(0, 30))
    ids = data.draw(st.lists(st.text(min_size=1, max_size=4), min_size=n, max_size=n))
    tiers = data.draw(st.lists(texts, min_size=n, max_size=n))
    odd = data.draw(st.lists(st.one_of(texts, st.integers(-5, 5)), min_size=n, max_size=n))
    scores = data.draw(st.lists(numbers, min_size=n, max_size=n))
    columns = {
        "employee_id": np.array(ids, dtype=object),
        "tier": np.array(tiers, dtype=object),
        "name": odd,  # an id typed as a number by an older amctl: kept as its text
        "ability": np.array([np.nan if v is None else v for v in scores], dtype="float64"),
        "performance": scores,
    }
    table = kept_rows.decode(kept_rows.encode(columns))

    def null(v: object) -> bool:
        return v is None or v is pd.NA or (isinstance(v, float) and v != v)

    assert table.column_names == list(kept_rows.NAMES)
    assert ipc.objects(table["tier"]).tolist() == [None if null(v) else v for v in tiers]
    assert table["name"].to_pylist() == [None if null(v) else str(v) for v in odd]
    assert table["ability"].to_pylist() == [None if null(v) else v for v in scores]
    assert table["performance"].to_pylist() == [None if null(v) else v for v in scores]
    assert table["movement"].to_pylist() == [None] * n  # left out: NULL
    order = kept_rows.where(table, None)["employee_id"].to_pylist()
    assert order == sorted(ids)
    if ids:
        one = kept_rows.where(table, ids[0])["employee_id"].to_pylist()
        assert one == [i for i in ids if i == ids[0]]
