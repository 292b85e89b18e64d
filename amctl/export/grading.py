"""A grading result as tables: managers, quotas, boundaries, findings, the run's facts."""

from __future__ import annotations

from collections.abc import Callable
from functools import partial
from pathlib import Path
from typing import TYPE_CHECKING, Any

import numpy as np
import pandas as pd

from amctl.export.formats import Export, preflight
from amctl.export.formats import write as write_export
from amctl.export.safe import atomic_write
from amctl.export.table import Rows, Table, Tick, records, silent, stacked
from amctl.labels import (
    field_word,
    heading,
    moved_column,
    names,
    plain,
    reasons_of,
    says_array,
    says_column,
    shown,
    titles,
    worded,
    wording,
)
from amctl.messages import say
from amctl.pipeline.grade import GradeResult

if TYPE_CHECKING:
    import pyarrow as pa


def manager_table(result: GradeResult, lang: str = "en") -> Table:
    """Graded managers, then every roster row that was not graded, as the grading sheet
    words them: each move named apart from a band's, the reasons in sentences in `lang`
    (worded a step at a time), a row not graded with why."""
    policy = result.policy.policy
    frame = result.managers.reset_index()
    frame["reasons"] = pd.Series(
        says_column(frame["reasons"], lang, names(policy, lang)), index=frame.index, dtype=object
    )
    frame.insert(0, "status", "graded")
    if "movement" in frame.columns:
        frame["movement"] = _moves(frame)
    why = [reasons_of(b, lang, policy) for b in result.blocked]
    return Table(stacked(frame, _not_graded(result, frame.columns, reasons=why)))


def _not_graded(result: GradeResult, columns: pd.Index, **cells: list[Any]) -> pd.DataFrame:
    """The roster rows not graded, under the graded rows' columns: id, name and `cells`."""
    blocked = result.blocked
    return pd.DataFrame(
        {
            "status": ["not graded"] * len(blocked),
            "employee_id": [b.employee_id for b in blocked],
            "name": [b.name for b in blocked],
            **cells,
        },
        columns=columns,
        dtype=object,
    )


def _moves(frame: pd.DataFrame) -> list[Any]:
    return moved_column(frame["previous_tier"], frame["tier"], frame["movement"])


def _words(column: pd.Series, word: Callable[[str], Any]) -> pd.Series:
    """`word` of each text value, asked once per distinct value; anything else has none.
    Taken by each row's code among the distinct values: `map` of a million rows through a
    dict holds a hash table of them (80 MB a column)."""
    codes, values = pd.factorize(column, use_na_sentinel=False)
    words = np.array([word(v) if isinstance(v, str) else None for v in values], dtype=object)
    return pd.Series(words[codes], index=column.index, dtype=object)


def quota_rows(result: GradeResult) -> Rows:
    columns = ["level", "label", "cap_pct", "seats", "count", "share_pct", "over", "floor_pct"]
    rows = [
        [q.level, q.label, q.cap_pct, q.seats, q.count, round(q.share, 2), q.over, q.floor_pct]
        for q in result.quota
    ]
    return columns, rows


def boundary_rows(result: GradeResult) -> Rows:
    columns = ["level", "last_in", "last_in_composite", "first_out", "first_out_composite"]
    rows = [
        [b.level, b.last_in, b.last_in_composite, b.first_out, b.first_out_composite]
        for b in result.boundaries
    ]
    return columns, rows


def finding_rows(result: GradeResult, lang: str = "en", *, labelled: bool = False) -> Rows:
    """Every finding, its message in `lang`; `labelled` keeps the English message and adds
    the worded one (csv and json: stable text for scripts, words for people)."""
    policy = result.policy.policy
    columns = ["place", "severity", "rule", "message"]
    rows: list[list[Any]] = [
        [str(f.location), f.severity.value, f.rule, f.message]
        + ([worded(f, lang, policy)] if labelled else [])
        for f in result.findings
    ]
    if not labelled:
        for row, f in zip(rows, result.findings, strict=True):
            row[3] = worded(f, lang, policy)
    word = field_word(policy)
    rows += [
        [
            wording("en" if labelled else lang)("current_tiers_place"),
            "warning",
            "AMD016",
            say(msg, "en" if labelled else lang, word),
        ]
        + ([say(msg, lang, word)] if labelled else [])
        for msg in result.current_quota
    ]
    return ([*columns, "message_label"] if labelled else columns), rows


def run_rows(result: GradeResult) -> Rows:
    p = result.policy
    meta = p.policy.metadata
    rows: list[list[Any]] = [
        ["policy", meta.name],
        ["policy version", meta.version],
        ["policy file", p.path],
        ["policy sha256", p.sha256],
        ["period", result.period.label],
        ["as of", result.period.end.isoformat()],
        ["roster rows", result.roster_rows],
        ["graded", len(result.managers)],
        ["not graded", len(result.blocked)],
    ]
    for table, source in result.sources.items():
        rows.append([f"{table} source", str(source)])
    for path, digest in sorted(result.hashes.items()):
        rows.append([f"sha256 {path}", digest])
    return ["key", "value"], rows


def summary_rows(result: GradeResult) -> Rows:
    """Head count per org unit and tier, with the totals: the calibration view."""
    frame = result.managers
    tiers = sorted(set(frame["tier"]))
    columns = ["org_unit", *tiers, "all"]
    rows: list[list[Any]] = []
    for unit, group in frame.groupby("org_unit", sort=True):
        counts = group["tier"].value_counts()
        rows.append([unit, *(int(counts.get(t, 0)) for t in tiers), len(group)])
    counts = frame["tier"].value_counts()
    rows.append(["all", *(int(counts.get(t, 0)) for t in tiers), len(frame)])
    return columns, rows


LABELLED = ("level", "previous_tier", "movement", "ability_band", "performance_band", "reasons")


def labelled_table(result: GradeResult, lang: str) -> Table:
    """The rows scripts read (stable English keys and values), plus a `…_label` column for
    each value a person reads, in `lang`: what a script shows its users without a table of
    its own. Words are found once per distinct value; the reasons are sentences per row."""
    policy = result.policy.policy
    show, called = shown(policy, lang), names(policy, lang)
    frame = result.managers.reset_index()
    reasons = frame["reasons"]  # worded as the rows are written (Table.late), in English
    frame["reasons"] = pd.Series(None, index=frame.index, dtype=object)  # and in `lang`
    frame.insert(0, "status", "graded")
    frame["level_label"] = _words(frame["level"], called.level)
    frame["previous_tier_label"] = _words(frame["previous_tier"], called.tier)
    moves = pd.Series(_moves(frame), dtype=object)
    frame["movement_label"] = _words(moves, partial(show, "movement"))
    for band in ("ability_band", "performance_band"):
        frame[f"{band}_label"] = _words(frame[band], partial(show, band))
    frame["reasons_label"] = pd.Series(None, index=frame.index, dtype=object)
    blocked = _not_graded(
        result,
        frame.columns,
        reasons=[reasons_of(b, "en", policy) for b in result.blocked],
        reasons_label=[plain(reasons_of(b, lang, policy)) for b in result.blocked],
    )
    table = stacked(frame, blocked)
    graded = len(frame)

    def worded(column: str, *how: Any) -> Callable[[int, int], pa.Array]:
        def fill(start: int, stop: int) -> pa.Array:
            """The graded rows' reasons worded, then the rows not graded as they are."""
            import pyarrow as pa

            words = says_array(reasons.iloc[start : min(stop, graded)], *how)
            rest = table[column].iloc[max(start, graded) : stop].to_numpy(dtype=object)
            return pa.concat_arrays([words, pa.array(rest, words.type, from_pandas=True)])

        return fill

    late = {"reasons": worded("reasons"), "reasons_label": worded("reasons_label", lang, called)}
    return Table(table, late=late)


def export(result: GradeResult, lang: str | None = None) -> Export:
    policy = result.policy.policy
    language = lang or policy.metadata.language
    return Export(
        flat=lambda: labelled_table(result, language),
        json=lambda: {
            "run": {row[0]: row[1] for row in run_rows(result)[1]},
            "managers": labelled_table(result, language),  # written a column at a time
            "quota": records(quota_rows(result)),
            "boundaries": records(boundary_rows(result)),
            "findings": records(finding_rows(result, language, labelled=True)),
        },
        sheets=lambda: [
            ("grading", manager_table(result, lang=language)),
            ("summary", Table.of(summary_rows(result), total=True)),
            ("quota", Table.of(quota_rows(result))),
            ("boundaries", Table.of(boundary_rows(result))),
            ("findings", Table.of(finding_rows(result, language))),
            ("run", Table.of(run_rows(result))),
        ],
        title=titles(policy, lang or policy.metadata.language),
        show=shown(policy, lang or policy.metadata.language),
        heading=heading(policy, result.period.label, lang or policy.metadata.language),
        lang=language,
    )


FORMATS = (".csv", ".json", ".parquet", ".xlsx", ".png")


def write(
    result: GradeResult,
    out: Path,
    *,
    force: bool = False,
    lang: str | None = None,
    tick: Tick = silent,
    publish: Callable[[], None] = lambda: None,
) -> list[str]:
    """Write by suffix; .png is the 9-box picture. Returns notes for the user, if any.
    `publish`: see atomic_write."""
    sources = [s.path for s in result.sources.values()]
    if out.suffix.lower() != ".png":
        how = export(result, lang)
        return write_export(how, out, sources, force=force, tick=tick, publish=publish)
    from amctl.export.ninebox import write_png

    preflight(out, sources, force=force, formats=FORMATS)
    notes: list[str | None] = []
    language = lang or result.policy.policy.metadata.language
    atomic_write(
        out,
        lambda tmp: notes.append(write_png(result, tmp, language)),
        replace=force,
        publish=publish,
    )
    return [n for n in notes if n]
