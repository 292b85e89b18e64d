"""Several versions of a policy in one folder: the one in force is chosen by its dates, so the
dates of one name must neither overlap nor leave a gap."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Sequence
from itertools import pairwise

from amctl.errors import Finding, Location, Severity
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
                until = a.effective_to or "open-ended"
                out.append(
                    Finding(
                        where,
                        "AMC024",
                        f"{name} {b.version} starts {b.effective_from} while {a.version} "
                        f"({old.path}) runs until {until}; set effective_to: "
                        f"{b.effective_from - dt.timedelta(days=1)} on the older version",
                    )
                )
            elif a.effective_to + dt.timedelta(days=1) < b.effective_from:
                first = a.effective_to + dt.timedelta(days=1)
                last = b.effective_from - dt.timedelta(days=1)
                out.append(
                    Finding(
                        where,
                        "AMC025",
                        f"no {name} policy is in effect from {first} to {last}; close the gap",
                        Severity.WARNING,
                    )
                )
    return out
