"""The 9-box picture finds a Chinese font installed after matplotlib listed the fonts."""

from __future__ import annotations

from pathlib import Path

import pytest


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
