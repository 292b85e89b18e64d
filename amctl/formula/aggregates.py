"""Totals over groups of managers: unit_sum(x), unit_mean(x), unit_count() over the manager's
org unit (部门), company_sum(x), company_mean(x), company_count() over everyone in the run.

A team bonus needs the unit's figures, and these give each manager the figure of their group,
computed over whole columns: the unit codes once, then one scatter-add and one count per
group, never a pass per manager.

- **Rows.** The managers the run pays: the graded and the trainees (joiners and leavers of
  the period included). A manager listed as not graded is in no total.
- **Missing values** of x (a trainee without a performance row) are left out, as a
  spreadsheet's SUM and AVERAGE leave out blank cells: a mean is over the managers with a
  value. A group where no one has a value has no total — a missing value, never 0 — so a
  formula that needs it stops the payroll naming who. `*_count()` counts every manager.
- **Exact.** The values are Decimals added in the formula context (50 digits): a sum of
  amounts in fen is exact; a mean divides once.
"""

from __future__ import annotations

import dataclasses
from decimal import Decimal
from typing import Any

import numpy as np

from amctl.formula.compile import Aggregate

NAN = Decimal("NaN")


def grouped(
    over: str,
    stat: str,
    values: Any,
    known: Any,
    units: np.ndarray | None,
    size: int,
) -> np.ndarray:
    """Each row's group figure. `values`/`known`: x and where it has a value (None for a
    count); `units`: each row's org unit (for over == 'unit')."""
    if size == 0:
        return np.empty(0, dtype=object)
    if over == "unit":
        assert units is not None
        _, codes = np.unique(np.asarray(units).astype(str), return_inverse=True)
        codes = codes.reshape(-1)
    else:
        codes = np.zeros(size, dtype=np.intp)
    groups = int(codes.max()) + 1
    if stat == "count":
        return _decimals(np.bincount(codes, minlength=groups))[codes]
    x = values if isinstance(values, np.ndarray) else np.full(size, values, dtype=object)
    has = np.broadcast_to(np.asarray(known, dtype=bool), (size,))
    counts = np.bincount(codes[has], minlength=groups)
    sums = np.array([Decimal(0)] * groups, dtype=object)
    np.add.at(sums, codes[has], x[has])
    per = sums if stat == "sum" else sums / _decimals(np.maximum(counts, 1))
    per = np.where(counts > 0, per, np.asarray(NAN, dtype=object))
    return np.asarray(per, dtype=object)[codes]


def _decimals(counts: np.ndarray) -> np.ndarray:
    """Whole counts as Decimals, one per group (a loop over units, not managers)."""
    return np.array([Decimal(int(c)) for c in counts], dtype=object)


def aggregates_in(node: Any) -> list[Aggregate]:
    """The aggregates a formula's tree holds, in order; any node kind is walked by its fields."""
    found: list[Aggregate] = [node] if isinstance(node, Aggregate) else []
    if not dataclasses.is_dataclass(node):
        return found
    for f in dataclasses.fields(node):
        value = getattr(node, f.name)
        for child in value if isinstance(value, tuple) else (value,):
            if dataclasses.is_dataclass(child) and not isinstance(child, type):
                found += aggregates_in(child)
    return found
