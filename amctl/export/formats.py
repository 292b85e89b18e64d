"""Tables to files: csv, parquet, json and xlsx with deterministic bytes, written safely.

A result module builds an `Export` (its flat table, json document and xlsx sheets); `write`
picks the format by the output's suffix and writes it atomically, never over an input.
"""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path
from typing import Any

import pandas as pd

from amctl.export.safe import atomic_write, check_suffix, check_target
from amctl.export.table import Table, Tick, silent
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
) -> list[str]:
    """Write by suffix; what the user should hear about the file (a cell cut to fit, a
    workbook too large to be the right choice)."""
    preflight(out, inputs, force=force)
    suffix = out.suffix.lower()
    notes: list[str] = []
    if suffix in (".csv", ".parquet"):
        from amctl.export.flat import write_csv, write_parquet

        flat = write_csv if suffix == ".csv" else write_parquet
        atomic_write(out, lambda tmp: flat(tmp, export.flat(), tick), replace=force)
    elif suffix == ".json":
        atomic_write(out, lambda tmp: _json(tmp, export.json()), replace=force)
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

        atomic_write(out, xlsx, replace=force)
    return notes


def _json(path: Path, doc: dict[str, Any]) -> None:
    text = json.dumps(doc, ensure_ascii=False, indent=2, default=_json_default)
    path.write_text(text + "\n", encoding="utf-8")


def _json_default(value: Any) -> Any:
    if isinstance(value, Decimal):
        return str(value)  # money as exact text: "1234.50", never a binary float
    if isinstance(value, dt.date):
        return value.isoformat()
    raise TypeError(f"cannot write {type(value).__name__} as JSON")
