"""A table in and out of the ledger's bytes: Arrow IPC, zstd-compressed, its metadata kept."""

from __future__ import annotations

import io

import numpy as np
import pyarrow as pa


def write(arrays: list[pa.Array], metadata: dict[bytes, str | bytes]) -> bytes:
    """Columns named by their position (names may repeat or not be text), with metadata."""
    table = pa.Table.from_arrays(arrays, names=[str(i) for i in range(len(arrays))])
    table = table.replace_schema_metadata(metadata)
    sink = io.BytesIO()
    options = pa.ipc.IpcWriteOptions(compression="zstd")
    with pa.ipc.new_stream(sink, table.schema, options=options) as writer:
        writer.write_table(table)
    return sink.getvalue()


def read(body: bytes) -> pa.Table:
    with pa.ipc.open_stream(body) as reader:
        return reader.read_all()


def objects(column: pa.ChunkedArray | pa.Array) -> np.ndarray:
    """A text column as Python values, None for NULL; a coded one through its words, so each
    text is one object however many rows share it."""
    array = column.combine_chunks() if isinstance(column, pa.ChunkedArray) else column
    if not pa.types.is_dictionary(array.type):
        return np.asarray(array.to_numpy(zero_copy_only=False), dtype=object)
    words = np.empty(len(array.dictionary) + 1, dtype=object)  # the last: None
    words[:-1] = array.dictionary.to_numpy(zero_copy_only=False)
    cells: np.ndarray = words[array.indices.fill_null(-1).to_numpy()]
    return cells
