"""A policy diff, with its impact, as text, markdown (a pull-request comment) or json.

Pay is private: the markdown names nobody and shows only groups of at least `min_group`
managers; smaller groups are folded into one line. Text and json are for the HR team itself.
"""

from __future__ import annotations

import json
from decimal import Decimal
from typing import Any

from amctl.pipeline.impact import Impact
from amctl.policy.diff import Change, show
from amctl.policy.loader import LoadedPolicy

FORMATS = ("text", "markdown", "json")


def _money(value: Any) -> str:
    return f"{value:+,.2f}" if isinstance(value, Decimal) else str(value)


def _title(old: LoadedPolicy, new: LoadedPolicy) -> str:
    a, b = old.policy.metadata, new.policy.metadata
    return f"{a.name} {a.version} → {b.name} {b.version}"


def as_text(
    old: LoadedPolicy, new: LoadedPolicy, changes: list[Change], impact: Impact | None, label: str
) -> str:
    lines = [f"policy {_title(old, new)}: {len(changes)} change(s)"]
    lines += [f"  {c}   [{c.what}]" for c in changes]
    if impact is not None:
        moved = impact.moved
        lines.append(f"impact on {label}: {len(impact.people)} managers, {len(moved)} change tier")
        for eid, row in moved.iterrows():
            move = f"{row['old_tier']} → {row['new_tier']} ({row['movement']})"
            lines.append(f"  {eid} {row['name']} ({row['org_unit']}): {move}")
        if impact.paid:
            old_total = sum(impact.people["old_pay"], Decimal(0))
            new_total = sum(impact.people["new_pay"], Decimal(0))
            lines.append(
                f"  pay: {old_total:,.2f} → {new_total:,.2f} ({_money(new_total - old_total)})"
            )
            changed = impact.people[impact.people["delta"] != 0]
            for eid, row in changed.iterrows():
                pay = f"{row['old_pay']:,.2f} → {row['new_pay']:,.2f} ({_money(row['delta'])})"
                lines.append(f"  {eid} {row['name']}: {pay}")
        for by in ("org_unit", "new_tier"):
            lines.append(f"  by {by.replace('_', ' ')}:")
            for rec in impact.groups(by).to_dict("records"):
                pay = f", pay {_money(rec['delta'])}" if impact.paid else ""
                moves = f"{rec['managers']} managers, {rec['up']} up, {rec['down']} down"
                lines.append(f"    {rec[by]}: {moves}{pay}")
    return "\n".join(lines) + "\n"


def as_markdown(
    old: LoadedPolicy,
    new: LoadedPolicy,
    changes: list[Change],
    impact: Impact | None,
    label: str,
    min_group: int,
) -> str:
    lines = [f"### Policy change: {_title(old, new)}", ""]
    if changes:
        lines += ["| | setting | before | after | kind |", "|---|---|---|---|---|"]
        sign = {"added": "+", "removed": "−", "changed": "~"}
        for c in changes:
            before = "" if c.old is None else f"`{show(c.old)}`"
            after = "" if c.new is None else f"`{show(c.new)}`"
            lines.append(f"| {sign[c.kind]} | `{c.path}` | {before} | {after} | {c.what} |")
    else:
        lines.append("No change in meaning.")
    if impact is not None:
        people = impact.people
        lines += ["", f"### Impact on {label}", ""]
        lines.append(
            f"{len(people)} managers: {int((people['movement'] == 'up').sum())} move up, "
            f"{int((people['movement'] == 'down').sum())} move down."
        )
        if impact.paid:
            total = sum(people["delta"], Decimal(0))
            lines.append(f"Quarterly pay changes by {_money(total)} in all.")
        for by, title in (("org_unit", "org unit"), ("new_tier", "tier")):
            lines += [
                "",
                f"| {title} | managers | up | down |" + (" pay change |" if impact.paid else ""),
                "|---|---|---|---|" + ("---|" if impact.paid else ""),
            ]
            small: dict[str, Any] = {"managers": 0, "up": 0, "down": 0, "delta": Decimal(0)}
            for rec in impact.groups(by).to_dict("records"):
                if rec["managers"] < min_group:  # too few people: folded, so nobody is exposed
                    for k in small:
                        small[k] += rec.get(k, 0)
                    continue
                pay = f" {_money(rec['delta'])} |" if impact.paid else ""
                lines.append(
                    f"| {rec[by]} | {rec['managers']} | {rec['up']} | {rec['down']} |{pay}"
                )
            if small["managers"]:
                pay = f" {_money(small['delta'])} |" if impact.paid else ""
                counts = f"{small['managers']} | {small['up']} | {small['down']}"
                lines.append(f"| groups under {min_group} | {counts} |{pay}")
    return "\n".join(lines) + "\n"


def as_json(
    old: LoadedPolicy, new: LoadedPolicy, changes: list[Change], impact: Impact | None, label: str
) -> str:
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
            {"path": c.path, "kind": c.kind, "what": c.what, "old": c.old, "new": c.new}
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
                }
                for eid, row in impact.moved.iterrows()
            ],
        }
    return json.dumps(doc, ensure_ascii=False, indent=2, default=str) + "\n"
