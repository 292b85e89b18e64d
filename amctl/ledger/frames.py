"""Tables in and out of the ledger as Arrow IPC, with every column's pandas type kept.

A recorded run must come back exactly as it was computed, so that an export made from the
ledger is byte-identical to one made from the run itself. pandas' own Arrow conversion does
not promise that (text columns come back as another dtype, None turns into NaN, Decimals
change their exponent), so each column is encoded by a rule named after its dtype and the
kind of value it holds, and decoded by the same rule. A column this module does not know is
a bug, raised at recording time rather than read back wrong. A reasons column over a Why keeps
each row's position in it, the Why beside as its parts (`ledger.reasons`): no list per row.
"""

from __future__ import annotations

import datetime as dt
import json
import re
from collections import Counter
from collections.abc import Callable, Mapping, Sequence
from contextlib import suppress
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

import numpy as np
import pandas as pd
import pyarrow as pa

from amctl.data.ratings import Block, RatingRows
from amctl.engine import amounts
from amctl.engine.why import ReasonsArray, ReasonsDtype
from amctl.ledger import ipc
from amctl.ledger import reasons as kept_reasons

INDEX = "__index__"
_META = b"amctl.frame"


def _kind(cells: list[Any], types: set[type], name: Any) -> str:
    """What an object column holds: one kind of value (None aside), from `types`, those of
    its cells (gathered by `map(type)` in C: at a million rows this is the difference
    between a second and a tenth of one)."""
    kinds = set(types)
    kinds.discard(type(None))
    kinds.discard(type(pd.NA))
    if not kinds:
        return "none"
    if kinds <= {str}:
        return "str"
    if kinds <= {Decimal}:
        return "decimal"
    if kinds <= {dt.date}:
        return "date"
    if kinds <= {list}:  # reasons: a code and its numbers each, or text from an older run
        flat = all(isinstance(x, str) for v in cells if isinstance(v, list) for x in v)
        return "list" if flat else "json"
    if kinds <= {bool}:
        return "bool"
    if kinds <= {int}:
        return "int"
    if kinds <= {float}:
        return "float"
    raise TypeError(f"column {name!r} mixes {sorted(k.__name__ for k in kinds)}")


_PLAIN = {  # kinds Arrow takes as they are, None (and pd.NA) as null
    "none": pa.null(),
    "str": pa.string(),
    "date": pa.date32(),
    "bool": pa.bool_(),
    "int": pa.int64(),
}
REASONS = ReasonsDtype.name
_CONVERTED: dict[str, tuple[pa.DataType, Callable[[Any], Any]]] = {
    "decimal": (pa.string(), str),  # the exact text: Decimal("52.00") stays 52.00
    "list": (pa.list_(pa.string()), lambda v: [str(x) for x in v]),
    "json": (pa.string(), lambda v: json.dumps(v, ensure_ascii=False)),
}


_SAMPLE = 10_000


def _text(cells: np.ndarray) -> bool:
    """Only text and None: their types gathered in C, not a test per cell."""
    return set(map(type, cells)) <= {str, type(None)}


def _coded(cells: np.ndarray) -> pa.Array | None:
    """Text of few distinct values (a long table's ids, raters and indicators) as codes into
    them: hashing a cell costs less than copying its text, and each text is kept once. None
    when the first cells are mostly distinct or the column holds anything but text and None."""
    if len(cells) < 2 * _SAMPLE:
        return None
    try:
        first = pd.unique(cells[:_SAMPLE])
    except TypeError:  # lists (reasons kept as text by amctl 0.1): cell by cell below
        return None
    if len(first) > _SAMPLE // 10 or not _text(first):
        return None  # amounts and the like are not hashed a second time
    codes, uniques = pd.factorize(cells)
    missing = codes < 0
    if missing.any() and set(map(type, cells[missing])) != {type(None)}:
        return None  # NaN or pd.NA among the text: looked at cell by cell below
    if not set(map(type, uniques)) <= {str}:
        return None
    words = pa.array(uniques, type=pa.string(), from_pandas=False)
    indices = pa.array(codes.astype(np.int32), mask=missing)
    return pa.DictionaryArray.from_arrays(indices, words)


_TEXT_DTYPE = re.compile(r"str$|string")  # pandas' text dtypes, kept as Arrow's text


def _encode(values: pd.Series) -> tuple[pa.Array, str, str]:
    dtype = str(values.dtype)
    if dtype == REASONS:  # built from values, not a Why: put together, kept as JSON
        plain = pd.Series(values.tolist(), index=values.index, name=values.name, dtype=object)
        array, _, kind = _encode(plain)
        return array, dtype, kind
    if dtype == "object":
        raw = values.to_numpy()
        coded = _coded(raw)
        if coded is not None:
            return coded, dtype, "str"
        text = None
        # text (None as null) in one pass of Arrow's; bytes would be taken for text if the
        # type were given, so Arrow says what it found
        with suppress(pa.ArrowInvalid, pa.ArrowTypeError):
            text = pa.array(raw, from_pandas=False) if _text(raw[:100]) else None
        if text is not None and text.type == pa.string():
            return text, dtype, "str"
        cells = values.tolist()
        types = set(map(type, cells))
        kind = _kind(cells, types, values.name)
        if kind == "float":  # NaN stays NaN: only None and pd.NA are missing
            cells = [None if v is pd.NA else v for v in cells]
            return pa.array(cells, type=pa.float64()), dtype, kind
        if kind in _PLAIN:
            return pa.array(cells, type=_PLAIN[kind], from_pandas=True), dtype, kind
        arrow_type, convert = _CONVERTED[kind]
        shown: list[Any]
        if kind == "decimal" and types == {Decimal}:  # pay: no amount missing
            made = amounts.column(values.to_numpy())
            assert made is not None  # every cell a Decimal
            return made.text, dtype, kind
        shown = [None if v is None or v is pd.NA else convert(v) for v in cells]
        return pa.array(shown, type=arrow_type), dtype, kind
    if dtype in ("float64", "int64", "bool"):
        return pa.array(values.to_numpy()), dtype, ""
    if dtype in ("Int64", "Float64", "boolean"):  # pandas hands Arrow its values and mask
        return pa.array(values.array), dtype, ""
    if _TEXT_DTYPE.match(dtype):
        return pa.array(values.array).cast(pa.string()), dtype, ""
    raise TypeError(f"column {values.name!r} has dtype {dtype}, which the ledger cannot keep")


def _decode(
    column: pa.ChunkedArray, dtype: str, kind: str, name: Any, index: Any, why: bytes | None = None
) -> pd.Series:
    if dtype in ("float64", "int64", "bool"):
        return pd.Series(column.to_numpy(), index=index, name=name, dtype=dtype)
    if kind == "why" and why is not None:
        array = ReasonsArray(kept_reasons.decode(why), column.to_numpy().astype(np.int64))
        return pd.Series(array, index=index, name=name)
    if dtype == "object" and kind in ("str", "none"):
        return pd.Series(ipc.objects(column), index=index, name=name, dtype=object)
    if kind == "decimal" and pa.types.is_dictionary(column.type):  # each text read once
        coded = column.combine_chunks()
        numbers = np.fromiter(map(Decimal, coded.dictionary.to_pylist()), dtype=object)
        cells = numbers[coded.indices.to_numpy()]
        return pd.Series(cells, index=index, name=name, dtype=object)
    cells = column.to_pylist()
    if dtype == REASONS:
        lists = [None if v is None else json.loads(v) for v in cells] if kind == "json" else cells
        return pd.Series(ReasonsArray._from_sequence(lists), index=index, name=name)
    if dtype == "object":
        if kind == "decimal":
            cells = [None if v is None else Decimal(v) for v in cells]
        elif kind == "json":
            cells = [None if v is None else json.loads(v) for v in cells]
        return pd.Series(cells, index=index, name=name, dtype=object)
    return pd.Series(pd.array(cells, dtype=dtype), index=index, name=name)


def _why_key(position: int) -> bytes:
    return f"amctl.why.{position}".encode()


@dataclass(frozen=True)
class Encoded:
    """A frame as the ledger keeps it, before its bytes; `texts`, its columns kept as text
    (text, and amounts as written) by name, the index under INDEX: what the run's rows
    (`ledger.rows`) take as they are rather than making them again."""

    arrays: list[pa.Array]
    metadata: dict[bytes, str | bytes]
    texts: dict[Any, pa.Array]

    def bytes(self) -> bytes:
        return ipc.write(self.arrays, self.metadata)


def encode(frame: pd.DataFrame) -> bytes:
    """One frame as compressed Arrow IPC bytes (its index included). A reasons column over a
    Why is kept as each row's position in it, the Why beside (ledger.reasons)."""
    return encoded(frame).bytes()


def encoded(
    frame: pd.DataFrame,
    amounts: Mapping[Any, pa.Array] | None = None,
    columns: Sequence[Any] | None = None,
) -> Encoded:
    """`encode`'s columns, before they are written; `amounts`: the text of money columns
    already made (`engine.amounts`: a payroll's, made once per run), kept as they are.
    `columns`: the frame's columns in this order, with money columns it does not hold (pay
    left them as whole numbers) from `amounts` alone, as if it held their Decimals."""
    arrays, fields = [], []
    whys: dict[bytes, bytes] = {}
    names = [INDEX, *(frame.columns if columns is None else columns)]
    for position, name in enumerate(names):
        if columns is not None and name != INDEX and name not in frame.columns:
            assert amounts is not None, name  # a money column kept as its text alone
            assert len(amounts[name]) == len(frame), name
            arrays.append(amounts[name])
            fields.append([str(name), "object", "decimal"])
            continue
        if name == INDEX:  # to_series() would turn an object index into text dtype
            values = pd.Series(frame.index.to_numpy(), dtype=frame.index.dtype, name=name)
        elif columns is None:
            values = frame.iloc[:, position - 1]  # by place: names may repeat
        else:
            values = frame[name]
        kept = values.array.kept if isinstance(values.array, ReasonsArray) else None
        if amounts and name != INDEX and name in amounts and values.dtype == object:
            assert len(amounts[name]) == len(values), name  # the text of these very rows
            array, dtype, kind = amounts[name], "object", "decimal"
        elif kept is not None:
            whys[_why_key(position)] = kept_reasons.encode(kept[0])
            array, dtype, kind = pa.array(kept[1]), REASONS, "why"
        else:
            array, dtype, kind = _encode(values)
        arrays.append(array)
        fields.append([str(name), dtype, kind])
    meta = {"fields": fields, "index_name": frame.index.name, "labels": str(frame.columns.dtype)}
    counted = Counter(names)
    texts = {
        name: array
        for name, array, (_, dtype, kind) in zip(names, arrays, fields, strict=True)
        if counted[name] == 1 and (kind in ("str", "decimal") or _TEXT_DTYPE.match(dtype))
    }
    return Encoded(arrays, {_META: json.dumps(meta, ensure_ascii=False), **whys}, texts)


def decode(body: bytes) -> pd.DataFrame:
    """The frame `encode` was given, with the same dtypes, values and index."""
    table = ipc.read(body)
    meta = json.loads(table.schema.metadata[_META])
    fields = meta["fields"]
    index_dtype, index_kind = fields[0][1], fields[0][2]
    index_values = _decode(table.column(0), index_dtype, index_kind, None, None)
    index = pd.Index(index_values, dtype=index_values.dtype, name=meta["index_name"])
    kept = table.schema.metadata
    columns = {
        position: _decode(
            table.column(position), dtype, kind, name, index, kept.get(_why_key(position))
        )
        for position, (name, dtype, kind) in enumerate(fields)
        if position
    }
    if not columns:
        return pd.DataFrame(index=index)
    frame = pd.concat(list(columns.values()), axis=1)
    frame.columns = pd.Index([name for name, _, _ in fields[1:]], dtype=meta["labels"])
    return frame


_RATED = b"amctl.rated"


def encode_rated(rows: RatingRows) -> bytes:
    """Coded ratings as the sheet laid them out (ratings.RatingRows): the managers' codes as
    a dictionary column over their ids, a score column per block, and a block's rater and
    indicator as codes, per row or one for all. A million managers' 24 million ratings stay
    six columns of numbers, not 24 million rows of text."""
    people, words = rows.people
    ids = pa.array(words, pa.string())
    arrays = [pa.DictionaryArray.from_arrays(pa.array(people, pa.int32()), ids)]
    blocks = []
    shared: dict[int, int] = {}  # a wide sheet's blocks share one column of raters: kept once
    for block in rows.blocks:
        kept: dict[str, int | list[int]] = {}
        for name in ("rater", "indicator"):
            value = getattr(block, name)
            if isinstance(value, int | np.integer):
                kept[name] = int(value)
                continue
            if id(value) not in shared:
                shared[id(value)] = len(arrays)
                arrays.append(pa.array(np.asarray(value, dtype=np.int32)))
            kept[name] = [shared[id(value)]]  # [column]: codes per row, in that column
        kept["score"] = len(arrays)
        arrays.append(pa.array(block.score, pa.float64()))
        blocks.append(kept)
    meta = {"raters": rows.raters.tolist(), "indicators": rows.indicators.tolist()}
    meta["blocks"] = blocks
    return ipc.write(arrays, {_RATED: json.dumps(meta, ensure_ascii=False)})


def decode_rated(body: bytes) -> RatingRows | pd.DataFrame:
    """What `encode_rated` kept; a run recorded before it kept the long table (a frame)."""
    table = ipc.read(body)
    metadata = table.schema.metadata or {}
    if _RATED not in metadata:
        return decode(body)
    meta = json.loads(metadata[_RATED])
    people = table.column(0).combine_chunks()
    codes = people.indices.to_numpy(zero_copy_only=False).astype(np.int64)
    words = np.array(people.dictionary.to_pylist(), dtype=object)
    blocks = []
    for kept in meta["blocks"]:
        given: dict[str, Any] = {}
        for name in ("rater", "indicator"):
            at = kept[name]
            given[name] = at if isinstance(at, int) else table.column(at[0]).to_numpy()
        score = table.column(kept["score"]).to_numpy()
        given = {
            k: v.astype(np.int64) if isinstance(v, np.ndarray) else v for k, v in given.items()
        }
        blocks.append(Block(given["rater"], given["indicator"], score))
    raters = np.array(meta["raters"], dtype=object)
    indicators = np.array(meta["indicators"], dtype=object)
    return RatingRows((codes, words), raters, indicators, tuple(blocks))
