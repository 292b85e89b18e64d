"""The bundled policies: found inside the package by name, and jinzhong-tobacco holding what
seed 004 prescribes (read here as YAML; `policy check` and `policy test` run on it too)."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

import pytest
from ruamel.yaml import YAML

from amctl.workspace.policies import bundled, bundled_default, bundled_names
from amctl.workspace.sample_jinzhong import ABILITY
from tests.helpers import REPO

JINZHONG = bundled("jinzhong-tobacco")


def _yaml(path: Any) -> Any:
    return YAML(typ="safe").load(path.read_text(encoding="utf-8"))


def test_the_bundled_policies_are_found_by_name() -> None:
    assert bundled_names() == ["ct-group", "jinzhong-tobacco"]
    assert bundled_default() == bundled("ct-group")
    assert all(bundled(name).is_file() for name in bundled_names())
    assert all(bundled(name).with_suffix(".test.yaml").is_file() for name in bundled_names())


@pytest.mark.parametrize("name", ["jinzhong-tobacco.yaml", "jinzhong-tobacco.test.yaml"])
def test_the_jinzhong_example_carries_the_bundled_policy(name: str) -> None:
    example = REPO / "examples" / "jinzhong" / "policies" / name
    assert example.read_bytes() == JINZHONG.with_name(name).read_bytes(), (
        "run: python examples/make_examples.py"
    )


def test_jinzhong_has_seed_004s_levels_caps_and_bands() -> None:
    p = _yaml(JINZHONG)
    assert p["metadata"]["name"] == "jinzhong-tobacco" and p["metadata"]["language"] == "zh"
    levels = p["levels"]
    assert [lv["label"] for lv in levels.values()] == [
        "高级客户经理",
        "中级客户经理",
        "初级客户经理",
    ]
    assert [lv["quota"]["max"] for lv in levels.values()] == [20, 50, 30]
    assert p["bands"]["names"] == ["A", "B", "C"] and p["trainee"]["label"] == "见习客户经理"
    assert p["quota"]["base"] == "all"  # 不超过客户经理总数的 …: trainees count
    senior = levels["senior"]["eligibility"]  # 学历, 工作年限, the skills exam, the ability review
    assert {"min_education", "min_exam_score", "min_ability", "conditions"} <= set(senior)
    assert "years_since(work_start)" in senior["conditions"][0]["when"]
    assert p["calibration"] == {"require_approval": True}  # 县市两级


def test_jinzhong_has_the_ten_abilities_and_the_five_sources() -> None:
    p = _yaml(JINZHONG)
    abilities = p["ability"]["indicators"].values()
    assert {a["label"] for a in abilities} == set(ABILITY)  # as the seed lists them
    assert sum(a["weight"] for a in abilities) == 100
    raters = {r["label"] for r in p["ability"]["raters"].values()}
    measured = {i["label"] for i in p["performance"]["indicators"].values()}
    assert raters == {"营销部审核评价", "工业企业评价", "自我评价"}
    assert {"卷烟销量", "客户满意度"} <= measured  # 经营业绩, 客户满意度


def test_jinzhong_pays_monthly_in_seed_004s_four_parts() -> None:
    p = _yaml(JINZHONG)
    assert p["cadence"]["pay"] == "month"
    reviews = {k: (r["every"], r["moves"], r["reads"]) for k, r in p["cadence"]["reviews"].items()}
    assert reviews == {
        "monthly": ("month", [], ["performance"]),
        "quarterly": ("quarter", ["band"], ["performance", "ratings"]),
        "skills": ("half", [], ["performance", "ratings"]),
        "yearly": ("year", ["level", "band"], ["performance", "ratings"]),
    }
    pay = p["pay"]
    labels = [c["label"] for c in pay["components"].values()]
    assert labels == ["基本岗位工资", "岗位浮动工资", "年功工资", "效益工资"]
    rates = [(b["from"], b.get("to"), b["rate"]) for b in pay["brackets"]["seniority_rates"]]
    assert rates == [(0, 10, 4), (10, 15, 6), (15, None, 8)]
    seniority = pay["components"]["seniority"]["formula"]
    assert "employment == '聘用工'" in seniority and "years_in_post >= 3" in seniority
    assert pay["rural"]["band_step"] == 1
    coefficients = [Decimal(str(v)) for v in pay["tables"]["benefit_coefficient"].values()]
    assert coefficients == sorted(coefficients, reverse=True)  # one ladder, senior-A first


def test_every_number_of_jinzhong_says_where_it_comes_from() -> None:
    """A line with a figure says "seed 004" or "ours" in its comment or the comment lines just
    above it, or sits right under a line that does (the rows of a pay table)."""
    open_blocks: list[tuple[int, bool]] = []  # indent, marked
    above = False  # the comment lines just above say where
    for line in JINZHONG.read_text(encoding="utf-8").splitlines():
        value, _, comment = line.partition("#")
        said = "seed 004" in comment or "ours" in comment
        if not value.strip():
            above = above or said
            continue
        indent = len(value) - len(value.lstrip())
        while open_blocks and open_blocks[-1][0] >= indent:
            open_blocks.pop()
        marked, above = said or above, False
        key, _, rest = value.strip().removeprefix("- ").partition(":")
        if not rest.strip():
            open_blocks.append((indent, marked))
            continue
        exempt = key in ("apiVersion", "version", "effective_from", "rounding")
        figure = any(ch in "0123456789" for ch in rest)
        parent = open_blocks[-1][1] if open_blocks else False
        if figure and not exempt and not marked and not parent:
            pytest.fail(f"no 'seed 004' or 'ours' for: {line.strip()}")
