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
