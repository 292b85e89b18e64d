"""amctl init: scaffold a workspace."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from amctl.cli import render
from amctl.cli.boundary import guarded

EXAMPLE = (
    "Example: amctl init hr-workspace && cd hr-workspace && amctl close 2024Q3\n\n"
    "Seed 004's Jinzhong year: amctl init jz --policy jinzhong-tobacco"
)


@guarded
def init(
    folder: Annotated[Path, typer.Argument(help="A new (or empty) folder for the workspace.")],
    *,
    policy: Annotated[
        str,
        typer.Option(
            "--policy",
            "-p",
            help="The bundled policy to start from: ct-group (default: ability × performance, "
            "quarterly) or jinzhong-tobacco (seed 004: monthly pay, a year of reviews).",
        ),
    ] = "ct-group",
) -> None:
    """Create a workspace: a bundled policy and its golden cases, its sample data, .gitignore,
    a pre-commit config and a README for the HR team."""
    from amctl.workspace.init import FIRST_PERIOD
    from amctl.workspace.init import init as scaffold

    for path in scaffold(folder, policy):
        render.done(render.said("t.created").format(path=path))
    render.done(render.said("t.next").format(folder=folder, quarter=FIRST_PERIOD[policy]))
