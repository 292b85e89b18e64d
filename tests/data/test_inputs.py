"""Reading HR's workbooks: every problem located by sheet/row/column, no row lost."""

from __future__ import annotations

import csv
from pathlib import Path

import pandas as pd
import pytest

from amctl.errors import DataError, Severity, UsageError
from amctl.period import parse
from amctl.pipeline.grade import GradeResult, grade_files
from tests.helpers import EXAMPLE, Person, Team, write_team, write_team_csv, write_xlsx

Q3 = parse("2024Q3")


def _grade(default_policy, path: Path, **kw) -> GradeResult:  # type: ignore[no-untyped-def]
    return grade_files(default_policy, path, Q3, **kw)


def _team(n: int = 6) -> Team:
    return Team([Person(f"E{i:03d}", score=50 + 7 * i) for i in range(n)])


def _write_csvs(folder: Path, roster: list[list[object]], team: Team) -> None:
    """The three tables as csv files side by side, the roster as given."""
    for name, table in (
        ("roster", roster),
        ("performance", team.performance_rows()),
        ("ratings", team.ratings_rows()),
    ):
        with (folder / f"{name}.csv").open("w", encoding="utf-8", newline="") as fh:
            csv.writer(fh).writerows(table)


def _messages(result: GradeResult) -> list[str]:
    return [str(f) for f in result.findings]


def test_the_example_workbook_reads_despite_title_rows_text_numbers_and_blank_rows(
    default_policy,
) -> None:  # type: ignore[no-untyped-def]
    result = _grade(default_policy, EXAMPLE)
    assert len(result.managers) == 80
    assert result.blocked == []
    assert result.sources["performance"].sheet == "业绩"


def test_missing_column_lists_the_accepted_headers(default_policy, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    team = _team()
    path = tmp_path / "r.xlsx"
    rows = [r[:3] + r[4:] for r in team.roster_rows()]  # drop 任职日期
    write_xlsx(
        path, {"花名册": rows, "业绩": team.performance_rows(), "能力评价": team.ratings_rows()}
    )
    with pytest.raises(DataError) as info:
        _grade(default_policy, path)
    (finding,) = info.value.findings
    assert str(finding).startswith(
        f"{path}:花名册!1: error: the header row 1 has no column for post_start"
    )
    assert "任职日期, 上岗日期" in finding.message and finding.rule == "AMD003"


def test_duplicate_ids_are_reported_and_not_graded(default_policy, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    team = _team()
    team.people[2].id = team.people[1].id
    result = _grade(default_policy, write_team(tmp_path / "r.xlsx", team))
    assert [b.where.row for b in result.blocked] == [3, 4]
    assert "E001 appears again in row 4" in result.blocked[0].said()[0]
    assert len(result.managers) == 4
    assert result.roster_rows == 6


def test_a_performance_row_given_twice_is_reported_once_naming_the_first(
    default_policy, tmp_path: Path
) -> None:  # type: ignore[no-untyped-def]
    team = _team()
    perf = team.performance_rows()
    again = list(perf[2])  # E001's row, with other sales, after everyone else's
    again[1] = 1.0
    path = write_xlsx(
        tmp_path / "r.xlsx",
        {"花名册": team.roster_rows(), "业绩": [*perf, again], "能力评价": team.ratings_rows()},
    )
    result = _grade(default_policy, path)
    twice = [f for f in result.findings if f.rule == "AMD004"]
    assert [(f.location.sheet, f.location.row) for f in twice] == [("业绩", len(perf) + 1)]
    assert "second performance row for employee E001 (first in row 3)" in twice[0].message
    assert [b.employee_id for b in result.blocked] == ["E001"]
    assert result.managers.index.tolist() == ["E000", "E002", "E003", "E004", "E005"]


def test_text_in_a_number_column_blocks_only_that_manager(default_policy, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    team = _team()
    path = tmp_path / "r.xlsx"
    perf = team.performance_rows()
    perf[3][1] = "一百万"
    write_xlsx(path, {"花名册": team.roster_rows(), "业绩": perf, "能力评价": team.ratings_rows()})
    result = _grade(default_policy, path)
    (blocked,) = result.blocked
    assert blocked.employee_id == "E002"
    assert f"{path}:业绩!B4: error: 销售额: '一百万' is not a number" in _messages(result)[0]
    assert len(result.managers) == 5


def test_out_of_range_values_are_reported(default_policy, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    team = _team()
    path = tmp_path / "r.xlsx"
    perf = team.performance_rows()
    perf[2][5] = 120  # satisfaction is a 0–100 survey score
    write_xlsx(path, {"花名册": team.roster_rows(), "业绩": perf, "能力评价": team.ratings_rows()})
    result = _grade(default_policy, path)
    assert any(
        "业绩!F3" in m and "out of range [0, 100]" in m and "[AMD007]" in m
        for m in _messages(result)
    )
    assert [b.employee_id for b in result.blocked] == ["E001"]


def test_ratings_for_unknown_managers_are_warned_about(default_policy, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    team = _team()
    path = tmp_path / "r.xlsx"
    ratings = [*team.ratings_rows(), ["X999", "上级", 80, 80, 80, 80, 80, 80]]
    write_xlsx(
        path, {"花名册": team.roster_rows(), "业绩": team.performance_rows(), "能力评价": ratings}
    )
    result = _grade(default_policy, path)
    (warning,) = [f for f in result.findings if f.rule == "AMD010"]
    assert warning.severity is Severity.WARNING
    assert str(warning.location) == f"{path}:能力评价!A{len(ratings)}"
    assert len(result.managers) == 6 and not result.blocked


def test_managers_without_performance_data_are_listed(default_policy, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    team = _team()
    path = tmp_path / "r.xlsx"
    perf = [row for row in team.performance_rows() if row[0] != "E003"]
    write_xlsx(path, {"花名册": team.roster_rows(), "业绩": perf, "能力评价": team.ratings_rows()})
    result = _grade(default_policy, path)
    (blocked,) = result.blocked
    assert blocked.employee_id == "E003" and blocked.where.row == 5
    assert "no performance row for E003" in blocked.said()[0]
    assert any(f.rule == "AMD011" for f in result.findings)


def test_unknown_rater_names_the_aliases(default_policy, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    team = _team(2)
    path = tmp_path / "r.xlsx"
    ratings = team.ratings_rows()
    ratings[1][1] = "领导"
    write_xlsx(
        path, {"花名册": team.roster_rows(), "业绩": team.performance_rows(), "能力评价": ratings}
    )
    result = _grade(default_policy, path)
    (message,) = [m for m in _messages(result) if "AMD009" in m]
    assert "能力评价!B2" in message and "rater '领导' is not defined" in message
    assert [b.employee_id for b in result.blocked] == ["E000"]


def test_an_unknown_rater_is_reported_at_each_row_and_a_blank_one_is_not(
    default_policy, tmp_path: Path
) -> None:  # type: ignore[no-untyped-def]
    """The unknown word is found once per distinct word, and reported at every row that uses
    it; a blank rater cell is an empty cell (AMD005), not an unknown word."""
    team = _team(3)
    path = tmp_path / "r.xlsx"
    ratings = team.ratings_rows()
    ratings[1][1] = ratings[5][1] = "领导"
    ratings[3][1] = None
    write_xlsx(
        path, {"花名册": team.roster_rows(), "业绩": team.performance_rows(), "能力评价": ratings}
    )
    result = _grade(default_policy, path)
    unknown = [m for m in _messages(result) if "AMD009" in m]
    assert [m.split("能力评价!")[1].split(":")[0] for m in unknown] == ["B2", "B6"]
    assert any("AMD005" in m and "能力评价!B4" in m for m in _messages(result))


def test_unknown_education_and_bad_dates_are_located(default_policy, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    team = _team()
    team.people[0].education = "博士后"
    rows = team.roster_rows()
    rows[2][3] = "2019-13-45"
    path = write_xlsx(
        tmp_path / "r.xlsx",
        {"花名册": rows, "业绩": team.performance_rows(), "能力评价": team.ratings_rows()},
    )
    result = _grade(default_policy, path)
    messages = _messages(result)
    assert any("花名册!E2" in m and "学历 '博士后'" in m for m in messages)
    assert any(
        "花名册!D3" in m and "'2019-13-45' is not a real date" in m and "[AMD008]" in m
        for m in messages
    )
    assert {b.employee_id for b in result.blocked} == {"E000", "E001"}


def test_long_ratings_layout_gives_the_same_result_as_wide(default_policy, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    team = _team()
    wide = _grade(default_policy, write_team(tmp_path / "wide.xlsx", team))
    header, *rows = team.ratings_rows()
    long_rows = [["工号", "评价来源", "指标", "得分"]]
    for row in rows:
        for label, score in zip(header[2:], row[2:], strict=True):
            long_rows.append([row[0], row[1], label, score])
    path = write_xlsx(
        tmp_path / "long.xlsx",
        {"花名册": team.roster_rows(), "业绩": team.performance_rows(), "能力评价": long_rows},
    )
    long = _grade(default_policy, path)
    assert long.managers.drop(columns="reasons").equals(wide.managers.drop(columns="reasons"))


def test_files_beside_the_roster_follow_the_workspace_convention(
    default_policy, tmp_path: Path
) -> None:  # type: ignore[no-untyped-def]
    team = _team()
    write_xlsx(tmp_path / "roster.xlsx", {"Sheet1": team.roster_rows()})
    with (tmp_path / "performance.csv").open("w", encoding="gb18030", newline="") as fh:
        csv.writer(fh).writerows(team.performance_rows())  # GBK csv, as Chinese Excel saves it
    write_xlsx(tmp_path / "ratings.xlsx", {"Sheet1": team.ratings_rows()})
    result = _grade(default_policy, tmp_path / "roster.xlsx")
    assert len(result.managers) == 6
    assert result.sources["performance"].path == tmp_path / "performance.csv"


def test_explicit_paths_override(default_policy, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    team = _team()
    roster = write_team(tmp_path / "all.xlsx", team)
    other = _team()
    other.people[0].score = 99
    perf = write_xlsx(tmp_path / "perf.xlsx", {"data": other.performance_rows()})
    result = _grade(default_policy, roster, performance=perf)
    assert result.sources["performance"].path == perf
    assert result.managers.loc["E000", "performance"] > 90


def test_no_performance_table_says_how_to_give_one(default_policy, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    path = write_xlsx(tmp_path / "r.xlsx", {"花名册": _team().roster_rows()})
    with pytest.raises(
        UsageError, match=r"no performance table: r\.xlsx has no sheet named 业绩/绩效/performance"
    ):
        _grade(default_policy, path)


def test_missing_file_is_a_data_error(default_policy, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    with pytest.raises(DataError, match="file not found"):
        _grade(default_policy, tmp_path / "nope.xlsx")


def test_corrupt_workbook_says_what_to_do(default_policy, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    path = tmp_path / "r.xlsx"
    path.write_bytes(b"this is not a zip file")
    with pytest.raises(DataError, match=r"save a plain \.xlsx copy"):
        _grade(default_policy, path)


def test_a_bad_performance_cell_blocks_its_manager_with_the_real_reason(
    default_policy, tmp_path: Path
) -> None:  # type: ignore[no-untyped-def]
    team = _team()
    perf = team.performance_rows()
    perf[2][1] = "NaN"
    perf[3][2] = 0  # a zero target
    path = write_xlsx(
        tmp_path / "r.xlsx",
        {"花名册": team.roster_rows(), "业绩": perf, "能力评价": team.ratings_rows()},
    )
    result = _grade(default_policy, path)
    reasons = {b.employee_id: " ".join(b.said()) for b in result.blocked}
    assert set(reasons) == {"E001", "E002"}
    assert "业绩!B3: 销售额: NaN is not a finite number" in reasons["E001"]
    assert "业绩!C4: 销售目标 is 0" in reasons["E002"]
    assert "no performance row" not in " ".join(reasons.values())


def test_a_bad_rating_blocks_its_manager_instead_of_being_dropped(
    default_policy, tmp_path: Path
) -> None:  # type: ignore[no-untyped-def]
    team = _team(3)
    ratings = team.ratings_rows()
    ratings[1][2] = 150  # a supervisor score above the 0–100 scale
    path = write_xlsx(
        tmp_path / "r.xlsx",
        {"花名册": team.roster_rows(), "业绩": team.performance_rows(), "能力评价": ratings},
    )
    result = _grade(default_policy, path)
    (blocked,) = result.blocked
    assert blocked.employee_id == "E000"
    assert "能力评价!C2: 沟通协调能力 150 is out of range [0, 100]" in blocked.said()[0]


def test_merged_cells_read_as_the_person_sees_them(default_policy, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    from openpyxl import load_workbook

    team = _team(4)
    path = write_team(tmp_path / "r.xlsx", team)
    wb = load_workbook(path)
    ws = wb["花名册"]
    ws["C2"] = "合并部门"
    ws.merge_cells("C2:C5")  # one department cell spanning four managers
    wb.save(path)
    result = _grade(default_policy, path)
    assert not result.blocked
    assert set(result.managers["org_unit"]) == {"合并部门"}


def test_a_repeated_column_is_warned_about(default_policy, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    team = _team(2)
    perf = [[*row, row[1]] for row in team.performance_rows()]
    path = write_xlsx(
        tmp_path / "r.xlsx",
        {"花名册": team.roster_rows(), "业绩": perf, "能力评价": team.ratings_rows()},
    )
    result = _grade(default_policy, path)
    (warning,) = [f for f in result.findings if f.rule == "AMD018"]
    assert str(warning).startswith(
        f"{path}:业绩!I1: warning: column '销售额' repeats sales, which is read from column B"
    )


def test_a_workbook_without_a_roster_sheet_says_so(default_policy, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    team = _team(2)
    path = write_xlsx(
        tmp_path / "r.xlsx", {"业绩": team.performance_rows(), "员工": team.roster_rows()}
    )
    with pytest.raises(UsageError, match="no roster sheet named 花名册/人员/roster"):
        _grade(default_policy, path)


def test_an_empty_roster_is_unusable(default_policy, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    from amctl.pipeline.grade import require_some

    team = _team(2)
    path = write_xlsx(
        tmp_path / "r.xlsx",
        {
            "花名册": team.roster_rows()[:1],
            "业绩": team.performance_rows(),
            "能力评价": team.ratings_rows(),
        },
    )
    with pytest.raises(DataError) as info:
        require_some(_grade(default_policy, path))
    assert any("the roster has no rows under its header" in str(f) for f in info.value.findings)


def test_leavers_before_the_quarter_and_impossible_leave_dates_are_listed(
    default_policy, tmp_path: Path
) -> None:  # type: ignore[no-untyped-def]
    import datetime as dt

    team = _team(4)
    rows = team.roster_rows()
    rows[0].append("离职日期")
    for r in rows[1:]:
        r.append(None)
    rows[1][-1] = dt.date(2024, 6, 15)  # left before 2024Q3
    rows[2][-1] = dt.date(2001, 1, 1)  # before the post start
    rows[3][-1] = dt.date(2024, 8, 31)  # left during the quarter: graded, paid to that day
    path = write_xlsx(
        tmp_path / "r.xlsx",
        {"花名册": rows, "业绩": team.performance_rows(), "能力评价": team.ratings_rows()},
    )
    result = _grade(default_policy, path)
    reasons = {b.employee_id: " ".join(b.said()) for b in result.blocked}
    assert "left on 2024-06-15, before 2024-07-01" in reasons["E000"]
    assert "leave date 2001-01-01 is before the post start" in reasons["E001"]
    assert set(result.managers.index) == {"E002", "E003"}


@pytest.mark.parametrize(("line", "says"), [(5, "closed only on line 9"), (79, "never closed")])
def test_a_quote_left_open_in_a_csv_is_refused_at_its_line(
    default_policy, tmp_path: Path, line: int, says: str
) -> None:  # type: ignore[no-untyped-def]
    team = Team([Person(f"E{i:03d}", score=50 + i % 40) for i in range(80)])
    path = write_team_csv(tmp_path, team)
    lines = path.read_text(encoding="utf-8").splitlines(keepends=True)
    lines[line - 1] = lines[line - 1].replace(",经理", ',"经理', 1)
    if line == 5:
        lines[8] = lines[8].replace(",经理", ',经理"', 1)  # closed four lines later
    path.write_text("".join(lines), encoding="utf-8")
    with pytest.raises(DataError) as caught:
        _grade(default_policy, path)
    (finding,) = caught.value.findings
    assert str(finding).startswith(f"{path}:{line}: error: line {line}: a quote opened")
    assert says in str(finding)


def test_a_note_with_a_line_break_in_quotes_still_reads(default_policy, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    team = _team()
    rows = team.roster_rows()
    rows[0].append("备注")
    for row in rows[1:]:
        row.append("第一行\n第二行")
    _write_csvs(tmp_path, rows, team)
    result = _grade(default_policy, tmp_path / "roster.csv")
    assert len(result.managers) == 6 and not result.blocked


@pytest.mark.parametrize("fmt", ["xlsx", "csv"])
def test_totals_and_footnotes_are_left_out_with_one_note(
    default_policy, tmp_path: Path, fmt: str
) -> None:  # type: ignore[no-untyped-def]
    team = _team()
    roster = [["2024年第三季度客户经理考核汇总表"], ["填报单位：一部"], *team.roster_rows()]
    roster += [["合计", None, None, None, None, 510], [], ["注：技能考试成绩为百分制。"]]
    perf = [*team.performance_rows(), ["合 计", 1000, 600], ["制表人：王五"]]
    tables = {"花名册": roster, "业绩": perf, "能力评价": team.ratings_rows()}
    if fmt == "xlsx":
        path = write_xlsx(tmp_path / "r.xlsx", tables)
    else:
        for name, rows in zip(("roster", "performance", "ratings"), tables.values(), strict=True):
            with (tmp_path / f"{name}.csv").open("w", encoding="utf-8", newline="") as fh:
                csv.writer(fh).writerows(rows)
        path = tmp_path / "roster.csv"
    result = _grade(default_policy, path)
    assert len(result.managers) == 6 and not result.blocked
    notes = [str(f) for f in result.findings if f.rule == "AMD025"]
    assert len(notes) == 2
    said = "\n".join(notes)
    assert (
        "2 row(s) left out, as they are not managers: row 10: a total (合计); row 12: a note"
        in said
    )
    assert "row 8: a total (合 计); row 9: a note (制表人：王五)" in said


def test_a_manager_without_an_id_is_still_listed(default_policy, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    team = _team()
    roster = team.roster_rows()
    roster[2][0] = None  # a real row whose id is missing: reported, not left out
    path = write_xlsx(
        tmp_path / "r.xlsx",
        {"花名册": roster, "业绩": team.performance_rows(), "能力评价": team.ratings_rows()},
    )
    result = _grade(default_policy, path)
    assert len(result.blocked) == 1
    assert not [f for f in result.findings if f.rule == "AMD025"]


def _summary_sheet(path: Path, team: Team, rater_headers: list[str]) -> Path:
    """A 考核汇总表 as HR keeps it: one sheet, a merged title, a 填报单位 line, the header on
    row 3, roster, performance and one rater's six ability scores side by side, growth as a
    percent-formatted cell, a 合计 row and a footnote."""
    from openpyxl import Workbook

    from tests.helpers import PERF_HEADER

    roster, perf, ratings = team.roster_rows(), team.performance_rows(), team.ratings_rows()
    supervisor = {r[0]: r[2:] for r in ratings[1:] if r[1] == "上级"}
    header = [*roster[0], *PERF_HEADER[1:], *rater_headers]
    wb = Workbook()
    ws = wb.active
    assert ws is not None
    ws.title = "考核汇总"
    ws.append(["2024年第三季度客户经理考核汇总表"])
    ws.merge_cells(start_row=1, start_column=1, end_row=1, end_column=len(header))
    ws.append(["填报单位：政企客户部"])
    ws.append(header)
    growth = header.index("业务增长率") + 1
    for r, p in zip(roster[1:], perf[1:], strict=True):
        ws.append([*r, *p[1:], *supervisor[r[0]]])
        cell = ws.cell(row=ws.max_row, column=growth)
        cell.value = float(f"{cell.value / 100:.10g}")
        cell.number_format = "0.00%"
    ws.append(["合计", None, None, None, None, None, None, None, 1234567])
    ws.append(["注：本表由人力资源部汇总，增长率为同比。"])
    wb.save(path)
    return path


@pytest.mark.parametrize(
    ("headers", "columns"),
    [
        (None, "  columns: {rater: supervisor}\n"),
        ("上级-{}", "  columns: {patterns: ['{rater}-{indicator}']}\n"),
    ],
)
def test_a_single_sheet_summary_grades_as_it_is(
    write_policy, tmp_path: Path, headers: str | None, columns: str
) -> None:  # type: ignore[no-untyped-def]
    from amctl.policy.loader import load_policy
    from amctl.workspace.sample import ABILITY

    team = _team()
    labels = [headers.format(a) if headers else a for a in ABILITY]
    path = _summary_sheet(tmp_path / "汇总.xlsx", team, labels)
    policy = load_policy(
        write_policy("  missing_rater: renormalise", columns + "  missing_rater: renormalise")
    )
    result = grade_files(policy, path, Q3)
    assert not result.blocked and len(result.managers) == 6
    assert {f.rule for f in result.findings} <= {"AMD025", "AMD016"}
    # the same scores as the three sheets with only the supervisor's ratings
    sheets = team.ratings_rows()
    three = write_xlsx(
        tmp_path / "three.xlsx",
        {
            "花名册": team.roster_rows(),
            "业绩": team.performance_rows(),
            "能力评价": [sheets[0], *[r for r in sheets[1:] if r[1] == "上级"]],
        },
    )
    expected = grade_files(policy, three, Q3)
    assert result.managers["composite"].to_dict() == expected.managers["composite"].to_dict()


def test_a_sheet_without_a_rater_column_says_how_to_name_the_columns(
    default_policy, tmp_path: Path
) -> None:  # type: ignore[no-untyped-def]
    from amctl.workspace.sample import ABILITY

    path = _summary_sheet(tmp_path / "汇总.xlsx", _team(), list(ABILITY))
    with pytest.raises(DataError) as caught:
        _grade(default_policy, path)
    assert "ability.columns in the policy" in str(caught.value.findings[0])


def test_a_sheet_is_chosen_by_name_or_position_after_a_hash(default_policy, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    team = _team()
    path = write_xlsx(
        tmp_path / "book.xlsx",
        {
            "说明": [["本表说明"]],
            "人员表": team.roster_rows(),
            "业绩表": team.performance_rows(),
            "评分表": team.ratings_rows(),
        },
    )
    result = grade_files(
        default_policy,
        Path(f"{path}#人员表"),
        Q3,
        performance=Path(f"{path}#3"),
        ratings=Path(f"{path}#评分表"),
    )
    assert len(result.managers) == 6 and not result.blocked
    with pytest.raises(
        UsageError, match=r"no sheet '9'; its sheets are 说明 \(#1\), 人员表 \(#2\)"
    ):
        grade_files(default_policy, Path(f"{path}#9"), Q3)


def test_a_line_break_inside_a_quoted_middle_column_still_reads(
    default_policy, tmp_path: Path
) -> None:  # type: ignore[no-untyped-def]
    team = _team()
    rows = team.roster_rows()
    rows[2][1] = "经理E001\n(代理)"  # the name, not the last column
    _write_csvs(tmp_path, rows, team)
    result = _grade(default_policy, tmp_path / "roster.csv")
    assert len(result.managers) == 6 and not result.blocked


def test_a_total_with_an_empty_id_in_a_csv_is_left_out(default_policy, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    team = _team()
    rows = [*team.roster_rows(), ["", "合计", "", "", "", 510, "", ""]]
    _write_csvs(tmp_path, rows, team)
    result = _grade(default_policy, tmp_path / "roster.csv")
    assert not result.blocked and len(result.managers) == 6
    assert any(f.rule == "AMD025" and "row 8: a total (合计)" in f.message for f in result.findings)


def test_ratings_read_beside_the_other_tables_give_what_one_thread_gives(
    default_policy, tmp_path: Path, monkeypatch
) -> None:  # type: ignore[no-untyped-def]
    """The ratings in a file of their own are read in a second thread: the same grading,
    findings and blocked managers as read one table after another, and a ratings sheet that
    cannot be read is reported after the roster's problem, as before."""
    import threading

    import amctl.data.inputs as inputs
    from amctl.data import ratings as ratings_module

    team = _team(8)
    roster = team.roster_rows()
    roster[3][0] = roster[2][0]  # an id twice: a roster finding
    ratings = team.ratings_rows()
    ratings[2][1] = "领导"  # a rater the policy does not know: a ratings finding
    _write_csvs(tmp_path, roster, team)
    with (tmp_path / "ratings.csv").open("w", encoding="utf-8", newline="") as fh:
        csv.writer(fh).writerows(ratings)
    threads: list[str] = []
    read = ratings_module.ratings_table

    def noted(*args, **kw):  # type: ignore[no-untyped-def]
        threads.append(threading.current_thread().name)
        return read(*args, **kw)

    monkeypatch.setattr(inputs, "ratings_table", noted)
    beside = _grade(default_policy, tmp_path / "roster.csv")
    monkeypatch.setattr(inputs, "_apart", lambda sheet, others: False)
    in_turn = _grade(default_policy, tmp_path / "roster.csv")
    assert threads[0] != threading.main_thread().name and threads[1] == threading.main_thread().name
    pd.testing.assert_frame_equal(beside.managers, in_turn.managers)
    assert _messages(beside) == _messages(in_turn) and len(_messages(beside)) >= 3
    assert [b.employee_id for b in beside.blocked] == [b.employee_id for b in in_turn.blocked]

    _write_csvs(tmp_path, [r[:3] + r[4:] for r in roster], team)  # the roster lacks 任职日期
    (tmp_path / "ratings.csv").write_text("nothing,here\n1,2\n", encoding="utf-8")
    monkeypatch.undo()
    with pytest.raises(DataError) as info:
        _grade(default_policy, tmp_path / "roster.csv")
    files = [Path(f.location.path).name for f in info.value.findings]
    assert files[0] == "roster.csv" and files[-1] == "ratings.csv"  # in the tables' order


def test_a_roster_that_cannot_be_read_does_not_wait_for_the_ratings_beside(
    default_policy, monkeypatch: pytest.MonkeyPatch
) -> None:  # type: ignore[no-untyped-def]
    """The ratings are read in a thread beside: an unreadable sheet (or an interrupt) is
    said at once, not once that thread is done."""
    import threading

    import amctl.data.inputs as inputs
    from amctl.data.locate import Source

    started, gate, finished = threading.Event(), threading.Event(), threading.Event()

    def slow(*_: object) -> None:
        started.set()
        gate.wait(30)
        finished.set()

    class Unreadable(dict):  # type: ignore[type-arg]
        def __getitem__(self, table: str) -> object:
            if table == "roster":
                raise DataError([], "unreadable")
            return super().__getitem__(table)

    monkeypatch.setattr(inputs, "_rated", slow)
    sources = {t: Source(Path(t), None) for t in ("roster", "performance", "ratings")}
    sheets = Unreadable(roster=None, performance=None, ratings=None)
    with pytest.raises(DataError, match="unreadable"):
        inputs.build_inputs(sheets, default_policy.policy, sources, {})
    assert started.wait(10) and not finished.is_set()
    gate.set()
