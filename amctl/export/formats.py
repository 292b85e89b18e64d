"""Tables to files: csv, parquet, json and xlsx with deterministic bytes, written safely.

A result module builds an `Export` (its flat table, json document and xlsx sheets); `write`
picks the format by the output's suffix and writes it atomically, never over an input.
"""

from __future__ import annotations

import datetime as dt
import json
import uuid
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from decimal import Decimal
from json.encoder import encode_basestring
from pathlib import Path
from typing import Any, BinaryIO

import pandas as pd

from amctl.export.safe import atomic_write, check_suffix, check_target
from amctl.export.table import Table, Tick, clean, kind, records, silent
from amctl.messages import said, say

FORMATS = (".csv", ".json", ".parquet", ".xlsx")
LARGE_XLSX = 200_000  # rows of a sheet above which csv or parquet is the sane output


@dataclass(frozen=True)
class Export:
    """What one result looks like in each format; built lazily, only for the format asked.

    `flat` is the one table of csv and parquet; `title` turns a column or sheet key into the
    header people read (Chinese or English); csv, parquet and json keep the keys, which
    scripts rely on. `lang` words what is said about the file.
    """

    flat: Callable[[], Table]
    json: Callable[[], dict[str, Any]]
    sheets: Callable[[], Sequence[tuple[str, Table]]]
    title: Callable[[str], str] = str
    show: Callable[[str, Any], Any] = lambda key, value: value  # a cell as people read it
    heading: str = ""  # above every sheet: whose rules, which period, which version
    lang: str = "en"


def frame_table(frame: pd.DataFrame) -> Table:
    """A DataFrame, its index as the first columns."""
    return Table(frame.reset_index())


def preflight(
    out: Path, inputs: Sequence[Path | None], *, force: bool, formats: Sequence[str] = FORMATS
) -> None:
    """Refuse a bad output before the work: a wrong suffix, a missing folder, an input."""
    check_suffix(out, formats)
    check_target(out, [p for p in inputs if p is not None], force=force)


def write(
    export: Export,
    out: Path,
    inputs: Sequence[Path],
    *,
    force: bool = False,
    tick: Tick = silent,
    publish: Callable[[], None] = lambda: None,
) -> list[str]:
    """Write by suffix; what the user should hear about the file (a cell cut to fit, a
    workbook too large to be the right choice). `publish`: see atomic_write."""
    preflight(out, inputs, force=force)
    suffix = out.suffix.lower()
    notes: list[str] = []
    if suffix in (".csv", ".parquet"):
        from amctl.export.flat import write_csv, write_parquet

        flat = write_csv if suffix == ".csv" else write_parquet
        write_flat = lambda tmp: flat(tmp, export.flat(), tick)  # noqa: E731
        atomic_write(out, write_flat, replace=force, publish=publish)
    elif suffix == ".json":
        atomic_write(out, lambda tmp: _json(tmp, export.json()), replace=force, publish=publish)
    else:
        from amctl.export.workbook import write_xlsx

        def xlsx(tmp: Path) -> None:
            sheets = export.sheets()
            rows = max((len(table) for _, table in sheets), default=0)
            if rows > LARGE_XLSX:
                large = said("output.large_xlsx", out=str(out), rows=rows, large=LARGE_XLSX)
                notes.append(say(large, export.lang))
            cut = write_xlsx(tmp, sheets, export.title, export.show, export.heading, tick=tick)
            notes.extend(f"{out}:{cell}" for cell in cut)

        atomic_write(out, xlsx, replace=force, publish=publish)
    return notes


def _json(path: Path, doc: dict[str, Any]) -> None:
    """The document as `json.dumps(indent=2)` writes it. A table in it (a manager a row) is
    its list of records, written a column at a time from Arrow's bytes: Python's indenting
    encoder, value by value, took most of the time of a json of 100,000 managers."""
    token = uuid.uuid4().hex  # no text of the document holds it: where each table goes
    marks = {key: f"{token} {n}" for n, key in enumerate(doc) if isinstance(doc[key], Table)}
    shown = {key: marks.get(key, value) for key, value in doc.items()}
    text = json.dumps(shown, ensure_ascii=False, indent=2, default=_json_default) + "\n"
    if text.count(token) != len(marks):  # a value held the token after all: the slow way
        whole = {k: records(v) if isinstance(v, Table) else v for k, v in doc.items()}
        text = json.dumps(whole, ensure_ascii=False, indent=2, default=_json_default) + "\n"
        marks = {}
    with path.open("wb") as fh:
        for key, mark in marks.items():  # in the document's order, each once
            head, text = text.split(json.dumps(mark, ensure_ascii=False), 1)
            fh.write(head.encode("utf-8"))
            _records(fh, doc[key], depth=1)
        fh.write(text.encode("utf-8"))


JSON_BATCH = 100_000  # rows encoded at once: the cells of a batch are Python strings


def _records(fh: BinaryIO, table: Table, depth: int) -> None:
    """`json.dumps(records(table), indent=2)` at `depth` (inside `depth` containers): each
    column's values encoded once as json encodes them, a batch of rows at a time, and each
    row's record put together by Arrow, not a string per cell in Python."""
    columns = table.columns
    if not columns or len(set(columns)) < len(columns) or not len(table) or _nested(table):
        fh.write(_indented(records(table), depth).encode("utf-8"))  # as a row's dict has it
        return
    item, inner = "  " * (depth + 1), "  " * (depth + 2)
    first, *rest = [f"{inner}{encode_basestring(name)}: " for name in columns]
    keys = [f"{item}{{\n{first}", *(f",\n{key}" for key in rest)]
    fh.write(b"[\n")
    with table.ahead() as rows:
        for start in range(0, len(table), JSON_BATCH):
            part = rows.part(start, start + JSON_BATCH)
            cells = [_column_json(part.iloc[:, i]) for i in range(len(columns))]
            fh.write(b",\n" if start else b"")
            fh.write(_lines(keys, cells, item)[:-2])  # each row ends ",\n": the last needs none
    if table.total is not None:
        fh.write(b",\n")
        fh.write(_lines(keys, [[_cell_json(clean(v))] for v in table.total], item)[:-2])
    fh.write(("\n" + "  " * depth + "]").encode("utf-8"))


def _nested(table: Table) -> bool:
    """A cell json would indent (a mapping, a tuple): in a mixed column or the totals row."""
    mixed = [
        c for c in table.frame.columns if c not in table.late and kind(table.frame[c]) == "cells"
    ]
    cells = [*(v for c in mixed for v in table.frame[c]), *(table.total or [])]
    return any(isinstance(v, dict | tuple) for v in cells)


def _lines(keys: list[str], encoded: Sequence[Sequence[str]], item: str) -> memoryview:
    """Each row's record, its keys before its cells, joined by Arrow a column at a time, each
    ending with ",\n": the bytes as Arrow holds them."""
    import pyarrow as pa
    import pyarrow.compute as pc

    from amctl.export.safe import text_body

    text = pa.large_string()
    pieces: list[Any] = []
    for key, cells in zip(keys, encoded, strict=True):
        pieces += [pa.scalar(key, text), pa.array(cells, text)]
    pieces.append(pa.scalar(f"\n{item}}},\n", text))
    return text_body(pc.binary_join_element_wise(*pieces, pa.scalar("", text)))


def _indented(value: Any, depth: int) -> str:
    text = json.dumps(value, ensure_ascii=False, indent=2, default=_json_default)
    return text.replace("\n", "\n" + "  " * depth)


def _column_json(column: pd.Series) -> Sequence[str]:
    """Each cell of a column as json.dumps writes the value `clean` makes of it: numbers and
    text by their kind over the whole column, anything else cell by cell."""
    import numpy as np

    how = kind(column)
    if how == "money":  # as _json_default writes a Decimal (NaN too): its text, quoted
        return [
            encode_basestring(str(v)) if isinstance(v, Decimal) else _cell_json(clean(v))
            for v in column.to_numpy(dtype=object)
        ]
    if how == "cells":
        return [_cell_json(clean(v)) for v in column]
    if how == "float":
        values = column.to_numpy(dtype=float, na_value=np.nan)
        cells = np.array(list(map(float.__repr__, values.tolist())), dtype=object)
        infinite = np.isinf(values)
        cells[infinite] = np.where(values[infinite] > 0, "Infinity", "-Infinity")
    elif how == "int":
        ints = column.to_numpy(dtype=object, na_value=0).tolist()
        cells = np.array(list(map(int.__repr__, ints)), dtype=object)
    elif how == "bool":
        flags = column.to_numpy(dtype=bool, na_value=False)
        cells = np.where(flags, "true", "false").astype(object)
    else:  # text
        texts = column.to_numpy(dtype=object, na_value="").tolist()
        cells = np.array(list(map(encode_basestring, texts)), dtype=object)
    # what pandas calls missing, as `clean` has it: null, unless a value is something else
    # (a NaT among text stays as it was written)
    flagged = np.flatnonzero(column.isna().to_numpy())
    missing = column.iloc[flagged].tolist()
    cells[flagged] = "null"
    if not set(map(type, missing)) <= {type(None), type(pd.NA), float}:
        cells[flagged] = [_cell_json(clean(v)) for v in missing]
    written: list[str] = cells.tolist()
    return written


def _cell_json(value: Any) -> str:
    return json.dumps(value, ensure_ascii=False, default=_json_default)


def _json_default(value: Any) -> Any:
    if isinstance(value, Decimal):
        return str(value)  # money as exact text: "1234.50", never a binary float
    if isinstance(value, dt.date):
        return value.isoformat()
    raise TypeError(f"cannot write {type(value).__name__} as JSON")
