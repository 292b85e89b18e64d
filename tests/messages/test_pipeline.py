"""The pipeline area's messages as data: each key worded in Chinese and in English, the English
what amctl has always printed, the Chinese keeping the user's own words."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from amctl.errors import AmctlError, Finding, OutputError, UsageError
from amctl.export.safe import check_suffix, check_target
from amctl.labels import say as say_reason
from amctl.ledger.store import Ledger, LedgerError
from amctl.messages import Said, say
from amctl.messages.pipeline import MESSAGES
from amctl.period import parse
from amctl.pipeline.grade import gate_said, grade_files, semicolons
from amctl.policy.loader import LoadedPolicy
from amctl.policy.overrides import load_overrides
from amctl.workspace.init import init
from amctl.workspace.layout import Workspace
from tests.helpers import EXAMPLE, Person, Team, english_prose, template_fields, write_team

Q3 = parse("2024Q3")
CHINESE = re.compile(r"[\u4e00-\u9fff]")


@pytest.mark.parametrize("key", sorted(MESSAGES))
def test_both_languages_name_the_same_values(key: str) -> None:
    zh, en = MESSAGES[key]
    assert template_fields(zh) == template_fields(en), key


_PLAIN = re.compile(r"\{[^}]*\}|'[^']*'|\"[^\"]*\"|`[^`]*`")


@pytest.mark.parametrize("key", sorted(MESSAGES))
def test_the_chinese_is_chinese(key: str) -> None:
    zh, en = MESSAGES[key]
    assert english_prose(zh) is None, (key, english_prose(zh))
    if re.search(r"[A-Za-z]{2,}", _PLAIN.sub(" ", en)):  # words, not only values and marks
        assert CHINESE.search(zh), key


@pytest.mark.parametrize("key", sorted(MESSAGES))
def test_keys_are_the_areas(key: str) -> None:
    assert key.split(".")[0] in {"pipeline", "ledger", "workspace", "period", "output"}


def _chinese(text: str, *kept: str) -> None:
    assert CHINESE.search(text), text
    for word in kept:
        assert word in text, (word, text)


def _one(findings: list[Finding], rule: str) -> Finding:
    (found,) = [f for f in findings if f.rule == rule]
    assert found.said is not None
    return found


def test_a_post_start_after_the_as_of_date(default_policy: LoadedPolicy, tmp_path: Path) -> None:
    team = Team([Person(f"E{i:03d}", score=50 + 7 * i) for i in range(5)] + [Person("F01")])
    team.people[-1].years = -1  # starts a year after the quarter ends
    result = grade_files(default_policy, write_team(tmp_path / "r.xlsx", team), Q3)
    f = _one(result.findings, "AMD015")
    start = str(team.people[-1].start())
    assert f.message == f"post start {start} is after the as-of date 2024-09-30; check the date"
    assert f.worded("zh") == f"任职日期 {start} 晚于截至日期 2024-09-30；请核对日期"


def test_a_trainee_without_performance(default_policy: LoadedPolicy, tmp_path: Path) -> None:
    team = Team([Person(f"E{i:03d}", score=50 + 7 * i) for i in range(6)])
    team.people.append(Person("T01", years=0))
    wb = write_team(tmp_path / "r.xlsx", team)
    from openpyxl import load_workbook

    book = load_workbook(wb)
    sheet = book["业绩"]
    for row in range(sheet.max_row, 1, -1):
        if sheet.cell(row, 1).value == "T01":
            sheet.delete_rows(row)
    book.save(wb)
    f = _one(grade_files(default_policy, wb, Q3).findings, "AMD011")
    assert f.message == (
        "trainee T01: no performance row: placed 见习客户经理 (a trainee is not ranked), with no "
        "score, band or 9-box cell from the missing data; a pay formula that reads it stops "
        "payroll"
    )
    _chinese(f.worded("zh"), "见习 T01：没有业绩数据行：列为见习客户经理")


def _overrides(tmp_path: Path, quarter_label: str, *moves: str) -> Path:
    body = "".join(f"  - {{{m}, authorised_by: 张主任, reason_code: CAL-01}}\n" for m in moves)
    path = tmp_path / f"{quarter_label}.yaml"
    path.write_text(
        f"apiVersion: amctl/v1\nkind: Overrides\nquarter: {quarter_label}\nmoves:\n{body}",
        encoding="utf-8",
    )
    return path


def test_overrides_that_cannot_apply(default_policy: LoadedPolicy, tmp_path: Path) -> None:
    moves = (
        "employee_id: NOPE, tier: mid-A",
        "employee_id: KM0001, tier: 特级",
        "employee_id: KM0003, tier: senior-A",
    )
    ov = load_overrides(_overrides(tmp_path, "2024Q3", *moves))
    result = grade_files(default_policy, EXAMPLE, Q3, overrides=ov)
    ghost, tier = [f for f in result.findings if f.rule == "AMC061"]
    assert ghost.message == "override for NOPE, who is not graded this quarter"
    _chinese(ghost.worded("zh"), "NOPE")
    assert tier.message.startswith("override to 特级 for KM0001: not a tier (senior-A, senior-B, ")
    _chinese(tier.worded("zh"), "特级", "KM0001", "senior-A、senior-B、")
    gates = _one(result.findings, "AMC064")
    assert gates.message.startswith("override moves KM0003 to senior-A past the senior eligibility")
    assert gates.message.endswith("; allowed, as quota.override_gates is advisory")
    _chinese(gates.worded("zh"), "KM0003", "senior-A", "quota.override_gates")
    assert " < " in gates.worded("zh")

    other = load_overrides(_overrides(tmp_path, "2024Q2", "employee_id: KM0001, tier: mid-B"))
    f = _one(grade_files(default_policy, EXAMPLE, Q3, overrides=other).findings, "AMC061")
    assert f.message == (
        "the overrides file is for 2024Q2, not 2024Q3: none of its moves is applied; "
        "set quarter: 2024Q3 or move the file"
    )
    _chinese(f.worded("zh"), "2024Q2", "quarter: 2024Q3")


@pytest.mark.parametrize(
    "failure",
    [
        {"code": "gate.years", "have": 1, "need": 5},
        {"code": "gate.education", "have": "大专", "need": "本科"},
        {"code": "gate.no_exam", "need": "80"},
        {"code": "gate.exam", "have": "59.5", "need": "60"},
        {"code": "gate.score", "axis": "composite", "have": 70.256, "need": "75"},
    ],
)
def test_a_gate_reads_as_the_label_layer_reads_it(failure: dict[str, object]) -> None:
    part = gate_said(failure)
    assert isinstance(part, Said)
    assert say(part) == say_reason(failure, "en")
    assert say(part, "zh", {"composite": "综合得分"}.get) == say_reason(failure, "zh")


def test_a_long_list_stays_a_list() -> None:
    items = [f"E{i}" for i in range(300)]
    assert say(semicolons(items)) == "; ".join(items)
    assert say(semicolons(items), "zh") == "；".join(items)
    assert semicolons([]) == "" and semicolons(["a"]) == "a"


def test_a_quarter_mistyped() -> None:
    with pytest.raises(UsageError) as caught:
        parse("2024Q5")
    assert str(caught.value) == (
        "'2024Q5' is not a period; write a month 2024-08, a quarter 2024Q3, a half 2024H2 or"
        " a year 2024"
    )
    _chinese(caught.value.worded("zh"), "'2024Q5'", "2024Q3")


def test_an_output_amctl_will_not_write(tmp_path: Path) -> None:
    with pytest.raises(OutputError) as caught:
        check_suffix(Path("工资.pdf"), [".xlsx", ".csv"])
    assert str(caught.value) == "工资.pdf: unknown output format '.pdf'; use one of .xlsx, .csv"
    _chinese(caught.value.worded("zh"), "工资.pdf", "'.pdf'", ".xlsx、.csv")

    roster = tmp_path / "花名册.xlsx"
    roster.write_bytes(b"x")
    with pytest.raises(OutputError) as caught:
        check_target(roster, [roster], force=True)
    assert str(caught.value) == f"{roster}: this is an input file; write the output somewhere else"
    _chinese(caught.value.worded("zh"), str(roster))


def test_a_ledger_that_is_not_one(tmp_path: Path) -> None:
    path = tmp_path / "ledger.sqlite"
    path.write_bytes(b"PK\x03\x04 this is a zip, not a ledger" * 100)
    with pytest.raises(LedgerError) as caught:
        Ledger.open(path)
    assert str(caught.value) == (
        f"{path}: not an SQLite file, so not an amctl ledger (damaged, or another file put in "
        "its place). amctl leaves it as it is: move it aside to start a new ledger, or put back "
        "your copy of the ledger"
    )
    _chinese(caught.value.worded("zh"), str(path), "SQLite")


def test_a_workspace_that_is_not_there_or_taken(tmp_path: Path) -> None:
    with pytest.raises(UsageError) as caught:
        Workspace.at(tmp_path / "没有")
    assert str(caught.value) == f"{tmp_path / '没有'}: no such workspace folder"
    _chinese(caught.value.worded("zh"), str(tmp_path / "没有"))

    (tmp_path / "taken").mkdir()
    (tmp_path / "taken" / "notes.txt").write_text("x")
    with pytest.raises(UsageError) as caught:
        init(tmp_path / "taken")
    assert str(caught.value).endswith(": already exists and is not empty; choose a new folder")
    _chinese(caught.value.worded("zh"), str(tmp_path / "taken"))

    ws = Workspace(tmp_path)
    (tmp_path / "data" / "2024Q3").mkdir(parents=True)
    for name in ("a.xlsx", "b.xlsx"):
        (tmp_path / "data" / "2024Q3" / name).write_bytes(b"x")
    with pytest.raises(UsageError) as caught:
        ws.roster("2024Q3", ["花名册"])
    assert str(caught.value) == (
        f"{tmp_path / 'data' / '2024Q3'} has a.xlsx, b.xlsx; name the roster roster.xlsx or "
        "give the roster's path"
    )
    _chinese(caught.value.worded("zh"), "a.xlsx、b.xlsx", "roster.xlsx")


def test_explaining_someone_not_recorded(tmp_path: Path) -> None:
    from amctl.pipeline.explain import history, latest_recorded

    ws = Workspace(tmp_path)
    with pytest.raises(AmctlError) as caught:
        history(ws, "KM0001")
    assert str(caught.value) == (
        f"{ws.ledger_file}: no ledger yet; record a quarter first (amctl close)"
    )
    _chinese(caught.value.worded("zh"), str(ws.ledger_file), "amctl close")
    with pytest.raises(AmctlError) as caught:
        latest_recorded(ws)
    _chinese(caught.value.worded("zh"))


def test_a_message_from_another_amctl_falls_back_to_the_english_kept_with_it() -> None:
    from amctl.errors import Location
    from amctl.messages import Said

    unknown = Finding(Location("r.xlsx"), "AMD009", "as it was said", said=Said("nope.key", {}))
    assert unknown.worded("zh") == "as it was said"
    short = Said("pipeline.current_over", {"level": "mid"})  # values it no longer has
    lost = Finding(Location("r.xlsx"), "AMD016", "mid over its cap", said=short)
    assert lost.worded("zh") == "mid over its cap" and lost.worded("en") == "mid over its cap"
