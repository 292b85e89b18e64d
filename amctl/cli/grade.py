"""amctl grade: the roster in, tiers out."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from amctl.cli import render
from amctl.cli.boundary import guarded, lang
from amctl.cli.options import (
    AsOfOpt,
    ForceOpt,
    LangOpt,
    OutputOpt,
    PerformanceOpt,
    PolicyOpt,
    QuarterOpt,
    RatingsOpt,
    ReasonOpt,
    RecordOpt,
    ReplaceOpt,
    WorkspaceOpt,
)
from amctl.cli.recording import check_flags, finish
from amctl.messages import said

EXAMPLE = "Example: amctl grade data/2024Q3/roster.xlsx -o grading-2024Q3.xlsx"


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
    output: OutputOpt = None,
    force: ForceOpt = False,
    lang_code: LangOpt = None,
    rows: Annotated[
        int, typer.Option("--rows", help="Managers shown on the terminal; -o writes all.", min=0)
    ] = 200,
    keep: RecordOpt = False,
    replace: ReplaceOpt = False,
    reason: ReasonOpt = None,
    workspace: WorkspaceOpt = None,
) -> None:
    """Grade every manager: ability × performance scores, grid cell, tier within the quotas.

    Exit 0 when every roster row is graded, 1 when some rows could only be reported
    (they are listed with the reason) or the quarter is recorded with another result,
    2 when the inputs or the policy are unusable.
    """
    render.chosen["lang"] = lang(lang_code)
    from amctl.data.sheets import ahead

    ahead([roster, performance, ratings])  # before the imports below
    from amctl.cli.periods import chosen
    from amctl.export import grading as export
    from amctl.export.formats import preflight
    from amctl.pipeline.run import Given, run
    from amctl.workspace.layout import Workspace

    check_flags(keep=keep, replace=replace, reason=reason)
    if output is not None:
        preflight(output, [roster, performance, ratings], force=force, formats=export.FORMATS)
    period = chosen(quarter, as_of.date() if as_of else None, roster)
    ws = Workspace.at(workspace, roster)
    with render.step(said("pipeline.step_start")) as progress:
        given = Given(roster, performance, ratings, policy)
        result = run(ws, period, given, pay="never", progress=progress)
    render.grading(result, rows=rows)
    if output is not None:
        with render.counting(said("pipeline.step_writing", path=output.name)) as tick:
            notes = export.write(
                result.grading, output, force=force, lang=lang(lang_code), tick=tick
            )
        render.written(output, notes)
    raise typer.Exit(finish(result, keep=keep, replace=replace, reason=reason))
