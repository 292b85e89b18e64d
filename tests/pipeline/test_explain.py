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
