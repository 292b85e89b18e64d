"""`amctl close --format`: the quarter's tables as workbooks, csv or parquet, from one run."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest
from typer.testing import CliRunner

from amctl.cli.app import app
from amctl.ledger.store import ledger_path
from tests.helpers import example_workspace

runner = CliRunner()
Q = "2024Q3"


def cli(*args: str | Path):  # type: ignore[no-untyped-def]
    return runner.invoke(app, [str(a) for a in args])


@pytest.mark.parametrize("tables", ["csv", "parquet"])
def test_a_quarter_closed_with_tables_as_csv_or_parquet_writes_what_grade_and_payroll_write(
    tmp_path: Path, tables: str
) -> None:
    """The tables close writes are those `grade -o` and `payroll -o` write of the closed
    quarter, byte for byte: one run, whichever command shows it."""
    ws = example_workspace(tmp_path / "ws")
    done = cli("--quiet", "close", Q, "-w", ws, "--format", tables.upper())
    assert done.exit_code == 0, done.output
    out = ws / "out" / Q
    assert sorted(p.name for p in out.iterdir()) == [
        f"grading-{Q}.{tables}",
        f"payroll-{Q}.{tables}",
        f"report-{Q}.html",
    ]
    graded, paid = tmp_path / f"g.{tables}", tmp_path / f"p.{tables}"
    assert cli("--quiet", "grade", ws / "data" / Q / "roster.xlsx", "-o", graded).exit_code == 0
    assert cli("--quiet", "payroll", "--quarter", Q, "-w", ws, "-o", paid).exit_code == 0
    assert (out / f"grading-{Q}.{tables}").read_bytes() == graded.read_bytes()
    assert (out / f"payroll-{Q}.{tables}").read_bytes() == paid.read_bytes()
    if tables == "parquet":
        assert len(pd.read_parquet(paid)) == len(pd.read_parquet(graded)) == 80


def test_tables_in_another_format_are_refused_before_anything_is_run(tmp_path: Path) -> None:
    ws = example_workspace(tmp_path / "ws")
    done = cli("close", Q, "-w", ws, "--format", "ODS", "--lang", "en")
    assert done.exit_code == 2
    assert (
        "tables as ODS: the grading and payroll tables are written as one of xlsx, csv, parquet"
        in " ".join(done.output.split())
    )
    assert not (ws / "out").exists()
    assert not ledger_path(ws).exists()


def test_a_grading_table_that_cannot_be_written_is_said_after_the_others_are(
    tmp_path: Path,
) -> None:
    """The grading table is written beside the payroll and the report: when it cannot be
    (a folder where the file goes), close says so, exit 2, and the others are whole."""
    ws = example_workspace(tmp_path / "ws")
    out = ws / "out" / Q
    (out / f"grading-{Q}.csv").mkdir(parents=True)
    done = cli("close", Q, "-w", ws, "--format", "csv", "--lang", "en")
    assert done.exit_code == 2, done.output
    assert f"grading-{Q}.csv" in done.output and "Traceback" not in done.output
    assert (out / f"grading-{Q}.csv").is_dir()
    assert (out / f"payroll-{Q}.csv").read_bytes().startswith("\ufeff".encode())
    assert "</html>" in (out / f"report-{Q}.html").read_text(encoding="utf-8")
