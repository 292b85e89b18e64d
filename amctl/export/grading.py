"""A grading result as plain rows, and those rows as csv, json or xlsx. Deterministic bytes."""

from __future__ import annotations

import csv
import datetime as dt
import json
import math
from collections.abc import Sequence
from decimal import Decimal
from pathlib import Path
from typing import Any

import pandas as pd

from amctl.export.safe import atomic_write, check_suffix, check_target, neutralise
from amctl.pipeline import GradeResult

FORMATS = (".csv", ".json", ".xlsx")
Rows = tuple[list[str], list[list[Any]]]


def clean(value: Any) -> Any:
    """Plain Python values: None for every kind of missing, numbers unboxed, reasons joined."""
    if isinstance(value, list):
        return "; ".join(str(v) for v in value)
    if value is None or value is pd.NA or (isinstance(value, float) and math.isnan(value)):
        return None
    if hasattr(value, "item"):  # numpy scalars
        value = value.item()
    return value


def manager_rows(result: GradeResult) -> Rows:
    """Graded managers, then every roster row that was not graded, with its reasons."""
    frame = result.managers.reset_index()
    columns = ["status", *[str(c) for c in frame.columns]]
    rows = [["graded", *(clean(v) for v in rec)] for rec in frame.itertuples(index=False)]
    at = {c: i for i, c in enumerate(columns)}
    for b in result.blocked:
        row: list[Any] = [None] * len(columns)
        row[at["status"]] = "not graded"
        row[at["employee_id"]] = b.employee_id
        row[at["name"]] = b.name
        row[at["reasons"]] = "; ".join(b.reasons)
        rows.append(row)
    return columns, rows


def quota_rows(result: GradeResult) -> Rows:
    columns = ["level", "label", "cap_pct", "seats", "count", "share_pct", "over", "floor_pct"]
    rows = [
        [q.level, q.label, q.cap_pct, q.seats, q.count, round(q.share, 2), q.over, q.floor_pct]
        for q in result.quota
    ]
    return columns, rows


def boundary_rows(result: GradeResult) -> Rows:
    columns = ["level", "last_in", "last_in_composite", "first_out", "first_out_composite"]
    rows = [
        [b.level, b.last_in, b.last_in_composite, b.first_out, b.first_out_composite]
        for b in result.boundaries
    ]
    return columns, rows


def finding_rows(result: GradeResult) -> Rows:
    columns = ["place", "severity", "rule", "message"]
    rows: list[list[Any]] = [
        [str(f.location), f.severity.value, f.rule, f.message] for f in result.findings
    ]
    rows += [["roster: current tiers", "warning", "AMD016", msg] for msg in result.current_quota]
    return columns, rows


def run_rows(result: GradeResult) -> Rows:
    p = result.policy
    meta = p.policy.metadata
    rows: list[list[Any]] = [
        ["policy", meta.name],
        ["policy version", meta.version],
        ["policy file", p.path],
        ["policy sha256", p.sha256],
        ["period", result.period.label],
        ["as of", result.period.end.isoformat()],
        ["roster rows", result.roster_rows],
        ["graded", len(result.managers)],
        ["not graded", len(result.blocked)],
    ]
    for table, source in result.sources.items():
        rows.append([f"{table} source", str(source)])
    for path, digest in sorted(result.hashes.items()):
        rows.append([f"sha256 {path}", digest])
    return ["key", "value"], rows


def preflight(out: Path, inputs: list[Path | None], *, force: bool) -> None:
    """Refuse a bad output before the work: a wrong suffix, a missing folder, an input."""
    check_suffix(out, FORMATS)
    check_target(out, [p for p in inputs if p is not None], force=force)


def write(result: GradeResult, out: Path, *, force: bool = False) -> None:
    check_suffix(out, FORMATS)
    suffix = out.suffix.lower()
    check_target(out, [s.path for s in result.sources.values()], force=force)
    writer = {".csv": _csv, ".json": _json, ".xlsx": _xlsx}[suffix]
    atomic_write(out, lambda tmp: writer(result, tmp))


def _csv(result: GradeResult, path: Path) -> None:
    columns, rows = manager_rows(result)
    # utf-8 with BOM: Excel opens Chinese text correctly only with it
    with path.open("w", encoding="utf-8-sig", newline="") as fh:
        w = csv.writer(fh, lineterminator="\r\n")
        w.writerow(columns)
        for row in rows:
            w.writerow(["" if v is None else neutralise(v) for v in row])


def _records(table: Rows) -> list[dict[str, Any]]:
    columns, rows = table
    return [dict(zip(columns, row, strict=True)) for row in rows]


def _json(result: GradeResult, path: Path) -> None:
    meta = {row[0]: row[1] for row in run_rows(result)[1]}
    doc = {
        "run": meta,
        "managers": _records(manager_rows(result)),
        "quota": _records(quota_rows(result)),
        "boundaries": _records(boundary_rows(result)),
        "findings": _records(finding_rows(result)),
    }
    text = json.dumps(doc, ensure_ascii=False, indent=2, default=_json_default)
    path.write_text(text + "\n", encoding="utf-8")


def _json_default(value: Any) -> Any:
    if isinstance(value, dt.date):
        return value.isoformat()
    raise TypeError(f"cannot write {type(value).__name__} as JSON")


def _xlsx(result: GradeResult, path: Path) -> None:
    write_sheets(
        path,
        [
            ("grading", manager_rows(result)),
            ("quota", quota_rows(result)),
            ("boundaries", boundary_rows(result)),
            ("findings", finding_rows(result)),
            ("run", run_rows(result)),
        ],
    )


def write_sheets(path: Path, sheets: Sequence[tuple[str, Rows]]) -> None:
    """One sheet per table, header bold and frozen; fixed metadata, so the bytes repeat."""
    import xlsxwriter

    book = xlsxwriter.Workbook(str(path), {"nan_inf_to_errors": True})
    # xlsxwriter pins the zip timestamps; pinning the creation date makes the file repeatable
    book.set_properties({"created": dt.datetime(2000, 1, 1), "author": "amctl"})
    formats = {
        "bold": book.add_format({"bold": True}),
        "money": book.add_format({"num_format": "#,##0.00"}),
    }
    for name, (columns, rows) in sheets:
        ws = book.add_worksheet(name[:31])
        for c, title in enumerate(columns):
            ws.write_string(0, c, title, formats["bold"])
        for r, row in enumerate(rows, start=1):
            for c, value in enumerate(row):
                _cell(ws, r, c, value, formats)
        ws.freeze_panes(1, 0)
    book.close()


def _cell(ws: Any, r: int, c: int, value: Any, formats: dict[str, Any]) -> None:
    if value is None:
        return
    if isinstance(value, bool):
        ws.write_boolean(r, c, value)
    elif isinstance(value, Decimal):
        ws.write_number(r, c, float(value), formats["money"])
    elif isinstance(value, int | float):
        ws.write_number(r, c, value)
    else:
        ws.write_string(r, c, neutralise(str(value)))
