"""Grade one period's inputs: scores, tiers within the quotas, the dynamic rules, the
calibration overrides, and the guards on what those rules and overrides did. Pure once the
inputs are read; `amctl.pipeline.run` wraps it with the workspace around a period."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from amctl.data import declared
from amctl.data.inputs import EMPTY_ROSTER_SAID, Inputs, read_inputs
from amctl.data.locate import TABLES, Source, locate
from amctl.data.ratings import RatingRows, no_ratings
from amctl.data.rows import Blocked
from amctl.engine import scoring
from amctl.engine.conditions import condition_row
from amctl.engine.dynamics import RULES, History, Past
from amctl.engine.quotas import current_quota_problems
from amctl.engine.reasons import Reason, reason
from amctl.engine.tiers import Boundary, Hold, QuotaRow, assign, gate_failures
from amctl.errors import DataError, Finding, Location, Severity
from amctl.labels import say as say_reason
from amctl.messages import Said, said
from amctl.period import Period, as_days, full_counts
from amctl.policy.loader import LoadedPolicy
from amctl.policy.locate import position
from amctl.policy.models import Policy, Review
from amctl.policy.names import TRAINEE, per_distinct, tier_key, tier_ladder
from amctl.policy.overrides import Move, Overrides


def tables_read(review: Review | None) -> tuple[str, ...]:
    """The tables a period's review reads (the roster always); every one for an as-of run."""
    return ("roster", *review.reads) if review is not None else TABLES


@dataclass
class GradeResult:
    policy: LoadedPolicy
    period: Period
    managers: pd.DataFrame  # one row per graded manager (trainees included), by employee id
    blocked: list[Blocked]  # roster rows that could not be graded, with reasons
    findings: list[Finding]  # everything located that the user should see
    quota: list[QuotaRow]
    boundaries: list[Boundary]
    current_quota: list[Said]  # the roster's current tiers against the caps
    data: pd.DataFrame = field(default_factory=pd.DataFrame)  # everything a pay formula reads
    rated: RatingRows | pd.DataFrame = field(default_factory=no_ratings)  # who rated what
    sources: dict[str, Source] = field(default_factory=dict)
    hashes: dict[str, str] = field(default_factory=dict)

    @property
    def ratings(self) -> pd.DataFrame:
        """The long table of ratings (employee_id, rater, indicator, score), put together on
        first use: a grade that shows no one's ratings never makes it."""
        return self.rated.frame() if isinstance(self.rated, RatingRows) else self.rated

    def ratings_of(self, employee_id: str) -> pd.DataFrame:
        """One manager's rows of that table."""
        if isinstance(self.rated, RatingRows):
            return self.rated.of(employee_id)
        return self.rated[self.rated["employee_id"] == employee_id]

    @property
    def roster_rows(self) -> int:
        return len(self.managers) + len(self.blocked)

    @property
    def has_findings(self) -> bool:
        """Rows not graded, or an error no row owns (a broken hard cap): exit 1."""
        listed = {b.employee_id for b in self.blocked}
        loose = any(f.severity is Severity.ERROR and f.row_id not in listed for f in self.findings)
        return bool(self.blocked) or loose


def grade_files(
    loaded: LoadedPolicy,
    roster: Path,
    period: Period,
    *,
    performance: Path | None = None,
    ratings: Path | None = None,
    progress: Callable[[Said], None] = lambda step: None,
    history: History | Mapping[str, Sequence[Past]] | None = None,
    overrides: Overrides | None = None,
    review: Review | None = None,
) -> GradeResult:
    """Locate, read and grade; `progress` hears each step's name (the CLI shows a spinner)."""
    sources = locate(roster, loaded.policy, performance, ratings, tables_read(review))
    names = ", ".join(sorted({s.path.name for s in sources.values()}))
    progress(said("pipeline.step_reading", names=names))
    inputs = read_inputs(sources, loaded.policy)
    progress(said("pipeline.step_grading", n=len(inputs.roster)))
    return grade(loaded, inputs, period, history=history, overrides=overrides, review=review)


def grade(
    loaded: LoadedPolicy,
    inputs: Inputs,
    period: Period,
    *,
    history: History | Mapping[str, Sequence[Past]] | None = None,
    overrides: Overrides | None = None,
    review: Review | None = None,
) -> GradeResult:
    """`review`: what the period's review may change (default: levels and bands, from
    performance and ratings); what it may not change stays as the tier in force."""
    policy = loaded.policy
    moves = frozenset(review.moves) if review is not None else frozenset({"level", "band"})
    reads_ratings = review is None or "ratings" in review.reads
    roster = inputs.roster.copy(deep=False)  # grading adds columns; it changes none of these
    blocked = list(inputs.blocked)
    findings = list(inputs.findings)
    roster_src = inputs.sources["roster"]
    rows, names = roster["source_row"], roster["name"]  # read for the managers flagged

    def block(eid: str, rule: str, what: Said) -> None:
        row = int(rows[eid])
        where = Location(str(roster_src.path), sheet=roster_src.sheet, row=row)
        finding = Finding.of(where, rule, what, Severity.ERROR, eid)
        findings.append(finding)
        existing = next((b for b in blocked if b.employee_id == eid), None)
        if existing is None:
            existing = Blocked(eid, str(names[eid]), where)
            blocked.append(existing)
        existing.reasons.append(finding)

    as_of = period.end
    starts = as_days(roster["post_start"].to_numpy(dtype=object))
    roster["years_in_post"] = full_counts(starts, as_of, years=True)
    roster["months_in_post"] = full_counts(starts, as_of, years=False)
    roster["trainee"] = roster["months_in_post"] < policy.trainee.graduate_after_months
    first_day = np.datetime64(period.start or as_of, "D")
    left = roster["leave_date"]
    dated = left.map(type, na_action="ignore").isin([dt.date, dt.datetime])
    leaves = as_days(left.where(dated, None).to_numpy(dtype=object))
    # the checks a column at a time; only the rows they flag are worded
    late = starts > np.datetime64(as_of, "D")
    early_leave = leaves < starts  # NaT compares false: no leave date, no finding
    gone = ~early_leave & (leaves < first_day)
    for at in np.flatnonzero(late | early_leave | gone).tolist():
        eid, start, leave = str(roster.index[at]), str(starts[at]), str(leaves[at])
        if late[at]:
            block(eid, "AMD015", said("pipeline.start_after_as_of", start=start, as_of=str(as_of)))
        if early_leave[at]:
            block(eid, "AMD019", said("pipeline.leave_before_start", leave=leave, start=start))
        elif gone[at]:
            what = said(
                "pipeline.left_before_period",
                leave=leave,
                first_day=str(first_day),
                period=period.label,
            )
            block(eid, "AMD020", what)

    perf = inputs.performance.reindex(roster.index)
    perf_ind = scoring.performance_indicators(policy, perf)
    rated = scoring.rating_cells(policy, inputs.ratings)
    if reads_ratings:
        ability_ind, missing = scoring.ability_indicators(
            policy, inputs.ratings, roster.index, rated
        )
    else:  # the review reads no ratings: no ability score, and none invented
        ability_ind = pd.DataFrame(
            np.nan, index=roster.index, columns=list(policy.ability.indicators), dtype="float64"
        )
        missing = {}
    renormalise = policy.ability.missing_rater == "renormalise"
    absent_raters = scoring.rater_gaps(policy, rated) if renormalise else {}
    del rated  # a million managers' cells (~300 MB): not kept while the tiers are walked
    if "source_row" in perf.columns:  # a row the table lacks has no row number
        no_perf = perf["source_row"].isna().to_numpy()
    else:
        no_perf = ~roster.index.isin(inputs.performance.index)
    strict = policy.ability.missing_rater == "error"
    gapped = roster.index.isin(list(missing)) if missing else np.zeros(len(roster), dtype=bool)
    for at in np.flatnonzero(no_perf | gapped).tolist():  # only the managers with a gap
        eid, is_trainee, lacks = roster.index[at], roster["trainee"].iat[at], no_perf[at]
        gaps = missing.get(str(eid), [])
        if is_trainee and not strict:
            # a trainee is not ranked, so a gap does not hold the tier back; it leaves the
            # scores it would feed empty (no score, no 9-box cell), and says so
            lacking: list[Said | str] = [said("pipeline.no_performance")] if lacks else []
            if lacking or gaps:
                row = int(rows[str(eid)])
                where = Location(str(roster_src.path), sheet=roster_src.sheet, row=row)
                what = said(
                    "pipeline.trainee_gaps",
                    eid=str(eid),
                    gaps=semicolons([*lacking, *gaps]),
                    label=policy.trainee.label,
                )
                rule = "AMD011" if lacking else "AMD012"
                findings.append(Finding.of(where, rule, what, Severity.WARNING, str(eid)))
            continue
        if lacks:
            block(str(eid), "AMD011", said("pipeline.no_performance_row", eid=str(eid)))
        for gap in gaps:
            hint = "pipeline.rating_gap" if strict else "pipeline.rating_gap_or_renormalise"
            block(str(eid), "AMD012", said(hint, gap=gap))

    past = History.of(history)
    force = in_force(roster, past)
    if "level" not in moves or "band" not in moves:
        assert review is not None
        unknown = force["level"].isna() & ~roster["trainee"].astype(bool)
        if not moves:  # a review that keeps tiers cannot give one to whoever has none
            for eid in roster.index[unknown]:
                block(str(eid), "AMD026", said("pipeline.no_tier_in_force", review=review.label))

    blocked_ids = {b.employee_id for b in blocked}
    if blocked_ids:  # none: the frames are not copied to keep every row
        keep = ~roster.index.isin(blocked_ids)
        roster, perf_ind, ability_ind = roster[keep], perf_ind[keep], ability_ind[keep]
        perf, force = perf[keep], force[keep]
    dims = scoring.dimensions(policy, ability_ind, perf_ind)
    # everything known of a manager before the tier: what eligibility conditions and pay read
    frame = roster.join(dims)
    frame = frame.join(ability_ind.add_prefix("ability_")).join(perf_ind.add_prefix("performance_"))
    raw = perf.drop(columns=["source_row"], errors="ignore")
    raw = raw.assign(**declared.typed(policy, raw, "performance", raw.index))
    frame = frame.join(raw[[c for c in raw.columns if c not in frame.columns]])
    frame.index.name = "employee_id"
    hold = None
    if moves == {"band"}:
        assert review is not None
        kept = force["level"].notna()  # a trainee too: graduating is a move of level
        hold = Hold(force["level"][kept], force["level_set"][kept], review.label)
    cadence = policy.cadence
    counted = (  # every period recorded moved levels, unless the cadence has others
        past if cadence.kinds <= cadence.level_kinds else past.counted(cadence.level_kinds)
    )
    moving = history is not None and "level" in moves
    tiers = assign(policy, frame, counted if moving else None, hold, as_of=period.end)
    level, band = tiers.level.copy(), tiers.band.copy()
    why = tiers.why
    level_set = pd.Series(period.label, index=level.index, dtype=object)
    band_set = level_set.copy()
    if hold is not None:
        held_ids = list(hold.level.index)
        level_set[held_ids] = force.loc[held_ids, "level_set"]
    if not moves:  # the tier in force, whole; a trainee by months with none stays one
        assert review is not None
        known = force["level"].notna()
        level[known], band[known] = force["level"][known], force["band"][known]
        level_set[known], band_set[known] = force["level_set"][known], force["band_set"][known]
        tiers_in_force = _tiers(force["level"][known], _texts(force["band"][known]))
        why.add(
            known.to_numpy(dtype=bool),
            "held.tier",
            how="reset",
            tier=tiers_in_force.to_numpy(dtype=object),
            since=force["level_set"][known].to_numpy(dtype=object),
            review=review.label,
        )
    if renormalise:
        at_gap = frame.index.get_indexer(pd.Index(list(absent_raters), dtype=object))
        said_gaps = [[reason("rater_gap", raters=list(a))] for a in absent_raters.values()]
        graded_gaps = at_gap >= 0
        why.extend(
            at_gap[graded_gaps],
            [r for r, ok in zip(said_gaps, graded_gaps.tolist(), strict=True) if ok],
            how="prepend",
        )
    causes: dict[str, str] = dict(tiers.moved_by)  # who a rule moved off the ranking: which
    if moves == {"band"}:  # a review that moves nothing has no ranking to hold anyone from
        causes.update(
            dict.fromkeys((str(e) for e in level.index[level_set != period.label]), "held")
        )
    if overrides is not None and overrides.quarter != period.label:
        findings.append(
            Finding.of(
                overrides.where(),
                "AMC061",
                said(
                    "pipeline.overrides_other_quarter",
                    quarter=str(overrides.quarter),
                    period=period.label,
                ),
            )
        )
    elif overrides is not None:
        said_moves: dict[str, list[Reason]] = defaultdict(list)
        calibrated = _override(
            loaded, overrides, frame, level, band, said_moves, findings, causes, period.end, moves
        )
        why.extend(
            frame.index.get_indexer(pd.Index(list(said_moves), dtype=object)),
            list(said_moves.values()),
        )
        for eid, moved_level in calibrated.items():  # the meeting set it in this period
            band_set[eid] = period.label if band[eid] is not None else None
            if moved_level:
                level_set[eid] = period.label
    band_set = band_set.where(band.notna(), None)  # a trainee has no band to set
    quota = _recount(tiers.quota, level)
    findings += _over_caps(loaded, quota, level, causes, overrides)

    managers = _assemble(loaded, frame, ability_ind, perf_ind, level, band)
    # a review that moves nothing ranks nobody into a level: the level is the one kept
    managers["computed_level"] = tiers.computed if "level" in moves else managers["level"]
    managers["level_set"], managers["band_set"] = level_set, band_set
    managers["training"] = pd.Series(
        _training(policy, ability_ind), index=managers.index, dtype=object
    )
    _movements(policy, managers, past)
    data = frame.copy(deep=False)  # the frame with two columns more: its own are shared
    data["level"], data["band"] = managers["level"], managers["band"]
    # no composite (a review that reads no ratings): no rank either
    managers["rank"] = tiers.rank.where(frame["composite"].notna()).astype("Int64")
    managers["reasons"] = why.column(managers.index)
    current = current_quota_problems(policy, inputs.roster["current_level"])
    blocked.sort(key=lambda b: (b.where.row or 0, b.employee_id or ""))
    findings.sort(key=lambda f: (f.location.path, f.location.sheet or "", f.location.row or 0))
    return GradeResult(
        loaded,
        period,
        managers,
        blocked,
        findings,
        quota,
        tiers.boundaries,
        current,
        data=data,
        rated=inputs.ratings,
        sources=inputs.sources,
        hashes=inputs.hashes,
    )


def in_force(roster: pd.DataFrame, past: History) -> pd.DataFrame:
    """Each manager's tier in force before this period, and the periods that set its level
    and band: the latest recorded run, else the roster's current tier (现等级/现档次)."""
    level = _texts(roster["current_level"])
    band = _texts(roster["current_band"])
    given = level.notna()
    out = pd.DataFrame(
        {
            "level": level,
            "band": band.where(given, None),
            "level_set": pd.Series("roster", index=roster.index, dtype=object).where(given, None),
        },
        index=roster.index,
        dtype=object,
    )
    out["band_set"] = out["level_set"]
    # only managers the ledger has seen (none before the first recorded period)
    latest = past.latest(roster.index.astype(str))  # the ledger's ids are text
    latest.index = roster.index
    seen = latest["quarter"].notna().to_numpy()
    if seen.any():
        got = latest[seen]
        quarter = got["quarter"]
        band = got["band"].copy()
        bare = band.isna()  # recorded before the ledger kept bands apart: read from the tier
        band[bare] = _bands_of(got["tier"][bare], got["level"][bare])
        out.loc[seen, "level"] = got["level"]
        out.loc[seen, "band"] = band
        out.loc[seen, "level_set"] = _or(got["level_set"], quarter)
        out.loc[seen, "band_set"] = _or(got["band_set"], quarter)
    return out


def _or(values: pd.Series, otherwise: pd.Series) -> pd.Series:
    """values, else (None or empty) otherwise: Python's `a or b`, a column at a time."""
    return values.where(values.notna() & values.astype(object).ne(""), otherwise)


def _bands_of(tier: pd.Series, level: pd.Series) -> pd.Series:
    """senior-A → A (a run recorded before the ledger kept bands apart), per distinct pair."""
    return pd.Series(per_distinct(_band_of, tier, level), index=tier.index, dtype=object)


def _band_of(tier: str, level: str) -> str | None:
    """senior-A → A (a run recorded before the ledger kept bands apart)."""
    return tier[len(level) + 1 :] or None if tier.startswith(f"{level}-") else None


def _training(policy: Policy, ability: pd.DataFrame) -> list[str | None]:
    """Seed 000: train where the manager is weakest (weak satisfaction → service skills)."""
    bar = policy.ability.training_below
    if ability.empty:
        return [None] * len(ability)
    # the first of equal lowest, in policy order (a column at a time: numpy's argmin along
    # rows of six is a loop per row); a manager with no score has none
    weakest = np.zeros(len(ability), dtype=np.int64)
    lowest = np.full(len(ability), np.inf)
    for at, key in enumerate(ability.columns):
        score = ability[key].to_numpy(dtype="float64", na_value=np.nan)
        lower = score < lowest  # NaN is never lower: as argmin of NaN taken for +inf
        weakest[lower], lowest[lower] = at, score[lower]
    weak = lowest < bar  # inf: no score, no training
    specs = [policy.ability.indicators[k] for k in ability.columns]

    def course(at: int, score: int) -> str:
        spec = specs[at]
        return f"{spec.label} {score}: {spec.training or spec.label + '培训'}"

    out = np.full(len(ability), None, dtype=object)
    marks = np.rint(lowest[weak]).astype(np.int64)  # a few dozen (indicator, mark) pairs
    out[weak] = per_distinct(course, weakest[weak].tolist(), marks.tolist())
    listed: list[str | None] = out.tolist()
    return listed


_MOVES = np.array(["same", "up", "down", "changed", "new"], dtype=object)


def _movements(policy: Policy, managers: pd.DataFrame, past: History) -> None:
    """The one definition of a move, used by every output: against the manager's tier in the
    latest recorded period before this one, else against the roster's current tier (现等级)."""
    current = managers["current_tier"]
    # a blank 现等级 (a new hire) is no tier: pandas gives it as NaN
    known = pd.Series(_each_distinct(current, _filled), index=current.index, dtype=bool)
    previous = current.where(known, None).astype(object)
    source = pd.Series("roster", index=managers.index, dtype=object).where(known, None)
    latest = past.latest(managers.index)
    seen = latest["quarter"].notna().to_numpy()
    if seen.any():
        previous[seen] = _or(latest["tier"], latest["level"])[seen]
        source[seen] = latest["quarter"][seen]
    tiers = {t: i for i, t in enumerate(tier_ladder(policy))}
    levels = {lv: i for i, lv in enumerate([TRAINEE, *reversed(list(policy.levels))])}
    (was_tier, was_level, given), (now_tier,) = (
        _looked_up(previous, tiers, levels, {}),
        _looked_up(managers["tier"], tiers),
    )
    (now_level,) = _looked_up(managers["level"], levels)
    by_tier = ~np.isnan(was_tier) & ~np.isnan(now_tier)
    by_level = ~by_tier & ~np.isnan(was_level) & ~np.isnan(now_level)  # a level, no band
    a = np.where(by_tier, was_tier, was_level)
    b = np.where(by_tier, now_tier, now_level)
    # codes into five words: a million references to them, not a million strings made
    code = np.where(a == b, 0, np.where(b > a, 1, 2))
    code[~(by_tier | by_level)] = 3
    code[~(given == 1.0)] = 4  # no tier before (None, NaN or an empty word)
    movement = _MOVES[code]
    managers["previous_tier"] = previous
    managers["previous_from"] = source
    managers["movement"] = pd.Series(movement, index=managers.index, dtype=object)


def _looked_up(values: pd.Series, *lookups: Mapping[str, int]) -> list[np.ndarray]:
    """Each lookup's number for every value (NaN where it has none), the column's distinct
    values hashed once for all of them. An empty lookup says whether a value is given: 1.0
    for a truthy one, as `bool` reads it; NaN for a blank."""
    codes, distinct = pd.factorize(values, use_na_sentinel=True)
    out = []
    for lookup in lookups:
        if lookup:
            found = [float(lookup.get(v, np.nan)) for v in distinct]
        else:
            found = [1.0 if v else 0.0 for v in distinct]
        out.append(np.array([*found, np.nan], dtype="float64")[codes])
    return out


def _override(
    loaded: LoadedPolicy,
    overrides: Overrides,
    frame: pd.DataFrame,
    level: pd.Series,
    band: pd.Series,
    reasons: dict[str, list[Reason]],
    findings: list[Finding],
    causes: dict[str, str],
    as_of: dt.date,
    moves: frozenset[str] = frozenset({"level", "band"}),
) -> dict[str, bool]:
    """Apply the calibration meeting's moves, each checked against its level's gates, as far
    as the period's review may move (a review that keeps levels takes a move of band only).
    Who was moved, and whether their level changed."""
    policy = loaded.policy
    tiers: dict[str, tuple[str, str | None]] = {
        tier_key(lv, b): (lv, b) for lv in policy.levels for b in policy.bands.names
    }
    tiers[TRAINEE] = (TRAINEE, None)
    strict = policy.quota.override_gates == "hard"
    moved: dict[str, bool] = {}
    for i, move in enumerate(overrides.moves):
        where = overrides.where(i)
        eid = move.employee_id
        if eid not in level.index:
            findings.append(
                Finding.of(where, "AMC061", said("pipeline.override_not_graded", eid=str(eid)))
            )
            continue
        if move.tier not in tiers:
            findings.append(
                Finding.of(
                    where,
                    "AMC061",
                    said(
                        "pipeline.override_not_a_tier",
                        tier=str(move.tier),
                        eid=str(eid),
                        tiers=list(tiers),
                    ),
                )
            )
            continue
        if policy.calibration.require_approval and not move.approved:
            findings.append(_unapproved(move, where, frame, level, band))
            continue
        lv, b = tiers[move.tier]
        same_level = level[eid] == lv  # a move of band alone: the level's seat and gates stand
        if not moves or (not same_level and "level" not in moves):
            what = "band" if not same_level and moves else "tier"
            findings.append(
                Finding.of(
                    where,
                    "AMC061",
                    said(
                        f"pipeline.override_review_keeps_{what}", eid=str(eid), tier=str(move.tier)
                    ),
                    Severity.WARNING,
                    eid,
                )
            )
            continue
        moved[eid] = not same_level
        level[eid], band[eid] = lv, b
        if not same_level:
            causes[eid] = "override"
        reasons[eid].append(
            reason(
                "override",
                tier=move.tier,
                by=move.by,
                why=move.reason_code,
                comment=move.comment or None,
            )
        )
        if lv == TRAINEE or same_level:
            continue
        row: dict[str, object] = {str(k): v for k, v in frame.loc[eid].items()}
        row.update(condition_row(policy, frame.loc[[eid]], as_of))
        failures = gate_failures(policy, policy.levels[lv].eligibility, row)
        if failures:
            key = "pipeline.override_past_gates" + ("" if strict else "_allowed")
            findings.append(
                Finding.of(
                    where,
                    "AMC064",
                    said(
                        key,
                        eid=str(eid),
                        tier=str(move.tier),
                        level=lv,
                        failures=semicolons([gate_said(f) for f in failures]),
                    ),
                    Severity.ERROR if strict else Severity.WARNING,
                    eid,
                )
            )
            reasons[eid].append(reason("override_gates", level=lv, failures=failures))
    return moved


def _unapproved(
    move: Move, where: Location, frame: pd.DataFrame, level: pd.Series, band: pd.Series
) -> Finding:
    """Seed 004: a county's proposal waits for the city. Listed with who proposed it, not
    applied: the manager keeps the tier the rules gave."""
    eid = move.employee_id
    proposer = move.proposed_by or move.authorised_by
    missing = [k for k in ("approved_by", "approved_on") if getattr(move, k) is None]
    what = said(
        "pipeline.override_not_approved",
        eid=str(eid),
        name=str(frame.at[eid, "name"]),
        tier=move.tier,
        who=proposer if proposer else said("pipeline.override_proposer_unnamed"),
        at=said("pipeline.override_proposed_at", place=move.proposed_at)
        if move.proposed_at
        else "",
        missing=missing,
        computed=tier_key(level[eid], _str(band[eid])),
    )
    return Finding.of(where, "AMC065", what, Severity.WARNING, eid)


def _recount(quota: list[QuotaRow], level: pd.Series) -> list[QuotaRow]:
    counts = level.value_counts()
    return [replace(q, count=int(counts.get(q.level, 0))) for q in quota]


_CAUSES = {
    "step": said("pipeline.cause.step"),
    "promotion": said("pipeline.cause.promotion"),
    "improvement": said("pipeline.cause.improvement"),
    "override": said("pipeline.cause.override"),
    "held": said("pipeline.cause.held"),
}
assert set(_CAUSES) == {*RULES, "override", "held"}


def _over_caps(
    loaded: LoadedPolicy,
    quota: list[QuotaRow],
    level: pd.Series,
    causes: Mapping[str, str],
    overrides: Overrides | None,
) -> list[Finding]:
    """A level the dynamic rules or the overrides took past its cap, naming who sits there by
    which rule. An error unless the policy allows it (quota.dynamics_caps / override_caps)."""
    policy = loaded.policy
    out = []
    for q in quota:
        if q.count <= q.seats or q.count <= q.ranked:
            continue  # within the cap, or no fuller than the ranking left it
        here = [str(e) for e in level.index[(level == q.level) & level.index.isin(list(causes))]]
        head = said(
            "pipeline.cap_head",
            level=q.level,
            label=q.label,
            count=int(q.count),
            seats=int(q.seats),
            cap_pct=float(q.cap_pct),
            base=int(q.base),
            ranked=int(q.ranked),
        )
        ruled = [e for e in here if causes[e] != "override"]
        moved = [e for e in here if causes[e] == "override"]
        if ruled:
            # a level kept by a review that may not move it is reported, never blocking
            hard = policy.quota.dynamics_caps == "hard" and any(causes[e] != "held" for e in ruled)
            groups: dict[str, list[str]] = {}
            for e in ruled:
                groups.setdefault(causes[e], []).append(e)
            why = semicolons(
                [
                    said("pipeline.moved_by", n=len(ids), cause=_CAUSES[c], ids=_ids(ids))
                    for c, ids in sorted(groups.items())
                ]
            )
            fix = said("pipeline.dynamics_caps_hard" if hard else "pipeline.dynamics_caps_advisory")
            line, col = position(loaded.tree, ("levels", q.level, "quota", "max"))
            out.append(
                Finding.of(
                    Location(loaded.path, line=line, col=col),
                    "AMC063",
                    said("pipeline.over_cap_dynamics", head=head, why=why, fix=fix),
                    Severity.ERROR if hard else Severity.WARNING,
                )
            )
        if moved and overrides is not None:
            hard = policy.quota.override_caps == "hard"
            fix = said("pipeline.override_caps_hard" if hard else "pipeline.override_caps_advisory")
            out.append(
                Finding.of(
                    overrides.where(),
                    "AMC062",
                    said(
                        "pipeline.over_cap_overrides",
                        head=head,
                        cause=_CAUSES["override"],
                        ids=_ids(moved),
                        fix=fix,
                    ),
                    Severity.ERROR if hard else Severity.WARNING,
                )
            )
    return out


def _ids(ids: list[str], shown: int = 8) -> Said:
    first = sorted(ids)[:shown]
    if len(ids) > shown:
        return said("pipeline.ids_more", ids=first, more=len(ids) - shown)
    return said("pipeline.ids", ids=first)


_GATES = {
    "gate.years",
    "gate.education",
    "gate.no_exam",
    "gate.exam",
    "gate.score",
    "gate.condition",
}


def gate_said(failure: Reason) -> Said | str:
    """A gate a manager fails (a reason the engine recorded) as a message's part; the label
    layer words the same reasons in a manager's tier reasons."""
    params = dict(failure)
    code = str(params.pop("code", ""))
    if code in _GATES:
        return said(f"pipeline.{code}", **params)
    return say_reason(failure, "en")


def semicolons(items: Sequence[Said | str]) -> Said | str:
    """a; b; c (a；b；c in Chinese) as one message's part: nested two at a time, by halves,
    so a long list stays shallow."""
    if not items:
        return ""
    if len(items) == 1:
        return items[0]
    half = len(items) // 2
    return said("pipeline.then", first=semicolons(items[:half]), then=semicolons(items[half:]))


def located(reason: Finding) -> Said | str:
    """A reason a row was not graded, at its cell: `place: why`."""
    what = reason.said if reason.said is not None else reason.message
    return said("pipeline.at", at=str(reason.location), what=what)


def finding(
    where: Location, rule: str, what: Said | str, severity: Severity = Severity.ERROR
) -> Finding:
    """A finding from words another area gives, as data (a Said) or still as text."""
    if isinstance(what, Said):
        return Finding.of(where, rule, what, severity)
    return Finding(where, rule, what, severity)


def finding_said(f: Finding) -> Said:
    """A finding as one part of a message, as `str(finding)` prints it."""
    return said(
        "pipeline.finding",
        at=str(f.location),
        severity=said(f"pipeline.severity.{f.severity.value}"),
        what=f.said if f.said is not None else f.message,
        rule=f.rule,
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
    bands = _texts(band)
    out["level"] = level.astype(object)
    out["band"] = bands

    def tier_label(a: pd.Series, b: pd.Series) -> pd.Series:
        return a.map(labels).str.cat(b.fillna(""))

    out["tier"], out["tier_label"] = _pairwise([_tiers, tier_label], level, bands)
    current = frame["current_level"]
    named = _texts(current)
    [out["current_tier"]] = _pairwise(
        [lambda a, b: _tiers(a, b).where(a.notna(), None)], named, _texts(frame["current_band"])
    )
    out["rural"] = frame["rural"]
    return out


def _pairwise(
    fns: list[Callable[[pd.Series, pd.Series], pd.Series]], a: pd.Series, b: pd.Series
) -> list[pd.Series]:
    """Each fn over the distinct (a, b) rows alone (a dozen levels and bands), spread back
    over every row: the text work of a column of tiers done a dozen times, not a million,
    and the rows paired once for all the fns."""
    if len(a) == 0:
        return [fn(a, b) for fn in fns]
    left, _ = pd.factorize(a, use_na_sentinel=False)
    right, _ = pd.factorize(b, use_na_sentinel=False)
    pairs = left.astype(np.int64) * (int(right.max()) + 1) + right
    back, _ = pd.factorize(pairs)  # hashed: a million rows are not sorted
    # codes are numbered in order of first appearance: a pair's first row is where the
    # codes reach a new high
    first = np.flatnonzero(np.r_[True, back[1:] > np.maximum.accumulate(back)[:-1]])
    out = []
    for fn in fns:
        done = fn(a.iloc[first], b.iloc[first])  # its dtype is the column's, as fn gave it
        spread = done.to_numpy(dtype=object)[back]
        out.append(pd.Series(spread, index=a.index, dtype=done.dtype))
    return out


def _tiers(level: pd.Series, band: pd.Series) -> pd.Series:
    """tier_key over whole columns: mid-B, or the level alone (a trainee, or no band)."""
    alone = (level == TRAINEE) | band.isna()
    joined = level.astype(object).str.cat(band.fillna("").astype(object), sep="-")
    return joined.where(~alone, level).astype(object)


def _texts(values: pd.Series) -> pd.Series:
    """_str over a whole column: its text, None for blanks, NaN and anything not text."""
    made = _each_distinct(values, _str)  # object: pandas would make all-text a str dtype
    return pd.Series(made, index=values.index, name=values.name, dtype=object)


def _each_distinct(values: pd.Series, fn: Callable[[Any], Any]) -> np.ndarray:
    """fn of each row's value as an object array, worked out once per distinct value (levels
    and bands are a few words over a million rows); NaN and None are fn(None). A text never
    equals a value of another type, so hashing merges no two values fn tells apart."""
    codes, distinct = pd.factorize(values.to_numpy(dtype=object))
    made = np.empty(len(distinct) + 1, dtype=object)  # the last: NaN and None (code -1)
    made[:-1] = [fn(v) for v in distinct]
    made[-1] = fn(None)
    out: np.ndarray = made[codes]
    return out


def _filled(value: object) -> bool:
    """Text with something in it besides white space."""
    text = _str(value)
    return text is not None and bool(text.strip())


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
            errors.append(Finding.of(where, "AMD017", EMPTY_ROSTER_SAID))
        named = str(roster) if roster is not None else said("pipeline.the_roster")
        raise DataError(errors, said("pipeline.nothing_graded", roster=named))
