"""Benchmarks: amctl as whole processes against the floor, and a verdict on each target.

    python bench/run.py                                  # 10k and 100k (xlsx, xlsx-messy, csv), 1M (csv, parquet)
    python bench/run.py --sizes 10000 --repeat-runs 1    # a quick run
    python bench/run.py --only record                    # the 1M ledger record alone
    python bench/run.py --startup                        # start-up only: --help, grade --help, policy check
    python bench/run.py --readme                         # and write the output into README.md

Each repetition runs every step of a size and format once before the next repetition begins
(interleaved, so a busy machine slows all alike); the table gives the median seconds of the
repetitions, the largest peak memory (max RSS of the child), the ratio to the floor and seconds
per 1,000 rows. The steps:

  floor       the same tables read into Arrow and nothing else: fastexcel (every sheet of the
              workbook), pyarrow.csv.read_csv, pyarrow.parquet.read_table
  grade       amctl grade ROSTER --quarter 2024Q3 --policy policies/ct-group.yaml
  payroll     amctl payroll, the same
  close       amctl close 2024Q3 in the input's workspace, from an empty ledger: grades, pays,
              records in the ledger and writes out/2024Q3/: the grading and payroll workbooks
              and the HTML report; at 1M (parquet input only) the tables as csv (--format csv)
  record      (parquet) the ledger record alone: a child runs the period in-process and times
              only amctl.pipeline.run.record; its peak memory is the whole child's
  xlsx-write  (csv, below 1M) bench/xlsx.py: the grading workbook written formatted, against
              raw xlsxwriter constant_memory writing the same cells (one run each a repetition)

xlsx-messy is the workbook as HR keeps it: a merged title row and a 填报单位 line above a
two-row header (group titles such as 业绩 merged over 销售额 and 销售目标, the other headers
merged down both rows), one number in ten stored as text, and a 合计 row under each sheet.
amctl's modules are compiled to bytecode first, as `pip install` does (with
PYTHONDONTWRITEBYTECODE set every child would compile them again, and time that). Inputs are
generated deterministically under bench/.data/ (reused when present). The output
ends with the targets of issue #17, each met, MISSED, or not measured (its step or size was not
run). Timings are printed, never asserted in tests.
"""

from __future__ import annotations

import argparse
import math
import os
import re
import shlex
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from amctl.cli.app import ALLOCATOR
from amctl.workspace.sample import ABILITY as INDICATORS
from amctl.workspace.sample import RATERS

ROOT = Path(__file__).resolve().parent
DATA = ROOT / ".data"
AMCTL = [sys.executable, "-m", "amctl"]
POLICY = ROOT.parent / "policies" / "ct-group.yaml"
QUARTER = "2024Q3"
K10, K100, MILLION = 10_000, 100_000, 1_000_000
SHEETS = {"花名册": "roster", "业绩": "performance", "能力评价": "ratings"}


def tables(n: int) -> dict[str, pd.DataFrame]:
    """A team of n managers: roster, performance and wide ratings, from one seed."""
    rng = np.random.default_rng(n)
    ids = np.array([f"E{i:07d}" for i in range(n)])
    talent = rng.normal(0, 1, n)
    years = rng.integers(0, 20, n)
    start = pd.Timestamp("2024-09-30") - pd.to_timedelta(
        years * 365 + rng.integers(20, 340, n), unit="D"
    )
    roster = pd.DataFrame(
        {
            "员工编号": ids,
            "姓名": [f"经理{i}" for i in range(n)],
            "所属部门": rng.choice(["一部", "二部", "三部", "县域"], n),
            "任职日期": start.strftime("%Y-%m-%d"),
            "学历": rng.choice(["大专", "本科", "硕士"], n, p=[0.25, 0.6, 0.15]),
            "技能考试成绩": np.clip(np.round(72 + 8 * talent + rng.normal(0, 5, n)), 40, 99),
            "服务农村": rng.choice(["是", "否"], n, p=[0.2, 0.8]),
        }
    )
    target = rng.choice([180, 220, 260, 300, 360], n)
    perf = pd.DataFrame(
        {
            "员工编号": ids,
            "销售额": np.round(
                target * np.clip(1 + 0.12 * talent + rng.normal(0, 0.12, n), 0.4, 1.6), 1
            ),
            "销售目标": target,
            "客户数量": np.round(40 * np.clip(1 + 0.1 * talent + rng.normal(0, 0.1, n), 0.5, 1.4)),
            "客户数目标": 40,
            "客户满意度": np.round(np.clip(84 + 5 * talent + rng.normal(0, 4, n), 55, 100), 1),
            "业务增长率": np.round(8 + 7 * talent + rng.normal(0, 5, n), 1),
            "项目完成质量": np.round(np.clip(78 + 8 * talent + rng.normal(0, 6, n), 40, 100)),
        }
    )
    rows = n * len(RATERS)
    ratings = pd.DataFrame({"员工编号": np.repeat(ids, len(RATERS)), "评价人": np.tile(RATERS, n)})
    base = np.repeat(76 + 8 * talent, len(RATERS))
    for name in INDICATORS:
        ratings[name] = np.clip(np.round(base + rng.normal(0, 5, rows)), 35, 100)
    return {"roster": roster, "performance": perf, "ratings": ratings}


def prepare(n: int, fmt: str) -> Path:
    """The data/2024Q3 folder of the input's workspace, generated once."""
    folder = DATA / f"{n}-{fmt}" / "data" / QUARTER
    marker = folder / ".done"
    if marker.exists():
        return folder
    folder.mkdir(parents=True, exist_ok=True)
    made = tables(n)
    if fmt == "xlsx":
        with pd.ExcelWriter(folder / "roster.xlsx", engine="xlsxwriter") as xw:
            for sheet, name in SHEETS.items():
                made[name].to_excel(xw, sheet_name=sheet, index=False)
    elif fmt == "xlsx-messy":
        write_messy(made, folder / "roster.xlsx", n)
    else:
        for name, frame in made.items():
            if fmt == "csv":
                frame.to_csv(folder / f"{name}.csv", index=False)
            else:
                frame.to_parquet(folder / f"{name}.parquet", index=False)
    marker.write_text("ok")
    return folder


# The top row of the messy workbook's two-row header: a group title merged over its columns
GROUPS = {
    "花名册": {"基本信息": ("姓名", "所属部门", "任职日期", "学历")},
    "业绩": {"业绩": ("销售额", "销售目标"), "客户": ("客户数量", "客户数目标")},
    "能力评价": {"能力评分": tuple(INDICATORS)},
}
HEADER = 2  # the two header rows start under the title and the 填报单位 line


def write_messy(made: dict[str, pd.DataFrame], path: Path, n: int) -> None:
    """The workbook as HR keeps it (see the module's docstring). Merging a header cell down
    two rows writes both rows, so the whole sheet is kept in memory (not constant_memory)."""
    import xlsxwriter

    rng = np.random.default_rng(n + 1)
    book = xlsxwriter.Workbook(path)
    for sheet, name in SHEETS.items():
        frame = made[name]
        ws = book.add_worksheet(sheet)
        ws.merge_range(0, 0, 0, len(frame.columns) - 1, f"2024年第三季度{sheet}")
        ws.write_string(1, 0, "填报单位：市场部")
        two_row_header(ws, list(frame.columns), GROUPS[sheet])
        columns = []
        for column in frame.columns:
            values = frame[column].to_numpy(dtype=object)
            if pd.api.types.is_numeric_dtype(frame[column]):
                text = rng.random(len(values)) < 0.1  # Excel's green triangle
                values = np.where(text, frame[column].astype(str).to_numpy(), values)
            columns.append(values)
        for r, row in enumerate(zip(*columns, strict=True)):
            ws.write_row(HEADER + 2 + r, 0, row)
        ws.write_row(HEADER + 2 + len(frame), 0, totals(frame))
    book.close()


def two_row_header(ws: Any, columns: list[str], groups: dict[str, tuple[str, ...]]) -> None:
    """A group title merged across the top row over its columns, named in the row below;
    every other header merged down both rows."""
    grouped = {column: title for title, members in groups.items() for column in members}
    for title, members in groups.items():
        first, last = columns.index(members[0]), columns.index(members[-1])
        assert list(columns[first : last + 1]) == list(members), f"{title}: not side by side"
        ws.merge_range(HEADER, first, HEADER, last, title)
    for c, column in enumerate(columns):
        if column in grouped:
            ws.write_string(HEADER + 1, c, column)
        else:
            ws.merge_range(HEADER, c, HEADER + 1, c, column)


def totals(frame: pd.DataFrame) -> list[object]:
    """The 合计 row: the word under the id, the sum of every number column."""
    return [
        "合计"
        if i == 0
        else round(float(frame[c].sum()), 1)
        if pd.api.types.is_numeric_dtype(frame[c])
        else None
        for i, c in enumerate(frame.columns)
    ]


@dataclass(frozen=True)
class Done:
    """One child process: wall seconds, peak RSS (MB), exit code, what it printed."""

    seconds: float
    mb: float
    code: int
    out: str
    err: str


def run(cmd: list[str], cwd: Path | None = None, env: dict[str, str] | None = None) -> Done:
    """Run one child to its end; its own peak RSS comes from wait4. Output goes to files, so
    that a child printing much can never block on a full pipe."""
    with tempfile.TemporaryFile() as out, tempfile.TemporaryFile() as err:
        start = time.perf_counter()
        child = subprocess.Popen(
            cmd,
            stdout=out,
            stderr=err,
            env={**(os.environ if env is None else env), "COLUMNS": "120"},
            cwd=cwd,
        )
        _, status, usage = os.wait4(child.pid, 0)
        seconds = time.perf_counter() - start
        child.returncode = os.waitstatus_to_exitcode(status)  # reaped: Popen must not wait
        out.seek(0)
        err.seek(0)
        return Done(
            seconds,
            usage.ru_maxrss / 1024,
            child.returncode,
            out.read().decode(errors="replace"),
            err.read().decode(errors="replace"),
        )


@dataclass(frozen=True)
class Case:
    """One size and format: its generated inputs and the workspace they lie in."""

    n: int
    fmt: str

    @property
    def folder(self) -> Path:
        return DATA / f"{self.n}-{self.fmt}" / "data" / QUARTER

    @property
    def workspace(self) -> Path:
        return self.folder.parent.parent

    @property
    def kind(self) -> str:
        return self.fmt.split("-")[0]

    @property
    def roster(self) -> Path:
        return self.folder / f"roster.{self.kind}"

    def clear(self) -> None:
        """No ledger and no out/: every step starts from the same empty workspace."""
        for left in (".amctl", "out"):
            shutil.rmtree(self.workspace / left, ignore_errors=True)


def formats(n: int) -> tuple[str, ...]:
    return ("csv", "parquet") if n >= MILLION else ("xlsx", "xlsx-messy", "csv")


FLOOR = {
    "xlsx": "import fastexcel; b = fastexcel.read_excel(r'{roster}'); [b.load_sheet_by_name(s).to_arrow() for s in {sheets}]",
    "csv": "import glob, pyarrow.csv as c; [c.read_csv(f) for f in sorted(glob.glob(r'{folder}/*.csv'))]",
    "parquet": "import glob, pyarrow.parquet as q; [q.read_table(f) for f in sorted(glob.glob(r'{folder}/*.parquet'))]",
}


def floor(case: Case) -> list[str]:
    code = FLOOR[case.kind].format(roster=case.roster, folder=case.folder, sheets=list(SHEETS))
    return [sys.executable, "-c", code]


def amctl(command: str) -> Callable[[Case], list[str]]:
    def cmd(case: Case) -> list[str]:
        return [
            *AMCTL,
            "--quiet",
            command,
            str(case.roster),
            "--quarter",
            QUARTER,
            "--policy",
            str(POLICY),
        ]

    return cmd


def pairs(out: str) -> dict[str, float]:
    """`name=seconds` lines a child prints about its own timing."""
    return {k: float(v) for k, v in re.findall(r"^([\w ]+)=([\d.eE+-]+)$", out, re.MULTILINE)}


def xlsx_write(out: str) -> dict[str, float]:
    """bench/xlsx.py's formatted and raw seconds."""
    found = {}
    for key, pattern in (("s", r"formatted \(amctl write_xlsx\)"), ("raw s", r"raw write_row")):
        hit = re.search(pattern + r"[^\n]*?([\d.]+) s$", out, re.MULTILINE)
        if hit:
            found[key] = float(hit.group(1))
    return found


@dataclass(frozen=True)
class Step:
    """A measured step: its command for a case, where it applies, and, for a child that
    times its own work, how its figures are read from what it prints (seconds as "s")."""

    name: str
    command: Callable[[Case], list[str]]
    applies: Callable[[Case], bool] = lambda case: True
    reads: Callable[[str], dict[str, float]] | None = None
    warm: Callable[[Case], list[str]] | None = None  # run once, untimed, before the first
    ok: tuple[int, ...] = (0,)  # exit codes of a finished run (amctl: 1 is findings)


STEPS = (
    Step("floor", floor),
    Step("grade", amctl("grade"), ok=(0, 1)),
    Step("payroll", amctl("payroll"), ok=(0, 1)),
    Step(
        "close",
        lambda c: [
            *AMCTL,
            "--quiet",
            "close",
            QUARTER,
            "-w",
            str(c.workspace),
            *(["--format", "csv"] if c.n >= MILLION else []),
        ],
        # a million managers' workbooks would be most of an hour for three runs: csv, as
        # the target says; once, from the parquet input
        applies=lambda c: c.n < MILLION or c.fmt == "parquet",
        ok=(0, 1),
    ),
    Step(
        "record",
        # with Arrow's allocator set as the amctl command sets it (pandas loads it at import)
        lambda c: [
            "env",
            *(f"{k}={v}" for k, v in ALLOCATOR.items()),
            sys.executable,
            __file__,
            "--record-child",
            str(c.workspace),
        ],
        applies=lambda c: c.fmt == "parquet",
        reads=pairs,
    ),
    Step(
        "xlsx-write",
        lambda c: [sys.executable, str(ROOT / "xlsx.py"), "--rows", str(c.n), "--runs", "1"],
        applies=lambda c: c.fmt == "csv" and c.n < MILLION,
        reads=xlsx_write,
        warm=lambda c: [sys.executable, str(ROOT / "xlsx.py"), "--rows", str(c.n), "--prepare"],
    ),
)


def compiled() -> None:
    """amctl as installed: each module's bytecode written once, so a child reads it."""
    import compileall

    compileall.compile_dir(str(ROOT.parent / "amctl"), quiet=1)


def record_child(workspace: Path) -> None:
    """The record step's child: the period run in-process (as close runs it), then only the
    ledger record timed; with the peak memory before it, to tell the record's own share."""
    import resource

    from amctl.pipeline.run import record
    from amctl.pipeline.run import run as run_period

    result = run_period(workspace, QUARTER, pay="cadence")
    print(f"MB before={resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024}")
    start = time.perf_counter()
    record(result)
    print(f"s={time.perf_counter() - start}")


Key = tuple[object, ...]  # (step, rows, input, measure) or ("startup", name, "s")
Figures = dict[Key, float]  # nan: the step failed


@dataclass
class Runs:
    """The repetitions of one step on one case."""

    ok: tuple[int, ...]
    done: list[Done] = field(default_factory=list)
    read: list[dict[str, float]] = field(default_factory=list)

    @property
    def failed(self) -> Done | None:
        return next((d for d in self.done if d.code not in self.ok), None)

    def figures(self) -> dict[str, float]:
        """Median seconds (and any other timing the child printed), largest peak."""
        if self.failed:
            return {"s": math.nan, "MB": math.nan}
        keys = self.read[0].keys() if self.read else {}
        out = {k: _typical(k, [r.get(k, math.nan) for r in self.read]) for k in keys}
        if out:
            out["child s"] = statistics.median(d.seconds for d in self.done)
        out.setdefault("s", statistics.median(d.seconds for d in self.done))
        out["MB"] = max(d.mb for d in self.done)
        return out

    def note(self) -> str:
        failed = self.failed
        if failed is not None:
            last = (failed.err.strip().splitlines() or ["(nothing on stderr)"])[-1]
            return f"FAILED, exit {failed.code}: {last[:200]}"
        if any(d.code == 1 for d in self.done):
            return "exit 1 (findings)"
        return ""


def _typical(key: str, values: list[float]) -> float:
    """Memory at its largest, time at its median."""
    return max(values) if "MB" in key else statistics.median(values)


def measure(case: Case, steps: Sequence[Step], repeat: int) -> dict[str, Runs]:
    """Every step once per repetition, in order, from an empty workspace each time; a step
    that failed is not run again."""
    runs = {step.name: Runs(step.ok) for step in steps}
    for step in steps:
        if step.warm is not None:
            case.clear()
            warmed = run(step.warm(case), cwd=case.workspace)
            if warmed.code != 0:
                runs[step.name].done.append(warmed)  # failed: not run
    for _ in range(repeat):
        for step in steps:
            got = runs[step.name]
            if got.failed:
                continue
            case.clear()
            done = run(step.command(case), cwd=case.workspace)
            got.done.append(done)
            if step.reads is not None and done.code in step.ok:
                read = step.reads(done.out)
                if "s" not in read:  # a traceback's last line says why, else this does
                    why = done.err if done.err.strip() else "printed no timing"
                    got.done[-1] = Done(done.seconds, done.mb, 3, done.out, why)
                got.read.append(read)
    case.clear()
    return runs


HEAD = f"{'rows':>9} {'input':>10} {'step':>10} {'seconds':>8} {'peak MB':>8} {'x floor':>8} {'s/1k rows':>9}"


NO_FLOOR = ("record", "xlsx-write")  # not a whole read of the inputs: no floor to compare with


def table_row(case: Case, step: str, got: dict[str, float], floor_s: float | None) -> str:
    seconds, mb = got["s"], got["MB"]
    ratio = f"{'':>8}"
    if step == "floor":
        ratio = f"{1:>8.2f}"
    elif floor_s and step not in NO_FLOOR:
        ratio = f"{seconds / floor_s:>8.2f}"
    return (
        f"{case.n:>9} {case.fmt:>10} {step:>10} {seconds:>8.2f} {mb:>8.0f} {ratio} "
        f"{seconds / case.n * 1000:>9.4f}"
    )


def extra(step: str, got: dict[str, float]) -> str:
    """What a row's figures leave out: the raw write it is compared with."""
    if step == "xlsx-write" and "raw s" in got:
        return f"raw {got['raw s']:.2f} s: {got['s'] / got['raw s']:.2f}x raw"
    if step == "record" and "MB before" in got:
        return (
            f"the record call alone; peak of the whole child ({got['child s']:.0f} s), "
            f"{got['MB before']:.0f} MB before the record"
        )
    return ""


def bench_case(
    case: Case, steps: Sequence[Step], repeat: int, say: Callable[[str], None], figures: Figures
) -> None:
    runs = measure(case, steps, repeat)
    floor_s = runs["floor"].figures()["s"] if "floor" in runs else None
    for name, got_runs in runs.items():
        got = got_runs.figures()
        for measure_name, value in got.items():
            figures[(name, case.n, case.fmt, measure_name)] = value
        figures[(name, case.n, case.fmt, "s/1k")] = got["s"] / case.n * 1000
        note = " ".join(filter(None, (extra(name, got), got_runs.note())))
        say((table_row(case, name, got, floor_s) + "  " + note).rstrip())


HELP_STARTUP = {
    "import typer": [sys.executable, "-c", "import typer"],
    "amctl --help": [*AMCTL, "--help"],
    "grade --help": [*AMCTL, "grade", "--help"],
    "policy check": [*AMCTL, "policy", "check", str(POLICY)],
}


def startup(say: Callable[[str], None], repeat: int, figures: Figures) -> None:
    """The best of `repeat` runs of each, interleaved so that a busy machine slows all alike.
    Bytecode is cached, as an installed amctl has it (PYTHONDONTWRITEBYTECODE would time the
    compiler), in bench/.data/pycache; a first run fills it."""
    env = {k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"}
    env["PYTHONPYCACHEPREFIX"] = str(DATA / "pycache")
    best = dict.fromkeys(HELP_STARTUP, math.inf)
    failed: dict[str, Done] = {}
    for cmd in HELP_STARTUP.values():
        run(cmd, env=env)
    for _ in range(repeat):
        for name, cmd in HELP_STARTUP.items():
            done = run(cmd, env=env)
            best[name] = min(best[name], done.seconds)
            if done.code != 0:
                failed[name] = done
    for name, done in failed.items():
        best[name] = math.nan
        say(f"{'start-up':>9} {name:>16} FAILED, exit {done.code}: {done.err.strip()[-200:]}")
    typer = best["import typer"]
    for name, seconds in best.items():
        figures[("startup", name, "s")] = seconds
        versus = (
            "the yardstick" if name == "import typer" else f"{seconds / typer:.2f}x import typer"
        )
        say(f"{'start-up':>9} {name:>16} {seconds:>8.3f} s (best of {repeat}); {versus}")


SMALLEST, LARGEST = "smallest", "largest"  # in a key: the smallest or largest size measured
GB = 1024  # MB


@dataclass(frozen=True)
class Bound:
    """A limit on one figure, or on the ratio of two (`of` / `per`)."""

    of: Key
    limit: float
    unit: str  # "s", "MB" or "x"
    per: Key | None = None
    strict: bool = False  # `<` rather than `<=`


@dataclass(frozen=True)
class Target:
    name: str
    bounds: tuple[Bound, ...]


def ratio(of: Key, per: Key, limit: float) -> tuple[Bound, ...]:
    return (Bound(of, limit, "x", per=per),)


def below(of: Key, limit: float, unit: str = "s", *, strict: bool = True) -> tuple[Bound, ...]:
    return (Bound(of, limit, unit, strict=strict),)


def at_million(step: str, seconds: float, gb: float) -> tuple[Bound, ...]:
    """Seconds and peak memory of a step on the million managers in parquet."""
    return (
        *below((step, MILLION, "parquet", "s"), seconds),
        *below((step, MILLION, "parquet", "MB"), gb * GB, "MB"),
    )


def versus_floor(fmt: str, limit: float) -> tuple[Bound, ...]:
    return ratio(("grade", K100, fmt, "s"), ("floor", K100, fmt, "s"), limit)


def versus_typer(name: str) -> tuple[Bound, ...]:
    return ratio(("startup", name, "s"), ("startup", "import typer", "s"), 1.5)


TARGETS = (  # issue #17
    Target("100k xlsx grade, clean: x fastexcel read", versus_floor("xlsx", 1.5)),
    Target("100k xlsx grade, messy: x fastexcel read", versus_floor("xlsx-messy", 1.5)),
    Target("100k csv grade: x pyarrow read", versus_floor("csv", 3)),
    Target("1M parquet grade", at_million("grade", 8, 2)),
    Target("1M parquet payroll", at_million("payroll", 10, 2)),
    Target("1M parquet close (tables as csv, html report)", at_million("close", 20, 2.5)),
    Target("1M ledger record alone", below(("record", MILLION, "parquet", "s"), 5)),
    Target("grade --help: x import typer", versus_typer("grade --help")),
    Target(
        "100k formatted xlsx write: x raw constant_memory",
        ratio(("xlsx-write", K100, "csv", "s"), ("xlsx-write", K100, "csv", "raw s"), 1.5),
    ),
    Target("amctl --help: x import typer", versus_typer("amctl --help")),
    Target("policy check FILE", below(("startup", "policy check", "s"), 0.25, strict=False)),
    Target(
        "growth, csv grade s/1k rows, largest size / smallest: flat (<= 1.1x) or falling",
        ratio(("grade", LARGEST, "csv", "s/1k"), ("grade", SMALLEST, "csv", "s/1k"), 1.1),
    ),
)


def resolve(key: Key, figures: Figures) -> Key | None:
    """A key with SMALLEST or LARGEST for its size, as the size measured; None unless two
    sizes were."""
    if key[1] not in (SMALLEST, LARGEST):
        return key
    sizes = sorted(
        k[1]
        for k in figures
        if len(k) == 4 and isinstance(k[1], int) and (k[0], k[2], k[3]) == (key[0], key[2], key[3])
    )
    if len(sizes) < 2:
        return None
    return (key[0], sizes[0] if key[1] == SMALLEST else sizes[-1], *key[2:])


def figure(key: Key | None, figures: Figures) -> float | None:
    return None if key is None else figures.get(key)


def judge(bound: Bound, figures: Figures) -> tuple[str, bool | None]:
    """The bound's figure as shown, and met (True), missed (False) or not measured (None)."""
    of = resolve(bound.of, figures)
    value = figure(of, figures)
    shown = ""
    if bound.per is not None:
        per = resolve(bound.per, figures)
        base = figure(per, figures)
        if of is not None and per is not None and value is not None and base is not None:
            sizes = f"{of[1]} rows / {per[1]} rows: " if of != bound.of else ""
            shown = f"{sizes}{value:.3g} / {base:.3g} = "
            value = value / base if base else math.nan
        else:
            value = None
    if value is None:
        return "not measured", None
    if math.isnan(value):
        return "the step failed", False
    sign = "<" if bound.strict else "<="
    unit = "x" if bound.unit == "x" else f" {bound.unit}"
    digits = 0 if bound.unit == "MB" else 3 if bound.unit == "s" and value < 1 else 2
    shown += f"{value:.{digits}f}{unit} (target {sign} {bound.limit:g}{unit})"
    return shown, value < bound.limit if bound.strict else value <= bound.limit


def verdict(results: Sequence[bool | None]) -> str:
    if any(r is False for r in results):
        return "MISSED"
    return "not measured" if any(r is None for r in results) else "met"


def targets(say: Callable[[str], None], figures: Figures) -> None:
    say("targets")
    for target in TARGETS:
        judged = [judge(b, figures) for b in target.bounds]
        said = verdict([r for _, r in judged])
        shown = (
            "" if said == "not measured" else ": " + "; ".join(dict.fromkeys(s for s, _ in judged))
        )
        say(f"  {said:<12}  {target.name}{shown}")


def plan(sizes: Sequence[int], only: set[str]) -> list[tuple[Case, list[Step]]]:
    cases = [Case(n, fmt) for n in sizes for fmt in formats(n)]
    chosen = [(c, [s for s in STEPS if s.name in only and s.applies(c)]) for c in cases]
    return [(c, steps) for c, steps in chosen if steps]


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--sizes", type=int, nargs="*", default=[K10, K100, MILLION])
    parser.add_argument(
        "--repeat-runs", type=int, default=3, help="repetitions of each step, the median kept"
    )
    names = [s.name for s in STEPS] + ["startup"]
    parser.add_argument(
        "--only", nargs="+", choices=names, default=names, help="run these steps only"
    )
    parser.add_argument("--startup", action="store_true", help="the start-up figures only")
    parser.add_argument("--repeat", type=int, default=10, help="start-up runs, the best kept")
    parser.add_argument(
        "--readme",
        action="store_true",
        help="write this run's output into README.md between its bench markers",
    )
    parser.add_argument("--record-child", type=Path, help=argparse.SUPPRESS)
    parser.add_argument("--prepare-child", nargs=2, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.record_child:
        record_child(args.record_child)
        return
    if args.prepare_child:
        prepare(int(args.prepare_child[0]), args.prepare_child[1])
        return
    only = {"startup"} if args.startup else set(args.only)
    compiled()
    lines: list[str] = []

    def say(line: str) -> None:
        print(line, flush=True)
        lines.append(line)

    figures: Figures = {}
    cases = plan(args.sizes, only)
    if cases:
        say(f"medians of {args.repeat_runs} interleaved runs; peak: the largest of them")
        say(HEAD)
    for case, steps in cases:
        # generated in a process of its own: a child forked from a bench grown by generating
        # would report the bench's own size as its peak (Linux counts it from the fork)
        subprocess.run(
            [sys.executable, __file__, "--prepare-child", str(case.n), case.fmt], check=True
        )
        bench_case(case, steps, args.repeat_runs, say, figures)
    if "startup" in only:
        startup(say, args.repeat, figures)
    targets(say, figures)
    if args.readme:
        record(lines)


START, END = "<!-- bench:start -->", "<!-- bench:end -->"


def record(lines: list[str]) -> None:
    """The README's recorded run is this run's output, never one typed by hand."""
    readme = ROOT.parent / "README.md"
    text = readme.read_text(encoding="utf-8")
    if START not in text or END not in text:
        raise SystemExit(f"{readme}: no {START} … {END} markers to write between")
    head, rest = text.split(START, 1)
    _, tail = rest.split(END, 1)
    when = time.strftime("%Y-%m-%d")
    command = shlex.join(["python", "bench/run.py", *sys.argv[1:]])
    block = (
        f"{START}\nRecorded by `{command}` on {when}, {os.cpu_count()} cores:\n\n```\n"
        + "\n".join(lines)
        + f"\n```\n{END}"
    )
    readme.write_text(head + block + tail, encoding="utf-8")
    print(f"wrote the output into {readme}")


if __name__ == "__main__":
    main()
