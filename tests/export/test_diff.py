"""The policy diff as text and as the markdown posted on a pull request: English exactly as
before, Chinese for the HR reviewers with tiers by their labels; json keeps English keys."""

from __future__ import annotations

import json
from decimal import Decimal

import pandas as pd
import pytest

from amctl.export.diff import as_json, as_markdown, as_text
from amctl.pipeline.impact import Impact
from amctl.policy.diff import Change
from amctl.policy.loader import LoadedPolicy

CHANGES = [
    Change("levels.senior.quota.max", "changed", 20, 25, "quota cap"),
    Change("pay.parameters.bonus_pool", "added", None, 900, "parameter"),
]


def _impact() -> Impact:
    people = pd.DataFrame(
        {
            "name": ["张三", "李四", "王五"],
            "org_unit": ["政企客户一部", "政企客户一部", "行业客户部"],
            "old_tier": ["mid-B", "junior-A", "senior-A"],
            "new_tier": ["mid-A", "mid-C", "senior-A"],
            "movement": ["up", "up", "same"],
            "old_pay": [Decimal("100.00"), Decimal("80.00"), Decimal("200.00")],
            "new_pay": [Decimal("110.00"), Decimal("95.50"), Decimal("200.00")],
            "delta": [Decimal("10.00"), Decimal("15.50"), Decimal("0.00")],
        },
        index=pd.Index(["KM01", "KM02", "KM03"], name="employee_id"),
    )
    return Impact(people, paid=True)


def test_the_text_in_english_is_as_it_was(default_policy: LoadedPolicy) -> None:
    text = as_text(default_policy, default_policy, CHANGES, _impact(), "2024Q3")
    assert text.splitlines() == [
        "policy ct-group 2024.5 → ct-group 2024.5: 2 change(s)",
        "  ~ levels.senior.quota.max: 20 → 25   [quota cap]",
        "  + pay.parameters.bonus_pool: 900   [parameter]",
        "impact on 2024Q3: 3 managers, 2 change tier",
        "  KM01 张三 (政企客户一部): mid-B → mid-A (up)",
        "  KM02 李四 (政企客户一部): junior-A → mid-C (up)",
        "  pay: 380.00 → 405.50 (+25.50)",
        "  KM01 张三: 100.00 → 110.00 (+10.00)",
        "  KM02 李四: 80.00 → 95.50 (+15.50)",
        "  by org unit:",
        "    政企客户一部: 2 managers, 2 up, 0 down, pay +25.50",
        "    行业客户部: 1 managers, 0 up, 0 down, pay +0.00",
        "  by new tier:",
        "    mid-A: 1 managers, 1 up, 0 down, pay +10.00",
        "    mid-C: 1 managers, 1 up, 0 down, pay +15.50",
        "    senior-A: 1 managers, 0 up, 0 down, pay +0.00",
    ]


def test_the_text_in_chinese_names_tiers_and_moves_by_their_labels(
    default_policy: LoadedPolicy,
) -> None:
    text = as_text(default_policy, default_policy, CHANGES, _impact(), "2024Q3", "zh")
    assert text.splitlines() == [
        "政策 ct-group 2024.5 → ct-group 2024.5：2 处变更",
        "  ~ levels.senior.quota.max: 20 → 25   [名额上限]",
        "  + pay.parameters.bonus_pool: 900   [参数]",
        "对 2024Q3 的影响：3 人，其中 2 人等级档次变动",
        "  KM01 张三（政企客户一部）：中级客户经理B → 中级客户经理A（升档）",
        "  KM02 李四（政企客户一部）：初级客户经理A → 中级客户经理C（晋升）",
        "  薪酬：380.00 → 405.50（+25.50）",
        "  KM01 张三：100.00 → 110.00（+10.00）",
        "  KM02 李四：80.00 → 95.50（+15.50）",
        "  按部门：",
        "    政企客户一部：2 人，上调 2 人，下调 0 人，薪酬 +25.50",
        "    行业客户部：1 人，上调 0 人，下调 0 人，薪酬 +0.00",
        "  按新等级档次：",
        "    中级客户经理A：1 人，上调 1 人，下调 0 人，薪酬 +10.00",
        "    中级客户经理C：1 人，上调 1 人，下调 0 人，薪酬 +15.50",
        "    高级客户经理A：1 人，上调 0 人，下调 0 人，薪酬 +0.00",
    ]


def test_the_markdown_in_chinese_folds_small_groups_and_names_nobody(
    default_policy: LoadedPolicy,
) -> None:
    text = as_markdown(default_policy, default_policy, CHANGES, _impact(), "2024Q3", 2, "zh")
    lines = text.splitlines()
    assert lines[:6] == [
        "### 政策变更：ct-group 2024.5 → ct-group 2024.5",
        "",
        "| | 设置 | 变更前 | 变更后 | 类别 |",
        "|---|---|---|---|---|",
        "| ~ | `levels.senior.quota.max` | `20` | `25` | 名额上限 |",
        "| + | `pay.parameters.bonus_pool` |  | `900` | 参数 |",
    ]
    assert "### 对 2024Q3 的影响" in lines
    assert "共 3 人：2 人上调，0 人下调。" in lines
    assert "期间薪酬合计变动 +25.50。" in lines
    assert "| 部门 | 人数 | 上调 | 下调 | 薪酬变动 |" in lines
    assert "| 政企客户一部 | 2 | 2 | 0 | +25.50 |" in lines
    assert "| 等级档次 | 人数 | 上调 | 下调 | 薪酬变动 |" in lines
    assert "| 不足 2 人的组 | 1 | 0 | 0 | +0.00 |" in lines  # 行业客户部, folded
    assert "| 不足 2 人的组 | 3 | 2 | 0 | +25.50 |" in lines  # every tier has one manager
    assert "张三" not in text and "KM01" not in text
    assert not any(w in text for w in ("managers", "Impact", "groups under", "setting"))


def test_the_markdown_in_english_is_as_it_was(default_policy: LoadedPolicy) -> None:
    text = as_markdown(default_policy, default_policy, [], _impact(), "2024Q3", 2)
    assert text.splitlines() == [
        "### Policy change: ct-group 2024.5 → ct-group 2024.5",
        "",
        "No change in meaning.",
        "",
        "### Impact on 2024Q3",
        "",
        "3 managers: 2 move up, 0 move down.",
        "Pay changes by +25.50 in all.",
        "",
        "| org unit | managers | up | down | pay change |",
        "|---|---|---|---|---|",
        "| 政企客户一部 | 2 | 2 | 0 | +25.50 |",
        "| groups under 2 | 1 | 0 | 0 | +0.00 |",
        "",
        "| tier | managers | up | down | pay change |",
        "|---|---|---|---|---|",
        "| groups under 2 | 3 | 2 | 0 | +25.50 |",
    ]


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_json_keeps_english_keys_and_adds_the_labels(
    default_policy: LoadedPolicy, lang: str
) -> None:
    doc = json.loads(as_json(default_policy, default_policy, CHANGES, _impact(), "2024Q3", lang))
    change = doc["changes"][0]
    assert (change["what"], change["what_label"]) == (
        "quota cap",
        "名额上限" if lang == "zh" else "quota cap",
    )
    moved = doc["impact"]["tier_changes"][1]
    assert (moved["old"], moved["new"], moved["movement"]) == ("junior-A", "mid-C", "up")
    if lang == "zh":
        assert (moved["old_label"], moved["new_label"], moved["movement_label"]) == (
            "初级客户经理A",
            "中级客户经理C",
            "晋升",
        )
    else:
        assert (moved["old_label"], moved["new_label"]) == ("junior-A", "mid-C")
