"""Indicator scores (0–100) → dimension scores → composite and grid cell. Whole columns at once.

Scores are rounded to 4 decimals, half-up on their exact decimal value (engine.exact), after
each step, so a cut at 80 compares against 80.0000 and never against 79.99999999 left over
from binary floating point, and 57.13625 is 57.1363.
"""

from __future__ import annotations

import functools
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from dataclasses import field as dataclass_field
from decimal import Decimal
from fractions import Fraction
from typing import TYPE_CHECKING, Any

import numpy as np
import pandas as pd

from amctl.engine.exact import decimal, half_up, weighted_half_up
from amctl.policy.models import AsIs, Attainment, Banded, Linear, Policy, Scoring

if TYPE_CHECKING:
    from amctl.data.ratings import Block, RatingRows

DECIMALS = 4
AXES = ("low", "mid", "high")


def indicator_score(method: Scoring, value: pd.Series, target: pd.Series | None) -> pd.Series:
    """One performance metric turned into 0–100 by the policy's method."""
    x = value.astype("float64")
    t = target.astype("float64").to_numpy() if target is not None else None
    if isinstance(method, AsIs):
        out = x
    elif isinstance(method, Attainment):
        assert t is not None
        attainment = x / t * 100.0
        out = attainment.clip(0, method.cap) * (100.0 / method.cap)
    elif isinstance(method, Linear):
        lo, hi = method.from_
        out = ((x - lo) / (hi - lo) * 100.0).clip(0, 100)
    elif isinstance(method, Banded):
        mins = np.array([b.min for b in method.bands])
        scores = np.array([method.below, *(b.score for b in method.bands)])
        out = pd.Series(scores[np.searchsorted(mins, x.to_numpy(), side="right")], index=x.index)
        out = out.where(x.notna())  # NaN sorts above every band: a missing value is no score
    raw = x.to_numpy()

    def exactly(positions: np.ndarray) -> list[Fraction | None]:
        return [_exact_score(method, raw[i], None if t is None else t[i]) for i in positions]

    return pd.Series(half_up(out.to_numpy(), DECIMALS, exactly), index=x.index)


def _exact_score(method: Scoring, value: float, target: float | None) -> Fraction | None:
    """The score of one value in exact arithmetic, from the decimals the data holds."""
    x = decimal(value)
    if isinstance(method, AsIs):
        return x
    if isinstance(method, Attainment):
        if target is None or target == 0:
            return None
        cap = decimal(method.cap)
        return min(max(x / decimal(target) * 100, Fraction(0)), cap) * 100 / cap
    if isinstance(method, Linear):
        lo, hi = (decimal(v) for v in method.from_)
        return min(max((x - lo) / (hi - lo) * 100, Fraction(0)), Fraction(100))
    return None  # bands: the policy's own scores, nothing computed


UNIT = 10**DECIMALS


def _codes(words: np.ndarray, keys: list[str]) -> np.ndarray:
    """Each word's position among `keys` (-1 for another word), to pick by code."""
    return np.array([keys.index(w) if w in keys else -1 for w in words] + [-1], dtype=np.int64)


@dataclass(frozen=True)
class RatingCells:
    """The ratings counted once on dense arrays of managers × indicators × raters: how many
    ratings each cell has, and their sum in ten-thousandths (None when a rating has more
    decimals than that, or a word is not the policy's). Exact scores and rater gaps both
    read it, so the 2.4 million rating rows of 100k managers are factorised once. The float
    sums of the scores (`totals`) only the inexact path reads: they are counted when it
    asks, so a million managers' cells hold two arrays, not three."""

    names: np.ndarray  # employee ids, in code order
    counts: np.ndarray  # int32, shape (managers × indicators, raters)
    sums: np.ndarray | None  # float64 whole ten-thousandths, same shape
    count_totals: Callable[[], np.ndarray] = dataclass_field(repr=False, compare=False)

    @functools.cached_property
    def totals(self) -> np.ndarray:
        """float64 sums of the scores, same shape (the inexact path's)."""
        return self.count_totals()


def rating_cells(policy: Policy, ratings: RatingRows) -> RatingCells:
    """Counted a block of the sheet at a time (a wide sheet's indicator column), never as
    the long table of words. A block's own rater or indicator is a slice of the cells, so
    a wide column is counted over managers × raters, not over every cell."""
    shape = _cells_shape(policy, ratings)
    counts = np.zeros(shape, dtype=np.int32)
    sums: np.ndarray | None = np.zeros(shape, dtype="float64")
    for block, given, known, pick, flat in _landing(policy, ratings):
        score = block.score[given]
        units = np.rint(score * UNIT)
        whole = not (np.any(np.abs(score * UNIT - units) > 1e-6) or np.any(units < 0))
        exact = sums is not None and whole and bool(known[given].all())  # known is given
        _add(counts, pick, flat, None)
        if sums is not None and exact:
            _add(sums, pick, flat, units)
        else:
            sums = None
    n_r = shape[2]
    return RatingCells(
        np.asarray(ratings.people[1], dtype=object),
        counts.reshape(-1, n_r),
        None if sums is None else sums.reshape(-1, n_r),
        lambda: _float_sums(policy, ratings),
    )


def _float_sums(policy: Policy, ratings: RatingRows) -> np.ndarray:
    """The cells' sums of the scores as floats (RatingCells.totals)."""
    shape = _cells_shape(policy, ratings)
    floats = np.zeros(shape, dtype="float64")
    for block, _, known, pick, flat in _landing(policy, ratings):
        _add(floats, pick, flat, block.score[known])
    return floats.reshape(-1, shape[2])


def _cells_shape(policy: Policy, ratings: RatingRows) -> tuple[int, int, int]:
    """Managers × indicators × raters."""
    n_i, n_r = len(policy.ability.indicators), len(policy.ability.raters)
    return len(ratings.people[1]), n_i, n_r


def _landing(
    policy: Policy, ratings: RatingRows
) -> Iterator[tuple[Block, np.ndarray, np.ndarray, tuple[Any, ...], np.ndarray]]:
    """Each block with the rows that hold a score (given) and those that count (by a rater
    and on an indicator the policy knows), and where the counted ones land: the slice of
    the cells the block picks and each counted row's place in it."""
    raters, indicators = list(policy.ability.raters), list(policy.ability.indicators)
    who_of, which_of = _codes(ratings.raters, raters), _codes(ratings.indicators, indicators)
    people = ratings.people[0].astype(np.int64)
    for block in ratings.blocks:
        given = block.given()
        who, which = who_of[block.rater], which_of[block.indicator]
        known = given & (who >= 0) & (which >= 0)
        pick, flat = _slice(people, who, which, len(indicators), len(raters))
        yield block, given, known, pick, flat[known]


def _add(cells: np.ndarray, pick: tuple[Any, ...], flat: np.ndarray, weights: Any) -> None:
    """Count (or, with weights, sum) rows into the slice `pick` of the cells."""
    part = cells[pick]
    part += np.bincount(flat, weights, minlength=part.size).reshape(part.shape)


def _slice(
    people: np.ndarray, who: np.ndarray, which: np.ndarray, n_i: int, n_r: int
) -> tuple[tuple[Any, ...], np.ndarray]:
    """Where a block's ratings land in the managers × indicators × raters cells: the slice
    its one rater or indicator picks (a view), and each row's place in that slice."""
    one_rater, one_indicator = who.ndim == 0, which.ndim == 0
    if one_rater and one_indicator:
        return (slice(None), int(which), int(who)), people
    if one_indicator:
        return (slice(None), int(which), slice(None)), people * n_r + who
    if one_rater:
        return (slice(None), slice(None), int(who)), people * n_i + which
    return (slice(None),), (people * n_i + which) * n_r + who


def _exact_ability(policy: Policy, cells: RatingCells) -> pd.DataFrame | None:
    """Each indicator's rater-weighted score in whole numbers, rounded half-up exactly, as a
    table of managers × indicators (NaN where a manager has no rating for one).

    Ratings are counted in ten-thousandths and weights in hundredths of a percent; for one
    manager and indicator, with P the product of the raters' rating counts, the score in
    ten-thousandths is A / B with A = Σ weight × (sum of the rater's ratings) × P / count and
    B = P × Σ weight. Half-up is then floor((2A + B) / 2B), in int64, on dense arrays of
    managers × indicators × raters. Ratings carry halves and renormalised weights land on
    exact halves often, so this is the common case, not a corner. None when a rating or a
    weight has more decimals, or the numbers could overflow.
    """
    sums, counts = cells.sums, cells.counts
    if sums is None or not len(cells.names):
        return None
    raters = list(policy.ability.raters)
    hundredths = [policy.ability.raters[r].weight * 100 for r in raters]
    if not raters or any(abs(w - round(w)) > 1e-9 for w in hundredths):
        return None
    n_r = len(raters)
    many = float(max(int(counts.max(initial=0)), 1)) ** n_r > 1e6  # rarely: cell by cell then
    if many and np.prod(np.maximum(counts, 1).astype("float64"), axis=1).max() > 1e6:
        return None  # the products below would not fit (a thousand peers on one indicator)
    weight = [round(w) for w in hundredths]
    values = np.empty(len(counts), dtype="float64")
    largest = 0  # of the products: whether any cell could overflow is told after
    for start in range(0, len(counts), _CELLS):  # a block at a time: its temporaries stay
        rows = slice(start, start + _CELLS)  # in the cache, not a page fault each
        largest = max(largest, _exact_block(counts[rows], sums[rows], weight, values[rows]))
    if 2 * (largest * int(sums.max() + 1) * (max(weight) or 1) * n_r) >= 2**62:
        return None
    indicators = list(policy.ability.indicators)
    index = pd.Index(cells.names, name="employee_id", dtype=object)
    return pd.DataFrame(
        values.reshape(len(cells.names), len(indicators)), index=index, columns=indicators
    )


_CELLS = 1 << 15  # cells (managers × indicators) worked out at once


def _exact_block(counts: np.ndarray, sums: np.ndarray, weight: list[int], out: np.ndarray) -> int:
    """`_exact_ability` for a block of cells, into `out`; the largest product P (numbers
    past an overflow are wrong, and the caller then throws them all away)."""
    ones = np.maximum(counts, 1)  # a rater with no rating multiplies P by one
    product = ones[:, 0].astype(np.int64)
    # a rater at a time: strided columns beat numpy's int reductions
    for r in range(1, len(weight)):
        product *= ones[:, r]
    top = np.zeros(len(product), dtype=np.int64)
    weights = np.zeros(len(product), dtype=np.int64)
    for r in range(len(weight)):  # where a rater has no rating, its sum is zero
        top += sums[:, r].astype(np.int64) * (product // ones[:, r]) * weight[r]
        weights += np.where(counts[:, r] > 0, weight[r], 0)
    bottom = product * weights
    whole = (2 * top + bottom) // np.maximum(2 * bottom, 1)
    np.divide(whole, UNIT, out=out, where=bottom > 0)
    out[bottom <= 0] = np.nan
    return int(product.max(initial=0))


def rater_gaps(policy: Policy, cells: RatingCells) -> dict[str, list[str]]:
    """For each manager rated by some raters but not others on an indicator, the raters
    missing (their labels): under `missing_rater: renormalise` the others' weights were
    scaled up to 100, which the manager's reasons say."""
    raters = list(policy.ability.raters)
    n_i, n_r = len(policy.ability.indicators), len(raters)
    counts = cells.counts.reshape(len(cells.names), n_i, n_r)
    gap = np.zeros((len(cells.names), n_r), dtype=bool)  # manager × rater
    for i in range(n_i):  # a column at a time: reductions along rows of a few loop per row
        rated = counts[:, i, 0] > 0
        for r in range(1, n_r):
            rated |= counts[:, i, r] > 0
        for r in range(n_r):
            gap[:, r] |= rated & (counts[:, i, r] == 0)
    gap &= np.array([policy.ability.raters[r].weight > 0 for r in raters])  # one that counts
    labels = [policy.ability.raters[r].label for r in raters]
    return {
        str(cells.names[m]): [labels[r] for r in np.flatnonzero(gap[m]).tolist()]
        for m in np.flatnonzero(gap.any(axis=1)).tolist()
    }


def performance_indicators(policy: Policy, perf: pd.DataFrame) -> pd.DataFrame:
    cols = {}
    for key, ind in policy.performance.indicators.items():
        target = perf[ind.score.target] if isinstance(ind.score, Attainment) else None
        cols[key] = indicator_score(ind.score, perf[ind.metric], target)
    return pd.DataFrame(cols, index=perf.index)


def ability_indicators(
    policy: Policy, ratings: RatingRows, ids: pd.Index, cells: RatingCells | None = None
) -> tuple[pd.DataFrame, dict[str, list[str]]]:
    """Rater-weighted indicator scores, and for each manager what was missing.

    Several raters of one kind (three peers) are averaged first; then rater kinds are
    weighted. With `missing_rater: renormalise` the weights of the kinds present are scaled
    up to 100; with `error` any missing kind blocks the manager. Read from the counted cells
    (managers × indicators × raters), never by grouping the long ratings again.
    """
    if cells is None:
        cells = rating_cells(policy, ratings)
    raters, indicators = list(policy.ability.raters), list(policy.ability.indicators)
    n_m, n_i, n_r = len(cells.names), len(indicators), len(raters)
    present: np.ndarray = cells.counts > 0  # (managers × indicators, raters)
    rated = np.asarray(present.any(axis=1), dtype=bool)
    whole = _exact_ability(policy, cells)
    if whole is not None:
        scores = whole.reindex(index=ids, columns=indicators)
    else:  # ratings with more decimals than a ten-thousandth: floats, exact near a half
        scores = _float_ability(policy, ratings, cells, present, rated).reindex(
            index=ids, columns=indicators
        )
    missing: dict[str, list[str]] = {}
    if policy.ability.missing_rater == "error" and rated.any():
        labels = [policy.ability.raters[r].label for r in raters]
        # in the order of the managers, then of the indicators' keys (as they sort)
        alpha = sorted(range(n_i), key=lambda i: indicators[i])
        lacking = (rated[:, None] & ~present).reshape(n_m, n_i, n_r)[:, alpha, :]
        for m, a in zip(*np.nonzero(lacking.any(axis=2)), strict=True):  # the lacking alone
            names = ", ".join(labels[r] for r in np.flatnonzero(lacking[m, a]).tolist())
            who, ind = str(cells.names[m]), indicators[alpha[a]]
            missing.setdefault(who, []).append(f"{ind}: no rating from {names}")
    holes = scores.isna()
    for eid, row in holes[holes.any(axis=1)].iterrows():  # only the managers with a gap
        gaps = [policy.ability.indicators[k].label for k in scores.columns if row[k]]
        missing.setdefault(str(eid), []).append(f"no rating for {', '.join(gaps)}")
    return scores, missing


def _float_ability(
    policy: Policy,
    ratings: RatingRows,
    cells: RatingCells,
    present: np.ndarray,
    rated: np.ndarray,
) -> pd.DataFrame:
    """Each indicator's weighted score in floats from the cells' sums, the few near a half
    worked again exactly from the manager's rating rows."""
    raters, indicators = list(policy.ability.raters), list(policy.ability.indicators)
    weights = np.array([policy.ability.raters[r].weight for r in raters], dtype="float64")
    with np.errstate(invalid="ignore", divide="ignore"):
        means = np.where(present, cells.totals / np.maximum(cells.counts, 1), 0.0)
        total_w = (present * weights).sum(axis=1)
        per = (means * weights).sum(axis=1) / np.where(total_w > 0, total_w, np.nan)
    at = np.flatnonzero(rated)
    people = np.asarray(cells.names, dtype=object)[at // len(indicators)]
    which = np.asarray(indicators, dtype=object)[at % len(indicators)]
    exact_weights = {k: decimal(r.weight) for k, r in policy.ability.raters.items()}

    def exactly(positions: np.ndarray) -> list[Fraction | None]:
        # those near a half: the raters' means and weights again, from the ratings rows
        groups = ratings.frame().groupby(["employee_id", "indicator"], sort=False)
        out: list[Fraction | None] = []
        for i in positions.tolist():
            rows = groups.get_group((people[i], which[i]))
            means = {
                str(r): sum((decimal(v) for v in g["score"]), Fraction(0)) / len(g)
                for r, g in rows.groupby("rater")
            }
            weight = sum((exact_weights[r] for r in means), Fraction(0))
            total = sum((m * exact_weights[r] for r, m in means.items()), Fraction(0))
            out.append(total / weight if weight else None)
        return out

    values = np.full(len(per), np.nan)
    values[at] = half_up(per[at], DECIMALS, exactly)
    index = pd.Index(cells.names, name="employee_id", dtype=object)
    table = values.reshape(len(cells.names), len(indicators))
    return pd.DataFrame(table, index=index, columns=indicators)


def weighted(scores: pd.DataFrame, weights: dict[str, float]) -> pd.Series:
    """Σ weight × score / 100 over the columns, in policy order, rounded half-up exactly."""
    total = pd.Series(0.0, index=scores.index)
    for key, w in weights.items():
        total = total + scores[key] * float(Decimal(str(w)) / 100)
    columns = {key: scores[key].to_numpy() for key in weights}
    shares = {key: decimal(w) / 100 for key, w in weights.items()}

    def exactly(positions: np.ndarray) -> list[Fraction | None] | np.ndarray:
        at = [columns[k][positions] for k in weights]
        whole = weighted_half_up(at, list(weights.values()), DECIMALS)
        if whole is not None:
            return whole
        return [
            sum((decimal(columns[k][i]) * shares[k] for k in weights), Fraction(0))
            for i in positions
        ]

    return pd.Series(half_up(total.to_numpy(), DECIMALS, exactly), index=scores.index)


def axis_band(score: pd.Series, cuts: tuple[float, float]) -> pd.Series:
    """low < cuts[0] ≤ mid < cuts[1] ≤ high; no band for a missing score."""
    return pd.Series(_BANDS[_band_at(score, cuts)], index=score.index)


_BANDS = np.array([*AXES, None], dtype=object)  # by _band_at's places


def _band_at(score: pd.Series, cuts: tuple[float, float]) -> np.ndarray:
    """Each score's band as its place in AXES; len(AXES) for a missing score."""
    values = score.to_numpy(dtype="float64", na_value=np.nan)
    index = np.searchsorted(np.array(cuts, dtype="float64"), values, side="right")
    return np.where(np.isnan(values), len(AXES), index)


def dimensions(policy: Policy, ability_ind: pd.DataFrame, perf_ind: pd.DataFrame) -> pd.DataFrame:
    ability = weighted(ability_ind, {k: i.weight for k, i in policy.ability.indicators.items()})
    performance = weighted(
        perf_ind, {k: i.weight for k, i in policy.performance.indicators.items()}
    )
    both = pd.DataFrame({"ability": ability, "performance": performance})
    ability, performance = both["ability"], both["performance"]  # one index
    composite = weighted(
        both, {"ability": policy.composite.ability, "performance": policy.composite.performance}
    )
    a = _band_at(ability, policy.grid.cuts.ability)
    p = _band_at(performance, policy.grid.cuts.performance)
    out = pd.DataFrame(
        {
            "ability": ability,
            "performance": performance,
            "composite": composite,
            "ability_band": _BANDS[a],
            "performance_band": _BANDS[p],
        },
        index=both.index,
    )
    actions = policy.grid.actions
    known = (a < len(AXES)) & (p < len(AXES))  # no cell without known scores
    at = np.where(known, a * len(AXES) + p, 0).astype(np.int64)
    for column, field in (("cell", "label"), ("action", "action")):
        words = np.array(
            [getattr(getattr(getattr(actions, x), y), field) for x in AXES for y in AXES],
            dtype=object,
        )[at]
        words[~known] = None
        out[column] = words
    return out
