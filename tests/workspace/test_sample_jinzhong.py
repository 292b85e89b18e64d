"""Seed 004's Jinzhong year: the committed example is what the generator writes, its starting
tiers are the seed's, and every review's figures add up from its months."""

from __future__ import annotations

from collections import Counter
from decimal import ROUND_HALF_UP, Decimal
from pathlib import Path
from typing import Any

import pytest
from openpyxl import load_workbook
from typer.testing import CliRunner

from amctl.cli.app import app
from amctl.workspace import sample_jinzhong
from tests.helpers import DEFAULT_POLICY, REPO

EXAMPLE = REPO / "examples" / "jinzhong"
PERIODS = sample_jinzhong.periods()


def _sheets(period: str) -> dict[str, list[tuple[Any, ...]]]:
    book = load_workbook(EXAMPLE / "data" / period / "roster.xlsx", read_only=True)
    return {ws.title: list(ws.iter_rows(values_only=True)) for ws in book.worksheets}


def _table(rows: list[tuple[Any, ...]], header_row: int) -> list[dict[str, Any]]:
    header = rows[header_row]
    return [dict(zip(header, r, strict=True)) for r in rows[header_row + 1 :] if r[0]]


def _roster(period: str) -> list[dict[str, Any]]:
    return _table(_sheets(period)["花名册"], 2)


def _performance(period: str) -> dict[str, dict[str, Any]]:
    return {r["员工编号"]: r for r in _table(_sheets(period)["业绩"], 1)}


def test_the_year_has_every_folder_the_review_calendar_reads() -> None:
    months = [f"2024-{m:02d}" for m in range(1, 13)]
    reviews = ["2024Q1", "2024Q2", "2024Q3", "2024Q4", "2024H1", "2024H2", "2024"]
    assert sample_jinzhong.periods() == [*months, *reviews]
    folders = sorted(p.name for p in (EXAMPLE / "data").iterdir())
    assert folders == sorted(PERIODS)


@pytest.mark.parametrize("period", PERIODS)
def test_the_committed_example_is_what_the_generator_writes(period: str) -> None:
    """Written by another process (examples/make_examples.py): the same bytes prove the
    generator deterministic, and that the example was regenerated after a change."""
    committed = (EXAMPLE / "data" / period / "roster.xlsx").read_bytes()
    assert sample_jinzhong.build(period) == committed, "run: python examples/make_examples.py"
    assert len(committed) < 40_000  # small enough to keep in git


def test_the_monthly_review_has_no_ratings_and_only_halves_and_the_year_an_exam() -> None:
    for period in PERIODS:
        sheets = _sheets(period)
        monthly = "-" in period
        assert list(sheets) == (["花名册", "业绩"] if monthly else ["花名册", "业绩", "能力评价"])
        header = sheets["花名册"][2]
        assert ("考试成绩" in header) == (period in ("2024H1", "2024H2", "2024"))
        for column in ("员工编号", "姓名", "部门", "任职日期", "学历", "现等级", "现档次"):
            assert column in header
        for column in ("是否农村", "用工性质", "参加工作日期"):
            assert column in header


def test_the_team_starts_as_seed_004_counts_it() -> None:
    january = _roster("2024-01")
    assert len(january) == 71
    assert Counter(r["现等级"] for r in january) == {"高级": 6, "中级": 36, "初级": 18, "见习": 11}
    assert Counter(r["用工性质"] for r in january) == {"在册": 56, "聘用工": 15}
    units = Counter(r["部门"] for r in january)
    assert units == {unit: size for unit, size, _ in sample_jinzhong.UNITS}
    assert set(units) >= {"榆次区", "太谷区", "祁县", "平遥县", "介休市", "灵石县"}
    hired = [r for r in january if r["用工性质"] == "聘用工"]
    assert {r["学历"] for r in hired} <= {"大专", "本科", "硕士"}  # seed 004: 大专以上学历
    assert all(
        r["参加工作日期"] <= r["任职日期"] for r in january if not isinstance(r["任职日期"], str)
    )


def test_the_same_people_all_year_but_one_leaver_and_one_joiner() -> None:
    ids = {p: {r["员工编号"] for r in _roster(p)} for p in PERIODS}
    january, december = ids["2024-01"], ids["2024-12"]
    (left,) = january - december
    (joined,) = december - january
    assert all(left in ids[p] for p in ("2024-06", "2024Q2", "2024H1"))
    assert all(left not in ids[p] for p in ("2024-07", "2024Q3", "2024H2", "2024"))
    assert all(joined in ids[p] for p in ("2024-07", "2024Q3", "2024H2", "2024"))
    assert joined not in ids["2024H1"]
    leaver = next(r for r in _roster("2024-06") if r["员工编号"] == left)
    assert str(leaver["离职日期"])[:10] == "2024-06-30"
    assert ids["2024"] == december


@pytest.mark.parametrize("period", ["2024Q1", "2024Q3", "2024H1", "2024H2", "2024"])
def test_a_review_sums_and_averages_the_months_it_covers(period: str) -> None:
    whole = _performance(period)
    months = [_performance(f"2024-{m:02d}") for m in sample_jinzhong.months_of(period)]
    for eid, row in whole.items():
        parts = [m[eid] for m in months if eid in m]
        assert parts, eid
        for column in ("卷烟销量", "重点品牌销量"):
            assert Decimal(str(row[column])) == sum(Decimal(str(p[column])) for p in parts)
        for column in ("销量目标", "重点品牌目标"):
            assert row[column] == sum(p[column] for p in parts)
        mean = sum(Decimal(str(p["客户满意度"])) for p in parts) / len(parts)
        assert Decimal(str(row["客户满意度"])) == mean.quantize(Decimal("0.1"), ROUND_HALF_UP)


def test_the_months_are_plausible() -> None:
    rates = []
    for m in range(1, 13):
        for row in _performance(f"2024-{m:02d}").values():
            assert 60 <= row["销量目标"] <= 300 and 70 <= row["客户满意度"] <= 100
            assert row["重点品牌目标"] < row["销量目标"]
            rates.append(row["卷烟销量"] / row["销量目标"])
    assert min(rates) >= 0.7 and max(rates) <= 1.3
    assert 0.97 < sum(rates) / len(rates) < 1.03  # targets the managers set for themselves
    january, march = _performance("2024-01"), _performance("2024-03")
    assert sum(r["卷烟销量"] for r in january.values()) > sum(
        r["卷烟销量"] for r in march.values()
    )  # the Spring Festival is bought in January


def test_roster_check_finds_mid_over_seed_004s_cap(tmp_path: Path) -> None:
    """36 of 71 is over the 50 % cap. The caps are the same in both bundled policies."""
    roster = EXAMPLE / "data" / "2024-01" / "roster.xlsx"
    argv = [
        "roster",
        "check",
        str(roster),
        "--policy",
        str(DEFAULT_POLICY),
        "--as-of",
        "2024-01-31",
    ]
    result = CliRunner().invoke(app, argv)
    assert result.exit_code == 1, result.output
    assert "mid (中级客户经理): 36/71 = 50.7% exceeds the cap of 50% (at most 35 of 71)" in (
        result.output
    )
    assert "71 roster rows (senior 6, mid 36, junior 18, trainee 11)" in result.output


def test_a_period_outside_the_year_is_refused() -> None:
    with pytest.raises(ValueError, match="2025-01"):
        sample_jinzhong.build("2025-01")
