"""The CLI's wiring: exit codes, messages, outputs. Behaviour itself is tested on the library."""

from __future__ import annotations

import csv
import json
import os
import random
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from openpyxl import load_workbook
from typer.testing import CliRunner

from amctl.cli.app import app
from tests.helpers import DEFAULT_POLICY, EXAMPLE, REPO, Person, Team, write_team, write_xlsx

runner = CliRunner()


def amctl(*args: str | Path):  # type: ignore[no-untyped-def]
    return runner.invoke(app, [str(a) for a in args])


@pytest.mark.zh
def test_grade_the_example_team() -> None:
    result = amctl("grade", EXAMPLE)
    assert result.exit_code == 0, result.output
    assert "政策 ct-group 2024.5" in result.output and "考核期 2024Q3" in result.output
    assert "花名册 80 行：已评定 80，未评定 0。" in result.output
    assert "名额（基数 80 人）" in result.output


@pytest.mark.parametrize("suffix", [".xlsx", ".csv", ".json"])
def test_outputs_are_byte_identical_across_runs(tmp_path: Path, suffix: str) -> None:
    first, second = tmp_path / f"a{suffix}", tmp_path / f"b{suffix}"
    assert amctl("grade", EXAMPLE, "-o", first).exit_code == 0
    assert amctl("grade", EXAMPLE, "-o", second).exit_code == 0
    assert first.read_bytes() == second.read_bytes()


def test_every_roster_row_is_in_the_csv(tmp_path: Path) -> None:
    out = tmp_path / "g.csv"
    result = amctl("grade", EXAMPLE, "-o", out)
    assert result.exit_code == 0, result.output
    with out.open(encoding="utf-8-sig") as fh:
        rows = list(csv.DictReader(fh))
    assert len(rows) == 80
    assert {r["status"] for r in rows} == {"graded"}
    assert all(r["tier"] for r in rows)


def test_xlsx_output_has_its_sheets(tmp_path: Path) -> None:
    out = tmp_path / "g.xlsx"
    assert amctl("grade", EXAMPLE, "-o", out, "--lang", "en").exit_code == 0
    wb = load_workbook(out, read_only=True)
    assert wb.sheetnames == ["Grading", "Summary", "Quota", "Boundaries", "Findings", "Run"]
    rows = list(wb["Grading"].iter_rows(values_only=True))
    assert str(rows[0][0]).startswith("Grading · ct-group · 2024Q3 · policy version")
    assert rows[1][:3] == ("Status", "Employee ID", "Name") and len(rows) == 82
    run = dict(wb["Run"].iter_rows(min_row=3, values_only=True))
    assert run["policy"] == "ct-group" and run["period"] == "2024Q3"


def test_json_output_carries_reasons(tmp_path: Path) -> None:
    out = tmp_path / "g.json"
    assert amctl("grade", EXAMPLE, "-o", out).exit_code == 0
    doc = json.loads(out.read_text(encoding="utf-8"))
    first = doc["managers"][0]
    assert first["employee_id"] == "KM0001" and "rank" in first["reasons"]
    assert [q["level"] for q in doc["quota"]] == ["senior", "mid", "junior"]


def test_text_that_looks_like_a_formula_is_neutralised(tmp_path: Path) -> None:
    team = Team(
        [Person(f"E{i}", score=60 + i, name="@SUM(1+1)*cmd" if i == 0 else "") for i in range(4)]
    )
    team.people[1].unit = "+1部"
    wb = write_team(tmp_path / "r.xlsx", team)
    out = tmp_path / "g.csv"
    result = amctl("grade", wb, "--quarter", "2024Q3", "-o", out)
    assert result.exit_code == 0, result.output
    text = out.read_text(encoding="utf-8-sig")
    assert "'@SUM(1+1)*cmd" in text and ",'+1部," in text
    xlsx = tmp_path / "g.xlsx"
    assert amctl("grade", wb, "--quarter", "2024Q3", "-o", xlsx).exit_code == 0
    names = [row[2] for row in load_workbook(xlsx).active.iter_rows(min_row=3, values_only=True)]  # type: ignore[union-attr]
    assert "'@SUM(1+1)*cmd" in names


def test_output_never_overwrites_an_input(tmp_path: Path) -> None:
    copy = shutil.copy(EXAMPLE, tmp_path / "roster-2024Q3.xlsx")
    before = Path(copy).read_bytes()
    result = amctl("grade", copy, "-o", copy, "--force")
    assert result.exit_code == 2
    assert "this is an input file" in result.output
    assert Path(copy).read_bytes() == before


def test_existing_output_needs_force(tmp_path: Path) -> None:
    out = tmp_path / "g.csv"
    out.write_text("keep me", encoding="utf-8")
    result = amctl("grade", EXAMPLE, "-o", out)
    assert result.exit_code == 2 and "pass --force" in result.output
    assert out.read_text(encoding="utf-8") == "keep me"
    assert amctl("grade", EXAMPLE, "-o", out, "--force").exit_code == 0
    assert out.read_text(encoding="utf-8-sig").startswith("status,employee_id")


def test_unknown_output_format_is_usage(tmp_path: Path) -> None:
    result = amctl("grade", EXAMPLE, "-o", tmp_path / "g.pdf")
    assert result.exit_code == 2 and "unknown output format '.pdf'" in result.output


@pytest.mark.zh
def test_rows_that_cannot_be_graded_exit_1_and_are_listed(tmp_path: Path) -> None:
    team = Team([Person(f"E{i}", score=60 + i) for i in range(5)])
    team.people[3].education = "小学"
    result = amctl("grade", write_team(tmp_path / "r.xlsx", team), "--quarter", "2024Q3")
    assert result.exit_code == 1, result.output
    assert "未评定 1 行" in result.output
    assert "花名册 5 行：已评定 4，未评定 1。" in result.output


def test_unusable_input_exits_2_with_a_located_message(tmp_path: Path) -> None:
    team = Team([Person("E1")])
    rows = [r[1:] for r in team.roster_rows()]  # no id column
    path = write_xlsx(
        tmp_path / "r.xlsx",
        {"花名册": rows, "业绩": team.performance_rows(), "能力评价": team.ratings_rows()},
    )
    result = amctl("grade", path, "--quarter", "2024Q3")
    assert result.exit_code == 2
    assert (
        f"{path}:花名册!1: error: the header row 1 has no column for employee_id" in result.output
    )
    assert "Traceback" not in result.output


def test_invalid_policy_stops_grade_with_exit_2(tmp_path: Path) -> None:
    bad = tmp_path / "p.yaml"
    bad.write_text(
        DEFAULT_POLICY.read_text(encoding="utf-8").replace("weight: 25", "weight: 20", 1),
        encoding="utf-8",
    )
    result = amctl("grade", EXAMPLE, "--policy", bad)
    assert result.exit_code == 2
    assert "sum is 95, must be 100" in result.output


def test_bad_quarter_is_usage() -> None:
    result = amctl("grade", EXAMPLE, "--quarter", "2024Q5")
    assert result.exit_code == 2 and "a quarter 2024Q3" in result.output


def test_policy_check_passes_on_the_shipped_policies() -> None:
    result = amctl("policy", "check", DEFAULT_POLICY.parent)
    assert result.exit_code == 0, result.output
    assert "1 policy file(s) checked: valid" in result.output


def test_policy_check_reports_weights_summing_to_95(tmp_path: Path) -> None:
    bad = tmp_path / "ct-group.yaml"
    text = DEFAULT_POLICY.read_text(encoding="utf-8").replace(
        "communication: {label: 沟通协调能力, weight: 25,",
        "communication: {label: 沟通协调能力, weight: 20,",
    )
    bad.write_text(text, encoding="utf-8")
    line = next(
        i
        for i, t in enumerate(text.splitlines(), 1)
        if t.startswith("  indicators:") and "1.3.1" in t
    )
    result = amctl("policy", "check", tmp_path)
    assert result.exit_code == 1
    assert (
        f"{bad}:{line}:3: error: ability indicator weights: sum is 95, must be 100" in result.output
    )


def test_policy_check_usage_errors_exit_2(tmp_path: Path) -> None:
    assert amctl("policy", "check", tmp_path / "missing.yaml").exit_code == 2
    assert amctl("policy", "check", tmp_path).exit_code == 2  # a folder with no policy
    assert amctl("policy", "check").exit_code == 2


def test_policy_schema_is_json() -> None:
    result = amctl("policy", "schema")
    assert result.exit_code == 0
    schema = json.loads(result.output)
    assert "apiVersion" in schema["properties"] and "levels" in schema["required"]


def _jinzhong() -> Team:
    """Seed 004: 71 managers = 6 senior, 36 mid, 18 junior, 11 trainee."""
    levels = ["高级"] * 6 + ["中级"] * 36 + ["初级"] * 18 + ["见习"] * 11
    random.Random(4).shuffle(levels)
    return Team([Person(f"JZ{i:03d}", level=lv) for i, lv in enumerate(levels)])


def test_roster_check_flags_the_jinzhong_mid_quota(tmp_path: Path) -> None:
    path = write_team(tmp_path / "jinzhong.xlsx", _jinzhong())
    result = amctl("roster", "check", path)
    assert result.exit_code == 1, result.output
    assert (
        "mid (中级客户经理): 36/71 = 50.7% exceeds the cap of 50% (at most 35 of 71)"
        in result.output
    )
    assert "senior (" not in result.output and "junior (" not in result.output
    assert "71 roster rows (senior 6, mid 36, junior 18, trainee 11)" in result.output


def test_roster_check_passes_a_team_within_quotas(tmp_path: Path) -> None:
    levels = ["高级"] * 2 + ["中级B"] * 5 + ["初级"] * 3
    path = write_team(
        tmp_path / "ok.xlsx", Team([Person(f"E{i}", level=lv) for i, lv in enumerate(levels)])
    )
    result = amctl("roster", "check", path)
    assert result.exit_code == 0, result.output


COMMANDS = [
    ["grade"],
    ["report"],
    ["init"],
    ["history"],
    ["explain"],
    ["payroll"],
    ["policy", "check"],
    ["policy", "fmt"],
    ["policy", "diff"],
    ["policy", "test"],
    ["policy", "migrate"],
    ["policy", "schema"],
    ["roster", "check"],
]


@pytest.mark.parametrize("command", COMMANDS, ids=" ".join)
def test_every_command_has_help_with_an_example(command: list[str]) -> None:
    result = amctl(*command, "--help")
    assert result.exit_code == 0
    assert "Example: amctl" in result.output


@pytest.mark.parametrize("group", [[], ["policy"], ["roster"]], ids=str)
def test_groups_list_their_commands(group: list[str]) -> None:
    result = amctl(*group, "--help")
    assert result.exit_code == 0
    for command in COMMANDS:
        if command[:-1] == group:
            assert command[-1] in result.output


def test_readme_documents_every_command() -> None:
    readme = (DEFAULT_POLICY.parent.parent / "README.md").read_text(encoding="utf-8")
    for command in (
        "amctl grade",
        "amctl payroll",
        "amctl report",
        "amctl init",
        "amctl history",
        "amctl explain",
        "amctl policy check",
        "amctl policy fmt",
        "amctl policy diff",
        "amctl policy test",
        "amctl policy migrate",
        "amctl policy schema",
        "amctl roster check",
    ):
        assert command in readme, command


def test_a_bad_output_is_refused_before_any_work(tmp_path: Path) -> None:
    result = amctl("grade", EXAMPLE, "-o", tmp_path / "missing" / "g.xlsx")
    assert result.exit_code == 2
    assert "does not exist" in result.output
    assert "managers graded" not in result.output


def test_policy_check_locates_an_impossible_date(tmp_path: Path) -> None:
    bad = tmp_path / "p.yaml"
    bad.write_text(
        DEFAULT_POLICY.read_text(encoding="utf-8").replace(
            "effective_from: 2024-07-01", "effective_from: 2024-13-01"
        ),
        encoding="utf-8",
    )
    result = amctl("policy", "check", bad)
    assert result.exit_code == 1
    assert f"{bad}:10:19: error: '2024-13-01' cannot be read" in result.output


def test_roster_check_refuses_an_empty_roster(tmp_path: Path) -> None:
    path = write_xlsx(tmp_path / "r.xlsx", {"花名册": Team([]).roster_rows()})
    result = amctl("roster", "check", path, "--quarter", "2024Q3")
    assert result.exit_code == 2
    assert "the roster has no rows under its header" in result.output


def test_roster_check_counts_rows_without_a_current_level_apart(tmp_path: Path) -> None:
    levels = ["高级", "中级", None, "初级", "中级"]
    path = write_team(
        tmp_path / "r.xlsx", Team([Person(f"E{i}", level=lv) for i, lv in enumerate(levels)])
    )
    result = amctl("roster", "check", path, "--quarter", "2024Q3")
    assert "1 manager(s) have no current level" in result.output
    assert "5 roster rows (senior 1, mid 2, junior 1, trainee 0)" in result.output


def test_a_trainee_without_data_is_explained_and_exported_without_nan(tmp_path: Path) -> None:
    team = Team(
        [Person(f"E{i:03d}", score=50 + 7 * i) for i in range(6)] + [Person("T01", years=0)]
    )
    (tmp_path / "data" / "2024Q3").mkdir(parents=True)
    write_xlsx(
        tmp_path / "data" / "2024Q3" / "roster.xlsx",
        {
            "花名册": team.roster_rows(),
            "业绩": [r for r in team.performance_rows() if r[0] != "T01"],
            "能力评价": [r for r in team.ratings_rows() if r[0] != "T01"],
        },
    )

    def strict(text: str) -> object:
        return json.loads(text, parse_constant=lambda c: pytest.fail(f"{c} in the JSON"))

    done = amctl("explain", "T01", "--quarter", "2024Q3", "-w", tmp_path, "--json")
    assert done.exit_code == 0, done.output
    doc = strict(done.output)
    assert doc["grid"] == {"ability": None, "performance": None, "cell": None, "action": None}  # type: ignore[index]
    shown = amctl("explain", "T01", "--quarter", "2024Q3", "-w", tmp_path)
    assert "no cell (a score is missing)" in shown.output
    out = tmp_path / "g.json"
    assert (
        amctl(
            "grade", tmp_path / "data" / "2024Q3" / "roster.xlsx", "-q", "2024Q3", "-o", out
        ).exit_code
        == 0
    )
    strict(out.read_text(encoding="utf-8"))


def test_roster_check_shows_where_each_field_is_read_from(tmp_path: Path) -> None:
    team = Team([Person(f"E{i:03d}") for i in range(3)])
    roster = team.roster_rows()
    roster[0].append("备注")
    for row in roster[1:]:
        row.append("")
    path = write_xlsx(
        tmp_path / "r.xlsx",
        {"花名册": roster, "业绩": team.performance_rows(), "能力评价": team.ratings_rows()},
    )
    done = runner.invoke(
        app, ["roster", "check", str(path), "-q", "2024Q3"], env={"COLUMNS": "200"}
    )
    assert done.exit_code == 0, done.output
    assert (
        "r.xlsx#花名册" in done.output and "post_start" in done.output and "任职日期" in done.output
    )
    assert "(not read)" in done.output and "I 备注" in done.output
    assert "r.xlsx#能力评价" in done.output


def test_the_process_exits_with_its_code_and_whole_output_without_a_last_collection(
    tmp_path: Path,
) -> None:
    """main() freezes what the run made, so exit frees it without a last full collection
    (#17); the exit code and every byte of the output survive."""
    bad = tmp_path / "bad.yaml"
    bad.write_text(
        DEFAULT_POLICY.read_text(encoding="utf-8").replace("weight: 25,", "weight: 20,", 1),
        encoding="utf-8",
    )
    code = (
        "import gc, sys\n"
        "from amctl.cli.app import main\n"
        f"sys.argv = ['amctl', 'policy', 'check', '--format', 'json', {str(bad)!r}]\n"
        "try:\n"
        "    main()\n"
        "except SystemExit as done:\n"
        "    sys.stderr.write(f'{done.code} {len(gc.get_objects())}')\n"
    )
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
    exit_code, left = done.stderr.split()
    assert exit_code == "1", done.stderr
    assert int(left) < 1000  # what a last collection would walk: ~38,000 unfrozen
    assert json.loads(done.stdout)[0]["rule"] == "AMC010"
    whole = subprocess.run(
        [sys.executable, "-m", "amctl", "policy", "check", "--format", "json", str(bad)],
        capture_output=True,
        text=True,
    )
    assert whole.returncode == 1
    assert whole.stdout == done.stdout


@pytest.mark.parametrize(("given", "used"), [(None, "10"), ("250", "250")])
def test_arrow_frees_memory_after_ten_milliseconds_unless_the_user_says(
    given: str | None, used: str
) -> None:
    """Arrow's build holds freed memory a second, which let a 1M grade's peak swing by half a
    gigabyte; the command sets mimalloc's own 10 ms before pyarrow loads (mimalloc reads it
    once, when it starts)."""
    child = f"""
import atexit, os, sys
from amctl.cli.app import main
assert "pyarrow" not in sys.modules  # the setting must come before Arrow's allocator starts
atexit.register(lambda: print("delay", os.environ.get("MIMALLOC_PURGE_DELAY"), file=sys.stderr))
sys.argv = ["amctl", "grade", {str(EXAMPLE)!r}]
main()
"""
    env = {k: v for k, v in os.environ.items() if not k.startswith("MIMALLOC_")}
    if given is not None:
        env["MIMALLOC_PURGE_DELAY"] = given
    done = subprocess.run([sys.executable, "-c", child], capture_output=True, text=True, env=env)
    assert done.returncode in (0, 1), done.stderr
    assert done.stderr.splitlines()[-1] == f"delay {used}"


def _exit_report(argv: list[str], report: str, env: dict[str, str] | None = None) -> str:
    """What `report` (an expression) is when amctl, run as the command runs it, exits."""
    child = f"""
import atexit, gc, sys
from amctl.cli.app import main
atexit.register(lambda: print("report", {report}, file=sys.stderr))
sys.argv = {["amctl", *argv]!r}
main()
"""
    done = subprocess.run([sys.executable, "-c", child], capture_output=True, text=True, env=env)
    assert done.returncode in (0, 1), done.stderr
    return done.stderr.splitlines()[-1].removeprefix("report ")


@pytest.mark.parametrize(
    ("argv", "collecting"),
    [
        (["policy", "check", str(DEFAULT_POLICY)], False),  # bounded: a policy file's limits
        (["policy", "fmt", "--check", str(DEFAULT_POLICY)], False),
        (["policy", "check", str(REPO / "amctl" / "policies")], True),  # a folder of two
        (["grade", str(EXAMPLE)], True),  # a workbook of any size: garbage is collected
        (["roster", "check", str(EXAMPLE)], True),
    ],
)
def test_garbage_is_collected_from_a_commands_start_unless_its_work_is_bounded(
    argv: list[str], collecting: bool
) -> None:
    """Collections while typer and pydantic load were 5 % of `policy check` (#17); a command
    that reads workbooks turns them back on before it reads anything."""
    assert _exit_report(argv, "gc.isenabled()") == str(collecting)


def test_pydantic_plugins_are_not_searched_for_unless_the_user_set_them() -> None:
    """pydantic's plugin search imports importlib.metadata and reads every installed package's
    entry points (7 % of `policy check`); a user's PYDANTIC_DISABLE_PLUGINS keeps pydantic's
    own loader, and what it says."""
    argv = ["policy", "check", str(DEFAULT_POLICY)]
    report = "'importlib.metadata' in sys.modules, getattr(sys.modules.get('pydantic.plugin._loader'), '__file__', None) is None"
    env = {k: v for k, v in os.environ.items() if k != "PYDANTIC_DISABLE_PLUGINS"}
    assert _exit_report(argv, report, env) == "False True"
    assert _exit_report(argv, report, {**env, "PYDANTIC_DISABLE_PLUGINS": "logfire"}) == (
        "True False"
    )


def test_the_plugin_loader_amctl_puts_in_pydantics_place_answers_what_pydantic_asks() -> None:
    """pydantic asks its loader for get_plugins alone: if a pydantic asks for more, the rest is
    its own loader's (slower, never wrong)."""
    import ast
    import importlib.util

    spec = importlib.util.find_spec("pydantic.plugin._schema_validator")
    assert spec is not None and spec.origin is not None
    tree = ast.parse(Path(spec.origin).read_text(encoding="utf-8"))
    asked = {
        alias.name
        for node in ast.walk(tree)
        if isinstance(node, ast.ImportFrom) and node.module == "_loader"
        for alias in node.names
    }
    assert asked == {"get_plugins"}
    report = (
        "sys.modules['pydantic.plugin._loader'].get_plugins(), "
        "sys.modules['pydantic.plugin._loader'].PYDANTIC_ENTRY_POINT_GROUP"
    )
    env = {k: v for k, v in os.environ.items() if k != "PYDANTIC_DISABLE_PLUGINS"}
    assert _exit_report(["policy", "check", str(DEFAULT_POLICY)], report, env) == "() pydantic"
