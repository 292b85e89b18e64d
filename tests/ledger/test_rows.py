"""A run's rows as one Arrow part: every cell comes back as SQLite gave it before schema 5."""

from __future__ import annotations

from decimal import Decimal

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


words = st.one_of(st.none(), st.sampled_from(["mid", "高级", "B", ""]), st.text(max_size=3))


@given(st.data())
def test_rows_from_the_encoded_texts_are_the_rows_made_anew(data: st.DataObject) -> None:
    """The rows a record takes from the managers' and the pay's encoding (Encoded.texts)
    read back as the rows made from the frames; small samples, so that texts are coded and
    shared amounts written once, as at a million rows."""
    import pytest

    from amctl.ledger import frames

    n = data.draw(st.integers(1, 60))
    ids = data.draw(st.lists(st.text(min_size=1, max_size=4), min_size=n, max_size=n, unique=True))
    few = st.sampled_from(["mid", "高级"])  # coded from 40 rows on, with the sample at 20
    managers = pd.DataFrame(
        {
            key: pd.Series(  # as a run holds them: object columns, and one of pandas' text
                data.draw(
                    st.lists(few if key in ("level", "band") else words, min_size=n, max_size=n)
                ),
                dtype="str" if key == "movement" else object,
            )
            for key in (*kept_rows._PLAIN, "band")
        },
    ).set_axis(pd.Index(np.array(ids, dtype=object), name="employee_id"))
    for key in ("ability", "performance", "composite"):
        managers[key] = data.draw(st.lists(st.floats(0, 100), min_size=n, max_size=n))
    amounts = [Decimal("52.00"), Decimal("1E+2"), Decimal("-0.00")]
    picks = data.draw(st.lists(st.integers(0, 2), min_size=n, max_size=n))
    own = data.draw(st.booleans())  # each row its own object (written out) or shared (coded)
    cells = [Decimal(str(amounts[i])) if own else amounts[i] for i in picks]
    totals = pd.Series(np.array(cells, dtype=object), index=managers.index)
    if data.draw(st.booleans()):  # some not paid: the pay's text is not in the rows' order
        totals = totals.iloc[::2]
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(frames, "_SAMPLE", 20)
        made = dict(frames.encoded(managers).texts)
        made["total"] = frames.encoded(totals.to_frame("total")).texts["total"]
    again = kept_rows.decode(kept_rows.encode(kept_rows.of_result(managers, totals)))
    taken = kept_rows.decode(kept_rows.encode(kept_rows.of_result(managers, totals, made)))
    assert taken.equals(again)
    assert {"movement", "total"} <= set(made)  # taken as made, not made again
    paid = totals.reindex(managers.index)
    assert taken["total"].to_pylist() == [None if pd.isna(v) else str(v) for v in paid]
