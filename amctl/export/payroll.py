"""A payroll as tables: pay lines, summaries by org unit and tier, the audit facts."""

from __future__ import annotations

from dataclasses import replace
from decimal import Decimal
from pathlib import Path

import pandas as pd

from amctl.engine.amounts import Amounts
from amctl.export.formats import Export, frame_table
from amctl.export.formats import write as write_export
from amctl.export.grading import run_rows
from amctl.export.table import Rows, Table, Tick, records, silent
from amctl.labels import heading, reasons_of, shown, titles
from amctl.pipeline.payroll import PayrollResult


def line_table(result: PayrollResult, *, total: bool = False, flat: bool = False) -> Table:
    """One row per manager paid; with `total`, the row summing each money column (the sheet
    people print; csv, parquet and json have the lines only). `flat`, for csv and parquet,
    which write money from its amounts alone: a column pay kept as whole numbers stands in
    the frame as its text, and no Decimal a manager is made for it."""
    made = {c: a for c, a in result.amounts.items() if a is not None}
    frame = result.frame
    lines = (
        pd.DataFrame(
            {c: frame[c] if c in frame else _text(made[c], frame.index) for c in result.columns},
            index=frame.index,
        )
        if flat
        else result.lines
    )
    table = replace(frame_table(lines), amounts=made)  # the amounts as pay made them
    if not total:
        return table
    sums = result.totals()
    row = [
        "total" if i == 0 else sums.get(c) if c in sums else None
        for i, c in enumerate(table.columns)
    ]
    return replace(table, total=row)


def _text(made: Amounts, index: pd.Index) -> pd.Series:
    import pyarrow as pa

    text = made.text.cast(pa.string())  # a dictionary's words, each row's
    return pd.Series(pd.arrays.ArrowStringArray(text), index=index)


def summary_rows(result: PayrollResult, by: list[str]) -> Rows:
    columns, rows = frame_table(result.summary(by).set_index(by)).rows()
    total = ["total", *[""] * (len(by) - 1), result.paid]
    total += [sum((r[i] for r in rows), Decimal(0)) for i in range(len(by) + 1, len(columns))]
    return columns, [*rows, total]


def not_paid_rows(result: PayrollResult, lang: str = "en", *, labelled: bool = False) -> Rows:
    """Who is not paid and why: the reasons in `lang`, or (`labelled`) in English with a
    worded `reasons_label` beside them, as json keeps stable text for scripts."""
    policy = result.policy.policy
    rows = [
        [b.employee_id, b.name, str(b.where), reasons_of(b, "en" if labelled else lang, policy)]
        + ([reasons_of(b, lang, policy)] if labelled else [])
        for b in result.blocked
    ]
    columns = ["employee_id", "name", "place", "reasons"]
    return ([*columns, "reasons_label"] if labelled else columns), rows


def audit_rows(result: PayrollResult, lang: str = "en") -> Rows:
    """The grading run's facts (policy, hashes, sources), then the pay rules and formulas;
    worded in `lang` for a sheet, in English for json."""
    pay = result.policy.policy.pay
    assert pay is not None
    zh = lang == "zh"
    q, mode = pay.rounding.quantum, pay.rounding.mode
    rows = run_rows(result.grading)[1]
    rows += [
        ["quarter dates", f"{result.period.start} – {result.period.end}"],
        ["currency", pay.currency],
        [
            "rounding",
            f"各项取至 {q}（{mode}），合计为各项之和"
            if zh
            else f"each component to {q}, {mode}; total = sum",
        ],
        ["managers paid", result.paid],
        ["grand total", result.grand_total],
    ]
    for name, text in result.formulas.items():
        component = pay.components[name]
        per = component.per or pay.per
        if zh:
            rows.append(
                [f"公式 {component.label or name}（每{'月' if per == 'month' else '季度'}）", text]
            )
        else:
            rows.append([f"formula {name} (per {per})", text])
    return ["key", "value"], rows


def export(result: PayrollResult, lang: str | None = None) -> Export:
    policy = result.policy.policy
    language = lang or policy.metadata.language
    return Export(
        flat=lambda: line_table(result, flat=True),
        json=lambda: {
            "run": {k: v for k, v in audit_rows(result)[1] if not str(k).startswith("formula ")},
            "formulas": result.formulas,
            "lines": line_table(result),  # written a column at a time
            "by_org_unit": records(summary_rows(result, ["org_unit"])),
            "by_tier": records(summary_rows(result, ["tier"])),
            "not_paid": records(not_paid_rows(result, language, labelled=True)),
        },
        sheets=lambda: [
            ("payroll", line_table(result, total=True)),
            (
                "by org unit and tier",
                Table.of(summary_rows(result, ["org_unit", "tier"]), total=True),
            ),
            ("by tier", Table.of(summary_rows(result, ["tier"]), total=True)),
            ("not paid", Table.of(not_paid_rows(result, language))),
            ("run", Table.of(audit_rows(result, language))),
        ],
        title=titles(policy, lang or policy.metadata.language),
        show=shown(policy, lang or policy.metadata.language),
        heading=heading(policy, result.period.label, lang or policy.metadata.language),
        lang=language,
    )


def write(
    result: PayrollResult,
    out: Path,
    *,
    force: bool = False,
    lang: str | None = None,
    tick: Tick = silent,
) -> list[str]:
    sources = [s.path for s in result.sources.values()]
    return write_export(export(result, lang), out, sources, force=force, tick=tick)
