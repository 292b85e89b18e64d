"""The policy area's findings and errors as data: worded in Chinese for the policy owner, in
English exactly as before."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from amctl.errors import Finding, PolicyError, UsageError
from amctl.messages.policy import MESSAGES
from amctl.policy.diff import load_revision
from amctl.policy.invariants import invariant_findings
from amctl.policy.loader import inspect_policy, load_policy, parse_yaml, read_policy_text
from amctl.policy.overrides import load_overrides
from amctl.policy.versions import date_findings
from tests.helpers import DEFAULT_POLICY, REPO, assert_storable, english_prose, template_fields

CJK = re.compile(r"[\u4e00-\u9fff]")


@pytest.mark.parametrize("key", sorted(MESSAGES))
def test_both_languages_name_the_same_values(key: str) -> None:
    zh, en = MESSAGES[key]
    assert key.startswith("policy."), key
    assert template_fields(zh) == template_fields(en), key


@pytest.mark.parametrize("key", sorted(MESSAGES))
def test_chinese_templates_have_no_englishenglish_prose(key: str) -> None:
    zh, en = MESSAGES[key]
    assert english_prose(zh) is None, (key, english_prose(zh))
    if english_prose(en) is not None:  # an English sentence has a Chinese one
        assert CJK.search(zh), key


def test_every_key_the_code_says_is_in_the_catalogue() -> None:
    sources = [p for p in (REPO / "amctl" / "policy").glob("*.py") if p.name != "payformulas.py"]
    sources.append(REPO / "amctl" / "cli" / "policy.py")
    used = set()
    for path in sources:
        used |= set(re.findall(r'"(policy\.[a-z_.]+)"', path.read_text(encoding="utf-8")))
    assert used, "no keys found"
    assert used <= set(MESSAGES), used - set(MESSAGES)


def _variant(tmp_path: Path, *edits: str, name: str = "policy.yaml") -> Path:
    text = DEFAULT_POLICY.read_text(encoding="utf-8")
    for old, new in zip(edits[::2], edits[1::2], strict=True):
        assert old in text, old
        text = text.replace(old, new, 1)
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


def _finding(path: Path, rule: str) -> Finding:
    loaded, findings = inspect_policy(path)
    assert loaded is None, "expected the policy to be refused"
    found = [f for f in findings if f.rule == rule]
    assert found, [str(f) for f in findings]
    assert found[0].said is not None, str(found[0])
    assert_storable(found[0].said)
    return found[0]


def _zh(text: str, *words: str) -> None:
    assert CJK.search(text), text
    for word in words:
        assert word in text, (word, text)


def test_weights_that_do_not_sum_to_100(tmp_path: Path) -> None:
    f = _finding(_variant(tmp_path, "weight: 25,", "weight: 20,"), "AMC010")
    assert f.message == (
        "ability indicator weights: sum is 95, must be 100 (communication 20 + "
        "customer_relationship 20 + market_development 20 + business_knowledge 15 + "
        "adaptability 10 + teamwork 10)"
    )
    zh = f.worded("zh")
    _zh(zh, "能力指标权重", "95", "communication 20")
    assert f.worded("en") == f.message


def test_quota_caps_below_100(tmp_path: Path) -> None:
    f = _finding(_variant(tmp_path, "quota: {max: 50}", "quota: {max: 40}"), "AMC017")
    assert f.message == (
        "quota caps sum to 90% (senior 20 + mid 40 + junior 30), so 10% of managers could "
        "never be placed; raise caps to a sum of at least 100"
    )
    _zh(f.worded("zh"), "名额上限", "90%", "senior 20 + mid 40 + junior 30", "10%")


def test_a_misspelt_key(tmp_path: Path) -> None:
    path = _variant(
        tmp_path,
        "teamwork: {label: 团队协作能力, weight: 10,",
        "teamwork: {label: 团队协作能力, wieght: 10,",
    )
    f = _finding(path, "AMC004")
    assert f.message == (
        "unknown key 'wieght' in ability.indicators.teamwork; did you mean 'weight'?"
    )
    _zh(f.worded("zh"), "'wieght'", "ability.indicators.teamwork", "'weight'")


def test_text_where_a_number_belongs_keeps_pydantics_words(tmp_path: Path) -> None:
    f = _finding(_variant(tmp_path, "weight: 25,", "weight: heavy,"), "AMC006")
    pydantic = "Input should be a valid number, unable to parse string as a number"
    assert f.message == f"ability.indicators.communication.weight: {pydantic} (got 'heavy')"
    _zh(f.worded("zh"), "ability.indicators.communication.weight", pydantic, "'heavy'")


def test_the_models_own_check_is_worded_without_pydantics_prefix(tmp_path: Path) -> None:
    path = _variant(tmp_path, "      unit: percent              # 0–100", "      unit: fraction #")
    f = _finding(path, "AMC006")
    assert f.message.startswith("performance.indicators.satisfaction: Value error, as_is takes")
    zh = f.worded("zh")
    _zh(zh, "performance.indicators.satisfaction", "as_is", "unit: percent")
    assert "Value error" not in zh


def test_an_unquoted_no(tmp_path: Path) -> None:
    f = _finding(_variant(tmp_path, "rounding: floor", "rounding: no"), "AMC003")
    assert f.message == (
        "'no' is ambiguous: YAML 1.1 tools read it as a boolean, YAML 1.2 as text; "
        "write true/false, or quote it: 'no'"
    )
    _zh(f.worded("zh"), "'no'", "true/false")


def test_a_key_written_twice(tmp_path: Path) -> None:
    path = _variant(
        tmp_path,
        "composite: {ability: 40, performance: 60}",
        "composite: {ability: 40, ability: 60}",
    )
    f = _finding(path, "AMC002")
    assert f.message == (
        "duplicate key 'ability'; keep one of them (YAML would silently use the last)"
    )
    _zh(f.worded("zh"), "'ability'")


def test_a_top_level_section_left_out(tmp_path: Path) -> None:
    path = _variant(tmp_path, "composite: {ability: 40, performance: 60}", "")
    f = _finding(path, "AMC005")
    assert f.message == "missing required key 'composite' in (top level); add it"
    _zh(f.worded("zh"), "'composite'", "顶层")


def test_an_unknown_api_version(tmp_path: Path) -> None:
    f = _finding(_variant(tmp_path, "apiVersion: amctl/v1", "apiVersion: amctl/v9"), "AMC007")
    assert f.message == (
        "apiVersion is 'amctl/v9'; this amctl reads 'amctl/v1': set 'apiVersion: amctl/v1' "
        "(or upgrade amctl for a newer file)"
    )
    _zh(f.worded("zh"), "'amctl/v9'", "'apiVersion: amctl/v1'", "升级 amctl")


def test_a_file_not_utf8(tmp_path: Path) -> None:
    path = tmp_path / "gbk.yaml"
    path.write_bytes(DEFAULT_POLICY.read_text(encoding="utf-8").encode("gbk", "replace"))
    f = _finding(path, "AMC001")
    assert f.message == "the file is not UTF-8 text; save it as UTF-8 (WPS/Excel: 另存为 UTF-8)"
    _zh(f.worded("zh"), "UTF-8", "WPS/Excel")


def test_an_anchor() -> None:
    path = "规则.yaml"
    with pytest.raises(PolicyError) as caught:
        parse_yaml("a: &x [1, 2]\nb: *x\n", path)
    first = caught.value.findings[0]
    assert first.message == (
        "an anchor (&x); a policy has no anchors, aliases or merge keys (<<): "
        "write each value where it applies"
    )
    _zh(first.worded("zh"), "&x", "<<")
    assert str(caught.value) == f"{path}: not read: {first.message}"
    _zh(caught.value.worded("zh"), path, "&x")


def test_a_policy_file_that_is_not_there(tmp_path: Path) -> None:
    path = tmp_path / "没有.yaml"
    with pytest.raises(UsageError) as caught:
        read_policy_text(path)
    assert str(caught.value) == f"{path}: policy file not found; give the path of an existing one"
    _zh(caught.value.worded("zh"), str(path), "政策")
    with pytest.raises(UsageError) as caught:
        read_policy_text(tmp_path, "overrides")
    assert str(caught.value) == f"{tmp_path}: is a folder; give the overrides .yaml file"
    _zh(caught.value.worded("zh"), str(tmp_path), ".yaml")


def test_floors_that_cannot_fit(tmp_path: Path) -> None:
    path = _variant(
        tmp_path,
        "quota: {max: 20}  ",
        "quota: {max: 20, min: 10}  ",
        "quota: {max: 50}  ",
        "quota: {max: 50, min: 20}  ",
        "quota: {max: 30}  ",
        "quota: {max: 30, min: 30}  ",
        "rounding: floor ",
        "rounding: ceil  ",
    )
    found = [f for f in invariant_findings(load_policy(path)) if f.rule == "AMC017"]
    assert found and found[0].said is not None
    assert_storable(found[0].said)
    assert found[0].message == (
        "with 1 managers the quota floors, rounded ceil, need 3 seats; "
        "lower a floor or round floors down"
    )
    _zh(found[0].worded("zh"), "ceil", "3")


def test_pay_falling_with_a_higher_tier(tmp_path: Path) -> None:
    path = _variant(tmp_path, "      junior-A: 1.00", "      junior-A: 1.60")
    found = [f for f in invariant_findings(load_policy(path)) if f.rule == "AMC040"]
    assert found and found[0].said is not None
    assert_storable(found[0].said)
    assert found[0].message.startswith(
        "mid-C is paid 4910 a month but junior-A 4960 with the same inputs (scores "
    )
    zh = found[0].worded("zh")
    _zh(zh, "mid-C", "4910", "junior-A", "4960")
    assert "scores" not in zh and "years in post" not in zh


def test_overlapping_versions(tmp_path: Path) -> None:
    older = load_policy(_variant(tmp_path, name="a.yaml"))
    newer = load_policy(
        _variant(
            tmp_path,
            'version: "2024.5"',
            'version: "2024.4"',
            "effective_from: 2024-07-01",
            "effective_from: 2024-10-01",
            name="b.yaml",
        )
    )
    (f,) = date_findings([older, newer])
    assert f.said is not None
    assert_storable(f.said)
    assert f.message == (
        f"ct-group 2024.4 starts 2024-10-01 while 2024.5 ({older.path}) runs until open-ended; "
        "set effective_to: 2024-09-30 on the older version"
    )
    _zh(f.worded("zh"), "ct-group", "2024.4", "2024-10-01", "effective_to: 2024-09-30")


def test_an_overrides_file_with_a_bad_move(tmp_path: Path) -> None:
    path = tmp_path / "2024Q3.yaml"
    path.write_text(
        "apiVersion: amctl/v1\nkind: Overrides\nquarter: 2024Q3\n"
        "moves:\n  - {employee_id: E001, tier: mid-A, authorised_by: 张三}\n",
        encoding="utf-8",
    )
    with pytest.raises(PolicyError) as caught:
        load_overrides(path)
    assert str(caught.value) == f"{path}: not a valid overrides file"
    _zh(caught.value.worded("zh"), str(path), "校准调整")
    (f,) = caught.value.findings
    assert f.said is not None
    assert f.message == "moves.0.reason_code: Field required"
    _zh(f.worded("zh"), "moves.0.reason_code", "Field required")


def test_a_revision_that_looks_like_an_option() -> None:
    with pytest.raises(UsageError) as caught:
        load_revision("--output=x:y")
    assert str(caught.value) == "--output=x:y: a revision cannot start with '-'; write REV:PATH"
    _zh(caught.value.worded("zh"), "--output=x:y", "REV:PATH")
