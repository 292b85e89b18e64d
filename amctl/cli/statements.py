"""amctl statements: the period's pay slips (工资条) and grading notices, one per manager."""

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

EXAMPLE = (
    "Example: amctl statements --quarter 2024Q3 -o statements-2024Q3.xlsx "
    "(or .html, to print from a browser)"
)


@guarded
def statements(
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
    """Write every manager's pay slip (工资条: a header row, the person's row and a blank row,
    to print and cut) and a one-page grading notice (tier and move, scores against the cuts,
    the 9-box cell and its action, training, the pay lines, the reasons).

    .xlsx gives two sheets ready to print; .html one page to print from any browser. A
    recorded quarter is shown as recorded; an open one is graded and paid as `amctl payroll`
    would.
    """
    from amctl import period as periods
    from amctl.export.formats import preflight
    from amctl.export.statements import FORMATS, write
    from amctl.pipeline.run import Given, show
    from amctl.workspace.layout import Workspace

    if output is None:
        raise UsageError(said("pipeline.usage.statements_output"))
    if quarter is None:
        raise UsageError(said("pipeline.usage.statements_quarter"))
    preflight(output, [roster, performance, ratings], force=force, formats=FORMATS)
    period = periods.parse(quarter)
    ws = Workspace.at(workspace, roster)
    with render.step(said("pipeline.step_start")) as progress:
        given = Given(roster, performance, ratings, policy)
        result = show(ws, period, given, progress=progress)
    render.source(result)
    write(result, output, lang=lang(lang_code), force=force)
    render.done(render.said("t.wrote").format(path=output))
