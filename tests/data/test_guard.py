"""The input guard's own readings, where the catalogue's whole files are too coarse."""

from __future__ import annotations

import re
import threading
import zipfile
from pathlib import Path
from typing import Any

import pytest

from amctl.data import columnar, guard
from amctl.data.guard import _ODS_ROWS, _repeat
from amctl.errors import DataError
from amctl.period import parse
from amctl.pipeline.grade import grade_files
from tests.helpers import Person, Team, write_team, write_xlsx


def test_an_ods_repeat_of_a_digit_no_program_counts_with_is_one() -> None:
    found = _ODS_ROWS.search(b'table:number-rows-repeated="&#178;"')
    assert isinstance(found, re.Match) and _repeat(found) == 1


_FAR = b'<row r="1048576"><c r="XFD1048576"><v>1</v></c></row></sheetData>'


def _stretched(path: Path, entry: str) -> Path:
    """The workbook with one stray cell at XFD1048576 in one of its sheets."""
    out = path.with_name(f"far-{path.name}")
    with zipfile.ZipFile(path) as src, zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as dst:
        for info in src.infolist():
            data = src.read(info.filename)
            if info.filename == entry:
                data = data.replace(b"</sheetData>", _FAR)
            dst.writestr(info.filename, data)
    return out


def _watched(monkeypatch: pytest.MonkeyPatch) -> list[tuple[str, str, str]]:
    """What happens to each sheet, in order: measured by the guard (and in which thread),
    loaded by the reader."""
    seen: list[tuple[str, str, str]] = []
    scan = guard._scan_within

    def scanned(path: Path, book: zipfile.ZipFile, info: zipfile.ZipInfo, sheet: str) -> Any:
        made = scan(path, book, info, sheet)  # a refused sheet is not noted
        seen.append(("scanned", sheet, threading.current_thread().name))
        return made

    opened = columnar.workbook

    class Reader:
        def __init__(self, book: Any) -> None:
            self.book = book

        def __getattr__(self, name: str) -> Any:
            return getattr(self.book, name)

        def load_sheet(self, sheet: str, **kw: Any) -> Any:
            seen.append(("loaded", sheet, threading.current_thread().name))
            return self.book.load_sheet(sheet, **kw)

    monkeypatch.setattr(guard, "_scan_within", scanned)
    monkeypatch.setattr(columnar, "workbook", lambda path: Reader(opened(path)))
    return seen


def test_each_sheet_is_measured_in_the_guards_thread_before_the_reader_loads_it(
    default_policy, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:  # type: ignore[no-untyped-def]
    team = Team([Person(f"E{i:03d}", score=50 + 7 * i) for i in range(8)])
    seen = _watched(monkeypatch)
    result = grade_files(default_policy, write_team(tmp_path / "t.xlsx", team), parse("2024Q3"))
    assert len(result.managers) == 8
    loaded = [sheet for what, sheet, _ in seen if what == "loaded"]
    assert sorted(set(loaded)) == sorted(["花名册", "业绩", "能力评价"])
    for sheet in loaded:
        at = seen.index(("scanned", sheet, "amctl-guard"))
        assert at < min(i for i, (what, s, _) in enumerate(seen) if (what, s) == ("loaded", sheet))


def test_a_later_sheet_is_refused_before_it_is_read_and_one_not_read_is_not_waited_for(
    default_policy, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:  # type: ignore[no-untyped-def]
    """A stray cell in the ratings sheet refuses the workbook, naming that sheet, and the
    reader never loads it; in a sheet no table is read from, it changes nothing."""
    team = Team([Person(f"E{i:03d}", score=50 + 7 * i) for i in range(8)])
    seen = _watched(monkeypatch)
    book = write_team(tmp_path / "t.xlsx", team)
    with pytest.raises(DataError) as refused:
        grade_files(default_policy, _stretched(book, "xl/worksheets/sheet3.xml"), parse("2024Q3"))
    [finding] = refused.value.findings
    assert finding.rule == "AMD021" and finding.location.sheet == "能力评价"
    assert ("loaded", "能力评价") not in [(what, sheet) for what, sheet, _ in seen]

    extra = write_xlsx(
        tmp_path / "x.xlsx",
        {
            "花名册": team.roster_rows(),
            "业绩": team.performance_rows(),
            "能力评价": team.ratings_rows(),
            "说明": [["填表说明"]],
        },
    )
    far = _stretched(extra, "xl/worksheets/sheet4.xml")
    assert len(grade_files(default_policy, far, parse("2024Q3")).managers) == 8
