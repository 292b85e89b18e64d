"""One label layer: every word a person reads in a zh output is Chinese, and the same result
reads in English with --lang en. Internal keys stay only in csv and json, for scripts."""

from __future__ import annotations

import re
import shutil
from pathlib import Path

import pytest
from hypothesis import example, given, settings
from hypothesis import strategies as st
from openpyxl import load_workbook
from typer.testing import CliRunner

from amctl.cli.app import app
from amctl.engine.reasons import reason
from amctl.labels import ENGLISH, Names, say
from tests.helpers import REPO

runner = CliRunner()

KEYS = {"senior", "mid", "junior", "trainee", "high", "low", "up", "down", "same", "new", "roster"}
LABELLED = (  # columns whose every value is a label, never a key
    "等级",
    "等级档次",
    "原等级档次",
    "上期等级档次",
    "排名等级",
    "能力档",
    "绩效档",
    "变动",
    "服务农村",
    "上期来源",
    "薪酬等级档次",
)
ENGLISH_WORD = re.compile(r"[A-Za-z]{3,}")


@pytest.fixture
def workspace(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    shutil.copytree(REPO / "examples" / "data", tmp_path / "data")
    shutil.copytree(REPO / "policies", tmp_path / "policies")
    monkeypatch.chdir(tmp_path)
    (tmp_path / "overrides").mkdir()
    (tmp_path / "overrides" / "2024Q4.yaml").write_text(
        "apiVersion: amctl/v1\nkind: Overrides\nquarter: 2024Q4\nmoves:\n"
        "  - {employee_id: KM0003, tier: senior-C, authorised_by: 张主任, reason_code: CAL-01,"
        " comment: 农村服务突出}\n",
        encoding="utf-8",
    )
    for q in ("2024Q3", "2024Q4"):  # a recorded history: moves, promotions, improvement
        result = runner.invoke(app, ["--quiet", "payroll", "--quarter", q, "--record"])
        assert result.exit_code == 0, result.output
    return tmp_path


def _sheet(path: Path, name: str) -> tuple[list[str], list[tuple[object, ...]]]:
    ws = load_workbook(path, read_only=True)[name]
    rows = list(ws.iter_rows(values_only=True))
    return [str(h) for h in rows[1]], [r for r in rows[2:] if r[0] != "合计"]


def test_every_zh_workbook_cell_that_names_something_is_chinese(workspace: Path) -> None:
    for command, out in (("grade", "g.xlsx"), ("payroll", "p.xlsx")):
        result = runner.invoke(
            app, [command, "data/2025Q1/roster.xlsx", "--quarter", "2025Q1", "-o", out]
        )
        assert result.exit_code == 0, result.output
    header, rows = _sheet(workspace / "g.xlsx", "分级结果")
    assert not [h for h in header if ENGLISH_WORD.search(h)]  # headers, scores included
    assert "销售额得分" in header and "销售额" not in header  # the column holds the score
    at = {h: i for i, h in enumerate(header)}
    seen: dict[str, set[object]] = {}
    for row in rows:
        for column in LABELLED:
            if column in at and row[at[column]] is not None:
                seen.setdefault(column, set()).add(row[at[column]])
        said = row[at["评定依据"]]
        if row[at["状态"]] == "已评定":
            assert said and not ENGLISH_WORD.search(str(said)), said
    for column, values in seen.items():
        assert not {str(v) for v in values} & KEYS, (column, values)
        assert not any(isinstance(v, bool) for v in values), column
    assert seen["变动"] >= {"晋升", "保持"}
    assert seen["服务农村"] == {"是", "否"}
    assert "高级客户经理A" in seen["等级档次"] and "见习客户经理" in seen["等级档次"]
    reasons = " ".join(str(r[at["评定依据"]]) for r in rows)
    assert "校准调整" not in reasons  # the override was for 2024Q4, this is 2025Q1
    for phrase in ("综合得分", "排名", "名额", "档次"):
        assert phrase in reasons
    summary, _ = _sheet(workspace / "g.xlsx", "汇总")
    assert not [h for h in summary if ENGLISH_WORD.search(h)]
    pay, paid = _sheet(workspace / "p.xlsx", "薪酬")
    assert not [h for h in pay if ENGLISH_WORD.search(h)]
    tiers = {r[pay.index("等级档次")] for r in paid}
    assert not {str(t) for t in tiers} & KEYS and "中级客户经理A" in tiers


def test_a_recorded_quarter_reads_in_either_language(workspace: Path) -> None:
    for out, lang in (("zh.xlsx", "zh"), ("en.xlsx", "en")):
        result = runner.invoke(
            app,
            ["grade", "data/2024Q4/roster.xlsx", "--quarter", "2024Q4", "-o", out, "--lang", lang],
        )
        assert result.exit_code == 0, result.output
    zh_header, zh_rows = _sheet(workspace / "zh.xlsx", "分级结果")
    en_header, en_rows = _sheet(workspace / "en.xlsx", "Grading")
    zh = {r[1]: r[zh_header.index("评定依据")] for r in zh_rows}
    en = {r[1]: r[en_header.index("Reasons")] for r in en_rows}
    assert "校准调整为高级客户经理C，批准人 张主任（CAL-01）：农村服务突出" in str(zh["KM0003"])
    assert "calibration override to senior-C by 张主任 (CAL-01): 农村服务突出" in str(en["KM0003"])
    assert "promoted from junior to mid" in str(en["KM0006"])
    assert "由初级客户经理晋升为中级客户经理" in str(zh["KM0006"])


def test_every_reason_reads_in_both_languages() -> None:
    """Each code the engine writes has words in each language; English keeps the keys."""
    zh = Names("zh", {"senior": "高级客户经理", "mid": "中级客户经理", "trainee": "见习客户经理"})
    gate = reason("gate.exam", have="78", need="80")
    samples = [
        reason("trainee", months=3, need=6),
        reason("rank", n=1, of=10, composite=91.234),
        reason("not_eligible", level="senior", failures=[gate]),
        reason("gate.years", have=1, need=3),
        reason("gate.education", have="大专", need="本科"),
        reason("gate.no_exam", need="80"),
        reason("gate.score", axis="composite", have=70.0, need="75"),
        reason("capped", level="senior", taken=2, seats=2),
        reason("floors", level="senior"),
        reason("overflow", level="mid", n=5, seats=4, rounding="floor"),
        reason("seat", level="mid", n=1, seats=4),
        reason("band.split", band="A", n=1, of=4, level="mid", split=[["A", 1], ["B", 3]]),
        reason("band.cut", band="B", composite=80.0, cut=None),
        reason("no_history"),
        reason("unknown_previous", held="expert"),
        reason("step_limit", level="senior", step=2, held="trainee", most=1, to="mid"),
        reason("graduated", to="mid"),
        reason("promotion_wait", to="senior", need=2, streak=1, held="mid"),
        reason("promoted", held="mid", to="senior"),
        reason("improvement", held="senior", below=1, need=2),
        reason("demoted", held="senior", to="mid", below=2),
        reason("rater_gap", raters=["同事评价"]),
        reason("override", tier="senior-C", by="张主任", why="会议纪要3", comment=None),
        reason("override_gates", level="senior", failures=[gate]),
    ]
    for item in samples:
        english, chinese = say(item, "en", ENGLISH), say(item, "zh", zh)
        assert english and not english.startswith(item["code"] + " {"), item
        assert chinese and not ENGLISH_WORD.search(chinese.replace("expert", "")), chinese
    assert say(samples[2]) == "not eligible for senior: exam score 78 < 80"
    assert say(samples[2], "zh", zh) == "不符合高级客户经理条件：技能考试成绩 78 < 80"
    assert say("recorded as text by an older version") == "recorded as text by an older version"
    assert say({"code": "from_a_newer_version", "x": 1}) == "from_a_newer_version {'x': 1}"


def test_the_zh_report_and_statements_name_things_in_chinese(workspace: Path) -> None:
    from tests.export.test_report import Page

    for command, out in (("report", "r.html"), ("statements", "s.html"), ("statements", "s.xlsx")):
        result = runner.invoke(app, [command, "--quarter", "2025Q1", "-o", out])
        assert result.exit_code == 0, result.output
    page = Page()
    page.feed((workspace / "r.html").read_text(encoding="utf-8"))
    for section, rows in zip(page.section_of_table, page.tables, strict=True):
        for row in rows:
            for cell in row:
                assert cell not in KEYS and not re.fullmatch(r"(senior|mid|junior)-[ABC]", cell), (
                    section,
                    row,
                )
        if section in ("people", "not-graded", "quotas", "calibration", "movements"):
            for cell in rows[0]:  # headers
                assert not ENGLISH_WORD.search(cell) or cell == "z", (section, cell)
    people = page.tables[page.section_of_table.index("people")]
    assert all(not ENGLISH_WORD.search(r[6]) for r in people[1:])  # what decided it, in words
    text = (workspace / "s.html").read_text(encoding="utf-8")
    assert "客户经理评定结果通知单" in text and "工资条" in text
    for key in ("senior-", "mid-", "junior-", ">up<", ">down<", ">True<"):
        assert key not in text, key
    book = load_workbook(workspace / "s.xlsx", read_only=True)
    for ws in book.worksheets:
        for row in ws.iter_rows(values_only=True):
            for cell in row:
                if isinstance(cell, str):
                    assert cell not in KEYS and not re.search(r"(senior|mid|junior)-[ABC]", cell)


_TIERS = st.sampled_from(
    ["mid-B", "mid-C", "junior-A", "trainee", "senior-C", None, float("nan"), 3]
)


@settings(max_examples=150, deadline=None)
@given(
    st.lists(
        st.tuples(
            _TIERS, _TIERS, st.sampled_from(["up", "down", "new", "same", None, float("nan")])
        )
    ),
    st.sampled_from([object, "str", list]),
)
@example(  # one move and tier now, two tiers before: a band down and a level down
    [("mid-B", "mid-C", "down"), ("senior-C", "mid-C", "down"), ("trainee", "mid-C", "up")], list
)
def test_moves_named_a_column_at_a_time_are_each_rows_move(
    rows: list[tuple[object, object, object]], holder: object
) -> None:
    """moved_column gives each row what moved gives it: a blank or a number is no tier, a
    move that is not up or down comes back as it was."""
    import pandas as pd

    from amctl.labels import moved, moved_column

    columns = [[row[k] for row in rows] for k in range(3)]
    if holder is list:
        got = moved_column(*columns)
        read = columns
    else:
        series = [
            pd.Series(c, dtype=object if holder is object or k < 2 else "str")
            for k, c in enumerate(columns)
            if True
        ]
        got = moved_column(*series)
        read = [list(c) for c in series]
    want = [moved(*row) for row in zip(*read, strict=True)]
    assert len(got) == len(want)
    for g, w in zip(got, want, strict=True):
        assert g is w or g == w or (g != g and w != w), (g, w)


def test_a_band_move_is_not_called_a_promotion() -> None:
    from amctl.labels import VALUES, moved

    assert moved("mid-B", "mid-C", "down") == "band_down"
    assert moved("mid-C", "mid-B", "up") == "band_up"
    assert moved("junior-A", "mid-C", "up") == "promoted"
    assert moved("senior-C", "mid-A", "down") == "demoted"
    assert moved("trainee", "junior-C", "up") == "graduated"
    assert moved(None, "mid-A", "new") == "new"
    assert [VALUES["movement"][k][0] for k in ("promoted", "band_up", "graduated")] == [
        "晋升",
        "升档",
        "见习转正",
    ]


def test_csv_and_json_keep_the_keys_and_add_the_labels(workspace: Path) -> None:
    import csv
    import json

    for out in ("g.csv", "g.json"):
        result = runner.invoke(
            app, ["grade", "data/2025Q1/roster.xlsx", "--quarter", "2025Q1", "-o", out]
        )
        assert result.exit_code == 0, result.output
    with (workspace / "g.csv").open(encoding="utf-8-sig") as fh:
        rows = list(csv.DictReader(fh))
    moves = {r["movement"] for r in rows if r["status"] == "graded"}
    assert moves <= {"up", "down", "same", "new", "changed"}  # what scripts read, unchanged
    labels = {r["movement_label"] for r in rows if r["status"] == "graded"}
    assert labels <= {"晋升", "降级", "升档", "降档", "见习转正", "保持", "新进", "变动"}
    first = rows[0]
    assert first["tier"].count("-") == 1 and not ENGLISH_WORD.search(first["reasons_label"])
    doc = json.loads((workspace / "g.json").read_text(encoding="utf-8"))
    assert doc["managers"][0]["level_label"].endswith("客户经理")


PROSE = re.compile(r"\b[A-Za-z]{3,}(?:\s+[A-Za-z]{2,}){2,}")  # three English words in a row


def _prose(text: str) -> list[str]:
    """English sentences left in a Chinese line; paths, ids and rule ids are not prose."""
    text = re.sub(r"\S*[/\\]\S*|\[AM[A-Z]\d{3}\]|'[^']*'", " ", text)
    return PROSE.findall(text)


@pytest.mark.zh
def test_findings_and_reasons_not_graded_are_said_in_the_policys_language(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from tests.helpers import Person, Team, write_team

    team = Team([Person(f"E{i}", score=60 + i) for i in range(6)])
    team.people[2].education = "小学"  # not one of the policy's education levels
    team.people[4].exam = "缺考"  # type: ignore[assignment]  # text in a number column
    path = write_team(tmp_path / "r.xlsx", team)
    monkeypatch.chdir(tmp_path)
    out = tmp_path / "g.xlsx"
    result = runner.invoke(app, ["grade", str(path), "--quarter", "2024Q3", "-o", str(out)])
    assert result.exit_code == 1, result.output
    said = [line for line in result.output.splitlines() if "花名册!" in line]
    assert len(said) >= 2 and any("小学" in line for line in said), result.output
    for line in said:
        assert not _prose(line), line
    assert "未评定 2 行" in result.output

    headers, rows = _sheet(out, "问题")
    message = headers.index("说明")
    assert rows and all(not _prose(str(r[message])) for r in rows), rows
    graded_headers, graded = _sheet(out, "分级结果")
    why = graded_headers.index("评定依据")
    blocked = [r for r in graded if r[graded_headers.index("状态")] == "未评定"]
    assert len(blocked) == 2 and all(not _prose(str(r[why])) for r in blocked), blocked

    english = runner.invoke(app, ["grade", str(path), "--quarter", "2024Q3", "--lang", "en"])
    assert "is not one of" in english.output and "小学" in english.output


@pytest.mark.zh
def test_a_policy_finding_and_an_unusable_file_are_said_in_chinese(tmp_path: Path) -> None:
    policy = tmp_path / "p.yaml"
    text = (REPO / "policies" / "ct-group.yaml").read_text(encoding="utf-8")
    policy.write_text(text.replace("weight: 20", "weight: 15", 1), encoding="utf-8")
    checked = runner.invoke(app, ["policy", "check", str(policy)])
    assert checked.exit_code == 1 and "错误" in checked.output and "AMC010" in checked.output
    assert not any(_prose(line) for line in checked.output.splitlines() if "AMC010" in line)
    missing = runner.invoke(app, ["grade", str(tmp_path / "nope.xlsx")])
    assert missing.exit_code == 2 and "错误" in missing.output
    assert not _prose(missing.output), missing.output


def test_a_path_is_cut_from_a_chinese_message_and_nothing_else() -> None:
    from amctl.labels import plain

    said = "任职日期：不是日期；请写成 2019-03-01；/data/hr/roster.xlsx:业绩!C3: 销售额：空"
    assert plain(said) == "任职日期：不是日期；请写成 2019-03-01；roster.xlsx:业绩!C3: 销售额：空"


@pytest.mark.zh
def test_an_english_policy_speaks_english_from_its_first_error(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from tests.helpers import Person, Team, write_xlsx

    text = (REPO / "policies" / "ct-group.yaml").read_text(encoding="utf-8")
    (tmp_path / "policies").mkdir()
    english = text.replace("metadata:\n", "metadata:\n  language: en\n", 1)
    (tmp_path / "policies" / "ct-group.yaml").write_text(english, encoding="utf-8")
    team = Team([Person(f"E{i}", score=60 + i) for i in range(4)])
    rows = [r[1:] for r in team.roster_rows()]  # no id column: an error before any table
    path = write_xlsx(
        tmp_path / "r.xlsx",
        {"花名册": rows, "业绩": team.performance_rows(), "能力评价": team.ratings_rows()},
    )
    monkeypatch.chdir(tmp_path)
    result = runner.invoke(app, ["grade", str(path), "--quarter", "2024Q3"])
    assert result.exit_code == 2 and "error: the header row 1 has no column" in result.output
    monkeypatch.setenv("AMCTL_LANG", "fr")  # not a language amctl speaks: the policy's still
    again = runner.invoke(app, ["grade", str(path), "--quarter", "2024Q3"])
    assert "error: the header row 1 has no column" in again.output
    monkeypatch.setenv("AMCTL_LANG", "ZH")
    chinese = runner.invoke(app, ["grade", str(path), "--quarter", "2024Q3"])
    assert "错误" in chinese.output


def test_a_gate_worded_once_is_worded_again_for_other_values_and_types() -> None:
    """Gate failures are worded once per distinct value: 3 and 3.0 are equal as keys, and
    still worded as given; the languages keep their own words."""

    years = {"code": "gate.years", "have": 3, "need": 5}
    assert say(years) == "3 years in post < 5"
    assert say({**years, "have": 3.0}) == "3.0 years in post < 5"
    assert say({**years, "have": 4}) == "4 years in post < 5"
    assert say(years, "zh") != say(years)
    assert say(years) == "3 years in post < 5"


_NEAR = st.builds(  # a value on, or a hair beside, a half at `places` decimals: where rounding tips
    lambda k, places, nudge: (k + 0.5) / 10**places * (1 + nudge),
    st.integers(-(10**7), 10**7),
    st.integers(0, 4),
    st.sampled_from([0.0, 1e-16, -1e-16, 2e-16, 1e-12, -1e-12]),
)


@settings(max_examples=300, deadline=None)
@given(
    values=st.lists(st.one_of(st.floats(width=64), _NEAR), min_size=1, max_size=20),
    places=st.integers(0, 4),
)
def test_fixed_decimals_by_arrow_are_what_format_writes(values: list[float], places: int) -> None:
    """A composite is worded `{composite:.2f}` for a million managers a column at a time: the
    text is Python's, halves, signs of zero, NaN and huge values included."""
    import numpy as np

    from amctl.labels import _fixed

    got = _fixed(np.array(values, dtype=np.float64), places).to_pylist()
    assert got == [format(v, f".{places}f") for v in values]
