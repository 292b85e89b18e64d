"""The 9-box picture finds a Chinese font installed after matplotlib listed the fonts; the
report's grid wraps its names into lines that fit."""

from __future__ import annotations

import math
from itertools import pairwise
from pathlib import Path
from types import SimpleNamespace
from typing import Any

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from amctl.export.ninebox import AXES, _wrapped, cells
from tests.helpers import DEFAULT_POLICY


def test_a_font_installed_since_matplotlib_listed_its_fonts_is_found(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    import matplotlib
    from matplotlib import font_manager

    from amctl.export import ninebox

    manager = font_manager.fontManager
    font = next(f for f in manager.ttflist if f.name == "DejaVu Sans Mono")
    # stands in for Noto Sans CJK: on disk, but not in the list matplotlib built before
    monkeypatch.setattr(ninebox, "CJK_FONTS", ("DejaVu Sans Mono",))
    monkeypatch.setattr(manager, "ttflist", [f for f in manager.ttflist if f.name != font.name])
    monkeypatch.setattr(font_manager, "findSystemFonts", lambda: [font.fname])
    monkeypatch.setattr(matplotlib, "get_cachedir", lambda: str(tmp_path))
    assert ninebox._cjk_font() == "DejaVu Sans Mono"
    assert list(tmp_path.glob("fontlist-v*.json"))  # saved: the next run finds it at once


def test_without_any_chinese_font_the_picture_says_what_to_install(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    from matplotlib import font_manager

    from amctl.export import ninebox

    monkeypatch.setattr(ninebox, "CJK_FONTS", ("No Such Font",))
    monkeypatch.setattr(font_manager, "findSystemFonts", list)
    import builtins

    real = builtins.__import__

    def no_mplfonts(name: str, *args: object, **kwargs: object) -> object:
        if name == "mplfonts":
            raise ImportError(name)
        return real(name, *args, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(builtins, "__import__", no_mplfonts)
    assert ninebox._cjk_font() is None
    from amctl.labels import wording

    assert all("fonts-noto-cjk" in wording(lang)(ninebox.NO_FONT) for lang in ("zh", "en"))


@settings(max_examples=300, deadline=None)
@given(
    st.lists(st.text(alphabet="张王李赵刘陈abcKM01·", min_size=1, max_size=6), max_size=30),
    st.floats(20, 400),
    st.sampled_from([10, 11.5, 12]),
)
def test_names_wrap_into_lines_each_as_wide_as_its_characters_allow(
    names: list[str], width: float, size: float
) -> None:
    """Every name once, in order, 、 between names on a line; a line holds another name only
    while it fits, its width the sum of its characters' in order (a CJK one the full size,
    another 0.6 of it; counted in whole tenths, the same on every Python)."""

    def wide(text: str) -> float:  # in whole tenths of the size, so no sum is rounded
        return sum(10 if ord(ch) > 0x2E80 else 6 for ch in text) * size / 10

    lines = _wrapped(names, width, size)
    assert "、".join(lines) == "、".join(names)
    assert sum(line.count("、") + 1 for line in lines) == len(names)
    for line in lines:
        assert line.count("、") == 0 or wide(line) <= width  # more than one name: it fits
    for line, after in pairwise(lines):
        assert wide(line + "、" + after.split("、")[0]) > width  # the next name did not fit


def _cells_by_frame(m: pd.DataFrame, actions: Any, first: int | None) -> list[tuple[Any, ...]]:
    """The grid's cells as a frame sort gives them (how the report put them before)."""
    graded = m.loc[
        (m["level"] != "trainee").to_numpy(dtype=bool),
        ["composite", "ability_band", "performance_band", "name"],
    ]
    graded = graded.sort_values(["composite"], ascending=False, kind="mergesort")
    ability = graded["ability_band"].to_numpy(dtype=object)
    performance = graded["performance_band"].to_numpy(dtype=object)
    out = []
    for a in AXES:
        for p in AXES:
            inside = np.flatnonzero((ability == a) & (performance == p))
            shown = graded.iloc[inside[:first]]
            people = [(str(eid), str(name)) for eid, name in shown["name"].items()]
            spec = getattr(getattr(actions, a), p)
            out.append((a, p, spec.label, spec.action, people, len(inside)))
    return out


@settings(max_examples=80, deadline=None)
@given(st.data())
def test_the_grid_puts_everyone_where_a_frame_sort_put_them(data: st.DataObject) -> None:
    """Best first, ties and blank composites (last) in roster order, -0.0 beside 0.0,
    trainees outside, blank bands in no cell, names as shown, each cell cut at `first`."""
    from amctl.policy.loader import load_policy

    n = data.draw(st.integers(0, 30))

    def column(values: Any) -> list[Any]:
        return data.draw(st.lists(values, min_size=n, max_size=n))

    bands = st.sampled_from(["high", "mid", "low", None])
    frame = pd.DataFrame(
        {
            "level": column(st.sampled_from(["trainee", "mid", "senior"])),
            "composite": column(st.sampled_from([50.0, 70.5, 0.0, -0.0, math.nan, 99.9])),
            "ability_band": pd.Series(
                column(bands), dtype=data.draw(st.sampled_from(["str", object]))
            ),
            "performance_band": pd.Series(column(bands), dtype=object),
            "name": pd.Series(column(st.one_of(st.none(), st.text(max_size=3))), dtype=object),
        }
    ).set_axis(pd.Index([f"E{i}" for i in range(n)], name="employee_id", dtype=object))
    policy = load_policy(DEFAULT_POLICY)
    first = data.draw(st.sampled_from([None, 0, 1, 3]))
    result = SimpleNamespace(managers=frame, policy=policy)
    got = [
        (c.ability, c.performance, c.label, c.action, c.people, c.count)
        for c in cells(result, first)
    ]  # type: ignore[arg-type]
    assert got == _cells_by_frame(frame, policy.policy.grid.actions, first)
