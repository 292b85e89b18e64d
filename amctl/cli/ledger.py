"""amctl ledger …: the recorded quarters and the audit trail, without sqlite3."""

from __future__ import annotations

from amctl.cli import render
from amctl.cli.boundary import guarded
from amctl.cli.options import WorkspaceOpt

LIST_EXAMPLE = "Example: amctl ledger list"
AUDIT_EXAMPLE = "Example: amctl ledger audit"


@guarded
def runs(*, workspace: WorkspaceOpt = None) -> None:
    """The recorded quarters: run, when, policy, managers and pay total."""
    from amctl.pipeline.explain import recorded_quarters
    from amctl.workspace.layout import Workspace

    render.ledger_runs(recorded_quarters(Workspace.at(workspace)))


@guarded
def audit(*, workspace: WorkspaceOpt = None) -> None:
    """Every recording, completion and replacement, with its reason."""
    from amctl.pipeline.explain import audit_trail
    from amctl.workspace.layout import Workspace

    render.audit(audit_trail(Workspace.at(workspace)))
