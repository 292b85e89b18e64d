"""A policy's cadence: monthly pay from the tier in force, a quarterly review that moves bands
only, a yearly one that moves levels, each recorded, through the CLI and the library."""

from __future__ import annotations

import shutil
from decimal import Decimal
from pathlib import Path

import pandas as pd
import pytest
from typer.testing import CliRunner

from amctl.cli.app import app
from amctl.pipeline.run import record, run, show
from amctl.workspace.layout import Workspace
from tests.helpers import REPO

runner = CliRunner()

CADENCE = """
cadence:
  pay: month
  reviews:
    quarterly: {label: 季度考评, every: quarter, moves: [band]}
    yearly: {label: 年度考评, every: year, moves: [level, band]}
"""


def cli(*args: str | Path):  # type: ignore[no-untyped-def]
    return runner.invoke(app, [str(a) for a in args])


@pytest.fixture
def ws(tmp_path: Path) -> Path:
    """The example team under ct-group with a monthly pay cadence: the same workbook is the
    data of July, of the third quarter, of the year and of January 2025."""
    policy = (REPO / "policies" / "ct-group.yaml").read_text(encoding="utf-8")
    (tmp_path / "policies").mkdir()
    (tmp_path / "policies" / "ct-group.yaml").write_text(
        policy.replace("\npay:\n", CADENCE + "\npay:\n", 1), encoding="utf-8"
    )
    for period in ("2024-07", "2024Q3", "2024", "2025-01"):
        (tmp_path / "data" / period).mkdir(parents=True)
        shutil.copy(
            REPO / "examples" / "data" / "2024Q3" / "roster.xlsx",
            tmp_path / "data" / period / "roster.xlsx",
        )
    return tmp_path


def test_month_pays_the_tier_in_force_and_a_month(ws: Path) -> None:
    july = run(ws, "2024-07", pay="required")
    m = july.grading.managers
    assert july.payroll is not None
    current = m["current_tier"].dropna()
    assert (m.loc[current.index, "tier"] == current).all()  # nobody moved by a pay run
    assert set(m.loc[current.index, "level_set"]) == {"roster"}
    # a month's floating wage is one month of the table's amount
    senior = m.index[m["level"] == "senior"][0]
    assert july.payroll.lines.loc[senior, "floating"] == Decimal("1600.00")


def test_quarter_moves_bands_only_and_year_moves_levels(ws: Path) -> None:
    record(run(ws, "2024-07", pay="required"))
    q3 = run(ws, "2024Q3", pay="cadence")
    assert q3.payroll is None  # the policy pays per month
    m = q3.grading.managers
    held = m["current_tier"].notna() & (m["level"] != "trainee")
    levels = m.loc[held, "current_tier"].str.split("-").str[0]
    assert (m.loc[held, "level"] == levels).all()
    assert (m.loc[held, "level_set"] == "roster").all()  # kept from the roster through July
    assert (m["band_set"][m["band"].notna()] == "2024Q3").all()
    assert m["band_set"][m["band"].isna()].isna().all()  # a trainee has no band to set
    assert (m.loc[held, "band"] != m.loc[held, "current_tier"].str[-1]).any()  # bands moved
    assert not q3.blocking  # a level over its cap that the review may not move: a warning
    # the quarter after a month is no gap, and nothing of its kind was recorded before it
    assert [n.key for n in q3.notes if n.key.startswith("pipeline.run_")] == [
        "pipeline.run_no_previous"
    ]
    record(q3)

    year = run(ws, "2024", pay="cadence")
    assert (year.grading.managers["level_set"] == "2024").all()
    # the first review that moves levels starts from the level in force, one step at most
    ladder = {"trainee": 0, "junior": 1, "mid": 2, "senior": 3}
    before, after = q3.grading.managers["level"], year.grading.managers["level"]
    both = before.index.intersection(after.index)
    steps = (after[both].map(ladder) - before[both].map(ladder)).abs()
    assert steps.max() <= 1
    codes = {r["code"] for rs in year.grading.managers["reasons"] for r in rs}
    assert "no_history" not in codes and "promoted" in codes
    moved = year.grading.managers["level"] != q3.grading.managers["level"]
    assert moved.any()
    record(year)

    january = run(ws, "2025-01", pay="required")
    jm = january.grading.managers
    assert len(jm) >= 70  # a leaver before January is listed, not paid
    assert (jm["level"] == year.grading.managers["level"].reindex(jm.index)).all()
    assert (jm["level_set"] == "2024").all()
    assert january.payroll is not None
    floating = {"senior": "1600.00", "mid": "1100.00", "junior": "700.00", "trainee": "300.00"}
    paid = january.payroll.lines["floating"]
    assert all(paid[e] == Decimal(floating[jm.loc[e, "level"]]) for e in jm.index)


def test_cli_periods(ws: Path) -> None:
    wrong = cli("payroll", "-w", ws, "--quarter", "2024Q3")
    assert wrong.exit_code == 2 and "pays per month" in wrong.output
    half = cli("payroll", "-w", ws, "--period", "2024H2")
    assert half.exit_code == 2 and "no review and no pay run per half-year" in half.output
    paid = cli("payroll", "-w", ws, "--month", "2024-07", "--record")
    assert paid.exit_code in (0, 1), paid.output
    closed = cli("close", "2024Q3", "-w", ws)
    assert closed.exit_code in (0, 1), closed.output
    assert sorted(p.name for p in (ws / "out" / "2024Q3").iterdir()) == [
        "grading-2024Q3.xlsx",
        "report-2024Q3.html",
    ]
    eid = Workspace(ws).ledger().rows(quarter="2024Q3")[0].employee_id  # type: ignore[union-attr]
    shown = cli("history", eid, "-w", ws)
    assert shown.exit_code == 0, shown.output
    assert "2024-07" in shown.output and "2024Q3" in shown.output
    assert "its band by 2024Q3" in shown.output


YEAR = [
    *("2024-01", "2024-02", "2024-03", "2024Q1", "2024-04", "2024-05", "2024-06", "2024Q2"),
    *("2024H1", "2024-07", "2024-08", "2024-09", "2024Q3", "2024-10", "2024-11", "2024-12"),
    *("2024Q4", "2024H2", "2024"),
]


@pytest.fixture(scope="module")
def jinzhong(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Seed 004's year, closed period by period through the CLI, in the order the periods
    end; then January 2025 (December's workbook again) paid after the yearly review."""
    ws = tmp_path_factory.mktemp("jinzhong")
    shutil.copytree(REPO / "examples" / "jinzhong", ws, dirs_exist_ok=True)
    shutil.copytree(ws / "data" / "2024-12", ws / "data" / "2025-01")
    for period in [*YEAR, "2025-01"]:
        closed = cli("close", period, "-w", ws)
        assert closed.exit_code == 0, (period, closed.output)
    return ws


def test_a_year_of_jinzhong_is_recorded_period_by_period(jinzhong: Path) -> None:
    ledger = Workspace(jinzhong).ledger()
    assert ledger is not None
    with ledger:
        runs = [r.quarter for r in ledger.runs()]
        paid = {r.quarter for r in ledger.runs() if r.paid}
    assert runs == [*YEAR, "2025-01"]  # twelve months, four quarters, two halves, the year
    assert paid == {p for p in runs if len(p) == 7}  # pay is monthly only
    outs = sorted(p.name for p in (jinzhong / "out").iterdir())
    assert outs == sorted([*YEAR, "2025-01"])


def _tiers(ws: Path, period: str) -> pd.DataFrame:
    run = show(ws, period)
    frame = run.grading.managers[["level", "band", "tier", "level_set", "band_set"]]
    if run.payroll is not None:
        frame = frame.join(run.payroll.lines[["pay_tier", "floating", "benefit"]])
    return frame


def test_bands_move_from_the_quarterly_review_levels_from_the_yearly(jinzhong: Path) -> None:
    march, q1, april = (_tiers(jinzhong, p) for p in ("2024-03", "2024Q1", "2024-04"))
    december, year, january = (_tiers(jinzhong, p) for p in ("2024-12", "2024", "2025-01"))
    # the quarterly review keeps every level in force and moves bands; April pays them
    both = q1.index.intersection(march.index).intersection(april.index)
    assert (q1.loc[both, "level"] == march.loc[both, "level"]).all()
    ranked = both[(q1.loc[both, "level"] != "trainee").to_numpy()]
    rebanded = ranked[(q1.loc[ranked, "band"] != march.loc[ranked, "band"]).to_numpy()]
    assert len(rebanded) > 5
    assert (april.loc[rebanded, "tier"] == q1.loc[rebanded, "tier"]).all()
    assert (april.loc[rebanded, "band_set"] == "2024Q1").all()
    assert (april.loc[rebanded, "floating"] == march.loc[rebanded, "floating"]).all()
    # the benefit coefficient follows the band (seed 004: 档次变动时，效益工资系数随之变动); at the
    # performance factor's top (performance ≥ 96 scores 1.2) the benefit is 1200 × coefficient × 1.2
    policy = show(jinzhong, "2024-04").policy.policy
    assert policy.pay is not None
    coefficient = policy.pay.tables["benefit_coefficient"]
    checked = 0
    for month in (march, april):
        run = show(jinzhong, "2024-03" if month is march else "2024-04")
        top = run.grading.managers["performance"] >= 96
        for eid in rebanded[top.reindex(rebanded).fillna(False).to_numpy()]:
            want = Decimal(1200) * coefficient[month.loc[eid, "pay_tier"]] * Decimal("1.2")
            assert month.loc[eid, "benefit"] == want.quantize(Decimal("0.01"))
            checked += 1
    assert checked >= 2
    # the yearly review moves levels; the floating wage follows from January on
    graded = year.index.intersection(december.index).intersection(january.index)
    moved = graded[(year.loc[graded, "level"] != december.loc[graded, "level"]).to_numpy()]
    assert len(moved) > 0
    assert (december.loc[moved, "level_set"] == "roster").all()  # 2024 paid the roster's levels
    assert (january.loc[moved, "level"] == year.loc[moved, "level"]).all()
    assert (january.loc[moved, "level_set"] == "2024").all()
    floating = policy.pay.tables["floating_wage"]
    for eid in moved:
        assert december.loc[eid, "floating"] == floating[december.loc[eid, "level"]]
        assert january.loc[eid, "floating"] == floating[january.loc[eid, "level"]]


def test_seniority_is_the_contract_staffs_from_three_years(jinzhong: Path) -> None:
    run = show(jinzhong, "2024-12")
    assert run.payroll is not None
    data, lines = run.grading.data, run.payroll.lines
    contract = data["employment"] == "聘用工"
    assert (lines.loc[data.index[~contract], "seniority"] == 0).all()
    years = data["years_in_post"]
    for eid in data.index[contract]:
        n = int(years[eid])
        marginal = 0 if n < 3 else 4 * min(n, 10) + 6 * max(0, min(n, 15) - 10) + 8 * max(0, n - 15)
        assert lines.loc[eid, "seniority"] == Decimal(marginal)


def test_an_approved_move_of_band_in_a_kept_level_applies(tmp_path: Path) -> None:
    """The county proposes, the city approves: a move within the level a quarterly review
    keeps is no move into the level (no gate, no seat), and an unapproved one waits."""
    shutil.copytree(REPO / "examples" / "jinzhong", tmp_path, dirs_exist_ok=True)
    (tmp_path / "overrides").mkdir()
    (tmp_path / "overrides" / "2024Q1.yaml").write_text(
        "apiVersion: amctl/v1\nkind: Overrides\nquarter: 2024Q1\nmoves:\n"
        "  - {employee_id: JZ001, tier: mid-A, proposed_by: 榆次区营销部, proposed_at: 县局,"
        " approved_by: 市局考评组, approved_on: 2024-04-08, reason_code: CAL-01}\n"
        "  - {employee_id: JZ003, tier: senior-A, proposed_by: 榆次区营销部, proposed_at: 县局,"
        " reason_code: CAL-02}\n",
        encoding="utf-8",
    )
    (tmp_path / "overrides" / "2024-05.yaml").write_text(
        "apiVersion: amctl/v1\nkind: Overrides\nquarter: 2024-05\nmoves:\n"
        "  - {employee_id: JZ001, tier: mid-A, proposed_by: 榆次区营销部, approved_by: 市局,"
        " approved_on: 2024-06-03, reason_code: CAL-01}\n",
        encoding="utf-8",
    )
    may = run(tmp_path, "2024-05", pay="cadence")  # a pay month moves no tier, even so
    assert may.grading.managers.loc["JZ001", "tier"] != "mid-A"
    assert [f.rule for f in may.findings if f.row_id == "JZ001"] == ["AMC061"]
    closed = cli("close", "2024Q1", "-w", tmp_path)
    assert closed.exit_code == 0 and "AMC065" in closed.output  # a review's findings are said
    q1 = run(tmp_path, "2024Q1", pay="cadence")
    m = q1.grading.managers
    assert m.loc["JZ001", "tier"] == "mid-A" and m.loc["JZ001", "level_set"] == "roster"
    assert m.loc["JZ003", "level"] == "mid"  # not approved: listed, not applied
    assert [f.rule for f in q1.findings if f.row_id == "JZ003"] == ["AMC065"]
    assert not q1.blocking
