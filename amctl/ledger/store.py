"""The ledger: recorded quarters in an SQLite file inside the workspace (no server needed).

A recorded quarter is closed. Recording it again with the same policy and inputs changes
nothing; with different ones it is refused unless replaced explicitly with a reason, which the
audit trail keeps. The schema carries a version, and `MIGRATIONS` upgrades older files.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import sqlite3
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path
from typing import Any

from amctl.engine.dynamics import Past
from amctl.errors import AmctlError, UsageError

SCHEMA_VERSION = 1
FILE = Path(".amctl") / "ledger.sqlite"

SCHEMA = [
    """CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value TEXT NOT NULL)""",
    """CREATE TABLE IF NOT EXISTS runs (
        id INTEGER PRIMARY KEY,
        quarter TEXT NOT NULL,
        recorded_at TEXT NOT NULL,
        fingerprint TEXT NOT NULL,
        policy_name TEXT NOT NULL,
        policy_version TEXT NOT NULL,
        policy_sha256 TEXT NOT NULL,
        policy_text TEXT NOT NULL,
        inputs TEXT NOT NULL,
        status TEXT NOT NULL CHECK (status IN ('current', 'replaced'))
    )""",
    """CREATE TABLE IF NOT EXISTS results (
        run_id INTEGER NOT NULL REFERENCES runs(id),
        employee_id TEXT NOT NULL,
        name TEXT, org_unit TEXT,
        level TEXT NOT NULL, band TEXT, tier TEXT NOT NULL, computed_level TEXT NOT NULL,
        ability REAL, performance REAL, composite REAL,
        pay TEXT, total TEXT, reasons TEXT NOT NULL,
        PRIMARY KEY (run_id, employee_id)
    )""",
    """CREATE TABLE IF NOT EXISTS audit (
        id INTEGER PRIMARY KEY,
        at TEXT NOT NULL,
        quarter TEXT NOT NULL,
        action TEXT NOT NULL,
        run_id INTEGER,
        replaced_run INTEGER,
        reason TEXT
    )""",
]
MIGRATIONS: dict[int, list[str]] = {}  # from version N to N + 1, for later schema changes


class LedgerError(AmctlError):
    """The ledger refuses a change (a closed quarter) or cannot be read."""


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
    pay: dict[str, str]
    total: str | None
    reasons: list[str]


@dataclass(frozen=True)
class Recorded:
    """What `record` did: 'recorded', 'unchanged' or 'replaced'."""

    action: str
    run_id: int


def ledger_path(workspace: Path) -> Path:
    return workspace / FILE


class Ledger:
    def __init__(self, path: Path) -> None:
        self.path = path
        path.parent.mkdir(parents=True, exist_ok=True)
        try:
            self.db = sqlite3.connect(path)
            self.db.execute("PRAGMA foreign_keys = ON")
            self._prepare()
        except sqlite3.DatabaseError as exc:
            raise LedgerError(
                f"{path}: not a readable ledger ({exc}); restore it from backup"
            ) from None

    def close(self) -> None:
        self.db.close()

    def _prepare(self) -> None:
        with self.db:
            for statement in SCHEMA:
                self.db.execute(statement)
            row = self.db.execute("SELECT value FROM meta WHERE key = 'schema_version'").fetchone()
            version = int(row[0]) if row else SCHEMA_VERSION
            if version > SCHEMA_VERSION:
                raise LedgerError(
                    f"{self.path}: written by a newer amctl (schema {version}); upgrade amctl"
                )
            while version < SCHEMA_VERSION:
                for statement in MIGRATIONS[version]:
                    self.db.execute(statement)
                version += 1
            self.db.execute(
                "INSERT OR REPLACE INTO meta VALUES ('schema_version', ?)", (str(version),)
            )

    @property
    def schema_version(self) -> int:
        row = self.db.execute("SELECT value FROM meta WHERE key = 'schema_version'").fetchone()
        return int(row[0])

    def current_run(self, quarter: str) -> sqlite3.Row | None:
        self.db.row_factory = sqlite3.Row
        row: sqlite3.Row | None = self.db.execute(
            "SELECT * FROM runs WHERE quarter = ? AND status = 'current'", (quarter,)
        ).fetchone()
        return row

    def record(
        self,
        quarter: str,
        policy: tuple[str, str, str, str],  # name, version, sha256, text
        inputs: dict[str, str],
        rows: Sequence[dict[str, Any]],
        *,
        replace: bool = False,
        reason: str | None = None,
    ) -> Recorded:
        fingerprint = _fingerprint(policy[2], inputs)
        existing = self.current_run(quarter)
        now = dt.datetime.now(dt.UTC).isoformat(timespec="seconds")
        if existing is not None and existing["fingerprint"] == fingerprint:
            return Recorded("unchanged", int(existing["id"]))
        if existing is not None and not replace:
            raise LedgerError(
                f"{quarter} is already recorded (run {existing['id']}, policy "
                f"{existing['policy_name']} {existing['policy_version']}) with other inputs or "
                f"another policy; a recorded quarter is closed. To replace it, pass --replace "
                f'--reason "why"'
            )
        if replace and not (reason or "").strip():
            raise UsageError("--replace needs --reason: the audit trail keeps why")
        with self.db:
            if existing is not None:
                self.db.execute(
                    "UPDATE runs SET status = 'replaced' WHERE id = ?", (existing["id"],)
                )
            cur = self.db.execute(
                "INSERT INTO runs (quarter, recorded_at, fingerprint, policy_name, policy_version,"
                " policy_sha256, policy_text, inputs, status) VALUES (?,?,?,?,?,?,?,?,'current')",
                (quarter, now, fingerprint, *policy, json.dumps(inputs, sort_keys=True)),
            )
            run_id = int(cur.lastrowid or 0)
            self.db.executemany(
                "INSERT INTO results VALUES (:run_id, :employee_id, :name, :org_unit, :level,"
                " :band, :tier, :computed_level, :ability, :performance, :composite, :pay,"
                " :total, :reasons)",
                [{**r, "run_id": run_id} for r in rows],
            )
            action = "replaced" if existing is not None else "recorded"
            self.db.execute(
                "INSERT INTO audit (at, quarter, action, run_id, replaced_run, reason)"
                " VALUES (?,?,?,?,?,?)",
                (now, quarter, action, run_id, existing["id"] if existing else None, reason),
            )
        return Recorded(action, run_id)

    def quarters(self) -> list[str]:
        rows = self.db.execute(
            "SELECT quarter FROM runs WHERE status = 'current' ORDER BY quarter"
        ).fetchall()
        return [r[0] for r in rows]

    def history_before(self, quarter: str) -> dict[str, list[Past]]:
        """Each manager's recorded periods before `quarter`, latest first."""
        out: dict[str, list[Past]] = {}
        for eid, q, level, computed, tier in self.db.execute(
            "SELECT r.employee_id, u.quarter, r.level, r.computed_level, r.tier FROM results r"
            " JOIN runs u ON u.id = r.run_id WHERE u.status = 'current' AND u.quarter < ?"
            " ORDER BY u.quarter DESC",
            (quarter,),
        ):
            out.setdefault(eid, []).append(Past(q, level, computed, tier))
        return out

    def rows(self, employee_id: str | None = None, quarter: str | None = None) -> list[Row]:
        sql = (
            "SELECT u.quarter, r.employee_id, r.name, r.org_unit, r.level, r.band, r.tier,"
            " r.computed_level, r.ability, r.performance, r.composite, r.pay, r.total, r.reasons"
            " FROM results r JOIN runs u ON u.id = r.run_id WHERE u.status = 'current'"
        )
        args: list[str] = []
        if employee_id is not None:
            sql += " AND r.employee_id = ?"
            args.append(employee_id)
        if quarter is not None:
            sql += " AND u.quarter = ?"
            args.append(quarter)
        sql += " ORDER BY u.quarter, r.employee_id"
        out = []
        for rec in self.db.execute(sql, args):
            values = list(rec)
            values[11] = json.loads(values[11]) if values[11] else {}
            values[13] = json.loads(values[13])
            out.append(Row(*values))
        return out

    def audit(self) -> list[tuple[str, str, str, int, int | None, str | None]]:
        return list(
            self.db.execute(
                "SELECT at, quarter, action, run_id, replaced_run, reason FROM audit ORDER BY id"
            )
        )


def _fingerprint(policy_sha: str, inputs: dict[str, str]) -> str:
    """Same policy text and same input file contents, whatever the paths."""
    joined = policy_sha + "".join(sorted(inputs.values()))
    return hashlib.sha256(joined.encode()).hexdigest()


@contextmanager
def opened(workspace: Path) -> Iterator[Ledger]:
    ledger = Ledger(ledger_path(workspace))
    try:
        yield ledger
    finally:
        ledger.close()


def money(value: Any) -> str | None:
    return None if value is None else str(Decimal(value))
