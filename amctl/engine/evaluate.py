"""Evaluate a compiled formula over whole columns, exactly, with decimal arithmetic.

Each node of the tree is applied once to a whole column (numpy arrays of Decimal, text or
bool), never re-interpreted row by row. Division by zero does not stop the run inside a branch
that `if … else` discards; a non-finite value that survives is reported with the managers it
hit.
"""

from __future__ import annotations

import decimal
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

import numpy as np

from amctl.engine.formula import Arith, Call, Compare, Const, If, Logic, Lookup, Neg, Node, Not, Var

Value = Any  # a numpy column or a scalar (Decimal, str, bool)

CONTEXT = decimal.Context(
    prec=50,
    rounding=decimal.ROUND_HALF_EVEN,
    traps=[decimal.Overflow],  # no trap on division by zero: checked after if/else selects
)


@dataclass(frozen=True)
class Bracket:
    low: Decimal
    high: Decimal | None  # None: open-ended
    rate: Decimal


class EvalError(Exception):
    """A formula that failed for some managers at run time (unknown table key, ÷ 0)."""

    def __init__(self, message: str, rows: Sequence[int]) -> None:
        super().__init__(message)
        self.message, self.rows = message, list(rows)


@dataclass(frozen=True)
class Env:
    columns: Mapping[str, Value]
    tables: Mapping[str, Mapping[str, Decimal]]
    brackets: Mapping[str, Sequence[Bracket]]
    size: int


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
    return [i for i, v in enumerate(values) if isinstance(v, Decimal) and not v.is_finite()]


def _eval(node: Node, env: Env) -> Value:
    if isinstance(node, Const):
        return node.value
    if isinstance(node, Var):
        return env.columns[node.name]
    if isinstance(node, Arith):
        a, b = _eval(node.left, env), _eval(node.right, env)
        if node.op == "+":
            return a + b
        if node.op == "-":
            return a - b
        if node.op == "*":
            return a * b
        if node.op == "/":
            return a / b
        return a ** int(b)  # the exponent is a small constant, checked when compiled
    if isinstance(node, Neg):
        return -_eval(node.operand, env)
    if isinstance(node, Not):
        return np.logical_not(_eval(node.operand, env))
    if isinstance(node, Logic):
        parts = [_eval(p, env) for p in node.operands]
        combine = np.logical_and if node.op == "and" else np.logical_or
        result = parts[0]
        for p in parts[1:]:
            result = combine(result, p)
        return result
    if isinstance(node, Compare):
        return _compare(node.op, _eval(node.left, env), _eval(node.right, env))
    if isinstance(node, If):
        test = np.asarray(_eval(node.test, env), dtype=bool)
        return _where(test, _eval(node.then, env), _eval(node.orelse, env))
    if isinstance(node, Lookup):
        return _lookup(node.table, env.tables[node.table], _eval(node.key, env), env.size)
    return _call(node, env)


def _compare(op: str, a: Value, b: Value) -> Value:
    if op == "<":
        return a < b
    if op == "<=":
        return a <= b
    if op == ">":
        return a > b
    if op == ">=":
        return a >= b
    if op == "==":
        return np.asarray(a == b, dtype=bool) if isinstance(a, np.ndarray) else a == b
    return np.asarray(a != b, dtype=bool) if isinstance(a, np.ndarray) else a != b


def _where(test: Value, a: Value, b: Value) -> Value:
    result = np.where(test, np.asarray(a, dtype=object), np.asarray(b, dtype=object))
    return result.item() if result.shape == () else result


def _lookup(name: str, table: Mapping[str, Decimal], key: Value, size: int) -> Value:
    if not isinstance(key, np.ndarray):
        return table[str(key)]
    out = np.empty(len(key), dtype=object)
    missing = []
    for i, k in enumerate(key):
        found = table.get(k)
        if found is None:
            missing.append(i)
        out[i] = found
    if missing:
        keys = ", ".join(sorted({str(key[i]) for i in missing}))
        raise EvalError(f"table {name} has no row for {keys}", missing)
    return out


def _call(node: Call, env: Env) -> Value:
    if node.fn == "brackets":
        assert node.table is not None
        assert node.mode is not None
        return _brackets(_eval(node.args[0], env), env.brackets[node.table], node.mode)
    args = [_eval(a, env) for a in node.args]
    if node.fn == "min":
        return _fold(args, lambda a, b: _where(a <= b, a, b))
    if node.fn == "max":
        return _fold(args, lambda a, b: _where(a >= b, a, b))
    if node.fn == "abs":
        return abs(args[0])
    if node.fn == "clamp":
        x, low, high = args
        return _where(x < low, low, _where(x > high, high, x))
    digits = int(args[1]) if len(args) == 2 else 0
    quantum = Decimal(1).scaleb(-digits)
    round_one = np.frompyfunc(lambda v: v.quantize(quantum, rounding=decimal.ROUND_HALF_UP), 1, 1)
    return round_one(args[0])


def _fold(args: list[Value], pick: Any) -> Value:
    result = args[0]
    for a in args[1:]:
        result = pick(result, a)
    return result


def _brackets(x: Value, table: Sequence[Bracket], mode: str) -> Value:
    """Brackets cover low < x ≤ high. marginal: each slice at its own rate (a tax table);
    flat: all of x at the rate of its bracket; rate: just that rate (for accelerators)."""
    zero = Decimal(0)
    if mode == "marginal":
        total: Value = zero
        for b in table:
            above = _where(x > b.low, x - b.low, zero)
            part = (
                above if b.high is None else _where(above < b.high - b.low, above, b.high - b.low)
            )
            total = total + part * b.rate
        return total
    rate: Value = zero
    for b in reversed(table):
        inside = x > b.low if b.high is None else np.logical_and(x > b.low, x <= b.high)
        rate = _where(inside, b.rate, rate)
    return rate if mode == "rate" else x * rate
