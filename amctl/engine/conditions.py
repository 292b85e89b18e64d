"""Eligibility conditions (seed 004's 基本条件, e.g. 工作年限满 8 年): each level's `when`
formulas evaluated over whole columns, once per distinct text, to the period's last day.

A condition is met where it is true; false or unknown (the data does not give what it reads)
keeps the manager out of the level, and the reason names the condition's label.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping

import numpy as np
import pandas as pd

from amctl.engine.pay import person_columns
from amctl.formula.evaluate import Env, evaluate
from amctl.policy.models import Policy
from amctl.policy.payformulas import compile_conditions, variables

PREFIX = "when:"  # a condition's result in a row handed to gate_failures


def key(when: str) -> str:
    """The name a condition's result goes by in a manager's row."""
    return PREFIX + when


def fields(policy: Policy) -> set[str]:
    """The columns the conditions read (a manager's row needs only these of them)."""
    formulas, _ = compile_conditions(policy)
    return set().union(*(f.names for f in formulas.values()))


def condition_values(
    policy: Policy, frame: pd.DataFrame, as_of: dt.date | None
) -> dict[str, np.ndarray]:
    """`when` → 1.0 (met), 0.0 (not met) or NaN (unknown) for every row of `frame`."""
    formulas, problems = compile_conditions(policy)
    assert not problems, problems  # the loader refuses a policy whose conditions do not compile
    if not formulas:
        return {}
    assert as_of is not None, "eligibility conditions need the period's last day"
    kinds, _ = variables(policy)
    names = set().union(*(f.names for f in formulas.values()))
    env = Env(person_columns(kinds, frame, sorted(names)), {}, {}, len(frame), as_of)
    return {when: np.asarray(evaluate(f.tree, env), dtype=float) for when, f in formulas.items()}


def met(values: Mapping[str, np.ndarray], when: str) -> np.ndarray:
    """Where a condition holds: true, not false nor unknown."""
    out: np.ndarray = np.equal(values[when], 1.0)
    return out


def condition_row(policy: Policy, row: pd.DataFrame, as_of: dt.date) -> dict[str, float]:
    """One manager's conditions (`row`: their one row), as gate_failures reads them."""
    return {key(w): float(v[0]) for w, v in condition_values(policy, row, as_of).items()}
