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

import numpy as np
import pandas as pd

from amctl.engine.tiers import id_order
from amctl.export.ninebox import NAMES_PER_CELL, svg
from amctl.export.safe import atomic_write
from amctl.labels import (
    Names,
    field_word,
    moved,
    moved_column,
    names,
    plain,
    reasons_of,
    say,
    shown,
    titles,
    wording,
)
from amctl.messages import say as say_message
from amctl.pipeline.grade import GradeResult
from amctl.pipeline.run import QuarterRun
from amctl.policy.names import tier_ladder

QUOTA_KEYS = ("level", "label", "cap_pct", "seats", "count", "share_pct", "over")
Z_FLAG = 2.0  # an org unit whose mean composite sits this many standard errors away is flagged
# The most managers one list of the page names (the results, a 9-box's names, the trainees, the
# movers). Past it a list shows its first LISTED and says so: a page of a million rows opens in
# no browser, and the grading table lists everyone.
LISTED = 10_000

CSS = """
*{box-sizing:border-box}
body{font-family:"PingFang SC","Microsoft YaHei","Noto Sans CJK SC",sans-serif;margin:0 auto;
max-width:75em;padding:1em 1.2em;color:#222;line-height:1.45}
h1{font-size:1.5em;margin:.2em 0}h2{border-bottom:2px solid #1F4E78;padding-bottom:.2em;
margin-top:1.4em;font-size:1.2em}h3{font-size:1.05em;margin:.9em 0 .3em}
.scroll{overflow-x:auto;max-width:100%}
table{border-collapse:collapse;margin:.4em 0}th,td{border:1px solid #ccc;padding:.25em .5em;
vertical-align:top;white-space:nowrap}th{background:#1F4E78;color:#fff;font-weight:600;text-align:left}
td.num{text-align:right;font-variant-numeric:tabular-nums;white-space:nowrap}
tr.flag td{background:#FCE4D6}tr.total td{font-weight:700;border-top:2px solid #1F4E78}
.note{color:#555;font-size:.92em}td.why{font-size:.88em;color:#444;white-space:normal;
min-width:16em}
.figures{display:flex;flex-wrap:wrap;gap:.6em;margin:.6em 0}
.figure{border:1px solid #c9d6e3;border-radius:6px;padding:.4em .8em;min-width:7.5em}
.figure b{display:block;font-size:1.35em}.figure span{color:#555;font-size:.85em}
svg{max-width:100%;height:auto}.bar{fill:#5B9BD5}.bar.over{fill:#E46C0A}
.cap{stroke:#C00000;stroke-width:2}
.footer{display:none}
@media (max-width:600px){body{padding:.5em}h1{font-size:1.2em}th,td{font-size:.85em}}
@page{size:A4;margin:14mm 12mm 16mm;
@bottom-center{content:counter(page) " / " counter(pages);font-size:9pt;color:#666}}
@media print{body{max-width:none;padding:0;font-size:10pt}
.scroll{overflow:visible}thead{display:table-header-group}tr{break-inside:avoid}
h2{break-after:avoid}section{break-inside:auto}
.footer{display:block;position:fixed;bottom:0;left:0;right:0;font-size:8pt;color:#666;
text-align:right}}
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
    headers: Sequence[str],
    rows: Sequence[Sequence[Any]],
    *,
    flags: Sequence[bool] = (),
    total: bool = False,
    classes: Sequence[str] = (),
) -> str:
    """A table that scrolls inside its box on a narrow screen (the page never does), with its
    header repeated on every printed page; `total` marks the last row as the totals."""
    out = [
        '<div class="scroll"><table>',
        "<thead><tr>" + "".join(f"<th>{_e(h)}</th>" for h in headers) + "</tr></thead><tbody>",
    ]
    for i, row in enumerate(rows):
        css = []
        if i < len(flags) and flags[i]:
            css.append("flag")
        if total and i == len(rows) - 1:
            css.append("total")
        attr = f' class="{" ".join(css)}"' if css else ""
        cells = "".join(
            f'<td class="num">{_e(_num(v))}</td>'
            if isinstance(v, int | float | Decimal) and not isinstance(v, bool)
            else f'<td class="{classes[j]}">{_e(v)}</td>'
            if j < len(classes) and classes[j]
            else f"<td>{_e(v)}</td>"
            for j, v in enumerate(row)
        )
        out.append(f"<tr{attr}>{cells}</tr>")
    out.append("</tbody></table></div>")
    return "\n".join(out)


def _quota_bars(result: GradeResult, word: Callable[[str], str], called: Names) -> str:
    width, row_h = 420, 30
    most = max([q.seats for q in result.quota] + [q.count for q in result.quota] + [1])
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {width + 200} '
        f'{row_h * len(result.quota) + 10}" width="{width + 200}" role="img" '
        f'aria-label="{_e(word("quotas"))}">'
    ]
    for i, q in enumerate(result.quota):
        y = 5 + i * row_h
        bar = width * q.count / most
        cap = 130 + width * q.seats / most
        over = " over" if q.count > q.seats else ""
        parts.append(f'<text x="0" y="{y + 17}" font-size="13">{_e(called.level(q.level))}</text>')
        parts.append(
            f'<rect class="bar{over}" x="130" y="{y + 4}" width="{bar:.1f}" height="16">'
            f"<title>{_e(_cap_words(q, result, word))}</title></rect>"
        )
        parts.append(f'<line class="cap" x1="{cap:.1f}" x2="{cap:.1f}" y1="{y}" y2="{y + 24}"/>')
        label = f"{q.count} / {q.seats}" + (f" (+{q.count - q.seats})" if over else "")
        parts.append(f'<text x="{135 + bar:.1f}" y="{y + 17}" font-size="12">{label}</text>')
    parts.append("</svg>")
    return "\n".join(parts)


def _cap_words(q: Any, result: GradeResult, word: Callable[[str], str]) -> str:
    """How the cap was reached: its % of the base, rounded by the policy's rule."""
    rounding = result.policy.policy.quota.rounding
    return word("cap_rule").format(
        pct=f"{q.cap_pct:g}", base=q.base, seats=q.seats, rounding=word(f"round_{rounding}")
    )


def calibration(result: GradeResult) -> list[dict[str, Any]]:
    """Per org unit: head count, levels, mean composite, and whether it deviates. The rows
    of each unit are picked from whole columns, not a frame cut for each (0.4 s of a 1M
    report); each mean is pandas' mean of the very values, in their order, as before."""
    every = result.managers
    level = every["level"].to_numpy(dtype=object)
    graded = level != "trainee"
    composite = every["composite"]
    m = composite[graded]
    if not m.notna().any():  # a review that reads no ratings: nothing to compare
        return []
    overall = float(m.mean()) if len(m) else 0.0
    sd = float(m.std(ddof=0)) if len(m) > 1 else 0.0
    units, named = pd.factorize(every["org_unit"], sort=True)  # as groupby orders them
    levels, words = pd.factorize(level)
    counted = np.zeros((len(named), len(words)), dtype=np.int64)
    known = (units >= 0) & (levels >= 0)
    np.add.at(counted, (units[known], levels[known]), 1)
    heads = np.bincount(units[units >= 0], minlength=len(named))
    values = composite.to_numpy()
    # the graded rows grouped by unit, in their order within each (a stable sort): one pass,
    # not a mask over every manager for each unit
    kept = np.flatnonzero(graded & (units >= 0))
    kept = kept[np.argsort(units[kept], kind="stable")]
    bounds = np.searchsorted(units[kept], np.arange(len(named) + 1))
    rows = []
    for u, unit in enumerate(named.tolist()):
        picked = values[kept[bounds[u] : bounds[u + 1]]]
        mean = float(pd.Series(picked, dtype=composite.dtype).mean()) if len(picked) else math.nan
        z = (mean - overall) / (sd / math.sqrt(len(picked))) if len(picked) and sd else 0.0
        counts = dict(zip(words.tolist(), counted[u].tolist(), strict=True))
        rows.append(
            {
                "org_unit": unit,
                "managers": int(heads[u]),
                **{lv: int(counts.get(lv, 0)) for lv in [*result.policy.policy.levels, "trainee"]},
                "mean": round(mean, 2) if not math.isnan(mean) else None,
                "z": round(z, 2),
                "flag": abs(z) > Z_FLAG,
            }
        )
    return rows


def movements(result: GradeResult) -> list[tuple[str, str, str, str | None, str, str]]:
    """The managers who moved up or down, as the run defines a move: against the latest
    recorded quarter, else the roster's current tier (the same column the workbooks and
    explain show)."""
    m = result.managers
    moving = m[m["movement"].isin(("up", "down")).to_numpy(dtype=bool)]
    return [
        (str(eid), str(name), str(unit), was, now, str(move))
        for eid, name, unit, was, now, move in zip(
            moving.index,
            moving["name"],
            moving["org_unit"],
            moving["previous_tier"],
            moving["tier"],
            moving["movement"],
            strict=True,
        )
    ]


def _listed(total: int, word: Callable[[str], str]) -> list[str]:
    """The note under a list cut to its first LISTED, or nothing."""
    if total <= LISTED:
        return []
    text = word("listed").format(shown=f"{LISTED:,}", total=f"{total:,}")
    return [f'<p class="note listed">{_e(text)}</p>']


WHO_MOVED = ("employee_id", "name", "org_unit", "previous_tier", "tier", "movement")
MOVES = ("promoted", "graduated", "band_up", "band_down", "demoted", "same", "new", "changed")
DECIDING = (  # the reason that settled a tier, latest first when a manager has several
    "override",
    "promoted",
    "demoted",
    "promotion_wait",
    "improvement",
    "step_limit",
    "graduated",
    "overflow",
    "seat",
    "trainee",
)


def deciding(reasons: Sequence[Any]) -> Any:
    """The reason that settled the tier: a dynamic rule or an override over the ranking."""
    last = {r.get("code"): r for r in reasons if isinstance(r, dict)}  # each code's last
    for code in DECIDING:
        if code in last:
            return last[code]
    return reasons[-1] if reasons else ""


def _people(run: QuarterRun, lang: str, title: Callable[[str], str]) -> list[str]:
    """Everyone graded, tier by tier: the old tier, the new one, the move, what decided it and
    the pay. The meeting's list: its first LISTED, whose reasons alone are put together."""
    policy = run.grading.policy.policy
    called, show, word = names(policy, lang), shown(policy, lang), wording(lang)
    m = run.grading.managers
    top = _ranked(m, tier_ladder(policy))[:LISTED]
    # the columns of the listed rows as lists, read by position: not the frame a cell at a
    # time, nor a dict per manager (pandas' to_dict was a sixth of the report at 100k)
    listed = m.iloc[top]
    ids = listed.index.tolist()
    name, unit, was, tier, movement = (
        listed[c].tolist() for c in ["name", "org_unit", "previous_tier", "tier", "movement"]
    )
    reasons = list(listed["reasons"])  # put together in one pass over the reasons' steps
    pay: list[Any] = [""] * len(ids)  # a manager not paid: no amount
    if run.payroll is not None:
        at = run.payroll.frame.index.get_indexer(listed.index)
        amounts = run.payroll.picked("total", at[at >= 0])  # the listed rows' alone
        found = iter(amounts.tolist())
        pay = ["" if i < 0 else next(found) for i in at.tolist()]
    out = [f'<section id="people"><h2>{_e(word("results"))}</h2>']
    headers = [
        *(title(k) for k in WHO_MOVED),
        word("deciding"),
        title("total"),
    ]
    rows = [
        [
            str(eid),
            str(name[i]),
            str(unit[i]),
            called.tier(was[i]) if isinstance(was[i], str) else "—",
            called.tier(tier[i]),
            show("movement", moved(was[i], tier[i], movement[i])),
            say(deciding(list(reasons[i])), lang, called),
            pay[i],
        ]
        for i, eid in enumerate(ids)
    ]
    out.append(table(headers, rows, classes=["", "", "", "", "", "", "why", ""]))
    out += _listed(len(m), word)
    out.append("</section>")
    return out


def _ranked(m: pd.DataFrame, ladder: Sequence[str]) -> np.ndarray:
    """The managers' positions in the list's order: the best tier first, then by rank (none
    last), then by id. Sorted as whole columns: a key per manager costs seconds at 1M."""
    order = {t: i for i, t in enumerate(ladder)}
    codes, tiers = pd.factorize(m["tier"], use_na_sentinel=False)
    tier = np.array([order.get(str(t), -1) for t in tiers], dtype=np.int64)[codes]
    ranks = (
        pd.to_numeric(m["rank"], errors="coerce")
        .astype("Float64")
        .to_numpy(dtype=np.float64, na_value=np.inf)
    )
    return np.lexsort((id_order(m.index), ranks, -tier))


def _not_graded(run: QuarterRun, lang: str, title: Callable[[str], str]) -> list[str]:
    word = wording(lang)
    blocked = run.grading.blocked
    out = [f'<section id="not-graded"><h2>{_e(word("not_graded"))} ({len(blocked)})</h2>']
    if not blocked:
        out.append(f'<p class="note">{_e(word("none_blocked"))}</p>')
    else:
        rows = [
            [
                b.employee_id or "—",
                b.name or "",
                plain(str(b.where)),
                plain(reasons_of(b, lang, run.grading.policy.policy)),
            ]
            for b in blocked
        ]
        headers = [title("employee_id"), title("name"), title("place"), title("place_reasons")]
        out.append(table(headers, rows, classes=["", "", "", "why"]))
    out.append("</section>")
    return out


def _status(run: QuarterRun, lang: str = "en") -> list[str]:
    """Whether the page shows a recorded run, and what has changed since it was recorded."""
    zh = lang == "zh"
    if run.source == "recorded" and run.recorded is not None:
        rec = run.recorded
        lines = [
            f"已记录：台账第 {rec.id} 次运行（{rec.recorded_at}）。"
            if zh
            else f"Recorded: run {rec.id} of {rec.recorded_at} (the ledger)."
        ]
        if run.drift:
            changed = ("；" if zh else "; ").join(
                say_message(x, lang, field_word(run.policy.policy)) for x in run.drift.lines()
            )
            lines.append(
                f"记录之后有变化：{changed}。"
                if zh
                else f"Changed since it was recorded: {changed}."
            )
        return lines
    if run.recorded is not None:
        differ = len(run.differences or [])
        rec = run.recorded
        if zh:
            return [
                f"已记录为台账第 {rec.id} 次运行（{rec.recorded_at}）；"
                f"本页按今天的文件和政策重新计算，有 {differ} 人与记录不同。"
            ]
        return [
            f"Recorded as run {rec.id} of {rec.recorded_at}; this page is "
            f"computed again from today's files and policy, and {differ} manager(s) differ "
            "from the record."
        ]
    if run.period.start is not None:
        if zh:
            return [f"未记录：按今天的文件和政策计算（{run.period.label}）。"]
        return [f"Not recorded: computed from today's files and policy ({run.period.label})."]
    return [f"截至 {run.period.end} 计算。" if zh else f"Computed as of {run.period.end}."]


def render(run: QuarterRun, lang: str) -> str:
    result, payroll = run.grading, run.payroll
    policy = result.policy.policy
    meta = policy.metadata
    cuts = policy.grid.cuts
    title, show, called, word = (
        titles(policy, lang),
        shown(policy, lang),
        names(policy, lang),
        wording(lang),
    )
    head = f"{meta.name} {meta.version} · {result.period.label}"
    graded = result.managers
    moves = movements(result)
    fine = pd.Series(  # a level's move apart from a band's
        moved_column(graded["previous_tier"], graded["tier"], graded["movement"]), dtype=object
    ).value_counts()
    counts = {k: int(fine.get(k, 0)) for k in MOVES}
    trainees = graded.loc[graded["level"] == "trainee", ["name"]]
    currency = policy.pay.currency if policy.pay is not None else ""
    figures = [
        (word("roster"), f"{result.roster_rows}"),
        (word("graded"), f"{len(graded)}"),
        (word("not_graded"), f"{len(result.blocked)}"),
        (word("trainees"), f"{len(trainees)}"),
        (word("up"), f"{counts['promoted'] + counts['graduated']}"),
        (word("down"), f"{counts['demoted']}"),
    ]
    if payroll is not None:
        figures.append((word("pay_total"), f"{payroll.grand_total:,.2f} {currency}"))
    printed = word("printed").format(
        policy=meta.name, version=meta.version, period=result.period.label, date=result.period.end
    )
    parts = [
        "<!doctype html>",
        f'<html lang="{"zh-CN" if lang == "zh" else "en"}"><head><meta charset="utf-8">',
        '<meta name="viewport" content="width=device-width, initial-scale=1">',
        f"<title>{_e(word('report'))} · {_e(head)}</title><style>{CSS}</style></head><body>",
        f'<div class="footer">{_e(word("confidential"))} · {_e(printed)}</div>',
        f"<h1>{_e(word('report'))} · {_e(head)}</h1>",
        f'<section id="summary"><h2>{_e(word("headline"))}</h2>',
        '<div class="figures">'
        + "".join(
            f'<div class="figure"><b>{_e(v)}</b><span>{_e(k)}</span></div>' for k, v in figures
        )
        + "</div>",
        *(f'<p class="note" id="record">{_e(line)}</p>' for line in _status(run, lang)),
        f'<p class="note">{_e(printed)} · sha256 {result.policy.sha256[:12]}</p>',
        "</section>",
        *_people(run, lang, title),
        *_not_graded(run, lang, title),
        f'<section id="grid"><h2>{_e(word("grid"))}</h2>',
        svg(
            result,
            lang=lang,
            first=None if len(graded) - len(trainees) <= LISTED else NAMES_PER_CELL,
        ),
        '<p class="note">'
        + _e(
            word("grid_note").format(
                a0=_g(cuts.ability[0]),
                a1=_g(cuts.ability[1]),
                p0=_g(cuts.performance[0]),
                p1=_g(cuts.performance[1]),
            )
        )
        + "</p>",
    ]
    if len(trainees):
        first = trainees["name"].iloc[:LISTED]
        people = "、".join(f"{n}（{e}）" for e, n in first.items())
        parts.append(f'<p class="note">{_e(word("trainee_list"))}{_e(people)}</p>')
        parts += _listed(len(trainees), word)
    parts += [
        "</section>",
        f'<section id="quotas"><h2>{_e(word("quotas"))}</h2>',
        _quota_bars(result, word, called),
        table(
            [title(k) for k in ("level", "cap_pct", "seats", "count", "share_pct", "over")]
            + [word("deciding")],
            [
                [
                    called.level(q.level),
                    f"{q.cap_pct:g}%",
                    q.seats,
                    q.count,
                    f"{q.share:.1f}%",
                    q.over,
                    _cap_words(q, result, word),
                ]
                for q in result.quota
            ]
            + [
                [
                    called.level("trainee"),
                    "—",
                    "—",
                    len(trainees),
                    "—",
                    "—",
                    word("trainee_list").rstrip("：: "),
                ]
            ],
            flags=[q.count > q.seats for q in result.quota] + [False],
        ),
        "</section>",
    ]
    calib = calibration(result)
    levels = [*policy.levels, "trainee"]
    parts += (
        []
        if not calib
        else [
            f'<section id="calibration"><h2>{_e(word("calibration"))}</h2>',
            f'<p class="note">{_e(word("calibration_note").format(z=Z_FLAG))}</p>',
            table(
                [
                    title("org_unit"),
                    title("managers"),
                    *(called.level(lv) for lv in levels),
                    word("mean"),
                    "z",
                ],
                [
                    [r["org_unit"], r["managers"], *(r[lv] for lv in levels), r["mean"], r["z"]]
                    for r in calib
                ],
                flags=[r["flag"] for r in calib],
            ),
            "</section>",
        ]
    )
    money = f" ({currency})" if currency else ""
    parts.append(f'<section id="payroll"><h2>{_e(word("payroll"))}{_e(money)}</h2>')
    if payroll is None:
        parts.append(f'<p class="note">{_e(word("no_pay"))}</p>')
    else:
        for by in ("tier", "org_unit"):
            frame = payroll.summary([by])
            cols = [by, "managers", *payroll.components, "total"]
            rows = [[show(by, r[0]), *r[1:]] for r in frame[cols].values.tolist()]
            sums = payroll.totals()
            rows.append(
                [
                    title("total"),
                    payroll.paid,
                    *(sums[c] for c in [*payroll.components, "total"]),
                ]
            )
            parts.append(table([title(c) for c in cols], rows, total=True))
        parts.append(
            f"<p>{_e(title('total'))}: "
            f'<strong id="grand-total">{payroll.grand_total:,.2f}</strong> {_e(currency)}</p>'
        )
    parts.append("</section>")
    sources = sorted({str(f) for f in pd.unique(graded["previous_from"]) if isinstance(f, str)})
    against = ", ".join(word("against_roster") if s == "roster" else s for s in sources)
    parts += [
        f'<section id="movements"><h2>{_e(word("movements"))}</h2>',
        f'<p class="note">{_e(word("against").format(x=against or word("against_none")))}</p>',
        table(
            [show("movement", k) for k in MOVES if counts[k]],
            [[counts[k] for k in MOVES if counts[k]]],
        ),
        table(
            [title(k) for k in WHO_MOVED],
            [
                [
                    eid,
                    name,
                    unit,
                    called.tier(was) if was else "",
                    called.tier(now),
                    show("movement", moved(was, now, move)),
                ]
                for eid, name, unit, was, now, move in moves[:LISTED]
            ],
        ),
        *_listed(len(moves), word),
        "</section>",
        "</body></html>",
    ]
    return "\n".join(parts) + "\n"


def _g(value: float) -> str:
    return f"{value:g}"


def write(run: QuarterRun, out: Path, *, lang: str | None = None, force: bool = False) -> None:
    from amctl.export.formats import preflight

    sources = [s.path for s in run.grading.sources.values()]
    preflight(out, sources, force=force, formats=(".html", ".htm"))
    policy = run.policy.policy
    text = render(run, lang or policy.metadata.language)

    def save(tmp: Path) -> None:
        tmp.write_text(text, encoding="utf-8")

    atomic_write(out, save, replace=force)
