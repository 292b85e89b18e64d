"""Invariants checked over many generated cases (hypothesis)."""

from __future__ import annotations

import datetime as dt
import io
from decimal import Decimal
from pathlib import Path

import pandas as pd
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from ruamel.yaml import YAML
from typer.testing import CliRunner

from amctl.cli.app import app
from amctl.engine import scoring
from amctl.engine.pay import PayPeriod, compute
from amctl.engine.tiers import assign
from amctl.errors import AmctlError
from amctl.export.safe import neutralise
from amctl.policy.loader import inspect_policy
from amctl.policy.models import Component
from amctl.policy.payformulas import compile_pay
from tests.helpers import DEFAULT_POLICY, team_rows

FIXTURE_OK = [HealthCheck.function_scoped_fixture]

people = st.lists(
    st.tuples(
        st.floats(0, 100, allow_nan=False).map(lambda x: round(x, 2)),
        st.integers(0, 20),
        st.sampled_from(["大专", "本科", "硕士"]),
        st.sampled_from([None, 55.0, 70.0, 90.0]),
    ),
    min_size=1,
    max_size=40,
)


def _frame(team: list[tuple[float, int, str, float | None]]) -> pd.DataFrame:
    rows = team_rows([(c, y, edu, exam, y == 0) for c, y, edu, exam in team])
    frame = pd.DataFrame(rows).set_index("employee_id")
    frame["exam_score"] = frame["exam_score"].astype("Float64")
    return frame


def _rank(policy, level: str, band: str | None) -> tuple[int, int]:  # type: ignore[no-untyped-def]
    """Higher is better: the level first, then the band."""
    levels = ["trainee", *reversed(list(policy.levels))]
    bands = [None, *reversed(policy.bands.names)]
    return levels.index(level), bands.index(band)


@settings(max_examples=120, deadline=None, suppress_health_check=FIXTURE_OK)
@given(team=people, who=st.integers(0, 39), raise_by=st.floats(0.01, 60))
def test_raising_a_score_never_lowers_the_tier(default_policy, team, who, raise_by) -> None:  # type: ignore[no-untyped-def]
    policy = default_policy.policy
    who %= len(team)
    before = assign(policy, _frame(team))
    c, y, edu, exam = team[who]
    better = list(team)
    better[who] = (min(100.0, round(c + raise_by, 2)), y, edu, exam)
    after = assign(policy, _frame(better))
    eid = f"E{who:03d}"
    was = _rank(policy, before.level[eid], before.band[eid])
    now = _rank(policy, after.level[eid], after.band[eid])
    assert now >= was, (team[who], better[who], before.reasons[eid], after.reasons[eid])


@settings(max_examples=80, deadline=None, suppress_health_check=FIXTURE_OK)
@given(
    scores=st.lists(st.floats(0, 100, allow_nan=False), min_size=11, max_size=11),
    which=st.integers(0, 10),
    raise_by=st.floats(0, 50, allow_nan=False),
)
def test_raising_an_indicator_never_lowers_the_composite(
    default_policy, scores, which, raise_by
) -> None:  # type: ignore[no-untyped-def]
    policy = default_policy.policy
    a_keys, p_keys = list(policy.ability.indicators), list(policy.performance.indicators)

    def composite(values: list[float]) -> float:
        ability = pd.DataFrame([values[:6]], columns=a_keys, index=["E"])
        perf = pd.DataFrame([values[6:]], columns=p_keys, index=["E"])
        return float(scoring.dimensions(policy, ability, perf).loc["E", "composite"])

    higher = list(scores)
    higher[which] = min(100.0, higher[which] + raise_by)
    assert composite(higher) >= composite(scores)


@settings(max_examples=60, deadline=None, suppress_health_check=FIXTURE_OK)
@given(
    amounts=st.lists(
        st.decimals(min_value=-5000, max_value=50000, places=4, allow_nan=False),
        min_size=1,
        max_size=5,
    ),
    days=st.integers(1, 92),
    mode=st.sampled_from(["half_up", "half_even", "down", "up", "floor", "ceiling"]),
    quantum=st.sampled_from(["0.01", "0.05", "1", "10"]),
)
def test_pay_totals_are_the_sum_of_the_components(
    default_policy, amounts, days, mode, quantum
) -> None:  # type: ignore[no-untyped-def]
    from amctl.policy.models import Rounding

    policy = default_policy.policy
    params = {f"p{i}": a for i, a in enumerate(amounts)}
    pay = policy.pay.model_copy(
        update={
            "parameters": params,
            "components": {f"c{i}": Component(formula=f"p{i}") for i in range(len(amounts))},
            "rounding": Rounding(quantum=Decimal(quantum), mode=mode),
        }
    )
    policy = policy.model_copy(update={"pay": pay})
    formulas, problems = compile_pay(policy, pay)
    assert problems == []
    start = dt.date(2024, 9, 30) - dt.timedelta(days=days - 1)
    data = pd.DataFrame(
        [
            {
                "employee_id": "E",
                "level": "mid",
                "band": "B",
                "rural": False,
                "post_start": start,
                "leave_date": None,
                "education": "本科",
                "org_unit": "u",
                "composite": 80.0,
                "ability": 80.0,
                "performance": 80.0,
                "years_in_post": 0,
                "months_in_post": 0,
                "exam_score": 80.0,
            }
        ]
    ).set_index("employee_id")
    line = compute(
        policy, formulas, data, PayPeriod(dt.date(2024, 7, 1), dt.date(2024, 9, 30), 3)
    ).loc["E"]
    parts = [line[f"c{i}"] for i in range(len(amounts))]
    assert line["total"] == sum(parts, Decimal(0))
    for part in parts:
        assert part % Decimal(quantum) == 0  # every amount is a multiple of the quantum


@settings(max_examples=150, deadline=None, suppress_health_check=FIXTURE_OK)
@given(text=st.text(max_size=300))
def test_any_text_as_a_policy_gives_findings_not_crashes(tmp_path_factory, text) -> None:  # type: ignore[no-untyped-def]
    path = tmp_path_factory.mktemp("fuzz") / "p.yaml"
    path.write_text(text, encoding="utf-8")
    loaded, findings = inspect_policy(path)
    assert loaded is None and findings
    for f in findings:
        assert f.location.line is not None and f.rule.startswith("AMC")


def _paths(node, prefix=()):  # type: ignore[no-untyped-def]
    if isinstance(node, dict):
        for k, v in node.items():
            yield (*prefix, k)
            yield from _paths(v, (*prefix, k))
    elif isinstance(node, list):
        for i, v in enumerate(node):
            yield (*prefix, i)
            yield from _paths(v, (*prefix, i))


_DEFAULT = YAML(typ="rt").load(DEFAULT_POLICY.read_text(encoding="utf-8"))
_ALL_PATHS = list(_paths(_DEFAULT))


@settings(max_examples=200, deadline=None, suppress_health_check=FIXTURE_OK)
@given(
    where=st.sampled_from(_ALL_PATHS),
    action=st.sampled_from(["delete", "replace"]),
    value=st.one_of(
        st.none(),
        st.booleans(),
        st.integers(-(10**6), 10**6),
        st.floats(allow_nan=True),
        st.text(max_size=20),
        st.lists(st.integers(), max_size=3),
        st.dictionaries(st.text(max_size=5), st.integers(), max_size=2),
    ),
)
def test_a_mutated_policy_gives_findings_not_crashes(
    tmp_path_factory, where, action, value
) -> None:  # type: ignore[no-untyped-def]
    tree = YAML(typ="rt").load(DEFAULT_POLICY.read_text(encoding="utf-8"))
    parent = tree
    for part in where[:-1]:
        parent = parent[part]
    if action == "delete":
        del parent[where[-1]]
    else:
        parent[where[-1]] = value
    buffer = io.StringIO()
    YAML(typ="rt").dump(tree, buffer)
    path = tmp_path_factory.mktemp("mut") / "p.yaml"
    path.write_text(buffer.getvalue(), encoding="utf-8")
    try:
        loaded, findings = inspect_policy(path)
    except AmctlError:
        return  # a documented error type
    if loaded is None:
        assert findings and all(f.location.line for f in findings)


@pytest.mark.parametrize("text", ["=1+1", "+cmd", "-2+3", "@SUM(A1)", "\t=1", "\r=1"])
def test_text_that_a_spreadsheet_would_run_is_neutralised(text: str) -> None:
    assert neutralise(text) == "'" + text
    assert neutralise("正常文本") == "正常文本" and neutralise(12.5) == 12.5


def test_internal_errors_exit_3_and_debug_shows_the_traceback(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    def broken(*args, **kwargs):  # type: ignore[no-untyped-def]
        raise RuntimeError("boom")

    monkeypatch.setattr("amctl.pipeline.run.grade_files", broken)
    from tests.helpers import EXAMPLE

    runner = CliRunner()
    result = runner.invoke(app, ["grade", str(EXAMPLE)])
    assert result.exit_code == 3
    assert "internal error (a bug in amctl, not in your files): RuntimeError: boom" in result.output
    assert "Traceback" not in result.output
    debug = runner.invoke(app, ["--debug", "grade", str(EXAMPLE)])
    assert isinstance(debug.exception, RuntimeError)
    again = runner.invoke(app, ["grade", str(EXAMPLE)])  # --debug does not stick
    assert again.exit_code == 3
