"""Quarterly pay: each component's formula over whole columns, prorated, rounded once.

For every graded manager and every component, in policy order:
    amount = formula value × months (when the component is monthly) × days in post ÷ days in
    the period, rounded to a multiple of the policy's quantum with its mode.
The total is the sum of the rounded components, so totals always add up to the cent. Later
components may use earlier ones; they see the earlier formula value, before proration and
rounding, in its own unit.
"""

from __future__ import annotations

import datetime as dt
import decimal
import functools
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, replace
from decimal import Decimal
from itertools import repeat
from typing import Any

import numpy as np
import pandas as pd

from amctl.engine.amounts import Amounts, by_object, first_rows, of_decimals, of_distinct, summed
from amctl.formula import bounded
from amctl.formula.aggregates import aggregates_in
from amctl.formula.arrays import numpy_arrays
from amctl.formula.compile import Aggregate, Formula, Type
from amctl.formula.evaluate import (
    CONTEXT,
    NAN,
    Bracket,
    Env,
    EvalError,
    column,
    evaluate,
    filled,
    missing,
    non_finite,
)
from amctl.messages import Said, said, say
from amctl.period import as_days
from amctl.policy.models import Pay, Policy
from amctl.policy.names import TRAINEE, per_distinct, tier_key
from amctl.policy.payformulas import pay_bands, variables

ONE = Decimal(1)
MAX_AMOUNT = Decimal(10) ** 12  # a per-manager amount beyond this is a formula gone wrong

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
    """A component that cannot be computed for some managers, with who and why."""

    def __init__(self, component: str, problem: Said, employees: list[str]) -> None:
        who = (
            said("formula.employees_more", ids=employees[:10], more=len(employees) - 10)
            if len(employees) > 10
            else said("formula.employees", ids=employees[:10])
        )
        self.said = said("formula.pay_failed", component=component, problem=problem, who=who)
        self.message = say(self.said)  # the English; `said` words it in any language
        super().__init__(self.message)
        self.component, self.employees = component, employees


def round_to(value: Any, quantum: Decimal, mode: str) -> Any:
    """To a multiple of the quantum: 0.01 (fen), 0.05, 1 or 10 yuan alike; a Decimal or a
    column of them (Decimal's own quantize, called by numpy for each value)."""
    xp = numpy_arrays()
    if quantum < 1 and quantum.as_tuple().digits == (1,):
        # 0.01 (the fen), 0.1: the same rounding, to the same exponent, in one call (not 0.10:
        # tenths shown to the fen)
        return xp.quantize(value, quantum, mode)
    steps = xp.quantize(value / quantum, ONE, mode)
    return (
        xp.quantize(steps * quantum, quantum, decimal.ROUND_HALF_EVEN)
        if quantum < 1
        else (steps * quantum)
    )


def days_in_post(starts: pd.Series, leaves: pd.Series, period: PayPeriod) -> np.ndarray:
    """Days of the period the manager held the post: joiners and leavers are prorated."""
    first = np.maximum(_days(starts), np.datetime64(period.start, "D"))
    end = np.datetime64(period.end, "D")
    left = _days(leaves)
    last = np.where(np.isnat(left), end, np.minimum(left, end))
    days: np.ndarray = np.maximum((last - first).astype("int64") + 1, 0)
    return days


def _days(values: pd.Series) -> np.ndarray:
    """Dates as datetime64[D]; anything that is not a date (a blank) as NaT."""
    if values.dtype.kind == "M":
        return values.to_numpy().astype("datetime64[D]")
    cells = values.to_numpy(dtype=object)
    dated = np.fromiter(map(isinstance, cells, repeat(dt.date)), dtype=bool, count=len(cells))
    out = np.full(len(cells), np.datetime64("NaT"), dtype="datetime64[D]")
    out[dated] = as_days(cells[dated])
    return out


def _decimals(values: pd.Series) -> np.ndarray:
    """Numbers as exact decimals of the digits shown (scores are kept to 4 places): a float
    by its shortest repr, a whole number as itself, a blank as NaN; made by C calls."""
    made = _coded_decimals(values)[0]
    assert isinstance(made, np.ndarray)  # made whole: not deferred
    return made


def _coded_decimals(
    values: pd.Series, defer: bool = False
) -> tuple[np.ndarray | _Deferred, np.ndarray | None]:
    """The decimals, and the codes of a plain column: its Decimals are made once per
    distinct value (floats by their bits: -0.0 is not 0.0) and shared by the rows holding
    it, which `compute` reads as one input (the codes say which, as `_coded` would). With
    `defer`, a column too distinct to share them is kept as its numbers (see _Deferred)."""
    plain = isinstance(values.dtype, np.dtype)  # not a nullable column (its blanks are NA)
    if plain and values.dtype.kind in "fiub":
        numbers = values.to_numpy()
        floats = numbers.dtype.kind == "f"
        if floats:
            numbers = numbers.astype("float64", copy=False)
        codes, distinct = pd.factorize(numbers.view(np.int64) if floats else numbers)
        if floats:
            distinct = distinct.view(np.float64)
        if defer and _deferred(len(distinct), len(numbers)):
            return _Deferred(numbers), codes
        return _made(distinct)[codes], codes
    n = len(values)
    cells = values.to_numpy(dtype=object)
    out = np.full(n, NAN, dtype=object)
    known = ~pd.isna(cells)
    kinds = repeat((float, np.floating))
    floats = known & np.fromiter(map(isinstance, cells, kinds), dtype=bool, count=n)
    whole = known & ~floats
    if floats.any():
        shortest = map(repr, map(float, cells[floats]))
        out[floats] = np.fromiter(map(Decimal, shortest), dtype=object)
    if whole.any():  # bools and whole numbers (Python's or numpy's), however large
        out[whole] = np.fromiter(map(Decimal, map(int, cells[whole])), dtype=object)
    return out, None


def _made(numbers: np.ndarray) -> np.ndarray:
    """Floats as the Decimals of their shortest digits, ints (and bools) as themselves."""
    if numbers.dtype.kind == "f":
        made = map(Decimal, map(repr, numbers.tolist()))
    else:  # tolist gives Python's ints (and bools)
        made = map(Decimal, map(int, numbers.tolist()))
    return np.fromiter(made, dtype=object, count=len(numbers))


def _deferred(distinct: int, size: int) -> bool:
    """A column's Decimals are made a block at a time when a million of them would otherwise
    be held whole: more rows than a block, and too distinct for pay to group its rows."""
    return size > _BLOCK and distinct > size * _GROUPED


@dataclass(frozen=True)
class _Deferred:
    """A number column too distinct to share its Decimals (sales, targets), kept as its
    numbers: the Decimals of the rows asked for are made when a block of them is worked, so
    a million of them (100 MB a column) are never held at once. Indexed like an array."""

    numbers: np.ndarray

    def __getitem__(self, rows: slice | np.ndarray) -> np.ndarray:
        return _made(self.numbers[rows])


def person_columns(
    kinds: Mapping[str, Type],
    data: pd.DataFrame,
    names: Iterable[str],
    codes: dict[str, np.ndarray | None] | None = None,
) -> dict[str, Any]:
    """What formulas read of each manager, a column per name: numbers as exact decimals, text
    with None, conditions as 1/0/NaN (rural as it is, true or false), dates as datetime64. A
    name the frame lacks is missing for everyone, and says so when a formula needs it. Into
    `codes`, a number column's codes when its decimals were made per distinct value; a
    column too distinct to share them is then left as its numbers (_Deferred)."""
    size = len(data)
    cols: dict[str, Any] = {}
    for name in names:
        kind = kinds[name]
        values = data[name] if name in data.columns else pd.Series([None] * size, dtype=object)
        if kind in ("str", "date"):
            given = values.astype(object).where(values.notna(), None).tolist()
            cols[name] = column(given) if kind == "str" else as_days(given)
        elif kind == "bool" and values.dtype == bool:
            cols[name] = np.asarray(values, dtype=bool)
        elif kind == "bool":
            cols[name] = values.astype("Float64").to_numpy(dtype=float, na_value=np.nan)
        elif name in data.columns:
            cols[name], coded = _coded_decimals(values, defer=codes is not None)
            if codes is not None and coded is not None:
                codes[name] = coded
        else:
            cols[name] = column([NAN] * size)  # a declared column this table lacks
    return cols


def environment(
    policy: Policy,
    pay: Pay,
    data: pd.DataFrame,
    pay_band: list[str],
    pay_tier: list[str],
    used: set[str] | None = None,
    as_of: dt.date | None = None,
    codes: dict[str, np.ndarray | None] | None = None,
) -> Env:
    """The columns formulas read, as exact decimals; only those in `used` when given. `as_of`,
    the period's last day, is what years_since and months_since count to; `codes` is given
    the codes of the number columns made per distinct value (person_columns)."""
    kinds, _ = variables(policy)

    @functools.cache  # read by both band and tier when a policy reads both
    def band() -> pd.Series:
        return data["band"].where(data["band"].map(type).isin([str]), TRAINEE)

    text: dict[str, Callable[[], Sequence[Any]]] = {  # made only when a formula reads it
        "level": lambda: list(data["level"]),
        "band": lambda: list(band()),
        "tier": lambda: per_distinct(tier_key, data["level"], band()),
        "pay_band": lambda: pay_band,
        "pay_tier": lambda: pay_tier,
        "education": lambda: list(data["education"]),
        "org_unit": lambda: list(data["org_unit"]),
    }
    wanted = [name for name in kinds if used is None or name in used]
    cols: dict[str, Any] = {name: column(text[name]()) for name in wanted if name in text}
    cols.update(person_columns(kinds, data, [name for name in wanted if name not in text], codes))
    cols.update(pay.parameters)
    brackets = {
        name: [Bracket(b.from_, b.to, b.rate) for b in rows] for name, rows in pay.brackets.items()
    }
    return Env(cols, pay.tables, brackets, len(data), as_of)


def _why(formula: Formula, env: Env, row: int) -> Said:
    def gone_at(name: str) -> bool:
        value = env.columns[name]
        return bool(missing(value[row : row + 1][0] if _rows(value) else value))

    gone = sorted(n for n in formula.names if gone_at(n))
    if gone:
        return said("formula.needs_missing", names=gone)
    return said("formula.not_a_number")


def compute(
    policy: Policy,
    formulas: Mapping[str, Formula],
    data: pd.DataFrame,
    period: PayPeriod,
    amounts: dict[str, Amounts] | None = None,
    *,
    defer: bool = False,
) -> pd.DataFrame:
    """One row per manager: pay band/tier, days, each rounded component, total (Decimals).
    Into `amounts`, each money column's text and whole numbers (engine.amounts), made from
    each distinct amount once where rows share it, for the outputs to read. With `defer`, a
    money column worked out in whole numbers is left out of the frame: its million Decimals
    are made only if something reads them (`PayrollResult.lines`)."""
    pay = policy.pay
    assert pay is not None
    pay_band, pay_tier = pay_bands(policy, pay, data["level"], data["band"], data["rural"])
    used = set().union(*(f.names for f in formulas.values())) if formulas else set()
    coded = _Codes(len(data))
    env = environment(policy, pay, data, pay_band, pay_tier, used, period.end, coded.known)
    days = days_in_post(data["post_start"], data["leave_date"], period)
    quantum, mode = pay.rounding.quantum, ROUNDING[pay.rounding.mode]
    out = pd.DataFrame(index=data.index)
    out["pay_band"], out["pay_tier"], out["days"] = pay_band, pay_tier, days
    held = numpy_arrays().decimals(days)
    period_days = Decimal(period.days)
    columns = dict(env.columns)
    coded.known["days in post"] = pd.factorize(days)[0]
    with decimal.localcontext(CONTEXT):
        for name, formula in formulas.items():
            component = pay.components[name]
            read = sorted(formula.names) + (["days in post"] if component.prorate else [])
            groups = None if aggregates_in(formula.tree) else coded.groups(read, columns)
            read_here = {n: columns[n] for n in formula.names}  # only these: blocks slice them
            here = Env(read_here, env.tables, env.brackets, env.size, env.as_of)
            held_here = held
            if groups is not None:  # each distinct input once; its rows share the result
                first = groups.first
                picked = {n: _at(columns[n], first) for n in formula.names}
                here = Env(picked, env.tables, env.brackets, len(first), env.as_of)
                held_here = held[first]

            def who(rows: list[int], groups: _Groups | None = groups) -> list[str]:
                """The managers a component fails for (their ids made text only then)."""
                at = groups.rows(rows) if groups else rows
                named: list[str] = data.index[at].astype(str).tolist()
                return named

            months = period.months if (component.per or pay.per) == "month" else 1
            # every row is prorated, a full period's too: at 50 digits × days ÷ days is not
            # always the value itself (x / 22 * 22), and explain works it this way
            held_for = held_here if component.prorate else None
            rule = _Rule(months, held_for, period_days, quantum, mode)
            if groups is None and name not in used and _BOUNDED:  # too distinct to group
                prorated = days if component.prorate else None
                fast = _fast(name, formula, columns, data, env, rule, prorated, period.days, who)
                if fast is not None:
                    huge = _past(fast)
                    if huge:
                        raise PayError(name, said("formula.amount_too_large"), who(huge))
                    if amounts is not None:
                        amounts[name] = fast
                    if not (defer and amounts is not None):
                        out[name] = fast.exact()
                    continue
            try:
                value, rounded, bad = _blocks(formula.tree, here, rule, keep=name in used)
            except EvalError as exc:
                raise PayError(name, exc.said, who(exc.rows)) from None
            if bad:  # the first row's reason: its group is the first one (codes go in order)
                raise PayError(name, _why(formula, here, bad[0]), who(bad))
            made = None
            if amounts is not None:
                made = of_distinct(rounded, groups.codes) if groups else of_decimals(rounded)
            huge = _beyond(rounded) if made is None or made.values is None else _past(made)
            if huge:
                raise PayError(name, said("formula.amount_too_large"), who(huge))
            if amounts is not None and made is not None:
                amounts[name] = made
            if groups is not None:
                rounded = rounded[groups.codes]
            if value is not None:  # a later formula reads it; else a million Decimals let go
                columns[name] = value[groups.codes] if groups is not None else value
                coded.known[name] = groups.codes if groups is not None else None
            out[name] = rounded
    made = None  # the total's whole numbers: summed from the components' when each has them
    if amounts is not None and set(formulas) <= set(amounts):
        made = summed([amounts[n] for n in formulas])
    if made is not None and made.values is not None:  # amounts is not None
        assert amounts is not None
        amounts["total"] = made
        if not defer:
            out["total"] = made.exact()
        return out
    total = np.full(len(data), Decimal(0), dtype=object)
    with decimal.localcontext(CONTEXT):
        for name in formulas:  # a component left out of the frame is made now: it is read
            left = None if name in out or amounts is None else amounts[name].exact()
            amount = out[name].to_numpy() if left is None else left
            for start in range(0, len(total), _BLOCK):  # in place: no second million
                rows = slice(start, start + _BLOCK)
                total[rows] = total[rows] + amount[rows]
    made = of_decimals(total) if amounts is not None else None
    out["total"] = total
    if amounts is not None and made is not None:
        amounts["total"] = made
    return out


_BLOCK = 65_536  # rows a component is worked out for at a time
_BOUNDED = True  # components too distinct to group are worked in bounded floats first


def _fast(
    name: str,
    formula: Formula,
    columns: Mapping[str, Any],
    data: pd.DataFrame,
    env: Env,
    rule: _Rule,
    days: np.ndarray | None,
    period_days: int,
    who: Callable[[list[int]], list[str]],
) -> Amounts | None:
    """A component's amounts worked in floats that carry their error (formula.bounded), and
    in Decimals only for the rows where that could decide otherwise: the very amounts `_blocks`
    gives every row, at a few float passes. None when the formula has a part bounded floats
    do not take, or an amount not in whole numbers: it is then worked in Decimals whole."""
    if not formula.names <= set(env.columns):  # reads an earlier component: in Decimals
        return None
    inputs = _bounded_inputs(formula.names, columns, data)
    if inputs is None:
        return None
    floated = bounded.Rule(rule.months, days, period_days, rule.quantum, rule.mode)
    try:
        units, minus, unsure = bounded.amounts(
            formula.tree, inputs, env.tables, env.brackets, env.size, env.as_of, floated
        )
    except bounded.Declined:
        return None
    rows = np.flatnonzero(unsure)
    if len(rows):
        picked = {n: _at(columns[n], rows) for n in formula.names}
        here = Env(picked, env.tables, env.brackets, len(rows), env.as_of)
        held = None if rule.held is None else rule.held[rows]
        try:
            _, exact, bad = _blocks(formula.tree, here, replace(rule, held=held), keep=False)
        except EvalError:
            return None  # worked whole, its error names every row
        if bad:
            raise PayError(name, _why(formula, here, bad[0]), who(rows[bad].tolist()))
        made = of_decimals(exact)
        if made is None or made.values is None or made.places != floated.places:
            return None
        units[rows] = made.values
        minus[rows] = False
        minus[rows[made.minus]] = True
    return Amounts(floated.places, units, minus=np.flatnonzero(minus))


def _bounded_inputs(
    names: Iterable[str], columns: Mapping[str, Any], data: pd.DataFrame
) -> dict[str, Any] | None:
    """What bounded floats read: each number column as the floats its Decimals were made of
    (a plain numeric column of the data), the rest as the Decimal evaluator reads it; None
    when a number column is not such (an earlier component's value, a column of objects)."""
    out: dict[str, Any] = {}
    for name in names:
        value = columns[name]
        if isinstance(value, _Deferred):
            out[name] = bounded.numbers(value.numbers)
        elif isinstance(value, np.ndarray) and value.dtype == object and _decimal_column(value):
            if name not in data.columns:
                return None
            source = data[name]
            if not isinstance(source.dtype, np.dtype) or source.dtype.kind not in "fiub":
                return None  # a nullable or object column: its blanks are not NaN
            out[name] = bounded.numbers(source.to_numpy())
        else:
            out[name] = value
    return out


def _decimal_column(values: np.ndarray) -> bool:
    """Whether an object column holds numbers (Decimals), not text: told by a row with one."""
    return any(isinstance(v, Decimal) for v in values[:1])


@dataclass(frozen=True)
class _Rule:
    """How a component's value becomes its amount: × months, × days in post ÷ days in the
    period (held: None when not prorated), rounded to the quantum."""

    months: int
    held: np.ndarray | None
    period_days: Decimal
    quantum: Decimal
    mode: str

    def amount(self, value: Any, rows: slice | None = None) -> Any:
        raw = value * Decimal(self.months) if self.months != 1 else value
        if self.held is not None:  # divide last: a half cent stays exactly a half cent
            held = self.held if rows is None else self.held[rows]
            raw = raw * held / self.period_days
        return round_to(raw, self.quantum, self.mode)


def _blocks(tree: Any, env: Env, rule: _Rule, keep: bool) -> tuple[Any, Any, list[int]]:
    """A component over `env`: its value (when `keep`: a later formula reads it), its amount
    and the rows whose value is not a finite number. Worked a block of rows at a time, so
    the Decimals in between (a quotient, a product, a bracket's rate, the unrounded amount)
    are made for one block, not a million rows at once; every step is row by row, so the
    numbers are those of the whole column. A formula over totals (unit_sum …) is worked
    whole, and so is one that fails: its error names every row it fails for."""

    def whole() -> tuple[Any, Any, list[int]]:
        made = {name: _at(column, slice(None)) for name, column in env.columns.items()}
        value = evaluate(tree, replace(env, columns=made))
        bad = non_finite(value)
        return (value if keep else None), None if bad else rule.amount(value), bad

    if env.size <= _BLOCK or aggregates_in(tree):
        return whole()
    values: list[Any] = []
    amounts: list[Any] = []
    bad: list[int] = []
    for start in range(0, env.size, _BLOCK):
        rows = slice(start, min(start + _BLOCK, env.size))
        columns = {name: _at(column, rows) for name, column in env.columns.items()}
        try:
            value = evaluate(tree, replace(env, columns=columns, size=rows.stop - start))
        except EvalError:
            return whole()  # raises the whole column's error, which names every row
        bad += [start + at for at in non_finite(value)]
        if bad:  # no amount is made of a value that is not a number; the rest only looked at
            continue
        if keep:
            values.append(value)
        amounts.append(rule.amount(value, rows))
    if bad:
        return None, None, bad
    return (np.concatenate(values) if keep else None), np.concatenate(amounts), bad


_GROUPED = 0.5  # inputs this distinct or less are worked once each (a constant, a tier's wage)


@dataclass(frozen=True)
class _Groups:
    """Rows grouped by a formula's inputs: rows of one group hold the very same inputs."""

    codes: np.ndarray  # each row's group, numbered in the order the groups first occur
    first: np.ndarray  # each group's first row

    def rows(self, groups: list[int]) -> list[int]:
        """The rows of these groups, in row order."""
        found: list[int] = np.flatnonzero(np.isin(self.codes, groups)).tolist()
        return found


class _Codes:
    """Each input column's codes: equal codes, the same value to the last digit (the same
    Decimal object, the same text, the same bits). A column not coded (None) is read whole."""

    def __init__(self, size: int) -> None:
        self.size = size
        self.known: dict[str, np.ndarray | None] = {}

    def of(self, name: str, value: Any) -> np.ndarray | None:
        if name not in self.known:
            self.known[name] = _coded(value)
        return self.known[name]

    def groups(self, names: list[str], columns: Mapping[str, Any]) -> _Groups | None:
        """The rows grouped by these inputs, or None when that would not pay: an input not
        coded, or more distinct inputs than _GROUPED of the rows."""
        key = np.zeros(self.size, dtype=np.int64)
        for name in names:
            value = columns.get(name)  # None: not a column (the days in post)
            if value is not None and not _rows(value):
                continue  # a parameter: the same for every row
            codes = self.of(name, value)
            if codes is None:
                return None
            # a pair of codes as one number below size²; numbered again, so key stays < size
            key = pd.factorize(key * (int(codes.max(initial=0)) + 2) + codes + 1)[0]
            if key.max(initial=0) + 1 > self.size * _GROUPED:
                return None
        return _Groups(key, first_rows(key))


def _coded(value: Any) -> np.ndarray | None:
    """Codes of a column whose equal codes hold equal values exactly, or None. Decimals by
    the object (rows sharing one are the same number; `_decimals` shares them), text by its
    characters, numbers and dates by their bits."""
    if not isinstance(value, np.ndarray) or value.ndim != 1:
        return None
    if value.dtype.kind in "fMm":
        return pd.factorize(value.view(np.int64))[0]
    if value.dtype.kind in "biu":
        return pd.factorize(value)[0]
    if value.dtype != object:
        return None
    kinds = set(map(type, value))
    if kinds <= {str, type(None)}:
        codes: np.ndarray = pd.factorize(value)[0]  # None as -1: one value, like any other
        return codes
    return by_object(value)


def _rows(value: Any) -> bool:
    """Whether an input is a column (a value per row), not a parameter."""
    return isinstance(value, (np.ndarray, _Deferred))


def _at(value: Any, rows: np.ndarray | slice) -> Any:
    """These rows of a column (a deferred one's Decimals made now); a parameter as it is."""
    return value[rows] if _rows(value) else value


def _beyond(amounts: Any) -> list[int]:
    """The rows whose amount is not a finite number or is more than MAX_AMOUNT. Looked for
    on floats (an amount a billionth or more inside the bound is inside it, however a float
    rounds it), then the few left, and those that are not finite, exactly as decimals."""
    with np.errstate(invalid="ignore"):
        inside = np.abs(amounts.astype(float)) < float(MAX_AMOUNT) * (1 - 1e-9)
    near = np.flatnonzero(~inside)
    if not len(near):
        return []
    picked = amounts[near]
    beyond = {
        *non_finite(picked),
        *np.flatnonzero((abs(picked) > MAX_AMOUNT).astype(bool)).tolist(),
    }
    out: list[int] = near[sorted(beyond)].tolist()
    return out


def _past(made: Amounts) -> list[int]:
    """`_beyond` from the amounts' whole numbers (finite all, as they are whole numbers),
    with no float made of a Decimal: the rows (or distinct amounts) past MAX_AMOUNT."""
    assert made.values is not None
    limit = int(MAX_AMOUNT) * 10**made.places
    past: list[int] = np.flatnonzero(np.abs(made.values) > limit).tolist()
    return past


def worked(
    policy: Policy,
    formulas: Mapping[str, Formula],
    data: pd.DataFrame,
    period: PayPeriod,
    lang: str = "en",
    whole: pd.DataFrame | None = None,
) -> dict[str, dict[str, Any]]:
    """One manager's pay worked by hand (`data`: their one row): each component's formula with
    the values filled in, its value per unit, the months and days it is paid for, and the
    amount; computed as `compute` does, so the amounts are the payroll's. `whole` is the run's
    data: a total over the unit or the run (unit_sum …) is the run's, not the one row's."""
    assert len(data) == 1
    pay = policy.pay
    assert pay is not None
    pay_band, pay_tier = pay_bands(policy, pay, data["level"], data["band"], data["rural"])
    used = set().union(*(f.names for f in formulas.values())) if formulas else set()
    env = environment(policy, pay, data, pay_band, pay_tier, used, period.end)
    totals = (
        _run_totals(policy, formulas, whole, data.index[0], period.end) if whole is not None else {}
    )
    held = int(days_in_post(data["post_start"], data["leave_date"], period)[0])
    quantum, mode = pay.rounding.quantum, ROUNDING[pay.rounding.mode]
    columns = dict(env.columns)
    out: dict[str, dict[str, Any]] = {}
    with decimal.localcontext(CONTEXT):
        for name, formula in formulas.items():
            component = pay.components[name]
            scoped = Env(columns, env.tables, env.brackets, 1, env.as_of, totals)
            value = evaluate(formula.tree, scoped)
            columns[name] = value
            per = component.per or pay.per
            months = period.months if per == "month" else 1
            raw = value[0] * Decimal(months)
            if component.prorate:
                raw = raw * Decimal(held) / Decimal(period.days)
            out[name] = {
                "filled": filled(formula.tree, scoped, lang),
                "value": value[0],
                "per": per,
                "months": months,
                "days": held if component.prorate else None,
                "period_days": period.days,
                "amount": round_to(raw, quantum, mode),
            }
    return out


def _run_totals(
    policy: Policy,
    formulas: Mapping[str, Formula],
    whole: pd.DataFrame,
    employee: Any,
    as_of: dt.date,
) -> dict[Aggregate, np.ndarray]:
    """Each aggregate's value for one manager, taken over the whole run as `compute` takes
    it (earlier components evaluated over every row); nothing when no formula has one."""
    wanted = {name: aggregates_in(f.tree) for name, f in formulas.items()}
    if not any(wanted.values()):
        return {}
    pay = policy.pay
    assert pay is not None
    pay_band, pay_tier = pay_bands(policy, pay, whole["level"], whole["band"], whole["rural"])
    used = set().union(*(f.names for f in formulas.values()))
    env = environment(policy, pay, whole, pay_band, pay_tier, used, as_of)
    at = int(whole.index.get_indexer(pd.Index([employee]))[0])
    columns = dict(env.columns)
    totals: dict[Aggregate, np.ndarray] = {}
    with decimal.localcontext(CONTEXT):
        for name, formula in formulas.items():
            scoped = Env(columns, env.tables, env.brackets, env.size, env.as_of)
            for node in wanted[name]:
                totals[node] = evaluate(node, scoped)[at : at + 1]
            columns[name] = evaluate(formula.tree, scoped)
    return totals
