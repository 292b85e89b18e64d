"""The columnar grid: whole-column checks that must agree with the cell-by-cell meaning."""

from __future__ import annotations

import random
import re
import zipfile
from pathlib import Path

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc
import pytest

from amctl.data import cells, columnar
from amctl.data.columnar import Grid
from amctl.data.sheets import _guarded, read_sheet
from tests.helpers import spy


def _every_column_whole(grid: Grid) -> np.ndarray:
    """blank_rows as it was: every column looked at over every row."""
    blank = np.ones(grid.height, dtype=bool)
    for column in grid.columns:
        if isinstance(column, np.ndarray):
            blank &= np.array([_blank(v) for v in column], dtype=bool)
            continue
        empty = pc.is_null(column, nan_is_null=True)
        if pa.types.is_string(column.type):
            empty = pc.or_(empty, pc.equal(pc.utf8_trim_whitespace(column), ""))
        blank &= empty.fill_null(True).to_numpy(zero_copy_only=False)
    return blank


def _blank(value: object) -> bool:
    if value is None or (isinstance(value, float) and value != value):
        return True
    return isinstance(value, str) and cells.is_blank(value)


TEXT = [None, "", " ", "\u3000", "张三", "KM0001", " x "]
NUMBERS = [None, float("nan"), 0.0, 1.5]
MIXED = [None, "", "  ", 3, 2.5, float("nan"), "合计", "\t"]


@pytest.mark.parametrize("seed", range(40))
def test_blank_rows_looks_only_at_rows_still_blank_and_agrees_with_every_column(
    seed: int,
) -> None:
    rng = random.Random(seed)
    n = rng.choice([0, 1, 7, 50])
    fill = rng.random()  # from a column filled in every row to one mostly blank

    def pick(choices: list[object], blank: list[object]) -> object:
        return rng.choice(choices) if rng.random() < fill else rng.choice(blank)

    columns: list[object] = []
    for _ in range(rng.randint(1, 5)):
        kind = rng.choice(["text", "number", "mixed"])
        if kind == "text":
            columns.append(pa.array([pick(TEXT, [None, "", " "]) for _ in range(n)], pa.string()))
        elif kind == "number":
            values = [pick(NUMBERS, [None]) for _ in range(n)]
            columns.append(pa.array(values, pa.float64(), from_pandas=False))
        else:
            cells_ = np.empty(n, dtype=object)
            cells_[:] = [pick(MIXED, [None, "", "  "]) for _ in range(n)]
            columns.append(cells_)
    grid = Grid(0, columns)  # type: ignore[arg-type]
    assert grid.blank_rows().tolist() == _every_column_whole(grid).tolist()


def test_a_row_blank_in_its_first_column_is_blank_only_if_the_rest_are() -> None:
    ids = pa.array(["KM1", None, " ", None, "KM5"], pa.string())
    sales = pa.array([1.0, None, 2.0, float("nan"), None], pa.float64(), from_pandas=False)
    notes = np.array([None, "\u3000", None, "备注", ""], dtype=object)
    grid = Grid(0, [ids, sales, notes])
    assert grid.blank_rows().tolist() == [False, True, False, False, False]


def test_a_parquet_file_of_many_row_groups_reads_as_one_column_each(tmp_path):
    """parquet_grid joins a file's row groups into one array per column (a dictionary column
    decoded), each cell where pyarrow's own reader puts it."""
    import pyarrow.parquet as pq

    from amctl.data.columnar import parquet_grid

    n = 2_500
    table = pa.table(
        {
            "员工编号": [f"E{i:05d}" for i in range(n)],
            "部门": pa.array([["一部", "二部", None][i % 3] for i in range(n)]).dictionary_encode(),
            "分数": [float(i % 97) if i % 11 else None for i in range(n)],
        }
    )
    path = tmp_path / "roster.parquet"
    pq.write_table(table, path, row_group_size=1_000)
    assert pq.ParquetFile(path).metadata.num_row_groups == 3
    names, grid = parquet_grid(path)
    assert names == ["员工编号", "部门", "分数"]
    assert [type(c) for c in grid.columns] == [pa.StringArray, pa.StringArray, pa.DoubleArray]
    for column, expected in zip(grid.columns, table.columns, strict=True):
        assert column.to_pylist() == expected.to_pylist()


def _numbers_book(path: Path, text_at: int | None) -> Path:
    """A header, then 150 rows of an id and a number; the number at row `text_at` (1-based)
    stored as text, as Excel's green triangle marks it."""
    import xlsxwriter

    book = xlsxwriter.Workbook(str(path))
    sheet = book.add_worksheet("业绩")
    sheet.write_row(0, 0, ["工号", "销售额"])
    for r in range(1, 151):
        sheet.write_string(r, 0, f"E{r:04d}")
        if r + 1 == text_at:
            sheet.write_string(r, 1, f"{r}.5")
        else:
            sheet.write_number(r, 1, r + 0.5)
    book.close()
    return path


def test_a_number_stored_as_text_below_the_head_is_read_by_the_cell_reader_at_once(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The guard saw text and numbers in one column, from row 100 on: fastexcel, which would
    read the whole sheet and then refuse it, is not asked; the cells are what they are."""
    path = _numbers_book(tmp_path / "mixed.xlsx", text_at=120)
    assert _guarded(path).all()["业绩"].mixed

    def refused(*_: object) -> None:
        raise AssertionError("fastexcel was asked")

    monkeypatch.setattr(columnar, "workbook", refused)
    sheet = read_sheet(path, "业绩")
    assert sheet.body is not None
    grid = sheet.body(1)
    assert grid is not None
    amounts = grid.columns[1]
    assert isinstance(amounts, np.ndarray)  # the cells as they are: a float, or the text
    assert amounts[118] == "119.5" and amounts[117] == 118.5


@pytest.mark.parametrize("text_at", [None, 50])
def test_numbers_alone_below_the_head_go_to_fastexcel(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, text_at: int | None
) -> None:
    """Numbers only, or text among them only above row 100 (where a head may be): the typed
    reader is asked, as before (and refuses the second, which the cell reader then reads)."""
    path = _numbers_book(tmp_path / f"numbers{text_at}.xlsx", text_at=text_at)
    assert not _guarded(path).all()["业绩"].mixed
    asked = spy(monkeypatch, columnar, "workbook")
    body = read_sheet(path, "业绩").body
    assert body is not None
    grid = body(1)
    assert asked and grid is not None
    assert isinstance(grid.columns[1], np.ndarray) == (text_at is not None)


def test_a_workbook_under_a_prefix_is_read_in_columns_from_its_head(tmp_path: Path) -> None:
    """Tags written <x:row>, <x:c> (the Open XML SDK's way): the head is found in the guard's
    first rows and the body read typed, as for the same workbook without the prefix."""
    plain = _numbers_book(tmp_path / "plain.xlsx", text_at=None)
    prefixed = tmp_path / "prefixed.xlsx"
    with zipfile.ZipFile(plain) as source, zipfile.ZipFile(prefixed, "w") as target:
        for info in source.infolist():
            data = source.read(info)
            if info.filename.startswith("xl/worksheets/"):
                data = data.replace(b'xmlns="', b'xmlns:x="')
                data = re.sub(rb"<(/?)(?=[A-Za-z])", rb"<\1x:", data)
            target.writestr(info.filename, data)
    plain_sheet, prefixed_sheet = (read_sheet(path, "业绩") for path in (plain, prefixed))
    assert prefixed_sheet.rows == plain_sheet.rows  # the head rows only: peek read them
    assert plain_sheet.body is not None and prefixed_sheet.body is not None
    plain_grid, prefixed_grid = plain_sheet.body(1), prefixed_sheet.body(1)
    assert plain_grid is not None and prefixed_grid is not None
    assert [str(c) for c in prefixed_grid.columns] == [str(c) for c in plain_grid.columns]
