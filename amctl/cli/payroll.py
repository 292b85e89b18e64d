"""amctl payroll: the quarter's pay from the tiers grading assigns and the policy's pay section."""

from __future__ import annotations

import typer

from amctl.cli import render
from amctl.cli.boundary import guarded, lang
from amctl.cli.options import (
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
    RosterArg,
    WorkspaceOpt,
)
from amctl.cli.recording import check_flags, finish
from amctl.errors import UsageError
from amctl.messages import said

EXAMPLE = "Example: amctl payroll --quarter 2024Q3 -o payroll-2024Q3.xlsx (reads data/2024Q3/)"


@guarded
def payroll(
    roster: RosterArg = None,
    *,
    quarter: QuarterOpt = None,
    workspace: WorkspaceOpt = None,
    performance: PerformanceOpt = None,
    ratings: RatingsOpt = None,
    policy: PolicyOpt = None,
    output: OutputOpt = None,
    force: ForceOpt = False,
    lang_code: LangOpt = None,
    keep: RecordOpt = False,
    replace: ReplaceOpt = False,
    reason: ReasonOpt = None,
) -> None:
    """Pay every graded manager for the quarter: one amount per pay component, and the total.

    Exit 0 when every roster row is paid, 1 when some rows could not be graded (they are
    listed and not paid) or the quarter is recorded with another result, 2 when the inputs
    or the policy are unusable.
    """
    render.chosen["lang"] = lang(lang_code)
    from amctl.data.sheets import ahead

    ahead([roster, performance, ratings])  # before the imports below
    from amctl import period as periods
    from amctl.export import payroll as export
    from amctl.export.formats import preflight
    from amctl.pipeline.run import Given, run
    from amctl.workspace.layout import Workspace

    if quarter is None:
        raise UsageError(said("pipeline.usage.payroll_quarter"))
    check_flags(keep=keep, replace=replace, reason=reason)
    if output is not None:
        preflight(output, [roster, performance, ratings], force=force)
    period = periods.parse(quarter)
    ws = Workspace.at(workspace, roster)
    with render.step(said("pipeline.step_start")) as progress:
        given = Given(roster, performance, ratings, policy)
        result = run(ws, period, given, pay="required", progress=progress)
    render.payroll(result)
    if output is not None and result.payroll is not None:
        with render.counting(said("pipeline.step_writing", path=output.name)) as tick:
            notes = export.write(
                result.payroll, output, force=force, lang=lang(lang_code), tick=tick
            )
        render.written(output, notes)
    raise typer.Exit(finish(result, keep=keep, replace=replace, reason=reason))
