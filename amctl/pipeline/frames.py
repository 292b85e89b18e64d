"""Grade plain DataFrames, as a notebook holds them: the same reading, checks and grading as a
workbook gets, each frame read as a sheet whose header is its column names."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pandas as pd

from amctl.data.inputs import build_inputs
from amctl.data.locate import Source
from amctl.data.sheets import RawSheet, frame_rows
from amctl.period import Period, parse
from amctl.pipeline.grade import GradeResult, grade, require_some
from amctl.pipeline.payroll import PayrollResult, run_payroll
from amctl.policy.loader import LoadedPolicy, load_policy
from amctl.workspace.policies import bundled_default


def _sheet(frame: pd.DataFrame, name: str) -> RawSheet:
    return RawSheet(name, None, frame_rows(frame))


def _policy(policy: LoadedPolicy | Path | str | None) -> LoadedPolicy:
    if isinstance(policy, LoadedPolicy):
        return policy
    return load_policy(Path(policy) if policy is not None else bundled_default())


def _period(period: Period | str | dt.date) -> Period:
    if isinstance(period, Period):
        return period
    if isinstance(period, dt.date):
        return Period(period.isoformat(), None, period, "the date given")
    return parse(period, "the period given")


def grade_frames(
    roster: pd.DataFrame,
    performance: pd.DataFrame,
    ratings: pd.DataFrame,
    *,
    period: Period | str | dt.date,
    policy: LoadedPolicy | Path | str | None = None,
) -> GradeResult:
    """Grade three frames (headers as HR types them, 员工编号 …) under a policy (default: the
    bundled ct-group). Problems name the frame, row and column, as for a workbook."""
    loaded = _policy(policy)
    sheets = {
        "roster": _sheet(roster, "roster"),
        "performance": _sheet(performance, "performance"),
        "ratings": _sheet(ratings, "ratings"),
    }
    sources = {name: Source(Path(name), None) for name in sheets}
    inputs = build_inputs(sheets, loaded.policy, sources, {})
    result = grade(loaded, inputs, _period(period))
    require_some(result)
    return result


def pay(grading: GradeResult) -> PayrollResult:
    """The period's pay for a grading (the policy's pay section, a quarter's dates)."""
    return run_payroll(grading.policy, grading)
