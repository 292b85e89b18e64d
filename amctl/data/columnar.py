"""Large inputs read as whole typed columns (Arrow) instead of rows of Python cells.

Each reader gives the cells below the header column by column, or None when it cannot give
exactly what the straightforward reader gives (a column mixing numbers and text, a merged
range across the header's edge): the caller then reads the sheet cell by cell. So this path
is only ever faster, never different.
"""

from __future__ import annotations

import csv
import functools
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    import numpy as np
    import pyarrow as pa


@dataclass(frozen=True)
class Grid:
    """Cells column by column; `columns[c][i]` is the cell of grid row `start + i` (0-based,
    so sheet row `start + i + 1`) in grid column c (0 = column A)."""

    start: int
    columns: list[pa.Array]

    @property
    def height(self) -> int:
        return len(self.columns[0]) if self.columns else 0

    def blank_rows(self) -> np.ndarray:
        """True where every cell of the row is empty or white space."""
        import numpy as np
        import pyarrow as pa
        import pyarrow.compute as pc

        blank = np.ones(self.height, dtype=bool)
        for column in self.columns:
            empty = pc.is_null(column, nan_is_null=True)
            if pa.types.is_string(column.type) or pa.types.is_large_string(column.type):
                empty = pc.or_(empty, pc.equal(pc.utf8_trim_whitespace(column), ""))
            blank &= empty.fill_null(True).to_numpy(zero_copy_only=False)
        return blank


Body = Callable[[int], "Grid | None"]  # grid row of the first data row → its columns


def supported(column: pa.Array) -> bool:
    import pyarrow as pa

    t = column.type
    return bool(
        pa.types.is_null(t)
        or pa.types.is_boolean(t)
        or pa.types.is_integer(t)
        or pa.types.is_floating(t)
        or pa.types.is_string(t)
        or pa.types.is_large_string(t)
        or pa.types.is_timestamp(t)
        or pa.types.is_date(t)
    )


def _grid(start: int, arrays: list[Any]) -> Grid | None:
    import pyarrow as pa

    columns = []
    for array in arrays:
        column = array.combine_chunks() if isinstance(array, pa.ChunkedArray) else array
        if pa.types.is_dictionary(column.type):
            column = column.dictionary_decode()
        if not supported(column):
            return None
        columns.append(column)
    return Grid(start, columns)


Merged = list[tuple[tuple[int, int], tuple[int, int]]]  # ((row, col), (row, col)), 0-based


def xlsx_body(path: Path, sheet: str, merged: Merged) -> Body:
    """Typed columns of an xlsx sheet from a row on, each column one type throughout."""

    def body(start: int) -> Grid | None:
        if any(first[0] < start <= last[0] for first, last in merged):
            return None  # a merged range across the header's edge: the cell reader fills it
        grid = _load(start)
        below = [(first, last) for first, last in merged if first[0] >= start]
        return _filled(grid, below) if grid is not None and below else grid

    def _load(start: int) -> Grid | None:
        try:
            loaded = workbook(path).load_sheet(
                sheet, header_row=None, skip_rows=start, dtype_coercion="strict"
            )
            indexes = [c.absolute_index for c in loaded.selected_columns]
            batch = loaded.to_arrow()
        except Exception:  # a column of mixed types, or anything fastexcel will not read
            return None
        if any(_has_nan(column) for column in batch.columns):
            return None  # fastexcel reads the text "NaN" in a number column as a number
        return _placed(start, batch, indexes)

    return body


def _filled(grid: Grid, merged: Merged) -> Grid | None:
    """Merged ranges in the data (a 部门 merged down its people) show their value in every
    cell, as the person looking at them reads it; None when a value does not fit its
    column's type (the cell reader then takes the sheet)."""
    import pyarrow as pa

    lists: dict[int, list[Any]] = {}
    for (r0, c0), (r1, c1) in merged:
        top, bottom = r0 - grid.start, r1 - grid.start
        if top >= grid.height or c0 >= len(grid.columns):
            continue
        value = grid.columns[c0][top].as_py()
        for c in range(c0, min(c1, len(grid.columns) - 1) + 1):
            if c not in lists:  # each column turned into Python once, however many ranges
                lists[c] = grid.columns[c].to_pylist()
            cells = lists[c]
            cells[top : min(bottom, grid.height - 1) + 1] = [value] * (
                min(bottom, grid.height - 1) + 1 - top
            )
    columns = list(grid.columns)
    try:
        for c, cells in lists.items():
            columns[c] = pa.array(cells, type=columns[c].type)
    except (pa.ArrowInvalid, pa.ArrowTypeError, TypeError, ValueError):
        return None
    return Grid(grid.start, columns)


def _has_nan(column: Any) -> bool:
    import pyarrow as pa
    import pyarrow.compute as pc

    return pa.types.is_floating(column.type) and bool(pc.any(pc.is_nan(column)).as_py())


def _placed(start: int, batch: Any, indexes: list[int]) -> Grid | None:
    """fastexcel's columns start at the sheet's first used column; put each at its letter."""
    import pyarrow as pa

    if len(indexes) != batch.num_columns:
        return None
    width = max(indexes, default=-1) + 1
    arrays: list[Any] = [pa.nulls(batch.num_rows)] * width
    for index, column in zip(indexes, batch.columns, strict=True):
        arrays[index] = column
    return _grid(start, arrays)


def workbook(path: Path) -> Any:
    stat = path.stat()
    return _fastexcel(str(path.resolve()), stat.st_mtime_ns, stat.st_size)


@functools.lru_cache(maxsize=4)
def _fastexcel(path: str, mtime_ns: int, size: int) -> Any:
    """Once per file version (the key has its time and size: a rewritten file is read anew)."""
    import logging

    import fastexcel

    # it logs a warning for an all-empty column (read as text); an empty column is no news here
    logging.getLogger("fastexcel").setLevel(logging.ERROR)

    return fastexcel.read_excel(path)


def parquet_grid(path: Path) -> tuple[list[str], Grid]:
    """Column names (the header row) and the columns as grid rows 1 onwards; a column of a
    type the readers do not take (a decimal, a list) as its text."""
    import pyarrow as pa
    import pyarrow.parquet as pq

    table = pq.read_table(path)
    columns = []
    for array in table.columns:
        column = array.combine_chunks() if isinstance(array, pa.ChunkedArray) else array
        if pa.types.is_dictionary(column.type):
            column = column.dictionary_decode()
        if not supported(column):
            column = pa.array(
                [None if v is None else str(v) for v in column.to_pylist()], type=pa.string()
            )
        columns.append(column)
    return [str(c) for c in table.column_names], Grid(1, columns)


def csv_grid(content: str, dialect: Any, width: int) -> Grid | None:
    """Every cell as text, as the csv module reads it; None for dialects pyarrow reads
    differently (leading blanks skipped, rows of uneven length, blank lines)."""
    import pyarrow as pa
    import pyarrow.csv as pacsv

    if getattr(dialect, "skipinitialspace", False) or width == 0:
        return None
    names = [f"c{i}" for i in range(width)]
    try:
        table = pacsv.read_csv(
            pa.py_buffer(content.encode("utf-8")),
            read_options=pacsv.ReadOptions(column_names=names, block_size=64 * 1024**2),
            parse_options=pacsv.ParseOptions(
                delimiter=dialect.delimiter,
                quote_char=dialect.quotechar or False,
                double_quote=bool(dialect.doublequote),
                escape_char=dialect.escapechar or False,
                newlines_in_values=True,
                ignore_empty_lines=False,
            ),
            convert_options=pacsv.ConvertOptions(
                column_types=dict.fromkeys(names, pa.string()),
                strings_can_be_null=False,
                quoted_strings_can_be_null=False,
            ),
        )
    except (pa.ArrowInvalid, ValueError):
        return None
    return _grid(0, list(table.columns))


def text_grid(rows: list[list[str]]) -> Grid:
    """Rows of text (the csv module's) as columns, a short row padded with empty cells."""
    import pyarrow as pa

    width = max((len(r) for r in rows), default=0)
    columns = [
        pa.array([r[c] if c < len(r) else "" for r in rows], type=pa.string()) for c in range(width)
    ]
    return Grid(0, columns)


def csv_head(content: str, dialect: Any, rows: int) -> list[list[str]]:
    import io
    import itertools

    return [list(r) for r in itertools.islice(csv.reader(io.StringIO(content), dialect), rows)]
