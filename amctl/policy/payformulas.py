"""What pay formulas may name, and compiling a policy's components in order.

Shared by `policy check` (every problem, located) and the payroll run (compile once, then
evaluate over columns). No pandas here, so checking a policy stays quick to start.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from operator import itemgetter

from amctl.formula.compile import Formula, FormulaError, Scope, Type, compile_formula
from amctl.messages import Said, said, say
from amctl.policy.columns import BUILTIN_ALIASES
from amctl.policy.models import Column, Pay, Policy
from amctl.policy.names import TRAINEE, per_distinct, tier_key


def tiers(policy: Policy) -> list[str]:
    return [tier_key(lv, b) for lv in policy.levels for b in policy.bands.names] + [TRAINEE]


def variables(policy: Policy) -> tuple[dict[str, Type], dict[str, frozenset[str]]]:
    """The documented names, with the values the text ones can take."""
    levels = frozenset([*policy.levels, TRAINEE])
    bands = frozenset([*policy.bands.names, TRAINEE])
    all_tiers = frozenset(tiers(policy))
    text: dict[str, frozenset[str]] = {
        "level": levels,
        "band": bands,
        "tier": all_tiers,
        "pay_band": bands,
        "pay_tier": all_tiers,
        "education": frozenset(policy.education.levels),
        "org_unit": frozenset(),
    }
    numbers = [
        "composite",
        "ability",
        "performance",
        "years_in_post",
        "months_in_post",
        "exam_score",
        *(f"ability_{k}" for k in policy.ability.indicators),
        *(f"performance_{k}" for k in policy.performance.indicators),
    ]
    kinds: dict[str, Type] = dict.fromkeys(text, "str")
    kinds.update(dict.fromkeys(numbers, "num"))
    kinds["rural"] = "bool"
    for key, col in declared(policy).items():  # metrics, targets and the policy's own columns
        kinds[key] = COLUMN_TYPES[col.type]
        if col.type == "choice":
            text[key] = frozenset(col.choices or [])
    return kinds, {k: v for k, v in text.items() if v}


COLUMN_TYPES: dict[str, Type] = {
    "number": "num",
    "text": "str",
    "choice": "str",
    "yesno": "bool",
    "date": "date",
}
TIER_NAMES = ("level", "band", "tier", "pay_band", "pay_tier")  # what a gate decides


def declared(policy: Policy) -> dict[str, Column]:
    """The per-person columns the policy adds (the built-in ones only take more headers)."""
    return {k: c for k, c in policy.columns.items() if k not in BUILTIN_ALIASES}


def pay_bands(
    policy: Policy,
    pay: Pay,
    level: Iterable[str],
    band: Iterable[str | None],
    rural: Iterable[bool],
) -> tuple[list[str], list[str]]:
    """Seed 004: rural managers are paid `band_step` bands above their grade.

    At the top band: `keep` leaves them there; `next_level` steps into the next level's lowest
    band for tables keyed by `pay_tier` (their `pay_band` stays the top band, so a table keyed
    by band never pays them less). The level itself, and its floating wage, never change.
    """
    names = policy.bands.names  # best first
    levels = list(policy.levels)  # highest first
    rule = pay.rural

    def paid(lv: str, b: str | None, r: bool) -> tuple[str, str]:
        if lv == TRAINEE or b is None:
            return TRAINEE, TRAINEE
        graded = names.index(b)
        index, tier_level, tier_index = graded, lv, graded
        if r and rule is not None and rule.band_step:
            index = max(0, graded - rule.band_step)
            tier_index = graded - rule.band_step
            while tier_index < 0 and rule.at_top == "next_level" and levels.index(tier_level):
                tier_level = levels[levels.index(tier_level) - 1]
                tier_index += len(names)
            tier_index = max(tier_index, 0)
        return names[index], tier_key(tier_level, names[tier_index])

    pairs = per_distinct(paid, level, band, rural)  # a few dozen distinct grades
    return list(map(itemgetter(0), pairs)), list(map(itemgetter(1), pairs))


@dataclass(frozen=True)
class PayProblem:
    loc: tuple[str | int, ...]
    rule: str
    said: Said  # the message as data, to word in the policy's language
    offset: int | None = None  # column within the formula text, when known

    @property
    def message(self) -> str:
        """The English."""
        return say(self.said)


def compile_pay(policy: Policy, pay: Pay) -> tuple[dict[str, Formula], list[PayProblem]]:
    """Every component compiled against the names defined before it; all problems collected."""
    kinds, domains = variables(policy)
    problems: list[PayProblem] = []
    for group, names in (("parameters", pay.parameters), ("components", pay.components)):
        for name in names:
            if name in kinds:
                problems.append(
                    PayProblem(
                        ("pay", group, name),
                        "AMF009",
                        said("formula.builtin_name", name=name),
                    )
                )
    for name in set(pay.parameters) & set(pay.components):
        problems.append(
            PayProblem(
                ("pay", "components", name),
                "AMF009",
                said("formula.parameter_and_component", name=name),
            )
        )
    kinds.update(dict.fromkeys(pay.parameters, "num"))
    problems += _bracket_problems(pay)
    formulas: dict[str, Formula] = {}
    order = list(pay.components)
    for i, (name, component) in enumerate(pay.components.items()):
        scope = Scope(
            variables={**kinds, **dict.fromkeys(order[:i], "num")},
            domains=domains,
            tables={k: frozenset(v) for k, v in pay.tables.items()},
            brackets=frozenset(pay.brackets),
            later=frozenset(order[i:]),
        )
        loc = ("pay", "components", name, "formula")
        try:
            formula = compile_formula(component.formula, scope)
        except FormulaError as exc:
            what = said("formula.in_component", name=name, problem=exc.said)
            problems.append(PayProblem(loc, exc.rule, what, exc.col))
            continue
        if formula.type != "num":
            problems.append(
                PayProblem(
                    loc,
                    "AMF003",
                    said(
                        "formula.component_not_amount",
                        name=name,
                        kind=said(f"formula.kind.{formula.type}"),
                    ),
                    0,
                )
            )
            continue
        formulas[name] = formula
    return formulas, problems


def _bracket_problems(pay: Pay) -> list[PayProblem]:
    out = []
    for name, brackets in pay.brackets.items():
        loc = ("pay", "brackets", name)
        if not brackets:
            out.append(PayProblem(loc, "AMC030", said("formula.brackets_empty", name=name)))
            continue
        for i, b in enumerate(brackets):
            if b.to is not None and b.to <= b.from_:
                out.append(
                    PayProblem(
                        (*loc, i),
                        "AMC030",
                        said("formula.bracket_ends_early", name=name, number=i + 1),
                    )
                )
            if b.to is None and i != len(brackets) - 1:
                out.append(
                    PayProblem(loc, "AMC030", said("formula.bracket_open_not_last", name=name))
                )
            if i:
                prev = brackets[i - 1].to
                if prev is not None and b.from_ != prev:
                    key = "formula.bracket_gap" if b.from_ > prev else "formula.bracket_overlap"
                    what = said(key, name=name, prev=str(prev), start=str(b.from_), number=i + 1)
                    out.append(PayProblem(loc, "AMC030", what))
    return out


def compile_conditions(policy: Policy) -> tuple[dict[str, Formula], list[PayProblem]]:
    """Every eligibility condition compiled once per distinct text (`when` → formula), against
    what is known of a manager before the tier: their scores and columns, not the tier itself
    nor pay. All problems collected, each at its condition."""
    kinds, domains = variables(policy)
    scope = Scope(
        variables={k: v for k, v in kinds.items() if k not in TIER_NAMES},
        domains=domains,
        tables={},
        brackets=frozenset(),
    )
    formulas: dict[str, Formula] = {}
    problems: list[PayProblem] = []
    for level, lv in policy.levels.items():
        for i, condition in enumerate(lv.eligibility.conditions):
            loc = ("levels", level, "eligibility", "conditions", i, "when")
            try:
                formula = compile_formula(condition.when, scope)
            except FormulaError as exc:
                what = said(
                    "formula.in_condition", level=level, label=condition.label, problem=exc.said
                )
                problems.append(PayProblem(loc, exc.rule, what, exc.col))
                continue
            if formula.type != "bool":
                kind = said(f"formula.kind.{formula.type}")
                what = said(
                    "formula.condition_not_condition",
                    level=level,
                    label=condition.label,
                    kind=kind,
                )
                problems.append(PayProblem(loc, "AMF003", what, 0))
                continue
            formulas[condition.when] = formula
    return formulas, problems
