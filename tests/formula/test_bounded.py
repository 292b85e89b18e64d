"""Bounded floats: the amounts pay works in floats that carry their error are, to the last
digit and sign, those the Decimal evaluator gives every row, and the rows where a float could
decide otherwise are the ones worked in Decimals."""

from __future__ import annotations

import datetime as dt
import decimal
import functools
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from decimal import Decimal
from pathlib import Path
from typing import Any, Literal, get_args
from unittest.mock import patch

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from amctl.engine import pay
from amctl.engine.amounts import Amounts
from amctl.engine.pay import PayPeriod, compute
from amctl.formula import bounded
from amctl.policy.loader import load_policy
from amctl.policy.models import Component, Policy, Rounding
from amctl.policy.payformulas import compile_pay
from tests.helpers import PAY_ROW, declared_policy

Mode = Literal["half_up", "half_even", "down", "up", "floor", "ceiling"]
Q3 = PayPeriod(dt.date(2024, 7, 1), dt.date(2024, 9, 30), 3)  # 92 days

FORMULAS = [
    # the default policy's two that cannot be grouped
    "benefit_base * benefit_coefficient[pay_tier]"
    " * (1 if level == 'trainee' else round(clamp(performance / 80, 0.6, 1.2), 4))",
    "0 if level == 'trainee' else sales * brackets(sales / sales_target * 100,"
    " commission_rates, mode='rate')",
    "performance * 10",
    "(performance - 80) * 0.001",  # -0.0 and 0.0 give -0.000 and 0.000
    "-(performance - 80) / 7",
    "round(performance / 3, 2) * 7 - sales",
    "round(performance, 0) + round(sales / 8, 6)",
    "max(performance - 60, 0) * 12.5 + min(sales, 1000) / 7",
    "brackets(performance, seniority_rates, mode='marginal')",
    "brackets(performance / 4, seniority_rates, mode='flat') + 0.005",
    "abs(performance - 75) ** 3 / 9",
    "100 / (years_in_post - 9)",  # ÷0 for some: the error names the same managers
    "sales * 0.1 if rural else sales * 0.05",
    "performance if performance > sales else sales - 0.3",
    "1 if years_in_post >= 9 and not rural else performance / 80",
    "0.1 + 0.2 - 0.3 + performance * 0",
    "clamp(sales / 3, -5, 5.005)",
    "benefit_coefficient[pay_tier] * performance / 3",
    "years_since(work_start) * 2.5 + months_since(work_start) / 7 + performance",
    "(500.5 if award_best_sales else 0) + performance * 3",
    "performance * 2 if employment == '聘用工' else sales / 3",
    "performance / sales_target * 1000000",
    "unit_sum(performance) / unit_count()",  # a total over the unit: declined
]

_NUMBERS = st.one_of(
    st.sampled_from(
        [80.0, 0.0, -0.0, 85.5, 61.25, 96.0, 120.0, 0.005, 2.675, 1e-300, 1e15, float("nan")]
    ),
    st.floats(-1e6, 1e6, allow_nan=False).map(lambda x: round(x, 3)),
    st.floats(-1e3, 1e3, allow_nan=False),
    st.integers(-(10**7), 10**7).map(lambda x: x / 1000),
    st.integers(-200, 200).map(float),
)
_QUANTA = ["0.01", "0.05", "1", "10", "0.1", "0.50"]


@contextmanager
def _bounded(on: bool) -> Iterator[None]:
    """Every component worked row by row (none grouped), in bounded floats or not."""
    saved = pay._GROUPED, pay._BOUNDED
    pay._GROUPED, pay._BOUNDED = 0.0, on
    try:
        yield
    finally:
        pay._GROUPED, pay._BOUNDED = saved


def _outcome(policy: Policy, data: pd.DataFrame, on: bool, sent: list[int] | None = None) -> object:
    """Each amount's text (its digits and sign), or the error with the managers it names;
    into `sent`, how many rows of each bounded component were left to Decimals."""
    assert policy.pay is not None
    formulas, problems = compile_pay(policy, policy.pay)
    assert problems == []
    worked = bounded.amounts

    def counted(*args: Any) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        units, minus, unsure = worked(*args)
        if sent is not None:
            sent.append(int(unsure.sum()))
        return units, minus, unsure

    with _bounded(on), patch.object(bounded, "amounts", counted):
        try:
            amounts: dict[str, Amounts] = {}
            lines = compute(policy, formulas, data, Q3, amounts)
        except pay.PayError as exc:
            return exc.message
    out: dict[str, object] = {c: [str(v) for v in lines[c].tolist()] for c in lines.columns}
    out["text"] = {n: a.text.to_pylist() for n, a in amounts.items()}
    return out


def _policy(
    default: Policy, formulas: list[str], prorate: bool, quantum: str, mode: Mode
) -> Policy:
    assert default.pay is not None
    components = {f"c{k}": Component(formula=f, prorate=prorate) for k, f in enumerate(formulas)}
    rounding = Rounding(quantum=Decimal(quantum), mode=mode)
    update = {"components": components, "rounding": rounding}
    return default.model_copy(update={"pay": default.pay.model_copy(update=update)})


@functools.cache
def _declared() -> Policy:
    """The default policy with a choice, a date and a yes/no column declared."""
    with tempfile.TemporaryDirectory() as folder:
        return load_policy(declared_policy(Path(folder) / "p.yaml")).policy


@settings(max_examples=300, deadline=None)
@given(st.data())
def test_bounded_floats_give_the_decimals_amounts(data: st.DataObject) -> None:
    draw = data.draw
    n = draw(st.integers(1, 30))
    chosen = draw(st.lists(st.sampled_from(FORMULAS), min_size=1, max_size=3, unique=True))
    prorate = draw(st.booleans())
    quantum = draw(st.sampled_from(_QUANTA))
    mode: Mode = draw(st.sampled_from(get_args(Mode)))
    block = draw(st.sampled_from([3, 7, bounded.BLOCK]))  # a column worked a block at a time
    rows = [
        {
            "employee_id": f"E{i:02d}",
            "level": draw(st.sampled_from(["mid", "junior", "trainee"])),
            "performance": draw(_NUMBERS),
            "sales": draw(_NUMBERS),
            "sales_target": draw(st.sampled_from([300.0, 100.0, 0.0, 7.0, float("nan")])),
            "years_in_post": draw(st.sampled_from([3, 9, 12, 16])),
            "rural": draw(st.booleans()),
            "work_start": draw(st.sampled_from([dt.date(2015, 3, 1), dt.date(2024, 8, 15), None])),
            "award_best_sales": draw(st.booleans()),
            "employment": draw(st.sampled_from(["聘用工", "在册", None])),
            "leave_date": draw(st.sampled_from([None, dt.date(2024, 8, 15)])),
        }
        for i in range(n)
    ]
    frame = pd.DataFrame([{**PAY_ROW, **r} for r in rows]).set_index("employee_id")
    policy = _policy(_declared(), chosen, prorate, quantum, mode)
    with patch.object(bounded, "BLOCK", block):
        assert _outcome(policy, frame, True) == _outcome(policy, frame, False)


def _benefit_rows(n: int) -> pd.DataFrame:
    """Scores to 4 places, as grading gives them, in every band: half the amounts of the
    default benefit land exactly on half a fen (1500 × 0.90 × 0.8795 × 3 = 3561.975)."""
    rng = np.random.default_rng(7)
    tiers = ["senior-A", "mid-B", "junior-B", "junior-C"]
    rows = [
        {
            "employee_id": f"E{k}",
            "level": tiers[k % 4].split("-")[0],
            "band": tiers[k % 4].split("-")[1],
            "performance": round(float(rng.uniform(40, 100)), 4),
            "leave_date": dt.date(2024, 8, 1 + k % 30) if k % 5 == 0 else None,
        }
        for k in range(n)
    ]
    return pd.DataFrame([{**PAY_ROW, **r} for r in rows]).set_index("employee_id")


def test_ties_at_half_a_fen_are_decided_exactly_not_sent_to_decimals() -> None:
    policy = _declared()
    assert policy.pay is not None
    formulas, _ = compile_pay(policy, policy.pay)
    frame = _benefit_rows(2000)
    columns = {
        "benefit_base": policy.pay.parameters["benefit_base"],
        "performance": bounded.numbers(frame["performance"].to_numpy()),
        "level": frame["level"].to_numpy(dtype=object),
        "pay_tier": (frame["level"] + "-" + frame["band"]).to_numpy(dtype=object),
    }
    days = pay.days_in_post(frame["post_start"], frame["leave_date"], Q3)
    rule = bounded.Rule(3, days, Q3.days, Decimal("0.01"), decimal.ROUND_HALF_UP)
    tree = formulas["benefit"].tree
    units, minus, unsure = bounded.amounts(tree, columns, policy.pay.tables, {}, 2000, None, rule)
    assert not unsure.any()
    assert not minus.any()
    exact = _outcome(policy, frame, False)
    assert isinstance(exact, dict)
    assert [f"{u // 100}.{u % 100:02d}" for u in units.tolist()] == exact["benefit"]
    ties = [t for t in exact["benefit"] if t.endswith(("5", "0"))]  # rounded up from .xx5
    assert len(ties) > 100


def test_a_float_that_looks_whole_is_worked_in_decimals() -> None:
    """1 / 3 × 3 is 0.999… (50 digits) in Decimals and 1.0 in floats: rounded down, 0.99 and
    1.00. The float's bound reaches the whole number, so the row is worked in Decimals."""
    policy = _policy(_declared(), ["performance / 3 * 3"], False, "0.01", "down")
    assert policy.pay is not None
    once = {"c0": Component(formula="performance / 3 * 3", per="period", prorate=False)}
    policy = policy.model_copy(update={"pay": policy.pay.model_copy(update={"components": once})})
    frame = pd.DataFrame([{**PAY_ROW, "employee_id": "E1", "performance": 1.0}])
    frame = frame.set_index("employee_id")
    assert policy.pay is not None
    formulas, _ = compile_pay(policy, policy.pay)
    columns = {"performance": bounded.numbers(np.array([1.0]))}
    rule = bounded.Rule(1, None, Q3.days, Decimal("0.01"), decimal.ROUND_DOWN)
    tree = formulas["c0"].tree
    _, _, unsure = bounded.amounts(tree, columns, {}, {}, 1, None, rule)
    assert unsure.tolist() == [True]
    with _bounded(True):
        lines = compute(policy, formulas, frame, Q3)
    assert str(lines.loc["E1", "c0"]) == "0.99"


@pytest.mark.parametrize(
    "formula",
    [
        "0 if level == 'trainee' else sales * brackets(sales / sales_target * 100,"
        " commission_rates, mode='rate')",
        "brackets(sales / sales_target * 100, commission_rates, mode='marginal')",
        "-(performance - 80) / 7",  # unary minus of 0 is +0 in Decimals, -0.0 in floats
        "(performance - 80) * -1",
        "-performance * 2",
        "0 - performance",
        "min(performance, sales) - 80",
    ],
)
@pytest.mark.parametrize("prorate", [True, False])
def test_edges_and_zero_signs_are_the_decimals(formula: str, prorate: bool) -> None:
    """4.92 / 4.1 × 100 is 120 exactly, a limit, where floats give 120.00000000000001 (and
    8.04 / 6.7 × 100 119.99999999999997); zeros take their signs by Decimal's rules. Worked
    on whole numbers, none of these rows is sent to Decimals."""
    pairs = [(4.92, 4.1), (8.04, 6.7), (7.0, 7.0), (100.0, 100.0), (0.7, 7.0), (-0.0, 7.0)]
    scores = [80.0, -0.0, 0.0, 80.0, 2.675, -80.0]
    rows = [
        {"employee_id": f"E{k}", "sales": s, "sales_target": t, "performance": p}
        for k, ((s, t), p) in enumerate(zip(pairs, scores, strict=True))
    ]
    frame = pd.DataFrame([{**PAY_ROW, **r} for r in rows]).set_index("employee_id")
    policy = _policy(_declared(), [formula], prorate, "0.01", "half_up")
    sent: list[int] = []
    assert _outcome(policy, frame, True, sent) == _outcome(policy, frame, False)
    assert sent == [0]


def test_a_rounding_beyond_whole_floats_is_left_to_decimals() -> None:
    """2000017 × 1000003 rounded to 6 places is 2000023000051 × 10**6 millionths: a whole
    number int64 holds but a float does not (above 2**53). Taken through a float it comes
    back 192 millionths off; such a rounding is not taken as exact."""
    rows = [{"employee_id": "E1", "performance": 2000017.0, "sales": 1000003.0}]
    frame = pd.DataFrame([{**PAY_ROW, **r} for r in rows]).set_index("employee_id")
    formula = "round(performance * sales, 6) - performance * sales"
    policy = _policy(_declared(), [formula], False, "0.000001", "half_up")
    assert _outcome(policy, frame, True) == _outcome(policy, frame, False)


@pytest.mark.parametrize(
    "formula",
    [
        "performance + 1 / 0",
        "0 / 0 + performance",
        "round(-(1000000000000.0 / 0), 3)",
        "performance * (1 / 0 if performance > 1000 else 1)",  # a branch not taken
    ],
)
def test_a_constant_divided_by_zero_is_the_decimals_error_or_amount(formula: str) -> None:
    """Constants are numpy's floats: ÷ 0 gives inf (the row left to Decimals, which name
    it), not Python's ZeroDivisionError."""
    rows = [{"employee_id": f"E{i}", "performance": 80.0 + i} for i in range(3)]
    frame = pd.DataFrame([{**PAY_ROW, **r} for r in rows]).set_index("employee_id")
    policy = _policy(_declared(), [formula], False, "0.01", "half_up")
    assert _outcome(policy, frame, True) == _outcome(policy, frame, False)


def test_a_subnormal_parameter_is_not_taken_for_exact() -> None:
    """Half an ulp of a subnormal float rounds to 0, which would say "exact": 1.0000001E-320
    and the float of 1e-320 are one float, but not one decimal."""
    policy = _policy(_declared(), ["1 if performance < tiny else 2"], False, "0.01", "half_up")
    assert policy.pay is not None
    parameters = {**policy.pay.parameters, "tiny": Decimal("1.0000001E-320")}
    policy = policy.model_copy(
        update={"pay": policy.pay.model_copy(update={"parameters": parameters})}
    )
    rows = [{"employee_id": "E0", "performance": 1e-320}, {"employee_id": "E1", "performance": 5.0}]
    frame = pd.DataFrame([{**PAY_ROW, **r} for r in rows]).set_index("employee_id")
    assert _outcome(policy, frame, True) == _outcome(policy, frame, False)
