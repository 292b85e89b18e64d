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
