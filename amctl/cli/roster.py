"""amctl roster check: is the roster readable, and do its current tiers fit the quotas?"""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from amctl.cli import render
from amctl.cli.boundary import guarded
from amctl.cli.options import AsOfOpt, PolicyOpt, QuarterOpt
from amctl.errors import EXIT_FINDINGS, EXIT_OK

EXAMPLE = "Example: amctl roster check data/2024Q3/roster.xlsx"


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
    from amctl.cli.periods import chosen
    from amctl.pipeline.roster import check_roster

    period = chosen(quarter, as_of.date() if as_of else None, roster)
    checked = check_roster(roster, period, policy=policy)
    render.roster_check(checked)
    raise typer.Exit(EXIT_FINDINGS if checked.errors else EXIT_OK)
