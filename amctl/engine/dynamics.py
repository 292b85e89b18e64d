"""Dynamic adjustment (seed 002, 动态调整): tiers move from the previous period by rules.

The quota ranking gives each manager a *computed* level for this period. Against the level
they held last period (from the ledger):
- a move up or down is at most `max_level_step` levels (a trainee graduates into the lowest);
- a promotion needs `promotion_after` qualifying periods in a row, this one included;
- a demotion comes only after `demotion_after` periods in a row below the held level's bar
  (the improvement period); until then the manager keeps the level.
A held promotion leaves its seat empty this period; the quota table shows the final counts.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass

import numpy as np
import pandas as pd

from amctl.engine.why import Why
from amctl.period import key as period_key
from amctl.period import kind_of
from amctl.policy.models import Policy
from amctl.policy.names import TRAINEE


@dataclass(frozen=True)
class Past:
    """One recorded period of one manager: the level held and the level the ranking gave."""

    quarter: str
    level: str
    computed: str
    tier: str = ""
    band: str | None = None
    level_set: str | None = None  # the period whose review set the level (None: unknown)
    band_set: str | None = None


def ladder(policy: Policy) -> list[str]:
    """Levels lowest first, trainee below them all."""
    return [TRAINEE, *reversed(list(policy.levels))]


RULES = {  # the policy key of each rule that can hold a manager away from the computed level
    "step": "dynamics.max_level_step",
    "promotion": "dynamics.promotion_after",
    "improvement": "dynamics.demotion_after",
}


FIELDS = ("level", "computed", "tier", "band", "level_set", "band_set")


@dataclass(frozen=True)
class PastRun:
    """One recorded run's results, a column per field, the managers by id."""

    quarter: str
    ids: pd.Index
    columns: Mapping[str, np.ndarray]  # FIELDS → object arrays aligned with ids


@dataclass(frozen=True)
class History:
    """The recorded periods before this one, latest first, a run at a time: what the dynamic
    rules, the tier in force and the moves read, without a list per manager."""

    runs: tuple[PastRun, ...] = ()

    @classmethod
    def of(cls, past: Mapping[str, Sequence[Past]] | History | None) -> History:
        """From each manager's periods, latest first (tests and callers that hold Past)."""
        if past is None:
            return cls()
        if isinstance(past, History):
            return past
        by_run: dict[str, dict[str, Past]] = {}
        for eid, periods in past.items():
            for p in periods:  # a period given twice for a manager: the first is theirs
                by_run.setdefault(p.quarter, {}).setdefault(eid, p)
        runs = []
        for quarter in sorted(by_run, key=period_key, reverse=True):
            rows = by_run[quarter]
            ids = pd.Index(list(rows), dtype=object)
            columns = {f: np.array([getattr(p, f) for p in rows.values()], object) for f in FIELDS}
            runs.append(PastRun(quarter, ids, columns))
        return cls(tuple(runs))

    def __bool__(self) -> bool:
        return any(len(r.ids) for r in self.runs)

    def latest(self, ids: pd.Index) -> pd.DataFrame:
        """Each manager's latest recorded period (quarter and FIELDS); None where unseen."""
        n = len(ids)
        out = {f: np.full(n, None, dtype=object) for f in ("quarter", *FIELDS)}
        open_ = np.ones(n, dtype=bool)
        for run in self.runs:
            at = run.ids.get_indexer(ids)
            hit = open_ & (at >= 0)
            if hit.any():
                out["quarter"][hit] = run.quarter
                for f in FIELDS:
                    out[f][hit] = run.columns[f][at[hit]]
                open_ &= ~hit
        return pd.DataFrame(out, index=ids, dtype=object, copy=False)  # its own arrays

    def seen(self, ids: pd.Index) -> np.ndarray:
        seen = np.zeros(len(ids), dtype=bool)
        for run in self.runs:
            seen |= run.ids.get_indexer(ids) >= 0
        return seen

    def counted(self, kinds: frozenset[str]) -> History:
        """The periods whose reviews moved levels: what the dynamic rules count. With none
        yet, the level in force (kept through the periods recorded since the roster gave it)
        is the level held, so the first yearly review still moves one step at most."""
        moving = tuple(r for r in self.runs if kind_of(r.quarter) in kinds)
        if len(moving) == len(self.runs):
            return self
        everyone = pd.Index(np.concatenate([r.ids.to_numpy(dtype=object) for r in self.runs]))
        everyone = everyone.unique()
        bare = everyone[~History(moving).seen(everyone)]
        if not len(bare):
            return History(moving)
        latest = self.latest(bare)
        columns = {f: latest[f].to_numpy(dtype=object) for f in FIELDS}
        columns["computed"] = columns["level"]
        return History((*moving, PastRun("", bare, columns)))

    def sequences(self, ids: pd.Index, *fields: str) -> list[np.ndarray]:
        """Each field of each manager's k-th latest recorded period, k down the rows (None
        past the periods a manager has): a manager absent from a run skips it."""
        shape = (len(self.runs), len(ids))
        values = {f: np.full(shape, None, dtype=object) for f in fields}
        present = np.zeros(shape, dtype=bool)
        for k, run in enumerate(self.runs):  # each run's ids looked up once, for every field
            at = run.ids.get_indexer(ids)
            present[k] = at >= 0
            for f in fields:
                values[f][k, present[k]] = run.columns[f][at[present[k]]]
        rank = np.cumsum(present, axis=0) - 1  # which of the manager's own periods a run is
        out = [np.full(shape, None, dtype=object) for _ in fields]
        for k in range(len(self.runs)):
            mine = present & (rank == k)
            has = mine.any(axis=0)
            run_of = mine.argmax(axis=0)[has]
            for o, f in zip(out, fields, strict=True):
                o[k, has] = values[f][run_of, np.flatnonzero(has)]
        return out


def apply(
    policy: Policy,
    ids: pd.Index,
    now: np.ndarray,
    history: History,
    why: Why,
    rows: np.ndarray,
) -> tuple[np.ndarray, np.ndarray]:
    """The level each manager holds this period (`now`: the ranking's level of the managers
    `ids`, all seen by the ledger), with the rule that decided it added to their reasons
    (`rows`: their positions in `why`). Also the rule (a key of RULES, else None) that keeps
    each away from the ranking's level: a level over its cap after the rules can then say
    why. A rule at a time over the whole column; a loop over recorded periods, not managers."""
    rules = policy.dynamics
    names = ladder(policy)
    order = {lv: i for i, lv in enumerate(names)}
    labels = np.array(names, dtype=object)

    def rank(levels: np.ndarray) -> np.ndarray:
        return pd.Series(levels, dtype=object).map(order).fillna(-1).to_numpy(dtype=np.int64)

    levels, ranked = history.sequences(ids, "level", "computed")
    computed = rank(ranked.reshape(-1)).reshape(levels.shape)
    held = levels[0] if len(levels) else np.full(len(ids), None, dtype=object)
    at_now, at_held = rank(now), rank(held)
    final = now.astype(object).copy()
    cause = np.full(len(ids), None, dtype=object)
    trainee = now == TRAINEE
    unknown = ~trainee & (at_held < 0)
    why.add(rows[unknown], "unknown_previous", held=held[unknown])
    live = ~trainee & ~unknown
    step = at_now - at_held
    up, down = live & (step > 0), live & (step < 0)

    target = np.minimum(at_now, at_held + rules.max_level_step)
    limited = up & (target < at_now)
    why.add(
        rows[limited],
        "step_limit",
        level=now[limited],
        step=step[limited],
        held=held[limited],
        most=rules.max_level_step,
        to=labels[target[limited]],
    )
    cause[limited] = "step"
    streak = np.ones(len(ids), dtype=np.int64)
    going = up.copy()
    for k in range(len(levels)):  # each recorded period in turn, latest first
        going &= computed[k] >= target
        streak += going
    graduate = up & (held == TRAINEE)
    wait = up & ~graduate & (streak < rules.promotion_after)
    promote = up & ~graduate & ~wait
    why.add(rows[graduate], "graduated", to=labels[target[graduate]])
    final[graduate] = labels[target[graduate]]
    why.add(
        rows[wait],
        "promotion_wait",
        to=labels[target[wait]],
        need=rules.promotion_after,
        streak=streak[wait],
        held=held[wait],
    )
    final[wait], cause[wait] = held[wait], "promotion"
    why.add(rows[promote], "promoted", held=held[promote], to=labels[target[promote]])
    final[promote] = labels[target[promote]]

    below = np.ones(len(ids), dtype=np.int64)
    going = down.copy()
    for k in range(len(levels)):
        going &= (levels[k] == held) & (computed[k] >= 0) & (computed[k] < at_held)
        below += going
    improve = down & (below < rules.demotion_after)
    why.add(
        rows[improve],
        "improvement",
        held=held[improve],
        below=below[improve],
        need=rules.demotion_after,
    )
    final[improve], cause[improve] = held[improve], "improvement"
    demote = down & ~improve
    floor = np.maximum(at_now, at_held - rules.max_level_step)
    cause[demote & (floor > at_now)] = "step"
    why.add(
        rows[demote], "demoted", held=held[demote], to=labels[floor[demote]], below=below[demote]
    )
    final[demote] = labels[floor[demote]]
    cause[final == now] = None
    return final, cause
