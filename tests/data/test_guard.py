"""The input guard's own readings, where the catalogue's whole files are too coarse."""

from __future__ import annotations

import re
import threading
import zipfile
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from amctl.data import guard
from amctl.data.cells import column_letter
from amctl.data.grid import Grid
from amctl.data.guard import _ODS_ROWS, _repeat
from amctl.errors import DataError
from tests.helpers import spy


def test_an_ods_repeat_of_a_digit_no_program_counts_with_is_one() -> None:
    found = _ODS_ROWS.search(b'table:number-rows-repeated="&#178;"')
    assert isinstance(found, re.Match) and _repeat(found) == 1


def _book(path: Path, rows: bytes, tail: bytes = b"") -> Path:
    """A workbook of one sheet, 花名册, whose sheetData holds `rows` as written, `tail` after it."""
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
        "xl/worksheets/sheet1.xml": b"<worksheet><sheetData>"
        + rows
        + b"</sheetData>"
        + tail
        + b"</worksheet>",
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


_ROW = '<row r="{r}" spans="1:3"><c r="{col}{r}" t="s"><v>7</v></c><c r="A{r}"><v>1.5</v></c></row>'
_ODD_ROWS = [  # each in a shape no spreadsheet program writes: from there on, measured in order
    "<row><c><v>1</v></c><c/></row>",
    "<row r='{r}'><c r='{col}{r}'/></row>",
    '<!-- <row r="{r}"/> --><row r="{r}"><c r="{col}{r}"/></row>',
    '<row r="{r}"><c r="{col}{r}"><f>IF(A1="x",1)</f><v>1</v></c></row>',
]


def _scan_in_pieces(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, rows: bytes, chunk: int
) -> tuple[guard.SheetScan, list[bytes]]:
    """The sheet's scan with chunks of `chunk` bytes, and the pieces measured by the workers."""
    monkeypatch.setattr(guard, "CHUNK", chunk)
    monkeypatch.setattr(guard, "PIECE", chunk // 3)  # a chunk cut into pieces too
    measured = spy(monkeypatch, guard, "_whole")
    book = _book(tmp_path / "r.xlsx", rows, _MERGED)
    return guard.check_xlsx(book)["花名册"], [piece for (piece,) in measured]


_MERGED = b'<mergeCells count="2"><mergeCell ref="A1:C1"/><mergeCell ref="B2:B3"/></mergeCells>'


@settings(
    max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(
    st.lists(st.tuples(st.integers(1, 3000), st.integers(1, 300)), min_size=1, max_size=60),
    st.integers(64, 700),
)
def test_pieces_measured_beside_each_other_measure_every_reference(
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    refs: list[tuple[int, int]],
    chunk: int,
) -> None:
    """Rows in the programs' shape, in any order, cut into pieces at row starts and measured
    in workers: the largest row and column any reference names, as measured in one go."""
    rows = "".join(_ROW.format(r=r, col=column_letter(c - 1)) for r, c in refs).encode()
    scan, pieces = _scan_in_pieces(tmp_path, monkeypatch, rows, chunk)
    assert (scan.rows, scan.cols) == (max(r for r, _ in refs), max(c for _, c in refs))
    whole = Grid()
    whole.feed(rows)
    assert (scan.rows, scan.cols) == (whole.rows, whole.cols)
    assert scan.merged == ("A1:C1", "B2:B3")
    if len(rows) > 3 * chunk:
        assert len(pieces) >= 2  # the workers had a part, in pieces


@settings(
    max_examples=80, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(
    st.lists(
        st.tuples(
            st.sampled_from([_ROW, _ROW, *_ODD_ROWS]), st.integers(1, 3000), st.integers(1, 300)
        ),
        min_size=1,
        max_size=60,
    ),
    st.integers(64, 700),
)
def test_a_piece_in_another_shape_never_lowers_the_measure(
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    found: list[tuple[str, int, int]],
    chunk: int,
) -> None:
    """Whatever piece will not go on the fast path, the measure is at least what the reader's
    rules (the tokenizer, over the whole sheet) give."""
    rows = "".join(p.format(r=r, col=column_letter(c - 1)) for p, r, c in found).encode()
    scan, _ = _scan_in_pieces(tmp_path, monkeypatch, rows, chunk)
    exact = Grid()
    assert exact._tokens(rows) == len(rows)
    assert scan.rows >= exact.rows
    assert scan.cols >= exact.cols


def test_a_stray_cell_in_a_piece_is_refused_and_no_worker_is_left(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    rows = b"".join(_ROW.format(r=r, col="C").encode() for r in range(1, 400))
    rows += b'<row r="400"><c r="XFD1048576"><v>1</v></c></row>' + rows
    with pytest.raises(DataError) as caught:
        _scan_in_pieces(tmp_path, monkeypatch, rows, 512)
    assert "XFD1048576" in caught.value.findings[0].message
    assert not [t for t in threading.enumerate() if t.name.startswith("amctl-measure")]


@pytest.mark.parametrize("chunk", [32, 48, 64, 4096])
def test_a_row_behind_a_comment_holding_a_gt_is_measured_as_the_reader_reads_it(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, chunk: int
) -> None:
    """python-calamine reads this sheet as 30 rows by 26 columns (Z30): the comment ends at
    -->, and the row after it is a row. Cut before the <row r=" in the comment, or read
    from a < inside it, the row hid in what looked like an instruction (1 x 1)."""
    rows = (
        b'<row r="1"><c r="A1"><v>1</v></c></row>'
        b'<!-- > <row r="1"></row><?x -->'
        b"<row r='30'><c r='Z30'><v>5</v></c></row>"
        b"?>"
    )
    scan, _ = _scan_in_pieces(tmp_path, monkeypatch, rows, chunk)
    assert (scan.rows, scan.cols) == (30, 26)


def test_a_sheet_under_a_prefix_is_measured_in_pieces_and_its_head_read_without_it(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The Open XML SDK writes <x:row r="1"><x:c r="A1">: cut before <x:row r=", measured in
    pieces, and the head rows kept as the reader reads them, without the prefix."""
    refs = [(r, 1 + r % 40) for r in range(1, 120)]
    rows = "".join(_ROW.format(r=r, col=column_letter(c - 1)) for r, c in refs).encode()
    prefixed = re.sub(rb"<(/?)(?=(?:row|c|v)\b)", rb"<\1x:", rows)
    scan, pieces = _scan_in_pieces(tmp_path, monkeypatch, prefixed, 512)
    assert (scan.rows, scan.cols) == (119, 40)
    assert sum(p.startswith(b'<x:row r="') for p in pieces) >= len(pieces) - 1
    assert sum(map(len, pieces)) > len(prefixed) - 2 * 512  # all joined on: none in order
    assert scan.head.startswith(b"<worksheet><sheetData><row r=") and b"x:" not in scan.head


@pytest.mark.parametrize("suffix", [".xlsx", ".ods"])
def test_an_entry_packed_as_no_spreadsheet_program_packs_it_is_refused_by_name(
    tmp_path: Path, suffix: str
) -> None:
    """LZMA the zip module can inflate, the readers cannot: refused by the entry's method,
    before any reader is given it (Deflate64, which neither can, is the catalogue's case)."""
    path = _book(tmp_path / "r.xlsx", b'<row r="1"><c r="A1"><v>1</v></c></row>')
    if suffix == ".ods":
        path = tmp_path / "r.ods"
        with zipfile.ZipFile(path, "w") as book:
            book.writestr("mimetype", "application/vnd.oasis.opendocument.spreadsheet")
            book.writestr("content.xml", b"<office:document-content/>", zipfile.ZIP_LZMA)
    else:
        with zipfile.ZipFile(path, "a") as book:
            book.writestr("xl/media/image1.png", b"png", zipfile.ZIP_LZMA)
    check = guard.check_ods if suffix == ".ods" else guard.check_xlsx
    with pytest.raises(DataError) as refused:
        check(path)
    (finding,) = refused.value.findings
    assert finding.rule == "AMD001"
    entry = "content.xml" if suffix == ".ods" else "xl/media/image1.png"
    assert f"{entry} is compressed with LZMA" in finding.message


def _lying(path: Path, full: bytes, declared: int, crc_of: bytes, entry: str) -> Path:
    """The workbook at `path` with `entry` deflated from `full` while its headers declare
    `declared` as its size and the CRC-32 of `crc_of`: zipfile stops at the declared size."""
    import struct
    import zlib

    with zipfile.ZipFile(path) as src:
        entries = [(info.filename, src.read(info.filename)) for info in src.infolist()]
    out, directory = bytearray(), []
    for name, data in entries:
        crc, size = zlib.crc32(data), len(data)
        if name == entry:
            data, size, crc = full, declared, zlib.crc32(crc_of)
        packer = zlib.compressobj(6, zlib.DEFLATED, -15)
        packed = packer.compress(data) + packer.flush()
        raw, at = name.encode(), len(out)
        head = (crc, len(packed), size, len(raw))
        out += struct.pack("<IHHHHHIIIHH", 0x04034B50, 20, 0, 8, 0, 0x21, *head, 0) + raw + packed
        directory.append(
            struct.pack(
                "<IHHHHHHIIIHHHHHII", 0x02014B50, 20, 20, 0, 8, 0, 0x21, *head, 0, 0, 0, 0, 0, at
            )
            + raw
        )
    table = b"".join(directory)
    end = struct.pack(
        "<IHHHHIIH", 0x06054B50, 0, 0, len(directory), len(directory), len(table), len(out), 0
    )
    path.write_bytes(bytes(out + table + end))
    return path


def test_a_cell_past_an_entry_s_declared_size_is_measured_as_the_reader_reads_it(
    tmp_path: Path,
) -> None:
    """The reader inflates to the end of the compressed data and would build a grid of the
    cell at XFD1048576 that follows the declared bytes (512 GB); the guard reads as far."""
    declared = b'<worksheet><sheetData><row r="1"><c r="A1"><v>1</v></c></row>'
    stray = b'<row r="1048576"><c r="XFD1048576"><v>1</v></c></row></sheetData></worksheet>'
    book = _book(tmp_path / "r.xlsx", b"")
    full = declared + stray  # its CRC whole: the cell is found, not a bad CRC
    path = _lying(book, full, len(declared), full, "xl/worksheets/sheet1.xml")
    with pytest.raises(DataError) as refused:
        guard.check_xlsx(path)
    assert "XFD1048576" in refused.value.findings[0].message


@pytest.mark.parametrize("crc", ["of what is declared", "of all of it"])
def test_an_entry_that_inflates_past_its_declared_size_is_refused(tmp_path: Path, crc: str) -> None:
    declared = (
        b'<worksheet><sheetData><row r="1"><c r="A1"><v>1</v></c></row></sheetData></worksheet>'
    )
    full = declared + b" " * 1000
    crc_of = full if crc == "of all of it" else declared
    book = _book(tmp_path / "r.xlsx", b"")
    path = _lying(book, full, len(declared), crc_of, "xl/worksheets/sheet1.xml")
    with pytest.raises(DataError) as refused:
        guard.check_xlsx(path)
    (finding,) = refused.value.findings
    assert finding.rule == "AMD001"
    if crc == "of all of it":
        assert f"inflates to {len(full):,} bytes, not the {len(declared):,}" in finding.message
    else:
        assert "Bad CRC-32" in finding.message


def test_shared_strings_that_inflate_past_their_declared_size_are_refused(tmp_path: Path) -> None:
    strings = b"<sst><si><t>a</t></si></sst>"
    full = strings + b" " * 1000
    path = _book(tmp_path / "r.xlsx", b'<row r="1"><c r="A1" t="s"><v>0</v></c></row>')
    with zipfile.ZipFile(path, "a") as book:
        book.writestr("xl/sharedStrings.xml", strings)
    with zipfile.ZipFile(path) as book:
        assert "xl/sharedStrings.xml" in book.namelist()
    _lying(path, full, len(strings), full, "xl/sharedStrings.xml")
    with pytest.raises(DataError, match="inflates to 1,028 bytes, not the 28"):
        guard.check_xlsx(path)
