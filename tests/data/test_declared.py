"""The policy's own columns read from real workbooks and csv files: each type, a blank cell, a
wrong cell and a missing column, each at its place."""

from __future__ import annotations

import csv
import datetime as dt
from pathlib import Path
from typing import Any

import pytest

from amctl.data.inputs import read_roster
from amctl.data.locate import Source
from amctl.errors import DataError
from amctl.period import parse
from amctl.pipeline.grade import GradeResult, grade_files
from amctl.policy.loader import load_policy
from tests.helpers import Team, declared_policy, declared_team, write_team

Q3 = parse("2024Q3")
DEFAULT_EMPLOYMENT = ("    table: roster\n", "    table: roster\n    default: 在册\n")


def _write(folder: Path, team: Team, suffix: str) -> Path:
    """The team's three tables: sheets of one workbook, or csv files side by side."""
    if suffix == ".xlsx":
        return write_team(folder / "team.xlsx", team)
    for name, rows in (
        ("roster", team.roster_rows()),
        ("performance", team.performance_rows()),
        ("ratings", team.ratings_rows()),
    ):
        with (folder / f"{name}.csv").open("w", encoding="utf-8", newline="") as fh:
            csv.writer(fh).writerows(
                [[v.isoformat() if isinstance(v, dt.date) else v for v in r] for r in rows]
            )
    return folder / "roster.csv"


def _grade(tmp_path: Path, cells: list[list[Any]], suffix: str, *edits: str) -> GradeResult:
    policy = load_policy(declared_policy(tmp_path / "policy.yaml", *edits))
    return grade_files(policy, _write(tmp_path, declared_team(cells), suffix), Q3)


@pytest.mark.parametrize("suffix", [".xlsx", ".csv"])
def test_each_type_is_read_as_declared(tmp_path: Path, suffix: str) -> None:
    cells = [
        ["聘用工", dt.date(2010, 3, 1), "是"],
        [" 在册 ", "2001-01-01", "N"],
        ["", "2012年5月1日", "有"],
        ["聘用工", "20150601", "无"],
        ["在册", dt.date(2003, 7, 15), "yes"],
        ["聘用工", "2016/2/29", "0"],
        ["在册", "1999-12-31", "TRUE"],
    ]
    result = _grade(tmp_path, cells, suffix, *DEFAULT_EMPLOYMENT)
    assert result.blocked == [], [b.said() for b in result.blocked]
    data = result.data.sort_index()
    assert data["employment"].tolist() == [
        "聘用工",
        "在册",
        "在册",
        "聘用工",
        "在册",
        "聘用工",
        "在册",
    ]
    assert data["work_start"].tolist() == [
        dt.date(2010, 3, 1),
        dt.date(2001, 1, 1),
        dt.date(2012, 5, 1),
        dt.date(2015, 6, 1),
        dt.date(2003, 7, 15),
        dt.date(2016, 2, 29),
        dt.date(1999, 12, 31),
    ]
    assert data["award_best_sales"].tolist() == [True, False, True, False, True, False, True]


def test_excel_booleans_and_numbers_read_as_yes_and_no(tmp_path: Path) -> None:
    cells = [["在册", dt.date(2010, 3, 1), flag] for flag in (True, False, 1, 0)]
    result = _grade(tmp_path, cells, ".xlsx")
    assert result.data.sort_index()["award_best_sales"].tolist() == [True, False, True, False]


@pytest.mark.parametrize("suffix", [".xlsx", ".csv"])
def test_a_blank_or_a_wrong_cell_keeps_its_row_from_grading(tmp_path: Path, suffix: str) -> None:
    cells = [
        ["聘用工", dt.date(2010, 3, 1), "是"],
        ["", dt.date(2010, 3, 1), "否"],  # no default: blank is a finding
        ["临时工", dt.date(2010, 3, 1), "否"],  # not one of the choices
        ["在册", "去年", "否"],  # not a date
        ["在册", dt.date(2010, 3, 1), "也许"],  # not yes/no
        ["在册", "1949-12-31", "否"],  # before 1950, as for 任职日期
        ["在册", dt.date(2010, 3, 1), ""],  # no default: blank is a finding
    ]
    result = _grade(tmp_path, cells, suffix)
    assert list(result.managers.index) == ["E0"]
    blocked = {b.employee_id: b.reasons for b in result.blocked}
    assert set(blocked) == {"E1", "E2", "E3", "E4", "E5", "E6"}  # nothing lost
    sheet = "roster.csv:" if suffix == ".csv" else "team.xlsx:花名册!"
    expected = {
        "E1": ("AMD005", "I3", "用工性质 is empty; fill it in"),
        "E2": (
            "AMD009",
            "I4",
            "用工性质 '临时工' is not one of the choices 聘用工, 在册; use one of them or add it "
            "under columns.employment.choices in the policy",
        ),
        "E3": ("AMD008", "J5", "参加工作日期: '去年' is not a date; write it as 2019-03-01"),
        "E4": ("AMD006", "K6", "最佳销售奖: '也许' is not yes/no; write 是 or 否"),
        "E5": ("AMD007", "J7", "参加工作日期 1949-12-31 is before 1950; check the date"),
        "E6": ("AMD005", "K8", "最佳销售奖 is empty; fill it in"),
    }
    for eid, (rule, cell, message) in expected.items():
        (reason,) = blocked[eid]
        assert reason.rule == rule, str(reason)
        assert str(reason.location).endswith(f"{sheet}{cell}"), str(reason)
        assert reason.message.startswith(message), reason.message


def test_a_default_fills_a_blank_cell_of_each_type(tmp_path: Path) -> None:
    cells = [["", dt.date(2010, 3, 1), ""], ["聘用工", dt.date(2010, 3, 1), "是"]]
    result = _grade(
        tmp_path,
        cells,
        ".xlsx",
        *DEFAULT_EMPLOYMENT,
        "type: yesno}",
        "type: yesno, default: 否}",
    )
    assert result.blocked == []
    assert result.data.loc["E0", "employment"] == "在册"
    assert not result.data.loc["E0", "award_best_sales"]


@pytest.mark.parametrize("suffix", [".xlsx", ".csv"])
def test_a_declared_column_the_table_lacks_is_an_error_at_read_time(
    tmp_path: Path, suffix: str
) -> None:
    team = declared_team([["聘用工", dt.date(2010, 3, 1), "是"]])
    team.extra_header[0] = "岗位"  # the 用工性质 column is not there
    policy = load_policy(declared_policy(tmp_path / "policy.yaml"))
    with pytest.raises(DataError) as info:
        grade_files(policy, _write(tmp_path, team, suffix), Q3)
    (finding,) = info.value.findings
    assert finding.rule == "AMD003"
    place = "roster.csv:1" if suffix == ".csv" else "team.xlsx:花名册!1"  # the header row
    assert str(finding.location).endswith(place), str(finding.location)
    assert finding.message == (
        "the header row 1 has no column for employment; name a column one of: 用工性质, "
        "用工类型, employment (or add your header under columns.employment in the policy)"
    )


def test_a_performance_column_is_read_per_manager_of_the_period(tmp_path: Path) -> None:
    """An award is a fact of the period: declared in the performance table, a blank without a
    default blocks that manager; a manager with no performance row is not read at all."""
    team = declared_team([["在册", dt.date(2010, 3, 1), "是"]] * 3)
    perf = team.performance_rows()
    perf[0].append("最佳销售奖")
    for row, award in zip(perf[1:], ["是", "否", ""], strict=True):
        row.append(award)
    path = declared_policy(
        tmp_path / "policy.yaml", "type: yesno}", "type: yesno, table: performance}"
    )
    book = tmp_path / "team.xlsx"
    from tests.helpers import write_xlsx

    write_xlsx(
        book,
        {
            "花名册": [r[:-1] for r in team.roster_rows()],
            "业绩": perf,
            "能力评价": team.ratings_rows(),
        },
    )
    result = grade_files(load_policy(path), book, Q3)
    assert result.data.sort_index()["award_best_sales"].tolist() == [True, False]
    (blocked,) = result.blocked
    assert blocked.employee_id == "E2"
    assert str(blocked.reasons[0].location).endswith("team.xlsx:业绩!I4")


def test_roster_check_reads_the_declared_columns(tmp_path: Path) -> None:
    cells = [["聘用工", dt.date(2010, 3, 1), "是"], ["合同工", dt.date(2010, 3, 1), "是"]]
    book = _write(tmp_path, declared_team(cells), ".xlsx")
    policy = load_policy(declared_policy(tmp_path / "policy.yaml"))
    read = read_roster(Source(book, "花名册"), policy.policy)
    assert read.frame["employment"].tolist() == ["聘用工", None]
    assert [b.employee_id for b in read.blocked] == ["E1"]


def test_a_number_column_of_the_roster_is_read_and_paid(tmp_path: Path) -> None:
    """An extra number column, once checked and not read (payroll then found it missing), is
    read from its table and paid from."""
    from amctl.pipeline.payroll import run_payroll

    team = declared_team(
        [["在册", dt.date(2010, 3, 1), "否", 120], ["在册", "2012-01-01", "否", ""]]
    )
    team.extra_header.append("交通补贴")
    policy = load_policy(
        declared_policy(
            tmp_path / "policy.yaml",
            "  work_start:",
            "  transport: {aliases: [交通补贴], type: number, table: roster, default: 0}\n"
            "  work_start:",
            "      formula: base_post_wage",
            "      formula: base_post_wage + transport",
        )
    )
    result = grade_files(policy, write_team(tmp_path / "team.xlsx", team), Q3)
    assert result.data.sort_index()["transport"].tolist() == [120.0, 0.0]  # blank: the default
    lines = run_payroll(policy, result).lines
    assert [str(v) for v in lines.sort_index()["base"]] == ["6960.00", "6600.00"]
    team.extra_header[-1] = "车补"
    with pytest.raises(DataError) as info:
        grade_files(policy, write_team(tmp_path / "team.xlsx", team), Q3)
    assert (
        "no column for transport; name a column one of: 交通补贴" in info.value.findings[0].message
    )
