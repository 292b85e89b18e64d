"""Opening workbooks: a sheet is read once it passed the guard, while the guard scans the next."""

from __future__ import annotations

import threading
import zipfile
from pathlib import Path

import pytest
from typer.testing import CliRunner

from amctl.cli.app import app
from amctl.data import guard, sheets
from amctl.data.guard import SheetScan
from amctl.data.sheets import _guarded, ahead, read_sheet, settle, settled
from amctl.errors import DataError
from tests.helpers import DEFAULT_POLICY, random_team, spy, write_team, write_xlsx

STRAY = b'<row r="1048576"><c r="XFD1048576"><v>1</v></c></row></sheetData>'


def _stray(path: Path, entry: str, edit: tuple[str, bytes, bytes] | None = None) -> Path:
    """The workbook with a cell at XFD1048576 in one sheet: the reader would build a grid of
    17 billion cells for it. `edit`: (entry, old, new), one more change."""
    with zipfile.ZipFile(path) as book:
        parts = {info.filename: book.read(info) for info in book.infolist()}
    parts[entry] = parts[entry].replace(b"</sheetData>", STRAY)
    if edit is not None:
        name, old, new = edit
        if old:
            assert old in parts[name]
            parts[name] = parts[name].replace(old, new, 1)
        else:  # an entry added
            parts[name] = new
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as book:
        for name, data in parts.items():
            book.writestr(name, data)
    return path


def _hold_last(monkeypatch: pytest.MonkeyPatch) -> threading.Event:
    """The guard hands out the last sheet it scans only once the event is set."""
    gate = threading.Event()
    scan = guard.Checked.scan
    calls = []

    def held(self: guard.Checked, at: int) -> SheetScan:
        calls.append(at)
        if len(calls) == len(self.sheets):
            gate.wait(30)
        return scan(self, at)

    monkeypatch.setattr(guard.Checked, "scan", held)
    return gate


def test_a_sheet_is_read_while_the_next_one_is_still_scanned(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = write_team(tmp_path / "r.xlsx", random_team(30))
    gate = _hold_last(monkeypatch)
    first = read_sheet(path, "能力评价")  # the largest: scanned first
    assert first.body is not None
    grid = first.body(1)
    assert grid is not None and grid.height == 30 * 4  # four raters a manager
    assert not all(d.done() for d in _guarded(path).done)  # read, while a sheet waits its turn
    gate.set()
    assert list(_guarded(path).all()) == ["花名册", "业绩", "能力评价"]


def test_a_sheet_after_a_refused_one_is_refused_with_it(tmp_path: Path) -> None:
    path = _stray(write_team(tmp_path / "r.xlsx", random_team(5)), "xl/worksheets/sheet1.xml")
    for sheet in ("业绩", "花名册"):
        with pytest.raises(DataError) as refused:
            read_sheet(path, sheet)
        assert refused.value.findings[0].rule == "AMD021"
        assert refused.value.findings[0].location.sheet == "花名册"


def test_a_sheet_before_a_refused_one_is_read_and_the_workbook_still_refused(
    tmp_path: Path,
) -> None:
    path = _stray(write_team(tmp_path / "r.xlsx", random_team(5)), "xl/worksheets/sheet3.xml")
    assert read_sheet(path, "花名册").rows[0][0] == "员工编号"
    with pytest.raises(DataError) as refused:
        _guarded(path).all()
    assert refused.value.findings[0].location.sheet == "能力评价"


def test_of_two_refused_sheets_the_first_in_the_workbook_is_said(tmp_path: Path) -> None:
    """The largest sheet is scanned first; the refusal said is still the one a scan in the
    workbook's order meets first."""
    path = _stray(write_team(tmp_path / "r.xlsx", random_team(5)), "xl/worksheets/sheet3.xml")
    _stray(path, "xl/worksheets/sheet2.xml")
    for read in (lambda: _guarded(path).all(), lambda: read_sheet(path, "能力评价")):
        with pytest.raises(DataError) as refused:
            read()
        assert refused.value.findings[0].location.sheet == "业绩"


def test_the_guard_is_said_first_though_the_tables_it_let_through_have_findings(
    tmp_path: Path,
) -> None:
    """The roster lacks a column the grading needs, and a sheet no table reads holds a stray
    cell: the refusal is what is said, as when the whole workbook was scanned before any
    reading."""
    team = random_team(5)
    rows = [r[:3] + r[4:] for r in team.roster_rows()]  # no 任职日期
    path = write_xlsx(
        tmp_path / "r.xlsx",
        {
            "花名册": rows,
            "业绩": team.performance_rows(),
            "能力评价": team.ratings_rows(),
            "说明": [["填表说明"]],
        },
    )
    _stray(path, "xl/worksheets/sheet4.xml")
    done = CliRunner().invoke(
        app, ["grade", str(path), "--quarter", "2024Q3", "--policy", str(DEFAULT_POLICY)]
    )
    assert done.exit_code == 2, done.output
    assert "AMD021" in done.output and "说明" in done.output
    assert "post_start" not in done.output and "任职日期" not in done.output


def test_starting_the_guard_ahead_says_nothing_the_reading_says_it(tmp_path: Path) -> None:
    path = _stray(write_team(tmp_path / "r.xlsx", random_team(5)), "xl/worksheets/sheet1.xml")
    ahead([path, tmp_path / "gone.xlsx", None, tmp_path])  # nothing raised here
    with pytest.raises(DataError) as refused:
        read_sheet(path, "花名册")
    assert refused.value.findings[0].rule == "AMD021"


BOOK, RELS = "xl/workbook.xml", "xl/_rels/workbook.xml.rels"
FIRST = '<sheet name="花名册" sheetId="1" state="visible" r:id="rId1" />'.encode()
FIRST_REL = b'Target="/xl/worksheets/sheet1.xml" Id="rId1"'


@pytest.mark.parametrize(
    "edit",
    [
        (BOOK, 'name="花名册"'.encode(), 'name="&#33457;名册"'.encode()),  # 花 as a reference
        (BOOK, b'r:id="rId1"', b'r:id="rId1" x:id="rId3"'),  # a second id
        (BOOK, b"<sheets>", b'<sheets><!-- <sheet name="x" r:id="rId2"/> -->'),
        (BOOK, b'sheetId="1"', b"sheetId='1'"),  # either quote: still XML
        (BOOK, FIRST, FIRST.replace(b"<sheet ", b"<x:sheet ")),
        (RELS, FIRST_REL, b'Target="/xl/worksheets/./sheet1.xml" Id="rId1"'),
        (RELS, FIRST_REL, b'Target="/xl/worksheets/Sheet1.xml" Id="rId1"'),
        (RELS, b'Id="rId2"', b'Id="rId1"'),  # an id twice
        ("xl/worksheets/Sheet1.xml", b"", b"<worksheet/>"),  # two entries alike but for case
        ("xl/worksheets/sheet9.xml", b"", b"<worksheet/>"),  # a worksheet no sheet points to
    ],
    ids=[
        "reference",
        "second-id",
        "comment",
        "quote",
        "prefix",
        "dot",
        "case",
        "id-twice",
        "twin",
        "stray",
    ],
)
def test_a_workbook_mapped_any_other_way_is_scanned_whole_before_a_sheet_is_read(
    tmp_path: Path, edit: tuple[str, bytes, bytes]
) -> None:
    """The reader may map such a workbook's names to other entries than the guard does: the
    roster sheet is not read while the ratings sheet, refused, is still to be scanned."""
    path = write_team(tmp_path / "r.xlsx", random_team(5))
    plain = write_team(tmp_path / "plain.xlsx", random_team(5))
    assert _guarded(plain).plain
    _stray(path, "xl/worksheets/sheet3.xml", edit)
    with pytest.raises(DataError) as refused:  # the roster is not read: it waits for all
        read_sheet(path, "花名册")
    assert not _guarded(path).plain
    # an id twice: the reader will not open the workbook (AMD001); the others: the guard
    assert refused.value.findings[0].rule == ("AMD001" if edit[2] == b'Id="rId1"' else "AMD021")


def test_a_workbook_the_reader_names_otherwise_is_scanned_whole(tmp_path: Path) -> None:
    path = _stray(write_team(tmp_path / "r.xlsx", random_team(5)), "xl/worksheets/sheet3.xml")
    guarded = _guarded(path)
    assert guarded.plain
    guarded.agree(["花名册", "业绩"])
    assert not guarded.plain
    with pytest.raises(DataError):
        guarded.sheet("花名册")


def _grade(*args: str | Path) -> tuple[int, str]:
    done = CliRunner().invoke(
        app, ["grade", *map(str, args), "--quarter", "2024Q3", "--policy", str(DEFAULT_POLICY)]
    )
    return done.exit_code, done.output


def test_a_refused_workbook_is_said_before_a_sheet_it_lacks(tmp_path: Path) -> None:
    path = _stray(write_team(tmp_path / "r.xlsx", random_team(5)), "xl/worksheets/sheet3.xml")
    code, out = _grade(f"{path}#nosuch")
    assert code == 2 and "AMD021" in out and "nosuch" not in out, out
    team = random_team(5)
    path = write_xlsx(
        tmp_path / "two.xlsx", {"花名册": team.roster_rows(), "业绩": team.performance_rows()}
    )
    _stray(path, "xl/worksheets/sheet2.xml")  # and no ratings sheet
    code, out = _grade(path)
    assert code == 2 and "AMD021" in out and "业绩" in out, out


def test_a_refusal_is_not_kept_once_the_budget_is_raised(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = write_team(tmp_path / "r.xlsx", random_team(30))
    monkeypatch.setenv("AMCTL_MAX_CELLS", "100")
    with pytest.raises(DataError):
        read_sheet(path, "花名册")
    monkeypatch.delenv("AMCTL_MAX_CELLS")
    assert read_sheet(path, "花名册").rows[0][0] == "员工编号"


def test_an_interrupt_leaves_without_waiting_for_the_guard(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = write_team(tmp_path / "r.xlsx", random_team(5))
    gate = _hold_last(monkeypatch)

    def interrupted() -> None:
        with settled([path]):
            read_sheet(path, "能力评价")
            raise KeyboardInterrupt

    with pytest.raises(KeyboardInterrupt):
        interrupted()
    assert not all(d.done() for d in _guarded(path).done)  # left before the last was scanned
    gate.set()
    assert len(_guarded(path).all()) == 3


def test_a_sheet_of_mixed_columns_is_parsed_beside_the_scans_and_read_from_there(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A sheet the cell reader will read whole is parsed as soon as it passed; the reading
    takes that sheet, and the workbook's own reader parses nothing."""
    from python_calamine import CalamineWorkbook

    from tests.data.test_columnar import _numbers_book

    path = _numbers_book(tmp_path / "mixed.xlsx", text_at=120)
    guarded = _guarded(path)
    assert guarded.all()["业绩"].mixed and "业绩" in guarded.parsed
    assert guarded.parsed["业绩"].result() is not None  # parsed, in a thread of its own
    parsed = spy(monkeypatch, CalamineWorkbook, "get_sheet_by_name")
    sheet = read_sheet(path, "业绩")
    assert sheet.body is not None
    grid = sheet.body(1)
    assert grid is not None and grid.columns[1][118] == "119.5"
    assert "业绩" not in guarded.parsed and not parsed


def test_a_refused_workbook_is_scanned_once(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = _stray(write_team(tmp_path / "r.xlsx", random_team(5)), "xl/worksheets/sheet2.xml")
    opened = spy(monkeypatch, guard.Checked, "_open")
    code, out = _grade(path)
    assert code == 2 and "AMD021" in out
    assert len(opened) == 1


def test_a_guard_that_fails_otherwise_says_so_to_whoever_waits(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from tests.data.test_columnar import _numbers_book

    def broken(*_: object) -> None:
        raise RuntimeError("no thread")

    monkeypatch.setattr(sheets._Guarded, "_parse_ahead", broken)
    path = _numbers_book(tmp_path / "mixed.xlsx", text_at=120)
    first = _guarded(path)
    with pytest.raises(RuntimeError):
        first.all()  # not waited for forever
    assert first.broken() and _guarded(path) is not first  # not kept


def test_sheets_parsed_ahead_are_let_go_once_settled(tmp_path: Path) -> None:
    from tests.data.test_columnar import _numbers_book

    path = _numbers_book(tmp_path / "mixed.xlsx", text_at=120)
    settle([path])
    assert not _guarded(path).parsed


def test_a_name_twice_takes_no_first_rows_from_either_entry(tmp_path: Path) -> None:
    """A worksheet no sheet points to is scanned under its path; a sheet named so leaves the
    guard unable to say which entry the reader reads under that name: the sheet is read by
    the cell reader, its first rows from the reader itself."""
    entry = "xl/worksheets/sheet9.xml"
    path = write_team(tmp_path / "r.xlsx", random_team(5))
    with zipfile.ZipFile(path) as book:
        parts = {info.filename: book.read(info) for info in book.infolist()}
    parts[entry] = parts["xl/worksheets/sheet2.xml"]  # the performance sheet, stray
    parts["xl/workbook.xml"] = parts["xl/workbook.xml"].replace(
        'name="花名册"'.encode(), f'name="{entry}"'.encode()
    )
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as book:
        for name, data in parts.items():
            book.writestr(name, data)
    guarded = _guarded(path)
    assert not guarded.plain and guarded.sheet(entry) is None
    assert read_sheet(path, entry).rows[0][:2] == ["员工编号", "姓名"]  # the roster's, not 业绩's
