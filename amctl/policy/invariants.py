"""Properties a policy must have whatever the data: checked by `policy check`, and before a
grading or payroll runs.

- Quota floors fit at every headcount (rounded floors never need more seats than managers).
- Pay never goes down as the tier goes up, for the same other inputs.
- No total pay is negative.

Pay is probed on a grid of made-up managers — every tier × scores, years in post, rural or
not, exam — by evaluating the compiled formulas directly, over Python lists: the run's
evaluator without numpy, which `policy check` need not load (no tables read).
"""

from __future__ import annotations

import datetime as dt
import itertools
from collections.abc import Mapping
from decimal import Decimal
from typing import Any

from amctl.errors import Finding, Severity
from amctl.formula.arrays import LISTS
from amctl.formula.compile import Formula
from amctl.formula.evaluate import Bracket, Env, EvalError, evaluate, non_finite
from amctl.messages import Said, said
from amctl.policy.checks import Check, num
from amctl.policy.loader import LoadedPolicy, locate_checks
from amctl.policy.models import Policy
from amctl.policy.names import TRAINEE, seats, tier_ladder
from amctl.policy.payformulas import declared, pay_bands, variables

HEADCOUNTS = range(1, 1001)
SCORES = (40, 70, 90, 100)
YEARS = (0, 3, 12, 25)
EXAMS = (60, 95)
E = Severity.ERROR


def quota_findings(policy: Policy) -> list[Check]:
    rounding = policy.quota.rounding
    for n in HEADCOUNTS:
        need = sum(seats(lv.quota.min, n, rounding) for lv in policy.levels.values())
        if need > n:
            return [
                (
                    ("levels",),
                    "AMC017",
                    said("policy.floors_need", n=n, rounding=rounding, need=need),
                    E,
                )
            ]
    return []


def pay_findings(policy: Policy, formulas: Mapping[str, Formula]) -> list[Check]:
    """The first example of pay falling with a higher tier, or of a negative total."""
    pay = policy.pay
    if pay is None or not formulas:
        return []
    ladder = tier_ladder(policy)
    combos = list(itertools.product(SCORES, YEARS, (False, True), EXAMS))
    rows = [(tier, *combo) for combo in combos for tier in ladder]
    totals = _totals(policy, formulas, rows)
    if totals is None:
        return []  # a formula fails on made-up data; payroll reports such failures with names
    loc = ("pay", "components")
    for i, total in enumerate(totals):
        if total < 0:
            message = said("policy.pay_negative", total=num(total), who=_who(rows[i]))
            return [(loc, "AMC041", message, E)]
    step = len(ladder)
    for start in range(0, len(rows), step):
        for k in range(step - 1):
            low, high = totals[start + k], totals[start + k + 1]
            if high < low:
                lower, upper = rows[start + k], rows[start + k + 1]
                return [
                    (
                        loc,
                        "AMC040",
                        said(
                            "policy.pay_falls",
                            upper=upper[0],
                            high=num(high),
                            lower=lower[0],
                            low=num(low),
                            inputs=_who(upper, tier=False),
                        ),
                        E,
                    )
                ]
    return []


def _who(row: tuple[Any, ...], *, tier: bool = True) -> Said:
    t, score, years, rural, exam = row
    where = said("policy.probe.rural" if rural else "policy.probe.not_rural")
    text = said("policy.probe", score=score, years=years, where=where, exam=exam)
    return said("policy.probe_tier", tier=t, inputs=text) if tier else text


def _totals(
    policy: Policy, formulas: Mapping[str, Formula], rows: list[tuple[Any, ...]]
) -> list[Decimal] | None:
    pay = policy.pay
    assert pay is not None
    kinds, _ = variables(policy)
    n = len(rows)
    levels = [r[0] if r[0] == TRAINEE else r[0].rsplit("-", 1)[0] for r in rows]
    bands = [None if r[0] == TRAINEE else r[0].rsplit("-", 1)[1] for r in rows]
    rural = [r[3] for r in rows]
    pay_band, pay_tier = pay_bands(policy, pay, levels, bands, rural)
    text = {
        "level": levels,
        "band": [b or TRAINEE for b in bands],
        "tier": [r[0] for r in rows],
        "pay_band": pay_band,
        "pay_tier": pay_tier,
        "education": [policy.education.levels[-1]] * n,
        "org_unit": ["probe"] * n,
    }
    cols: dict[str, Any] = _declared(policy, rows)
    at_score = [Decimal(r[1]) for r in rows]  # once: a column made per name was 1.7 ms of 6.7
    for name, kind in kinds.items():
        if name in cols:
            continue
        if kind == "str":
            cols[name] = list(text[name])
        elif kind == "bool":
            cols[name] = list(rural)
        elif name == "years_in_post":
            cols[name] = [Decimal(r[2]) for r in rows]
        elif name == "months_in_post":
            cols[name] = [Decimal(r[2] * 12) for r in rows]
        elif name == "exam_score":
            cols[name] = [Decimal(r[4]) for r in rows]
        else:  # every score and raw metric at the row's score level
            cols[name] = list(at_score)
    cols.update(pay.parameters)
    brackets = {k: [Bracket(b.from_, b.to, b.rate) for b in v] for k, v in pay.brackets.items()}
    total = [Decimal(0)] * n
    for name, formula in formulas.items():
        try:
            env = Env(cols, pay.tables, brackets, n, _AS_OF, arrays=LISTS)
            value = evaluate(formula.tree, env)
        except EvalError:
            return None
        if non_finite(value, LISTS):
            return None
        cols[name] = value
        total = [t + v for t, v in zip(total, value, strict=True)]
    return total


_AS_OF = dt.date(2024, 12, 31)  # the probe's period end: a date column gives the row's years


def _declared(policy: Policy, rows: list[tuple[Any, ...]]) -> dict[str, Any]:
    """The policy's own text, choice, yes/no and date columns, held at one value for every
    probe (the first choice, no, a date the row's years in post ago): "the same other
    inputs" of the pay ladder."""
    n = len(rows)
    cols: dict[str, Any] = {}
    for key, col in declared(policy).items():
        if col.type in ("text", "choice"):
            cols[key] = [(col.choices or ["probe"])[0]] * n
        elif col.type == "yesno":
            cols[key] = [0.0] * n  # a condition: no
        elif col.type == "date":  # as lists hold dates
            cols[key] = [dt.date(_AS_OF.year - r[2], 1, 1) for r in rows]
    return cols


def invariant_findings(loaded: LoadedPolicy) -> list[Finding]:
    """What `policy check` adds to loading: the invariants, placed in the policy's file.
    grade and payroll refuse a policy with an error here, as CI would."""
    checks = quota_findings(loaded.policy) + pay_findings(loaded.policy, loaded.formulas)
    return locate_checks(loaded, checks)
