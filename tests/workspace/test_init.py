"""`amctl init` makes what its README needs: the README's commands, run in order, all pass."""

from __future__ import annotations

import re
import shlex
from pathlib import Path

import pytest
from typer.testing import CliRunner

from amctl.cli.app import app
from amctl.workspace.init import init
from tests.helpers import REPO

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


def _files(folder: Path) -> dict[str, bytes]:
    return {
        p.relative_to(folder).as_posix(): p.read_bytes() for p in folder.rglob("*") if p.is_file()
    }


def test_init_without_a_policy_starts_from_ct_group(tmp_path: Path) -> None:
    ws = tmp_path / "hr"
    result = runner.invoke(app, ["init", str(ws)])
    assert result.exit_code == 0, result.output
    assert sorted(p.name for p in (ws / "policies").iterdir()) == [
        "ct-group.test.yaml",
        "ct-group.yaml",
    ]
    assert sorted(p.name for p in (ws / "data").iterdir()) == ["2024Q3"]
    assert "amctl close 2024Q3" in result.output


def test_init_with_the_jinzhong_policy_writes_it_and_a_year_of_data(tmp_path: Path) -> None:
    ws = tmp_path / "jz"
    result = runner.invoke(app, ["init", str(ws), "--policy", "jinzhong-tobacco"])
    assert result.exit_code == 0, result.output
    written = _files(ws)
    example = _files(REPO / "examples" / "jinzhong")  # the policy, its cases and the year
    assert len(example) == 2 + 19
    for name, body in example.items():
        assert written[name] == body, name
    assert set(written) - set(example) == {
        ".gitignore",
        ".pre-commit-config.yaml",
        "README.md",
        "overrides/README.md",
    }
    readme = written["README.md"].decode("utf-8")
    assert "amctl init --policy jinzhong-tobacco" in readme
    assert "amctl close 2024-01" in readme and "policies/jinzhong-tobacco.yaml" in readme
    assert "approved_by" in written["overrides/README.md"].decode("utf-8")
    assert "amctl close 2024-01" in result.output  # the next step names the first month


def test_init_refuses_a_policy_it_does_not_ship(tmp_path: Path) -> None:
    result = runner.invoke(app, ["init", str(tmp_path / "x"), "-p", "ct"])
    assert result.exit_code == 2
    assert "no bundled policy is named ct; choose one of ct-group, jinzhong-tobacco" in (
        result.output
    )
    assert not (tmp_path / "x").exists()
