"""Aggregates in formulas: unit_* over the manager's org unit, company_* over the whole run;
missing values left out (never 0), exact Decimal sums, and every misuse refused in place."""

from __future__ import annotations

from decimal import Decimal

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

from amctl.formula.aggregates import aggregates_in
from amctl.formula.compile import FormulaError, Scope, compile_formula
from amctl.formula.evaluate import Env, column, evaluate, filled
from tests.formula import evaluated

SCOPE = Scope(
    variables={"sales": "num", "target": "num", "org_unit": "str", "level": "str"},
    domains={},
    tables={},
    brackets=frozenset(),
)
NAN = Decimal("NaN")
# three units; 三部's second manager has no sales (a trainee without a performance row)
UNITS = ["一部", "二部", "一部", "三部", "二部", "三部", "一部"]
SALES = ["120", "1.65", "90", "80", "1.65", "NaN", "0.1"]
TARGET = ["100", "1.1", "100", "100", "2.2", "100", "0.2"]
LEVEL = ["mid", "junior", "mid", "mid", "mid", "junior", "junior"]


def _d(text: str) -> list[Decimal]:
    return [Decimal(v) for v in text.split()]


def run(text: str, sales: list[str] = SALES) -> list[Decimal]:
    formula = compile_formula(text, SCOPE)
    cols = {
        "sales": column([Decimal(s) for s in sales]),
        "target": column([Decimal(t) for t in TARGET]),
        "org_unit": column(UNITS),
        "level": column(LEVEL),
    }
    return list(evaluated(formula.tree, Env(cols, {}, {}, len(UNITS))))


def test_unit_totals_follow_each_managers_unit() -> None:
    assert run("unit_sum(sales)") == _d("210.1 3.30 210.1 80 3.30 80 210.1")
    assert run("unit_count()") == _d("3 2 3 2 2 2 3")
    mean = run("unit_mean(sales)")
    assert mean[3] == mean[5] == Decimal(80)  # over the managers with a value, like AVERAGE
    assert mean[1] == Decimal("1.65")


def test_company_totals_cover_everyone_in_the_run() -> None:
    assert set(run("company_sum(sales)")) == {Decimal("293.40")}
    assert set(run("company_count()")) == {Decimal(7)}
    assert set(run("company_mean(sales)")) == {Decimal("293.40") / 6}


def test_sums_are_exact_decimals() -> None:
    # 1.1 + 2.2 is 3.3000000000000003 in binary floats, so the ratio would fall short of 1
    assert 1.65 + 1.65 < (1.1 + 2.2) * 1.0
    ratio = run("unit_sum(sales) / unit_sum(target)")
    assert ratio[1] == ratio[4] == Decimal(1)
    bonus = run("500 if unit_sum(sales) / unit_sum(target) >= 1 else 0")
    assert bonus == _d("500 500 500 0 500 0 500")


def test_a_group_with_no_value_at_all_has_no_total_never_zero() -> None:
    sales = ["120", "1.65", "90", "NaN", "1.65", "NaN", "0.1"]
    got = run("unit_sum(sales)", sales)
    assert got[3].is_nan() and got[5].is_nan()  # 三部: nobody has a value
    assert run("unit_mean(sales)", sales)[3].is_nan()
    assert run("unit_count()", sales)[3] == Decimal(2)  # still two managers


def test_the_argument_is_any_number_expression() -> None:
    got = run("unit_sum(sales if level == 'mid' else 0)")
    assert got == _d("210 1.65 210 80 1.65 80 210")
    assert run("unit_sum(1)") == run("unit_count()")


def test_explain_shows_the_groups_figure() -> None:
    formula = compile_formula("500 if unit_sum(sales) / unit_sum(target) >= 1 else 0", SCOPE)
    cols = {
        "sales": column([Decimal(s) for s in SALES]),
        "target": column([Decimal(t) for t in TARGET]),
        "org_unit": column(UNITS),
    }
    whole = Env(cols, {}, {}, len(UNITS))
    totals = {n: evaluate(n, whole)[1:2] for n in aggregates_in(formula.tree)}
    one = Env({k: v[1:2] for k, v in cols.items()}, {}, {}, 1, totals=totals)
    assert list(evaluate(formula.tree, one)) == [Decimal(500)]
    assert filled(formula.tree, one) == (
        "500 [since unit_sum(sales) 3.3 ÷ unit_sum(target) 3.3 >= 1 is true]"
    )


@pytest.mark.parametrize(
    ("text", "rule", "col", "fragment"),
    [
        ("unit_sum(unit_sum(sales))", "AMF004", 9, "unit_sum() cannot be inside unit_sum()"),
        (
            "1 + company_mean(sales + unit_mean(sales))",
            "AMF004",
            25,
            "unit_mean() cannot be inside company_mean()",
        ),
        ("unit_sum()", "AMF004", 0, "unit_sum() takes 1 arguments, got 0"),
        ("2 * unit_count(sales)", "AMF004", 4, "unit_count() takes 0 arguments, got 1"),
        ("company_mean(sales, target)", "AMF004", 0, "company_mean() takes 1 arguments, got 2"),
        ("unit_sum(level)", "AMF003", 9, "each argument of unit_sum() must be a number, not text"),
        ("unit_sum(sale)", "AMF002", 9, "unknown name 'sale'; did you mean 'sales'?"),
        (
            "unit_total(sales)",
            "AMF004",
            0,
            "allowed: min, max, abs, round, clamp, brackets, years_since, months_since, unit_sum",
        ),
        ("unit_mean(sales, skip=1)", "AMF004", 0, "unit_mean() takes no keyword 'skip'"),
        ("unit_sum(sales > 1)", "AMF003", 9, "must be a number, not a condition"),
    ],
)
def test_misuse_is_refused_in_place(text: str, rule: str, col: int, fragment: str) -> None:
    with pytest.raises(FormulaError) as caught:
        compile_formula(text, SCOPE)
    assert caught.value.rule == rule
    assert caught.value.col == col
    assert fragment in caught.value.message


def test_unit_aggregates_read_the_org_unit() -> None:
    assert "org_unit" in compile_formula("unit_count()", SCOPE).names
    assert "org_unit" not in compile_formula("company_sum(sales)", SCOPE).names


def test_no_rows_gives_no_values() -> None:
    formula = compile_formula("unit_sum(sales)", SCOPE)
    env = Env({"sales": column([]), "org_unit": column([])}, {}, {}, 0)
    assert len(evaluate(formula.tree, env)) == 0
    assert isinstance(evaluate(formula.tree, env), np.ndarray)


@given(
    st.lists(
        st.tuples(
            st.sampled_from(["一部", "二部", "三部"]),
            st.one_of(st.none(), st.decimals("-1000", "1000", places=2)),
        ),
        min_size=1,
        max_size=30,
    )
)
def test_the_units_totals_add_up_to_the_companys(rows: list[tuple[str, Decimal | None]]) -> None:
    units = [u for u, _ in rows]
    sales = [NAN if v is None else v for _, v in rows]
    cols = {"sales": column(sales), "org_unit": column(units)}
    env = Env(cols, {}, {}, len(rows))

    def value(text: str) -> list[Decimal]:
        return list(evaluate(compile_formula(text, SCOPE).tree, env))

    per_unit, counts = value("unit_sum(sales)"), value("unit_count()")
    first = {u: i for i, u in reversed(list(enumerate(units)))}  # one row of each unit
    known = [per_unit[i] for i in first.values() if not per_unit[i].is_nan()]
    company = value("company_sum(sales)")[0]
    assert sum(counts[i] for i in first.values()) == len(rows)
    if known:
        assert sum(known) == company == sum(v for v in sales if not v.is_nan())
    else:
        assert company.is_nan()  # nobody has a value: no total, not 0
