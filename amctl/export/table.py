"""A result's tables as columns: what csv, parquet and the workbook's sheets are written from.

Columns rather than rows, so a writer treats a column once (its kind, its format, its width,
the formula guard over all its text) instead of every cell in Python; json and the small
sheets still read rows (`Table.rows`).
"""

from __future__ import annotations

import contextlib
import math
from collections.abc import Callable, Iterator, Mapping, Sequence
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass, field, replace
from decimal import Decimal
from typing import TYPE_CHECKING, Any, Literal

import pandas as pd

from amctl.labels import says

if TYPE_CHECKING:
    import pyarrow as pa

    from amctl.engine.amounts import Amounts

Rows = tuple[list[str], list[list[Any]]]
LATE = 25_000  # rows whose late columns are made at once: few calls, bounded memory
Tick = Callable[[int, int], None]  # rows written so far, rows in all: for a progress bar
Kind = Literal["bool", "int", "float", "text", "money", "cells"]


def silent(done: int, total: int) -> None:
    """No progress bar."""


def clean(value: Any) -> Any:
    """Plain Python values: None for every kind of missing, numbers unboxed, reasons joined."""
    if isinstance(value, list):  # reasons: in English, the words scripts see
        return says(value)
    if value is None or value is pd.NA or (isinstance(value, float) and math.isnan(value)):
        return None
    if hasattr(value, "item"):  # numpy scalars
        value = value.item()
    return value


@dataclass(frozen=True)
class Table:
    """Named columns of one length (a DataFrame's, index left out) and, for a printed sheet,
    its totals row, kept apart from the rows so that filters and sorting never move it."""

    frame: pd.DataFrame
    total: Sequence[Any] | None = None
    # columns whose text is made for the rows being written, a batch at a time (a million
    # managers' reasons): rows [start, stop) → their text as Arrow (null: none); the frame
    # holds text or None
    late: Mapping[str, Callable[[int, int], pa.Array]] = field(default_factory=dict)
    # money columns whose text and whole numbers are made already (a payroll's amounts, made
    # once a run: engine.amounts): the frame's Decimals as the csv module prints them
    amounts: Mapping[str, Amounts] = field(default_factory=dict)
    _made: dict[str, tuple[int, pa.Array]] = field(default_factory=dict, repr=False)
    _columns: dict[Any, pd.Series] = field(default_factory=dict, repr=False)  # see batch

    def __post_init__(self) -> None:
        assert all(len(a) == len(self.frame) for a in self.amounts.values())  # its own rows'

    @classmethod
    def of(cls, table: Rows, *, total: bool = False) -> Table:
        """A small table built row by row (quotas, findings, the run's facts); with `total`,
        its last row is the totals row. Cells keep their Python types (object columns)."""
        columns, rows = table
        body = rows[:-1] if total and rows else rows
        frame = pd.DataFrame(body, columns=columns, dtype=object)
        return cls(frame, rows[-1] if total and rows else None)

    @property
    def columns(self) -> list[str]:
        return [str(c) for c in self.frame.columns]

    def __len__(self) -> int:
        return len(self.frame)

    def part(self, start: int, stop: int) -> pd.DataFrame:
        """Rows [start, stop) with their late columns made: LATE rows at a time, kept until
        the rows asked for move past them (a writer asks batch after batch, in order)."""
        part = self.frame.iloc[start:stop]
        made = {name: self._late(name, start, start + len(part)) for name in self.late}
        if not made:
            return part
        return part.assign(
            **{k: pd.Series(v.to_pylist(), index=part.index, dtype=object) for k, v in made.items()}
        )

    def batch(self, start: int, stop: int) -> tuple[Mapping[Any, pd.Series], dict[str, pa.Array]]:
        """`part` a column at a time, its late columns apart as they are made (Arrow text,
        null for no text): what csv and parquet write with no Python string per row."""
        stop = min(stop, len(self.frame))
        if not self._columns:
            self._columns.update((name, self.frame[name]) for name in self.frame.columns)
        part = _Slices(self._columns, start, stop)
        return part, {name: self._late(name, start, stop) for name in self.late}

    def _late(self, name: str, start: int, stop: int) -> pa.Array:
        """A late column's rows [start, stop), each row made once while the rows asked for
        move on in order (the rows already made before `start` let go)."""
        import pyarrow as pa

        first, values = self._made.get(name, (start, None))
        if values is None or not first <= start <= first + len(values):
            first, values = start, pa.array([], pa.large_string())
        end = first + len(values)
        if stop > end:
            more = self.late[name](end, max(stop, min(end + LATE, len(self.frame))))
            more = more.cast(pa.large_string())  # one type whatever the column's maker gave
            rest = values.slice(start - first)  # none, when the batches meet the rows made
            values = pa.concat_arrays([rest, more]) if len(rest) else more
            first = start
            self._made[name] = (first, values)
        return values.slice(start - first, stop - start)

    @contextlib.contextmanager
    def ahead(self) -> Iterator[Table]:
        """This table, each late column's next rows made in a second thread while the writer
        writes the rows before them: the wording is mostly Arrow's work, and so is the
        writer's, which both let the GIL go. The worker is stopped when the writing ends, the
        block it is on finished first. A table of one block of rows or none late is itself."""
        if not self.late or len(self.frame) <= LATE:
            yield self
            return
        worker = ThreadPoolExecutor(max_workers=1, thread_name_prefix="amctl-late")
        try:
            size = len(self.frame)
            late = {name: _Ahead(make, worker, size) for name, make in self.late.items()}
            yield replace(self, late=late, _made={}, _columns={})
        finally:
            worker.shutdown(wait=True, cancel_futures=True)

    def rows(self) -> Rows:
        """Clean rows, the totals row last: for json, which scripts read record by record."""
        whole = self.part(0, len(self.frame))
        rows = [[clean(v) for v in rec] for rec in whole.itertuples(index=False)]
        if self.total is not None:
            rows.append([clean(v) for v in self.total])
        return self.columns, rows


class _Ahead:
    """A late column's maker that, asked for rows [start, stop), begins as many rows after
    them in the worker: `Table._late` asks block after block of one size, in order. Rows
    asked for that were not begun (a writer going back) are made here, as without it."""

    def __init__(
        self, make: Callable[[int, int], pa.Array], worker: ThreadPoolExecutor, size: int
    ) -> None:
        self.make, self.worker, self.size = make, worker, size
        self.next: tuple[int, int, Future[pa.Array]] | None = None

    def __call__(self, start: int, stop: int) -> pa.Array:
        begun, self.next = self.next, None
        if begun is not None and begun[:2] == (start, stop):
            made = begun[2].result()  # its failure raised here, as if made here
        else:
            if begun is not None:
                begun[2].cancel()
            made = self.make(start, stop)
        if stop < self.size:
            after = (stop, min(2 * stop - start, self.size))
            self.next = (*after, self.worker.submit(self.make, *after))
        return made


class _Slices(Mapping[Any, pd.Series]):
    """A batch's rows of each column, each sliced alone and only when asked for: slicing a
    frame of forty columns of many kinds cost more than writing some of them, and a writer
    takes most columns from what it made for the whole column (amounts, floats, repeated
    texts)."""

    def __init__(self, columns: Mapping[Any, pd.Series], start: int, stop: int) -> None:
        self._columns, self._start, self._stop = columns, start, stop

    def __getitem__(self, name: Any) -> pd.Series:
        return self._columns[name].iloc[self._start : self._stop]

    def __iter__(self) -> Iterator[Any]:
        return iter(self._columns)

    def __len__(self) -> int:
        return len(self._columns)


def kind(column: pd.Series) -> Kind:
    """How a column is written, from its dtype, or for an object column from the types of its
    values: pandas' `infer_dtype` (a pass in C) for text and money, else one pass of
    `map(type)`, no per-cell Python of ours."""
    dtype = column.dtype
    if pd.api.types.is_bool_dtype(dtype):
        return "bool"
    if pd.api.types.is_integer_dtype(dtype):
        return "int"
    if pd.api.types.is_float_dtype(dtype):
        return "float"
    if isinstance(dtype, pd.StringDtype):
        return "text"
    inferred = pd.api.types.infer_dtype(column, skipna=True)
    if inferred in ("string", "empty"):
        return "text"
    if inferred == "decimal":
        return "money"
    present = column[column.notna()]
    types = set(map(type, present))
    if types <= {str}:
        return "text"
    if types == {Decimal}:
        return "money"
    return "cells"


def stacked(top: pd.DataFrame, below: pd.DataFrame) -> pd.DataFrame:
    """`below` (a few rows, missing most cells) under `top`, each column keeping its kind:
    whole numbers stay whole (nullable integers), not floats that a csv would print as 16.0."""
    if below.empty:
        return top.reset_index(drop=True)
    top = top.copy(deep=False)  # the columns changed below are new; the rest shared, not copied
    for name in top.columns:
        if pd.api.types.is_integer_dtype(top[name].dtype) and below[name].isna().any():
            top[name] = top[name].astype("Int64")
        elif pd.api.types.is_bool_dtype(top[name].dtype):
            top[name] = top[name].astype(object)
    below = below.astype(
        {name: top[name].dtype for name in below.columns if below[name].isna().all()}
    )
    return pd.concat([top, below], ignore_index=True)


def records(table: Table | Rows) -> list[dict[str, Any]]:
    columns, rows = table.rows() if isinstance(table, Table) else table
    return [dict(zip(columns, row, strict=True)) for row in rows]
