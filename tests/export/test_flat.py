"""csv and parquet written by pyarrow from columns: the csv byte for byte what the csv module
wrote cell by cell, parquet with its types, money exact, and no formula in either."""

from __future__ import annotations

import csv
import io
import math
from decimal import Decimal
from pathlib import Path
from typing import Any

import pandas as pd
import pyarrow as pa
import pyarrow.parquet as pq
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from amctl.export import flat
from amctl.export.safe import neutralise
from amctl.export.table import Table, clean, silent

FORMULAS = ["=1+1", "+cmd|' /C calc'!A0", "@SUM(A1)", "-2+3", "\tTAB", "\rCR"]


def by_the_csv_module(table: Table) -> bytes:
    """What amctl wrote before, cell by cell: the reference the columns must match."""
    buffer = io.StringIO()
    w = csv.writer(buffer, lineterminator="\r\n")
    w.writerow(table.columns)
    for rec in table.frame.itertuples(index=False):
        w.writerow(["" if (v := clean(c)) is None else neutralise(v) for c in rec])
    return ("\ufeff" + buffer.getvalue()).encode("utf-8")


def written(tmp_path: Path, table: Table) -> bytes:
    path = tmp_path / "t.csv"
    flat.write_csv(path, table, silent)
    return path.read_bytes()


texts = st.one_of(
    st.text(max_size=12),
    st.sampled_from(
        [
            *FORMULAS,
            'say "hi"',
            '"quoted"',
            ",lead",
            "a,b",
            "line\nbreak",
            "",
            " pad ",
            "中文，逗号",
        ]
    ),
)
floats = st.one_of(
    st.floats(allow_nan=True, allow_infinity=True),
    st.sampled_from(
        [
            100.0,
            -0.0,
            float("-inf"),
            float("inf"),
            1e-05,
            1e-4,
            9999999999.5,
            1e10,
            1e16,
            83.77,
            0.1 + 0.2,
        ]
    ),
)
columns = st.one_of(
    st.lists(st.one_of(st.none(), texts), min_size=4, max_size=4),
    st.lists(st.one_of(st.none(), texts), min_size=4, max_size=4).map(
        lambda values: pd.concat(  # text pandas keeps in Arrow, in two chunks
            [pd.Series(values[:2], dtype="str"), pd.Series(values[2:], dtype="str")],
            ignore_index=True,
        )
    ),
    st.lists(floats, min_size=4, max_size=4),
    st.lists(st.integers(-(2**62), 2**62), min_size=4, max_size=4),
    st.lists(st.one_of(st.none(), st.integers(-9999, 9999)), min_size=4, max_size=4),
    st.lists(st.booleans(), min_size=4, max_size=4),
    st.lists(
        st.one_of(st.none(), st.decimals(allow_nan=False, allow_infinity=False, places=2)),
        min_size=4,
        max_size=4,
    ),
    st.lists(  # mixed, as the small sheets hold
        st.one_of(st.none(), texts, st.integers(-99, 99), floats, st.booleans()),
        min_size=4,
        max_size=4,
    ),
)


def _series(values: list[Any] | pd.Series) -> pd.Series:
    if isinstance(values, pd.Series):
        return values
    kinds = {type(v) for v in values if v is not None}
    if kinds == {int} and None in values:
        return pd.Series(values, dtype="Int64")
    if kinds in ({int}, {float}, {bool}):
        return pd.Series(values)
    return pd.Series(values, dtype=object)


@settings(max_examples=150, deadline=None)
@given(st.lists(columns, min_size=1, max_size=5))
def test_the_csv_is_byte_for_byte_what_the_csv_module_wrote(
    tmp_path_factory: pytest.TempPathFactory, data: list[list[Any] | pd.Series]
) -> None:
    frame = pd.DataFrame({f"c{i}": _series(values) for i, values in enumerate(data)})
    table = Table(frame)
    assert written(tmp_path_factory.mktemp("csv"), table) == by_the_csv_module(table)


def test_batches_join_up_seamlessly(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    frame = pd.DataFrame(
        {"id": [f"E{i}" for i in range(10)], "x": [i / 3 for i in range(10)], "n": range(10)}
    )
    ticks: list[tuple[int, int]] = []
    whole = written(tmp_path, Table(frame))
    monkeypatch.setattr(flat, "BATCH", 3)
    flat.write_csv(tmp_path / "b.csv", Table(frame), lambda d, t: ticks.append((d, t)))
    assert (tmp_path / "b.csv").read_bytes() == whole == by_the_csv_module(Table(frame))
    assert ticks == [(3, 10), (6, 10), (9, 10), (10, 10), (10, 10)]


def test_repeated_floats_and_fields_all_quoted(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A float column of few values is printed a value at a time, its -0.0 apart from 0.0;
    a column every row of which is quoted (English reasons), with or without a quote in it;
    batches that end a line where the next one begins; amounts with a Decimal NaN (written
    NaN, as `clean` keeps it, though pandas calls it missing), with a blank and without;
    a text column of few values (made once for the whole column) with a formula, a quote, a
    comma, an empty text and both kinds of blank."""
    frame = pd.DataFrame(
        {
            "status": ["graded"] * 20,
            "score": [0.0, -0.0, 1.5, math.nan, 1e-05] * 4,
            "distinct": [i / 7 for i in range(20)],
            "reasons": [f"rank {i}, of 20" for i in range(20)],
            "quoted": [f'say "{i}", then' if i % 3 else f"a,{i}" for i in range(20)],
            "pay": [Decimal(v) for v in ("1.50", "NaN", "-NaN", "Infinity", "-0.00")] * 4,
            "paid": [Decimal(i).scaleb(-2) for i in range(20)],
            "blank": [None, Decimal("NaN"), Decimal("2"), math.nan] * 5,
            "level": pd.Series(  # object, as the grading's columns are; not pandas' str
                ["=1+1", 'a "b"', None, "x,y", math.nan, "", "中级"] * 2 + ["中级"] * 6,
                dtype=object,
            ),
        }
    )
    monkeypatch.setattr(flat, "BATCH", 7)
    assert flat._coded(frame["level"]) is not None  # made once, taken by code
    assert written(tmp_path, Table(frame)) == by_the_csv_module(Table(frame))


def test_an_empty_table_is_its_header(tmp_path: Path) -> None:
    table = Table(pd.DataFrame({"a": [], "b": []}))
    assert written(tmp_path, table) == "\ufeffa,b\r\n".encode()


def test_parquet_keeps_types_money_exact_and_no_formula(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    frame = pd.DataFrame(
        {
            "name": [*FORMULAS, None],
            "rank": pd.Series([1, 2, None, 4, 5, 6, 7], dtype="Int64"),
            "composite": [83.77, 1e-05, math.nan, 1.0, 2.0, 3.0, 4.0],
            "rural": [True, False, True, False, True, False, True],
            "total": [Decimal("15902.28"), Decimal("-0.01"), None, *[Decimal("1.5")] * 4],
            "mixed": [1, "=x", None, 2.5, True, "a", "b"],
        }
    )
    path = tmp_path / "t.parquet"
    flat.write_parquet(path, Table(frame), silent)
    data = pq.read_table(path)
    assert data.schema.types == [
        pa.string(),
        pa.int64(),
        pa.float64(),
        pa.bool_(),
        pa.decimal128(38, 2),
        pa.string(),
    ]
    rows = data.to_pydict()
    assert rows["name"] == [*("'" + f for f in FORMULAS), None]
    assert rows["total"][:3] == [Decimal("15902.28"), Decimal("-0.01"), None]
    assert rows["total"][3] == Decimal("1.50") and rows["rank"][2] is None
    assert rows["mixed"] == ["1", "'=x", None, "2.5", "True", "a", "b"]
    again = tmp_path / "again.parquet"
    flat.write_parquet(again, Table(frame), silent)
    assert again.read_bytes() == path.read_bytes()
    monkeypatch.setattr(flat, "BATCH", 3)  # a row group per batch: the same table
    flat.write_parquet(tmp_path / "groups.parquet", Table(frame), silent)
    groups = pq.ParquetFile(tmp_path / "groups.parquet")
    assert groups.num_row_groups == 3 and groups.read().equals(data)
