"""`close`: the grading table is written while the ledger records, and put in place only once
the period is recorded; a record refused or interrupted leaves no file of the period."""

from __future__ import annotations

import threading
from pathlib import Path
from typing import Any

import pytest

from amctl import period as periods
from amctl.errors import AmctlError
from amctl.export import closing, grading
from amctl.workspace.layout import Workspace
from tests.helpers import example_workspace

Q = "2024Q3"


def _refusing(
    monkeypatch: pytest.MonkeyPatch, failure: BaseException, *, after: str
) -> threading.Event:
    """`record` fails once the grading table has begun (`after="begun"`) or has been written
    whole and waits to be put in place (`after="written"`); the event is set when it did."""
    begun, written, failed = threading.Event(), threading.Event(), threading.Event()
    real_write = grading.write

    def write(*args: Any, **kw: Any) -> list[str]:
        tick, publish = kw["tick"], kw["publish"]

        def ticking(done: int, total: int) -> None:
            begun.set()
            if after == "begun":
                failed.wait(10)  # the next batch is asked for only once the record failed
            tick(done, total)

        def publishing() -> None:
            written.set()
            publish()

        return real_write(*args, **{**kw, "tick": ticking, "publish": publishing})

    def record(*args: Any, **kw: Any) -> None:
        (begun if after == "begun" else written).wait(10)
        failed.set()
        raise failure

    monkeypatch.setattr(closing.grading, "write", write)
    monkeypatch.setattr(closing, "record", record)
    return failed


@pytest.mark.parametrize("after", ["begun", "written"])
@pytest.mark.parametrize("failure", [AmctlError("the ledger refused"), KeyboardInterrupt()])
def test_a_record_that_fails_leaves_no_file_of_the_period(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, after: str, failure: BaseException
) -> None:
    ws = Workspace.at(example_workspace(tmp_path / "ws"))
    failed = _refusing(monkeypatch, failure, after=after)
    with pytest.raises(type(failure)):
        closing.close(ws, periods.parse(Q), tables="csv")
    assert failed.is_set()
    assert not (ws.root / "out").exists()  # the folders made for the close, taken away


def test_a_record_refused_keeps_an_output_folder_that_was_there(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    ws = Workspace.at(example_workspace(tmp_path / "ws"))
    out = ws.out(Q)
    out.mkdir(parents=True)
    (out / "notes.txt").write_text("kept", encoding="utf-8")
    _refusing(monkeypatch, AmctlError("the ledger refused"), after="written")
    with pytest.raises(AmctlError):
        closing.close(ws, periods.parse(Q), tables="csv")
    assert sorted(p.name for p in out.iterdir()) == ["notes.txt"]  # no table, no temporary


def test_a_period_that_cannot_be_recorded_is_refused_before_any_file_is_begun(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A run with blocking findings is refused as record refuses it, with no folder made."""
    ws = Workspace.at(example_workspace(tmp_path / "ws"))
    begun: list[object] = []
    monkeypatch.setattr(closing.grading, "write", lambda *a, **k: begun.append(a) or [])
    monkeypatch.setattr(
        closing, "unrecordable", lambda result: AmctlError("blocking findings: not recorded")
    )
    with pytest.raises(AmctlError, match="blocking findings"):
        closing.close(ws, periods.parse(Q), tables="csv")
    assert not begun and not (ws.root / "out").exists()


def test_the_grading_table_is_put_in_place_only_after_the_record(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    ws = Workspace.at(example_workspace(tmp_path / "ws"))
    table = ws.out(Q) / f"grading-{Q}.csv"
    seen: list[bool] = []
    real_record = closing.record

    def record(*args: Any, **kw: Any) -> Any:
        done = real_record(*args, **kw)
        seen.append(table.exists())
        return done

    monkeypatch.setattr(closing, "record", record)
    closed = closing.close(ws, periods.parse(Q), tables="csv")
    assert seen == [False] and table.exists() and closed.files[0] == table


def _in_thread(call: Any) -> tuple[threading.Thread, list[BaseException]]:
    """`call` in a thread of its own, so that a test that would hang fails instead."""
    raised: list[BaseException] = []

    def run() -> None:
        try:
            call()
        except BaseException as exc:  # what the close raised, looked at below
            raised.append(exc)

    thread = threading.Thread(target=run, daemon=True)
    thread.start()
    thread.join(30)
    return thread, raised


def test_an_interrupt_as_the_record_is_told_to_the_writer_does_not_hang(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Ctrl-C between `record` returning and the writer hearing of it (a signal is raised
    on entering a Python function): the writer is told all the same, and close ends."""

    class Late(closing.Future):  # type: ignore[type-arg]
        def set_result(self, result: Any) -> None:
            raise KeyboardInterrupt

    monkeypatch.setattr(closing, "Future", Late)
    ws = Workspace.at(example_workspace(tmp_path / "ws"))
    thread, raised = _in_thread(lambda: closing.close(ws, periods.parse(Q), tables="csv"))
    assert not thread.is_alive(), "close hung"
    assert [type(e) for e in raised] == [KeyboardInterrupt]


def test_a_second_interrupt_while_the_writer_stops_still_leaves_no_folder(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    real_write = grading.write
    second = threading.Event()

    def write(*args: Any, **kw: Any) -> list[str]:
        tick = kw["tick"]

        def slow(done: int, total: int) -> None:
            second.wait(10)  # the batch still being made when the second Ctrl-C comes
            tick(done, total)

        return real_write(*args, **{**kw, "tick": slow})

    def record(*args: Any, **kw: Any) -> None:
        raise KeyboardInterrupt  # the first

    def shutdown(self: Any, wait: bool = True, **kw: Any) -> None:
        second.set()  # the worker goes on to stop; meanwhile, the second Ctrl-C
        raise KeyboardInterrupt

    monkeypatch.setattr(closing.grading, "write", write)
    monkeypatch.setattr(closing, "record", record)
    monkeypatch.setattr(closing.ThreadPoolExecutor, "shutdown", shutdown)
    ws = Workspace.at(example_workspace(tmp_path / "ws"))
    thread, raised = _in_thread(lambda: closing.close(ws, periods.parse(Q), tables="csv"))
    assert not thread.is_alive() and raised
    assert not (ws.root / "out").exists()
