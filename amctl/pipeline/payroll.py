"""run_payroll(policy, grading, quarter) → pay lines, summaries and the audit facts."""

from __future__ import annotations

import functools
import itertools
from collections.abc import Callable
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

import numpy as np
import pandas as pd

from amctl.data.locate import Source
from amctl.data.rows import Blocked
from amctl.engine import amounts
from amctl.engine.amounts import Amounts
from amctl.engine.pay import PayError, PayPeriod, compute
from amctl.errors import Finding, Location, PolicyError, UsageError
from amctl.messages import Said, said
from amctl.period import Period
from amctl.pipeline.grade import GradeResult
from amctl.policy.loader import LoadedPolicy
from amctl.policy.locate import position


@dataclass
class PayrollResult:
    grading: GradeResult
    # one row per paid manager: the lines (see `lines`), less the money columns pay made in
    # whole numbers alone (`made`), whose Decimals are made only when `lines` is first read:
    # what a payroll of a million managers shows, its totals and sums, needs none of them
    frame: pd.DataFrame
    components: list[str]
    formulas: dict[str, str]
    # the money columns' text and whole numbers as pay made them (engine.amounts), aligned
    # with `frame`; a column not here is made from its Decimals when first read
    made: dict[str, Amounts] = field(default_factory=dict, repr=False)

    def __post_init__(self) -> None:
        left = [c for c in self._money if c not in self.frame.columns]
        assert all(c in self.made and len(self.made[c]) == len(self.frame) for c in left), left

    @functools.cached_property
    def lines(self) -> pd.DataFrame:
        """One row per paid manager; money columns hold Decimals, each component in order,
        then the total."""
        if all(c in self.frame.columns for c in self._money):
            return self.frame
        return pd.DataFrame({c: self.column(c) for c in self.columns}, index=self.frame.index)

    def column(self, name: str) -> pd.Series:
        """A money column, its Decimals made from the whole numbers if the frame has none."""
        if name in self.frame.columns:
            return self.frame[name]
        made = self.made[name].exact()
        assert made is not None  # a column is left out only with its whole numbers
        return pd.Series(made, index=self.frame.index, dtype=object, name=name)

    @property
    def columns(self) -> list[str]:
        """The lines' columns, in order: the money columns last, each component, the total."""
        money = set(self._money)
        return [*(c for c in self.frame.columns if c not in money), *self._money]

    def picked(self, name: str, rows: np.ndarray) -> np.ndarray:
        """A money column's Decimals at `rows` (positions): a page's few, made alone when
        the column is kept in whole numbers."""
        if name in self.frame.columns:
            taken: np.ndarray = self.frame[name].to_numpy(dtype=object)[rows]
            return taken
        made = self.made[name].picked(rows)
        assert made is not None  # a column is left out only with its whole numbers
        return made

    def line(self, employee_id: Any) -> dict[str, Any] | None:
        """One manager's pay line, column by column (money as Decimals), or None when they
        are not paid: explain's, with no other manager's Decimals made."""
        at = int(self.frame.index.get_indexer(pd.Index([employee_id]))[0])
        if at < 0:
            return None
        row = self.frame.iloc[at]
        picked = np.array([at], dtype=np.int64)
        return {
            str(c): row[c] if c in self.frame.columns else self.picked(c, picked)[0]
            for c in self.columns
        }

    @property
    def paid(self) -> int:
        """How many managers are paid: one line each."""
        return len(self.frame)

    @property
    def policy(self) -> LoadedPolicy:
        return self.grading.policy

    @property
    def period(self) -> Period:
        return self.grading.period

    @property
    def blocked(self) -> list[Blocked]:
        return self.grading.blocked

    @property
    def sources(self) -> dict[str, Source]:
        return self.grading.sources

    def summary(self, by: list[str]) -> pd.DataFrame:
        """Head count and sums of every money column, grouped; exact Decimal sums. The lines
        are summed once per cell of org unit × tier (`_cells`: one run of Decimal additions in
        C over a numpy slice of each cell's rows); a summary by unit, by tier or by both adds
        up its cells' sums, a few hundred additions, not a million a column each time. Any
        other grouping sums its groups' rows the same way. Decimal sums are exact, so the
        order of the additions changes no digit."""
        groups = self._keys(by).groupby(by, sort=True)
        out = groups.size().rename("managers").to_frame()
        # each row's group, numbered in `out`'s order; a row with a blank key (-1) is left out
        codes = groups.ngroup().to_numpy(dtype="float64", na_value=-1).astype(np.int64)
        keys, first, sums = self._cells
        if set(by) <= set(keys):  # each cell lies in one group: its first row's
            group_of_cell = codes[first]
            for col in self._money:
                cell_sums = np.array(sums[col], dtype=object)
                out[col] = np.array(
                    [_exact_sum(cell_sums[group_of_cell == g]) for g in range(len(out))],
                    dtype=object,
                )
            return out.reset_index()
        runs = _Runs.of(codes)
        for col in self._money:
            out[col] = np.array(runs.sums(self._reader(col), self.amounts[col]), dtype=object)
        return out.reset_index()

    def totals(self) -> dict[str, Decimal]:
        """Every money column summed over all managers: the summary tables' last row."""
        return dict(self._totals)

    @functools.cached_property
    def _totals(self) -> dict[str, Decimal]:
        _, _, sums = self._cells
        return {c: _exact_sum(np.array(sums[c], dtype=object)) for c in self._money}

    @functools.cached_property
    def _cells(self) -> tuple[list[str], np.ndarray, dict[str, list[Decimal]]]:
        """The lines' cells of org unit × tier (a blank key a cell of its own): the keys, a
        row of each cell, and each money column's sum per cell."""
        keys = [c for c in CELL_KEYS if c in self.frame.columns]
        if keys:
            cell = self.frame.groupby(keys, sort=False, dropna=False).ngroup().to_numpy()
        else:
            cell = np.zeros(len(self.frame), dtype=np.int64)
        runs = _Runs.of(cell.astype(np.int64))
        sums = {col: runs.sums(self._reader(col), self.amounts[col]) for col in self._money}
        return keys, runs.order[runs.starts], sums

    @functools.cached_property
    def amounts(self) -> dict[str, Amounts | None]:
        """Each money column's text and whole numbers (engine.amounts): as pay made them, or
        made now from the Decimals (a payroll read back from the ledger); None for a column
        holding anything but Decimals, which is summed and written cell by cell."""
        made = {c: m for c, m in self.made.items() if len(m) == len(self.frame)}  # its rows
        return {
            col: made[col] if col in made else amounts.column(self.column(col).to_numpy())
            for col in self._money
        }

    def _keys(self, by: list[str]) -> pd.DataFrame:
        """What rows are grouped by: the frame, unless a money column is among them."""
        return self.frame if set(by) <= set(self.frame.columns) else self.lines

    def _reader(self, name: str) -> Callable[[], pd.Series]:
        return lambda: self.column(name)

    @property
    def _money(self) -> list[str]:
        return [*self.components, "total"]

    @property
    def grand_total(self) -> Decimal:
        return self._totals["total"]


CELL_KEYS = ("org_unit", "tier")  # what the summaries group by: each line summed once


@dataclass(frozen=True)
class _Runs:
    """The rows of each code 0, 1, … in row order, one run after another (`order`, from one
    stable sort; rows coded -1 in none), each run beginning at its place in `starts`."""

    order: np.ndarray
    starts: np.ndarray

    @classmethod
    def of(cls, codes: np.ndarray) -> _Runs:
        order = np.argsort(codes, kind="stable")
        count = int(codes.max(initial=-1)) + 1
        bounds = np.searchsorted(codes[order], np.arange(count + 1))
        return cls(order[bounds[0] :], bounds[:-1] - bounds[0])

    def sums(self, column: Callable[[], pd.Series], made: Amounts | None) -> list[Decimal]:
        """Each run's sum of the column, exactly: of its whole numbers when it has them (a
        run of Decimals with the same places sums to those places), else of its Decimals."""
        empty = bool((np.diff(np.append(self.starts, len(self.order))) == 0).any())
        summed = None if made is None or empty else made.sums(self.order, self.starts)
        if summed is not None:
            return summed
        values = column().to_numpy(dtype=object)
        bounds = [*self.starts.tolist(), len(self.order)]
        return [_exact_sum(values[self.order[a:b]]) for a, b in itertools.pairwise(bounds)]


def _exact_sum(values: np.ndarray) -> Decimal:
    return sum(values, Decimal(0))  # Decimals added in C, exactly (no float on the way)


def run_payroll(loaded: LoadedPolicy, grading: GradeResult) -> PayrollResult:
    policy = loaded.policy
    if policy.pay is None:
        line, col = position(loaded.tree, ())
        raise PolicyError(
            [
                Finding.of(
                    Location(loaded.path, line=line, col=col),
                    "AMC031",
                    said("pipeline.no_pay_section"),
                )
            ]
        )
    period = grading.period
    if period.start is None:
        raise UsageError(said("pipeline.pay_needs_period", period=period.label))
    formulas = loaded.formulas  # compiled and checked when the policy was loaded
    data = grading.data
    try:
        made: dict[str, Amounts] = {}
        pay_period = PayPeriod(period.start, period.end, period.months)
        money = compute(policy, formulas, data, pay_period, made, defer=True)
    except PayError as exc:
        why = getattr(exc, "said", None)  # the formula area's words, when it gives them
        error = why if isinstance(why, Said) else str(exc)
        raise UsageError(said("pipeline.pay_failed", path=str(loaded.path), error=error)) from None
    m = grading.managers
    if not money.index.equals(m.index):  # the lines in another order: amounts made again
        paid = [*formulas, "total"]
        for name in paid:
            if name not in money.columns:
                money[name] = made[name].exact()
        money = money[[*(c for c in money.columns if c not in paid), *paid]]  # their order
        made = {}
    lines = pd.DataFrame(
        {
            "name": m["name"],
            "org_unit": m["org_unit"],
            "level": m["level"],
            "band": m["band"],
            "tier": m["tier"],
            "rural": m["rural"],
        },
        index=m.index,
    ).join(money)
    sources = {k: f.source for k, f in formulas.items()}
    return PayrollResult(grading, lines, list(formulas), sources, made)
