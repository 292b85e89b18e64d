"""Read the three input tables into checked frames.

Every roster row ends up either gradable or in `blocked` with the reasons, so nothing is lost.
"""

from __future__ import annotations

import datetime as dt
import operator
import threading
from collections import defaultdict
from collections.abc import Callable, Iterator, Mapping, Sequence
from concurrent.futures import Future
from dataclasses import dataclass
from functools import partial
from itertools import islice, repeat
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from amctl.data import declared
from amctl.data.locate import Source, file_hash
from amctl.data.ratings import RatingRows, Ratings, no_ratings, rating_rows, ratings_table
from amctl.data.rows import Blocked, block_ids, blocked_rows
from amctl.data.sheets import RawSheet, read_sheet, settled
from amctl.data.tables import TABLE_NAMES, FieldSpec, Table, read_table
from amctl.data.units import read_units
from amctl.errors import DataError, Finding, Severity
from amctl.messages import Said, said, say
from amctl.period import as_days
from amctl.policy.columns import ROSTER_OPTIONAL, ROSTER_REQUIRED, aliases_for, normalise_header
from amctl.policy.models import AsIs, Attainment, Policy

EMPTY_ROSTER_SAID = said("data.roster_empty")  # a roster with headers only (AMD017)
EMPTY_ROSTER = say(EMPTY_ROSTER_SAID)  # its English, for callers that still build from text
EARLIEST = dt.date(1950, 1, 1)  # a post start before this is a typo, not a career


@dataclass
class Inputs:
    roster: pd.DataFrame  # one row per gradable manager, index employee_id, sorted
    performance: pd.DataFrame  # index employee_id, one column per metric/target
    ratings: RatingRows  # who rated what, coded
    findings: list[Finding]
    blocked: list[Blocked]
    sources: dict[str, Source]
    hashes: dict[str, str]  # file path → sha256


def read_inputs(sources: dict[str, Source], policy: Policy) -> Inputs:
    with settled(s.path for s in sources.values()):
        hashes = {str(s.path): file_hash(s.path) for s in sources.values()}
        return build_inputs(_Sheets(sources), policy, sources, hashes)


class _Sheets(Mapping[str, RawSheet]):
    """The tables' sheets, each read when its table is first read: a workbook's table is
    read while its guard scans the next sheet (data.sheets._Guarded)."""

    def __init__(self, sources: dict[str, Source]) -> None:
        self.sources = sources
        self.read: dict[Source, RawSheet] = {}

    def __getitem__(self, table: str) -> RawSheet:
        source = self.sources[table]
        if source not in self.read:  # one sheet may carry all three tables
            self.read[source] = read_sheet(source.path, source.sheet)
        return self.read[source]

    def __contains__(self, table: object) -> bool:  # Mapping's would read the sheet
        return table in self.sources

    def __iter__(self) -> Iterator[str]:
        return iter(self.sources)

    def __len__(self) -> int:
        return len(self.sources)


_OTHERS = ("roster", "performance")


def _apart(source: Source, others: list[Source]) -> bool:
    """Whether the table is read from a sheet none of the others is read from (a link
    followed): a sheet is read by one thread. A workbook's sheets may be read side by side,
    each thread with a reader of its own (columnar.workbook)."""
    mine = (Path(source.path).resolve(), source.sheet)
    return all((Path(o.path).resolve(), o.sheet) != mine for o in others)


class _Unread(Exception):
    """A sheet that could not be read at all, in the thread beside: raised as it is, not
    among the tables' findings."""

    def __init__(self, error: DataError) -> None:
        super().__init__(error)
        self.error = error


def _beside(work: Callable[..., Ratings], *args: Any) -> Future[Ratings]:
    """`work(*args)` in a thread of its own, which nothing waits for but its result: an
    interrupt, or a table that cannot be read, leaves at once (a pool's worker is waited
    for on leaving, and by the interpreter on its way out)."""
    done: Future[Ratings] = Future()

    def run() -> None:
        try:
            done.set_result(work(*args))
        except BaseException as exc:  # raised where the result is asked for
            done.set_exception(exc)

    threading.Thread(target=run, name="amctl-ratings", daemon=True).start()
    return done


def _rated(
    sheets: Mapping[str, RawSheet], policy: Policy, aliases: dict[str, list[str]]
) -> Ratings:
    try:
        sheet = sheets["ratings"]
    except DataError as exc:
        raise _Unread(exc) from None
    return ratings_table(sheet, policy, aliases)


def build_inputs(
    sheets: Mapping[str, RawSheet],
    policy: Policy,
    sources: dict[str, Source],
    hashes: dict[str, str],
) -> Inputs:
    """The checked tables from raw grids: the same path for files and for policy test cases."""
    aliases = aliases_for(policy.columns)
    unusable: list[Finding] = []
    tables: dict[str, Table] = {}
    reads_ratings = "ratings" in sheets  # not a review that reads none (a monthly one)
    # A sheet that cannot be read at all is raised as it is, not among the tables' findings,
    # and the sheets are read in the tables' order: so each is taken out of the try.
    # the ratings, the largest table, read beside the other two: much of it is the
    # readers', Arrow's and numpy's work, which lets the GIL go. Only from a sheet of its
    # own: a sheet that carries two tables is read once.
    pending = None
    if reads_ratings and _apart(sources["ratings"], [sources[n] for n in _OTHERS]):
        pending = _beside(_rated, sheets, policy, aliases)
    for name, reader in (("roster", _roster_table), ("performance", _performance_table)):
        sheet = sheets[name]
        try:
            tables[name] = reader(sheet, policy, aliases)
        except DataError as exc:
            unusable += exc.findings
    ratings = None  # a review that reads no ratings scores no ability
    rated_sheet = sheets["ratings"] if reads_ratings and pending is None else None
    try:
        if pending is not None:
            ratings = pending.result()
        elif rated_sheet is not None:
            ratings = ratings_table(rated_sheet, policy, aliases)
    except DataError as exc:
        unusable += exc.findings
    except _Unread as unread:
        raise unread.error from None
    if unusable:
        raise DataError(unusable, said("data.inputs_unusable"))
    # each table let go once its frame is made (its findings kept): the ratings are read
    # next, the largest of the three, and need the room
    roster_t, perf_t = tables.pop("roster"), tables.pop("performance")
    blocked, full = _roster_frame(roster_t, policy)
    roster_findings = roster_t.findings
    del roster_t
    roster = full.loc[full["ok"]].drop(columns="ok").set_index("employee_id").sort_index()
    del full
    # every id a row may name: sorted and unique, merged (the roster's is sorted already)
    extra = pd.Index(sorted({b.employee_id for b in blocked if b.employee_id}), dtype=object)
    known = roster.index.union(extra)
    known = known if known.is_unique else known.unique()
    perf = _keyed_frame(perf_t, known, "performance", blocked)
    perf_findings = perf_t.findings
    del perf_t
    if ratings is None:
        rated, rating_findings = no_ratings(), []
    else:
        rated = rating_rows(ratings, policy, known, blocked)
        rating_findings = ratings.findings
    # a sheet read as two tables reports a row's problem twice: once is enough
    findings = list(dict.fromkeys(roster_findings + perf_findings + rating_findings))
    blocked_ids = {b.employee_id for b in blocked}
    nameless = [b for b in blocked if b.name is None and b.employee_id in roster.index]
    if nameless:  # the blocked alone looked up, not a dict of every name
        named = roster["name"]
        named = named[~named.index.duplicated(keep="last")]  # a repeated id: its last name
        found = named.reindex([b.employee_id for b in nameless]).tolist()
        for b, name in zip(nameless, found, strict=True):
            b.name = str(name)
    gradable = roster.loc[~roster.index.isin(blocked_ids)] if blocked_ids else roster  # no copy
    return Inputs(gradable, perf, rated, findings, blocked, sources, hashes)


@dataclass
class RosterRead:
    """The roster alone, every row kept (`ok` says whether it can be graded)."""

    frame: pd.DataFrame
    findings: list[Finding]
    blocked: list[Blocked]


@dataclass(frozen=True)
class Layout:
    """Where one table was read from: the sheet, the header row, each field's column (with
    the header as typed), and the columns nothing was read from."""

    table: str
    source: Source
    header_row: int | None  # 1-based; None when the table could not be read
    fields: tuple[tuple[str, str, str], ...]  # (field, column letter, header)
    ignored: tuple[tuple[str, str], ...]  # (column letter, header)
    problem: str | None = None  # why the table could not be read, in English
    said: Said | None = None  # the same, as data: to word it in the policy's language


def layouts(sources: dict[str, Source], policy: Policy) -> list[Layout]:
    """How each table is read, for `roster check` to show before any grading. A column no
    table reads is listed once per sheet."""
    with settled(s.path for s in sources.values()):
        return _layouts(sources, policy)


def _layouts(sources: dict[str, Source], policy: Policy) -> list[Layout]:
    from amctl.data.cells import column_letter

    aliases = aliases_for(policy.columns)
    read: dict[Source, RawSheet] = {}
    tables: dict[str, Table | tuple[str, Said | None]] = {}
    used: dict[Source, set[int]] = defaultdict(set)
    for name, source in sources.items():
        try:
            if source not in read:
                read[source] = read_sheet(source.path, source.sheet)
            sheet = read[source]
            if name == "roster":
                table = _roster_table(sheet, policy, aliases)
            elif name == "performance":
                table = _performance_table(sheet, policy, aliases)
            else:
                table = ratings_table(sheet, policy, aliases).table
        except DataError as exc:
            if exc.findings:
                tables[name] = (exc.findings[0].message, exc.findings[0].said)
            else:
                tables[name] = (str(exc), exc.said)
            continue
        tables[name] = table
        used[source] |= {index for index, _ in table.columns.values()}
    out = []
    listed: set[Source] = set()
    for name, source in sources.items():
        got = tables[name]
        if isinstance(got, tuple):
            out.append(Layout(name, source, None, (), (), *got))
            continue
        fields = tuple((f, column_letter(i), str(h).strip()) for f, (i, h) in got.columns.items())
        rows = read[source].rows
        header = rows[got.header_row - 1] if got.header_row - 1 < len(rows) else []
        ignored = tuple(
            (column_letter(i), str(h).strip())
            for i, h in enumerate(header)
            if source not in listed and i not in used[source] and h is not None and str(h).strip()
        )
        listed.add(source)
        out.append(Layout(name, source, got.header_row, fields, ignored))
    return out


def read_roster(source: Source, policy: Policy) -> RosterRead:
    with settled([source.path]):
        sheet = read_sheet(source.path, source.sheet)
        table = _roster_table(sheet, policy, aliases_for(policy.columns))
    blocked, frame = _roster_frame(table, policy)
    return RosterRead(frame, table.findings, blocked)


def _roster_table(sheet: RawSheet, policy: Policy, aliases: dict[str, list[str]]) -> Table:
    specs = [
        FieldSpec("employee_id", "id"),
        FieldSpec("name", "text"),
        FieldSpec("org_unit", "text"),
        FieldSpec("post_start", "date"),
        FieldSpec("education", "text"),
        FieldSpec("level", "text", required=False, allow_blank=True),
        FieldSpec("band", "text", required=False, allow_blank=True),
        FieldSpec("rural", "flag", required=False, allow_blank=True),
        FieldSpec("exam_score", "number", required=False, allow_blank=True, low=0, high=100),
        FieldSpec("leave_date", "date", required=False, allow_blank=True),
    ]
    assert [s.name for s in specs] == [*ROSTER_REQUIRED, *ROSTER_OPTIONAL]
    table = read_table(sheet, [*specs, *declared.specs(policy, "roster")], aliases)
    declared.settle(table, policy, "roster")
    return table


def _performance_table(sheet: RawSheet, policy: Policy, aliases: dict[str, list[str]]) -> Table:
    specs = [FieldSpec("employee_id", "id")]
    for ind in policy.performance.indicators.values():
        blank = _has_default(policy, ind.metric)
        if isinstance(ind.score, AsIs):
            specs.append(
                FieldSpec(ind.metric, "number", low=0, high=100, unit=ind.unit, allow_blank=blank)
            )
        elif isinstance(ind.score, Attainment):
            specs.append(FieldSpec(ind.metric, "number", low=0, unit=ind.unit, allow_blank=blank))
            target = ind.score.target
            specs.append(
                FieldSpec(
                    target, "number", low=0, unit=ind.unit, allow_blank=_has_default(policy, target)
                )
            )
        else:
            specs.append(FieldSpec(ind.metric, "number", unit=ind.unit, allow_blank=blank))
    specs += declared.specs(policy, "performance")
    unique = list({s.name: s for s in reversed(specs)}.values())[::-1]  # the first one counts
    table = read_table(sheet, unique, aliases)
    read_units(table, unique)
    declared.settle(table, policy, "performance")
    for ind in policy.performance.indicators.values():
        if isinstance(ind.score, Attainment):
            target = ind.score.target
            if table.has_floats(target):  # as Arrow read it: no list of a million numbers
                zero = table.floats(target) == 0
            else:
                zero = pd.Series(table.values[target], dtype=object).eq(0).to_numpy()
            for pos in np.flatnonzero(zero).tolist():
                table.report(
                    pos, target, "AMD014", said("data.target_zero", header=table.header(target))
                )
    return table


def _has_default(policy: Policy, key: str) -> bool:
    return key in policy.columns and policy.columns[key].default is not None


def _roster_frame(t: Table, policy: Policy) -> tuple[list[Blocked], pd.DataFrame]:
    """The roster's rows checked a column at a time; a check's findings are reported for the
    rows it flags, in row order and, within a row, in the order of the checks."""
    v = t.values
    ids: list[str | None] = v["employee_id"]
    n = len(ids)
    found: list[tuple[int, int, Callable[[], None]]] = []  # (row, check, report)
    if _rising(ids):  # an export sorted by id, as most are: no id can be there twice
        repeated = np.zeros(n, dtype=bool)
    else:
        id_column = pd.Series(ids, dtype=object)
        repeated = (id_column.notna() & id_column.duplicated(keep=False)).to_numpy()
    if repeated.any():
        rows_of: dict[str, list[int]] = defaultdict(list)
        for pos in np.flatnonzero(repeated).tolist():
            rows_of[str(ids[pos])].append(pos)
        for eid, positions in rows_of.items():
            for pos in positions:
                others = [str(t.rows[p]) for p in positions if p != pos]
                what = said("data.id_repeated", eid=eid, rows=others)
                found.append(
                    (pos, 0, partial(t.report, pos, "employee_id", "AMD004", what, row_id=eid))
                )
    education = _education_lookup(policy)
    edu = v["education"]
    canonical = {e: education.get(normalise_header(e)) for e in set(edu) if e is not None}
    for pos in _flagged(edu, lambda e: canonical[e] is None):
        what = said(
            "data.education_unknown",
            header=t.header("education"),
            value=edu[pos],
            levels=[str(e) for e in policy.education.levels],
        )
        found.append((pos, 1, partial(t.report, pos, "education", "AMD009", what, row_id=ids[pos])))
    v["education"] = _mapped(edu, canonical)
    if "level" in v:
        _levels(t, policy, found)
    starts = v["post_start"]
    early = as_days(starts) < np.datetime64(EARLIEST, "D")
    for pos in np.flatnonzero(early).tolist():
        what = said(
            "data.date_too_early",
            header=t.header("post_start"),
            date=str(starts[pos]),
            year=EARLIEST.year,
        )
        found.append(
            (pos, 3, partial(t.report, pos, "post_start", "AMD007", what, row_id=ids[pos]))
        )
    for _, _, report in sorted(found, key=lambda f: (f[0], f[1])):
        report()
    return _roster_columns(t, policy, v, n)


def _rising(ids: Sequence[Any]) -> bool:
    """Every id text and each greater than the one before: then none is repeated. One pass
    of comparisons in C, against hashing a million ids to find none twice."""
    try:
        return all(map(operator.lt, ids, islice(ids, 1, None)))
    except TypeError:  # a blank (None) or a number among them: the ids are hashed instead
        return False


def _mapped(values: Sequence[Any], lookup: Mapping[Any, Any]) -> list[Any]:
    """Each value looked up (a blank, or a value the lookup lacks, is None): dict lookups
    called by map, in C."""
    return list(map(lookup.get, values))


def _flagged(values: Sequence[Any], bad: Callable[[Any], bool]) -> list[int]:
    """The positions of the filled cells whose value is bad, judged once per distinct value."""
    judged = {x: bad(x) for x in set(values) if x is not None}
    flags = np.fromiter(map(judged.get, values, repeat(False)), dtype=bool, count=len(values))
    return np.flatnonzero(flags).tolist()


def _levels(t: Table, policy: Policy, found: list[tuple[int, int, Callable[[], None]]]) -> None:
    """现等级 (and 现档次) read once per distinct pair; unknown ones reported and dropped."""
    v = t.values
    ids = v["employee_id"]
    n = len(ids)
    lookup = _level_lookup(policy)
    given_band = v.get("band", [None] * n)
    pairs = pd.Series(list(zip(v["level"], given_band, strict=True)), dtype=object)
    codes, distinct = pd.factorize(pairs)
    got = [_parse_level(lv, b, lookup, policy) if lv is not None else None for lv, b in distinct]
    unknown = np.array(
        [lv is not None and g is None for (lv, _), g in zip(distinct, got, strict=True)], dtype=bool
    )
    known = [*((str(k), lv.label) for k, lv in policy.levels.items())]
    known.append(("trainee", policy.trainee.label))
    for pos in np.flatnonzero(unknown[codes]).tolist():
        what = said(
            "data.level_unknown",
            value=str(v["level"][pos]),
            levels=[said("data.level_named", level=k, label=label) for k, label in known],
        )
        report = partial(
            t.report, pos, "level", "AMD009", what, severity=Severity.WARNING, row_id=ids[pos]
        )
        found.append((pos, 2, report))
    read = np.array([g is not None for g in got], dtype=bool)[codes]
    levels = np.array([g[0] if g else None for g in got], dtype=object)[codes]
    bands = np.array([g[1] if g else None for g in got], dtype=object)[codes]
    v["level"] = levels.tolist()
    v["band"] = np.where(read, bands, np.array(given_band, dtype=object)).tolist()


def _roster_columns(
    t: Table, policy: Policy, v: Mapping[str, list[Any]], n: int
) -> tuple[list[Blocked], pd.DataFrame]:
    ids = v["employee_id"]
    blocked = blocked_rows(t, v)
    fields = {
        "employee_id": "employee_id",
        "name": "name",
        "org_unit": "org_unit",
        "post_start": "post_start",
        "education": "education",
        "current_level": "level",
        "current_band": "band",
        "leave_date": "leave_date",
    }
    text = {key: _held(t, name, len(ids)) for key, name in fields.items()}
    # object columns keep None as None (pandas would turn text + None into NaN); each its
    # own block, not copied into one
    frame = pd.DataFrame({k: _objects(col) for k, col in text.items()}, copy=False)
    rural = pd.Series(v.get("rural", [False] * len(ids)), dtype=object)
    frame["rural"] = rural.where(rural.notna(), False).astype(bool).to_numpy()
    if t.has_floats("exam_score"):  # every cell a number: Arrow's floats, no list made
        frame["exam_score"] = pd.array(t.floats("exam_score"), dtype="Float64")
    else:
        frame["exam_score"] = pd.array(v.get("exam_score", [None] * len(ids)), dtype="Float64")
    frame["source_row"] = t.rows
    frame = frame[[*text.keys(), "rural", "exam_score", "source_row"]]
    for key, values in declared.typed(policy, v, "roster", frame.index).items():
        frame[key] = values
    ok = np.ones(n, dtype=bool)
    ok[list(t.bad)] = False
    frame["ok"] = ok
    return blocked, frame


def _held(t: Table, name: str, n: int) -> Any:
    """A roster column as it is held: its list when one was made (the checks read it, or set
    it), else an object array of its own from Arrow's arrays, with no Python list on the
    way; all blank when the roster lacks it."""
    if name not in t.values:
        return np.full(n, None, dtype=object)
    if t.values.listed(name):
        return t.values[name]
    made = t.objects(name)
    return made.copy() if made is t.values.arrays(name) else made  # the table's own: copied


def _objects(column: Any) -> pd.Series:
    if isinstance(column, np.ndarray):
        return pd.Series(column, dtype=object, copy=False)
    return pd.Series(column, dtype=object)


def _education_lookup(policy: Policy) -> dict[str, str]:
    out = {normalise_header(e): e for e in policy.education.levels}
    out.update({normalise_header(a): e for a, e in policy.education.aliases.items()})
    return out


def _level_lookup(policy: Policy) -> dict[str, str]:
    out: dict[str, str] = {}
    for key, lv in policy.levels.items():
        for word in (key, lv.label, *lv.aliases):
            out[normalise_header(word)] = key
    for word in ("trainee", policy.trainee.label, *policy.trainee.aliases):
        out[normalise_header(word)] = "trainee"
    return out


def _parse_level(
    raw: str, band: str | None, levels: dict[str, str], policy: Policy
) -> tuple[str, str | None] | None:
    """'中级', 'mid' or a combined '中级B' / '高级客户经理A档'."""
    norm = normalise_header(raw)
    if norm in levels:
        return levels[norm], band
    for name in policy.bands.names:
        for suffix in (name.casefold() + "档", name.casefold()):
            if norm.endswith(suffix) and norm[: -len(suffix)] in levels:
                return levels[norm[: -len(suffix)]], name
    return None


def _keyed_frame(t: Table, known: pd.Index, what: str, blocked: list[Blocked]) -> pd.DataFrame:
    """Performance rows by employee id; rows for unknown or repeated ids are reported."""
    ids = t.objects("employee_id")  # from Arrow's arrays when kept: no list of a million ids
    column = pd.Series(ids, dtype=object, copy=False)
    given = column.notna().to_numpy()
    where = known.get_indexer(pd.Index(column, dtype=object))  # each row's place among them
    on_roster = (where >= 0) & given
    # a row again: a place seen above, found on the places (integers), not the ids again
    again = on_roster & pd.Series(where).duplicated().to_numpy()
    if again.any():  # each repeated id's first row, for the message
        first = pd.Series(np.arange(len(ids)), index=column).groupby(level=0).first()
    for pos in np.flatnonzero((given & ~on_roster) | again).tolist():
        eid = ids[pos]
        if not on_roster[pos]:
            t.report(
                pos,
                "employee_id",
                "AMD013",
                said("data.not_on_roster", table=TABLE_NAMES[what], eid=eid),
                severity=Severity.WARNING,
                row_id=eid,
            )
        else:
            t.report(
                pos,
                "employee_id",
                "AMD004",
                said(
                    "data.second_row",
                    table=TABLE_NAMES[what],
                    eid=eid,
                    first=int(t.rows[first[eid]]),
                ),
                row_id=eid,
            )
    block_ids(t, blocked, known)
    frame = pd.DataFrame(
        {
            k: ids if k == "employee_id" else t.floats(k) if t.has_floats(k) else t.values[k]
            for k in t.values
        }
    )
    frame["source_row"] = t.rows
    good = on_roster.copy()
    good[list(t.bad)] = False
    kept = frame.iloc[np.flatnonzero(good)]
    if again.any():  # an id given twice: its first good row counts
        kept = kept.drop_duplicates("employee_id")
    return kept.set_index("employee_id").sort_index()
