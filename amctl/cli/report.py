"""amctl report: one HTML page for the calibration meeting."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from amctl.cli import render
from amctl.cli.app import app, guarded
from amctl.cli.app import lang_option as _lang
from amctl.cli.options import ForceOpt, LangOpt, PerformanceOpt, PolicyOpt, RatingsOpt


def _write(path: Path, text: str) -> None:
    path.write_text(text, encoding="utf-8")


@app.command(epilog="Example: amctl report --quarter 2024Q3 -o report-2024Q3.html")
@guarded
def report(
    roster: Annotated[
        Path | None,
        typer.Argument(help="Roster workbook; default data/QUARTER/roster.xlsx.", dir_okay=False),
    ] = None,
    *,
    output: Annotated[
        Path, typer.Option("--output", "-o", help="The .html file to write.", dir_okay=False)
    ],
    quarter: Annotated[
        str | None, typer.Option("--quarter", "-q", help="The quarter, e.g. 2024Q3.")
    ] = None,
    workspace: Annotated[
        Path,
        typer.Option("--workspace", "-w", help="Folder with data/QUARTER/.", file_okay=False),
    ] = Path("."),
    performance: PerformanceOpt = None,
    ratings: RatingsOpt = None,
    policy: PolicyOpt = None,
    force: ForceOpt = False,
    lang: LangOpt = None,
) -> None:
    """Write a self-contained HTML report: grid, quotas, calibration by org unit, pay, moves.

    It opens in a browser with nothing else installed (inline CSS and SVG, no network).
    """
    from amctl import period as periods
    from amctl.errors import UsageError
    from amctl.export.formats import preflight
    from amctl.export.labels import titles
    from amctl.export.report import render as to_html
    from amctl.export.safe import atomic_write
    from amctl.pipeline.grade import grade_files, require_some
    from amctl.pipeline.payroll import quarter_roster, run_payroll
    from amctl.workspace.policies import choose

    preflight(output, [roster, performance, ratings], force=force, formats=(".html", ".htm"))
    if roster is None and quarter is None:
        raise UsageError("give --quarter (to read data/QUARTER/) or a roster path")
    chosen = (
        periods.quarter(quarter) if quarter else periods.resolve(None, None, roster)  # type: ignore[arg-type]
    )
    near = roster if roster is not None else workspace / "data" / chosen.label
    loaded = choose(policy, near, chosen.end)
    if roster is None:
        roster = quarter_roster(workspace, chosen.label, loaded.policy.sheets.roster)
    with render.step("grading") as progress:
        grading = grade_files(
            loaded, roster, chosen, performance=performance, ratings=ratings, progress=progress
        )
        require_some(grading)
    pay = None
    if loaded.policy.pay is not None and chosen.start is not None:
        with render.step("paying"):
            pay = run_payroll(loaded, grading)
    title = titles(loaded.policy, _lang(lang) or loaded.policy.metadata.language)
    text = to_html(grading, pay, title)
    atomic_write(output, lambda tmp: _write(tmp, text))
    render.done(f"wrote {output}")
