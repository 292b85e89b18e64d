"""The ratings table, long (one rating a row) or wide (one indicator a column), as scores."""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from typing import Any

import numpy as np
import pandas as pd

from amctl.data import cells, columnar
from amctl.data.rows import Blocked, block_ids
from amctl.data.sheets import RawSheet
from amctl.data.tables import FieldSpec, Table, find_header, read_table
from amctl.errors import DataError, Finding, Location, Severity
from amctl.messages import Said, said, say
from amctl.policy.columns import normalise_header
from amctl.policy.models import Policy


@dataclass
class Ratings:
    table: Table
    layout: str  # "long" or "wide"
    findings: list[Finding] = field(default_factory=list)


def ratings_table(sheet: RawSheet, policy: Policy, aliases: dict[str, list[str]]) -> Ratings:
    scale = policy.ability.scale
    long_specs = [
        FieldSpec("employee_id", "id"),
        FieldSpec("rater", "text"),
        FieldSpec("indicator", "text"),
        FieldSpec("score", "number", low=scale.min, high=scale.max),
    ]
    header_aliases = dict(aliases)
    for key, ind in policy.ability.indicators.items():
        header_aliases[f"ability:{key}"] = [key, ind.label, *ind.aliases]
    try:
        find_header(sheet, header_aliases, ["employee_id", "rater", "indicator", "score"])
        table = read_table(sheet, long_specs, header_aliases)
        layout = "long"
    except DataError:
        wide_specs = [FieldSpec("employee_id", "id"), FieldSpec("rater", "text")] + [
            FieldSpec(f"ability:{k}", "number", allow_blank=True, low=scale.min, high=scale.max)
            for k in policy.ability.indicators
        ]
        try:
            table = read_table(sheet, wide_specs, header_aliases)
            layout = "wide"
        except DataError as exc:
            columns = policy.ability.columns
            if columns.rater is None and not columns.patterns:
                hinted = [_with_hint(f) for f in exc.findings]
                raise DataError(hinted, exc.said or str(exc)) from None
            table = _by_column(sheet, policy, aliases)
            layout = "by_column"
    return Ratings(table, layout, table.findings)


def _with_hint(finding: Finding) -> Finding:
    """A missing column's finding, with how to read a sheet that has no rater column."""
    hint = said("data.no_rater_hint", problem=finding.said or finding.message)
    return replace(finding, message=say(hint), said=hint)


def rating_column(rater: str, indicator: str) -> str:
    return f"rating:{rater}:{indicator}"


def _by_column(sheet: RawSheet, policy: Policy, aliases: dict[str, list[str]]) -> Table:
    """A ratings table without a rater column: each column is one rater's scores for one
    indicator, as ability.columns says (plain indicator headers, or rater-and-indicator
    headers built from its patterns)."""
    scale = policy.ability.scale
    columns = policy.ability.columns
    header_aliases = dict(aliases)
    specs = [FieldSpec("employee_id", "id")]
    for r, rater in policy.ability.raters.items():
        rater_words = [r, rater.label, *rater.aliases]
        for i, ind in policy.ability.indicators.items():
            words = [i, ind.label, *ind.aliases]
            headers = [
                p.format(rater=rw, indicator=iw)
                for p in columns.patterns
                for rw in rater_words
                for iw in words
            ]
            if r == columns.rater:
                headers += words
            if headers:
                name = rating_column(r, i)
                header_aliases[name] = headers
                specs.append(
                    FieldSpec(
                        name,
                        "number",
                        required=False,
                        allow_blank=True,
                        low=scale.min,
                        high=scale.max,
                    )
                )
    table = read_table(sheet, specs, header_aliases)
    if not any(name.startswith("rating:") for name in table.columns):
        where = Location(sheet.path, sheet=sheet.sheet, row=table.header_row)
        examples = [str(h) for h in header_aliases[specs[1].name][:3]]
        message = said("data.no_rating_column", examples=examples)
        raise DataError([Finding.of(where, "AMD003", message)], message)
    return table


Coded = tuple[np.ndarray, np.ndarray]  # codes into sorted distinct values, the values


@dataclass(frozen=True)
class Block:
    """Ratings side by side with the managers' rows of RatingRows: one score per row (NaN:
    none), each by a rater and of an indicator given as codes, per row or one for all. A wide
    sheet is a block per indicator column, a sheet of rater-and-indicator columns a block per
    column, a long sheet one block."""

    rater: np.ndarray | int
    indicator: np.ndarray | int
    score: np.ndarray  # float64, 0–100

    def given(self) -> np.ndarray:
        given: np.ndarray = ~np.isnan(self.score)
        return given


@dataclass(frozen=True)
class RatingRows:
    """Every rating that counts, as the sheet laid it out: the managers' rows as codes into
    their sorted ids, and blocks of scores beside them (raters and indicators as codes into
    sorted words). Grading counts these codes (scoring.rating_cells); the long table of words
    (24 million rows for a million managers) is put together only for what reads it: the
    ledger, and explain (one manager's rows)."""

    people: Coded
    raters: np.ndarray  # sorted words the blocks' rater codes point into
    indicators: np.ndarray
    blocks: tuple[Block, ...]
    _frame: list[pd.DataFrame] = field(default_factory=list, compare=False, repr=False)

    @classmethod
    def of_frame(cls, frame: pd.DataFrame) -> RatingRows:
        """From a long table (employee_id, rater, indicator, score 0–100)."""
        (who, raters), (what, indicators) = (
            _coded(frame[c].to_numpy(dtype=object)) for c in ("rater", "indicator")
        )
        block = Block(who, what, frame["score"].to_numpy(dtype="float64"))
        people = _coded(frame["employee_id"].to_numpy(dtype=object))
        return cls(people, raters, indicators, (block,))

    def __len__(self) -> int:
        return sum(int(b.given().sum()) for b in self.blocks)

    def frame(self) -> pd.DataFrame:
        """The long table: employee_id, rater, indicator, score, sorted on all four (by
        codes into sorted words, as sort_values would). Made once."""
        if not self._frame:
            self._frame.append(self._table(None))
        return self._frame[0]

    def of(self, employee_id: str) -> pd.DataFrame:
        """One manager's rows of the long table, in its order, without making the rest."""
        codes, words = self.people
        at = int(np.searchsorted(words, employee_id)) if len(words) else 0
        if at >= len(words) or words[at] != employee_id:
            return self._table(np.arange(0))
        return self._table(np.flatnonzero(codes == at))

    def _table(self, rows: np.ndarray | None) -> pd.DataFrame:
        """The long rows of the managers' `rows` (all when None), sorted."""
        people = self.people[0] if rows is None else self.people[0][rows]
        parts = []
        for b in self.blocks:
            score = b.score if rows is None else b.score[rows]
            given = ~np.isnan(score)
            count = int(given.sum())
            who, what = (
                np.full(count, x) if isinstance(x, int) else (x if rows is None else x[rows])[given]
                for x in (b.rater, b.indicator)
            )
            parts.append((people[given], who, what, score[given]))
        e, r, i, x = (
            np.concatenate([p[n] for p in parts]) if parts else np.array([], dtype=np.int64)
            for n in range(4)
        )
        x = x.astype("float64")
        order = np.lexsort((x, i, r, e)) if len(x) else np.arange(0)
        text = {"employee_id": (e, self.people[1]), "rater": (r, self.raters)}
        text["indicator"] = (i, self.indicators)
        frame = pd.DataFrame(
            {
                k: pd.Series(words[codes[order]], dtype="object")
                for k, (codes, words) in text.items()
            }
        )
        frame["score"] = x[order]
        return frame


def no_ratings() -> RatingRows:
    """The ratings of a review that reads none."""
    nothing = np.array([], dtype=object)
    return RatingRows((np.array([], dtype=np.int64), nothing), nothing, nothing, ())


def rating_rows(r: Ratings, policy: Policy, known: pd.Index, blocked: list[Blocked]) -> RatingRows:
    """The ratings that count, coded; `known`: every id a row may name, sorted (the roster's
    and the blocked), whose positions are the managers' codes."""
    t = r.table
    raters = _lookup({k: [k, x.label, *x.aliases] for k, x in policy.ability.raters.items()})
    indicators = _lookup(
        {k: [k, x.label, *x.aliases] for k, x in policy.ability.indicators.items()}
    )
    at, use = _placed(t, known)  # a manager's code: their place among the known ids
    if t.bad:
        use[list(t.bad)] = False  # a bad rating row blocks its manager (its finding has the id)
    stranger = use & (at < 0)
    use &= ~stranger
    people = known.to_numpy(dtype=object)
    problems: list[tuple[int, int, str, str, Said, Severity]] = [
        (
            pos,
            0,
            "employee_id",
            "AMD010",
            said("data.ratings_not_on_roster", eid=str(t.id_at(pos))),
            Severity.WARNING,
        )
        for pos in np.flatnonzero(stranger).tolist()
    ]
    if r.layout == "by_column":
        rows = _by_columns(policy, t, np.flatnonzero(use), (at, people))
    else:
        rater = _match(t, "rater", use, raters, problems, 1)
    if r.layout == "by_column":
        pass  # read above, column by column
    elif r.layout == "long":
        indicator = _match(t, "indicator", use, indicators, problems, 2)
        score = t.floats("score")  # None is NaN
        keep = use & (rater.codes >= 0) & (indicator.codes >= 0) & ~np.isnan(score)
        at_rows = np.flatnonzero(keep)
        (who, who_words), (what, what_words) = rater.coded(at_rows), indicator.coded(at_rows)
        rows = RatingRows(
            _coded_places(at[keep], known)
            if known.is_monotonic_increasing
            else _coded(t.objects("employee_id")[keep]),
            who_words,
            what_words,
            (Block(who, what, score[keep]),),
        )
    else:
        rows = _wide(policy, t, np.flatnonzero(use & (rater.codes >= 0)), (at, people), rater)
    for pos, _, what_, rule, message, severity in sorted(problems, key=lambda p: p[:2]):
        t.report(pos, what_, rule, message, severity=severity)  # its row's id
    block_ids(t, blocked, known)
    r.findings[:] = t.findings
    scale = policy.ability.scale
    return replace(
        rows, blocks=tuple(replace(b, score=_hundred(b.score, scale)) for b in rows.blocks)
    )


def _hundred(score: np.ndarray, scale: Any) -> np.ndarray:
    """Scores on the policy's scale as 0–100: (x − min) × 100 ÷ (max − min), in that order,
    in one new array (the steps in place)."""
    out: np.ndarray = score - scale.min
    out *= 100.0
    out /= scale.max - scale.min
    return out


def _placed(t: Table, known: pd.Index) -> tuple[np.ndarray, np.ndarray]:
    """Each row's place among the known ids (-1: none) and whether it holds an id at all. Ids
    Arrow read whole (every cell filled) are not made a million Python strings: as codes,
    each distinct id is looked up once; as text, each run of one id."""
    coded, text = t.codes("employee_id"), t.text("employee_id")
    if coded is not None:
        codes, words = coded
        at: np.ndarray = known.get_indexer(pd.Index(words, dtype=object))[codes]
        return at, np.ones(len(at), dtype=bool)
    if text is not None:
        return _places(known, text), np.ones(len(text), dtype=bool)
    ids = t.objects("employee_id")
    return _places(known, ids), pd.notna(ids)


def _places(known: pd.Index, ids: Any) -> np.ndarray:
    """Each id's place among the known ids (-1: none), from an object array or an Arrow
    text column. A manager's ratings are rows one after another as a rule: each run of one id
    is looked up once."""
    if isinstance(ids, np.ndarray):
        if len(ids) < 2:
            return known.get_indexer(pd.Index(ids, dtype=object))
        runs = np.concatenate(([True], ids[1:] != ids[:-1]))
        starts = np.flatnonzero(runs)
        firsts = ids[starts]
    else:
        import pyarrow.compute as pc

        n = len(ids)
        after = pc.not_equal(ids.slice(1), ids.slice(0, max(n - 1, 0)))
        starts = np.flatnonzero(np.concatenate(([True], after.to_numpy(zero_copy_only=False))))
        starts = starts[:n]
        firsts = ids.take(starts).to_numpy(zero_copy_only=False)
    found = known.get_indexer(pd.Index(firsts, dtype=object))
    return np.repeat(found, np.diff(np.append(starts, len(ids))))


def _coded_places(places: np.ndarray, known: pd.Index) -> Coded:
    """The managers' codes into their sorted ids from their places among the known ids, when
    those are sorted: what _coded gives from the ids themselves, counted instead of hashed."""
    seen = np.zeros(len(known), dtype=bool)
    seen[places] = True
    present = np.flatnonzero(seen)
    codes = (np.cumsum(seen) - 1)[places]
    return codes, known.to_numpy(dtype=object)[present]


def _coded(values: np.ndarray) -> Coded:
    codes, words = pd.factorize(values, sort=True)
    return codes, np.asarray(words, dtype=object)


def _wide(
    policy: Policy,
    t: Table,
    positions: np.ndarray,
    ids: Coded,
    raters: Matched,
) -> RatingRows:
    """The wide layout (one column per indicator): a block per indicator, kept wide."""
    who, who_words = raters.coded(positions)
    keys = np.array(sorted(policy.ability.indicators), dtype=object)
    blocks = []
    for key in policy.ability.indicators:
        scores = columnar.take(t.floats(f"ability:{key}"), positions)  # None is NaN
        blocks.append(Block(who, int(np.flatnonzero(keys == key)[0]), scores))
    return RatingRows((ids[0][positions], ids[1]), who_words, keys, tuple(blocks))


def _by_columns(policy: Policy, t: Table, positions: np.ndarray, ids: Coded) -> RatingRows:
    """The by-column layout (one column per rater and indicator): a block per column."""
    raters = np.array(sorted(policy.ability.raters), dtype=object)
    keys = np.array(sorted(policy.ability.indicators), dtype=object)
    blocks = []
    for r in policy.ability.raters:
        for i in policy.ability.indicators:
            name = rating_column(r, i)
            if name in t.values:
                scores = columnar.take(t.floats(name), positions)  # None is NaN
                who, what = int(np.flatnonzero(raters == r)[0]), int(np.flatnonzero(keys == i)[0])
                blocks.append(Block(who, what, scores))
    return RatingRows((ids[0][positions], ids[1]), raters, keys, tuple(blocks))


def _lookup(words: dict[str, list[str]]) -> dict[str, str]:
    return {normalise_header(w): key for key, ws in words.items() for w in ws}


def _match(
    t: Table,
    what: str,
    use: np.ndarray,
    lookup: dict[str, str],
    problems: list[tuple[int, int, str, str, Said, Severity]],
    order: int,
) -> Matched:
    """Each distinct word looked up once (from the codes Arrow read the column as, when it
    did); a word the policy does not know is reported at every row that uses it."""
    n = len(use)
    if not use.any():
        return Matched(np.full(n, -1, dtype=np.int64), np.array([], dtype=object))
    coded = t.codes(what)
    words: Any
    if coded is not None:
        every, words = coded
        codes = every[use]

        def word(pos: int) -> Any:
            return words[every[pos]]

    else:
        values = t.objects(what)
        codes, words = pd.factorize(pd.Series(values[use], dtype=object))

        def word(pos: int) -> Any:
            return values[pos]

    found = [lookup.get(normalise_header(cells.text(w))) for w in words]
    choices = sorted(set(lookup.values()))  # a key's code: its place among them, sorted
    places = np.array([*(choices.index(k) if k else -1 for k in found), -1], dtype=np.int64)
    key_codes = np.full(n, -1, dtype=np.int64)
    key_codes[use] = places[codes]
    # a word given that the policy does not know, found per distinct word (a blank cell,
    # code -1, is no word): only the rows that use one are gone through, each a finding
    unknown = np.array(
        [*(k is None and w is not None for k, w in zip(found, words, strict=True)), False]
    )
    flagged = np.zeros(n, dtype=bool)
    flagged[use] = unknown[codes]
    named = said("data.word_rater") if what == "rater" else said("data.word_indicator")
    for pos in np.flatnonzero(flagged).tolist():
        given = word(pos)
        message = said("data.word_undefined", what=named, value=str(given), choices=choices)
        problems.append((pos, order, what, "AMD009", message, Severity.ERROR))
    return Matched(key_codes, np.array(choices, dtype=object))


@dataclass(frozen=True)
class Matched:
    """A column of words as codes into `words`, the policy's keys sorted (-1: not one)."""

    codes: np.ndarray
    words: np.ndarray

    def coded(self, positions: np.ndarray) -> Coded:
        """The rows' codes into the keys they use, sorted (as _coded gives them)."""
        picked = self.codes[positions]
        present = np.flatnonzero(np.bincount(picked, minlength=len(self.words)))
        renumber = np.full(len(self.words), -1, dtype=np.int64)
        renumber[present] = np.arange(len(present))
        return renumber[picked], self.words[present]
