"""Evaluate a compiled formula over whole columns, exactly, with decimal arithmetic.

Each node of the tree is applied once to a whole column, never re-interpreted row by row.
Numbers are columns of Decimal; text is a column of str; conditions are columns of floats
holding 1 (true), 0 (false) or NaN (unknown). A run's columns are numpy arrays; policy
check's few made-up rows are Python lists (arrays.py): the same evaluator over either.

Missing data is never silently treated as zero or false: a missing number (NaN) makes every
comparison with it unknown, and an unknown condition makes `if … else` give a missing value.
Division by zero and runaway numbers give ±Infinity or NaN instead of stopping the run, so a
branch that `if … else` throws away cannot fail it; whatever non-finite value survives to the
result is reported with the managers it hit.
"""

from __future__ import annotations

import datetime as dt
import decimal
import operator
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from typing import TYPE_CHECKING, Any, cast

from amctl.formula.arrays import Arrays, numpy_arrays
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

if TYPE_CHECKING:
    import numpy as np

Value = Any  # a column (numpy array or list, as env.arrays holds them) or a scalar
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
    arrays: Arrays = field(default_factory=numpy_arrays)  # how its columns are held


def column(values: Sequence[Any]) -> np.ndarray:
    return cast("np.ndarray", numpy_arrays().column(values))


def evaluate(node: Node, env: Env) -> Any:
    """The formula's value for every row, as a column (a numpy array, or a list when env's
    columns are lists)."""
    xp = env.arrays
    with decimal.localcontext(CONTEXT):
        value = _eval(node, env)
    if xp.is_column(value) and len(value) == env.size:
        return value
    return xp.full(env.size, value)


def non_finite(values: Sequence[Any], xp: Arrays | None = None) -> list[int]:
    """The rows whose value is not a finite Decimal (in a run's numpy column unless told)."""
    xp = xp or numpy_arrays()
    return xp.positions(xp.negate(xp.finite(values)))


def missing(value: Value, xp: Arrays | None = None) -> Any:
    """True where a value is missing: a NaN number, a text the data does not give (None), a
    blank date (NaT, or None in a list); works on scalars and columns."""
    return (xp or numpy_arrays()).missing(value)


def _eval(node: Node, env: Env) -> Value:
    xp = env.arrays
    if isinstance(node, Const):
        value = node.value
        return float(value) if isinstance(value, bool) else value
    if isinstance(node, Var):
        return env.columns[node.name]
    if isinstance(node, Arith):
        return _arith(xp, node.op, _eval(node.left, env), _eval(node.right, env))
    if isinstance(node, Neg):
        return xp.apply(operator.neg, _eval(node.operand, env))
    if isinstance(node, Not):
        return xp.apply(operator.sub, 1.0, condition(xp, _eval(node.operand, env)))
    if isinstance(node, Logic):
        parts = [condition(xp, _eval(p, env)) for p in node.operands]
        combine = kleene_and if node.op == "and" else kleene_or
        return fold(xp, parts, combine)
    if isinstance(node, Compare):
        values = [_eval(o, env) for o in node.operands]
        pairs = zip(node.ops, values, values[1:], strict=False)
        return fold(xp, [compare(xp, op, a, b) for op, a, b in pairs], kleene_and)
    if isinstance(node, If):
        test = condition(xp, _eval(node.test, env))
        return choose(xp, test, _eval(node.then, env), _eval(node.orelse, env))
    if isinstance(node, Lookup):
        return _lookup(xp, node.table, env.tables[node.table], _eval(node.key, env))
    if isinstance(node, Aggregate):
        return _aggregate(node, env)
    return _call(node, env)


def _aggregate(node: Aggregate, env: Env) -> Value:
    """unit_sum(x) …: over the rows of `env`, unless the run's totals are given."""
    if node in env.totals:
        return env.totals[node]
    xp = env.arrays
    units = env.columns["org_unit"] if node.over == "unit" else None
    if node.arg is None:
        return xp.grouped(node.over, node.stat, None, None, units, env.size)
    x = _eval(node.arg, env)
    return xp.grouped(node.over, node.stat, x, xp.negate(missing(x, xp)), units, env.size)


def fold(xp: Arrays, parts: list[Value], combine: Callable[[Arrays, Value, Value], Value]) -> Value:
    result = parts[0]
    for p in parts[1:]:
        result = combine(xp, result, p)
    return result


_ARITH: dict[str, Callable[[Any, Any], Any]] = {
    "+": operator.add,
    "-": operator.sub,
    "*": operator.mul,
    "/": operator.truediv,
}


def _arith(xp: Arrays, op: str, a: Value, b: Value) -> Value:
    if op in _ARITH:
        return xp.apply(_ARITH[op], a, b)
    return xp.apply(operator.pow, a, int(b))  # the exponent is a small constant, checked


def condition(xp: Arrays, value: Value) -> Value:
    return xp.floats(value)


def kleene_and(xp: Arrays, a: Value, b: Value) -> Value:
    """false wins; else unknown wins; else true."""
    false = xp.either(xp.equal(a, 0.0), xp.equal(b, 0.0))
    unknown = xp.either(xp.isnan(a), xp.isnan(b))
    return xp.where(false, 0.0, xp.where(unknown, NAN_FLOAT, 1.0))


def kleene_or(xp: Arrays, a: Value, b: Value) -> Value:
    """true wins; else unknown wins; else false."""
    true = xp.either(xp.equal(a, 1.0), xp.equal(b, 1.0))
    unknown = xp.either(xp.isnan(a), xp.isnan(b))
    return xp.where(true, 1.0, xp.where(unknown, NAN_FLOAT, 0.0))


NAN_FLOAT = float("nan")  # an unknown condition

_COMPARE: dict[str, Callable[[Any, Any], Any]] = {
    "<": lambda a, b: a < b,
    "<=": lambda a, b: a <= b,
    ">": lambda a, b: a > b,
    ">=": lambda a, b: a >= b,
    "==": lambda a, b: a == b,
    "!=": lambda a, b: a != b,
}


def compare(xp: Arrays, op: str, a: Value, b: Value) -> Value:
    raw = xp.floats(xp.apply(_COMPARE[op], a, b))
    unknown = xp.either(missing(a, xp), missing(b, xp))
    return xp.where(unknown, NAN_FLOAT, raw)


def choose(xp: Arrays, test: Value, then: Value, orelse: Value) -> Value:
    """if/else over a column; an unknown condition gives a missing value."""
    text = isinstance(then, str) or (
        xp.is_column(then) and any(isinstance(v, str) for v in then[:1])
    )
    blank = None if text else NAN
    picked = xp.where(xp.equal(test, 1.0), xp.objects(then), xp.objects(orelse))
    return xp.where(xp.isnan(test), xp.objects(blank), picked)


def _lookup(xp: Arrays, name: str, table: Mapping[str, Decimal], key: Value) -> Value:
    """Each distinct key looked up once (a column has a few dozen), then picked for every row;
    a key the table lacks fails the rows that have it, all named."""
    keys = key if xp.is_column(key) else [key]
    found = {k: table.get(k) if isinstance(k, str) else NAN for k in dict.fromkeys(keys)}
    lacking = {k for k, v in found.items() if v is None}
    if lacking:
        rows = [i for i, k in enumerate(keys) if k in lacking]  # a failed run's rows alone
        shown = sorted({str(k) for k in lacking})
        raise EvalError(said("formula.table_no_row_for", table=name, keys=shown), rows)
    return xp.pick(keys, found) if xp.is_column(key) else found[key]


def _unless_missing(xp: Arrays, x: Value, result: Value) -> Value:
    """The result, but missing wherever x is missing."""
    return xp.where(missing(x, xp), xp.objects(NAN), xp.objects(result))


def _lesser(xp: Arrays, a: Value, b: Value) -> Value:
    picked = xp.where(xp.apply(operator.le, a, b), a, b)
    return _unless_missing(xp, a, _unless_missing(xp, b, picked))


def _greater(xp: Arrays, a: Value, b: Value) -> Value:
    picked = xp.where(xp.apply(operator.ge, a, b), a, b)
    return _unless_missing(xp, a, _unless_missing(xp, b, picked))


def _call(node: Call, env: Env) -> Value:
    xp = env.arrays
    if node.fn == "brackets":
        assert node.table is not None
        assert node.mode is not None
        x = _eval(node.args[0], env)
        return _unless_missing(xp, x, _brackets(xp, x, env.brackets[node.table], node.mode))
    if node.fn in ("years_since", "months_since"):
        assert env.as_of is not None, "years_since needs the period's last day"
        return _since(xp, _eval(node.args[0], env), env.as_of, node.fn == "years_since")
    args = [_eval(a, env) for a in node.args]
    if node.fn in ("min", "max"):
        return fold(xp, args, _lesser if node.fn == "min" else _greater)
    if node.fn == "abs":
        return xp.apply(abs, args[0])
    if node.fn == "clamp":
        x, low, high = args
        return _lesser(xp, _greater(xp, x, low), high)
    digits = int(args[1]) if len(args) == 2 else 0
    quantum = Decimal(1).scaleb(-digits)
    return xp.quantize(args[0], quantum, decimal.ROUND_HALF_UP)


def _since(xp: Arrays, dates: Value, end: dt.date, years: bool) -> Value:
    """Full years (or months) from each date to `end`, as amctl.period counts years in post,
    a column at a time; a blank date gives a missing number."""
    gone = missing(dates, xp)
    counts = xp.where(gone, 0, xp.full_counts(dates, end, years))
    return xp.where(gone, xp.objects(NAN), xp.decimals(counts))


def _brackets(xp: Arrays, x: Value, table: Sequence[Bracket], mode: str) -> Value:
    """Brackets cover low < x ≤ high. marginal: each slice at its own rate (a tax table);
    flat: all of x at the rate of its bracket; rate: just that rate (for accelerators)."""
    add, sub, mul, gt, lt = operator.add, operator.sub, operator.mul, operator.gt, operator.lt
    zero: Any = Decimal(0)  # numpy takes a Decimal as an object scalar
    if mode == "marginal":
        total: Value = zero
        for b in table:
            above = xp.where(xp.apply(gt, x, b.low), xp.apply(sub, x, b.low), zero)
            width: Any = None if b.high is None else b.high - b.low
            part = above if width is None else xp.where(xp.apply(lt, above, width), above, width)
            total = xp.apply(add, total, xp.apply(mul, part, b.rate))
        return total
    rate: Value = zero
    for b in reversed(table):
        inside = (
            xp.apply(gt, x, b.low)
            if b.high is None
            else xp.both(xp.apply(gt, x, b.low), xp.apply(operator.le, x, b.high))
        )
        rate = xp.where(inside, xp.objects(b.rate), rate)
    return rate if mode == "rate" else xp.apply(mul, x, rate)


def filled(node: Node, env: Env, lang: str = "en") -> str:
    """The formula for a one-row `env` with every name replaced by its value, a lookup and a
    call by what they gave, and only the branch of `if … else` that was taken: what a reader
    checks by hand (2200 × 3, benefit_coefficient[mid-A] = 1.3). The words around the
    branch taken are in `lang`."""
    with decimal.localcontext(CONTEXT):
        return _filled(node, env, lang)


def _shown(value: Value, lang: str = "en") -> str:
    if hasattr(value, "tolist"):  # as numpy holds it: as a list (a blank date is None)
        value = value.reshape(-1)[:1].tolist()
    if isinstance(value, list):  # a one-row column
        value = value[0] if value else None
    if isinstance(value, Decimal):
        if not value.is_finite():
            return "—"
        text = f"{value.normalize():f}"
        return text
    if isinstance(value, float):  # a condition
        truth = said("formula.filled_true") if value else said("formula.filled_false")
        return "—" if value != value else say(truth, lang)
    if value is None:
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
        taken = condition(env.arrays, _eval(node.test, env))
        taken = taken[0] if env.arrays.is_column(taken) else taken
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
