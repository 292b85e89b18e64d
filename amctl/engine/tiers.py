"""Tiers: trainees aside, eligibility gates, then rank and fill levels within their quotas.

Seats per level are its cap (a % of the quota base) rounded by the policy's rule; the managers
are ranked by composite with the policy's tie-break and walked best first, each taking the
highest level they are eligible for that has a seat left. Whoever finds no seat goes to the
overflow level, and the result says so. Bands then split each level by the same ranking.
"""

from __future__ import annotations

import datetime as dt
import math
from collections import Counter
from collections.abc import Callable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from fractions import Fraction
from typing import Any

import numpy as np
import pandas as pd

from amctl.engine import conditions, dynamics
from amctl.engine.dynamics import Past
from amctl.engine.reasons import Reason, reason
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


def ranking(policy: Policy, frame: pd.DataFrame) -> list[str]:
    """Best first: composite, then the tie-break keys (scores and years high first, id low)."""
    keys = ["composite", *[k for k in policy.tie_break if k != "composite"]]
    if "employee_id" not in keys:
        keys.append("employee_id")
    data = frame.reset_index()
    ascending = [k == "employee_id" for k in keys]
    ordered = data.sort_values(keys, ascending=ascending, kind="mergesort", na_position="last")
    return [str(x) for x in ordered["employee_id"]]


def gate_failures(policy: Policy, gates: Eligibility, row: Mapping[str, Any]) -> list[Reason]:
    out = []
    if gates.min_years_in_post is not None and row["years_in_post"] < gates.min_years_in_post:
        out.append(
            reason("gate.years", have=int(row["years_in_post"]), need=gates.min_years_in_post)
        )
    if gates.min_education is not None:
        order = policy.education.levels
        if order.index(row["education"]) < order.index(gates.min_education):
            out.append(reason("gate.education", have=row["education"], need=gates.min_education))
    if gates.min_exam_score is not None:
        exam = row["exam_score"]
        if pd.isna(exam):
            out.append(reason("gate.no_exam", need=num(gates.min_exam_score)))
        elif exam < gates.min_exam_score:
            out.append(reason("gate.exam", have=num(exam), need=num(gates.min_exam_score)))
    for axis in ("composite", "performance", "ability"):
        bar = getattr(gates, f"min_{axis}")
        if bar is not None and row[axis] < bar:
            out.append(reason("gate.score", axis=axis, have=float(row[axis]), need=num(bar)))
    for condition in gates.conditions:  # their results, computed a column at a time, are in row
        if row[conditions.key(condition.when)] != 1.0:
            out.append(reason("gate.condition", label=condition.label))
    return out


def _eligible(
    policy: Policy,
    gates: Eligibility,
    frame: pd.DataFrame,
    met: Mapping[str, np.ndarray] | None = None,
) -> list[bool]:
    """Who passes a level's gates, a column at a time (gate_failures says why not). `met`:
    each condition's results over `frame` (conditions.condition_values)."""
    ok = np.ones(len(frame), dtype=bool)
    if gates.min_years_in_post is not None:
        ok &= frame["years_in_post"].to_numpy() >= gates.min_years_in_post
    if gates.min_education is not None:
        order = {e: i for i, e in enumerate(policy.education.levels)}
        bar = order[gates.min_education]
        ok &= frame["education"].map(order).to_numpy(dtype="float64") >= bar
    if gates.min_exam_score is not None:
        exam = frame["exam_score"].astype("float64").to_numpy()
        ok &= ~np.isnan(exam) & (exam >= gates.min_exam_score)
    for axis in ("composite", "performance", "ability"):
        bar_value = getattr(gates, f"min_{axis}")
        if bar_value is not None:
            ok &= frame[axis].to_numpy() >= bar_value
    for condition in gates.conditions:
        assert met is not None, "conditions need their values"
        ok &= conditions.met(met, condition.when)
    out: list[bool] = ok.tolist()
    return out


def assign(
    policy: Policy,
    frame: pd.DataFrame,
    history: Mapping[str, Sequence[Past]] | None = None,
    hold: Mapping[str, Reason] | None = None,
    *,
    as_of: dt.date | None = None,
) -> Tiering:
    """`frame`: index employee_id; composite, ability, performance, years_in_post,
    months_in_post, education, exam_score, trainee (bool), and what eligibility conditions
    read. With `history` (the ledger's recorded periods per manager, latest first) the dynamic
    rules move levels from there. `hold`: managers whose level a review that moves bands only
    keeps (a `held.level` reason naming it); the bands then split the levels as kept.
    `as_of`: the period's last day, which conditions count to."""
    levels = list(policy.levels)
    trainee = frame["trainee"].astype(bool)
    graded = frame.loc[~trainee]
    base = len(frame) if policy.quota.base == "all" else len(graded)
    rounding = policy.quota.rounding
    cap = {k: seats(lv.quota.max, base, rounding) for k, lv in policy.levels.items()}
    floor = {k: seats(lv.quota.min, base, rounding) for k, lv in policy.levels.items()}
    taken = dict.fromkeys(levels, 0)
    level: dict[str, str] = dict.fromkeys((str(e) for e in frame.index), TRAINEE)
    reasons: dict[str, list[Reason]] = {str(e): [] for e in frame.index}
    months_of = dict(zip(frame.index, frame["months_in_post"], strict=True))
    for eid in frame.index[trainee]:
        months = int(months_of[eid])
        reasons[str(eid)].append(
            reason("trainee", months=months, need=policy.trainee.graduate_after_months)
        )
    order = ranking(policy, graded)
    fields = ["composite", "ability", "performance", "years_in_post", "education", "exam_score"]
    columns = {f: graded[f].tolist() for f in fields}
    met = conditions.condition_values(policy, graded, as_of)
    for when, values in met.items():
        columns[conditions.key(when)] = values.tolist()
    where = {str(e): i for i, e in enumerate(graded.index)}

    def record(eid: str) -> Mapping[str, Any]:
        return _Row(columns, where[eid])

    allowed = {k: _eligible(policy, policy.levels[k].eligibility, graded, met) for k in levels}
    rank: dict[str, int] = {eid: position + 1 for position, eid in enumerate(order)}
    first_out: dict[str, str] = {}
    overflow = policy.overflow_level
    composites = columns["composite"]
    walk = _fill if not any(floor.values()) and all(allowed[policy.lowest_level]) else _walk
    state = Walk(order, where, allowed, cap, floor, composites, record, level, reasons, first_out)
    walk(policy, state)
    counted = Counter(level[e] for e in order)
    taken = {k: counted.get(k, 0) for k in levels}
    computed = dict(level)
    ranked = dict(taken)
    moved_by: dict[str, str] = {}
    if history is not None:
        ranks = {e: level[e] for e in order}
        level.update(dynamics.apply(policy, ranks, history, reasons, moved_by))
        counted = Counter(level.values())
        taken = {k: counted.get(k, 0) for k in levels}
    if hold:
        kept = {e: why for e, why in hold.items() if e in where}
        for eid, held in kept.items():
            # the walk's seats do not apply to a kept level: its rank does
            reasons[eid] = [r for r in reasons[eid] if r["code"] == "rank"] + [held]
            level[eid] = held["level"]
        counted = Counter(level.values())
        taken = {k: counted.get(k, 0) for k in levels}
    composite = {eid: float(composites[i]) for eid, i in where.items()}
    band = _bands(policy, order, level, composite, reasons, frame.index)
    quota = [
        QuotaRow(
            k,
            lv.label,
            lv.quota.max,
            lv.quota.min,
            cap[k],
            floor[k],
            taken[k],
            base,
            ranked[k],
        )
        for k, lv in policy.levels.items()
    ]
    first_out.pop(overflow, None)  # those kept out of the overflow level land in it anyway
    # the ranking's edges: who the quota walk placed last and kept out first, before the
    # dynamic rules move anyone (they are reported on their own)
    bounds = _boundaries(levels, order, computed, composite, first_out)
    index = frame.index
    keys = [str(e) for e in index]
    return Tiering(
        pd.Series([level[k] for k in keys], index=index, dtype=object),
        band,
        pd.Series([rank.get(k, np.nan) for k in keys], index=index, dtype="float64"),
        pd.Series([reasons[k] for k in keys], index=index),
        quota,
        bounds,
        base,
        pd.Series([computed[k] for k in keys], index=index, dtype=object),
        moved_by,
    )


@dataclass(frozen=True)
class Walk:
    """What the quota walk reads (the ranking, who may enter each level, the seats) and what
    it fills in (each manager's level and reasons, the first kept out of each level)."""

    order: list[str]  # best first
    where: Mapping[str, int]  # an id's row in the columns
    allowed: Mapping[str, list[bool]]
    cap: Mapping[str, int]
    floor: Mapping[str, int]
    composites: list[Any]
    record: Callable[[str], Mapping[str, Any]]
    level: dict[str, str]
    reasons: dict[str, list[Reason]]
    first_out: dict[str, str]


class _Row(Mapping[str, Any]):
    """One manager's values, read from the columns when a gate asks (no dict per manager)."""

    __slots__ = ("_at", "_columns")

    def __init__(self, columns: Mapping[str, Sequence[Any]], at: int) -> None:
        self._columns, self._at = columns, at

    def __getitem__(self, key: str) -> Any:
        return self._columns[key][self._at]

    def __iter__(self) -> Iterator[str]:
        return iter(self._columns)

    def __len__(self) -> int:
        return len(self._columns)


def _walk(policy: Policy, w: Walk) -> None:
    """The quota walk manager by manager, best first: needed only when a level has a floor
    (seats held back for the levels below depend on who is left at each step)."""
    order, where, allowed, cap, floor, composites = (
        w.order,
        w.where,
        w.allowed,
        w.cap,
        w.floor,
        w.composites,
    )
    record, level, reasons, first_out = w.record, w.level, w.reasons, w.first_out
    levels = list(policy.levels)
    taken = dict.fromkeys(levels, 0)
    overflow, rounding = policy.overflow_level, policy.quota.rounding
    for position, eid in enumerate(order):
        at = where[eid]
        why = reasons[eid]
        why.append(reason("rank", n=position + 1, of=len(order), composite=composites[at]))
        left_after = len(order) - position - 1
        placed = None
        for i, key in enumerate(levels):
            if not allowed[key][at]:
                failures = gate_failures(policy, policy.levels[key].eligibility, record(eid))
                why.append(reason("not_eligible", level=key, failures=failures))
                continue
            reserved = sum(max(0, floor[k] - taken[k]) for k in levels[i + 1 :])
            if taken[key] >= cap[key]:
                why.append(reason("capped", level=key, taken=taken[key], seats=cap[key]))
                first_out.setdefault(key, eid)
                continue
            if left_after < reserved:
                why.append(reason("floors", level=key))
                first_out.setdefault(key, eid)
                continue
            placed = key
            break
        if placed is None:
            placed = overflow if allowed[overflow][at] else policy.lowest_level
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
        level[eid] = placed


def _fill(policy: Policy, w: Walk) -> None:
    """The same walk a level at a time, when no level has a floor: each level takes the best
    of those left who may enter it, up to its seats (seats left are a running count). Whoever
    no level takes goes to the overflow level, or the lowest; overflow only follows a full
    level, so it never takes a seat a later manager would have had. The reasons are the
    walk's, in its order: a level tried and why not, then the seat."""
    order, where, allowed, cap, composites = w.order, w.where, w.allowed, w.cap, w.composites
    record, level, reasons, first_out = w.record, w.level, w.reasons, w.first_out
    levels = list(policy.levels)
    n = len(order)
    at = np.array([where[e] for e in order], dtype=np.int64)
    may = {k: np.asarray(allowed[k], dtype=bool)[at] for k in levels}
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
    rounding = policy.quota.rounding
    why = [reasons[e] for e in order]
    for p, composite in enumerate(np.asarray(composites, dtype=object)[at].tolist()):
        why[p].append(reason("rank", n=p + 1, of=n, composite=composite))
    for i, key in enumerate(levels):
        seats = cap[key]
        for p in np.flatnonzero(reached[i]).tolist():
            eid = order[p]
            if not may[key][p]:
                failures = gate_failures(policy, policy.levels[key].eligibility, record(eid))
                why[p].append(reason("not_eligible", level=key, failures=failures))
            elif placed[p] != i or over[p]:
                why[p].append(reason("capped", level=key, taken=int(before[i][p]), seats=seats))
                first_out.setdefault(key, eid)
            else:
                why[p].append(reason("seat", level=key, n=int(before[i][p]) + 1, seats=seats))
    for p in np.flatnonzero(over).tolist():
        key = levels[placed[p]]
        n_at = int(before[int(placed[p])][p]) + 1
        why[p].append(reason("overflow", level=key, n=n_at, seats=cap[key], rounding=rounding))
    names = np.array(levels, dtype=object)[placed]
    level.update(zip(order, names.tolist(), strict=True))


def _bands(
    policy: Policy,
    order: list[str],
    level: dict[str, str],
    composite: dict[str, float],
    reasons: dict[str, list[Reason]],
    index: pd.Index,
) -> pd.Series:
    names = policy.bands.names
    rule = policy.bands.rule
    band: dict[str, str | None] = {}
    members: dict[str, list[str]] = {}
    for eid in order:
        members.setdefault(level[eid], []).append(eid)
    for key, people in members.items():
        if key == TRAINEE:  # kept a trainee by a review that does not move levels: no band
            continue
        n = len(people)
        if isinstance(rule, BandSplit):
            bounds, acc = [], Fraction(0)
            for share in rule.shares:
                acc += Fraction(str(share))
                bounds.append(math.floor(acc * n / 100 + Fraction(1, 2)))
            sizes = [b - a for a, b in zip([0, *bounds], bounds, strict=False)]
            layout = [[name, size] for name, size in zip(names, sizes, strict=True)]
            # the i-th of the level (best first) falls in the first band whose bound passes i
            ks = np.searchsorted(np.asarray(bounds), np.arange(n), side="right").tolist()
            for i, (eid, k) in enumerate(zip(people, ks, strict=True)):
                band[eid] = names[k]
                reasons[eid].append(
                    reason("band.split", band=names[k], n=i + 1, of=n, level=key, split=layout)
                )
        elif isinstance(rule, BandCuts):
            scores = [composite[eid] for eid in people]
            # the first cut a score reaches (cuts high to low), else the last band
            reached = np.asarray(scores)[:, None] >= np.asarray(rule.cuts)[None, :]
            ks = np.where(reached.any(axis=1), reached.argmax(axis=1), len(rule.cuts)).tolist()
            for eid, score, k in zip(people, scores, ks, strict=True):
                band[eid] = names[k]
                cut = num(rule.cuts[k]) if k < len(rule.cuts) else None
                reasons[eid].append(reason("band.cut", band=names[k], composite=score, cut=cut))
    return pd.Series([band.get(str(e)) for e in index], index=index, dtype=object)


def _boundaries(
    levels: list[str],
    order: list[str],
    level: dict[str, str],
    composite: dict[str, float],
    first_out: dict[str, str],
) -> list[Boundary]:
    out = []
    last_of: dict[str, str] = {}
    for e in order:
        last_of[level[e]] = e
    for key in levels:
        last = last_of.get(key)
        out_id = first_out.get(key)
        out.append(
            Boundary(
                key,
                last,
                composite[last] if last else None,
                out_id,
                composite[out_id] if out_id else None,
            )
        )
    return out
