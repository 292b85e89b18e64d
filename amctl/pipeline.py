"""run(policy, inputs) → result: the one call commands make. Pure once the inputs are read."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd

from amctl.data.inputs import EMPTY_ROSTER, Inputs, read_inputs
from amctl.data.locate import Source, locate
from amctl.data.rows import Blocked
from amctl.engine import scoring
from amctl.engine.names import TRAINEE, tier_key
from amctl.engine.quotas import current_quota_problems
from amctl.engine.tiers import Boundary, QuotaRow, assign
from amctl.errors import DataError, Finding, Location, Severity
from amctl.period import Period, full_months, full_years
from amctl.policy.loader import LoadedPolicy


@dataclass
class GradeResult:
    policy: LoadedPolicy
    period: Period
    managers: pd.DataFrame  # one row per graded manager (trainees included), by employee id
    blocked: list[Blocked]  # roster rows that could not be graded, with reasons
    findings: list[Finding]  # everything located that the user should see
    quota: list[QuotaRow]
    boundaries: list[Boundary]
    current_quota: list[str]  # the roster's current tiers against the caps
    data: pd.DataFrame = field(default_factory=pd.DataFrame)  # everything a pay formula reads
    sources: dict[str, Source] = field(default_factory=dict)
    hashes: dict[str, str] = field(default_factory=dict)

    @property
    def roster_rows(self) -> int:
        return len(self.managers) + len(self.blocked)


def grade_files(
    loaded: LoadedPolicy,
    roster: Path,
    period: Period,
    *,
    performance: Path | None = None,
    ratings: Path | None = None,
    progress: Callable[[str], None] = lambda step: None,
) -> GradeResult:
    """Locate, read and grade; `progress` hears each step's name (the CLI shows a spinner)."""
    sources = locate(roster, loaded.policy, performance, ratings)
    names = ", ".join(sorted({s.path.name for s in sources.values()}))
    progress(f"reading {names}")
    inputs = read_inputs(sources, loaded.policy)
    progress(f"grading {len(inputs.roster)} managers")
    return grade(loaded, inputs, period)


def grade(loaded: LoadedPolicy, inputs: Inputs, period: Period) -> GradeResult:
    policy = loaded.policy
    roster = inputs.roster.copy()
    blocked = list(inputs.blocked)
    findings = list(inputs.findings)
    roster_src = inputs.sources["roster"]
    rows: dict[str, int] = {str(k): int(v) for k, v in roster["source_row"].items()}
    names: dict[str, str] = {str(k): str(v) for k, v in roster["name"].items()}

    def block(eid: str, rule: str, message: str) -> None:
        row = int(rows[eid])
        where = Location(str(roster_src.path), sheet=roster_src.sheet, row=row)
        findings.append(Finding(where, rule, message, Severity.ERROR, eid))
        existing = next((b for b in blocked if b.employee_id == eid), None)
        if existing is None:
            existing = Blocked(eid, names[eid], where)
            blocked.append(existing)
        existing.reasons.append(f"{where}: {message}")

    as_of = period.end
    starts: list[dt.date] = list(roster["post_start"])
    roster["years_in_post"] = [full_years(s, as_of) for s in starts]
    roster["months_in_post"] = [full_months(s, as_of) for s in starts]
    roster["trainee"] = roster["months_in_post"] < policy.trainee.graduate_after_months
    first_day = period.start or as_of
    leaves = roster["leave_date"]
    for eid, start, leave in zip(roster.index, starts, leaves, strict=True):
        if start > as_of:
            block(
                str(eid),
                "AMD015",
                f"post start {start} is after the as-of date {as_of}; check the date",
            )
        if isinstance(leave, dt.date) and leave < start:
            block(str(eid), "AMD019", f"leave date {leave} is before the post start {start}")
        elif isinstance(leave, dt.date) and leave < first_day:
            block(
                str(eid),
                "AMD020",
                f"left on {leave}, before {first_day}: not graded or paid for "
                f"{period.label}; remove the row from this period's roster",
            )

    perf = inputs.performance.reindex(roster.index)
    perf_ind = scoring.performance_indicators(policy, perf)
    ability_ind, missing = scoring.ability_indicators(policy, inputs.ratings, roster.index)
    no_perf = ~roster.index.isin(inputs.performance.index)
    for eid, is_trainee, lacks in zip(roster.index, roster["trainee"], no_perf, strict=True):
        if is_trainee:
            continue  # trainees are not ranked; missing data is no reason to hold them back
        if lacks:
            block(
                str(eid),
                "AMD011",
                f"no performance row for {eid}; add it to the performance table",
            )
        for gap in missing.get(str(eid), []):
            block(str(eid), "AMD012", f"{gap}; add the ratings or set missing_rater: renormalise")

    blocked_ids = {b.employee_id for b in blocked}
    keep = ~roster.index.isin(blocked_ids)
    roster, perf_ind, ability_ind = roster[keep], perf_ind[keep], ability_ind[keep]
    dims = scoring.dimensions(policy, ability_ind, perf_ind)
    frame = roster.join(dims)
    frame.index.name = "employee_id"
    tiers = assign(policy, frame)

    managers = _assemble(loaded, frame, ability_ind, perf_ind, tiers.level, tiers.band)
    data = frame.join(ability_ind.add_prefix("ability_")).join(perf_ind.add_prefix("performance_"))
    raw = perf[keep].drop(columns=["source_row"], errors="ignore")
    data = data.join(raw[[c for c in raw.columns if c not in data.columns]])
    data["level"], data["band"] = managers["level"], managers["band"]
    managers["rank"] = tiers.rank.astype("Int64")
    managers["reasons"] = tiers.reasons
    current = current_quota_problems(policy, inputs.roster["current_level"])
    blocked.sort(key=lambda b: (b.where.row or 0, b.employee_id or ""))
    findings.sort(key=lambda f: (f.location.path, f.location.sheet or "", f.location.row or 0))
    return GradeResult(
        loaded,
        period,
        managers,
        blocked,
        findings,
        tiers.quota,
        tiers.boundaries,
        current,
        data=data,
        sources=inputs.sources,
        hashes=inputs.hashes,
    )


def _assemble(
    loaded: LoadedPolicy,
    frame: pd.DataFrame,
    ability_ind: pd.DataFrame,
    perf_ind: pd.DataFrame,
    level: pd.Series,
    band: pd.Series,
) -> pd.DataFrame:
    policy = loaded.policy
    labels = {k: lv.label for k, lv in policy.levels.items()} | {TRAINEE: policy.trainee.label}
    out = frame[["name", "org_unit", "years_in_post"]].copy()
    for key in policy.ability.indicators:
        out[f"ability.{key}"] = ability_ind[key]
    out["ability"] = frame["ability"]
    for key in policy.performance.indicators:
        out[f"performance.{key}"] = perf_ind[key]
    for col in ("performance", "composite", "ability_band", "performance_band", "cell", "action"):
        out[col] = frame[col]
    bands = [_str(b) for b in band]
    out["level"] = list(level)
    out["band"] = bands
    out["tier"] = [tier_key(lv, b) for lv, b in zip(level, bands, strict=True)]
    out["tier_label"] = [labels[lv] + (b or "") for lv, b in zip(level, bands, strict=True)]
    out["current_tier"] = [
        tier_key(lv, _str(b)) if _str(lv) else None
        for lv, b in zip(frame["current_level"], frame["current_band"], strict=True)
    ]
    out["rural"] = frame["rural"]
    return out


def _str(value: object) -> str | None:
    """Text, or None for the blanks pandas may hand back as NaN."""
    return value if isinstance(value, str) and value else None


def require_some(result: GradeResult) -> None:
    """Nothing gradable at all is unusable input, not a result."""
    if result.managers.empty:
        roster = result.sources.get("roster")
        errors = [f for f in result.findings if f.severity is Severity.ERROR]
        if roster is not None and not result.blocked:
            where = Location(str(roster.path), sheet=roster.sheet)
            errors.append(Finding(where, "AMD017", EMPTY_ROSTER))
        raise DataError(errors, f"{roster or 'the roster'}: no roster row could be graded")
