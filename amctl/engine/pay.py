"""Quarterly pay: each component's formula over whole columns, prorated, rounded once.

For every graded manager and every component, in policy order:
    amount = formula value × months (when the component is monthly) × days in post ÷ days in
    the period, rounded to the policy's quantum with its mode.
The total is the sum of the rounded components, so totals always add up to the cent. Later
components may use earlier ones; they see the earlier formula value, before proration and
rounding, in its own unit.
"""

from __future__ import annotations

import datetime as dt
import decimal
from collections.abc import Mapping
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

import numpy as np
import pandas as pd

from amctl.engine.evaluate import Bracket, Env, EvalError, column, evaluate, non_finite
from amctl.engine.formula import Formula
from amctl.engine.payformulas import TRAINEE
from amctl.policy.models import Pay, Policy

ROUNDING = {
    "half_up": decimal.ROUND_HALF_UP,
    "half_even": decimal.ROUND_HALF_EVEN,
    "down": decimal.ROUND_DOWN,
    "up": decimal.ROUND_UP,
    "floor": decimal.ROUND_FLOOR,
    "ceiling": decimal.ROUND_CEILING,
}


@dataclass(frozen=True)
class PayPeriod:
    start: dt.date
    end: dt.date
    months: int

    @property
    def days(self) -> int:
        return (self.end - self.start).days + 1


class PayError(Exception):
    """A component that cannot be computed for some managers (÷ 0, a missing table row)."""

    def __init__(self, component: str, message: str, employees: list[str]) -> None:
        shown = ", ".join(employees[:10]) + (
            f" and {len(employees) - 10} more" if len(employees) > 10 else ""
        )
        super().__init__(f"component {component}: {message} (for {shown})")
        self.component, self.employees = component, employees


def pay_bands(
    policy: Policy, pay: Pay, level: pd.Series, band: pd.Series, rural: pd.Series
) -> tuple[list[str], list[str]]:
    """Seed 004: rural managers are paid `band_step` bands above their grade.

    At the top band: `keep` leaves them there; `next_level` steps into the next level's lowest
    band for pay tables keyed by tier (the level itself, and its floating wage, never change).
    """
    names = policy.bands.names  # best first
    levels = list(policy.levels)  # highest first
    out_band, out_tier = [], []
    step = pay.rural.band_step if pay.rural else 0
    for lv, b, r in zip(level, band, rural, strict=True):
        if lv == TRAINEE or not isinstance(b, str):
            out_band.append(TRAINEE)
            out_tier.append(TRAINEE)
            continue
        tier_level, index = lv, names.index(b)
        if r and step:
            index -= step
            while index < 0 and pay.rural is not None and pay.rural.at_top == "next_level":
                up = levels.index(tier_level) - 1
                if up < 0:
                    break
                tier_level, index = levels[up], index + len(names)
            index = max(index, 0)
        out_band.append(names[index])
        out_tier.append(f"{tier_level}-{names[index]}")
    return out_band, out_tier


def days_in_post(starts: pd.Series, leaves: pd.Series, period: PayPeriod) -> list[int]:
    """Days of the period the manager held the post: joiners and leavers are prorated."""
    out = []
    for start, leave in zip(starts, leaves, strict=True):
        first = max(start, period.start)
        last = period.end if not isinstance(leave, dt.date) else min(leave, period.end)
        out.append(max(0, (last - first).days + 1))
    return out


def _decimals(values: pd.Series) -> np.ndarray:
    """Numbers as exact decimals of the digits shown (scores are kept to 4 places)."""
    out = []
    for v in values:
        if v is None or v is pd.NA or (isinstance(v, float) and np.isnan(v)):
            out.append(Decimal("NaN"))
        elif isinstance(v, bool | np.bool_):
            out.append(Decimal(int(v)))
        else:
            out.append(
                Decimal(repr(float(v))) if isinstance(v, float | np.floating) else Decimal(int(v))
            )
    return column(out)


def environment(
    policy: Policy, pay: Pay, data: pd.DataFrame, pay_band: list[str], pay_tier: list[str]
) -> Env:
    from amctl.engine.payformulas import variables

    kinds, _ = variables(policy)
    cols: dict[str, Any] = {}
    band = [b if isinstance(b, str) else TRAINEE for b in data["band"]]
    tier = [
        TRAINEE if lv == TRAINEE else f"{lv}-{b}" for lv, b in zip(data["level"], band, strict=True)
    ]
    text = {
        "level": list(data["level"]),
        "band": band,
        "tier": tier,
        "pay_band": pay_band,
        "pay_tier": pay_tier,
        "education": list(data["education"]),
        "org_unit": list(data["org_unit"]),
    }
    for name, kind in kinds.items():
        if kind == "str":
            cols[name] = column(text[name])
        elif kind == "bool":
            cols[name] = np.asarray(data[name], dtype=bool)
        elif name in data.columns:
            cols[name] = _decimals(data[name])
        else:
            cols[name] = column([Decimal("NaN")] * len(data))  # a declared column this table lacks
    for name, value in pay.parameters.items():
        cols[name] = value
    brackets = {
        name: [Bracket(b.from_, b.to, b.rate) for b in rows] for name, rows in pay.brackets.items()
    }
    return Env(cols, pay.tables, brackets, len(data))


def compute(
    policy: Policy,
    formulas: Mapping[str, Formula],
    data: pd.DataFrame,
    period: PayPeriod,
) -> pd.DataFrame:
    """One row per manager: pay band/tier, days, each rounded component, total (Decimals)."""
    pay = policy.pay
    assert pay is not None
    pay_band, pay_tier = pay_bands(policy, pay, data["level"], data["band"], data["rural"])
    env = environment(policy, pay, data, pay_band, pay_tier)
    ids = [str(i) for i in data.index]
    days = days_in_post(data["post_start"], data["leave_date"], period)
    quantum, mode = pay.rounding.quantum, ROUNDING[pay.rounding.mode]
    out = pd.DataFrame(index=data.index)
    out["pay_band"], out["pay_tier"], out["days"] = pay_band, pay_tier, days
    total = column([Decimal(0)] * len(data))
    held = column([Decimal(d) for d in days])
    period_days = Decimal(period.days)
    columns = dict(env.columns)
    with decimal.localcontext(decimal.Context(prec=50, traps=[decimal.Overflow])):
        for name, formula in formulas.items():
            component = pay.components[name]
            try:
                value = evaluate(formula.tree, Env(columns, env.tables, env.brackets, env.size))
            except EvalError as exc:
                raise PayError(name, exc.message, [ids[i] for i in exc.rows]) from None
            bad = non_finite(value)
            if bad:
                raise PayError(
                    name, "the result is not a number (a division by zero?)", [ids[i] for i in bad]
                )
            columns[name] = value
            months = period.months if (component.per or pay.per) == "month" else 1
            raw = value * Decimal(months)
            if component.prorate:  # divide last: a half cent stays exactly a half cent
                raw = raw * held / period_days
            rounded = np.frompyfunc(lambda v: v.quantize(quantum, rounding=mode), 1, 1)(raw)
            out[name] = rounded
            total = total + rounded
    out["total"] = total
    return out
