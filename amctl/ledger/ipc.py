"""A table in and out of the ledger's bytes: Arrow IPC, zstd-compressed, its metadata kept."""

from __future__ import annotations

import io

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
