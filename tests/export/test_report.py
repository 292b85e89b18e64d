"""The HTML report, the 9-box picture, the workspace scaffold, quiet and colourless output."""

from __future__ import annotations

import io
import re
import shutil
import struct
import subprocess
from decimal import Decimal
from html.parser import HTMLParser
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from rich.console import Console
from typer.testing import CliRunner

from amctl.cli.app import app
from amctl.labels import names
from amctl.period import parse
from amctl.pipeline.grade import grade_files
from amctl.pipeline.payroll import run_payroll
from amctl.policy.loader import load_policy
from tests.helpers import DEFAULT_POLICY, EXAMPLE

runner = CliRunner()


class Page(HTMLParser):
    """Sections, grid cells and table cells of the report, as plain data."""

    def __init__(self) -> None:
        super().__init__()
        self.sections: list[str] = []
        self.cells: list[dict[str, str]] = []
        self.external: list[str] = []
        self.tables: list[list[list[str]]] = []
        self._row: list[str] | None = None
        self._text: list[str] = []
        self._in_cell = False
        self.section_of_table: list[str] = []
        self.grand_total = ""
        self._in_total = False

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        a = dict(attrs)
        if tag == "section":
            self.sections.append(a.get("id") or "")
        if tag == "g" and a.get("class") == "cell":
            self.cells.append({k: v or "" for k, v in a.items()})
        for key in ("src", "href"):
            if a.get(key):
                self.external.append(a[key] or "")
        if tag in ("script", "link", "img", "iframe"):
            self.external.append(tag)
        if tag == "table":
            self.tables.append([])
            self.section_of_table.append(self.sections[-1] if self.sections else "")
        if tag == "tr":
            self._row = []
        if tag in ("td", "th"):
            self._in_cell, self._text = True, []
        if tag == "strong" and a.get("id") == "grand-total":
            self._in_total = True

    def handle_endtag(self, tag: str) -> None:
        if tag in ("td", "th") and self._row is not None:
            self._row.append("".join(self._text).strip())
            self._in_cell = False
        if tag == "tr" and self._row is not None:
            self.tables[-1].append(self._row)
            self._row = None
        if tag == "strong":
            self._in_total = False

    def handle_data(self, data: str) -> None:
        if self._in_cell:
            self._text.append(data)
        if self._in_total:
            self.grand_total += data


@pytest.fixture(scope="module")
def page(tmp_path_factory: pytest.TempPathFactory) -> Page:
    out = tmp_path_factory.mktemp("r") / "report.html"
    result = runner.invoke(app, ["report", str(EXAMPLE), "--quarter", "2024Q3", "-o", str(out)])
    assert result.exit_code == 0, result.output
    parsed = Page()
    parsed.feed(out.read_text(encoding="utf-8"))
    return parsed


def test_the_report_has_every_section_and_nothing_external(page: Page) -> None:
    assert page.sections == [  # the headline figures first, then the results
        "summary",
        "people",
        "not-graded",
        "grid",
        "quotas",
        "calibration",
        "payroll",
        "movements",
    ]
    assert page.external == []  # inline CSS and SVG only: it opens offline


def test_grid_counts_match_the_grading(page: Page) -> None:
    policy = load_policy(DEFAULT_POLICY)
    grading = grade_files(policy, EXAMPLE, parse("2024Q3"))
    m = grading.managers[grading.managers["level"] != "trainee"]
    expected = m.groupby(["ability_band", "performance_band"]).size().to_dict()
    got = {(c["data-ability"], c["data-performance"]): int(c["data-count"]) for c in page.cells}
    assert len(got) == 9
    assert {k: v for k, v in got.items() if v} == expected
    quota_table = page.tables[page.section_of_table.index("quotas")]
    placed = {row[0]: int(row[3]) for row in quota_table[1:]}
    trainees = int((grading.managers["level"] == "trainee").sum())
    called = names(policy.policy, "zh")  # levels by their labels: 高级客户经理
    expected = {called.level(q.level): q.count for q in grading.quota}
    assert placed == expected | {called.level("trainee"): trainees}


def test_payroll_total_matches(page: Page) -> None:
    policy = load_policy(DEFAULT_POLICY)
    pay = run_payroll(policy, grade_files(policy, EXAMPLE, parse("2024Q3")))
    assert Decimal(page.grand_total.replace(",", "")) == pay.grand_total


def test_calibration_lists_every_unit(page: Page) -> None:
    table = page.tables[page.section_of_table.index("calibration")]
    units = [row[0] for row in table[1:]]
    assert units == sorted(
        ["政企客户一部", "政企客户二部", "行业客户部", "商客拓展部", "县域农村分部"]
    )
    assert sum(int(row[1]) for row in table[1:]) == 80


def test_a_deviating_unit_is_flagged(tmp_path: Path) -> None:
    from amctl.export.report import calibration
    from tests.helpers import Person, Team, write_team

    people = [Person(f"A{i}", score=80 + i % 5, unit="甲部") for i in range(20)]
    people += [Person(f"B{i}", score=55 + i % 5, unit="乙部") for i in range(20)]
    path = write_team(tmp_path / "r.xlsx", Team(people))
    rows = calibration(grade_files(load_policy(DEFAULT_POLICY), path, parse("2024Q3")))
    assert {r["org_unit"]: r["flag"] for r in rows} == {"乙部": True, "甲部": True}


def _report(tmp_path: Path, name: str) -> tuple[Page, str]:
    out = tmp_path / name
    result = runner.invoke(app, ["report", str(EXAMPLE), "--quarter", "2024Q3", "-o", str(out)])
    assert result.exit_code == 0, result.output
    text = out.read_text(encoding="utf-8")
    parsed = Page()
    parsed.feed(text)
    return parsed, text


def test_a_list_longer_than_the_page_lists_shows_its_first_and_says_so(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from amctl.export import report

    whole, _ = _report(tmp_path, "whole.html")
    monkeypatch.setattr(report, "LISTED", 5)
    cut, text = _report(tmp_path, "cut.html")
    people = whole.tables[whole.section_of_table.index("people")]
    assert len(people) == 1 + 80
    assert cut.tables[cut.section_of_table.index("people")] == people[:6]  # the same first 5
    assert "共 80 人，此处列出前 5 人；评定表列出全部人员。" in text
    movers = whole.tables[-1]
    assert len(movers) > 6  # the example has more movers than 5: the list is cut too
    assert cut.tables[-1] == movers[:6]
    assert f"共 {len(movers) - 1} 人，此处列出前 5 人" in text
    # the grid counts everyone, and names a cell's first 20 with how many more
    assert [c["data-count"] for c in cut.cells] == [c["data-count"] for c in whole.cells]
    fullest = max(int(c["data-count"]) for c in whole.cells)
    assert fullest > 20 and f"+{fullest - 20}" in text
    assert cut.sections == whole.sections
    # the grid's people (not the trainees) within the limit: every name in the 9-box
    grid = sum(int(c["data-count"]) for c in whole.cells)
    assert grid < 80  # the example has trainees
    monkeypatch.setattr(report, "LISTED", grid)
    _, text = _report(tmp_path, "grid.html")
    assert f"+{fullest - 20}" not in text


def _png_size(path: Path) -> tuple[int, int]:
    data = path.read_bytes()
    assert data[:8] == b"\x89PNG\r\n\x1a\n"
    width, height = struct.unpack(">II", data[16:24])
    return width, height


def test_the_nine_box_png(tmp_path: Path) -> None:
    out = tmp_path / "grid.png"
    result = runner.invoke(app, ["grade", str(EXAMPLE), "-o", str(out), "--rows", "0"])
    assert result.exit_code == 0, result.output
    width, height = _png_size(out)
    assert 800 <= width <= 3000 and 600 <= height <= 3000
    again = tmp_path / "again.png"
    runner.invoke(app, ["grade", str(EXAMPLE), "-o", str(again), "--rows", "0"])
    assert again.read_bytes() == out.read_bytes()  # same inputs, same picture


@pytest.mark.zh
def test_init_then_grade_and_pay_inside_the_new_workspace(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    ws = tmp_path / "hr"
    result = runner.invoke(app, ["init", str(ws)])
    assert result.exit_code == 0, result.output
    for name in (
        "policies/ct-group.yaml",
        "policies/ct-group.test.yaml",
        "data/2024Q3/roster.xlsx",
        ".gitignore",
        ".pre-commit-config.yaml",
        "README.md",
    ):
        assert (ws / name).is_file(), name
    monkeypatch.chdir(ws)
    graded = runner.invoke(app, ["grade", "data/2024Q3/roster.xlsx", "--rows", "0"])
    assert graded.exit_code == 0, graded.output
    assert f"（{ws / 'policies' / 'ct-group.yaml'}）" in graded.output  # the workspace's own policy
    assert runner.invoke(app, ["payroll", "--quarter", "2024Q3"]).exit_code == 0
    assert runner.invoke(app, ["policy", "test"]).exit_code == 0
    again = runner.invoke(app, ["init", str(ws)])
    assert again.exit_code == 2 and "不为空" in again.output


@pytest.mark.zh
def test_quiet_prints_only_the_last_line() -> None:
    result = runner.invoke(app, ["--quiet", "grade", str(EXAMPLE)])
    assert result.exit_code == 0
    assert result.output == "花名册 80 行：已评定 80，未评定 0。\n"
    runner.invoke(app, ["grade", str(EXAMPLE), "--rows", "0"])  # --quiet does not stick


@pytest.mark.zh
def test_no_color_is_honoured(monkeypatch: pytest.MonkeyPatch) -> None:
    from amctl.cli import render

    monkeypatch.setenv("NO_COLOR", "1")
    buffer = io.StringIO()
    console = Console(file=buffer, force_terminal=True)
    monkeypatch.setattr(render, "err", console)
    render.error("something")
    assert "\x1b[3" not in buffer.getvalue() and "错误：something" in buffer.getvalue()


CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")
HEADLESS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
OVERFLOW = (  # added to a copy of the page: the report itself runs no script
    "<script>document.body.dataset.overflow = String("
    "document.documentElement.scrollWidth - document.documentElement.clientWidth)</script>"
)


def _chromium(tmp: Path, *args: str) -> str:
    assert CHROMIUM is not None
    profile = tmp / f"profile-{len(list(tmp.iterdir()))}"
    done = subprocess.run(
        [CHROMIUM, *HEADLESS, f"--user-data-dir={profile}", *args],
        capture_output=True,
        text=True,
        timeout=180,
        check=False,
    )
    return done.stdout


def _overflow(tmp: Path, page: Path, width: int) -> int:
    dom = _chromium(
        tmp, f"--window-size={width},900", "--virtual-time-budget=5000", "--dump-dom", page.as_uri()
    )
    found = re.search(r'data-overflow="(-?\d+)"', dom)
    assert found, dom[-500:]
    return int(found.group(1))


@pytest.mark.skipif(CHROMIUM is None, reason="needs Debian's chromium (.ci/run installs it)")
def test_the_report_in_a_real_browser_fits_a_phone_and_a_desk_and_prints(tmp_path: Path) -> None:
    out = tmp_path / "report.html"
    result = runner.invoke(app, ["report", str(EXAMPLE), "--quarter", "2024Q3", "-o", str(out)])
    assert result.exit_code == 0, result.output
    probe = tmp_path / "probe.html"
    probe.write_text(out.read_text(encoding="utf-8").replace("</body>", OVERFLOW + "</body>"))
    for width in (420, 1400):
        assert _overflow(tmp_path, probe, width) == 0, width  # no sideways scrolling
    wide = tmp_path / "wide.html"  # the check can fail: a page wider than a phone is seen
    wide.write_text(
        probe.read_text(encoding="utf-8").replace(
            "<body>", '<body><div style="width:900px">x</div>'
        )
    )
    assert _overflow(tmp_path, wide, 420) > 0
    pdf = tmp_path / "report.pdf"
    _chromium(tmp_path, "--no-pdf-header-footer", f"--print-to-pdf={pdf}", out.as_uri())
    pages = len(re.findall(rb"/Type\s*/Page[^s]", pdf.read_bytes()))
    assert 3 <= pages <= 10, pages  # 80 managers, the grid, quotas, pay: A4, no blank pages
    text = out.read_text(encoding="utf-8")
    assert '<meta name="viewport"' in text and "@page{size:A4" in text
    assert "<thead>" in text and "保密" in text and "counter(page)" in text


@settings(max_examples=100, deadline=None)
@given(
    st.lists(
        st.tuples(
            st.sampled_from(["E1", "E2", "E10", "e1", "经理", "E3"]),
            st.sampled_from(["mid-B", "senior-A", "trainee", "odd", None]),
            st.one_of(st.none(), st.integers(1, 4)),
        )
    ),
    st.booleans(),
)
def test_the_list_order_is_tier_then_rank_then_id(
    rows: list[tuple[str, str | None, int | None]], in_order: bool
) -> None:
    """The best tier first, then rank (none last), then id, ties in their order: the ids kept
    in order are taken as their positions, any others sorted."""
    import numpy as np
    import pandas as pd

    from amctl.export.report import _ranked

    rows = sorted(rows, key=lambda r: r[0]) if in_order else rows
    m = pd.DataFrame(
        {"tier": [r[1] for r in rows], "rank": pd.array([r[2] for r in rows], dtype="Int64")},
        index=pd.Index([r[0] for r in rows], dtype=object),
    )
    ladder = ["senior-A", "mid-B", "trainee"]
    place = {t: i for i, t in enumerate(ladder)}
    want = sorted(
        range(len(rows)),
        key=lambda i: (
            -place.get(str(rows[i][1]), -1),
            np.inf if rows[i][2] is None else rows[i][2],
            rows[i][0],
        ),
    )
    assert _ranked(m, ladder).tolist() == want


def _calibration_by_groups(managers, levels):  # type: ignore[no-untyped-def]
    """The calibration table as pandas' groupby gives it, a frame cut per unit: what the
    report's whole-column version must give to the last digit."""
    import math

    every = managers[["org_unit", "level", "composite"]]
    m = every[every["level"] != "trainee"]
    if not m["composite"].notna().any():
        return []
    overall = float(m["composite"].mean()) if len(m) else 0.0
    sd = float(m["composite"].std(ddof=0)) if len(m) > 1 else 0.0
    rows = []
    for unit, group in every.groupby("org_unit", sort=True):
        graded = group[group["level"] != "trainee"]
        mean = float(graded["composite"].mean()) if len(graded) else math.nan
        z = (mean - overall) / (sd / math.sqrt(len(graded))) if len(graded) and sd else 0.0
        counts = group["level"].value_counts()
        rows.append(
            {
                "org_unit": unit,
                "managers": len(group),
                **{lv: int(counts.get(lv, 0)) for lv in [*levels, "trainee"]},
                "mean": round(mean, 2) if not math.isnan(mean) else None,
                "z": round(z, 2),
                "flag": abs(z) > 2.0,
            }
        )
    return rows


@settings(max_examples=200, deadline=None)
@given(
    st.lists(
        st.tuples(
            st.sampled_from(["甲部", "乙部", "丙部", None]),
            st.sampled_from(["senior", "mid", "junior", "trainee", None]),
            st.none() | st.floats(0, 100, allow_nan=False) | st.sampled_from([72.125, 72.135]),
        ),
        max_size=60,
    )
)
def test_the_calibration_table_is_pandas_groupbys_to_the_last_digit(
    rows: list[tuple[str | None, str | None, float | None]],
) -> None:
    from types import SimpleNamespace

    import pandas as pd

    from amctl.export import report

    managers = pd.DataFrame(rows, columns=["org_unit", "level", "composite"])
    managers["composite"] = managers["composite"].astype("float64")
    levels = {"senior": 0, "mid": 1, "junior": 2}
    result = SimpleNamespace(
        managers=managers, policy=SimpleNamespace(policy=SimpleNamespace(levels=levels))
    )
    assert report.Z_FLAG == 2.0
    got = report.calibration(result)  # type: ignore[arg-type]
    assert [repr(r) for r in got] == [repr(r) for r in _calibration_by_groups(managers, levels)]
