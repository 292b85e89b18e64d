"""Reviewed calibration (seed 004: 县市两级 — the county proposes, the city approves): with
`calibration.require_approval`, an override without approved_by and approved_on is listed and
not applied; an approved one applies; a policy without the section applies moves as before."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from openpyxl import load_workbook
from typer.testing import CliRunner

import amctl
from amctl.cli.app import app
from amctl.labels import say
from tests.helpers import example_workspace

runner = CliRunner()
PROPOSED = "employee_id: KM0003, tier: senior-C, reason_code: CAL-01, proposed_by: 李科长, proposed_at: 县公司"
APPROVED = PROPOSED + ", approved_by: 王处长, approved_on: 2024-10-12"  # after the quarter: fine


def cli(*args: str | Path):  # type: ignore[no-untyped-def]
    return runner.invoke(app, [str(a) for a in args])


@pytest.fixture
def workspace(tmp_path: Path) -> Path:
    return example_workspace(tmp_path)


def require_approval(ws: Path) -> None:
    path = ws / "policies" / "ct-group.yaml"
    text = path.read_text(encoding="utf-8")
    anchor = "\ntie_break:"
    assert anchor in text
    calibration = "\ncalibration:\n  require_approval: true   # seed 004: the city approves\n"
    path.write_text(text.replace(anchor, calibration + anchor, 1), encoding="utf-8")


def overrides(ws: Path, *moves: str) -> Path:
    (ws / "overrides").mkdir(exist_ok=True)
    path = ws / "overrides" / "2024Q3.yaml"
    body = "".join(f"  - {{{m}}}\n" for m in moves)
    path.write_text(
        f"apiVersion: amctl/v1\nkind: Overrides\nquarter: 2024Q3\nmoves:\n{body}", encoding="utf-8"
    )
    return path


def _computed(ws: Path) -> tuple[str, object]:
    """KM0003's tier and pay with no overrides at all."""
    result = amctl.run(ws, "2024Q3")
    assert result.payroll is not None
    return result.grading.managers.at["KM0003", "tier"], result.payroll.lines.at["KM0003", "total"]


def test_an_unapproved_override_is_listed_and_not_applied(workspace: Path) -> None:
    tier, total = _computed(workspace)
    assert tier != "senior-C"
    require_approval(workspace)
    overrides(workspace, PROPOSED)
    result = amctl.run(workspace, "2024Q3")
    assert result.payroll is not None
    assert result.grading.managers.at["KM0003", "tier"] == tier
    assert result.payroll.lines.at["KM0003", "total"] == total
    (waiting,) = [f for f in result.findings if f.rule == "AMC065"]
    assert waiting.severity.value == "warning" and waiting.row_id == "KM0003"
    assert str(waiting.location).endswith("overrides/2024Q3.yaml:5:5")
    assert waiting.message == (
        f"override of KM0003 (梁娟) to senior-C, proposed by 李科长 at 县公司, is not approved (no "
        f"approved_by, approved_on): not applied, KM0003 keeps the computed {tier}; add "
        "approved_by and approved_on once it is approved (calibration.require_approval is true)"
    )
    assert not any(
        "calibration override" in say(r) for r in result.grading.managers.at["KM0003", "reasons"]
    )
    # the terminal, the workbook's findings sheet and the json list it
    roster = workspace / "data" / "2024Q3" / "roster.xlsx"
    out = workspace / "g.xlsx"
    graded = cli("grade", roster, "-w", workspace, "--rows", "0", "-o", out)
    assert graded.exit_code == 0, graded.output
    assert "overrides/2024Q3.yaml:5:5: warning: override of KM0003" in graded.output
    assert "[AMC065]" in graded.output
    assert "applying 0 calibration override(s)" in graded.output
    assert "1 more await approval and are not applied" in graded.output
    sheets = load_workbook(out, read_only=True)
    cells = [
        str(c) for ws in sheets.worksheets for row in ws.iter_rows(values_only=True) for c in row
    ]
    assert any("AMC065" in c for c in cells)
    assert any("KM0003" in c and "李科长" in c and "approved_on" in c for c in cells)
    doc = workspace / "g.json"
    assert cli("grade", roster, "-w", workspace, "--rows", "0", "-o", doc).exit_code == 0
    found = json.loads(doc.read_text(encoding="utf-8"))["findings"]
    assert any("AMC065" in json.dumps(f, ensure_ascii=False) for f in found)


def test_an_approved_override_applies(workspace: Path) -> None:
    require_approval(workspace)
    overrides(workspace, APPROVED)
    result = amctl.run(workspace, "2024Q3")
    assert result.grading.managers.at["KM0003", "tier"] == "senior-C"
    assert not [f for f in result.findings if f.rule == "AMC065"]
    reasons = [say(r) for r in result.grading.managers.at["KM0003", "reasons"]]
    assert "calibration override to senior-C by 王处长 (CAL-01)" in reasons
    assert result.payroll is not None
    assert result.payroll.lines.at["KM0003", "floating"] == 1600 * 3  # the senior floating wage


def test_only_the_approved_of_several_moves_apply(workspace: Path) -> None:
    require_approval(workspace)
    half = "employee_id: KM0002, tier: junior-C, reason_code: CAL-02, authorised_by: 张主任, approved_by: 王处长"
    overrides(workspace, APPROVED, half)
    result = amctl.run(workspace, "2024Q3")
    assert result.grading.managers.at["KM0003", "tier"] == "senior-C"
    (waiting,) = [f for f in result.findings if f.rule == "AMC065"]
    assert str(waiting.location).endswith("2024Q3.yaml:6:5")
    # authorised_by alone is no approval; the proposer named is who authorised it
    assert "proposed by 张主任, is not approved (no approved_on)" in waiting.message
    assert result.grading.managers.at["KM0002", "tier"] != "junior-C"


def test_without_a_calibration_section_overrides_apply_as_before(workspace: Path) -> None:
    overrides(workspace, PROPOSED)  # a proposal only: applies, as every move did before
    result = amctl.run(workspace, "2024Q3")
    assert result.grading.policy.policy.calibration.require_approval is False
    assert result.grading.managers.at["KM0003", "tier"] == "senior-C"
    assert not [f for f in result.findings if f.rule == "AMC065"]
    reasons = [say(r) for r in result.grading.managers.at["KM0003", "reasons"]]
    assert "calibration override to senior-C by 李科长 (CAL-01)" in reasons
    graded = cli("grade", workspace / "data" / "2024Q3" / "roster.xlsx", "--rows", "0")
    assert graded.exit_code == 0, graded.output
    assert "applying 1 calibration override(s)" in graded.output


@pytest.mark.zh
def test_the_waiting_override_is_said_in_chinese(workspace: Path) -> None:
    require_approval(workspace)
    overrides(workspace, PROPOSED)
    graded = cli("grade", workspace / "data" / "2024Q3" / "roster.xlsx", "--rows", "0")
    assert graded.exit_code == 0, graded.output
    assert (
        "KM0003（梁娟）调整为 senior-C 的校准调整尚未审批（提出：李科长，于县公司；"
        in graded.output
    )
    assert "另有 1 条尚未审批，不予应用" in graded.output
