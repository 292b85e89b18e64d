"""The workbook writer on tables of its own: constant memory, formats per column, widths from
whole columns, text that can never run as a formula or as xlsxwriter's markup."""

from __future__ import annotations

import zipfile
from decimal import Decimal
from pathlib import Path

import pandas as pd
import pytest
from openpyxl import load_workbook

from amctl.errors import OutputError
from amctl.export import workbook
from amctl.export.table import Table
from amctl.export.workbook import write_xlsx

pytestmark = pytest.mark.filterwarnings("ignore:Cannot parse header or footer")
FORMULAS = ["=1+1", "+cmd|' /C calc'!A0", "@SUM(A1)", "-2+3", "\tTAB", "\rCR"]


def _column_of(ws: object, index: int) -> object:
    """The column dimension that holds column `index` (openpyxl groups equal neighbours)."""
    dims = ws.column_dimensions.values()  # type: ignore[attr-defined]
    return next(d for d in dims if d.min is not None and d.min <= index <= d.max)


def test_writing_counts_its_rows_for_the_progress_bar(tmp_path: Path) -> None:
    rows = [[f"KM{i:05d}", i] for i in range(5_001)]
    ticks: list[tuple[int, int]] = []
    write_xlsx(
        tmp_path / "t.xlsx",
        [("grading", Table.of((["employee_id", "rank"], rows)))],
        tick=lambda done, total: ticks.append((done, total)),
    )
    assert ticks[-1] == (5_001, 5_001) and ticks[0] == (2_000, 5_001)
    assert [d for d, _ in ticks] == sorted(d for d, _ in ticks)


def test_rows_are_written_in_constant_memory_in_chunks(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Inline strings (no shared-string table held for the whole book), and a sheet made
    ready a chunk of rows at a time gives the cells, widths and notes of one made at once."""
    monkeypatch.setattr(workbook, "MAX_CELL", 40)
    frame = pd.DataFrame(
        {
            "employee_id": [f"E{i:03d}" for i in range(25)],
            "name": ["经理" * (1 + i % 4) if i != 17 else "长" * 50 for i in range(25)],
            "tier": [("senior-A", "mid-B", "junior-C", None)[i % 4] for i in range(25)],
            "composite": [60 + i / 3 if i % 5 else float("nan") for i in range(25)],
        }
    )
    sheets = [("grading", Table(frame))]
    whole = write_xlsx(tmp_path / "whole.xlsx", sheets)
    monkeypatch.setattr(workbook, "CHUNK", 4)
    chunked = write_xlsx(tmp_path / "chunked.xlsx", sheets)
    assert (tmp_path / "whole.xlsx").read_bytes() == (tmp_path / "chunked.xlsx").read_bytes()
    assert whole == chunked and len(whole) == 1 and whole[0].startswith("grading!B19 (name)")
    assert "xl/sharedStrings.xml" not in zipfile.ZipFile(tmp_path / "whole.xlsx").namelist()
    ws = load_workbook(tmp_path / "whole.xlsx").active
    assert ws["C2"].fill.fgColor.rgb.endswith("F8E3B5") and ws["C5"].value is None
    assert ws["D2"].value is None and ws["D3"].value == pytest.approx(60 + 1 / 3)


def test_formats_and_widths_come_from_whole_columns(tmp_path: Path) -> None:
    frame = pd.DataFrame(
        {
            "name": ["经理一二三四五", "Li"],  # 7 Chinese characters: 14 columns wide
            "total": [Decimal("1234567.50"), Decimal("-3.00")],
            "composite": [83.7766, 9.5],
            "share_pct": [12.5, 100.0],
            "reasons": ["x" * 200, "short"],
        }
    )
    total = ["total", Decimal("987654321.00"), None, None, None]
    write_xlsx(tmp_path / "f.xlsx", [("payroll", Table(frame, total))])
    ws = load_workbook(tmp_path / "f.xlsx").active
    widths = [_column_of(ws, i).width for i in range(1, 6)]  # type: ignore[attr-defined]
    assert widths[0] == pytest.approx(16.71, abs=0.01)  # 14 + 2
    assert widths[1] == pytest.approx(16.71, abs=0.01)  # "987,654,321.00" (the total) + 2
    assert widths[2] == pytest.approx(11.71, abs=0.01)  # the header, wider than "83.78"
    assert widths[4] == pytest.approx(60.71, abs=0.01)  # capped
    looks = [_column_of(ws, i).number_format for i in range(1, 5)]  # type: ignore[attr-defined]
    assert looks == ["General", "#,##0.00", "0.00", '0.0"%"']
    assert ws["B2"].number_format == "#,##0.00" and ws["B2"].value == 1234567.5
    last = ws["B4"]
    assert last.value == 987654321 and last.font.b and last.number_format == "#,##0.00"
    assert ws["A4"].value == "total" and ws["A4"].font.b and ws.auto_filter.ref == "A1:E3"


def test_text_never_runs_as_a_formula_or_as_markup(tmp_path: Path) -> None:
    markup = ["<r><t>x</t></r>", '<r></r></is></c><c r="B9"><f>1+1</f></c><c><is><r></r>']
    names = [*FORMULAS, *markup, "plain"]
    frame = pd.DataFrame({"name": names, "org_unit": names[::-1], "days": [-5] * len(names)})
    write_xlsx(tmp_path / "s.xlsx", [("grading", Table(frame))], heading="ct-group")
    sheet = zipfile.ZipFile(tmp_path / "s.xlsx").read("xl/worksheets/sheet1.xml").decode()
    assert "<f>" not in sheet
    ws = load_workbook(tmp_path / "s.xlsx").active
    got = [ws.cell(r, 1).value for r in range(3, 3 + len(names))]
    safe = ["'" + f.replace("\r", "_x000D_") for f in FORMULAS]  # openpyxl keeps Excel's escape
    assert got == [*safe, *markup, "plain"]
    assert all(ws.cell(r, c).data_type == "s" for r in range(3, 3 + len(names)) for c in (1, 2))
    assert ws.cell(3, 3).value == -5 and ws.cell(3, 3).data_type == "n"  # a number stays one


def test_the_same_tables_give_the_same_bytes(tmp_path: Path) -> None:
    frame = pd.DataFrame({"tier": ["mid-A", "junior-B"], "total": [Decimal("1.50"), None]})
    for name in ("a.xlsx", "b.xlsx"):
        write_xlsx(tmp_path / name, [("payroll", Table(frame, ["total", Decimal("1.50")]))])
    assert (tmp_path / "a.xlsx").read_bytes() == (tmp_path / "b.xlsx").read_bytes()


def test_a_sheet_longer_than_xlsx_holds_is_refused_before_writing(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(workbook, "MAX_ROWS", 10)
    frame = pd.DataFrame({"employee_id": [f"E{i}" for i in range(9)]})
    with pytest.raises(OutputError) as caught:
        write_xlsx(tmp_path / "big.xlsx", [("grading", Table(frame))], heading="h")
    assert "sheet grading has 9 rows, more than the 10 an xlsx sheet holds" in str(caught.value)
    assert not (tmp_path / "big.xlsx").exists()
