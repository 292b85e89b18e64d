"""Upgrade an older policy file to the current apiVersion, in place, keeping its comments.

`amctl/v1alpha1` is the draft layout of the design brief: fractions for rater, composite and
quota weights (0.5, 0.20), `quota_max` beside the level, one `grid.cuts` list for both axes,
`bands` as a bare list, scoring written `{attainment: {...}}`, and rural managers under
`adjustments`. Each step below rewrites one of those, node by node, so untouched lines keep
their comments and the result reads as a small, reviewable diff.
"""

from __future__ import annotations

import io
from decimal import Decimal
from typing import Any

from ruamel.yaml.comments import CommentedMap, CommentedSeq

from amctl.messages import Said, said
from amctl.policy.fmt import canonical_yaml
from amctl.policy.loader import OLDER_VERSIONS, parse_yaml
from amctl.policy.models import API_VERSION

OLDER = OLDER_VERSIONS


def _percent(value: Any) -> Any:
    """0.2 → 20, kept an int when whole: the draft wrote shares as fractions."""
    number = Decimal(str(value)) * 100
    return int(number) if number == number.to_integral_value() else float(number)


def _flow(items: dict[str, Any]) -> CommentedMap:
    node = CommentedMap(items)
    node.fa.set_flow_style()
    return node


def migrate_text(text: str, path: str) -> tuple[str, list[Said]]:
    """The upgraded text and what was done, one note per step (worded where shown);
    unchanged for a v1 file."""
    tree = parse_yaml(text, path)
    if not isinstance(tree, CommentedMap) or tree.get("apiVersion") not in OLDER:
        return text, []
    notes = [said("policy.migrate.api_version", old=str(tree["apiVersion"]), new=API_VERSION)]
    tree["apiVersion"] = API_VERSION
    ability = tree.get("ability")
    if isinstance(ability, CommentedMap) and isinstance(ability.get("raters"), CommentedMap):
        for key, value in list(ability["raters"].items()):
            if isinstance(value, int | float):
                ability["raters"][key] = _flow({"label": key, "weight": _percent(value)})
        notes.append(said("policy.migrate.raters"))
    composite = tree.get("composite")
    if isinstance(composite, CommentedMap):
        for key in list(composite):
            composite[key] = _percent(composite[key])
        notes.append(said("policy.migrate.composite"))
    grid = tree.get("grid")
    if isinstance(grid, CommentedMap) and isinstance(grid.get("cuts"), CommentedSeq):
        cuts = list(grid["cuts"])
        grid["cuts"] = _flow({"ability": cuts, "performance": list(cuts)})
        notes.append(said("policy.migrate.grid_cuts"))
    levels = tree.get("levels")
    for level in levels.values() if isinstance(levels, CommentedMap) else []:
        if isinstance(level, CommentedMap) and "quota_max" in level:
            quota = {"max": _percent(level.pop("quota_max"))}
            if "quota_min" in level:
                quota["min"] = _percent(level.pop("quota_min"))
            level.insert(1, "quota", _flow(quota))
            if notes[-1].key != "policy.migrate.quota":
                notes.append(said("policy.migrate.quota"))
    bands = tree.get("bands")
    if isinstance(bands, CommentedSeq):
        n = len(bands)
        shares = [100 // n] * n
        shares[n // 2] += 100 - sum(shares)
        rule = _flow({"method": "split", "shares": shares})
        names = CommentedSeq(list(bands))
        names.fa.set_flow_style()
        tree["bands"] = CommentedMap({"names": names, "rule": rule})
        notes.append(said("policy.migrate.bands", shares=shares))
    performance = tree.get("performance")
    indicators = performance.get("indicators") if isinstance(performance, CommentedMap) else None
    for indicator in indicators.values() if isinstance(indicators, CommentedMap) else []:
        score = indicator.get("score") if isinstance(indicator, CommentedMap) else None
        if isinstance(score, CommentedMap) and "method" not in score and len(score) == 1:
            method, options = next(iter(score.items()))
            indicator["score"] = _flow({"method": method, **dict(options or {})})
            if notes[-1].key != "policy.migrate.scoring":
                notes.append(said("policy.migrate.scoring"))
    pay = tree.get("pay")
    adjustments = pay.get("adjustments") if isinstance(pay, CommentedMap) else None
    if isinstance(adjustments, CommentedSeq):
        for adj in adjustments:
            if isinstance(adj, CommentedMap) and adj.get("when") == "rural":
                tree["pay"]["rural"] = _flow(
                    {"band_step": adj.get("band_step", 1), "at_top": "keep"}
                )
        del tree["pay"]["adjustments"]
        notes.append(said("policy.migrate.rural"))
    buffer = io.StringIO()
    canonical_yaml().dump(tree, buffer)
    return buffer.getvalue(), notes
