"""Every row of the bad-input catalogue, run through the CLI; the doc is generated from them."""

from __future__ import annotations

import errno
import os
import re
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
from typer.testing import CliRunner

from amctl.cli.app import app
from tests.catalogue import CASES, Case
from tests.helpers import REPO

DOC = REPO / "docs" / "bad-inputs.md"
runner = CliRunner()


def _full_disk(*args: Any, **kwargs: Any) -> None:
    raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))


def _run(tmp: Path, case: Case, lang: str) -> tuple[int, str]:
    args = case.make(tmp)
    with pytest.MonkeyPatch.context() as mp:
        mp.setenv("AMCTL_LANG", lang)
        for key, value in case.env:
            mp.setenv(key, value)
        if case.disk_full:
            mp.setattr("amctl.export.flat.write_csv", _full_disk)
        result = runner.invoke(app, args)
    return result.exit_code, result.output.replace(str(tmp), "…").replace(str(REPO) + "/", "")


@pytest.fixture(scope="module")
def outcomes(tmp_path_factory: pytest.TempPathFactory) -> dict[str, tuple[int, str, str, str]]:
    """Run each case in English and in Chinese: exit code, the whole English output, and the
    line the doc shows in each language."""
    results = {}
    for name, case in CASES.items():
        code, output = _run(tmp_path_factory.mktemp(name), case, "en")
        at = _headline(output, case.says)
        _, chinese = _run(tmp_path_factory.mktemp(name), case, "zh")
        results[name] = (code, output, _line(output, at), _line(chinese, at))
    return results


def _headline(output: str, says: str) -> int:
    """Which line of the output carries the expected words."""
    for at, line in enumerate(output.splitlines()):
        if says in line:
            return at
    return 0


def _line(output: str, at: int) -> str:
    lines = output.splitlines()
    line = lines[at] if at < len(lines) else (lines[0] if lines else "")
    return re.sub(r"\s+", " ", line.strip("│ ").strip())


@pytest.mark.parametrize("name", list(CASES))
def test_bad_input(outcomes: dict[str, tuple[int, str, str, str]], name: str) -> None:
    case = CASES[name]
    code, output, _, _ = outcomes[name]
    assert code == case.exit, output
    assert case.says in output, output
    assert "Traceback" not in output and "internal error" not in output


def render(outcomes: dict[str, tuple[int, str, str, str]]) -> str:
    lines = [
        "# Bad inputs: what amctl says",
        "",
        "Generated from `tests/catalogue.py` by `AMCTL_REGEN=1 pytest tests/test_catalogue.py`;",
        "a test fails when this page and the program disagree. Exit codes: 0 ok, 1 findings,",
        "2 unusable input or usage, 3 a bug (never expected here). `…` stands for the folder",
        "of the input. No case prints a traceback; `amctl --debug` shows one for internal errors.",
        "amctl says each in the policy's language (中文 for the bundled policies), or in English",
        "with `--lang en` or `AMCTL_LANG=en`; both are shown.",
        "",
        "| # | area | input | what amctl says | 中文 | exit |",
        "|---|---|---|---|---|---|",
    ]
    for i, (name, case) in enumerate(CASES.items(), start=1):
        said, zh = (outcomes[name][k].replace("|", "\\|") for k in (2, 3))
        lines.append(f"| {i} | {case.area} | {case.input} | `{said}` | `{zh}` | {case.exit} |")
    return "\n".join(lines) + "\n"


def test_the_catalogue_page_is_current(outcomes: dict[str, tuple[int, str, str, str]]) -> None:
    text = render(outcomes)
    if os.environ.get("AMCTL_REGEN"):
        DOC.parent.mkdir(exist_ok=True)
        DOC.write_text(text, encoding="utf-8")
    assert DOC.read_text(encoding="utf-8") == text, (
        "run: AMCTL_REGEN=1 pytest tests/test_catalogue.py"
    )
    assert len(CASES) >= 40


LIMITED = [name for name, case in CASES.items() if case.limited]


def _limits() -> None:  # in the child, before amctl starts: 1 GB of memory, 20 s of CPU
    import resource

    resource.setrlimit(resource.RLIMIT_AS, (1 << 30, 1 << 30))
    resource.setrlimit(resource.RLIMIT_CPU, (20, 20))


@pytest.mark.parametrize("name", LIMITED)
def test_hostile_files_end_in_a_message_within_20_s_and_1_gb(tmp_path: Path, name: str) -> None:
    case = CASES[name]
    args = case.make(tmp_path)
    before = sorted(p.name for p in tmp_path.iterdir())
    done = subprocess.run(
        [sys.executable, "-m", "amctl", *args],
        preexec_fn=_limits,
        capture_output=True,
        text=True,
        timeout=20,
        env={**os.environ, "NO_COLOR": "1", "COLUMNS": "200", **dict(case.env)},
    )
    output = done.stdout + done.stderr
    assert done.returncode == case.exit, output
    assert case.says in output, output
    assert "Traceback" not in output and "internal error" not in output
    assert sorted(p.name for p in tmp_path.iterdir()) == before  # nothing written, no .tmp
