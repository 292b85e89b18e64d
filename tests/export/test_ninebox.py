"""The 9-box picture finds a Chinese font installed after matplotlib listed the fonts; the
report's grid wraps its names into lines that fit."""

from __future__ import annotations

from itertools import pairwise
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from amctl.export.ninebox import _wrapped


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
