"""The policy loader: the default is valid and faithful to the seeds; mistakes are located."""

from __future__ import annotations

from pathlib import Path

import pytest

from amctl.errors import PolicyError
from amctl.policy.loader import inspect_policy, load_policy
from amctl.policy.models import Attainment
from tests.helpers import REPO


def _line_of(path: Path, needle: str) -> int:
    for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
        if needle in line:
            return number
    raise AssertionError(f"{needle!r} not in {path}")


def _messages(path: Path) -> list[str]:
    loaded, findings = inspect_policy(path)
    assert loaded is None, "expected the policy to be refused"
    return [str(f) for f in findings]


def test_default_policy_reproduces_the_seed_weights(default_policy):  # type: ignore[no-untyped-def]
    p = default_policy.policy
    ability = {i.label: i.weight for i in p.ability.indicators.values()}
    assert ability == {
        "沟通协调能力": 25,
        "客户关系管理能力": 20,
        "市场开拓能力": 20,
        "业务知识与技能": 15,
        "应变能力": 10,
        "团队协作能力": 10,
    }
    perf = {i.label: i.weight for i in p.performance.indicators.values()}
    assert perf == {
        "销售额": 30,
        "客户数量": 20,
        "客户满意度": 20,
        "业务增长率": 15,
        "项目完成质量": 15,
    }
    assert {k: lv.quota.max for k, lv in p.levels.items()} == {
        "senior": 20,
        "mid": 50,
        "junior": 30,
    }
    assert [lv.label for lv in p.levels.values()] == [
        "高级客户经理",
        "中级客户经理",
        "初级客户经理",
    ]
    assert p.bands.names == ["A", "B", "C"]
    assert p.trainee.label == "见习客户经理"
    assert isinstance(p.performance.indicators["sales"].score, Attainment)


@pytest.mark.parametrize("name", ["ct-group.yaml", "ct-group.test.yaml"])
def test_bundled_copy_is_identical_to_the_repository_policy(name: str) -> None:
    bundled = REPO / "amctl" / "policies" / name
    assert bundled.read_bytes() == (REPO / "policies" / name).read_bytes(), (
        f"run: cp policies/{name} amctl/policies/"
    )


def test_weights_summing_to_95_name_the_line_and_the_sum(write_policy) -> None:  # type: ignore[no-untyped-def]
    path = write_policy(
        "communication: {label: 沟通协调能力, weight: 25,",
        "communication: {label: 沟通协调能力, weight: 20,",
    )
    line = _line_of(path, "  indicators:                    # seed 002 §1.3.1")
    messages = _messages(path)
    assert len(messages) == 1
    assert messages[0].startswith(
        f"{path}:{line}:3: error: ability indicator weights: sum is 95, must be 100"
    )
    assert messages[0].endswith("[AMC010]")


def test_unknown_key_suggests_the_right_one(write_policy) -> None:  # type: ignore[no-untyped-def]
    path = write_policy(
        "teamwork: {label: 团队协作能力, weight: 10,", "teamwork: {label: 团队协作能力, wieght: 10,"
    )
    line = _line_of(path, "wieght")
    messages = _messages(path)
    assert any(
        m.startswith(f"{path}:{line}:")
        and "unknown key 'wieght'" in m
        and "did you mean 'weight'?" in m
        and "[AMC004]" in m
        for m in messages
    ), messages


def test_duplicate_keys_are_errors(write_policy) -> None:  # type: ignore[no-untyped-def]
    path = write_policy(
        "composite: {ability: 40, performance: 60}",
        "composite: {ability: 40, performance: 60, ability: 50}",
    )
    line = _line_of(path, "composite:")
    (message,) = _messages(path)
    assert message.startswith(f"{path}:{line}:")
    assert "duplicate key 'ability'" in message and "[AMC002]" in message


@pytest.mark.parametrize("word", ["no", "yes", "on", "off", "No", "Y"])
def test_yaml11_booleans_are_refused(write_policy, word: str) -> None:  # type: ignore[no-untyped-def]
    path = write_policy("rounding: floor", f"rounding: {word}")
    line = _line_of(path, f"rounding: {word}")
    messages = _messages(path)
    assert messages[0].startswith(f"{path}:{line}:13: error: '{word}' is ambiguous")
    assert "[AMC003]" in messages[0]
    assert len(messages) == 1, "the same node is reported once"


def test_a_tab_is_a_located_syntax_error(write_policy) -> None:  # type: ignore[no-untyped-def]
    path = write_policy("  roster: [花名册, 人员, roster]", "\troster: [花名册, 人员, roster]")
    (message,) = _messages(path)
    line = _line_of(path, "\troster")
    assert message.startswith(f"{path}:{line}:")
    assert "tab" in message and "[AMC001]" in message


def test_unknown_api_version_says_what_to_do(write_policy) -> None:  # type: ignore[no-untyped-def]
    path = write_policy("apiVersion: amctl/v1", "apiVersion: amctl/v9")
    (message,) = _messages(path)
    assert message.startswith(
        f"{path}:5:13: error: apiVersion is 'amctl/v9'; this amctl reads 'amctl/v1'"
    )


def test_missing_section_names_it(write_policy) -> None:  # type: ignore[no-untyped-def]
    path = write_policy("composite: {ability: 40, performance: 60}", "")
    messages = _messages(path)
    assert any("missing required key 'composite'" in m and "[AMC005]" in m for m in messages)


def test_infeasible_quotas_report_the_sum(write_policy) -> None:  # type: ignore[no-untyped-def]
    path = write_policy("quota: {max: 50}", "quota: {max: 40}")
    (message,) = _messages(path)
    assert "quota caps sum to 90% (senior 20 + mid 40 + junior 30)" in message
    assert message.startswith(
        f"{path}:{_line_of(path, 'levels:                          # seed 004')}:1:"
    )


def test_undefined_column_is_reported(write_policy) -> None:  # type: ignore[no-untyped-def]
    path = write_policy("  sales_target: [销售目标, 销售额目标, sales_target]\n", "")
    messages = _messages(path)
    (message,) = [m for m in messages if "[AMC015]" in m]
    assert "target column 'sales_target' is not defined" in message
    assert any("unknown name 'sales_target'" in m for m in messages)  # the commission reads it
    assert message.startswith(f"{path}:{_line_of(path, 'target: sales_target')}:")


def test_unknown_score_method_suggests(write_policy) -> None:  # type: ignore[no-untyped-def]
    path = write_policy("score: {method: as_is}", "score: {method: asis}")
    (message,) = _messages(path)
    assert "'asis' is not a known method" in message and "did you mean 'as_is'?" in message


def test_wrong_type_names_the_value(write_policy) -> None:  # type: ignore[no-untyped-def]
    path = write_policy("graduate_after_months: 12", "graduate_after_months: twelve")
    (message,) = _messages(path)
    assert message.startswith(f"{path}:{_line_of(path, 'graduate_after_months')}:")
    assert "'twelve'" in message and "[AMC006]" in message


def test_unquoted_version_number_is_refused(write_policy) -> None:  # type: ignore[no-untyped-def]
    path = write_policy('version: "2024.5"', "version: 2024.5")
    (message,) = _messages(path)
    assert "metadata.version" in message and "2024.5" in message


def test_band_shares_must_sum_to_100(write_policy) -> None:  # type: ignore[no-untyped-def]
    path = write_policy("shares: [30, 40, 30]", "shares: [30, 40, 20]")
    (message,) = _messages(path)
    assert "band shares: sum is 90, must be 100" in message


def test_gates_on_the_lowest_level_are_refused(write_policy) -> None:  # type: ignore[no-untyped-def]
    path = write_policy(
        "quota: {max: 30}             # seed 004: 不超过总数的 30%",
        "quota: {max: 30}\n    eligibility: {min_years_in_post: 1}",
    )
    (message,) = _messages(path)
    assert "lowest level 'junior' has eligibility gates" in message and "[AMC019]" in message


def test_every_error_is_reported_in_one_pass(write_policy) -> None:  # type: ignore[no-untyped-def]
    path = write_policy(
        "teamwork: {label: 团队协作能力, weight: 10,",
        "teamwork: {label: 团队协作能力, wieght: 10,",
        "score: {method: as_is}",
        "score: {method: asis}",
        "graduate_after_months: 12",
        "graduate_after_months: -1",
    )
    assert len(_messages(path)) >= 4  # unknown key, missing weight, bad method, negative months


def test_load_policy_raises_with_all_findings(write_policy) -> None:  # type: ignore[no-untyped-def]
    path = write_policy(
        "composite: {ability: 40, performance: 60}", "composite: {ability: 40, performance: 50}"
    )
    with pytest.raises(PolicyError) as info:
        load_policy(path)
    assert "composite weights: sum is 90" in str(info.value.findings[0])


def test_policy_must_be_a_mapping(tmp_path: Path) -> None:
    path = tmp_path / "p.yaml"
    path.write_text("- just\n- a list\n", encoding="utf-8")
    (message,) = _messages(path)
    assert "must be a YAML mapping" in message
