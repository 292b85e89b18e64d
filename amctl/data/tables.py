"""From a raw grid to typed columns: find the header row, map headers to fields, read cells.

Title rows above the header, blank rows and trailing empty rows are skipped. Every cell that
cannot be read becomes a finding at sheet/row/column, and its row is marked bad — it is never
silently dropped.
"""

from __future__ import annotations

import datetime as dt
import re
import unicodedata
from collections.abc import Callable, Iterator, Mapping, MutableMapping, Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from amctl.data import cells, columnar, sheets
from amctl.data.columnar import Grid
from amctl.data.guard import HEAD_ROWS
from amctl.data.sheets import RawSheet
from amctl.errors import DataError, Finding, Location, Severity
from amctl.messages import Said, said
from amctl.policy.columns import normalise_header

if TYPE_CHECKING:
    import numpy as np

HEADER_SCAN_ROWS = HEAD_ROWS  # the columnar readers keep this many rows to find the header
TABLE_NAMES: dict[str, Said] = {  # a table as a message names it: 业绩表 / performance
    "roster": said("data.table_roster"),
    "performance": said("data.table_performance"),
    "ratings": said("data.table_ratings"),
}

Parser = Callable[[Any], Any]
PARSERS: dict[str, Parser] = {
    "id": cells.identifier,
    "text": cells.text,
    "number": cells.number,
    "date": cells.date,
    "flag": cells.flag,
    "yesno": cells.yesno,
}


@dataclass(frozen=True)
class FieldSpec:
    name: str
    kind: str  # a key of PARSERS
    required: bool = True  # the column must exist
    allow_blank: bool = False  # an empty cell is fine (value None)
    low: float | None = None  # inclusive range for numbers
    high: float | None = None
    unit: str | None = None  # a metric's declared unit (see data.units): a % sign is read to it


class Columns(MutableMapping[str, list[Any]]):
    """A table's typed columns by field, each a list with one item per data row.

    A column Arrow read whole with every cell good is kept as the arrays it gave: the numbers
    as float64, a text column as codes into its distinct values, or an object array. Its list
    is made the first time it is asked for, so a million-row ratings or performance sheet,
    which grading reads from the arrays, never becomes Python lists. The arrays are kept
    while the list is the one they gave and nothing has `changed` it.
    """

    def __init__(self) -> None:
        self._lists: dict[str, list[Any] | None] = {}  # None: not made yet (see _made)
        self._arrays: dict[str, Any] = {}
        self._made: dict[str, Callable[[], list[Any]]] = {}

    def keep(self, name: str, arrays: Any, made: Callable[[], list[Any]]) -> None:
        """A column held as its arrays; `made` gives its list when one is asked for."""
        self._lists[name] = None
        self._arrays[name] = arrays
        self._made[name] = made

    def arrays(self, name: str) -> Any:
        return self._arrays.get(name)

    def listed(self, name: str) -> bool:
        """Whether the column is held as a list (made, or set), not only as its arrays."""
        return self._lists.get(name) is not None

    def changed(self, name: str) -> None:
        self._arrays.pop(name, None)

    def __getitem__(self, name: str) -> list[Any]:
        got = self._lists[name]
        if got is None:
            got = self._lists[name] = self._made.pop(name)()
        return got

    def __setitem__(self, name: str, values: list[Any]) -> None:
        self._lists[name] = values
        self._arrays.pop(name, None)
        self._made.pop(name, None)

    def __delitem__(self, name: str) -> None:
        del self._lists[name]
        self._arrays.pop(name, None)
        self._made.pop(name, None)

    def __iter__(self) -> Iterator[str]:
        return iter(self._lists)

    def __len__(self) -> int:
        return len(self._lists)

    def __contains__(self, name: object) -> bool:
        return name in self._lists


@dataclass
class Table:
    """Typed columns (one item per data row) plus where each row came from."""

    sheet: RawSheet
    header_row: int
    columns: dict[str, tuple[int, str]]  # field → (column index, header text)
    values: Columns = field(default_factory=Columns)
    rows: np.ndarray = field(default_factory=lambda: _numbers([]))  # each data row's sheet row
    bad: set[int] = field(default_factory=set)  # positions (into rows) with a cell problem
    # positions whose cell said its scale (a text like 12.5%), by field: see data.units
    percent_text: dict[str, set[int]] = field(default_factory=dict)
    findings: list[Finding] = field(default_factory=list)

    def has_floats(self, fieldname: str) -> bool:
        """Whether Arrow's floats of the column are kept (floats() then costs nothing)."""
        import numpy as np

        kept = self.values.arrays(fieldname)
        return isinstance(kept, np.ndarray) and kept.dtype.kind == "f"

    def floats(self, fieldname: str) -> np.ndarray:
        """A number column as float64 (a blank as NaN), as Arrow read it when it could."""
        import numpy as np

        if self.has_floats(fieldname):
            kept: np.ndarray = self.values.arrays(fieldname)
            return kept
        return np.array(self.values[fieldname], dtype=float)

    def codes(self, fieldname: str) -> tuple[np.ndarray, list[Any]] | None:
        """A text column as codes (int64) into its distinct values, when Arrow read it so."""
        kept = self.values.arrays(fieldname)
        return kept if isinstance(kept, tuple) else None

    def text(self, fieldname: str) -> Any:
        """A text column as the Arrow array it was read as, every cell as it is (no blank),
        when it is kept so; else None."""
        kept = self.values.arrays(fieldname)
        return kept if hasattr(kept, "to_pylist") else None  # numpy's arrays have tolist

    def objects(self, fieldname: str) -> np.ndarray:
        """A column as an object array, from the arrays Arrow gave when they are kept."""
        import numpy as np

        kept = self.values.arrays(fieldname)
        if isinstance(kept, tuple):
            words = np.empty(len(kept[1]), dtype=object)
            words[:] = kept[1]
            out: np.ndarray = words[kept[0]]
            return out
        if isinstance(kept, np.ndarray) and kept.dtype == object:
            return kept
        if self.text(fieldname) is not None:
            text: np.ndarray = kept.to_numpy(zero_copy_only=False)
            return text
        values = self.values[fieldname]
        return np.fromiter(values, dtype=object, count=len(values))

    def changed(self, fieldname: str) -> None:
        """Cells of the column were set in place: its arrays no longer say what it holds."""
        self.values.changed(fieldname)

    def header(self, fieldname: str) -> str:
        """The header the user typed for a field (任职日期), for messages; else its name."""
        found = self.columns.get(fieldname)
        return str(found[1]).strip() if found and str(found[1]).strip() else fieldname

    def where(self, position: int, fieldname: str | None = None) -> Location:
        column = header = None
        if fieldname is not None and fieldname in self.columns:
            index, header = self.columns[fieldname]
            column = cells.column_letter(index)
        return Location(
            self.sheet.path,
            sheet=self.sheet.sheet,
            row=int(self.rows[position]),
            column=column,
            header=header,
        )

    def report(
        self,
        position: int,
        fieldname: str | None,
        rule: str,
        message: Said,
        *,
        severity: Severity = Severity.ERROR,
        row_id: str | None = None,
    ) -> None:
        where = self.where(position, fieldname)
        if row_id is None:  # the problem belongs to this manager: it blocks their grading
            row_id = self.id_at(position)
        self.findings.append(Finding.of(where, rule, message, severity, row_id))
        if severity is Severity.ERROR:
            self.bad.add(position)

    def id_at(self, position: int) -> Any:
        """The id of one row, read from the arrays Arrow gave when they are kept: a bad cell
        on a million-row sheet makes no list of a million ids."""
        if "employee_id" not in self.values:
            return None
        kept = self.values.arrays("employee_id")
        if isinstance(kept, tuple):  # codes into the distinct ids
            codes, words = kept
            return words[codes[position]] if position < len(codes) else None
        if kept is not None:  # Arrow's text, or an object array
            return columnar.value(kept, position) if position < len(kept) else None
        ids = self.values["employee_id"]
        return ids[position] if position < len(ids) else None


def _numbers(values: Sequence[int]) -> np.ndarray:
    import numpy as np

    return np.array(values, dtype=np.int64)


def find_header(
    sheet: RawSheet, aliases: Mapping[str, Sequence[str]], required: Sequence[str]
) -> tuple[int, dict[str, tuple[int, str]]]:
    """The header row is the one among the first rows that names the most known fields."""
    lookup: dict[str, str] = {}
    for name, words in aliases.items():
        for word in words:
            lookup.setdefault(normalise_header(word), name)
    best_row, best = -1, dict[str, tuple[int, str]]()
    for r, row in enumerate(sheet.rows[:HEADER_SCAN_ROWS]):
        found: dict[str, tuple[int, str]] = {}
        for c, cell in enumerate(row):
            if cells.is_blank(cell):
                continue
            match = lookup.get(normalise_header(cells.text(cell)))
            if match is not None and match not in found:
                found[match] = (c, cells.text(cell))
        if len(found) > len(best):
            best_row, best = r, found
    missing = [name for name in required if name not in best]
    if missing:
        raise DataError(_missing(sheet, best_row, missing, aliases))
    return best_row, best


def _warn_repeats(table: Table, aliases: Mapping[str, Sequence[str]]) -> None:
    """A second 销售额 column is ignored; say which one is used instead of guessing silently."""
    lookup = {normalise_header(w): name for name, words in aliases.items() for w in words}
    row = table.sheet.rows[table.header_row - 1]
    for c, cell in enumerate(row):
        name = None if cells.is_blank(cell) else lookup.get(normalise_header(cells.text(cell)))
        if name is not None and table.columns[name][0] != c:
            used = cells.column_letter(table.columns[name][0])
            where = Location(
                table.sheet.path,
                sheet=table.sheet.sheet,
                row=table.header_row,
                column=cells.column_letter(c),
            )
            message = said("data.column_repeated", header=cells.text(cell), name=name, used=used)
            table.findings.append(Finding.of(where, "AMD018", message, Severity.WARNING))


def _missing(
    sheet: RawSheet, header_row: int, missing: Sequence[str], aliases: Mapping[str, Sequence[str]]
) -> list[Finding]:
    if not any(not cells.is_blank(v) for row in sheet.rows for v in row):
        where = Location(sheet.path, sheet=sheet.sheet)
        return [Finding.of(where, "AMD003", said("data.sheet_empty"))]
    out = []
    if header_row < 0:
        where = Location(sheet.path, sheet=sheet.sheet)
        key, place = "data.column_missing_no_header", {"rows": HEADER_SCAN_ROWS}
    else:
        where = Location(sheet.path, sheet=sheet.sheet, row=header_row + 1)
        key, place = "data.column_missing", {"row": header_row + 1}
    for name in missing:
        accepted = [str(word) for word in aliases.get(name, [name])]
        if name.startswith("ability:"):
            setting = f"ability.indicators.{name.split(':', 1)[1]}.aliases"
        else:
            setting = f"columns.{name}"
        message = said(key, **place, name=name, accepted=accepted, setting=setting)
        out.append(Finding.of(where, "AMD003", message))
    return out


def read_table(
    sheet: RawSheet, specs: Sequence[FieldSpec], aliases: Mapping[str, Sequence[str]]
) -> Table:
    """Typed values for every field found; rows with unreadable cells are marked bad."""
    required = [s.name for s in specs if s.required]
    wanted = {s.name: aliases.get(s.name, [s.name]) for s in specs}
    try:
        header_row, columns = find_header(sheet, wanted, required)
    except DataError:
        if sheet.full is None:
            raise
        sheet = sheet.complete()  # say what is missing from the whole sheet, not its head
        header_row, columns = find_header(sheet, wanted, required)
    present = [s for s in specs if s.name in columns]
    grid = sheet.body(header_row + 1) if sheet.body is not None else None
    if grid is not None:
        table = Table(sheet, header_row + 1, columns)
        if _read_columns(table, present, grid):
            _warn_repeats(table, wanted)
            return table
    sheet = sheet.complete()
    table = Table(sheet, header_row + 1, columns)
    _warn_repeats(table, wanted)
    body = sheet.rows[header_row + 1 :]
    start = header_row + 2  # the sheet row number of body[0]
    kept = [i for i, row in enumerate(body) if not _blank_row(row)]
    index = columns.get("employee_id", (None, ""))[0]
    if index is not None:
        candidates = [
            k
            for k, i in enumerate(kept)
            if index >= len(body[i])
            or cells.is_blank(body[i][index])
            or (isinstance(body[i][index], str) and _opens(body[i][index]))
        ]
        drop = _drop_rows(table, candidates, lambda k: body[kept[k]], lambda k: start + kept[k])
        kept = [i for k, i in enumerate(kept) if k not in drop]
    table.rows = _numbers([start + i for i in kept])
    slow = not sheets.COLUMNAR  # every cell parsed alone: the reference the tests compare
    for spec in present:
        index = columns[spec.name][0]
        raw = [body[i][index] if index < len(body[i]) else None for i in kept]
        table.values[spec.name] = _column(table, spec, raw, slow=slow)
    return table


def _read_columns(table: Table, present: Sequence[FieldSpec], grid: Grid) -> bool:
    """The columnar twin of the loop above: the same values and the same findings, or False
    (nothing reported) when a column holds a type only the per-cell path reads right."""
    import numpy as np
    import pyarrow as pa

    kept = np.flatnonzero(~grid.blank_rows())
    kept = _drop_summaries(table, kept, grid)
    picked = {}
    for spec in present:
        index = table.columns[spec.name][0]
        column = grid.columns[index] if index < len(grid.columns) else pa.nulls(grid.height)
        if not isinstance(column, np.ndarray):
            temporal = pa.types.is_timestamp(column.type) or pa.types.is_date(column.type)
            if temporal and spec.kind != "date":
                return False  # a date read as text or a number: the cell's own type says how
        picked[spec] = columnar.take(column, kept)
    table.rows = (kept + grid.start + 1).astype(np.int64)
    for spec, column in picked.items():
        if isinstance(column, np.ndarray):  # mixed types: each cell parsed by what it is
            table.values[spec.name] = _column(table, spec, column.tolist(), slow=False)
        else:
            _arrow_column(table, spec, column)
    return True


def _arrow_column(table: Table, spec: FieldSpec, column: Any) -> None:
    """One typed column into the table: numbers in numpy; other kinds once per distinct
    value. A column with every cell good is kept as its arrays (see Columns)."""
    import numpy as np
    import pyarrow as pa
    import pyarrow.compute as pc

    if spec.kind == "number" and (
        pa.types.is_floating(column.type) or pa.types.is_integer(column.type)
    ):
        # past 2^53 a whole number has no float of its own, and every bound is below it
        # (ABSURD): such a value is out of range, said with the float nearest to it
        values = column.cast(pa.float64(), safe=False).to_numpy(zero_copy_only=False)
        low, high = _bounds(spec)
        with np.errstate(invalid="ignore"):
            good = np.isfinite(values) & (values >= low) & (values <= high)
        if good.all():
            table.values.keep(spec.name, values, values.tolist)
            return
        out: list[Any] = values.tolist()
        for position in np.flatnonzero(~good).tolist():
            value = out[position]
            raw = None if value != value else value  # NaN is an empty cell, as in a frame
            out[position] = _cell(table, position, spec, raw)
        table.values[spec.name] = out
        return
    if spec.kind == "number" and pa.types.is_string(column.type):
        _text_numbers(table, spec, column)
        return
    if spec.kind in ("id", "text") and _mostly_distinct(column):
        _distinct_text(table, spec, column)
        return
    if pa.types.is_floating(column.type):
        column = pc.if_else(pc.is_nan(column), pa.scalar(None, column.type), column)
    encoded = pc.dictionary_encode(column)
    distinct = columnar.to_list(encoded.dictionary)  # a date Python cannot hold as text
    if pa.types.is_timestamp(column.type):  # a time of day: what the cell reader gives
        distinct = [
            v.time() if isinstance(v, dt.datetime) and v.year < 1900 else v for v in distinct
        ]
    fast = _parse_or_miss(spec.kind)
    parsed = np.empty(len(distinct) + 1, dtype=object)
    parsed[:-1] = _parse_distinct(spec.kind, encoded.dictionary, distinct, fast)
    parsed[-1] = _MISS  # an empty cell
    codes = encoded.indices.fill_null(len(distinct)).to_numpy(zero_copy_only=False)
    codes = codes.astype(np.int64, copy=False)
    misses = np.flatnonzero(parsed == _MISS)  # an empty cell's code, and those of bad cells
    missed = np.flatnonzero(np.isin(codes, misses)).tolist()
    if not missed:
        table.values.keep(spec.name, (codes, parsed[:-1].tolist()), parsed[codes].tolist)
        return
    out = parsed[codes].tolist()
    for position in missed:
        code = int(codes[position])
        out[position] = _cell(
            table, position, spec, distinct[code] if code < len(distinct) else None
        )
    table.values[spec.name] = out


def _mostly_distinct(column: Any) -> bool:
    """Text whose first rows hardly repeat (ids, names): hashing it into a dictionary costs
    more than checking every cell, as large as the dictionary would be."""
    import pyarrow as pa
    import pyarrow.compute as pc

    text = pa.types.is_string(column.type) or pa.types.is_large_string(column.type)
    if not text or len(column) < _SAMPLE:
        return False
    return bool(pc.count_distinct(column.slice(0, _SAMPLE)).as_py() > _SAMPLE // 2)


_SAMPLE = 10_000


def _distinct_text(table: Table, spec: FieldSpec, column: Any) -> None:
    """An id or text column cell by cell in Arrow: the plain cells as they are, the rest
    (and the blanks) parsed and reported one by one, as the dictionary path does."""
    import numpy as np

    plain = _plain_words(column).fill_null(False).to_numpy(zero_copy_only=False)
    if plain.all():  # kept as Arrow's text: a million ids as Python strings only when asked
        table.values.keep(spec.name, column, column.to_pylist)
        return
    values = column.to_numpy(zero_copy_only=False)
    fast = _parse_or_miss(spec.kind)
    for position in np.flatnonzero(~plain).tolist():
        raw = values[position]
        got = _MISS if raw is None else fast(raw)
        values[position] = _cell(table, position, spec, raw) if got is _MISS else got
    table.values.keep(spec.name, values, values.tolist)


def _plain_words(words: Any) -> Any:
    """Where text is what cells.text gives back unchanged and an id may hold (see below)."""
    import pyarrow.compute as pc

    simple = _alnum(words)
    if simple is not None:
        return simple
    named = pc.match_substring_regex(words, _NAMES)  # one pass, for a column of names
    if pc.all(named.fill_null(True)).as_py():
        return named
    trimmed = pc.equal(pc.utf8_trim_whitespace(words), words)
    printable = pc.match_substring_regex(words, _PRINTABLE)
    astral = pc.match_substring_regex(words, _ASTRAL)
    folded = pc.equal(pc.utf8_normalize(words, "NFKC"), words)
    return pc.and_(pc.and_(trimmed, printable), pc.and_(pc.invert(astral), folded))


def _alnum(words: Any) -> Any:
    """pc.ascii_is_alnum of the words when every filled one is ASCII letters and digits
    (KM0001: plain by every test of _plain_words, neither blank nor a total), else None."""
    import pyarrow.compute as pc

    simple = pc.ascii_is_alnum(words)
    return simple if pc.all(simple.fill_null(True)).as_py() else None


# Text that cells.text gives back unchanged and an id may hold, judged by Arrow over a whole
# column as _clean_text judges one value: every character printable as str.isprintable has
# it (a letter, mark, number, punctuation, symbol or the ASCII space), in the Basic
# Multilingual Plane (where Arrow's and Python's Unicode tables agree), nothing to strip.
_PRINTABLE = r"^[\p{L}\p{M}\p{N}\p{P}\p{S} ]+$"
_ASTRAL = r"[\x{10000}-\x{10FFFF}]"
_ISO_DAY = r"^[0-9]{4}-[0-9]{2}-[0-9]{2}$"
# Names as most rosters write them: ASCII letters and digits, CJK ideographs of the Basic
# Multilingual Plane (the unified ones, which NFKC leaves as they are; not the compatibility
# ones at U+F900) and the middle dot of 阿卜杜·热合曼. A word made of these alone passes every
# test of _plain_words, so a column of them needs this one pass instead of four.
_NAMES = r"^[A-Za-z0-9\x{3400}-\x{4DBF}\x{4E00}-\x{9FFF}·]+$"


def _parse_distinct(
    kind: str, dictionary: Any, distinct: list[Any], fast: Callable[[Any], Any]
) -> list[Any]:
    """The distinct values of a column parsed: the plain ones (clean text for an id or a
    text, an ISO day for a date) a column at a time, the rest one by one by cells.py."""
    import numpy as np
    import pyarrow as pa
    import pyarrow.compute as pc

    text = pa.types.is_string(dictionary.type) or pa.types.is_large_string(dictionary.type)
    if not text or kind not in ("id", "text", "date") or not len(distinct):
        return [fast(v) for v in distinct]
    if kind == "date":
        plain = pc.match_substring_regex(dictionary, _ISO_DAY)
        days = pc.strptime(dictionary, format="%Y-%m-%d", unit="s", error_is_null=True)
        # Arrow reads the year 0000, which Python's dates do not have: cells.py says why
        plain = pc.and_(plain, pc.greater_equal(pc.year(days), 1))
        days = pc.if_else(plain, days, pa.scalar(None, days.type))
        ready = pc.cast(days, pa.date32()).to_pylist()
    else:
        plain = _plain_words(dictionary)
        ready = distinct
    ok = plain.fill_null(False).to_numpy(zero_copy_only=False)
    out = list(ready)
    for position in np.flatnonzero(~ok).tolist():
        out[position] = fast(distinct[position])
    return out


# Rows that belong to the form, not to a manager: a 合计 row, a 注：… footnote, the 制表人
# line (text() has folded the full-width colon to ":")
_TOTAL = re.compile(r"^(?:合计|小计|总计|总和|平均|合\s+计|总\s+计)")
_NOTE = re.compile(r"^(?:注|备注|说明|制表人?|审核人?|填表人?|填报人?|数据来源)\s*:")
# a cheap first look; Arrow's \s is ASCII, and cells.text strips every Unicode space
_OPENS = (
    r"^[\s\p{Z}\x{1c}-\x{1f}\x{85}]*(?:合|小|总|平均|注|备注|说明|制表|审核|填表|填报|数据来源)"
)


def summary_kind(row: Sequence[Any]) -> str | None:
    """'total' or 'note' when the row's first filled cell opens a total or a footnote."""
    first = next((v for v in row if not cells.is_blank(v)), None)
    if not isinstance(first, str):
        return None
    word = cells.text(first)
    if _TOTAL.match(word):
        return "total"
    if _NOTE.match(word):
        return "note"
    return None


def _drop_summaries(table: Table, kept: Any, grid: Grid) -> Any:
    """The columnar twin of _drop_rows: only rows whose id cell is empty or text are looked at."""
    import numpy as np
    import pyarrow as pa
    import pyarrow.compute as pc

    index = table.columns.get("employee_id", (None, ""))[0]
    if index is None or index >= len(grid.columns):
        return kept
    ids = columnar.take(grid.columns[index], kept)
    if isinstance(ids, np.ndarray):  # ids of mixed types, as cells
        candidates = [
            k
            for k, v in enumerate(ids.tolist())
            if cells.is_blank(v) or (isinstance(v, str) and _opens(v))
        ]
    else:
        text = pa.types.is_string(ids.type) or pa.types.is_large_string(ids.type)
        if not (text or ids.null_count):
            return kept
        maybe = pc.is_null(ids)
        if text and _alnum(ids) is None:  # an empty id, or one opening like a total: one by one
            opening = pc.match_substring_regex(pc.utf8_normalize(ids, "NFKC"), _OPENS)
            maybe = pc.or_(maybe, pc.or_(pc.equal(pc.utf8_trim_whitespace(ids), ""), opening))
        candidates = np.flatnonzero(maybe.fill_null(True).to_numpy(zero_copy_only=False)).tolist()
    if not candidates:
        return kept

    def row(k: int) -> list[Any]:
        return [columnar.value(c, int(kept[k])) for c in grid.columns]

    keep = _drop_rows(table, candidates, row, lambda k: int(kept[k]) + grid.start + 1)
    return np.delete(kept, sorted(keep))


def _opens(text: str) -> bool:
    word = cells.text(text)
    return bool(_TOTAL.match(word) or _NOTE.match(word))


def _drop_rows(
    table: Table,
    candidates: Sequence[int],
    row: Callable[[int], Sequence[Any]],
    number: Callable[[int], int],
) -> set[int]:
    """Which candidates are totals and footnotes, left out with one note that names them.
    Never a manager: only a row whose first filled cell opens with 合计, 注：… and the like,
    its id cell empty or that very word."""
    index = table.columns.get("employee_id", (None, ""))[0]
    if index is None:
        return set()
    left: list[tuple[int, str, str]] = []
    drop: set[int] = set()
    for k in candidates:
        found = row(k)
        own = found[index] if index < len(found) else None
        kind = summary_kind(found)
        if kind is None or not (cells.is_blank(own) or (isinstance(own, str) and _opens(own))):
            continue
        first = next(v for v in found if not cells.is_blank(v))
        drop.add(k)
        left.append((number(k), kind, str(first).strip()[:20]))
    if left:
        shown = chained(
            "data.semicolon",
            [
                said("data.left_total" if kind == "total" else "data.left_note", row=r, text=text)
                for r, kind, text in left
            ],
        )
        message = said("data.rows_left_out", count=len(left), rows=shown)
        where = Location(table.sheet.path, sheet=table.sheet.sheet, row=left[0][0])
        table.findings.append(Finding.of(where, "AMD025", message, Severity.NOTE))
    return drop


def _blank_row(row: Sequence[Any]) -> bool:
    for v in row:
        if v is None or v == "":
            continue
        if type(v) is str and not v.strip():
            continue
        return False
    return True


def _column(table: Table, spec: FieldSpec, raw: list[Any], *, slow: bool) -> list[Any]:
    """A whole column at once: numbers in one vectorised pass, other kinds parsed once per
    distinct value with the rules of cells.py; the cells that fail go through `_cell`, which
    reports them. `slow` parses every cell alone, the reference the tests compare with."""
    if slow:
        return [_cell(table, position, spec, value) for position, value in enumerate(raw)]
    if spec.kind == "number":
        return _number_column(table, spec, raw)
    parse = _parse_or_miss(spec.kind)
    seen: dict[tuple[type, Any], Any] = {}
    out: list[Any] = []
    for position, value in enumerate(raw):
        key = (type(value), value)
        got = seen[key] if key in seen else seen.setdefault(key, parse(value))
        out.append(got if got is not _MISS else _cell(table, position, spec, value))
    return out


# A number written plainly (what csv gives for every number): Arrow's cast reads it as
# float() does, correctly rounded; anything else (a comma, a %, full-width digits, a space,
# an underscore, inf) is read, or reported, by cells.number alone.
_PLAIN_NUMBER = r"^[+-]?([0-9]+[.]?[0-9]*|[.][0-9]+)([eE][+-]?[0-9]+)?$"


def _text_numbers(table: Table, spec: FieldSpec, column: Any) -> None:
    """Numbers held as text, cast by Arrow where plain; the cells it cannot take go through
    `_cell`, which reads or reports them."""
    import numpy as np
    import pyarrow as pa
    import pyarrow.compute as pc

    plain = pc.match_substring_regex(column, _PLAIN_NUMBER).fill_null(False)
    values = pc.cast(pc.if_else(plain, column, pa.scalar(None, pa.string())), pa.float64())
    floats = values.to_numpy(zero_copy_only=False)
    low, high = _bounds(spec)
    with np.errstate(invalid="ignore"):
        good = plain.to_numpy(zero_copy_only=False) & np.isfinite(floats)
        good &= (floats >= low) & (floats <= high)
    if good.all():
        table.values.keep(spec.name, floats, floats.tolist)
        return
    out: list[Any] = floats.tolist()
    bad = np.flatnonzero(~good)
    for position, raw in zip(bad.tolist(), column.take(bad).to_pylist(), strict=True):
        out[position] = _cell(table, position, spec, raw)
    table.values[spec.name] = out


def _number_column(table: Table, spec: FieldSpec, raw: list[Any]) -> list[Any]:
    """Numbers in one vectorised pass; the cells it cannot take go through `_cell`."""
    import numpy as np
    import pandas as pd

    if len(raw) == 0:
        return []
    values = pd.to_numeric(pd.Series(raw, dtype=object), errors="coerce").to_numpy(dtype="float64")
    low, high = _bounds(spec)
    good = np.isfinite(values) & (values >= low) & (values <= high)
    kinds = np.fromiter(map(type, raw), dtype=object, count=len(raw))
    odd = ~np.isin(kinds, np.array([float, int, str], dtype=object))
    good &= ~odd  # booleans, dates and the like: the per-cell parser decides
    out: list[Any] = values.tolist()
    for position in np.flatnonzero(~good).tolist():
        out[position] = _cell(table, position, spec, raw[position])
    return out


_MISS = object()


def _clean_text(value: Any) -> bool:
    """Text that cells.text gives back unchanged (already NFKC, nothing to strip) and that an
    id may hold (printable)."""
    return (
        type(value) is str
        and value != ""
        and value.isprintable()
        and not (value[0].isspace() or value[-1].isspace())
        and (value.isascii() or unicodedata.is_normalized("NFKC", value))
    )


def _time_of_day(value: Any) -> Any:
    """A timestamp before 1900 stands for a cell holding a time of day (Excel's day 0)."""
    return value.time() if isinstance(value, dt.datetime) and value.year < 1900 else value


def _parse_or_miss(kind: str) -> Callable[[Any], Any]:
    """cells.py's parser for a kind, giving _MISS (for `_cell` to report) instead of an error;
    a blank is always a miss: whether it may be blank is `_cell`'s to say."""
    parser = PARSERS[kind]
    words = kind in ("id", "text")

    def parse(value: Any) -> Any:
        if words and _clean_text(value):
            return value  # what cells.text would give back
        if cells.is_blank(value):
            return _MISS
        try:
            return parser(value)
        except cells.CellError:
            return _MISS

    return parse


def _cell(table: Table, position: int, spec: FieldSpec, raw: Any) -> Any:
    if cells.is_blank(raw):
        if not spec.allow_blank:
            empty = said("data.cell_empty", header=table.header(spec.name))
            table.report(position, spec.name, "AMD005", empty)
        return None
    try:
        value = PARSERS[spec.kind](raw)
    except cells.CellError as exc:
        rule = "AMD008" if spec.kind == "date" else "AMD006"
        unread = said("data.cell_unreadable", header=table.header(spec.name), problem=exc.said)
        table.report(position, spec.name, rule, unread)
        return None
    if spec.unit is not None and isinstance(raw, str) and cells.text(raw).endswith("%"):
        if spec.unit == "number":
            message = said(
                "data.percent_in_number", header=table.header(spec.name), raw=raw.strip()
            )
            table.report(position, spec.name, "AMD023", message)
            return None
        table.percent_text.setdefault(spec.name, set()).add(position)
        value = value / 100 if spec.unit == "fraction" else value
    if spec.kind == "number" and not _in_range(value, spec):
        low, high = _range_text(spec)
        table.report(
            position,
            spec.name,
            "AMD007",
            said(
                "data.out_of_range",
                header=table.header(spec.name),
                value=cells.text(value),
                low=low,
                high=high,
            ),
        )
        return None
    return value


ABSURD = 1e12  # no metric, target or score of one manager in one quarter is this large


def _bounds(spec: FieldSpec) -> tuple[float, float]:
    low = -ABSURD if spec.low is None else spec.low
    high = ABSURD if spec.high is None else spec.high
    return low, high


def _in_range(value: float, spec: FieldSpec) -> bool:
    low, high = _bounds(spec)
    return low <= value <= high


def _range_text(spec: FieldSpec) -> tuple[str, str]:
    """The range's bounds as the message shows them: [low, high]."""
    low = cells.text(float(-ABSURD if spec.low is None else spec.low))
    high = cells.text(float(ABSURD if spec.high is None else spec.high))
    return low, high


def chained(key: str, items: Sequence[Said | str]) -> Said | str:
    """Items joined two by two with `key` (a template over {a} and {b}, like "{a}; {b}"): a
    list whose English joins with something other than a comma. Balanced, so a long list
    nests only as deep as its logarithm."""
    if len(items) <= 1:
        return items[0] if items else ""
    middle = len(items) // 2
    return said(key, a=chained(key, items[:middle]), b=chained(key, items[middle:]))
