"""The input guard's own readings, where the catalogue's whole files are too coarse."""

from __future__ import annotations

import re
import threading
import zipfile
from pathlib import Path

import pytest

from amctl.data import guard
from amctl.data.guard import _ODS_ROWS, _repeat
from amctl.errors import DataError


def test_an_ods_repeat_of_a_digit_no_program_counts_with_is_one() -> None:
    found = _ODS_ROWS.search(b'table:number-rows-repeated="&#178;"')
    assert isinstance(found, re.Match) and _repeat(found) == 1


def _book(path: Path, rows: bytes) -> Path:
    """A workbook of one sheet, 花名册, whose sheetData holds `rows` as written."""
    ns = b"http://schemas.openxmlformats.org/"
    rel = ns + b"officeDocument/2006/relationships"
    parts = {
        "[Content_Types].xml": b'<Types xmlns="' + ns + b'package/2006/content-types"/>',
        "_rels/.rels": b'<Relationships xmlns="' + ns + b'package/2006/relationships">'
        b'<Relationship Id="rId1" Type="' + rel + b'/officeDocument" Target="xl/workbook.xml"/>'
        b"</Relationships>",
        "xl/workbook.xml": b'<workbook xmlns:r="' + rel + b'"><sheets>'
        b'<sheet name="\xe8\x8a\xb1\xe5\x90\x8d\xe5\x86\x8c" sheetId="1" r:id="rId1"/>'
        b"</sheets></workbook>",
        "xl/_rels/workbook.xml.rels": b'<Relationships xmlns="'
        + ns
        + b'package/2006/relationships"><Relationship Id="rId1" Type="'
        + rel
        + b'/worksheet" Target="worksheets/sheet1.xml"/></Relationships>',
        "xl/worksheets/sheet1.xml": b"<worksheet><sheetData>" + rows + b"</sheetData></worksheet>",
    }
    with zipfile.ZipFile(path, "w") as book:
        for name, data in parts.items():
            book.writestr(name, data)
    return path


def test_a_tag_across_the_end_of_a_chunk_is_measured_whole(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A 4 KiB chunk ends inside a cell's long value (a > in it); the cell, ZZ500 to
    calamine too, is measured with the next chunk."""
    monkeypatch.setattr(guard, "CHUNK", 4096)
    value = b"B" * 4000 + b">c " + b"D" * 400
    rows = b'<row r="1"><c r="A1" x="' + value + b'" r="ZZ500"><v>2</v></c></row>'
    scans = guard.check_xlsx(_book(tmp_path / "r.xlsx", rows + b"<row><c/></row>" * 10))
    assert (scans["花名册"].rows, scans["花名册"].cols) == (500, 702)


def test_a_tag_in_a_value_across_the_end_of_a_chunk_is_refused(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The chunk's last < is in a value: read from there, the rest of the tag hid ZZ500 (the
    guard measured 11 x 1, calamine 500 x 702). A < in a value is no XML a program writes."""
    monkeypatch.setattr(guard, "CHUNK", 4096)
    value = b"B" * 4000 + b"<c " + b"D" * 400
    rows = b'<row r="1"><c r="A1" x="' + value + b'" r="ZZ500"><v>2</v></c></row>'
    with pytest.raises(DataError) as caught:
        guard.check_xlsx(_book(tmp_path / "r.xlsx", rows + b"<row><c/></row>" * 10))
    assert caught.value.findings[0].rule == "AMD021"


def test_markup_that_never_closes_is_refused_with_its_place(tmp_path: Path) -> None:
    rows = b'<row r="1"><c r="A1" x="oops><v>1</v></c></row>'
    with pytest.raises(DataError) as caught:
        guard.check_xlsx(_book(tmp_path / "r.xlsx", rows))
    (finding,) = caught.value.findings
    assert finding.rule == "AMD021"
    assert finding.location.sheet == "花名册"
    assert "from byte 33 on, holds markup that does not close" in finding.message
    assert '<c r="A1" x="oops>' in finding.message


def test_a_refused_sheet_leaves_no_reader_behind(tmp_path: Path) -> None:
    """The next chunk is inflated in a worker while one is measured; once the refusal has left
    the guard, that worker is gone."""
    rows = b'<row r="1"><c r="A1" x="oops><v>1</v></c></row>'
    with pytest.raises(DataError) as caught:
        guard.check_xlsx(_book(tmp_path / "r.xlsx", rows))
    assert caught.value.findings[0].rule == "AMD021"
    assert not [t for t in threading.enumerate() if t.name.startswith("amctl-inflate")]
