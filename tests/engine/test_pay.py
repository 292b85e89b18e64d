"""Pay: the rural band step, proration, rounding per component, and totals that add up."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import numpy as np
import pandas as pd
import pytest
from hypothesis import example, given, settings
from hypothesis import strategies as st

from amctl.engine.pay import ROUNDING, PayPeriod, compute
from amctl.policy.models import Component, Policy, RuralRule
from amctl.policy.payformulas import compile_pay, pay_bands
from tests.helpers import PAY_ROW

Q3 = PayPeriod(dt.date(2024, 7, 1), dt.date(2024, 9, 30), 3)  # 92 days


def _data(rows: list[dict[str, object]]) -> pd.DataFrame:
    base = PAY_ROW
    return pd.DataFrame([{**base, **r} for r in rows]).set_index("employee_id")


def _with_pay(policy: Policy, **changes: object) -> Policy:
    assert policy.pay is not None
    return policy.model_copy(update={"pay": policy.pay.model_copy(update=changes)})


def _run(policy: Policy, rows: list[dict[str, object]]) -> pd.DataFrame:
    assert policy.pay is not None
    formulas, problems = compile_pay(policy, policy.pay)
    assert problems == []
    return compute(policy, formulas, _data(rows), Q3)


@pytest.mark.parametrize(
    ("years", "marginal", "flat"),
    [(2, 0, 0), (3, 12, 12), (10, 40, 40), (12, 52, 72), (16, 78, 128)],
)
def test_default_seniority_is_marginal_and_flat_is_expressible(
    default_policy, years, marginal, flat
) -> None:  # type: ignore[no-untyped-def]
    policy = default_policy.policy
    lines = _run(policy, [{"employee_id": "E1", "years_in_post": years}])
    assert lines.loc["E1", "seniority"] == Decimal(marginal * 3)  # monthly figure × 3 months
    seniority = policy.pay.components["seniority"]
    flat_formula = seniority.formula.replace("mode='marginal'", "mode='flat'")
    components = {**policy.pay.components, "seniority": Component(formula=flat_formula)}
    lines = _run(
        _with_pay(policy, components=components), [{"employee_id": "E1", "years_in_post": years}]
    )
    assert lines.loc["E1", "seniority"] == Decimal(flat * 3)


def test_rural_managers_are_paid_one_band_up(default_policy) -> None:  # type: ignore[no-untyped-def]
    rows = [
        {"employee_id": "C", "band": "C", "rural": True},
        {"employee_id": "B", "band": "B", "rural": True},
        {"employee_id": "A", "band": "A", "rural": True},
        {"employee_id": "U", "band": "C", "rural": False},
        {"employee_id": "T", "level": "trainee", "band": None, "rural": True},
    ]
    lines = _run(default_policy.policy, rows)
    assert lines["pay_tier"].tolist() == ["mid-B", "mid-A", "mid-A", "mid-C", "trainee"]
    # benefit = 1500 × coefficient × performance/80 (= 1) × 3 months
    assert lines.loc["C", "benefit"] == Decimal("1500") * Decimal("1.20") * 3
    assert lines.loc["U", "benefit"] == Decimal("1500") * Decimal("1.10") * 3
    assert lines.loc["C", "floating"] == lines.loc["U", "floating"]  # the level never changes


def test_the_top_band_can_step_into_the_next_level(default_policy) -> None:  # type: ignore[no-untyped-def]
    policy = default_policy.policy
    assert policy.pay is not None
    up = policy.pay.model_copy(update={"rural": RuralRule(band_step=1, at_top="next_level")})
    _, tier = pay_bands(
        policy, up, pd.Series(["mid", "senior"]), pd.Series(["A", "A"]), pd.Series([True, True])
    )
    assert tier == ["senior-C", "senior-A"]  # the top of the top level stays where it is


def test_a_mid_quarter_joiner_and_leaver_are_prorated_by_days(default_policy) -> None:  # type: ignore[no-untyped-def]
    rows = [
        {
            "employee_id": "J",
            "post_start": dt.date(2024, 8, 16),
            "years_in_post": 0,
        },  # 46 of 92 days
        {"employee_id": "L", "leave_date": dt.date(2024, 7, 31)},  # 31 of 92 days
        {"employee_id": "F"},
    ]
    lines = _run(default_policy.policy, rows)
    assert lines["days"].tolist() == [46, 31, 92]
    assert lines.loc["J", "base"] == Decimal("3300.00")  # 2200 × 3 × 46/92
    assert lines.loc["L", "base"] == (Decimal(2200) * 3 * 31 / 92).quantize(Decimal("0.01"))
    assert lines.loc["L", "base"] == Decimal("2223.91")
    assert lines.loc["F", "base"] == Decimal("6600.00")


def test_each_component_is_rounded_and_the_total_is_their_sum(default_policy) -> None:  # type: ignore[no-untyped-def]
    policy = _with_pay(
        default_policy.policy,
        per="period",
        parameters={
            "a": Decimal("1.005"),
            "b": Decimal("2.005"),
            "c": Decimal("0.004"),
            "d": Decimal("-0.125"),
        },
        components={
            "up": Component(formula="a"),  # 1.005 → 1.01 (half up)
            "up_too": Component(formula="b"),  # 2.005 → 2.01
            "down": Component(formula="c"),  # 0.004 → 0.00
            "uses_earlier": Component(formula="up * 2"),  # sees 1.005, not 1.01: 2.01
        },
    )
    row = _run(policy, [{"employee_id": "E1"}]).loc["E1"]
    parts = [row["up"], row["up_too"], row["down"], row["uses_earlier"]]
    assert parts == [Decimal("1.01"), Decimal("2.01"), Decimal("0.00"), Decimal("2.01")]
    assert (
        row["total"] == sum(parts) == Decimal("5.03")
    )  # rounding the raw sum 5.024 would give 5.02
    negative = _with_pay(policy, components={"refund": Component(formula="d")})
    assert _run(negative, [{"employee_id": "E1"}]).loc["E1", "refund"] == Decimal("-0.13")


def test_division_by_zero_at_run_time_names_the_managers(default_policy) -> None:  # type: ignore[no-untyped-def]
    from amctl.engine.pay import PayError

    policy = _with_pay(
        default_policy.policy, components={"bad": Component(formula="100 / (years_in_post - 9)")}
    )
    with pytest.raises(PayError, match=r"component bad: the result is not a number .* \(for E1\)"):
        _run(policy, [{"employee_id": "E1"}, {"employee_id": "E2", "years_in_post": 10}])


def test_a_missing_input_stops_the_run_naming_it(default_policy) -> None:  # type: ignore[no-untyped-def]
    from amctl.engine.pay import PayError

    policy = _with_pay(
        default_policy.policy,
        components={"bonus": Component(formula="100 if performance >= 80 else 0")},
    )
    with pytest.raises(
        PayError,
        match=r"component bonus: needs performance, which the data does not give \(for T\)",
    ):
        _run(
            policy,
            [
                {"employee_id": "T", "level": "trainee", "band": None, "performance": float("nan")},
                {"employee_id": "E"},
            ],
        )


def test_the_default_benefit_does_not_need_a_trainees_performance(default_policy) -> None:  # type: ignore[no-untyped-def]
    lines = _run(
        default_policy.policy,
        [{"employee_id": "T", "level": "trainee", "band": None, "performance": float("nan")}],
    )
    assert lines.loc["T", "benefit"] == Decimal("1500") * Decimal("0.60") * 3


@pytest.mark.parametrize(
    ("quantum", "expected"),
    [("0.05", "3300.05"), ("10", "3300"), ("1", "3300"), ("0.10", "3300.10")],
)
def test_amounts_round_to_any_multiple_of_the_quantum(
    default_policy, quantum: str, expected: str
) -> None:  # type: ignore[no-untyped-def]
    from amctl.policy.models import Rounding

    policy = _with_pay(
        default_policy.policy,
        per="period",
        rounding=Rounding(quantum=Decimal(quantum), mode="half_up"),
        parameters={"a": Decimal("3300.07")},
        components={"x": Component(formula="a")},
    )
    assert _run(policy, [{"employee_id": "E1"}]).loc["E1", "x"] == Decimal(expected)


def test_a_runaway_amount_is_refused(default_policy) -> None:  # type: ignore[no-untyped-def]
    from amctl.engine.pay import PayError

    policy = _with_pay(
        default_policy.policy, components={"x": Component(formula="1000000000000 ** 4")}
    )
    with pytest.raises(PayError, match="beyond 10\\^12"):
        _run(policy, [{"employee_id": "E1"}])


def test_next_level_keeps_the_pay_band_at_the_top(default_policy) -> None:  # type: ignore[no-untyped-def]
    policy = default_policy.policy
    up = policy.pay.model_copy(update={"rural": RuralRule(band_step=1, at_top="next_level")})
    band, tier = pay_bands(policy, up, pd.Series(["mid"]), pd.Series(["A"]), pd.Series([True]))
    assert (band, tier) == (["A"], ["senior-C"])


@pytest.mark.parametrize(
    ("employment", "years", "monthly"),
    [("聘用工", 12, 52), ("聘用工", 2, 0), ("聘用工", 16, 78), ("在册", 12, 0)],
)
def test_seniority_for_contract_staff_only(
    tmp_path, employment: str, years: int, monthly: int
) -> None:  # type: ignore[no-untyped-def]
    """Seed 004: 年功工资 for 聘用工 with 3 full years; ct-group's brackets 0-10:4, 10-15:6, 15+:8."""
    from amctl.policy.loader import load_policy
    from tests.helpers import CONTRACT_SENIORITY, SENIORITY, declared_policy

    policy = load_policy(declared_policy(tmp_path / "p.yaml", SENIORITY, CONTRACT_SENIORITY)).policy
    row = {"employee_id": "E1", "years_in_post": years, "employment": employment}
    lines = _run(policy, [row])
    assert lines.loc["E1", "seniority"] == Decimal(monthly * 3)  # a quarter: three months


def test_a_declared_column_the_data_does_not_give_stops_payroll_naming_it(tmp_path) -> None:  # type: ignore[no-untyped-def]
    from amctl.engine.pay import PayError
    from amctl.policy.loader import load_policy
    from tests.helpers import CONTRACT_SENIORITY, SENIORITY, declared_policy

    policy = load_policy(declared_policy(tmp_path / "p.yaml", SENIORITY, CONTRACT_SENIORITY)).policy
    rows = [
        {"employee_id": "E1", "years_in_post": 12, "employment": "聘用工"},
        {"employee_id": "T1", "years_in_post": 12, "employment": None},  # nothing known
    ]
    with pytest.raises(PayError) as info:
        _run(policy, rows)
    assert info.value.employees == ["T1"]
    assert "needs employment, which the data does not give" in info.value.message


def test_yes_no_and_dates_in_a_formula(tmp_path) -> None:  # type: ignore[no-untyped-def]
    from amctl.policy.loader import load_policy
    from tests.helpers import declared_policy

    award = (
        "      formula: base_post_wage",
        '      formula: "base_post_wage + (500 if award_best_sales else 0)'
        ' + 10 * years_since(work_start) + months_since(work_start)"',
    )
    policy = load_policy(declared_policy(tmp_path / "p.yaml", *award)).policy
    rows = [
        {"employee_id": "A", "award_best_sales": True, "work_start": dt.date(2014, 10, 1)},
        {"employee_id": "B", "award_best_sales": False, "work_start": dt.date(2014, 9, 30)},
    ]
    lines = _run(policy, rows)
    # A: 9 full years, 119 full months to 2024-09-30; B: 10 years, 120 months
    assert lines.loc["A", "base"] == (2200 + 500 + 90 + 119) * 3
    assert lines.loc["B", "base"] == (2200 + 0 + 100 + 120) * 3


@pytest.mark.parametrize(
    "values",
    [
        pd.Series([1.5, np.nan, -0.0, 1e-7, 12345.6789]),
        pd.Series([3, -2, 0]),
        pd.Series([True, False]),
        pd.Series(pd.array([1, None], dtype="Int64")),
        pd.Series(pd.array([1.25, None], dtype="Float64")),
        pd.Series(pd.array([True, None], dtype="boolean")),
        pd.Series([1.5, None, 2, np.float64(0.1), True], dtype=object),
        pd.Series([10**20, 1, np.float16(1.5), np.longdouble(2.25)], dtype=object),
        pd.Series(np.array([2**63 + 5, 0], dtype=np.uint64)),
    ],
)
def test_numbers_become_the_decimals_of_their_shortest_digits(values: pd.Series) -> None:
    """A float by its repr, a whole number as itself, a blank as NaN, whatever the column's
    dtype (numpy's, nullable, or mixed objects)."""
    from amctl.engine.pay import _decimals

    def one(v: object) -> Decimal:
        if v is None or v is pd.NA or (isinstance(v, float) and np.isnan(v)):
            return Decimal("NaN")
        if isinstance(v, bool | np.bool_):
            return Decimal(int(v))
        if isinstance(v, float | np.floating):
            return Decimal(repr(float(v)))
        return Decimal(int(str(v)))

    got = _decimals(values).tolist()
    want = [one(v) for v in values.astype(object)]
    assert [str(g) for g in got] == [str(w) for w in want]


@given(
    st.lists(st.sampled_from([0.1, 0.0, -0.0, 2.5, float("nan"), 1e300, 7.0]), max_size=40),
    st.sampled_from(["float64", "int64"]),
)
def test_the_codes_pay_groups_by_are_those_of_the_decimals_made(
    picks: list[float], dtype: str
) -> None:
    """A number column's codes, kept as its decimals are made per distinct value, are the
    codes `compute` would find by hashing the decimals it made (equal codes: the very same
    Decimal, -0.0 apart from 0.0)."""
    from amctl.engine.pay import _coded, _coded_decimals

    numbers = pd.Series(picks, dtype="float64")
    values = numbers if dtype == "float64" else numbers.fillna(3).clip(-9, 9).astype(dtype)
    made, codes = _coded_decimals(values)
    assert codes is not None
    assert codes.tolist() == _coded(made).tolist()  # type: ignore[union-attr]


@given(
    st.lists(st.sampled_from([0.1, 0.0, -0.0, 2.5, float("nan"), 1e300, 7.0]), max_size=40),
    st.sampled_from(["float64", "int64", "bool"]),
    st.data(),
)
def test_a_deferred_column_gives_the_decimals_made_whole(
    picks: list[float], dtype: str, data: st.DataObject
) -> None:
    """A column too distinct to share its Decimals is kept as its numbers (pay._Deferred):
    any rows of it give the digits the whole column's Decimals have there, -0.0 and NaN
    included, and its codes are those of the column made whole."""
    from amctl.engine import pay

    numbers = pd.Series(picks, dtype="float64")
    values = numbers if dtype == "float64" else numbers.fillna(3).clip(-9, 9).astype(dtype)
    whole, codes = pay._coded_decimals(values)
    saved = pay._BLOCK, pay._GROUPED
    pay._BLOCK, pay._GROUPED = 0, 0.0  # every column with a row is too distinct here
    try:
        deferred, deferred_codes = pay._coded_decimals(values, defer=True)
    finally:
        pay._BLOCK, pay._GROUPED = saved
    assert len(picks) == 0 or isinstance(deferred, pay._Deferred)
    assert codes is not None and deferred_codes is not None
    assert deferred_codes.tolist() == codes.tolist()
    start = data.draw(st.integers(0, len(picks)))
    rows = slice(start, data.draw(st.integers(start, len(picks))))
    assert [str(v) for v in deferred[rows]] == [str(v) for v in whole[rows]]
    picked = np.array(data.draw(st.lists(st.integers(0, max(len(picks) - 1, 0)))), dtype=int)
    if len(picks):
        assert [str(v) for v in deferred[picked]] == [str(v) for v in whole[picked]]


@settings(max_examples=300, deadline=None)
@given(
    st.decimals(min_value=-(10**9), max_value=10**9, allow_nan=False, places=6),
    st.sampled_from(["0.01", "0.1", "0.001", "0.10", "0.05", "1", "10"]),
    st.sampled_from(sorted(ROUNDING)),
)
def test_round_to_is_steps_of_the_quantum_to_the_last_digit(
    value: Decimal, quantum: str, mode: str
) -> None:
    """The one-call rounding of a power of ten gives the steps' result, exponent and sign
    of zero included (what the payroll shows is its text)."""
    import decimal

    from amctl.engine.pay import round_to
    from amctl.formula.evaluate import CONTEXT

    q = Decimal(quantum)
    with decimal.localcontext(CONTEXT):
        steps = (value / q).quantize(Decimal(1), rounding=ROUNDING[mode])
        expected = (steps * q).quantize(q, rounding=decimal.ROUND_HALF_EVEN) if q < 1 else steps * q
        column = round_to(np.array([value], dtype=object), q, ROUNDING[mode])
        assert str(column[0]) == str(expected)
        assert str(round_to(value, q, ROUNDING[mode])) == str(expected)


def test_a_full_periods_amount_is_prorated_as_explain_works_it(default_policy) -> None:  # type: ignore[no-untyped-def]
    """× days ÷ the same days is not always the value at 50 digits (1000 / 22 * 22 over
    January's 31 days comes back as 1000): the payroll prorates every row, as explain's
    worked pay does, so the two agree."""
    from amctl.engine.pay import worked
    from amctl.policy.models import Rounding

    policy = _with_pay(
        default_policy.policy,
        per="period",
        rounding=Rounding(quantum=Decimal("0.01"), mode="down"),
        parameters={"a": Decimal("1000")},
        components={"x": Component(formula="a / 22 * 22")},
    )
    january = PayPeriod(dt.date(2024, 1, 1), dt.date(2024, 1, 31), 1)
    assert policy.pay is not None
    formulas, _ = compile_pay(policy, policy.pay)
    data = _data([{"employee_id": "E1"}])
    lines = compute(policy, formulas, data, january)
    shown = worked(policy, formulas, data, january)
    assert lines.loc["E1", "days"] == 31
    assert lines.loc["E1", "x"] == shown["x"]["amount"] == Decimal("1000.00")


_NEAR = Decimal(10) ** 12
_AMOUNTS = st.one_of(
    st.decimals(
        allow_nan=False, allow_infinity=False, places=2, min_value=-(10**6), max_value=10**6
    ),
    st.sampled_from(
        [
            _NEAR,
            -_NEAR,
            _NEAR + Decimal("0.01"),
            -_NEAR - Decimal("0.01"),
            _NEAR - Decimal("0.01"),
            _NEAR + Decimal("1e-30"),
            _NEAR - Decimal("1e-30"),
            Decimal("1e400"),
            Decimal("-1e400"),
            Decimal("NaN"),
            Decimal("Infinity"),
            Decimal("-Infinity"),
            Decimal("-0"),
        ]
    ),
)


@settings(max_examples=300, deadline=None)
@given(st.lists(_AMOUNTS, max_size=30))
@example([Decimal("1000000000000.00"), Decimal("-1000000000000.01"), Decimal("-5.00")])
def test_amounts_beyond_the_bound_are_those_decimals_find(amounts: list[Decimal]) -> None:
    """Found on floats and then checked exactly: the same rows as every amount compared as
    a decimal, right at the bound, a hair either side of it, past a float's range, NaN."""
    import decimal

    from amctl.engine.amounts import of_decimals
    from amctl.engine.pay import MAX_AMOUNT, _beyond, _past
    from amctl.formula.evaluate import CONTEXT, non_finite

    column = np.empty(len(amounts), dtype=object)
    column[:] = amounts
    with decimal.localcontext(CONTEXT):
        every = {*non_finite(column), *np.flatnonzero(abs(column) > MAX_AMOUNT).tolist()}
        assert _beyond(column) == sorted(every)
        made = of_decimals(column)  # from the whole numbers, when the amounts have them
        if made is not None and made.values is not None:
            assert _past(made) == sorted(every)


FORMULAS = [
    "base_post_wage",
    "floating_wage[level]",
    "performance * 10",
    "100 / (years_in_post - 9)",  # ÷0 for some: the error names the same managers
    "sales / sales_target * 1000 if level != 'trainee' else 0",
    "(performance - 80) * 0.001",  # -0.0 and 0.0 give -0.000 and 0.000: not one input
    "benefit_base * benefit_coefficient[pay_tier] * round(clamp(performance / 80, 0.6, 1.2), 4)",
    "unit_sum(performance) / unit_count()",  # a total over the unit: never grouped
    "unit_bonus[org_unit] + first * 2",  # none for 二部: names them; reads an earlier one
]


@settings(max_examples=200, deadline=None)
@given(st.data())
def test_inputs_worked_once_each_give_what_every_row_worked_gives(
    default_policy,  # type: ignore[no-untyped-def]
    data: st.DataObject,
) -> None:
    """Components whose inputs repeat are worked once per distinct input (pay._Groups); the
    amounts, their digits, and the managers an error names are those of working every row."""
    n = data.draw(st.integers(1, 40))
    scores = st.sampled_from([80.0, 0.0, -0.0, 85.5, 61.25, float("nan")])
    rows = [
        {
            "employee_id": f"E{i:02d}",
            "level": data.draw(st.sampled_from(["mid", "junior"])),
            "performance": data.draw(scores),
            "years_in_post": data.draw(st.sampled_from([3, 9, 12])),
            "sales": data.draw(st.sampled_from([300.0, 120.5, float(i)])),
            "leave_date": data.draw(st.sampled_from([None, dt.date(2024, 8, 15)])),
            "org_unit": data.draw(st.sampled_from(["一部", "二部"])),
        }
        for i in range(n)
    ]
    chosen = data.draw(st.lists(st.sampled_from(FORMULAS), min_size=1, max_size=4, unique=True))
    components = {"first": Component(formula="performance * 10 + sales")}  # read by a later one
    components |= {
        f"c{k}": Component(formula=f, prorate=data.draw(st.booleans()))
        for k, f in enumerate(chosen)
    }
    tables = {**default_policy.policy.pay.tables, "unit_bonus": {"一部": Decimal(100)}}
    policy = _with_pay(default_policy.policy, components=components, tables=tables)
    grouped, whole = _grouped_and_whole(policy, rows)
    assert grouped == whole


def _grouped_and_whole(policy: Policy, rows: list[dict[str, object]]) -> tuple[object, object]:
    """Each amount's digits (or the error) with inputs worked once each, and every row; both
    also worked three rows at a time (pay._BLOCK), which must give the very same."""
    from amctl.engine import pay

    def outcome(grouped: float, block: int) -> object:
        saved = pay._GROUPED, pay._BLOCK
        pay._GROUPED, pay._BLOCK = grouped, block
        try:
            lines = _run(policy, rows)
        except pay.PayError as exc:
            return exc.message
        finally:
            pay._GROUPED, pay._BLOCK = saved
        return {c: [str(v) for v in lines[c].tolist()] for c in lines.columns}

    grouped, whole = outcome(pay._GROUPED, pay._BLOCK), outcome(0.0, pay._BLOCK)  # 0: every row
    assert outcome(pay._GROUPED, 3) == grouped and outcome(0.0, 3) == whole
    return grouped, whole


def test_minus_zero_and_zero_are_not_one_input(default_policy) -> None:  # type: ignore[no-untyped-def]
    policy = _with_pay(
        default_policy.policy, components={"c": Component(formula="performance * 10")}
    )
    rows = [{"employee_id": f"E{i}", "performance": [0.0, -0.0][i % 2]} for i in range(10)]
    grouped, whole = _grouped_and_whole(policy, rows)
    assert grouped == whole
    assert grouped["c"][:2] == ["0.00", "-0.00"]  # type: ignore[index]


def test_each_text_a_formula_reads_is_the_managers_own(default_policy) -> None:  # type: ignore[no-untyped-def]
    """The text columns are made only for the formulas that read them (environment): each
    one read is the manager's, a trainee's missing band read as the trainee band."""
    words = {
        "level": "mid",
        "band": "A",
        "tier": "mid-A",
        "pay_band": "A",
        "pay_tier": "mid-A",
        "education": "本科",
        "org_unit": "一部",
    }
    components = {
        f"is_{name}": Component(
            formula=f"1 if {name} == '{word}' else 2", prorate=False, per="period"
        )
        for name, word in words.items()
    }
    components["is_trainee_band"] = Component(
        formula="1 if band == 'trainee' else 2", prorate=False, per="period"
    )
    policy = _with_pay(default_policy.policy, components=components)
    rows = [
        {"employee_id": "M", "level": "mid", "band": "A", "education": "本科", "org_unit": "一部"},
        {
            "employee_id": "J",
            "level": "junior",
            "band": "B",
            "education": "大专",
            "org_unit": "二部",
        },
        {
            "employee_id": "T",
            "level": "trainee",
            "band": None,
            "education": "本科",
            "org_unit": "三部",
        },
    ]
    lines = _run(policy, rows)
    got = {name: [int(v) for v in lines[name]] for name in components}
    assert got == {
        "is_level": [1, 2, 2],
        "is_band": [1, 2, 2],
        "is_tier": [1, 2, 2],
        "is_pay_band": [1, 2, 2],
        "is_pay_tier": [1, 2, 2],
        "is_education": [1, 2, 1],
        "is_org_unit": [1, 2, 2],
        "is_trainee_band": [2, 2, 1],
    }


@pytest.mark.parametrize("amounts", [None, {}])
def test_an_amount_past_the_bound_stops_the_run_naming_the_managers(
    default_policy, amounts
) -> None:  # type: ignore[no-untyped-def]
    """Told from the Decimals, or from the amounts' whole numbers when pay makes them: the
    same managers, whether their amounts are their own (sales) or shared (a constant)."""
    from amctl.engine.pay import PayError

    policy = default_policy.policy
    rows = [
        {"employee_id": "E1", "sales": 1.0},
        {"employee_id": "E2", "sales": 2.0e12},
        {"employee_id": "E3", "sales": 1.0e12},
    ]
    for formula, who in (("sales", r"\(for E2\)"), ("performance * 2e10", r"\(for E1, E2, E3\)")):
        bad = _with_pay(policy, per="period", components={"big": Component(formula=formula)})
        assert bad.pay is not None
        formulas, _ = compile_pay(bad, bad.pay)
        with pytest.raises(PayError, match=who):
            compute(bad, formulas, _data(rows), Q3, amounts)
