"""One quarter, one truth: a three-quarter workspace closed through the CLI, then every output
of each quarter (workbooks, json, the report, explain, history, payroll, the ledger) asked for
the same tiers, moves and totals; after a policy edit the closed quarter still shows what was
recorded, and says what changed."""

from __future__ import annotations

import json
import os
import re
import shutil
import sqlite3
import subprocess
import sys
import zipfile
from decimal import Decimal
from pathlib import Path
from types import SimpleNamespace
from typing import Any

import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from openpyxl import load_workbook
from typer.testing import CliRunner

import amctl
from amctl.cli.app import app
from amctl.engine import amounts as money
from amctl.labels import VALUES, moved, names
from amctl.ledger import rows as kept_rows
from amctl.ledger.store import Ledger, ledger_path
from amctl.messages import say
from amctl.pipeline.payroll import PayrollResult
from amctl.pipeline.run import Difference, differences
from amctl.policy.loader import load_policy
from tests.export.test_report import Page
from tests.helpers import REPO

runner = CliRunner()
QUARTERS = ("2024Q3", "2024Q4", "2025Q1")


def cli(*args: str | Path):  # type: ignore[no-untyped-def]
    return runner.invoke(app, [str(a) for a in args])


def copy_examples(into: Path) -> Path:
    shutil.copytree(REPO / "examples" / "data", into / "data")
    shutil.copytree(REPO / "policies", into / "policies")
    return into


def copy_closed(closed: Path, into: Path, *edits: str) -> Path:
    """A copy of the closed workspace, ledger included, with the policy edited (old, new …)."""
    ws = copy_examples(into)
    shutil.copytree(closed / ".amctl", ws / ".amctl")
    policy = ws / "policies" / "ct-group.yaml"
    text = policy.read_text(encoding="utf-8")
    for old, new in zip(edits[::2], edits[1::2], strict=True):
        assert old in text
        text = text.replace(old, new)
    policy.write_text(text, encoding="utf-8")
    return ws


@pytest.fixture(scope="module")
def closed(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The example team's three quarters, each closed with `amctl close`."""
    ws = copy_examples(tmp_path_factory.mktemp("closed"))
    for q in QUARTERS:
        result = cli("--quiet", "close", q, "-w", ws)
        assert result.exit_code == 0, result.output
        assert f"{q}: recorded" in result.output
    return ws


def sheet_rows(path: Path, sheet: str) -> list[dict[str, object]]:
    rows = list(load_workbook(path, read_only=True)[sheet].iter_rows(values_only=True))
    header = [str(h) for h in rows[1]]  # below the title row
    return [dict(zip(header, r, strict=True)) for r in rows[2:] if r[0] not in (None, "合计")]


def report_page(path: Path) -> Page:
    page = Page()
    page.feed(path.read_text(encoding="utf-8"))
    return page


def report_people(page: Page) -> dict[str, tuple[str, str, str]]:
    table = page.tables[page.section_of_table.index("people")]
    return {r[0]: (r[4], r[5], r[7]) for r in table[1:]}  # id → tier, movement, pay (words)


@pytest.mark.zh
@pytest.mark.parametrize("q", QUARTERS)
def test_every_output_of_a_closed_quarter_agrees(closed: Path, tmp_path: Path, q: str) -> None:
    ws = amctl.Workspace(closed)
    with ws.ledger() as ledger:  # type: ignore[union-attr]
        recorded = {r.employee_id: r for r in ledger.rows(quarter=q)}
        earlier = [x for x in ledger.quarters() if x < q]
        before = {r.employee_id: r for r in ledger.rows(quarter=earlier[-1])} if earlier else {}
    tiers = {e: r.tier for e, r in recorded.items()}
    moves = {e: r.movement for e, r in recorded.items()}
    ledger_total = sum(Decimal(r.total) for r in recorded.values() if r.total)

    # the workbooks close wrote, in the words of the label layer
    called = names(load_policy(REPO / "policies" / "ct-group.yaml").policy, "zh")
    labelled = {e: called.tier(t) for e, t in tiers.items()}
    grading = sheet_rows(closed / "out" / q / f"grading-{q}.xlsx", "分级结果")
    graded = [r for r in grading if r["状态"] == "已评定"]
    assert {str(r["员工编号"]): r["等级档次"] for r in graded} == labelled
    was = {e: r.previous_tier for e, r in recorded.items()}
    words = {
        e: VALUES["movement"][moved(was[e], tiers[e], m)][0] if m else None
        for e, m in moves.items()
    }
    assert {str(r["员工编号"]): r["变动"] for r in graded} == words
    lines = sheet_rows(closed / "out" / q / f"payroll-{q}.xlsx", "薪酬")
    assert {str(r["员工编号"]): r["等级档次"] for r in lines} == labelled
    assert sum(Decimal(str(r["合计"])) for r in lines) == ledger_total

    # a plain grade in the closed workspace, as json: same tiers and moves, no differences
    out = tmp_path / "g.json"
    plain = cli("grade", closed / "data" / q / "roster.xlsx", "-o", out, "--rows", "0")
    assert plain.exit_code == 0, plain.output
    assert "differ" not in plain.output
    doc = json.loads(out.read_text(encoding="utf-8"))
    managers = [m for m in doc["managers"] if m["status"] == "graded"]
    assert {m["employee_id"]: m["tier"] for m in managers} == tiers
    assert {m["employee_id"]: m["movement"] for m in managers} == moves

    # moves are measured against the previous recorded quarter (else the roster's 现等级)
    for m in managers:
        if m["employee_id"] in before:
            assert m["previous_tier"] == before[m["employee_id"]].tier
            assert m["previous_from"] == earlier[-1]
        else:
            assert m["previous_from"] in ("roster", None)

    # the report, asked again: the recorded run
    html = tmp_path / "r.html"
    shown = cli("report", "--quarter", q, "-w", closed, "-o", html)
    assert shown.exit_code == 0, shown.output
    page = report_page(html)
    people = report_people(page)
    assert {e: t for e, (t, _, _) in people.items()} == labelled
    assert {e: m for e, (_, m, _) in people.items()} == words
    assert Decimal(page.grand_total.replace(",", "")) == ledger_total
    for page_file in (html, closed / "out" / q / f"report-{q}.html"):
        assert "已记录：台账第" in page_file.read_text(encoding="utf-8")

    # payroll computed again: the same total, nothing differs
    pay = cli("--quiet", "payroll", "--quarter", q, "-w", closed)
    assert pay.exit_code == 0, pay.output
    assert f"合计 {ledger_total:,.2f}" in pay.output

    # explain (every manager, through the library; two through the CLI) and history
    kept = amctl.show(closed, q)
    assert kept.source == "recorded" and not kept.drift
    for eid in tiers:
        doc = amctl.explain(kept, eid)
        assert (doc["tier"]["tier"], doc["movement"]) == (tiers[eid], moves[eid])
        assert Decimal(doc["pay"]["total"]) == Decimal(recorded[eid].total or "0")
        rows = {r.quarter: r for r in amctl.history(ws, eid).rows}
        assert (rows[q].tier, rows[q].movement) == (tiers[eid], moves[eid])
    for eid in sorted(tiers)[:2]:
        text = cli("explain", eid, "--quarter", q, "-w", closed, "--json")
        assert text.exit_code == 0, text.output
        doc = json.loads(text.output)
        assert doc["tier"]["tier"] == tiers[eid] and doc["source"] == "recorded"
        hist = cli("history", eid, "-w", closed)
        assert re.search(rf"{q}\s+│[^│]+│\s+{re.escape(labelled[eid])}\s", hist.output)


def test_after_a_policy_edit_a_closed_quarter_shows_the_record_and_names_the_change(
    closed: Path, tmp_path: Path
) -> None:
    ws = copy_closed(closed, tmp_path / "ws", "base_post_wage: 2200 ", "base_post_wage: 2300 ")
    with amctl.Workspace(ws).ledger() as ledger:  # type: ignore[union-attr]
        total = sum(Decimal(r.total or 0) for r in ledger.rows(quarter="2025Q1"))

    html = tmp_path / "r.html"
    shown = cli("report", "--quarter", "2025Q1", "-w", ws, "-o", html)
    assert shown.exit_code == 0, shown.output
    assert Decimal(report_page(html).grand_total.replace(",", "")) == total
    page = html.read_text(encoding="utf-8")
    assert "pay.parameters.base_post_wage: 2200 → 2300" in page
    assert "base_post_wage: 2200 → 2300" in shown.output

    explained = cli("explain", "KM0001", "--quarter", "2025Q1", "-w", ws, "--json")
    doc = json.loads(explained.output)
    assert doc["source"] == "recorded"
    assert any("base_post_wage: 2200 → 2300" in line for line in doc["changed_since"])
    with amctl.Workspace(ws).ledger() as ledger:  # type: ignore[union-attr]
        (row,) = ledger.rows(employee_id="KM0001", quarter="2025Q1")
    assert doc["pay"]["total"] == row.total

    hist = cli("history", "KM0001", "-w", ws)
    assert hist.exit_code == 0
    assert "2025Q1 changed since it was recorded: the policy in effect is now" in hist.output
    assert "base_post_wage: 2200 → 2300" in hist.output

    # computing it again shows who would be paid otherwise, and exits 1
    again = cli("payroll", "--quarter", "2025Q1", "-w", ws)
    assert again.exit_code == 1
    assert "79 manager(s) differ from the record; back pay +" in again.output


def test_a_changed_roster_is_named_as_changed(closed: Path, tmp_path: Path) -> None:
    ws = copy_closed(closed, tmp_path / "ws")
    roster = ws / "data" / "2024Q4" / "roster.xlsx"
    shutil.copy(ws / "data" / "2024Q3" / "roster.xlsx", roster)
    kept = amctl.show(ws, "2024Q4")
    assert kept.drift and [say(x) for x in kept.drift.inputs] == [
        "data/2024Q4/roster.xlsx has changed since the record"
    ]


def test_a_roster_replaced_by_a_refused_workbook_cannot_be_compared(
    closed: Path, tmp_path: Path
) -> None:
    """The guard goes on while the sheets are named: the comparison waits for it."""
    ws = copy_closed(closed, tmp_path / "ws")
    roster = ws / "data" / "2024Q4" / "roster.xlsx"
    with zipfile.ZipFile(roster) as book:
        parts = {info.filename: book.read(info) for info in book.infolist()}
    stray = b'<row r="1048576"><c r="XFD1048576"><v>1</v></c></row></sheetData>'
    last = max(n for n in parts if n.startswith("xl/worksheets/sheet"))
    parts[last] = parts[last].replace(b"</sheetData>", stray)
    with zipfile.ZipFile(roster, "w", zipfile.ZIP_DEFLATED) as book:
        for name, data in parts.items():
            book.writestr(name, data)
    kept = amctl.show(ws, "2024Q4")
    assert kept.drift is not None and kept.drift.unknown is not None
    assert not kept.drift.inputs


def test_grading_then_pay_complete_one_run_and_a_plain_grade_is_quiet(tmp_path: Path) -> None:
    ws = copy_examples(tmp_path)
    first = cli("--quiet", "grade", ws / "data/2024Q3/roster.xlsx", "--record")
    assert first.exit_code == 0 and "2024Q3: recorded (ledger run 1)" in first.output
    paid = cli("--quiet", "payroll", "--quarter", "2024Q3", "-w", ws, "--record")
    assert paid.exit_code == 0, paid.output
    assert "recorded run completed with its pay (ledger run 1)" in paid.output
    with pytest.MonkeyPatch.context() as mp:  # unchanged: known without building its rows
        mp.setattr(amctl.QuarterRun, "entry", lambda self: pytest.fail("rows built again"))
        again = cli("--quiet", "grade", ws / "data/2024Q3/roster.xlsx", "--record")
    assert again.exit_code == 0 and "already recorded, unchanged (ledger run 1)" in again.output
    plain = cli("grade", ws / "data/2024Q3/roster.xlsx", "--rows", "0")
    assert plain.exit_code == 0 and "back pay" not in plain.output and "differ" not in plain.output


def test_replacing_a_quarter_names_the_quarters_recorded_on_it(
    closed: Path, tmp_path: Path
) -> None:
    ws = copy_closed(closed, tmp_path / "ws", "base_post_wage: 2200 ", "base_post_wage: 2300 ")
    done = cli("--quiet", "close", "2024Q3", "-w", ws, "--replace", "--reason", "HR-9: base wage")
    assert done.exit_code == 0, done.output
    assert "2024Q4, 2025Q1 were recorded on top of the replaced run" in done.output
    kept = amctl.show(ws, "2024Q4")
    assert any(
        "2024Q3, which this record's dynamic rules read" in say(x) for x in kept.drift.history
    )  # type: ignore[union-attr]
    audit = cli("ledger", "audit", "-w", ws)
    assert audit.exit_code == 0 and "HR-9: base wage" in audit.output


def test_recording_processes_started_together_leave_one_current_run(tmp_path: Path) -> None:
    ws = copy_examples(tmp_path)
    policy = ws / "policies" / "ct-group.yaml"
    other = tmp_path / "other.yaml"
    other.write_text(
        policy.read_text(encoding="utf-8").replace(
            "base_post_wage: 2200 ", "base_post_wage: 2300 "
        ),
        encoding="utf-8",
    )
    env = {**os.environ, "NO_COLOR": "1"}
    base = [sys.executable, "-m", "amctl", "--quiet", "payroll", "--quarter", "2024Q3"]
    procs = [
        subprocess.Popen(
            [*base, "-w", str(ws), "--record", "--policy", str(p)],
            stdout=subprocess.PIPE,
            stderr=subprocess.STDOUT,
            text=True,
            env=env,
        )
        for p in (policy, other, policy, other)
    ]
    outcomes = [(p.wait(120), p.stdout.read() if p.stdout else "") for p in procs]
    codes = sorted(code for code, _ in outcomes)
    assert codes.count(0) >= 1 and set(codes) <= {0, 1}, outcomes
    db = sqlite3.connect(ledger_path(ws))
    assert db.execute("SELECT count(*) FROM runs WHERE status = 'current'").fetchone()[0] == 1
    db.close()
    history = cli("ledger", "list", "-w", ws)
    assert history.output.count("2024Q3") == 1


def _as_nobody(ws: str, out: str, queue: object) -> None:
    """In a forked child that can no longer write the workspace: each command's exit code."""
    os.setgid(65534)
    os.setuid(65534)
    outcomes = []
    for args in (
        ["history", "KM0001", "-w", ws],
        ["explain", "KM0001", "--quarter", "2024Q3", "-w", ws, "--json"],
        ["report", "--quarter", "2024Q3", "-w", ws, "-o", f"{out}/r.html"],
        ["grade", f"{ws}/data/2024Q3/roster.xlsx", "--rows", "0"],
        ["close", "2024Q4", "-w", ws],
    ):
        result = runner.invoke(app, args)
        outcomes.append((result.exit_code, result.output[-400:]))
    queue.put(outcomes)  # type: ignore[attr-defined]


@pytest.mark.skipif(os.geteuid() != 0, reason="needs root to become another user")
def test_a_read_only_workspace_still_answers_history_explain_report_and_grade() -> None:
    import multiprocessing
    import tempfile

    folder = Path(tempfile.mkdtemp(prefix="amctl-ro-", dir="/tmp"))
    try:
        ws = copy_examples(folder / "ws")
        assert cli("--quiet", "close", "2024Q3", "-w", ws).exit_code == 0
        out = folder / "out"
        out.mkdir()
        for path in [folder, *folder.rglob("*")]:
            path.chmod(0o755 if path.is_dir() else 0o644)  # readable, writable by root only
        for warm in (  # load every module the commands import before giving up root
            ["explain", "KM0001", "--quarter", "2024Q3", "-w", ws],
            ["report", "--quarter", "2024Q3", "-w", ws, "-o", folder / "warm.html"],
            ["grade", ws / "data/2024Q3/roster.xlsx", "--rows", "0"],
            ["history", "KM0001", "-w", ws],
        ):
            assert cli(*warm).exit_code == 0
        before = (ws / ".amctl" / "ledger.sqlite").read_bytes()
        ctx = multiprocessing.get_context("fork")
        queue = ctx.Queue()
        out.chmod(0o777)  # the report goes here, the workspace stays read-only
        child = ctx.Process(target=_as_nobody, args=(str(ws), str(out), queue))
        child.start()
        outcomes = queue.get(timeout=120)
        child.join(30)
        assert [code for code, _ in outcomes[:4]] == [0, 0, 0, 0], outcomes
        code, text = outcomes[4]
        assert code == 2 and "recording a quarter needs write access" in text, outcomes[4]
        assert (ws / ".amctl" / "ledger.sqlite").read_bytes() == before
    finally:
        shutil.rmtree(folder)


def test_a_replaced_run_keeps_the_policy_it_was_computed_under(
    closed: Path, tmp_path: Path
) -> None:
    ws = copy_closed(
        closed,
        tmp_path / "ws",
        "benefit_base: 1500 ",
        "benefit_base: 1600 ",
        'version: "2024.5"',
        'version: "2024.4"',
    )
    done = cli("--quiet", "close", "2025Q1", "-w", ws, "--replace", "--reason", "benefit up")
    assert done.exit_code == 0, done.output
    kept = amctl.show(ws, "2025Q1")
    assert kept.policy.policy.metadata.version == "2024.4" and not kept.drift
    assert "benefit_base: 1600" in kept.recorded.policy_text  # type: ignore[union-attr]
    doc = amctl.explain(kept, "KM0012")
    assert doc["policy"]["version"] == "2024.4" and doc["changed_since"] == []


def test_an_earlier_quarter_recorded_late_is_named(tmp_path: Path) -> None:
    ws = copy_examples(tmp_path)
    assert cli("--quiet", "close", "2024Q4", "-w", ws).exit_code == 0
    done = cli("--quiet", "close", "2024Q3", "-w", ws)
    assert done.exit_code == 0, done.output
    assert "2024Q4 were recorded before this period" in done.output
    kept = amctl.show(ws, "2024Q4")
    assert kept.drift is not None and [say(x) for x in kept.drift.history] == [
        "2024Q3 was recorded after this quarter; its dynamic rules did not read it"
    ]
    html = tmp_path / "r.html"
    assert cli("report", "--quarter", "2024Q4", "-w", ws, "-o", html).exit_code == 0
    assert "2024Q3 在本期之后才记录" in html.read_text(encoding="utf-8")  # the policy's zh


def test_a_ledger_from_the_previous_amctl_is_upgraded_and_closes_unchanged(
    closed: Path, tmp_path: Path
) -> None:
    from tests.ledger.test_store import SCHEMA_1

    ws = copy_examples(tmp_path / "ws")
    (ws / ".amctl").mkdir()
    old = sqlite3.connect(ws / ".amctl" / "ledger.sqlite")
    for statement in SCHEMA_1:
        old.execute(statement)
    old.execute("ATTACH DATABASE ? AS new", (str(ledger_path(closed)),))
    old.execute(
        "INSERT INTO runs SELECT id, quarter, recorded_at, 'schema-1', policy_name,"
        " policy_version, policy_sha256, policy_text, inputs, status FROM new.runs"
        " WHERE quarter < '2025Q1'"
    )
    kept = [r[0] for r in old.execute("SELECT id FROM runs")]
    with Ledger.open(ledger_path(closed)) as recorded:  # schema 1 held a row per manager
        rows = [(i, r) for i in kept for r in recorded.rows(run_id=i)]
    named = "employee_id name org_unit level band tier computed_level ability performance"
    old.executemany(
        "INSERT INTO results VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, '[]')",
        [(i, *(getattr(r, f) for f in named.split()), r.composite, None, r.total) for i, r in rows],
    )
    old.commit()
    old.close()
    listed = cli("ledger", "list", "-w", ws)
    assert listed.exit_code == 0 and "2024Q4" in listed.output, listed.output
    assert cli("history", "KM0069", "-w", ws).exit_code == 0
    shown = amctl.show(ws, "2024Q3")
    assert shown.source == "computed" and shown.recorded is not None
    assert shown.differences == [] and any("keeps only" in say(n) for n in shown.notes)
    again = cli("--quiet", "close", "2024Q3", "-w", ws)
    assert again.exit_code == 0 and "already recorded, unchanged (ledger run 1)" in again.output
    assert amctl.show(ws, "2024Q3").source == "recorded"


def test_overrides_for_another_quarter_are_not_applied(tmp_path: Path) -> None:
    ws = copy_examples(tmp_path)
    (ws / "overrides").mkdir()
    (ws / "overrides" / "2024Q3.yaml").write_text(
        "apiVersion: amctl/v1\nkind: Overrides\nquarter: 2025Q1\nmoves:\n"
        "  - {employee_id: KM0001, tier: mid-B, authorised_by: x, reason_code: y}\n",
        encoding="utf-8",
    )
    graded = cli("grade", ws / "data" / "2024Q3" / "roster.xlsx", "--rows", "0")
    assert graded.exit_code == 1
    assert "the overrides file is for 2025Q1, not 2024Q3: none of its moves is applied" in (
        graded.output
    )


def test_a_workspace_that_does_not_exist_is_usage(tmp_path: Path) -> None:
    for args in (("ledger", "audit"), ("ledger", "list"), ("history", "KM0001")):
        result = cli(*args, "-w", tmp_path / "nope")
        assert result.exit_code == 2 and "no such workspace folder" in result.output


def _differences_row_by_row(recorded: list[Any], managers: Any, lines: Any) -> list[Any]:
    """What `differences` gave when it walked the recorded rows one manager at a time."""
    old = {r["employee_id"]: r for r in recorded}
    ids = [str(e) for e in managers.index]
    tiers = dict(zip(ids, managers["tier"], strict=True))
    names = dict(zip(ids, managers["name"], strict=True))
    totals = {str(e): t for e, t in lines["total"].items()} if lines is not None else {}
    out = []
    for eid in sorted(set(old) | set(tiers)):
        before = old.get(eid)
        paid = lines is not None and (before is None or before["total"] is not None)
        old_total = Decimal(before["total"]) if before and before["total"] and paid else None
        new_total = totals.get(eid) if paid else None
        old_tier = before["tier"] if before else None
        new_tier = tiers.get(eid)
        if old_tier != new_tier or old_total != new_total:
            name = names.get(eid, before["name"] if before else "")
            out.append(Difference(eid, str(name), old_tier, new_tier, old_total, new_total))
    return out


@settings(max_examples=300, deadline=None)
@given(st.data())
def test_differences_a_column_at_a_time_are_those_found_row_by_row(data: st.DataObject) -> None:
    ids = st.sampled_from([f"KM{i:04d}" for i in range(12)])
    tiers = st.sampled_from(["mid-A", "mid-B", "top-C"])
    amounts = st.sampled_from(["1.00", "1.0", "2.50", "-0.00", "0", "NaN"])  # NaN is not itself
    recorded = [
        {"employee_id": e, "tier": data.draw(tiers), "name": data.draw(st.none() | st.just("王"))}
        | {"total": data.draw(st.none() | st.just("") | amounts)}
        for e in data.draw(st.lists(ids, unique=True))
    ]
    # the recorded ids again in their order (a period run again: matched as they lie), or others
    again = data.draw(st.booleans())
    now = [r["employee_id"] for r in recorded] if again else data.draw(st.lists(ids, unique=True))
    managers = pd.DataFrame(
        {"tier": [data.draw(tiers) for _ in now], "name": [data.draw(st.just("李")) for _ in now]},
        index=pd.Index(now, dtype=object),
    )
    lines = None
    if data.draw(st.booleans()):
        everyone = data.draw(st.booleans())  # every manager paid: the lines share their index
        paid = now if everyone else [e for e in now if data.draw(st.booleans())]
        totals = [Decimal(data.draw(amounts)) for _ in paid]
        index = managers.index if everyone else pd.Index(paid, dtype=object)
        lines = pd.DataFrame({"total": totals}, index=index, dtype=object)
    table = (
        kept_rows.decode(kept_rows.encode({k: [r[k] for r in recorded] for k in recorded[0]}))
        if recorded
        else None
    )
    grading = SimpleNamespace(managers=managers)
    made = {}  # the totals' text as pay made it (engine.amounts), or made from the Decimals
    column = None if lines is None else money.column(lines["total"].to_numpy())
    if column is not None and data.draw(st.booleans()):
        made = {"total": column}
    payroll = None if lines is None else PayrollResult(None, lines, [], {}, made)  # type: ignore[arg-type]
    got = differences(table, grading, payroll)  # type: ignore[arg-type]
    expected = _differences_row_by_row(recorded, managers, lines)
    assert list(map(repr, got)) == list(map(repr, expected))  # NaN is not itself: its text


def test_differences_tell_amounts_by_value_and_a_nan_from_itself() -> None:
    """Totals are compared by their text first: 1.0 recorded against 1.00 paid is no
    difference, a NaN (a hand-edited record) is one even against a NaN."""
    ids = ["KM0001", "KM0002", "KM0003", "KM0004"]
    recorded = kept_rows.decode(
        kept_rows.encode(
            {
                "employee_id": ids[::-1],  # another order than this run's
                "tier": ["mid-A"] * 4,
                "name": ["王"] * 4,
                "total": ["NaN", "2.50", "1.0", "-0.00"],
            }
        )
    )
    managers = pd.DataFrame({"tier": ["mid-A"] * 4, "name": ["李"] * 4}, index=ids)
    totals = [Decimal("0"), Decimal("1.00"), Decimal("2.5"), Decimal("NaN")]
    lines = pd.DataFrame({"total": totals}, index=managers.index, dtype=object)
    column = money.column(lines["total"].to_numpy())
    for made in ({}, {} if column is None else {"total": column}):
        payroll = PayrollResult(None, lines, [], {}, made)  # type: ignore[arg-type]
        got = differences(recorded, SimpleNamespace(managers=managers), payroll)  # type: ignore[arg-type]
        assert [(d.employee_id, str(d.old_total), str(d.new_total)) for d in got] == [
            ("KM0004", "NaN", "NaN")
        ]


def test_a_closed_quarters_rows_are_its_recorded_managers_and_pay(closed: Path) -> None:
    """Since schema 5 a run's rows (history, ledger list, the next quarter's dynamic rules)
    are one part of the run, made from its managers and pay: row for row the same."""
    shown = amctl.show(closed, "2024Q3")
    assert shown.source == "recorded" and shown.payroll is not None
    with Ledger.open(ledger_path(closed)) as ledger:
        run = ledger.current("2024Q3")
        assert run is not None and ledger.part(run.id, "rows") is not None
        rows = ledger.rows(run_id=run.id)
    m = shown.grading.managers.sort_index()
    assert [r.employee_id for r in rows] == [str(e) for e in m.index]
    assert [r.tier for r in rows] == m["tier"].tolist()
    assert [r.computed_level for r in rows] == m["computed_level"].tolist()
    totals = shown.payroll.lines["total"]
    assert [r.total for r in rows] == [str(totals[e]) for e in m.index]
    assert {r.reasons for r in rows} == {None} and {r.pay is None for r in rows} == {True}
