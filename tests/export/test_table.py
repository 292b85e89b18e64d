"""A table's late columns: made for the rows being written, a window at a time."""

from __future__ import annotations

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
