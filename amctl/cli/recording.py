"""After a run: what differs from a closed quarter, then --record; the exit code to end with."""

from __future__ import annotations

from typing import TYPE_CHECKING

from amctl.cli import render
from amctl.errors import EXIT_FINDINGS, EXIT_OK, UsageError
from amctl.messages import said

if TYPE_CHECKING:  # the CLI starts without pandas: these load when a command runs
    from amctl.pipeline.run import QuarterRun


def check_flags(*, keep: bool, replace: bool, reason: str | None) -> None:
    """Refuse a contradictory combination before any work is done."""
    if (replace or reason) and not keep:
        raise UsageError(said("pipeline.usage.record_only"))
    if replace and not (reason or "").strip():
        raise UsageError(said("pipeline.usage.replace_reason"))


def finish(result: QuarterRun, *, keep: bool, replace: bool, reason: str | None) -> int:
    from amctl.pipeline.run import record

    if result.differences:
        render.differences(result)
    settled = False
    if keep:
        if result.period.start is None:
            render.note(render.said("t.record_needs_quarter"))
        else:
            done = record(result, replace=replace, reason=reason)
            render.recorded(result.period.label, done)
            settled = done.action == "replaced"
    differs = bool(result.differences) and not settled
    return EXIT_FINDINGS if result.grading.has_findings or differs else EXIT_OK
