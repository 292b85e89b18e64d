"""The typer app: the command list in one place, registered explicitly.

Command modules import `boundary`, `options` and `render`, never this module, so cli/ has no
import loop; each command imports the library only when it runs, so `--help` stays fast."""

from __future__ import annotations

import signal
import sys
from typing import Any

import typer

from amctl.cli import (
    close,
    explain,
    grade,
    init,
    ledger,
    payroll,
    policy,
    render,
    report,
    roster,
    statements,
)
from amctl.cli.boundary import debug

CONTEXT = {"help_option_names": ["-h", "--help"]}

app = typer.Typer(
    name="amctl",
    help="Account-manager grading and pay as code: a YAML policy in, tiers and pay out.",
    no_args_is_help=True,
    context_settings=CONTEXT,
    pretty_exceptions_enable=False,
    add_completion=True,
    rich_markup_mode=None,
)
policy_app = typer.Typer(help="Check and inspect policy files.", no_args_is_help=True)
roster_app = typer.Typer(help="Check roster workbooks.", no_args_is_help=True)
ledger_app = typer.Typer(help="The recorded quarters and their audit trail.", no_args_is_help=True)


@app.callback()
def _root(
    debug_on: bool = typer.Option(False, "--debug", help="Show tracebacks of internal errors."),
    quiet: bool = typer.Option(
        False, "--quiet", help="No tables or progress: errors and the last line only."
    ),
    wide: bool = typer.Option(
        False, "--wide", help="Every table column, wrapped, even on a narrow terminal."
    ),
) -> None:
    debug["on"] = debug_on
    render.begin(quiet_on=quiet, wide_on=wide)


app.command(epilog=grade.EXAMPLE)(grade.grade)
app.command(epilog=payroll.EXAMPLE)(payroll.payroll)
app.command(epilog=close.EXAMPLE)(close.close)
app.command(epilog=report.EXAMPLE)(report.report)
app.command(epilog=statements.EXAMPLE)(statements.statements)
app.command(epilog=explain.EXPLAIN_EXAMPLE)(explain.explain)
app.command(epilog=explain.HISTORY_EXAMPLE)(explain.history)
app.command(epilog=init.EXAMPLE)(init.init)

app.add_typer(policy_app, name="policy", context_settings=CONTEXT)
policy_app.command("check", epilog=policy.CHECK_EXAMPLE)(policy.check)
policy_app.command("fmt", epilog=policy.FMT_EXAMPLE)(policy.fmt)
policy_app.command("test", epilog=policy.TEST_EXAMPLE)(policy.run_tests)
policy_app.command("diff", epilog=policy.DIFF_EXAMPLE)(policy.diff)
policy_app.command("migrate", epilog=policy.MIGRATE_EXAMPLE)(policy.migrate)
policy_app.command("schema", epilog=policy.SCHEMA_EXAMPLE)(policy.schema)

app.add_typer(roster_app, name="roster", context_settings=CONTEXT)
roster_app.command("check", epilog=roster.EXAMPLE)(roster.check)

app.add_typer(ledger_app, name="ledger", context_settings=CONTEXT)
ledger_app.command("list", epilog=ledger.LIST_EXAMPLE)(ledger.runs)
ledger_app.command("audit", epilog=ledger.AUDIT_EXAMPLE)(ledger.audit)


def _no_adapter_for_nothing() -> None:
    """typer checks an option's value with a pydantic TypeAdapter, built the first time the
    option is processed: also for an option that was not given (None), which every checker
    hands back untouched. `amctl grade --help` paid pydantic and three adapters (half its
    time) for the root's --help and completion flags it does not use. A None now goes through
    typer's own pass-through checker and the adapter is built only for a value. With a typer
    whose internals differ this does nothing (slower, never wrong); a test says so."""
    core = getattr(typer, "core", None)
    param = getattr(core, "_TyperParameter", None)
    try:
        from typer._coercion import PassThroughRuntimeParam
    except ImportError:
        return
    if param is None or not hasattr(param, "get_runtime_param"):
        return
    process = param.process_value

    def process_value(self: Any, ctx: Any, value: Any) -> Any:
        if value is not None or getattr(self, "_runtime_param", True) is not None:
            return process(self, ctx, value)
        described = self.type_descriptor
        self._runtime_param = PassThroughRuntimeParam(
            parameter_info=described.parameter_info, annotation=described.annotation
        )
        try:
            return process(self, ctx, value)
        finally:
            self._runtime_param = None

    param.process_value = process_value


_no_adapter_for_nothing()


def stop_cleanly() -> None:
    """SIGTERM (a cancelled CI job) and SIGHUP unwind the stack as Ctrl-C does, so a half-written
    output's temporary file is removed and an open ledger transaction rolls back."""

    def stop(signum: int, frame: object) -> None:
        raise SystemExit(128 + signum)

    for sig in (signal.SIGTERM, signal.SIGHUP):
        signal.signal(sig, stop)


def main() -> None:
    stop_cleanly()
    sys.exit(app())
