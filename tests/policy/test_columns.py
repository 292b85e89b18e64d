"""The policy's own columns: the short and the long form, their types, and every mistake in
them refused at its line."""

from __future__ import annotations

from pathlib import Path

import pytest

from amctl.policy.columns import yes_no
from amctl.policy.loader import inspect_policy, load_policy
from amctl.policy.models import column_default
from amctl.policy.payformulas import variables
from tests.helpers import DEFAULT_POLICY, declared_policy


def test_the_long_form_declares_type_table_and_default(tmp_path: Path) -> None:
    path = declared_policy(
        tmp_path / "p.yaml", "    table: roster\n", "    table: roster\n    default: 在册\n"
    )
    policy = load_policy(path).policy
    sales, employment = policy.columns["sales"], policy.columns["employment"]
    assert (sales.type, sales.source, sales.aliases[0]) == ("number", "performance", "销售额")
    assert (employment.type, employment.source, employment.choices) == (
        "choice",
        "roster",
        ["聘用工", "在册"],
    )
    assert column_default(employment) == "在册"
    assert policy.columns["work_start"].source == "roster"
    assert policy.columns["award_best_sales"].source == "roster"  # not a number: the roster
    kinds, domains = variables(policy)
    assert (kinds["employment"], kinds["work_start"], kinds["award_best_sales"]) == (
        "str",
        "date",
        "bool",
    )
    assert kinds["sales"] == "num" and domains["employment"] == {"聘用工", "在册"}


def test_the_bundled_policy_reads_as_before(default_policy) -> None:  # type: ignore[no-untyped-def]
    columns = default_policy.policy.columns
    assert all(c.type == "number" and c.source == "performance" for c in columns.values())
    assert all(c.default is None and c.choices is None for c in columns.values())


@pytest.mark.parametrize(
    ("word", "truth"),
    [
        *[("是", True), ("否", False), ("有", True), ("无", False), ("Y", True), ("n", False)],
        *[("YES", True), ("no", False), ("TRUE", True), ("false", False), ("1", True)],
        *[("０", False), ("maybe", None), ("√", None), ("", None)],
    ],
)
def test_the_yes_no_words(word: str, truth: bool | None) -> None:
    assert yes_no(word) is truth


def _line(path: Path, needle: str) -> int:
    lines = path.read_text(encoding="utf-8").splitlines()
    return next(n for n, line in enumerate(lines, 1) if needle in line)


EMPLOYMENT = "    choices: [聘用工, 在册]\n    table: roster\n"
BAD = [  # (edit old, edit new, rule, English fragment, the line it is found at)
    (EMPLOYMENT, "    table: roster\n", "AMC006", "type: choice needs choices", "employment:"),
    (
        "type: date, table: roster}",
        "type: text, choices: [a], table: roster}",
        "AMC006",
        "choices is only for type: choice, and this column is text",
        "work_start:",
    ),
    (
        EMPLOYMENT,
        EMPLOYMENT + "    default: 临时工\n",
        "AMC006",
        "default '临时工' is not one of the choices (聘用工, 在册)",
        "employment:",
    ),
    (
        "type: date, table: roster}",
        "type: date, table: roster, default: 2020-01-01}",
        "AMC006",
        "a date column takes no default",
        "work_start:",
    ),
    (
        "type: yesno}",
        "type: yesno, default: maybe}",
        "AMC006",
        "default 'maybe' is not a value of a yesno column",
        "award_best_sales:",
    ),
    (
        "type: yesno}",
        "type: yesno, default: '0.5'}",
        "AMC006",
        "default '0.5' is not a value of a yesno column",
        "award_best_sales:",
    ),
    ("type: yesno}", "type: bool}", "AMC006", "'number', 'text', 'choice', 'yesno'", "bool"),
    ("type: yesno}", "typ: yesno}", "AMC004", "did you mean 'type'?", "typ:"),
    ("type: date, table: roster}", "type: date, table: payroll}", "AMC006", "roster", "payroll"),
    (
        "columns:\n",
        "columns:\n  education: {aliases: [最高学历], type: text}\n",
        "AMC006",
        "columns.education is a built-in column, which takes extra header texts only",
        "education: {aliases",
    ),
    (
        "columns:\n",
        "columns:\n  years_in_post: {aliases: [司龄], type: number, table: roster}\n",
        "AMC016",
        "'years_in_post' is a name amctl computes",
        "years_in_post: {aliases",
    ),
    (
        "[参加工作日期, 参加工作时间]",
        "[参加工作日期, 部门]",
        "AMC016",
        "header '部门' already means the built-in column org_unit",
        "work_start:",
    ),
    (
        "  sales: [销售额, 销售收入, sales]",
        "  sales: {aliases: [销售额, 销售收入, sales], type: text}",
        "AMC015",
        "metric column 'sales' must be a number in the performance table",
        "metric: sales",
    ),
    (
        "[聘用工, 在册]",
        "[聘用工, 在册, 聘用工]",
        "AMC016",
        "'聘用工' is listed twice in choices",
        "choices:",
    ),
]


@pytest.mark.parametrize(("old", "new", "rule", "fragment", "at"), BAD, ids=[b[3] for b in BAD])
def test_a_mistake_in_a_column_is_refused_at_its_line(
    tmp_path: Path, old: str, new: str, rule: str, fragment: str, at: str
) -> None:
    path = declared_policy(tmp_path / "p.yaml", old, new)
    loaded, findings = inspect_policy(path)
    assert loaded is None
    found = [f for f in findings if f.rule == rule and fragment in f.message]
    assert found, [str(f) for f in findings]
    assert found[0].location.path == str(path)
    assert found[0].location.line == _line(path, at), str(found[0])


def test_the_short_form_of_a_builtin_column_still_adds_headers(tmp_path: Path) -> None:
    text = DEFAULT_POLICY.read_text(encoding="utf-8")
    path = tmp_path / "p.yaml"
    path.write_text(text.replace("columns:\n", "columns:\n  education: [最高学历]\n"), "utf-8")
    assert load_policy(path).policy.columns["education"].aliases == ["最高学历"]
