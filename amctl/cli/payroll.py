"""amctl payroll: the quarter's pay from the tiers grading assigns and the policy's pay section."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from amctl.cli import render
from amctl.cli.app import app, guarded
from amctl.cli.app import lang_option as _lang
from amctl.cli.options import ForceOpt, LangOpt, OutputOpt, PerformanceOpt, PolicyOpt, RatingsOpt
from amctl.cli.quarter import ReasonOpt, RecordOpt, ReplaceOpt, after, grade_quarter
from amctl.errors import EXIT_FINDINGS, EXIT_OK


@app.command(
    epilog="Example: amctl payroll --quarter 2024Q3 -o payroll-2024Q3.xlsx  "
    "(reads data/2024Q3/roster.xlsx)",
)
@guarded
def payroll(
    roster: Annotated[
        Path | None,
        typer.Argument(
            help="Roster workbook; default data/QUARTER/roster.xlsx in the workspace.",
            dir_okay=False,
        ),
    ] = None,
    *,
    quarter: Annotated[
        str, typer.Option("--quarter", "-q", help="The quarter to pay, e.g. 2024Q3.")
    ],
    workspace: Annotated[
        Path,
        typer.Option(
            "--workspace", "-w", help="Workspace folder holding data/QUARTER/.", file_okay=False
        ),
    ] = Path("."),
    performance: PerformanceOpt = None,
    ratings: RatingsOpt = None,
    policy: PolicyOpt = None,
    output: OutputOpt = None,
    force: ForceOpt = False,
    lang: LangOpt = None,
    keep: RecordOpt = False,
    replace: ReplaceOpt = False,
    reason: ReasonOpt = None,
) -> None:
    """Pay every graded manager for the quarter: one amount per pay component, and the total.

    Exit 0 when every roster row is paid, 1 when some rows could not be graded (they are
    listed and not paid), 2 when the inputs or the policy are unusable.
    """
    from amctl import period as periods
    from amctl.export import payroll as export
    from amctl.export.formats import preflight
    from amctl.pipeline.payroll import quarter_roster, run_payroll
    from amctl.workspace.policies import choose

    if output is not None:
        preflight(output, [roster, performance, ratings], force=force)
    chosen = periods.quarter(quarter)
    near = roster if roster is not None else workspace / "data" / chosen.label
    loaded = choose(policy, near, chosen.end)
    if roster is None:
        roster = quarter_roster(workspace, chosen.label, loaded.policy.sheets.roster)
    from amctl.pipeline.context import workspace_for

    ws = workspace_for(roster, workspace)
    grading = grade_quarter(loaded, roster, chosen, ws, performance=performance, ratings=ratings)
    with render.step(f"paying {len(grading.managers)} managers"):
        result = run_payroll(loaded, grading)
    render.payroll(result)
    if output is not None:
        export.write(result, output, force=force, lang=_lang(lang))
        render.done(f"wrote {output}")
    code = after(ws, grading, result, keep=keep, replace=replace, reason=reason)
    raise typer.Exit(EXIT_FINDINGS if grading.has_findings or code else EXIT_OK)
