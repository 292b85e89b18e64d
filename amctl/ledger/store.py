"""The ledger: recorded quarters in an SQLite file inside the workspace (no server needed).

A recorded quarter is closed. It holds one current run: the schema forbids a second one (a
partial unique index), and checking and recording happen in one write transaction, so two
amctl processes recording at once cannot both win. Recording the same policy, inputs and
history again changes nothing; recording the pay of a quarter whose grading alone was
recorded completes that run. Anything else replaces the run, only when asked, with a reason
the audit trail keeps.

Each run keeps its full result (`parts`, Arrow tables) so that reports and explanations of a
closed quarter show what was recorded, not what today's files and policy would give. Its rows
(what history and the next period's dynamic rules read) hold the plain columns: since schema 4
without a manager's reasons and pay components (the kept result has them, as columns), since
schema 5 as one more part of the run (`ledger.rows`), not a row of SQLite per manager.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import os
import sqlite3
from collections.abc import Callable, Iterator, Mapping, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from amctl.engine.reasons import Reason
from amctl.errors import EXIT_FINDINGS, AmctlError
from amctl.ledger.streamed import Streamed
from amctl.messages import said
from amctl.period import key as period_key

if TYPE_CHECKING:
    import pyarrow as pa

    from amctl.engine.dynamics import History

SCHEMA_VERSION = 5
FILE = Path(".amctl") / "ledger.sqlite"
WAIT_SECONDS = 30.0  # how long a writer waits for another amctl before giving up

TABLES = {
    "meta": "CREATE TABLE meta (key TEXT PRIMARY KEY, value TEXT NOT NULL)",
    "runs": """CREATE TABLE runs (
        id INTEGER PRIMARY KEY,
        quarter TEXT NOT NULL,
        recorded_at TEXT NOT NULL,
        fingerprint TEXT NOT NULL,
        policy_name TEXT NOT NULL,
        policy_version TEXT NOT NULL,
        policy_sha256 TEXT NOT NULL,
        policy_text TEXT NOT NULL,
        inputs TEXT NOT NULL,
        status TEXT NOT NULL CHECK (status IN ('current', 'replaced')),
        basis TEXT NOT NULL DEFAULT '[]',
        paid INTEGER NOT NULL DEFAULT 0,
        amctl_version TEXT NOT NULL DEFAULT ''
    )""",
    "audit": """CREATE TABLE audit (
        id INTEGER PRIMARY KEY,
        at TEXT NOT NULL,
        quarter TEXT NOT NULL,
        action TEXT NOT NULL,
        run_id INTEGER,
        replaced_run INTEGER,
        reason TEXT
    )""",
    "parts": """CREATE TABLE parts (
        run_id INTEGER NOT NULL REFERENCES runs(id),
        name TEXT NOT NULL,
        body BLOB NOT NULL,
        PRIMARY KEY (run_id, name)
    )""",
}
# schema 4's rows, a row of SQLite per manager: what the migrations before 5 build on
RESULTS_4 = """CREATE TABLE results (
    run_id INTEGER NOT NULL REFERENCES runs(id),
    employee_id TEXT NOT NULL,
    name TEXT, org_unit TEXT,
    level TEXT NOT NULL, band TEXT, tier TEXT NOT NULL, computed_level TEXT NOT NULL,
    ability REAL, performance REAL, composite REAL,
    pay TEXT, total TEXT, reasons TEXT,
    previous_tier TEXT, movement TEXT,
    level_set TEXT, band_set TEXT,
    PRIMARY KEY (run_id, employee_id)
)"""
ONE_CURRENT = (
    "CREATE UNIQUE INDEX IF NOT EXISTS one_current_run ON runs(quarter) WHERE status = 'current'"
)
RESULT_NAMES = (  # a run's rows, what history and the next period's dynamic rules read
    "employee_id",
    "name",
    "org_unit",
    "level",
    "band",
    "tier",
    "computed_level",
    "ability",
    "performance",
    "composite",
    "pay",
    "total",
    "reasons",
    "previous_tier",
    "movement",
    "level_set",
    "band_set",
)
ROWS = "rows"  # the part of a run holding its rows (schema 5 on)
RESULT_COLUMNS = ", ".join(RESULT_NAMES)


class LedgerError(AmctlError):
    """The ledger cannot be used as it is (exit 2)."""


class LedgerBusy(LedgerError):
    """Another amctl holds the write lock longer than we wait."""


class LedgerReadOnly(LedgerError):
    """The ledger or its folder cannot be written; reading still works."""


class LedgerOlder(LedgerReadOnly):
    """An older schema met while reading: upgraded when the file can be written."""


class QuarterClosed(LedgerError):
    """Recording a run that differs from the quarter's recorded one, without replacing it."""

    exit_code = EXIT_FINDINGS

    def __init__(self, quarter: str, run: Run) -> None:
        self.quarter, self.run = quarter, run
        super().__init__(
            said(
                "ledger.closed",
                quarter=quarter,
                run=run.id,
                at=str(run.recorded_at),
                policy=str(run.policy_name),
                version=str(run.policy_version),
            )
        )


@dataclass(frozen=True)
class Run:
    """One recorded run of a quarter, as the ledger keeps it."""

    id: int
    quarter: str
    recorded_at: str
    fingerprint: str
    policy_name: str
    policy_version: str
    policy_sha256: str
    policy_text: str
    inputs: dict[str, str]  # input file (relative to the workspace) → sha256
    status: str
    basis: list[int]  # the runs of earlier quarters whose tiers this run's dynamic rules read
    paid: bool
    amctl_version: str


@dataclass(frozen=True)
class Row:
    quarter: str
    employee_id: str
    name: str
    org_unit: str
    level: str
    band: str | None
    tier: str
    computed_level: str
    ability: float | None
    performance: float | None
    composite: float | None
    pay: dict[str, str] | None  # None: no pay, or (schema 4 on) kept in the run's result
    total: str | None
    # as the engine gave them (text in a run recorded by amctl 0.1); None: from schema 4 on,
    # kept in the run's result (`snapshot.restore` reads them)
    reasons: list[Reason | str] | None
    previous_tier: str | None
    movement: str | None
    level_set: str | None = None  # the period whose review set the level (schema 3 on)
    band_set: str | None = None  # and the band


@dataclass(frozen=True)
class Entry:
    """A run to record: its facts and its parts, the full result and its rows (`ledger.rows`:
    the part ROWS, a column per name of RESULT_NAMES)."""

    quarter: str
    policy: tuple[str, str, str, str]  # name, version, sha256, text
    inputs: dict[str, str]
    basis: list[int]
    parts: Mapping[str, bytes]  # a Streamed: made while the ones before are written
    paid: bool
    amctl_version: str = ""

    @property
    def fingerprint(self) -> str:
        return fingerprint(self.policy[2], self.inputs, self.basis)


@dataclass(frozen=True)
class Recorded:
    """What `record` did: recorded, unchanged, completed (pay added) or replaced."""

    action: str
    run_id: int
    later: list[str] = field(default_factory=list)  # recorded quarters built on a replaced run


@dataclass(frozen=True)
class AuditEntry:
    at: str
    quarter: str
    action: str
    run_id: int | None
    replaced_run: int | None
    reason: str | None
    policy: str | None


def fingerprint(policy_sha: str, inputs: dict[str, str], basis: Sequence[int]) -> str:
    """Same policy text, same input contents (whatever their paths) and the same history."""
    doc = {"policy": policy_sha, "inputs": sorted(inputs.values()), "basis": list(basis)}
    return hashlib.sha256(json.dumps(doc, sort_keys=True).encode()).hexdigest()


def _now() -> str:
    return dt.datetime.now(dt.UTC).isoformat(timespec="seconds")


def _translate(exc: sqlite3.Error, path: Path, write: bool = True) -> LedgerError:
    """sqlite's words → what is wrong with the ledger and what to do; advice to restore a
    backup only when the file really is damaged."""
    text = str(exc)
    if not write and "unable to open" in text:
        return LedgerError(said("ledger.cannot_read", path=str(path), error=text))
    if "locked" in text or "busy" in text:
        return LedgerBusy(said("ledger.busy", path=str(path), seconds=float(WAIT_SECONDS)))
    if "readonly" in text or "read-only" in text or "unable to open" in text:
        return LedgerReadOnly(said("ledger.read_only", path=str(path), error=text))
    if "not a database" in text or "encrypted" in text:
        return LedgerError(said("ledger.not_sqlite", path=str(path)))
    if "malformed" in text or "corrupt" in text:
        return LedgerError(said("ledger.damaged", path=str(path), error=text))
    return LedgerError(said("ledger.unusable", path=str(path), error=text))


@contextmanager
def _translated(path: Path, write: bool = True) -> Iterator[None]:
    try:
        yield
    except sqlite3.Error as exc:
        raise _translate(exc, path, write) from None


class Ledger:
    """An open ledger. `open` checks that the file is ours and of a schema we read."""

    def __init__(self, db: sqlite3.Connection, path: Path, writable: bool) -> None:
        self.db, self.path, self.writable = db, path, writable
        self.empty = False  # an empty file read as a ledger: nothing recorded yet

    @classmethod
    def open(cls, path: Path, *, write: bool = False, wait: float = WAIT_SECONDS) -> Ledger:
        """For reading (the file must exist) or for writing (created, upgraded if older). A
        ledger of an older schema is upgraded when read too, if the file can be written."""
        if path.exists() and not path.is_file():
            raise LedgerError(said("ledger.not_a_file", path=str(path)))
        if write:
            try:
                path.parent.mkdir(parents=True, exist_ok=True)
            except OSError as exc:
                raise LedgerReadOnly(
                    said("ledger.no_folder", folder=str(path.parent), reason=str(exc.strerror))
                ) from None
        uri = path.resolve().as_uri() + ("?mode=rwc" if write else "?mode=ro")
        with _translated(path, write):
            db = sqlite3.connect(uri, uri=True, timeout=wait, isolation_level=None)
        ledger = cls(db, path, write)
        try:
            with _translated(path, write):
                db.execute("PRAGMA foreign_keys = ON")
                # a quarter's result goes in as a few compressed blobs: a 16 MB page cache
                # records a million managers as fast as 256 MB did (6.6-7.3 s against
                # 7.5-7.7 s), and the peak is 40 MB lower; no say in what is durable
                db.execute("PRAGMA cache_size = -16384")
                ledger._prepare()
        except LedgerOlder:
            db.close()
            if not _writable(path):
                raise
            cls.open(path, write=True, wait=wait).close()  # opening to write upgrades it
            return cls.open(path, write=False, wait=wait)
        except BaseException:
            db.close()
            raise
        return ledger

    def close(self) -> None:
        self.db.close()

    def __enter__(self) -> Ledger:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    # --- schema -------------------------------------------------------------------------

    def _tables(self) -> set[str]:
        rows = self.db.execute("SELECT name FROM sqlite_master WHERE type = 'table'").fetchall()
        return {str(r[0]) for r in rows if not str(r[0]).startswith("sqlite_")}

    def _version(self, tables: set[str]) -> int:
        runs = set()
        if "runs" in tables:
            runs = {str(r[1]) for r in self.db.execute("PRAGMA table_info(runs)")}
        if "meta" not in tables or not {"quarter", "status", "fingerprint"} <= runs:
            raise LedgerError(said("ledger.foreign", path=str(self.path), tables=sorted(tables)))
        row = self.db.execute("SELECT value FROM meta WHERE key = 'schema_version'").fetchone()
        try:
            return int(row[0]) if row else 1
        except ValueError:
            raise LedgerError(
                said("ledger.bad_version", path=str(self.path), version=repr(row[0]))
            ) from None

    def _prepare(self) -> None:
        tables = self._tables()
        if not tables:
            self.empty = not self.writable
            if self.writable:
                with self._write():
                    if not self._tables():  # another process may have created it meanwhile
                        self._create()
            return
        version = self._version(tables)
        if version > SCHEMA_VERSION:
            raise LedgerError(
                said("ledger.newer", path=str(self.path), version=version, reads=SCHEMA_VERSION)
            )
        if version < SCHEMA_VERSION:
            if not self.writable:
                raise LedgerOlder(said("ledger.older", path=str(self.path), version=version))
            with self._write():
                version = self._version(self._tables())
                while version < SCHEMA_VERSION:
                    MIGRATIONS[version](self.db)
                    version += 1
                self._set_version(version)

    def _create(self) -> None:
        for statement in TABLES.values():
            self.db.execute(statement)
        self.db.execute(ONE_CURRENT)
        self._set_version(SCHEMA_VERSION)

    def _set_version(self, version: int) -> None:
        self.db.execute("INSERT OR REPLACE INTO meta VALUES ('schema_version', ?)", (str(version),))

    @contextmanager
    def _write(self) -> Iterator[None]:
        """One write transaction, taken at once (BEGIN IMMEDIATE): a second writer waits."""
        with _translated(self.path):
            self.db.execute("BEGIN IMMEDIATE")
            try:
                yield
            except BaseException:
                self.db.execute("ROLLBACK")
                raise
            self.db.execute("COMMIT")

    @contextmanager
    def reading(self) -> Iterator[None]:
        """Several reads that see one state of the ledger, whatever another amctl commits
        meanwhile (a read transaction)."""
        if self.empty:
            yield
            return
        with _translated(self.path, self.writable):
            self.db.execute("BEGIN")
        try:
            yield
        finally:
            self.db.execute("COMMIT")

    @property
    def schema_version(self) -> int:
        with _translated(self.path):
            return self._version(self._tables())

    # --- reading ------------------------------------------------------------------------

    def _runs(self, where: str, args: Sequence[Any]) -> list[Run]:
        if self.empty:
            return []
        sql = (
            "SELECT id, quarter, recorded_at, fingerprint, policy_name, policy_version,"
            " policy_sha256, policy_text, inputs, status, basis, paid, amctl_version"
            f" FROM runs WHERE {where} ORDER BY quarter, id"
        )
        with _translated(self.path):
            rows = self.db.execute(sql, args).fetchall()
        rows.sort(key=lambda r: (period_key(r[1]), r[0]))  # labels do not sort as text
        return [
            Run(
                int(r[0]),
                r[1],
                r[2],
                r[3],
                r[4],
                r[5],
                r[6],
                r[7],
                json.loads(r[8]),
                r[9],
                list(json.loads(r[10])),
                bool(r[11]),
                r[12],
            )
            for r in rows
        ]

    def current(self, quarter: str) -> Run | None:
        found = self._runs("quarter = ? AND status = 'current'", (quarter,))
        return found[0] if found else None

    def runs(self, *, every: bool = False) -> list[Run]:
        """The current run of each recorded quarter (with `every`, replaced ones too)."""
        return self._runs("1" if every else "status = 'current'", ())

    def quarters(self) -> list[str]:
        return [r.quarter for r in self.runs()]

    def before(self, quarter: str) -> list[Run]:
        """The current runs of the periods before `quarter`, in time order."""
        here = period_key(quarter)
        return [r for r in self.runs() if period_key(r.quarter) < here]

    def basis(self, quarter: str) -> list[int]:
        """The current runs of the periods before `quarter`: what its dynamic rules read."""
        return [r.id for r in self.before(quarter)]

    def history_before(self, quarter: str) -> History:
        """The recorded periods before `quarter`, latest first, each run's rows read as
        columns: no object per manager."""
        import pandas as pd  # for a run's grading only: `import amctl` stays light

        from amctl.engine.dynamics import FIELDS, History, PastRun
        from amctl.ledger import ipc

        if self.empty:
            return History()
        names = ("level", "computed_level", "tier", "band", "level_set", "band_set")
        runs = []
        for run in reversed(self.before(quarter)):
            table = self.table(run.id)
            ids = pd.Index(ipc.objects(table["employee_id"]), dtype=object)
            columns = {f: ipc.objects(table[n]) for f, n in zip(FIELDS, names, strict=True)}
            runs.append(PastRun(run.quarter, ids, columns))
        return History(tuple(runs))

    def table(self, run_id: int) -> pa.Table:
        """A run's rows as columns (RESULT_NAMES), in the order they were recorded."""
        from amctl.ledger import rows as kept_rows  # Arrow: for reading a run, not opening it

        body = self.part(run_id, ROWS)
        return kept_rows.decode(body) if body is not None else kept_rows.table(_NO_ROWS)

    def rows(
        self, employee_id: str | None = None, quarter: str | None = None, run_id: int | None = None
    ) -> list[Row]:
        """The rows of one run, or of the current run of each period (one period's with
        `quarter`), in time order and then by id; with `employee_id`, that manager's."""
        from amctl.ledger import rows as kept_rows

        if self.empty:
            return []
        if run_id is not None:
            runs = self._runs("id = ?", (run_id,))
        elif quarter is not None:
            runs = self._runs("quarter = ? AND status = 'current'", (quarter,))
        else:
            runs = self.runs()
        out = []
        for run in runs:
            table = kept_rows.where(self.table(run.id), employee_id)
            values = [table[n].to_pylist() for n in RESULT_NAMES]
            for rec in zip(*values, strict=True):
                row = list(rec)
                row[10] = json.loads(row[10]) if row[10] else None  # pay
                row[12] = json.loads(row[12]) if row[12] is not None else None  # reasons
                out.append(Row(run.quarter, *row))
        return out

    def part(self, run_id: int, name: str) -> bytes | None:
        if self.empty:
            return None
        with _translated(self.path):
            row = self.db.execute(
                "SELECT body FROM parts WHERE run_id = ? AND name = ?", (run_id, name)
            ).fetchone()
        return bytes(row[0]) if row else None

    def audit(self) -> list[AuditEntry]:
        if self.empty:
            return []
        with _translated(self.path):
            rows = self.db.execute(
                "SELECT a.at, a.quarter, a.action, a.run_id, a.replaced_run, a.reason,"
                " u.policy_name || ' ' || u.policy_version FROM audit a"
                " LEFT JOIN runs u ON u.id = a.run_id ORDER BY a.id"
            ).fetchall()
        return [AuditEntry(*r) for r in rows]

    # --- writing ------------------------------------------------------------------------

    def unchanged(self, quarter: str, fingerprint: str, *, paid: bool) -> Recorded | None:
        """The period's current run when recording this one would change nothing (the same
        fingerprint, kept whole, with its pay if this run has pay); else None, and `record`
        decides. Asked before a run's rows are built: at a million rows that is most of the
        cost of recording an unchanged period again."""
        existing = self.current(quarter)
        if existing is None or existing.fingerprint != fingerprint:
            return None
        if self.part(existing.id, "meta") is None or (paid and not existing.paid):
            return None  # recorded by schema 1, or its pay is still to be added
        return Recorded("unchanged", existing.id)

    def record(self, entry: Entry, *, replace: bool = False, reason: str | None = None) -> Recorded:
        """Record a run. The check and the write are one transaction."""
        if not self.writable:
            raise LedgerReadOnly(said("ledger.opened_for_reading", path=str(self.path)))
        if replace and not (reason or "").strip():
            raise LedgerError(said("ledger.replace_needs_reason"))
        with self._write():
            existing = self.current(entry.quarter)
            if existing is not None and existing.fingerprint == entry.fingerprint:
                if self.part(existing.id, "meta") is None:  # recorded by schema 1: keep it all
                    kept = {k: v for k, v in entry.parts.items() if k != ROWS}
                    self._parts(existing.id, kept)  # its rows stay as recorded
                if entry.paid and not existing.paid:
                    self._complete(existing, entry)
                    return Recorded("completed", existing.id)
                return Recorded("unchanged", existing.id)
            if existing is not None and not replace:
                raise QuarterClosed(entry.quarter, existing)
            if existing is not None and existing.paid and not entry.paid:
                raise LedgerError(said("ledger.would_drop_pay", quarter=entry.quarter))
            basis = self.basis(entry.quarter)
            if basis != list(entry.basis):
                raise LedgerError(
                    said(
                        "ledger.basis_moved",
                        quarter=entry.quarter,
                        read=str(entry.basis),
                        now=str(basis),
                    )
                )
            if existing is not None:
                self.db.execute("UPDATE runs SET status = 'replaced' WHERE id = ?", (existing.id,))
            # every later quarter's dynamic rules read a history without this run
            here = period_key(entry.quarter)
            later = [r.quarter for r in self.runs() if period_key(r.quarter) > here]
            run_id = self._insert(entry)
            action = "replaced" if existing is not None else "recorded"
            self._audit(entry.quarter, action, run_id, existing.id if existing else None, reason)
        return Recorded(action, run_id, later)

    def _insert(self, entry: Entry) -> int:
        cur = self.db.execute(
            "INSERT INTO runs (quarter, recorded_at, fingerprint, policy_name, policy_version,"
            " policy_sha256, policy_text, inputs, status, basis, paid, amctl_version)"
            " VALUES (?,?,?,?,?,?,?,?,'current',?,?,?)",
            (
                entry.quarter,
                _now(),
                entry.fingerprint,
                *entry.policy,
                json.dumps(entry.inputs, sort_keys=True, ensure_ascii=False),
                json.dumps(entry.basis),
                int(entry.paid),
                entry.amctl_version,
            ),
        )
        run_id = int(cur.lastrowid or 0)
        self._parts(run_id, entry.parts)
        return run_id

    def _parts(self, run_id: int, parts: Mapping[str, bytes]) -> None:
        if isinstance(parts, Streamed):  # each written as it comes, while the next is made
            for name, body in parts.arriving():
                self._part(run_id, name, body)
                del body  # not held until the last part is made
            return
        for name, body in sorted(parts.items()):
            self._part(run_id, name, body)

    def _part(self, run_id: int, name: str, body: bytes) -> None:
        """One part, its body written into the row a piece at a time: bound as a parameter,
        SQLite would copy all of it first (100 MB of a million managers' grading)."""
        cur = self.db.execute(
            "INSERT OR REPLACE INTO parts (run_id, name, body) VALUES (?, ?, zeroblob(?))",
            (run_id, name, len(body)),
        )
        if not body:
            return
        view = memoryview(body)
        with self.db.blobopen("parts", "body", int(cur.lastrowid or 0)) as blob:
            for at in range(0, len(view), _PIECE):
                blob.write(view[at : at + _PIECE])

    def _complete(self, run: Run, entry: Entry) -> None:
        """The pay of a run whose grading was recorded alone: the same run (the same policy,
        inputs and history: the same grading), now whole. Its rows keep what was recorded and
        take each manager's pay and total (a run recorded by an older amctl keeps its moves)."""
        from amctl.ledger import rows as kept_rows

        parts, before = dict(entry.parts), self.part(run.id, ROWS)
        if before is not None and ROWS in parts:
            parts[ROWS] = kept_rows.paid(before, parts[ROWS])
        self._parts(run.id, parts)
        self.db.execute("UPDATE runs SET paid = 1 WHERE id = ?", (run.id,))
        self._audit(run.quarter, "completed", run.id, None, "pay added to the recorded grading")

    def _audit(
        self, quarter: str, action: str, run_id: int, replaced: int | None, reason: str | None
    ) -> None:
        self.db.execute(
            "INSERT INTO audit (at, quarter, action, run_id, replaced_run, reason)"
            " VALUES (?,?,?,?,?,?)",
            (_now(), quarter, action, run_id, replaced, reason),
        )


_PIECE = 1 << 20  # bytes of a part's body written at a time

_NO_ROWS: dict[str, Sequence[Any]] = {"employee_id": []}


def _from_1(db: sqlite3.Connection) -> None:
    """Schema 1 → 2: history basis, paid flag, kept results, one current run per quarter.
    Runs recorded under schema 1 have no kept result until they are closed again.

    Schema 1 could hold two current runs of a quarter (two recordings racing); the later one
    is kept current and the repair is written to the audit trail."""
    for statement in (
        "ALTER TABLE runs ADD COLUMN basis TEXT NOT NULL DEFAULT '[]'",
        "ALTER TABLE runs ADD COLUMN paid INTEGER NOT NULL DEFAULT 0",
        "ALTER TABLE runs ADD COLUMN amctl_version TEXT NOT NULL DEFAULT ''",
        "ALTER TABLE results ADD COLUMN previous_tier TEXT",
        "ALTER TABLE results ADD COLUMN movement TEXT",
        TABLES["parts"],
        "UPDATE runs SET paid = 1 WHERE id IN (SELECT run_id FROM results WHERE total IS NOT NULL)",
    ):
        db.execute(statement)
    twins = db.execute(
        "SELECT id, quarter FROM runs WHERE status = 'current' AND id NOT IN"
        " (SELECT max(id) FROM runs WHERE status = 'current' GROUP BY quarter)"
    ).fetchall()
    for run_id, quarter in twins:
        db.execute("UPDATE runs SET status = 'replaced' WHERE id = ?", (run_id,))
        db.execute(
            "INSERT INTO audit (at, quarter, action, run_id, replaced_run, reason)"
            " VALUES (?,?,?,?,?,?)",
            (_now(), quarter, "repaired", None, run_id, "two current runs; the later one kept"),
        )
    db.execute(ONE_CURRENT)
    # schema 1 fingerprinted policy and inputs only; the history each run read joins them, so
    # closing an unchanged quarter again is still "unchanged" after the upgrade
    current = db.execute(
        "SELECT id, quarter, policy_sha256, inputs FROM runs WHERE status = 'current'"
        " ORDER BY quarter"
    ).fetchall()
    for run_id, quarter, sha, inputs in current:
        basis = [r[0] for r in current if r[1] < quarter]
        db.execute(
            "UPDATE runs SET basis = ?, fingerprint = ? WHERE id = ?",
            (json.dumps(basis), fingerprint(sha, json.loads(inputs), basis), run_id),
        )


def _from_2(db: sqlite3.Connection) -> None:
    """Schema 2 → 3: which period's review set each level and band. Runs recorded before
    hold them as unknown (NULL): a quarterly policy sets both every quarter."""
    db.execute("ALTER TABLE results ADD COLUMN level_set TEXT")
    db.execute("ALTER TABLE results ADD COLUMN band_set TEXT")


def _from_3(db: sqlite3.Connection) -> None:
    """Schema 3 → 4: a row's reasons may be NULL (kept, a column at a time, in the run's
    result). SQLite cannot drop a NOT NULL, so the table is copied; old rows keep theirs."""
    db.execute("ALTER TABLE results RENAME TO results_3")
    db.execute(RESULTS_4)
    columns = f"run_id, {RESULT_COLUMNS}"
    db.execute(f"INSERT INTO results ({columns}) SELECT {columns} FROM results_3")
    db.execute("DROP TABLE results_3")


def _from_4(db: sqlite3.Connection) -> None:
    """Schema 4 → 5: each run's rows become one part of the run (`ledger.rows`), a column
    each, and the table of a row per manager goes. Old rows keep their reasons and pay."""
    from amctl.ledger import rows as kept_rows

    runs = [r[0] for r in db.execute("SELECT id FROM runs ORDER BY id")]
    for run_id in runs:
        found = db.execute(
            f"SELECT {RESULT_COLUMNS} FROM results WHERE run_id = ? ORDER BY employee_id",
            (run_id,),
        ).fetchall()
        columns = dict(zip(RESULT_NAMES, zip(*found, strict=True), strict=True)) if found else {}
        body = kept_rows.encode(columns or _NO_ROWS)
        db.execute(
            "INSERT OR REPLACE INTO parts (run_id, name, body) VALUES (?, ?, ?)",
            (run_id, ROWS, body),
        )
    db.execute("DROP TABLE results")


MIGRATIONS: dict[int, Callable[[sqlite3.Connection], None]] = {
    1: _from_1,
    2: _from_2,
    3: _from_3,
    4: _from_4,
}


def _writable(path: Path) -> bool:
    return os.access(path, os.W_OK) and os.access(path.parent, os.W_OK)


def ledger_path(workspace: Path) -> Path:
    return workspace / FILE
