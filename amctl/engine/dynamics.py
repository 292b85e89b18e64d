"""Dynamic adjustment (seed 002, 动态调整): tiers move from the previous period by rules.

The quota ranking gives each manager a *computed* level for this period. Against the level
they held last period (from the ledger):
- a move up or down is at most `max_level_step` levels (a trainee graduates into the lowest);
- a promotion needs `promotion_after` qualifying periods in a row, this one included;
- a demotion comes only after `demotion_after` periods in a row below the held level's bar
  (the improvement period); until then the manager keeps the level.
A held promotion leaves its seat empty this period; the quota table shows the final counts.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from amctl.engine.reasons import Reason, reason
from amctl.policy.models import Policy
from amctl.policy.names import TRAINEE


@dataclass(frozen=True)
class Past:
    """One recorded period of one manager: the level held and the level the ranking gave."""

    quarter: str
    level: str
    computed: str
    tier: str = ""
    band: str | None = None
    level_set: str | None = None  # the period whose review set the level (None: unknown)
    band_set: str | None = None


def ladder(policy: Policy) -> list[str]:
    """Levels lowest first, trainee below them all."""
    return [TRAINEE, *reversed(list(policy.levels))]


RULES = {  # the policy key of each rule that can hold a manager away from the computed level
    "step": "dynamics.max_level_step",
    "promotion": "dynamics.promotion_after",
    "improvement": "dynamics.demotion_after",
}


def apply(
    policy: Policy,
    computed: Mapping[str, str],
    history: Mapping[str, Sequence[Past]],
    reasons: Mapping[str, list[Reason]],
    moved_by: dict[str, str] | None = None,
) -> dict[str, str]:
    """The level each manager holds this period, with the rule that decided it in `reasons`.
    `moved_by` hears, for each manager a rule keeps away from the computed level, which rule
    did it (a key of RULES): a level over its cap after the rules can then say why."""
    rules = policy.dynamics
    order = {lv: i for i, lv in enumerate(ladder(policy))}
    names = ladder(policy)
    final: dict[str, str] = {}
    cause: dict[str, str] = {}
    for eid, now in computed.items():
        past = history.get(eid, ())
        why = reasons[eid]
        if now == TRAINEE:
            final[eid] = now
            continue
        if not past:
            why.append(reason("no_history"))
            final[eid] = now
            continue
        held = past[0].level
        if held not in order:  # a level the policy no longer has: start afresh
            why.append(reason("unknown_previous", held=held))
            final[eid] = now
            continue
        step = order[now] - order[held]
        if step > 0:
            target = min(order[now], order[held] + rules.max_level_step)
            if target < order[now]:
                why.append(
                    reason(
                        "step_limit",
                        level=now,
                        step=step,
                        held=held,
                        most=rules.max_level_step,
                        to=names[target],
                    )
                )
                cause[eid] = "step"
            streak = 1
            for p in past:
                if p.computed in order and order[p.computed] >= target:
                    streak += 1
                else:
                    break
            if held == TRAINEE:
                why.append(reason("graduated", to=names[target]))
                final[eid] = names[target]
            elif streak < rules.promotion_after:
                why.append(
                    reason(
                        "promotion_wait",
                        to=names[target],
                        need=rules.promotion_after,
                        streak=streak,
                        held=held,
                    )
                )
                final[eid], cause[eid] = held, "promotion"
            else:
                why.append(reason("promoted", held=held, to=names[target]))
                final[eid] = names[target]
        elif step < 0:
            below = 1
            for p in past:
                if p.level == held and p.computed in order and order[p.computed] < order[held]:
                    below += 1
                else:
                    break
            if below < rules.demotion_after:
                why.append(reason("improvement", held=held, below=below, need=rules.demotion_after))
                final[eid], cause[eid] = held, "improvement"
            else:
                target = max(order[now], order[held] - rules.max_level_step)
                if target > order[now]:
                    cause[eid] = "step"
                why.append(reason("demoted", held=held, to=names[target], below=below))
                final[eid] = names[target]
        else:
            final[eid] = now
    if moved_by is not None:
        moved_by.update({e: c for e, c in cause.items() if final[e] != computed[e]})
    return final
