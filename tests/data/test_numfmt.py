"""Percent formats as Excel and WPS write them, built in or declared in styles.xml."""

from __future__ import annotations

from pathlib import Path

import pytest
from openpyxl import Workbook

from amctl.data.numfmt import is_percent_code, percent_rows


@pytest.mark.parametrize(
    ("code", "percent"),
    [
        ("0%", True),
        ("0.00%", True),
        ('#,##0.0"%"', False),  # a literal % sign in quotes does not multiply
        ("0.0\\%", False),
        ("[Red]0.0%;[Blue]-0.0%", True),
        ("[$%-409]0", False),
        ("0.00", False),
    ],
)
def test_a_format_multiplies_by_100_only_for_a_bare_percent_sign(code: str, percent: bool) -> None:
    assert is_percent_code(code) is percent


def test_the_rows_of_a_column_formatted_as_a_percentage(tmp_path: Path) -> None:
    wb = Workbook()
    ws = wb.active
    assert ws is not None
    ws.title = "业绩"
    for r in range(1, 6):
        ws.cell(row=r, column=3, value=0.1 * r)
        ws.cell(row=r, column=4, value=0.1 * r).number_format = "0.0%"
    ws["C2"].number_format = '0.00"%"'
    ws["C4"].number_format = "0%"
    path = tmp_path / "r.xlsx"
    wb.save(path)
    assert percent_rows(str(path), "业绩", [2, 3]) == {2: {4}, 3: {1, 2, 3, 4, 5}}
    assert percent_rows(str(path), "其他", [2]) == {2: set()}
