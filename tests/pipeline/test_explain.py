"""explain adds up on paper: each pay line's formula with its values filled in, worked to the
payroll's own amount, for every manager of the example."""

from __future__ import annotations

from decimal import Decimal

from amctl.pipeline.explain import explain
from amctl.pipeline.run import run
from tests.helpers import REPO


def test_every_pay_line_is_worked_to_the_payroll_amount() -> None:
    result = run(REPO / "examples", "2024Q3", pay="required")
    assert result.payroll is not None
    for eid in result.payroll.lines.index:
        doc = explain(result, str(eid))
        for c in doc["pay"]["components"]:
            assert c["worked"].endswith(f"= {Decimal(c['amount']):,.2f}"), c
            value = Decimal(c["value"])
            amount = value * c["months"]
            if c["prorated_days"] is not None:
                amount = amount * c["prorated_days"] / doc["pay"]["period_days"]
            assert abs(amount - Decimal(c["amount"])) <= Decimal("0.005")


def test_a_filled_formula_shows_the_looked_up_row_and_the_branch_taken() -> None:
    result = run(REPO / "examples", "2024Q3", pay="required")
    doc = explain(result, "KM0001")
    lines = {c["name"]: c for c in doc["pay"]["components"]}
    assert lines["floating"]["filled"] == "floating_wage[mid] 1100"
    assert lines["floating"]["worked"] == "1100 × 3 months = 3,300.00"
    assert "[since years_in_post 6 >= 3 is true]" in lines["seniority"]["filled"]
    assert "benefit_coefficient[mid-A] 1.3" in lines["benefit"]["filled"]
    ability = doc["ability"]["indicators"][0]
    assert ability["rater_weights"] == {
        "supervisor": 50.0,
        "peer": 20.0,
        "customer": 20.0,
        "self": 10.0,
    }


def test_a_worked_formula_shows_the_declared_columns(tmp_path) -> None:  # type: ignore[no-untyped-def]
    import datetime as dt

    from amctl.pipeline.run import Given
    from tests.helpers import (
        CONTRACT_SENIORITY,
        SENIORITY,
        declared_policy,
        declared_team,
        write_team,
    )

    award = (
        "      formula: base_post_wage",
        '      formula: "base_post_wage + (500 if award_best_sales else 0)'
        ' + years_since(work_start)"',
    )
    policy = declared_policy(tmp_path / "p.yaml", SENIORITY, CONTRACT_SENIORITY, *award)
    team = declared_team([["聘用工", dt.date(2010, 3, 1), "是"], ["在册", "2012-01-01", "否"]])
    book = write_team(tmp_path / "team.xlsx", team)
    result = run(None, "2024Q3", Given(roster=book, policy=policy), pay="required")
    lines = {c["name"]: c for c in explain(result, "E0")["pay"]["components"]}
    assert "employment 聘用工 == '聘用工'" in lines["seniority"]["filled"]
    assert lines["base"]["filled"] == (
        "(base_post_wage 2200 + (500 [since award_best_sales true is true]))"
        " + years_since(work_start 2010-03-01) 14"
    )
    assert lines["base"]["amount"] == "8142.00"  # (2200 + 500 + 14) × 3
    other = {c["name"]: c for c in explain(result, "E1")["pay"]["components"]}
    assert other["seniority"]["amount"] == "0.00"  # 在册: no 年功工资
