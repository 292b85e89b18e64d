"""`policy check` refuses hostile and broken pay formulas, pointing at the formula's file:line:col."""

from __future__ import annotations

import json
from pathlib import Path

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
    line = _formula_line(path)
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


FORMULAS_ON_COLUMNS = [  # (formula, rule, English fragment, column of the problem in the text)
    (
        "50 if employment == '临时工' else 0",
        "AMF006",
        "'临时工' is never a value of employment",
        20,
    ),
    ("years_since(sales)", "AMF003", "years_since() takes the name of a date column", 12),
    ("work_start + 1", "AMF003", "'work_start' is a date: use it as years_since(work_start)", 0),
    ("months_since(work_start + 1)", "AMF003", "months_since() takes the name of a date", 13),
    ("award_best_sales + 1", "AMF003", "must be a number, not a condition", 0),
    ("employment * 2", "AMF003", "must be a number, not text", 0),
    ("500 if employmnt == '聘用工' else 0", "AMF002", "did you mean 'employment'?", 7),
]


@pytest.mark.parametrize(("formula", "rule", "fragment", "col"), FORMULAS_ON_COLUMNS)
def test_policy_check_types_the_declared_columns(
    tmp_path, formula: str, rule: str, fragment: str, col: int
) -> None:  # type: ignore[no-untyped-def]
    from tests.helpers import declared_policy

    path = declared_policy(
        tmp_path / "p.yaml", TARGET, f"      formula: {json.dumps(formula, ensure_ascii=False)}"
    )
    line = _formula_line(path)
    result = runner.invoke(app, ["policy", "check", str(path)])
    assert result.exit_code == 1, result.output
    first = result.output.splitlines()[0]
    value_col = len('      formula: "') + 1
    assert first.startswith(f"{path}:{line}:{value_col + col}:"), first
    assert f"[{rule}]" in first and fragment in first, first


def test_declared_columns_type_check_in_a_formula(tmp_path) -> None:  # type: ignore[no-untyped-def]
    from tests.helpers import CONTRACT_SENIORITY, SENIORITY, declared_policy

    formula = "500 if award_best_sales and months_since(work_start) >= 6 else 0"
    path = declared_policy(
        tmp_path / "p.yaml", SENIORITY, CONTRACT_SENIORITY, TARGET, f'      formula: "{formula}"'
    )
    result = runner.invoke(app, ["policy", "check", str(path)])
    assert result.exit_code == 0, result.output


@pytest.mark.parametrize(("years", "negative"), [(12, True), (40, False)])
def test_the_pay_probe_counts_years_since_a_date(tmp_path, years: int, negative: bool) -> None:  # type: ignore[no-untyped-def]
    """policy check probes pay over lists, a date column held as dates the row's years in post
    ago (up to 25): years_since counts them there as a run does, never unknown."""
    from tests.helpers import declared_policy

    formula = f"base_post_wage - 9000 if years_since(work_start) >= {years} else base_post_wage"
    path = declared_policy(tmp_path / "p.yaml", TARGET, f'      formula: "{formula}"')
    result = runner.invoke(app, ["policy", "check", str(path)])
    assert ("[AMC041]" in result.output) is negative, result.output
    assert result.exit_code == (1 if negative else 0), result.output


CONDITIONS = [  # (when, rule, English fragment)
    (
        "years_since(work_start)",
        "AMF003",
        "must be a condition (e.g. years_since(work_start) >= 8)",
    ),
    ("level == 'senior'", "AMF002", "unknown name 'level'"),
    ("years_since(post_start) >= 8", "AMF003", "takes the name of a date column (declared"),
    ("employment == '合同工'", "AMF006", "'合同工' is never a value of employment"),
    ("floating_wage['mid'] > 0", "AMF003", "only tables can be indexed"),
]


@pytest.mark.parametrize(("when", "rule", "fragment"), CONDITIONS)
def test_policy_check_refuses_a_condition_at_its_line(
    tmp_path, when: str, rule: str, fragment: str
) -> None:  # type: ignore[no-untyped-def]
    from tests.helpers import SENIOR_GATES, WORK_YEARS_GATE, declared_policy

    gate = WORK_YEARS_GATE.replace("years_since(work_start) >= 8", when)
    path = declared_policy(tmp_path / "p.yaml", SENIOR_GATES, gate)
    line = next(
        i for i, t in enumerate(path.read_text(encoding="utf-8").splitlines(), 1) if "when:" in t
    )
    result = runner.invoke(app, ["policy", "check", str(path)])
    assert result.exit_code == 1, result.output
    first = result.output.splitlines()[0]
    assert first.startswith(f"{path}:{line}:"), first
    assert f"[{rule}]" in first and fragment in first, first
    assert "level senior, condition '工作年限满 8 年'" in first


def test_a_condition_on_the_lowest_level_is_refused(tmp_path) -> None:  # type: ignore[no-untyped-def]
    from tests.helpers import declared_policy

    lowest = "    quota: {max: 30}             # seed 004: 不超过总数的 30%\n"
    gate = (
        lowest + "    eligibility:\n      conditions:\n"
        "        - {label: 聘用工, when: \"employment == '聘用工'\"}\n"
    )
    path = declared_policy(tmp_path / "p.yaml", lowest, gate)
    result = runner.invoke(app, ["policy", "check", str(path)])
    assert result.exit_code == 1 and "[AMC019]" in result.output, result.output


def _formula_line(path: Path) -> int:
    """The line of the formula a test wrote into its policy."""
    lines = path.read_text(encoding="utf-8").splitlines()
    return next(i for i, t in enumerate(lines, 1) if t.startswith('      formula: "'))
