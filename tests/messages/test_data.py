"""The data area's findings and errors as data: worded in Chinese for HR, in English as before."""

from __future__ import annotations

import csv
import re
from pathlib import Path
from typing import Any

import pytest

from amctl.data import cells
from amctl.data.inputs import Inputs, read_inputs
from amctl.data.locate import locate
from amctl.errors import DataError, Finding, UsageError
from amctl.labels import field_word
from amctl.messages import Said
from amctl.messages.data import MESSAGES
from tests.helpers import (
    Person,
    Team,
    english_prose,
    template_fields,
    write_team,
    write_xlsx,
)

CJK = re.compile(r"[\u4e00-\u9fff]")


@pytest.mark.parametrize("key", sorted(MESSAGES))
def test_both_languages_name_the_same_values(key: str) -> None:
    zh, en = MESSAGES[key]
    assert key.startswith("data.")
    if key in NAMED_IN_CHINESE:  # a level is named by its label in Chinese, its key in English
        assert template_fields(en) < template_fields(zh), key
    else:
        assert template_fields(zh) == template_fields(en), key


NAMED_IN_CHINESE = {"data.level_named"}


@pytest.mark.parametrize("key", sorted(MESSAGES))
def test_the_chinese_is_not_english_prose(key: str) -> None:
    zh, _ = MESSAGES[key]
    bare = re.sub(r"\{[^}]*\}|'[^']*'", " ", zh)
    # YAML keys, file names and settings (ability.columns, AMCTL_MAX_, .xlsx) are no prose
    bare = re.sub(r"\S*[._]\S*", " ", bare)
    assert english_prose(zh) is None, (key, zh)
    assert CJK.search(zh) or not re.search(r"[A-Za-z]", bare), (key, zh)  # words are Chinese


def _plain(value: Any) -> bool:
    """What a JSON snapshot can keep: str, numbers, bool, None, lists, nested Saids."""
    if isinstance(value, Said):
        return all(_plain(v) for v in value.params.values())
    if isinstance(value, list):
        return all(_plain(v) for v in value)
    return value is None or isinstance(value, str | int | float | bool)


def _team(n: int = 6) -> Team:
    return Team([Person(f"E{i:03d}", score=50 + 7 * i) for i in range(n)])


def _read(policy: Any, path: Path) -> Inputs:
    return read_inputs(locate(path, policy), policy)


def _one(findings: list[Finding], rule: str) -> Finding:
    (found,) = [f for f in findings if f.rule == rule]
    assert found.said is not None and _plain(found.said)
    return found


def test_a_cell_error_carries_its_reason_as_data() -> None:
    with pytest.raises(cells.CellError) as caught:
        cells.number("302,1")
    assert str(caught.value) == (
        "'302,1' has a comma that is not a thousands separator; "
        "write decimals with a point, e.g. 302.1"
    )
    assert caught.value.said.key == "data.cell_comma"


def test_text_in_a_number_column_is_said_with_the_header_and_the_cell(
    default_policy, tmp_path: Path
) -> None:  # type: ignore[no-untyped-def]
    team = _team()
    perf = team.performance_rows()
    perf[3][1] = "一百万"
    path = write_xlsx(
        tmp_path / "r.xlsx",
        {"花名册": team.roster_rows(), "业绩": perf, "能力评价": team.ratings_rows()},
    )
    found = _one(_read(default_policy.policy, path).findings, "AMD006")
    assert found.message == "销售额: '一百万' is not a number; write digits only, e.g. 1234.5"
    assert found.worded("zh") == "销售额：'一百万' 不是数字；请只填数字，如 1234.5"


def test_a_missing_column_is_named_as_the_workbook_names_it(default_policy, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    team = _team()
    rows = [r[:3] + r[4:] for r in team.roster_rows()]  # no 任职日期
    path = write_xlsx(
        tmp_path / "r.xlsx",
        {"花名册": rows, "业绩": team.performance_rows(), "能力评价": team.ratings_rows()},
    )
    with pytest.raises(DataError) as caught:
        _read(default_policy.policy, path)
    found = _one(caught.value.findings, "AMD003")
    assert found.message.startswith(
        "the header row 1 has no column for post_start; name a column one of: 任职日期, 上岗日期"
    )
    assert found.message.endswith("(or add your header under columns.post_start in the policy)")
    zh = found.worded("zh", field_word(default_policy.policy))
    assert zh.startswith("表头第 1 行没有任职日期列；请把列名写成以下之一：任职日期、上岗日期")
    assert "columns.post_start" in zh
    assert str(caught.value) == "the input tables cannot be used"
    assert caught.value.worded("zh") == "输入表无法使用"


def test_a_repeated_id_and_an_unknown_rater_are_said_in_chinese(
    default_policy, tmp_path: Path
) -> None:  # type: ignore[no-untyped-def]
    team = _team()
    team.people[2].id = team.people[1].id
    ratings = team.ratings_rows()
    ratings[1][1] = "隔壁老王"
    path = write_xlsx(
        tmp_path / "r.xlsx",
        {"花名册": team.roster_rows(), "业绩": team.performance_rows(), "能力评价": ratings},
    )
    findings = _read(default_policy.policy, path).findings
    repeated = [f for f in findings if f.rule == "AMD004" and f.location.sheet == "花名册"]
    assert repeated[0].message == "employee id E001 appears again in row 4; ids must be unique"
    assert repeated[0].worded("zh") == "员工编号 E001 在第 4 行再次出现；编号必须唯一"
    rater = _one(findings, "AMD009")
    assert rater.message.startswith("rater '隔壁老王' is not defined in the policy (")
    assert rater.worded("zh").startswith("评价人 '隔壁老王' 未在政策中定义（")
    assert "把 '隔壁老王' 加入它的 aliases" in rater.worded("zh")


def test_totals_left_out_are_listed_with_semicolons_in_both_languages(
    default_policy, tmp_path: Path
) -> None:  # type: ignore[no-untyped-def]
    team = _team()
    roster = [*team.roster_rows(), ["合计", None, None, None, None, 510], ["注：单位元"]]
    tables = {"花名册": roster, "业绩": team.performance_rows(), "能力评价": team.ratings_rows()}
    found = _one(
        _read(default_policy.policy, write_xlsx(tmp_path / "r.xlsx", tables)).findings, "AMD025"
    )
    assert found.message == (
        "2 row(s) left out, as they are not managers: row 8: a total (合计); row 9: a note (注：单位元)"
    )
    assert (
        found.worded("zh")
        == "2 行不是客户经理，未读入：第 8 行：合计行（合计）；第 9 行：注释行（注：单位元）"
    )


def test_a_fraction_in_a_percent_column_says_why_in_chinese(default_policy, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    team = _team()
    perf = team.performance_rows()
    perf[1][6] = "5.88%"
    perf[2][6] = 0.1559
    path = write_xlsx(
        tmp_path / "r.xlsx",
        {"花名册": team.roster_rows(), "业绩": perf, "能力评价": team.ratings_rows()},
    )
    found = _one(_read(default_policy.policy, path).findings, "AMD024")
    assert found.message == (
        "业务增长率 0.1559 looks like a fraction (0–1), but the column is declared in percent "
        "(0–100: 15.59 for 15.59 %), and other cells in the column say their scale with a % sign "
        "or a percent format; write it with its % sign, or format the cell as a percentage, "
        "or change the indicator's unit in the policy"
    )
    zh = found.worded("zh")
    assert zh.startswith("业务增长率 0.1559 看起来是小数（0–1），但该列声明为百分数")
    assert "其他单元格用 % 号" in zh


def test_a_quote_left_open_is_said_at_its_line(tmp_path: Path, default_policy) -> None:  # type: ignore[no-untyped-def]
    path = tmp_path / "roster.csv"
    with path.open("w", encoding="utf-8", newline="") as fh:
        csv.writer(fh).writerows(_team().roster_rows()[:2])
        fh.write('E009,"王五,一部,2019-03-01,本科,80\nE010,赵六,一部,2019-03-01,本科,80\n')
    with pytest.raises(DataError) as caught:
        _read(default_policy.policy, path)
    found = _one(caught.value.findings, "AMD001")
    assert found.message.startswith("line 3: a quote opened on this line is never closed")
    assert found.worded("zh").startswith("第 3 行：本行开始的引号一直没有闭合")
    assert str(caught.value) == f"{path}: a quote left open"
    assert caught.value.worded("zh") == f"{path}：有引号未闭合"


def test_a_budget_is_said_with_its_setting(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, default_policy
) -> None:  # type: ignore[no-untyped-def]
    monkeypatch.setenv("AMCTL_MAX_ROWS", "3")
    path = tmp_path / "roster.csv"
    path.write_text("员工编号\n" + "\n" * 10, encoding="utf-8")
    with pytest.raises(DataError) as caught:
        _read(default_policy.policy, path)
    found = _one(caught.value.findings, "AMD022")
    assert found.message == (
        "the file has 11 lines, over the limit of 3; a roster never needs that, so the file is "
        "damaged or built to hurt. If it is genuine, raise the limit: AMCTL_MAX_ROWS=…"
    )
    assert found.worded("zh").startswith("文件有 11 行，超过上限 3；")
    assert "AMCTL_MAX_ROWS=…" in found.worded("zh")
    assert str(caught.value) == f"{path}: not read: the file has 11 lines"


def test_an_unknown_sheet_lists_the_sheets_in_chinese(default_policy, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    path = write_team(tmp_path / "book.xlsx", _team())
    with pytest.raises(UsageError) as caught:
        locate(Path(f"{path}#9"), default_policy.policy)
    assert str(caught.value) == (
        f"{path}: no sheet '9'; its sheets are 花名册 (#1), 业绩 (#2), 能力评价 (#3)"
    )
    assert caught.value.worded("zh") == (
        f"{path}：没有工作表 '9'；它的工作表有 花名册 (#1)、业绩 (#2)、能力评价 (#3)"
    )
