"""csv and parquet from columns, by pyarrow: a million rows in seconds, with no Python loop
over the cells of a plain column.

The csv keeps the bytes the csv module wrote before: UTF-8 with a BOM (Excel shows Chinese
text only with it), CRLF line ends, a field quoted only when it holds a comma, a quote or a
line break, floats as Python prints them (`100.0`, `1e-05`). pyarrow's own csv writer quotes
every text field or none, so the lines are put together with pyarrow.compute and written from
its buffers. Text that a spreadsheet would run as a formula gets its apostrophe in both
formats (`safe.neutralised`); parquet keeps each column's type, money as exact decimals.
"""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path
from typing import TYPE_CHECKING, Any

import numpy as np
import pandas as pd

from amctl.export.safe import held, neutralise, neutralised, rows_with, text_body
from amctl.export.table import Kind, Table, Tick, clean, kind

if TYPE_CHECKING:
    import pyarrow as pa

    from amctl.engine.amounts import Amounts

BATCH = 10_000  # rows put together and written at once: a progress tick each
PLAIN = ("bool", "int", "float", "money")  # kinds whose text has no comma, quote or line end
_SAMPLE = 10_000  # a column's first rows, to tell whether its values repeat


def _s(text: str) -> pa.Scalar:
    import pyarrow as pa

    return pa.scalar(text, pa.large_string())


def _arrow(column: pd.Series, how: Kind) -> pa.Array:
    import pyarrow as pa

    if how == "text":
        if isinstance(column.dtype, pd.StringDtype) and column.dtype.storage == "pyarrow":
            array = pa.array(column.array)  # Arrow's already: in chunks, if pandas joined some
            if isinstance(array, pa.ChunkedArray):
                array = array.combine_chunks()
            return array.cast(pa.large_string())
        return pa.array(column.to_numpy(dtype=object), type=pa.large_string(), from_pandas=True)
    return pa.array(column, from_pandas=True)


class _Floats:
    """A float column's text (`_printed`) batch by batch. Where values repeat (a score with
    one decimal: a few hundred in a million rows), each distinct value is printed once for
    the whole column and a batch takes its rows' texts by code; told apart by their bits, so
    -0.0 is not printed as 0.0. A column of mostly distinct values, known from its first
    rows, is printed a batch at a time without being hashed."""

    def __init__(self, column: pd.Series) -> None:
        import pyarrow as pa

        values = np.ascontiguousarray(column.to_numpy(dtype=float, na_value=np.nan))
        self.values, self.codes, self.texts = values, None, None
        found = _repeating(values.view(np.int64))
        if found is not None:
            codes, distinct = found
            self.codes = pa.array(codes.astype(np.int32))
            self.texts = _printed(distinct.view(np.float64))

    def __call__(self, start: int, stop: int) -> pa.Array:
        if self.texts is None or self.codes is None:
            return _printed(self.values[start:stop])
        return self.texts.take(self.codes.slice(start, stop - start))


def _coded(column: pd.Series) -> tuple[pa.Array, pa.Array] | None:
    """A text column's csv text (neutralised, quoted) as codes into its distinct texts, where
    values repeat (levels, bands, their labels: a few words over a million rows): each text
    converted, neutralised and quoted once for the whole column, not once a batch; an empty
    cell is an empty field. None for a column of mostly distinct values (names), known from
    its first rows, or one Arrow holds already: converted a batch at a time, not hashed."""
    import pyarrow as pa

    if isinstance(column.dtype, pd.StringDtype):
        return None
    found = _repeating(column.to_numpy(dtype=object))
    if found is None:
        return None
    codes, distinct = found  # a blank cell (None, NaN, NA): -1, the null last below
    codes[codes < 0] = len(distinct)
    words = pa.array([*distinct, None], type=pa.large_string())
    small = np.min_scalar_type(len(distinct))  # a byte a row for a few hundred texts
    return pa.array(codes.astype(small)), _quoted(neutralised(words))


def _repeating(values: np.ndarray) -> tuple[np.ndarray, np.ndarray] | None:
    """Each value's code and the distinct values, where values repeat (at most half of them
    distinct); None for mostly distinct values, known from the first rows without hashing
    the whole column."""
    if 2 * len(pd.unique(values[:_SAMPLE])) > min(len(values), _SAMPLE):
        return None
    codes, distinct = pd.factorize(values)
    return (codes, distinct) if 2 * len(distinct) <= len(values) else None


def _printed(values: np.ndarray) -> pa.Array:
    """Floats as Python's repr prints them (what the csv module wrote). Arrow prints the
    same shortest digits as Python for 1e-4 ≤ |x| < 1e10 but drops a whole number's `.0`;
    the few values outside that range are printed by Python."""
    import pyarrow as pa
    import pyarrow.compute as pc

    text = pc.cast(pa.array(values, from_pandas=True), pa.large_string())
    size = np.abs(values)
    with np.errstate(invalid="ignore"):
        ordinary = ((size >= 1e-4) & (size < 1e10)) | (values == 0)
        whole = ordinary & (np.floor(values) == values)
    point = pc.binary_join_element_wise(text, _s(".0"), _s(""))
    text = pc.if_else(pa.array(whole), point, text)
    odd = np.flatnonzero(~ordinary & ~np.isnan(values))
    if len(odd):
        fixed = text.to_pylist()
        for i in odd:
            fixed[i] = repr(float(values[i]))
        text = pa.array(fixed, type=pa.large_string())
    return text


def _text(column: pd.Series, how: Kind) -> pa.Array:
    """One column as the csv's text: what the csv module printed for each cell, nulls where
    the cell was empty; text cells neutralised, numbers never."""
    import pyarrow as pa
    import pyarrow.compute as pc

    if how == "bool":
        return pc.if_else(_arrow(column, how), "True", "False").cast(pa.large_string())
    if how == "int":
        return pc.cast(_arrow(column, how), pa.large_string())
    if how == "float":
        return _Floats(column)(0, len(column))
    if how == "text":
        return neutralised(_arrow(column, how))
    if how == "money":  # str(Decimal) as written: arrow's decimals would pad 1.5 to 1.50
        values = column.to_numpy(dtype=object)  # a Decimal NaN is written NaN, as `clean` has it
        if set(map(type, values)) == {Decimal}:  # every amount there: no test of each for NA
            return pa.array(list(map(str, values)), type=pa.large_string())
        return pa.array(
            [str(v) if isinstance(v, Decimal) or not pd.isna(v) else None for v in values],
            pa.large_string(),
        )
    cells = [clean(v) for v in column]  # mixed or money: each cell as the csv module printed it
    return pa.array(
        [None if v is None else neutralise(v) if isinstance(v, str) else str(v) for v in cells],
        type=pa.large_string(),
    )


def _kind(table: Table, name: Any) -> Kind:
    """A late column is text (see Table.late), one with its amounts money; any other, as its
    values say."""
    if name in table.late:
        return "text"
    return "money" if name in table.amounts else kind(table.frame[name])


def _quoted(text: pa.Array) -> pa.Array:
    """Quoted as the csv module quotes (QUOTE_MINIMAL with CRLF line ends): only a field with
    a comma, a quote, CR or LF, its quotes doubled; an empty cell is an empty field."""
    import pyarrow as pa
    import pyarrow.compute as pc

    present = held(text, ',"\r\n')
    if not present:  # most columns: no field to quote
        return pc.fill_null(text, "") if text.null_count else text
    needs = rows_with(text, present)
    doubled = pc.replace_substring(text, '"', '""') if '"' in present else text
    quoted = pc.binary_join_element_wise(_s('"'), doubled, _s('"'), _s(""))
    if needs.all():  # reasons in English: every row has a comma, none is empty
        return quoted
    return pc.fill_null(pc.if_else(pa.array(needs), quoted, text), "")


def _sliced(text: pa.Array, start: int, length: int) -> pa.Array:
    """Rows of a column's text made already (amounts: no comma, quote or line end)."""
    import pyarrow as pa
    import pyarrow.compute as pc

    return pc.fill_null(text.slice(start, length).cast(pa.large_string()), "")


def write_csv(path: Path, table: Table, tick: Tick) -> None:
    """A batch of rows at a time: each column as text, quoted where needed, joined into lines
    and written from Arrow's buffer; a progress tick after each batch."""
    import pyarrow as pa
    import pyarrow.compute as pc

    frame = table.frame
    kinds = [_kind(table, c) for c in frame.columns]
    header = ",".join(_quoted(pa.array(table.columns, pa.large_string())).to_pylist())
    header = '""' if header == "" and len(table.columns) == 1 else header
    total, width = len(frame), len(frame.columns)
    floats = {
        c: _Floats(frame[c])
        for c, how in zip(frame.columns, kinds, strict=True)
        if how == "float" and c not in table.amounts
    }
    coded = {
        c: found
        for c, how in zip(frame.columns, kinds, strict=True)
        if how == "text" and c not in table.late and (found := _coded(frame[c])) is not None
    }
    with path.open("wb") as fh, table.ahead() as table:
        fh.write(("\ufeff" + header + "\r\n").encode("utf-8"))
        for start in range(0, total, BATCH):
            part, made = table.batch(start, start + BATCH)
            rows = min(BATCH, total - start)
            fields = [
                _sliced(table.amounts[c].text, start, rows)
                if c in table.amounts
                else pc.fill_null(floats[c](start, start + rows), "")
                if c in floats
                else coded[c][1].take(coded[c][0].slice(start, rows))
                if c in coded
                else pc.fill_null(_text(part[c], how), "")
                if how in PLAIN
                else _quoted(neutralised(made[c]) if c in made else _text(part[c], how))
                for c, how in zip(frame.columns, kinds, strict=True)
            ]
            if width == 1:  # a line of one empty field is "", or it would be no line
                lines = pc.if_else(pc.equal(fields[0], _s("")), _s('""'), fields[0])
                lines = pc.binary_join_element_wise(lines, _s(""), _s("\r\n"))
                fh.write(text_body(lines))
            else:  # a line ends where the next begins: its first field (not the line) copied
                head = pc.binary_join_element_wise(_s("\r\n"), fields[0], _s(""))
                lines = pc.binary_join_element_wise(head, *fields[1:], _s(","))
                fh.write(text_body(lines)[2 if start == 0 else 0 :])
            tick(min(start + BATCH, total), total)
        if total and width > 1:
            fh.write(b"\r\n")  # the last line's end
        tick(total, total)


def _money(column: pd.Series, made: Amounts | None = None) -> pa.Array:
    """Money as decimal128 at the scale of its most precise value: exact, and converted from
    Python's decimals once (16 bytes a value), or from their whole numbers when `made`, to be
    sliced batch by batch."""
    import pyarrow as pa

    decimals = None if made is None else made.decimals()
    if decimals is not None:
        return decimals
    exact = None if made is None else made.exact()  # the frame may hold only their text
    values = column.to_numpy(dtype=object) if exact is None else exact
    money = pa.array(values, from_pandas=True)
    return money.cast(pa.decimal128(38, max(money.type.scale, 0)))


def _parquet(column: pd.Series, how: Kind) -> pa.Array:
    """One batch of a column with its parquet type: text (neutralised), whole numbers,
    floats, booleans; mixed values as their csv text."""
    import pyarrow as pa

    if how in ("bool", "float"):
        return _arrow(column, how)
    if how == "int":
        return _arrow(column, how).cast(pa.int64())
    return _text(column, how).cast(pa.string())


def write_parquet(path: Path, table: Table, tick: Tick) -> None:
    """A row group per batch of rows, so the columns are never all converted at once; zstd,
    no pandas metadata and no timestamp: the same table gives the same bytes."""
    import pyarrow as pa
    import pyarrow.parquet as pq

    frame = table.frame
    kinds = [_kind(table, c) for c in frame.columns]
    money = {
        c: _money(frame[c], table.amounts.get(c))
        for c, how in zip(frame.columns, kinds, strict=True)
        if how == "money"
    }
    empty = frame.iloc[:0]
    types = [
        money[c].type if c in money else _parquet(empty[c], how).type
        for c, how in zip(frame.columns, kinds, strict=True)
    ]
    schema = pa.schema([pa.field(str(c), t) for c, t in zip(frame.columns, types, strict=True)])
    total = len(frame)
    with pq.ParquetWriter(path, schema, compression="zstd") as writer, table.ahead() as table:
        for start in range(0, total, BATCH):
            part, made = table.batch(start, start + BATCH)
            arrays = [
                money[c].slice(start, min(BATCH, total - start))
                if c in money
                else neutralised(made[c]).cast(pa.string())
                if c in made
                else _parquet(part[c], how)
                for c, how in zip(frame.columns, kinds, strict=True)
            ]
            writer.write_table(pa.Table.from_arrays(arrays, schema=schema))
            tick(min(start + BATCH, total), total)
    tick(total, total)
