"""Seed 004's Jinzhong team as a year of HR workbooks, for the jinzhong-tobacco policy.

71 account managers in Jinzhong's eleven county units, whose tiers at the start of 2024 are the
seed's: 6 senior, 36 mid, 18 junior, 11 trainee (36 of 71 is over the 50 % cap, which `amctl
roster check` says). 56 are 在册 and 15 聘用工, as the seed counts them. One manager leaves on
30 June and one joins on 1 July. The year is written as the policy's review calendar reads it:
twelve months (2024-01 …), four quarters (2024Q1 …), two halves (2024H1, 2024H2) and the year
(2024), each folder's roster.xlsx holding 花名册 and 业绩, and 能力评价 for every review but the
monthly one. A quarter, half or year sums the months' 销量 and targets and averages their
满意度, so every figure agrees with the months it covers; 考试成绩 is the half-year's skills
exam (the year folder carries the second half's). 现等级 / 现档次 are the tiers at the start
of the year in every folder: the tier in force until a review is recorded.

A fixed seed and fixed file metadata make every workbook byte-identical on every run.
"""

from __future__ import annotations

import datetime as dt
import functools
import io
import random
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal

from openpyxl import Workbook
from openpyxl.worksheet.worksheet import Worksheet

from amctl.workspace.sample import GIVEN, SURNAMES, _clip, _fixed_zip, _pick

SEED = 4  # seed 004
YEAR = 2024
FIRST_MONTH = f"{YEAR}-01"  # the first period of the example, for the README's commands
FIRST_ID = "JZ001"
UNITS = [  # Jinzhong's county units: managers, share serving rural retail customers
    ("榆次区", 12, 0.25),
    ("太谷区", 7, 0.5),
    ("祁县", 6, 0.6),
    ("平遥县", 8, 0.6),
    ("介休市", 8, 0.4),
    ("灵石县", 6, 0.6),
    ("寿阳县", 6, 0.7),
    ("昔阳县", 5, 0.7),
    ("和顺县", 4, 0.8),
    ("左权县", 5, 0.8),
    ("榆社县", 4, 0.8),
]
TIERS = {"高级": 6, "中级": 36, "初级": 18}  # seed 004, with 11 见习: 71 managers
TRAINEES = 11
HIRED = {"见习": 4, "中级": 5, "初级": 6}  # seed 004: 15 聘用工 (大专以上), the rest 在册
LEAVE_DATE = dt.date(YEAR, 6, 30)
JOIN_DATE = dt.date(YEAR, 7, 1)
RATERS = {"营销部": 0.0, "工业企业": 2.0, "自评": 6.0}  # the rater and how kindly they mark
ABILITY = [  # seed 004: the ten abilities
    "市场分析能力",
    "市场预测能力",
    "品牌培育能力",
    "管理客户能力",
    "服务客户能力",
    "消费终端维护能力",
    "沟通协调能力",
    "系统运用能力",
    "信息资讯捕捉能力",
    "营销执行能力",
]
# Monthly sales against an average month: the Spring Festival (10 February 2024) is bought in
# January, summer is slow, Mid-Autumn (17 September) and the year's end pick up.
SEASON = [1.35, 1.10, 0.85, 0.95, 0.95, 0.95, 0.90, 0.95, 1.05, 1.00, 0.95, 1.10]
EDUCATION = {
    "高级": [("本科", 0.85), ("硕士", 0.15)],
    "中级": [("大专", 0.55), ("本科", 0.4), ("中专", 0.05)],
    "初级": [("高中", 0.1), ("中专", 0.25), ("大专", 0.45), ("本科", 0.2)],
    "见习": [("大专", 0.4), ("本科", 0.6)],
}
POST_YEARS = {"高级": (2004, 2012), "中级": (2006, 2020), "初级": (2012, 2022)}


@dataclass
class Manager:
    id: str
    name: str
    unit: str
    rural: bool
    talent: float
    level: str = "见习"  # 现等级 at the start of the year
    band: str = ""  # 现档次
    employment: str = "在册"
    education: str = "大专"
    post_start: dt.date = JOIN_DATE
    work_start: dt.date = JOIN_DATE
    leave: dt.date | None = None
    target: int = 120  # an average month's target, 箱
    brand_share: float = 0.3  # of the target, in the key brands
    profile: list[float] = field(default_factory=list)  # strengths and weaknesses, by ability
    exams: tuple[int, int] = (0, 0)  # the two half-years' skills exams


@dataclass(frozen=True)
class Month:
    """One manager's month, in tenths where a figure has a decimal, so sums stay exact."""

    target: int
    volume: int  # tenths of a 箱
    brand_target: int
    brand_volume: int  # tenths
    satisfaction: int  # tenths of a point


def periods() -> list[str]:
    """Every period folder of the example year, months first."""
    months = [f"{YEAR}-{m:02d}" for m in range(1, 13)]
    return [*months, *(f"{YEAR}Q{q}" for q in range(1, 5)), f"{YEAR}H1", f"{YEAR}H2", str(YEAR)]


def months_of(period: str) -> list[int]:
    """The calendar months a period covers: 2024-08 → [8], 2024Q3 → [7, 8, 9], 2024 → 1–12."""
    if "-" in period:
        return [int(period[5:])]
    if "Q" in period:
        q = int(period[-1])
        return [3 * q - 2, 3 * q - 1, 3 * q]
    if "H" in period:
        return list(range(1, 7)) if period.endswith("1") else list(range(7, 13))
    return list(range(1, 13))


def _month_end(month: int) -> dt.date:
    following = dt.date(YEAR + month // 12, month % 12 + 1, 1)
    return following - dt.timedelta(days=1)


def _in_post(m: Manager, month: int) -> bool:
    """In post on some day of the month."""
    first = dt.date(YEAR, month, 1)
    return m.post_start <= _month_end(month) and (m.leave is None or m.leave >= first)


def _date_between(rng: random.Random, first: dt.date, last: dt.date) -> dt.date:
    return first + dt.timedelta(days=rng.randint(0, (last - first).days))


def _names(rng: random.Random, n: int) -> list[str]:
    names: list[str] = []
    while len(names) < n:
        name = rng.choice(SURNAMES) + "".join(rng.sample(GIVEN, rng.choice([1, 2])))
        if name not in names:
            names.append(name)
    return names


def _bands(n: int) -> list[str]:
    """A, B, C by rank within a level, about 30/40/30."""
    a = c = round(n * 0.3)
    return ["A"] * a + ["B"] * (n - a - c) + ["C"] * c


@functools.lru_cache(maxsize=1)
def team() -> tuple[Manager, ...]:
    """The year's 72 people: the 71 of January and the joiner of July."""
    rng = random.Random(SEED)
    units = [(unit, share) for unit, size, share in UNITS for _ in range(size)]
    names = _names(rng, len(units) + 1)
    people = [
        Manager(f"JZ{i + 1:03d}", names[i], unit, rng.random() < share, rng.gauss(0, 1))
        for i, (unit, share) in enumerate(units)
    ]
    trainees = rng.sample(people, TRAINEES)
    graded = sorted(
        (p for p in people if p not in trainees),
        key=lambda p: p.talent + rng.gauss(0, 0.5),
        reverse=True,
    )
    start = 0
    for level, n in TIERS.items():
        for p, band in zip(graded[start : start + n], _bands(n), strict=True):
            p.level, p.band = level, band
        start += n
    for level, n in HIRED.items():
        for p in rng.sample([p for p in people if p.level == level], n):
            p.employment = "聘用工"
    for p in people:
        _career(p, rng)
    leaver = next(p for p in people if p.level == "初级" and p.employment == "在册")
    leaver.leave = LEAVE_DATE
    joiner = Manager(f"JZ{len(people) + 1:03d}", names[-1], "榆次区", False, rng.gauss(0, 1))
    joiner.employment, joiner.education = "聘用工", "本科"
    _abilities(joiner, rng)
    return (*people, joiner)


def _career(p: Manager, rng: random.Random) -> None:
    """Dates, education and the fixed traits behind the year's figures."""
    hired = p.employment == "聘用工"
    if p.level == "见习":
        p.post_start = _date_between(rng, dt.date(YEAR - 1, 2, 1), dt.date(YEAR - 1, 12, 20))
    else:
        low, high = POST_YEARS[p.level]
        if hired:  # hired publicly from 2010 on
            low, high = max(low, 2010), max(high, 2012)
        p.post_start = _date_between(rng, dt.date(low, 1, 1), dt.date(high, 12, 31))
    before = rng.randint(0, 3) if hired else rng.randint(2, 15)  # 在册: other posts first
    last = p.post_start - dt.timedelta(days=1)
    p.work_start = _date_between(rng, min(dt.date(p.post_start.year - before, 7, 1), last), last)
    choices = EDUCATION[p.level]
    if hired:  # seed 004: 聘用 with 大专以上学历
        choices = [(e, w) for e, w in choices if e in ("大专", "本科", "硕士")]
    p.education = _pick(rng, choices)
    _abilities(p, rng)


def _abilities(p: Manager, rng: random.Random) -> None:
    p.target = rng.randrange(90, 200, 5)
    p.brand_share = rng.uniform(0.25, 0.35)
    p.profile = [rng.gauss(0, 5) for _ in ABILITY]
    years = max(0, YEAR - p.post_start.year)
    p.exams = (
        round(_clip(72 + 8 * p.talent + 0.4 * years + rng.gauss(0, 5), 40, 99)),
        round(_clip(73 + 8 * p.talent + 0.4 * years + rng.gauss(0, 5), 40, 99)),
    )


@functools.lru_cache(maxsize=1)
def months() -> dict[tuple[str, int], Month]:
    """Every manager's every month in post."""
    rng = random.Random(f"{SEED}-months")
    out: dict[tuple[str, int], Month] = {}
    for month, season in enumerate(SEASON, start=1):
        for p in team():
            if not _in_post(p, month):
                continue
            target = round(p.target * season)
            done = _clip(1 + 0.06 * p.talent + rng.gauss(0, 0.05), 0.7, 1.3)
            brand_target = round(target * p.brand_share)
            brand_done = _clip(done + 0.04 * p.profile[2] / 5 + rng.gauss(0, 0.06), 0.6, 1.4)
            satisfaction = _clip(90 + 3 * p.talent + 0.3 * p.profile[4] + rng.gauss(0, 2), 70, 100)
            out[p.id, month] = Month(
                target,
                round(target * done * 10),
                brand_target,
                round(brand_target * brand_done * 10),
                round(satisfaction * 10),
            )
    return out


def _listed(p: Manager, period: str) -> bool:
    """In the period's roster: in post in its last month (a leaver, up to the leaving month)."""
    last = months_of(period)[-1]
    return _in_post(p, last)


def _tenths(n: int) -> float:
    return float(Decimal(n) / 10)


def _mean_tenths(values: list[int]) -> float:
    mean = Decimal(sum(values)) / len(values) / 10
    return float(mean.quantize(Decimal("0.1"), rounding=ROUND_HALF_UP))


def _title(period: str) -> str:
    if "-" in period:
        return f"{YEAR}年{int(period[5:])}月"
    if "Q" in period:
        return f"{YEAR}年第{'一二三四'[int(period[-1]) - 1]}季度"
    if "H" in period:
        return f"{YEAR}年{'上' if period.endswith('1') else '下'}半年"
    return f"{YEAR}年度"


def write_roster(ws: Worksheet, people: list[Manager], period: str, rng: random.Random) -> None:
    exam = "H" in period or period == str(YEAR)  # the skills exam is half-yearly
    header = ["员工编号", "姓名", "部门", "任职日期", "学历", "现等级", "现档次"]
    header += ["考试成绩"] if exam else []
    header += ["是否农村", "用工性质", "参加工作日期", "离职日期"]
    ws.append([f"晋中市烟草公司客户经理花名册（{_title(period)}）"])
    ws.merge_cells(start_row=1, start_column=1, end_row=1, end_column=len(header))
    ws.append(["填报单位：营销中心", *[None] * (len(header) - 2), "单位：人"])
    ws.append(header)
    for p in people:
        start: object = p.post_start if rng.random() > 0.1 else p.post_start.strftime("%Y/%m/%d")
        row: list[object] = [p.id, p.name, p.unit, start, p.education, p.level, p.band or None]
        if exam:
            row.append(p.exams[0] if period.endswith("H1") else p.exams[1])
        row += ["是" if p.rural else "否", p.employment, p.work_start, p.leave]
        ws.append(row)
    for _ in range(2):
        ws.append([None] * len(header))


def write_performance(ws: Worksheet, people: list[Manager], period: str) -> None:
    ws.append([f"{_title(period)}营销目标完成情况（单位：箱、%）"])
    ws.merge_cells("A1:G1")
    ws.append(
        ["员工编号", "姓名", "卷烟销量", "销量目标", "重点品牌销量", "重点品牌目标", "客户满意度"]
    )
    table = months()
    for p in people:
        done = [table[p.id, m] for m in months_of(period) if (p.id, m) in table]
        ws.append(
            [
                p.id,
                p.name,
                _tenths(sum(m.volume for m in done)),
                sum(m.target for m in done),
                _tenths(sum(m.brand_volume for m in done)),
                sum(m.brand_target for m in done),
                _mean_tenths([m.satisfaction for m in done]),
            ]
        )
    ws.append([None] * 7)


def write_ratings(ws: Worksheet, people: list[Manager], rng: random.Random) -> None:
    ws.append(["员工编号", "姓名", "评价人", *ABILITY])
    for p in people:
        for rater, kindness in RATERS.items():
            if rater == "工业企业" and rng.random() < 0.05:
                continue  # the factory did not rate this area: renormalised
            scores = [
                round(_clip(76 + 7 * p.talent + s + kindness + rng.gauss(0, 3), 35, 100))
                for s in p.profile
            ]
            ws.append([p.id, p.name, rater, *scores])


def build(period: str) -> bytes:
    """One period folder's roster.xlsx: 花名册 and 业绩, and 能力评价 unless it is a month."""
    if period not in periods():
        raise ValueError(f"not a period of the {YEAR} example: {period}")
    rng = random.Random(f"{SEED}-{period}")
    people = [p for p in team() if _listed(p, period)]
    wb = Workbook()
    roster = wb.active
    assert roster is not None
    roster.title = "花名册"
    write_roster(roster, people, period, rng)
    write_performance(wb.create_sheet("业绩"), people, period)
    if "-" not in period:  # the monthly review reads no ratings
        write_ratings(wb.create_sheet("能力评价"), people, rng)
    fixed = dt.datetime(YEAR + 1, 1, 8, 9, 0, 0)
    wb.properties.creator = "amctl examples"
    wb.properties.created = fixed
    buffer = io.BytesIO()
    wb.save(buffer)
    return _fixed_zip(buffer.getvalue(), fixed)
