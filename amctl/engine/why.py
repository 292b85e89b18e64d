"""The reasons of a whole grading, kept a column at a time.

Each step of the walk adds one part: a code and its numbers for the managers it concerns. A
manager's list of reasons (`amctl.engine.reasons.Reason`) is only put together when something
shows it (explain, the rows an export writes), so grading a million managers builds no dict
per manager.
"""

from __future__ import annotations

import builtins
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any, Literal

import numpy as np
import pandas as pd
from pandas.api.extensions import ExtensionArray, ExtensionDtype, register_extension_dtype

from amctl.engine.reasons import Reason

How = Literal["append", "prepend", "reset"]


@dataclass(frozen=True)
class Lazy:
    """A value worked out for one manager only when their reasons are shown (a gate's
    failures): `of(position)`."""

    of: Callable[[int], Any]


@dataclass(frozen=True)
class Part:
    """One step's reasons: for the managers at `rows` (positions, ascending), either `code`
    with `params` (one value for all, a sequence aligned with `rows`, or Lazy), or, with no
    code, `whole` (a list of ready reasons per row). `how` places them in a manager's list:
    after what is there, before it, or in place of it (keeping the reasons whose code is in
    `keep`)."""

    rows: np.ndarray
    code: str | None = None
    params: Mapping[str, Any] = field(default_factory=dict)
    whole: Sequence[list[Reason]] = ()
    how: How = "append"
    keep: frozenset[str] = frozenset()

    def slot(self, at: int) -> int:
        """Where position `at` is in this part, or -1."""
        i = int(np.searchsorted(self.rows, at))
        return i if i < len(self.rows) and self.rows[i] == at else -1

    def reasons(self, slot: int, at: int) -> list[Reason]:
        if self.code is None:
            return list(self.whole[slot])
        out: Reason = {"code": self.code}
        for key, value in self.params.items():
            if isinstance(value, Lazy):
                out[key] = value.of(at)
            elif isinstance(value, Shared):
                out[key] = value.value
            elif isinstance(value, np.ndarray | list | tuple):
                item = value[slot]
                out[key] = item.item() if isinstance(item, np.generic) else item
            else:
                out[key] = value
        return [out]


class Shared:
    """A sequence given as one value for every manager of a part (a band split's layout)."""

    __slots__ = ("value",)

    def __init__(self, value: Any) -> None:
        self.value = value


class Why:
    """The reasons of `n` managers (positions 0..n-1), kept as parts and put together per
    manager on demand. Parts apply in the order they were added, as the steps ran."""

    def __init__(self, n: int) -> None:
        self.n = n
        self.parts: list[Part] = []

    def add(
        self,
        rows: np.ndarray | Sequence[int],
        code: str,
        *,
        how: How = "append",
        keep: Iterable[str] = (),
        **params: Any,
    ) -> None:
        """`rows`: positions (any order) or a mask over all n; a sequence param is aligned
        with `rows` as given."""
        at, order = _positions(rows, self.n)
        if not len(at):
            return
        if order is not None:
            params = {k: _reorder(v, order) for k, v in params.items()}
        self.parts.append(Part(at, code, params, how=how, keep=frozenset(keep)))

    def extend(
        self,
        rows: np.ndarray | Sequence[int],
        reasons: Sequence[list[Reason]],
        *,
        how: How = "append",
    ) -> None:
        """Ready reasons, a list per row: for steps that decide manager by manager (the
        dynamic rules, the calibration meeting's few moves)."""
        at, order = _positions(np.asarray(rows, dtype=np.int64), self.n)
        if not len(at):
            return
        whole = list(reasons) if order is None else [reasons[i] for i in order.tolist()]
        self.parts.append(Part(at, None, whole=whole, how=how))

    def at(self, position: int) -> list[Reason]:
        out: list[Reason] = []
        for part in self.parts:
            slot = part.slot(position)
            if slot < 0:
                continue
            got = part.reasons(slot, position)
            if part.how == "append":
                out += got
            elif part.how == "prepend":
                out[:0] = got
            else:
                out = [r for r in out if r.get("code") in part.keep] + got
        return out

    def __len__(self) -> int:
        return self.n

    def column(self, index: pd.Index) -> pd.Series:
        """The reasons as a column of a frame with one row per position."""
        assert len(index) == self.n
        return pd.Series(ReasonsArray(self, np.arange(self.n, dtype=np.int64)), index=index)


def _positions(rows: np.ndarray | Sequence[int], n: int) -> tuple[np.ndarray, np.ndarray | None]:
    """Ascending positions, and the order that sorts the given ones (None: already sorted)."""
    given = np.asarray(rows)
    if given.dtype == bool:
        assert len(given) == n
        return np.flatnonzero(given), None
    given = given.astype(np.int64, copy=False)
    if len(given) < 2 or bool((given[1:] > given[:-1]).all()):
        return given, None
    order = np.argsort(given, kind="stable")
    return given[order], order


def _reorder(value: Any, order: np.ndarray) -> Any:
    if isinstance(value, np.ndarray):
        return value[order]
    if isinstance(value, list | tuple):
        return [value[i] for i in order.tolist()]
    return value


class ReasonsDtype(ExtensionDtype):
    """The dtype of a reasons column: a manager's list of reasons, put together when read."""

    name = "amctl-reasons"
    type = list
    kind = "O"
    na_value = None

    @classmethod
    def construct_array_type(cls) -> builtins.type[ReasonsArray]:
        return ReasonsArray


register_extension_dtype(ReasonsDtype)


class ReasonsArray(ExtensionArray):
    """A frame's reasons column over a `Why`: selecting, joining and reindexing rows keep it
    lazy; reading a cell (explain, an export writing its rows) puts that manager's together.
    Rows a reindex adds that the Why does not have (-1) read as no reasons, None."""

    def __init__(self, why: Why | None, positions: np.ndarray, loose: Sequence[Any] = ()) -> None:
        self._why = why
        self._at = positions  # -1: no reasons; <= -2: loose[-2 - at] (built from values)
        self._loose = list(loose)

    @property
    def dtype(self) -> ReasonsDtype:
        return ReasonsDtype()

    @classmethod
    def _from_sequence(
        cls, scalars: Iterable[Any], *, dtype: Any = None, copy: bool = False
    ) -> ReasonsArray:
        values = list(scalars)
        if not all(v is None or isinstance(v, list) for v in values):
            raise TypeError("a reasons column holds a list of reasons per manager")
        return cls(None, -2 - np.arange(len(values), dtype=np.int64), values)

    @classmethod
    def _from_factorized(cls, values: Any, original: ReasonsArray) -> ReasonsArray:
        return cls._from_sequence(values)

    def _one(self, at: int) -> Any:
        if at >= 0:
            assert self._why is not None
            return self._why.at(at)
        if at == -1:
            return None
        return self._loose[-2 - at]

    def __getitem__(self, item: Any) -> Any:
        if isinstance(item, int | np.integer):
            return self._one(int(self._at[item]))
        picked = self._at[item]
        return ReasonsArray(self._why, np.asarray(picked, dtype=np.int64), self._loose)

    def __iter__(self) -> Iterator[Any]:
        for at in self._at.tolist():
            yield self._one(at)

    def __len__(self) -> int:
        return len(self._at)

    def map(self, mapper: Any, na_action: Any = None) -> Any:
        """What a function makes of each manager's reasons: its own values, not reasons."""
        mapped = pd.Series(_objects(self), dtype=object).map(mapper, na_action=na_action)
        return mapped.array

    def __eq__(self, other: object) -> Any:
        return _objects(self) == other

    @property
    def nbytes(self) -> int:
        return int(self._at.nbytes)

    def isna(self) -> np.ndarray:
        missing: np.ndarray = self._at == -1
        return missing

    def take(
        self, indices: Any, *, allow_fill: bool = False, fill_value: Any = None
    ) -> ReasonsArray:
        picked = np.asarray(indices, dtype=np.int64)
        if allow_fill:
            if fill_value is not None:
                raise ValueError("a reasons column fills with no reasons only")
            out = np.full(len(picked), -1, dtype=np.int64)
            ok = picked >= 0
            out[ok] = self._at[picked[ok]]
            return ReasonsArray(self._why, out, self._loose)
        return ReasonsArray(self._why, self._at[picked], self._loose)

    def copy(self) -> ReasonsArray:
        return ReasonsArray(self._why, self._at.copy(), self._loose)

    @classmethod
    def _concat_same_type(cls, to_concat: Sequence[ReasonsArray]) -> ReasonsArray:
        whys = {id(a._why) for a in to_concat if a._why is not None}
        if len(whys) <= 1 and not any(a._loose for a in to_concat):
            why = next((a._why for a in to_concat if a._why is not None), None)
            return cls(why, np.concatenate([a._at for a in to_concat]))
        return cls._from_sequence([v for a in to_concat for v in a])

    def __array__(self, dtype: Any = None, copy: Any = None) -> np.ndarray:
        return _objects(self)


def _objects(values: Iterable[Any]) -> np.ndarray:
    """Lists as the elements of an object array (numpy would read a list of lists as 2-D)."""
    items = list(values)
    out = np.empty(len(items), dtype=object)
    for i, item in enumerate(items):
        out[i] = item
    return out
