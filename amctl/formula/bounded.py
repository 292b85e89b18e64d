"""Pay formulas over floats that carry their error, and whole numbers where they are exact:
the amounts of most rows at numpy's speed, and the rows that need Decimals named.

Exact pay makes a Decimal per row and step, a million of them per component. Here each
number is held twice. As a float with a bound on its distance from what the Decimal
evaluator (evaluate.py, 50 digits) gives for the same row: an input made from a float is
within half an ulp of its shortest digits, each step adds its own rounding (found exactly
by error-free transformations), and the bound grows through + − × ÷ as interval arithmetic
says. And, where the value is a decimal of few digits (a score to 4 places, a coefficient,
a price), as that decimal exactly: a whole number of 10**-p in int64, as fixed point.

A decision — a comparison, a bracket's limit, round()'s half, the quantum's step, the sign
of a zero — is taken on the whole numbers where a row has them, exactly, ties included; else
on the float, where it lies past its bound; else the row is *unsure*, and pay works it in
Decimals. Every decision taken is the Decimal evaluator's, so the amounts are its amounts to
the last digit. round() and the quantum give whole numbers again, so a division that leaves
the decimals (÷ 80, ÷ 92 days) costs exactness only until the next rounding. A formula with a
part this evaluator does not take (a total over the unit, `x ** 0`, a table missing a key)
is `Declined`, and worked in Decimals whole.
"""

from __future__ import annotations

import datetime as dt
import decimal
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

import numpy as np
import pandas as pd

from amctl.formula.arrays import numpy_arrays
from amctl.formula.compile import (
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
from amctl.formula.evaluate import (
    CONTEXT,
    Bracket,
    choose,
    compare,
    condition,
    fold,
    kleene_and,
    kleene_or,
)

HALF_ULP = 2.0**-53  # a float's distance from its shortest digits, relative
DECIMAL = 2.0**-150  # a 50-digit Decimal's rounding (5e-50), relative, with room
SURE = 1 + 2.0**-30  # a decision is sure only this far past its bound: the bound is a float too
SMALLEST = 2.0**-1074  # the least bound: half an ulp of a subnormal would round to 0, "exact"
TINY = 1e-250  # below this, relative bounds underflow: such a row is worked in Decimals
WHOLE = 2.0**52  # floats this large are no longer steps apart finer than a whole number
LIMIT = 2**62  # exact whole numbers stay below this, so a sum of two never leaves int64
PLACES = 18  # and count at most this many decimal places
SHIFTS = 6  # a division is made exact by up to this many more places (÷ 80: four)
_NAN = float("nan")


class Declined(Exception):
    """A formula with a part this evaluator does not take: it is worked in Decimals whole."""


@dataclass(frozen=True)
class Num:
    """A number per row (or one for all). `v`, and `e` ≥ 0 with |Decimal value − v| ≤ e; a
    missing number is NaN with e = 0. Where `x`, the Decimal value is exactly i / 10**p, and
    `z` says whether a zero is -0. `i` is None where no row is held exactly."""

    v: Any
    e: Any
    i: Any = None
    p: int = 0
    x: Any = False
    z: Any = False

    def __getitem__(self, rows: slice) -> Num:
        if self.i is None:
            return Num(_at(self.v, rows), _at(self.e, rows))
        at = [_at(part, rows) for part in (self.v, self.e, self.i, self.x, self.z)]
        return Num(at[0], at[1], at[2], self.p, at[3], at[4])


def constant(value: Decimal) -> Num:
    """A policy's number (a parameter, a table's row, a limit)."""
    f = np.float64(value)  # numpy's: a constant ÷ 0 is inf, as numpy's errstate says
    e = np.float64(0.0 if Decimal(float(f)) == value else max(abs(f) * HALF_ULP, SMALLEST))
    sign, digits, exponent = value.as_tuple()
    assert isinstance(exponent, int)  # a policy's numbers are finite
    places = max(0, -exponent)
    whole = int("".join(map(str, digits))) * 10 ** max(0, exponent)
    if places > PLACES or whole >= LIMIT:
        return Num(f, e)
    return Num(f, e, np.int64(-whole if sign else whole), places, True, bool(sign) and not whole)


def whole(n: int) -> Num:
    return Num(np.float64(n), np.float64(0), np.int64(n), 0, True, False)


def numbers(values: np.ndarray) -> Num:
    """A data column as pay makes its Decimals (engine.pay._made): a float by its shortest
    digits, within half an ulp of it, exactly so where those have few places; an int as
    itself."""
    v = values.astype(np.float64)
    with np.errstate(invalid="ignore"):
        e = np.where(_integral(v) | np.isnan(v), 0.0, np.maximum(np.abs(v) * HALF_ULP, SMALLEST))
        if values.dtype.kind in "iub":
            x = np.abs(v) < LIMIT / 2
            return Num(v, e, np.where(x, values, 0).astype(np.int64), 0, x, False)
        # a float whose shortest digits have p ≤ 6 places is the one such decimal near it: at
        # this size those decimals are further apart than floats are
        small = np.isfinite(v) & (np.abs(v) < 1e9)
        wanted = np.count_nonzero(small)
        for places in range(7):
            scaled = np.round(v * 10**places)
            x = small & (scaled / 10**places == v)
            if np.count_nonzero(x) == wanted:
                break
        i = np.where(x, scaled, 0).astype(np.int64)
    return Num(v, e, i, places, x, (v == 0) & np.signbit(v))


@dataclass(frozen=True)
class Rule:
    """How a value becomes its amount, as pay's _Rule works it in Decimals: × months, × days
    in post ÷ days in the period (held: None when not prorated), then to a whole number of
    the quantum by `mode` (decimal's ROUND_… name), written with `places` decimals."""

    months: int
    held: np.ndarray | None
    period_days: int
    quantum: Decimal
    mode: str

    @property
    def places(self) -> int:
        exponent = self.quantum.as_tuple().exponent
        assert isinstance(exponent, int)  # a quantum is a positive finite number
        return -exponent


def amounts(
    tree: Node,
    columns: Mapping[str, Any],
    tables: Mapping[str, Mapping[str, Decimal]],
    brackets: Mapping[str, Sequence[Bracket]],
    size: int,
    as_of: dt.date | None,
    rule: Rule,
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Each row's amount as whole numbers of its last place (rule.places), the rows whose
    amount is -0 (text "-0.00"), and the rows that are unsure: their amounts are to be worked
    in Decimals. Numbers in `columns` are Num, the rest as the Decimal evaluator holds them.
    Raises Declined."""
    if not 0 <= rule.places <= 6:
        raise Declined
    units = np.zeros(size, dtype=np.int64)
    minus = np.zeros(size, dtype=bool)
    unsure = np.zeros(size, dtype=bool)
    for start in range(0, size, BLOCK):  # a few float columns of a block at a time
        rows = slice(start, min(start + BLOCK, size))
        here = {name: _at(value, rows) for name, value in columns.items()}
        held = None if rule.held is None else rule.held[rows]
        work = _Bounded(here, tables, brackets, rows.stop - start, as_of)
        value = work.number(work.eval(tree))
        units[rows], minus[rows] = work.amount(value, rule, held)
        unsure[rows] = work.unsure
    return units, minus, unsure


BLOCK = 1 << 18


def _at(value: Any, rows: slice) -> Any:
    return value[rows] if isinstance(value, (np.ndarray, Num)) else value


def _is_column(value: Any) -> bool:
    return isinstance(value, np.ndarray) and value.ndim == 1


class _Bounded:
    """One block's evaluation: the formula's nodes over its rows, and the unsure rows."""

    def __init__(
        self,
        columns: Mapping[str, Any],
        tables: Mapping[str, Mapping[str, Decimal]],
        brackets: Mapping[str, Sequence[Bracket]],
        size: int,
        as_of: dt.date | None,
    ) -> None:
        self.columns, self.tables, self.brackets = columns, tables, brackets
        self.size, self.as_of = size, as_of
        self.unsure = np.zeros(size, dtype=bool)
        self.xp = numpy_arrays()

    def flag(self, rows: Any) -> None:
        self.unsure |= np.asarray(rows, dtype=bool)

    def number(self, value: Any) -> Num:
        if not isinstance(value, Num):
            raise Declined  # a condition where a number goes: not a case the types allow
        return value

    def eval(self, node: Node) -> Any:
        if isinstance(node, Const):
            value = node.value
            if isinstance(value, bool):
                return float(value)
            return constant(value) if isinstance(value, Decimal) else value
        if isinstance(node, Var):
            value = self.columns[node.name]
            return constant(value) if isinstance(value, Decimal) else value
        if isinstance(node, Arith):
            return self.arith(node)
        if isinstance(node, Neg):
            return negate(self.number(self.eval(node.operand)), unary=True)
        if isinstance(node, Not):
            return 1.0 - condition(self.xp, self.eval(node.operand))
        if isinstance(node, Logic):
            parts = [condition(self.xp, self.eval(p)) for p in node.operands]
            return fold(self.xp, parts, kleene_and if node.op == "and" else kleene_or)
        if isinstance(node, Compare):
            values = [self.eval(o) for o in node.operands]
            pairs = zip(node.ops, values, values[1:], strict=False)
            return fold(self.xp, [self.compare(op, a, b) for op, a, b in pairs], kleene_and)
        if isinstance(node, If):
            test = condition(self.xp, self.eval(node.test))
            then, orelse = self.eval(node.then), self.eval(node.orelse)
            if isinstance(then, Num) and isinstance(orelse, Num):
                return missing_where(np.isnan(test), merge(np.equal(test, 1.0), then, orelse))
            if isinstance(then, Num) or isinstance(orelse, Num) or isinstance(then, float):
                raise Declined  # conditions chosen: left to the Decimal evaluator
            return choose(self.xp, test, then, orelse)
        if isinstance(node, Lookup):
            return self.lookup(self.tables[node.table], self.eval(node.key))
        if isinstance(node, Call):
            return self.call(node)
        raise Declined  # a total over the unit or the run

    # --- arithmetic --------------------------------------------------------------------------

    def settled(
        self, v: Any, e: Any, i: Any = None, p: int = 0, x: Any = False, z: Any = False
    ) -> Num:
        """A step's result: a missing number keeps e = 0; an overflow, a bound that is not
        finite or a value near underflow makes the row unsure. Exact where `x` (and p fits)."""
        with np.errstate(invalid="ignore"):
            e = np.where(np.isnan(v), 0.0, e)
            a = np.abs(v)
            self.flag(np.isinf(v) | ~np.isfinite(e) | ((a > 0) & (a < TINY)))
        if i is None or p > PLACES:
            return Num(v, e)
        return Num(v, e, np.where(x, i, 0), p, x, z)

    def arith(self, node: Arith) -> Num:
        a = self.number(self.eval(node.left))
        if node.op == "**":
            assert isinstance(node.right, Const)  # the compiler allows a small whole constant
            times = int(node.right.value)
            if times < 1:
                raise Declined  # 0 ** 0 is NaN in Decimals, 1 in floats
            out = a
            for _ in range(times - 1):
                out = self.multiply(out, a)
            return out
        b = self.number(self.eval(node.right))
        if node.op in "+-":
            return self.add(a, b if node.op == "+" else negate(b))
        if node.op == "*":
            return self.multiply(a, b)
        return self.divide(a, b)

    def add(self, a: Num, b: Num) -> Num:
        with np.errstate(invalid="ignore", over="ignore"):
            s, err = _two_sum(a.v, b.v)
            carried = a.e + b.e
            e = carried + np.abs(err) + _inexact(s, carried, err)
        both = _aligned(a, b)
        if both is None:
            return self.settled(s, e)
        ia, ib, p, xa, xb = both
        total = ia + ib  # each below 2**62: no overflow
        z = (total == 0) & (ia == 0) & a.z & (ib == 0) & b.z  # -0 + -0 alone is -0
        return self.settled(s, e, total, p, xa & xb & (np.abs(total) < LIMIT), z)

    def multiply(self, a: Num, b: Num) -> Num:
        with np.errstate(invalid="ignore", over="ignore", under="ignore"):
            p, err = _two_product(a.v, b.v)
            carried = np.abs(a.v) * b.e + np.abs(b.v) * a.e + a.e * b.e
            e = carried + np.abs(err) + _inexact(p, carried, err)
            self.flag((p == 0) & (a.v != 0) & (b.v != 0))  # underflow
        if a.i is None or b.i is None:
            return self.settled(p, e)
        fits = a.x & b.x & (np.abs(a.i).astype(np.float64) * np.abs(b.i) < LIMIT / 2)
        product = np.where(fits, a.i, 0) * np.where(fits, b.i, 0)
        z = (product == 0) & (below_zero(a) ^ below_zero(b))
        return self.settled(p, e, product, a.p + b.p, fits, z)

    def divide(self, a: Num, b: Num) -> Num:
        with np.errstate(invalid="ignore", over="ignore", under="ignore", divide="ignore"):
            known = ~(np.isnan(a.v) | np.isnan(b.v))
            self.flag(known & ~(np.abs(b.v) > b.e * SURE))  # ÷0, or a divisor that may be 0
            q = a.v / b.v
            carried = (a.e + np.abs(q) * b.e) / (np.abs(b.v) - b.e)
            back, err = _two_product(q, b.v)
            exact = (carried == 0) & (back == a.v) & (err == 0) & _integral(q)
            e = carried + np.where(exact, 0.0, np.abs(q) * 2 * HALF_ULP)
            self.flag((q == 0) & (a.v != 0))  # underflow
        if a.i is None or b.i is None:
            return self.settled(q, e)
        # a / b = a.i × 10**(b.p + k) / b.i in 10**-(a.p + k): exact where b.i divides it
        wanted = a.x & b.x & (b.i != 0)
        count = np.count_nonzero(wanted)
        best: tuple[int, Any, int, Any] | None = None
        for k in range(SHIFTS + 1):
            if max(a.p, b.p) + k > PLACES:
                break
            shifted, fits = _shifted(a.i, b.p + k)
            fits = wanted & fits
            quotient, rest = np.divmod(np.where(fits, shifted, 0), np.where(fits, b.i, 1))
            fits = fits & (rest == 0)
            found = int(np.count_nonzero(fits))
            if best is None or found > best[0]:
                best = (found, quotient, a.p + k, fits)
            if found == count:
                break
        if best is None:
            return self.settled(q, e)
        _, quotient, p, fits = best
        z = (quotient == 0) & (below_zero(a) ^ (b.i < 0))
        return self.settled(q, e, quotient, p, fits, z)

    # --- decisions ---------------------------------------------------------------------------

    def sure(self, gap: Any, bound: Any) -> Any:
        """Where a decision `gap` away from its edge is sure: past the bound, or exact."""
        with np.errstate(invalid="ignore"):
            return (np.abs(gap) > bound * SURE) | (bound == 0)

    def decide(self, op: str, a: Num, b: Num, flag: bool = True) -> Any:
        """a `op` b: on whole numbers where both have them, else on floats; rows where the
        floats could decide wrongly flagged (unless `flag` is False: a continuous choice)."""
        with np.errstate(invalid="ignore"):
            took = _COMPARE[op](a.v, b.v)
            exact: Any = False
            both = _aligned(a, b)
            if both is not None:
                ia, ib, _, xa, xb = both
                exact = xa & xb
                took = np.where(exact, _COMPARE[op](ia, ib), took)
            if flag:
                known = ~(np.isnan(a.v) | np.isnan(b.v))
                self.flag(known & ~exact & ~self.sure(a.v - b.v, a.e + b.e))
        return took

    def compare(self, op: str, a: Any, b: Any) -> Any:
        if not isinstance(a, Num) and not isinstance(b, Num):
            return compare(self.xp, op, a, b)  # text, dates, conditions: exact as they are
        a, b = self.number(a), self.number(b)
        raw = np.asarray(self.decide(op, a, b), dtype=float)
        known = ~(np.isnan(a.v) | np.isnan(b.v))
        return self.xp.where(known, raw, _NAN)

    def lookup(self, table: Mapping[str, Decimal], key: Any) -> Num:
        """table[key] for each row; a key the table lacks is the Decimal evaluator's error."""
        if not _is_column(key):
            if key is None:
                return Num(np.float64(_NAN), np.float64(0))
            if not isinstance(key, str) or key not in table:
                raise Declined
            return constant(table[key])
        codes, keys = pd.factorize(key)  # a missing key (None) as -1
        if not all(isinstance(k, str) and k in table for k in keys):
            raise Declined
        made = [constant(table[k]) for k in keys] + [Num(_NAN, 0.0, np.int64(0), 0, False)]
        v = np.array([m.v for m in made], dtype=np.float64)[codes]
        e = np.array([m.e for m in made], dtype=np.float64)[codes]
        if any(m.i is None for m in made):
            return Num(v, e)
        p = max(m.p for m in made)
        held = [_shifted(m.i, p - m.p) for m in made]
        i = np.array([h[0] for h in held], dtype=np.int64)[codes]
        x = np.array([bool(m.x and h[1]) for m, h in zip(made, held, strict=True)])[codes]
        z = np.array([bool(m.z) for m in made])[codes]
        return Num(v, e, i, p, x, z)

    # --- functions ---------------------------------------------------------------------------

    def call(self, node: Call) -> Any:
        if node.fn == "brackets":
            assert node.table is not None
            assert node.mode is not None
            x = self.number(self.eval(node.args[0]))
            return self.bracketed(x, self.brackets[node.table], node.mode)
        if node.fn in ("years_since", "months_since"):
            assert self.as_of is not None, "years_since needs the period's last day"
            dates = self.eval(node.args[0])
            gone = self.xp.missing(dates)
            counts = np.where(gone, 0, self.xp.full_counts(dates, self.as_of, node.fn[0] == "y"))
            v = np.where(gone, _NAN, counts).astype(np.float64)
            return Num(v, 0.0, counts.astype(np.int64), 0, ~gone, False)
        if node.fn == "round":
            digits = 0
            if len(node.args) == 2:
                given = node.args[1]
                assert isinstance(given, Const)
                assert isinstance(given.value, Decimal)
                digits = int(given.value)
            return self.rounded(self.number(self.eval(node.args[0])), digits)
        args = [self.number(self.eval(a)) for a in node.args]
        if node.fn == "abs":
            a = args[0]
            if a.i is None:
                return Num(np.abs(a.v), a.e)
            return Num(np.abs(a.v), a.e, np.abs(a.i), a.p, a.x, False)
        if node.fn == "clamp":
            x, low, high = args
            return self.lesser(self.greater(x, low), high)
        out = args[0]
        for arg in args[1:]:
            out = self.lesser(out, arg) if node.fn == "min" else self.greater(out, arg)
        return out

    def lesser(self, a: Num, b: Num) -> Num:
        """As evaluate's min: a where a ≤ b, else b, missing where either is. Whichever a near
        tie of floats picks, the value is within the larger bound of the true lesser one; it
        is exact only where the choice was made on whole numbers."""
        return self.picked(self.decide("<=", a, b, flag=False), a, b)

    def greater(self, a: Num, b: Num) -> Num:
        return self.picked(self.decide(">=", a, b, flag=False), a, b)

    def picked(self, first: Any, a: Num, b: Num) -> Num:
        out = merge(first, a, b)
        both = _aligned(a, b)
        if both is not None and out.i is not None:
            out = Num(out.v, np.maximum(a.e, b.e), out.i, out.p, out.x & both[3] & both[4], out.z)
        else:
            out = Num(out.v, np.maximum(a.e, b.e))
        return missing_where(np.isnan(a.v) | np.isnan(b.v), out)

    def rounded(self, x: Num, digits: int) -> Num:
        """round(x, digits): half away from zero, as Decimal's quantize with ROUND_HALF_UP;
        a sure rounding is a decimal of `digits` places exactly."""
        k = self.steps(self.multiply(x, whole(10**digits)), decimal.ROUND_HALF_UP)
        self.zero_sign(x, k)
        with np.errstate(invalid="ignore"):
            v = np.where(k == 0, np.copysign(0.0, x.v), k / 10.0**digits)  # k has the sign
            e = np.where((digits == 0) | (k == 0) | np.isnan(v), 0.0, np.abs(v) * 2 * HALF_ULP)
            known = np.isfinite(k)
            i = np.where(known, k, 0).astype(np.int64)
        return Num(v, e, i, digits, known, (i == 0) & self.negative(x))

    def negative(self, x: Num) -> Any:
        """Where x is below zero or -0 (its sign is sure where not flagged by zero_sign)."""
        sign = np.signbit(x.v)
        return sign if x.i is None else np.where(x.x, below_zero(x), sign)

    def steps(self, s: Num, mode: str) -> np.ndarray:
        """s rounded to a whole number by `mode` (as Decimal's rounding of that name): on its
        whole numbers where it has them, else on the float, flagged where not sure."""
        with np.errstate(invalid="ignore"):
            known = ~np.isnan(s.v)
            a = np.abs(s.v)
            floor = np.floor(a)
            part = a - floor  # exact below 2**52
            unsure = known & ~(a < WHOLE)
            if mode in (decimal.ROUND_HALF_UP, decimal.ROUND_HALF_EVEN):
                unsure |= known & ~self.sure(part - 0.5, s.e)
                up = (part > 0.5) | (  # a tie is exact (e = 0)
                    (part == 0.5) & ((floor % 2 == 1) if mode == decimal.ROUND_HALF_EVEN else True)
                )
                k = np.copysign(floor + up, s.v)
            else:
                unsure |= known & ~self.sure(np.minimum(part, 1 - part), s.e)
                k = {
                    decimal.ROUND_DOWN: lambda: np.trunc(s.v),
                    decimal.ROUND_UP: lambda: np.copysign(np.ceil(a), s.v),
                    decimal.ROUND_FLOOR: lambda: np.floor(s.v),
                    decimal.ROUND_CEILING: lambda: np.ceil(s.v),
                }[mode]()
        if s.i is not None:
            k = np.where(s.x, _rounded(s.i, s.p, mode), k)
            unsure &= ~s.x
        k = np.asarray(k, dtype=np.float64)
        with np.errstate(invalid="ignore"):
            unsure |= known & ~(np.abs(k) < WHOLE)  # beyond whole floats: not held exactly
        self.flag(unsure)
        return k

    def zero_sign(self, x: Num, k: np.ndarray) -> None:
        """A rounding to zero keeps the sign of x (-0.00): unsure where that sign is."""
        with np.errstate(invalid="ignore"):
            unsure = (k == 0) & ~(np.abs(x.v) > x.e * SURE)
        self.flag(unsure & ~x.x if x.i is not None else unsure)

    def bracketed(self, x: Num, table: Sequence[Bracket], mode: str) -> Num:
        """As evaluate's brackets: low < x ≤ high. Each limit is a decision; between limits
        the value is continuous."""
        zero = whole(0)
        with decimal.localcontext(CONTEXT):
            limits = [
                (constant(b.low), None if b.high is None else constant(b.high)) for b in table
            ]
            widths = [None if b.high is None else constant(b.high - b.low) for b in table]
        if mode == "marginal":
            out = zero
            for b, (low, high), width in zip(table, limits, widths, strict=True):
                part = merge(self.decide(">", x, low), self.add(x, negate(low)), zero)
                if high is not None and width is not None:
                    part = merge(self.decide("<", x, high), part, width)
                out = self.add(out, self.multiply(part, constant(b.rate)))
        else:
            rate = zero
            for b, (low, high) in reversed(list(zip(table, limits, strict=True))):
                inside = self.decide(">", x, low)
                if high is not None:
                    inside = inside & self.decide("<=", x, high)
                rate = merge(inside, constant(b.rate), rate)
            out = rate if mode == "rate" else self.multiply(x, rate)
        return missing_where(np.isnan(x.v), out)

    # --- the amount --------------------------------------------------------------------------

    def amount(
        self, value: Num, rule: Rule, held: np.ndarray | None
    ) -> tuple[np.ndarray, np.ndarray]:
        """The value as pay's amount: whole numbers of its last place, and the -0 rows."""
        raw = value
        if rule.months != 1:
            raw = self.multiply(raw, whole(rule.months))
        if held is not None:  # divided last, as pay divides
            days = held.astype(np.int64)
            raw = self.multiply(raw, Num(days.astype(np.float64), 0.0, days, 0, True, False))
            raw = self.divide(raw, whole(rule.period_days))
        quantum = rule.quantum
        if quantum < 1 and quantum.as_tuple().digits == (1,):  # quantize: raw × 10**places
            k = self.steps(self.multiply(raw, whole(10**rule.places)), rule.mode)
        else:  # whole steps of the quantum, as pay.round_to takes them
            k = self.steps(self.divide(raw, constant(quantum)), rule.mode)
        self.zero_sign(raw, k)
        k = np.broadcast_to(k, (self.size,))
        with np.errstate(invalid="ignore"):
            fits = np.abs(k) < WHOLE  # not NaN, and whole numbers of the quantum in int64
        self.flag(~fits)
        units = np.where(fits, k, 0).astype(np.int64) * int(quantum.scaleb(rule.places))
        minus = (units == 0) & np.broadcast_to(self.negative(raw), (self.size,)) & fits
        return units, minus


def negate(a: Num, unary: bool = False) -> Num:
    """-a. Decimal's `a - b` adds b with its sign flipped (0 - 0 = 0 + -0); its unary minus
    is 0 - a, which makes any zero +0."""
    if a.i is None:
        return Num(-a.v, a.e)
    return Num(-a.v, a.e, -a.i, a.p, a.x, False if unary else np.logical_not(a.z))


def below_zero(n: Num) -> Any:
    """Where the exact value is below zero or -0 (read where n.x)."""
    return (n.i < 0) | ((n.i == 0) & n.z)


def merge(mask: Any, a: Num, b: Num) -> Num:
    """a where mask, else b: floats, bounds and whole numbers (at the finer places)."""
    v, e = np.where(mask, a.v, b.v), np.where(mask, a.e, b.e)
    both = _aligned(a, b)
    if both is None:
        return Num(v, e)
    ia, ib, p, xa, xb = both
    x = np.where(mask, xa, xb)
    return Num(v, e, np.where(x, np.where(mask, ia, ib), 0), p, x, np.where(mask, a.z, b.z))


def missing_where(gone: Any, n: Num) -> Num:
    """n, but a missing number where `gone`."""
    v, e = np.where(gone, _NAN, n.v), np.where(gone, 0.0, n.e)
    if n.i is None:
        return Num(v, e)
    return Num(v, e, n.i, n.p, n.x & ~np.asarray(gone), n.z)


def _aligned(a: Num, b: Num) -> tuple[Any, Any, int, Any, Any] | None:
    """Both whole numbers at the finer places, and where each is exact there; None when
    either has none."""
    if a.i is None or b.i is None:
        return None
    p = max(a.p, b.p)
    ia, fa = _shifted(a.i, p - a.p)
    ib, fb = _shifted(b.i, p - b.p)
    return ia, ib, p, a.x & fa, b.x & fb


def _shifted(i: Any, by: int) -> tuple[Any, Any]:
    """i × 10**by, and where that stays below LIMIT (0 elsewhere)."""
    if by == 0:
        return i, True
    fits = np.abs(i) < LIMIT // 10**by
    return np.where(fits, i, 0) * np.int64(10**by), fits


def _rounded(i: Any, p: int, mode: str) -> Any:
    """i / 10**p to a whole number by `mode`, exactly."""
    q, r = np.divmod(np.abs(i), np.int64(10**p))
    twice, step = 2 * r, 10**p  # r < 10**18: twice fits
    if mode == decimal.ROUND_HALF_UP:
        up = twice >= step
    elif mode == decimal.ROUND_HALF_EVEN:
        up = (twice > step) | ((twice == step) & (q % 2 == 1))
    elif mode == decimal.ROUND_DOWN:
        up = np.zeros_like(r, dtype=bool)
    elif mode == decimal.ROUND_UP:
        up = r > 0
    elif mode == decimal.ROUND_FLOOR:
        up = (r > 0) & (i < 0)
    else:  # ROUND_CEILING
        up = (r > 0) & (i > 0)
    k = q + up
    return np.where(i < 0, -k, k)


_COMPARE = {
    "<": np.less,
    "<=": np.less_equal,
    ">": np.greater,
    ">=": np.greater_equal,
    "==": np.equal,
    "!=": np.not_equal,
}


def _integral(v: Any) -> Any:
    """Whole numbers a float holds exactly, and Decimals work on exactly (< 2**53)."""
    with np.errstate(invalid="ignore"):
        return (v == np.floor(v)) & (np.abs(v) < WHOLE)


def _inexact(v: Any, carried: Any, err: Any) -> Any:
    """The Decimal evaluator's own rounding at 50 digits: none for a whole number worked
    exactly from exact ones (its digits fit), else a hair of the value."""
    exact = (carried == 0) & (err == 0) & _integral(v)
    return np.where(exact, 0.0, np.abs(v) * DECIMAL)


def _two_sum(a: Any, b: Any) -> tuple[Any, Any]:
    """a + b as a float and its exact rounding error (Knuth)."""
    s = a + b
    bb = s - a
    return s, (a - (s - bb)) + (b - bb)


def _split(a: Any) -> tuple[Any, Any]:
    c = 134217729.0 * a  # 2**27 + 1
    high = c - (c - a)
    return high, a - high


def _two_product(a: Any, b: Any) -> tuple[Any, Any]:
    """a × b as a float and its exact rounding error (Dekker), barring underflow."""
    p = a * b
    ah, al = _split(a)
    bh, bl = _split(b)
    return p, ((ah * bh - p) + ah * bl + al * bh) + al * bl
