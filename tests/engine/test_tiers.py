"""Tiers: quotas never exceeded, eligibility first, deterministic ties, remainders reported."""

from __future__ import annotations

import pandas as pd
from hypothesis import given, settings
from hypothesis import strategies as st

from amctl.engine.tiers import assign, seats
from amctl.labels import say
from amctl.policy.models import Policy
from tests.helpers import team_rows


def _frame(rows: list[dict[str, object]]) -> pd.DataFrame:
    base = {
        "ability": 70.0,
        "performance": 70.0,
        "years_in_post": 10,
        "months_in_post": 120,
        "education": "硕士",
        "exam_score": 95.0,
        "trainee": False,
    }
    data = [{**base, **row} for row in rows]
    frame = pd.DataFrame(data).set_index("employee_id")
    frame["exam_score"] = frame["exam_score"].astype("Float64")
    return frame


def _policy(default: Policy, **quota: object) -> Policy:
    """The default policy without gates, optionally with other quota rules."""
    levels = {
        k: lv.model_copy(update={"eligibility": type(lv.eligibility)()})
        for k, lv in default.levels.items()
    }
    rules = default.quota.model_copy(update=quota)
    return default.model_copy(update={"levels": levels, "quota": rules})


def test_seats_round_exactly() -> None:
    assert seats(20, 7, "floor") == 1
    assert seats(50, 7, "floor") == 3
    assert seats(50, 7, "half_up") == 4
    assert seats(30, 7, "ceil") == 3
    assert seats(20, 35, "floor") == 7  # 20 % of 35 is exactly 7, not 6.9999


def test_seven_managers_under_20_50_30_leave_one_over(default_policy) -> None:  # type: ignore[no-untyped-def]
    policy = _policy(default_policy.policy)
    frame = _frame([{"employee_id": f"E{i}", "composite": 90 - i} for i in range(7)])
    t = assign(policy, frame)
    assert list(t.level) == ["senior", "mid", "mid", "mid", "junior", "junior", "junior"]
    assert [q.seats for q in t.quota] == [1, 3, 2]
    over = words(t.reasons["E6"])
    assert any("placed in junior over its quota" in r for r in over), over
    assert "capped by the senior quota (1 of 1 seats taken)" in words(t.reasons["E1"])
    edge = {b.level: b for b in t.boundaries}
    assert (edge["senior"].last_in, edge["senior"].first_out) == ("E0", "E1")
    assert (edge["mid"].last_in, edge["mid"].first_out) == ("E3", "E4")


def test_eligibility_gates_come_before_rank(default_policy) -> None:  # type: ignore[no-untyped-def]
    policy = default_policy.policy  # senior: 5 years, 本科, exam 80, composite 75
    frame = _frame(
        [
            {"employee_id": "A", "composite": 95, "years_in_post": 3},
            {"employee_id": "B", "composite": 90, "education": "大专"},
            {"employee_id": "C", "composite": 85, "exam_score": None},
            {"employee_id": "D", "composite": 80},
            {"employee_id": "E", "composite": 70},
        ]
    )
    t = assign(policy, frame)
    assert t.level["D"] == "senior"
    assert t.level[["A", "B", "C"]].tolist() == ["mid", "mid", "junior"]
    assert "not eligible for senior: 3 years in post < 5" in words(t.reasons["A"])
    assert "not eligible for senior: education 大专 below 本科" in words(t.reasons["B"])
    assert "not eligible for senior: no exam score (needs ≥ 80)" in words(t.reasons["C"])
    assert "not eligible for mid: no exam score (needs ≥ 60)" in words(t.reasons["C"])


def test_ties_are_broken_by_the_policy_order(default_policy) -> None:  # type: ignore[no-untyped-def]
    policy = _policy(default_policy.policy)
    rows = [
        {"employee_id": "E3", "composite": 80, "performance": 85, "ability": 72.5},
        {
            "employee_id": "E1",
            "composite": 80,
            "performance": 85,
            "ability": 72.5,
            "years_in_post": 12,
        },
        {"employee_id": "E2", "composite": 80, "performance": 90, "ability": 65},
        {"employee_id": "E0", "composite": 80, "performance": 85, "ability": 72.5},
        {"employee_id": "E4", "composite": 50},
    ]
    t = assign(policy, _frame(rows))
    # performance first, then ability, then years in post, then the id
    assert t.rank.sort_values().index.tolist() == ["E2", "E1", "E0", "E3", "E4"]
    again = assign(policy, _frame(list(reversed(rows))))
    assert again.rank.sort_index().equals(t.rank.sort_index())


def test_trainees_are_set_aside_but_count_in_the_base(default_policy) -> None:  # type: ignore[no-untyped-def]
    policy = _policy(default_policy.policy)
    rows = [{"employee_id": f"E{i}", "composite": 90 - i} for i in range(8)]
    rows += [{"employee_id": "T1", "composite": 99, "trainee": True, "months_in_post": 5}]
    t = assign(policy, _frame(rows))
    assert t.level["T1"] == "trainee" and t.band["T1"] is None
    assert t.base == 9 and [q.seats for q in t.quota] == [1, 4, 2]
    assert "trainee: 5 full months in post < 12" in words(t.reasons["T1"])


def test_bands_split_each_level_by_rank(default_policy) -> None:  # type: ignore[no-untyped-def]
    policy = _policy(default_policy.policy)
    frame = _frame([{"employee_id": f"E{i:02d}", "composite": 99 - i} for i in range(20)])
    t = assign(policy, frame)
    mid = [e for e in t.rank.sort_values().index if t.level[e] == "mid"]
    assert len(mid) == 10
    assert [t.band[e] for e in mid] == ["A"] * 3 + ["B"] * 4 + ["C"] * 3


teams = st.lists(
    st.tuples(
        st.floats(0, 100, allow_nan=False).map(lambda x: round(x, 1)),
        st.integers(0, 20),
        st.sampled_from(["大专", "本科", "硕士"]),
        st.sampled_from([None, 50.0, 70.0, 90.0]),
        st.booleans(),
    ),
    min_size=1,
    max_size=60,
)


@settings(max_examples=150, deadline=None)
@given(
    team=teams,
    rounding=st.sampled_from(["floor", "half_up", "ceil"]),
    base=st.sampled_from(["all", "graded"]),
    gates=st.booleans(),
)
def test_quota_caps_are_never_exceeded(default_policy, team, rounding, base, gates) -> None:  # type: ignore[no-untyped-def]
    """Only the overflow level may go over its seats, and only by the managers it had to take."""
    policy = default_policy.policy if gates else _policy(default_policy.policy)
    policy = policy.model_copy(
        update={"quota": policy.quota.model_copy(update={"rounding": rounding, "base": base})}
    )
    rows = team_rows(team)
    t = assign(policy, _frame(rows))
    assert t.level.notna().all() and len(t.level) == len(rows)  # everyone gets a tier
    counts = t.level.value_counts()
    forced = sum(any(r["code"] == "overflow" for r in reasons) for reasons in t.reasons)
    for q in t.quota:
        assert counts.get(q.level, 0) == q.count
        if q.level == policy.overflow_level:
            assert q.count <= q.seats + forced
        else:
            assert q.count <= q.seats, (q, rows)
    graded = len(rows) - int(counts.get("trainee", 0))
    if not gates and sum(q.seats for q in t.quota) >= graded:
        assert forced == 0


@settings(max_examples=60, deadline=None)
@given(team=teams, seed=st.randoms(use_true_random=False))
def test_row_order_never_changes_the_tiers(default_policy, team, seed) -> None:  # type: ignore[no-untyped-def]
    rows = [
        {
            "employee_id": f"E{i:03d}",
            "composite": c,
            "years_in_post": y,
            "education": edu,
            "exam_score": exam,
        }
        for i, (c, y, edu, exam, _) in enumerate(team)
    ]
    shuffled = list(rows)
    seed.shuffle(shuffled)
    a = assign(default_policy.policy, _frame(rows))
    b = assign(default_policy.policy, _frame(shuffled))
    assert a.level.sort_index().equals(b.level.sort_index())
    assert a.band.sort_index().equals(b.band.sort_index())
    assert a.reasons.sort_index().equals(b.reasons.sort_index())


def words(reasons: list[dict[str, object]]) -> list[str]:
    return [say(r) for r in reasons]


@settings(max_examples=150, deadline=None)
@given(
    team=teams,
    rounding=st.sampled_from(["floor", "half_up", "ceil"]),
    gates=st.booleans(),
    overflow=st.sampled_from([None, "mid"]),
)
def test_the_level_at_a_time_walk_is_the_manager_by_manager_walk(  # type: ignore[no-untyped-def]
    default_policy, team, rounding, gates, overflow
) -> None:
    """Without floors the quota walk fills a level at a time; it must place everyone, and
    give every reason, exactly as the walk one manager at a time does."""
    import amctl.engine.tiers as tiers

    policy = default_policy.policy if gates else _policy(default_policy.policy)
    rules = {"rounding": rounding, "overflow": overflow}
    policy = policy.model_copy(update={"quota": policy.quota.model_copy(update=rules)})
    rows = team_rows(team)
    filled = assign(policy, _frame(rows))
    fill = tiers._fill
    try:
        tiers._fill = tiers._walk  # type: ignore[assignment]
        walked = assign(policy, _frame(rows))
    finally:
        tiers._fill = fill  # type: ignore[assignment]
    assert filled.level.equals(walked.level)
    assert list(filled.reasons) == list(walked.reasons)
    assert filled.boundaries == walked.boundaries and filled.quota == walked.quota


def test_floors_hold_seats_for_the_levels_below(default_policy) -> None:  # type: ignore[no-untyped-def]
    """With a floor the walk goes manager by manager: seats are held back for the level
    below while only enough managers are left to fill them."""
    policy = _policy(default_policy.policy)
    levels = dict(policy.levels)
    levels["junior"] = levels["junior"].model_copy(
        update={"quota": levels["junior"].quota.model_copy(update={"min": 50})}
    )
    policy = policy.model_copy(update={"levels": levels})
    rows = [{"employee_id": f"E{i:02d}", "composite": 90.0 - i} for i in range(10)]
    t = assign(policy, _frame(rows))
    assert (t.level == "junior").sum() >= 5  # 50 % of 10, though mid had seats left
    codes = {r["code"] for reasons in t.reasons for r in reasons}
    assert "floors" in codes


def test_gate_failures_a_column_at_a_time_are_each_managers(default_policy) -> None:  # type: ignore[no-untyped-def]
    """A level's gates over many managers at once (how exports and the ledger read them):
    each manager's failures, in the policy's order, as the gates over their row alone."""
    import numpy as np

    from amctl.engine.tiers import gate_failures, gate_why

    policy = default_policy.policy  # senior: 5 years, 本科, exam 80, composite 75
    gates = policy.levels["senior"].eligibility
    columns = {
        "years_in_post": [7, 2, 9, 4],
        "education": ["硕士", "大专", "本科", "大专"],
        "exam_score": [85.0, None, 79.5, 80.0],
        "composite": [80.0, 60.25, 75.0, 70.0],
        "performance": [80.0, 60.0, 75.0, 70.0],
        "ability": [80.0, 60.0, 75.0, 70.0],
    }
    why = gate_why(policy, gates, lambda key: columns[key], 4)
    each = [gate_failures(policy, gates, {k: v[i] for k, v in columns.items()}) for i in range(4)]
    assert why.many(np.arange(4)) == each
    assert each[0] == [] and [r["code"] for r in each[1]] == [
        "gate.years",
        "gate.education",
        "gate.no_exam",
        "gate.score",
    ]
    assert each[2] == [{"code": "gate.exam", "have": "79.5", "need": "80"}]
    assert each[1][0] == {"code": "gate.years", "have": 2, "need": 5}
    assert each[1][3] == {"code": "gate.score", "axis": "composite", "have": 60.25, "need": "75"}


@given(
    st.lists(
        st.sampled_from(["高中", "本科", "博士", "本科 ", "其他", "", None, float("nan"), 3]),
        max_size=40,
    )
)
def test_education_rank_is_each_managers_place_among_the_levels(
    default_policy, cells: list[object]
) -> None:  # type: ignore[no-untyped-def]
    """The column hashed once and each distinct value looked up: the place of a level as
    written, NaN for a blank, an unknown word (a trailing space too) or a number."""
    import math

    import numpy as np

    from amctl.engine.tiers import _education_rank

    policy = default_policy.policy
    order = {e: i for i, e in enumerate(policy.education.levels)}
    for held in (np.array(cells, dtype=object), pd.Series(cells, dtype=object)):
        got = _education_rank(policy, held).tolist()
        want = [order.get(c, math.nan) if isinstance(c, str) else math.nan for c in cells]
        assert [repr(g) for g in got] == [repr(float(w)) for w in want]


@settings(max_examples=200, deadline=None)
@given(
    st.lists(
        st.tuples(
            st.sampled_from([None, 0.0, 60.5, 60.5, 75.25, 90.0, -3.0]),
            st.sampled_from([None, 1.0, 2.0, 2.0]),
            st.integers(0, 3),
            st.text(alphabet="AbZ中1_", min_size=1, max_size=3),
        ),
        max_size=30,
        unique_by=lambda row: row[3],
    ),
    st.permutations(["performance", "ability", "years_in_post", "employee_id"]),
)
def test_ranked_is_the_stable_sort_by_composite_then_the_tie_break(  # type: ignore[no-untyped-def]
    default_policy, rows: list[tuple[float | None, float | None, int, str]], tie: list[str]
) -> None:
    """Arrow's sort gives pandas' order: high first, a missing score after every number,
    ids low first (by code point, as Python compares them), for any tie-break order."""
    from amctl.engine.tiers import ranked

    frame = pd.DataFrame(
        {
            "composite": [r[0] for r in rows],
            "performance": [r[1] for r in rows],
            "ability": [r[0] for r in rows],
            "years_in_post": [r[2] for r in rows],
        },
        index=pd.Index([r[3] for r in rows], name="employee_id", dtype=object),
        dtype="float64",
    )
    policy = default_policy.policy.model_copy(update={"tie_break": tie})
    keys = ["composite", *tie]
    # as given, and sorted by id as a roster frame is kept (its ids ranked by position then)
    for shown in (frame, frame.loc[sorted(frame.index)]):
        expected = (
            shown.reset_index()
            .sort_values(keys, ascending=[k == "employee_id" for k in keys], kind="mergesort")
            .index.to_numpy()
        )
        assert ranked(policy, shown).tolist() == expected.tolist()
