"""A grading's reasons (`engine.why.Why`) in and out of the ledger, a part at a time.

A million managers' reasons written as a JSON list each took half a minute and as much memory
as the rest of the run. The Why already holds them as a few parts, each a code and columns of
numbers, so the ledger keeps those: a JSON manifest (codes, one-value params) and the columns
as Arrow arrays. A part's params read back as they would from JSON (a tuple as a list), so a
recorded run's reasons are those an earlier ledger gave. A gate's failures (a Lazy) are kept as
the Why its `many` gives, a column per gate; a Lazy without one is worked out row by row.
"""

from __future__ import annotations

import json
from typing import Any

import numpy as np
import pyarrow as pa

from amctl.engine.why import Figures, Lazy, Part, Shared, Why
from amctl.ledger import ipc

_MANIFEST = b"amctl.why"


class _Columns:
    """The arrays of one Why (nested ones included), numbered in the order written."""

    def __init__(self) -> None:
        self.arrays: list[pa.Array] = []

    def add(self, array: pa.Array) -> int:
        self.arrays.append(array)
        return len(self.arrays) - 1


def _array(values: np.ndarray) -> pa.Array | None:
    """A numpy column as Arrow when it comes back the same (numbers, flags, text)."""
    if values.dtype.kind in "iufb":
        return pa.array(values)
    if values.dtype == object:
        try:
            return pa.array(values, type=pa.string(), from_pandas=False)
        except (pa.ArrowInvalid, pa.ArrowTypeError):
            return None
    return None


def _param(value: Any, rows: np.ndarray, columns: _Columns) -> dict[str, Any]:
    if isinstance(value, Lazy):
        if value.many is not None:
            return {"why": _manifest(value.many(rows), columns)}
        return {"json": json.dumps([value.of(at) for at in rows.tolist()], ensure_ascii=False)}
    if isinstance(value, Why):
        return {"why": _manifest(value, columns)}
    if isinstance(value, Figures):
        return {"figures": columns.add(pa.array(np.asarray(value.values, dtype="float64")))}
    if isinstance(value, Shared):
        return {"shared": json.dumps(value.value, ensure_ascii=False)}
    if isinstance(value, np.ndarray):
        array = _array(value)
        if array is not None:
            return {"array": columns.add(array)}
        return {"json": json.dumps(value.tolist(), ensure_ascii=False)}
    if isinstance(value, list | tuple):
        return {"json": json.dumps(list(value), ensure_ascii=False)}
    return {"value": json.dumps(value, ensure_ascii=False)}


def _manifest(why: Why, columns: _Columns) -> dict[str, Any]:
    parts = []
    for part in why.parts:
        doc: dict[str, Any] = {
            "rows": columns.add(pa.array(part.rows.astype(np.int64, copy=False))),
            "how": part.how,
            "keep": sorted(part.keep),
        }
        if part.code is None:
            doc["whole"] = json.dumps(list(part.whole), ensure_ascii=False)
        else:
            doc["code"] = part.code
            doc["params"] = {k: _param(v, part.rows, columns) for k, v in part.params.items()}
        parts.append(doc)
    return {"n": why.n, "parts": parts}


def encode(why: Why) -> bytes:
    """The Why as Arrow IPC bytes: one row, a list column per array, the manifest beside."""
    columns = _Columns()
    manifest = _manifest(why, columns)
    lists = [
        pa.ListArray.from_arrays(pa.array([0, len(a)], type=pa.int32()), a) for a in columns.arrays
    ]
    return ipc.write(lists, {_MANIFEST: json.dumps(manifest, ensure_ascii=False)})


def _unparam(doc: dict[str, Any], arrays: list[np.ndarray]) -> Any:
    if "why" in doc:
        return _unmanifest(doc["why"], arrays)
    if "figures" in doc:
        return Figures(arrays[doc["figures"]])
    if "shared" in doc:
        return Shared(json.loads(doc["shared"]))
    if "array" in doc:
        return arrays[doc["array"]]
    if "json" in doc:
        return json.loads(doc["json"])
    return json.loads(doc["value"])


def _unmanifest(doc: dict[str, Any], arrays: list[np.ndarray]) -> Why:
    why = Why(int(doc["n"]))
    for p in doc["parts"]:
        rows, keep = arrays[p["rows"]], frozenset(p["keep"])
        if "whole" in p:
            why.parts.append(Part(rows, whole=json.loads(p["whole"]), how=p["how"], keep=keep))
        else:
            params = {k: _unparam(v, arrays) for k, v in p["params"].items()}
            why.parts.append(Part(rows, p["code"], params, how=p["how"], keep=keep))
    return why


def decode(body: bytes) -> Why:
    """The Why `encode` was given: the same reasons for every position."""
    table = ipc.read(body)
    arrays = [c.combine_chunks().flatten().to_numpy(zero_copy_only=False) for c in table.columns]
    return _unmanifest(json.loads(table.schema.metadata[_MANIFEST]), arrays)
