"""Memory a step freed is given back between the steps of a close, and nothing breaks where
the C library has no way to give it back."""

from __future__ import annotations

from pathlib import Path

import pytest

from amctl.export import closing
from amctl.period import parse
from amctl.pipeline import memory, run
from amctl.workspace.layout import Workspace
from tests.helpers import example_workspace


def test_a_close_gives_memory_back_after_the_record_and_after_each_table(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    steps: list[str] = []
    monkeypatch.setattr(run, "release", lambda: steps.append("recorded"))
    monkeypatch.setattr(closing, "release", lambda: steps.append("written"))
    ws = example_workspace(tmp_path / "ws")
    closing.close(Workspace.at(ws), parse("2024Q3"), tables="csv")
    assert steps == ["recorded", "written", "written"]  # the grading table, then the payroll


def test_giving_memory_back_asks_the_c_library_once_and_is_nothing_without_it(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    memory.release()  # glibc here: malloc_trim is there, and returns
    asked: list[int] = []
    monkeypatch.setattr(memory, "_trim", lambda: asked.append)
    memory.release()
    assert asked == [0]  # every free page, not only the heap's top
    monkeypatch.setattr(memory, "_trim", lambda: None)  # macOS, musl, Windows
    memory.release()
    assert asked == [0]


def test_without_the_call_the_library_is_not_asked(monkeypatch: pytest.MonkeyPatch) -> None:
    class NoTrim:
        def __init__(self, name: object) -> None: ...

    memory._trim.cache_clear()
    monkeypatch.setattr(memory.ctypes, "CDLL", NoTrim)
    try:
        assert memory._trim() is None
    finally:
        memory._trim.cache_clear()
