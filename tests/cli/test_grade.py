"""`amctl grade` with a policy of seed 004's basic conditions: a gate on years of work, read
from the roster's own 参加工作日期 column."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from amctl.cli.app import app
from tests.helpers import SENIOR_GATES, WORK_YEARS_GATE, declared_policy, declared_team, write_team

runner = CliRunner()


def _book(tmp_path: Path) -> tuple[Path, Path]:
    """Ten managers; the two best would take the two senior seats, but E0 started work in
    2020, so the 8-year condition keeps E0 out and E2 takes the seat."""
    starts = [dt.date(2020, 3, 1), *[dt.date(2005, 3, 1)] * 9]
    team = declared_team([["聘用工", start, "否"] for start in starts], years=[6] * 10)
    policy = declared_policy(tmp_path / "policy.yaml", SENIOR_GATES, WORK_YEARS_GATE)
    return write_team(tmp_path / "team.xlsx", team), policy


def test_a_condition_gates_a_level_through_grade(tmp_path: Path) -> None:
    book, policy = _book(tmp_path)
    out = tmp_path / "g.json"
    args = ["grade", str(book), "--quarter", "2024Q3", "--policy", str(policy), "-o", str(out)]
    result = runner.invoke(app, args)
    assert result.exit_code == 0, result.output
    managers = {m["employee_id"]: m for m in json.loads(out.read_text("utf-8"))["managers"]}
    assert [e for e, m in managers.items() if m["level"] == "senior"] == ["E1", "E2"]
    assert managers["E0"]["level"] == "mid"
    assert (
        "not eligible for senior: condition not met: 工作年限满 8 年" in managers["E0"]["reasons"]
    )


@pytest.mark.zh
def test_the_condition_is_named_in_chinese(tmp_path: Path) -> None:
    book, policy = _book(tmp_path)
    args = ["grade", str(book), "--quarter", "2024Q3", "--policy", str(policy), "--lang", "zh"]
    result = runner.invoke(app, [*args, "-o", str(tmp_path / "g.csv")])
    assert result.exit_code == 0, result.output
    text = (tmp_path / "g.csv").read_text("utf-8-sig")
    assert "不符合高级客户经理条件：未满足条件：工作年限满 8 年" in text
