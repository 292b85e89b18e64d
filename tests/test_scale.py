"""The fast paths give the same bytes as the straightforward per-cell path; csv and parquet
inputs grade like xlsx. Timings live in bench/run.py, never here."""

from __future__ import annotations

import csv
from pathlib import Path
from typing import Any

import pandas as pd
import pytest

from amctl.data import sheets as readers
from amctl.export import grading as export
from amctl.period import quarter
from amctl.pipeline.grade import grade_files
from amctl.policy.loader import load_policy
from tests.helpers import DEFAULT_POLICY, random_team, write_team, write_xlsx

Q3 = quarter("2024Q3")


def _csv_bytes(path: Path, out: Path) -> bytes:
    result = grade_files(load_policy(DEFAULT_POLICY), path, Q3)
    result.sources = {}
    export.write(result, out, force=True)
    return out.read_bytes()


def test_fast_and_per_cell_paths_give_the_same_bytes(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    team = random_team(2000, seed=11)
    roster = team.roster_rows()
    roster[5][3] = "2019年3月1日"  # a few cells only the per-cell parser reads
    perf = team.performance_rows()
    perf[7][1] = "1,234.5"
    perf[9][2] = "１００"
    path = tmp_path / "r.xlsx"
    write_xlsx(path, {"花名册": roster, "业绩": perf, "能力评价": team.ratings_rows()})
    fast = _csv_bytes(path, tmp_path / "fast.csv")
    monkeypatch.setattr(readers, "COLUMNAR", False)
    slow = _csv_bytes(path, tmp_path / "slow.csv")
    assert fast == slow
    assert len(fast.splitlines()) == 2001


def test_csv_and_parquet_inputs_grade_like_xlsx(tmp_path: Path) -> None:
    team = random_team(300, seed=5)
    tables = {
        "roster": team.roster_rows(),
        "performance": team.performance_rows(),
        "ratings": team.ratings_rows(),
    }
    xlsx = write_team(tmp_path / "all.xlsx", team)
    for name, rows in tables.items():
        (tmp_path / "csv").mkdir(exist_ok=True)
        with (tmp_path / "csv" / f"{name}.csv").open("w", newline="", encoding="utf-8") as fh:
            csv.writer(fh).writerows(rows)
        (tmp_path / "pq").mkdir(exist_ok=True)
        frame = pd.DataFrame(rows[1:], columns=rows[0])
        frame.to_parquet(tmp_path / "pq" / f"{name}.parquet", index=False)
    policy = load_policy(DEFAULT_POLICY)
    reference = grade_files(policy, xlsx, Q3).managers.drop(columns="reasons")
    for folder, suffix in (("csv", "csv"), ("pq", "parquet")):
        got = grade_files(policy, tmp_path / folder / f"roster.{suffix}", Q3).managers.drop(
            columns="reasons"
        )
        pd.testing.assert_frame_equal(got, reference, check_dtype=False)


def _awkward(n: int) -> dict[str, list[list[Any]]]:
    """Each column one type throughout (so the columnar readers take it), with cells only the
    per-cell parser reads: grouped and full-width numbers as text, padded and non-NFKC text,
    blank rows, a title above the header, empty required cells, an unknown rater. The title
    row is as wide as the table, as Excel writes it to csv (uneven rows take the csv module)."""
    team = random_team(n, seed=7)
    roster = [[str(c) for c in team.roster_rows()[0]]]
    for row in team.roster_rows()[1:]:
        roster.append([str(c) if c is not None else None for c in row])
    roster[3][1] = f"  {roster[3][1]} "  # padded name
    roster[4][2] = "政企客户一部"  # an ordinary unit, spelled with full-width-free text
    roster[5][1] = "ＡＢＣ"  # full-width letters: NFKC folds them
    roster[6][3] = "2019/3/1"  # a date only the per-cell parser reads
    roster[7][0] = None  # no id: reported, the row not graded
    roster.insert(10, [None] * len(roster[0]))  # a blank row in the middle
    perf = [[str(c) for c in team.performance_rows()[0]]]
    for row in team.performance_rows()[1:]:
        perf.append([row[0], *[f"{float(x):.1f}" for x in row[1:]]])
    perf[8][1] = "1,234.5"
    perf[9][2] = "１００"
    perf[11][3] = ""  # an empty metric: that manager is blocked with the reason
    ratings = team.ratings_rows()
    ratings[12][1] = "路人"  # a rater the policy does not know
    return {
        "花名册": [["2024年第三季度花名册"] + [None] * (len(roster[0]) - 1), *roster],
        "业绩": perf,
        "能力评价": ratings,
    }


def test_the_columnar_readers_give_the_per_cell_bytes(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from amctl.data.sheets import read_sheet

    sheets = _awkward(1500)
    xlsx = write_xlsx(tmp_path / "a.xlsx", sheets)
    names = dict(zip(sheets, ("roster", "performance", "ratings"), strict=True))
    for folder in ("csv", "pq"):
        (tmp_path / folder).mkdir()
    for sheet, rows in sheets.items():
        with (tmp_path / "csv" / f"{names[sheet]}.csv").open(
            "w", newline="", encoding="utf-8"
        ) as fh:
            csv.writer(fh).writerows(rows)
        body = rows[2:] if sheet == "花名册" else rows[1:]
        header = rows[1] if sheet == "花名册" else rows[0]
        frame = pd.DataFrame(body, columns=header)
        frame.to_parquet(tmp_path / "pq" / f"{names[sheet]}.parquet", index=False)
    inputs = [xlsx, tmp_path / "csv" / "roster.csv", tmp_path / "pq" / "roster.parquet"]
    for path in inputs:  # the fast readers really are used on these files
        sheet = read_sheet(path, "花名册" if path.suffix == ".xlsx" else None)
        assert sheet.body is not None
        assert sheet.body(3 if path.suffix != ".parquet" else 1) is not None
    fast = [_csv_bytes(p, tmp_path / f"fast{i}.csv") for i, p in enumerate(inputs)]
    monkeypatch.setattr(readers, "COLUMNAR", False)
    slow = [_csv_bytes(p, tmp_path / f"slow{i}.csv") for i, p in enumerate(inputs)]
    assert fast == slow
    status = [line.split(",", 1)[0] for line in fast[0].decode("utf-8-sig").splitlines()[1:]]
    assert len(status) == 1500  # every roster row: graded, or listed with its reason
    assert 3 <= status.count("not graded") < 10


def test_a_column_of_mixed_types_falls_back_to_the_per_cell_reader(tmp_path: Path) -> None:
    """fastexcel gives a mixed column only as text, and text loses what the cell said (a
    number cell or digits typed as text, all 17 digits of a float): the cell reader decides."""
    from amctl.data.sheets import read_sheet

    team = random_team(50, seed=3)
    perf = team.performance_rows()
    perf[4][1] = "12.5"  # text among numbers
    path = write_xlsx(tmp_path / "m.xlsx", {"花名册": team.roster_rows(), "业绩": perf})
    sheet = read_sheet(path, "业绩")
    assert sheet.body is not None and sheet.body(1) is None  # the columns cannot be typed
    assert len(sheet.complete().rows) == 51


def test_a_unit_merged_down_its_people_is_read_in_columns_like_cell_by_cell(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from openpyxl import load_workbook

    from amctl.data.sheets import read_sheet

    team = random_team(60, seed=4)
    path = write_team(tmp_path / "m.xlsx", team)
    wb = load_workbook(path)
    ws = wb["花名册"]
    ws.merge_cells("C2:C20")  # one 部门 cell for the first 19 people, as HR lays it out
    ws.merge_cells("C30:C41")
    wb.save(path)
    sheet = read_sheet(path, "花名册")
    assert sheet.body is not None
    grid = sheet.body(1)
    assert grid is not None and grid.columns[2][18].as_py() == grid.columns[2][0].as_py()
    fast = _csv_bytes(path, tmp_path / "fast.csv")
    monkeypatch.setattr(readers, "COLUMNAR", False)
    assert fast == _csv_bytes(path, tmp_path / "slow.csv")


def test_a_csv_with_a_short_title_row_is_read_in_columns_like_cell_by_cell(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from amctl.data.sheets import read_sheet

    team = random_team(80, seed=6)
    for name, rows in (
        ("roster", [["2024年第三季度花名册"], *team.roster_rows()]),  # one cell: rows of two widths
        ("performance", team.performance_rows()),
        ("ratings", team.ratings_rows()),
    ):
        with (tmp_path / f"{name}.csv").open("w", newline="", encoding="utf-8") as fh:
            csv.writer(fh).writerows(rows)
    path = tmp_path / "roster.csv"
    sheet = read_sheet(path)
    assert sheet.body is not None and sheet.body(2) is not None
    fast = _csv_bytes(path, tmp_path / "fast.csv")
    monkeypatch.setattr(readers, "COLUMNAR", False)
    assert fast == _csv_bytes(path, tmp_path / "slow.csv")
