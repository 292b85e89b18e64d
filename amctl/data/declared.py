"""The per-person columns a policy declares with a type (用工性质, 参加工作日期, 最佳销售奖):
how each is read from its table, what a blank or a wrong cell means, and the typed column the
grading and the formulas get.

A declared column the table lacks is a missing column at read time, located like any other. A
blank cell takes the column's `default`; without one it keeps the row from being graded, and
so does a choice the policy does not list or a word that is not yes/no.
"""

from __future__ import annotations

import datetime as dt
import unicodedata
from collections.abc import Mapping, Sequence
from typing import Any

import numpy as np
import pandas as pd

from amctl.data.tables import FieldSpec, Table
from amctl.messages import said
from amctl.period import as_days
from amctl.policy.models import Column, Policy, column_default
from amctl.policy.payformulas import declared

EARLIEST = dt.date(1950, 1, 1)  # a date before this is a typo, not a career (as for 任职日期)
KINDS = {"number": "number", "text": "text", "choice": "text", "yesno": "yesno", "date": "date"}


def specs(policy: Policy, table: str) -> list[FieldSpec]:
    """How the table reads each column the policy declares for it: required, blank only with
    a default; a % sign in a plain number column is refused as in a metric."""
    return [
        FieldSpec(
            key,
            KINDS[col.type],
            allow_blank=col.default is not None,
            unit="number" if col.type == "number" else None,
        )
        for key, col in declared(policy).items()
        if col.source == table
    ]


def settle(table: Table, policy: Policy, which: str) -> None:
    """Blank cells take their default, choices are checked against the policy's list, dates
    before 1950 are reported: each problem at its cell, its row kept from grading."""
    for key, col in declared(policy).items():
        if col.source != which or key not in table.values:
            continue
        if col.type in ("number", "text", "yesno") and col.default is None:
            continue  # read as they are: nothing more to settle (the metrics, most often)
        values = np.array(table.values[key], dtype=object)
        blank = pd.isna(pd.Series(values, dtype=object)).to_numpy()
        fill = column_default(col)
        if fill is not None:
            values[blank] = fill
        if col.type == "choice":
            values = _choices(table, key, col, values)
        elif col.type == "date":
            _early(table, key, values)
        table.values[key] = values.tolist()


def _choices(table: Table, key: str, col: Column, values: np.ndarray) -> np.ndarray:
    """Each cell one of the choices, matched as written once widths and spaces are folded."""
    allowed = col.choices or []
    lookup = {unicodedata.normalize("NFKC", c).strip(): c for c in allowed}
    given = pd.Series(values, dtype=object)
    found = given.map(lookup)
    for position in np.flatnonzero((given.notna() & found.isna()).to_numpy()).tolist():
        message = said(
            "data.choice_unknown",
            header=table.header(key),
            value=str(values[position]),
            choices=list(allowed),
            name=key,
        )
        table.report(position, key, "AMD009", message)
    out: np.ndarray = found.astype(object).where(found.notna(), None).to_numpy()
    return out


def _early(table: Table, key: str, values: np.ndarray) -> None:
    days = as_days(values)
    for position in np.flatnonzero(days < np.datetime64(EARLIEST)).tolist():
        message = said(
            "data.date_too_early",
            header=table.header(key),
            date=str(values[position]),
            year=EARLIEST.year,
        )
        table.report(position, key, "AMD007", message)


def typed(
    policy: Policy, columns: Mapping[str, Sequence[Any]] | pd.DataFrame, which: str, index: pd.Index
) -> dict[str, pd.Series]:
    """The declared columns of one table as the frames keep them (on `index`): yes/no as
    boolean, text and dates as objects with None where the data gives nothing (a trainee with
    no performance row; pandas would otherwise make text NaN), numbers of the roster as
    Float64 (those of the performance table stay float64, as its metrics always were)."""
    out: dict[str, pd.Series] = {}
    for key, col in declared(policy).items():
        if col.source != which or key not in columns:
            continue
        if col.type == "number" and which != "roster":
            continue  # the performance table's numbers: the frame's float64 as they are
        given = columns[key]
        if isinstance(given, pd.Series):
            values = given.to_numpy(dtype=object, copy=True)  # not list(): a call per cell
        else:
            values = np.fromiter(given, dtype=object, count=len(given))
        values[pd.isna(values)] = None
        if col.type == "number":
            out[key] = pd.Series(pd.array(values, dtype="Float64"), index=index)
        elif col.type == "yesno":
            out[key] = pd.Series(pd.array(values, dtype="boolean"), index=index)
        else:
            out[key] = pd.Series(values, dtype=object, index=index)
    return out
