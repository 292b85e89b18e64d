"""The fast paths give the same bytes as the straightforward per-cell path; csv and parquet
inputs grade like xlsx. Timings live in bench/run.py, never here."""

from __future__ import annotations

import csv
import datetime as dt
from pathlib import Path
from typing import Any

import pandas as pd
import pytest

from amctl.data import sheets as readers
from amctl.export import grading as export
from amctl.period import parse
from amctl.pipeline.grade import grade_files
from amctl.policy.loader import load_policy
from tests.helpers import DEFAULT_POLICY, random_team, write_team, write_xlsx

Q3 = parse("2024Q3")


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


def test_a_column_of_mixed_types_is_read_as_cells_and_alone(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """fastexcel types each column from all its cells. A column that mixes types comes as the
    cell reader's values, that column alone (text loses what the cell said: a number cell or
    digits typed as text, all 17 digits of a float), and grades to the per-cell bytes."""
    import numpy as np
    import pyarrow as pa

    from amctl.data.sheets import read_sheet

    team = random_team(1200, seed=3)
    roster = team.roster_rows()
    roster[3][0] = 1234  # an id typed as a number among text ids
    roster[4][3] = 43800.0  # a start date as a serial among dates
    roster[5][5] = "88"  # an exam score typed as text
    roster[6][5] = True  # a yes/no where a number belongs
    perf = team.performance_rows()
    perf[20][3] = "NaN"  # fastexcel alone would read this as a number
    perf[30][4] = 100.0000000000001
    perf[40][5] = "  "  # only spaces: an empty cell, in a column still typed
    perf[50][1] = dt.datetime(2024, 1, 1)
    perf[1100][1] = "12.5"  # after the first 1,000 rows, where fastexcel stopped looking
    perf[1110][2] = "oops"
    ratings = team.ratings_rows()
    ratings[4000][3] = "九十"
    path = write_xlsx(tmp_path / "m.xlsx", {"花名册": roster, "业绩": perf, "能力评价": ratings})

    sheet = read_sheet(path, "业绩")
    assert sheet.body is not None
    grid = sheet.body(1)
    assert grid is not None  # read in columns, not cell by cell as a whole
    assert isinstance(grid.columns[0], pa.Array)  # the ids: text throughout, typed
    assert all(isinstance(grid.columns[c], np.ndarray) for c in (1, 2, 3))
    assert all(isinstance(grid.columns[c], pa.Array) for c in (4, 5, 6, 7))
    assert grid.columns[5][39].as_py() is None
    assert grid.columns[4][29].as_py() == 100.0000000000001  # all 17 digits kept

    result = grade_files(load_policy(DEFAULT_POLICY), path, Q3)
    said = [f.message for f in result.findings]
    assert any("oops" in m for m in said)  # not "is empty", and not silently blank
    assert any("九十" in m for m in said)
    fast = _csv_bytes(path, tmp_path / "fast.csv")
    monkeypatch.setattr(readers, "COLUMNAR", False)
    assert fast == _csv_bytes(path, tmp_path / "slow.csv")


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


def _ods_cell(value: Any) -> str:
    from xml.sax.saxutils import escape

    if value is None:
        return "<table:table-cell/>"
    if isinstance(value, bool):
        word = "true" if value else "false"
        return f'<table:table-cell office:value-type="boolean" office:boolean-value="{word}"/>'
    if isinstance(value, int | float):
        return f'<table:table-cell office:value-type="float" office:value="{value!r}"/>'
    if isinstance(value, dt.date):
        return (
            f'<table:table-cell office:value-type="date" office:date-value="{value.isoformat()}"/>'
        )
    return f'<table:table-cell office:value-type="string"><text:p>{escape(str(value))}</text:p></table:table-cell>'


def write_ods(path: Path, sheets: dict[str, list[list[Any]]]) -> Path:
    """An OpenDocument spreadsheet as LibreOffice writes its cells (no library writes one)."""
    import zipfile

    ns = (
        'xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0" '
        'xmlns:table="urn:oasis:names:tc:opendocument:xmlns:table:1.0" '
        'xmlns:text="urn:oasis:names:tc:opendocument:xmlns:text:1.0"'
    )
    body = "".join(
        f'<table:table table:name="{name}">'
        + "".join(
            "<table:table-row>" + "".join(map(_ods_cell, row)) + "</table:table-row>"
            for row in rows
        )
        + "</table:table>"
        for name, rows in sheets.items()
    )
    content = (
        f'<?xml version="1.0" encoding="UTF-8"?><office:document-content {ns}>'
        f"<office:body><office:spreadsheet>{body}</office:spreadsheet></office:body>"
        "</office:document-content>"
    )
    with zipfile.ZipFile(path, "w") as book:
        book.writestr("mimetype", "application/vnd.oasis.opendocument.spreadsheet")
        book.writestr("content.xml", content, zipfile.ZIP_DEFLATED)
        book.writestr("META-INF/manifest.xml", "<manifest/>")
    return path


def test_an_ods_workbook_is_taken_in_columns_and_grades_like_xlsx(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import numpy as np
    import pyarrow as pa

    from amctl.data.sheets import read_sheet

    team = random_team(400, seed=8)
    perf = team.performance_rows()
    perf[7][1] = "12.5"  # text among numbers: that column alone as cells
    sheets = {"花名册": team.roster_rows(), "业绩": perf, "能力评价": team.ratings_rows()}
    ods = write_ods(tmp_path / "r.ods", sheets)
    xlsx = write_xlsx(tmp_path / "r.xlsx", sheets)
    sheet = read_sheet(ods, "业绩")
    assert sheet.body is not None
    grid = sheet.body(1)
    assert grid is not None
    assert isinstance(grid.columns[1], np.ndarray) and isinstance(grid.columns[2], pa.Array)
    fast = _csv_bytes(ods, tmp_path / "fast.csv")
    assert fast == _csv_bytes(xlsx, tmp_path / "xlsx.csv")
    monkeypatch.setattr(readers, "COLUMNAR", False)
    assert fast == _csv_bytes(ods, tmp_path / "slow.csv")


def test_a_range_merged_across_the_header_edge_is_still_taken_in_columns(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from openpyxl import load_workbook

    from amctl.data.sheets import read_sheet

    team = random_team(60, seed=9)
    path = write_team(tmp_path / "m.xlsx", team)
    wb = load_workbook(path)
    wb["花名册"].merge_cells("I1:I4")  # a note column merged from its header into the data
    wb["花名册"]["I1"] = "备注"
    wb.save(path)
    sheet = read_sheet(path, "花名册")
    assert sheet.body is not None
    grid = sheet.body(1)
    assert grid is not None and [grid.columns[8][i].as_py() for i in range(4)] == [
        "备注",
        "备注",
        "备注",
        None,
    ]
    fast = _csv_bytes(path, tmp_path / "fast.csv")
    monkeypatch.setattr(readers, "COLUMNAR", False)
    assert fast == _csv_bytes(path, tmp_path / "slow.csv")


def _findings(path: Path) -> list[str]:
    result = grade_files(load_policy(DEFAULT_POLICY), path, Q3)
    return sorted(f"{f.location} {f.rule} {f.message}" for f in result.findings)


@pytest.mark.parametrize(
    ("sheet", "row", "col", "value"),
    [
        ("业绩", 5, 1, "N/A"),  # fastexcel alone reads these as an empty cell
        ("业绩", 5, 1, "null"),
        ("能力评价", 9, 2, "#NA"),  # a rating silently missing, before
        ("花名册", 5, 3, "N/A"),  # in a date column
        ("花名册", 5, 0, "\u2028合计"),  # a total whose id opens with a Unicode line break
        ("花名册", 5, 3, dt.time(12, 30)),  # a time of day where a date belongs
    ],
)
def test_a_cell_fastexcel_would_read_otherwise_reads_as_the_cell_reader_reads_it(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, sheet: str, row: int, col: int, value: Any
) -> None:
    """Cases a fuzz of the two readers found (after 1,000 random workbooks agreed)."""
    team = random_team(40, seed=5)
    sheets = {
        "花名册": team.roster_rows(),
        "业绩": team.performance_rows(),
        "能力评价": team.ratings_rows(),
    }
    sheets[sheet][row - 1][col] = value
    path = write_xlsx(tmp_path / "t.xlsx", sheets)
    fast = (_csv_bytes(path, tmp_path / "fast.csv"), _findings(path))
    monkeypatch.setattr(readers, "COLUMNAR", False)
    assert fast == (_csv_bytes(path, tmp_path / "slow.csv"), _findings(path))
    if isinstance(value, str) and value.isascii():
        assert any(value in f for f in fast[1])  # said at its cell, not read as empty


@pytest.mark.parametrize(
    ("header", "merge", "top"),
    [
        (
            ["员工编号", "姓名", "所属部门", "技能考试成绩", "任职日期"],
            "D5:E5",
            65,
        ),  # a number into dates
        (
            ["员工编号", "姓名", "所属部门", "服务农村", "技能考试成绩"],
            "D5:E5",
            False,
        ),  # yes/no into numbers
    ],
)
def test_a_merged_value_of_another_kind_than_its_column_is_not_converted(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, header: list[str], merge: str, top: Any
) -> None:
    from openpyxl import load_workbook

    team = random_team(40, seed=5)
    roster = team.roster_rows()
    order = [roster[0].index(h) for h in header]
    rest = [i for i in range(len(roster[0])) if i not in order]
    roster = [[r[i] for i in [*order, *rest]] for r in roster]
    if header[3] == "服务农村":
        roster = [[*r[:3], r[3] == "是" if i else r[3], *r[4:]] for i, r in enumerate(roster)]
    path = write_xlsx(
        tmp_path / "m.xlsx",
        {"花名册": roster, "业绩": team.performance_rows(), "能力评价": team.ratings_rows()},
    )
    wb = load_workbook(path)
    ws = wb["花名册"]
    ws[merge.split(":")[0]] = top
    ws.merge_cells(merge)
    wb.save(path)
    fast = (_csv_bytes(path, tmp_path / "fast.csv"), _findings(path))
    monkeypatch.setattr(readers, "COLUMNAR", False)
    assert fast == (_csv_bytes(path, tmp_path / "slow.csv"), _findings(path))
