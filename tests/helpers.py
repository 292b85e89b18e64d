"""Builders for real workbooks the tests write (rosters, performance, ratings), and a spy."""

from __future__ import annotations

import csv
import datetime as dt
import random
import re
import shutil
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest
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
    extra: Sequence[Any] = ()  # cells under Team.extra_header (the policy's own columns)

    def start(self, as_of: dt.date = dt.date(2024, 9, 30)) -> dt.date:
        return as_of.replace(year=as_of.year - self.years) - dt.timedelta(days=10)


@dataclass
class Team:
    people: list[Person]
    roster_extra: list[list[Any]] = field(default_factory=list)
    extra_header: list[str] = field(default_factory=list)

    def roster_rows(self) -> list[list[Any]]:
        rows: list[list[Any]] = [[*ROSTER_HEADER, *self.extra_header]]
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
                    *p.extra,
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


def write_team_csv(folder: Path, team: Team) -> Path:
    """The three tables as csv files in `folder` (made if need be); the roster's path."""
    folder.mkdir(parents=True, exist_ok=True)
    for name, rows in (
        ("roster", team.roster_rows()),
        ("performance", team.performance_rows()),
        ("ratings", team.ratings_rows()),
    ):
        with (folder / f"{name}.csv").open("w", encoding="utf-8", newline="") as fh:
            csv.writer(fh).writerows(rows)
    return folder / "roster.csv"


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


def team_rows(team: list[tuple[float, int, str, float | None, bool]]) -> list[dict[str, object]]:
    """A drawn team as the frame's rows: one score for all three, years, education, exam."""
    return [
        {
            "employee_id": f"E{i:03d}",
            "composite": c,
            "performance": c,
            "ability": c,
            "years_in_post": y,
            "months_in_post": 12 * y + 1,
            "education": edu,
            "exam_score": exam,
            "trainee": trainee,
        }
        for i, (c, y, edu, exam, trainee) in enumerate(team)
    ]


def template_fields(template: str) -> set[str]:
    """The values a message template names ({n}, {x!l}, {score:.2f}), nested specs included."""
    import string as _string

    names: set[str] = set()
    for _, name, spec, _ in _string.Formatter().parse(template):
        if name is not None:
            names.add(re.split(r"[.\[]", name, maxsplit=1)[0])
            names |= template_fields(spec or "")
    return names


def english_prose(template: str) -> str | None:
    """Three or more English words in a row outside values, quotes and keys (ability.x, a_b):
    what a Chinese template must not hold."""
    text = re.sub(r"\{[^{}]*\}", " ", template)
    text = re.sub(r"'[^']*'|\"[^\"]*\"|`[^`]*`", " ", text)
    text = re.sub(r"[A-Za-z0-9_]*[._][A-Za-z0-9_.]*", " ", text)
    found = re.search(r"\b[A-Za-z]+(?:[ ,]+[A-Za-z]+){2,}\b", text)
    return found.group(0) if found else None


def assert_storable(what: Any) -> None:
    """A message as data: every key in the catalogue, every value JSON (a snapshot stores it)."""
    from amctl.messages import CATALOGUE, Said

    assert isinstance(what, Said) and what.key in CATALOGUE, what
    for v in what.params.values():
        items = v if isinstance(v, list) else [v]
        for item in items:
            if isinstance(item, Said):
                assert_storable(item)
            else:
                assert item is None or isinstance(item, str | int | float | bool), (what.key, v)


PAY_ROW: dict[str, Any] = {  # one graded manager as the pay formulas read them
    "level": "mid",
    "band": "B",
    "rural": False,
    "post_start": dt.date(2015, 1, 1),
    "leave_date": None,
    "education": "本科",
    "org_unit": "一部",
    "composite": 80.0,
    "ability": 80.0,
    "performance": 80.0,
    "years_in_post": 9,
    "months_in_post": 114,
    "exam_score": 90.0,
    "sales": 300.0,  # the quarter's 销售额, 万元: on target, for the commission
    "sales_target": 300.0,
}


# seed 004 (Jinzhong): 年功工资 for contract staff only, a basic condition on years of work, and
# seed 000's special award — the per-person columns a policy declares with their types
DECLARED_COLUMNS = """columns:
  employment:
    aliases: [用工性质, 用工类型, employment]
    type: choice
    choices: [聘用工, 在册]
    table: roster
  work_start: {aliases: [参加工作日期, 参加工作时间], type: date, table: roster}
  award_best_sales: {aliases: [最佳销售奖], type: yesno}
"""
SENIORITY = "brackets(years_in_post, seniority_rates, mode='marginal') if years_in_post >= 3 else 0"
CONTRACT_SENIORITY = (
    "brackets(years_in_post, seniority_rates, mode='marginal') "
    "if employment == '聘用工' and years_in_post >= 3 else 0"
)
SENIOR_GATES = "      min_composite: 75          # ours: a free senior seat is no reason to promote a weak year\n"
WORK_YEARS_GATE = (
    "      min_composite: 75\n"
    "      conditions:\n"
    '        - {label: 工作年限满 8 年, when: "years_since(work_start) >= 8"}\n'
)


def declared_policy(path: Path, *edits: str) -> Path:
    """The default policy with the columns above declared, then `edits` (old, new, …)."""
    text = DEFAULT_POLICY.read_text(encoding="utf-8").replace("columns:\n", DECLARED_COLUMNS, 1)
    for old, new in zip(edits[::2], edits[1::2], strict=True):
        assert old in text, old
        text = text.replace(old, new, 1)
    path.write_text(text, encoding="utf-8")
    return path


DECLARED_HEADER = ["用工性质", "参加工作日期", "最佳销售奖"]


def declared_team(cells: Sequence[Sequence[Any]], years: Sequence[int] = ()) -> Team:
    """A team whose roster carries the declared columns, one row of cells per person (E0 best,
    each 5 points below the one before; `years` in post, default 6 each)."""
    people = [
        Person(f"E{i}", score=90 - 5 * i, years=years[i] if years else 6, extra=tuple(row))
        for i, row in enumerate(cells)
    ]
    return Team(people, extra_header=list(DECLARED_HEADER))


def example_workspace(into: Path) -> Path:
    """The example quarters and the workspace's policy, copied into a folder of the test's."""
    shutil.copytree(REPO / "examples" / "data", into / "data")
    shutil.copytree(REPO / "policies", into / "policies")
    return into


def spy(monkeypatch: pytest.MonkeyPatch, owner: object, name: str) -> list[tuple[Any, ...]]:
    """Every call to `owner.name` from now on, its arguments recorded, passed through."""
    calls: list[tuple[Any, ...]] = []
    real = getattr(owner, name)

    def recorded(*args: Any) -> Any:
        calls.append(args)
        return real(*args)

    monkeypatch.setattr(owner, name, recorded)
    return calls
