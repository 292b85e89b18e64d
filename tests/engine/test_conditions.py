"""Eligibility conditions: evaluated a column at a time, and a manager who fails one (or of
whom the data does not tell) is kept out of the level with the condition's label as reason."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import numpy as np
import pandas as pd

from amctl.engine.conditions import condition_values
from amctl.engine.tiers import assign
from amctl.labels import say
from amctl.policy.loader import load_policy
from amctl.policy.models import Policy
from tests.helpers import SENIOR_GATES, WORK_YEARS_GATE, declared_policy

AS_OF = dt.date(2024, 9, 30)


def _policy(tmp_path: Path) -> Policy:
    """Senior needs 8 years of work (and the level's other gates, all passed below)."""
    gates = WORK_YEARS_GATE + "        - {label: 聘用工, when: \"employment == '聘用工'\"}\n"
    return load_policy(declared_policy(tmp_path / "p.yaml", SENIOR_GATES, gates)).policy


def _frame(starts: list[dt.date | None]) -> pd.DataFrame:
    n = len(starts)
    return pd.DataFrame(
        {
            "composite": [95.0 - i for i in range(n)],
            "ability": 90.0,
            "performance": 90.0,
            "years_in_post": 10,
            "months_in_post": 120,
            "education": "硕士",
            "exam_score": pd.array([95.0] * n, dtype="Float64"),
            "trainee": False,
            "employment": np.array(["聘用工"] * (n - 1) + ["在册"], dtype=object),
            "work_start": np.array(starts, dtype=object),
        },
        index=pd.Index([f"E{i}" for i in range(n)], name="employee_id"),
    )


def test_conditions_are_evaluated_per_distinct_text_over_the_column(tmp_path: Path) -> None:
    policy = _policy(tmp_path)
    starts = [dt.date(2016, 9, 30), dt.date(2016, 10, 1), None, dt.date(2000, 1, 1)]
    values = condition_values(policy, _frame(starts), AS_OF)
    assert set(values) == {"years_since(work_start) >= 8", "employment == '聘用工'"}
    met = values["years_since(work_start) >= 8"]
    assert met[:2].tolist() == [1.0, 0.0] and np.isnan(met[2]) and met[3] == 1.0
    assert values["employment == '聘用工'"].tolist() == [1.0, 1.0, 1.0, 0.0]


def test_a_manager_failing_a_condition_is_not_eligible_and_told_why(tmp_path: Path) -> None:
    policy = _policy(tmp_path)
    frame = _frame([dt.date(2010, 1, 1), dt.date(2020, 1, 1), None, dt.date(2000, 1, 1)])
    result = assign(policy, frame, as_of=AS_OF)
    codes = [r["code"] for r in result.reasons["E0"]]  # 14 years of work, 聘用工: eligible
    assert "not_eligible" not in codes and "capped" in codes  # 20 % of 4 is no seat
    for eid, failed in (("E1", "工作年限满 8 年"), ("E2", "工作年限满 8 年"), ("E3", "聘用工")):
        assert result.level[eid] != "senior"
        not_eligible = next(r for r in result.reasons[eid] if r["code"] == "not_eligible")
        assert not_eligible["failures"] == [{"code": "gate.condition", "label": failed}]
        assert say(not_eligible) == f"not eligible for senior: condition not met: {failed}"
        assert say(not_eligible, "zh").endswith(f"未满足条件：{failed}")
