"""Builders for real workbooks the tests write: rosters, performance, ratings."""

from __future__ import annotations

import datetime as dt
import random
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from openpyxl import Workbook

from amctl.workspace.sample import ABILITY

REPO = Path(__file__).resolve().parent.parent
DEFAULT_POLICY = REPO / "policies" / "ct-group.yaml"
EXAMPLE = REPO / "examples" / "data" / "2024Q3" / "roster.xlsx"

ROSTER_HEADER = [
    "员工编号",
    "姓名",
    "所属部门",
    "任职日期",
    "学历",
    "技能考试成绩",
    "现等级",
    "服务农村",
]
PERF_HEADER = [
    "员工编号",
    "销售额",
    "销售目标",
    "客户数量",
    "客户数目标",
    "客户满意度",
    "业务增长率",
    "项目完成质量",
]
RATINGS_HEADER = ["员工编号", "评价人", *ABILITY]


@dataclass
class Person:
    """One manager's inputs; `score` drives every metric so ranks are easy to predict."""

    id: str
    score: float = 75.0
    years: int = 6
    education: str = "本科"
    exam: float | None = 85
    unit: str = "一部"
    level: str | None = None
    rural: bool = False
    name: str = ""
    ability: float | None = None  # defaults to score

    def start(self, as_of: dt.date = dt.date(2024, 9, 30)) -> dt.date:
        return as_of.replace(year=as_of.year - self.years) - dt.timedelta(days=10)


@dataclass
class Team:
    people: list[Person]
    roster_extra: list[list[Any]] = field(default_factory=list)

    def roster_rows(self) -> list[list[Any]]:
        rows: list[list[Any]] = [list(ROSTER_HEADER)]
        for p in self.people:
            rows.append(
                [
                    p.id,
                    p.name or f"经理{p.id}",
                    p.unit,
                    p.start(),
                    p.education,
                    p.exam,
                    p.level,
                    "是" if p.rural else "否",
                ]
            )
        return rows + self.roster_extra

    def performance_rows(self) -> list[list[Any]]:
        rows: list[list[Any]] = [list(PERF_HEADER)]
        for p in self.people:
            # as_is satisfaction = score; every other metric maps to the same score
            rows.append(
                [p.id, p.score * 1.2, 100, p.score * 1.1, 100, p.score, p.score * 0.4 - 10, p.score]
            )
        return rows

    def ratings_rows(self) -> list[list[Any]]:
        rows: list[list[Any]] = [list(RATINGS_HEADER)]
        for p in self.people:
            a = p.score if p.ability is None else p.ability
            for rater in ("上级", "同事", "客户", "自评"):
                rows.append([p.id, rater, *([a] * len(ABILITY))])
        return rows


def write_xlsx(path: Path, sheets: dict[str, Sequence[Sequence[Any]]]) -> Path:
    wb = Workbook()
    first = True
    for name, rows in sheets.items():
        ws = wb.active if first else wb.create_sheet(name)
        assert ws is not None
        ws.title = name
        first = False
        for row in rows:
            ws.append(list(row))
    wb.save(path)
    return path


def write_team(path: Path, team: Team) -> Path:
    """One workbook with the three sheets, the way HR keeps them."""
    return write_xlsx(
        path,
        {
            "花名册": team.roster_rows(),
            "业绩": team.performance_rows(),
            "能力评价": team.ratings_rows(),
        },
    )


def random_team(n: int, seed: int = 1) -> Team:
    rng = random.Random(seed)
    people = [
        Person(
            f"E{i:04d}",
            score=round(rng.uniform(40, 98), 1),
            years=rng.choice([0, 1, 2, 3, 5, 8, 12]),
            education=rng.choice(["大专", "本科", "硕士"]),
            exam=rng.choice([55, 65, 75, 85, 95]),
            unit=rng.choice(["一部", "二部", "三部"]),
        )
        for i in range(n)
    ]
    return Team(people)
