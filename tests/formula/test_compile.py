"""The closed formula language: what it computes, and everything it refuses."""

from __future__ import annotations

from decimal import Decimal

import numpy as np
import pytest

from amctl.formula.compile import FormulaError, Scope, compile_formula
from amctl.formula.evaluate import Bracket, Env, column
from tests.formula import evaluated

SCOPE = Scope(
    variables={"x": "num", "y": "num", "level": "str", "rural": "bool", "earlier": "num"},
    domains={"level": frozenset({"senior", "mid", "junior", "trainee"})},
    tables={"wage": frozenset({"senior", "mid", "junior", "trainee"})},
    brackets=frozenset({"rates"}),
    later=frozenset({"later"}),
)
RATES = [
    Bracket(Decimal(0), Decimal(10), Decimal(4)),
    Bracket(Decimal(10), Decimal(15), Decimal(6)),
    Bracket(Decimal(15), None, Decimal(8)),
]


def run(text: str, **cols: list[object]) -> list[object]:
    formula = compile_formula(text, SCOPE)
    size = len(next(iter(cols.values()))) if cols else 1
    columns = {
        k: (
            np.asarray(v, dtype=bool)
            if k == "rural"
            else column([Decimal(str(x)) if isinstance(x, int | float) else x for x in v])
        )
        for k, v in cols.items()
    }
    wage = {
        "senior": Decimal(1600),
        "mid": Decimal(1100),
        "junior": Decimal(700),
        "trainee": Decimal(300),
    }
    return list(evaluated(formula.tree, Env(columns, {"wage": wage}, {"rates": RATES}, size)))


@pytest.mark.parametrize(
    ("years", "marginal", "flat"),
    [
        (2, 0, 0),
        (3, 12, 12),
        (10, 40, 40),
        (12, 52, 72),
        (16, 78, 128),
    ],  # issue 3 reference figures
)
def test_seniority_brackets_both_modes(years: int, marginal: int, flat: int) -> None:
    for mode, expected in (("marginal", marginal), ("flat", flat)):
        got = run(f"brackets(x, rates, mode='{mode}') if x >= 3 else 0", x=[years])
        assert got == [expected], mode


def test_rate_mode_gives_the_bracket_rate() -> None:
    assert run("brackets(x, rates, mode='rate')", x=[5, 10, 11, 99]) == [4, 4, 6, 8]


def test_arithmetic_is_exact_decimal() -> None:
    assert run("x * 0.1 + y", x=[3], y=[0.2]) == [Decimal("0.5")]  # 0.30000000000000004 in floats
    assert run("round(x / 3, 2)", x=[2]) == [Decimal("0.67")]
    assert run("round(x, 0)", x=[2.5]) == [Decimal(3)]  # half up, not banker's rounding


def test_functions_and_conditions() -> None:
    assert run("min(x, y, 5)", x=[1, 9], y=[2, 7]) == [1, 5]
    assert run("max(x, y)", x=[1, 9], y=[2, 7]) == [2, 9]
    assert run("clamp(x, 0, 10)", x=[-5, 5, 50]) == [0, 5, 10]
    assert run("abs(x)", x=[-2]) == [2]
    assert run("1 if rural and not x > 5 else 2", x=[1, 9], rural=[True, True]) == [1, 2]
    assert run("1 if 0 < x <= 5 else 0", x=[0, 5, 6]) == [0, 1, 0]


def test_table_lookup_by_level() -> None:
    assert run("wage[level] * 3", level=["senior", "trainee"]) == [4800, 900]


def test_division_by_zero_in_an_unused_branch_is_fine() -> None:
    assert run("x / y if y != 0 else 0", x=[1, 1], y=[0, 4]) == [0, Decimal("0.25")]


HOSTILE = [
    ("__import__('os')", "AMF004", "unknown function '__import__'"),
    ("().__class__", "AMF001", "attribute access"),
    ("open('x')", "AMF004", "unknown function 'open'"),
    ("lambda: 1", "AMF001", "lambda not allowed"),
    ("[x for x in y]", "AMF001", "comprehensions not allowed"),
    ("9**9**9", "AMF007", "exponent"),
    ("'a'*10**9", "AMF003", "must be a number"),
    ("nobody + 1", "AMF002", "unknown name 'nobody'"),
    ("level.upper()", "AMF001", "attribute access"),
    ("eval('1')", "AMF004", "unknown function 'eval'"),
    ("exec('import os')", "AMF004", "unknown function 'exec'"),
    ("getattr(level, 'x')", "AMF004", "unknown function 'getattr'"),
    ("x if True else __builtins__", "AMF002", "unknown name '__builtins__'"),
    ("{1: 2}[1]", "AMF001", "dicts not allowed"),
    ("(z := 5)", "AMF001", "assignment"),
    ("f'{level}'", "AMF001", "f-strings"),
    ("wage['nobody']", "AMF006", "no row 'nobody'"),
    ("min(1)", "AMF004", "takes 2 to 8 arguments"),
    ("brackets(x, rates)", "AMF004", "needs mode="),
    ("x // 2", "AMF001", "operator '//' not allowed"),
    ("[1, 2][0]", "AMF001", "lists not allowed"),
    ("10 ** 100", "AMF007", "exponent"),
    ("1e400", "AMF007", "out of range"),
    ("level + 1", "AMF003", "must be a number, not text"),
    ("later * 2", "AMF008", "defined later"),
    ("x + " * 300 + "1", "AMF007", "characters"),
    ("(yield 1)", "AMF001", "yield"),
    ("x if level == 'seniro' else 0", "AMF006", "never a value of level"),
    ("x[0]", "AMF003", "only tables can be indexed"),
    ("round(x, 99)", "AMF004", "digits"),
    ("x.__class__.__mro__", "AMF001", "attribute access"),
    ("rates", "AMF003", "bracket table"),
    ("1 if x else 0", "AMF003", "condition of if must be a condition"),
    ("wage[level] if rural else 'x'", "AMF003", "same type"),
    ("x == 'mid'", "AMF003", "cannot compare"),
    ("x +", "AMF000", "syntax error"),
]


@pytest.mark.parametrize(("text", "rule", "fragment"), HOSTILE, ids=[h[0][:30] for h in HOSTILE])
def test_hostile_formulas_are_refused(text: str, rule: str, fragment: str) -> None:
    with pytest.raises(FormulaError) as info:
        compile_formula(text, SCOPE)
    assert info.value.rule == rule, info.value.message
    assert fragment in info.value.message


def test_the_offending_column_is_reported() -> None:
    with pytest.raises(FormulaError) as info:
        compile_formula("x + wage['nobody'] + 沙", SCOPE)
    assert info.value.col == 4
    with pytest.raises(FormulaError) as info:
        compile_formula("年 + 1 + nobody", SCOPE)
    assert info.value.message.startswith("unknown name '年'")
    with pytest.raises(FormulaError) as info:
        compile_formula("x + 沙 + nobody", SCOPE)
    assert info.value.col == 4  # characters, not UTF-8 bytes


def test_nested_comparison_chains_compile_and_run_in_linear_time() -> None:
    text = "True==True==True"
    for _ in range(30):  # each level would double the tree if chains rebuilt their middles
        text = f"(True=={text}==True)"
    formula = compile_formula(f"1 if {text} else 0", SCOPE)
    assert run(f"1 if {text} else 0", x=[1]) == [1]
    assert formula.type == "num"


def test_missing_numbers_are_never_read_as_false_or_zero() -> None:
    nan = Decimal("NaN")
    for text in (
        "100 if x >= 80 else 0",
        "100 if x < 80 else 0",
        "max(x, 0)",
        "max(0, x)",
        "brackets(x, rates, mode='marginal')",
        "clamp(x, 0, 1)",
    ):
        got = run(text, x=[nan, 90])
        assert got[0].is_nan(), text  # unknown stays unknown
        assert got[1].is_finite(), text
    assert run("1 if rural or x > 5 else 0", x=[nan], rural=[True]) == [1]  # true or unknown = true
    assert run("1 if rural and x > 5 else 0", x=[nan], rural=[False]) == [
        0
    ]  # false and unknown = false


def test_keys_and_values_inside_if_are_checked() -> None:
    with pytest.raises(FormulaError, match="no row 'senoir'"):
        compile_formula("wage['senoir' if rural else level]", SCOPE)
    with pytest.raises(FormulaError, match="'seniro' is never a value of level"):
        compile_formula("1 if level == ('seniro' if rural else 'mid') else 0", SCOPE)


DATED = Scope(
    variables={"work_start": "date", "x": "num", "kind": "str", "award": "bool"},
    domains={"kind": frozenset({"聘用工", "在册"})},
    tables={},
    brackets=frozenset(),
)


def test_years_and_months_since_count_full_ones_to_the_periods_end() -> None:
    import datetime as dt

    starts = np.array(["2014-10-01", "2014-09-30", "2016-02-29", "2024-10-01", "NaT"], "M8[D]")
    env = Env({"work_start": starts}, {}, {}, 5, dt.date(2024, 9, 30))
    years = evaluated(compile_formula("years_since(work_start)", DATED).tree, env)
    months = evaluated(compile_formula("months_since(work_start)", DATED).tree, env)
    assert list(years[:4]) == [9, 10, 8, -1] and years[4].is_nan()  # a blank date: unknown
    assert list(months[:4]) == [119, 120, 103, -1] and months[4].is_nan()
    gate = evaluated(compile_formula("years_since(work_start) >= 8", DATED).tree, env)
    assert list(gate[:4]) == [1.0, 1.0, 1.0, 0.0] and np.isnan(gate[4])


def test_text_and_yes_no_columns_in_conditions() -> None:
    env = Env(
        {
            "kind": column(["聘用工", "在册", None]),
            "award": np.array([1.0, 0.0, np.nan]),
            "x": column([Decimal(5)] * 3),
        },
        {},
        {},
        3,
    )
    formula = compile_formula("x * 2 if kind == '聘用工' or award else 0", DATED)
    got = evaluated(formula.tree, env)
    assert got[0] == 10 and got[1] == 0 and got[2].is_nan()  # None is unknown, never '在册'


@pytest.mark.parametrize(
    ("text", "fragment"),
    [
        ("work_start", "'work_start' is a date: use it as years_since(work_start)"),
        ("work_start == work_start", "'work_start' is a date"),
        ("years_since(x)", "years_since() takes the name of a date column"),
        ("years_since('2020-01-01')", "years_since() takes the name of a date column"),
        ("months_since(work_start, 1)", "months_since() takes 1 argument"),
        ("years_since(work_start, mode='marginal')", "takes no keyword"),
    ],
)
def test_a_date_is_read_only_through_years_and_months_since(text: str, fragment: str) -> None:
    with pytest.raises(FormulaError) as info:
        compile_formula(text, DATED)
    assert fragment in info.value.message, info.value.message
    assert info.value.rule in ("AMF003", "AMF004")
