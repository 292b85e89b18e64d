"""The terminal at 80 columns: tables leave out low-priority columns and say which, and never
cut an id, a name, a tier or an amount."""

from __future__ import annotations

import re
import shutil
from pathlib import Path

import pytest
from rich.cells import cell_len
from typer.testing import CliRunner

from amctl.cli import render
from amctl.cli.app import app
from tests.helpers import REPO

runner = CliRunner()
TABLE = re.compile(r"^[┏┃┡│└]")


@pytest.fixture
def workspace(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    shutil.copytree(REPO / "examples" / "data", tmp_path / "data")
    shutil.copytree(REPO / "policies", tmp_path / "policies")
    monkeypatch.chdir(tmp_path)
    monkeypatch.setattr(render, "out", render._console())  # a console made at this width
    return tmp_path


def _at(width: int, monkeypatch: pytest.MonkeyPatch, *args: str) -> str:
    monkeypatch.setenv("COLUMNS", str(width))
    monkeypatch.setattr(render, "out", render._console())
    result = runner.invoke(app, list(args))
    assert result.exit_code in (0, 1), result.output
    return result.output


def _tables_fit(text: str, width: int) -> list[str]:
    lines = [line for line in text.splitlines() if TABLE.match(line)]
    assert lines and all(cell_len(line) <= width for line in lines), [
        line for line in lines if cell_len(line) > width
    ]
    return lines


@pytest.mark.zh
def test_grade_at_80_columns_keeps_every_id_name_and_tier_whole(
    workspace: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    text = _at(80, monkeypatch, "grade", "data/2024Q3/roster.xlsx", "--rows", "80")
    lines = _tables_fit(text, 80)
    rows = [[c.strip() for c in line.split("│")[1:-1]] for line in lines if line[0] == "│"]
    graded = [r for r in rows if re.fullmatch(r"KM\d{4}", r[0])]
    assert len(graded) == 80  # every id whole, one row each
    assert all(r[1] and "…" not in r[1] for r in graded)  # names whole
    assert all(re.fullmatch(r"(初级|中级|高级)客户经理[ABC]|见习客户经理", r[-2]) for r in graded)
    joined = "".join(text.split())  # the caption wraps
    assert "为适应80列宽未显示：" in joined and "--wide显示全部列" in joined
    wide = _at(80, monkeypatch, "--wide", "grade", "data/2024Q3/roster.xlsx", "--rows", "3")
    assert "未显示" not in wide and "九宫格" in wide


def test_payroll_and_history_at_80_columns_never_cut_an_amount(
    workspace: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    text = _at(80, monkeypatch, "payroll", "--quarter", "2024Q3", "--record")
    _tables_fit(text, 80)
    assert "1,442,756.81" in text  # the grand total, whole, in the tables and the last line
    money = re.findall(r"\d{1,3}(?:,\d{3})*\.\d\d", text)
    assert money and all(re.fullmatch(r"\d{1,3}(?:,\d{3})*\.\d{2}", m) for m in money)
    assert "…" not in text
    history = _at(80, monkeypatch, "history", "KM0001")
    lines = _tables_fit(history, 80)
    assert any("KM0001" in line or "2024Q3" in line for line in lines)
    assert re.search(r"\d{1,3},\d{3}\.\d\d", history)  # the quarter's pay, whole
    assert "…" not in history


@pytest.mark.zh
def test_a_wide_terminal_shows_every_column(
    workspace: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    text = _at(200, monkeypatch, "grade", "data/2024Q3/roster.xlsx", "--rows", "3")
    assert "未显示" not in text and "九宫格" in text and "上期" in text
    english = _at(200, monkeypatch, "grade", "data/2024Q3/roster.xlsx", "--lang", "en")
    assert "Grid cell" in english and "Was" in english and "80 roster rows: 80 graded" in english


def test_the_progress_bar_counts_on_a_terminal(monkeypatch: pytest.MonkeyPatch) -> None:
    import io

    from rich.console import Console

    shown = io.StringIO()
    lazy = render._Lazy(stderr=True)  # as the module makes it: made on first use
    lazy._console = Console(file=shown, force_terminal=True, width=80)
    monkeypatch.setattr(render, "err", lazy)
    with render.counting("writing g.xlsx") as tick:
        tick(2_000, 10_000)
        tick(10_000, 10_000)
    assert "writing g.xlsx" in shown.getvalue() and "10000/10000" in shown.getvalue()
    monkeypatch.setattr(render, "err", Console(file=io.StringIO(), force_terminal=False))
    with render.counting("writing g.xlsx") as tick:  # in a pipe: nothing at all
        tick(1, 2)


def test_a_last_line_is_printed_as_written(capsys: pytest.CaptureFixture[str]) -> None:
    render.done("wrote out/[draft]/grading :x: [AMC001].xlsx")
    assert capsys.readouterr().out == "wrote out/[draft]/grading :x: [AMC001].xlsx\n"
