"""No Python loop over managers on the grade and pay path (#17): the work per manager is numpy's,
pandas' or Arrow's, never a line of amctl's, and a manager's reasons are put together only
for what is shown.

The check counts every line of amctl that runs, for a team of n and of 2n managers: a line
inside a loop over managers (a for loop, a comprehension, a function mapped per value) runs
n more times in the larger run. Work per level, indicator, column or finding does not grow.
"""

from __future__ import annotations

import csv
import random
import sys
from collections import Counter
from collections.abc import Callable
from decimal import Decimal
from pathlib import Path
from typing import Any

import numpy as np
import pytest
from typer.testing import CliRunner

from amctl.cli.app import app
from amctl.engine.pay import round_to
from amctl.engine.why import ReasonsArray, Why
from amctl.pipeline.run import Given, Pay, QuarterRun, record, run
from tests.helpers import DEFAULT_POLICY, random_team, write_team_csv

SMALL = 2000


def _workspace(folder: Path, n: int, recorded: bool = False) -> Path:
    """A team of n in three csv files: trainees, every education, gates met and not, and a
    现等级 for most (so moves are counted from the roster). With `recorded`, the quarter
    before is graded on other scores and recorded, so the dynamic rules have a history to
    read (promotions held, improvement periods, steps limited)."""
    quarters = [("2024Q2", n + 1), ("2024Q3", n)] if recorded else [("2024Q3", n)]
    for quarter, seed in quarters:
        team = random_team(n, seed=seed)
        rng = random.Random(n)
        for person in team.people:
            person.level = rng.choice([None, "初级", "中级B", "高级客户经理A档", "中级"])
        write_team_csv(folder / "data" / quarter, team)
    if recorded:
        done = record(run(folder, "2024Q2", Given(policy=DEFAULT_POLICY), pay="never"))
        assert done.action == "recorded"
    return folder


def _lines(folder: Path, then: Callable[[QuarterRun], Any], pay: Pay) -> Counter[Any]:
    """How often each line of amctl ran while grading (and paying) the period, and `then`."""
    counts: Counter[Any] = Counter()

    def line(frame: Any, event: str, arg: Any) -> Any:
        if event == "line":
            counts[(frame.f_code.co_filename, frame.f_lineno)] += 1
        return line

    def call(frame: Any, event: str, arg: Any) -> Any:
        return line if f"{Path('amctl')}" in frame.f_code.co_filename else None

    given = Given(policy=DEFAULT_POLICY)
    sys.settrace(call)
    try:
        done = run(folder, "2024Q3", given, pay=pay)
        then(done)
    finally:
        sys.settrace(None)
    assert len(done.grading.managers) > SMALL * 0.9  # graded, not blocked
    assert (done.payroll is not None) == (pay == "required")
    return counts


def _grown(
    tmp_path: Path,
    then: Callable[[QuarterRun], Any] = lambda done: None,
    pay: Pay = "never",
    recorded: bool = False,
) -> list[Any]:
    small = _lines(_workspace(tmp_path / "small", SMALL, recorded), then, pay)
    large = _lines(_workspace(tmp_path / "large", 2 * SMALL, recorded), then, pay)
    return sorted(k for k in large if large[k] - small[k] >= SMALL // 2)


@pytest.mark.parametrize(
    ("pay", "recorded"), [("never", False), ("required", False), ("required", True)]
)
def test_no_line_of_amctl_runs_once_per_manager(tmp_path: Path, pay: Pay, recorded: bool) -> None:
    """Grading alone; grading then paying (every component's formula, proration, rounding
    to the quantum, the pay tiers of rural managers); and both after a recorded quarter
    (the ledger's history read, the dynamic rules, the tier in force, the moves)."""
    assert _grown(tmp_path, pay=pay, recorded=recorded) == []


def test_the_count_sees_a_loop_over_managers(tmp_path: Path) -> None:
    """The check can fail: putting every manager's reasons together is a loop over them."""
    grown = _grown(tmp_path, lambda done: list(done.grading.managers["reasons"]))
    assert any(str(Path("amctl", "engine", "why.py")) in path for path, _ in grown)


def test_the_count_sees_a_loop_over_pay(tmp_path: Path) -> None:
    """And on the pay path: a manager's amounts rounded one at a time."""
    grown = _grown(
        tmp_path,
        lambda done: [
            round_to(v, Decimal("0.01"), "ROUND_HALF_UP") for v in done.payroll.lines["total"]
        ],
        pay="required",
    )
    assert any(str(Path("amctl", "engine", "pay.py")) in path for path, _ in grown)


@pytest.fixture
def put_together(monkeypatch: pytest.MonkeyPatch) -> list[int]:
    """The positions whose reasons were put together, or worded (an export's rows)."""
    seen: list[int] = []
    many, joined = Why.many, ReasonsArray.joined

    def counted(self: Why, positions: Any) -> Any:
        seen.extend(np.asarray(positions).tolist())
        return many(self, positions)

    def worded(self: ReasonsArray, words: Any) -> Any:  # a column's rows, worded
        at = np.asarray(self._at)
        seen.extend(at[at >= 0].tolist())
        return joined(self, words)

    monkeypatch.setattr(Why, "many", counted)
    monkeypatch.setattr(ReasonsArray, "joined", worded)
    return seen


def test_reasons_are_put_together_only_for_what_is_shown(
    tmp_path: Path, put_together: list[int]
) -> None:
    folder = _workspace(tmp_path / "ws", SMALL)
    roster = str(folder / "data" / "2024Q3" / "roster.csv")
    policy = ["--quarter", "2024Q3", "--policy", str(DEFAULT_POLICY)]
    runner = CliRunner()
    done = runner.invoke(app, ["grade", roster, *policy, "--rows", "20"])
    assert done.exit_code in (0, 1), done.output
    assert len(put_together) <= 20  # the terminal's first rows at most
    put_together.clear()
    done = runner.invoke(app, ["explain", "E0007", "-w", str(folder), *policy])
    assert done.exit_code == 0, done.output
    assert len(set(put_together)) == 1
    put_together.clear()
    out = tmp_path / "graded.csv"
    done = runner.invoke(app, ["grade", roster, *policy, "-o", str(out), "--rows", "20"])
    assert done.exit_code in (0, 1), done.output
    with out.open(encoding="utf-8-sig") as fh:
        written = sum(1 for _ in csv.reader(fh)) - 1
    # every graded row the file holds, once in each language (the English reasons and the
    # worded label), and the 20 shown
    assert SMALL * 0.9 < len(set(put_together)) <= written
    assert len(put_together) - len(set(put_together)) <= written + 20
    assert max(Counter(put_together).values()) <= 3
