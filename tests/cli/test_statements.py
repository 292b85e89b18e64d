"""amctl statements through the CLI: both formats for the example quarter."""

from __future__ import annotations

from pathlib import Path

from typer.testing import CliRunner

from amctl.cli.app import app
from tests.helpers import REPO

runner = CliRunner()


def test_statements_writes_xlsx_and_html_for_the_example_quarter(tmp_path: Path) -> None:
    for suffix in (".xlsx", ".html"):
        out = tmp_path / f"statements{suffix}"
        args = ["statements", "--quarter", "2024Q3", "-w", str(REPO / "examples"), "-o", str(out)]
        result = runner.invoke(app, args)
        assert result.exit_code == 0, result.output
        assert out.stat().st_size > 10_000 and f"wrote {out}" in result.output


def test_statements_needs_an_output_of_a_known_kind(tmp_path: Path) -> None:
    base = ["statements", "--quarter", "2024Q3", "-w", str(REPO / "examples")]
    assert runner.invoke(app, base).exit_code == 2
    result = runner.invoke(app, [*base, "-o", str(tmp_path / "s.csv")])
    assert result.exit_code == 2 and ".xlsx" in result.output
