"""A grading result as tables: managers, quotas, boundaries, findings, the run's facts."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from amctl.export.formats import Export, Rows, Tick, clean, preflight, records, silent
from amctl.export.formats import write as write_export
from amctl.export.safe import atomic_write
from amctl.labels import (
    field_word,
    heading,
    moved,
    names,
    plain,
    reasons_of,
    says,
    shown,
    titles,
    worded,
    wording,
)
from amctl.messages import say
from amctl.pipeline.grade import GradeResult


def manager_rows(result: GradeResult, *, worded: bool = True, lang: str = "en") -> Rows:
    """Graded managers, then every roster row that was not graded, with its reasons: in
    English words, or (`worded=False`) as the reasons themselves, for a sheet to word. A
    row not graded says why in `lang`."""
    frame = result.managers.reset_index()
    columns = ["status", *[str(c) for c in frame.columns]]
    rows = [
        ["graded", *(clean(v) if worded or not isinstance(v, list) else v for v in rec)]
        for rec in frame.itertuples(index=False)
    ]
    if not worded and "movement" in columns:  # a sheet names a level's move apart from a band's
        at = {c: i for i, c in enumerate(columns)}
        for graded in rows:
            move = graded[at["movement"]]
            graded[at["movement"]] = moved(graded[at["previous_tier"]], graded[at["tier"]], move)
    at = {c: i for i, c in enumerate(columns)}
    for b in result.blocked:
        row: list[Any] = [None] * len(columns)
        row[at["status"]] = "not graded"
        row[at["employee_id"]] = b.employee_id
        row[at["name"]] = b.name
        row[at["reasons"]] = reasons_of(b, lang, result.policy.policy)
        rows.append(row)
    return columns, rows


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


def labelled_rows(result: GradeResult, lang: str) -> Rows:
    """The rows scripts read (stable English keys and values), plus a `…_label` column for
    each value a person reads, in `lang`: what a script shows its users without a table of
    its own."""
    policy = result.policy.policy
    columns, rows = manager_rows(result)
    show, called = shown(policy, lang), names(policy, lang)
    m = result.managers
    labels = [
        [
            called.level(level),
            called.tier(was) if isinstance(was, str) else None,
            show("movement", moved(was, tier, move)),
            show("ability_band", a) if isinstance(a, str) else None,
            show("performance_band", p) if isinstance(p, str) else None,
            says(list(why), lang, called),
        ]
        for level, was, tier, move, a, p, why in zip(
            m["level"],
            m["previous_tier"],
            m["tier"],
            m["movement"],
            m["ability_band"],
            m["performance_band"],
            m["reasons"],
            strict=True,
        )
    ]
    blank: list[object] = [None] * (len(LABELLED) - 1)
    labels += [[*blank, plain(reasons_of(b, lang, policy))] for b in result.blocked]
    return [*columns, *(f"{c}_label" for c in LABELLED)], [
        [*row, *words] for row, words in zip(rows, labels, strict=True)
    ]


def export(result: GradeResult, lang: str | None = None) -> Export:
    policy = result.policy.policy
    language = lang or policy.metadata.language
    return Export(
        csv=lambda: labelled_rows(result, language),
        json=lambda: {
            "run": {row[0]: row[1] for row in run_rows(result)[1]},
            "managers": records(labelled_rows(result, language)),
            "quota": records(quota_rows(result)),
            "boundaries": records(boundary_rows(result)),
            "findings": records(finding_rows(result, language, labelled=True)),
        },
        sheets=lambda: [
            ("grading", manager_rows(result, worded=False, lang=language)),
            ("summary", summary_rows(result)),
            ("quota", quota_rows(result)),
            ("boundaries", boundary_rows(result)),
            ("findings", finding_rows(result, language)),
            ("run", run_rows(result)),
        ],
        title=titles(policy, lang or policy.metadata.language),
        show=shown(policy, lang or policy.metadata.language),
        heading=heading(policy, result.period.label, lang or policy.metadata.language),
    )


FORMATS = (".csv", ".json", ".xlsx", ".png")


def write(
    result: GradeResult,
    out: Path,
    *,
    force: bool = False,
    lang: str | None = None,
    tick: Tick = silent,
) -> list[str]:
    """Write by suffix; .png is the 9-box picture. Returns notes for the user, if any."""
    sources = [s.path for s in result.sources.values()]
    if out.suffix.lower() != ".png":
        return write_export(export(result, lang), out, sources, force=force, tick=tick)
    from amctl.export.ninebox import write_png

    preflight(out, sources, force=force, formats=FORMATS)
    notes: list[str | None] = []
    language = lang or result.policy.policy.metadata.language
    atomic_write(out, lambda tmp: notes.append(write_png(result, tmp, language)), replace=force)
    return [n for n in notes if n]
