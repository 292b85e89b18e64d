"""A policy's cadence: monthly pay from the tier in force, a quarterly review that moves bands
only, a yearly one that moves levels, each recorded, through the CLI and the library."""

from __future__ import annotations

import shutil
from decimal import Decimal
from pathlib import Path

import pytest
from typer.testing import CliRunner

from amctl.cli.app import app
from amctl.pipeline.run import record, run
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
    assert (m["band_set"] == "2024Q3").all()
    assert (m.loc[held, "band"] != m.loc[held, "current_tier"].str[-1]).any()  # bands moved
    assert not q3.blocking  # a level over its cap that the review may not move: a warning
    record(q3)

    year = run(ws, "2024", pay="cadence")
    assert (year.grading.managers["level_set"] == "2024").all()
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
