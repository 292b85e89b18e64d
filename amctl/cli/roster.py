"""amctl roster check: is the roster readable, and do its current tiers fit the quotas?"""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from amctl.cli import render
from amctl.cli.app import guarded, roster_app
from amctl.cli.options import AsOfOpt, PolicyOpt, QuarterOpt
from amctl.errors import EXIT_FINDINGS, EXIT_OK, DataError, Finding, Location, Severity


@roster_app.command("check", epilog="Example: amctl roster check data/2024Q3/roster.xlsx")
@guarded
def check(
    roster: Annotated[Path, typer.Argument(help="Roster workbook (.xlsx/.csv).", dir_okay=False)],
    *,
    policy: PolicyOpt = None,
    quarter: QuarterOpt = None,
    as_of: AsOfOpt = None,
) -> None:
    """Check the roster's rows and its *current* levels against the policy's quota caps.

    Exit 0 when all is well, 1 when a row has a problem or a level is over its cap.
    """
    from amctl import period as periods
    from amctl.data.inputs import EMPTY_ROSTER, read_roster
    from amctl.data.locate import roster_source
    from amctl.engine.quotas import current_quota_problems, uncounted
    from amctl.workspace.policies import choose

    chosen = periods.resolve(quarter, as_of.date() if as_of else None, roster)
    loaded = choose(policy, roster, chosen.end)
    source = roster_source(roster, loaded.policy)
    read = read_roster(source, loaded.policy)
    where = Location(str(source.path), sheet=source.sheet)
    if read.frame.empty:
        raise DataError([Finding(where, "AMD017", EMPTY_ROSTER)])
    problems = list(read.findings)
    for message in current_quota_problems(loaded.policy, read.frame["current_level"]):
        problems.append(Finding(where, "AMD016", message, Severity.ERROR))
    blank = uncounted(read.frame["current_level"])
    if blank:
        note = f"{blank} manager(s) have no current level (现等级); they are not counted"
        problems.append(Finding(where, "AMD016", note, Severity.WARNING))
    render.findings(problems, stream=render.out)
    errors = [p for p in problems if p.severity is Severity.ERROR]
    counts = read.frame["current_level"].value_counts()
    summary = ", ".join(f"{k} {counts.get(k, 0)}" for k in [*loaded.policy.levels, "trainee"])
    render.done(f"{len(read.frame)} roster rows ({summary}): {len(errors)} problem(s)")
    raise typer.Exit(EXIT_FINDINGS if errors else EXIT_OK)
