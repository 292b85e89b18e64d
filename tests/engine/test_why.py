"""The reasons kept a column at a time read, per manager, as the steps said them."""

from __future__ import annotations

from decimal import Decimal

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from amctl.engine.reasons import reason
from amctl.engine.why import Figures, Lazy, ReasonsArray, Shared, Why


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


_KEYS = {
    "rank": ("n", "of", "composite"),
    "seat": ("level", "n", "seats"),
    "capped": ("level", "taken", "seats"),
    "trainee": ("months", "need"),
    "not_eligible": ("level", "failures"),
    "no_history": (),
    "not_a_code": ("n",),
    "band.split": ("band", "n", "of", "level", "split"),
    "band.cut": ("band", "composite", "cut"),
    "gate.score": ("axis", "have", "need"),
}
_VALUES = st.one_of(
    st.integers(-5, 5), st.floats(-1, 100, allow_nan=False), st.sampled_from(["mid", "senior", "x"])
)


def _gates(n: int, data: st.DataObject) -> Why:
    """A gate's failures for n managers, as tiers keeps them: a Why of gate reasons."""
    inner = Why(n)
    for code in ("gate.years", "gate.exam", "gate.score"):
        rows = data.draw(st.lists(st.integers(0, n - 1), unique=True), label=code)
        have = data.draw(st.lists(_VALUES, min_size=len(rows), max_size=len(rows)))
        need = data.draw(_VALUES)
        inner.add(np.array(rows, dtype=np.int64), code, have=have, need=need, axis="ability")
    return inner


def _random_why(n: int, data: st.DataObject) -> Why:
    why = Why(n)
    for _ in range(data.draw(st.integers(0, 6), label="parts")):
        rows = data.draw(st.lists(st.integers(0, n - 1), unique=True), label="rows")
        how = data.draw(st.sampled_from(["append", "append", "prepend", "reset"]), label="how")
        if data.draw(st.booleans(), label="whole"):
            whole = [[reason("rank", n=i, of=n, composite=1.5)] for i in rows]
            why.extend(rows, whole, how=how)
            continue
        if data.draw(st.booleans(), label="repeats"):  # a row twice: its first slot is read
            rows = data.draw(st.lists(st.integers(0, n - 1)), label="rows repeated")
        code = data.draw(st.sampled_from(sorted(_KEYS)), label="code")
        params: dict[str, object] = {}
        for key in _KEYS[code]:
            shapes = ["one", "list", "array", "floats", "float32", "figures", "shared", "mixed"]
            shapes += ["texts", "missing"]
            shape = data.draw(st.sampled_from(shapes), label=key)
            if key == "failures" and shape != "missing":
                gates = _gates(n, data)
                sub = data.draw(st.sampled_from([_sub, _sub_coded]), label="failures kept")
                params[key] = Lazy(
                    lambda at, g=gates: g.inner(at), lambda ats, g=gates, s=sub: s(g, ats)
                )
            elif key == "split" and shape != "missing":
                params[key] = Shared([["A", 1], ["B", data.draw(_VALUES)]])
            elif shape == "floats":  # 3 and 3.0 worded apart, and 0.0 and -0.0
                floats = st.sampled_from([0.0, -0.0, 3.0, 2.5, 1e16, 0.125, 0.005])
                values = data.draw(st.lists(floats, min_size=len(rows), max_size=len(rows)))
                params[key] = np.array(values, dtype=np.float64)
            elif shape == "float32":
                floats = st.sampled_from([0.0, -0.0, 3.0, 2.5])
                values = data.draw(st.lists(floats, min_size=len(rows), max_size=len(rows)))
                params[key] = np.array(values, dtype=np.float32)
            elif shape == "mixed":  # equal values of other types: each worded as itself
                decimals = [Decimal("1"), Decimal("1.0"), Decimal("-0"), Decimal("0.00")]
                mixed = st.sampled_from([3, 3.0, True, 1, 0, 0.0, -0.0, "3", *decimals])
                params[key] = data.draw(st.lists(mixed, min_size=len(rows), max_size=len(rows)))
            elif shape == "texts":  # an object array of text alone, as the engine's levels
                words = st.sampled_from(["mid", "senior", "x", "中级"])
                texts = data.draw(st.lists(words, min_size=len(rows), max_size=len(rows)))
                params[key] = np.array(texts, dtype=object)
            elif shape == "figures":
                values = data.draw(st.lists(_VALUES, min_size=len(rows), max_size=len(rows)))
                numbers = [v if isinstance(v, int | float) else 1.0 for v in values]
                params[key] = Figures(np.array(numbers, dtype=np.float64))
            elif shape == "shared":
                params[key] = Shared(data.draw(_VALUES))
            elif shape == "one":
                params[key] = data.draw(_VALUES)
            elif shape == "list":
                params[key] = data.draw(st.lists(_VALUES, min_size=len(rows), max_size=len(rows)))
            elif shape == "array":
                ints = st.lists(st.integers(0, 9), min_size=len(rows), max_size=len(rows))
                params[key] = np.array(data.draw(ints), dtype=np.int64)
        keep = data.draw(st.sets(st.sampled_from(sorted(_KEYS))), label="keep")
        why.add(np.array(rows, dtype=np.int64), code, how=how, keep=keep, **params)
    return why


def _sub_coded(why: Why, ats: np.ndarray) -> Why:
    """The same as `_sub`, kept as tiers keeps a gate's failures: coded steps, aligned lists."""
    out = Why(len(ats))
    for part in why.parts:
        slots = {int(row): i for i, row in enumerate(part.rows.tolist())}
        rows = [i for i, at in enumerate(ats.tolist()) if at in slots]
        have = [part.params["have"][slots[at]] for at in ats.tolist() if at in slots]
        assert part.code is not None
        out.add(rows, part.code, have=have, need=part.params["need"], axis="ability")
    return out


def _sub(why: Why, ats: np.ndarray) -> Why:
    """The Why of the managers at `ats` (slot i: ats[i]), as Lazy.many gives one."""
    out = Why(len(ats))
    whole = why.many(ats)
    out.extend(np.arange(len(ats)), whole)
    return out


@settings(max_examples=300, deadline=None)
@given(st.data())
def test_a_reasons_column_worded_a_step_at_a_time_says_what_each_managers_list_says(
    data: st.DataObject,
) -> None:
    """Every step, how and param shape (one value, aligned lists, numpy, missing keys a
    template needs, a code no version knows, a gate's failures), rows a reindex adds (None)
    and rows built from values: the words of each row are those of its list of reasons."""
    from amctl.labels import Names, says, says_column

    n = data.draw(st.integers(1, 8), label="n")
    why = _random_why(n, data)
    column = why.column(pd.RangeIndex(n)).reindex([*range(n), n, n + 1])
    assert isinstance(column.array, ReasonsArray) and column.array.kept is not None
    loose = pd.Series(ReasonsArray._from_sequence([[reason("no_history")], None]))
    start = data.draw(st.integers(0, n - 1), label="start")
    batch = column.iloc[start : data.draw(st.integers(start, n + 2), label="stop")]
    picked = column.iloc[data.draw(st.permutations(range(n)), label="picked")]
    for lang, called in (("en", None), ("zh", Names("zh", {"mid": "中级"})), ("zh", None)):
        for rows in (column, loose, batch, picked):  # a batch an export writes: one by one
            assert says_column(rows, lang, called) == [
                None if r is None else says(r, lang, called) for r in rows
            ]
        for rows in (batch, picked):  # each manager read alone, not as one of a run
            assert says_column(rows, lang, called) == [
                None if at < 0 else says(why.many(np.array([at, at]))[0], lang, called)
                for at in rows.array._at.tolist()
            ]


def test_a_gate_that_names_a_message_of_another_version_reads_as_its_reason_says() -> None:
    """A value inside a gate's words that this amctl cannot word (a message of another
    version): the column's words are the one reason's, not an error."""
    from amctl.labels import says, says_column
    from amctl.messages import Said

    why = Why(2)
    why.add([0, 1], "gate.condition", label=Shared(Said("no.such.key", {})))
    column = why.column(pd.RangeIndex(2))
    for lang in ("en", "zh"):
        assert says_column(column, lang) == [says(r, lang) for r in column]


def test_a_gates_failures_are_worked_out_once_for_rows_worded_in_two_languages(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """An export words each block of rows in English and in its label column's language:
    the gate failures inside the reasons are worked out once for both, again for new rows;
    those of more rows than a block are not kept."""
    from amctl.engine import why as whys
    from amctl.labels import says_array

    gates = Why(4)
    gates.add(np.array([0, 2]), "gate.score", axis="ability", have=[60.0, 70.5], need=80)
    asked: list[list[int]] = []

    def many(ats: np.ndarray) -> Why:
        asked.append(ats.tolist())
        return _sub(gates, ats)

    why = Why(4)
    failures = Lazy(lambda at: gates.inner(at), many)
    why.add(np.arange(4), "not_eligible", level="senior", failures=failures)
    column = why.column(pd.Index(["a", "b", "c", "d"]))
    english, chinese = says_array(column).to_pylist(), says_array(column, "zh").to_pylist()
    assert asked == [[0, 1, 2, 3]]
    assert "70.5" in english[2] and "70.5" in chinese[2] and english[2] != chinese[2]
    assert says_array(column.iloc[1:3]).to_pylist() == english[1:3]
    assert asked == [[0, 1, 2, 3], [1, 2]]
    monkeypatch.setattr(whys, "_BLOCK", 3)
    asked.clear()
    assert says_array(column).to_pylist() == english
    assert says_array(column).to_pylist() == english
    assert asked == [[0, 1, 2, 3], [0, 1, 2, 3]]
