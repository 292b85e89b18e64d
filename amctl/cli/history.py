"""amctl history and amctl explain: a manager over the quarters, and one result taken apart."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Annotated

import typer

from amctl.cli import render
from amctl.cli.app import app, guarded
from amctl.cli.options import PolicyOpt
from amctl.errors import EXIT_OK, UsageError

WorkspaceArg = Annotated[
    Path,
    typer.Option(
        "--workspace", "-w", help="Workspace folder (holds .amctl/ and data/).", file_okay=False
    ),
]


@app.command(epilog="Example: amctl history KM0012")
@guarded
def history(
    employee: Annotated[str, typer.Argument(help="Employee id.")],
    *,
    workspace: WorkspaceArg = Path("."),
) -> None:
    """A manager's recorded quarters: tier, scores and pay, and how the tier moved."""
    from amctl.ledger.store import Ledger, ledger_path

    path = ledger_path(workspace)
    if not path.exists():
        raise UsageError(f"{path}: no ledger yet; record a quarter with --record first")
    ledger = Ledger(path)
    try:
        rows = ledger.rows(employee_id=employee)
    finally:
        ledger.close()
    if not rows:
        raise UsageError(f"{employee} is in no recorded quarter")
    render.history(rows)
    raise typer.Exit(EXIT_OK)


@app.command(epilog="Example: amctl explain KM0012 --quarter 2024Q3 --json")
@guarded
def explain(
    employee: Annotated[str, typer.Argument(help="Employee id.")],
    *,
    quarter: Annotated[
        str | None, typer.Option("--quarter", "-q", help="Default: the latest recorded quarter.")
    ] = None,
    workspace: WorkspaceArg = Path("."),
    policy: PolicyOpt = None,
    as_json: Annotated[bool, typer.Option("--json", help="Print the explanation as JSON.")] = False,
) -> None:
    """Why this tier and this pay: indicator by indicator, the quota decision, the dynamic
    rule, and every pay component with its formula."""
    from amctl import period as periods
    from amctl.ledger.store import Ledger, ledger_path
    from amctl.pipeline.context import context
    from amctl.pipeline.explain import explain as take_apart
    from amctl.pipeline.grade import grade_files
    from amctl.pipeline.payroll import quarter_roster, run_payroll
    from amctl.workspace.policies import choose

    if quarter is None:
        path = ledger_path(workspace)
        recorded: list[str] = []
        if path.exists():
            ledger = Ledger(path)
            recorded = ledger.quarters()
            ledger.close()
        if not recorded:
            raise UsageError("give --quarter: no quarter is recorded yet")
        quarter = recorded[-1]
    chosen = periods.quarter(quarter)
    loaded = choose(policy, workspace / "data" / chosen.label, chosen.end)
    roster = quarter_roster(workspace, chosen.label, loaded.policy.sheets.roster)
    ctx = context(workspace, chosen.label)
    grading = grade_files(loaded, roster, chosen, history=ctx.history, overrides=ctx.overrides)
    pay = run_payroll(loaded, grading) if loaded.policy.pay is not None else None
    doc = take_apart(grading, pay, employee)
    if as_json:
        render.raw(json.dumps(doc, ensure_ascii=False, indent=2) + "\n")
    else:
        render.explanation(doc)
    raise typer.Exit(EXIT_OK)
