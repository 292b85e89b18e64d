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
    assert "期间 2024Q3（2024-07-01 – 2024-09-30）" in result.output
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


TEAM_BONUS = (
    "    team_bonus:\n"
    "      label: 团队奖\n"
    '      formula: "500 if unit_sum(sales) / unit_sum(sales_target) >= 1 else 0"\n'
)


def _team_workspace(ws: Path, *, blocked: bool = False) -> Path:
    """Three units; 二部 reaches its target exactly (1.65 + 1.65 = 1.1 + 2.2), which binary
    floats would miss; 一部 has a trainee (joined 2024-09-20) with no performance row."""
    from tests.helpers import Person, Team, write_xlsx

    people = [
        Person("E01", unit="一部"),
        Person("E02", unit="一部"),
        Person("E03", unit="二部"),
        Person("E04", unit="二部"),
        Person("E05", unit="三部"),
        Person("E06", unit="三部"),
        Person("E07", unit="一部", years=0),
    ]
    sales = {"E01": (120, 100), "E02": (90, 100), "E03": (1.65, 1.1), "E04": (1.65, 2.2)}
    sales |= {"E05": (80, 100), "E06": (95, 100)}
    if blocked:  # not graded (starts after the quarter): its 500 must not lift 三部
        people.append(Person("E09", unit="三部", years=-1))
        sales["E09"] = (500, 100)
    team = Team(people)
    perf = [team.performance_rows()[0]]
    perf += [[eid, s, t, 50, 50, 85, 10, 85] for eid, (s, t) in sales.items()]
    (ws / "data" / "2024Q3").mkdir(parents=True)
    write_xlsx(
        ws / "data" / "2024Q3" / "roster.xlsx",
        {"花名册": team.roster_rows(), "业绩": perf, "能力评价": team.ratings_rows()},
    )
    (ws / "policies").mkdir()
    text = DEFAULT_POLICY.read_text(encoding="utf-8")
    anchor = "  rural:                         # seed 004"
    assert anchor in text
    (ws / "policies" / "ct-group.yaml").write_text(
        text.replace(anchor, TEAM_BONUS + anchor), encoding="utf-8"
    )
    return ws


def test_a_team_bonus_pays_by_the_units_totals(tmp_path: Path) -> None:
    ws = _team_workspace(tmp_path)
    checked = amctl("policy", "check", ws / "policies" / "ct-group.yaml")
    assert checked.exit_code == 0, checked.output
    out = tmp_path / "pay.json"
    result = amctl("payroll", "-q", "2024Q3", "-w", ws, "-o", out)
    assert result.exit_code == 0, result.output
    lines = {r["employee_id"]: r for r in json.loads(out.read_text(encoding="utf-8"))["lines"]}
    # 500 a month × 3; the trainee is paid 11 of the quarter's 92 days: 1500 × 11 / 92
    expected = {
        "E01": "1500.00",  # 一部: (120 + 90) / (100 + 100) = 1.05; E07 has no sales, left out
        "E02": "1500.00",
        "E07": "179.35",
        "E03": "1500.00",  # 二部: (1.65 + 1.65) / (1.1 + 2.2) = 1 exactly
        "E04": "1500.00",
        "E05": "0.00",  # 三部: (80 + 95) / 200 = 0.875
        "E06": "0.00",
    }
    assert {k: v["team_bonus"] for k, v in lines.items()} == expected
    for row in lines.values():
        parts = ("base", "floating", "seniority", "benefit", "commission", "welfare", "team_bonus")
        assert sum(Decimal(row[c]) for c in parts) == Decimal(row["total"])
    explained = amctl("explain", "E03", "-q", "2024Q3", "-w", ws)
    assert explained.exit_code == 0, explained.output
    assert "unit_sum(sales) 3.3 ÷ unit_sum(sales_target) 3.3 >= 1" in explained.output


def test_managers_not_graded_are_in_no_total(tmp_path: Path) -> None:
    import amctl as library

    ws = _team_workspace(tmp_path, blocked=True)
    result = library.run(ws, "2024Q3")
    assert [b.employee_id for b in result.grading.blocked] == ["E09"]
    assert result.payroll is not None
    lines = result.payroll.lines
    assert "E09" not in lines.index
    assert lines.loc["E05", "team_bonus"] == lines.loc["E06", "team_bonus"] == Decimal("0.00")
