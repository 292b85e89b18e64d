"""The reasons of a whole grading, kept a column at a time.

Each step of the walk adds one part: a code and its numbers for the managers it concerns. A
manager's list of reasons (`amctl.engine.reasons.Reason`) is only put together when something
shows it (explain, the rows an export writes), so grading a million managers builds no dict
per manager.
"""

from __future__ import annotations

import builtins
import operator
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any, Literal, Protocol, cast

import numpy as np
import pandas as pd
from pandas.api.extensions import ExtensionArray, ExtensionDtype, register_extension_dtype

from amctl.engine.reasons import Reason
from amctl.policy.checks import num

How = Literal["append", "prepend", "reset"]


@dataclass(frozen=True)
class Lazy:
    """A value worked out for one manager only when their reasons are shown (a gate's
    failures): `of(position)`. `many(positions)` works it out for many managers at once, as
    a Why over them (slot i: positions[i]): what exports and the ledger read."""

    of: Callable[[int], Any]
    many: Callable[[np.ndarray], Why] | None = None


@dataclass(frozen=True)
class Figures:
    """Numbers a reason shows as a person writes them (25.0 → '25'), aligned with a part's
    rows: kept as numbers, turned into text only when read."""

    values: np.ndarray


@dataclass(frozen=True)
class Part:
    """One step's reasons: for the managers at `rows` (positions, ascending), either `code`
    with `params` (one value for all; a sequence, Figures or a Why aligned with `rows`; or
    Lazy), or, with no code, `whole` (a list of ready reasons per row). `how` places them in
    a manager's list: after what is there, before it, or in place of it (keeping the reasons
    whose code is in `keep`)."""

    rows: np.ndarray
    code: str | None = None
    params: Mapping[str, Any] = field(default_factory=dict)
    whole: Sequence[list[Reason]] = ()
    how: How = "append"
    keep: frozenset[str] = frozenset()

    def reasons(self, slots: np.ndarray, ats: np.ndarray) -> list[list[Reason]]:
        """The reasons of the managers at `ats` (their `slots` in this part), each param's
        values taken for all of them at once."""
        if self.code is None:
            return [list(self.whole[i]) for i in slots.tolist()]
        columns = self._columns(slots, ats)
        keys = ["code", *columns]
        return [
            [dict(zip(keys, row, strict=True))]
            for row in zip([self.code] * len(slots), *columns.values(), strict=True)
        ]

    def worded(self, slots: np.ndarray, ats: np.ndarray, words: Words) -> list[str]:
        """This step's reasons as `words` words them, from its params as columns. A row
        `words` cannot word that way (a reason of another version) is worded from itself."""
        texts = words.part(self.code or "", self._columns(slots, ats, words), len(slots))
        missed = [i for i, text in enumerate(texts) if text is None]
        if missed:
            at = np.array(missed, dtype=np.int64)
            for i, [one] in zip(missed, self.reasons(slots[at], ats[at]), strict=True):
                texts[i] = words.one(one)
        return cast(list[str], texts)

    def coded(self, slots: np.ndarray, ats: np.ndarray, words: Words) -> list[list[Said_]]:
        """Each row's reasons as (code, words), for placing by code."""
        if self.code is None:
            return [[(_code(r), words.one(r)) for r in self.whole[s]] for s in slots.tolist()]
        return [[(self.code, text)] for text in self.worded(slots, ats, words)]

    def _columns(
        self, slots: np.ndarray, ats: np.ndarray, words: Words | None = None
    ) -> dict[str, list[Any]]:
        """Each param's value for every row, a list per param. With `words`, reasons inside
        a param (a gate's failures) come as their words: a reason given as text is its own
        words, and that is all the words of the reason around them read of them."""
        n, columns = len(slots), dict[str, list[Any]]()
        for key, value in self.params.items():
            if isinstance(value, Lazy) and value.many is not None:
                inner = value.many(ats)
                everyone = np.arange(n, dtype=np.int64)
                columns[key] = (
                    inner._put_together(everyone) if words is None else inner.said(everyone, words)
                )
            elif isinstance(value, Lazy):
                columns[key] = [value.of(at) for at in ats.tolist()]
            elif isinstance(value, Why):  # a list of reasons per row (a recorded Lazy)
                columns[key] = (
                    value._put_together(slots) if words is None else value.said(slots, words)
                )
            elif isinstance(value, Figures):
                columns[key] = [num(v) for v in value.values[slots].tolist()]
            elif isinstance(value, Shared):
                columns[key] = [value.value] * n
            elif isinstance(value, np.ndarray):
                columns[key] = value[slots].tolist()  # numpy values as Python's
            elif isinstance(value, list | tuple):
                columns[key] = [value[i] for i in slots.tolist()]
            else:
                columns[key] = [value] * n
        return columns


class Words(Protocol):
    """How reasons are worded (the label layer's, in one language): one reason, or one
    step's reasons from its params as columns (`columns[key][i]`: row i's value)."""

    def one(self, reason: Reason) -> str:
        """One reason in words."""

    def part(self, code: str, columns: Mapping[str, list[Any]], n: int) -> list[str | None]:
        """Row i's reason ({"code": code, key: columns[key][i]}) in words; None for a row to
        be worded from its reason itself (`one`)."""


Said_ = tuple[Any, str]  # a reason's code and its words


def _code(reason: Any) -> Any:
    return reason.get("code") if isinstance(reason, dict) else None


_first = operator.itemgetter(0)  # the code of a (code, words) pair


def _placed(row: list[Any], part: Part, items: list[Any], code: Callable[[Any], Any]) -> list[Any]:
    """A manager's list with a part's items placed as its `how` says: after what is there,
    before it, or in place of it, keeping the items whose `code` is in the part's `keep`."""
    if part.how == "append":
        row += items
    elif part.how == "prepend":
        row[:0] = items
    else:
        row = [r for r in row if code(r) in part.keep] + items
    return row


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
        return self.many(np.array([position], dtype=np.int64))[0]

    def many(self, positions: np.ndarray) -> list[list[Reason]]:
        """The reasons of the managers at `positions`, put together a part at a time."""
        return self._put_together(positions)

    def inner(self, position: int = 0) -> list[Reason]:
        """The list at `position` of a Why that is a value inside reasons (a gate's failures),
        not a manager's reasons."""
        return self._put_together(np.array([position], dtype=np.int64))[0]

    def _put_together(self, positions: np.ndarray) -> list[list[Reason]]:
        """`many`, and a param that is itself a Why (not a manager's reasons: a value in them)."""
        return self._combined(positions, Part.reasons, _code)

    def said(self, positions: np.ndarray, words: Words) -> list[list[str]]:
        """The reasons of the managers at `positions` as `words` words them: what `many`
        gives, worded a step at a time. A step that keeps reasons by their code (a reset)
        needs each text's code beside it; without one, a step's texts are placed alone."""
        if any(part.how == "reset" for part in self.parts):
            coded = self._combined(positions, lambda p, s, a: p.coded(s, a, words), _first)
            return [[text for _, text in row] for row in coded]
        positions = np.asarray(positions, dtype=np.int64)
        out: list[list[str]] = [[] for _ in range(len(positions))]
        for part, which, slots, ats in self._hits(positions):
            if part.code is not None and part.how == "append":  # the common case: no list a row
                for i, text in zip(which, part.worded(slots, ats, words), strict=True):
                    out[i].append(text)
                continue
            for i, items in zip(which, part.coded(slots, ats, words), strict=True):
                out[i] = _placed(out[i], part, [text for _, text in items], _code)
        return out

    def _hits(
        self, positions: np.ndarray
    ) -> Iterator[tuple[Part, list[int], np.ndarray, np.ndarray]]:
        """Each part that concerns some of `positions`: which of them (their places among
        `positions`), their slots in the part and the positions themselves."""
        for part in self.parts:
            slots = np.searchsorted(part.rows, positions)
            inside = slots < len(part.rows)
            hit = inside & (part.rows[np.where(inside, slots, 0)] == positions)
            which = np.flatnonzero(hit)
            if len(which):
                yield part, which.tolist(), slots[which], positions[which]

    def _combined(
        self,
        positions: np.ndarray,
        items: Callable[[Part, np.ndarray, np.ndarray], list[list[Any]]],
        code: Callable[[Any], Any],
    ) -> list[list[Any]]:
        """Each part's items for the managers it concerns, placed as its `how` says."""
        positions = np.asarray(positions, dtype=np.int64)
        out: list[list[Any]] = [[] for _ in range(len(positions))]
        for part, which, slots, ats in self._hits(positions):
            for i, reasons in zip(which, items(part, slots, ats), strict=True):
                out[i] = _placed(out[i], part, reasons, code)
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
    if 8 * len(given) >= n:  # many of the n (a level's managers, best first): by scattering
        seen = np.zeros(n, dtype=bool)
        seen[given] = True
        at = np.flatnonzero(seen)
        if len(at) == len(given):  # each once: where each sits among the given is its order
            place = np.empty(n, dtype=np.int64)
            place[given] = np.arange(len(given), dtype=np.int64)
            return at, place[at]
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

    @property
    def kept(self) -> tuple[Why, np.ndarray] | None:
        """The Why and each row's position in it (-1: no reasons), when every row reads one
        (none was built from values): how the ledger keeps the column."""
        if self._why is None or bool((self._at <= -2).any()):
            return None
        return self._why, self._at

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
        return iter(self._values())

    def _values(self) -> list[Any]:
        """Every row's reasons, those of the Why put together in one pass over its parts."""
        out: list[Any] = [None] * len(self._at)
        kept = np.flatnonzero(self._at >= 0)
        if len(kept):
            assert self._why is not None
            for i, reasons in zip(kept.tolist(), self._why.many(self._at[kept]), strict=True):
                out[i] = reasons
        for i in np.flatnonzero(self._at <= -2).tolist():
            out[i] = self._loose[-2 - int(self._at[i])]
        return out

    def __len__(self) -> int:
        return len(self._at)

    def said(self, words: Words) -> list[list[str] | None]:
        """Every row's reasons as `words` words them (`Why.said`), None where it has none."""
        out: list[list[str] | None] = [None] * len(self._at)
        kept = np.flatnonzero(self._at >= 0)
        if len(kept):
            assert self._why is not None
            for i, row in zip(kept.tolist(), self._why.said(self._at[kept], words), strict=True):
                out[i] = row
        for i in np.flatnonzero(self._at <= -2).tolist():
            loose = self._loose[-2 - int(self._at[i])]
            out[i] = None if loose is None else [words.one(r) for r in loose]
        return out

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
