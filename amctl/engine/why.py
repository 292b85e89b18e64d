"""The reasons of a whole grading, kept a column at a time.

Each step of the walk adds one part: a code and its numbers for the managers it concerns. A
manager's list of reasons (`amctl.engine.reasons.Reason`) is only put together when something
shows it (explain, the rows an export writes), so grading a million managers builds no dict
per manager.
"""

from __future__ import annotations

import builtins
import functools
import operator
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any, Literal, Protocol, cast

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc
from pandas.api.extensions import ExtensionArray, ExtensionDtype, register_extension_dtype

from amctl.engine.reasons import Reason
from amctl.policy.checks import num

How = Literal["append", "prepend", "reset"]
_BLOCK = 131_072  # rows whose gate failures `Lazy.among` keeps: an export's block (Table.LATE)


@dataclass(frozen=True)
class Lazy:
    """A value worked out for one manager only when their reasons are shown (a gate's
    failures): `of(position)`. `many(positions)` works it out for many managers at once, as
    a Why over them (slot i: positions[i]): what exports and the ledger read."""

    of: Callable[[int], Any]
    many: Callable[[np.ndarray], Why] | None = None
    _last: list[tuple[np.ndarray, Why]] = field(
        default_factory=list, init=False, compare=False, repr=False
    )

    def among(self, positions: np.ndarray) -> Why:
        """`many(positions)`, kept for the next call with the same positions: an export words
        a block of rows twice, in English and in its label column's language. A whole
        roster's (a workbook's sheet, worded once) is not kept."""
        assert self.many is not None
        last = self._last[0] if self._last else None  # one read: another thread may replace it
        if last is not None and np.array_equal(last[0], positions):
            return last[1]
        made = self.many(positions)
        self._last[:] = [(positions.copy(), made)] if len(positions) <= _BLOCK else []
        return made


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

    @functools.cached_property
    def distinct(self) -> bool:
        """Whether no position repeats: then the rows a run of positions concerns are one
        slice of `rows`, found by two searches."""
        return len(self.rows) < 2 or bool((self.rows[1:] > self.rows[:-1]).all())

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
        """This step's reasons as `words` words them, one text per row (a coded step)."""
        return cast(list[str], self.texts(slots, ats, words)[0].to_pylist())

    def texts(
        self, slots: np.ndarray, ats: np.ndarray, words: Words
    ) -> tuple[pa.Array, np.ndarray]:
        """This step's words as one Arrow array, and the slot (among `slots`) each belongs
        to: one per row for a coded step, a row's whole list for a step of ready reasons."""
        if self.code is None:
            rows = self.coded(slots, ats, words)
            counts = np.fromiter(map(len, rows), dtype=np.int64, count=len(rows))
            flat = [text for row in rows for _, text in row]
            return pa.array(flat, pa.large_string()), np.repeat(np.arange(len(rows)), counts)
        texts = words.part(self.code, self._columns(slots, ats, words), len(slots))
        array = texts if isinstance(texts, pa.Array) else pa.array(texts, pa.large_string())
        if array.null_count:  # a row its words could not word so: worded from itself
            filled = array.to_pylist()
            missed = np.flatnonzero(pc.is_null(array).to_numpy(zero_copy_only=False))
            for i, [one] in zip(
                missed.tolist(), self.reasons(slots[missed], ats[missed]), strict=True
            ):
                filled[i] = words.one(one)
            array = pa.array(filled, pa.large_string())
        return array.cast(pa.large_string()), np.arange(len(slots))

    def coded(self, slots: np.ndarray, ats: np.ndarray, words: Words) -> list[list[Said_]]:
        """Each row's reasons as (code, words), for placing by code."""
        if self.code is None:
            return [[(_code(r), words.one(r)) for r in self.whole[s]] for s in slots.tolist()]
        return [[(self.code, text)] for text in self.worded(slots, ats, words)]

    def _columns(
        self, slots: np.ndarray, ats: np.ndarray, words: Words | None = None
    ) -> dict[str, Any]:
        """Each param's value for every row. Without `words`, a list per param: the reasons
        as data. With them, each param as it is kept, for wording a column at a time: an
        array taken at the rows, Figures, one value for all as Shared, a list, and reasons
        inside a param (a gate's failures) as their words joined (`Why.joined`)."""
        n, columns = len(slots), dict[str, Any]()
        raw = words is not None
        for key, value in self.params.items():
            if isinstance(value, Lazy) and value.many is not None:
                inner = value.many(ats) if words is None else value.among(ats)
                everyone = np.arange(n, dtype=np.int64)
                columns[key] = (
                    inner._put_together(everyone)
                    if words is None
                    else inner.joined(everyone, words)
                )
            elif isinstance(value, Lazy):
                columns[key] = [value.of(at) for at in ats.tolist()]
            elif isinstance(value, Why):  # a list of reasons per row (a recorded Lazy)
                columns[key] = (
                    value._put_together(slots) if words is None else value.joined(slots, words)
                )
            elif isinstance(value, Figures):
                values = value.values[slots]
                columns[key] = Figures(values) if raw else [num(v) for v in values.tolist()]
            elif isinstance(value, Shared):
                columns[key] = value if raw else [value.value] * n
            elif isinstance(value, np.ndarray):
                columns[key] = value[slots] if raw else value[slots].tolist()  # numpy as Python's
            elif isinstance(value, list | tuple):
                columns[key] = [value[i] for i in slots.tolist()]
            else:
                columns[key] = Shared(value) if raw else [value] * n
        return columns


class Words(Protocol):
    """How reasons are worded (the label layer's, in one language): one reason, or one
    step's reasons from its params as columns (`columns[key][i]`: row i's value)."""

    joiner: str  # what a manager's list of reasons is joined with

    def one(self, reason: Reason) -> str:
        """One reason in words."""

    def part(self, code: str, columns: Mapping[str, Any], n: int) -> pa.Array:
        """Row i's reason ({"code": code, key: row i's value}) in words, its params as
        `Part._columns` keeps them (raw); null for a row to be worded from its reason itself
        (`one`)."""


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

    def joined(self, positions: np.ndarray, words: Words) -> pa.Array:
        """Each of `positions`' reasons worded and joined by `words.joiner` ("" for none), as
        one Arrow array: each step worded a column at a time, then every row's texts joined
        in the order the steps placed them, with no list per manager. A step that keeps
        reasons by their code (a reset) needs the lists: those are joined as `said` gives."""
        positions = np.asarray(positions, dtype=np.int64)
        if any(part.how == "reset" for part in self.parts):
            rows = self.said(positions, words)
            return pa.array([words.joiner.join(row) for row in rows], pa.large_string())
        texts, rows, steps = [], [], []
        run = _run(positions)
        for k, part in enumerate(self.parts):
            found = self._hit(part, positions, run)
            if found is None:
                continue
            which, slots, ats = found
            array, at = part.texts(slots, ats, words)
            texts.append(array)
            rows.append(which[at])
            steps.append(np.full(len(at), -k if part.how == "prepend" else k, dtype=np.int64))
        if not texts:
            return pa.array([""] * len(positions), pa.large_string())
        row, step = np.concatenate(rows), np.concatenate(steps)
        order = np.lexsort((np.arange(len(row)), step, row))  # a step's texts kept in order
        counts = np.bincount(row, minlength=len(positions))
        offsets = np.zeros(len(positions) + 1, dtype=np.int64)
        np.cumsum(counts, out=offsets[1:])
        flat = pa.concat_arrays(texts).take(pa.array(order))
        lists = pa.LargeListArray.from_arrays(pa.array(offsets), flat)
        return pc.binary_join(lists, pa.scalar(words.joiner, pa.large_string()))

    def _hit(
        self, part: Part, positions: np.ndarray, run: int | None = None
    ) -> tuple[np.ndarray, np.ndarray, np.ndarray] | None:
        """Which of `positions` a part concerns (their places among them), their slots in
        the part and the positions themselves; None for none. `run`: the first of positions
        that follow each other one by one (`_run`: the rows an export writes)."""
        if run is not None and part.distinct:
            low, high = np.searchsorted(part.rows, [run, run + len(positions)])
            ats = part.rows[low:high]
            return (ats - run, np.arange(low, high), ats) if high > low else None
        slots = np.searchsorted(part.rows, positions)
        inside = slots < len(part.rows)
        hit = inside & (part.rows[np.where(inside, slots, 0)] == positions)
        which = np.flatnonzero(hit)
        return (which, slots[which], positions[which]) if len(which) else None

    def _hits(
        self, positions: np.ndarray
    ) -> Iterator[tuple[Part, list[int], np.ndarray, np.ndarray]]:
        """Each part that concerns some of `positions`: which of them (their places among
        `positions`), their slots in the part and the positions themselves."""
        run = _run(positions)
        for part in self.parts:
            found = self._hit(part, positions, run)
            if found is not None:
                which, slots, ats = found
                yield part, which.tolist(), slots, ats

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


def _run(positions: np.ndarray) -> int | None:
    """The first of `positions` when they follow each other one by one, else None."""
    if not len(positions):
        return None
    first = int(positions[0])
    if int(positions[-1]) - first + 1 != len(positions):
        return None
    return first if np.array_equal(positions, np.arange(first, first + len(positions))) else None


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

    def joined(self, words: Words) -> pa.Array:
        """Every row's reasons worded and joined (`Why.joined`), null where it has none: an
        Arrow array, kept so as far as a writer (a million rows' text, no Python string)."""
        kept = np.flatnonzero(self._at >= 0)
        if len(kept) == len(self._at) and len(kept):
            assert self._why is not None
            return self._why.joined(self._at, words)
        out = np.full(len(self._at), None, dtype=object)
        if len(kept):
            assert self._why is not None
            out[kept] = self._why.joined(self._at[kept], words).to_numpy(zero_copy_only=False)
        for i in np.flatnonzero(self._at <= -2).tolist():
            loose = self._loose[-2 - int(self._at[i])]
            out[i] = None if loose is None else words.joiner.join(words.one(r) for r in loose)
        return pa.array(out, pa.large_string())

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
