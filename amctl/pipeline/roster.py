"""The roster alone: is it readable, and do its *current* tiers (现等级) fit the quotas?
Seed 004's Jinzhong team — 36 of 71 managers mid — breaks the 50 % cap, and this says so."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from amctl.data.inputs import EMPTY_ROSTER_SAID, Layout, layouts, read_roster
from amctl.data.locate import Source, TableNotFound, locate, roster_source
from amctl.engine.quotas import current_quota_problems, uncounted
from amctl.errors import DataError, Finding, Location, Severity
from amctl.messages import said
from amctl.period import Period
from amctl.pipeline.grade import finding
from amctl.pipeline.run import checked_policy
from amctl.policy.models import Policy
from amctl.workspace.layout import Workspace


@dataclass(frozen=True)
class RosterCheck:
    source: Source
    rows: int
    counts: dict[str, int]  # current head count per level, trainee last
    findings: list[Finding]
    layouts: list[Layout]  # where each table is read from, field by field
    policy: Policy | None = None  # whose levels are counted, to name them

    @property
    def errors(self) -> list[Finding]:
        return [f for f in self.findings if f.severity is Severity.ERROR]


def check_roster(
    roster: Path, period: Period, *, policy: Path | None = None, workspace: Workspace | None = None
) -> RosterCheck:
    ws = workspace or Workspace.find(roster)
    loaded = checked_policy(ws.policy(policy, period.end, roster))
    source = roster_source(roster, loaded.policy)
    read = read_roster(source, loaded.policy)
    where = Location(str(source.path), sheet=source.sheet)
    if read.frame.empty:
        raise DataError([Finding.of(where, "AMD017", EMPTY_ROSTER_SAID)])
    problems = list(read.findings)
    levels = read.frame["current_level"]
    for message in current_quota_problems(loaded.policy, levels):
        problems.append(finding(where, "AMD016", message, Severity.ERROR))
    blank = uncounted(levels)
    if blank:
        note = said("pipeline.no_current_level", n=blank)
        problems.append(Finding.of(where, "AMD016", note, Severity.WARNING))
    counted = levels.value_counts()
    counts = {k: int(counted.get(k, 0)) for k in [*loaded.policy.levels, "trainee"]}
    try:
        sources = locate(roster, loaded.policy)
    except TableNotFound:
        sources = {"roster": source}
    return RosterCheck(
        source,
        len(read.frame),
        counts,
        problems,
        layouts(sources, loaded.policy),
        loaded.policy,
    )
