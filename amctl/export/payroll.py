"""A payroll as csv, json or xlsx: lines, summaries by org unit and tier, and the audit sheet."""

from __future__ import annotations

import csv
import datetime as dt
import json
from decimal import Decimal
from pathlib import Path
from typing import Any

from amctl.export.grading import FORMATS, Rows, clean, write_sheets
from amctl.export.safe import atomic_write, check_suffix, check_target, neutralise
from amctl.payroll import PayrollResult


def line_rows(result: PayrollResult) -> Rows:
    frame = result.lines.reset_index()
    columns = [str(c) for c in frame.columns]
    return columns, [[clean(v) for v in rec] for rec in frame.itertuples(index=False)]


def summary_rows(result: PayrollResult, by: list[str]) -> Rows:
    frame = result.summary(by)
    columns = [str(c) for c in frame.columns]
    rows = [[clean(v) for v in rec] for rec in frame.itertuples(index=False)]
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


def write(result: PayrollResult, out: Path, *, force: bool = False) -> None:
    check_suffix(out, FORMATS)
    suffix = out.suffix.lower()
    check_target(out, [s.path for s in result.sources.values()], force=force)
    writer = {".csv": _csv, ".json": _json, ".xlsx": _xlsx}[suffix]
    atomic_write(out, lambda tmp: writer(result, tmp))


def _csv(result: PayrollResult, path: Path) -> None:
    columns, rows = line_rows(result)
    with path.open("w", encoding="utf-8-sig", newline="") as fh:
        w = csv.writer(fh, lineterminator="\r\n")
        w.writerow(columns)
        for row in rows:
            w.writerow(["" if v is None else neutralise(v) for v in row])


def _json(result: PayrollResult, path: Path) -> None:
    def records(table: Rows) -> list[dict[str, Any]]:
        columns, rows = table
        return [dict(zip(columns, row, strict=True)) for row in rows]

    doc = {
        "run": {k: v for k, v in audit_rows(result)[1] if not str(k).startswith("formula ")},
        "formulas": result.formulas,
        "lines": records(line_rows(result)),
        "by_org_unit": records(summary_rows(result, ["org_unit"])),
        "by_tier": records(summary_rows(result, ["tier"])),
        "not_paid": records(not_paid_rows(result)),
    }
    text = json.dumps(doc, ensure_ascii=False, indent=2, default=_default)
    path.write_text(text + "\n", encoding="utf-8")


def _default(value: Any) -> Any:
    if isinstance(value, Decimal):
        return str(value)  # money as exact text: "1234.50", never a binary float
    if isinstance(value, dt.date):
        return value.isoformat()
    raise TypeError(f"cannot write {type(value).__name__} as JSON")


def _xlsx(result: PayrollResult, path: Path) -> None:
    write_sheets(
        path,
        [
            ("payroll", line_rows(result)),
            ("by org unit and tier", summary_rows(result, ["org_unit", "tier"])),
            ("by tier", summary_rows(result, ["tier"])),
            ("not paid", not_paid_rows(result)),
            ("run", audit_rows(result)),
        ],
    )
