"""A table's late columns: made for the rows being written, a window at a time."""

from __future__ import annotations

import threading
from pathlib import Path

import pandas as pd
import pyarrow as pa
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from amctl.export import flat, table
from amctl.export.table import Table, silent


def _late(words: list[str | None], calls: list[tuple[int, int]]) -> Table:
    frame = pd.DataFrame({"id": _ids(len(words)), "why": pd.Series(None, dtype=object)})

    def fill(start: int, stop: int) -> pa.Array:
        calls.append((start, stop))
        return pa.array(words[start:stop], pa.string())  # either Arrow text type is taken

    return Table(frame, late={"why": fill})


def _ids(n: int) -> pd.Series:
    return pd.Series([f"E{i}" for i in range(n)], dtype=object)


@settings(max_examples=60, deadline=None)
@given(
    words=st.lists(st.one_of(st.none(), st.text(alphabet='a,"=+\n中 ', max_size=6)), max_size=40),
    batch=st.integers(1, 7),
    window=st.integers(1, 9),
)
def test_late_columns_are_written_as_if_the_frame_held_them(
    words: list[str | None], batch: int, window: int
) -> None:
    """csv and parquet, batch after batch, with the words made a window at a time: the same
    bytes as from a frame that holds them, each row made once, and json's rows the same."""
    import tempfile

    with tempfile.TemporaryDirectory() as folder, pytest.MonkeyPatch.context() as patch:
        patch.setattr(flat, "BATCH", batch)
        patch.setattr(table, "LATE", window)
        held = Table(pd.DataFrame({"id": _ids(len(words)), "why": pd.Series(words, dtype=object)}))
        for write, suffix in ((flat.write_csv, "csv"), (flat.write_parquet, "parquet")):
            calls: list[tuple[int, int]] = []
            late, plain = Path(folder) / f"late.{suffix}", Path(folder) / f"held.{suffix}"
            write(late, _late(words, calls), silent)
            write(plain, held, silent)
            assert late.read_bytes() == plain.read_bytes()
            made = [i for start, stop in calls for i in range(start, stop)]
            assert sorted(made) == list(range(len(words)))  # each row once
            assert all(stop - start <= max(window, batch) for start, stop in calls)
        assert _late(words, []).rows() == held.rows()


def test_the_next_rows_late_words_are_made_beside_the_writer() -> None:
    """Above one block of rows, the words of the block after the one being written are made
    in the worker, each row once, and the file is the same; a failure there is the writer's."""
    import tempfile

    words = [f"w{i}" if i % 3 else None for i in range(50)]
    where: list[str] = []

    def fill(start: int, stop: int) -> pa.Array:
        where.append(threading.current_thread().name)
        return pa.array(words[start:stop], pa.string())

    def failing(start: int, stop: int) -> pa.Array:
        if start >= 16:
            raise RuntimeError("a maker that fails")
        return fill(start, stop)

    frame = pd.DataFrame({"id": _ids(len(words)), "why": pd.Series(None, dtype=object)})
    held = Table(pd.DataFrame({"id": _ids(len(words)), "why": pd.Series(words, dtype=object)}))
    with tempfile.TemporaryDirectory() as folder, pytest.MonkeyPatch.context() as patch:
        patch.setattr(flat, "BATCH", 4)
        patch.setattr(table, "LATE", 8)
        late, plain = Path(folder) / "late.csv", Path(folder) / "held.csv"
        flat.write_csv(late, Table(frame, late={"why": fill}), silent)
        flat.write_csv(plain, held, silent)
        assert late.read_bytes() == plain.read_bytes()
        assert len(where) == 7  # 50 rows in blocks of 8, each made once
        assert where[0] == threading.current_thread().name  # the first, as the writer asks
        assert all(name.startswith("amctl-late") for name in where[1:])
        with pytest.raises(RuntimeError, match="a maker that fails"):
            flat.write_csv(late, Table(frame, late={"why": failing}), silent)
