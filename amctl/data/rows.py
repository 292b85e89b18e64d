"""Roster rows that cannot be graded, and the reasons gathered from every table."""

from __future__ import annotations

from collections.abc import Callable, Collection, Mapping
from dataclasses import dataclass, field

import pandas as pd

from amctl.data.tables import Table
from amctl.errors import Finding, Location, Severity


@dataclass
class Blocked:
    """A roster row that cannot be graded, with every reason: the findings that stop it, kept
    as findings so each is worded in the language it is shown in."""

    employee_id: str | None
    name: str | None
    where: Location
    reasons: list[Finding] = field(default_factory=list)

    def said(
        self,
        lang: str = "en",
        word: Callable[[str], str | None] | None = None,
        *,
        place: bool = True,
    ) -> list[str]:
        """Each reason as a line: its place (the cell without the file when `place` is off,
        as under a heading that names the file) and why."""
        out = []
        for f in self.reasons:
            at = str(f.location)
            if not place:
                at = at.replace(f"{f.location.path}:", "", 1)
            out.append(f"{at}: {f.worded(lang, word)}")
        return out


def blocked_rows(t: Table, v: Mapping[str, list[object]]) -> list[Blocked]:
    """One entry per roster row with an error, carrying all of that row's messages."""
    by_row: dict[int, Blocked] = {}
    errors = [f for f in t.findings if f.severity is Severity.ERROR and f.location.row is not None]
    if not errors:
        return []
    at = pd.Index(t.rows).get_indexer(pd.Index([f.location.row for f in errors])).tolist()
    for f, pos in zip(errors, at, strict=True):
        if pos not in by_row:
            eid, name = v["employee_id"][pos], v["name"][pos]
            by_row[pos] = Blocked(
                str(eid) if eid is not None else None,
                str(name) if name is not None else None,
                t.where(pos),
            )
        by_row[pos].reasons.append(f)
    return [by_row[p] for p in sorted(by_row)]


def block_ids(t: Table, blocked: list[Blocked], known: Collection[str]) -> None:
    """Errors in a performance or ratings row stop that manager from being graded."""
    by_id = {b.employee_id: b for b in blocked if b.employee_id}
    for f in t.findings:
        if f.severity is not Severity.ERROR or f.row_id is None or f.row_id not in known:
            continue
        if f.row_id not in by_id:
            # the roster row is fine; record the block where the manager is listed
            by_id[f.row_id] = Blocked(f.row_id, None, f.location)
            blocked.append(by_id[f.row_id])
        by_id[f.row_id].reasons.append(f)
