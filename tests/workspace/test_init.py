"""`amctl init` makes what its README needs: the README's commands, run in order, all pass."""

from __future__ import annotations

import re
import shlex
from pathlib import Path

import pytest
from typer.testing import CliRunner

from amctl.cli.app import app
from amctl.workspace.init import init

runner = CliRunner()


def commands(readme: str) -> list[list[str]]:
    """The ```sh blocks of the README, one command a line, in order."""
    blocks = re.findall(r"```sh\n(.*?)```", readme, re.S)
    lines = [line.strip() for block in blocks for line in block.splitlines() if line.strip()]
    return [shlex.split(line) for line in lines]


def test_the_workspace_readme_runs_in_order(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    ws = tmp_path / "hr"
    init(ws)
    monkeypatch.chdir(ws)
    steps = commands((ws / "README.md").read_text(encoding="utf-8"))
    assert [s[1] for s in steps[:3]] == ["grade", "payroll", "close"]
    for argv in steps:
        assert argv[0] == "amctl"
        result = runner.invoke(app, argv[1:])
        assert result.exit_code == 0, (argv, result.output)
    for name in ("grading-2024Q3.xlsx", "payroll-2024Q3.xlsx", "report-2024Q3.html"):
        assert (ws / "out" / "2024Q3" / name).is_file()
    assert (ws / ".amctl" / "ledger.sqlite").is_file()


def test_init_refuses_a_folder_with_something_in_it(tmp_path: Path) -> None:
    (tmp_path / "keep.txt").write_text("x", encoding="utf-8")
    result = runner.invoke(app, ["init", str(tmp_path)])
    assert result.exit_code == 2 and "already exists and is not empty" in result.output


def test_the_overrides_example_applies_cleanly(tmp_path: Path) -> None:
    import amctl

    ws = tmp_path / "hr"
    init(ws)
    text = (ws / "overrides" / "README.md").read_text(encoding="utf-8")
    example = re.search(r"```yaml\n(.*?)```", text, re.S)
    assert example is not None
    (ws / "overrides" / "2024Q3.yaml").write_text(example.group(1), encoding="utf-8")
    result = amctl.run(ws, "2024Q3", pay="never")
    assert result.grading.managers.loc["KM0001", "tier"] == "mid-B"
    assert not [f for f in result.findings if f.rule.startswith("AMC06")]
