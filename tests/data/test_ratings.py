"""Ratings are kept coded: grading counts codes, and the long table of words is put
together only for what reads it (explain: one manager's rows; the ledger: all)."""

from __future__ import annotations

import csv
import tempfile
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from typer.testing import CliRunner

from amctl.cli.app import app
from amctl.data.ratings import RatingRows
from amctl.pipeline.run import Given, run
from tests.helpers import DEFAULT_POLICY, random_team, write_team_csv


def _workspace(folder: Path, n: int) -> Path:
    write_team_csv(folder / "data" / "2024Q3", random_team(n, seed=3))
    return folder


@pytest.fixture
def tables(monkeypatch: pytest.MonkeyPatch) -> list[int]:
    """The size of each long table put together."""
    made: list[int] = []
    table = RatingRows._table

    def counted(self: RatingRows, rows: Any) -> pd.DataFrame:
        frame = table(self, rows)
        made.append(len(frame))
        return frame

    monkeypatch.setattr(RatingRows, "_table", counted)
    return made


def test_grading_and_paying_make_no_long_table(tmp_path: Path, tables: list[int]) -> None:
    done = run(_workspace(tmp_path, 300), "2024Q3", Given(policy=DEFAULT_POLICY), pay="required")
    assert len(done.grading.managers) > 250 and done.payroll is not None
    assert tables == []
    assert len(done.grading.ratings) > 300 * 6  # asked for: made, once
    assert len(done.grading.ratings) == tables[0] and len(tables) == 1


def test_explain_makes_one_managers_rows(tmp_path: Path, tables: list[int]) -> None:
    folder = _workspace(tmp_path, 300)
    policy = ["--quarter", "2024Q3", "--policy", str(DEFAULT_POLICY)]
    done = CliRunner().invoke(app, ["explain", "E0007", "-w", str(folder), *policy])
    assert done.exit_code == 0, done.output
    assert len(tables) == 1 and 0 < tables[0] <= 6 * 8


def test_the_long_table_is_the_sorted_rows_and_one_managers_part_of_it() -> None:
    rng = np.random.default_rng(5)
    n = 400
    frame = pd.DataFrame(
        {
            "employee_id": pd.Series(rng.choice(["E2", "E10", "E1", "Z"], n), dtype=object),
            "rater": pd.Series(rng.choice(["peer", "self", "supervisor"], n), dtype=object),
            "indicator": pd.Series(rng.choice(["b", "a", "c"], n), dtype=object),
            "score": rng.integers(0, 20, n) * 5.0,
        }
    )
    coded = RatingRows.of_frame(frame)
    columns = ["employee_id", "rater", "indicator", "score"]
    expected = frame.sort_values(columns, kind="stable").reset_index(drop=True)
    pd.testing.assert_frame_equal(coded.frame(), expected)
    for eid in ("E10", "Z", "nobody"):
        mine = expected[expected["employee_id"] == eid].reset_index(drop=True)
        pd.testing.assert_frame_equal(coded.of(eid), mine, check_index_type=False)


RATERS = ["上级评价", "同事", " 客户 ", "自评", "外部", ""]  # an unknown word, a blank
INDICATORS = ["沟通协调能力", "应变能力", "团队协作能力", "不存在", ""]
RATING_ROWS = st.lists(
    st.tuples(
        st.sampled_from(["E1", "E2", "E3", "X9", ""]),  # X9: a stranger
        st.sampled_from(RATERS),
        st.sampled_from(INDICATORS),
        st.sampled_from(["80", "72.5", "", "abc", "101"]),
    ),
    min_size=1,
    max_size=30,
)


@settings(max_examples=60, deadline=None)
@given(rows=RATING_ROWS, wide=st.booleans())
def test_ratings_read_from_arrow_codes_are_the_per_cell_ratings(
    rows: list[tuple[str, str, str, str]], wide: bool
) -> None:
    """Raters and scores taken from the codes and floats Arrow read (a long or a wide
    sheet) give the per-cell reader's ratings: the same rows, findings and blocked."""
    from amctl.data import sheets
    from amctl.data.ratings import rating_rows, ratings_table
    from amctl.data.rows import Blocked
    from amctl.policy.columns import aliases_for
    from amctl.policy.loader import load_policy

    policy = load_policy(DEFAULT_POLICY).policy
    if wide:
        labels = [i.label for i in policy.ability.indicators.values()]
        header = ["员工编号", "评价人", *labels]
        body = [[e, r, s, s[:2], *["60"] * (len(labels) - 2)] for e, r, _, s in rows]
    else:
        header = ["员工编号", "评价人", "评价指标", "评分"]
        body = [list(row) for row in rows]
    known = pd.Index(["E1", "E2", "E3"], dtype=object)
    got = {}
    with tempfile.TemporaryDirectory() as folder, pytest.MonkeyPatch.context() as patch:
        path = Path(folder) / "ratings.csv"
        with path.open("w", encoding="utf-8", newline="") as fh:
            csv.writer(fh).writerows([header, *body])
        for columnar in (True, False):
            patch.setattr(sheets, "COLUMNAR", columnar)
            read = ratings_table(sheets.read_sheet(path), policy, aliases_for(policy.columns))
            blocked: list[Blocked] = []
            coded = rating_rows(read, policy, known, blocked)
            got[columnar] = (
                coded.frame(),
                [f.message for f in read.findings],
                [(b.employee_id, [f.message for f in b.reasons]) for b in blocked],
            )
    pd.testing.assert_frame_equal(got[True][0], got[False][0])
    assert got[True][1:] == got[False][1:]


@pytest.mark.parametrize("unsorted", [False, True])
def test_ratings_ids_kept_as_arrow_text_are_the_per_cell_ratings(
    tmp_path: Path, unsorted: bool
) -> None:
    """A long sheet whose first ten thousand ids hardly repeat keeps them as Arrow's text (no
    Python string per rating): places, codes, findings and blocked are the per-cell reader's,
    a stranger and a repeated manager among them, with known ids sorted or not."""
    from amctl.data import sheets
    from amctl.data.ratings import rating_rows, ratings_table
    from amctl.data.rows import Blocked
    from amctl.policy.columns import aliases_for
    from amctl.policy.loader import load_policy

    policy = load_policy(DEFAULT_POLICY).policy
    rater = next(iter(policy.ability.raters.values())).label
    indicator = next(iter(policy.ability.indicators.values())).label
    ids = [f"K{n:05d}" for n in range(10_400, 0, -1)]  # rows not in id order
    body = [[e, rater, indicator, str(60 + n % 40)] for n, e in enumerate(ids)]
    # past the first 10,000 rows: runs of one manager's rows (each run placed once), a
    # stranger, a manager rated again further down, and a score that is not one
    body += [[e, rater, indicator, str(50 + k)] for e in ids[-40:-20] for k in range(3)]
    body += [["STRANGER", rater, indicator, "70"], [ids[5], rater, indicator, "80"]]
    body += [[ids[7], rater, indicator, "abc"]]
    path = tmp_path / "ratings.csv"
    with path.open("w", encoding="utf-8", newline="") as fh:
        csv.writer(fh).writerows([["员工编号", "评价人", "评价指标", "评分"], *body])
    # seven rated managers not on the roster; two on it whom nobody rated
    known = pd.Index(sorted([*ids[:-7], "K00000", "ZZ"]), dtype=object)
    if unsorted:
        known = known[::-1]
    got = {}
    with pytest.MonkeyPatch.context() as patch:
        for columnar in (True, False):
            patch.setattr(sheets, "COLUMNAR", columnar)
            read = ratings_table(sheets.read_sheet(path), policy, aliases_for(policy.columns))
            assert (read.table.text("employee_id") is not None) is columnar
            blocked: list[Blocked] = []
            coded = rating_rows(read, policy, known, blocked)
            got[columnar] = (
                coded.people[0].tolist(),
                coded.people[1].tolist(),
                [f.message for f in read.findings],
                [(b.employee_id, [f.message for f in b.reasons]) for b in blocked],
            )
    assert got[True] == got[False]
    assert len(got[True][2]) == 9  # the stranger, the seven off the roster, the bad score
    assert [b[0] for b in got[True][3]] == [ids[7]]  # the bad score blocks its manager
    kept = [r[0] for r in body[:-1] if r[0] in set(known)]  # the bad row alone left out
    words = sorted(set(kept))  # what factorizing the rated ids, sorted, gives
    place = {e: n for n, e in enumerate(words)}
    assert got[True][:2] == ([place[e] for e in kept], words)
