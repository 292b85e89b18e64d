"""Workbooks people like to open and print, written row by row in constant memory.

xlsxwriter's `constant_memory` mode writes each row out as soon as the next one starts, so a
sheet of a million rows holds one row at a time, not the sheet; and amctl makes the cells
ready a chunk of rows at a time, so it holds no more. That fixes the order of the work: what
is not a cell — each column's number format (once, by its kind: money, score, percent), the
frozen panes, the filter, the print setup — is set before the first row; a cell without a
format of its own takes its column's as it is written. Widths are settled after the last row
(xlsxwriter writes them at the end): a column's longest text as Excel shows it (measured by
pyarrow) or its largest and smallest number as formatted. Text is worded once per distinct
value (tiers, bands, yes/no) and neutralised over the column, so no cell runs as a formula.
"""

from __future__ import annotations

import datetime as dt
import tempfile
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from amctl.data.cells import column_letter
from amctl.errors import OutputError
from amctl.export.safe import neutralise, neutralised
from amctl.export.table import Table, Tick, kind, silent
from amctl.labels import TIER_KEYS
from amctl.messages import said

Show = Callable[[str, Any], Any]

SCORE_KEYS = ("ability", "performance", "composite")
WORD_VALUES = ("graded", "not graded", "all", "total")  # cell values shown in the chosen language
TIER_FILLS = {"senior": "#F8E3B5", "mid": "#D6E6F5", "junior": "#DCEFD8", "trainee": "#E7E7E7"}
MAX_WIDTH = 60
MAX_CELL = 32_767  # characters an xlsx cell holds
MAX_ROWS = 1_048_576  # rows a sheet holds
EVERY = 2_000  # rows between two progress ticks
CHUNK = 10_000  # rows made ready at once: what the writer holds, whatever the sheet's size
CUT_MARK = " …[cut: see the csv or json]"
WIDE = "[\u2e81-\U0010ffff]"  # a character Excel shows two columns wide (CJK and beyond)
ASTRAL = "[\U00010000-\U0010ffff]"  # two UTF-16 units each, as a cell's limit counts them
NUMBER_FORMATS = {"money": "#,##0.00", "score": "0.00", "pct": '0.0"%"'}


def _width(value: Any) -> int:
    """Display width: a Chinese character takes two columns, as Excel shows it."""
    return sum(2 if ord(ch) > 0x2E80 else 1 for ch in str(value))


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


def _shown_number(value: float, how: str) -> str:
    """A number as its cell's format shows it, to size the column."""
    if how == "money":
        return f"{value:,.2f}"
    if how == "score":
        return f"{value:.2f}"
    if how == "pct":
        return f"{value:.1f}%"
    return str(int(value)) if value.is_integer() and abs(value) < 1e15 else f"{value:.10g}"


@dataclass(frozen=True)
class Rich:
    """Text that xlsxwriter's constant-memory mode would take for its own markup (it starts
    with `<r>` and ends with `</r>`): written as three runs of itself, escaped like any text."""

    text: str


@dataclass
class Column:
    """One column made ready: its cells in row order (None for no cell), the format its kind
    sets for the whole column, per-row formats where a cell's own differs (a tier's colour,
    money among other values), its width, and the rows whose text was cut to fit."""

    cells: list[Any]
    how: str
    width: int
    formats: list[Any] | None = None
    cut: list[tuple[int, int]] | None = None  # (row, characters before the cut)


class Styles:
    """The workbook's formats, made once: xlsxwriter keeps one per distinct look."""

    def __init__(self, book: Any) -> None:
        self.header = book.add_format(
            {
                "bold": True,
                "bg_color": "#1F4E78",
                "font_color": "#FFFFFF",
                "border": 1,
                "text_wrap": True,
                "valign": "vcenter",
            }
        )
        self.column = {k: book.add_format({"num_format": f}) for k, f in NUMBER_FORMATS.items()}
        self.column["plain"] = None
        self.totals = {
            k: book.add_format({"num_format": f, "bold": True, "top": 1})
            for k, f in NUMBER_FORMATS.items()
        }
        self.totals["plain"] = book.add_format({"bold": True, "top": 1})
        self.banner = book.add_format({"bold": True, "font_size": 14, "valign": "vcenter"})
        self.fills = {k: book.add_format({"bg_color": v}) for k, v in TIER_FILLS.items()}


class Prepare:
    """Cells as people read them, a column at a time: `show` words a value (a tier by its
    label, a band, yes/no, the reasons), `title` a word value (graded → 已评定)."""

    def __init__(self, title: Callable[[str], str], show: Show, styles: Styles) -> None:
        self.title, self.show, self.styles = title, show, styles

    def column(self, key: str, column: pd.Series) -> Column:
        how = kind(column)
        present = column.notna()
        if how in ("float", "int", "money"):  # numbers: the column's format shows them
            number = "money" if how == "money" else _kind(key)
            cells = column.astype(object).where(present, None).tolist()
            if how == "money":
                cells = [None if v is None else float(v) for v in cells]
            values = np.array([np.nan if v is None else v for v in cells], dtype=float)
            return Column(cells, number, _number_width(values, number))
        if how in ("text", "bool"):  # worded once per distinct value
            codes, uniques = pd.factorize(column, use_na_sentinel=True)
            worded = self.values(key, list(uniques))
            cut = None
            if worded.cut:
                cut = sorted((int(r), n) for i, n in worded.cut for r in np.flatnonzero(codes == i))
            formats = None if worded.formats is None else _spread(worded.formats, codes)
            return Column(_spread(worded.cells, codes), worded.how, worded.width, formats, cut)
        return self.values(key, column.astype(object).where(present, None).tolist())

    def values(self, key: str, values: list[Any]) -> Column:
        """Each value worded, then the text among them finished over the column at once."""
        fills = self.styles.fills if key in TIER_KEYS else None
        formats: list[Any] = [None] * len(values)
        shown: list[Any] = []
        money: list[float] = []
        for i, value in enumerate(values):
            if value is None:
                shown.append(None)
                continue
            if fills is not None and isinstance(value, str):
                formats[i] = fills.get(value.split("-")[0])
            value = self.show(key, value)
            if isinstance(value, Decimal):
                formats[i] = self.styles.column["money"]
                value = float(value)
                money.append(value)
            elif isinstance(value, str) and value in WORD_VALUES:
                value = self.title(value)
            elif not isinstance(value, str | int | float | bool):
                value = str(value)
            shown.append(value)
        texts = [i for i, v in enumerate(shown) if isinstance(v, str)]
        width, cut = 0, []
        if texts:
            done = _finished([shown[i] for i in texts])
            for i, text in zip(texts, done.cells, strict=True):
                shown[i] = text
            width = done.width
            cut = [(texts[i], n) for i, n in done.cut or []]
        numbers = [
            v
            for v, f in zip(shown, formats, strict=True)
            if isinstance(v, int | float) and not isinstance(v, bool) and f is None
        ]
        width = max(
            width,
            _number_width(np.array(numbers, dtype=float), _kind(key)),
            _number_width(np.array(money, dtype=float), "money"),
        )
        has_format = any(f is not None for f in formats)
        return Column(shown, _kind(key), width, formats if has_format else None, cut)


def _look(key: str, how: str) -> str:
    """The format a whole column takes: money, or by its key a score or a percentage."""
    return "money" if how == "money" else _kind(key)


def _spread(distinct: list[Any], codes: np.ndarray) -> list[Any]:
    """Per-value results back in row order (code -1, a missing value, is no cell)."""
    lookup = np.empty(len(distinct) + 1, dtype=object)
    lookup[: len(distinct)] = distinct
    spread: list[Any] = lookup[codes].tolist()
    return spread


def _number_width(values: np.ndarray, how: str) -> int:
    """The widest number as its format shows it: the longest is the largest or the smallest."""
    finite = values[np.isfinite(values)]
    if not len(finite):
        return 0
    return max(len(_shown_number(float(v), how)) for v in (finite.min(), finite.max()))


def _finished(texts: list[str]) -> Column:
    """Text cells made safe over the column at once (pyarrow): the formula guard, the cell
    size limit, xlsxwriter's markup; and the width of the widest."""
    import pyarrow as pa
    import pyarrow.compute as pc

    safe = neutralised(pa.array(texts, type=pa.large_string()))
    length = pc.utf8_length(safe)
    width = pc.max(pc.add(length, pc.count_substring_regex(safe, WIDE))).as_py() or 0
    units = pc.add(length, pc.count_substring_regex(safe, ASTRAL))
    cells: list[Any] = safe.to_pylist()
    cut = []
    for i in np.flatnonzero(pc.greater(units, MAX_CELL).to_numpy(zero_copy_only=False)):
        text = cells[i]
        cut.append((int(i), len(text)))  # said, and marked in the cell: never a silent cut
        head = text.encode("utf-16-le")[: (MAX_CELL - len(CUT_MARK)) * 2]
        cells[i] = head.decode("utf-16-le", errors="ignore") + CUT_MARK
    markup = pc.and_(pc.starts_with(safe, "<r>"), pc.ends_with(safe, "</r>"))
    for i in np.flatnonzero(markup.to_numpy(zero_copy_only=False)):
        cells[i] = Rich(cells[i])
    return Column(cells, "plain", min(MAX_WIDTH, int(width)), cut=cut)


def write_xlsx(
    path: Path,
    sheets: Sequence[tuple[str, Table]],
    title: Callable[[str], str] = str,
    show: Show = lambda key, value: value,
    heading: str = "",
    *,
    tick: Tick = silent,
) -> list[str]:
    """Workbooks people like to open and print: a title row, styled frozen headers, id and
    name frozen too, filters, widths that fit Chinese text, money and score formats, tiers in
    colour, a bold totals row below the filter, and A4 landscape pages fitted to the width
    with the title and header on each and page numbers below. Fixed metadata and no
    timestamps, so the same result gives the same bytes. Returns a note for each cell cut to
    fit."""
    top = 1 if heading else 0  # the header's row
    for name, table in sheets:
        last = top + len(table) + (table.total is not None)
        if last >= MAX_ROWS:
            raise OutputError(
                said(
                    "output.xlsx_rows",
                    out=str(path),
                    sheet=title(name),
                    rows=len(table),
                    limit=MAX_ROWS,
                )
            )
    # xlsxwriter keeps its worksheet parts in temporary files: in a folder of ours, removed
    # however the write ends (a full disk, SIGTERM)
    with tempfile.TemporaryDirectory(prefix="amctl-xlsx-") as parts:
        return _xlsx(path, sheets, title, show, heading, parts, tick)


def _xlsx(
    path: Path,
    sheets: Sequence[tuple[str, Table]],
    title: Callable[[str], str],
    show: Show,
    heading: str,
    parts: str,
    tick: Tick,
) -> list[str]:
    import xlsxwriter

    options = {"constant_memory": True, "nan_inf_to_errors": True, "tmpdir": parts}
    book = xlsxwriter.Workbook(str(path), options)
    book.set_properties({"created": dt.datetime(2000, 1, 1), "author": "amctl"})
    styles = Styles(book)
    prepare = Prepare(title, show, styles)
    cut: list[str] = []
    total = sum(len(table) for _, table in sheets)
    done = 0
    for name, table in sheets:
        sheet = title(name)[:31]
        ws = book.add_worksheet(sheet)
        columns, frame = table.columns, table.frame
        top = 1 if heading else 0
        # what is not a cell comes first: constant memory writes each row out as it goes, a
        # cell taking its column's format as it is written; widths are settled at the end
        looks = [_look(key, kind(frame[key])) for key in frame.columns]
        widths = [0] * len(columns)
        for c, look in enumerate(looks):
            ws.set_column(c, c, None, styles.column[look])
        frozen = columns.index("name") + 1 if "name" in columns else 0
        ws.freeze_panes(top + 1, frozen)
        if len(table) or table.total is not None:  # the totals row stays below the filter
            ws.autofilter(top, 0, top + len(table), len(columns) - 1)
        ws.set_paper(9)  # A4
        ws.set_landscape()
        ws.fit_to_pages(1, 0)  # as wide as one page, as long as it takes
        ws.repeat_rows(0, top)
        ws.set_footer(title("page footer"))
        if heading:
            ws.set_row(0, 24)
            text = neutralise(f"{title(name)} · {heading}")
            if len(columns) > 1:
                ws.merge_range(0, 0, 0, len(columns) - 1, text, styles.banner)
            else:
                ws.write_string(0, 0, text, styles.banner)
        for c, key in enumerate(columns):
            ws.write_string(top, c, title(key), styles.header)
        for start in range(0, len(frame), CHUNK):  # a chunk of rows made ready at a time
            part = frame.iloc[start : start + CHUNK]
            ready = [prepare.column(key, part[key]) for key in part.columns]
            done = _rows(ws, ready, top + 1 + start, done, total, tick)
            for c, col in enumerate(ready):
                widths[c] = max(widths[c], col.width)
                cut += [
                    f"{sheet}!{column_letter(c)}{top + 2 + start + row} ({title(columns[c])}) "
                    f"has {n:,} characters, over the {MAX_CELL:,} a cell holds: cut there and "
                    "marked; the csv and json keep it whole"
                    for row, n in col.cut or []
                ]
        if table.total is not None:
            sizes = _totals(ws, top + 1 + len(table), prepare, columns, table.total, styles)
            widths = [max(pair) for pair in zip(widths, sizes, strict=True)]
        for c, (key, look) in enumerate(zip(columns, looks, strict=True)):
            width = max(_width(title(key)) + 2, min(MAX_WIDTH, widths[c] + 2))
            ws.set_column(c, c, width, styles.column[look])
    tick(total, total)
    book.close()
    return cut


def _rows(ws: Any, ready: list[Column], first: int, done: int, total: int, tick: Tick) -> int:
    """The body, row by row; a cell without a format of its own takes its column's. The
    cells are typed already, so xlsxwriter's undecorated writers are called where it has them
    (what its own `write_row` calls), skipping a per-cell check of A1-style arguments."""
    write_string = getattr(ws, "_write_string", ws.write_string)
    write_number = getattr(ws, "_write_number", ws.write_number)
    own = [col.formats for col in ready]
    plain = [c for c, looks in enumerate(own) if looks is None]
    styled = [(c, looks) for c, looks in enumerate(own) if looks is not None]
    for i, row in enumerate(zip(*(col.cells for col in ready), strict=True)):
        r = first + i
        for c in plain:
            value = row[c]
            if value is None:
                continue
            cls = value.__class__
            if cls is str:
                write_string(r, c, value, None)
            elif cls is float or cls is int:
                write_number(r, c, value, None)
            else:
                _other(ws, r, c, value, None)
        for c, looks in styled:
            value = row[c]
            if value is None:
                continue
            cls = value.__class__
            if cls is str:
                write_string(r, c, value, looks[i])
            elif cls is float or cls is int:
                write_number(r, c, value, looks[i])
            else:
                _other(ws, r, c, value, looks[i])
        done += 1
        if done % EVERY == 0:
            tick(done, total)
    return done


def _other(ws: Any, r: int, c: int, value: Any, fmt: Any) -> None:
    if isinstance(value, Rich):
        text = value.text
        ws.write_rich_string(r, c, text[:1], text[1:2], text[2:], *([fmt] if fmt else []))
    elif isinstance(value, bool):
        ws.write_boolean(r, c, value)
    else:
        ws.write_number(r, c, value, fmt)


def _totals(
    ws: Any, r: int, prepare: Prepare, columns: list[str], total: Sequence[Any], styles: Styles
) -> list[int]:
    """The bold totals row, each number in its column's format; the width of each cell."""
    bold = styles.totals
    widths = []
    for c, (key, value) in enumerate(zip(columns, total, strict=True)):
        col = prepare.values(key, [value])
        widths.append(col.width)
        cell = col.cells[0]
        if cell is None:
            ws.write_blank(r, c, None, bold["plain"])
        elif isinstance(value, Decimal):
            ws.write_number(r, c, cell, bold["money"])
        elif isinstance(cell, bool):
            ws.write_boolean(r, c, cell)
        elif isinstance(cell, int | float):
            ws.write_number(r, c, cell, bold[col.how])
        elif isinstance(cell, Rich):
            _other(ws, r, c, cell, bold["plain"])
        else:
            ws.write_string(r, c, cell, bold["plain"])
    return widths
