"""The typer app and its one error boundary: exceptions become messages and exit codes."""

from __future__ import annotations

import functools
import os
import sys
from collections.abc import Callable
from typing import Any, TypeVar

import typer

from amctl.cli import render
from amctl.errors import EXIT_BUG, AmctlError, FindingsError, UsageError

F = TypeVar("F", bound=Callable[..., Any])

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
app.add_typer(policy_app, name="policy", context_settings=CONTEXT)
app.add_typer(roster_app, name="roster", context_settings=CONTEXT)


_debug = {"on": False}  # set by --debug on every invocation


def debugging() -> bool:
    return _debug["on"] or os.environ.get("AMCTL_DEBUG", "") not in ("", "0")


def guarded(fn: F) -> F:
    """Run a command: user errors print located messages (exit 2), bugs say so (exit 3)."""

    @functools.wraps(fn)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        try:
            return fn(*args, **kwargs)
        except typer.Exit:
            raise
        except FindingsError as exc:
            shown = exc.findings[: render.MAX_SHOWN]
            more = len(exc.findings) - len(shown)
            summary = str(exc) + (f" ({more} more problems not shown)" if more > 0 else "")
            render.findings(shown, summary=summary)
            raise typer.Exit(exc.exit_code) from None
        except AmctlError as exc:
            render.error(str(exc))
            raise typer.Exit(exc.exit_code) from None
        except KeyboardInterrupt:
            render.error("interrupted")
            raise typer.Exit(130) from None
        except Exception as exc:
            if debugging():
                raise
            render.error(
                f"internal error (a bug in amctl, not in your files): {type(exc).__name__}: "
                f"{exc}. Rerun with --debug for the traceback and report it."
            )
            raise typer.Exit(EXIT_BUG) from None

    return wrapper  # type: ignore[return-value]


@app.callback()
def _root(
    debug: bool = typer.Option(False, "--debug", help="Show tracebacks of internal errors."),
    quiet: bool = typer.Option(
        False, "--quiet", help="No tables or progress: errors and the last line only."
    ),
) -> None:
    _debug["on"] = debug
    render.quiet["on"] = quiet


def lang_option(value: str | None) -> str | None:
    if value is not None and value not in ("zh", "en"):
        raise UsageError(f"--lang {value}: use zh or en")
    return value


def _register() -> None:
    # imported for their decorators; explicit so the command list reads in one place
    from amctl.cli import grade, history, init, payroll, policy, report, roster

    del grade, history, init, payroll, policy, report, roster


_register()


def main() -> None:
    sys.exit(app())
