"""Quarters and the as-of date: grading counts years in post up to the period's last day."""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass
from pathlib import Path

from amctl.errors import UsageError
from amctl.messages import said

_QUARTER = re.compile(r"(?<![0-9])(\d{4})[-_ ]?[Qq]([1-4])(?![0-9])")


@dataclass(frozen=True)
class Period:
    label: str  # "2024Q3", or the as-of date when no quarter is known
    start: dt.date | None
    end: dt.date  # the as-of date
    inferred_from: str  # how it was chosen, shown to the user

    @property
    def months(self) -> int:
        return 3 if self.start is not None else 0


def quarter(text: str, how: str = "the quarter named") -> Period:
    m = _QUARTER.fullmatch(text.strip())
    if not m:
        raise UsageError(said("period.not_a_quarter", text=text))
    year, q = int(m.group(1)), int(m.group(2))
    if not 1950 <= year <= 2100:  # 9999Q4 is a typo, not a payroll
        raise UsageError(said("period.year_range", text=text))
    start = dt.date(year, 3 * q - 2, 1)
    end = dt.date(year, 12, 31) if q == 4 else dt.date(year, 3 * q + 1, 1) - dt.timedelta(days=1)
    return Period(f"{year}Q{q}", start, end, how)


def from_path(path: Path) -> Period | None:
    """data/2024Q3/roster.xlsx or roster-2024Q3.xlsx names its quarter."""
    for part in reversed(path.resolve().parts):
        m = _QUARTER.search(part)
        if m:
            return quarter(f"{m.group(1)}Q{m.group(2)}", f"the path {path}")
    return None


def previous_quarter(label: str) -> str:
    """2024Q1 → 2023Q4: the period a quarter's dynamic rules expect to be recorded."""
    year, q = int(label[:4]), int(label[-1])
    return f"{year - 1}Q4" if q == 1 else f"{year}Q{q - 1}"


def full_years(start: dt.date, end: dt.date) -> int:
    return end.year - start.year - ((end.month, end.day) < (start.month, start.day))


def full_months(start: dt.date, end: dt.date) -> int:
    return (end.year - start.year) * 12 + end.month - start.month - (end.day < start.day)
