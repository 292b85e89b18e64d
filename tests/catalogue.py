"""The bad-input catalogue as data: each case makes its input, runs one command, and states the
exit code and a fragment of what amctl must say. `tests/test_catalogue.py` runs every case and
keeps `docs/bad-inputs.md` — generated from these cases — in step (AMCTL_REGEN=1 rewrites it).
"""

from __future__ import annotations

import csv
import json
import re
import shutil
import zipfile
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from openpyxl import load_workbook

from tests.helpers import (
    DEFAULT_POLICY,
    EXAMPLE,
    Person,
    Team,
    declared_policy,
    declared_team,
    write_team,
    write_xlsx,
)

Make = Callable[[Path], list[str]]


@dataclass(frozen=True)
class Case:
    area: str
    input: str
    make: Make
    exit: int
    says: str  # a fragment the output must contain
    limited: bool = False  # also run as its own process under a time and memory limit
    env: tuple[tuple[str, str], ...] = ()  # environment for the run (a lowered budget)
    disk_full: bool = False  # run with every file write failing as on a full disk


def _policy(tmp: Path, old: str, new: str) -> Path:
    text = DEFAULT_POLICY.read_text(encoding="utf-8")
    assert old in text, old
    path = tmp / "policy.yaml"
    path.write_text(text.replace(old, new, 1), encoding="utf-8")
    return path


def check(old: str, new: str) -> Make:
    return lambda tmp: ["policy", "check", str(_policy(tmp, old, new))]


def check_text(text: str | bytes) -> Make:
    def make(tmp: Path) -> list[str]:
        path = tmp / "policy.yaml"
        if isinstance(text, bytes):
            path.write_bytes(text)
        else:
            path.write_text(text, encoding="utf-8")
        return ["policy", "check", str(path)]

    return make


def formula(text: str) -> Make:
    return check(
        "      formula: base_post_wage", f"      formula: {json.dumps(text, ensure_ascii=False)}"
    )


def payroll_with(text: str) -> Make:
    def make(tmp: Path) -> list[str]:
        policy = _policy(tmp, "      formula: base_post_wage", f"      formula: {json.dumps(text)}")
        return ["payroll", str(EXAMPLE), "--quarter", "2024Q3", "--policy", str(policy)]

    return make


def payroll_team(text: str) -> Make:
    """Pay a small team, one of whom has no exam score, under a changed base formula."""

    def make(tmp: Path) -> list[str]:
        policy = _policy(tmp, "      formula: base_post_wage", f"      formula: {json.dumps(text)}")
        team = _team()
        team.people[2].exam = None
        path = write_team(tmp / "roster.xlsx", team)
        return ["payroll", str(path), "--quarter", "2024Q3", "--policy", str(policy)]

    return make


def _team(n: int = 6) -> Team:
    return Team([Person(f"E{i:03d}", score=50 + 7 * i) for i in range(n)])


def grade_rows(
    edit: Callable[[list[list[object]], list[list[object]], list[list[object]]], None],
) -> Make:
    """Grade a small team after `edit(roster, performance, ratings)` changed its rows."""

    def make(tmp: Path) -> list[str]:
        team = _team()
        roster, perf, ratings = team.roster_rows(), team.performance_rows(), team.ratings_rows()
        edit(roster, perf, ratings)
        path = write_xlsx(
            tmp / "roster.xlsx", {"花名册": roster, "业绩": perf, "能力评价": ratings}
        )
        return ["grade", str(path), "--quarter", "2024Q3"]

    return make


def declared_grade(cells: list[list[object]], header: list[str] | None = None) -> Make:
    """Grade a team whose roster carries seed 004's own columns (用工性质, 参加工作日期,
    最佳销售奖), declared in the policy with their types."""

    def make(tmp: Path) -> list[str]:
        team = declared_team(cells)
        team.extra_header = header or team.extra_header
        policy = declared_policy(tmp / "policy.yaml")
        return ["grade", str(write_team(tmp / "roster.xlsx", team)), "--policy", str(policy)]

    return make


def declared_check(old: str, new: str) -> Make:
    return lambda tmp: ["policy", "check", str(declared_policy(tmp / "policy.yaml", old, new))]


def grade_file(write: Callable[[Path], Path]) -> Make:
    return lambda tmp: ["grade", str(write(tmp)), "--quarter", "2024Q3"]


def _set(table: int, row: int, col: int, value: object) -> Callable[..., None]:
    def edit(*tables: list[list[object]]) -> None:
        tables[table][row][col] = value

    return edit


def _csv_team(encoding: str) -> Callable[[Path], Path]:
    def write(tmp: Path) -> Path:
        team = _team()
        for name, rows in (
            ("roster", team.roster_rows()),
            ("performance", team.performance_rows()),
            ("ratings", team.ratings_rows()),
        ):
            with (tmp / f"{name}.csv").open("w", encoding=encoding, newline="") as fh:
                csv.writer(fh).writerows(rows)
        return tmp / "roster.csv"

    return write


def _bytes(name: str, data: bytes) -> Callable[[Path], Path]:
    def write(tmp: Path) -> Path:
        path = tmp / name
        path.write_bytes(data)
        return path

    return write


def _merged_header(tmp: Path) -> Path:
    path = write_team(tmp / "roster.xlsx", _team())
    wb = load_workbook(path)
    ws = wb["花名册"]
    ws.insert_rows(1)
    ws["A1"] = "员工编号"
    ws.merge_cells("A1:A2")  # a header spanning two rows, as title blocks often do
    wb.save(path)
    return path


def _far_cell(tmp: Path) -> Path:
    path = write_team(tmp / "roster.xlsx", _team())
    wb = load_workbook(path)
    wb["花名册"].cell(row=1_048_576, column=16_384, value="x")  # one stray cell at XFD1048576
    wb.save(path)
    return path


def _encrypted(tmp: Path) -> Path:
    # a password-protected xlsx is an OLE2 compound file, not a zip
    path = tmp / "roster.xlsx"
    path.write_bytes(bytes.fromhex("D0CF11E0A1B11AE1") + b"\0" * 4096)
    return path


def _truncated(tmp: Path) -> Path:
    data = EXAMPLE.read_bytes()
    path = tmp / "roster.xlsx"
    path.write_bytes(data[: len(data) // 2])
    return path


def _zip_of(tmp: Path) -> Path:
    path = tmp / "roster.xlsx"
    with zipfile.ZipFile(path, "w") as z:
        z.writestr("hello.txt", "not a workbook")
    return path


def _out_is_input(tmp: Path) -> list[str]:
    copy = shutil.copy(EXAMPLE, tmp / "roster-2024Q3.xlsx")
    return ["grade", str(copy), "-o", str(copy), "--force"]


def _out_exists(tmp: Path) -> list[str]:
    (tmp / "g.csv").write_text("keep", encoding="utf-8")
    return ["grade", str(EXAMPLE), "-o", str(tmp / "g.csv")]


ROSTER, PERF, RATINGS = 0, 1, 2


def _alias_bomb(tmp: Path) -> list[str]:
    """Nine lines that expand to 9^9 nodes, under a key the schema does not know."""
    lines = ["apiVersion: amctl/v1", "kind: Policy", "junk:", "  a: &a [x, x, x, x, x, x, x, x, x]"]
    for i in range(1, 9):
        prev, name = chr(96 + i), chr(97 + i)
        lines.append(f"  {name}: &{name} [{', '.join(['*' + prev] * 9)}]")
    path = tmp / "bomb.yaml"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return ["policy", "check", str(path)]


def _deep(tmp: Path) -> list[str]:
    path = tmp / "deep.yaml"
    path.write_text("apiVersion: amctl/v1\nkind: Policy\nx: " + "[" * 10_000 + "]" * 10_000)
    return ["policy", "check", str(path)]


def _huge_policy(tmp: Path) -> list[str]:
    path = tmp / "huge.yaml"
    path.write_text(DEFAULT_POLICY.read_text(encoding="utf-8") + "# padding\n" * 120_000)
    return ["policy", "check", str(path)]


def _many_keys(tmp: Path) -> list[str]:
    path = tmp / "keys.yaml"
    keys = "".join(f"k{i}: 1\n" for i in range(45_000))
    path.write_text(DEFAULT_POLICY.read_text(encoding="utf-8") + keys, encoding="utf-8")
    return ["policy", "check", str(path)]


def _overrides_to_device(tmp: Path) -> list[str]:
    shutil.copytree(EXAMPLE.parent.parent, tmp / "data")
    (tmp / "overrides").mkdir()
    (tmp / "overrides" / "2024Q3.yaml").symlink_to("/dev/zero")
    return ["grade", str(tmp / "data" / "2024Q3" / "roster.xlsx"), "-w", str(tmp)]


def _revision_option(tmp: Path) -> list[str]:
    return ["policy", "diff", "--", f"--output={tmp / 'FILE'}:x", str(DEFAULT_POLICY)]


def _csv_long_field(tmp: Path) -> list[str]:
    path = tmp / "roster.csv"
    with path.open("w", encoding="utf-8", newline="") as fh:
        w = csv.writer(fh)
        w.writerow(["员工编号", "姓名", "所属部门", "任职日期", "学历"])
        w.writerow(["KM1", "王" + "x" * 200_000, "一部", "2015-01-01", "本科"])
    return ["roster", "check", str(path), "--quarter", "2024Q3"]


def _rewrite(
    tmp: Path,
    name: str,
    change: Callable[[str, bytes], tuple[str, bytes]],
    extra: dict[str, bytes] | None = None,
) -> Path:
    """The example workbook with its zip entries changed ((name, bytes) → (name, bytes)) and
    `extra` entries added."""
    out = tmp / name
    with zipfile.ZipFile(EXAMPLE) as src, zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as dst:
        for info in src.infolist():
            entry, data = change(info.filename, src.read(info.filename))
            dst.writestr(entry, data)
        for entry, data in (extra or {}).items():
            dst.writestr(entry, data)
    return out


def _with_rows(rows: bytes, entry: str = "xl/worksheets/sheet1.xml", first: bool = False) -> Make:
    def make(tmp: Path) -> list[str]:
        def change(name: str, data: bytes) -> tuple[str, bytes]:
            if name == "xl/worksheets/sheet1.xml" and first:  # before the table's own rows
                data = re.sub(rb"<sheetData\s*>", lambda m: m.group() + rows, data)
            elif name == "xl/worksheets/sheet1.xml":
                data = data.replace(b"</sheetData>", rows + b"</sheetData>")
                name = entry
            if name == "xl/_rels/workbook.xml.rels":
                data = data.replace(b"worksheets/sheet1.xml", entry.removeprefix("xl/").encode())
            return name, data

        return ["roster", "check", str(_rewrite(tmp, "r.xlsx", change)), "--quarter", "2024Q3"]

    return make


def _damaged_deflate(tmp: Path) -> list[str]:
    body = bytearray(EXAMPLE.read_bytes())
    with zipfile.ZipFile(EXAMPLE) as book:
        info = book.getinfo("xl/worksheets/sheet1.xml")
    start = info.header_offset + 30 + len(info.filename) + len(info.extra) + 200
    body[start : start + 64] = bytes(64)
    path = tmp / "r.xlsx"
    path.write_bytes(bytes(body))
    return ["roster", "check", str(path), "--quarter", "2024Q3"]


def _repacked(method: int | None = None, flag: int = 0) -> Make:
    """The example workbook with its sheet's zip entry said to be compressed by `method`, or
    with a general-purpose `flag` set (0x1 encrypted, 0x20 patched data), in its local header
    and in the central directory, as a zip tool leaves it."""

    def make(tmp: Path) -> list[str]:
        body = bytearray(EXAMPLE.read_bytes())
        name = b"xl/worksheets/sheet1.xml"
        # (signature, where its flags are, where its name's length is, where its name starts)
        for header, flags, size, start in ((b"PK\x03\x04", 6, 26, 30), (b"PK\x01\x02", 8, 28, 46)):
            at = body.find(header)
            while at >= 0:
                length = int.from_bytes(body[at + size : at + size + 2], "little")
                if body[at + start : at + start + length] == name:
                    body[at + flags] |= flag
                    if method is not None:
                        body[at + flags + 2 : at + flags + 4] = method.to_bytes(2, "little")
                at = body.find(header, at + 4)
        path = tmp / "r.xlsx"
        path.write_bytes(bytes(body))
        return ["roster", "check", str(path), "--quarter", "2024Q3"]

    return make


def _broken_name(tmp: Path) -> list[str]:
    """The example workbook with an entry whose name, flagged as UTF-8, is not UTF-8."""
    path = _rewrite(tmp, "r.xlsx", lambda name, data: (name, data), {"docProps/extra.xml": b"x"})
    body = bytearray(path.read_bytes())
    at = body.rfind(b"docProps/extra.xml")  # the central directory's copy of the name
    body[at + 9] = 0xFF  # docProps/\xffxtra.xml
    body[at - 46 + 9] |= 0x08  # general-purpose flag bit 11: the name is UTF-8
    path.write_bytes(bytes(body))
    return ["roster", "check", str(path), "--quarter", "2024Q3"]


def _lying_size(tmp: Path) -> list[str]:
    """The example workbook whose sheet's zip headers declare the size and CRC-32 of its
    rows up to the last but one, while its deflated data holds a row with a cell at
    XFD1048576 after them: zipfile stops at the declared size, the readers do not."""
    import struct
    import zlib

    sheet = "xl/worksheets/sheet1.xml"
    out, directory = bytearray(), []
    with zipfile.ZipFile(EXAMPLE) as src:
        entries = [(info.filename, src.read(info.filename)) for info in src.infolist()]
    for name, data in entries:
        crc, size = zlib.crc32(data), len(data)
        if name == sheet:
            cut = data.rfind(b"</row>") + len(b"</row>")
            crc, size = zlib.crc32(data[:cut]), cut
            data = (
                data[:cut] + b'<row r="1048576"><c r="XFD1048576"><v>1</v></c></row>' + data[cut:]
            )
        packer = zlib.compressobj(6, zlib.DEFLATED, -15)
        packed = packer.compress(data) + packer.flush()
        raw, at = name.encode(), len(out)
        head = (crc, len(packed), size, len(raw))
        out += struct.pack("<IHHHHHIIIHH", 0x04034B50, 20, 0, 8, 0, 0x21, *head, 0) + raw + packed
        entry = ("<IHHHHHHIIIHHHHHII", 0x02014B50, 20, 20, 0, 8, 0, 0x21, *head, 0, 0, 0, 0, 0, at)
        directory.append(struct.pack(*entry) + raw)
    table = b"".join(directory)
    n = len(directory)
    end = struct.pack("<IHHHHIIH", 0x06054B50, 0, 0, n, n, len(table), len(out), 0)
    path = tmp / "r.xlsx"
    path.write_bytes(bytes(out + table + end))
    return ["grade", str(path), "--quarter", "2024Q3"]


def _two_ends(tmp: Path) -> list[str]:
    """Two central directories, each with its end record: the first lists a sheet with a
    cell at XFD1048576 and its comment is the second record, whose comment runs past the
    file's end. The zip module takes the last record, the readers' library the last whose
    comment fits: they would read different sheets."""
    import struct
    import zlib

    sheet = "xl/worksheets/sheet1.xml"
    out = bytearray()

    def add(name: str, data: bytes) -> bytes:  # the entry, and its central directory record
        raw = name.encode()
        packer = zlib.compressobj(6, zlib.DEFLATED, -15)
        packed = packer.compress(data) + packer.flush()
        head = (zlib.crc32(data), len(packed), len(data), len(raw))
        at = len(out)
        out.extend(struct.pack("<IHHHHHIIIHH", 0x04034B50, 20, 0, 8, 0, 0x21, *head, 0))
        out.extend(raw + packed)
        entry = ("<IHHHHHHIIIHHHHHII", 0x02014B50, 20, 20, 0, 8, 0, 0x21, *head, 0, 0, 0, 0, 0, at)
        return struct.pack(*entry) + raw

    good, evil = [], []
    with zipfile.ZipFile(EXAMPLE) as src:
        for info in src.infolist():
            data = src.read(info.filename)
            record = add(info.filename, data)
            if info.filename == sheet:
                cut = data.rfind(b"</row>") + len(b"</row>")
                stray = b'<row r="1048576"><c r="XFD1048576"><v>1</v></c></row>'
                good.append(record)
                evil.append(add(info.filename, data[:cut] + stray + data[cut:]))
            else:
                good.append(record)
                evil.append(record)
    listed, kept = b"".join(evil), b"".join(good)
    n = len(good)
    evil_at = len(out)
    out += listed + struct.pack(
        "<IHHHHIIH", 0x06054B50, 0, 0, n, n, len(listed), evil_at, len(kept) + 22
    )
    good_at = len(out)
    out += kept + struct.pack("<IHHHHIIH", 0x06054B50, 0, 0, n, n, len(kept), good_at, 100)
    path = tmp / "r.xlsx"
    path.write_bytes(bytes(out))
    return ["roster", "check", str(path), "--quarter", "2024Q3"]


def _date_cell(value: bytes) -> Make:
    """The example roster with D4 (任职日期, in a date format) holding `value`."""

    def make(tmp: Path) -> list[str]:
        def change(name: str, data: bytes) -> tuple[str, bytes]:
            if name == "xl/worksheets/sheet1.xml":
                old = b'<c r="D4" s="1" t="n"><v>43252</v></c>'
                assert old in data
                data = data.replace(old, b'<c r="D4" s="1" t="n"><v>' + value + b"</v></c>")
            return name, data

        return ["grade", str(_rewrite(tmp, "r.xlsx", change)), "--quarter", "2024Q3"]

    return make


def _shared_index(value: bytes) -> Make:
    """The example roster with B4 (a name) made a shared-string cell whose index is `value`."""

    def make(tmp: Path) -> list[str]:
        def change(name: str, data: bytes) -> tuple[str, bytes]:
            if name == "xl/worksheets/sheet1.xml":
                cell = rb'<c r="B4" t="inlineStr"><is><t>[^<]*</t></is></c>'
                assert re.search(cell, data)
                data = re.sub(cell, b'<c r="B4" t="s"><v>' + value + b"</v></c>", data)
            return name, data

        return ["grade", str(_rewrite(tmp, "r.xlsx", change)), "--quarter", "2024Q3"]

    return make


ODS_HEAD = (
    b'<?xml version="1.0"?><office:document-content '
    b'xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0" '
    b'xmlns:table="urn:oasis:names:tc:opendocument:xmlns:table:1.0" '
    b'xmlns:text="urn:oasis:names:tc:opendocument:xmlns:text:1.0"><office:body>'
    b'<office:spreadsheet><table:table table:name="s">'
)


def _ods(rows: bytes) -> Make:
    def make(tmp: Path) -> list[str]:
        path = tmp / "r.ods"
        with zipfile.ZipFile(path, "w") as book:
            book.writestr("mimetype", "application/vnd.oasis.opendocument.spreadsheet")
            content = ODS_HEAD + rows + b"</table:table></office:spreadsheet></office:body>"
            book.writestr("content.xml", content + b"</office:document-content>", 8)
            book.writestr("META-INF/manifest.xml", "<manifest/>")
        return ["roster", "check", str(path), "--quarter", "2024Q3"]

    return make


def _parquet_rows(tmp: Path) -> list[str]:
    import pyarrow as pa
    import pyarrow.parquet as pq

    path = tmp / "roster.parquet"
    pq.write_table(pa.table({"员工编号": [f"KM{i}" for i in range(2_000)]}), path)
    return ["roster", "check", str(path), "--quarter", "2024Q3"]


def pa_scalar(kind: str, value: int) -> object:
    import pyarrow as pa

    if kind == "int64":
        return pa.scalar(value, pa.int64())
    return pa.scalar(value, pa.int32()).cast(pa.date32())


def _team_cell(suffix: str, column: str, value: object) -> Make:
    """The team as csv, or with its roster as parquet (each column as Arrow reads the csv),
    the first manager's `column` holding `value` (for parquet, an Arrow scalar)."""

    def make(tmp: Path) -> list[str]:
        roster = _csv_team("utf-8")(tmp)
        if suffix == ".csv":
            lines = roster.read_text(encoding="utf-8").splitlines(keepends=True)
            head = lines[0].rstrip("\r\n").split(",")
            cells = lines[1].rstrip("\r\n").split(",")
            cells[head.index(column)] = str(value)
            lines[1] = ",".join(cells) + "\r\n"
            roster.write_text("".join(lines), encoding="utf-8")
            return ["grade", str(roster), "--quarter", "2024Q3"]
        import pyarrow as pa
        import pyarrow.csv as pcsv
        import pyarrow.parquet as pq

        table = pcsv.read_csv(roster)
        at = table.schema.get_field_index(column)
        assert isinstance(value, pa.Scalar)
        cells = pa.concat_arrays(
            [pa.array([value.as_py() if value.type == pa.int64() else None], value.type)]
            if value.type == pa.int64()
            else [pa.array([value.value], pa.int32()).cast(value.type)]
        )
        rest = table.column(at).slice(1).cast(value.type)
        table = table.set_column(at, column, pa.chunked_array([cells, rest.combine_chunks()]))
        path = tmp / "roster.parquet"
        pq.write_table(table, path)
        roster.unlink()
        return ["grade", str(path), "--quarter", "2024Q3"]

    return make


def _shared_strings(tmp: Path) -> list[str]:
    table = b'<sst count="1" uniqueCount="1"><si><t>' + b"x" * 3_000_000 + b"</t></si></sst>"
    path = _rewrite(tmp, "r.xlsx", lambda n, d: (n, d), {"xl/sharedStrings.xml": table})
    return ["roster", "check", str(path), "--quarter", "2024Q3"]


def _many_formats(tmp: Path) -> list[str]:
    def change(name: str, data: bytes) -> tuple[str, bytes]:
        if name == "xl/styles.xml":
            data = re.sub(
                rb"<cellXfs[^>]*>", lambda m: m.group() + b'<xf numFmtId="0"/>' * 2_000_000, data
            )
        return name, data

    return ["roster", "check", str(_rewrite(tmp, "r.xlsx", change)), "--quarter", "2024Q3"]


def _open_quote(tmp: Path) -> list[str]:
    path = _csv_team("utf-8")(tmp)
    lines = path.read_text(encoding="utf-8").splitlines(keepends=True)
    lines[2] = lines[2].replace(",经理", ',"经理', 1)
    path.write_text("".join(lines), encoding="utf-8")
    return ["grade", str(path), "--quarter", "2024Q3"]


def _growth(value: object) -> Make:
    def edit(*tables: list[list[object]]) -> None:
        tables[PERF][1][6] = "5.88%"
        tables[PERF][2][6] = value

    return grade_rows(edit)


def _renamed(entry: str, relocate: bool = False) -> Make:
    """The roster sheet stored under another name (case, backslashes), or the whole workbook
    moved out of xl/, with a stray cell at XFD1048576: found as the reader finds it."""
    stray = b'<row r="1048576"><c r="XFD1048576"><v>1</v></c></row></sheetData>'

    def make(tmp: Path) -> list[str]:
        def change(name: str, data: bytes) -> tuple[str, bytes]:
            if name == "xl/worksheets/sheet1.xml":
                data, name = data.replace(b"</sheetData>", stray), entry
            if relocate and name == "_rels/.rels":
                data = data.replace(b"xl/workbook.xml", b"q/workbook.xml")
            if relocate and name.startswith("xl/"):
                data = data.replace(b"/xl/", b"/q/")
                name = "q/" + name[3:]
            return name, data

        return ["roster", "check", str(_rewrite(tmp, "r.xlsx", change)), "--quarter", "2024Q3"]

    return make


def _sheet_edit(edit: Callable[[bytes], bytes]) -> Make:
    def make(tmp: Path) -> list[str]:
        def change(name: str, data: bytes) -> tuple[str, bytes]:
            return name, edit(data) if name == "xl/worksheets/sheet1.xml" else data

        return ["roster", "check", str(_rewrite(tmp, "r.xlsx", change)), "--quarter", "2024Q3"]

    return make


def _many_merges(data: bytes) -> bytes:
    from amctl.data.cells import column_letter

    refs = "".join(f'<mergeCell ref="{column_letter(c)}1:XFD30"/>' for c in range(16_384))
    return re.sub(
        rb"<mergeCells.*?</mergeCells>",
        b"<mergeCells>" + refs.encode() + b"</mergeCells>",
        data,
        flags=re.S,
    )


def _golden_to_device(tmp: Path) -> list[str]:
    path = tmp / "p.test.yaml"
    path.write_text(
        "apiVersion: amctl/v1\nkind: PolicyTest\npolicy: /dev/zero\nquarter: 2024Q3\n"
        "cases:\n  - name: x\n    managers:\n      - {employee_id: A, post_start: 2015-01-01,"
        " education: 本科, ratings: 80, performance: {sales: 1}}\n    expect: {A: {tier: mid-A}}\n",
        encoding="utf-8",
    )
    return ["policy", "test", str(path)]


def _symlink_loop(tmp: Path) -> list[str]:
    (tmp / "a.xlsx").symlink_to(tmp / "b.xlsx")
    (tmp / "b.xlsx").symlink_to(tmp / "a.xlsx")
    return ["grade", str(EXAMPLE), "-o", str(tmp / "a.xlsx")]


def _dangling_link(tmp: Path) -> list[str]:
    (tmp / "g.xlsx").symlink_to(tmp / "gone" / "g.xlsx")
    return ["grade", str(EXAMPLE), "-o", str(tmp / "g.xlsx")]


def _quoted_rels(tmp: Path) -> list[str]:
    """The sheet moved outside xl/worksheets/, its relationship written with single quotes."""

    def change(name: str, data: bytes) -> tuple[str, bytes]:
        if name == "xl/worksheets/sheet1.xml":
            far = b'<row r="1048576"><c r="XFD1048576"><v>1</v></c></row>'
            return "xl/hidden/s1.xml", data.replace(b"</sheetData>", far + b"</sheetData>")
        if name == "xl/_rels/workbook.xml.rels":
            data = data.replace(b'Target="worksheets/sheet1.xml"', b"Target='hidden/s1.xml'")
            data = data.replace(b'Target="/xl/worksheets/sheet1.xml"', b"Target='hidden/s1.xml'")
        return name, data

    return ["roster", "check", str(_rewrite(tmp, "r.xlsx", change)), "--quarter", "2024Q3"]


def _wide_parquet(tmp: Path) -> list[str]:
    import pyarrow as pa
    import pyarrow.parquet as pq

    path = tmp / "roster.parquet"
    pq.write_table(pa.table({f"c{i}": [1] for i in range(20_000)}), path)
    return ["roster", "check", str(path), "--quarter", "2024Q3"]


CASES: dict[str, Case] = {
    # --- policy YAML -------------------------------------------------------------------------
    "yaml-syntax": Case(
        "policy",
        "YAML syntax error (an unclosed bracket)",
        check(
            "composite: {ability: 40, performance: 60}", "composite: {ability: 40, performance: 60"
        ),
        1,
        "[AMC001]",
    ),
    "yaml-duplicate-key": Case(
        "policy",
        "a key written twice",
        check("composite: {ability: 40, performance: 60}", "composite: {ability: 40, ability: 60}"),
        1,
        "duplicate key 'ability'",
    ),
    "yaml-tab": Case(
        "policy",
        "a tab used for indentation",
        check("  roster: [花名册, 人员, roster]", "\troster: [花名册, 人员, roster]"),
        1,
        "tab",
    ),
    "yaml-wrong-type": Case(
        "policy",
        "text where a number belongs",
        check("weight: 25,", "weight: heavy,"),
        1,
        "'heavy'",
    ),
    "yaml-unknown-key": Case(
        "policy",
        "a misspelt key",
        check(
            "teamwork: {label: 团队协作能力, weight: 10,",
            "teamwork: {label: 团队协作能力, wieght: 10,",
        ),
        1,
        "did you mean 'weight'?",
    ),
    "yaml-weights": Case(
        "policy",
        "ability weights summing to 95",
        check("weight: 25,", "weight: 20,"),
        1,
        "sum is 95, must be 100",
    ),
    "yaml-quotas": Case(
        "policy",
        "quota caps summing to 90 %",
        check("quota: {max: 50}", "quota: {max: 40}"),
        1,
        "quota caps sum to 90%",
    ),
    "yaml-missing-section": Case(
        "policy",
        "the composite section left out",
        check("composite: {ability: 40, performance: 60}", ""),
        1,
        "missing required key 'composite'",
    ),
    "yaml-api-version": Case(
        "policy",
        "an unknown apiVersion",
        check("apiVersion: amctl/v1", "apiVersion: amctl/v9"),
        1,
        "this amctl reads 'amctl/v1'",
    ),
    "yaml-bool": Case(
        "policy",
        "an unquoted `no`",
        check("rounding: floor", "rounding: no"),
        1,
        "'no' is ambiguous",
    ),
    "yaml-date": Case(
        "policy",
        "an impossible date",
        check("effective_from: 2024-07-01", "effective_from: 2024-13-01"),
        1,
        "'2024-13-01' cannot be read",
    ),
    "yaml-encoding": Case(
        "policy",
        "a policy saved as GBK",
        check_text("apiVersion: amctl/v1\n# 中文\n".encode("gb18030")),
        1,
        "not UTF-8",
    ),
    "yaml-empty": Case("policy", "an empty file", check_text(""), 1, "must be a YAML mapping"),
    "yaml-missing-file": Case(
        "policy",
        "a policy path that does not exist",
        lambda tmp: ["policy", "check", str(tmp / "nope.yaml")],
        2,
        "no such file",
    ),
    # --- formulas ----------------------------------------------------------------------------
    "formula-attribute": Case(
        "formula",
        "attribute access `level.upper()`",
        formula("level.upper()"),
        1,
        "attribute access (a.b) not allowed",
    ),
    "formula-import": Case(
        "formula",
        "`__import__('os')`",
        formula("__import__('os')"),
        1,
        "unknown function '__import__'",
    ),
    "formula-unknown-name": Case(
        "formula", "an unknown name", formula("base_wage * 2"), 1, "unknown name 'base_wage'"
    ),
    "formula-table-key": Case(
        "formula",
        "a table row that does not exist",
        formula("floating_wage['chief']"),
        1,
        "table floating_wage has no row 'chief'",
    ),
    "formula-power": Case(
        "formula",
        "`9**9**9`",
        formula("9**9**9"),
        1,
        "exponent must be a whole number from 0 to 10",
    ),
    "formula-aggregate-nested": Case(
        "formula",
        "an aggregate inside an aggregate",
        formula("unit_sum(sales / unit_sum(sales))"),
        1,
        "unit_sum() cannot be inside unit_sum()",
    ),
    **{
        f"formula-hostile-{i:02d}": Case("formula", f"`{text}`", formula(text), 1, says)
        for i, (text, says) in enumerate(
            [
                ("lambda: 1", "lambda not allowed"),
                ("[x for x in range(9)]", "comprehensions not allowed"),
                ("{x: 1 for x in 'ab'}", "comprehensions not allowed"),
                ("sum(x for x in [1])", "generator expressions not allowed"),
                ("{'a': 1}['a']", "dicts not allowed"),
                ("[1, 2][0]", "lists not allowed"),
                ("(1, 2)", "tuples not allowed"),
                ("{1, 2}", "sets not allowed"),
                ("f'{level}'", "f-strings not allowed"),
                ("(y := 1)", "assignment (:=) not allowed"),
                ("floating_wage[level][0:1]", "slices not allowed"),
                ("open('/etc/passwd')", "unknown function 'open'"),
                ("eval('1+1')", "unknown function 'eval'"),
                ("exec('import os')", "unknown function 'exec'"),
                ("getattr(level, 'upper')", "unknown function 'getattr'"),
                ("().__class__.__bases__", "attribute access (a.b) not allowed"),
                ("__builtins__", "unknown name '__builtins__'"),
                ("round(1.5, ndigits=1)", "takes no keyword 'ndigits'"),
                ("years_in_post // 2", "operator '//' not allowed"),
                ("years_in_post % 2", "operator '%' not allowed"),
                ("years_in_post | 1", "operator '|' not allowed"),
                ("1 if level in 'mid' else 0", "'in' not allowed"),
                ("1 if level is 'mid' else 0", "'is' not allowed"),
                ("'a' * 10**9", "must be a number, not text"),
                ("10 ** 100", "exponent must be a whole number from 0 to 10"),
                ("(10 ** 10) ** 10", "a power of a power grows without bound"),
                ("1e400", "out of range"),
                ("9" * 20, "out of range"),
                ("level == '" + "x" * 70 + "'", "longer than 64 characters"),
                ("+".join(["years_in_post"] * 80), "characters"),
            ]
        )
    },
    "formula-divide-by-zero": Case(
        "formula",
        "division by zero at run time",
        payroll_with("base_post_wage / (years_in_post - years_in_post)"),
        2,
        "division by zero",
    ),
    "formula-missing-input": Case(
        "formula",
        "a formula reading a blank exam score",
        payroll_team("100 if exam_score >= 80 else 0"),
        2,
        "needs exam_score, which the data does not give",
    ),
    # --- spreadsheets ------------------------------------------------------------------------
    "sheet-missing-file": Case(
        "data",
        "a roster file that does not exist",
        lambda tmp: ["grade", str(tmp / "nope.xlsx"), "--quarter", "2024Q3"],
        2,
        "file not found",
    ),
    "sheet-no-roster": Case(
        "data",
        "a workbook without a roster sheet",
        grade_file(
            lambda tmp: write_xlsx(
                tmp / "r.xlsx", {"业绩": _team().performance_rows(), "员工": _team().roster_rows()}
            )
        ),
        2,
        "no roster sheet named 花名册/人员/roster",
    ),
    "sheet-corrupt": Case(
        "data", "a truncated xlsx", grade_file(_truncated), 2, "save a plain .xlsx copy"
    ),
    "sheet-not-workbook": Case(
        "data", "a zip that is no workbook", grade_file(_zip_of), 2, "cannot open as a workbook"
    ),
    "sheet-encrypted": Case(
        "data",
        "a password-protected xlsx",
        grade_file(_encrypted),
        2,
        "the workbook is password-protected (encrypted)",
    ),
    "sheet-gbk-csv": Case(
        "data",
        "csv files saved as GBK by Chinese Excel",
        grade_file(_csv_team("gb18030")),
        0,
        "6 roster rows: 6 graded, 0 not graded.",
    ),
    "csv-open-quote": Case(
        "data",
        "a csv with one quote left open (it would swallow the rows after it)",
        _open_quote,
        2,
        "roster.csv:3: error: line 3: a quote opened on this line is never closed, so the 4 lines",
    ),
    "percent-mixed": Case(
        "data",
        "a growth rate of 5.88% beside a plain 0.1559 (a 15.59 % cell whose format was lost)",
        _growth(0.1559),
        1,
        "业务增长率 0.1559 looks like a fraction (0–1), but the column is declared in percent",
    ),
    "percent-sign-in-number": Case(
        "data",
        "sales written as 120%",
        grade_rows(_set(PERF, 1, 1, "120%")),
        1,
        "销售额: '120%' is a percentage, but the policy reads this column as a plain number",
    ),
    "totals-row": Case(
        "data",
        "a 合计 row and a 注：footnote under the roster",
        grade_rows(
            lambda r, p, a: r.extend([["合计", None, None, None, None, 510], ["注：单位元"]])
        ),
        0,
        "2 row(s) left out, as they are not managers: row 8: a total (合计); row 9: a note",
    ),
    "sheet-bom-csv": Case(
        "data",
        "csv files with a UTF-8 BOM",
        grade_file(_csv_team("utf-8-sig")),
        0,
        "6 roster rows: 6 graded, 0 not graded.",
    ),
    "sheet-empty": Case(
        "data",
        "an empty roster sheet",
        grade_rows(lambda r, p, a: r.clear()),
        2,
        "the sheet is empty",
    ),
    "sheet-header-only": Case(
        "data",
        "a roster with headers only",
        grade_rows(lambda r, p, a: r.__delitem__(slice(1, None))),
        2,
        "the roster has no rows under its header",
    ),
    "sheet-missing-column": Case(
        "data",
        "no 任职日期 column",
        grade_rows(lambda r, p, a: [row.__delitem__(3) for row in r]),
        2,
        "no column for post_start; name a column one of: 任职日期",
    ),
    "id-invisible": Case(
        "roster",
        "an employee id with a zero-width space inside (looks like E001)",
        grade_rows(_set(ROSTER, 2, 0, "E\u200b001")),
        1,
        "holds an invisible character (U+200B); retype the id",
    ),
    "sheet-duplicate-id": Case(
        "data",
        "an employee id twice",
        grade_rows(_set(ROSTER, 2, 0, "E000")),
        1,
        "employee id E000 appears again in row 3",
    ),
    "sheet-nan": Case(
        "data",
        "NaN typed in a number column",
        grade_rows(_set(PERF, 1, 1, "NaN")),
        1,
        "NaN is not a finite number",
    ),
    "sheet-inf": Case(
        "data",
        "inf typed in a number column",
        grade_rows(_set(PERF, 1, 1, "inf")),
        1,
        "inf is not a finite number",
    ),
    "sheet-negative": Case(
        "data", "negative sales", grade_rows(_set(PERF, 1, 1, -50)), 1, "销售额 -50 is out of range"
    ),
    "sheet-absurd": Case(
        "data", "sales of 10^300", grade_rows(_set(PERF, 1, 1, 1e300)), 1, "is out of range"
    ),
    "sheet-text-number": Case(
        "data",
        "text in a number column",
        grade_rows(_set(PERF, 1, 1, "一百万")),
        1,
        "'一百万' is not a number",
    ),
    "sheet-decimal-comma": Case(
        "data",
        "a decimal comma (302,1)",
        grade_rows(_set(PERF, 1, 1, "302,1")),
        1,
        "a comma that is not a thousands separator",
    ),
    "sheet-full-width": Case(
        "data",
        "full-width digits (８５)",
        grade_rows(_set(PERF, 1, 5, "８５")),
        0,
        "6 graded, 0 not graded",
    ),
    "sheet-date-text": Case(
        "data",
        "dates as text (2019年3月1日)",
        grade_rows(_set(ROSTER, 1, 3, "2019年3月1日")),
        0,
        "6 graded, 0 not graded",
    ),
    "sheet-date-serial": Case(
        "data",
        "dates as Excel serials (43525)",
        grade_rows(_set(ROSTER, 1, 3, 43525)),
        0,
        "6 graded, 0 not graded",
    ),
    "sheet-bad-date": Case(
        "data",
        "an impossible date (2019-13-45)",
        grade_rows(_set(ROSTER, 1, 3, "2019-13-45")),
        1,
        "'2019-13-45' is not a real date",
    ),
    "sheet-future-start": Case(
        "data",
        "a post start after the quarter",
        grade_rows(_set(ROSTER, 1, 3, "2030-01-01")),
        1,
        "is after the as-of date",
    ),
    "sheet-merged-header": Case(
        "data",
        "a header cell merged over two rows",
        grade_file(_merged_header),
        0,
        "6 graded, 0 not graded",
    ),
    "sheet-far-cell": Case(
        "data",
        "a sheet stretched to XFD1048576 by one stray cell",
        grade_file(_far_cell),
        2,
        "stretches the sheet to 1,048,576 rows × 16,384 columns",
    ),
    "sheet-unknown-rater": Case(
        "data",
        "a rater the policy does not know",
        grade_rows(_set(RATINGS, 1, 1, "领导")),
        1,
        "rater '领导' is not defined",
    ),
    "sheet-ratings-unknown-manager": Case(
        "data",
        "ratings for someone not on the roster",
        grade_rows(lambda r, p, a: a.append(["X9", "上级", 80, 80, 80, 80, 80, 80])),
        0,
        "who is not on the roster; the row is not used",
    ),
    "sheet-no-performance": Case(
        "data",
        "a manager with no performance row",
        grade_rows(lambda r, p, a: p.__delitem__(2)),
        1,
        "no performance row for E001",
    ),
    "column-unknown-choice": Case(
        "data",
        "a 用工性质 that is not one of the policy's choices",
        declared_grade([["聘用工", "2010-03-01", "是"], ["临时工", "2010-03-01", "否"]]),
        1,
        "用工性质 '临时工' is not one of the choices 聘用工, 在册",
    ),
    "column-not-yes-no": Case(
        "data",
        "a yes/no column holding 也许",
        declared_grade([["聘用工", "2010-03-01", "也许"], ["在册", "2010-03-01", "否"]]),
        1,
        "最佳销售奖: '也许' is not yes/no; write 是 or 否",
    ),
    "column-declared-missing": Case(
        "data",
        "a column the policy declares is not in the roster",
        declared_grade([["聘用工", "2010-03-01", "是"]], ["岗位", "参加工作日期", "最佳销售奖"]),
        2,
        "no column for employment; name a column one of: 用工性质, 用工类型, employment",
    ),
    "column-choice-without-choices": Case(
        "policy",
        "a choice column without its choices",
        declared_check("    choices: [聘用工, 在册]\n", ""),
        1,
        "type: choice needs choices",
    ),
    "formula-date-arithmetic": Case(
        "formula",
        "a date column used as a number",
        declared_check(
            "      formula: base_post_wage", '      formula: "base_post_wage + work_start"'
        ),
        1,
        "'work_start' is a date: use it as years_since(work_start) or months_since(work_start)",
    ),
    # --- the file system ---------------------------------------------------------------------
    "out-is-input": Case(
        "files", "the output is the input workbook", _out_is_input, 2, "this is an input file"
    ),
    "out-no-folder": Case(
        "files",
        "the output folder does not exist",
        lambda tmp: ["grade", str(EXAMPLE), "-o", str(tmp / "no" / "g.csv")],
        2,
        "does not exist; create it first",
    ),
    "out-exists": Case(
        "files",
        "the output exists, no --force",
        _out_exists,
        2,
        "replaces a file only when told to; pass --force",
    ),
    "out-suffix": Case(
        "files",
        "an output format amctl does not write",
        lambda tmp: ["grade", str(EXAMPLE), "-o", str(tmp / "g.pdf")],
        2,
        "unknown output format '.pdf'",
    ),
    "out-disk-full": Case(
        "files",
        "the disk fills up while writing",
        lambda tmp: ["grade", str(EXAMPLE), "-o", str(tmp / "g.csv")],
        2,
        "No space left on device",
        disk_full=True,
    ),
    "out-no-permission": Case(
        "files",
        "an output folder that cannot be written",
        lambda tmp: ["grade", str(EXAMPLE), "-o", "/proc/g.csv"],
        2,
        "cannot write here",
    ),
    "init-unknown-policy": Case(
        "files",
        "`amctl init --policy` names a policy amctl does not ship",
        lambda tmp: ["init", str(tmp / "ws"), "--policy", "jinzhong"],
        2,
        "no bundled policy is named jinzhong; choose one of ct-group, jinzhong-tobacco",
    ),
    # --- hostile files (each also runs in a process with a time and memory limit) -----------
    "alias-bomb": Case(
        "hostile",
        "a 9-line YAML alias bomb (9^9 nodes) under an unknown key",
        _alias_bomb,
        1,
        "an alias (*a) repeats another part of the file",
        limited=True,
    ),
    "deep-nesting": Case(
        "hostile", "a policy nested 10,000 lists deep", _deep, 1, "nested more than 32", True
    ),
    "huge-policy": Case(
        "hostile",
        "a policy padded to over 1 MB of comments",
        _huge_policy,
        2,
        "raise the limit with the environment variable AMCTL_MAX_POLICY_BYTES",
        limited=True,
    ),
    "many-keys": Case(
        "hostile",
        "a policy with 45,000 unknown keys",
        _many_keys,
        1,
        "more than 20,000 values; no such file needs as many",
        limited=True,
    ),
    "policy-device": Case(
        "hostile",
        "--policy /dev/zero",
        lambda tmp: ["grade", str(EXAMPLE), "--policy", "/dev/zero"],
        2,
        "/dev/zero: not a regular file",
        limited=True,
    ),
    "overrides-device": Case(
        "hostile",
        "overrides/2024Q3.yaml, a symlink to /dev/zero",
        _overrides_to_device,
        2,
        "2024Q3.yaml: not a regular file",
        limited=True,
    ),
    "nan-cut": Case(
        "hostile",
        "a grid cut of .nan",
        check("    ability: [60, 80]", "    ability: [.nan, 80]"),
        1,
        "grid.cuts.ability.0: Input should be a finite number",
    ),
    "lookalike-name": Case(
        "hostile",
        "a formula naming ｂａｓｅ_post_wage in full-width letters",
        formula("ｂａｓｅ_post_wage"),
        1,
        "which Python would read as 'base_post_wage'; type names in ASCII",
    ),
    "revision-option": Case(
        "hostile",
        "policy diff -- '--output=FILE:x' (a revision read as a git option)",
        _revision_option,
        2,
        "a revision cannot start with '-'",
        limited=True,  # and FILE is not written
    ),
    "year-9999": Case(
        "hostile",
        "--quarter 9999Q4",
        lambda tmp: ["grade", str(EXAMPLE), "--quarter", "9999Q4"],
        2,
        "'9999Q4': the year must be between 1950 and 2100",
    ),
    "csv-long-field": Case(
        "hostile",
        "a csv field of 200,000 characters",
        _csv_long_field,
        2,
        "line 2: a field of more than 131,072 characters",
        limited=True,
    ),
    "row-99999999": Case(
        "hostile",
        "a cell in row 99,999,999 (made the reader abort the process)",
        _with_rows(b'<row r="99999999"><c r="A99999999"><v>1</v></c></row>'),
        2,
        "a cell at row 99,999,999, beyond what a spreadsheet program writes",
        limited=True,
    ),
    "cells-without-r": Case(
        "hostile",
        "rows of 20,000 cells written without their references",
        _with_rows(b"<row>" + b"<c><v>1</v></c>" * 20_000 + b"</row>"),
        2,
        "a cell at column 20,000, beyond what a spreadsheet program writes",
        limited=True,
    ),
    "sheet-elsewhere": Case(
        "hostile",
        "a sheet stored outside xl/worksheets/, with a cell at XFD1048576",
        _with_rows(b'<row r="1048576"><c r="XFD1048576"><v>1</v></c></row>', "xl/hidden/s1.xml"),
        2,
        "a cell at XFD1048576 stretches the sheet to 1,048,576 rows × 16,384 columns",
        limited=True,
    ),
    "damaged-deflate": Case(
        "hostile",
        "a workbook whose compressed sheet is damaged",
        _damaged_deflate,
        2,
        "the workbook's zip is damaged",
        limited=True,
    ),
    "zip-deflate64": Case(
        "hostile",
        "a workbook a zip tool repacked: its sheet compressed with Deflate64",
        _repacked(method=9),
        2,
        "is compressed with Deflate64, which no spreadsheet program writes",
    ),
    "zip-encrypted": Case(
        "hostile",
        "a workbook whose sheet's zip entry is encrypted",
        _repacked(flag=0x1),
        2,
        "zip entry xl/worksheets/sheet1.xml is encrypted",
    ),
    "zip-broken-name": Case(
        "hostile",
        "a zip entry whose name is flagged UTF-8 but is not (docProps/\\xffxtra.xml)",
        _broken_name,
        2,
        "cannot open as a workbook ('utf-8' codec can't decode byte 0xff",
    ),
    "zip-size-lies": Case(
        "hostile",
        "a sheet's zip headers declare its rows up to the last; its data holds XFD1048576 after",
        _lying_size,
        2,
        "Bad CRC-32 for file 'xl/worksheets/sheet1.xml'",
        limited=True,
    ),
    "zip-two-ends": Case(
        "hostile",
        "two zip end records: the readers' lists a sheet with XFD1048576, the zip module's not",
        _two_ends,
        2,
        "the workbook's zip has two end records",
        limited=True,
    ),
    "date-panic": Case(
        "hostile",
        "a date-formatted cell holding -1e12 days (the reader panics)",
        _date_cell(b"-1e12"),
        2,
        "sheet '花名册' cannot be read (TimeDelta::milliseconds out of bounds)",
    ),
    "shared-index": Case(
        "hostile",
        "a shared-string cell whose index is not a number (the reader takes it for the first)",
        _shared_index(b"abc"),
        2,
        "cell B4 is marked as a shared string but holds 'abc', not one whole-number index",
    ),
    "csv-year-0": Case(
        "hostile",
        "a csv date of the year 0 (0000-01-01), which Arrow reads and Python cannot hold",
        _team_cell(".csv", "任职日期", "0000-01-01"),
        1,
        "D2: 任职日期: '0000-01-01' is not a real date",
    ),
    "parquet-year-0": Case(
        "hostile",
        "a parquet date32 of the year 0 (-719,529 days)",
        _team_cell(".parquet", "任职日期", pa_scalar("date32", -719_529)),
        1,
        "任职日期: '-0001-12-31' is not a date",
    ),
    "parquet-int-2-63": Case(
        "hostile",
        "a parquet int64 score of 2^63 - 1 (no float of its own)",
        _team_cell(".parquet", "技能考试成绩", pa_scalar("int64", 2**63 - 1)),
        1,
        "技能考试成绩 9.22337e+18 is out of range [0, 100]",
    ),
    "zip-patched": Case(
        "hostile",
        "a sheet's zip entry flagged as patched data (flag bit 5), which no reader implements",
        _repacked(flag=0x20),
        2,
        "the workbook's zip is damaged (NotImplementedError: compressed patched data",
    ),
    "shared-strings": Case(
        "hostile",
        "shared strings that inflate past the budget (AMCTL_MAX_SHEET_BYTES=1000000 here)",
        _shared_strings,
        2,
        "the shared strings inflate to 3,0",
        limited=True,
        env=(("AMCTL_MAX_SHEET_BYTES", "1000000"),),
    ),
    "ods-repeated": Case(
        "hostile",
        "an ODS row repeated 1,000,000 times with 1,000 filled cells",
        _ods(
            b'<table:table-row table:number-rows-repeated="1000000"><table:table-cell '
            b'table:number-columns-repeated="1000" office:value-type="float" office:value="1">'
            b"<text:p>1</text:p></table:table-cell></table:table-row>"
        ),
        2,
        "repeated rows and cells stretch a table to 1,000,000 rows × 1,000 columns",
        limited=True,
    ),
    "ods-empty-repeats": Case(
        "hostile",
        "an ODS with a billion empty repeated cells (20 s of the reader's time)",
        _ods(
            b"<table:table-row><table:table-cell><text:p>x</text:p></table:table-cell>"
            b'</table:table-row><table:table-row table:number-rows-repeated="1048000">'
            b'<table:table-cell table:number-columns-repeated="1024"/></table:table-row>'
        ),
        2,
        "stand for 1,073,152,001 cells to walk through",
        limited=True,
    ),
    "parquet-rows": Case(
        "hostile",
        "a parquet file declaring more rows than the budget (AMCTL_MAX_ROWS=1000 here)",
        _parquet_rows,
        2,
        "the file declares 2,000 rows, over the limit of 1,000",
        limited=True,
        env=(("AMCTL_MAX_ROWS", "1000"),),
    ),
    "roster-device": Case(
        "hostile",
        "/dev/zero as the roster",
        lambda tmp: ["roster", "check", "/dev/zero", "--quarter", "2024Q3"],
        2,
        "not a regular file (a device, a pipe or a socket)",
        limited=True,
    ),
    "golden-device": Case(
        "hostile",
        "golden cases whose policy: is /dev/zero",
        _golden_to_device,
        2,
        "/dev/zero: not a regular file",
        limited=True,
    ),
    "sheet-inflates": Case(
        "hostile",
        "a sheet that inflates past the budget (AMCTL_MAX_SHEET_BYTES=20000 here)",
        lambda tmp: [
            "roster",
            "check",
            str(shutil.copy(EXAMPLE, tmp / "r.xlsx")),
            "--quarter",
            "2024Q3",
        ],
        2,
        "the sheet inflates to",
        limited=True,
        env=(("AMCTL_MAX_SHEET_BYTES", "20000"),),
    ),
    "huge-integer": Case(
        "hostile",
        "a grid cut written as a 200,000-digit number",
        check("    ability: [60, 80]", "    ability: [0x" + "F" * 200_000 + ", 80]"),
        1,
        "(got a number too long to show)",
        limited=True,
    ),
    "output-symlink-loop": Case(
        "hostile",
        "-o a symlink that loops",
        _symlink_loop,
        2,
        "a.xlsx: a symlink loop; write the output somewhere else",
    ),
    "output-dangling-link": Case(
        "hostile",
        "-o a symlink to a file that does not exist",
        _dangling_link,
        2,
        "which does not exist; amctl replaces the link only when told to (--force)",
    ),
    "cell-z1048576": Case(
        "hostile",
        "a cell at Z1048576 (27 million cells, 870 MB as the reader's grid)",
        _with_rows(b'<row r="1048576"><c r="Z1048576"><v>1</v></c></row>'),
        2,
        "a cell at Z1048576 stretches the sheet to 1,048,576 rows × 26 columns",
        limited=True,
    ),
    "ref-quoted-spaced": Case(
        "hostile",
        "a cell reference in single quotes with spaces: r = 'A99999999'",
        _with_rows(b"<row r = '99999999'><c r = 'A99999999'><v>1</v></c></row>"),
        2,
        "a cell at row 99,999,999, beyond what a spreadsheet program writes",
        limited=True,
    ),
    "ref-lowercase": Case(
        "hostile",
        'a reference in lowercase letters: <c r="xfd900000"> in row 9,000',
        _with_rows(b'<row r="9000"><c r="xfd900000"><v>1</v></c></row>'),
        2,
        "a cell at XFD900000 stretches the sheet to 900,000 rows × 16,384 columns",
        limited=True,
    ),
    "ref-leading-zeros": Case(
        "hostile",
        'a reference with leading zeros: <c r="A0099999999">',
        _with_rows(b'<row r="90"><c r="A0099999999"><v>1</v></c></row>'),
        2,
        "a cell at row 99,999,999, beyond what a spreadsheet program writes",
        limited=True,
    ),
    "ref-far-first": Case(
        "hostile",
        "the first row of the sheet holds a cell at Z1048576 (out of order, under row 1's tag)",
        _with_rows(b'<row r="1"><c r="Z1048576"><v>1</v></c></row>', first=True),
        2,
        "a cell at Z1048576 stretches the sheet to 1,048,576 rows × 26 columns",
        limited=True,
    ),
    "ref-prefixed-tab": Case(
        "hostile",
        'a cell with a namespace prefix and a tab: <x:c\\tr="XFD1048576">',
        _with_rows(b'<x:row r="90"><x:c\tr="XFD1048576"><x:v>1</x:v></x:c></x:row>'),
        2,
        "a cell at XFD1048576 stretches the sheet to 1,048,576 rows × 16,384 columns",
        limited=True,
    ),
    "ref-bare-after-far": Case(
        "hostile",
        "cells without references after one at XFA90: the reader places them past XFD",
        _with_rows(b'<row r="90"><c r="XFA90"><v>1</v></c>' + b"<c><v>1</v></c>" * 20 + b"</row>"),
        2,
        "a cell at column 16,401, beyond what a spreadsheet program writes",
        limited=True,
    ),
    "csv-blank-lines": Case(
        "hostile",
        "a csv of 30 million blank lines (a list each for the csv reader)",
        lambda tmp: [
            "roster",
            "check",
            str(_bytes("roster.csv", "员工编号,姓名\n".encode() + b"\n" * 30_000_000)(tmp)),
            "--quarter",
            "2024Q3",
        ],
        2,
        "the file has 30,000,001 lines, over the limit of 20,000,000",
        limited=True,
    ),
    "styles-formats": Case(
        "hostile",
        "styles.xml with two million cell formats (the reader parses each one)",
        _many_formats,
        2,
        "styles.xml declares 2,000,0",
        limited=True,
    ),
    "entry-case": Case(
        "hostile",
        "the sheet stored as xl\\Worksheets\\sheet1.xml, with a cell at XFD1048576",
        _renamed("xl\\Worksheets\\sheet1.xml"),
        2,
        "a cell at XFD1048576 stretches the sheet",
        limited=True,
    ),
    "workbook-moved": Case(
        "hostile",
        "the whole workbook moved out of xl/ (found through _rels/.rels), a cell at XFD1048576",
        _renamed("xl/worksheets/sheet1.xml", relocate=True),
        2,
        "a cell at XFD1048576 stretches the sheet",
        limited=True,
    ),
    "ref-in-other-value": Case(
        "hostile",
        '<c foo=" r=\'A1\'" r="XFD1048576">: a reference inside another attribute\'s value',
        _with_rows(b'<row r="9000"><c foo=" r=\'A1\'" r="XFD1048576"><v>1</v></c></row>'),
        2,
        "a cell at XFD1048576 stretches the sheet",
        limited=True,
    ),
    "row-ends": Case(
        "hostile",
        "a million stray </row> end tags before a cell without its reference",
        _sheet_edit(
            lambda d: d.replace(
                b"</sheetData>",
                b"<z>" * 1_048_570 + b"</row>" * 1_048_570 + b"<c><v>1</v></c></sheetData>",
            ).replace(b'<c r="A1"', b'<c r="XFD1"><v>0</v></c><c r="A1"', 1)
        ),
        2,
        "a cell at row 1,048,6",
        limited=True,
    ),
    "merge-whole-sheet": Case(
        "hostile",
        "a range merged over the whole sheet, and a cell in row 1,000,000",
        _sheet_edit(
            lambda d: re.sub(
                rb"<mergeCells.*?</mergeCells>",
                b'<mergeCells count="1"><mergeCell ref="A1:XFD1048576"/></mergeCells>',
                d.replace(
                    b"</sheetData>",
                    b'<row r="1000000"><c r="A1000000"><v>1</v></c></row></sheetData>',
                ),
                flags=re.S,
            )
        ),
        2,
        "no header row found in the first 30 rows",
        limited=True,
    ),
    "many-merges": Case(
        "hostile",
        "16,384 merged ranges over the first 30 rows",
        _sheet_edit(_many_merges),
        2,
        "no header row found",
        limited=True,
    ),
    "bad-head-values": Case(
        "hostile",
        'a number cell holding text (<c t="n"><v>abc</v>) in the first rows',
        _sheet_edit(
            lambda d: re.sub(rb'(<c r="F4"[^>]*>)<v>[^<]*</v>', rb"\1<v>abc</v>", d, count=1)
        ),
        2,
        "cannot be read (",
        limited=True,
    ),
    "ods-entity": Case(
        "hostile",
        "an ODS repeat count written as a character reference (&#49;000001)",
        _ods(
            b'<table:table-row table:number-rows-repeated="&#49;000001"><table:table-cell '
            b'table:number-columns-repeated="20" office:value-type="float" office:value="1">'
            b"<text:p>1</text:p></table:table-cell></table:table-row>"
        ),
        2,
        "repeated rows and cells stretch a table to 1,000,001 rows × 20 columns",
        limited=True,
    ),
    "csv-wide-line": Case(
        "hostile",
        "a csv line of 5,000,000 commas (an array for each column)",
        lambda tmp: [
            "roster",
            "check",
            str(_bytes("roster.csv", b"a" + b"," * 5_000_000 + b"\n")(tmp)),
            "--quarter",
            "2024Q3",
        ],
        2,
        "line 1 has 5,000,001 columns, over the limit of 10,000",
        limited=True,
    ),
    "ods-single-quotes": Case(
        "hostile",
        "an ODS repeat written with single quotes",
        _ods(
            b"<table:table-row table:number-rows-repeated='3000000'><table:table-cell "
            b"table:number-columns-repeated = '10' office:value-type='float' office:value='1'>"
            b"<text:p>1</text:p></table:table-cell></table:table-row>"
        ),
        2,
        "repeated rows and cells stretch a table to 3,000,000 rows × 10 columns",
        limited=True,
    ),
    "ods-spaces": Case(
        "hostile",
        'an ODS cell of <text:s text:c="2000000000"/> (two billion spaces)',
        _ods(
            b'<table:table-row><table:table-cell><text:p>x<text:s text:c="2000000000"/>'
            b"</text:p></table:table-cell></table:table-row>"
        ),
        2,
        "the text asks for 2,000,000,000 repeated spaces",
        limited=True,
    ),
    "rels-single-quotes": Case(
        "hostile",
        "a sheet outside xl/worksheets/ whose relationship uses single quotes",
        _quoted_rels,
        2,
        "a cell at XFD1048576",
        limited=True,
    ),
    "parquet-columns": Case(
        "hostile",
        "a parquet file of 20,000 columns",
        _wide_parquet,
        2,
        "the file declares 20,000 columns, over the limit of 10,000",
        limited=True,
    ),
    "quote-never-closes": Case(
        "hostile",
        'a quoted value that never closes: <c r="A90" x="oops> to the end of the sheet',
        _with_rows(b'<row r="90"><c r="A90" x="oops><v>1</v></c></row>'),
        2,
        "holds markup that does not close or that no spreadsheet program writes",
        limited=True,
    ),
}
