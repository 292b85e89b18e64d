"""typer, made to do only the work a command line asks for.

- typer builds every command of the app (reads each signature and evaluates each annotation,
  twice) before it looks at the command line: a quarter of `amctl --help`'s time past
  importing typer, of which `amctl policy check` needs one command. `Commands` holds a
  group's commands by name, in order, and has typer build one the first time it is asked
  for; a group lists them by name, so --help builds the commands it shows, not their groups'.
- typer builds a pydantic checker for every option it processes, given or not:
  `checkers_only_for_values` keeps it to the options given.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, MutableMapping
from typing import Any

import typer
import typer.main
from typer.core import TyperGroup

CONTEXT = {"help_option_names": ["-h", "--help"]}


def _typer(**settings: Any) -> typer.Typer:
    """A Typer as amctl makes each: -h, plain help (no rich), no completion flags."""
    return typer.Typer(
        context_settings=CONTEXT, rich_markup_mode=None, add_completion=False, **settings
    )


class Commands(MutableMapping[str, Any]):
    """A group's commands by name, each built by typer the first time it is asked for."""

    def __init__(self, makers: dict[str, Callable[[], Any]] | None = None) -> None:
        self.makers = makers if makers is not None else {}
        self.built: dict[str, Any] = {}

    def command(self, name: str, callback: Callable[..., Any], *, epilog: str) -> None:
        one = _typer()
        one.command(name, epilog=epilog)(callback)
        self.makers[name] = lambda: typer.main.get_command(one)

    def group(self, name: str, help: str, commands: Commands) -> None:
        sub = _typer(name=name, help=help, no_args_is_help=True, cls=commands.group_class())
        self.makers[name] = lambda: typer.main.get_group(sub)

    def group_class(self) -> type[TyperGroup]:
        """The group typer makes for these commands: each made group builds its own."""
        makers = self.makers

        class Group(TyperGroup):
            def __init__(self, **settings: Any) -> None:
                super().__init__(**settings)
                given = self.commands  # commands registered on the Typer itself, built
                self.commands = Commands(dict(makers))
                self.commands.update(given)

            def list_commands(self, ctx: Any) -> list[str]:
                return list(self.commands)  # names: building them is not needed

        return Group

    def __getitem__(self, name: str) -> Any:
        if name not in self.built:
            self.built[name] = self.makers[name]()
        return self.built[name]

    def __setitem__(self, name: str, command: Any) -> None:
        self.makers[name] = lambda: command
        self.built[name] = command

    def __delitem__(self, name: str) -> None:
        del self.makers[name]
        self.built.pop(name, None)

    def __iter__(self) -> Iterator[str]:
        return iter(self.makers)

    def __len__(self) -> int:
        return len(self.makers)


def checkers_only_for_values() -> None:
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
