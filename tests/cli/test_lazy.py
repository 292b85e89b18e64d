"""typer builds only the commands a command line asks for, and pydantic checkers only for
the options given; the app behaves as an eagerly built one."""

from __future__ import annotations

import subprocess
import sys

import pytest
import typer
from typer.testing import CliRunner

from amctl.cli.lazy import CONTEXT, Commands

runner = CliRunner()


def _app() -> tuple[typer.Typer, list[str]]:
    built: list[str] = []
    top, sub = Commands(), Commands()

    def first() -> None:
        """The first command."""
        typer.echo("first ran")

    def second(count: int = 1) -> None:
        """The second command."""
        typer.echo(f"second ran {count}")

    def inner() -> None:
        """A command of the group."""

    top.command("first", first, epilog="Example: app first")
    top.command("second", second, epilog="Example: app second")
    top.group("group", "A group of commands.", sub)
    sub.command("inner", inner, epilog="Example: app group inner")
    for commands in (top, sub):
        for name, make in list(commands.makers.items()):
            commands.makers[name] = lambda name=name, make=make: built.append(name) or make()
    app = typer.Typer(
        context_settings=CONTEXT, add_completion=False, rich_markup_mode=None, cls=top.group_class()
    )

    @app.callback()
    def root() -> None:
        """The app."""

    return app, built


def test_a_command_line_builds_only_its_command() -> None:
    app, built = _app()
    result = runner.invoke(app, ["second", "--count", "3"])
    assert result.exit_code == 0, result.output
    assert result.output == "second ran 3\n"
    assert built == ["second"]


def test_help_lists_every_command_in_order_but_builds_no_groups_commands() -> None:
    app, built = _app()
    result = runner.invoke(app, ["--help"])
    assert result.exit_code == 0, result.output
    listed = result.output.split("Commands:")[1]
    assert [line.split()[0] for line in listed.strip().splitlines()] == [
        "first",
        "second",
        "group",
    ]
    assert "The second command." in listed and "A group of commands." in listed
    assert built == ["first", "second", "group"]


def test_a_group_and_its_command_are_reached() -> None:
    app, built = _app()
    result = runner.invoke(app, ["group", "inner", "-h"])
    assert result.exit_code == 0, result.output
    assert (
        "A command of the group." in result.output and "Example: app group inner" in result.output
    )
    assert built == ["group", "inner"]


def test_a_typo_is_answered_with_the_names() -> None:
    app, _ = _app()
    result = runner.invoke(app, ["secnod"])
    assert result.exit_code == 2
    assert "Did you mean 'second'?" in result.output


def test_a_command_registered_on_the_typer_itself_is_kept() -> None:
    app, _ = _app()

    @app.command("third")
    def third() -> None:
        """Registered the usual way."""
        typer.echo("third ran")

    assert runner.invoke(app, ["third"]).output == "third ran\n"
    assert "third" in runner.invoke(app, ["--help"]).output


@pytest.mark.parametrize("command", [[], ["grade"], ["policy", "check"]], ids=str)
def test_help_loads_no_pydantic(command: list[str]) -> None:
    """--help is read at a prompt: typer checks the options it is given with pydantic, and
    amctl keeps it from building checkers (and loading pydantic) for those not given (#17)."""
    code = (
        "import sys\n"
        "from amctl.cli.app import main\n"
        f"sys.argv = ['amctl', *{command!r}, '--help']\n"
        "try:\n"
        "    main()\n"
        "except SystemExit as done:\n"
        "    assert done.code == 0, done.code\n"
        "assert 'pydantic' not in sys.modules\n"
    )
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
    assert done.returncode == 0, done.stderr
