"""Periods: every form a user types, their days, their order in time, and the path forms."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

from amctl.errors import UsageError
from amctl.period import (
    KINDS,
    before,
    from_path,
    full_counts,
    full_months,
    full_years,
    key,
    make,
    parse,
)


@pytest.mark.parametrize(
    ("text", "label", "start", "end", "months"),
    [
        ("2024-08", "2024-08", "2024-08-01", "2024-08-31", 1),
        ("2024M02", "2024-02", "2024-02-01", "2024-02-29", 1),
        ("2024q3", "2024Q3", "2024-07-01", "2024-09-30", 3),
        ("2024-Q4", "2024Q4", "2024-10-01", "2024-12-31", 3),
        ("2024H1", "2024H1", "2024-01-01", "2024-06-30", 6),
        ("2024H2", "2024H2", "2024-07-01", "2024-12-31", 6),
        (" 2024 ", "2024", "2024-01-01", "2024-12-31", 12),
    ],
)
def test_forms(text: str, label: str, start: str, end: str, months: int) -> None:
    p = parse(text)
    assert (p.label, str(p.start), str(p.end), p.months) == (label, start, end, months)


@pytest.mark.parametrize("text", ["2024Q5", "2024-13", "2024H3", "24Q1", "2024-8-1", "9999"])
def test_not_a_period(text: str) -> None:
    with pytest.raises(UsageError):
        parse(text)


def test_order_is_by_last_day_then_shorter_first() -> None:
    labels = ["2024", "2024-12", "2024Q4", "2024H2", "2024-01", "2023Q4", "2024Q1", "2024-03"]
    assert sorted(labels, key=key) == [
        "2023Q4",
        "2024-01",
        "2024-03",
        "2024Q1",
        "2024-12",
        "2024Q4",
        "2024H2",
        "2024",
    ]


periods = st.builds(
    lambda kind, year, n: make(
        kind,
        year,
        1 if kind == "year" else n % {"month": 12, "quarter": 4, "half": 2}[kind] + 1,
        "test",
    ),
    st.sampled_from(KINDS),
    st.integers(1951, 2099),
    st.integers(0, 11),
)


@given(periods)
def test_a_period_is_read_back_and_follows_the_one_before(p) -> None:  # type: ignore[no-untyped-def]
    assert parse(p.label, "test") == p
    prior = parse(before(p.label))
    assert prior.kind == p.kind and prior.end == p.start - dt.timedelta(days=1)
    assert key(prior.label) < key(p.label)


def test_paths_name_their_period() -> None:
    assert from_path(Path("data/2024-08/roster.xlsx")).label == "2024-08"  # type: ignore[union-attr]
    assert from_path(Path("data/2024H2/roster.xlsx")).label == "2024H2"  # type: ignore[union-attr]
    assert from_path(Path("data/2024/roster.xlsx")).label == "2024"  # type: ignore[union-attr]
    assert from_path(Path("in/roster-2024Q3.xlsx")).label == "2024Q3"  # type: ignore[union-attr]
    assert from_path(Path("/nowhere/team/roster.xlsx")) is None


@given(
    st.lists(st.dates(dt.date(1950, 1, 1), dt.date(2100, 12, 31)), min_size=1, max_size=50),
    st.dates(dt.date(1950, 1, 1), dt.date(2100, 12, 31)),
)
def test_full_counts_are_full_years_and_months_a_column_at_a_time(
    days: list[dt.date], end: dt.date
) -> None:
    column = np.array(days, dtype="datetime64[D]")
    assert full_counts(column, end, years=True).tolist() == [full_years(d, end) for d in days]
    assert full_counts(column, end, years=False).tolist() == [full_months(d, end) for d in days]


def test_as_days_reads_what_numpy_reads() -> None:
    """Arrow's date path gives numpy's days: blanks of every kind as NaT, a time of day
    dropped; text, which Arrow does not take as a date, is read by numpy as before."""
    import numpy as np
    import pandas as pd

    from amctl.period import as_days

    cells = [dt.date(2024, 2, 29), None, dt.datetime(1949, 12, 31, 23, 59), pd.NaT, np.nan]
    got = as_days(np.array(cells, dtype=object))
    assert got.dtype == np.dtype("datetime64[D]")
    assert got.astype(str).tolist() == ["2024-02-29", "NaT", "1949-12-31", "NaT", "NaT"]
    assert as_days(["2024-01-05", None]).astype(str).tolist() == ["2024-01-05", "NaT"]
    days = np.array(["2020-01-01"], dtype="datetime64[s]")
    assert as_days(days).dtype == np.dtype("datetime64[D]")
