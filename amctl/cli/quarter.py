"""The ledger around a command's run: history in, closed quarters guarded, recording out."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

from amctl.cli import render
from amctl.errors import EXIT_FINDINGS, EXIT_OK

if TYPE_CHECKING:  # the CLI starts without pandas: these load when a command runs
    from amctl.period import Period
    from amctl.pipeline.context import Context
    from amctl.pipeline.grade import GradeResult
    from amctl.pipeline.payroll import PayrollResult
    from amctl.policy.loader import LoadedPolicy

RecordOpt = Annotated[
    bool, typer.Option("--record", help="Record this quarter in the workspace's ledger.")
]
ReplaceOpt = Annotated[
    bool, typer.Option("--replace", help="Replace an already recorded quarter (needs --reason).")
]
ReasonOpt = Annotated[
    str | None,
    typer.Option("--reason", help="Why a recorded quarter is replaced (kept in the audit)."),
]
WorkspaceOpt = Annotated[
    Path | None,
    typer.Option(
        "--workspace",
        "-w",
        help="Workspace folder (default: found from the roster).",
        file_okay=False,
    ),
]


def before(workspace: Path, period: Period) -> Context | None:
    """History and overrides for a quarter; none for an as-of date."""
    from amctl.pipeline.context import context

    if period.start is None:
        return None
    ctx = context(workspace, period.label)
    if ctx.previous is None:
        render.note(f"no quarter before {period.label} is recorded: no dynamic rules this time")
    elif ctx.previous != _previous_label(period.label):
        render.note(
            f"the last recorded quarter is {ctx.previous}, not the one just before {period.label}"
        )
    if ctx.overrides is not None:
        moves = len(ctx.overrides.moves)
        render.note(f"applying {moves} calibration override(s) from overrides/{period.label}.yaml")
    return ctx


def grade_quarter(
    loaded: LoadedPolicy,
    roster: Path,
    period: Period,
    workspace: Path,
    *,
    performance: Path | None,
    ratings: Path | None,
) -> GradeResult:
    """Grade with the workspace's history and overrides, a spinner naming each step."""
    from amctl.pipeline.grade import grade_files, require_some

    ctx = before(workspace, period)
    with render.step("grading") as progress:
        result = grade_files(
            loaded,
            roster,
            period,
            performance=performance,
            ratings=ratings,
            progress=progress,
            history=ctx.history if ctx else None,
            overrides=ctx.overrides if ctx else None,
        )
    require_some(result)
    return result


def _previous_label(label: str) -> str:
    year, q = int(label[:4]), int(label[-1])
    return f"{year - 1}Q4" if q == 1 else f"{year}Q{q - 1}"


def after(
    workspace: Path,
    grading: GradeResult,
    payroll: PayrollResult | None,
    *,
    keep: bool,
    replace: bool,
    reason: str | None,
) -> int:
    """Guard a closed quarter and record; the exit code to end with (before row findings)."""
    from amctl.pipeline.context import differences, record

    if grading.period.start is None:
        if keep:
            render.note("--record needs a quarter (pass --quarter): an as-of run is not recorded")
        return EXIT_OK
    diff = differences(workspace, grading, payroll)
    if diff:
        render.back_pay(grading.period.label, diff)
    if keep and (replace or not diff):
        done = record(workspace, grading, payroll, replace=replace, reason=reason)
        words = {
            "recorded": "recorded",
            "replaced": "replaced",
            "unchanged": "already recorded, unchanged",
        }
        render.done(f"{grading.period.label}: {words[done.action]} (ledger run {done.run_id})")
        return EXIT_OK
    if diff:
        if keep:
            render.error(
                f"{grading.period.label} is recorded and closed; to replace it pass --replace "
                '--reason "why" (the audit trail keeps it)'
            )
        return EXIT_FINDINGS
    return EXIT_OK
