"""Several versions of a policy in one folder: the one in force is chosen by its dates, so the
dates of one name must neither overlap nor leave a gap."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Sequence
from itertools import pairwise

from amctl.errors import Finding, Location, Severity
from amctl.messages import said
from amctl.policy.loader import LoadedPolicy
from amctl.policy.locate import position


def date_findings(loaded: Sequence[LoadedPolicy]) -> list[Finding]:
    by_name: dict[str, list[LoadedPolicy]] = defaultdict(list)
    for lp in loaded:
        by_name[lp.policy.metadata.name].append(lp)
    out = []
    for name, versions in sorted(by_name.items()):
        versions.sort(key=lambda lp: (lp.policy.metadata.effective_from, lp.path))
        for old, new in pairwise(versions):
            a, b = old.policy.metadata, new.policy.metadata
            line, col = position(new.tree, ("metadata", "effective_from"))
            where = Location(new.path, line=line, col=col)
            if a.effective_to is None or a.effective_to >= b.effective_from:
                until = str(a.effective_to) if a.effective_to else said("policy.open_ended")
                out.append(
                    Finding.of(
                        where,
                        "AMC024",
                        said(
                            "policy.versions_overlap",
                            name=name,
                            new=str(b.version),
                            start=str(b.effective_from),
                            old=str(a.version),
                            old_path=old.path,
                            until=until,
                            day_before=str(b.effective_from - dt.timedelta(days=1)),
                        ),
                    )
                )
            elif a.effective_to + dt.timedelta(days=1) < b.effective_from:
                first = a.effective_to + dt.timedelta(days=1)
                last = b.effective_from - dt.timedelta(days=1)
                out.append(
                    Finding.of(
                        where,
                        "AMC025",
                        said("policy.versions_gap", name=name, first=str(first), last=str(last)),
                        Severity.WARNING,
                    )
                )
    return out
