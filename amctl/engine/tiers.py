"""Tiers: trainees aside, eligibility gates, then rank and fill levels within their quotas.

Seats per level are its cap (a % of the quota base) rounded by the policy's rule; the managers
are ranked by composite with the policy's tie-break and walked best first, each taking the
highest level they are eligible for that has a seat left. Whoever finds no seat goes to the
overflow level, and the result says so. Bands then split each level by the same ranking.
"""

from __future__ import annotations

import datetime as dt
import functools
import math
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from fractions import Fraction
from typing import Any

import numpy as np
import pandas as pd

from amctl.engine import conditions, dynamics
from amctl.engine.dynamics import History, Past
from amctl.engine.reasons import Reason, reason
from amctl.engine.why import Figures, Lazy, Shared, Why
from amctl.policy.checks import num
from amctl.policy.models import BandCuts, BandSplit, Eligibility, Policy
from amctl.policy.names import TRAINEE, seats


@dataclass(frozen=True)
class QuotaRow:
    level: str
    label: str
    cap_pct: float
    floor_pct: float
    seats: int  # the cap in managers, after rounding
    floor_seats: int
    count: int
    base: int
    ranked: int = 0  # managers the quota ranking placed here, before dynamic rules and overrides

    @property
    def share(self) -> float:
        return self.count / self.base * 100 if self.base else 0.0

    @property
    def over(self) -> int:
        return max(0, self.count - self.seats)


@dataclass(frozen=True)
class Boundary:
    """Who sat at the edge of a level: the last one in and the first one kept out by its cap."""

    level: str
    last_in: str | None
    last_in_composite: float | None
    first_out: str | None
    first_out_composite: float | None


@dataclass(frozen=True)
class Tiering:
    level: pd.Series
    band: pd.Series
    rank: pd.Series  # 1 = best; trainees have none
    reasons: pd.Series  # list[Reason] per manager
    quota: list[QuotaRow]
    boundaries: list[Boundary]
    base: int
    computed: pd.Series  # the level the quota ranking gave, before the dynamic rules
    moved_by: dict[str, str]  # who a dynamic rule keeps away from the computed level: the rule
    why: Why  # the reasons as parts, by position in the frame graded (`reasons` reads it)


def ranked(policy: Policy, frame: pd.DataFrame) -> np.ndarray:
    """The rows of `frame` best first, as positions: composite, then the tie-break keys
    (scores and years high first, a missing one after every number; id low).

    Arrow's multi-key sort, 7x pandas' `sort_values` at a million rows: a missing number
    becomes a "missing" key before its value, so no key has nulls and the order is exact."""
    import pyarrow as pa
    import pyarrow.compute as pc

    if len(frame) == 0:
        return np.arange(0, dtype=np.int64)
    keys = ["composite", *[k for k in policy.tie_break if k != "composite"]]
    if "employee_id" not in keys:
        keys.append("employee_id")
    columns: dict[str, Any] = {}
    order: list[tuple[str, str]] = []
    for i, key in enumerate(keys):
        if key == "employee_id":
            ids = frame[key] if key in frame.columns else frame.index
            columns[f"{i}"] = id_order(ids)
            order.append((f"{i}", "ascending"))
            continue
        values = pd.to_numeric(frame[key]).to_numpy(dtype="float64", na_value=np.nan)
        missing = np.isnan(values)
        if missing.any():  # else a key of one value: every row tied on it, no order from it
            columns[f"{i}-missing"], values = missing, np.where(missing, 0.0, values)
            order.append((f"{i}-missing", "ascending"))
        columns[f"{i}"] = values
        order.append((f"{i}", "descending"))
    best_first = pc.sort_indices(pa.table(columns), sort_keys=order)
    return np.asarray(best_first, dtype=np.int64)


def id_order(ids: pd.Index | pd.Series) -> np.ndarray:
    """The ids as a numeric sort key (the ranking's tie-break, the report's list): their
    positions when they are text already in order (a roster frame is kept sorted by id, and
    Python orders text by code point, as Arrow orders UTF-8), so a million strings are
    neither copied to Arrow nor compared; else their ranks in Arrow's order of the text,
    equal ids equal (a stable sort keeps their order)."""
    import pyarrow as pa
    import pyarrow.compute as pc

    if ids.is_monotonic_increasing and pd.api.types.infer_dtype(ids, skipna=False) == "string":
        return np.arange(len(ids), dtype=np.int64)
    text = pa.array(np.asarray(ids, dtype=object), pa.string())
    return np.asarray(pc.rank(text, sort_keys="ascending", tiebreaker="dense"), dtype=np.int64)


def gate_failures(policy: Policy, gates: Eligibility, row: Mapping[str, Any]) -> list[Reason]:
    """One manager's failed gates (`row`: their values), as `gate_why` says them."""
    return gate_why(policy, gates, lambda key: [row[key]], 1).inner()


def gate_why(policy: Policy, gates: Eligibility, values: Callable[[str], Any], n: int) -> Why:
    """The failed gates of `n` managers, a gate at a time: `values(key)` gives their column
    (the fields and condition results `_eligible` reads). A manager's list is the gates they
    fail, in the policy's order."""
    why = Why(n)
    if gates.min_years_in_post is not None:
        years = np.asarray(values("years_in_post"), dtype="float64")
        low = years < gates.min_years_in_post
        why.add(low, "gate.years", have=years[low].astype(np.int64), need=gates.min_years_in_post)
    if gates.min_education is not None:
        education = np.asarray(values("education"), dtype=object)
        low = _education_rank(policy, education) < _education_order(policy)[gates.min_education]
        why.add(low, "gate.education", have=education[low], need=gates.min_education)
    if gates.min_exam_score is not None:
        given = values("exam_score")
        if getattr(given, "dtype", None) == np.float64:  # read as numbers: NaN is none
            scores = np.asarray(given)
        else:
            exam = pd.to_numeric(pd.Series(given, dtype=object), errors="coerce")
            scores = exam.to_numpy(dtype="float64", na_value=np.nan)
        need = num(gates.min_exam_score)
        missing = np.isnan(scores)
        low = ~missing & (scores < gates.min_exam_score)
        why.add(missing, "gate.no_exam", need=need)
        why.add(low, "gate.exam", have=Figures(scores[low]), need=need)
    for axis in ("composite", "performance", "ability"):
        bar = getattr(gates, f"min_{axis}")
        if bar is not None:
            score = np.asarray(values(axis), dtype="float64")
            low = score < bar
            why.add(low, "gate.score", axis=axis, have=score[low], need=num(bar))
    for condition in gates.conditions:  # their results, computed a column at a time
        held = np.asarray(values(conditions.key(condition.when)), dtype="float64") == 1.0
        why.add(~held, "gate.condition", label=condition.label)
    return why


def _education_order(policy: Policy) -> dict[str, int]:
    return {e: i for i, e in enumerate(policy.education.levels)}


def _education_rank(policy: Policy, education: Any) -> np.ndarray:
    """Each manager's place among the policy's education levels, NaN for one not among them
    (a blank). Each distinct word looked up once: a million cells are hashed (factorize),
    not mapped one by one (twice as long)."""
    codes, words = pd.factorize(np.asarray(education, dtype=object))
    order = _education_order(policy)
    places = np.array([order.get(w, np.nan) for w in words] + [np.nan], dtype="float64")
    rank: np.ndarray = places[codes]  # a blank's code, -1: the NaN at the end
    return rank


def _eligible(
    policy: Policy,
    gates: Eligibility,
    frame: pd.DataFrame,
    met: Mapping[str, np.ndarray],
    education: Callable[[], np.ndarray],
) -> np.ndarray:
    """Who passes a level's gates, a column at a time (gate_failures says why not). `met`:
    each condition's results over `frame` (conditions.condition_values); `education`: each
    manager's place among the education levels (NaN: none), looked up once for all levels."""
    ok = np.ones(len(frame), dtype=bool)
    if gates.min_years_in_post is not None:
        ok &= frame["years_in_post"].to_numpy() >= gates.min_years_in_post
    if gates.min_education is not None:
        ok &= education() >= _education_order(policy)[gates.min_education]
    if gates.min_exam_score is not None:
        exam = frame["exam_score"].astype("float64").to_numpy()
        ok &= ~np.isnan(exam) & (exam >= gates.min_exam_score)
    for axis in ("composite", "performance", "ability"):
        bar_value = getattr(gates, f"min_{axis}")
        if bar_value is not None:
            ok &= frame[axis].to_numpy() >= bar_value
    for condition in gates.conditions:
        ok &= conditions.met(met, condition.when)
    return ok


@dataclass(frozen=True)
class Hold:
    """Managers whose level a review that moves bands only keeps: the level, the period that
    set it, and the review's label (the bands then split the levels as kept)."""

    level: pd.Series
    since: pd.Series
    review: str


def assign(
    policy: Policy,
    frame: pd.DataFrame,
    history: History | Mapping[str, Sequence[Past]] | None = None,
    hold: Hold | None = None,
    *,
    as_of: dt.date | None = None,
) -> Tiering:
    """`frame`: index employee_id; composite, ability, performance, years_in_post,
    months_in_post, education, exam_score, trainee (bool), and what eligibility conditions
    read. With `history` (the ledger's recorded periods per manager, latest first) the dynamic
    rules move levels from there. `as_of`: the period's last day, which conditions count to.

    Whole columns throughout: the walk, the bands and the reasons (`Why`) work a level or a
    band at a time, and nothing is worded or put together per manager here."""
    levels = list(policy.levels)
    names = np.array([*levels, TRAINEE], dtype=object)  # TRAINEE: the index len(levels)
    trainee = frame["trainee"].to_numpy(dtype=bool)
    graded = frame[_graded_fields(policy, frame)].loc[~trainee]  # not the indicators' columns
    gpos = np.flatnonzero(~trainee)  # a graded manager's position in `frame`
    base = len(frame) if policy.quota.base == "all" else len(graded)
    rounding = policy.quota.rounding
    cap = {k: seats(lv.quota.max, base, rounding) for k, lv in policy.levels.items()}
    floor = {k: seats(lv.quota.min, base, rounding) for k, lv in policy.levels.items()}
    why = Why(len(frame))
    months = frame["months_in_post"].to_numpy()[trainee].astype(np.int64)
    why.add(trainee, "trainee", months=months, need=policy.trainee.graduate_after_months)
    at = ranked(policy, graded)  # graded positions, best first
    met = conditions.condition_values(policy, graded, as_of)
    education = functools.cache(lambda: _education_rank(policy, graded["education"]))
    allowed = {
        k: _eligible(policy, policy.levels[k].eligibility, graded, met, education) for k in levels
    }
    composites = graded["composite"].to_numpy(dtype="float64")
    state = Walk(at, gpos, allowed, cap, floor, composites, _reader(frame, gpos, met), why)
    walk = _fill if not any(floor.values()) and bool(allowed[policy.lowest_level].all()) else _walk
    placed, first_out = walk(policy, state)  # a level's index per graded manager
    level = np.full(len(frame), len(levels), dtype=np.int64)
    level[gpos] = placed
    computed = level.copy()
    ids = frame.index.astype(str)
    moved_by: dict[str, str] = {}
    if history is not None:
        past = History.of(history)
        # a manager the ledger has not seen keeps the ranking's level, and says so
        seen = past.seen(ids)
        why.add(gpos[~seen[gpos]], "no_history")
        rows = gpos[at[seen[gpos[at]]]]
        now = names[placed[at[seen[gpos[at]]]]]
        final, cause = dynamics.apply(policy, ids[rows], now, past, why, rows)
        level[rows] = _index_of(levels, final.tolist())
        kept = cause != None  # noqa: E711  (an object column: None where no rule held)
        moved_by.update(zip(ids[rows][kept], cause[kept], strict=True))
    if hold is not None:
        rows = ids.get_indexer(hold.level.index.astype(str))
        kept = (rows >= 0) & ~trainee[np.maximum(rows, 0)]
        rows = rows[kept]
        held = hold.level.to_numpy(dtype=object)[kept]
        since = hold.since.to_numpy(dtype=object)[kept]
        # the walk's seats do not apply to a kept level: its rank does
        why.add(
            rows,
            "held.level",
            how="reset",
            keep=("rank",),
            level=held,
            since=since,
            review=hold.review,
        )
        level[rows] = _index_of(levels, held.tolist())
    band = _bands(policy, gpos[at], level, composites[at], why, names)
    counts = np.bincount(level, minlength=len(levels) + 1)
    ranked_counts = np.bincount(placed, minlength=len(levels) + 1)
    quota = [
        QuotaRow(
            k,
            lv.label,
            lv.quota.max,
            lv.quota.min,
            cap[k],
            floor[k],
            int(counts[i]),
            base,
            int(ranked_counts[i]),
        )
        for i, (k, lv) in enumerate(policy.levels.items())
    ]
    first_out.pop(policy.overflow_level, None)  # kept out of the overflow level: in it anyway
    # the ranking's edges: who the quota walk placed last and kept out first, before the
    # dynamic rules move anyone (they are reported on their own)
    bounds = _boundaries(levels, placed[at], ids[gpos[at]], composites[at], first_out)
    rank = np.full(len(frame), np.nan)
    rank[gpos[at]] = np.arange(1, len(at) + 1)
    index = frame.index
    return Tiering(
        pd.Series(names[level], index=index, dtype=object),
        pd.Series(band, index=index, dtype=object),
        pd.Series(rank, index=index, dtype="float64"),
        why.column(index),
        quota,
        bounds,
        base,
        pd.Series(names[computed], index=index, dtype=object),
        moved_by,
        why,
    )


def _index_of(levels: list[str], keys: Sequence[str]) -> np.ndarray:
    """Level keys as their indexes (TRAINEE after the levels)."""
    known = {k: i for i, k in enumerate([*levels, TRAINEE])}
    return np.fromiter(map(known.__getitem__, keys), dtype=np.int64, count=len(keys))


def _graded_fields(policy: Policy, frame: pd.DataFrame) -> list[str]:
    """The columns of `frame` the ranking, the gates and the conditions read: the graded
    managers' rows are copied of these only, not of every indicator's score."""
    read = {*_GATED, "months_in_post", *policy.tie_break, *conditions.fields(policy)}
    return [c for c in frame.columns if c in read]


_GATED = ("composite", "ability", "performance", "years_in_post", "education", "exam_score")


def _reader(
    frame: pd.DataFrame, gpos: np.ndarray, met: Mapping[str, np.ndarray]
) -> Callable[[str], np.ndarray]:
    """The graded managers' values for their gate failures, a column taken only when a
    reason is shown. It reads the grading frame, which the run keeps: holding the graded
    managers' own copy of it would keep a second frame alive for as long as the reasons."""
    columns: dict[str, np.ndarray] = {}

    def column(key: str) -> np.ndarray:
        if not columns:
            columns.update({f: _values(frame[f])[gpos] for f in _GATED})
            columns.update({conditions.key(w): np.asarray(v) for w, v in met.items()})
        return columns[key]

    return column


def _values(column: pd.Series) -> np.ndarray:
    """A column's values; a nullable number column (the exam score) as floats, NaN for a
    blank, not an object a manager."""
    if isinstance(column.dtype, pd.Float64Dtype | pd.Int64Dtype):
        floats: np.ndarray = column.to_numpy(dtype="float64", na_value=np.nan)
        return floats
    values: np.ndarray = column.to_numpy()
    return values


@dataclass(frozen=True)
class Walk:
    """What the quota walk reads: the ranking (graded positions, best first), where each
    graded manager sits in the frame, who may enter each level, the seats and floors, the
    composites and the managers' values (for the reasons); it writes the reasons in `why`."""

    at: np.ndarray
    gpos: np.ndarray
    allowed: Mapping[str, np.ndarray]  # by graded position
    cap: Mapping[str, int]
    floor: Mapping[str, int]
    composites: np.ndarray  # by graded position
    column: Callable[[str], np.ndarray]  # by graded position
    why: Why


def _failures(policy: Policy, key: str, w: Walk) -> Lazy:
    """A level's gate failures for managers (by frame position), worked out when shown."""
    gates = policy.levels[key].eligibility

    def many(ats: np.ndarray) -> Why:
        graded = np.searchsorted(w.gpos, ats)
        return gate_why(policy, gates, lambda field: w.column(field)[graded], len(ats))

    return Lazy(lambda at: many(np.array([at], dtype=np.int64)).inner(), many)


def _walk(policy: Policy, w: Walk) -> tuple[np.ndarray, dict[str, int]]:
    """The quota walk manager by manager, best first: needed only when a level has a floor
    (seats held back for the levels below depend on who is left at each step). Returns each
    graded manager's level (index) and, per level, the rank position of the first kept out."""
    levels = list(policy.levels)
    taken = dict.fromkeys(levels, 0)
    overflow, rounding = policy.overflow_level, policy.quota.rounding
    cap, floor, allowed = w.cap, w.floor, w.allowed
    placed_at = np.zeros(len(w.at), dtype=np.int64)
    first_out: dict[str, int] = {}
    said: list[list[Reason]] = []
    n = len(w.at)
    gates: dict[str, Why] = {}  # each level's failures of every graded manager, when asked

    def failing(key: str) -> Why:
        if key not in gates:
            eligibility = policy.levels[key].eligibility
            gates[key] = gate_why(policy, eligibility, w.column, len(w.gpos))
        return gates[key]

    for position, g in enumerate(w.at.tolist()):
        why = [reason("rank", n=position + 1, of=n, composite=w.composites[g].item())]
        said.append(why)
        left_after = n - position - 1
        placed = None
        for i, key in enumerate(levels):
            if not allowed[key][g]:
                failures = failing(key).inner(g)
                why.append(reason("not_eligible", level=key, failures=failures))
                continue
            reserved = sum(max(0, floor[k] - taken[k]) for k in levels[i + 1 :])
            if taken[key] >= cap[key]:
                why.append(reason("capped", level=key, taken=taken[key], seats=cap[key]))
                first_out.setdefault(key, position)
                continue
            if left_after < reserved:
                why.append(reason("floors", level=key))
                first_out.setdefault(key, position)
                continue
            placed = key
            break
        if placed is None:
            placed = overflow if allowed[overflow][g] else policy.lowest_level
            why.append(
                reason(
                    "overflow",
                    level=placed,
                    n=taken[placed] + 1,
                    seats=cap[placed],
                    rounding=rounding,
                )
            )
        else:
            why.append(reason("seat", level=placed, n=taken[placed] + 1, seats=cap[placed]))
        taken[placed] += 1
        placed_at[g] = levels.index(placed)
    w.why.extend(w.gpos[w.at], said)
    return placed_at, first_out


def _fill(policy: Policy, w: Walk) -> tuple[np.ndarray, dict[str, int]]:
    """The same walk a level at a time, when no level has a floor: each level takes the best
    of those left who may enter it, up to its seats (seats left are a running count). Whoever
    no level takes goes to the overflow level, or the lowest; overflow only follows a full
    level, so it never takes a seat a later manager would have had. The reasons are the
    walk's, in its order, a part per level: a level tried and why not, then the seat."""
    levels = list(policy.levels)
    cap, why = w.cap, w.why
    n = len(w.at)
    rows = w.gpos[w.at]  # frame positions, best first
    may = {k: w.allowed[k][w.at] for k in levels}
    placed = np.full(n, -1, dtype=np.int64)
    reached = []
    for i, key in enumerate(levels):
        free = placed < 0
        reached.append(free)
        wants = free & may[key]
        placed[wants & (np.cumsum(wants) <= cap[key])] = i
    over = placed < 0
    o, low = levels.index(policy.overflow_level), levels.index(policy.lowest_level)
    placed[over] = np.where(may[policy.overflow_level][over], o, low)
    # each level's managers placed before each position: the walk's running count
    before = {i: np.cumsum(placed == i) - (placed == i) for i in range(len(levels))}
    why.add(rows, "rank", n=np.arange(1, n + 1), of=n, composite=w.composites[w.at])
    first_out: dict[str, int] = {}
    for i, key in enumerate(levels):
        seats = cap[key]
        barred = reached[i] & ~may[key]
        why.add(rows[barred], "not_eligible", level=key, failures=_failures(policy, key, w))
        capped = reached[i] & may[key] & ((placed != i) | over)
        why.add(rows[capped], "capped", level=key, taken=before[i][capped], seats=seats)
        if capped.any():
            first_out[key] = int(np.argmax(capped))
        sat = reached[i] & may[key] & (placed == i) & ~over
        why.add(rows[sat], "seat", level=key, n=before[i][sat] + 1, seats=seats)
    seats_of = np.array([cap[k] for k in levels], dtype=np.int64)
    into = placed[over]
    n_at = np.choose(into, [before[i][over] for i in range(len(levels))]) + 1 if len(into) else into
    names = np.array(levels, dtype=object)
    why.add(
        rows[over],
        "overflow",
        level=names[into],
        n=n_at,
        seats=seats_of[into],
        rounding=policy.quota.rounding,
    )
    out = np.empty(n, dtype=np.int64)
    out[w.at] = placed
    return out, first_out


def _bands(
    policy: Policy,
    rows: np.ndarray,
    level: np.ndarray,
    composites: np.ndarray,
    why: Why,
    names: np.ndarray,
) -> np.ndarray:
    """Each level's bands by the ranking (`rows`: the graded managers' frame positions best
    first, `composites` theirs): a part of the reasons per level."""
    bands = np.array(policy.bands.names, dtype=object)
    rule = policy.bands.rule
    out = np.full(len(level), None, dtype=object)
    ranked_level = level[rows]
    for i, key in enumerate(names.tolist()):
        if key == TRAINEE:  # kept a trainee by a review that does not move levels: no band
            continue
        mine = ranked_level == i
        people = rows[mine]
        n = len(people)
        if not n:
            continue
        if isinstance(rule, BandSplit):
            bounds, acc = [], Fraction(0)
            for share in rule.shares:
                acc += Fraction(str(share))
                bounds.append(math.floor(acc * n / 100 + Fraction(1, 2)))
            sizes = [b - a for a, b in zip([0, *bounds], bounds, strict=False)]
            layout = [[name, size] for name, size in zip(policy.bands.names, sizes, strict=True)]
            # the i-th of the level (best first) falls in the first band whose bound passes i
            ks = np.searchsorted(np.asarray(bounds), np.arange(n), side="right")
            out[people] = bands[ks]
            why.add(
                people,
                "band.split",
                band=bands[ks],
                n=np.arange(1, n + 1),
                of=n,
                level=key,
                split=Shared(layout),
            )
        elif isinstance(rule, BandCuts):
            scores = composites[mine]
            # the first cut a score reaches (cuts high to low), else the last band
            reached = scores[:, None] >= np.asarray(rule.cuts)[None, :]
            ks = np.where(reached.any(axis=1), reached.argmax(axis=1), len(rule.cuts))
            cuts = np.array([num(c) for c in rule.cuts] + [None], dtype=object)
            out[people] = bands[ks]
            why.add(people, "band.cut", band=bands[ks], composite=scores, cut=cuts[ks])
    return out


def _boundaries(
    levels: list[str],
    placed: np.ndarray,
    ids: pd.Index,
    composites: np.ndarray,
    first_out: Mapping[str, int],
) -> list[Boundary]:
    """Per level, the last the walk placed in it and the first its cap kept out (`placed`,
    `ids`, `composites`: best first; `first_out`: rank positions)."""
    out = []
    for i, key in enumerate(levels):
        mine = np.flatnonzero(placed == i)
        last = int(mine[-1]) if len(mine) else None
        gone = first_out.get(key)
        out.append(
            Boundary(
                key,
                str(ids[last]) if last is not None else None,
                float(composites[last]) if last is not None else None,
                str(ids[gone]) if gone is not None else None,
                float(composites[gone]) if gone is not None else None,
            )
        )
    return out
