"""One evaluator, two holders: numpy arrays and Python lists give every formula one answer,
missing values, unknown conditions and division by zero included."""

from __future__ import annotations

from decimal import Decimal

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from amctl.formula.arrays import LISTS, numpy_arrays
from amctl.formula.compile import Scope, compile_formula
from amctl.formula.evaluate import Bracket, Env, column, evaluate
from tests.formula import evaluated

SCOPE = Scope(
    variables={"x": "num", "y": "num", "level": "str", "rural": "bool", "org_unit": "str"},
    domains={"level": frozenset({"mid", "junior"})},
    tables={"wage": frozenset({"mid", "junior"})},
    brackets=frozenset({"rates"}),
)
RATES = [
    Bracket(Decimal(0), Decimal(10), Decimal(4)),
    Bracket(Decimal(10), None, Decimal(8)),
]
WAGE = {"mid": Decimal(1100), "junior": Decimal(700)}
FORMULAS = [
    "x + y * 2 - x / y",
    "-x + 1",
    "x ** 2",
    "abs(x - y)",
    "min(x, y, 3)",
    "max(x, y)",
    "clamp(x, 1, y)",
    "round(x / 3, 2)",
    "round(x)",
    "x if x > y else y",
    "1 if 0 < x <= 10 else 0",
    "x if x == y or not rural else 0",
    "y if rural and x >= 0 else -y",
    "x if x != y and (x > 1 or y < 1) else 0",
    "wage[level] * x",
    "wage[level] if level == 'mid' else 0",
    "brackets(x, rates, mode='marginal')",
    "brackets(x, rates, mode='flat')",
    "brackets(y, rates, mode='rate')",
    "unit_sum(x) - company_mean(y)",
    "unit_count() + company_count()",
    "2200",
]
NUMBERS = st.one_of(
    st.decimals("-50", "50", places=2, allow_nan=False),
    st.just(Decimal("NaN")),
    st.just(Decimal(0)),
)


@settings(max_examples=40, deadline=None)
@given(
    st.lists(
        st.tuples(
            NUMBERS,
            NUMBERS,
            st.sampled_from(["mid", "junior"]),
            st.booleans(),
            st.sampled_from(["一部", "二部"]),
        ),
        min_size=1,
        max_size=8,
    )
)
def test_every_formula_gives_one_answer_in_both_holders(rows: list[tuple[object, ...]]) -> None:
    x, y, level, rural, unit = (list(c) for c in zip(*rows, strict=True))
    columns = {
        "x": column(x),
        "y": column(y),
        "level": column(level),
        "rural": column(rural),
        "org_unit": column(unit),
    }
    env = Env(columns, {"wage": WAGE}, {"rates": RATES}, len(rows))
    for text in FORMULAS:
        evaluated(compile_formula(text, SCOPE).tree, env)


@pytest.mark.parametrize("text", ["x + 1", "x if rural else y", "round(x, 1)"])
def test_lists_give_lists(text: str) -> None:
    env = Env(
        {"x": [Decimal(1), Decimal(2)], "y": [Decimal(3)] * 2, "rural": [True, False]},
        {},
        {},
        2,
        arrays=LISTS,
    )
    value = evaluate(compile_formula(text, SCOPE).tree, env)
    assert isinstance(value, list) and len(value) == 2


def test_a_scalar_stays_a_scalar_until_the_column_is_made() -> None:
    for arrays in (numpy_arrays(), LISTS):
        assert arrays.where(True, Decimal(1), Decimal(2)) == Decimal(1)
        assert arrays.floats(True) == 1.0
        assert not arrays.is_column(arrays.apply(max, Decimal(1), Decimal(2)))
