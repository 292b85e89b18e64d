"""Close a period: one run, graded, paid and recorded, and the period's files written from it
into out/PERIOD/ — the grading and payroll tables (workbooks, or csv or parquet for a quarter
of hundreds of thousands of managers) and the meeting's report."""

from __future__ import annotations

from concurrent.futures import Future, ThreadPoolExecutor, wait
from contextlib import suppress
from dataclasses import dataclass
from pathlib import Path

from amctl.errors import OutputError, UsageError
from amctl.export import grading, payroll, report
from amctl.ledger.store import Recorded
from amctl.messages import said
from amctl.period import Period
from amctl.pipeline.memory import release
from amctl.pipeline.run import Progress, QuarterRun, record, run, unrecordable
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
    folder = workspace.out(period.label)
    label = period.label
    files = [
        folder / f"grading-{label}.{suffix}",
        folder / f"payroll-{label}.{suffix}",
        folder / f"report-{label}.html",
    ]
    if result.payroll is None:  # a review the policy pays at another period
        files.remove(files[1])
    progress(said("pipeline.step_recording"))
    refused = unrecordable(result)
    if refused is not None:  # before any file is begun
        raise refused
    try:
        made = _folder(folder)
    except OutputError:  # the period is recorded all the same, and the folder's failure said
        record(result, replace=replace, reason=reason)
        raise
    # the grading table, the largest file, is written while the ledger records and then
    # beside the payroll and the report: each reads the run and none changes it, and much
    # of the work is Arrow's, SQLite's and the disk's, which let the GIL go (1M managers'
    # csv files, in process: 20.7/21.7/20.8 -> 19.6/19.7/20.0 s, the peak 2.0 -> 2.25 GB).
    # It is put in place only once the period is recorded (`publish`); a record refused
    # stops it at its next batch of rows, and no file of the period is left.
    recorded: Future[Recorded] = Future()

    def stopped(*_: int) -> None:
        if recorded.done() and recorded.exception() is not None:
            raise _Stopped

    def publish() -> None:
        if recorded.exception() is not None:  # waits for the record
            raise _Stopped

    table: Future[list[str]] | None = None
    try:
        with ThreadPoolExecutor(max_workers=1, thread_name_prefix="amctl-close") as aside:
            table = aside.submit(
                grading.write,
                result.grading,
                files[0],
                force=True,
                lang=lang,
                tick=stopped,
                publish=publish,
            )
            try:
                done = record(result, replace=replace, reason=reason)
                recorded.set_result(done)
            finally:  # whatever ended the record (an interrupt too), the writer is told
                if not recorded.done():
                    recorded.set_exception(_Stopped())
            progress(said("pipeline.step_writing", path=workspace.relative(folder)))
            paid: list[str] = []
            try:
                if result.payroll is not None:
                    paid = payroll.write(result.payroll, files[1], force=True, lang=lang)
                    release()  # a table of a million rows freed, before the next one's peak
                report.write(result, files[-1], force=True, lang=lang)
            except Exception:
                failed = table.exception()  # the grading table's failure is said first
                if failed is not None:
                    raise failed from None
                raise
            notes = table.result() + paid
    finally:  # the writer done with (the executor waited for it): a record that failed, or
        # never began, leaves none of the folders made for it
        if not recorded.done() or recorded.exception() is not None:
            if table is not None:  # a second interrupt came while it stopped: a short wait
                with suppress(BaseException):
                    wait([table], timeout=10)
            for made_here in made:
                with suppress(OSError):
                    made_here.rmdir()
    release()
    return Closed(result, done, files, notes)


class _Stopped(Exception):
    """The period was not recorded: the table begun beside the record is not put in place."""


def _folder(folder: Path) -> list[Path]:
    """out/PERIOD/ made if it is not there; the folders made, the deepest first."""
    made, missing = [], folder
    while not missing.exists() and missing != missing.parent:
        made.append(missing)
        missing = missing.parent
    try:
        folder.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise OutputError(
            said("output.quarter_folder", folder=str(folder), reason=str(exc.strerror))
        ) from None
    return made
