"""amctl close: the quarter in one command."""

from __future__ import annotations

from typing import Annotated

import typer

from amctl.cli import render
from amctl.cli.boundary import guarded, lang
from amctl.cli.options import LangOpt, ReasonOpt, ReplaceOpt, WorkspaceOpt
from amctl.cli.recording import check_flags
from amctl.errors import EXIT_FINDINGS, EXIT_OK
from amctl.messages import said

EXAMPLE = "Example: amctl close 2024Q3   (reads data/2024Q3/, writes out/2024Q3/)"


@guarded
def close(
    quarter: Annotated[
        str, typer.Argument(help="The period to close: 2024Q3, a month 2024-08, 2024H2 or 2024.")
    ],
    *,
    workspace: WorkspaceOpt = None,
    replace: ReplaceOpt = False,
    reason: ReasonOpt = None,
    lang_code: LangOpt = None,
    tables: Annotated[
        str,
        typer.Option(
            "--format",
            "-f",
            help="The grading and payroll tables as xlsx (default), csv or parquet: csv or "
            "parquet for hundreds of thousands of managers.",
        ),
    ] = "xlsx",
) -> None:
    """Close a quarter: grade, pay and record it, and write its grading and payroll tables
    (workbooks unless --format says csv or parquet) and HTML report into out/QUARTER/, all
    from one run.

    Exit 0 when closed with every roster row paid, 1 when some rows could not be graded or
    the quarter is recorded with another result, 2 when inputs or policy are unusable.
    """
    render.chosen["lang"] = lang(lang_code)
    from amctl import period as periods
    from amctl.export.closing import close as close_quarter
    from amctl.workspace.layout import Workspace

    check_flags(keep=True, replace=replace, reason=reason)
    ws = Workspace.at(workspace)
    with render.step(said("pipeline.step_start")) as progress:
        closed = close_quarter(
            ws,
            periods.parse(quarter),
            replace=replace,
            reason=reason,
            lang=lang(lang_code),
            tables=tables,
            progress=progress,
        )
    render.closed(closed)
    raise typer.Exit(EXIT_FINDINGS if closed.run.grading.has_findings else EXIT_OK)
