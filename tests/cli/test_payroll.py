"""`amctl payroll` wiring: the workspace convention, outputs, exit codes."""

from __future__ import annotations

import csv
import json
from decimal import Decimal
from pathlib import Path

import pytest
from openpyxl import load_workbook
from typer.testing import CliRunner

from amctl.cli.app import app
from tests.helpers import DEFAULT_POLICY, EXAMPLE, REPO

runner = CliRunner()
WORKSPACE = REPO / "examples"
# seed 002's four parts: 基本工资 (base, floating, seniority), 绩效奖金 (benefit), 提成, 福利
COMPONENTS = ("base", "floating", "seniority", "benefit", "commission", "welfare")


def amctl(*args: str | Path):  # type: ignore[no-untyped-def]
    return runner.invoke(app, [str(a) for a in args])


@pytest.mark.zh
def test_payroll_finds_the_quarter_in_the_workspace() -> None:
    result = amctl("payroll", "--quarter", "2024Q3", "--workspace", WORKSPACE)
    assert result.exit_code == 0, result.output
    assert "季度 2024Q3（2024-07-01 – 2024-09-30）" in result.output
    assert "薪酬（按等级档次）" in result.output and "薪酬（按部门）" in result.output
    assert "已发放 80 人，合计" in result.output


def test_payroll_xlsx_has_lines_summaries_and_the_audit_sheet(tmp_path: Path) -> None:
    out = tmp_path / "pay.xlsx"
    result = amctl("payroll", "-q", "2024Q3", "-w", WORKSPACE, "-o", out)
    assert result.exit_code == 0, result.output
    wb = load_workbook(out, read_only=True)
    assert wb.sheetnames == ["薪酬", "按部门和等级", "按等级", "未发放", "运行信息"]
    header = next(wb["薪酬"].iter_rows(min_row=2, values_only=True))
    assert header[-7:] == (
        "基本岗位工资",
        "岗位浮动工资",
        "年功工资",
        "效益工资",
        "提成",
        "福利",
        "合计",
    )
    run = dict(wb["运行信息"].iter_rows(min_row=3, values_only=True))
    assert run["政策"] == "ct-group" and len(str(run["政策 sha256"])) == 64
    assert any(str(k).startswith("sha256 ") and str(k).endswith("roster.xlsx") for k in run)
    assert "brackets(years_in_post, seniority_rates, mode='marginal')" in str(
        run["公式 年功工资（每月）"]
    )


@pytest.mark.parametrize("suffix", [".xlsx", ".csv", ".json"])
def test_payroll_outputs_repeat_byte_for_byte(tmp_path: Path, suffix: str) -> None:
    first, second = tmp_path / f"a{suffix}", tmp_path / f"b{suffix}"
    assert amctl("payroll", "-q", "2024Q3", "-w", WORKSPACE, "-o", first).exit_code == 0
    assert amctl("payroll", "-q", "2024Q3", "-w", WORKSPACE, "-o", second).exit_code == 0
    assert first.read_bytes() == second.read_bytes()


def test_payroll_csv_totals_add_up(tmp_path: Path) -> None:
    first = tmp_path / "a.csv"
    assert amctl("payroll", "-q", "2024Q3", "-w", WORKSPACE, "-o", first).exit_code == 0
    with first.open(encoding="utf-8-sig") as fh:
        rows = list(csv.DictReader(fh))
    for row in rows:
        parts = sum(Decimal(row[c]) for c in COMPONENTS)
        assert parts == Decimal(row["total"])


def test_payroll_json_keeps_money_exact(tmp_path: Path) -> None:
    out = tmp_path / "pay.json"
    assert amctl("payroll", "-q", "2024Q3", "-w", WORKSPACE, "-o", out).exit_code == 0
    doc = json.loads(out.read_text(encoding="utf-8"))
    assert isinstance(doc["lines"][0]["total"], str) and "." in doc["lines"][0]["total"]
    assert set(doc["formulas"]) == set(COMPONENTS)
    total = sum(Decimal(r["total"]) for r in doc["by_tier"][:-1])
    assert total == Decimal(doc["run"]["grand total"])


def test_payroll_takes_an_explicit_roster() -> None:
    result = amctl("payroll", EXAMPLE, "--quarter", "2024Q3")
    assert result.exit_code == 0, result.output


def test_a_missing_quarter_folder_says_where_to_put_it(tmp_path: Path) -> None:
    result = amctl("payroll", "--quarter", "2024Q4", "--workspace", tmp_path)
    assert result.exit_code == 2
    assert "no folder" in result.output and "data/2024Q4" in result.output


def test_a_policy_without_pay_cannot_run_payroll(tmp_path: Path) -> None:
    text = DEFAULT_POLICY.read_text(encoding="utf-8")
    no_pay = tmp_path / "grade-only.yaml"
    no_pay.write_text(text[: text.index("\npay:")] + "\n", encoding="utf-8")
    result = amctl("payroll", EXAMPLE, "--quarter", "2024Q3", "--policy", no_pay)
    assert result.exit_code == 2
    assert "the policy has no pay: section" in result.output
