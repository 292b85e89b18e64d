"""A realistic sample team of 80 account managers for 2024Q3, as HR's workbook.

Used for `examples/` (`python examples/make_examples.py`) and by `amctl init`. A fixed seed
and fixed file metadata make the workbook byte-identical on every run. It looks like HR's: a
merged title row above the header, Chinese headers, some numbers stored as text, blank
trailing rows, one joiner and one leaver, and the three tables as sheets of one file.
"""

from __future__ import annotations

import datetime as dt
import io
import random
import zipfile

from openpyxl import Workbook
from openpyxl.worksheet.worksheet import Worksheet

SEED = 2024
QUARTER_END = dt.date(2024, 9, 30)
QUARTER = "2024Q3"
FIRST_ID = "KM0001"  # a manager of the sample team, for the examples in docs
LEAVERS = {"KM0031": dt.date(2024, 8, 31)}  # left mid-quarter: paid July and August only

SURNAMES = list("王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾")
GIVEN = list("伟芳娜敏静丽强磊军洋勇艳杰娟涛明超秀霞平刚桂英华玉兰萍红鹏飞建国志文斌宇浩凯")
UNITS = [
    ("政企客户一部", False, 18),
    ("政企客户二部", False, 16),
    ("行业客户部", False, 14),
    ("商客拓展部", False, 14),
    ("县域农村分部", True, 18),
]
EDUCATION = [("大专", 0.2), ("本科", 0.65), ("硕士", 0.12), ("中专", 0.03)]
RATERS = ["上级", "同事", "客户", "自评"]
ABILITY = [
    "沟通协调能力",
    "客户关系管理能力",
    "市场开拓能力",
    "业务知识与技能",
    "应变能力",
    "团队协作能力",
]


def _pick(rng: random.Random, weighted: list[tuple[str, float]]) -> str:
    return rng.choices([w for w, _ in weighted], [p for _, p in weighted])[0]


def _clip(x: float, lo: float, hi: float) -> float:
    return max(lo, min(hi, x))


def managers(rng: random.Random) -> list[dict[str, object]]:
    people = []
    names: set[str] = set()
    n = 0
    for unit, rural, size in UNITS:
        for _ in range(size):
            n += 1
            while True:
                name = rng.choice(SURNAMES) + "".join(rng.sample(GIVEN, rng.choice([1, 2])))
                if name not in names:
                    names.add(name)
                    break
            years = rng.choice([0, 0, 1, 1, 2, 3, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 14, 16, 18])
            start = QUARTER_END - dt.timedelta(days=int(years * 365.25 + rng.randint(20, 340)))
            talent = rng.gauss(0, 1)
            people.append(
                {
                    "id": f"KM{n:04d}",
                    "name": name,
                    "unit": unit,
                    "rural": rural,
                    "start": start,
                    "years": years,
                    "education": _pick(rng, EDUCATION),
                    "talent": talent,
                    "exam": round(_clip(70 + 8 * talent + 0.9 * years + rng.gauss(0, 5), 40, 99)),
                }
            )
    return people


def current_tier(p: dict[str, object], rng: random.Random) -> tuple[str, str]:
    years = int(p["years"])  # type: ignore[call-overload]
    if years < 1:
        return "见习", ""
    talent = float(p["talent"])  # type: ignore[arg-type]
    if years >= 5 and talent > 0.6:
        level = "高级"
    elif years >= 2 and talent > -0.6:
        level = "中级"
    else:
        level = "初级"
    return level, rng.choice("ABC")


def write_roster(ws: Worksheet, people: list[dict[str, object]], rng: random.Random) -> None:
    ws.append(["2024年第三季度客户经理花名册"])
    ws.merge_cells("A1:J1")
    ws.append(["制表：人力资源部", None, None, None, None, None, None, None, "单位：人"])
    header = [
        "员工编号",
        "姓名",
        "所属部门",
        "任职日期",
        "学历",
        "技能考试成绩",
        "现等级",
        "现档次",
        "服务农村",
        "离职日期",
    ]
    ws.append(header)
    for p in people:
        level, band = current_tier(p, rng)
        start = p["start"]
        assert isinstance(start, dt.date)
        start_cell: object = start if rng.random() > 0.15 else start.strftime("%Y/%m/%d")
        exam: object = p["exam"] if rng.random() > 0.1 else str(p["exam"])
        ws.append(
            [
                p["id"],
                p["name"],
                p["unit"],
                start_cell,
                p["education"],
                exam,
                level,
                band or None,
                "是" if p["rural"] else "否",
                LEAVERS.get(str(p["id"])),
            ]
        )
    for _ in range(3):
        ws.append([None] * len(header))


def write_performance(ws: Worksheet, people: list[dict[str, object]], rng: random.Random) -> None:
    ws.append(["2024年第三季度业绩（单位：万元、户、%）"])
    ws.merge_cells("A1:I1")
    ws.append(
        [
            "员工编号",
            "姓名",
            "销售额",
            "销售目标",
            "客户数量",
            "客户数目标",
            "客户满意度",
            "业务增长率",
            "项目完成质量",
        ]
    )
    for p in people:
        talent = float(p["talent"])  # type: ignore[arg-type]
        target = rng.choice([180, 220, 260, 300, 360, 420])
        sales = round(target * _clip(1 + 0.12 * talent + rng.gauss(0, 0.12), 0.4, 1.6), 1)
        cust_target = rng.choice([30, 40, 50, 60])
        customers = round(cust_target * _clip(1 + 0.1 * talent + rng.gauss(0, 0.1), 0.5, 1.4))
        sat = round(_clip(84 + 5 * talent + rng.gauss(0, 4), 55, 100), 1)
        growth = round(8 + 7 * talent + rng.gauss(0, 5), 1)
        quality = round(_clip(78 + 8 * talent + rng.gauss(0, 6), 40, 100))
        sales_cell: object = sales if rng.random() > 0.2 else f"{sales:,.1f}"
        ws.append(
            [p["id"], p["name"], sales_cell, target, customers, cust_target, sat, growth, quality]
        )
    ws.append([None] * 9)


def write_ratings(ws: Worksheet, people: list[dict[str, object]], rng: random.Random) -> None:
    ws.append(["员工编号", "姓名", "评价人", *ABILITY])
    bias = {"上级": 0.0, "同事": 2.0, "客户": 1.0, "自评": 6.0}
    for p in people:
        talent = float(p["talent"])  # type: ignore[arg-type]
        profile = [rng.gauss(0, 5) for _ in ABILITY]  # each person's strengths and weaknesses
        for rater in RATERS:
            if rater == "同事" and rng.random() < 0.08:
                continue  # a peer survey that never came back: renormalised
            scores = [
                round(_clip(76 + 8 * talent + s + bias[rater] + rng.gauss(0, 3), 35, 100))
                for s in profile
            ]
            ws.append([p["id"], p["name"], rater, *scores])


# Later quarters of the same team, scripted so the examples show the dynamic rules at work:
# KM0033 leaps (a two-level jump, blocked), KM0006 improves (a promotion), KM0069 falls two
# quarters running (held through the improvement period, then demoted); the trainees of
# 2024Q3 pass twelve months and graduate; KM0031, who left in August, is gone.
QUARTERS = ("2024Q3", "2024Q4", "2025Q1")
SCRIPT: dict[str, dict[str, float]] = {
    "2024Q4": {"KM0033": 4.5, "KM0006": 2.0, "KM0069": -4.5},
    "2025Q1": {"KM0033": 4.5, "KM0006": 2.0, "KM0069": -4.5},
}


def build(quarter: str = QUARTER) -> bytes:
    """The team's workbook for one of QUARTERS; 2024Q3 is the original example."""
    rng = random.Random(SEED)
    people = managers(rng)
    if quarter != QUARTER:
        rng = random.Random(f"{SEED}-{quarter}")  # fresh noise, the same people
        people = [p for p in people if p["id"] not in LEAVERS]
        for p in people:
            p["talent"] = float(p["talent"]) + SCRIPT[quarter].get(str(p["id"]), 0.0)  # type: ignore[arg-type]
    wb = Workbook()
    roster = wb.active
    assert roster is not None
    roster.title = "花名册"
    write_roster(roster, people, rng)
    write_performance(wb.create_sheet("业绩"), people, rng)
    write_ratings(wb.create_sheet("能力评价"), people, rng)
    fixed = dt.datetime(2024, 10, 8, 9, 0, 0)
    wb.properties.creator = "amctl examples"
    wb.properties.created = fixed
    buffer = io.BytesIO()
    wb.save(buffer)
    return _fixed_zip(buffer.getvalue(), fixed)


def _fixed_zip(data: bytes, when: dt.datetime) -> bytes:
    """openpyxl stamps the save time into docProps and every zip entry; pin both."""
    src = zipfile.ZipFile(io.BytesIO(data))
    out = io.BytesIO()
    stamp = when.strftime("%Y-%m-%dT%H:%M:%SZ").encode()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as dst:
        for item in src.infolist():
            body = src.read(item.filename)
            if item.filename == "docProps/core.xml":
                start = body.find(b"<dcterms:modified")
                end = body.find(b"</dcterms:modified>")
                if start >= 0 and end >= 0:
                    inner = body.index(b">", start) + 1
                    body = body[:inner] + stamp + body[end:]
            info = zipfile.ZipInfo(item.filename, date_time=when.timetuple()[:6])
            info.compress_type = zipfile.ZIP_DEFLATED
            dst.writestr(info, body)
    return out.getvalue()
