"""Golden cases of a policy with its own columns: each manager's values under `columns:`."""

from __future__ import annotations

from pathlib import Path

from amctl.pipeline.cases import run_file
from tests.helpers import CONTRACT_SENIORITY, SENIORITY, declared_policy

CASES = """apiVersion: amctl/v1
kind: PolicyTest
policy: p.yaml
quarter: 2024Q3
cases:
  - name: 年功工资 for 聘用工 only (12 years = 10×4 + 2×6 = 52 a month)
    quotas: false
    managers:
      - employee_id: C1
        post_start: 2012-05-01
        education: 本科
        exam_score: 90
        ratings: 88
        performance: {sales: 120, sales_target: 100, customers: 55, customers_target: 50, satisfaction: 92, growth_rate: 20, project_quality: 91}
        columns: {employment: 聘用工, work_start: 2005-03-01, award_best_sales: 否}
      - employee_id: R1
        post_start: 2012-05-01
        education: 本科
        exam_score: 90
        ratings: 88
        performance: {sales: 120, sales_target: 100, customers: 55, customers_target: 50, satisfaction: 92, growth_rate: 20, project_quality: 91}
        columns: {employment: 在册, work_start: 2005-03-01, award_best_sales: false}
    expect:
      C1: {pay: {seniority: "156.00"}}
      R1: {pay: {seniority: "0.00"}}
"""


def _write(tmp_path: Path, cases: str) -> Path:
    declared_policy(tmp_path / "p.yaml", SENIORITY, CONTRACT_SENIORITY)
    path = tmp_path / "p.test.yaml"
    path.write_text(cases, encoding="utf-8")
    return path


def test_a_case_gives_each_manager_the_policys_own_columns(tmp_path: Path) -> None:
    (outcome,) = run_file(_write(tmp_path, CASES))
    assert outcome.failures == [], [str(f) for f in outcome.failures]


def test_a_value_left_out_is_a_blank_cell_and_an_unknown_column_is_named(tmp_path: Path) -> None:
    cases = CASES.replace(", award_best_sales: false}", ", bonus: 1}")
    (outcome,) = run_file(_write(tmp_path, cases))
    messages = [f.message for f in outcome.failures]
    assert any(
        "columns.bonus is not a column the policy declares (award_best_sales, customers, " in m
        for m in messages
    ), messages
    assert any("R1" in m and "最佳销售奖 is empty" in m for m in messages), messages
