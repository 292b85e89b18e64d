"""Every output format through the command: the same run gives the same bytes, text never
becomes a formula, a workbook too large for its purpose says so and keeps its bar."""

from __future__ import annotations

import csv
from decimal import Decimal
from pathlib import Path
from typing import Any

import pandas as pd
import pyarrow as pa
import pyarrow.parquet as pq
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from openpyxl import load_workbook
from typer.testing import CliRunner

from amctl.cli.app import app
from amctl.export import formats, grading
from amctl.export.table import Table, records
from amctl.period import parse
from amctl.pipeline.grade import grade_files
from amctl.policy.loader import load_policy
from tests.export.test_flat import _series as flat_series
from tests.export.test_flat import columns as flat_columns
from tests.helpers import DEFAULT_POLICY, EXAMPLE, Person, Team, write_team

runner = CliRunner()
FORMULAS = ["=1+1", "+cmd|' /C calc'!A0", "@SUM(A1)", "-2+3"]


@pytest.mark.parametrize("suffix", [".csv", ".json", ".xlsx", ".parquet"])
@pytest.mark.parametrize("command", ["grade", "payroll"])
def test_the_same_run_gives_the_same_bytes(tmp_path: Path, command: str, suffix: str) -> None:
    made = []
    for name in ("a", "b"):
        out = tmp_path / f"{name}{suffix}"
        result = runner.invoke(app, [command, str(EXAMPLE), "-q", "2024Q3", "-o", str(out)])
        assert result.exit_code == 0, result.output
        made.append(out.read_bytes())
    assert made[0] == made[1]


def _roster_with_formulas(tmp_path: Path) -> list[str]:
    """A csv roster whose names a spreadsheet would run, beside the xlsx it came from."""
    team = Team([Person(f"KM{i:02d}", score=60 + i) for i in range(8)])
    book = write_team(tmp_path / "team.xlsx", team)
    rows = [[c.value for c in r] for r in load_workbook(book).worksheets[0].iter_rows()]
    for row, name in zip(rows[1:], FORMULAS, strict=False):
        row[1] = name
    with (tmp_path / "roster.csv").open("w", encoding="utf-8", newline="") as fh:
        csv.writer(fh).writerows(rows)
    return [str(tmp_path / "roster.csv"), "--performance", str(book), "--ratings", str(book)]


def test_no_output_runs_a_name_as_a_formula(tmp_path: Path) -> None:
    args = _roster_with_formulas(tmp_path)
    safe = {"'" + name for name in FORMULAS}
    for suffix in (".csv", ".xlsx", ".parquet"):
        out = tmp_path / f"g{suffix}"
        result = runner.invoke(app, ["grade", *args, "-q", "2024Q3", "-o", str(out)])
        assert result.exit_code == 0, result.output
        if suffix == ".csv":
            with out.open(encoding="utf-8-sig", newline="") as fh:
                names = [row["name"] for row in csv.DictReader(fh)]
        elif suffix == ".xlsx":
            ws = load_workbook(out)["分级结果"]
            names = [str(c.value) for c in ws["C"][2:]]
            assert all(c.data_type == "s" for c in ws["C"][2:])
        else:
            names = pq.read_table(out).column("name").to_pylist()
        assert safe <= set(names), suffix
        assert not set(FORMULAS) & set(names), suffix


def test_payroll_parquet_has_money_as_exact_decimals(tmp_path: Path) -> None:
    out = tmp_path / "p.parquet"
    result = runner.invoke(app, ["payroll", str(EXAMPLE), "-q", "2024Q3", "-o", str(out)])
    assert result.exit_code == 0, result.output
    data = pq.read_table(out)
    assert data.schema.field("total").type == pa.decimal128(38, 2)
    totals = data.column("total").to_pylist()
    assert all(isinstance(t, Decimal) for t in totals)
    csv_out = tmp_path / "p.csv"
    args = ["payroll", str(EXAMPLE), "-q", "2024Q3", "-o", str(csv_out)]
    assert runner.invoke(app, args).exit_code == 0
    with csv_out.open(encoding="utf-8-sig", newline="") as fh:
        assert [Decimal(row["total"]) for row in csv.DictReader(fh)] == totals


def test_a_large_workbook_says_csv_or_parquet_and_keeps_its_bar(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(formats, "LARGE_XLSX", 50)
    result = grade_files(load_policy(DEFAULT_POLICY), EXAMPLE, parse("2024Q3"))
    ticks: list[tuple[int, int]] = []
    notes = grading.write(
        result, tmp_path / "g.xlsx", lang="en", tick=lambda done, total: ticks.append((done, total))
    )
    assert notes == [
        f"{tmp_path / 'g.xlsx'}: a workbook of 80 rows is slow to write, open and filter "
        "(over 50); at this size .csv or .parquet is the sane output, written in a fraction "
        "of the time"
    ]
    assert ticks and ticks[-1][0] == ticks[-1][1] > 80
    assert grading.write(result, tmp_path / "g.csv") == []  # said of workbooks only
    zh = grading.write(result, tmp_path / "z.xlsx", lang="zh")
    assert "请改用 .csv 或 .parquet 输出" in zh[0]


def test_the_command_prints_the_note(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(formats, "LARGE_XLSX", 50)
    out = tmp_path / "g.xlsx"
    result = runner.invoke(app, ["grade", str(EXAMPLE), "-o", str(out), "--lang", "en"])
    assert result.exit_code == 0, result.output
    assert ".csv or .parquet is the sane output" in " ".join(result.output.split())


def test_a_table_without_rows_writes_in_every_format(tmp_path: Path) -> None:
    import pandas as pd

    export = formats.Export(
        flat=lambda: Table(pd.DataFrame({"employee_id": [], "total": []})),
        json=lambda: {"lines": []},
        sheets=lambda: [("payroll", Table(pd.DataFrame({"employee_id": []}), ["total"]))],
    )
    for suffix in (".csv", ".json", ".xlsx", ".parquet"):
        assert formats.write(export, tmp_path / f"e{suffix}", []) == []
    assert (tmp_path / "e.csv").read_bytes() == "\ufeffemployee_id,total\r\n".encode()
    assert pq.read_table(tmp_path / "e.parquet").num_rows == 0


@settings(max_examples=150, deadline=None)
@given(
    data=st.lists(flat_columns, min_size=0, max_size=5), total=st.booleans(), nested=st.booleans()
)
def test_a_table_in_json_is_written_as_its_records_indented(
    tmp_path_factory: pytest.TempPathFactory,
    data: list[list[Any] | pd.Series],
    total: bool,
    nested: bool,
) -> None:
    """A json's table (a manager a row) is written a column at a time: byte for byte what
    json.dumps(indent=2) writes of its records, numbers, text, NaN, infinities, money,
    missing cells, a totals row and a cell holding a mapping included."""
    import json

    frame = pd.DataFrame({f"c{i}": flat_series(values) for i, values in enumerate(data)})
    if nested and len(frame):
        frame["nested"] = pd.Series([{"a": [1, "b"]}] * len(frame), dtype=object)
    sums = [float("nan"), 1.5, "总计", None, Decimal("2.50")]
    table = Table(frame, [sums[i % 5] for i in range(frame.shape[1])] if total else None)
    doc = {"run": {"n": 1}, "managers": table, "after": [{"k": "v"}]}
    path = tmp_path_factory.mktemp("json") / "t.json"
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(formats, "JSON_BATCH", 3)  # the rows a batch at a time, joined up
        formats._json(path, doc)
    expected = {**doc, "managers": records(table)}
    text = json.dumps(expected, ensure_ascii=False, indent=2, default=formats._json_default)
    assert path.read_text(encoding="utf-8") == text + "\n"


def test_a_json_table_keeps_what_clean_makes_of_odd_missing_values(tmp_path: Path) -> None:
    """Values pandas calls missing and `clean` does not (a Decimal NaN, a NaT among text) are
    written as before, and a table under a key that is not ASCII goes where its key is."""
    import json

    frame = pd.DataFrame(
        {
            "金额": pd.Series(
                [Decimal("1.50"), None, Decimal("NaN"), Decimal("sNaN")], dtype=object
            ),
            "text": pd.Series(["a", pd.NaT, None, float("nan")], dtype=object),
            "n": pd.Series([1, None, 3, 4], dtype="Int64"),
        }
    )
    table = Table(frame)
    doc = {"表": table, "after": {"k": "\x00"}}
    formats._json(tmp_path / "t.json", doc)
    expected = {"表": records(table), "after": {"k": "\x00"}}
    text = json.dumps(expected, ensure_ascii=False, indent=2, default=formats._json_default)
    assert (tmp_path / "t.json").read_text(encoding="utf-8") == text + "\n"
