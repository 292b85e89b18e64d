"""One self-contained HTML page for the calibration meeting: the grid, tiers against quotas,
org units side by side (those that deviate flagged), pay, and who moved. Inline CSS and SVG,
no script and no network: it opens in any browser, and it can be mailed."""

from __future__ import annotations

import html
import math
from collections.abc import Callable, Sequence
from decimal import Decimal
from pathlib import Path
from typing import Any

from amctl.export.ninebox import svg
from amctl.export.safe import atomic_write
from amctl.labels import titles
from amctl.pipeline.grade import GradeResult
from amctl.pipeline.run import QuarterRun

QUOTA_KEYS = ("level", "label", "cap_pct", "seats", "count", "share_pct", "over")
Z_FLAG = 2.0  # an org unit whose mean composite sits this many standard errors away is flagged

CSS = """
body{font-family:"PingFang SC","Microsoft YaHei","Noto Sans CJK SC",sans-serif;margin:2em}
h1{font-size:1.6em}h2{border-bottom:2px solid #1F4E78;padding-bottom:.2em;margin-top:1.6em}
table{border-collapse:collapse;margin:.6em 0}th,td{border:1px solid #ccc;padding:.3em .6em}
th{background:#1F4E78;color:#fff}td.num{text-align:right}tr.flag td{background:#FCE4D6}
.note{color:#666}.bar{fill:#5B9BD5}.cap{stroke:#C00000;stroke-width:2}
"""


def _e(value: Any) -> str:
    return html.escape(str(value))


def _num(value: Any) -> str:
    if isinstance(value, Decimal):
        return f"{value:,.2f}"
    if isinstance(value, float):
        return f"{value:.2f}"
    return str(value)


def table(
    headers: Sequence[str], rows: Sequence[Sequence[Any]], *, flags: Sequence[bool] = ()
) -> str:
    out = ["<table>", "<tr>" + "".join(f"<th>{_e(h)}</th>" for h in headers) + "</tr>"]
    for i, row in enumerate(rows):
        css = ' class="flag"' if i < len(flags) and flags[i] else ""
        cells = "".join(
            f'<td class="num">{_e(_num(v))}</td>'
            if isinstance(v, int | float | Decimal) and not isinstance(v, bool)
            else f"<td>{_e(v)}</td>"
            for v in row
        )
        out.append(f"<tr{css}>{cells}</tr>")
    out.append("</table>")
    return "\n".join(out)


def _quota_bars(result: GradeResult) -> str:
    width, row_h = 420, 28
    most = max([q.seats for q in result.quota] + [q.count for q in result.quota] + [1])
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" width="{width + 160}" '
        f'height="{row_h * len(result.quota) + 10}" role="img" aria-label="tiers against quotas">'
    ]
    for i, q in enumerate(result.quota):
        y = 5 + i * row_h
        bar = width * q.count / most
        cap = 110 + width * q.seats / most
        parts.append(f'<text x="0" y="{y + 17}" font-size="13">{_e(q.label)}</text>')
        parts.append(f'<rect class="bar" x="110" y="{y + 4}" width="{bar:.1f}" height="16"/>')
        parts.append(f'<line class="cap" x1="{cap:.1f}" x2="{cap:.1f}" y1="{y}" y2="{y + 24}"/>')
        label = f"{q.count} / {q.seats}"
        parts.append(f'<text x="{115 + bar:.1f}" y="{y + 17}" font-size="12">{label}</text>')
    parts.append("</svg>")
    return "\n".join(parts)


def calibration(result: GradeResult) -> list[dict[str, Any]]:
    """Per org unit: head count, levels, mean composite, and whether it deviates."""
    m = result.managers[result.managers["level"] != "trainee"]
    overall = float(m["composite"].mean()) if len(m) else 0.0
    sd = float(m["composite"].std(ddof=0)) if len(m) > 1 else 0.0
    rows = []
    for unit, group in result.managers.groupby("org_unit", sort=True):
        graded = group[group["level"] != "trainee"]
        mean = float(graded["composite"].mean()) if len(graded) else math.nan
        z = (mean - overall) / (sd / math.sqrt(len(graded))) if len(graded) and sd else 0.0
        counts = group["level"].value_counts()
        rows.append(
            {
                "org_unit": unit,
                "managers": len(group),
                **{lv: int(counts.get(lv, 0)) for lv in [*result.policy.policy.levels, "trainee"]},
                "mean": round(mean, 2) if not math.isnan(mean) else None,
                "z": round(z, 2),
                "flag": abs(z) > Z_FLAG,
            }
        )
    return rows


def movements(result: GradeResult) -> list[tuple[str, str, str, str | None, str, str]]:
    """Each manager's move as the run defines it: against the latest recorded quarter, else
    the roster's current tier (the same column the workbooks and explain show)."""
    m = result.managers
    return [
        (str(eid), str(name), str(unit), was, now, str(move))
        for eid, name, unit, was, now, move in zip(
            m.index,
            m["name"],
            m["org_unit"],
            m["previous_tier"],
            m["tier"],
            m["movement"],
            strict=True,
        )
    ]


def _people(run: QuarterRun, title: Callable[[str], str]) -> list[str]:
    """Everyone graded, with the resulting tier, the move and the pay: the meeting's list."""
    m = run.grading.managers
    pay: dict[str, Decimal] = {}
    if run.payroll is not None:
        pay = {str(k): v for k, v in run.payroll.lines["total"].items()}
    keys = ["employee_id", "name", "org_unit", "tier", "tier_label", "previous_tier", "movement"]
    rows = [
        [eid, name, unit, tier, label, was or "", move, pay.get(str(eid), "")]
        for eid, name, unit, tier, label, was, move in zip(
            m.index,
            m["name"],
            m["org_unit"],
            m["tier"],
            m["tier_label"],
            m["previous_tier"],
            m["movement"],
            strict=True,
        )
    ]
    return [
        '<section id="people"><h2>名单 Everyone graded</h2>',
        table([*(title(k) for k in keys), title("total")], rows),
        "</section>",
    ]


def _status(run: QuarterRun) -> list[str]:
    """Whether the page shows a recorded run, and what has changed since it was recorded."""
    if run.source == "recorded" and run.recorded is not None:
        lines = [f"Recorded: run {run.recorded.id} of {run.recorded.recorded_at} (the ledger)."]
        if run.drift:
            lines.append("Changed since it was recorded: " + "; ".join(run.drift.lines()) + ".")
        return lines
    if run.recorded is not None:
        differ = len(run.differences or [])
        return [
            f"Recorded as run {run.recorded.id} of {run.recorded.recorded_at}; this page is "
            f"computed again from today's files and policy, and {differ} manager(s) differ "
            "from the record."
        ]
    if run.period.start is not None:
        return [f"Not recorded: computed from today's files and policy ({run.period.label})."]
    return [f"Computed as of {run.period.end}."]


def render(run: QuarterRun, title: Callable[[str], str]) -> str:
    result, payroll = run.grading, run.payroll
    meta = result.policy.policy.metadata
    head = f"{meta.name} {meta.version} · {result.period.label}"
    graded = result.managers
    parts = [
        "<!doctype html>",
        f'<html lang="{meta.language}"><head><meta charset="utf-8">',
        f"<title>amctl report · {_e(head)}</title><style>{CSS}</style></head><body>",
        f"<h1>客户经理分级报告 · {_e(head)}</h1>",
        '<section id="summary"><h2>概况 Summary</h2>',
        *(f'<p class="note" id="record">{_e(line)}</p>' for line in _status(run)),
        table(
            ["", ""],
            [
                ["policy", f"{meta.name} {meta.version} (sha256 {result.policy.sha256[:12]})"],
                ["as of", result.period.end.isoformat()],
                ["roster rows", result.roster_rows],
                ["graded", len(graded)],
                ["not graded", len(result.blocked)],
            ],
        ),
        "</section>",
        '<section id="grid"><h2>九宫格 9-box</h2>',
        svg(result),
        "</section>",
        '<section id="quotas"><h2>名额 Tiers against quotas</h2>',
        _quota_bars(result),
        table(
            [
                title(k)
                for k in ("level", "label", "cap_pct", "seats", "count", "share_pct", "over")
            ],
            [
                [q.level, q.label, q.cap_pct, q.seats, q.count, round(q.share, 1), q.over]
                for q in result.quota
            ],
        ),
        "</section>",
    ]
    calib = calibration(result)
    levels = [*result.policy.policy.levels, "trainee"]
    parts += [
        '<section id="calibration"><h2>校准 Calibration by org unit</h2>',
        f'<p class="note">A unit is flagged when its mean composite lies more than {Z_FLAG} '
        "standard errors from the company's: check how its raters scored.</p>",
        table(
            [title("org_unit"), title("managers"), *(title(lv) for lv in levels), "mean", "z"],
            [
                [r["org_unit"], r["managers"], *(r[lv] for lv in levels), r["mean"], r["z"]]
                for r in calib
            ],
            flags=[r["flag"] for r in calib],
        ),
        "</section>",
    ]
    parts.append('<section id="payroll"><h2>薪酬 Payroll</h2>')
    if payroll is None:
        parts.append('<p class="note">The policy has no pay section.</p>')
    else:
        for by in ("tier", "org_unit"):
            frame = payroll.summary([by])
            cols = [by, "managers", *payroll.components, "total"]
            parts.append(table([title(c) for c in cols], frame[cols].values.tolist()))
        parts.append(f'<p>Total: <strong id="grand-total">{payroll.grand_total:,.2f}</strong></p>')
    parts.append("</section>")
    moves = movements(result)
    counts = {k: sum(1 for m in moves if m[5] == k) for k in ("up", "down", "same", "new")}
    sources = sorted({str(f) for f in result.managers["previous_from"] if isinstance(f, str)})
    against = ", ".join(
        "the roster's current tiers (现等级)" if s == "roster" else s for s in sources
    )
    parts += [
        '<section id="movements"><h2>变动 Movements</h2>',
        f'<p class="note">Against {_e(against or "nothing: no earlier tier is known")}.</p>',
        table(
            ["up", "down", "same", "new"],
            [[counts["up"], counts["down"], counts["same"], counts["new"]]],
        ),
        table(
            [
                title("employee_id"),
                title("name"),
                title("org_unit"),
                title("previous_tier"),
                title("tier"),
                "move",
            ],
            [
                [eid, name, unit, was or "", now, move]
                for eid, name, unit, was, now, move in moves
                if move in ("up", "down")
            ],
        ),
        "</section>",
        *_people(run, title),
        "</body></html>",
    ]
    return "\n".join(parts) + "\n"


def write(run: QuarterRun, out: Path, *, lang: str | None = None, force: bool = False) -> None:
    from amctl.export.formats import preflight

    sources = [s.path for s in run.grading.sources.values()]
    preflight(out, sources, force=force, formats=(".html", ".htm"))
    policy = run.policy.policy
    text = render(run, titles(policy, lang or policy.metadata.language))

    def save(tmp: Path) -> None:
        tmp.write_text(text, encoding="utf-8")

    atomic_write(out, save, replace=force)
