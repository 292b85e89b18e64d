"""A payroll as tables: pay lines, summaries by org unit and tier, the audit facts."""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path
from typing import Any

from amctl.export.formats import Export, Rows, frame_rows, records
from amctl.export.formats import write as write_export
from amctl.payroll import PayrollResult


def line_rows(result: PayrollResult) -> Rows:
    return frame_rows(result.lines)


def summary_rows(result: PayrollResult, by: list[str]) -> Rows:
    columns, rows = frame_rows(result.summary(by).set_index(by))
    total = ["total", *[""] * (len(by) - 1), len(result.lines)]
    total += [sum((r[i] for r in rows), Decimal(0)) for i in range(len(by) + 1, len(columns))]
    return columns, [*rows, total]


def not_paid_rows(result: PayrollResult) -> Rows:
    rows = [[b.employee_id, b.name, str(b.where), "; ".join(b.reasons)] for b in result.blocked]
    return ["employee_id", "name", "place", "reasons"], rows


def audit_rows(result: PayrollResult) -> Rows:
    p = result.policy
    meta = p.policy.metadata
    pay = p.policy.pay
    assert pay is not None
    rows: list[list[Any]] = [
        ["policy", meta.name],
        ["policy version", meta.version],
        ["policy file", p.path],
        ["policy sha256", p.sha256],
        ["quarter", result.period.label],
        ["period", f"{result.period.start} – {result.period.end}"],
        ["currency", pay.currency],
        ["rounding", f"each component to {pay.rounding.quantum}, {pay.rounding.mode}; total = sum"],
        ["managers paid", len(result.lines)],
        ["roster rows not paid", len(result.blocked)],
        ["grand total", result.grand_total],
    ]
    for table, source in result.sources.items():
        rows.append([f"{table} source", str(source)])
    for path, digest in sorted(result.grading.hashes.items()):
        rows.append([f"sha256 {path}", digest])
    for name, text in result.formulas.items():
        per = pay.components[name].per or pay.per
        rows.append([f"formula {name} (per {per})", text])
    return ["key", "value"], rows


def export(result: PayrollResult) -> Export:
    return Export(
        csv=lambda: line_rows(result),
        json=lambda: {
            "run": {k: v for k, v in audit_rows(result)[1] if not str(k).startswith("formula ")},
            "formulas": result.formulas,
            "lines": records(line_rows(result)),
            "by_org_unit": records(summary_rows(result, ["org_unit"])),
            "by_tier": records(summary_rows(result, ["tier"])),
            "not_paid": records(not_paid_rows(result)),
        },
        sheets=lambda: [
            ("payroll", line_rows(result)),
            ("by org unit and tier", summary_rows(result, ["org_unit", "tier"])),
            ("by tier", summary_rows(result, ["tier"])),
            ("not paid", not_paid_rows(result)),
            ("run", audit_rows(result)),
        ],
    )


def write(result: PayrollResult, out: Path, *, force: bool = False) -> None:
    write_export(export(result), out, [s.path for s in result.sources.values()], force=force)
