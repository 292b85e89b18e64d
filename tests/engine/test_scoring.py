"""Indicator scoring methods and the rater-weighted ability score."""

from __future__ import annotations

import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from amctl.data.ratings import RatingRows
from amctl.engine import scoring
from amctl.policy.models import AsIs, Attainment, Band, Banded, Linear


def _score(method, values, targets=None):  # type: ignore[no-untyped-def]
    target = None if targets is None else pd.Series(targets, dtype="float64")
    return scoring.indicator_score(method, pd.Series(values, dtype="float64"), target).tolist()


def test_as_is() -> None:
    assert _score(AsIs(method="as_is"), [0, 55.5, 100]) == [0, 55.5, 100]


def test_attainment_scores_100_at_the_cap() -> None:
    method = Attainment(method="attainment", target="t", cap=120)
    assert _score(method, [60, 120, 150, 0], [100, 100, 100, 100]) == [50, 100, 100, 0]


def test_linear_maps_and_clips_and_reverses() -> None:
    assert _score(Linear(method="linear", **{"from": (-10, 30)}), [-20, -10, 10, 30, 50]) == [
        0,
        0,
        50,
        100,
        100,
    ]
    assert _score(Linear(method="linear", **{"from": (10, 0)}), [0, 5, 10]) == [100, 50, 0]


def test_bands_take_the_highest_band_reached() -> None:
    method = Banded(
        method="bands",
        bands=[Band(min=60, score=60), Band(min=80, score=90)],
        below=40,
    )
    assert _score(method, [59.9, 60, 79.99, 80, 100]) == [40, 60, 60, 90, 90]


def _ratings(rows: list[tuple[str, str, str, float]]) -> RatingRows:
    frame = pd.DataFrame(rows, columns=["employee_id", "rater", "indicator", "score"])
    return RatingRows.of_frame(frame)


def test_several_raters_of_a_kind_are_averaged_then_weighted(default_policy) -> None:  # type: ignore[no-untyped-def]
    policy = default_policy.policy  # supervisor 50, peer 20, customer 20, self 10
    rows = []
    for ind in policy.ability.indicators:
        rows += [
            ("E1", "supervisor", ind, 80.0),
            ("E1", "peer", ind, 60.0),
            ("E1", "peer", ind, 70.0),  # two peers: 65
            ("E1", "customer", ind, 90.0),
            ("E1", "self", ind, 100.0),
        ]
    scores, missing = scoring.ability_indicators(policy, _ratings(rows), pd.Index(["E1"]))
    assert missing == {}
    assert (
        scores.loc["E1"].tolist() == [pytest.approx(0.5 * 80 + 0.2 * 65 + 0.2 * 90 + 0.1 * 100)] * 6
    )


def test_a_missing_rater_is_renormalised(default_policy) -> None:  # type: ignore[no-untyped-def]
    policy = default_policy.policy
    rows = [("E1", "supervisor", i, 80.0) for i in policy.ability.indicators]
    rows += [("E1", "customer", i, 60.0) for i in policy.ability.indicators]
    scores, missing = scoring.ability_indicators(policy, _ratings(rows), pd.Index(["E1"]))
    assert missing == {}
    assert scores.loc["E1", "communication"] == pytest.approx((0.5 * 80 + 0.2 * 60) / 0.7, abs=1e-4)


def test_missing_rater_error_mode_blocks(default_policy) -> None:  # type: ignore[no-untyped-def]
    policy = default_policy.policy
    strict = policy.model_copy(
        update={"ability": policy.ability.model_copy(update={"missing_rater": "error"})}
    )
    rows = [("E1", "supervisor", i, 80.0) for i in policy.ability.indicators]
    _, missing = scoring.ability_indicators(strict, _ratings(rows), pd.Index(["E1"]))
    assert "communication: no rating from 同事评价, 客户评价, 自我评价" in missing["E1"]


def test_an_indicator_nobody_rated_is_missing(default_policy) -> None:  # type: ignore[no-untyped-def]
    policy = default_policy.policy
    rows = [("E1", "supervisor", i, 80.0) for i in policy.ability.indicators if i != "teamwork"]
    _, missing = scoring.ability_indicators(policy, _ratings(rows), pd.Index(["E1"]))
    assert missing["E1"] == ["no rating for 团队协作能力"]


def test_dimension_and_composite_use_the_seed_weights(default_policy) -> None:  # type: ignore[no-untyped-def]
    policy = default_policy.policy
    ability = pd.DataFrame(
        [[100, 0, 0, 0, 0, 0]],
        columns=list(policy.ability.indicators),
        index=["E1"],
        dtype="float64",
    )
    perf = pd.DataFrame(
        [[100, 0, 0, 0, 0]],
        columns=list(policy.performance.indicators),
        index=["E1"],
        dtype="float64",
    )
    dims = scoring.dimensions(policy, ability, perf)
    assert dims.loc["E1", "ability"] == 25  # communication weighs 25
    assert dims.loc["E1", "performance"] == 30  # sales weighs 30
    assert dims.loc["E1", "composite"] == pytest.approx(0.4 * 25 + 0.6 * 30)
    assert (dims.loc["E1", "ability_band"], dims.loc["E1", "cell"]) == ("low", "待改进")


def test_grid_cuts_are_inclusive_at_the_cut(default_policy) -> None:  # type: ignore[no-untyped-def]
    bands = scoring.axis_band(pd.Series([59.9999, 60.0, 79.9999, 80.0]), (60, 80))
    assert bands.tolist() == ["low", "mid", "mid", "high"]


def test_an_exact_tie_stays_a_tie_for_the_tie_break(default_policy) -> None:  # type: ignore[no-untyped-def]
    from amctl.engine.scoring import dimensions

    policy = default_policy.policy
    keys = list(policy.ability.indicators)
    x = [57.1009 if k == "adaptability" else 57.1004 for k in keys]  # exactly 57.10045
    ability = pd.DataFrame([x, [57.1005] * len(keys)], index=["X", "Y"], columns=keys)
    perf_keys = list(policy.performance.indicators)
    performance = pd.DataFrame([[80.0] * len(perf_keys)] * 2, index=["X", "Y"], columns=perf_keys)
    dims = dimensions(policy, ability, performance)
    assert dims.loc["X", "ability"] == dims.loc["Y", "ability"] == 57.1005
    assert dims.loc["X", "composite"] == dims.loc["Y", "composite"]


@settings(max_examples=80, deadline=None)
@given(st.data())
def test_ability_scores_are_the_exact_half_up_of_the_weighted_means(default_policy, data) -> None:  # type: ignore[no-untyped-def]
    """Half-point ratings, several peers, missing raters: every score is what exact decimal
    arithmetic gives, halves rounded up."""
    from fractions import Fraction

    from amctl.engine.scoring import ability_indicators

    policy = default_policy.policy
    raters = list(policy.ability.raters)
    rows = []
    for eid in ("A", "B", "C"):
        for ind in policy.ability.indicators:
            for rater in data.draw(st.lists(st.sampled_from(raters), min_size=1, max_size=6)):
                rows.append((eid, ind, rater, data.draw(st.integers(0, 200)) / 2))
    ratings = pd.DataFrame(rows, columns=["employee_id", "indicator", "rater", "score"])
    coded = RatingRows.of_frame(ratings)
    scores, _ = ability_indicators(policy, coded, pd.Index(["A", "B", "C"]))
    weights = {k: Fraction(str(r.weight)) for k, r in policy.ability.raters.items()}
    for (eid, ind), group in ratings.groupby(["employee_id", "indicator"]):
        means = {
            r: Fraction(sum(Fraction(str(v)) for v in g["score"]), len(g))
            for r, g in group.groupby("rater")
        }
        exact = sum(m * weights[r] for r, m in means.items()) / sum(weights[r] for r in means)
        expected = float(Fraction((exact * 10_000 + Fraction(1, 2)).__floor__(), 10_000))
        assert scores.loc[eid, ind] == expected, (eid, ind, exact)


@settings(max_examples=100, deadline=None)
@given(data=st.data())
def test_rating_cells_count_every_block_shape_as_the_long_table_does(default_policy, data) -> None:  # type: ignore[no-untyped-def]
    """A block with its own rater, its own indicator, both or neither (long, wide and
    by-column sheets) counts into the same cells as its rows counted one at a time; a word
    the policy does not know counts nowhere."""
    import numpy as np

    from amctl.data.ratings import Block

    policy = default_policy.policy
    raters = np.array(sorted([*policy.ability.raters, "stranger"]), dtype=object)
    indicators = np.array(sorted([*policy.ability.indicators, "other"]), dtype=object)
    n_m = data.draw(st.integers(1, 4))
    n = data.draw(st.integers(0, 12))
    people = np.array(
        data.draw(st.lists(st.integers(0, n_m - 1), min_size=n, max_size=n)), dtype=np.int64
    )
    blocks = []
    for _ in range(data.draw(st.integers(0, 4))):
        rater = data.draw(
            st.one_of(
                st.integers(0, len(raters) - 1),
                st.lists(st.integers(0, len(raters) - 1), min_size=n, max_size=n).map(_ints),
            )
        )
        indicator = data.draw(
            st.one_of(
                st.integers(0, len(indicators) - 1),
                st.lists(st.integers(0, len(indicators) - 1), min_size=n, max_size=n).map(_ints),
            )
        )
        scores = data.draw(
            st.lists(st.sampled_from([np.nan, 0.0, 50.0, 62.5, 100.0]), min_size=n, max_size=n)
        )
        blocks.append(Block(rater, indicator, np.array(scores, dtype="float64")))
    names = np.array([f"E{m}" for m in range(n_m)], dtype=object)
    rows = RatingRows((people, names), raters, indicators, tuple(blocks))
    cells = scoring.rating_cells(policy, rows)

    keys_r, keys_i = list(policy.ability.raters), list(policy.ability.indicators)
    counts = np.zeros((n_m, len(keys_i), len(keys_r)), dtype=np.int64)
    totals = np.zeros(counts.shape)
    for b in blocks:
        for row in range(n):
            r = raters[b.rater if isinstance(b.rater, int) else b.rater[row]]
            i = indicators[b.indicator if isinstance(b.indicator, int) else b.indicator[row]]
            if np.isnan(b.score[row]) or r not in keys_r or i not in keys_i:
                continue
            counts[people[row], keys_i.index(i), keys_r.index(r)] += 1
            totals[people[row], keys_i.index(i), keys_r.index(r)] += b.score[row]
    assert cells.counts.tolist() == counts.reshape(-1, len(keys_r)).tolist()
    assert np.allclose(cells.totals, totals.reshape(-1, len(keys_r)))
    if cells.sums is not None:
        assert np.allclose(cells.sums, totals.reshape(-1, len(keys_r)) * scoring.UNIT)


def _ints(values: list[int]):  # type: ignore[no-untyped-def]
    import numpy as np

    return np.array(values, dtype=np.int64)


@settings(max_examples=40, deadline=None)
@given(st.data(), st.integers(1, 9))
def test_ability_scores_worked_a_block_at_a_time_are_those_worked_whole(  # type: ignore[no-untyped-def]
    default_policy, data, cells
) -> None:
    """Blocks of any size, one cell up: the same scores, NaN where nobody rated."""
    from unittest.mock import patch

    import numpy as np

    policy = default_policy.policy
    raters, ids = list(policy.ability.raters), ["A", "B", "C", "D"]
    rows = [
        (eid, ind, rater, data.draw(st.integers(0, 200)) / 2)
        for eid in ids
        for ind in policy.ability.indicators
        for rater in data.draw(st.lists(st.sampled_from(raters), max_size=4))
    ]
    ratings = pd.DataFrame(rows, columns=["employee_id", "indicator", "rater", "score"])
    if ratings.empty:
        return
    coded = RatingRows.of_frame(ratings)
    whole = scoring.rating_cells(policy, coded)
    want = scoring._exact_ability(policy, whole)
    with patch.object(scoring, "_CELLS", cells):
        got = scoring._exact_ability(policy, whole)
    assert want is not None and got is not None
    assert np.array_equal(got.to_numpy(), want.to_numpy(), equal_nan=True)
    nobody = whole.counts.sum(axis=1) == 0
    assert np.array_equal(np.isnan(got.to_numpy().reshape(-1)), nobody)


def test_a_product_too_large_in_any_block_leaves_the_exact_scores_to_fractions(
    default_policy,
) -> None:  # type: ignore[no-untyped-def]
    """The last cell's raters' counts multiply to a product the first guard lets by, but
    whose sums could overflow int64: told from every block's product, the last's too."""
    from unittest.mock import patch

    import numpy as np

    policy = default_policy.policy
    n_i, n_r = len(policy.ability.indicators), len(policy.ability.raters)
    counts = np.ones((3 * n_i, n_r), dtype=np.int32)
    counts[-1, :] = int(1e6 ** (1 / n_r))  # a product of at most a million: past the guard
    sums = np.full(counts.shape, 10_000.0)
    sums[0, :] = 1e9  # the largest sum in the first block: only the last block's product
    cells = scoring.RatingCells(np.array(["A", "B", "C"], dtype=object), counts, sums, lambda: sums)
    for block in (1, n_i, 10**6):
        with patch.object(scoring, "_CELLS", block):
            assert scoring._exact_ability(policy, cells) is None
    counts[-1, :] = 1  # every product 1: exact in int64
    assert scoring._exact_ability(policy, cells) is not None


@settings(max_examples=60, deadline=None)
@given(st.data())
def test_rater_gaps_are_the_raters_missing_where_others_rated(default_policy, data) -> None:  # type: ignore[no-untyped-def]
    """A rater (of some weight) is missing for a manager when, on some indicator, others
    rated and it did not: as the managers × indicators × raters counts say it whole."""
    import numpy as np

    policy = default_policy.policy
    raters, n_i = list(policy.ability.raters), len(policy.ability.indicators)
    m = data.draw(st.integers(1, 6))
    flat = data.draw(
        st.lists(st.integers(0, 2), min_size=m * n_i * len(raters), max_size=m * n_i * len(raters))
    )
    counts = np.array(flat, dtype=np.int32).reshape(m * n_i, len(raters))
    names = np.array([f"E{k}" for k in range(m)], dtype=object)
    cells = scoring.RatingCells(names, counts, None, lambda: counts)
    whole = counts.reshape(m, n_i, len(raters))
    gap = ((whole.sum(axis=2) > 0)[:, :, None] & (whole == 0)).any(axis=1)
    gap &= np.array([policy.ability.raters[r].weight > 0 for r in raters])
    labels = [policy.ability.raters[r].label for r in raters]
    want = {
        str(names[k]): [labels[r] for r in np.flatnonzero(gap[k]).tolist()]
        for k in np.flatnonzero(gap.any(axis=1)).tolist()
    }
    assert scoring.rater_gaps(policy, cells) == want
