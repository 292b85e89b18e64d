"""The formatted workbook against a raw xlsxwriter write of the same cells, and its memory.

    python bench/xlsx.py                       # 100k: formatted vs raw, best of 3
    python bench/xlsx.py --memory 100000 300000  # peak memory of the writer at each size

The grading of n managers is computed from bench/run.py's generated csv inputs, untimed.
*formatted* is `amctl.export.workbook.write_xlsx` on the
grading workbook's six sheets (words, formats, widths, colours, the formula guard included);
*raw* writes the very cells it wrote (the words already made) with `write_row` in xlsxwriter's
`constant_memory` mode, nothing else. For memory, each size runs in its own process, the
grading sheet tiled to that many rows; the resident set is sampled while the workbook is
written, and the writer's own share is its peak less the resident set before it began.
Timings are printed, never asserted in tests.
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path
from typing import Any

import pandas as pd

sys.path.insert(0, str(Path(__file__).resolve().parent))
from run import ROOT, prepare

from amctl.export import grading
from amctl.export.table import Table
from amctl.export.workbook import Prepare, Rich, Styles, write_xlsx


def result(n: int) -> Any:
    """The grading of n managers, computed in this process (its time is not counted): a
    grading holds its reasons' makers, which a pickle cannot keep."""
    from amctl.pipeline.run import Given, run

    folder = prepare(n, "csv")
    roster = folder / "roster.csv"
    policy = ROOT.parent / "policies" / "ct-group.yaml"
    return run(None, "2024Q3", Given(roster, None, None, policy), pay="never").grading


def sheets(n: int, rows: int | None = None) -> tuple[list[tuple[str, Table]], Any]:
    """The grading workbook's sheets; with `rows`, the grading sheet tiled to that size."""
    export = grading.export(result(n))
    made = list(export.sheets())
    if rows is not None:
        name, table = made[0]
        copies = -(-rows // len(table))
        frame = pd.concat([table.frame] * copies, ignore_index=True).iloc[:rows].copy()
        frame["employee_id"] = [
            f"{e}-{i // len(table)}" for i, e in enumerate(frame["employee_id"])
        ]
        made[0] = (name, Table(frame, table.total))
    return made, export


def formatted(path: Path, made: list[tuple[str, Table]], export: Any) -> None:
    write_xlsx(path, made, export.title, export.show, export.heading)


def cells(made: list[tuple[str, Table]], export: Any) -> list[tuple[str, list[list[Any]]]]:
    """The cells the formatted workbook holds, as plain values: header, body, totals."""
    import xlsxwriter

    prepare = Prepare(export.title, export.show, Styles(xlsxwriter.Workbook(os.devnull)))
    out = []
    for name, table in made:
        ready = [prepare.column(k, table.frame[k]) for k in table.frame.columns]
        columns = [[c.text if isinstance(c, Rich) else c for c in col.cells] for col in ready]
        body = [list(row) for row in zip(*columns, strict=True)]
        if table.total is not None:
            body.append(
                [
                    prepare.values(k, [v]).cells[0]
                    for k, v in zip(table.columns, table.total, strict=True)
                ]
            )
        out.append((export.title(name)[:31], [[export.title(c) for c in table.columns], *body]))
    return out


def raw(path: Path, plain: list[tuple[str, list[list[Any]]]], *, constant: bool = True) -> None:
    import xlsxwriter

    book = xlsxwriter.Workbook(str(path), {"constant_memory": constant})
    for name, rows in plain:
        ws = book.add_worksheet(name)
        for r, row in enumerate(rows):
            ws.write_row(r, 0, row)
    book.close()


def best(runs: int, work: Any) -> float:
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        work()
        times.append(time.perf_counter() - start)
    return min(times)


def rss_mb() -> float:
    with open("/proc/self/statm") as fh:
        return int(fh.read().split()[1]) * os.sysconf("SC_PAGE_SIZE") / 2**20


def child(n: int, rows: int, how: str) -> None:
    """One size in this process: the resident set before writing and at its peak while
    writing, sampled every 20 ms."""
    made, export = sheets(n, rows)
    plain = cells(made, export) if how != "formatted" else []
    before, peak, stop = rss_mb(), [0.0], threading.Event()

    def sample() -> None:
        while not stop.is_set():
            peak[0] = max(peak[0], rss_mb())
            time.sleep(0.02)

    watcher = threading.Thread(target=sample)
    watcher.start()
    with tempfile.TemporaryDirectory() as tmp:
        start = time.perf_counter()
        if how == "formatted":
            formatted(Path(tmp) / "f.xlsx", made, export)
        else:
            raw(Path(tmp) / "r.xlsx", plain, constant=how == "raw")
        seconds = time.perf_counter() - start
    stop.set()
    watcher.join()
    print(
        f"{rows:>9} {how:>18} {seconds:>8.1f} {before:>10.0f} {peak[0]:>9.0f} {peak[0] - before:>8.0f}"
    )


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--rows", type=int, default=100_000, help="managers graded (default 100k)")
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--memory", type=int, nargs="*", help="sizes to measure memory at")
    parser.add_argument(
        "--heap", action="store_true", help="with --memory: also raw without constant_memory"
    )
    parser.add_argument("--child", nargs=3, help=argparse.SUPPRESS)
    parser.add_argument(
        "--prepare", action="store_true", help="only generate the inputs (bench/run.py)"
    )
    args = parser.parse_args()
    if args.prepare:
        prepare(args.rows, "csv")
        return
    if args.child:
        child(int(args.child[0]), int(args.child[1]), args.child[2])
        return
    if args.memory:
        print(
            f"{'rows':>9} {'writer':>18} {'seconds':>8} {'before MB':>10} {'peak MB':>9} {'own MB':>8}"
        )
        for size in args.memory:
            for how in ("formatted", "raw", *(["raw, not constant"] if args.heap else [])):
                subprocess.run(
                    [sys.executable, __file__, "--child", str(args.rows), str(size), how],
                    check=True,
                )
        return
    made, export = sheets(args.rows)
    plain = cells(made, export)
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "out.xlsx"
        fmt = best(args.runs, lambda: formatted(path, made, export))
        bare = best(args.runs, lambda: raw(path, plain))
    print(f"{args.rows:,} managers, best of {args.runs}:")
    print(f"  formatted (amctl write_xlsx)      {fmt:6.2f} s")
    print(f"  raw write_row, constant_memory    {bare:6.2f} s")
    print(f"  ratio                             {fmt / bare:6.2f} ×")


if __name__ == "__main__":
    main()
