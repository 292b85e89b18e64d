"""Where the three input tables are: sheets of one workbook, or files beside the roster.

HR keeps roster, performance and ratings either as sheets of one workbook or as files side by
side in the quarter's folder; explicit paths override both.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from pathlib import Path

from amctl.data.sheets import SUFFIXES, settle, sheet_names
from amctl.data.tables import TABLE_NAMES, chained
from amctl.errors import AmctlError, UsageError
from amctl.messages import Said, said
from amctl.policy.columns import normalise_header
from amctl.policy.models import Policy

TABLES = ("roster", "performance", "ratings")


class TableNotFound(UsageError):
    """A table is neither a sheet of the roster's workbook nor a file beside it."""

    def __init__(self, message: Said, table: str) -> None:
        super().__init__(message)
        self.table = table


@dataclass(frozen=True)
class Source:
    """Where one table came from: a file, and a sheet of it when it is a workbook."""

    path: Path
    sheet: str | None

    def __str__(self) -> str:
        return f"{self.path}:{self.sheet}" if self.sheet else str(self.path)


def locate(
    roster: Path,
    policy: Policy,
    performance: Path | None = None,
    ratings: Path | None = None,
    tables: tuple[str, ...] = TABLES,
) -> dict[str, Source]:
    """Sheets of the roster workbook first, then files beside it; explicit paths win.
    `tables`: those the period's review reads (a monthly review reads no ratings).

    A workbook's guard goes on while its sheets are read (sheets._Guarded): what cannot be
    found here is said only once the workbooks named passed it, so that a workbook refused
    is said first, as when it was scanned whole before its sheets were named."""
    try:
        return _located(roster, policy, performance, ratings, tables)
    except AmctlError:
        settle(_files(roster, performance, ratings))
        raise


def _files(*given: Path | None) -> list[Path]:
    """The files named: `book.xlsx#业绩表` is book.xlsx."""
    out = []
    for path in given:
        if path is not None:
            out.append(path)
            file, mark, _ = str(path).rpartition("#")
            if mark:
                out.append(Path(file))
    return out


def _located(
    roster: Path,
    policy: Policy,
    performance: Path | None,
    ratings: Path | None,
    tables: tuple[str, ...],
) -> dict[str, Source]:
    roster, chosen = _chosen(roster)
    explicit = {"performance": performance, "ratings": ratings}
    names = sheet_names(roster)
    found: dict[str, Source] = {}
    aliases = {
        "roster": policy.sheets.roster,
        "performance": policy.sheets.performance,
        "ratings": policy.sheets.ratings,
    }
    for table in (t for t in TABLES if t in tables):
        given = explicit.get(table)
        if given is not None:
            file, sheet = _chosen(given)
            if sheet is None:
                sheet = _matching_sheet(sheet_names(file), aliases[table])
            found[table] = Source(file, sheet)
            continue
        sheet = _matching_sheet(names, aliases[table])
        if table == "roster":
            found[table] = roster_source(roster, policy, chosen)
        elif sheet is not None:
            found[table] = Source(roster, sheet)
        else:
            beside = _file_beside(roster, aliases[table] + [table])
            if beside is not None:
                found[table] = Source(beside, _matching_sheet(sheet_names(beside), aliases[table]))
            elif _carries(found["roster"], _headers(policy, table), table == "ratings"):
                found[table] = found["roster"]  # one sheet with every column: a 考核汇总表
            else:
                message = _not_found(roster, table, aliases[table], bool(names))
                raise TableNotFound(message, table)
    return found


def _chosen(path: Path) -> tuple[Path, str | None]:
    """`book.xlsx#业绩表` or `book.xlsx#2`: a sheet chosen by name or position (from 1). A
    file whose own name holds a # is taken whole."""
    file, mark, sheet = str(path).rpartition("#")
    if not mark or path.exists() or not Path(file).exists():
        return path, None
    names = sheet_names(Path(file))
    if sheet in names:
        return Path(file), sheet
    if sheet.isdigit() and 1 <= int(sheet) <= len(names):
        return Path(file), names[int(sheet) - 1]
    if not names:
        raise UsageError(said("data.no_such_sheet_csv", file=file, sheet=sheet))
    listed = [f"{n} (#{i})" for i, n in enumerate(names, 1)]
    raise UsageError(said("data.no_such_sheet", file=file, sheet=sheet, sheets=listed))


def _headers(policy: Policy, table: str) -> set[str]:
    """Headers only this table has: the performance metrics, or the ability indicators."""
    from amctl.policy.columns import aliases_for

    aliases = aliases_for(policy.columns)
    if table == "performance":
        names = {i.metric for i in policy.performance.indicators.values()}
        return {normalise_header(w) for n in names for w in aliases.get(n, [n])}
    words = {w for i in policy.ability.indicators.values() for w in [i.label, *i.aliases]}
    return {normalise_header(w) for w in words}


def _carries(source: Source, headers: set[str], parts: bool) -> bool:
    """Whether the sheet's first rows hold a header naming one of `headers` (whole, or for
    ratings as a part of a rater-and-indicator header like 上级-沟通协调能力)."""
    from amctl.data.sheets import read_sheet
    from amctl.data.tables import HEADER_SCAN_ROWS

    rows = read_sheet(source.path, source.sheet).rows[:HEADER_SCAN_ROWS]
    seen = {normalise_header(str(c)) for row in rows for c in row if isinstance(c, str)}
    return any(h == s or (parts and len(h) > 1 and h in s) for h in headers for s in seen)


def roster_source(roster: Path, policy: Policy, chosen: str | None = None) -> Source:
    """The roster sheet of a workbook (by name, else the first sheet), or the csv file.

    The first sheet is taken only when it is not another table's sheet: a workbook whose
    sheets are 业绩 and 能力评价 has no roster, and saying so beats reading 业绩 as one.
    """
    if chosen is None:
        roster, chosen = _chosen(roster)
    if chosen is not None:
        return Source(roster, chosen)
    names = sheet_names(roster)
    sheet = _matching_sheet(names, policy.sheets.roster)
    if sheet is not None or not names:
        return Source(roster, sheet)
    others = [*policy.sheets.performance, *policy.sheets.ratings]
    if len(names) > 1 and _matching_sheet(names[:1], others) is not None:
        raise UsageError(
            said(
                "data.no_roster_sheet",
                roster=str(roster),
                names="/".join(policy.sheets.roster),
                sheets=names,
            )
        )
    return Source(roster, names[0])


def _matching_sheet(names: list[str], aliases: list[str]) -> str | None:
    wanted = {normalise_header(a) for a in aliases}
    found = [n for n in names if normalise_header(n) in wanted]
    if len(found) > 1:
        raise UsageError(said("data.same_table_sheets", sheets=chained("data.and", found)))
    return found[0] if found else None


def _file_beside(roster: Path, stems: list[str]) -> Path | None:
    wanted = {normalise_header(s) for s in stems}
    folder = roster.parent
    if not folder.is_dir():
        return None
    candidates = sorted(
        p
        for p in folder.iterdir()
        if p.suffix.lower() in SUFFIXES and normalise_header(p.stem) in wanted and p != roster
    )
    return candidates[0] if candidates else None


def _not_found(roster: Path, table: str, aliases: list[str], workbook: bool) -> Said:
    named = TABLE_NAMES[table]
    if workbook:
        return said(
            "data.table_not_found_in_workbook",
            table=named,
            roster=roster.name,
            names="/".join(aliases),
            stem=table,
        )
    return said("data.table_not_found", table=named, stem=table)


def file_hash(path: Path) -> str:
    """sha256 of the file, read through one small buffer: a large input is not held twice."""
    with path.open("rb") as f:
        return hashlib.file_digest(f, "sha256").hexdigest()
