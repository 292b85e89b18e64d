"""The 9-box: ability up, performance across, with the count and the names in each cell.

The grid is drawn once as plain data (`cells`) and then as a PNG (matplotlib) or as inline SVG
for the HTML report. Chinese names need a Chinese font; when the machine has none, the PNG
shows employee ids instead of names and says so, rather than drawing empty boxes.
"""

from __future__ import annotations

import contextlib
import html
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from amctl.pipeline.grade import GradeResult

AXES = ("low", "mid", "high")
CJK_FONTS = (
    "Noto Sans CJK SC",
    "Noto Sans SC",
    "Source Han Sans SC",
    "Source Han Sans CN",
    "WenQuanYi Zen Hei",
    "WenQuanYi Micro Hei",
    "Microsoft YaHei",
    "SimHei",
    "PingFang SC",
    "Heiti SC",
    "Droid Sans Fallback",
)
NAMES_PER_CELL = 20
COLOURS = {  # ability band, performance band → fill: greener up and to the right
    ("high", "high"): "#63BE7B",
    ("high", "mid"): "#A9D18E",
    ("mid", "high"): "#A9D18E",
    ("high", "low"): "#FFE699",
    ("mid", "mid"): "#E2EFDA",
    ("low", "high"): "#FFE699",
    ("mid", "low"): "#F8CBAD",
    ("low", "mid"): "#F8CBAD",
    ("low", "low"): "#F4B183",
}


@dataclass(frozen=True)
class Cell:
    ability: str
    performance: str
    label: str
    action: str
    people: list[tuple[str, str]]  # (employee id, name), best composite first: the first asked
    count: int  # everyone in the cell


def cells(result: GradeResult, first: int | None = None) -> list[Cell]:
    """The nine cells, each with its `first` people (None: all of them); trainees are
    outside the grid. Only the names shown are made into text: a cell holds 100,000s at 1M."""
    m = result.managers
    graded = np.flatnonzero((m["level"] != "trainee").to_numpy(dtype=bool))
    composite = m["composite"].to_numpy(dtype="float64", na_value=np.nan)[graded]
    # best first, ties and blanks (last) in roster order: what a stable descending sort gives
    order = graded[np.argsort(-composite, kind="stable")]
    ability, performance = _codes(m["ability_band"], order), _codes(m["performance_band"], order)
    actions = result.policy.policy.grid.actions
    out = []
    for a in AXES:
        for p in AXES:
            inside = np.flatnonzero(
                (ability[0] == ability[1].get(a, -2))
                & (performance[0] == performance[1].get(p, -2))
            )
            shown = order[inside[:first]]
            ids, names = m.index[shown], m["name"].iloc[shown].to_numpy(dtype=object)
            people = [(str(eid), str(name)) for eid, name in zip(ids, names, strict=True)]
            spec = getattr(getattr(actions, a), p)
            out.append(Cell(a, p, spec.label, spec.action, people, len(inside)))
    return out


def _codes(column: pd.Series, order: np.ndarray) -> tuple[np.ndarray, dict[Any, int]]:
    """A band column's rows in `order` as codes (a blank: -1), and each band's code: a
    million texts compared as numbers, hashed once (by Arrow, for pandas' text)."""
    codes, words = pd.factorize(column)
    return codes[order], {word: code for code, word in enumerate(words.tolist())}


def _cjk_font() -> str | None:
    from matplotlib import font_manager

    found = _known_cjk(font_manager)
    if found is not None:
        return found
    # matplotlib lists the fonts it found when its cache was built: a font installed since
    # (apt install fonts-noto-cjk, as NO_FONT advises) is looked for on disk, once
    if _rescan(font_manager) and (found := _known_cjk(font_manager)) is not None:
        return found
    try:  # the optional `mplfonts` package ships Noto Sans CJK
        import mplfonts  # type: ignore[import-not-found]
    except ImportError:
        return None  # not installed: the picture shows ids
    path = Path(mplfonts.__file__).parent / "fonts" / "NotoSansCJKsc-Regular.otf"
    if not path.exists():
        return None
    font_manager.fontManager.addfont(str(path))
    name: str = font_manager.FontProperties(fname=str(path)).get_name()
    return name


def _known_cjk(font_manager: Any) -> str | None:
    installed = {f.name for f in font_manager.fontManager.ttflist}
    return next((name for name in CJK_FONTS if name in installed), None)


def _rescan(font_manager: Any) -> bool:
    """Add the fonts on disk that matplotlib's list lacks; True when any was added. The list
    is saved back where matplotlib keeps it, so the next run finds the font at once."""
    import matplotlib

    known = {f.fname for f in font_manager.fontManager.ttflist}
    added = False
    for path in font_manager.findSystemFonts():
        if path not in known:
            try:
                font_manager.fontManager.addfont(path)
            except (OSError, RuntimeError, ValueError):  # a font file it cannot read
                continue
            added = True
    if added:
        version = font_manager.FontManager.__version__
        cache = Path(matplotlib.get_cachedir()) / f"fontlist-v{version}.json"
        with contextlib.suppress(OSError):
            font_manager.json_dump(font_manager.fontManager, cache)
    return added


NO_FONT = "t.no_font"  # the label layer's words: install fonts-noto-cjk or mplfonts


def _shown(cell: Cell, *, names: bool, most: int = NAMES_PER_CELL) -> list[str]:
    shown = [name if names else eid for eid, name in cell.people[:most]]
    if cell.count > most:
        shown.append(f"+{cell.count - most}")
    return shown


def write_png(result: GradeResult, path: Path, lang: str = "zh") -> str | None:
    """Draw the grid, its words in `lang` (English where no Chinese font can draw them);
    returns a note when names had to be replaced by ids."""
    from amctl.labels import wording

    say_ = wording(lang)
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt
    from matplotlib.patches import Rectangle

    font = _cjk_font()
    plt.rcParams["font.family"] = [font] if font else ["DejaVu Sans"]
    fig, ax = plt.subplots(figsize=(12, 10), dpi=100)
    for cell in cells(result, NAMES_PER_CELL):
        x, y = AXES.index(cell.performance), AXES.index(cell.ability)
        fill = COLOURS[(cell.ability, cell.performance)]
        ax.add_patch(Rectangle((x, y), 1, 1, facecolor=fill, edgecolor="white", linewidth=3))
        title = cell.label if font else f"{cell.ability} ability / {cell.performance} perf."
        heading = f"{title}  ({cell.count})"
        ax.text(x + 0.05, y + 0.92, heading, fontsize=12, weight="bold", va="top")
        shown = _shown(cell, names=font is not None)
        lines = [", ".join(shown[i : i + 4]) for i in range(0, len(shown), 4)]
        ax.text(x + 0.05, y + 0.78, "\n".join(lines), fontsize=9.5, va="top", linespacing=1.5)
    zh = font is not None and lang == "zh"
    ticks = ["低", "中", "高"] if zh else ["low", "mid", "high"]
    ax.set_xlim(0, 3)
    ax.set_ylim(0, 3)
    ax.set_xticks([0.5, 1.5, 2.5], ticks)
    ax.set_yticks([0.5, 1.5, 2.5], ticks)
    ax.set_xlabel("绩效" if zh else "performance", fontsize=12)
    ax.set_ylabel("能力" if zh else "ability", fontsize=12)
    meta = result.policy.policy.metadata
    box = "九宫格" if zh else "9-box"
    ax.set_title(f"{box} · {meta.name} {meta.version} · {result.period.label}", fontsize=14)
    ax.set_aspect("equal")
    fig.tight_layout()
    fig.savefig(path, format="png", metadata={"Software": None})
    plt.close(fig)
    return None if font else say_(NO_FONT)


def _text(x: int, y: int, body: str, size: int, extra: str = "") -> str:
    return f'<text x="{x}" y="{y}" font-size="{size}"{extra}>{body}</text>'


def _wrapped(names: list[str], width: float, size: float = 12) -> list[str]:
    """Names joined by 、 into lines no wider than `width` pixels at a `size` font: a Chinese
    character takes the full size, another about 0.6 of it."""

    def tenths(text: str) -> int:
        """Width in tenths of the font size, a whole number: a line's is the sum of its
        names' and separators', however it was built up, and the same on every Python."""
        return sum(10 if ord(ch) > 0x2E80 else 6 for ch in text)

    lines: list[str] = []
    at = 0  # the last line's width: a name is measured once, not the line again
    for name in names:
        longer = at + tenths("、" + name)
        if lines and longer * size <= width * 10:
            lines[-1] += "、" + name
            at = longer
        else:
            lines.append(name)
            at = tenths(name)
    return lines


def _named(cell: Cell, first: int | None) -> list[str]:
    """A cell's names, or its `first` and then +N for the rest."""
    if first is None:
        return [name for _, name in cell.people]
    return _shown(cell, names=True, most=first)


def svg(result: GradeResult, size: int = 600, lang: str = "zh", first: int | None = None) -> str:
    """The grid as inline SVG for the HTML report (the browser brings the Chinese font): it
    scales to the page, the cut values stand on both axes, and every name is shown (or a
    cell's `first`, then how many more); a row grows as tall as its fullest cell needs."""
    step = size // 3
    line_h = 18
    grid = {(c.ability, c.performance): c for c in cells(result, first)}
    heights = []
    for ability in reversed(AXES):  # the top row first
        names = [_named(grid[(ability, p)], first) for p in AXES]
        most = max(len(_wrapped(n, step - 20)) for n in names)
        heights.append(max(step, 34 + line_h * most + 10))
    cuts = result.policy.policy.grid.cuts
    left, top = 46, 10
    bottom = top + sum(heights)
    width, height = left + size + 10, bottom + 56
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {width} {height}" '
        f'width="{width}" role="img" aria-label="{"九宫格" if lang == "zh" else "9-box grid"}">'
    ]
    y = top
    for row, ability in enumerate(reversed(AXES)):
        for performance in AXES:
            cell = grid[(ability, performance)]
            x = left + AXES.index(performance) * step
            n = cell.count
            parts.append(
                f'<g class="cell" data-ability="{cell.ability}" '
                f'data-performance="{cell.performance}" data-count="{n}">'
            )
            parts.append(
                f'<rect x="{x}" y="{y}" width="{step - 4}" height="{heights[row] - 4}" '
                f'fill="{COLOURS[(cell.ability, cell.performance)]}" rx="6"/>'
            )
            heading = f"{html.escape(cell.label)} ({n})"
            parts.append(_text(x + 8, y + 22, heading, 15, ' font-weight="bold"'))
            lines = _wrapped(_named(cell, first), step - 20)
            for i, line in enumerate(lines):
                parts.append(_text(x + 8, y + 44 + line_h * i, html.escape(line), 12))
            parts.append("</g>")
        y += heights[row]
    middle_x = ' text-anchor="middle"'
    for i, cut in enumerate(cuts.performance, start=1):  # where the bands meet, both axes
        parts.append(_text(left + i * step - 2, bottom + 16, f"{cut:g}", 12, middle_x))
    for k, cut in zip((1, 2), reversed(cuts.ability), strict=True):
        edge = top + sum(heights[:k])
        parts.append(_text(left - 6, edge + 4, f"{cut:g}", 12, ' text-anchor="end"'))
    across, up = ("绩效 →", "能力 →") if lang == "zh" else ("performance →", "ability →")
    parts.append(_text(left + size // 2, bottom + 40, across, 13, middle_x))
    middle = top + sum(heights) // 2
    turn = f' text-anchor="middle" transform="rotate(-90 14 {middle})"'
    parts.append(_text(14, middle, up, 13, turn))
    parts.append("</svg>")
    return "\n".join(parts)
