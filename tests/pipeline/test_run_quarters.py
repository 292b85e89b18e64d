"""Quarter over quarter: the ledger, the dynamic rules, overrides, history and explain."""

from __future__ import annotations

import json
import shutil
import sqlite3
from decimal import Decimal
from pathlib import Path

import pytest
from typer.testing import CliRunner

from amctl.cli.app import app
from amctl.labels import say
from amctl.ledger.store import Ledger, LedgerError, ledger_path
from amctl.pipeline.run import show
from tests.helpers import REPO

runner = CliRunner()


def amctl(*args: str | Path):  # type: ignore[no-untyped-def]
    return runner.invoke(app, [str(a) for a in args])


@pytest.fixture
def workspace(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    shutil.copytree(REPO / "examples" / "data", tmp_path / "data")
    shutil.copytree(REPO / "policies", tmp_path / "policies")
    monkeypatch.chdir(tmp_path)
    return tmp_path


def _record(*quarters: str) -> None:
    for q in quarters:
        result = amctl("--quiet", "payroll", "--quarter", q, "--record")
        assert result.exit_code == 0, result.output
        assert f"{q}: recorded" in result.output


def _tiers(ws: Path) -> dict[tuple[str, str], tuple[str, list[str]]]:
    """Each recorded period's tiers and reasons, as the ledger keeps them (its rows hold the
    tiers, the run's kept result the reasons)."""
    with Ledger.open(ledger_path(ws)) as ledger:
        rows = ledger.rows()
    reasons = {}
    for q in sorted({r.quarter for r in rows}):
        kept = show(ws, q)
        assert kept.source == "recorded"
        m = kept.grading.managers
        reasons.update({(q, str(e)): said for e, said in zip(m.index, m["reasons"], strict=True)})
    return {
        (r.quarter, r.employee_id): (r.tier, [say(x) for x in reasons[r.quarter, r.employee_id]])
        for r in rows
    }


def test_the_example_quarters_show_each_movement(workspace: Path) -> None:
    _record("2024Q3", "2024Q4", "2025Q1")
    t = _tiers(workspace)
    # a blocked two-level jump: junior → (senior computed) → mid, then senior
    assert t["2024Q3", "KM0033"][0].startswith("junior")
    assert t["2024Q4", "KM0033"][0].startswith("mid")
    assert any("2-level jump from junior" in r for r in t["2024Q4", "KM0033"][1])
    assert t["2025Q1", "KM0033"][0].startswith("senior")
    # a promotion
    assert t["2024Q3", "KM0006"][0].startswith("junior") and t["2024Q4", "KM0006"][0].startswith(
        "mid"
    )
    assert "promoted from junior to mid" in t["2024Q4", "KM0006"][1]
    # a demotion only after the improvement period
    assert t["2024Q4", "KM0069"][0].startswith("mid")
    assert any("improvement period" in r for r in t["2024Q4", "KM0069"][1])
    assert t["2025Q1", "KM0069"][0].startswith("junior")
    assert "demoted from mid to junior after 2 periods below the bar" in t["2025Q1", "KM0069"][1]
    # trainees graduate once in post long enough
    for eid in ("KM0047", "KM0052"):
        assert t["2024Q4", eid][0] == "trainee"
        assert t["2025Q1", eid][0].startswith("junior")
        assert "graduated from trainee into junior" in t["2025Q1", eid][1]
    # the first quarter has no previous one, and says so
    assert "no recorded previous period: this period's grade stands" in t["2024Q3", "KM0006"][1]


def test_re_recording_the_same_quarter_changes_nothing(workspace: Path) -> None:
    _record("2024Q3")
    again = amctl("--quiet", "payroll", "--quarter", "2024Q3", "--record")
    assert again.exit_code == 0 and "already recorded, unchanged (ledger run 1)" in again.output
    db = sqlite3.connect(ledger_path(workspace))
    assert db.execute("SELECT count(*) FROM runs").fetchone()[0] == 1
    assert db.execute("SELECT count(*) FROM audit").fetchone()[0] == 1


def test_a_changed_quarter_needs_replace_with_a_reason(workspace: Path) -> None:
    _record("2024Q3")
    policy = workspace / "policies" / "ct-group.yaml"
    policy.write_text(
        policy.read_text(encoding="utf-8").replace(
            "base_post_wage: 2200 ", "base_post_wage: 2300 "
        ),
        encoding="utf-8",
    )
    refused = amctl("payroll", "--quarter", "2024Q3", "--record")
    assert refused.exit_code == 1
    assert "2024Q3 is recorded and closed (run 1" in refused.output
    assert 'to replace the recorded run pass --replace --reason "why"' in refused.output
    assert (
        "80 manager(s) differ from the record; back pay +23,804.34 in all." in refused.output
    )  # 80 × 300, less for two part-quarters
    assert _tiers(workspace)  # still the old run
    no_reason = amctl("payroll", "--quarter", "2024Q3", "--record", "--replace")
    assert no_reason.exit_code == 2 and "--replace needs --reason" in no_reason.output
    done = amctl(
        "--quiet",
        "payroll",
        "--quarter",
        "2024Q3",
        "--record",
        "--replace",
        "--reason",
        "HR-17: base wage raised",
    )
    assert done.exit_code == 0 and "2024Q3: replaced (ledger run 2)" in done.output
    with Ledger.open(ledger_path(workspace)) as ledger:
        audit = ledger.audit()
    last = audit[-1]
    assert (last.quarter, last.action, last.run_id, last.replaced_run, last.reason) == (
        "2024Q3",
        "replaced",
        2,
        1,
        "HR-17: base wage raised",
    )


def test_explain_adds_up(workspace: Path) -> None:
    _record("2024Q3", "2024Q4")
    result = amctl("explain", "KM0033", "--quarter", "2024Q4", "--json")
    assert result.exit_code == 0, result.output
    doc = json.loads(result.output)
    ability = sum(i["weight"] * i["score"] for i in doc["ability"]["indicators"]) / 100
    perf = sum(i["weight"] * i["score"] for i in doc["performance"]["indicators"]) / 100
    assert ability == pytest.approx(doc["ability"]["score"], abs=1e-3)
    assert perf == pytest.approx(doc["performance"]["score"], abs=1e-3)
    composite = (doc["ability"]["weight"] * ability + doc["performance"]["weight"] * perf) / 100
    assert composite == pytest.approx(doc["composite"], abs=1e-3)
    parts = sum(Decimal(c["amount"]) for c in doc["pay"]["components"])
    assert parts == Decimal(doc["pay"]["total"])
    assert doc["tier"]["computed_level"] == "senior" and doc["tier"]["level"] == "mid"
    assert doc["movement"] == "up" and doc["previous_tier"].startswith("junior")
    assert any("formula" in c and c["formula"] for c in doc["pay"]["components"])
    text = amctl("explain", "KM0033", "--quarter", "2024Q4")
    assert "floating_wage[mid] 1100" in text.output and "(the ranking gave senior)" in text.output


def test_history_lists_the_quarters(workspace: Path) -> None:
    _record("2024Q3", "2024Q4", "2025Q1")
    result = amctl("history", "KM0069")
    assert result.exit_code == 0
    for q in ("2024Q3", "2024Q4", "2025Q1"):
        assert q in result.output
    assert amctl("history", "NOBODY").exit_code == 2


def test_overrides_are_applied_said_and_checked_against_the_caps(workspace: Path) -> None:
    (workspace / "overrides").mkdir()
    (workspace / "overrides" / "2024Q3.yaml").write_text(
        "apiVersion: amctl/v1\nkind: Overrides\nquarter: 2024Q3\nmoves:\n"
        "  - {employee_id: KM0003, tier: senior-C, authorised_by: 张主任, reason_code: CAL-01, comment: 农村服务突出}\n",
        encoding="utf-8",
    )
    result = amctl("grade", "data/2024Q3/roster.xlsx", "-o", "g.json")
    assert result.exit_code == 0, result.output
    assert "applying 1 calibration override(s)" in result.output
    doc = json.loads((workspace / "g.json").read_text(encoding="utf-8"))
    km = next(m for m in doc["managers"] if m["employee_id"] == "KM0003")
    assert km["tier"] == "senior-C"
    assert "calibration override to senior-C by 张主任 (CAL-01): 农村服务突出" in km["reasons"]
    bad = workspace / "overrides" / "2024Q3.yaml"
    bad.write_text(
        "apiVersion: amctl/v1\nkind: Overrides\nquarter: 2024Q3\nmoves:\n  - {employee_id: KM0003}\n",
        encoding="utf-8",
    )
    broken = amctl("grade", "data/2024Q3/roster.xlsx")
    assert (
        broken.exit_code == 2
        and "2024Q3.yaml:5:5: error: moves.0.tier: Field required" in broken.output
    )


def test_an_override_that_breaks_a_hard_cap_is_an_error(workspace: Path) -> None:
    (workspace / "overrides").mkdir()
    moves = "".join(
        f"  - {{employee_id: KM00{i:02d}, tier: mid-A, authorised_by: x, reason_code: y}}\n"
        for i in (2, 3, 13, 15, 20)
    )
    (workspace / "overrides" / "2024Q3.yaml").write_text(
        f"apiVersion: amctl/v1\nkind: Overrides\nquarter: 2024Q3\nmoves:\n{moves}", encoding="utf-8"
    )
    result = amctl("grade", "data/2024Q3/roster.xlsx", "--rows", "0")
    assert (
        "error: after the overrides mid (中级客户经理) has 45 managers for 40 seats (≤ 50% of 80; "
        "the ranking placed 40): moved there by a calibration override: KM0002, KM0003, KM0013, "
        "KM0015, KM0020; change the overrides, or allow it with quota.override_caps: advisory "
        "[AMC062]"
    ) in result.output
    assert result.exit_code == 1


def test_the_ledger_has_a_schema_version(workspace: Path) -> None:
    _record("2024Q3")
    with Ledger.open(ledger_path(workspace)) as ledger:
        assert ledger.schema_version == 5
    db = sqlite3.connect(ledger_path(workspace))
    db.execute("UPDATE meta SET value = '9' WHERE key = 'schema_version'")
    db.commit()
    db.close()
    with pytest.raises(LedgerError, match="written by a newer amctl"):
        Ledger.open(ledger_path(workspace))
