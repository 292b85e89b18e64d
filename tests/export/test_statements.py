"""Pay slips and grading notices: every manager paid has a slip that adds up, every roster
row has a notice, in the words of the label layer; the HTML prints one notice a page."""

from __future__ import annotations

import re
from decimal import Decimal
from pathlib import Path

from openpyxl import load_workbook

from amctl.export.statements import documents, write
from amctl.pipeline.run import run
from tests.helpers import REPO

WS = REPO / "examples"


def test_each_slip_is_a_header_a_row_and_a_blank_and_adds_up(tmp_path: Path) -> None:
    result = run(WS, "2024Q3", pay="required")
    assert result.payroll is not None
    out = tmp_path / "s.xlsx"
    write(result, out)
    book = load_workbook(out)
    assert book.sheetnames == ["工资条", "评定结果通知单"]
    rows = list(book["工资条"].iter_rows(values_only=True))
    assert str(rows[0][0]).startswith("工资条 · ct-group · 2024Q3")
    slips = rows[2:]
    paid = result.payroll.lines
    assert len(slips) == 3 * len(paid) - 1  # the last blank row is not written
    slips.append((None,) * len(slips[0]))
    totals = {}
    for i in range(0, len(slips), 3):
        header, person, blank = slips[i], slips[i + 1], slips[i + 2]
        assert header[:4] == ("员工编号", "姓名", "部门", "等级档次")
        assert all(v is None for v in blank)
        amounts = [Decimal(str(v)) for v in person[5:-1]]
        assert abs(sum(amounts) - Decimal(str(person[-1]))) < Decimal("0.005")
        assert not re.search(r"[a-z]{3,}", str(person[3]))  # a tier label, not senior-A
        totals[person[0]] = Decimal(str(person[-1]))
    assert sum(totals.values()) == result.payroll.grand_total
    notices = book["评定结果通知单"]
    assert len(notices.row_breaks.brk) == len(result.grading.managers) - 1  # one page each
    assert notices.page_setup.paperSize == 9


def test_a_notice_says_tier_move_scores_against_cuts_cell_training_pay_and_why() -> None:
    result = run(WS, "2024Q3", pay="required")
    _, notices = documents(result, "zh")
    first = next(n for n in notices if n.employee_id == "KM0001")
    said = dict(first.lines)
    assert said["等级档次"] == "中级客户经理A" and said["变动"] == "降级"
    assert said["能力得分"].startswith("80.11（分界 60 / 80，高档）")
    assert said["九宫格"].startswith("明星：")
    assert first.total is not None and sum(v for _, v in first.pay) == first.total
    assert "综合得分 83.77，排名 15/75" in first.reasons
    _, english = documents(result, "en")
    assert dict(english[0].lines)["Movement"] == "demoted"  # a level down, not a band


def test_the_html_prints_one_notice_a_page_and_escapes_what_people_typed(tmp_path: Path) -> None:
    result = run(WS, "2024Q3", pay="required")
    managers = result.grading.managers
    managers.loc["KM0001", "name"] = "<script>alert(1)</script>"
    out = tmp_path / "s.html"
    write(result, out)
    page = out.read_text(encoding="utf-8")
    assert "<script>" not in page and "&lt;script&gt;" in page
    assert page.count('<section class="notice">') == len(managers)
    assert "break-before:page" in page and "@page{size:A4" in page
    assert page.count('<div class="slip">') == len(result.payroll.lines)  # type: ignore[union-attr]


def test_without_a_pay_section_the_notices_are_written_alone(tmp_path: Path) -> None:
    from ruamel.yaml import YAML

    from amctl.pipeline.run import Given

    yaml = YAML()
    policy = yaml.load((REPO / "policies" / "ct-group.yaml").read_text(encoding="utf-8"))
    del policy["pay"]
    path = tmp_path / "no-pay.yaml"
    with path.open("w", encoding="utf-8") as fh:
        yaml.dump(policy, fh)
    result = run(WS, "2024Q3", Given(policy=path))
    assert result.payroll is None
    out = tmp_path / "s.xlsx"
    write(result, out)
    assert load_workbook(out).sheetnames == ["评定结果通知单"]
    _, notices = documents(result, "zh")
    trainee = next(n for n in notices if dict(n.lines)["等级档次"] == "见习客户经理")
    assert dict(trainee.lines)["九宫格"].startswith("—（见习期不进入九宫格）")
