"""The fast paths give the same bytes as the straightforward per-cell path; csv and parquet
inputs grade like xlsx. Timings live in bench/run.py, never here."""

from __future__ import annotations

import csv
from pathlib import Path

import pandas as pd
import pytest

from amctl.export import grading as export
from amctl.period import quarter
from amctl.pipeline import grade_files
from amctl.policy.loader import load_policy
from tests.helpers import DEFAULT_POLICY, random_team, write_team

Q3 = quarter("2024Q3")


def _csv_bytes(path: Path, out: Path) -> bytes:
    result = grade_files(load_policy(DEFAULT_POLICY), path, Q3)
    result.sources = {}
    export.write(result, out, force=True)
    return out.read_bytes()


def test_fast_and_per_cell_paths_give_the_same_bytes(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    team = random_team(2000, seed=11)
    roster = team.roster_rows()
    roster[5][3] = "2019年3月1日"  # a few cells only the per-cell parser reads
    perf = team.performance_rows()
    perf[7][1] = "1,234.5"
    perf[9][2] = "１００"
    path = tmp_path / "r.xlsx"
    from tests.helpers import write_xlsx

    write_xlsx(path, {"花名册": roster, "业绩": perf, "能力评价": team.ratings_rows()})
    fast = _csv_bytes(path, tmp_path / "fast.csv")
    monkeypatch.setenv("AMCTL_SLOW_PATH", "1")
    slow = _csv_bytes(path, tmp_path / "slow.csv")
    assert fast == slow
    assert len(fast.splitlines()) == 2001


def test_csv_and_parquet_inputs_grade_like_xlsx(tmp_path: Path) -> None:
    team = random_team(300, seed=5)
    tables = {
        "roster": team.roster_rows(),
        "performance": team.performance_rows(),
        "ratings": team.ratings_rows(),
    }
    xlsx = write_team(tmp_path / "all.xlsx", team)
    for name, rows in tables.items():
        (tmp_path / "csv").mkdir(exist_ok=True)
        with (tmp_path / "csv" / f"{name}.csv").open("w", newline="", encoding="utf-8") as fh:
            csv.writer(fh).writerows(rows)
        (tmp_path / "pq").mkdir(exist_ok=True)
        frame = pd.DataFrame(rows[1:], columns=rows[0])
        frame.to_parquet(tmp_path / "pq" / f"{name}.parquet", index=False)
    policy = load_policy(DEFAULT_POLICY)
    reference = grade_files(policy, xlsx, Q3).managers.drop(columns="reasons")
    for folder, suffix in (("csv", "csv"), ("pq", "parquet")):
        got = grade_files(policy, tmp_path / folder / f"roster.{suffix}", Q3).managers.drop(
            columns="reasons"
        )
        pd.testing.assert_frame_equal(got, reference, check_dtype=False)
