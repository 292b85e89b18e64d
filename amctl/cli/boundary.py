"""The one error boundary: exceptions become located messages and exit codes.

Library errors name no command-line flags; where a flag is the fix, it is added here."""

from __future__ import annotations

import functools
import gc
import os
from collections.abc import Callable
from typing import Any, TypeVar

import typer

from amctl.cli import render
from amctl.errors import EXIT_BUG, AmctlError, FindingsError, UsageError, unreadable
from amctl.messages import said

F = TypeVar("F", bound=Callable[..., Any])

debug = {"on": False}  # set by --debug on every invocation

HINTS: dict[str, Callable[[Exception], str]] = {  # library error class → the flag that fixes it
    "QuarterClosed": lambda exc: render.said("t.hint_closed"),
    "OutputExists": lambda exc: render.said("t.hint_exists"),
    "TableNotFound": lambda exc: render.said("t.hint_table").format(
        table=getattr(exc, "table", "TABLE")
    ),
}


def debugging() -> bool:
    return debug["on"] or os.environ.get("AMCTL_DEBUG", "") not in ("", "0")


def guarded(fn: F) -> F:
    """Run a command: user errors print located messages (exit 2, or 1 for findings), bugs
    say so (exit 3). Garbage is collected from here on (app.main leaves it for the start-up),
    unless the command is `bounded`."""

    @functools.wraps(fn)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        if not getattr(fn, _BOUNDED, False):
            gc.enable()
        result = _run(fn, *args, **kwargs)
        if result is _OUT_OF_MEMORY:  # out here, the frames that held the memory are gone
            gc.collect()
            render.error(render.said("t.out_of_memory"))
            raise typer.Exit(2)
        return result

    return wrapper  # type: ignore[return-value]


_OUT_OF_MEMORY = object()
_BOUNDED = "amctl_bounded"


def bounded(fn: F) -> F:
    """A command whose work its input's own limits bound (policy files: their size and nodes):
    as in the start-up, its garbage is freed with the process, not collected as it goes
    (collections in pydantic's import and schemas were 5 % of `policy check`, #17)."""
    setattr(fn, _BOUNDED, True)
    return fn


def _run(fn: Callable[..., Any], *args: Any, **kwargs: Any) -> Any:
    try:
        return fn(*args, **kwargs)
    except typer.Exit:
        raise
    except FindingsError as exc:
        shown = exc.findings[: render.MAX_SHOWN]
        more = len(exc.findings) - len(shown)
        summary = render.message(exc) + (
            render.said("t.more_problems").format(n=more) if more > 0 else ""
        )
        render.findings(shown, summary=summary)
        raise typer.Exit(exc.exit_code) from None
    except AmctlError as exc:
        hint = HINTS.get(type(exc).__name__)
        sep = "；" if render.language() == "zh" else "; "
        render.error(render.message(exc) + (sep + hint(exc) if hint else ""))
        raise typer.Exit(exc.exit_code) from None
    except KeyboardInterrupt:
        render.error(render.said("t.interrupted"))
        raise typer.Exit(130) from None
    except MemoryError:
        pass  # said by the caller: rendering needs memory this call's frames still hold
    except BaseException as exc:  # a reader's panic too (see errors.unreadable), not a traceback
        if debugging() or not unreadable(exc):
            raise
        render.error(render.said("t.bug").format(kind=type(exc).__name__, detail=exc))
        raise typer.Exit(EXIT_BUG) from None
    return _OUT_OF_MEMORY


def lang(value: str | None) -> str | None:
    if value is not None and value not in ("zh", "en"):
        raise UsageError(said("pipeline.usage.lang", value=value))
    return value
