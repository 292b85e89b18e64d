"""Policy as code: check formats, effective dates, invariants, diff and impact, tests, migrate."""

from __future__ import annotations

import json
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from ruamel.yaml import YAML
from typer.testing import CliRunner

from amctl.cli.app import app
from amctl.period import parse
from amctl.pipeline.grade import grade_files
from amctl.policy.diff import semantic_diff
from amctl.policy.loader import load_policy
from amctl.workspace.policies import bundled, bundled_names
from tests.helpers import DEFAULT_POLICY, EXAMPLE, REPO

runner = CliRunner()


def amctl(*args: str | Path):  # type: ignore[no-untyped-def]
    return runner.invoke(app, [str(a) for a in args])


def _variant(tmp_path: Path, name: str, *edits: str) -> Path:
    text = DEFAULT_POLICY.read_text(encoding="utf-8")
    for old, new in zip(edits[::2], edits[1::2], strict=True):
        assert old in text, old
        text = text.replace(old, new, 1)
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


# --- check formats -------------------------------------------------------------------------


def _bad(tmp_path: Path) -> Path:
    return _variant(
        tmp_path, "bad.yaml", "weight: 25,", "weight: 20,", "quota: {max: 50}", "quota: {max: 40}"
    )


def test_github_annotations_parse(tmp_path: Path) -> None:
    result = amctl("policy", "check", "--format", "github", _bad(tmp_path))
    assert result.exit_code == 1
    lines = result.output.strip().splitlines()
    assert len(lines) == 2
    pattern = re.compile(
        r"^::(error|warning|notice) file=([^,]+),line=(\d+),col=(\d+),title=(AM[CDF]\d{3})::(.+) \[\5\]$"
    )
    for line in lines:
        m = pattern.match(line)
        assert m, line
        assert m.group(2) == str(tmp_path / "bad.yaml")


def test_json_findings_carry_pointers(tmp_path: Path) -> None:
    result = amctl("policy", "check", "-f", "json", _bad(tmp_path))
    rows = json.loads(result.output)
    assert {r["rule"] for r in rows} == {"AMC010", "AMC017"}
    weights = next(r for r in rows if r["rule"] == "AMC010")
    assert weights["pointer"] == "/ability/indicators" and weights["line"] == 43
    assert set(weights) == {
        "file",
        "line",
        "column",
        "rule",
        "severity",
        "message",
        "message_label",
        "pointer",
    }


def test_sarif_is_a_sarif_log(tmp_path: Path) -> None:
    doc = json.loads(amctl("policy", "check", "-f", "sarif", _bad(tmp_path)).output)
    assert doc["version"] == "2.1.0"
    run = doc["runs"][0]
    assert run["tool"]["driver"]["name"] == "amctl"
    region = run["results"][0]["locations"][0]["physicalLocation"]["region"]
    assert region["startLine"] >= 1 and run["results"][0]["level"] == "error"


def test_an_unknown_format_is_usage() -> None:
    assert amctl("policy", "check", "-f", "xml", DEFAULT_POLICY).exit_code == 2


# --- effective dates and invariants --------------------------------------------------------


def test_overlapping_effective_dates_are_reported(tmp_path: Path) -> None:
    _variant(tmp_path, "a.yaml")
    newer = _variant(
        tmp_path,
        "b.yaml",
        'version: "2024.5"',
        'version: "2024.4"',
        "effective_from: 2024-07-01",
        "effective_from: 2024-10-01",
    )
    result = amctl("policy", "check", tmp_path)
    assert result.exit_code == 1
    assert f"{newer}:10:19: error: ct-group 2024.4 starts 2024-10-01 while 2024.5" in result.output
    assert "set effective_to: 2024-09-30 on the older version [AMC024]" in result.output


def test_a_gap_between_versions_is_a_warning(tmp_path: Path) -> None:
    _variant(
        tmp_path,
        "a.yaml",
        "effective_from: 2024-07-01",
        "effective_from: 2024-07-01\n  effective_to: 2024-09-30",
    )
    _variant(
        tmp_path,
        "b.yaml",
        'version: "2024.5"',
        'version: "2025.1"',
        "effective_from: 2024-07-01",
        "effective_from: 2025-01-01",
    )
    result = amctl("policy", "check", tmp_path)
    assert result.exit_code == 0, result.output
    assert "warning: no ct-group policy is in effect from 2024-10-01 to 2024-12-31" in result.output


@pytest.mark.zh
def test_versions_that_meet_are_chosen_by_date(tmp_path: Path) -> None:
    folder = tmp_path / "policies"
    folder.mkdir()
    _variant(
        folder,
        "a.yaml",
        "effective_from: 2024-07-01",
        "effective_from: 2024-01-01\n  effective_to: 2024-06-30",
    )
    _variant(folder, "b.yaml", 'version: "2024.5"', 'version: "2024.7"')
    shutil.copytree(EXAMPLE.parent.parent, tmp_path / "data")
    result = amctl("grade", tmp_path / "data" / "2024Q3" / "roster.xlsx", "--rows", "0")
    assert result.exit_code == 0, result.output
    assert "政策 ct-group 2024.7" in result.output


def test_pay_falling_with_a_higher_tier_is_found(tmp_path: Path) -> None:
    path = _variant(tmp_path, "p.yaml", "      junior-A: 1.00", "      junior-A: 1.60")
    result = amctl("policy", "check", path)
    assert result.exit_code == 1
    assert "mid-C is paid 4910 a month but junior-A 4960 with the same inputs" in result.output
    assert "[AMC040]" in result.output


def test_negative_pay_is_found(tmp_path: Path) -> None:
    path = _variant(tmp_path, "p.yaml", "    base_post_wage: 2200 ", "    base_post_wage: -9000 ")
    result = amctl("policy", "check", path)
    assert "pay cannot be negative [AMC041]" in result.output


def test_floors_that_cannot_fit_are_found(tmp_path: Path) -> None:
    path = _variant(
        tmp_path,
        "p.yaml",
        "quota: {max: 20}  ",
        "quota: {max: 20, min: 10}  ",
        "quota: {max: 50}  ",
        "quota: {max: 50, min: 20}  ",
        "quota: {max: 30}  ",
        "quota: {max: 30, min: 30}  ",
    )
    rounding = path.read_text(encoding="utf-8").replace("rounding: floor ", "rounding: ceil  ")
    path.write_text(rounding, encoding="utf-8")
    result = amctl("policy", "check", path)
    assert result.exit_code == 1
    assert "with 1 managers the quota floors, rounded ceil, need 3 seats" in result.output


@pytest.mark.parametrize("name", bundled_names())
def test_checking_a_policy_loads_neither_numpy_nor_pandas(name: str) -> None:
    """policy check runs in editors and pre-commit hooks, where start-up is the cost: its pay
    invariants evaluate the formulas over lists, so numpy and pandas stay unloaded (#17), also
    for jinzhong-tobacco's choice and date columns and its conditions."""
    code = (
        "import sys\n"
        "from amctl.cli.app import main\n"
        f"sys.argv = ['amctl', 'policy', 'check', {str(bundled(name))!r}]\n"
        "try:\n"
        "    main()\n"
        "except SystemExit as done:\n"
        "    assert done.code == 0, done.code\n"
        "loaded = sorted({'numpy', 'pandas'} & set(sys.modules))\n"
        "assert not loaded, loaded\n"
    )
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, cwd=REPO)
    assert done.returncode == 0, done.stderr


# --- diff and impact -----------------------------------------------------------------------


def test_diff_finds_each_kind_of_change(tmp_path: Path) -> None:
    old = load_policy(DEFAULT_POLICY).policy
    new = load_policy(
        _variant(
            tmp_path,
            "n.yaml",
            "communication: {label: 沟通协调能力, weight: 25,",
            "communication: {label: 沟通协调能力, weight: 30,",
            "market_development: {label: 市场开拓能力, weight: 20,",
            "market_development: {label: 市场开拓能力, weight: 15,",
            "quota: {max: 20}",
            "quota: {max: 25}",
            "      formula: base_post_wage",
            "      formula: base_post_wage + 100",
            "      mid: 1100",
            "      mid: 1150",
            "- {from: 10, to: 15, rate: 6}",
            "- {from: 10, to: 15, rate: 7}",
            "    benefit_base: 1500",
            "    benefit_base: 1500\n    bonus_pool: 900",
        )
    ).policy
    changes = {c.path: c for c in semantic_diff(old, new)}
    assert (
        str(changes["ability.indicators.communication.weight"])
        == "~ ability.indicators.communication.weight: 25 → 30"
    )
    assert changes["ability.indicators.communication.weight"].what == "weight"
    assert changes["levels.senior.quota.max"].what == "quota cap"
    assert changes["pay.components.base.formula"].what == "formula"
    assert changes["pay.tables.floating_wage.mid"].what == "table row"
    assert changes["pay.brackets.seniority_rates[1].rate"].what == "bracket"
    added = changes["pay.parameters.bonus_pool"]
    assert (added.kind, added.what, str(added)) == (
        "added",
        "parameter",
        "+ pay.parameters.bonus_pool: 900",
    )
    assert len(changes) == 7
    assert semantic_diff(old, old) == []


def test_the_impact_of_a_raised_sales_weight_lists_exactly_who_moves(tmp_path: Path) -> None:
    new = _variant(
        tmp_path,
        "new.yaml",
        "      label: 销售额\n      weight: 30",
        "      label: 销售额\n      weight: 40",
        "      label: 客户数量\n      weight: 20",
        "      label: 客户数量\n      weight: 10",
    )
    result = amctl(
        "policy",
        "diff",
        DEFAULT_POLICY,
        new,
        "--roster",
        EXAMPLE,
        "--quarter",
        "2024Q3",
        "-f",
        "json",
    )
    assert result.exit_code == 0, result.output
    doc = json.loads(result.output)
    reported = {(m["employee_id"], m["old"], m["new"]) for m in doc["impact"]["tier_changes"]}
    q3 = parse("2024Q3")  # independently: grade under both and compare
    before = grade_files(load_policy(DEFAULT_POLICY), EXAMPLE, q3).managers["tier"]
    after = grade_files(load_policy(new), EXAMPLE, q3).managers["tier"]
    expected = {(eid, before[eid], after[eid]) for eid in before.index if before[eid] != after[eid]}
    assert reported == expected and expected


def test_markdown_names_nobody_and_folds_small_groups(tmp_path: Path) -> None:
    new = _variant(tmp_path, "new.yaml", "      mid: 1100", "      mid: 1200")
    result = amctl(
        "policy",
        "diff",
        DEFAULT_POLICY,
        new,
        "--roster",
        EXAMPLE,
        "-q",
        "2024Q3",
        "-f",
        "markdown",
        "--min-group",
        "10",
    )
    assert result.exit_code == 0
    text = result.output
    assert "| ~ | `pay.tables.floating_wage.mid` | `1100` | `1200` | table row |" in text
    assert "KM0" not in text and "彭凯" not in text  # nobody is named
    assert "| groups under 10 |" in text
    assert "| mid-B | 16 | 0 | 0 | +4,800.00 |" in text  # 16 mid-B managers × 100 × 3 months


def test_set_exit_code(tmp_path: Path) -> None:
    assert amctl("policy", "diff", DEFAULT_POLICY, DEFAULT_POLICY, "--set-exit-code").exit_code == 0
    new = _variant(tmp_path, "n.yaml", "      mid: 1100", "      mid: 1200")
    assert amctl("policy", "diff", DEFAULT_POLICY, new, "--set-exit-code").exit_code == 1
    assert amctl("policy", "diff", DEFAULT_POLICY, new).exit_code == 0


def test_diff_reads_git_revisions(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    repo = tmp_path / "hr"
    (repo / "policies").mkdir(parents=True)
    shutil.copy(DEFAULT_POLICY, repo / "policies" / "ct-group.yaml")
    git = ["git", "-c", "user.name=t", "-c", "user.email=t@example.com"]
    subprocess.run(["git", "init", "-q", str(repo)], check=True)
    subprocess.run([*git, "-C", str(repo), "add", "."], check=True)
    subprocess.run([*git, "-C", str(repo), "commit", "-qm", "policy"], check=True)
    _variant(repo / "policies", "ct-group.yaml", "quota: {max: 20}", "quota: {max: 25}")
    monkeypatch.chdir(repo)
    result = amctl("policy", "diff", "HEAD:policies/ct-group.yaml", "policies/ct-group.yaml")
    assert result.exit_code == 0, result.output
    assert "~ levels.senior.quota.max: 20 → 25   [quota cap]" in result.output
    bad = amctl("policy", "diff", "HEAD~5:policies/ct-group.yaml", "policies/ct-group.yaml")
    assert bad.exit_code == 2 and "git cannot show it" in bad.output


@pytest.mark.zh
def test_the_diff_speaks_the_policys_language(tmp_path: Path) -> None:
    new = _variant(tmp_path, "new.yaml", "      mid: 1100", "      mid: 1200")
    args = ("policy", "diff", DEFAULT_POLICY, new, "--roster", EXAMPLE, "-q", "2024Q3")
    text = amctl(*args)
    assert text.exit_code == 0, text.output
    lines = text.output.splitlines()
    assert lines[0] == "政策 ct-group 2024.5 → ct-group 2024.5：1 处变更"
    assert lines[1] == "  ~ pay.tables.floating_wage.mid: 1100 → 1200   [薪酬表行]"
    assert lines[2] == "对 2024Q3 的影响：80 人，其中 0 人等级档次变动"
    assert "  薪酬：" in text.output and "  按部门：" in text.output
    assert "    中级客户经理B：16 人，上调 0 人，下调 0 人，薪酬 +4,800.00" in lines
    markdown = amctl(*args, "-f", "markdown", "--min-group", "10")
    assert markdown.exit_code == 0, markdown.output
    lines = markdown.output.splitlines()
    assert lines[0] == "### 政策变更：ct-group 2024.5 → ct-group 2024.5"
    assert "| ~ | `pay.tables.floating_wage.mid` | `1100` | `1200` | 薪酬表行 |" in lines
    assert "### 对 2024Q3 的影响" in lines and "共 80 人：0 人上调，0 人下调。" in lines
    assert "| 中级客户经理B | 16 | 0 | 0 | +4,800.00 |" in lines
    assert any(line.startswith("| 不足 10 人的组 |") for line in lines)
    assert "KM0" not in markdown.output and "彭凯" not in markdown.output
    english = amctl(*args, "-f", "markdown", "--lang", "en")
    assert english.output.startswith("### Policy change: ct-group 2024.5 → ct-group 2024.5")
    assert "| mid-B | 16 | 0 | 0 | +4,800.00 |" in english.output


# --- policy test ---------------------------------------------------------------------------


def test_the_shipped_golden_cases_hold() -> None:
    result = amctl("policy", "test", DEFAULT_POLICY.parent)
    assert result.exit_code == 0, result.output
    assert "2 passed, 0 failed" in result.output


def test_a_golden_case_that_no_longer_holds_fails_at_its_line(tmp_path: Path) -> None:
    folder = tmp_path / "policies"
    folder.mkdir()
    _variant(folder, "ct-group.yaml", "    base_post_wage: 2200 ", "    base_post_wage: 2300 ")
    shutil.copy(DEFAULT_POLICY.parent / "ct-group.test.yaml", folder)
    result = amctl("policy", "test", folder)
    assert result.exit_code == 1
    case = folder / "ct-group.test.yaml"
    assert re.search(
        rf"{re.escape(str(case))}:\d+:9: error: .*G1 pay.base: expected 6600.00, got 6900.00 \[AMC051\]",
        result.output,
    )
    assert "0 passed, 2 failed" in result.output


def test_a_broken_test_file_is_located(tmp_path: Path) -> None:
    path = tmp_path / "x.test.yaml"
    path.write_text(
        "apiVersion: amctl/v1\nkind: PolicyTest\npolicy: p.yaml\nquarter: 2024Q3\ncases: []\n",
        encoding="utf-8",
    )
    result = amctl("policy", "test", path)
    assert result.exit_code == 2
    assert f"{path}:5:1: error: cases: List should have at least 1 item" in result.output


@pytest.mark.zh
def test_policy_test_speaks_the_policys_language(tmp_path: Path) -> None:
    passed = amctl("policy", "test", DEFAULT_POLICY.parent)
    assert passed.exit_code == 0, passed.output
    lines = passed.output.splitlines()
    case = DEFAULT_POLICY.parent / "ct-group.test.yaml"
    assert lines[0].startswith(f"通过 {case}：")
    assert lines[-1] == "2 个通过，0 个失败"
    folder = tmp_path / "policies"
    folder.mkdir()
    _variant(folder, "ct-group.yaml", "    base_post_wage: 2200 ", "    base_post_wage: 2300 ")
    shutil.copy(case, folder)
    failed = amctl("policy", "test", folder)
    assert failed.exit_code == 1
    assert f"失败 {folder / 'ct-group.test.yaml'}：" in failed.output
    assert "G1 pay.base：预期 6600.00，实际 6900.00 [AMC051]" in failed.output
    assert failed.output.splitlines()[-1] == "0 个通过，2 个失败"


@pytest.mark.zh
def test_policy_fmt_speaks_chinese(tmp_path: Path) -> None:
    path = tmp_path / "p.yaml"
    path.write_text("a:\n    b: 1\n", encoding="utf-8")
    check = amctl("policy", "fmt", "--check", path)
    assert check.exit_code == 1
    assert check.output.splitlines() == [f"需重新排版 {path}", "1 个政策文件需重新排版"]
    done = amctl("policy", "fmt", path)
    assert done.exit_code == 0
    assert done.output.splitlines() == [f"已重新排版 {path}", "已重新排版 1 个政策文件"]


# --- migrate, pre-commit, schema -----------------------------------------------------------

DRAFT = REPO / "examples" / "policies-v1alpha1" / "ct-group-draft.yaml"


def test_an_older_api_version_says_to_migrate() -> None:
    result = amctl("policy", "check", DRAFT)
    assert result.exit_code == 1
    assert f"run `amctl policy migrate {DRAFT}` to upgrade it" in result.output


def test_migrate_upgrades_in_place_keeping_comments(tmp_path: Path) -> None:
    path = shutil.copy(DRAFT, tmp_path / "draft.yaml")
    assert amctl("policy", "migrate", "--check", path).exit_code == 1
    result = amctl("policy", "migrate", path)
    assert result.exit_code == 0, result.output
    assert "-composite: {ability: 0.5, performance: 0.5}" in result.output  # shown as a diff
    assert "+composite: {ability: 50, performance: 50}" in result.output
    text = Path(path).read_text(encoding="utf-8")
    assert (
        "# fractions in the draft" in text and "# low < 60 ≤ mid < 80 ≤ high, on each axis" in text
    )
    assert amctl("policy", "check", path).exit_code == 0
    again = amctl("policy", "migrate", "--check", path)
    assert again.exit_code == 0 and "0 policy file(s) need upgrading" in again.output
    policy = load_policy(Path(path)).policy
    assert policy.ability.raters["supervisor"].weight == 50
    assert policy.levels["senior"].quota.max == 20


@pytest.mark.zh
def test_migrate_speaks_chinese(tmp_path: Path) -> None:
    path = shutil.copy(DRAFT, tmp_path / "draft.yaml")
    check = amctl("policy", "migrate", "--check", path)
    assert check.exit_code == 1
    assert "  composite：比例 → 百分数" in check.output
    assert check.output.splitlines()[-1] == "1 个政策文件需要升级"
    done = amctl("policy", "migrate", path)
    assert done.exit_code == 0, done.output
    assert f"已升级 {path}；请对它运行 amctl policy check" in done.output
    assert done.output.splitlines()[-1] == "已升级 1 个政策文件"


def test_pre_commit_hook_manifest_is_valid() -> None:
    hooks = YAML(typ="safe").load((REPO / ".pre-commit-hooks.yaml").read_text(encoding="utf-8"))
    assert {h["id"] for h in hooks} == {
        "amctl-policy-check",
        "amctl-policy-fmt",
        "amctl-policy-test",
    }
    for hook in hooks:
        assert {"id", "name", "entry", "language"} <= set(hook)
        assert hook["language"] == "python"
        command = hook["entry"].split()[1:3]
        assert amctl(*command, "--help").exit_code == 0  # the entry is a real command
        if "files" in hook:
            re.compile(hook["files"])


def test_the_example_workflow_runs_the_documented_commands() -> None:
    workflow = YAML(typ="safe").load(
        (REPO / "examples" / "ci" / "policy-review.yml").read_text(encoding="utf-8")
    )
    runs = " ".join(step.get("run", "") for step in workflow["jobs"]["review"]["steps"])
    for command in (
        "amctl policy check --format github",
        "amctl policy test",
        "amctl policy fmt --check",
        "amctl policy diff",
    ):
        assert command in runs


def test_schema_is_valid_for_editors() -> None:
    schema = json.loads(amctl("policy", "schema").output)
    assert schema["$schema"].startswith("https://json-schema.org/")
    assert "pay" in schema["properties"]
