"""Large inputs read as whole typed columns (Arrow) instead of rows of Python cells.

Each reader gives the cells below the header column by column. A column whose cells are not
all of one type (numbers with some typed as text, a date among numbers) comes as the cell
reader's own values (a numpy object array), that column alone, so each of its cells is
parsed by what it is. The reader gives None only when it cannot give exactly what the
straightforward reader gives (the two readers disagree on the sheet): the caller then reads
the sheet cell by cell, which says what is wrong. So this path is only ever faster, never
different.
"""

from __future__ import annotations

import csv
import datetime as dt
import functools
import itertools
import threading
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any, TypeAlias

from amctl.data import cells
from amctl.errors import unreadable

if TYPE_CHECKING:
    import numpy as np
    import pyarrow as pa


@dataclass(frozen=True)
class Grid:
    """Cells column by column; `columns[c][i]` is the cell of grid row `start + i` (0-based,
    so sheet row `start + i + 1`) in grid column c (0 = column A). A column is typed Arrow,
    or an object array of the cell reader's values when its cells mix types."""

    start: int
    columns: list[Column]

    @property
    def height(self) -> int:
        return len(self.columns[0]) if self.columns else 0

    def blank_rows(self) -> np.ndarray:
        """True where every cell of the row is empty or white space. The cheapest columns
        are looked at first (numbers, then Arrow text, then mixed cells), and each only over
        the rows still blank: after a column filled in every row, none is, and the rest are
        not read at all."""
        import numpy as np

        blank = np.ones(self.height, dtype=bool)
        rows = None  # every row
        for column in sorted(self.columns, key=_cost):
            if rows is None:
                blank &= _blank_column(column)
            else:
                blank[rows] = _blank_column(take(column, rows))
            rows = np.flatnonzero(blank)
            if not len(rows):
                break
        return blank


def _cost(column: Column) -> int:
    import numpy as np

    if isinstance(column, np.ndarray):
        return 2  # a Python test per text cell
    return 1 if _is_text(column) else 0


def _is_text(column: pa.Array) -> bool:
    import pyarrow as pa

    return bool(pa.types.is_string(column.type) or pa.types.is_large_string(column.type))


def _blank_column(column: Column) -> np.ndarray:
    import numpy as np
    import pyarrow.compute as pc

    if isinstance(column, np.ndarray):
        return _blank_cells(column)
    empty = pc.is_null(column, nan_is_null=True)
    if _is_text(column):
        empty = pc.or_(empty, pc.equal(pc.utf8_trim_whitespace(column), ""))
    blank: np.ndarray = empty.fill_null(True).to_numpy(zero_copy_only=False)
    return blank


def _blank_cells(values: np.ndarray) -> np.ndarray:
    """cells.is_blank over a column, with the per-cell test only for text that is not ''."""
    import numpy as np
    import pandas as pd

    blank = np.asarray(pd.isna(values) | (values == ""), dtype=bool)
    strings = np.fromiter(map(isinstance, values, itertools.repeat(str)), bool, len(values))
    text = np.flatnonzero(~blank & strings)
    blank[text] = [cells.is_blank(v) for v in values[text]]
    return blank


Column: TypeAlias = "pa.Array | np.ndarray"
Body = Callable[[int], "Grid | None"]  # grid row of the first data row → its columns
Rows = Callable[[], list[list[Any]]]  # every cell of a sheet, rows[i] its row i + 1


def value(column: Column, i: int) -> Any:
    """The Python value of one cell, whichever way its column is held."""
    import numpy as np

    return column[i] if isinstance(column, np.ndarray) else column[i].as_py()


def to_list(column: Column) -> list[Any]:
    import numpy as np

    if isinstance(column, np.ndarray):
        values: list[Any] = column.tolist()
        return values
    try:
        values = column.to_pylist()
    except (OverflowError, ValueError):  # a date or time Python cannot hold (the year 0)
        values = [_python(column, i) for i in range(len(column))]
    return values


def _python(column: Any, i: int) -> Any:
    """Cell i as Python's, or when Python cannot hold it (a date of the year 0 or 10000), as
    Arrow writes it, or its stored number: a text that is no date, said with its place."""
    import pyarrow as pa

    scalar = column[i]
    try:
        return scalar.as_py()
    except (OverflowError, ValueError):
        try:
            return scalar.cast(pa.string()).as_py()
        except (pa.ArrowException, OverflowError, ValueError):
            return str(scalar.value)  # days or units since 1970


def take(column: Column, rows: np.ndarray) -> Column:
    """The cells of `rows` (ascending, as np.flatnonzero gives them): the column itself when
    they are all of it, as they are in a sheet with no blank or total row."""
    import numpy as np
    import pyarrow as pa

    if len(rows) == len(column):
        return column
    return column[rows] if isinstance(column, np.ndarray) else column.take(pa.array(rows))


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


def xlsx_body(path: Path, sheet: str, merged: Merged, rows: Rows, *, mixed: bool = False) -> Body:
    """Typed columns of an xlsx sheet from a row on. fastexcel types each column from all
    its cells; when one mixes types, the cell reader's `rows` give that column's values.
    `mixed`: the guard saw a column of text and numbers (a number stored as text, Excel's
    green triangle), which fastexcel would refuse after reading the whole sheet."""

    def body(start: int) -> Grid | None:
        cells_read = functools.cache(rows)  # the whole sheet as cells: once, if at all
        if mixed or any(first[0] < start <= last[0] for first, last in merged):
            return from_cells(start, cells_read())  # a range across the header's edge: filled
        loaded = _load(start)
        if loaded is _MIXED:
            return from_cells(start, cells_read())  # merged ranges filled already
        if loaded is None or isinstance(loaded, str):
            return None
        below = [(first, last) for first, last in merged if first[0] >= start]
        return _filled(loaded, below, cells_read) if below else loaded

    def _load(start: int) -> Grid | str | None:
        import fastexcel

        try:  # every cell looked at, not a sample: a late text among numbers is seen
            loaded = workbook(path).load_sheet(
                sheet,
                header_row=None,
                skip_rows=start,
                dtype_coercion="strict",
                schema_sample_rows=None,
            )
            indexes = [c.absolute_index for c in loaded.selected_columns]
            batch = loaded.to_arrow()
        except fastexcel.UnsupportedColumnTypeCombinationError:
            return _MIXED
        except BaseException as exc:  # anything else fastexcel will not read (a panic too):
            if not unreadable(exc):  # the cell reader says why
                raise
            return None
        grid = _placed(start, batch, indexes)
        if grid is not None and any(_has_nan(column) for column in grid.columns):
            return _MIXED  # fastexcel reads the text "NaN" in a number column as a number
        if grid is not None and _hidden_text(workbook(path), start, grid):
            return _MIXED
        return grid

    def _hidden_text(book: Any, start: int, grid: Grid) -> bool:
        """fastexcel reads text like N/A, null or #NA in a number, date or yes/no column as
        an empty cell: such a column's empty cells are looked at again as text."""
        import pyarrow as pa
        import pyarrow.compute as pc

        columns: list[Any] = list(grid.columns)
        gaps = {
            c
            for c, column in enumerate(columns)
            if column.null_count
            and not (pa.types.is_null(column.type) or pa.types.is_string(column.type))
        }
        if not gaps:
            return False
        try:
            loaded = book.load_sheet(
                sheet,
                header_row=None,
                skip_rows=start,
                use_columns=lambda info: info.absolute_index in gaps,
                dtypes="string",
            )
            wanted = [c.absolute_index for c in loaded.selected_columns]
            texts = loaded.to_arrow()
        except BaseException as exc:
            if not unreadable(exc):
                raise
            return True  # the cell reader decides
        for c, text in zip(wanted, texts.columns, strict=True):
            hidden = pc.and_(
                pc.is_null(columns[c]), pc.not_equal(pc.utf8_trim_whitespace(text), "")
            )
            if pc.any(hidden).as_py():
                return True
        return False

    return body


_MIXED = "mixed"  # a column of the sheet holds cells of more than one type


def from_cells(start: int, rows: list[list[Any]]) -> Grid:
    """The cell reader's values from grid row `start` on, column by column: a column whose
    filled cells are all of one type becomes a typed Arrow column; any other keeps the
    cells as they are, so each is parsed by what it is."""
    import numpy as np

    body = rows[start:]
    width = max((len(r) for r in body), default=0)
    if all(len(r) == width for r in body):
        table = np.array(body, dtype=object).reshape(len(body), width)
    else:
        table = np.full((len(body), width), None, dtype=object)
        for i, row in enumerate(body):
            table[i, : len(row)] = row
    return Grid(start, [_typed(table[:, c]) for c in range(width)])


_ARROW = {float: "float64", int: "int64", str: "string", bool: "bool_", dt.date: "date32"}


def _typed(values: np.ndarray) -> Column:
    """One column of cells as Arrow when its filled cells share one type, else as they are."""
    import numpy as np
    import pandas as pd
    import pyarrow as pa

    blank = pd.isna(values) | (values == "")
    kinds = set(map(type, values[~blank]))
    if len(kinds) > 1:  # whole numbers among fractions too: an int over 2**53 stays exact
        return np.array(values)  # a copy: the whole sheet's cells are not kept alive
    kind = next(iter(kinds), None)
    if kind is dt.datetime:
        arrow_type = pa.timestamp("us")
    elif kind in _ARROW:
        arrow_type = getattr(pa, _ARROW[kind])()
    elif kind is None:
        return pa.nulls(len(values))
    else:
        return np.array(values)  # a time of day, a duration: the cell parser says what it is
    cleaned = values.copy()
    cleaned[blank] = None
    return pa.array(cleaned.tolist(), type=arrow_type)


def _cells_column(rows: list[list[Any]], start: int, c: int) -> np.ndarray:
    import numpy as np

    values = np.empty(len(rows) - start, dtype=object)
    values[:] = [row[c] if c < len(row) else None for row in rows[start:]]
    return values


def _filled(grid: Grid, merged: Merged, rows: Rows) -> Grid | None:
    """Merged ranges in the data (a 部门 merged down its people) show their value in every
    cell, as the person looking at them reads it. A column where the value does not fit the
    column's type is taken from the cell reader's `rows`, which are filled already."""
    import numpy as np
    import pyarrow as pa

    lists: dict[int, list[Any]] = {}
    fills: dict[int, list[Any]] = {}  # the values merged ranges put in each column
    for (r0, c0), (r1, c1) in merged:
        top, bottom = r0 - grid.start, r1 - grid.start
        if top >= grid.height or c0 >= len(grid.columns):
            continue
        first = value(grid.columns[c0], top)
        for c in range(c0, min(c1, len(grid.columns) - 1) + 1):
            column = grid.columns[c]
            if isinstance(column, np.ndarray):
                continue  # the cell reader's values: filled already
            if c not in lists:  # each column turned into Python once, however many ranges
                lists[c] = column.to_pylist()
            fills.setdefault(c, []).append(first)
            cells = lists[c]
            cells[top : min(bottom, grid.height - 1) + 1] = [first] * (
                min(bottom, grid.height - 1) + 1 - top
            )
    columns = list(grid.columns)
    for c, cells in lists.items():
        try:
            arrow_type = grid.columns[c].type  # type: ignore[union-attr]
            if any(not _fits(v, arrow_type) for v in fills.get(c, ())):
                raise TypeError("a merged value of another kind than its column's")
            columns[c] = pa.array(cells, type=arrow_type)
        except (pa.ArrowInvalid, pa.ArrowTypeError, TypeError, ValueError):
            every = rows()
            if len(every) - grid.start != grid.height:
                return None
            columns[c] = _cells_column(every, grid.start, c)
    return Grid(grid.start, columns)


def _fits(value: Any, arrow_type: Any) -> bool:
    """Whether Arrow would hold this value as itself, not converted (65 into a date, False
    into a number): what the cell reader would give for the cell, kept as it is."""
    import pyarrow as pa

    if value is None:
        return True
    if pa.types.is_floating(arrow_type) or pa.types.is_integer(arrow_type):
        return isinstance(value, int | float) and not isinstance(value, bool)
    if pa.types.is_string(arrow_type) or pa.types.is_large_string(arrow_type):
        return isinstance(value, str)
    if pa.types.is_boolean(arrow_type):
        return isinstance(value, bool)
    if pa.types.is_timestamp(arrow_type) or pa.types.is_date(arrow_type):
        return isinstance(value, dt.date)
    return False


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
    return _fastexcel(str(path.resolve()), stat.st_mtime_ns, stat.st_size, threading.get_ident())


@functools.lru_cache(maxsize=4)
def _fastexcel(path: str, mtime_ns: int, size: int, thread: int) -> Any:
    """Once per file version (the key has its time and size: a rewritten file is read anew)
    and thread: a reader is not for two threads at once, and two sheets of a workbook may be
    read side by side (inputs.build_inputs)."""
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

    # the file's own reader gives a column as one chunk as a rule; read_table's dataset scan
    # cuts 128k-row batches, and joining them copies each column into fresh memory (a second
    # at a million rows)
    table = pq.ParquetFile(path).read()
    columns = []
    for array in table.columns:
        column = array.chunk(0) if array.num_chunks == 1 else array.combine_chunks()
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
