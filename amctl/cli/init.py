"""amctl init: scaffold a workspace."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from amctl.cli import render
from amctl.cli.boundary import guarded

EXAMPLE = "Example: amctl init hr-workspace && cd hr-workspace && amctl close 2024Q3"


@guarded
def init(
    folder: Annotated[Path, typer.Argument(help="A new (or empty) folder for the workspace.")],
) -> None:
    """Create a workspace: the default policy and its golden cases, a sample quarter,
    .gitignore, a pre-commit config and a README for the HR team."""
    from amctl.workspace.init import init as scaffold
    from amctl.workspace.sample import QUARTER

    for path in scaffold(folder):
        render.done(render.said("t.created").format(path=path))
    render.done(render.said("t.next").format(folder=folder, quarter=QUARTER))
