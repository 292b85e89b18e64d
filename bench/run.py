"""Benchmarks: amctl grade and payroll end to end, as whole processes, against the floor.

    python bench/run.py                 # 10k and 100k (xlsx, xlsx-text, csv), 1M (csv, parquet)
    python bench/run.py --sizes 10000   # a quick run
    python bench/run.py --startup       # start-up only: --help, grade --help, policy check

xlsx-text is the workbook as HR keeps it: title rows above the header and one number in ten
stored as text. Inputs are generated deterministically under bench/.data/ (reused when present). Each command
runs as its own process; the table gives wall seconds, peak memory (max RSS of the child), the
ratio to the floor (python-calamine parsing the same workbook, or pandas reading the same csv
or parquet) and seconds per 1,000 rows. Timings are printed, never asserted in tests.
"""

from __future__ import annotations

import argparse
import os
import shutil
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path

import numpy as np
import pandas as pd

from amctl.workspace.sample import ABILITY as INDICATORS
from amctl.workspace.sample import RATERS

ROOT = Path(__file__).resolve().parent
DATA = ROOT / ".data"
AMCTL = [sys.executable, "-m", "amctl"]


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
    folder = DATA / f"{n}-{fmt}" / "data" / "2024Q3"
    marker = folder / ".done"
    if marker.exists():
        return folder
    folder.mkdir(parents=True, exist_ok=True)
    made = tables(n)
    if fmt == "xlsx":
        path = folder / "roster.xlsx"
        with pd.ExcelWriter(path, engine="xlsxwriter") as xw:
            for sheet, frame in (
                ("花名册", made["roster"]),
                ("业绩", made["performance"]),
                ("能力评价", made["ratings"]),
            ):
                frame.to_excel(xw, sheet_name=sheet, index=False)
    elif fmt == "xlsx-text":
        write_as_hr_keeps_it(made, folder / "roster.xlsx", n)
    else:
        for name, frame in made.items():
            if fmt == "csv":
                frame.to_csv(folder / f"{name}.csv", index=False)
            else:
                frame.to_parquet(folder / f"{name}.parquet", index=False)
    marker.write_text("ok")
    return folder


def write_as_hr_keeps_it(made: dict[str, pd.DataFrame], path: Path, n: int) -> None:
    """The workbook as HR keeps it: a merged title row and a 填报单位 line above the header,
    and one number in ten stored as text (Excel's green triangle), in every number column."""
    import xlsxwriter

    rng = np.random.default_rng(n + 1)
    book = xlsxwriter.Workbook(path, {"constant_memory": True})
    for sheet, frame in (
        ("花名册", made["roster"]),
        ("业绩", made["performance"]),
        ("能力评价", made["ratings"]),
    ):
        ws = book.add_worksheet(sheet)
        ws.merge_range(0, 0, 0, len(frame.columns) - 1, f"2024年第三季度{sheet}")
        ws.write_string(1, 0, "填报单位：市场部")
        ws.write_row(2, 0, list(frame.columns))
        columns = []
        for name in frame.columns:
            values = frame[name].to_numpy(dtype=object)
            if pd.api.types.is_numeric_dtype(frame[name]):
                text = rng.random(len(values)) < 0.1
                values = np.where(text, frame[name].astype(str).to_numpy(), values)
            columns.append(values)
        for r, row in enumerate(zip(*columns, strict=True)):
            ws.write_row(3 + r, 0, row)
    book.close()


def run(
    cmd: list[str], cwd: Path | None = None, env: dict[str, str] | None = None
) -> tuple[float, float]:
    """Wall seconds and peak RSS (MB) of one child process (its own, via wait4)."""
    start = time.perf_counter()
    child = subprocess.Popen(
        cmd,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        env={**(os.environ if env is None else env), "COLUMNS": "120"},
        cwd=cwd,
    )
    assert child.stderr is not None
    err = child.stderr.read()
    _, status, usage = os.wait4(child.pid, 0)
    seconds = time.perf_counter() - start
    code = os.waitstatus_to_exitcode(status)
    if code not in (0, 1):
        sys.exit(f"{' '.join(cmd)} failed ({code}):\n{err.decode()[-2000:]}")
    return seconds, usage.ru_maxrss / 1024


FLOOR = {
    "xlsx": "from python_calamine import CalamineWorkbook as W; b=W.from_path(r'{p}'); [b.get_sheet_by_name(s).to_python() for s in b.sheet_names]",
    "csv": "import pandas as pd, glob; [pd.read_csv(f) for f in glob.glob(r'{d}/*.csv')]",
    "parquet": "import pandas as pd, glob; [pd.read_parquet(f) for f in glob.glob(r'{d}/*.parquet')]",
}


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--sizes", type=int, nargs="*", default=[10_000, 100_000, 1_000_000])
    parser.add_argument(
        "--startup", action="store_true", help="only the start-up figures (a few seconds)"
    )
    parser.add_argument("--repeat", type=int, default=10, help="start-up runs, the best kept")
    parser.add_argument(
        "--readme",
        action="store_true",
        help="write the table into README.md between its bench markers (the recorded run)",
    )
    args = parser.parse_args()
    if args.startup and args.readme:
        parser.error("--readme records a whole run; --startup alone prints")
    lines: list[str] = []

    def say(line: str) -> None:
        print(line, flush=True)
        lines.append(line)

    plan = []
    for n in [] if args.startup else args.sizes:
        plan += [
            (n, f) for f in (("csv", "parquet") if n >= 1_000_000 else ("xlsx", "xlsx-text", "csv"))
        ]
    if plan:
        say(
            f"{'rows':>9} {'input':>7} {'step':>8} {'seconds':>8} {'peak MB':>8} {'x floor':>8} {'s/1k rows':>9}"
        )
    policy = ROOT.parent / "policies" / "ct-group.yaml"
    for n, fmt in plan:
        folder = prepare(n, fmt)
        kind = fmt.split("-")[0]
        roster = folder / ("roster.xlsx" if kind == "xlsx" else f"roster.{fmt}")
        floor_code = FLOOR[kind].format(p=roster, d=folder)
        floor, floor_mb = run([sys.executable, "-c", floor_code])
        say(
            f"{n:>9} {fmt:>7} {'floor':>8} {floor:>8.2f} {floor_mb:>8.0f} {1:>8.2f} {floor / n * 1000:>9.4f}"
        )
        for step, cmd in (
            (
                "grade",
                [
                    *AMCTL,
                    "--quiet",
                    "grade",
                    str(roster),
                    "--quarter",
                    "2024Q3",
                    "--policy",
                    str(policy),
                ],
            ),
            (
                "payroll",
                [
                    *AMCTL,
                    "--quiet",
                    "payroll",
                    str(roster),
                    "--quarter",
                    "2024Q3",
                    "--policy",
                    str(policy),
                ],
            ),
            (
                "record",  # payroll recorded in the ledger of the input's workspace, from empty
                [*AMCTL, "--quiet", "payroll", "--quarter", "2024Q3", "--record"],
            ),
        ):
            ledger = folder.parent.parent / ".amctl"
            shutil.rmtree(ledger, ignore_errors=True)
            seconds, mb = run(cmd, cwd=folder.parent.parent)
            shutil.rmtree(ledger, ignore_errors=True)
            say(
                f"{n:>9} {fmt:>7} {step:>8} {seconds:>8.2f} {mb:>8.0f} {seconds / floor:>8.2f} {seconds / n * 1000:>9.4f}"
            )
    startup(say, policy, args.repeat)
    if args.readme:
        record(lines, args.sizes)


HELP_RATIO = 1.5  # issue #17: --help within 1.5x the time of importing typer alone
CHECK_SECONDS = 0.25  # and a policy check (an editor, a pre-commit hook) within 0.25 s


def startup(say: Callable[[str], None], policy: Path, repeat: int) -> None:
    """The best of `repeat` runs of each, interleaved so that a busy machine slows all alike.
    Bytecode is cached, as an installed amctl has it (PYTHONDONTWRITEBYTECODE would time the
    compiler), in bench/.data/pycache; a first run fills it."""
    env = {k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"}
    env["PYTHONPYCACHEPREFIX"] = str(DATA / "pycache")
    commands = {
        "import typer": [sys.executable, "-c", "import typer"],
        "amctl --help": [*AMCTL, "--help"],
        "grade --help": [*AMCTL, "grade", "--help"],
        "policy check": [*AMCTL, "policy", "check", str(policy)],
    }
    best = dict.fromkeys(commands, float("inf"))
    for cmd in commands.values():
        run(cmd, env=env)
    for _ in range(repeat):
        for name, cmd in commands.items():
            best[name] = min(best[name], run(cmd, env=env)[0])
    typer = best["import typer"]
    for name, seconds in best.items():
        if name == "import typer":
            target = "the yardstick"
        elif name == "policy check":
            target = f"target <= {CHECK_SECONDS} s: {_met(seconds <= CHECK_SECONDS)}"
        else:
            ratio = seconds / typer
            target = (
                f"{ratio:.2f}x import typer, target <= {HELP_RATIO}x: {_met(ratio <= HELP_RATIO)}"
            )
        say(f"{'start-up':>9} {name:>16} {seconds:>8.3f} s (best of {repeat}); {target}")


def _met(ok: bool) -> str:
    return "met" if ok else "MISSED"


START, END = "<!-- bench:start -->", "<!-- bench:end -->"


def record(lines: list[str], sizes: list[int]) -> None:
    """The README's recorded run is this run's table, never one typed by hand."""
    readme = ROOT.parent / "README.md"
    text = readme.read_text(encoding="utf-8")
    if START not in text or END not in text:
        raise SystemExit(f"{readme}: no {START} … {END} markers to write between")
    head, rest = text.split(START, 1)
    _, tail = rest.split(END, 1)
    when = time.strftime("%Y-%m-%d")
    sized = " ".join(str(n) for n in sizes)
    block = (
        f"{START}\nRecorded by `python bench/run.py --sizes {sized} --readme` on {when}, "
        f"{os.cpu_count()} cores:\n\n```\n" + "\n".join(lines) + f"\n```\n{END}"
    )
    readme.write_text(head + block + tail, encoding="utf-8")
    print(f"wrote the table into {readme}")


if __name__ == "__main__":
    main()
