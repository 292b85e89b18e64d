"""Workbooks people like to open: read back with openpyxl and checked cell by cell."""

from __future__ import annotations

from pathlib import Path

from openpyxl import load_workbook
from typer.testing import CliRunner

from amctl.cli.app import app
from tests.helpers import EXAMPLE

runner = CliRunner()


def _grade(tmp_path: Path, *extra: str) -> Path:
    out = tmp_path / "g.xlsx"
    result = runner.invoke(app, ["grade", str(EXAMPLE), "-o", str(out), *extra])
    assert result.exit_code == 0, result.output
    return out


def test_grading_workbook_is_formatted(tmp_path: Path) -> None:
    wb = load_workbook(_grade(tmp_path))
    ws = wb["分级结果"]
    header = [c.value for c in ws[2]]  # below the title row
    assert header[:4] == ["状态", "员工编号", "姓名", "部门"]
    assert "沟通协调能力得分" in header and "综合得分" in header and "等级档次" in header
    assert ws.freeze_panes == "D3"  # the title, the header and the id and name columns stay
    assert ws.auto_filter.ref == f"A2:{ws.cell(2, ws.max_column).column_letter}{ws.max_row}"
    top = ws.cell(2, 1)
    assert top.font.b and top.fill.fgColor.rgb.endswith("1F4E78")
    composite = header.index("综合得分") + 1
    assert ws.cell(3, composite).number_format == "0.00"
    tier = header.index("等级档次") + 1
    tiers = {
        ws.cell(r, tier).value: ws.cell(r, tier).fill.fgColor.rgb for r in range(3, ws.max_row + 1)
    }
    assert tiers["高级客户经理A"].endswith("F8E3B5") and tiers["见习客户经理"].endswith("E7E7E7")
    name_width = ws.column_dimensions["C"].width
    assert name_width >= 8  # fits three Chinese characters
    reasons = header.index("评定依据") + 1
    assert 60 <= ws.column_dimensions[ws.cell(2, reasons).column_letter].width < 61  # capped


def test_every_sheet_prints_as_a_document(tmp_path: Path) -> None:
    """A title row, A4 landscape fitted to the width, the title and header on every page,
    page numbers in the footer, and a bold totals row that the filter never sorts."""
    out = tmp_path / "p.xlsx"
    args = ["payroll", str(EXAMPLE), "-q", "2024Q3", "-o", str(out)]
    assert runner.invoke(app, args).exit_code == 0
    grading = _grade(tmp_path)
    for path in (grading, out):
        for ws in load_workbook(path).worksheets:
            assert str(ws["A1"].value).startswith(f"{ws.title} · ct-group · 2024Q3 · 政策版本 ")
            assert ws["A1"].font.b and ws.cell(2, 1).font.b
            assert ws.page_setup.paperSize == 9 and ws.page_setup.orientation == "landscape"
            assert ws.sheet_properties.pageSetUpPr.fitToPage
            assert ws.page_setup.fitToHeight == 0  # one page wide, as many long as it takes
            assert ws.print_title_rows == "$1:$2"
            assert ws.oddFooter.center.text == "第 &P 页，共 &N 页"
    for path, name in ((out, "薪酬"), (out, "按部门和等级"), (out, "按等级")):
        ws = load_workbook(path)[name]
        last = ws.max_row
        assert ws.cell(last, 1).value == "合计" and ws.cell(last, 1).font.b
        assert ws.auto_filter.ref.endswith(str(last - 1))  # the totals row is outside it
        header = [c.value for c in ws[2]]
        total = ws.cell(last, header.index("合计") + 1)
        assert total.font.b and total.number_format == "#,##0.00"
        money = sum(ws.cell(r, header.index("合计") + 1).value for r in range(3, last))
        assert abs(money - total.value) < 0.005
    summary = load_workbook(grading)["汇总"]
    assert summary.cell(summary.max_row, 1).value == "合计"
    assert summary.auto_filter.ref.endswith(str(summary.max_row - 1))


def test_summary_and_quota_sheets(tmp_path: Path) -> None:
    wb = load_workbook(_grade(tmp_path))
    summary = list(wb["汇总"].iter_rows(min_row=2, values_only=True))
    assert summary[0][0] == "部门" and summary[-1][0] == "合计" and summary[-1][-1] == 80
    assert sum(summary[-1][1:-1]) == 80
    quota = wb["名额"]
    header = [c.value for c in quota[2]]
    assert header[:4] == ["等级", "名称", "上限", "名额"]  # the cells carry the % sign
    assert quota.cell(3, header.index("占比") + 1).number_format == '0.0"%"'


def test_english_labels_on_request(tmp_path: Path) -> None:
    wb = load_workbook(_grade(tmp_path, "--lang", "en"))
    header = [c.value for c in wb["Grading"][2]]
    assert header[:3] == ["Status", "Employee ID", "Name"]
    assert "Ability score: communication" in header


def test_payroll_money_has_thousands_separators(tmp_path: Path) -> None:
    out = tmp_path / "p.xlsx"
    assert (
        runner.invoke(app, ["payroll", str(EXAMPLE), "-q", "2024Q3", "-o", str(out)]).exit_code == 0
    )
    ws = load_workbook(out)["薪酬"]
    header = [c.value for c in ws[2]]
    total = ws.cell(3, header.index("合计") + 1)
    assert total.number_format == "#,##0.00" and isinstance(total.value, float)


def test_a_bad_lang_is_usage(tmp_path: Path) -> None:
    result = runner.invoke(
        app, ["grade", str(EXAMPLE), "-o", str(tmp_path / "g.xlsx"), "--lang", "fr"]
    )
    assert result.exit_code == 2 and "use zh or en" in result.output


def test_a_cell_too_long_for_xlsx_is_said_and_marked_not_cut_silently(tmp_path: Path) -> None:
    import csv

    from tests.helpers import Person, Team, write_team

    team = Team([Person(f"KM{i:02d}", score=60 + i) for i in range(8)])
    path = write_team(tmp_path / "roster.xlsx", team)
    rows = [[c.value for c in r] for r in load_workbook(path).worksheets[0].iter_rows()]
    rows[1][1] = "长" * 40_000  # a name no workbook cell can hold, written as csv
    with (tmp_path / "roster.csv").open("w", encoding="utf-8", newline="") as fh:
        csv.writer(fh).writerows(rows)
    out = tmp_path / "g.xlsx"
    args = ["grade", str(tmp_path / "roster.csv"), "--quarter", "2024Q3", "-o", str(out)]
    result = runner.invoke(app, [*args, "--performance", str(path), "--ratings", str(path)])
    assert result.exit_code in (0, 1), result.output
    assert "has 40,000 characters, over the 32,767 a cell holds: cut there and marked" in (
        result.output
    )
    ws = load_workbook(out)["分级结果"]
    names = [str(c.value) for c in ws["C"] if c.value and str(c.value).startswith("长")]
    assert names and all(
        len(n) <= 32_767 and n.endswith("…[cut: see the csv or json]") for n in names
    )
