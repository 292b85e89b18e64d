"""`policy check` refuses hostile and broken pay formulas, pointing at the formula's file:line:col."""

from __future__ import annotations

import json

import pytest
from typer.testing import CliRunner

from amctl.cli.app import app
from tests.formula.test_compile import HOSTILE

runner = CliRunner()
NAMES = {
    "x": "years_in_post",
    "y": "composite",
    "wage": "floating_wage",
    "rates": "seniority_rates",
    "later": "benefit",
}
TARGET = "      formula: base_post_wage"


def _in_policy_names(text: str) -> str:
    out = text
    for short, real in NAMES.items():
        out = (
            out.replace(f"{short}[", f"{real}[")
            .replace(f"({short},", f"({real},")
            .replace(f"{short} ", f"{real} ")
        )
        out = out.replace(f", {short})", f", {real})").replace(f"{short}.", f"{real}.")
        if out.strip() == short or out.startswith(f"{short} ") or out.endswith(f" {short}"):
            out = out.replace(short, real)
    return out


@pytest.mark.parametrize(("text", "rule", "fragment"), HOSTILE, ids=[h[0][:30] for h in HOSTILE])
def test_policy_check_refuses_hostile_formulas_with_their_place(
    write_policy, text: str, rule: str, fragment: str
) -> None:  # type: ignore[no-untyped-def]
    formula = _in_policy_names(text)
    path = write_policy(TARGET, f"      formula: {json.dumps(formula, ensure_ascii=False)}")
    line = next(
        i
        for i, t in enumerate(path.read_text(encoding="utf-8").splitlines(), 1)
        if t.startswith('      formula: "')
    )
    result = runner.invoke(app, ["policy", "check", str(path)])
    assert result.exit_code == 1, result.output
    first = result.output.splitlines()[0]
    assert first.startswith(f"{path}:{line}:"), first
    assert f"[{rule}]" in first and "component base:" in first


def test_the_column_points_into_the_formula(write_policy) -> None:  # type: ignore[no-untyped-def]
    path = write_policy(TARGET, "      formula: \"base_post_wage + floating_wage['nobody']\"")
    result = runner.invoke(app, ["policy", "check", str(path)])
    value_col = len('      formula: "') + 1  # 1-based column of the text after the quote
    line = next(
        i for i, t in enumerate(path.read_text(encoding="utf-8").splitlines(), 1) if "nobody" in t
    )
    assert result.output.startswith(
        f"{path}:{line}:{value_col + len('base_post_wage + ')}: error: component base: table floating_wage has no row 'nobody'"
    )


def test_a_table_missing_a_tier_is_found(write_policy) -> None:  # type: ignore[no-untyped-def]
    path = write_policy("      junior-C: 0.80\n", "")
    result = runner.invoke(app, ["policy", "check", str(path)])
    assert result.exit_code == 1
    assert (
        "table benefit_coefficient has no row for junior-C (a value of pay_tier); add it [AMF006]"
        in result.output
    )


def test_forward_references_and_cycles_are_found(write_policy) -> None:  # type: ignore[no-untyped-def]
    path = write_policy(
        "      formula: floating_wage[level]", "      formula: floating_wage[level] + seniority"
    )
    result = runner.invoke(app, ["policy", "check", str(path)])
    assert result.exit_code == 1
    assert "component floating: 'seniority' is a component defined later" in result.output
    assert "[AMF008]" in result.output


@pytest.mark.parametrize(
    ("old", "new", "message"),
    [
        (
            "- {from: 10, to: 15, rate: 6}",
            "- {from: 11, to: 15, rate: 6}",
            "seniority_rates: gap between 10 and 11",
        ),
        (
            "- {from: 10, to: 15, rate: 6}",
            "- {from: 9, to: 15, rate: 6}",
            "seniority_rates: overlap between 10 and 9",
        ),
        (
            "- {from: 0, to: 10, rate: 4}",
            "- {from: 0, rate: 4}",
            "only the last bracket may be open-ended",
        ),
    ],
)
def test_bracket_tables_have_no_gaps_or_overlaps(
    write_policy, old: str, new: str, message: str
) -> None:  # type: ignore[no-untyped-def]
    path = write_policy(old, new)
    result = runner.invoke(app, ["policy", "check", str(path)])
    assert result.exit_code == 1
    assert message in result.output and "[AMC030]" in result.output


def test_parameter_shadowing_a_builtin_is_refused(write_policy) -> None:  # type: ignore[no-untyped-def]
    path = write_policy("    benefit_base: 1500", "    benefit_base: 1500\n    composite: 3")
    result = runner.invoke(app, ["policy", "check", str(path)])
    assert (
        result.exit_code == 1 and "'composite' is already a built-in formula name" in result.output
    )


def test_a_policy_needs_at_least_one_component(write_policy) -> None:  # type: ignore[no-untyped-def]
    path = write_policy("  components:\n", "  components: {}\n  old_components:\n")
    result = runner.invoke(app, ["policy", "check", str(path)])
    assert result.exit_code == 1
    assert "pay.components" in result.output


def test_a_parameter_and_a_component_cannot_share_a_name(write_policy) -> None:  # type: ignore[no-untyped-def]
    path = write_policy("    benefit_base: 1500", "    benefit_base: 1500\n    floating: 5")
    result = runner.invoke(app, ["policy", "check", str(path)])
    assert (
        result.exit_code == 1 and "'floating' is both a parameter and a component" in result.output
    )


def test_extra_aliases_for_a_builtin_column_keep_its_type(write_policy) -> None:  # type: ignore[no-untyped-def]
    from tests.helpers import EXAMPLE

    path = write_policy("columns:\n", "columns:\n  education: [最高学历]\n")
    result = runner.invoke(app, ["policy", "check", str(path)])
    assert result.exit_code == 0, result.output
    result = runner.invoke(
        app, ["payroll", str(EXAMPLE), "--quarter", "2024Q3", "--policy", str(path)]
    )
    assert result.exit_code == 0, result.output
