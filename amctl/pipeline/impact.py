"""What a policy change does to real people: the same period run under both policies, each
through `run` with the workspace's history and overrides, as the period would really go."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path

import pandas as pd

from amctl.period import Period
from amctl.pipeline.run import Given, run
from amctl.policy.loader import LoadedPolicy
from amctl.policy.names import tier_ladder
from amctl.workspace.layout import Workspace


@dataclass
class Impact:
    people: pd.DataFrame  # per manager: name, org_unit, old/new tier, movement, old/new/delta pay
    paid: bool  # both policies have pay sections

    @property
    def moved(self) -> pd.DataFrame:
        return self.people[self.people["movement"] != "same"]

    @property
    def changed(self) -> bool:
        """Someone changes tier or pay."""
        return not self.moved.empty or (self.paid and any(d != 0 for d in self.people["delta"]))

    def groups(self, by: str) -> pd.DataFrame:
        """Head count, moves and pay totals per org unit or per (new) tier."""
        frame = self.people
        g = frame.groupby(by, sort=True)
        out = g.size().rename("managers").to_frame()
        out["up"] = g["movement"].agg(lambda s: int((s == "up").sum()))
        out["down"] = g["movement"].agg(lambda s: int((s == "down").sum()))
        if self.paid:
            for col in ("old_pay", "new_pay", "delta"):
                out[col] = g[col].agg(_sum)
        return out.reset_index()


def _sum(values: pd.Series) -> Decimal:
    total = Decimal(0)
    for v in values:
        total += v
    return total


def impact(
    old: LoadedPolicy,
    new: LoadedPolicy,
    workspace: Workspace,
    period: Period,
    *,
    roster: Path | None = None,
    performance: Path | None = None,
    ratings: Path | None = None,
) -> Impact:
    runs = []
    for loaded in (old, new):
        result = run(workspace, period, Given(roster, performance, ratings, loaded))
        lines = result.payroll.lines if result.payroll is not None else None
        runs.append((result.grading, lines))
    (g_old, p_old), (g_new, p_new) = runs
    both = g_old.managers.index.intersection(g_new.managers.index)
    order = {t: i for i, t in enumerate(tier_ladder(new.policy))}
    people = pd.DataFrame(index=both)
    people["name"] = g_new.managers.loc[both, "name"]
    people["org_unit"] = g_new.managers.loc[both, "org_unit"]
    people["old_tier"] = g_old.managers.loc[both, "tier"]
    people["new_tier"] = g_new.managers.loc[both, "tier"]
    people["movement"] = [
        "same" if a == b else ("up" if order.get(b, -1) > order.get(a, -1) else "down")
        for a, b in zip(people["old_tier"], people["new_tier"], strict=True)
    ]
    paid = p_old is not None and p_new is not None
    if paid:
        assert p_old is not None
        assert p_new is not None
        people["old_pay"] = p_old.loc[both, "total"]
        people["new_pay"] = p_new.loc[both, "total"]
        people["delta"] = [b - a for a, b in zip(people["old_pay"], people["new_pay"], strict=True)]
    people.index.name = "employee_id"
    return Impact(people.sort_index(), paid)
