"""Parts made by a worker while the ledger writes them: the same bytes as made in turn, a
failure raised where they are written (and nothing recorded), a worker stopped when its parts
are not needed."""

from __future__ import annotations

import threading
from collections.abc import Iterator
from dataclasses import replace
from pathlib import Path

import pytest

from amctl.ledger.store import Ledger, QuarterClosed
from amctl.ledger.streamed import Streamed
from tests.ledger.test_store import entry


def _made(n: int, fail_at: int | None = None) -> Iterator[tuple[str, bytes]]:
    for i in range(n):
        if i == fail_at:
            raise TypeError("column 'x' mixes ['Decimal', 'str']")  # a bug in the encoding
        yield f"part.{i}", bytes([i]) * (i * 700_001)  # several pieces of the blob write


def test_parts_written_as_they_come_are_the_parts(tmp_path: Path) -> None:
    plain, streamed = entry(), entry()
    parts = {**plain.parts, **dict(_made(4))}
    plain = replace(plain, parts=parts)
    streamed = replace(streamed, parts=Streamed(lambda: iter(parts.items())))
    with Ledger.open(tmp_path / "a.sqlite", write=True) as a:
        one = a.record(plain).run_id
        kept = {name: a.part(one, name) for name in parts}
    with Ledger.open(tmp_path / "b.sqlite", write=True) as b:
        two = b.record(streamed).run_id
        assert {name: b.part(two, name) for name in parts} == kept == parts
        assert b.rows()[0].employee_id == "KM0001"


def test_a_failure_while_making_a_part_records_nothing(tmp_path: Path) -> None:
    made = Streamed(lambda: _made(4, fail_at=2))
    with Ledger.open(tmp_path / "l.sqlite", write=True) as ledger:
        with pytest.raises(TypeError, match="mixes"):
            ledger.record(replace(entry(), parts=made))
        assert ledger.runs(every=True) == [] and ledger.audit() == []
    made.close()


def test_a_refused_run_stops_the_worker_making_its_parts(tmp_path: Path) -> None:
    gate = threading.Event()
    counted: list[str] = []

    def slow() -> Iterator[tuple[str, bytes]]:
        yield "meta", b"{}"
        gate.wait(5)  # still making its parts when the ledger refuses the run
        for name, body in _made(50):
            counted.append(name)
            yield name, body

    with Ledger.open(tmp_path / "l.sqlite", write=True) as ledger:
        ledger.record(entry())
        made = Streamed(slow)
        with pytest.raises(QuarterClosed):
            ledger.record(replace(entry(policy_sha="b" * 64), parts=made))
        gate.set()
        made.close()
        assert not made._worker.is_alive() and len(counted) <= 2  # the one it was making
        with pytest.raises(RuntimeError, match="given up"):
            list(made.arriving())


def test_a_part_is_begun_only_once_the_one_before_is_taken() -> None:
    """Two parts alive at most: the one being written and the one being made."""
    begun: list[int] = []

    def counted() -> Iterator[tuple[str, bytes]]:
        for i, item in enumerate(_made(6)):
            begun.append(i)
            yield item

    made = Streamed(counted)
    taken = 0
    for _ in made.arriving():
        taken += 1
        threading.Event().wait(0.05)  # a slow write: the worker must not run ahead
        assert len(begun) <= taken + 1
    assert taken == 6
    made.close()


def test_read_as_a_mapping_every_part_is_made_and_kept() -> None:
    made = Streamed(lambda: _made(3))
    assert sorted(made) == ["part.0", "part.1", "part.2"] and len(made) == 3
    assert made["part.2"] == bytes([2]) * 1_400_002
    assert list(made.arriving()) == sorted(dict(_made(3)).items())  # kept: given again
    made.close()


def test_parts_given_once_are_not_given_again() -> None:
    made = Streamed(lambda: _made(2))
    assert [name for name, _ in made.arriving()] == ["part.0", "part.1"]
    with pytest.raises(RuntimeError, match="written or given up already"):
        list(made.arriving())
    made.close()
