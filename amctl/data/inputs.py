"""Find the three input tables and read them into checked frames.

HR keeps roster, performance and ratings either as sheets of one workbook or as files side by
side in the quarter's folder; explicit paths override both. Every roster row ends up either
gradable or in `blocked` with the reasons, so nothing is lost.
"""

from __future__ import annotations

import datetime as dt
import hashlib
from collections import defaultdict
from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd

from amctl.data import cells
from amctl.data.columns import ROSTER_OPTIONAL, ROSTER_REQUIRED, aliases_for, normalise_header
from amctl.data.sheets import SUFFIXES, RawSheet, read_sheet, sheet_names
from amctl.data.tables import FieldSpec, Table, find_header, read_table
from amctl.errors import DataError, Finding, Location, Severity, UsageError
from amctl.policy.models import AsIs, Attainment, Policy

TABLES = ("roster", "performance", "ratings")
EMPTY_ROSTER = "the roster has no rows under its header; fill it in"
EARLIEST = dt.date(1950, 1, 1)  # a post start before this is a typo, not a career


@dataclass(frozen=True)
class Source:
    """Where one table came from: a file, and a sheet of it when it is a workbook."""

    path: Path
    sheet: str | None

    def __str__(self) -> str:
        return f"{self.path}:{self.sheet}" if self.sheet else str(self.path)


@dataclass
class Blocked:
    """A roster row that cannot be graded, with every reason."""

    employee_id: str | None
    name: str | None
    where: Location
    reasons: list[str] = field(default_factory=list)


@dataclass
class Inputs:
    roster: pd.DataFrame  # one row per gradable manager, index employee_id, sorted
    performance: pd.DataFrame  # index employee_id, one column per metric/target
    ratings: pd.DataFrame  # long: employee_id, rater, indicator, score (0–100)
    findings: list[Finding]
    blocked: list[Blocked]
    sources: dict[str, Source]
    hashes: dict[str, str]  # file path → sha256


def locate(
    roster: Path,
    policy: Policy,
    performance: Path | None = None,
    ratings: Path | None = None,
) -> dict[str, Source]:
    """Sheets of the roster workbook first, then files beside it; explicit paths win."""
    explicit = {"performance": performance, "ratings": ratings}
    names = sheet_names(roster)
    found: dict[str, Source] = {}
    aliases = {
        "roster": policy.sheets.roster,
        "performance": policy.sheets.performance,
        "ratings": policy.sheets.ratings,
    }
    for table in TABLES:
        given = explicit.get(table)
        if given is not None:
            found[table] = Source(given, _matching_sheet(sheet_names(given), aliases[table]))
            continue
        sheet = _matching_sheet(names, aliases[table])
        if table == "roster":
            found[table] = roster_source(roster, policy)
        elif sheet is not None:
            found[table] = Source(roster, sheet)
        else:
            beside = _file_beside(roster, aliases[table] + [table])
            if beside is None:
                raise UsageError(_not_found(roster, table, aliases[table], bool(names)))
            found[table] = Source(beside, _matching_sheet(sheet_names(beside), aliases[table]))
    return found


def roster_source(roster: Path, policy: Policy) -> Source:
    """The roster sheet of a workbook (by name, else the first sheet), or the csv file.

    The first sheet is taken only when it is not another table's sheet: a workbook whose
    sheets are 业绩 and 能力评价 has no roster, and saying so beats reading 业绩 as one.
    """
    names = sheet_names(roster)
    sheet = _matching_sheet(names, policy.sheets.roster)
    if sheet is not None or not names:
        return Source(roster, sheet)
    others = [*policy.sheets.performance, *policy.sheets.ratings]
    if len(names) > 1 and _matching_sheet(names[:1], others) is not None:
        raise UsageError(
            f"{roster}: no roster sheet named {'/'.join(policy.sheets.roster)} "
            f"(sheets: {', '.join(names)}); rename the roster sheet or add its name under "
            "sheets.roster in the policy"
        )
    return Source(roster, names[0])


def _matching_sheet(names: list[str], aliases: list[str]) -> str | None:
    wanted = {normalise_header(a) for a in aliases}
    found = [n for n in names if normalise_header(n) in wanted]
    if len(found) > 1:
        raise UsageError(
            f"sheets {' and '.join(found)} both look like the same table; rename or remove one"
        )
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


def _not_found(roster: Path, table: str, aliases: list[str], workbook: bool) -> str:
    names = "/".join(aliases)
    inside = f"{roster.name} has no sheet named {names} and " if workbook else ""
    return (
        f"no {table} table: {inside}there is no {table}.xlsx or .csv beside it; pass --{table} FILE"
    )


def file_hash(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def read_inputs(sources: dict[str, Source], policy: Policy) -> Inputs:
    aliases = aliases_for(policy.columns)
    sheets = {t: read_sheet(s.path, s.sheet) for t, s in sources.items()}
    findings: list[Finding] = []
    unusable: list[Finding] = []
    tables: dict[str, Table] = {}
    for name, reader in (("roster", _roster_table), ("performance", _performance_table)):
        try:
            tables[name] = reader(sheets[name], policy, aliases)
        except DataError as exc:
            unusable += exc.findings
    try:
        ratings = _ratings_table(sheets["ratings"], policy, aliases)
    except DataError as exc:
        unusable += exc.findings
    if unusable:
        raise DataError(unusable, "the input tables cannot be used")
    roster_t, perf_t = tables["roster"], tables["performance"]
    blocked, full = _roster_frame(roster_t, policy)
    roster = full.loc[full["ok"]].drop(columns="ok").set_index("employee_id").sort_index()
    known = set(roster.index) | {b.employee_id for b in blocked if b.employee_id}
    perf = _keyed_frame(perf_t, known, "performance", blocked)
    rating_frame = _ratings_frame(ratings, policy, known, blocked)
    findings = roster_t.findings + perf_t.findings + ratings.findings
    hashes = {str(s.path): file_hash(s.path) for s in sources.values()}
    blocked_ids = {b.employee_id for b in blocked}
    names = roster["name"].to_dict()
    for b in blocked:
        if b.name is None and b.employee_id in names:
            b.name = str(names[b.employee_id])
    gradable = roster.loc[~roster.index.isin(blocked_ids)]
    return Inputs(gradable, perf, rating_frame, findings, blocked, sources, hashes)


@dataclass
class RosterRead:
    """The roster alone, every row kept (`ok` says whether it can be graded)."""

    frame: pd.DataFrame
    findings: list[Finding]
    blocked: list[Blocked]


def read_roster(source: Source, policy: Policy) -> RosterRead:
    table = _roster_table(
        read_sheet(source.path, source.sheet), policy, aliases_for(policy.columns)
    )
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
    return read_table(sheet, specs, aliases)


def _performance_table(sheet: RawSheet, policy: Policy, aliases: dict[str, list[str]]) -> Table:
    specs = [FieldSpec("employee_id", "id")]
    for ind in policy.performance.indicators.values():
        if isinstance(ind.score, AsIs):
            specs.append(FieldSpec(ind.metric, "number", low=0, high=100))
        elif isinstance(ind.score, Attainment):
            specs.append(FieldSpec(ind.metric, "number", low=0))
            specs.append(FieldSpec(ind.score.target, "number", low=0))
        else:
            specs.append(FieldSpec(ind.metric, "number"))
    unique = list({s.name: s for s in specs}.values())
    table = read_table(sheet, unique, aliases)
    for ind in policy.performance.indicators.values():
        if isinstance(ind.score, Attainment):
            target = ind.score.target
            for pos, value in enumerate(table.values[target]):
                if value == 0:
                    table.report(
                        pos,
                        target,
                        "AMD014",
                        f"{target} is 0, so attainment is undefined; set the target",
                    )
    return table


def _roster_frame(t: Table, policy: Policy) -> tuple[list[Blocked], pd.DataFrame]:
    v = t.values
    ids: list[str | None] = v["employee_id"]
    counts: dict[str, int] = defaultdict(int)
    for i in ids:
        if i is not None:
            counts[i] += 1
    education = _education_lookup(policy)
    levels = _level_lookup(policy)
    for pos, eid in enumerate(ids):
        if eid is not None and counts[eid] > 1:
            others = [str(t.rows[p]) for p, x in enumerate(ids) if x == eid and p != pos]
            t.report(
                pos,
                "employee_id",
                "AMD004",
                f"employee id {eid} appears again in row {', '.join(others)}; ids must be unique",
                row_id=eid,
            )
        edu = v["education"][pos]
        if edu is not None:
            canonical = education.get(normalise_header(edu))
            if canonical is None:
                t.report(
                    pos,
                    "education",
                    "AMD009",
                    f"education '{edu}' is not one of {', '.join(policy.education.levels)}; "
                    "use one of them or add an alias under education.aliases",
                    row_id=eid,
                )
            v["education"][pos] = canonical
        if "level" in v and v["level"][pos] is not None:
            parsed = _parse_level(
                v["level"][pos], v.get("band", [None] * len(ids))[pos], levels, policy
            )
            if parsed is None:
                t.report(
                    pos,
                    "level",
                    "AMD009",
                    f"current level '{v['level'][pos]}' is not a level of the policy "
                    f"({', '.join([*policy.levels, 'trainee'])}); grading ignores it",
                    severity=Severity.WARNING,
                    row_id=eid,
                )
                v["level"][pos] = None
            else:
                v["level"][pos], band = parsed
                if "band" in v:
                    v["band"][pos] = band
                else:
                    v.setdefault("band", [None] * len(ids))[pos] = band
        start = v["post_start"][pos]
        if isinstance(start, dt.date) and start < EARLIEST:
            t.report(
                pos,
                "post_start",
                "AMD007",
                f"post start {start} is before {EARLIEST.year}; check the date",
                row_id=eid,
            )
    blocked = _blocked(t, v)
    blank = [None] * len(ids)
    text = {  # object columns keep None as None (pandas would turn text + None into NaN)
        "employee_id": ids,
        "name": v["name"],
        "org_unit": v["org_unit"],
        "post_start": v["post_start"],
        "education": v["education"],
        "current_level": v.get("level", blank),
        "current_band": v.get("band", blank),
        "leave_date": v.get("leave_date", blank),
    }
    frame = pd.DataFrame({k: pd.Series(col, dtype=object) for k, col in text.items()})
    frame["rural"] = [bool(x) for x in v.get("rural", [False] * len(ids))]
    frame["exam_score"] = pd.array(v.get("exam_score", blank), dtype="Float64")
    frame["source_row"] = t.rows
    frame = frame[[*text.keys(), "rural", "exam_score", "source_row"]]
    frame["ok"] = [pos not in t.bad for pos in range(len(ids))]
    return blocked, frame


def _blocked(t: Table, v: dict[str, list[object]]) -> list[Blocked]:
    by_row: dict[int, Blocked] = {}
    position = {row: pos for pos, row in enumerate(t.rows)}
    for f in t.findings:
        if f.severity is not Severity.ERROR or f.location.row is None:
            continue
        pos = position[f.location.row]
        if pos not in by_row:
            eid, name = v["employee_id"][pos], v["name"][pos]
            by_row[pos] = Blocked(
                str(eid) if eid is not None else None,
                str(name) if name is not None else None,
                t.where(pos),
            )
        by_row[pos].reasons.append(f"{f.location}: {f.message}")
    return [by_row[p] for p in sorted(by_row)]


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


def _keyed_frame(t: Table, known: set[str], what: str, blocked: list[Blocked]) -> pd.DataFrame:
    """Performance rows by employee id; rows for unknown or repeated ids are reported."""
    ids = t.values["employee_id"]
    seen: dict[str, int] = {}
    for pos, eid in enumerate(ids):
        if eid is None:
            continue
        if eid not in known:
            t.report(
                pos,
                "employee_id",
                "AMD013",
                f"{what} row for employee {eid}, who is not on the roster; the row is not used",
                severity=Severity.WARNING,
                row_id=eid,
            )
        elif eid in seen:
            t.report(
                pos,
                "employee_id",
                "AMD004",
                f"second {what} row for employee {eid} (first in row {t.rows[seen[eid]]}); "
                "keep one row per manager",
                row_id=eid,
            )
        else:
            seen[eid] = pos
    _block_ids(t, blocked, known)
    frame = pd.DataFrame(dict(t.values))
    frame["source_row"] = t.rows
    good = [p for p, eid in enumerate(ids) if eid in known and p not in t.bad]
    return frame.iloc[good].drop_duplicates("employee_id").set_index("employee_id").sort_index()


def _block_ids(t: Table, blocked: list[Blocked], known: set[str]) -> None:
    """Errors in a performance or ratings row stop that manager from being graded."""
    by_id = {b.employee_id: b for b in blocked if b.employee_id}
    for f in t.findings:
        if f.severity is not Severity.ERROR or f.row_id not in known:
            continue
        if f.row_id not in by_id:
            # the roster row is fine; record the block where the manager is listed
            by_id[f.row_id] = Blocked(f.row_id, None, f.location)
            blocked.append(by_id[f.row_id])
        by_id[f.row_id].reasons.append(f"{f.location}: {f.message}")


@dataclass
class _Ratings:
    table: Table
    layout: str  # "long" or "wide"
    findings: list[Finding] = field(default_factory=list)


def _ratings_table(sheet: RawSheet, policy: Policy, aliases: dict[str, list[str]]) -> _Ratings:
    scale = policy.ability.scale
    long_specs = [
        FieldSpec("employee_id", "id"),
        FieldSpec("rater", "text"),
        FieldSpec("indicator", "text"),
        FieldSpec("score", "number", low=scale.min, high=scale.max),
    ]
    header_aliases = dict(aliases)
    for key, ind in policy.ability.indicators.items():
        header_aliases[f"ability:{key}"] = [key, ind.label, *ind.aliases]
    try:
        find_header(sheet, header_aliases, ["employee_id", "rater", "indicator", "score"])
        table = read_table(sheet, long_specs, header_aliases)
        layout = "long"
    except DataError:
        wide_specs = [FieldSpec("employee_id", "id"), FieldSpec("rater", "text")] + [
            FieldSpec(f"ability:{k}", "number", allow_blank=True, low=scale.min, high=scale.max)
            for k in policy.ability.indicators
        ]
        table = read_table(sheet, wide_specs, header_aliases)
        layout = "wide"
    return _Ratings(table, layout, table.findings)


def _ratings_frame(
    r: _Ratings, policy: Policy, known: set[str], blocked: list[Blocked]
) -> pd.DataFrame:
    t, v = r.table, r.table.values
    raters = _lookup({k: [k, x.label, *x.aliases] for k, x in policy.ability.raters.items()})
    indicators = _lookup(
        {k: [k, x.label, *x.aliases] for k, x in policy.ability.indicators.items()}
    )
    rows: list[tuple[str, str, str, float]] = []
    for pos, eid in enumerate(v["employee_id"]):
        if eid is None or pos in t.bad:
            continue  # a bad rating row blocks its manager (its finding carries the id)
        if eid not in known:
            t.report(
                pos,
                "employee_id",
                "AMD010",
                f"ratings for employee {eid}, who is not on the roster; the row is not used",
                severity=Severity.WARNING,
                row_id=eid,
            )
            continue
        rater = _match(t, pos, "rater", v["rater"][pos], raters, eid)
        if r.layout == "long":
            indicator = _match(t, pos, "indicator", v["indicator"][pos], indicators, eid)
            score = v["score"][pos]
            if rater and indicator and score is not None:
                rows.append((eid, rater, indicator, float(score)))
        elif rater:
            for key in policy.ability.indicators:
                score = v[f"ability:{key}"][pos]
                if score is not None:
                    rows.append((eid, rater, key, float(score)))
    _block_ids(t, blocked, known)
    r.findings[:] = t.findings
    scale = policy.ability.scale
    frame = pd.DataFrame(rows, columns=["employee_id", "rater", "indicator", "score"])
    frame["score"] = (frame["score"] - scale.min) * 100.0 / (scale.max - scale.min)
    return frame.sort_values(["employee_id", "rater", "indicator", "score"], ignore_index=True)


def _lookup(words: dict[str, list[str]]) -> dict[str, str]:
    return {normalise_header(w): key for key, ws in words.items() for w in ws}


def _match(
    t: Table, pos: int, what: str, raw: object, lookup: dict[str, str], eid: str
) -> str | None:
    if raw is None:
        return None
    key = lookup.get(normalise_header(cells.text(raw)))
    if key is None:
        choices = ", ".join(sorted(set(lookup.values())))
        t.report(
            pos,
            what,
            "AMD009",
            f"{what} '{raw}' is not defined in the policy ({choices}); use one of them "
            f"or add '{raw}' to its aliases",
            row_id=eid,
        )
    return key
