"""The input guard's own readings, where the catalogue's whole files are too coarse."""

from __future__ import annotations

import re
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


def test_a_chunk_ending_in_a_quoted_value_does_not_hide_the_tags_after_it(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The last `<` of a chunk may sit in a quoted value; the tag it is in is measured whole
    with the next chunk, so the cell after it (ZZ500, as calamine places it) is seen."""
    monkeypatch.setattr(guard, "CHUNK", 4096)
    value = b"B" * 4000 + b"<c " + b"D" * 400
    rows = b'<row r="1"><c r="A1" x="' + value + b'" r="ZZ500"><v>2</v></c></row>'
    scans = guard.check_xlsx(_book(tmp_path / "r.xlsx", rows + b"<row><c/></row>" * 10))
    assert (scans["花名册"].rows, scans["花名册"].cols) == (500, 702)


def test_markup_that_never_closes_is_refused_with_its_place(tmp_path: Path) -> None:
    rows = b'<row r="1"><c r="A1" x="oops><v>1</v></c></row>'
    with pytest.raises(DataError) as caught:
        guard.check_xlsx(_book(tmp_path / "r.xlsx", rows))
    (finding,) = caught.value.findings
    assert finding.rule == "AMD021"
    assert finding.location.sheet == "花名册"
    assert "does not close from byte 33" in finding.message
    assert '<c r="A1" x="oops>' in finding.message
