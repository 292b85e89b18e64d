"""Close a period: one run, graded, paid and recorded, and the period's files written from it
into out/PERIOD/ — the grading and payroll tables (workbooks, or csv or parquet for a quarter
of hundreds of thousands of managers) and the meeting's report."""

from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path

from amctl.errors import OutputError, UsageError
from amctl.export import grading, payroll, report
from amctl.ledger.store import Recorded
from amctl.messages import said
from amctl.period import Period
from amctl.pipeline.memory import release
from amctl.pipeline.run import Progress, QuarterRun, record, run
from amctl.workspace.layout import Workspace

TABLES = ("xlsx", "csv", "parquet")  # the grading and payroll tables' formats


@dataclass(frozen=True)
class Closed:
    run: QuarterRun
    recorded: Recorded
    files: list[Path]
    notes: list[str]  # about the files (a cell cut to fit)


def close(
    workspace: Workspace,
    period: Period,
    *,
    replace: bool = False,
    reason: str | None = None,
    lang: str | None = None,
    tables: str = "xlsx",
    progress: Progress = lambda step: None,
) -> Closed:
    """`tables`: the grading and payroll tables' format, one of TABLES (the report is HTML)."""
    suffix = tables.lower()
    if suffix not in TABLES:  # refused before anything is read, run or recorded
        raise UsageError(said("output.close_tables", given=tables, formats=list(TABLES)))
    result = run(workspace, period, pay="cadence", progress=progress)
    progress(said("pipeline.step_recording"))
    done = record(result, replace=replace, reason=reason)
    folder = workspace.out(period.label)
    try:
        folder.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise OutputError(
            said("output.quarter_folder", folder=str(folder), reason=str(exc.strerror))
        ) from None
    label = period.label
    files = [
        folder / f"grading-{label}.{suffix}",
        folder / f"payroll-{label}.{suffix}",
        folder / f"report-{label}.html",
    ]
    if result.payroll is None:  # a review the policy pays at another period
        files.remove(files[1])
    progress(said("pipeline.step_writing", path=workspace.relative(folder)))
    with ThreadPoolExecutor(max_workers=1) as aside:
        # the grading table, the largest file, written beside the payroll and the report:
        # each reads the run and none changes it, and much of the work is Arrow's and the
        # disk's, which let the GIL go (1M managers' csv files: 15.3/17.5 -> 13.6/13.9 s)
        table = aside.submit(grading.write, result.grading, files[0], force=True, lang=lang)
        paid: list[str] = []
        try:
            if result.payroll is not None:
                paid = payroll.write(result.payroll, files[1], force=True, lang=lang)
                release()  # what a table of a million rows freed, before the next one's peak
            report.write(result, files[-1], force=True, lang=lang)
        except Exception:
            failed = table.exception()  # the grading table's failure is said first, as before
            if failed is not None:
                raise failed from None
            raise
        notes = table.result() + paid
    release()
    return Closed(result, done, files, notes)
