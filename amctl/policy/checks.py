"""Checks that need the whole policy: sums, references, feasibility. Exact figures in messages."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from decimal import Decimal
from itertools import pairwise

from amctl.errors import Severity
from amctl.messages import Said, said
from amctl.policy.columns import BUILTIN_ALIASES, normalise_header
from amctl.policy.locate import Loc
from amctl.policy.models import Attainment, BandCuts, Banded, BandSplit, Column, Linear, Policy

Check = tuple[Loc, str, Said, Severity]
E = Severity.ERROR


def num(value: float | Decimal) -> str:
    """25.0 → '25', 12.5 → '12.5': figures as a person writes them."""
    d = Decimal(str(value)).normalize()
    return f"{d:f}"


def _sum(values: Iterable[float]) -> Decimal:
    return sum((Decimal(str(v)) for v in values), Decimal(0))


def _weights(loc: Loc, what: Said, weights: Mapping[str, float]) -> list[Check]:
    total = _sum(weights.values())
    if total == 100:
        return []
    parts = " + ".join(f"{k} {num(w)}" for k, w in weights.items())
    return [
        (loc, "AMC010", said("policy.weights_sum", what=what, total=num(total), parts=parts), E)
    ]


def semantic_findings(p: Policy) -> list[Check]:
    out: list[Check] = []
    out += _weights(
        ("ability", "indicators"),
        said("policy.weights.ability"),
        {k: i.weight for k, i in p.ability.indicators.items()},
    )
    out += _weights(
        ("performance", "indicators"),
        said("policy.weights.performance"),
        {k: i.weight for k, i in p.performance.indicators.items()},
    )
    out += _weights(
        ("ability", "raters"),
        said("policy.weights.raters"),
        {k: r.weight for k, r in p.ability.raters.items()},
    )
    out += _weights(
        ("composite",),
        said("policy.weights.composite"),
        {"ability": p.composite.ability, "performance": p.composite.performance},
    )
    if p.ability.scale.min >= p.ability.scale.max:
        out.append((("ability", "scale"), "AMC013", said("policy.scale_order"), E))
    out += _scoring(p)
    out += _columns(p)
    out += _grid(p)
    out += _levels(p)
    out += _bands(p)
    out += _aliases(p)
    if len(set(p.tie_break)) != len(p.tie_break):
        out.append((("tie_break",), "AMC022", said("policy.tie_break_repeat"), E))
    end = p.metadata.effective_to
    if end is not None and end < p.metadata.effective_from:
        out.append(
            (
                ("metadata", "effective_to"),
                "AMC023",
                said("policy.dates_reversed", end=str(end), start=str(p.metadata.effective_from)),
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
            out.append((loc, "AMC013", said("policy.linear_same", item=key), E))
        if isinstance(s, Banded):
            mins = [b.min for b in s.bands]
            if any(a >= b for a, b in pairwise(mins)):
                shown = ", ".join(num(m) for m in mins)
                out.append(
                    (
                        (*loc, "bands"),
                        "AMC014",
                        said("policy.bands_not_rising", item=key, shown=shown),
                        E,
                    )
                )
    return out


# names the grading computes for every manager: a column of the policy's own must not hide one
RESERVED = frozenset(
    {
        "composite",
        "ability",
        "performance",
        "years_in_post",
        "months_in_post",
        "trainee",
        "tier",
        "pay_band",
        "pay_tier",
        "ability_band",
        "performance_band",
        "cell",
        "action",
        "current_level",
        "current_band",
        "source_row",
        "ok",
    }
)


def _columns(p: Policy) -> list[Check]:
    known = set(BUILTIN_ALIASES) | set(p.columns)
    out: list[Check] = []
    for key, ind in p.performance.indicators.items():
        loc = ("performance", "indicators", key)
        refs = [("metric", ind.metric)]
        if isinstance(ind.score, Attainment):
            refs.append(("target", ind.score.target))
        for what, col in refs:
            where = (*loc, "score", "target") if what == "target" else (*loc, "metric")
            if col not in known:
                out.append(
                    (
                        where,
                        "AMC015",
                        said("policy.column_undefined", item=key, what=what, col=col),
                        E,
                    )
                )
            elif col in p.columns and col not in BUILTIN_ALIASES:
                spec = p.columns[col]
                if spec.type != "number" or spec.source != "performance":
                    what_said = said(
                        "policy.column_not_a_metric",
                        item=key,
                        what=what,
                        col=col,
                        type=spec.type,
                        table=spec.source,
                    )
                    out.append((where, "AMC015", what_said, E))
    for key, column in p.columns.items():
        at = ("columns", key)
        if not column.aliases:
            out.append((at, "AMC015", said("policy.column_no_header", item=key), E))
        if key in BUILTIN_ALIASES and column != Column(aliases=column.aliases):
            out.append((at, "AMC006", said("policy.column_builtin_long", item=key), E))
        reserved = key in RESERVED or key.startswith(("ability_", "performance_"))
        if key not in BUILTIN_ALIASES and reserved:
            out.append((at, "AMC016", said("policy.column_reserved", item=key), E))
        seen: set[str] = set()
        for value in column.choices or []:
            if value in seen:
                out.append(
                    ((*at, "choices"), "AMC016", said("policy.choices_twice", value=value), E)
                )
            seen.add(value)
    builtin = {normalise_header(w): f for f, words in BUILTIN_ALIASES.items() for w in words}
    owner: dict[str, str] = {}
    for field, column in p.columns.items():
        for alias in column.aliases:
            norm = normalise_header(alias)
            if field not in BUILTIN_ALIASES and builtin.get(norm, field) != field:
                message = said(
                    "policy.header_builtin", alias=alias, builtin=builtin[norm], item=field
                )
                out.append((("columns", field), "AMC016", message, E))
            norm = normalise_header(alias)
            if owner.get(norm, field) != field:
                out.append(
                    (
                        ("columns", field),
                        "AMC016",
                        said("policy.header_twice", alias=alias, first=owner[norm], second=field),
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
                    said("policy.grid_cuts_order", axis=axis, low=num(lo), high=num(hi)),
                    E,
                )
            )
    return out


def _levels(p: Policy) -> list[Check]:
    out: list[Check] = []
    levels = p.levels
    if not levels:
        return [(("levels",), "AMC017", said("policy.no_levels"), E)]
    caps = {k: lv.quota.max for k, lv in levels.items()}
    total = _sum(caps.values())
    if total < 100:
        parts = " + ".join(f"{k} {num(c)}" for k, c in caps.items())
        out.append(
            (
                ("levels",),
                "AMC017",
                said("policy.caps_short", total=num(total), parts=parts, gap=num(100 - total)),
                E,
            )
        )
    floors = _sum(lv.quota.min for lv in levels.values())
    if floors > 100:
        out.append((("levels",), "AMC017", said("policy.floors_over", total=num(floors)), E))
    for key, lv in levels.items():
        if lv.quota.min > lv.quota.max:
            out.append(
                (
                    ("levels", key, "quota"),
                    "AMC017",
                    said(
                        "policy.floor_above_cap",
                        item=key,
                        floor=num(lv.quota.min),
                        cap=num(lv.quota.max),
                    ),
                    E,
                )
            )
        edu = lv.eligibility.min_education
        if edu is not None and edu not in p.education.levels:
            out.append(
                (
                    ("levels", key, "eligibility", "min_education"),
                    "AMC020",
                    said(
                        "policy.education_unknown",
                        item=key,
                        education=edu,
                        levels=list(p.education.levels),
                    ),
                    E,
                )
            )
        if key == "trainee":
            out.append((("levels", key), "AMC018", said("policy.trainee_reserved"), E))
    lowest = p.lowest_level
    if levels[lowest].eligibility.model_dump(exclude_defaults=True):
        out.append(
            (
                ("levels", lowest, "eligibility"),
                "AMC019",
                said("policy.lowest_gated", level=lowest),
                E,
            )
        )
    if p.quota.overflow is not None and p.quota.overflow not in levels:
        out.append(
            (
                ("quota", "overflow"),
                "AMC018",
                said("policy.overflow_unknown", level=p.quota.overflow, levels=list(levels)),
                E,
            )
        )
    for alias, target in p.education.aliases.items():
        if target not in p.education.levels:
            out.append(
                (
                    ("education", "aliases", alias),
                    "AMC020",
                    said("policy.education_alias_unknown", alias=alias, target=target),
                    E,
                )
            )
    return out


def _bands(p: Policy) -> list[Check]:
    names, rule = p.bands.names, p.bands.rule
    loc = ("bands", "rule")
    if len(set(names)) != len(names):
        return [(("bands", "names"), "AMC021", said("policy.band_names_repeat"), E)]
    if isinstance(rule, BandSplit):
        if len(rule.shares) != len(names):
            return [
                (
                    loc,
                    "AMC021",
                    said("policy.shares_count", shares=len(rule.shares), bands=len(names)),
                    E,
                )
            ]
        total = _sum(rule.shares)
        if total != 100:
            return [(loc, "AMC021", said("policy.shares_sum", total=num(total)), E)]
    if isinstance(rule, BandCuts):
        if len(rule.cuts) != len(names) - 1:
            return [
                (
                    loc,
                    "AMC021",
                    said("policy.cuts_count", cuts=len(rule.cuts), bands=len(names)),
                    E,
                )
            ]
        if any(a <= b for a, b in zip(rule.cuts, rule.cuts[1:], strict=False)):
            return [(loc, "AMC021", said("policy.cuts_not_falling"), E)]
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
                            said("policy.word_twice", word=word, first=owner[norm], second=key),
                            E,
                        )
                    )
                owner[norm] = key
    return out
