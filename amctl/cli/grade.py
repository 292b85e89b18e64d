"""amctl grade: the roster in, tiers out."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from amctl.cli import render
from amctl.cli.app import app, guarded
from amctl.cli.app import lang_option as _lang
from amctl.cli.options import (
    AsOfOpt,
    ForceOpt,
    LangOpt,
    PerformanceOpt,
    PolicyOpt,
    QuarterOpt,
    RatingsOpt,
)
from amctl.cli.quarter import (
    ReasonOpt,
    RecordOpt,
    ReplaceOpt,
    WorkspaceOpt,
    after,
    grade_quarter,
)
from amctl.errors import EXIT_FINDINGS, EXIT_OK


@app.command(
    epilog="Example: amctl grade data/2024Q3/roster.xlsx -o grading-2024Q3.xlsx",
)
@guarded
def grade(
    roster: Annotated[
        Path,
        typer.Argument(
            help="Roster workbook (.xlsx/.csv). Its sheets, or files beside it, "
            "hold performance and ratings.",
            dir_okay=False,
        ),
    ],
    *,
    performance: PerformanceOpt = None,
    ratings: RatingsOpt = None,
    policy: PolicyOpt = None,
    quarter: QuarterOpt = None,
    as_of: AsOfOpt = None,
    output: Annotated[
        Path | None,
        typer.Option(
            "--output",
            "-o",
            help="Write the result by suffix: .xlsx .csv .json, or .png for the 9-box picture.",
            dir_okay=False,
        ),
    ] = None,
    force: ForceOpt = False,
    lang: LangOpt = None,
    rows: Annotated[
        int, typer.Option("--rows", help="Managers shown on the terminal; -o writes all.", min=0)
    ] = 200,
    keep: RecordOpt = False,
    replace: ReplaceOpt = False,
    reason: ReasonOpt = None,
    workspace_dir: WorkspaceOpt = None,
) -> None:
    """Grade every manager: ability × performance scores, grid cell, tier within the quotas.

    Exit 0 when every roster row is graded, 1 when some rows could only be reported
    (they are listed with the reason), 2 when the inputs or the policy are unusable.
    """
    from amctl import period as periods
    from amctl.export import grading as export
    from amctl.export.formats import preflight
    from amctl.workspace.policies import choose

    if output is not None:
        preflight(output, [roster, performance, ratings], force=force, formats=export.FORMATS)
    chosen = periods.resolve(quarter, as_of.date() if as_of else None, roster)
    loaded = choose(policy, roster, chosen.end)
    from amctl.pipeline.context import workspace_for

    ws = workspace_for(roster, workspace_dir)
    result = grade_quarter(loaded, roster, chosen, ws, performance=performance, ratings=ratings)
    render.grading(result, rows=rows)
    if output is not None:
        note = export.write(result, output, force=force, lang=_lang(lang))
        render.done(f"wrote {output}" + (f" ({note})" if note else ""))
    code = after(ws, result, None, keep=keep, replace=replace, reason=reason)
    raise typer.Exit(EXIT_FINDINGS if result.has_findings or code else EXIT_OK)
