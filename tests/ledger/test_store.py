"""The ledger: one current run per quarter whatever runs at once, and errors that say what is
really wrong with the file (busy, read-only, damaged, foreign, another schema)."""

from __future__ import annotations

import json
import multiprocessing
import os
import sqlite3
from pathlib import Path

import pytest

from amctl.ledger import rows as kept_rows
from amctl.ledger.store import (
    RESULTS_4,
    Entry,
    Ledger,
    LedgerBusy,
    LedgerError,
    LedgerReadOnly,
    QuarterClosed,
    fingerprint,
)

ROW = {
    "employee_id": "KM0001",
    "name": "王伟",
    "org_unit": "一部",
    "level": "mid",
    "band": "A",
    "tier": "mid-A",
    "computed_level": "mid",
    "ability": 80.0,
    "performance": 81.0,
    "composite": 80.5,
    "pay": None,
    "total": None,
    "reasons": "[]",
    "previous_tier": None,
    "movement": "new",
}


def entry(
    quarter: str = "2024Q3",
    policy_sha: str = "a" * 64,
    rows: list[dict[str, object]] | None = None,
    **changes: object,
) -> Entry:
    """A run of `rows` (one ROW by default), given to the ledger a column each."""
    given = rows if rows is not None else [ROW]  # or `columns=` as they are
    fields: dict[str, object] = {
        "quarter": quarter,
        "policy": ("ct-group", "2024.3", policy_sha, "text"),
        "inputs": {"data/roster.xlsx": "1" * 64},
        "basis": [],
        "parts": {"meta": b"{}"},
        "paid": False,
    }
    columns = changes.pop("columns", None) or {k: [r[k] for r in given] for k in given[0]}
    fields.update(changes)
    fields["parts"] = {**fields["parts"], "rows": kept_rows.encode(columns)}  # type: ignore[dict-item]
    return Entry(**fields)  # type: ignore[arg-type]


@pytest.fixture
def path(tmp_path: Path) -> Path:
    return tmp_path / ".amctl" / "ledger.sqlite"


def test_recording_the_same_run_again_changes_nothing(path: Path) -> None:
    with Ledger.open(path, write=True) as ledger:
        assert ledger.record(entry()).action == "recorded"
        assert ledger.record(entry()).action == "unchanged"
        assert len(ledger.runs(every=True)) == 1


def test_an_unchanged_run_is_known_by_its_fingerprint_alone(path: Path) -> None:
    with Ledger.open(path, write=True) as ledger:
        assert ledger.unchanged("2024Q3", entry().fingerprint, paid=False) is None  # none yet
        first = ledger.record(entry())
        same = ledger.unchanged("2024Q3", entry().fingerprint, paid=False)
        assert same is not None and (same.action, same.run_id) == ("unchanged", first.run_id)
        other = entry(policy_sha="b" * 64).fingerprint
        assert ledger.unchanged("2024Q3", other, paid=False) is None  # another run: record decides
        assert ledger.unchanged("2024Q3", entry().fingerprint, paid=True) is None  # pay to add


def test_a_grading_then_its_pay_completes_one_run(path: Path) -> None:
    paid_row = {**ROW, "pay": json.dumps({"base": "100.00"}), "total": "100.00"}
    with Ledger.open(path, write=True) as ledger:
        first = ledger.record(entry())
        done = ledger.record(entry(rows=[paid_row], paid=True, parts={"payroll.lines": b"x"}))
        assert (done.action, done.run_id) == ("completed", first.run_id)
        (run,) = ledger.runs(every=True)
        assert run.paid and ledger.rows()[0].total == "100.00"
        assert ledger.part(run.id, "payroll.lines") == b"x"
        assert ledger.record(entry()).action == "unchanged"  # the grading alone again
        assert [a.action for a in ledger.audit()] == ["recorded", "completed"]


def test_another_run_of_a_closed_quarter_is_refused_until_replaced(path: Path) -> None:
    with Ledger.open(path, write=True) as ledger:
        ledger.record(entry())
        with pytest.raises(QuarterClosed, match="2024Q3 is recorded and closed"):
            ledger.record(entry(policy_sha="b" * 64))
        with pytest.raises(LedgerError, match="needs a reason"):
            ledger.record(entry(policy_sha="b" * 64), replace=True)
        done = ledger.record(entry(policy_sha="b" * 64), replace=True, reason="HR-1")
        assert done.action == "replaced"
        assert [r.status for r in ledger.runs(every=True)] == ["replaced", "current"]


def test_replacing_a_quarter_names_the_later_quarters_built_on_it(path: Path) -> None:
    with Ledger.open(path, write=True) as ledger:
        q3 = ledger.record(entry("2024Q3"))
        ledger.record(entry("2024Q4", basis=[q3.run_id]))
        ledger.record(entry("2025Q1", basis=ledger.basis("2025Q1")))
        done = ledger.record(entry("2024Q3", policy_sha="b" * 64), replace=True, reason="fix")
        assert done.later == ["2024Q4", "2025Q1"]


def test_recording_an_earlier_quarter_names_the_later_ones(path: Path) -> None:
    with Ledger.open(path, write=True) as ledger:
        ledger.record(entry("2024Q4"))
        done = ledger.record(entry("2024Q3"))
        assert done.later == ["2024Q4"]


def test_a_run_whose_history_changed_meanwhile_is_refused(path: Path) -> None:
    with Ledger.open(path, write=True) as ledger:
        q3 = ledger.record(entry("2024Q3"))
        basis = ledger.basis("2024Q4")
        ledger.record(entry("2024Q3", policy_sha="b" * 64), replace=True, reason="fix")
        with pytest.raises(LedgerError, match="recorded again while this run of 2024Q4"):
            ledger.record(entry("2024Q4", basis=basis))
        assert basis == [q3.run_id]


def test_a_paid_quarter_is_not_replaced_by_a_grading_alone(path: Path) -> None:
    paid = entry(rows=[{**ROW, "total": "1.00"}], paid=True)
    with Ledger.open(path, write=True) as ledger:
        ledger.record(paid)
        with pytest.raises(LedgerError, match="would drop the pay"):
            ledger.record(entry(policy_sha="b" * 64), replace=True, reason="x")


def test_a_folder_at_the_ledger_path_is_named(path: Path) -> None:
    path.mkdir(parents=True)
    with pytest.raises(LedgerError, match=r"a folder .* where the ledger file should be"):
        Ledger.open(path)


def test_the_schema_forbids_a_second_current_run(path: Path) -> None:
    with Ledger.open(path, write=True) as ledger:
        ledger.record(entry())
    db = sqlite3.connect(path)
    with pytest.raises(sqlite3.IntegrityError, match="UNIQUE"):
        db.execute(
            "INSERT INTO runs (quarter, recorded_at, fingerprint, policy_name, policy_version,"
            " policy_sha256, policy_text, inputs, status) VALUES"
            " ('2024Q3', 'now', 'f', 'p', 'v', 's', 't', '{}', 'current')"
        )
    db.close()


def _racer(path: str, sha: str, start: object, results: object) -> None:
    start.wait()  # type: ignore[attr-defined]
    try:
        with Ledger.open(Path(path), write=True) as ledger:
            outcome = ledger.record(entry(policy_sha=sha)).action
    except QuarterClosed:
        outcome = "refused"
    except LedgerError as exc:
        outcome = f"error: {exc}"
    results.put(outcome)  # type: ignore[attr-defined]


def test_recordings_started_together_leave_exactly_one_current_run(tmp_path: Path) -> None:
    """Six processes record the same quarter at once, twenty rounds in a row: each round ends
    with one current run; the others were refused (another result) or found it unchanged."""
    ctx = multiprocessing.get_context("fork")
    for round_ in range(20):
        path = tmp_path / f"round{round_}" / "ledger.sqlite"
        start, results = ctx.Barrier(6), ctx.Queue()
        shas = [c * 64 for c in "aabbcc"]  # pairs: a second racer may find its twin recorded
        racers = [ctx.Process(target=_racer, args=(str(path), s, start, results)) for s in shas]
        for p in racers:
            p.start()
        for p in racers:
            p.join(60)
        outcomes = sorted(results.get(timeout=10) for _ in racers)
        assert outcomes.count("recorded") == 1, outcomes
        assert set(outcomes) <= {"recorded", "refused", "unchanged"}, outcomes
        db = sqlite3.connect(path)
        current = db.execute("SELECT count(*) FROM runs WHERE status = 'current'").fetchone()[0]
        runs = db.execute("SELECT count(*) FROM runs").fetchone()[0]
        db.close()
        assert (current, runs) == (1, 1), outcomes


def test_a_busy_ledger_waits_then_says_another_amctl_is_writing(path: Path) -> None:
    Ledger.open(path, write=True).close()
    holder = sqlite3.connect(path, isolation_level=None)
    holder.execute("BEGIN IMMEDIATE")
    try:
        with (
            pytest.raises(LedgerBusy, match="another amctl is writing to the ledger"),
            Ledger.open(path, write=True, wait=0.2) as ledger,
        ):
            ledger.record(entry())
        with Ledger.open(path, wait=0.2) as reader:  # reading is not blocked by a writer
            assert reader.runs() == []
    finally:
        holder.execute("ROLLBACK")
        holder.close()


def test_a_ledger_opened_for_reading_is_never_written(path: Path) -> None:
    with Ledger.open(path, write=True) as ledger:
        ledger.record(entry())
    before = path.read_bytes()
    with Ledger.open(path) as reader:
        assert reader.quarters() == ["2024Q3"]
        with pytest.raises(LedgerReadOnly):
            reader.record(entry("2024Q4"))
    assert path.read_bytes() == before


@pytest.mark.skipif(os.geteuid() == 0, reason="root writes read-only files anyway")
def test_a_read_only_ledger_still_answers(path: Path) -> None:
    with Ledger.open(path, write=True) as ledger:
        ledger.record(entry())
    path.chmod(0o444)
    path.parent.chmod(0o555)
    try:
        with Ledger.open(path) as reader:
            assert reader.quarters() == ["2024Q3"]
        with pytest.raises(LedgerReadOnly, match="history, explain and grade still work"):
            Ledger.open(path, write=True).record(entry("2024Q4"))
    finally:
        path.parent.chmod(0o755)
        path.chmod(0o644)


def test_a_file_that_is_not_sqlite_is_named_not_restored(path: Path) -> None:
    path.parent.mkdir(parents=True)
    path.write_bytes(b"PK\x03\x04 this is a zip, not a ledger" * 100)
    with pytest.raises(LedgerError, match="not an SQLite file") as caught:
        Ledger.open(path)
    assert "move it aside" in str(caught.value)


def test_a_damaged_ledger_says_so(path: Path) -> None:
    with Ledger.open(path, write=True) as ledger:
        for i in range(40):
            q = f"{2000 + i}Q1"
            rows = [{**ROW, "reasons": json.dumps(["x" * 900])}]
            ledger.record(entry(q, rows=rows, basis=ledger.basis(q)))
    data = bytearray(path.read_bytes())
    data[4096 * 3 : 4096 * 6] = b"\xff" * (4096 * 3)  # pages in the middle of the file
    path.write_bytes(bytes(data))
    with pytest.raises(LedgerError, match="damaged") as caught, Ledger.open(path) as ledger:
        ledger.rows()
    assert "put back your copy" in str(caught.value)


@pytest.mark.parametrize(
    ("tables", "shown"),
    [
        (["CREATE TABLE customers (id INTEGER)"], "customers"),
        (["CREATE TABLE meta (k TEXT)", "CREATE TABLE runs (id INTEGER)"], "meta, runs"),
    ],
)
def test_a_foreign_database_is_not_taken_for_a_ledger(
    path: Path, tables: list[str], shown: str
) -> None:
    path.parent.mkdir(parents=True)
    db = sqlite3.connect(path)
    for statement in tables:
        db.execute(statement)
    db.commit()
    db.close()
    for write in (False, True):
        with pytest.raises(
            LedgerError, match=rf"not an amctl ledger \(it holds the tables {shown}"
        ):
            Ledger.open(path, write=write)


def test_a_schema_version_by_hand_or_from_a_newer_amctl(path: Path) -> None:
    with Ledger.open(path, write=True) as ledger:
        assert ledger.schema_version == 5
    for value, message in (("9", "written by a newer amctl"), ("x", "not a number")):
        db = sqlite3.connect(path)
        db.execute("UPDATE meta SET value = ? WHERE key = 'schema_version'", (value,))
        db.commit()
        db.close()
        with pytest.raises(LedgerError, match=message):
            Ledger.open(path)


SCHEMA_1 = [
    "CREATE TABLE meta (key TEXT PRIMARY KEY, value TEXT NOT NULL)",
    "CREATE TABLE runs (id INTEGER PRIMARY KEY, quarter TEXT NOT NULL, recorded_at TEXT NOT NULL,"
    " fingerprint TEXT NOT NULL, policy_name TEXT NOT NULL, policy_version TEXT NOT NULL,"
    " policy_sha256 TEXT NOT NULL, policy_text TEXT NOT NULL, inputs TEXT NOT NULL,"
    " status TEXT NOT NULL CHECK (status IN ('current', 'replaced')))",
    "CREATE TABLE results (run_id INTEGER NOT NULL REFERENCES runs(id),"
    " employee_id TEXT NOT NULL, name TEXT, org_unit TEXT, level TEXT NOT NULL, band TEXT,"
    " tier TEXT NOT NULL, computed_level TEXT NOT NULL, ability REAL, performance REAL,"
    " composite REAL, pay TEXT, total TEXT, reasons TEXT NOT NULL,"
    " PRIMARY KEY (run_id, employee_id))",
    "CREATE TABLE audit (id INTEGER PRIMARY KEY, at TEXT NOT NULL, quarter TEXT NOT NULL,"
    " action TEXT NOT NULL, run_id INTEGER, replaced_run INTEGER, reason TEXT)",
    "INSERT INTO meta VALUES ('schema_version', '1')",
]


def test_a_schema_1_ledger_with_two_current_runs_is_upgraded_and_repaired(path: Path) -> None:
    path.parent.mkdir(parents=True)
    db = sqlite3.connect(path)
    for statement in SCHEMA_1:
        db.execute(statement)
    for run_id in (1, 2):  # what two racing recordings could leave behind in schema 1
        db.execute(
            "INSERT INTO runs VALUES (?, '2024Q3', 'then', ?, 'ct-group', '2024.3', 's', 't',"
            " '{}', 'current')",
            (run_id, f"f{run_id}"),
        )
        db.execute(
            "INSERT INTO results VALUES (?, 'KM0001', '王伟', '一部', 'mid', 'A', 'mid-A', 'mid',"
            " 80, 80, 80, '{}', '1.00', '[]')",
            (run_id,),
        )
    db.commit()
    db.close()
    with Ledger.open(path) as ledger:  # reading upgrades it, as the file can be written
        assert ledger.schema_version == 5
        assert [(r.id, r.status, r.paid) for r in ledger.runs(every=True)] == [
            (1, "replaced", True),
            (2, "current", True),
        ]
        assert [a.action for a in ledger.audit()] == ["repaired"]
        # through schema 3: who set the level and band of an old row is not known
        assert {(r.level_set, r.band_set) for r in ledger.rows()} == {(None, None)}
        assert ledger.rows()[0].movement is None
        # through schemas 4 and 5: an old row keeps its reasons and pay, now as columns
        assert [(r.reasons, r.pay) for r in ledger.rows(run_id=2)] == [([], {})]
        assert ledger.part(2, "meta") is None  # no kept result yet
    legacy = entry(policy_sha="s", inputs={}, rows=[{**ROW, "total": "1.00"}], paid=True)
    with Ledger.open(path, write=True) as ledger:  # closing it again with the same inputs
        assert ledger.record(legacy).action == "unchanged"
        assert ledger.part(2, "meta") == b"{}"  # and now the result is kept


def test_a_run_is_recorded_a_column_at_a_time_without_reasons_or_pay_per_row(path: Path) -> None:
    """Since schema 4 a row holds no JSON (the run's kept result has reasons and pay); since
    schema 5 the rows are one part of the run, not a row of SQLite per manager."""
    columns = {k: [v, v] for k, v in ROW.items() if k not in ("reasons", "pay")}
    columns["employee_id"] = ["KM0002", "KM0001"]
    columns["total"] = ["1.00", None]
    with Ledger.open(path, write=True) as ledger:
        ledger.record(entry(columns=columns))
        rows = ledger.rows()
        assert [(r.employee_id, r.total, r.reasons, r.pay) for r in rows] == [
            ("KM0001", None, None, None),
            ("KM0002", "1.00", None, None),
        ]
        assert rows[0].tier == "mid-A" and rows[0].ability == 80.0
    db = sqlite3.connect(path)
    tables = {r[0] for r in db.execute("SELECT name FROM sqlite_master WHERE type = 'table'")}
    kept = db.execute("SELECT name FROM parts ORDER BY name").fetchall()
    db.close()
    assert "results" not in tables and kept == [("meta",), ("rows",)]


SCHEMA_3_RESULTS = (
    "CREATE TABLE results (run_id INTEGER NOT NULL REFERENCES runs(id),"
    " employee_id TEXT NOT NULL, name TEXT, org_unit TEXT, level TEXT NOT NULL, band TEXT,"
    " tier TEXT NOT NULL, computed_level TEXT NOT NULL, ability REAL, performance REAL,"
    " composite REAL, pay TEXT, total TEXT, reasons TEXT NOT NULL, previous_tier TEXT,"
    " movement TEXT, level_set TEXT, band_set TEXT, PRIMARY KEY (run_id, employee_id))"
)


def test_a_schema_3_ledger_is_upgraded_keeping_its_rows(path: Path) -> None:
    with Ledger.open(path, write=True) as ledger:
        first = ledger.record(entry())
    db = sqlite3.connect(path)  # as amctl 0.3 left it: reasons and pay as JSON in each row
    db.execute("DELETE FROM parts WHERE name = 'rows'")
    db.execute(SCHEMA_3_RESULTS)
    db.execute(
        "INSERT INTO results VALUES (?, 'KM0001', '王伟', '一部', 'mid', 'A', 'mid-A', 'mid',"
        ' 80, 81, 80.5, \'{"base": "1.00"}\', \'1.00\', \'[{"code": "rank"}]\','
        " NULL, 'new', '2024Q3', '2024Q3')",
        (first.run_id,),
    )
    db.execute("UPDATE meta SET value = '3' WHERE key = 'schema_version'")
    db.commit()
    db.close()
    with Ledger.open(path, write=True) as ledger:
        assert ledger.schema_version == 5
        (row,) = ledger.rows()
        assert (row.reasons, row.pay, row.total) == ([{"code": "rank"}], {"base": "1.00"}, "1.00")
        assert (row.level_set, row.movement, row.composite) == ("2024Q3", "new", 80.5)
        assert ledger.record(entry()).action == "unchanged"
        columns = {k: [v] for k, v in ROW.items() if k != "reasons"}
        later = entry("2024Q4", columns=columns, basis=[first.run_id])
        assert ledger.record(later).action == "recorded"
        assert [r.reasons for r in ledger.rows()] == [[{"code": "rank"}], None]


def test_the_fingerprint_holds_contents_and_history_not_paths() -> None:
    a = fingerprint("p", {"data/a.xlsx": "1"}, [1])
    assert a == fingerprint("p", {"/elsewhere/a.xlsx": "1"}, [1])
    assert a != fingerprint("p", {"data/a.xlsx": "2"}, [1])
    assert a != fingerprint("p", {"data/a.xlsx": "1"}, [3])


def test_a_schema_4_ledger_keeps_every_runs_rows_as_its_part(path: Path) -> None:
    """Schema 4 → 5: each run's rows of SQLite become its "rows" part, row for row (an empty
    run too), and the table goes; history and the next period read the same values."""
    with Ledger.open(path, write=True) as ledger:
        q3 = ledger.record(entry("2024Q3"))
        q4 = ledger.record(entry("2024Q4", basis=[q3.run_id]))
    db = sqlite3.connect(path)  # as amctl 0.4 left it: a row of SQLite per manager
    db.execute("DELETE FROM parts WHERE name = 'rows'")
    db.execute(RESULTS_4)
    for run_id, eid, total, movement in (
        (q3.run_id, "KM0002", "2.50", None),
        (q3.run_id, "KM0001", None, "new"),
        (q3.run_id, "KM0010", "1.00", "up"),
    ):
        db.execute(
            "INSERT INTO results VALUES (?, ?, '王伟', '一部', 'mid', 'A', 'mid-A', 'mid',"
            " 80, NULL, 80.5, ?, ?, NULL, NULL, ?, '2024Q3', NULL)",
            (run_id, eid, '{"base": "1.00"}' if total else None, total, movement),
        )
    db.execute("UPDATE meta SET value = '4' WHERE key = 'schema_version'")
    db.commit()
    db.close()
    with Ledger.open(path) as ledger:  # reading upgrades it, as the file can be written
        assert ledger.schema_version == 5
        got = [
            (r.quarter, r.employee_id, r.total, r.pay, r.movement, r.performance, r.band_set)
            for r in ledger.rows(run_id=q3.run_id)
        ]
        assert got == [
            ("2024Q3", "KM0001", None, None, "new", None, None),
            ("2024Q3", "KM0002", "2.50", {"base": "1.00"}, None, None, None),
            ("2024Q3", "KM0010", "1.00", {"base": "1.00"}, "up", None, None),
        ]
        assert ledger.rows(run_id=q4.run_id) == []
        assert [r.employee_id for r in ledger.rows(employee_id="KM0002")] == ["KM0002"]
        (past,) = ledger.history_before("2024Q4").runs
        assert past.ids.tolist() == ["KM0001", "KM0002", "KM0010"]
        assert past.columns["level_set"].tolist() == ["2024Q3"] * 3
        assert past.columns["band_set"].tolist() == [None] * 3
    db = sqlite3.connect(path)
    tables = {r[0] for r in db.execute("SELECT name FROM sqlite_master WHERE type = 'table'")}
    db.close()
    assert "results" not in tables


def test_rows_are_read_back_as_recorded_in_time_order_then_by_id(path: Path) -> None:
    columns = {k: [v] * 3 for k, v in ROW.items()}
    columns["employee_id"] = ["KM0003", "KM0001", "KM0002"]
    columns["ability"] = [float("nan"), 70.25, None]
    columns["band"] = ["A", None, "C"]
    with Ledger.open(path, write=True) as ledger:
        q4 = ledger.record(entry("2024Q4", columns=columns))
        ledger.record(entry("2024Q3"))
        rows = ledger.rows()
        assert [(r.quarter, r.employee_id) for r in rows] == [
            ("2024Q3", "KM0001"),
            ("2024Q4", "KM0001"),
            ("2024Q4", "KM0002"),
            ("2024Q4", "KM0003"),
        ]
        assert [(r.ability, r.band) for r in ledger.rows(run_id=q4.run_id)] == [
            (70.25, None),
            (None, "C"),
            (None, "A"),
        ]
        assert [r.quarter for r in ledger.rows(employee_id="KM0001")] == ["2024Q3", "2024Q4"]
        assert ledger.rows(quarter="2024Q4", employee_id="KM0009") == []


def test_pay_added_to_a_recorded_grading_keeps_its_rows_and_takes_the_totals(path: Path) -> None:
    """As schema 4 did it (an UPDATE of pay and total): a run recorded by an older amctl
    keeps the moves it recorded; only the managers of both get the new pay."""
    then = [ROW, {**ROW, "employee_id": "KM0002", "total": "9.00"}]
    now = [
        {**ROW, "movement": "up", "total": "5.00", "tier": "top-A"},
        {**ROW, "employee_id": "KM0003", "total": "7.00"},
    ]
    with Ledger.open(path, write=True) as ledger:
        ledger.record(entry(rows=then))
        assert ledger.record(entry(rows=now, paid=True)).action == "completed"
        got = [(r.employee_id, r.movement, r.tier, r.total) for r in ledger.rows()]
    assert got == [("KM0001", "new", "mid-A", "5.00"), ("KM0002", "new", "mid-A", "9.00")]


def test_a_score_that_is_not_a_number_in_an_old_ledger_is_read_as_none(path: Path) -> None:
    """SQLite keeps text a hand typed into a REAL column: the upgrade reads it as no score
    and goes on, rather than leaving a ledger no command can open."""
    with Ledger.open(path, write=True) as ledger:
        run = ledger.record(entry())
    db = sqlite3.connect(path)
    db.execute("DELETE FROM parts WHERE name = 'rows'")
    db.execute(RESULTS_4)
    db.execute(
        "INSERT INTO results VALUES (?, 'KM0001', '王伟', '一部', 'mid', 'A', 'mid-A', 'mid',"
        " 'n/a', 81, 80.5, NULL, NULL, NULL, NULL, 'new', NULL, NULL)",
        (run.run_id,),
    )
    db.execute("UPDATE meta SET value = '4' WHERE key = 'schema_version'")
    db.commit()
    db.close()
    with Ledger.open(path) as ledger:
        (row,) = ledger.rows()
    assert (row.ability, row.performance, row.composite) == (None, 81.0, 80.5)
