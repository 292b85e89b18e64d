"""amctl report: one HTML page for the calibration meeting."""

from __future__ import annotations

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
    RosterArg,
    WorkspaceOpt,
)
from amctl.errors import UsageError
from amctl.messages import said

EXAMPLE = "Example: amctl report --quarter 2024Q3 -o report-2024Q3.html"


@guarded
def report(
    roster: RosterArg = None,
    *,
    output: OutputOpt = None,
    quarter: QuarterOpt = None,
    workspace: WorkspaceOpt = None,
    performance: PerformanceOpt = None,
    ratings: RatingsOpt = None,
    policy: PolicyOpt = None,
    force: ForceOpt = False,
    lang_code: LangOpt = None,
) -> None:
    """Write a self-contained HTML report: grid, quotas, calibration by org unit, pay, moves.

    A recorded quarter is shown as recorded (and the report says what has changed since);
    an open one is graded and paid as `amctl payroll` would. It opens in a browser with
    nothing else installed (inline CSS and SVG, no network).
    """
    from amctl import period as periods
    from amctl.cli.periods import chosen
    from amctl.export.formats import preflight
    from amctl.export.report import write
    from amctl.pipeline.run import Given, show
    from amctl.workspace.layout import Workspace

    if output is None:
        raise UsageError(said("pipeline.usage.report_output"))
    preflight(output, [roster, performance, ratings], force=force, formats=(".html", ".htm"))
    if roster is None and quarter is None:
        raise UsageError(said("pipeline.usage.report_input"))
    if quarter is not None:
        period = periods.parse(quarter)
    else:
        assert roster is not None
        period = chosen(None, None, roster)
    ws = Workspace.at(workspace, roster)
    with render.step(said("pipeline.step_start")) as progress:
        given = Given(roster, performance, ratings, policy)
        result = show(ws, period, given, progress=progress)
    render.source(result)
    write(result, output, lang=lang(lang_code), force=force)
    render.done(render.said("t.wrote").format(path=output))
