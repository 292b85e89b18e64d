"""The typer app: the command list in one place, registered explicitly.

Command modules import `boundary`, `options` and `render`, never this module, so cli/ has no
import loop; each command imports the library only when it runs, and typer builds only the
commands a command line asks for (lazy.py), so `--help` stays fast."""

from __future__ import annotations

import gc
import os
import signal
import sys
import types
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
from amctl.cli.lazy import CONTEXT, Commands, checkers_only_for_values

checkers_only_for_values()
commands, policy_commands, roster_commands, ledger_commands = (Commands() for _ in range(4))
app = typer.Typer(
    name="amctl",
    help="Account-manager grading and pay as code: a YAML policy in, tiers and pay out.",
    no_args_is_help=True,
    context_settings=CONTEXT,
    pretty_exceptions_enable=False,
    add_completion=True,
    rich_markup_mode=None,
    cls=commands.group_class(),
)


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


commands.command("grade", grade.grade, epilog=grade.EXAMPLE)
commands.command("payroll", payroll.payroll, epilog=payroll.EXAMPLE)
commands.command("close", close.close, epilog=close.EXAMPLE)
commands.command("report", report.report, epilog=report.EXAMPLE)
commands.command("statements", statements.statements, epilog=statements.EXAMPLE)
commands.command("explain", explain.explain, epilog=explain.EXPLAIN_EXAMPLE)
commands.command("history", explain.history, epilog=explain.HISTORY_EXAMPLE)
commands.command("init", init.init, epilog=init.EXAMPLE)

commands.group("policy", "Check and inspect policy files.", policy_commands)
policy_commands.command("check", policy.check, epilog=policy.CHECK_EXAMPLE)
policy_commands.command("fmt", policy.fmt, epilog=policy.FMT_EXAMPLE)
policy_commands.command("test", policy.run_tests, epilog=policy.TEST_EXAMPLE)
policy_commands.command("diff", policy.diff, epilog=policy.DIFF_EXAMPLE)
policy_commands.command("migrate", policy.migrate, epilog=policy.MIGRATE_EXAMPLE)
policy_commands.command("schema", policy.schema, epilog=policy.SCHEMA_EXAMPLE)

commands.group("roster", "Check roster workbooks.", roster_commands)
roster_commands.command("check", roster.check, epilog=roster.EXAMPLE)

commands.group("ledger", "The recorded quarters and their audit trail.", ledger_commands)
ledger_commands.command("list", ledger.runs, epilog=ledger.LIST_EXAMPLE)
ledger_commands.command("audit", ledger.audit, epilog=ledger.AUDIT_EXAMPLE)


def stop_cleanly() -> None:
    """SIGTERM (a cancelled CI job) and SIGHUP unwind the stack as Ctrl-C does, so a half-written
    output's temporary file is removed and an open ledger transaction rolls back."""

    def stop(signum: int, frame: object) -> None:
        raise SystemExit(128 + signum)

    for sig in (signal.SIGTERM, signal.SIGHUP):
        signal.signal(sig, stop)


def return_freed_memory() -> None:
    """Arrow's allocator (mimalloc) gives memory Arrow freed back to the system after 10 ms,
    mimalloc's own default, not the full second Arrow's build sets: a reader's buffers, let
    go as each input becomes a frame, were otherwise still held while the scores were worked
    out, so a 1M-row grade peaked at 1.78 or 2.27 GB from one run to the next by thread
    timing alone (now 1.76 GB each run, no slower; 0 ms costs 2%, #17). Read when the
    allocator starts, so set before pyarrow loads; a setting of the user's own is kept."""
    for name, value in ALLOCATOR.items():
        os.environ.setdefault(name, value)


ALLOCATOR = {"MIMALLOC_PURGE_DELAY": "10"}  # milliseconds

PLUGINS = "PYDANTIC_DISABLE_PLUGINS"
_LOADER = "pydantic.plugin._loader"


def without_pydantic_plugins() -> None:
    """No pydantic plugin is loaded into the amctl command. To find them pydantic imports
    importlib.metadata and reads every installed package's entry points as it builds its
    first validator: 7 % of `amctl policy check` (#17), for plugins that could only watch
    amctl's own policy models. Its loader is replaced by one that finds none without importing
    anything, as PYDANTIC_DISABLE_PLUGINS=__all__ would once the loader is imported; a user
    who set that variable (to anything) keeps pydantic's loader, and plugins as it says."""
    if PLUGINS in os.environ or _LOADER in sys.modules:
        return
    loader = types.ModuleType(_LOADER, "pydantic's plugin loader in the amctl command: none.")
    loader.get_plugins = tuple  # type: ignore[attr-defined]  # get_plugins() -> ()
    loader.__getattr__ = _pydantic_loader  # type: ignore[method-assign]
    sys.modules[_LOADER] = loader


def _pydantic_loader(name: str) -> Any:
    """Anything else a pydantic asks of its loader (it asks for get_plugins alone today), from
    its own module: a newer pydantic is then slower, never wrong. Not the names Python asks
    of any module (`__path__`, `__file__`): the loader has none."""
    if name.startswith("__"):
        raise AttributeError(name)
    import importlib.util

    folder = os.path.dirname(importlib.import_module("pydantic.plugin").__file__ or "")
    spec = importlib.util.spec_from_file_location(
        "amctl.pydantic_loader", os.path.join(folder, "_loader.py")
    )
    if spec is None or spec.loader is None:
        raise AttributeError(name)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    found = getattr(module, name)
    setattr(sys.modules[_LOADER], name, found)  # asked once
    return found


def main() -> None:
    """amctl as a process. At exit every object still alive is frozen (gc.freeze), so the
    interpreter frees them without a last full collection: over tens of thousands of objects
    that were never garbage (modules, classes, pydantic's schemas), it was a sixth of
    `amctl policy check` (#17). Outputs and the ledger are closed by their own `with` blocks
    before then, and atexit handlers still run. Garbage is not collected while the command
    line is read and typer loads (collections there were 5 % of `policy check`); from when
    the command's own work starts it is (boundary.guarded), unless that work is bounded."""
    return_freed_memory()
    without_pydantic_plugins()
    stop_cleanly()
    gc.disable()  # collected from when a command's work starts: boundary.guarded
    try:
        sys.exit(app())
    finally:
        gc.freeze()
