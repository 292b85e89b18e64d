"""The formula area's messages: worded in Chinese for policy owners, the English unchanged."""

from __future__ import annotations

import datetime as dt
import re
from decimal import Decimal
from typing import Any

import numpy as np
import pandas as pd
import pytest

from amctl.engine.pay import PayError, PayPeriod, compute
from amctl.formula import compile as formula_compile
from amctl.formula.compile import FormulaError, Scope, compile_formula
from amctl.formula.evaluate import Env, EvalError, column, evaluate
from amctl.messages import say
from amctl.messages.formula import MESSAGES
from amctl.policy.models import Bracket, Component, Policy
from amctl.policy.payformulas import compile_pay
from tests.formula.test_compile import HOSTILE, SCOPE
from tests.helpers import PAY_ROW, assert_storable, english_prose, template_fields

CJK = re.compile(r"[\u4e00-\u9fff]")


@pytest.mark.parametrize("key", list(MESSAGES))
def test_both_languages_name_the_same_values(key: str) -> None:
    zh, en = MESSAGES[key]
    assert key.startswith("formula.")
    assert template_fields(zh) == template_fields(en), key


@pytest.mark.parametrize("key", list(MESSAGES))
def test_chinese_templates_have_no_englishenglish_prose(key: str) -> None:
    zh, _ = MESSAGES[key]
    assert english_prose(zh) is None, (key, english_prose(zh))


def test_every_refused_construct_has_its_words() -> None:
    for construct in formula_compile._REFUSED.values():
        assert f"formula.construct.{construct}" in MESSAGES


def _refusal(text: str, scope: Scope = SCOPE) -> FormulaError:
    with pytest.raises(FormulaError) as info:
        compile_formula(text, scope)
    return info.value


@pytest.mark.parametrize(("text", "rule", "fragment"), HOSTILE, ids=[h[0][:30] for h in HOSTILE])
def test_every_hostile_formula_is_refused_in_chinese_too(
    text: str, rule: str, fragment: str
) -> None:
    exc = _refusal(text)
    assert_storable(exc.said)
    assert exc.message == str(exc) == say(exc.said)
    assert fragment in exc.message  # the English as the formula tests read it
    zh = say(exc.said, "zh")
    assert CJK.search(zh), zh
    for quoted in re.findall(r"'[^']*'", exc.message):  # the user's words stay as written
        assert quoted in zh, (quoted, zh)


def test_an_unknown_name_keeps_the_name_and_the_hint() -> None:
    scope = Scope({"base_post_wage": "num"}, {}, {}, frozenset())
    exc = _refusal("base_wage * 2", scope)
    assert exc.message == "unknown name 'base_wage'; did you mean 'base_post_wage'?"
    assert say(exc.said, "zh") == "未知名称 'base_wage'；是不是 'base_post_wage'？"
    exc = _refusal("zzz", scope)
    assert exc.message == "unknown name 'zzz'; see the README's list of formula names"
    assert say(exc.said, "zh").startswith("未知名称 'zzz'；")


def test_a_wrong_type_names_the_operator_and_both_types() -> None:
    exc = _refusal("level + 1")
    assert exc.message == "the left side of + must be a number, not text"
    assert say(exc.said, "zh") == "+ 的左边必须是数字，不能是文本"
    exc = _refusal("wage[level] if rural else 'x'")
    assert exc.message == "both branches of if/else must give the same type (num vs str)"
    assert say(exc.said, "zh") == "if/else 的两个分支必须给出同一类型（数字 与 文本）"


def test_a_value_never_taken_lists_the_values() -> None:
    exc = _refusal("x if level == 'seniro' else 0")
    assert exc.message == "'seniro' is never a value of level (junior, mid, senior, trainee)"
    assert say(exc.said, "zh") == "'seniro' 不是 level 可能的取值（junior、mid、senior、trainee）"


def test_full_width_letters_are_named_as_written() -> None:
    exc = _refusal("ｂａｓｅ + 1", Scope({"base": "num"}, {}, {}, frozenset()))
    assert exc.rule == "AMF010"
    assert exc.message == (
        "'ｂａｓｅ' is not a plain ASCII name, which Python would read as 'base'; "
        "type names in ASCII letters, digits and _"
    )
    zh = say(exc.said, "zh")
    assert "'ｂａｓｅ'" in zh and "'base'" in zh and "不是纯 ASCII 名称" in zh


def test_a_missing_row_at_run_time() -> None:
    scope = Scope({"level": "str"}, {}, {"wage": frozenset({"mid"})}, frozenset())
    formula = compile_formula("wage[level]", scope)
    env = Env({"level": column(["mid", "chief", "boss"])}, {"wage": {"mid": Decimal(1)}}, {}, 3)
    with pytest.raises(EvalError) as info:
        evaluate(formula.tree, env)
    exc = info.value
    assert_storable(exc.said)
    assert exc.rows == [1, 2]
    assert exc.message == str(exc) == "table wage has no row for boss, chief"
    assert say(exc.said, "zh") == "表 wage 没有 boss、chief 这几行"


# --- a policy's components ---------------------------------------------------------------


def _with_pay(policy: Policy, **changes: object) -> Policy:
    assert policy.pay is not None
    return policy.model_copy(update={"pay": policy.pay.model_copy(update=changes)})


def _problems(policy: Policy) -> list[Any]:
    assert policy.pay is not None
    _, problems = compile_pay(policy, policy.pay)
    for p in problems:
        assert_storable(p.said)
    return problems


def test_a_components_refusal_is_prefixed_with_the_component(default_policy) -> None:  # type: ignore[no-untyped-def]
    pay = default_policy.policy.pay
    components = {**pay.components, "base": Component(formula="floating_wage['chief']")}
    (problem,) = _problems(_with_pay(default_policy.policy, components=components))
    assert problem.rule == "AMF006"
    assert problem.message == "component base: table floating_wage has no row 'chief'"
    assert say(problem.said, "zh") == "薪酬项 base：表 floating_wage 没有 'chief' 这一行"


def test_a_component_giving_text_and_a_shadowed_name(default_policy) -> None:  # type: ignore[no-untyped-def]
    pay = default_policy.policy.pay
    policy = _with_pay(
        default_policy.policy,
        parameters={**pay.parameters, "composite": Decimal(3)},
        components={**pay.components, "base": Component(formula="level")},
    )
    messages = {p.message: say(p.said, "zh") for p in _problems(policy)}
    assert messages == {
        "'composite' is already a built-in formula name; choose another name": (
            "'composite' 已是内置的公式名称；请换一个名称"
        ),
        "component base must give an amount, not str": "薪酬项 base 必须给出金额，不能是文本",
    }


@pytest.mark.parametrize(
    ("start", "english", "chinese"),
    [
        (
            11,
            "seniority_rates: gap between 10 and 11 (bracket 2); "
            "each bracket must start where the previous one ends",
            "seniority_rates：10 与 11 之间有空档（第 2 段）；每一段都必须从上一段的终点开始",
        ),
        (
            9,
            "seniority_rates: overlap between 10 and 9 (bracket 2); "
            "each bracket must start where the previous one ends",
            "seniority_rates：10 与 9 之间有重叠（第 2 段）；每一段都必须从上一段的终点开始",
        ),
    ],
)
def test_bracket_gaps_and_overlaps(default_policy, start: int, english: str, chinese: str) -> None:  # type: ignore[no-untyped-def]
    rates = [
        Bracket(from_=Decimal(0), to=Decimal(10), rate=Decimal(4)),
        Bracket(from_=Decimal(start), to=Decimal(15), rate=Decimal(6)),
        Bracket(from_=Decimal(15), rate=Decimal(8)),
    ]
    pay = default_policy.policy.pay
    policy = _with_pay(default_policy.policy, brackets={**pay.brackets, "seniority_rates": rates})
    (problem,) = _problems(policy)
    assert (problem.rule, problem.message, say(problem.said, "zh")) == ("AMC030", english, chinese)


# --- computing pay -----------------------------------------------------------------------

Q3 = PayPeriod(dt.date(2024, 7, 1), dt.date(2024, 9, 30), 3)


def _pay(policy: Policy, ids: list[str], **row: object) -> None:
    assert policy.pay is not None
    formulas, problems = compile_pay(policy, policy.pay)
    assert problems == []
    base = PAY_ROW
    data = pd.DataFrame([{**base, **row, "employee_id": i} for i in ids]).set_index("employee_id")
    compute(policy, formulas, data, Q3)


def test_a_division_by_zero_names_every_manager(default_policy) -> None:  # type: ignore[no-untyped-def]
    policy = _with_pay(
        default_policy.policy, components={"bad": Component(formula="100 / (years_in_post - 9)")}
    )
    ids = [f"员工{i:02d}" for i in range(12)]
    with pytest.raises(PayError) as info:
        _pay(policy, ids)
    exc = info.value
    assert_storable(exc.said)
    shown = ", ".join(ids[:10])
    assert (
        str(exc)
        == exc.message
        == (
            "component bad: the result is not a number (a division by zero, or a number out of "
            f"range) (for {shown} and 2 more)"
        )
    )
    assert say(exc.said, "zh") == (
        "薪酬项 bad：结果不是数字（除以零，或数字超出范围）"
        f"（涉及 {'、'.join(ids[:10])} 及另外 2 人）"
    )


def test_a_missing_input_is_named(default_policy) -> None:  # type: ignore[no-untyped-def]
    policy = _with_pay(
        default_policy.policy,
        components={"bonus": Component(formula="100 if performance >= 80 else 0")},
    )
    with pytest.raises(PayError) as info:
        _pay(policy, ["T"], performance=np.nan)
    assert (
        str(info.value)
        == "component bonus: needs performance, which the data does not give (for T)"
    )
    assert (
        say(info.value.said, "zh") == "薪酬项 bonus：需要 performance，但数据中没有这些值（涉及 T）"
    )
