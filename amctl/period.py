"""Periods and the as-of date: grading counts years in post up to the period's last day.

A period is a month (2024-08), a quarter (2024Q3), a half (2024H2) or a year (2024). Their
labels do not sort as text ("2024" < "2024-08" < "2024H1" < "2024Q1"), so everything that
orders periods uses `key`: by last day, and a shorter period before a longer one ending the
same day (the December pay run, then the fourth quarter's review, then the second half's,
then the year's).
"""

from __future__ import annotations

import datetime as dt
import functools
import re
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any, Literal

if TYPE_CHECKING:
    import numpy as np

from amctl.errors import UsageError
from amctl.messages import said

Kind = Literal["month", "quarter", "half", "year"]
KINDS: tuple[Kind, ...] = ("month", "quarter", "half", "year")
MONTHS: dict[str, int] = {"month": 1, "quarter": 3, "half": 6, "year": 12}

_FORMS: dict[Kind, re.Pattern[str]] = {
    "quarter": re.compile(r"(\d{4})[-_ ]?[Qq]([1-4])"),
    "half": re.compile(r"(\d{4})[-_ ]?[Hh]([12])"),
    "month": re.compile(r"(\d{4})[-_ ]?(?:[Mm]|-)?(0[1-9]|1[0-2])"),
    "year": re.compile(r"(\d{4})"),
}
# a period inside a longer name (roster-2024Q3.xlsx); a bare year only as a whole folder name
_INSIDE: dict[Kind, re.Pattern[str]] = {
    "quarter": re.compile(r"(?<![0-9])(\d{4})[-_ ]?[Qq]([1-4])(?![0-9])"),
    "half": re.compile(r"(?<![0-9])(\d{4})[-_ ]?[Hh]([12])(?![0-9])"),
    "month": re.compile(r"(?<![0-9])(\d{4})-(0[1-9]|1[0-2])(?![0-9])"),
}


@dataclass(frozen=True)
class Period:
    label: str  # "2024Q3", "2024-08", "2024H2", "2024", or the as-of date
    start: dt.date | None  # None for an as-of date: no period, no pay
    end: dt.date  # the as-of date
    inferred_from: str  # how it was chosen, shown to the user
    kind: Kind | None = None  # None for an as-of date

    @property
    def months(self) -> int:
        return MONTHS[self.kind] if self.kind is not None else 0


def _bounds(kind: Kind, year: int, n: int) -> tuple[dt.date, dt.date]:
    first = {"month": n, "quarter": 3 * n - 2, "half": 6 * n - 5, "year": 1}[kind]
    last = first + MONTHS[kind] - 1
    end = dt.date(year, 12, 31) if last == 12 else dt.date(year, last + 1, 1) - dt.timedelta(1)
    return dt.date(year, first, 1), end


def _label(kind: Kind, year: int, n: int) -> str:
    return {"month": f"{year}-{n:02d}", "quarter": f"{year}Q{n}", "half": f"{year}H{n}"}.get(
        kind, str(year)
    )


def make(kind: Kind, year: int, n: int, how: str) -> Period:
    start, end = _bounds(kind, year, n)
    return Period(_label(kind, year, n), start, end, how, kind)


def parse(text: str, how: str = "the period named") -> Period:
    """2024-08, 2024Q3, 2024H2 or 2024 (2024M08, 2024-Q3 and 2024q3 are read too)."""
    clean = text.strip()
    for kind, form in _FORMS.items():
        m = form.fullmatch(clean)
        if m:
            year = int(m.group(1))
            if not 1950 <= year <= 2100:  # 9999Q4 is a typo, not a payroll
                raise UsageError(said("period.year_range", text=text))
            return make(kind, year, int(m.group(2)) if kind != "year" else 1, how)
    raise UsageError(said("period.not_a_period", text=text))


def from_path(path: Path) -> Period | None:
    """data/2024Q3/roster.xlsx, roster-2024Q3.xlsx, data/2024-08/, data/2024/ name their
    period; the part nearest the file wins."""
    for part in reversed(path.resolve().parts):
        stem = Path(part).stem if "." in part else part
        if re.fullmatch(r"\d{4}", stem) and 1950 <= int(stem) <= 2100:
            return parse(stem, f"the path {path}")
        for kind, form in _INSIDE.items():
            m = form.search(part)
            if m:
                year, n = int(m.group(1)), int(m.group(2))
                if 1950 <= year <= 2100:
                    return make(kind, year, n, f"the path {path}")
    return None


def key(label: str) -> str:
    """A label's place in time as text that sorts: its last day, then shorter periods first.
    An as-of date (2024-09-30) sorts as that day, before any period ending on it."""
    try:
        p = parse(label)
    except UsageError:
        return f"{label}.0"
    assert p.kind is not None
    return f"{p.end.isoformat()}.{KINDS.index(p.kind) + 1}"


def before(label: str) -> str:
    """2024Q1 → 2023Q4, 2024-01 → 2023-12: the period of the same kind just before."""
    p = parse(label)
    assert p.start is not None
    assert p.kind is not None
    return parse_day(p.start - dt.timedelta(days=1), p.kind).label


def parse_day(day: dt.date, kind: Kind) -> Period:
    """The period of a kind that holds a day."""
    n = {
        "month": day.month,
        "quarter": (day.month - 1) // 3 + 1,
        "half": (day.month - 1) // 6 + 1,
        "year": 1,
    }[kind]
    return make(kind, day.year, n, f"the {kind} of {day.isoformat()}")


@functools.lru_cache(maxsize=256)
def kind_of(label: str) -> Kind | None:
    """A recorded label's kind (None for an as-of date)."""
    try:
        return parse(label).kind
    except UsageError:
        return None


def as_days(values: Any) -> np.ndarray:
    """Dates (datetime.date; None, NaN or NaT for a blank) as datetime64[D], NaT where
    blank. Arrow reads a million date objects four times as fast as numpy does; what it does
    not take as a date (text), numpy reads as before."""
    import numpy as np
    import pyarrow as pa

    if isinstance(values, np.ndarray) and values.dtype.kind == "M":
        return values.astype("datetime64[D]")
    try:
        days: np.ndarray = pa.array(values, pa.date32(), from_pandas=True).to_numpy(
            zero_copy_only=False
        )
    except (pa.ArrowInvalid, pa.ArrowTypeError, TypeError):
        return np.asarray(values, dtype="datetime64[D]")
    return days


def full_counts(days: np.ndarray, end: dt.date, *, years: bool) -> np.ndarray:
    """Full years (or months) from each day (datetime64[D]) to `end`, as full_years and
    full_months count them, a column at a time (NaT gives a meaningless number: mask it)."""

    month_start = days.astype("datetime64[M]")
    months = month_start.astype("int64")  # months since 1970-01
    day = (days - month_start).astype("int64") + 1
    if years:  # a year is full once the month and day of the date come round again
        month = months % 12
        short = (end.month - 1 < month) | ((end.month - 1 == month) & (end.day < day))
        counted: np.ndarray = end.year - (months // 12 + 1970) - short
        return counted.astype("int64")
    end_months = (end.year - 1970) * 12 + end.month - 1
    counted_months: np.ndarray = end_months - months - (end.day < day)
    return counted_months.astype("int64")


def full_years(start: dt.date, end: dt.date) -> int:
    return end.year - start.year - ((end.month, end.day) < (start.month, start.day))


def full_months(start: dt.date, end: dt.date) -> int:
    return (end.year - start.year) * 12 + end.month - start.month - (end.day < start.day)
