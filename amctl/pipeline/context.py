"""Quarter over quarter: the workspace's ledger and overrides around one grading run."""

from __future__ import annotations

import json
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path
from typing import Any

from amctl.engine.dynamics import Past
from amctl.ledger.store import Ledger, Recorded, ledger_path
from amctl.pipeline.grade import GradeResult
from amctl.pipeline.payroll import PayrollResult
from amctl.policy.overrides import Overrides, load_overrides, overrides_path


def workspace_for(start: Path, explicit: Path | None = None) -> Path:
    """The folder holding policies/ or data/ at or above `start`, else the current folder."""
    if explicit is not None:
        return explicit
    here = start.resolve()
    for folder in [here if here.is_dir() else here.parent, *here.parents]:
        if (
            (folder / "policies").is_dir()
            or (folder / "data").is_dir()
            or (folder / ".amctl").is_dir()
        ):
            return folder
    return Path.cwd()


@dataclass
class Context:
    """What a quarter's grading needs from the workspace besides the quarter's files."""

    history: dict[str, list[Past]]
    previous: str | None  # the latest recorded quarter before this one
    overrides: Overrides | None


def context(workspace: Path, quarter: str) -> Context:
    history: dict[str, list[Past]] = {}
    previous = None
    path = ledger_path(workspace)
    if path.exists():
        ledger = Ledger(path)
        try:
            history = ledger.history_before(quarter)
            earlier = [q for q in ledger.quarters() if q < quarter]
            previous = earlier[-1] if earlier else None
        finally:
            ledger.close()
    file = overrides_path(workspace, quarter)
    overrides = load_overrides(file) if file.exists() else None
    return Context(history, previous, overrides)


def _money(value: Any) -> str | None:
    return None if value is None else str(value)


def rows(grading: GradeResult, payroll: PayrollResult | None) -> list[dict[str, Any]]:
    """One ledger row per graded manager: scores, tier, the computed level, pay, reasons."""
    m = grading.managers
    lines: dict[str, dict[str, Any]] | None = None
    if payroll is not None:
        lines = {str(k): {str(c): v for c, v in r.items()} for k, r in payroll.lines.iterrows()}
    components = payroll.components if payroll is not None else []
    out = []
    for eid, row in m.iterrows():
        line = lines[str(eid)] if lines is not None else {}
        pay = {c: str(line[c]) for c in components}
        out.append(
            {
                "employee_id": str(eid),
                "name": row["name"],
                "org_unit": row["org_unit"],
                "level": row["level"],
                "band": row["band"],
                "tier": row["tier"],
                "computed_level": row["computed_level"],
                "ability": _float(row["ability"]),
                "performance": _float(row["performance"]),
                "composite": _float(row["composite"]),
                "pay": json.dumps(pay, ensure_ascii=False) if pay else None,
                "total": _money(line.get("total")),
                "reasons": json.dumps(list(row["reasons"]), ensure_ascii=False),
            }
        )
    return out


def _float(value: Any) -> float | None:
    try:
        number = float(value)
    except (TypeError, ValueError):
        return None
    return None if number != number else number  # NaN → None


def record(
    workspace: Path,
    grading: GradeResult,
    payroll: PayrollResult | None,
    *,
    replace: bool = False,
    reason: str | None = None,
) -> Recorded:
    p = grading.policy
    meta = p.policy.metadata
    text = Path(p.path).read_text(encoding="utf-8") if Path(p.path).exists() else ""
    ledger = Ledger(ledger_path(workspace))
    try:
        return ledger.record(
            grading.period.label,
            (meta.name, meta.version, p.sha256, text),
            dict(sorted(grading.hashes.items())),
            rows(grading, payroll),
            replace=replace,
            reason=reason,
        )
    finally:
        ledger.close()


@dataclass(frozen=True)
class Difference:
    employee_id: str
    name: str
    old_tier: str | None
    new_tier: str | None
    old_total: Decimal | None
    new_total: Decimal | None

    @property
    def back_pay(self) -> Decimal | None:
        if self.old_total is None or self.new_total is None:
            return None
        return self.new_total - self.old_total


def differences(
    workspace: Path, grading: GradeResult, payroll: PayrollResult | None
) -> list[Difference] | None:
    """Against the recorded quarter: who would be graded or paid otherwise. None: not recorded."""
    path = ledger_path(workspace)
    if not path.exists():
        return None
    ledger = Ledger(path)
    try:
        recorded = {r.employee_id: r for r in ledger.rows(quarter=grading.period.label)}
    finally:
        ledger.close()
    if not recorded:
        return None
    now = {r["employee_id"]: r for r in rows(grading, payroll)}
    out = []
    for eid in sorted(set(recorded) | set(now)):
        old, new = recorded.get(eid), now.get(eid)
        old_total = Decimal(old.total) if old and old.total else None
        new_total = Decimal(new["total"]) if new and new["total"] else None
        old_tier = old.tier if old else None
        new_tier = new["tier"] if new else None
        if old_tier != new_tier or old_total != new_total:
            name = new["name"] if new else (old.name if old else "")
            out.append(Difference(eid, str(name), old_tier, new_tier, old_total, new_total))
    return out
