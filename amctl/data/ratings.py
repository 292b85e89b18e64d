"""The ratings table, long (one rating a row) or wide (one indicator a column), as scores."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import numpy as np
import pandas as pd

from amctl.data import cells
from amctl.data.columns import normalise_header
from amctl.data.rows import Blocked, block_ids
from amctl.data.sheets import RawSheet
from amctl.data.tables import FieldSpec, Table, find_header, read_table
from amctl.errors import DataError, Finding, Severity
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
        table = read_table(sheet, wide_specs, header_aliases)
        layout = "wide"
    return Ratings(table, layout, table.findings)


def ratings_frame(
    r: Ratings, policy: Policy, known: set[str], blocked: list[Blocked]
) -> pd.DataFrame:
    t, v = r.table, r.table.values
    raters = _lookup({k: [k, x.label, *x.aliases] for k, x in policy.ability.raters.items()})
    indicators = _lookup(
        {k: [k, x.label, *x.aliases] for k, x in policy.ability.indicators.items()}
    )
    rows: list[tuple[str, str, str, float]] = []
    wide_rows: list[tuple[int, str, str]] = []  # position, employee, rater: scores read below
    for pos, eid in enumerate(v["employee_id"]):
        if eid is None or pos in t.bad:
            continue  # a bad rating row blocks its manager (its finding carries the id)
        if eid not in known:
            t.report(
                pos,
                "employee_id",
                "AMD010",
                f"ratings for employee {eid}, who is not on the roster; the row is not used",
                severity=Severity.WARNING,
                row_id=eid,
            )
            continue
        rater = _match(t, pos, "rater", v["rater"][pos], raters, eid)
        if r.layout == "long":
            indicator = _match(t, pos, "indicator", v["indicator"][pos], indicators, eid)
            score = v["score"][pos]
            if rater and indicator and score is not None:
                rows.append((eid, rater, indicator, float(score)))
        elif rater:
            wide_rows.append((pos, eid, rater))
    block_ids(t, blocked, known)
    r.findings[:] = t.findings
    scale = policy.ability.scale
    if r.layout == "long":
        frame = pd.DataFrame(rows, columns=["employee_id", "rater", "indicator", "score"])
    else:
        frame = _melt(policy, v, wide_rows)
    frame["score"] = (frame["score"] - scale.min) * 100.0 / (scale.max - scale.min)
    return frame.sort_values(["employee_id", "rater", "indicator", "score"], ignore_index=True)


def _melt(
    policy: Policy, v: dict[str, list[Any]], wide: list[tuple[int, str, str]]
) -> pd.DataFrame:
    """The wide layout (one column per indicator) as long rows, a whole column at a time."""
    positions = np.array([w[0] for w in wide], dtype=np.int64)
    eids = np.array([w[1] for w in wide], dtype=object)
    raters = np.array([w[2] for w in wide], dtype=object)
    parts = []
    for key in policy.ability.indicators:
        scores = (
            np.array(v[f"ability:{key}"], dtype=float)[positions] if len(wide) else np.array([])
        )
        given = ~np.isnan(scores)
        parts.append(
            pd.DataFrame(
                {
                    "employee_id": eids[given],
                    "rater": raters[given],
                    "indicator": key,
                    "score": scores[given],
                }
            )
        )
    return pd.concat(parts, ignore_index=True)


def _lookup(words: dict[str, list[str]]) -> dict[str, str]:
    return {normalise_header(w): key for key, ws in words.items() for w in ws}


def _match(
    t: Table, pos: int, what: str, raw: object, lookup: dict[str, str], eid: str
) -> str | None:
    if raw is None:
        return None
    if raw in lookup:  # the words seen before, without normalising each of 400,000 cells
        return lookup[raw]
    key = lookup.get(normalise_header(cells.text(raw)))
    if key is not None and isinstance(raw, str):
        lookup[raw] = key
    if key is None:
        choices = ", ".join(sorted(set(lookup.values())))
        t.report(
            pos,
            what,
            "AMD009",
            f"{what} '{raw}' is not defined in the policy ({choices}); use one of them "
            f"or add '{raw}' to its aliases",
            row_id=eid,
        )
    return key
