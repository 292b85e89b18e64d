"""Checks that need the whole policy: sums, references, feasibility. Exact figures in messages."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from decimal import Decimal
from itertools import pairwise

from amctl.errors import Severity
from amctl.policy.columns import BUILTIN_ALIASES, normalise_header
from amctl.policy.locate import Loc
from amctl.policy.models import Attainment, BandCuts, Banded, BandSplit, Linear, Policy

Check = tuple[Loc, str, str, Severity]
E = Severity.ERROR


def num(value: float | Decimal) -> str:
    """25.0 → '25', 12.5 → '12.5': figures as a person writes them."""
    d = Decimal(str(value)).normalize()
    return f"{d:f}"


def _sum(values: Iterable[float]) -> Decimal:
    return sum((Decimal(str(v)) for v in values), Decimal(0))


def _weights(loc: Loc, what: str, weights: Mapping[str, float]) -> list[Check]:
    total = _sum(weights.values())
    if total == 100:
        return []
    parts = " + ".join(f"{k} {num(w)}" for k, w in weights.items())
    return [(loc, "AMC010", f"{what}: sum is {num(total)}, must be 100 ({parts})", E)]


def semantic_findings(p: Policy) -> list[Check]:
    out: list[Check] = []
    out += _weights(
        ("ability", "indicators"),
        "ability indicator weights",
        {k: i.weight for k, i in p.ability.indicators.items()},
    )
    out += _weights(
        ("performance", "indicators"),
        "performance indicator weights",
        {k: i.weight for k, i in p.performance.indicators.items()},
    )
    out += _weights(
        ("ability", "raters"), "rater weights", {k: r.weight for k, r in p.ability.raters.items()}
    )
    out += _weights(
        ("composite",),
        "composite weights",
        {"ability": p.composite.ability, "performance": p.composite.performance},
    )
    if p.ability.scale.min >= p.ability.scale.max:
        out.append((("ability", "scale"), "AMC013", "scale: min must be below max", E))
    out += _scoring(p)
    out += _columns(p)
    out += _grid(p)
    out += _levels(p)
    out += _bands(p)
    out += _aliases(p)
    if len(set(p.tie_break)) != len(p.tie_break):
        out.append((("tie_break",), "AMC022", "tie_break lists a key twice; list each once", E))
    end = p.metadata.effective_to
    if end is not None and end < p.metadata.effective_from:
        out.append(
            (
                ("metadata", "effective_to"),
                "AMC023",
                f"effective_to {end} is before effective_from {p.metadata.effective_from}",
                E,
            )
        )
    return out


def _scoring(p: Policy) -> list[Check]:
    out: list[Check] = []
    for key, ind in p.performance.indicators.items():
        loc = ("performance", "indicators", key, "score")
        s = ind.score
        if isinstance(s, Linear) and s.from_[0] == s.from_[1]:
            out.append((loc, "AMC013", f"{key}: linear 'from' needs two different values", E))
        if isinstance(s, Banded):
            mins = [b.min for b in s.bands]
            if any(a >= b for a, b in pairwise(mins)):
                shown = ", ".join(num(m) for m in mins)
                out.append(
                    (
                        (*loc, "bands"),
                        "AMC014",
                        f"{key}: band minimums must rise strictly ({shown}); "
                        "sort them and drop repeats",
                        E,
                    )
                )
    return out


def _columns(p: Policy) -> list[Check]:
    known = set(BUILTIN_ALIASES) | set(p.columns)
    out: list[Check] = []
    for key, ind in p.performance.indicators.items():
        loc = ("performance", "indicators", key)
        refs = [("metric", ind.metric)]
        if isinstance(ind.score, Attainment):
            refs.append(("target", ind.score.target))
        for what, col in refs:
            if col not in known:
                out.append(
                    (
                        (*loc, "score", "target") if what == "target" else (*loc, "metric"),
                        "AMC015",
                        f"{key}: {what} column '{col}' is not defined; "
                        f"add '{col}: [its header texts]' under columns:",
                        E,
                    )
                )
    for key, aliases in p.columns.items():
        if not aliases:
            out.append(
                (("columns", key), "AMC015", f"columns.{key} lists no header text; add one", E)
            )
    owner: dict[str, str] = {}
    for field, aliases in p.columns.items():
        for alias in aliases:
            norm = normalise_header(alias)
            if owner.get(norm, field) != field:
                out.append(
                    (
                        ("columns", field),
                        "AMC016",
                        f"header '{alias}' is listed for both {owner[norm]} and {field}; "
                        "one header can mean only one column",
                        E,
                    )
                )
            owner[norm] = field
    return out


def _grid(p: Policy) -> list[Check]:
    out: list[Check] = []
    for axis in ("ability", "performance"):
        lo, hi = getattr(p.grid.cuts, axis)
        if not lo < hi:
            out.append(
                (
                    ("grid", "cuts", axis),
                    "AMC013",
                    f"grid cuts for {axis} must rise: {num(lo)} then {num(hi)}; "
                    "write [low_mid_cut, mid_high_cut]",
                    E,
                )
            )
    return out


def _levels(p: Policy) -> list[Check]:
    out: list[Check] = []
    levels = p.levels
    if not levels:
        return [(("levels",), "AMC017", "no levels defined; define at least one", E)]
    caps = {k: lv.quota.max for k, lv in levels.items()}
    total = _sum(caps.values())
    if total < 100:
        parts = " + ".join(f"{k} {num(c)}" for k, c in caps.items())
        out.append(
            (
                ("levels",),
                "AMC017",
                f"quota caps sum to {num(total)}% ({parts}), so {num(100 - total)}% of "
                "managers could never be placed; raise caps to a sum of at least 100",
                E,
            )
        )
    floors = _sum(lv.quota.min for lv in levels.values())
    if floors > 100:
        out.append((("levels",), "AMC017", f"quota floors sum to {num(floors)}%, above 100%", E))
    for key, lv in levels.items():
        if lv.quota.min > lv.quota.max:
            out.append(
                (
                    ("levels", key, "quota"),
                    "AMC017",
                    f"{key}: quota floor {num(lv.quota.min)}% is above its cap "
                    f"{num(lv.quota.max)}%",
                    E,
                )
            )
        edu = lv.eligibility.min_education
        if edu is not None and edu not in p.education.levels:
            out.append(
                (
                    ("levels", key, "eligibility", "min_education"),
                    "AMC020",
                    f"{key}: education '{edu}' is not in education.levels "
                    f"({', '.join(p.education.levels)})",
                    E,
                )
            )
        if key == "trainee":
            out.append(
                (("levels", key), "AMC018", "'trainee' is reserved; name the level otherwise", E)
            )
    lowest = p.lowest_level
    if levels[lowest].eligibility.model_dump(exclude_defaults=True):
        out.append(
            (
                ("levels", lowest, "eligibility"),
                "AMC019",
                f"the lowest level '{lowest}' has eligibility gates, so a manager who fails "
                "them would have no level; remove its gates",
                E,
            )
        )
    if p.quota.overflow is not None and p.quota.overflow not in levels:
        out.append(
            (
                ("quota", "overflow"),
                "AMC018",
                f"overflow level '{p.quota.overflow}' is not a level ({', '.join(levels)})",
                E,
            )
        )
    for alias, target in p.education.aliases.items():
        if target not in p.education.levels:
            out.append(
                (
                    ("education", "aliases", alias),
                    "AMC020",
                    f"education alias '{alias}' points to '{target}', which is not in "
                    "education.levels",
                    E,
                )
            )
    return out


def _bands(p: Policy) -> list[Check]:
    names, rule = p.bands.names, p.bands.rule
    loc = ("bands", "rule")
    if len(set(names)) != len(names):
        return [(("bands", "names"), "AMC021", "band names repeat; list each once", E)]
    if isinstance(rule, BandSplit):
        if len(rule.shares) != len(names):
            return [
                (
                    loc,
                    "AMC021",
                    f"{len(rule.shares)} shares for {len(names)} bands; give one share per band",
                    E,
                )
            ]
        total = _sum(rule.shares)
        if total != 100:
            return [(loc, "AMC021", f"band shares: sum is {num(total)}, must be 100", E)]
    if isinstance(rule, BandCuts):
        if len(rule.cuts) != len(names) - 1:
            return [
                (
                    loc,
                    "AMC021",
                    f"{len(rule.cuts)} cuts for {len(names)} bands; give one cut fewer than bands",
                    E,
                )
            ]
        if any(a <= b for a, b in zip(rule.cuts, rule.cuts[1:], strict=False)):
            return [(loc, "AMC021", "band cuts must fall strictly (best band first)", E)]
    return []


def _aliases(p: Policy) -> list[Check]:
    """Words used to recognise levels, raters and indicators in the data must be unambiguous."""
    out: list[Check] = []
    groups: list[tuple[Loc, dict[str, list[str]]]] = [
        (
            ("levels",),
            {
                **{k: [k, lv.label, *lv.aliases] for k, lv in p.levels.items()},
                "trainee": ["trainee", p.trainee.label, *p.trainee.aliases],
            },
        ),
        (("ability", "raters"), {k: [k, r.label, *r.aliases] for k, r in p.ability.raters.items()}),
        (
            ("ability", "indicators"),
            {k: [k, i.label, *i.aliases] for k, i in p.ability.indicators.items()},
        ),
    ]
    for loc, words in groups:
        owner: dict[str, str] = {}
        for key, names in words.items():
            for word in names:
                norm = normalise_header(word)
                if owner.get(norm, key) != key:
                    out.append(
                        (
                            (*loc, key),
                            "AMC016",
                            f"'{word}' names both {owner[norm]} and {key}; make each label "
                            "and alias unique",
                            E,
                        )
                    )
                owner[norm] = key
    return out
