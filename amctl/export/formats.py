"""Tables to files: csv, json and xlsx with deterministic bytes, written safely.

A result module builds an `Export` (its csv table, json document and xlsx sheets); `write`
picks the format by the output's suffix and writes it atomically, never over an input.
"""

from __future__ import annotations

import csv
import datetime as dt
import json
import math
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path
from typing import Any

import pandas as pd

from amctl.export.safe import atomic_write, check_suffix, check_target, neutralise

FORMATS = (".csv", ".json", ".xlsx")
Rows = tuple[list[str], list[list[Any]]]


@dataclass(frozen=True)
class Export:
    """What one result looks like in each format; built lazily, only for the format asked."""

    csv: Callable[[], Rows]
    json: Callable[[], dict[str, Any]]
    sheets: Callable[[], Sequence[tuple[str, Rows]]]


def clean(value: Any) -> Any:
    """Plain Python values: None for every kind of missing, numbers unboxed, reasons joined."""
    if isinstance(value, list):
        return "; ".join(str(v) for v in value)
    if value is None or value is pd.NA or (isinstance(value, float) and math.isnan(value)):
        return None
    if hasattr(value, "item"):  # numpy scalars
        value = value.item()
    return value


def frame_rows(frame: pd.DataFrame) -> Rows:
    """A DataFrame (index included) as clean rows."""
    flat = frame.reset_index()
    return [str(c) for c in flat.columns], [
        [clean(v) for v in rec] for rec in flat.itertuples(index=False)
    ]


def records(table: Rows) -> list[dict[str, Any]]:
    columns, rows = table
    return [dict(zip(columns, row, strict=True)) for row in rows]


def preflight(out: Path, inputs: Sequence[Path | None], *, force: bool) -> None:
    """Refuse a bad output before the work: a wrong suffix, a missing folder, an input."""
    check_suffix(out, FORMATS)
    check_target(out, [p for p in inputs if p is not None], force=force)


def write(export: Export, out: Path, inputs: Sequence[Path], *, force: bool = False) -> None:
    preflight(out, inputs, force=force)
    suffix = out.suffix.lower()
    if suffix == ".csv":
        atomic_write(out, lambda tmp: _csv(tmp, export.csv()))
    elif suffix == ".json":
        atomic_write(out, lambda tmp: _json(tmp, export.json()))
    else:
        atomic_write(out, lambda tmp: _xlsx(tmp, export.sheets()))


def _csv(path: Path, table: Rows) -> None:
    columns, rows = table
    # UTF-8 with a BOM: Excel shows Chinese text correctly only with it
    with path.open("w", encoding="utf-8-sig", newline="") as fh:
        w = csv.writer(fh, lineterminator="\r\n")
        w.writerow(columns)
        for row in rows:
            w.writerow(["" if v is None else neutralise(v) for v in row])


def _json(path: Path, doc: dict[str, Any]) -> None:
    text = json.dumps(doc, ensure_ascii=False, indent=2, default=_json_default)
    path.write_text(text + "\n", encoding="utf-8")


def _json_default(value: Any) -> Any:
    if isinstance(value, Decimal):
        return str(value)  # money as exact text: "1234.50", never a binary float
    if isinstance(value, dt.date):
        return value.isoformat()
    raise TypeError(f"cannot write {type(value).__name__} as JSON")


def _xlsx(path: Path, sheets: Sequence[tuple[str, Rows]]) -> None:
    """One sheet per table, header bold and frozen; fixed metadata, so the bytes repeat."""
    import xlsxwriter

    book = xlsxwriter.Workbook(str(path), {"nan_inf_to_errors": True})
    # xlsxwriter pins the zip timestamps; pinning the creation date makes the file repeatable
    book.set_properties({"created": dt.datetime(2000, 1, 1), "author": "amctl"})
    bold = book.add_format({"bold": True})
    money = book.add_format({"num_format": "#,##0.00"})
    for name, (columns, rows) in sheets:
        ws = book.add_worksheet(name[:31])
        for c, title in enumerate(columns):
            ws.write_string(0, c, title, bold)
        for r, row in enumerate(rows, start=1):
            for c, value in enumerate(row):
                if value is None:
                    continue
                if isinstance(value, bool):
                    ws.write_boolean(r, c, value)
                elif isinstance(value, Decimal):
                    ws.write_number(r, c, float(value), money)
                elif isinstance(value, int | float):
                    ws.write_number(r, c, value)
                else:
                    ws.write_string(r, c, neutralise(str(value)))
        ws.freeze_panes(1, 0)
    book.close()
