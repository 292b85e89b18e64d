"""A table's bytes in the ledger: its columns, in order, and its metadata come back."""

from __future__ import annotations

import pyarrow as pa

from amctl.ledger import ipc


def test_columns_and_metadata_come_back() -> None:
    arrays = [pa.array([1, None, 3]), pa.array(["甲", "乙", None]), pa.array([0.5, 1.5, None])]
    table = ipc.read(ipc.write(arrays, {b"amctl.test": '{"中": 1}'}))
    assert [c.to_pylist() for c in table.columns] == [a.to_pylist() for a in arrays]
    assert table.column_names == ["0", "1", "2"]
    assert table.schema.metadata[b"amctl.test"].decode() == '{"中": 1}'
