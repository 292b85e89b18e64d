"""The roster's *current* tiers against the policy's quotas (seed 004: the Jinzhong 71 check)."""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable

from amctl.messages import Said, said
from amctl.policy.checks import num
from amctl.policy.models import Policy
from amctl.policy.names import TRAINEE, seats


def current_quota_problems(policy: Policy, current_levels: Iterable[str | None]) -> list[Said]:
    """One message per level whose current headcount is over its cap or under its floor."""
    counts = _counted(current_levels)
    if not counts:
        return []  # the roster does not record current tiers: nothing to check
    graded = sum(n for k, n in counts.items() if k != TRAINEE)
    base = sum(counts.values()) if policy.quota.base == "all" else graded
    out = []
    for key, lv in policy.levels.items():
        n = counts.get(key, 0)
        cap = seats(lv.quota.max, base, policy.quota.rounding)
        floor = seats(lv.quota.min, base, policy.quota.rounding)
        share = f"{n}/{base} = {n / base * 100:.1f}%" if base else f"{n}/0"
        if n > cap:
            out.append(
                said(
                    "pipeline.current_over",
                    level=key,
                    label=lv.label,
                    share=share,
                    cap=num(lv.quota.max),
                    seats=cap,
                    base=base,
                    over=n - cap,
                )
            )
        if n < floor:
            out.append(
                said(
                    "pipeline.current_under",
                    level=key,
                    label=lv.label,
                    share=share,
                    floor=num(lv.quota.min),
                    seats=floor,
                    base=base,
                )
            )
    return out


def uncounted(current_levels: Iterable[object]) -> int:
    """Managers whose current level is blank, when others have one: not counted in the check."""
    levels = list(current_levels)
    given = sum(_counted(levels).values())
    return len(levels) - given if given else 0


def _counted(levels: Iterable[object]) -> Counter[str]:
    """How many hold each level named as text (a blank, None or NaN is no level)."""
    counts = Counter(levels)
    return Counter({k: n for k, n in counts.items() if isinstance(k, str)})
