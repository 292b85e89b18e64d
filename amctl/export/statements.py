"""Per-person documents of a period: the pay slips HR prints and cuts (工资条) and a one-page
grading notice (评定结果通知单) for every manager, as xlsx or as print-ready HTML.

Both come from the period's one run, worded by the label layer; nothing is computed here.
"""

from __future__ import annotations

import html
import tempfile
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path
from typing import Any

from amctl.export.formats import preflight
from amctl.export.safe import atomic_write, neutralise
from amctl.labels import (
    VALUES,
    heading,
    moved,
    names,
    plain,
    reasons_of,
    says,
    shown,
    titles,
    wording,
)
from amctl.pipeline.run import QuarterRun

FORMATS = (".xlsx", ".html", ".htm")
PER_SHEET = 1_000  # notices on one sheet (a sheet keeps at most 1,023 page breaks)


@dataclass(frozen=True)
class Notice:
    """One manager's page: every line already in words, amounts exact."""

    employee_id: str
    name: str
    org_unit: str
    lines: list[tuple[str, str]]  # (label, value) in reading order
    pay: list[tuple[str, Decimal]] = field(default_factory=list)
    total: Decimal | None = None
    reasons: str = ""


@dataclass(frozen=True)
class Slip:
    header: list[str]
    values: list[Any]


def documents(result: QuarterRun, lang: str) -> tuple[list[Slip], list[Notice]]:
    """The slips of everyone paid and the notices of everyone on the roster (graded or not)."""
    policy = result.policy.policy
    word = wording(lang)
    title, show, called = titles(policy, lang), shown(policy, lang), names(policy, lang)
    m = result.grading.managers
    pay = result.payroll
    components = pay.components if pay is not None else []
    slips: list[Slip] = []
    if pay is not None:
        keys = ["employee_id", "name", "org_unit", "tier", "days", *components, "total"]
        lines = pay.lines.reset_index()
        header = [title(k) for k in keys]
        for paid in lines.to_dict("records"):
            slips.append(Slip(header, [show(k, paid.get(k)) for k in keys]))
    cuts = policy.grid.cuts
    band_words = VALUES["band3"]
    at = 0 if lang == "zh" else 1
    notices: list[Notice] = []
    for eid, row in m.iterrows():

        def scored(lo_hi: tuple[float, float], band: Any, value: Any) -> str:
            said = band_words[band][at] if band in band_words else "—"
            cut = f"{word('cuts')} {lo_hi[0]:g} / {lo_hi[1]:g}"
            return f"{_two(value)}（{cut}，{said}{word('band')}）"

        movement = row.get("movement")
        before = row.get("previous_tier")
        lines_ = [
            (word("period"), result.period.label),
            (title("tier"), called.tier(row["tier"])),
            (word("previous"), called.tier(before) if isinstance(before, str) else "—"),
            (word("movement"), show("movement", moved(before, row["tier"], movement)) or "—"),
            (title("ability"), scored(cuts.ability, row["ability_band"], row["ability"])),
            (
                title("performance"),
                scored(cuts.performance, row["performance_band"], row["performance"]),
            ),
            (title("composite"), _two(row["composite"])),
            (word("rank"), _rank(row.get("rank"), m)),
            (word("cell"), _cell(row, word)),
            (word("training"), str(row["training"]) if row.get("training") else word("none")),
        ]
        amounts: list[tuple[str, Decimal]] = []
        total = None
        if pay is not None and eid in pay.lines.index:
            line: dict[str, Any] = {str(k): v for k, v in pay.lines.loc[str(eid)].items()}
            amounts = [(title(c), Decimal(line[c])) for c in components]
            total = Decimal(line["total"])
        notices.append(
            Notice(
                str(eid),
                str(row["name"]),
                str(row.get("org_unit") or ""),
                lines_,
                amounts,
                total,
                says(row["reasons"], lang, called),
            )
        )
    for b in result.grading.blocked:
        notices.append(
            Notice(
                str(b.employee_id or ""),
                str(b.name or ""),
                "",
                [(word("period"), result.period.label), (title("tier"), word("not graded"))],
                reasons=plain(reasons_of(b, lang, result.grading.policy.policy)),
            )
        )
    return slips, notices


def _cell(row: Any, word: Any) -> str:
    """The 9-box cell and its action; a trainee stands outside the grid, as in the report."""
    if row.get("level") == "trainee":
        return str(word("outside_grid"))
    return f"{row['cell']}：{row['action']}" if isinstance(row.get("cell"), str) else "—"


def _two(value: Any) -> str:
    return "—" if value is None or value != value else f"{float(value):.2f}"


def _rank(value: Any, managers: Any) -> str:
    if value is None or str(value) == "<NA>":
        return "—"
    return f"{int(value)} / {int(managers['rank'].notna().sum())}"


def write(
    result: QuarterRun, out: Path, *, force: bool = False, lang: str | None = None
) -> list[str]:
    """Write the slips and notices by suffix: .xlsx (two sheets) or .html (one page each)."""
    sources = [s.path for s in result.grading.sources.values()]
    preflight(out, sources, force=force, formats=FORMATS)
    policy = result.policy.policy
    language = lang or policy.metadata.language
    slips, notices = documents(result, language)
    top = heading(policy, result.period.label, language)
    if out.suffix.lower() == ".xlsx":
        with tempfile.TemporaryDirectory(prefix="amctl-xlsx-") as parts:
            atomic_write(
                out, lambda tmp: _xlsx(tmp, slips, notices, top, language, parts), replace=force
            )
    else:
        page = _html(slips, notices, top, language)

        def text(tmp: Path) -> None:
            tmp.write_text(page, encoding="utf-8")

        atomic_write(out, text, replace=force)
    return []


def _xlsx(
    path: Path, slips: list[Slip], notices: list[Notice], top: str, lang: str, parts: str
) -> None:
    import datetime as dt

    import xlsxwriter

    word = wording(lang)
    book = xlsxwriter.Workbook(str(path), {"tmpdir": parts})
    book.set_properties({"created": dt.datetime(2000, 1, 1), "author": "amctl"})
    bold = book.add_format({"bold": True, "border": 1, "bg_color": "#DDEBF7", "text_wrap": True})
    cell = book.add_format({"border": 1})
    money = book.add_format({"border": 1, "num_format": "#,##0.00"})
    strong = book.add_format({"bold": True, "num_format": "#,##0.00"})
    banner = book.add_format({"bold": True, "font_size": 14})
    wrap = book.add_format({"text_wrap": True, "valign": "top"})

    if slips:  # a policy without pay: the notices alone
        ws = book.add_worksheet(word("slips"))
        ws.write_string(0, 0, neutralise(f"{word('slips')} · {top}"), banner)
        r = 2
        width = 0
        for slip in slips:  # a header, the person's row and a blank row: print, then cut
            width = max(width, len(slip.header))
            for c, head in enumerate(slip.header):
                ws.write_string(r, c, head, bold)
            for c, value in enumerate(slip.values):
                _put(ws, r + 1, c, value, cell, money)
            r += 3
        for c in range(width):
            ws.set_column(c, c, 14)
        _page(ws, landscape=True)
        ws.fit_to_pages(1, 0)

    # one notice a page: a manual break after each (fit-to-page would drop them, and a sheet
    # keeps at most 1,023 breaks, so every 1,000 notices take a sheet of their own)
    for part, start in enumerate(range(0, max(len(notices), 1), PER_SHEET), start=1):
        name = word("notices") + (f" {part}" if len(notices) > PER_SHEET else "")
        ws = book.add_worksheet(name[:31])
        ws.set_column(0, 0, 16)
        ws.set_column(1, 1, 70)
        r = 0
        breaks = []
        for notice in notices[start : start + PER_SHEET]:
            ws.write_string(r, 0, neutralise(f"{word('notice')} · {top}"), banner)
            ws.write_string(r + 1, 0, neutralise(f"{notice.employee_id} {notice.name}"), banner)
            ws.write_string(r + 1, 1, neutralise(notice.org_unit))
            r += 3
            for label, value in notice.lines:
                ws.write_string(r, 0, neutralise(label), bold)
                ws.write_string(r, 1, neutralise(value), wrap)
                r += 1
            if notice.pay:
                r += 1
                ws.write_string(r, 0, word("pay"), banner)
                r += 1
                for label, amount in notice.pay:
                    ws.write_string(r, 0, neutralise(label), bold)
                    ws.write_number(r, 1, float(amount), money)
                    r += 1
                ws.write_string(r, 0, titles_total(lang), bold)
                ws.write_number(r, 1, float(notice.total or 0), strong)
                r += 1
            r += 1
            ws.write_string(r, 0, word("why"), bold)
            ws.write_string(r, 1, neutralise(notice.reasons), wrap)
            r += 2
            ws.write_string(r, 0, word("sign"))
            r += 2
            breaks.append(r)
        ws.set_h_pagebreaks(breaks[:-1])
        _page(ws, landscape=False)
        ws.set_print_scale(90)  # 86 characters across an A4 page, at one notice a page
    book.close()


def titles_total(lang: str) -> str:
    return "合计" if lang == "zh" else "Total"


def _put(ws: Any, r: int, c: int, value: Any, plain: Any, money: Any) -> None:
    if value is None:
        ws.write_blank(r, c, None, plain)
    elif isinstance(value, Decimal):
        ws.write_number(r, c, float(value), money)
    elif isinstance(value, int | float) and not isinstance(value, bool):
        ws.write_number(r, c, value, plain)
    else:
        ws.write_string(r, c, neutralise(str(value)), plain)


def _page(ws: Any, *, landscape: bool) -> None:
    ws.set_paper(9)
    if landscape:
        ws.set_landscape()
    else:
        ws.set_portrait()


CSS = """
@page{size:A4;margin:14mm}
body{font-family:"PingFang SC","Microsoft YaHei","Noto Sans CJK SC",sans-serif;margin:1em;
color:#222}
h1{font-size:1.3em}h2{font-size:1.1em;margin:.2em 0}
table{border-collapse:collapse;width:100%;margin:.3em 0}
th,td{border:1px solid #999;padding:.25em .45em;font-size:.9em;text-align:left}
th{background:#DDEBF7}td.num{text-align:right;font-variant-numeric:tabular-nums}
.slip{margin:0 0 1.2em;break-inside:avoid}.cut{border-top:1px dashed #999;margin-top:.8em}
.notice{break-before:page;max-width:48em}.notice th{width:9em}
.sign{margin-top:2.5em}.why{font-size:.85em;color:#444}
@media print{body{margin:0}.slips{break-after:page}}
@media (max-width:600px){.slips{overflow-x:auto}}
"""


def _html(slips: list[Slip], notices: list[Notice], top: str, lang: str) -> str:
    word = wording(lang)
    e = html.escape
    out = [
        "<!doctype html>",
        f'<html lang="{"zh-CN" if lang == "zh" else "en"}"><head><meta charset="utf-8">',
        '<meta name="viewport" content="width=device-width, initial-scale=1">',
        f"<title>{e(word('slips'))} · {e(top)}</title><style>{CSS}</style></head><body>",
        f'<section class="slips"><h1>{e(word("slips"))} · {e(top)}</h1>',
    ]
    for slip in slips:
        head = "".join(f"<th>{e(h)}</th>" for h in slip.header)
        cells = "".join(_td(v) for v in slip.values)
        out.append(
            f'<div class="slip"><table><tr>{head}</tr><tr>{cells}</tr></table>'
            '<div class="cut"></div></div>'
        )
    out.append("</section>")
    for notice in notices:
        rows = "".join(f"<tr><th>{e(k)}</th><td>{e(v)}</td></tr>" for k, v in notice.lines)
        pay = ""
        if notice.pay:
            lines = "".join(
                f'<tr><th>{e(k)}</th><td class="num">{v:,.2f}</td></tr>' for k, v in notice.pay
            )
            total = notice.total if notice.total is not None else Decimal(0)
            pay = (
                f"<h2>{e(word('pay'))}</h2><table>{lines}<tr><th>{e(titles_total(lang))}</th>"
                f'<td class="num"><b>{total:,.2f}</b></td></tr></table>'
            )
        out.append(
            f'<section class="notice"><h1>{e(word("notice"))}</h1><p>{e(top)}</p>'
            f"<h2>{e(notice.employee_id)} {e(notice.name)} · {e(notice.org_unit)}</h2>"
            f"<table>{rows}</table>{pay}"
            f'<h2>{e(word("why"))}</h2><p class="why">{e(notice.reasons)}</p>'
            f'<p class="sign">{e(word("sign"))}</p></section>'
        )
    out.append("</body></html>")
    return "\n".join(out) + "\n"


def _td(value: Any) -> str:
    if isinstance(value, Decimal):
        return f'<td class="num">{value:,.2f}</td>'
    if isinstance(value, int | float) and not isinstance(value, bool):
        return f'<td class="num">{value}</td>'
    return f"<td>{html.escape('' if value is None else str(value))}</td>"
