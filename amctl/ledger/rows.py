"""A run's rows (what history, `ledger list` and the next period's dynamic rules read) as one
Arrow table kept beside the run's result, not a row of SQLite per manager.

Since schema 5 the rows are a part of the run (`PART`). A million managers were a million
`INSERT`s (about 4 s of SQLite's own time, and their primary key's index); as columns they are
built from the run's arrays in C, compressed, and written as one value. The rows of one
manager, or of one run, are read back by a filter over that table. (Read from the kept result
instead, at a million they cost 1 s less to record and 2.5 s more to read: kept.)
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc

from amctl.ledger import ipc
from amctl.ledger.frames import INDEX
from amctl.ledger.store import RESULT_NAMES, ROWS

PART = ROWS
NAMES = RESULT_NAMES
_NUMBERS = frozenset({"ability", "performance", "composite"})
# texts of few distinct values, each kept once: tiers, levels, units, periods
_CODED = frozenset(NAMES) - _NUMBERS - {"employee_id", "name", "pay", "reasons", "total"}


def _array(values: Any, name: str) -> pa.Array:
    """A column as Arrow: NaN and None are NULL, as SQLite kept them. A cell that is not text
    where text is expected (an id typed as a number by an older amctl) is kept as its text.
    Arrow text already (see of_result) is only coded or decoded."""
    if isinstance(values, pa.Array) and pa.types.is_dictionary(values.type):
        return values if name in _CODED else values.dictionary_decode()
    if isinstance(values, pa.Array):
        return values.dictionary_encode() if name in _CODED else values
    kind = pa.float64() if name in _NUMBERS else pa.string()
    cells = values.to_numpy() if hasattr(values, "to_numpy") else values
    try:
        array = pa.array(cells, type=kind, from_pandas=True)
    except (pa.ArrowInvalid, pa.ArrowTypeError):  # a cell at a time, for the odd column alone
        convert = _number if name in _NUMBERS else str
        array = pa.array([None if pd.isna(v) else convert(v) for v in cells], type=kind)
    return array.dictionary_encode() if name in _CODED else array


def _number(value: Any) -> float | None:
    """A score as a float; text that is none (typed into an old ledger by hand) as NULL."""
    try:
        return float(value)
    except (TypeError, ValueError):
        return None


def table(columns: Mapping[str, Sequence[Any]]) -> pa.Table:
    """The rows as columns (a name of NAMES → a value per manager; one left out is NULL)."""
    n = len(columns["employee_id"])
    arrays = [_array(columns[k], k) if k in columns else pa.nulls(n, pa.string()) for k in NAMES]
    return pa.Table.from_arrays(arrays, names=list(NAMES))


def encode(columns: Mapping[str, Sequence[Any]]) -> bytes:
    """The rows as the part PART keeps them."""
    return _write(table(columns).columns)


def _write(arrays: Sequence[pa.Array | pa.ChunkedArray]) -> bytes:
    return ipc.write(list(arrays), {b"amctl.rows": ",".join(NAMES)})


_PLAIN = (  # texts the rows take as the managers hold them
    "name",
    "org_unit",
    "level",
    "tier",
    "computed_level",
    "previous_tier",
    "movement",
    "level_set",
    "band_set",
)
SHARED = frozenset({*_PLAIN, "band"})  # the managers' texts the rows may take as encoded


def id_texts(index: pd.Index) -> np.ndarray:
    """Managers' ids as text objects: a roster's are text already (not copied), any other
    (an id typed as a number) its text."""
    ids: np.ndarray = index.to_numpy(dtype=object)
    if not set(map(type, ids)) <= {str}:
        ids = index.astype(str).to_numpy(dtype=object)
    return ids


def of_result(
    managers: pd.DataFrame,
    totals: pd.Series | pd.Index | None,
    made: Mapping[Any, pa.Array] | None = None,
) -> dict[str, Any]:
    """The rows of a run's result, a column each: scores, tier, the computed level, move,
    total (None: not paid). Its reasons and pay components are in the result alone. `made`:
    columns the ledger has as Arrow text already (`frames.Encoded.texts`: the managers' by
    their names, the ids under INDEX, the totals' as "total"), taken as they are. `totals`:
    the pay lines' totals, or only their ids when every manager is paid, in order, and
    `made` has every total's text."""
    m, made = managers, made or {}
    ids = made.get(INDEX)
    if ids is None or ids.null_count:
        ids = id_texts(m.index)
    columns: dict[str, Any] = {"employee_id": ids}
    for key in _PLAIN:  # NaN and None alike are NULL (a first period has no moves)
        columns[key] = made[key] if key in made else m[key].to_numpy(dtype=object)
    for key in ("ability", "performance", "composite"):
        columns[key] = pd.to_numeric(m[key], errors="coerce").to_numpy(dtype="float64")
    if "band" in made:
        columns["band"] = made["band"]
    else:  # a band that is not text (none for a trainee) is NULL
        band = m["band"]
        columns["band"] = band.where(band.map(type).isin([str]), None).to_numpy(dtype=object)
    if isinstance(totals, pd.Index):  # everyone paid, each total's text made
        written = made.get("total")
        assert totals.equals(m.index)
        assert written is not None
        assert not written.null_count
        columns["total"] = written
    elif totals is not None:
        everyone = totals.index.equals(m.index)  # everyone paid, in order
        written = made.get("total")
        if everyone and written is not None and not written.null_count:
            columns["total"] = written  # the amounts as the pay lines keep them
        else:
            total = np.full(len(m), None, dtype=object)
            if everyone:
                total[:] = list(map(str, totals.tolist()))
            else:
                paid = m.index.isin(totals.index)
                total[paid] = list(map(str, totals.reindex(m.index[paid]).tolist()))
            columns["total"] = total
    return columns


def paid(recorded: bytes, now: bytes) -> bytes:
    """The recorded rows with each manager's pay and total from `now`, as schema 4 updated
    them: a manager `now` lacks keeps theirs, one the record lacks is not added."""
    kept, given = decode(recorded), decode(now)
    at = pc.index_in(kept["employee_id"], value_set=given["employee_id"])
    found = pc.is_valid(at)
    columns = dict(zip(kept.column_names, kept.columns, strict=True))
    for name in ("pay", "total"):
        then = kept[name].cast(pa.string())
        columns[name] = pc.if_else(found, given[name].cast(pa.string()).take(at), then)
    return _write([columns[n].combine_chunks() for n in NAMES])


def decode(body: bytes) -> pa.Table:
    """The kept rows, a column per name of NAMES."""
    table = ipc.read(body)
    return table.rename_columns(list(NAMES))


def where(table: pa.Table, employee_id: str | None) -> pa.Table:
    """One manager's row (or all), in the order of their ids, as SQLite sorted text."""
    if employee_id is not None:
        table = table.filter(pc.equal(table["employee_id"], employee_id))
    return table.take(pc.sort_indices(table["employee_id"]))
