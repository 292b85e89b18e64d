"""A policy diff, with its impact, as text, markdown (a pull-request comment) or json.

Pay is private: the markdown names nobody and shows only groups of at least `min_group`
managers; smaller groups are folded into one line. Text and json are for the HR team itself.
"""

from __future__ import annotations

import json
from decimal import Decimal
from typing import Any

from amctl.labels import moved, names, valued, wording
from amctl.pipeline.impact import Impact
from amctl.policy.diff import Change, show
from amctl.policy.loader import LoadedPolicy

FORMATS = ("text", "markdown", "json")


def _money(value: Any) -> str:
    return f"{value:+,.2f}" if isinstance(value, Decimal) else str(value)


def _title(old: LoadedPolicy, new: LoadedPolicy) -> str:
    a, b = old.policy.metadata, new.policy.metadata
    return f"{a.name} {a.version} → {b.name} {b.version}"


def _move(row: Any, lang: str) -> str:
    """The move in words: up / down in English (as scripts read it), 晋升, 升档 … in Chinese."""
    if lang != "zh":
        return str(row["movement"])
    return valued("movement", moved(row["old_tier"], row["new_tier"], row["movement"]), lang)


def as_text(
    old: LoadedPolicy,
    new: LoadedPolicy,
    changes: list[Change],
    impact: Impact | None,
    label: str,
    lang: str = "en",
) -> str:
    """The diff and its impact for the HR team, in `lang`; tiers by their labels in Chinese."""
    word = wording(lang)
    was, now = names(old.policy, lang), names(new.policy, lang)
    lines = [word("diff.title").format(title=_title(old, new), n=len(changes))]
    lines += [f"  {c}   [{c.what_in(lang)}]" for c in changes]
    if impact is not None:
        shifted = impact.moved
        lines.append(
            word("diff.impact").format(period=label, n=len(impact.people), moved=len(shifted))
        )
        for eid, row in shifted.iterrows():
            move = word("diff.moved").format(
                eid=eid,
                name=row["name"],
                unit=row["org_unit"],
                old=was.tier(row["old_tier"]),
                new=now.tier(row["new_tier"]),
                move=_move(row, lang),
            )
            lines.append(f"  {move}")
        if impact.paid:
            old_total = sum(impact.people["old_pay"], Decimal(0))
            new_total = sum(impact.people["new_pay"], Decimal(0))
            pay = word("diff.pay").format(
                old=f"{old_total:,.2f}",
                new=f"{new_total:,.2f}",
                delta=_money(new_total - old_total),
            )
            lines.append(f"  {pay}")
            changed = impact.people[impact.people["delta"] != 0]
            for eid, row in changed.iterrows():
                pay = word("diff.pay_person").format(
                    eid=eid,
                    name=row["name"],
                    old=f"{row['old_pay']:,.2f}",
                    new=f"{row['new_pay']:,.2f}",
                    delta=_money(row["delta"]),
                )
                lines.append(f"  {pay}")
        for by in ("org_unit", "new_tier"):
            lines.append(f"  {word(f'diff.by_{by}')}")
            for rec in impact.groups(by).to_dict("records"):
                group = now.tier(rec[by]) if by == "new_tier" else rec[by]
                moves = word("diff.group").format(
                    group=group, n=rec["managers"], up=rec["up"], down=rec["down"]
                )
                paid = (
                    word("diff.group_pay").format(delta=_money(rec["delta"])) if impact.paid else ""
                )
                lines.append(f"    {moves}{paid}")
    return "\n".join(lines) + "\n"


def as_markdown(
    old: LoadedPolicy,
    new: LoadedPolicy,
    changes: list[Change],
    impact: Impact | None,
    label: str,
    min_group: int,
    lang: str = "en",
) -> str:
    """The pull-request comment, in `lang`: no names, no group under `min_group`."""
    word = wording(lang)
    now = names(new.policy, lang)

    def row(*cells: Any) -> str:
        return "| " + " | ".join(str(c) for c in cells) + " |"

    lines = [word("diff.md_title").format(title=_title(old, new)), ""]
    if changes:
        columns = ("diff.md_setting", "diff.md_before", "diff.md_after", "diff.md_kind")
        lines += ["| " + row(*(word(k) for k in columns)), "|---|---|---|---|---|"]
        sign = {"added": "+", "removed": "−", "changed": "~"}
        for c in changes:
            before = "" if c.old is None else f"`{show(c.old)}`"
            after = "" if c.new is None else f"`{show(c.new)}`"
            lines.append(row(sign[c.kind], f"`{c.path}`", before, after, c.what_in(lang)))
    else:
        lines.append(word("diff.md_no_change"))
    if impact is not None:
        people = impact.people
        lines += ["", word("diff.md_impact").format(period=label), ""]
        lines.append(
            word("diff.md_moves").format(
                n=len(people),
                up=int((people["movement"] == "up").sum()),
                down=int((people["movement"] == "down").sum()),
            )
        )
        if impact.paid:
            total = sum(people["delta"], Decimal(0))
            lines.append(word("diff.md_pay").format(total=_money(total)))
        for by, title in (("org_unit", "diff.md_org_unit"), ("new_tier", "diff.md_tier")):
            heads = [title, "diff.md_managers", "diff.md_up", "diff.md_down"]
            heads += ["diff.md_pay_change"] if impact.paid else []
            lines += [
                "",
                row(*(word(k) for k in heads)),
                "|---|---|---|---|" + ("---|" if impact.paid else ""),
            ]
            small: dict[str, Any] = {"managers": 0, "up": 0, "down": 0, "delta": Decimal(0)}
            for rec in impact.groups(by).to_dict("records"):
                if rec["managers"] < min_group:  # too few people: folded, so nobody is exposed
                    for k in small:
                        small[k] += rec.get(k, 0)
                    continue
                group = now.tier(rec[by]) if by == "new_tier" else rec[by]
                pay = [_money(rec["delta"])] if impact.paid else []
                lines.append(row(group, rec["managers"], rec["up"], rec["down"], *pay))
            if small["managers"]:
                pay = [_money(small["delta"])] if impact.paid else []
                under = word("diff.md_small").format(n=min_group)
                lines.append(row(under, small["managers"], small["up"], small["down"], *pay))
    return "\n".join(lines) + "\n"


def as_json(
    old: LoadedPolicy,
    new: LoadedPolicy,
    changes: list[Change],
    impact: Impact | None,
    label: str,
    lang: str = "en",
) -> str:
    """English keys and values, as scripts read them; the `*_label` fields are in `lang`."""
    was, now = names(old.policy, lang), names(new.policy, lang)
    doc: dict[str, Any] = {
        "old": {
            "file": old.path,
            "name": old.policy.metadata.name,
            "version": old.policy.metadata.version,
            "sha256": old.sha256,
        },
        "new": {
            "file": new.path,
            "name": new.policy.metadata.name,
            "version": new.policy.metadata.version,
            "sha256": new.sha256,
        },
        "changes": [
            {
                "path": c.path,
                "kind": c.kind,
                "what": c.what,
                "what_label": c.what_in(lang),
                "old": c.old,
                "new": c.new,
            }
            for c in changes
        ],
    }
    if impact is not None:
        people = impact.people.reset_index()
        doc["impact"] = {
            "period": label,
            "managers": [
                {k: (str(v) if isinstance(v, Decimal) else v) for k, v in rec.items()}
                for rec in people.to_dict("records")
            ],
            "tier_changes": [
                {
                    "employee_id": eid,
                    "old": row["old_tier"],
                    "new": row["new_tier"],
                    "movement": row["movement"],
                    "old_label": was.tier(row["old_tier"]),
                    "new_label": now.tier(row["new_tier"]),
                    "movement_label": _move(row, lang),
                }
                for eid, row in impact.moved.iterrows()
            ],
        }
    return json.dumps(doc, ensure_ascii=False, indent=2, default=str) + "\n"
