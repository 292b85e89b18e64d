"""Guardrails at run time: a policy `policy check` rejects pays nobody; a level the dynamic
rules or the overrides push over its cap is a finding naming the rule; an override past an
eligibility gate is a warning, or an error when the policy says so."""

from __future__ import annotations

from pathlib import Path

import pytest
from typer.testing import CliRunner

import amctl
from amctl.cli.app import app
from tests.helpers import example_workspace

runner = CliRunner()


def cli(*args: str | Path):  # type: ignore[no-untyped-def]
    return runner.invoke(app, [str(a) for a in args])


@pytest.fixture
def workspace(tmp_path: Path) -> Path:
    return example_workspace(tmp_path)


def edit_policy(ws: Path, old: str, new: str) -> None:
    path = ws / "policies" / "ct-group.yaml"
    text = path.read_text(encoding="utf-8")
    assert old in text
    path.write_text(text.replace(old, new), encoding="utf-8")


def overrides(ws: Path, quarter: str, *moves: str) -> None:
    (ws / "overrides").mkdir(exist_ok=True)
    body = "".join(f"  - {{{m}, authorised_by: 张主任, reason_code: CAL-01}}\n" for m in moves)
    (ws / "overrides" / f"{quarter}.yaml").write_text(
        f"apiVersion: amctl/v1\nkind: Overrides\nquarter: {quarter}\nmoves:\n{body}",
        encoding="utf-8",
    )


def test_a_policy_that_policy_check_rejects_pays_nobody(workspace: Path) -> None:
    edit_policy(workspace, "    base_post_wage: 2200 ", "    base_post_wage: -9000 ")
    for args in (
        ("payroll", "--quarter", "2024Q3", "-w", workspace),
        ("grade", workspace / "data" / "2024Q3" / "roster.xlsx"),
        ("close", "2024Q3", "-w", workspace),
    ):
        result = cli(*args)
        assert result.exit_code == 2, result.output
        assert "pay cannot be negative [AMC041]" in result.output
        assert "nothing is graded or paid under it until they are fixed" in result.output
    assert not (workspace / ".amctl").exists()


def _close(ws: Path, *quarters: str) -> None:
    for q in quarters:
        result = cli("--quiet", "close", q, "-w", ws)
        assert result.exit_code == 0, result.output


def test_a_level_the_dynamic_rules_push_over_its_cap_is_an_error_unless_allowed(
    workspace: Path,
) -> None:
    _close(workspace, "2024Q3")
    edit_policy(workspace, "  dynamics_caps: advisory ", "  dynamics_caps: hard ")
    graded = cli("grade", workspace / "data" / "2024Q4" / "roster.xlsx", "--rows", "0")
    assert graded.exit_code == 1
    assert (
        "error: after the dynamic rules mid (中级客户经理) has 46 managers for 39 seats (≤ 50% "
        "of 79; the ranking placed 39): 6 by the improvement period (dynamics.demotion_after): "
        "KM0004, KM0038, KM0042, KM0069, KM0074, KM0078; 1 by the step limit "
        "(dynamics.max_level_step): KM0033; keep the cap with calibration overrides, or allow "
        "it with quota.dynamics_caps: advisory [AMC063]"
    ) in graded.output
    assert "over by 7 after the rules" in graded.output
    refused = cli("close", "2024Q4", "-w", workspace)
    assert refused.exit_code == 1
    assert "2024Q4 is not recorded: the run breaks the policy" in refused.output
    assert amctl.Workspace(workspace).ledger().quarters() == ["2024Q3"]  # type: ignore[union-attr]
    # the bundled policy allows it, and says so
    edit_policy(workspace, "  dynamics_caps: hard ", "  dynamics_caps: advisory ")
    allowed = cli("grade", workspace / "data" / "2024Q4" / "roster.xlsx", "--rows", "0")
    assert allowed.exit_code == 0
    assert "allowed, as quota.dynamics_caps is advisory [AMC063]" in allowed.output


def test_an_override_past_the_gates_is_a_warning_or_an_error(workspace: Path) -> None:
    overrides(workspace, "2024Q3", "employee_id: KM0002, tier: senior-C")
    result = amctl.run(workspace, "2024Q3", pay="never")
    (gate,) = [f for f in result.findings if f.rule == "AMC064"]
    assert gate.severity.value == "warning"
    assert gate.message == (
        "override moves KM0002 to senior-C past the senior eligibility gates (exam score 65 < "
        "80; composite 66.94 < 75); allowed, as quota.override_gates is advisory"
    )
    assert str(gate.location).endswith("overrides/2024Q3.yaml:5:5")
    graded = cli("grade", workspace / "data" / "2024Q3" / "roster.xlsx", "--rows", "0")
    assert graded.exit_code == 0 and "[AMC064]" in graded.output
    edit_policy(workspace, "  override_gates: advisory ", "  override_gates: hard ")
    strict = cli("grade", workspace / "data" / "2024Q3" / "roster.xlsx", "--rows", "0")
    assert strict.exit_code == 1
    assert "error: override moves KM0002 to senior-C past the senior eligibility" in strict.output


def test_the_quota_table_keeps_what_the_ranking_placed(workspace: Path) -> None:
    _close(workspace, "2024Q3")
    result = amctl.run(workspace, "2024Q4", pay="never")
    mid = next(q for q in result.grading.quota if q.level == "mid")
    assert (mid.seats, mid.ranked, mid.count) == (39, 39, 46)
