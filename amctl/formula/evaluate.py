"""Evaluate a compiled formula over whole columns, exactly, with decimal arithmetic.

Each node of the tree is applied once to a whole column, never re-interpreted row by row.
Numbers are numpy arrays of Decimal; text is an array of str; conditions are float arrays
holding 1 (true), 0 (false) or NaN (unknown).

Missing data is never silently treated as zero or false: a missing number (NaN) makes every
comparison with it unknown, and an unknown condition makes `if … else` give a missing value.
Division by zero and runaway numbers give ±Infinity or NaN instead of stopping the run, so a
branch that `if … else` throws away cannot fail it; whatever non-finite value survives to the
result is reported with the managers it hit.
"""

from __future__ import annotations

import datetime as dt
import decimal
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

import numpy as np

from amctl.formula.aggregates import grouped
from amctl.formula.compile import (
    Aggregate,
    Arith,
    Call,
    Compare,
    Const,
    If,
    Logic,
    Lookup,
    Neg,
    Node,
    Not,
    Var,
)
from amctl.messages import Said, said, say
from amctl.period import full_counts

Value = Any  # a numpy column or a scalar (Decimal, str, float condition)
NAN = Decimal("NaN")

# Nothing traps: ÷0 gives Infinity, 0/0 and NaN comparisons give NaN/False; checked at the end.
CONTEXT = decimal.Context(prec=50, rounding=decimal.ROUND_HALF_EVEN, traps=[])


@dataclass(frozen=True)
class Bracket:
    low: Decimal
    high: Decimal | None  # None: open-ended
    rate: Decimal


class EvalError(Exception):
    """A formula that failed for some managers at run time (a missing table row).
    `said` is the message as data; `message` (and `str()`) its English."""

    def __init__(self, what: Said, rows: Sequence[int]) -> None:
        self.said, self.message, self.rows = what, say(what), list(rows)
        super().__init__(self.message)


@dataclass(frozen=True)
class Env:
    columns: Mapping[str, Value]
    tables: Mapping[str, Mapping[str, Decimal]]
    brackets: Mapping[str, Sequence[Bracket]]
    size: int
    as_of: dt.date | None = None  # the period's last day: years_since / months_since count to it
    # aggregates already taken over the whole run, for these rows (explain reads one row)
    totals: Mapping[Aggregate, Value] = field(default_factory=dict)


def column(values: Sequence[Any]) -> np.ndarray:
    return np.array(list(values), dtype=object)


def evaluate(node: Node, env: Env) -> np.ndarray:
    """The formula's value for every row, as a column."""
    with decimal.localcontext(CONTEXT):
        value = _eval(node, env)
    if isinstance(value, np.ndarray) and value.shape == (env.size,):
        return value
    return np.full(env.size, value, dtype=object)


def non_finite(values: np.ndarray) -> list[int]:
    return [i for i, v in enumerate(values) if not (isinstance(v, Decimal) and v.is_finite())]


def missing(value: Value) -> Any:
    """True where a value is missing: a NaN number, a text the data does not give (None), a
    blank date (NaT); works on scalars and columns."""
    if isinstance(value, np.ndarray) and value.dtype.kind == "M":
        return np.isnat(value)
    if isinstance(value, np.ndarray) and value.ndim == 0:
        value = value.item()
    if isinstance(value, np.ndarray):
        return np.fromiter(map(_absent, value), bool, len(value))
    return _absent(value)


def _absent(value: Any) -> bool:
    return value is None or (isinstance(value, Decimal) and value.is_nan())


def _eval(node: Node, env: Env) -> Value:
    if isinstance(node, Const):
        value = node.value
        return float(value) if isinstance(value, bool) else value
    if isinstance(node, Var):
        return env.columns[node.name]
    if isinstance(node, Arith):
        return _arith(node.op, _eval(node.left, env), _eval(node.right, env))
    if isinstance(node, Neg):
        return -_eval(node.operand, env)
    if isinstance(node, Not):
        return 1.0 - _cond(_eval(node.operand, env))
    if isinstance(node, Logic):
        parts = [_cond(_eval(p, env)) for p in node.operands]
        combine = _kleene_and if node.op == "and" else _kleene_or
        return _fold(parts, combine)
    if isinstance(node, Compare):
        values = [_eval(o, env) for o in node.operands]
        pairs = zip(node.ops, values, values[1:], strict=False)
        return _fold([_compare(op, a, b) for op, a, b in pairs], _kleene_and)
    if isinstance(node, If):
        return _choose(_cond(_eval(node.test, env)), _eval(node.then, env), _eval(node.orelse, env))
    if isinstance(node, Lookup):
        return _lookup(node.table, env.tables[node.table], _eval(node.key, env))
    if isinstance(node, Aggregate):
        return _aggregate(node, env)
    return _call(node, env)


def _aggregate(node: Aggregate, env: Env) -> Value:
    """unit_sum(x) …: over the rows of `env`, unless the run's totals are given."""
    if node in env.totals:
        return env.totals[node]
    units = env.columns["org_unit"] if node.over == "unit" else None
    if node.arg is None:
        return grouped(node.over, node.stat, None, None, units, env.size)
    x = _eval(node.arg, env)
    return grouped(node.over, node.stat, x, np.logical_not(missing(x)), units, env.size)


def _fold(parts: list[Value], combine: Callable[[Value, Value], Value]) -> Value:
    result = parts[0]
    for p in parts[1:]:
        result = combine(result, p)
    return result


def _arith(op: str, a: Value, b: Value) -> Value:
    if op == "+":
        return a + b
    if op == "-":
        return a - b
    if op == "*":
        return a * b
    if op == "/":
        return a / b
    return a ** int(b)  # the exponent is a small constant, checked when compiled


def _cond(value: Value) -> Value:
    return np.asarray(value, dtype=float) if isinstance(value, np.ndarray) else float(value)


def _kleene_and(a: Value, b: Value) -> Value:
    """false wins; else unknown wins; else true."""
    false = np.logical_or(np.equal(a, 0.0), np.equal(b, 0.0))
    unknown = np.logical_or(np.isnan(a), np.isnan(b))
    return _scalar(np.where(false, 0.0, np.where(unknown, np.nan, 1.0)))


def _kleene_or(a: Value, b: Value) -> Value:
    """true wins; else unknown wins; else false."""
    true = np.logical_or(np.equal(a, 1.0), np.equal(b, 1.0))
    unknown = np.logical_or(np.isnan(a), np.isnan(b))
    return _scalar(np.where(true, 1.0, np.where(unknown, np.nan, 0.0)))


def _scalar(result: np.ndarray) -> Value:
    """A 0-d result of constants is a plain scalar again."""
    return result if result.ndim else result.item()


_COMPARE: dict[str, Callable[[Any, Any], Any]] = {
    "<": lambda a, b: a < b,
    "<=": lambda a, b: a <= b,
    ">": lambda a, b: a > b,
    ">=": lambda a, b: a >= b,
    "==": lambda a, b: a == b,
    "!=": lambda a, b: a != b,
}


def _compare(op: str, a: Value, b: Value) -> Value:
    raw = np.asarray(_COMPARE[op](a, b), dtype=float)
    unknown = np.logical_or(missing(a), missing(b))
    result = np.where(unknown, np.nan, raw)
    return result if result.shape else float(result)


def _choose(test: Value, then: Value, orelse: Value) -> Value:
    """if/else over a column; an unknown condition gives a missing value."""
    text = isinstance(then, str) or (
        isinstance(then, np.ndarray) and any(isinstance(v, str) for v in then[:1])
    )
    blank = None if text else NAN
    picked = np.where(
        np.equal(test, 1.0), np.asarray(then, dtype=object), np.asarray(orelse, dtype=object)
    )
    result = np.where(np.isnan(test), np.asarray(blank, dtype=object), picked)
    return result.item() if result.shape == () else result


def _lookup(name: str, table: Mapping[str, Decimal], key: Value) -> Value:
    keys = key if isinstance(key, np.ndarray) else np.array([key], dtype=object)
    out = np.empty(len(keys), dtype=object)
    absent = []
    for i, k in enumerate(keys):
        found = table.get(k) if isinstance(k, str) else NAN
        if found is None:
            absent.append(i)
        out[i] = found
    if absent:
        shown = sorted({str(keys[i]) for i in absent})
        raise EvalError(said("formula.table_no_row_for", table=name, keys=shown), absent)
    return out if isinstance(key, np.ndarray) else out[0]


def _unless_missing(x: Value, result: Value) -> Value:
    """The result, but missing wherever x is missing."""
    return np.where(missing(x), np.asarray(NAN, dtype=object), np.asarray(result, dtype=object))


def _lesser(a: Value, b: Value) -> Value:
    return _unless_missing(a, _unless_missing(b, np.where(a <= b, a, b)))


def _greater(a: Value, b: Value) -> Value:
    return _unless_missing(a, _unless_missing(b, np.where(a >= b, a, b)))


def _call(node: Call, env: Env) -> Value:
    if node.fn == "brackets":
        assert node.table is not None
        assert node.mode is not None
        x = _eval(node.args[0], env)
        return _unless_missing(x, _brackets(x, env.brackets[node.table], node.mode))
    if node.fn in ("years_since", "months_since"):
        assert env.as_of is not None, "years_since needs the period's last day"
        return _since(_eval(node.args[0], env), env.as_of, node.fn == "years_since")
    args = [_eval(a, env) for a in node.args]
    if node.fn in ("min", "max"):
        return _fold(args, _lesser if node.fn == "min" else _greater)
    if node.fn == "abs":
        return abs(args[0])
    if node.fn == "clamp":
        x, low, high = args
        return _lesser(_greater(x, low), high)
    digits = int(args[1]) if len(args) == 2 else 0
    quantum = Decimal(1).scaleb(-digits)
    round_one = np.frompyfunc(lambda v: v.quantize(quantum, rounding=decimal.ROUND_HALF_UP), 1, 1)
    return round_one(args[0])


def _since(dates: np.ndarray, end: dt.date, years: bool) -> np.ndarray:
    """Full years (or months) from each date to `end`, as amctl.period.full_years counts years
    in post, a column at a time; a blank date gives a missing number."""
    days = np.asarray(dates, dtype="datetime64[D]")
    count = full_counts(days, end, years=years)
    return _as_decimals(count, np.isnat(days))


def _as_decimals(counts: np.ndarray, gone: np.ndarray) -> np.ndarray:
    """Whole numbers as exact decimals, each distinct value made once; NaN where `gone`."""
    out = np.full(len(counts), NAN, dtype=object)
    if not (~gone).any():
        return out
    low = int(counts[~gone].min())
    made = np.array([Decimal(v) for v in range(low, int(counts[~gone].max()) + 1)], dtype=object)
    out[~gone] = made[counts[~gone] - low]
    return out


def _brackets(x: Value, table: Sequence[Bracket], mode: str) -> Value:
    """Brackets cover low < x ≤ high. marginal: each slice at its own rate (a tax table);
    flat: all of x at the rate of its bracket; rate: just that rate (for accelerators)."""
    zero: Any = Decimal(0)  # numpy takes a Decimal as an object scalar
    if mode == "marginal":
        total: Value = zero
        for b in table:
            above = np.where(x > b.low, x - b.low, zero)
            width: Any = None if b.high is None else b.high - b.low
            part = above if width is None else np.where(above < width, above, width)
            total = total + part * b.rate
        return total
    rate: Value = zero
    for b in reversed(table):
        inside = x > b.low if b.high is None else np.logical_and(x > b.low, x <= b.high)
        rate = np.where(inside, np.asarray(b.rate, dtype=object), rate)
    return rate if mode == "rate" else x * rate


def filled(node: Node, env: Env, lang: str = "en") -> str:
    """The formula for a one-row `env` with every name replaced by its value, a lookup and a
    call by what they gave, and only the branch of `if … else` that was taken: what a reader
    checks by hand (2200 × 3, benefit_coefficient[mid-A] = 1.3). The words around the
    branch taken are in `lang`."""
    with decimal.localcontext(CONTEXT):
        return _filled(node, env, lang)


def _shown(value: Value, lang: str = "en") -> str:
    if isinstance(value, np.ndarray):
        value = value.reshape(-1)[0] if value.size else None
    if isinstance(value, Decimal):
        if not value.is_finite():
            return "—"
        text = f"{value.normalize():f}"
        return text
    if isinstance(value, float):  # a condition
        truth = said("formula.filled_true") if value else said("formula.filled_false")
        return "—" if value != value else say(truth, lang)
    if value is None or (isinstance(value, np.datetime64) and np.isnat(value)):
        return "—"  # a text or a date the data does not give
    return str(value)


_SIGN = {"*": "×", "/": "÷", "+": "+", "-": "−", "**": "^"}


def _filled(node: Node, env: Env, lang: str = "en") -> str:
    if isinstance(node, Const):
        return _shown(node.value) if not isinstance(node.value, str) else repr(node.value)
    if isinstance(node, Var):
        return f"{node.name} {_shown(_eval(node, env), lang)}"
    if isinstance(node, Arith):
        parts = []
        for side in (node.left, node.right):
            text = _filled(side, env, lang)
            parts.append(f"({text})" if isinstance(side, Arith | If | Compare | Logic) else text)
        return f"{parts[0]} {_SIGN[node.op]} {parts[1]}"
    if isinstance(node, Neg):
        return f"−({_filled(node.operand, env, lang)})"
    if isinstance(node, If):
        taken = _cond(_eval(node.test, env))
        taken = taken.reshape(-1)[0] if isinstance(taken, np.ndarray) else taken
        if taken != taken:
            return say(said("formula.filled_unknown", test=_filled(node.test, env, lang)), lang)
        branch = node.then if taken else node.orelse
        because = said(
            "formula.filled_since",
            branch=_filled(branch, env, lang),
            test=_filled(node.test, env, lang),
            value=_shown(taken, lang),
        )
        return say(because, lang)
    if isinstance(node, Lookup):
        key = _shown(_eval(node.key, env))
        return f"{node.table}[{key}] {_shown(_eval(node, env), lang)}"
    if isinstance(node, Aggregate):  # the group's figure, not this manager's x
        return f"{node.fn}({node.text}) {_shown(_eval(node, env), lang)}"
    if isinstance(node, Call):
        args = ", ".join(_filled(a, env, lang) for a in node.args)
        table = f", {node.table}" if node.table else ""
        mode = f", mode={node.mode!r}" if node.mode else ""
        return f"{node.fn}({args}{table}{mode}) {_shown(_eval(node, env), lang)}"
    if isinstance(node, Compare):
        out = _filled(node.operands[0], env, lang)
        for op, operand in zip(node.ops, node.operands[1:], strict=True):
            out += f" {op} {_filled(operand, env, lang)}"
        return out
    if isinstance(node, Not):
        return f"not ({_filled(node.operand, env, lang)})"
    return f" {node.op} ".join(f"({_filled(p, env, lang)})" for p in node.operands)
