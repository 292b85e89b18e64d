"""Open xlsx and csv files as raw grids of cells; nothing here knows what the columns mean."""

from __future__ import annotations

import csv
import functools
import io
import threading
from collections.abc import Callable, Iterable, Iterator
from concurrent.futures import Future
from contextlib import contextmanager, suppress
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from amctl.data import columnar
from amctl.data.guard import (
    BUDGETS,
    HEAD_ROWS,
    OLE2,
    Checked,
    SheetScan,
    budget,
    check_csv,
    check_input_file,
    check_ods,
    check_parquet,
    over,
)
from amctl.data.peek import head_rows, merged_ranges
from amctl.errors import DataError, Finding, Location, unreadable
from amctl.messages import Said, said

WORKBOOK_SUFFIXES = {".xlsx", ".xlsm", ".xls", ".xlsb", ".ods"}
CSV_SUFFIXES = {".csv", ".txt"}
PARQUET_SUFFIXES = {".parquet", ".pq"}
SUFFIXES = WORKBOOK_SUFFIXES | CSV_SUFFIXES | PARQUET_SUFFIXES


@dataclass(frozen=True)
class RawSheet:
    """Cells as read; `rows[i]` is sheet row i + 1. `sheet` is None for csv files.

    A sheet read in columns has only its first rows in `rows` (enough to find the header);
    `body` gives the typed columns from a row on, or None, and then `full` reads every cell.
    """

    path: str
    sheet: str | None
    rows: list[list[Any]]
    body: columnar.Body | None = None
    full: Callable[[], RawSheet] | None = None

    def complete(self) -> RawSheet:
        return self.full() if self.full is not None else self


# The columnar readers. Off, every sheet is read cell by cell: the tests compare the two.
COLUMNAR = True


def _fast() -> bool:
    return COLUMNAR


def _fail(path: Path, message: Said) -> DataError:
    return DataError([Finding.of(Location(str(path)), "AMD001", message)], message)


def sheet_names(path: Path) -> list[str]:
    """Sheet names of a workbook; a csv file has none."""
    if path.suffix.lower() in CSV_SUFFIXES | PARQUET_SUFFIXES:
        return []
    return _names(path)


def read_sheet(path: Path, sheet: str | None = None) -> RawSheet:
    """One sheet (the first when `sheet` is None) or the whole csv file."""
    if path.suffix.lower() in CSV_SUFFIXES:
        return _csv_sheet(path)
    if path.suffix.lower() in PARQUET_SUFFIXES:
        return _parquet_sheet(path)
    names = _names(path)
    name = sheet if sheet is not None else (names[0] if names else None)
    if _fast() and name is not None and path.suffix.lower() in (".xlsx", ".xlsm"):
        guarded = _guarded(path)
        guarded.agree(names)  # on the guard asked: another may stand in its place since
        scan = guarded.sheet(name)
        head = None if scan is None else head_rows(path, scan)
        if scan is not None and head is not None:
            return RawSheet(
                str(path),
                name,
                head,
                body=columnar.xlsx_body(
                    path,
                    name,
                    merged_ranges(scan),
                    lambda: _calamine_sheet(path, name).rows,
                    mixed=scan.mixed,
                ),
                full=lambda: _calamine_sheet(path, sheet),
            )
    whole = _calamine_sheet(path, sheet)
    if not _fast():
        return whole
    return RawSheet(  # xls, ods: read as cells once, then taken in columns like the rest
        whole.path,
        whole.sheet,
        whole.rows,
        body=lambda start: columnar.from_cells(start, whole.rows),
    )


def _calamine_sheet(path: Path, sheet: str | None) -> RawSheet:
    book = _workbook(path)
    names = list(book.sheet_names)
    if not names:
        raise _fail(path, said("data.no_sheets"))
    name = sheet if sheet is not None else names[0]
    ahead = None
    if path.suffix.lower() in (".xlsx", ".xlsm"):
        guarded = _guarded(path)
        guarded.agree(names)
        guarded.sheet(name)  # the sheet passed the guard before it is parsed
        ahead = guarded.taken(name)
    if name not in names:
        raise DataError(
            [
                Finding.of(
                    Location(str(path), sheet=name),
                    "AMD002",
                    said("data.no_sheet_named", sheet=name, sheets=[str(n) for n in names]),
                )
            ]
        )
    try:
        sheet_obj = ahead if ahead is not None else book.get_sheet_by_name(name)
        rows: list[list[Any]] = sheet_obj.to_python(skip_empty_area=False)  # lists already
        merged = sheet_obj.merged_cell_ranges or []
    except BaseException as exc:  # calamine reports damaged sheets with its own error types
        if not unreadable(exc):
            raise
        unread = said("data.sheet_unreadable", sheet=name, error=str(exc))
        raise _fail(path, unread) from None
    return RawSheet(str(path), name, _unmerge(path, name, rows, merged))


def _unmerge(path: Path, sheet: str, rows: list[list[Any]], merged: list[Any]) -> list[list[Any]]:
    """A merged range shows its value in every cell, as the person looking at it reads it.
    Ranges are cut to the sheet's own grid (a range to XFD1048576 adds nothing past it), and
    overlapping ranges, which Excel does not allow, may not fill more than the cell budget."""
    width = max((len(r) for r in rows), default=0)
    left = budget("CELLS")
    for (r0, c0), (r1, c1) in merged:
        if r0 >= len(rows) or c0 >= len(rows[r0]):
            continue
        value = rows[r0][c0]
        last = min(c1, width - 1)
        for r in range(r0, min(r1, len(rows) - 1) + 1):
            row = rows[r]
            if len(row) <= last:
                row.extend([None] * (last + 1 - len(row)))
            row[c0 : last + 1] = [value] * (last + 1 - c0)
            left -= last + 1 - c0
        if left < 0:
            raise over(path, said("data.merged_fill"), "CELLS", sheet)
    return rows


def _workbook(path: Path) -> Any:
    _check_file(path)
    stat = path.stat()
    key = (str(path.resolve()), stat.st_mtime_ns, stat.st_size, threading.get_ident())
    return _open_workbook(str(path), *key)


@functools.lru_cache(maxsize=8)
def _open_workbook(given: str, resolved: str, mtime_ns: int, size: int, thread: int) -> Any:
    """Once per file version and thread: one workbook holds several tables, and opening
    costs time; a workbook is not for two threads at once."""
    from python_calamine import CalamineWorkbook

    path = Path(given)
    if path.suffix.lower() not in WORKBOOK_SUFFIXES:
        raise _fail(path, said("data.not_spreadsheet", suffix=path.suffix))
    if path.suffix.lower() in (".xlsx", ".xlsm"):
        _precheck(path)
    try:
        return CalamineWorkbook.from_path(str(path))
    except BaseException as exc:  # calamine raises several private error types for damaged files
        if not unreadable(exc):
            raise
        reason = str(exc).splitlines()[0] if str(exc) else type(exc).__name__
        raise _fail(path, said("data.cannot_open", reason=reason)) from None


def _precheck(path: Path) -> None:
    """What must pass before the workbook is opened: its parts read on opening (the sheets
    are scanned meanwhile, each waited for before it is read)."""
    with path.open("rb") as fh:
        if fh.read(8) == OLE2:
            raise _fail(path, said("data.encrypted"))
    _guarded(path).opened()


def _names(path: Path) -> list[str]:
    """Sheet names, from fastexcel when it will read the data too: one open, not two."""
    if _fast() and path.suffix.lower() in (".xlsx", ".xlsm"):
        _check_file(path)
        _precheck(path)
        try:
            names = list(columnar.workbook(path).sheet_names)
        except BaseException as exc:  # a damaged file: calamine's open says what is wrong
            if not unreadable(exc):
                raise
            names = list(_workbook(path).sheet_names)
        _guarded(path).agree(names)
        return names
    return list(_workbook(path).sheet_names)


def _guarded(path: Path) -> _Guarded:
    """The workbook's guard, once per file version and budgets: one workbook is opened for
    several tables, and a refusal is said once. A budget raised or a file put right is
    another key; a guard that failed otherwise than by refusing (the disk, memory) is not
    kept."""
    stat = path.stat()
    key = (str(path.resolve()), stat.st_mtime_ns, stat.st_size, tuple(map(budget, BUDGETS)))
    with _GUARDS_LOCK:
        found = _GUARDS.get(key)
    if found is not None and not found.broken():
        return found
    made = _Guarded(Path(key[0]))
    with _GUARDS_LOCK:
        _GUARDS[key] = made
        while len(_GUARDS) > 16:
            del _GUARDS[next(iter(_GUARDS))]
    return made


_GUARDS: dict[tuple[str, int, int, tuple[int, ...]], _Guarded] = {}
_GUARDS_LOCK = threading.Lock()
# One workbook scanned at a time: a command that looks at every period's workbook (history)
# starts a guard for each, and each holds some 250 MB while it scans a large sheet.
_SCANNING = threading.Lock()


class _Guarded:
    """An xlsx's guard (data.guard.Checked), its sheets scanned in a worker one after another
    while the reader reads those that passed: the reader lets the GIL go, and a sheet read
    beside the next one's scan takes a second core. A sheet is handed out once it passed.
    A refusal is handed to every sheet not scanned yet, and it is the one a scan in the
    workbook's order would have met first (_first); `settled` makes sure of the sheets not
    read, and says the refusal in place of what their reading found.

    Only in a workbook whose map from names to entries is beyond doubt the reader's
    (guard._plain) and whose sheets the reader names as the guard does: in any other, a
    name may stand for another entry in the reader, and every sheet passes before any is
    read."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self.plain, self.named, self.order = False, list[str](), list[str]()
        self.done: list[Future[SheetScan]] = []
        self.parsed: dict[str, Future[Any]] = {}  # see _parse_ahead
        self.closed: DataError | None = None  # the parts read on opening refused
        try:
            checked = Checked(path)
        except DataError as exc:
            self.closed = exc
            return
        self.plain, self.named = checked.plain, checked.named
        self.order = [sheet for _, sheet in checked.sheets]
        self.done = [Future() for _ in self.order]
        run = threading.Thread(target=self._run, args=(checked,), name="amctl-guard", daemon=True)
        try:
            run.start()
        except BaseException:
            checked.close()
            raise

    def opened(self) -> None:
        """Raise the refusal of the parts read on opening: the workbook is not opened then."""
        if self.closed is not None:
            raise self.closed

    def _run(self, checked: Checked) -> None:
        try:
            with _SCANNING, checked:
                self._scan(checked)
        except BaseException as exc:  # the disk, memory, a bug: handed to whoever waits
            self._fail(exc)

    def _scan(self, checked: Checked) -> None:
        """The largest sheet first: the one whose reading waits longest for its scan (the
        ratings, four rows a manager), scanned while the others are named and read."""
        sizes = [info.file_size for info, _ in checked.sheets]  # as the zip says: an order only
        at = 0
        try:
            for at in sorted(range(len(sizes)), key=lambda at: (-sizes[at], at)):
                scan = checked.scan(at)
                if scan.mixed and self.plain:  # before its scan is handed out (taken)
                    self._parse_ahead(self.order[at])
                self.done[at].set_result(scan)
        except DataError as exc:
            self._fail(self._first(checked, at, exc))

    def _fail(self, exc: BaseException) -> None:
        """Every sheet not scanned yet says `exc` to whoever waits for it."""
        for waiting in self.done:
            if not waiting.done():
                waiting.set_exception(exc)

    def _first(self, checked: Checked, at: int, refused: BaseException) -> BaseException:
        """The refusal a scan in the workbook's order would have met first: the sheets
        before `at` not scanned yet are scanned now, in order."""
        for before in range(at):
            if not self.done[before].done():
                try:
                    self.done[before].set_result(checked.scan(before))
                except BaseException as exc:
                    return exc
        return refused

    def _parse_ahead(self, name: str) -> None:
        """A sheet whose columns mix text and numbers goes to the cell reader whole
        (columnar.xlsx_body): it is parsed now, beside the scans and the reading of the
        others, as python-calamine lets the GIL go while it parses (the 100k ratings sheet:
        1.7 s). In a thread of its own, with a workbook of its own: a workbook is not for
        two threads at once."""
        parsed: Future[Any] = Future()
        self.parsed[name] = parsed

        def parse() -> None:
            from python_calamine import CalamineWorkbook

            try:
                book = CalamineWorkbook.from_path(str(self.path))
                # named otherwise than by the guard: its map may not be the reader's
                agreed = list(book.sheet_names) == self.named
                parsed.set_result(book.get_sheet_by_name(name) if agreed else None)
            except BaseException as exc:  # read again by the caller, who says what is wrong
                parsed.set_exception(exc)

        threading.Thread(target=parse, name="amctl-parse", daemon=True).start()

    def taken(self, name: str) -> Any:
        """The sheet parsed ahead (python-calamine's), once; None when it was not."""
        parsed = self.parsed.pop(name, None)
        if parsed is None or parsed.exception() is not None:
            return None
        return parsed.result()

    def sheet(self, name: str) -> SheetScan | None:
        """The sheet's scan once it passed (None for a sheet the guard did not find: then
        after every sheet passed)."""
        self.opened()
        if not self.plain or name not in self.order:
            scans = self.all()
            # a name twice (a stray entry's path, say): which entry the reader reads under it
            # is not for the guard to say, so its first rows are not taken from either scan
            return scans.get(name) if self.order.count(name) == 1 else None
        found = None
        for done, named in zip(self.done, self.order, strict=True):
            if named == name:  # a name twice: each entry of it passed, the last kept
                found = done.result()
        return found

    def agree(self, names: list[str]) -> None:
        """The reader's names of the sheets: other than the guard's, no sheet is read before
        all passed."""
        if names != self.named:
            self.plain = False

    def all(self) -> dict[str, SheetScan]:
        self.opened()
        return {name: done.result() for name, done in zip(self.order, self.done, strict=True)}

    def broken(self) -> bool:
        """Whether the guard failed otherwise than by refusing (the disk, memory): such a
        failure is not kept."""
        return any(
            done.done() and not isinstance(done.exception(), DataError | None) for done in self.done
        )


def ahead(paths: Iterable[Path | None]) -> None:
    """Start the guard of the workbooks named on the command line while the rest of amctl
    is imported: it scans in a worker, and an import holds the GIL only part of the time.
    What is wrong with a file is said where it is read, not here."""
    for path in paths:
        if path is not None and path.suffix.lower() in (".xlsx", ".xlsm") and path.is_file():
            with suppress(Exception):
                _check_file(path)
                _precheck(path)


def _xlsx(paths: Iterable[Path]) -> list[Path]:
    return [p for p in dict.fromkeys(paths) if p.suffix.lower() in (".xlsx", ".xlsm")]


def settle(paths: Iterable[Path]) -> None:
    """Wait for the guard of each workbook among `paths`: its refusal, if any, is raised.
    Sheets parsed ahead and not read are let go."""
    for path in _xlsx(paths):
        if path.is_file():
            guarded = _guarded(path)
            try:
                guarded.all()
            finally:
                guarded.parsed.clear()  # the scans are done: no sheet is parsed ahead now


@contextmanager
def settled(paths: Iterable[Path]) -> Iterator[None]:
    """Read the workbooks' sheets within; on leaving, every sheet of them has passed the guard,
    or its refusal is raised, in place of whatever the reading found: a workbook refused in
    part is refused whole, as when its guard ran before any reading. An interrupt leaves at
    once."""
    books = _xlsx(paths)
    try:
        yield
    except Exception:
        settle(books)
        raise
    settle(books)


def _check_file(path: Path) -> None:
    if not path.exists():
        raise _fail(path, said("data.file_not_found"))
    if path.is_dir():
        raise _fail(path, said("data.is_folder"))
    info = path.stat()
    _budgets(str(path.resolve()), info.st_mtime_ns, info.st_size)


@functools.lru_cache(maxsize=16)
def _budgets(path: str, mtime_ns: int, size: int) -> None:
    """Once per file version: the file and, for parquet and ODS, what it stands for."""
    file = Path(path)
    check_input_file(file)
    suffix = file.suffix.lower()
    if suffix in PARQUET_SUFFIXES:
        check_parquet(file)
    elif suffix == ".ods":
        check_ods(file)


def _parquet_sheet(path: Path) -> RawSheet:
    """One reader: pyarrow's columns, as the grid and, when every cell is asked for, as rows."""
    _check_file(path)
    try:
        names, grid = columnar.parquet_grid(path)
    except Exception as exc:  # pyarrow raises several types for a damaged file
        raise _fail(path, said("data.parquet_unreadable", error=str(exc))) from None

    def whole() -> RawSheet:  # every cell as Python values: only when asked for
        return RawSheet(str(path), None, [names, *_head_of(grid, grid.height)])

    if not _fast():
        return whole()
    head = [names, *_head_of(grid, HEAD_ROWS - 1)]
    return RawSheet(str(path), None, head, body=_slicer(grid), full=whole)


def _csv_sheet(path: Path) -> RawSheet:
    content, dialect = _decode_csv(path)
    _check_quotes(path, content, dialect)

    def full() -> RawSheet:  # the csv module's reading of the text already decoded
        return RawSheet(str(path), None, _csv_rows(path, content, dialect))

    if not _fast():
        return full()
    try:
        head = columnar.csv_head(content, dialect, HEAD_ROWS)
    except csv.Error:
        return full()  # which says where the csv module stopped
    width = len(head[0]) if head else 0
    grid = None
    if all(len(r) == width for r in head):
        grid = columnar.csv_grid(content, dialect, width)
    if grid is None or _head_of(grid, len(head)) != head:
        # pyarrow and the csv module disagree on this file (rows of uneven length, a dialect
        # pyarrow reads otherwise): the csv module's rows, then read as columns all the same
        whole = full()
        return RawSheet(
            str(path),
            None,
            whole.rows[:HEAD_ROWS],
            body=_slicer(columnar.text_grid(whole.rows)),
            full=lambda: whole,
        )
    return RawSheet(str(path), None, head, body=_slicer(grid), full=full)


def _head_of(grid: columnar.Grid, rows: int) -> list[list[Any]]:
    cut = [columnar.to_list(c[:rows]) for c in grid.columns]
    return [list(r) for r in zip(*cut, strict=True)] if cut else []


def _slicer(grid: columnar.Grid) -> columnar.Body:
    def body(start: int) -> columnar.Grid | None:
        skip = start - grid.start
        if skip < 0:
            return None
        return columnar.Grid(start, [c[skip:] for c in grid.columns])

    return body


def frame_rows(frame: Any) -> list[list[Any]]:
    """A DataFrame as a sheet's cells: its column names as the header row, blanks as None."""
    values = frame.astype(object).where(frame.notna(), None).to_numpy().tolist()
    return [[str(c) for c in frame.columns], *values]


def _check_quotes(path: Path, content: str, dialect: Any) -> None:
    """A quote left open makes the csv reader take the lines after it as one field: the rows
    there would vanish into one cell. Lines with an odd count of quotes are where a field
    spans lines; each is read again on its own, and a field that runs over lines holding
    separators (rows, not a note with a line break) is refused at the line it opened."""
    import numpy as np

    quote = getattr(dialect, "quotechar", None) or '"'
    if quote not in content:
        return
    data = np.frombuffer(content.encode("utf-8"), dtype=np.uint8)
    ends = np.flatnonzero(data == ord("\n"))
    per_line = np.bincount(np.searchsorted(ends, np.flatnonzero(data == ord(quote))))
    odd = np.flatnonzero(per_line % 2).tolist()
    if not odd:
        return
    lines = content.split("\n")
    delimiter = getattr(dialect, "delimiter", ",")
    after = -1
    for start in odd:
        if start <= after:
            continue  # the line that closes a field already read
        reader = csv.reader((lines[i] + "\n" for i in range(start, len(lines))), dialect)
        try:
            next(reader, None)
            closed = True
        except csv.Error:  # the end of the file inside the field (strict dialects)
            closed = False
        real = len(lines) - (lines[-1] == "")  # a final line break ends the last line
        after = min(start + reader.line_num - 1, real - 1)
        span = after - start + 1
        closed = closed and (after < real - 1 or quote in lines[after])  # not the file's end
        # the lines taken whole, and the closing line up to its quote: rows there mean the
        # quote swallowed them (a note's line break holds none)
        taken = [
            *lines[start + 1 : after],
            lines[after].split(quote)[0] if closed else lines[after],
        ]
        if span > 1 and any(delimiter in line for line in taken):
            if closed:
                message = said(
                    "data.quote_closed_late", line=start + 1, closed=after + 1, lines=span - 1
                )
            else:
                message = said("data.quote_never_closed", line=start + 1, lines=span - 1)
            where = Location(str(path), row=start + 1)
            summary = said("data.quote_left_open", path=str(path))
            raise DataError([Finding.of(where, "AMD001", message)], summary)


def _csv_rows(path: Path, content: str, dialect: Any) -> list[list[Any]]:
    reader = csv.reader(io.StringIO(content), dialect)
    rows: list[list[Any]] = []
    try:
        for row in reader:
            rows.append(list(row))
    except csv.Error as exc:
        line = reader.line_num
        where = Location(str(path), row=line)
        limit = csv.field_size_limit()
        problem: Said | str = (
            said("data.csv_field_too_long", limit=limit) if "field larger" in str(exc) else str(exc)
        )
        message = said("data.csv_unreadable", line=line, problem=problem)
        summary = said("data.csv_not_read", path=str(path))
        raise DataError([Finding.of(where, "AMD001", message)], summary) from None
    return rows


def _decode_csv(path: Path) -> tuple[str, Any]:
    _check_file(path)
    raw = path.read_bytes()
    check_csv(path, raw)
    for encoding in ("utf-8-sig", "gb18030"):  # Chinese Excel saves csv as GBK unless told
        try:
            content = raw.decode(encoding)
            break
        except UnicodeDecodeError:
            continue
    else:
        raise _fail(path, said("data.not_utf8_gbk"))
    try:
        dialect: Any = csv.Sniffer().sniff(content[:4096], delimiters=",;\t")
    except csv.Error:
        dialect = csv.excel
    return content, dialect
