"""The dynamic rules over whole columns give, manager for manager, what the rules say when
read one manager at a time (the reference below): the level, the reasons and the rule that
held them."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

import numpy as np
import pandas as pd
from hypothesis import given, settings
from hypothesis import strategies as st

from amctl.engine import dynamics
from amctl.engine.dynamics import History, Past, ladder
from amctl.engine.reasons import Reason, reason
from amctl.engine.why import Why
from amctl.policy.loader import load_policy
from amctl.policy.models import Policy
from amctl.policy.names import TRAINEE
from tests.helpers import DEFAULT_POLICY

POLICY = load_policy(DEFAULT_POLICY).policy
QUARTERS = ["2023Q3", "2023Q4", "2024Q1", "2024Q2"]  # oldest first


def reference(
    policy: Policy, computed: Mapping[str, str], history: Mapping[str, Sequence[Past]]
) -> tuple[dict[str, str], dict[str, list[Reason]], dict[str, str]]:
    """The rules as written, a manager at a time."""
    rules = policy.dynamics
    names = ladder(policy)
    order = {lv: i for i, lv in enumerate(names)}
    final: dict[str, str] = {}
    why: dict[str, list[Reason]] = {e: [] for e in computed}
    cause: dict[str, str] = {}
    for eid, now in computed.items():
        past, said = history.get(eid, ()), why[eid]
        final[eid] = now
        if now == TRAINEE:
            continue
        held = past[0].level
        if held not in order:
            said.append(reason("unknown_previous", held=held))
            continue
        step = order[now] - order[held]
        if step > 0:
            target = min(order[now], order[held] + rules.max_level_step)
            if target < order[now]:
                args = {"level": now, "step": step, "held": held, "most": rules.max_level_step}
                said.append(reason("step_limit", **args, to=names[target]))
                cause[eid] = "step"
            streak = 1
            for p in past:
                if p.computed in order and order[p.computed] >= target:
                    streak += 1
                else:
                    break
            if held == TRAINEE:
                said.append(reason("graduated", to=names[target]))
                final[eid] = names[target]
            elif streak < rules.promotion_after:
                need = rules.promotion_after
                said.append(
                    reason("promotion_wait", to=names[target], need=need, streak=streak, held=held)
                )
                final[eid], cause[eid] = held, "promotion"
            else:
                said.append(reason("promoted", held=held, to=names[target]))
                final[eid] = names[target]
        elif step < 0:
            below = 1
            for p in past:
                if p.level == held and p.computed in order and order[p.computed] < order[held]:
                    below += 1
                else:
                    break
            if below < rules.demotion_after:
                need = rules.demotion_after
                said.append(reason("improvement", held=held, below=below, need=need))
                final[eid], cause[eid] = held, "improvement"
            else:
                target = max(order[now], order[held] - rules.max_level_step)
                if target > order[now]:
                    cause[eid] = "step"
                said.append(reason("demoted", held=held, to=names[target], below=below))
                final[eid] = names[target]
    moved = {e: c for e, c in cause.items() if final[e] != computed[e]}
    return final, why, moved


LEVELS = [*ladder(POLICY), "retired"]  # a level the policy no longer has, too


@st.composite
def cases(draw: Any) -> tuple[Policy, dict[str, str], dict[str, list[Past]]]:
    rules = {
        "max_level_step": draw(st.integers(1, 3)),
        "promotion_after": draw(st.integers(1, 4)),
        "demotion_after": draw(st.integers(1, 4)),
    }
    policy = POLICY.model_copy(update={"dynamics": POLICY.dynamics.model_copy(update=rules)})
    n = draw(st.integers(1, 30))
    computed, history = {}, {}
    for i in range(n):
        eid = f"E{i:02d}"
        computed[eid] = draw(st.sampled_from(ladder(policy)))
        runs = draw(st.lists(st.sampled_from(QUARTERS), min_size=1, unique=True))
        periods = []
        for q in sorted(runs, reverse=True):
            level, ranked = draw(st.sampled_from(LEVELS)), draw(st.sampled_from(LEVELS))
            periods.append(Past(q, level, ranked))
        history[eid] = periods
    return policy, computed, history


@settings(max_examples=300, deadline=None)
@given(case=cases())
def test_the_rules_over_columns_are_the_rules_a_manager_at_a_time(
    case: tuple[Policy, dict[str, str], dict[str, list[Past]]],
) -> None:
    policy, computed, history = case
    want_level, want_why, want_cause = reference(policy, computed, history)
    ids = pd.Index(list(computed), dtype=object)
    why = Why(len(ids))
    now = np.array(list(computed.values()), dtype=object)
    rows = np.arange(len(ids))
    final, cause = dynamics.apply(policy, ids, now, History.of(history), why, rows)
    assert dict(zip(ids, final.tolist(), strict=True)) == want_level
    assert dict(zip(ids, why.many(rows), strict=True)) == want_why
    got_cause = {e: c for e, c in zip(ids, cause.tolist(), strict=True) if c is not None}
    assert got_cause == want_cause


def test_history_by_run_gives_each_managers_periods_latest_first() -> None:
    history = {
        "A": [Past("2024Q2", "mid", "senior"), Past("2023Q4", "junior", "mid")],
        "B": [Past("2024Q1", "senior", "senior", tier="senior-B", band="B")],
    }
    past = History.of(history)
    assert [r.quarter for r in past.runs] == ["2024Q2", "2024Q1", "2023Q4"]
    ids = pd.Index(["B", "C", "A"], dtype=object)
    assert past.sequences(ids, "level")[0].tolist() == [
        ["senior", None, "mid"],
        [None, None, "junior"],
        [None, None, None],
    ]
    latest = past.latest(ids)
    assert latest["quarter"].tolist() == ["2024Q1", None, "2024Q2"]
    assert latest["band"].tolist() == ["B", None, None]
    assert past.seen(ids).tolist() == [True, False, True]


def test_a_period_given_twice_for_a_manager_counts_once() -> None:
    twice = {"A": [Past("2024Q2", "mid", "mid"), Past("2024Q2", "junior", "junior")]}
    past = History.of(twice)
    assert past.sequences(pd.Index(["A"], dtype=object), "level")[0].tolist() == [["mid"]]
