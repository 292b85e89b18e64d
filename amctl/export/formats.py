"""Tables to files: csv, json and xlsx with deterministic bytes, written safely.

A result module builds an `Export` (its csv table, json document and xlsx sheets); `write`
picks the format by the output's suffix and writes it atomically, never over an input.
"""

from __future__ import annotations

import csv
import datetime as dt
import json
import math
import tempfile
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path
from typing import Any

import pandas as pd

from amctl.data.cells import column_letter
from amctl.export.safe import atomic_write, check_suffix, check_target, neutralise
from amctl.labels import TIER_KEYS, says

FORMATS = (".csv", ".json", ".xlsx")
Rows = tuple[list[str], list[list[Any]]]


@dataclass(frozen=True)
class Export:
    """What one result looks like in each format; built lazily, only for the format asked.

    `title` turns a column or sheet key into the header people read (Chinese or English);
    csv and json keep the keys, which scripts rely on.
    """

    csv: Callable[[], Rows]
    json: Callable[[], dict[str, Any]]
    sheets: Callable[[], Sequence[tuple[str, Rows]]]
    title: Callable[[str], str] = str
    show: Callable[[str, Any], Any] = lambda key, value: value  # a cell as people read it
    heading: str = ""  # above every sheet: whose rules, which period, which version


def clean(value: Any) -> Any:
    """Plain Python values: None for every kind of missing, numbers unboxed, reasons joined."""
    if isinstance(value, list):  # reasons: in English, the words scripts see
        return says(value)
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


def preflight(
    out: Path, inputs: Sequence[Path | None], *, force: bool, formats: Sequence[str] = FORMATS
) -> None:
    """Refuse a bad output before the work: a wrong suffix, a missing folder, an input."""
    check_suffix(out, formats)
    check_target(out, [p for p in inputs if p is not None], force=force)


Tick = Callable[[int, int], None]  # rows written so far, rows in all: for a progress bar


def silent(done: int, total: int) -> None:
    pass


def write(
    export: Export,
    out: Path,
    inputs: Sequence[Path],
    *,
    force: bool = False,
    tick: Tick = silent,
) -> list[str]:
    """Write by suffix; what the user should hear about the file (a cell cut to fit)."""
    preflight(out, inputs, force=force)
    suffix = out.suffix.lower()
    notes: list[str] = []
    if suffix == ".csv":
        atomic_write(out, lambda tmp: _csv(tmp, export.csv(), tick), replace=force)
    elif suffix == ".json":
        atomic_write(out, lambda tmp: _json(tmp, export.json()), replace=force)
    else:

        def xlsx(tmp: Path) -> None:
            cut = write_xlsx(
                tmp, export.sheets(), export.title, export.show, export.heading, tick=tick
            )
            notes.extend(f"{out}:{cell}" for cell in cut)

        atomic_write(out, xlsx, replace=force)
    return notes


def _csv(path: Path, table: Rows, tick: Tick = silent) -> None:
    columns, rows = table
    # UTF-8 with a BOM: Excel shows Chinese text correctly only with it
    with path.open("w", encoding="utf-8-sig", newline="") as fh:
        w = csv.writer(fh, lineterminator="\r\n")
        w.writerow(columns)
        for i, row in enumerate(rows):
            w.writerow(["" if v is None else neutralise(v) for v in row])
            if i % EVERY == 0:
                tick(i, len(rows))
        tick(len(rows), len(rows))


def _json(path: Path, doc: dict[str, Any]) -> None:
    text = json.dumps(doc, ensure_ascii=False, indent=2, default=_json_default)
    path.write_text(text + "\n", encoding="utf-8")


def _json_default(value: Any) -> Any:
    if isinstance(value, Decimal):
        return str(value)  # money as exact text: "1234.50", never a binary float
    if isinstance(value, dt.date):
        return value.isoformat()
    raise TypeError(f"cannot write {type(value).__name__} as JSON")


SCORE_KEYS = ("ability", "performance", "composite")
WORD_VALUES = ("graded", "not graded", "all", "total")  # cell values shown in the chosen language
TIER_FILLS = {"senior": "#F8E3B5", "mid": "#D6E6F5", "junior": "#DCEFD8", "trainee": "#E7E7E7"}
MAX_WIDTH = 60


def _width(value: Any) -> int:
    """Display width: a Chinese character takes two columns, as Excel shows it."""
    text = str(value)
    return sum(2 if ord(ch) > 0x2E80 else 1 for ch in text)


def _kind(key: str) -> str:
    if key.endswith("_pct"):
        return "pct"
    if (
        key in SCORE_KEYS
        or key.startswith(("ability.", "performance."))
        or key.endswith("_composite")
    ):
        return "score"
    return "plain"


MAX_CELL = 32_767  # characters an xlsx cell holds
EVERY = 2_000  # rows between two progress ticks


def write_xlsx(
    path: Path,
    sheets: Sequence[tuple[str, Rows]],
    title: Callable[[str], str] = str,
    show: Callable[[str, Any], Any] = lambda key, value: value,
    heading: str = "",
    *,
    tick: Tick = silent,
) -> list[str]:
    """Workbooks people like to open and print: a title row, styled frozen headers, id and
    name frozen too, filters, widths that fit Chinese text, money and score formats, tiers in
    colour, a bold totals row below the filter, and A4 landscape pages fitted to the width
    with the title and header on each and page numbers below. Fixed metadata and no
    timestamps, so the same result gives the same bytes."""
    # xlsxwriter keeps its worksheet parts in temporary files: in a folder of ours, removed
    # however the write ends (a full disk, SIGTERM)
    with tempfile.TemporaryDirectory(prefix="amctl-xlsx-") as parts:
        return _xlsx(path, sheets, title, show, heading, parts, tick)


def _xlsx(
    path: Path,
    sheets: Sequence[tuple[str, Rows]],
    title: Callable[[str], str],
    show: Callable[[str, Any], Any],
    heading: str,
    parts: str,
    tick: Tick = silent,
) -> list[str]:
    import xlsxwriter

    book = xlsxwriter.Workbook(str(path), {"nan_inf_to_errors": True, "tmpdir": parts})
    book.set_properties({"created": dt.datetime(2000, 1, 1), "author": "amctl"})
    header = book.add_format(
        {
            "bold": True,
            "bg_color": "#1F4E78",
            "font_color": "#FFFFFF",
            "border": 1,
            "text_wrap": True,
            "valign": "vcenter",
        }
    )
    formats = {
        "money": book.add_format({"num_format": "#,##0.00"}),
        "score": book.add_format({"num_format": "0.00"}),
        "pct": book.add_format({"num_format": '0.0"%"'}),
        "plain": None,
    }
    totals = {
        "money": book.add_format({"num_format": "#,##0.00", "bold": True, "top": 1}),
        "score": book.add_format({"num_format": "0.00", "bold": True, "top": 1}),
        "pct": book.add_format({"num_format": '0.0"%"', "bold": True, "top": 1}),
        "plain": book.add_format({"bold": True, "top": 1}),
    }
    banner = book.add_format({"bold": True, "font_size": 14, "valign": "vcenter"})
    fills = {k: book.add_format({"bg_color": v}) for k, v in TIER_FILLS.items()}
    cut: list[str] = []
    total, done = sum(len(rows) for _, (_, rows) in sheets), 0
    for name, (columns, rows) in sheets:
        sheet = title(name)[:31]
        ws = book.add_worksheet(sheet)
        kinds = [_kind(c) for c in columns]
        widths = [_width(title(c)) + 2 for c in columns]
        top = 1 if heading else 0  # the header's row
        if heading:
            ws.set_row(0, 24)
            text = neutralise(f"{title(name)} · {heading}")
            if len(columns) > 1:
                ws.merge_range(0, 0, 0, len(columns) - 1, text, banner)
            else:
                ws.write_string(0, 0, text, banner)
        for c, key in enumerate(columns):
            ws.write_string(top, c, title(key), header)
        totals_row = bool(rows) and rows[-1][0] in ("all", "total")  # a summary's last row
        for r, row in enumerate(rows, start=top + 1):
            done += 1
            if done % EVERY == 0:
                tick(done, total)
            last = totals_row and r == top + len(rows)
            for c, value in enumerate(row):
                if value is None:
                    if last:
                        ws.write_blank(r, c, None, totals["plain"])
                    continue
                fill = None
                if columns[c] in TIER_KEYS and isinstance(value, str):
                    fill = fills.get(value.split("-")[0])
                if last:
                    fill = totals["plain"]
                value = show(columns[c], value)
                if isinstance(value, bool):
                    ws.write_boolean(r, c, value)
                elif isinstance(value, Decimal):
                    ws.write_number(r, c, float(value), (totals if last else formats)["money"])
                elif isinstance(value, int | float):
                    ws.write_number(r, c, value, (totals if last else formats)[kinds[c]])
                else:
                    text = neutralise(title(value) if value in WORD_VALUES else str(value))
                    if len(text) > MAX_CELL:  # said, and marked in the cell: never a silent cut
                        cut.append(
                            f"{sheet}!{column_letter(c)}{r + 1} ({title(columns[c])}) has "
                            f"{len(text):,} characters, over the {MAX_CELL:,} a cell holds: cut "
                            "there and marked; the csv and json keep it whole"
                        )
                        text = text[: MAX_CELL - 30] + " …[cut: see the csv or json]"
                    ws.write_string(r, c, text, fill)
                widths[c] = max(widths[c], min(MAX_WIDTH, _width(value) + 2))
        for c, w in enumerate(widths):
            ws.set_column(c, c, w)
        frozen = columns.index("name") + 1 if "name" in columns else 0
        ws.freeze_panes(top + 1, frozen)
        if rows:  # the totals row stays below the filter: sorting never moves it
            ws.autofilter(top, 0, top + len(rows) - (1 if totals_row else 0), len(columns) - 1)
        ws.set_paper(9)  # A4
        ws.set_landscape()
        ws.fit_to_pages(1, 0)  # as wide as one page, as long as it takes
        ws.repeat_rows(0, top)
        ws.set_footer(title("page footer"))
    tick(total, total)
    book.close()
    return cut
