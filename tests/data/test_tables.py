"""The columnar table reader reads numbers written as text exactly as the per-cell parser
does, and reports the same cells."""

from __future__ import annotations

import csv
import tempfile
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from amctl.data import sheets as readers
from amctl.data.sheets import read_sheet
from amctl.data.tables import FieldSpec, Table, read_table

SPECS = [FieldSpec("employee_id", "id"), FieldSpec("x", "number", low=-1e6, high=1e6)]

# plain numbers (Arrow's cast), and everything near them that only cells.number reads or
# reports: signs, exponents, commas, a %, spaces, full-width digits, underscores, inf, blanks
_plain = st.floats(allow_nan=False, allow_infinity=False, width=64).map(repr)
_decimal = st.decimals(allow_nan=False, allow_infinity=False, places=6).map(str)
_noisy = st.text(alphabet="0123456789.-+eE,% _１inf", max_size=8)
NUMBERS = st.lists(st.one_of(_plain, _decimal, _noisy), min_size=1, max_size=40)


def _read(path: Path, columnar: bool, monkeypatch: pytest.MonkeyPatch) -> Table:
    monkeypatch.setattr(readers, "COLUMNAR", columnar)
    return read_table(read_sheet(path), SPECS, {"employee_id": ["工号"], "x": ["得分"]})


@settings(max_examples=60, deadline=None)
@given(values=NUMBERS)
def test_text_numbers_read_as_each_cell_alone(values: list[str]) -> None:
    with tempfile.TemporaryDirectory() as folder, pytest.MonkeyPatch.context() as patch:
        path = Path(folder) / "t.csv"
        with path.open("w", newline="", encoding="utf-8") as fh:
            rows = [[f"E{i}", v] for i, v in enumerate(values)]
            csv.writer(fh).writerows([["工号", "得分"], *rows])
        fast, slow = _read(path, True, patch), _read(path, False, patch)
    assert fast.values["x"] == slow.values["x"]
    assert [f.message for f in fast.findings] == [f.message for f in slow.findings]
    assert fast.bad == slow.bad


WORDS = st.lists(
    st.one_of(
        st.text(alphabet="AZ09中文", min_size=1, max_size=6),  # plain
        st.text(alphabet=" \u3000A１Ａ中\t\u00a0😀\x07ﬁ", max_size=4),  # what cells.text changes
    ),
    min_size=1,
    max_size=60,
)


@settings(max_examples=60, deadline=None)
@given(ids=WORDS, names=WORDS)
def test_distinct_text_reads_as_each_cell_alone(ids: list[str], names: list[str]) -> None:
    """Ids and names that hardly repeat are checked a column at a time, not hashed into a
    dictionary: the same values, findings and bad rows as the per-cell reader."""
    from amctl.data import tables

    specs = [FieldSpec("employee_id", "id"), FieldSpec("name", "text", allow_blank=True)]
    with tempfile.TemporaryDirectory() as folder, pytest.MonkeyPatch.context() as patch:
        patch.setattr(tables, "_SAMPLE", 4)  # small tables take the path of large ones
        path = Path(folder) / "t.csv"
        with path.open("w", newline="", encoding="utf-8") as fh:
            rows = [[f"{i}{e}", n] for i, (e, n) in enumerate(zip(ids, names * 60, strict=False))]
            csv.writer(fh).writerows([["工号", "姓名"], *rows])
        read = {}
        for columnar in (True, False):
            patch.setattr(readers, "COLUMNAR", columnar)
            sheet = read_sheet(path)
            read[columnar] = read_table(sheet, specs, {"employee_id": ["工号"], "name": ["姓名"]})
    fast, slow = read[True], read[False]
    assert fast.values == slow.values
    assert [f.message for f in fast.findings] == [f.message for f in slow.findings]
    assert fast.bad == slow.bad
