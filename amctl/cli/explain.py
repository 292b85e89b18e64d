"""amctl history and amctl explain: a manager over the quarters, and one result taken apart."""

from __future__ import annotations

import json
from typing import Annotated

import typer

from amctl.cli import render
from amctl.cli.boundary import guarded
from amctl.cli.options import PolicyOpt, QuarterOpt, WorkspaceOpt
from amctl.messages import said

HISTORY_EXAMPLE = "Example: amctl history KM0012"
EXPLAIN_EXAMPLE = "Example: amctl explain KM0012 --quarter 2024Q3 --json"


@guarded
def history(
    employee: Annotated[str, typer.Argument(help="Employee id.")],
    *,
    workspace: WorkspaceOpt = None,
) -> None:
    """A manager's recorded quarters: tier, scores and pay, and how the tier moved."""
    from amctl import period as periods
    from amctl.errors import AmctlError
    from amctl.pipeline.explain import history as recorded
    from amctl.workspace.layout import Workspace

    ws = Workspace.at(workspace)
    found = recorded(ws, employee)
    try:  # tiers by the labels of the policy in force at the latest quarter, where it reads
        policy = ws.policy(None, periods.parse(found.rows[-1].quarter).end).policy
    except AmctlError:
        policy = None
    render.history(found, policy)


@guarded
def explain(
    employee: Annotated[str, typer.Argument(help="Employee id.")],
    *,
    quarter: QuarterOpt = None,
    workspace: WorkspaceOpt = None,
    policy: PolicyOpt = None,
    as_json: Annotated[bool, typer.Option("--json", help="Print the explanation as JSON.")] = False,
) -> None:
    """Why this tier and this pay: indicator by indicator, the quota decision, the dynamic
    rule, and every pay component with its formula. A recorded quarter is explained as it was
    recorded (default: the latest recorded quarter)."""
    from amctl import period as periods
    from amctl.pipeline.explain import explain as take_apart
    from amctl.pipeline.explain import latest_recorded
    from amctl.pipeline.run import Given, show
    from amctl.workspace.layout import Workspace

    ws = Workspace.at(workspace)
    period = periods.parse(quarter) if quarter else latest_recorded(ws)
    with render.step(said("pipeline.step_read")) as progress:
        result = show(ws, period, Given(policy=policy), progress=progress)
    doc = take_apart(result, employee, "en" if as_json else render.speaking(result.policy.policy))
    if as_json:
        render.raw(json.dumps(doc, ensure_ascii=False, indent=2) + "\n")
    else:
        changed = result.drift.lines() if result.drift else []
        render.explanation(doc, result.grading.policy.policy, changed)
