"""Every option that more than one command takes, declared once."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Annotated

import typer

PolicyOpt = Annotated[
    Path | None,
    typer.Option(
        "--policy",
        "-p",
        help="Policy file. Default: the workspace's policies/ folder, else the bundled ct-group.",
        dir_okay=False,
    ),
]
QuarterOpt = Annotated[
    str | None,
    typer.Option(
        "--period",
        "--quarter",
        "--month",
        "-q",
        help="The period: a quarter 2024Q3, a month 2024-08, a half 2024H2 or a year 2024; "
        "years in post count to its last day.",
    ),
]
AsOfOpt = Annotated[
    dt.datetime | None,
    typer.Option(
        "--as-of",
        help="Count years in post up to this date instead of a quarter end.",
        formats=["%Y-%m-%d"],
    ),
]
WorkspaceOpt = Annotated[
    Path | None,
    typer.Option(
        "--workspace",
        "-w",
        help="Workspace folder (holds policies/, data/QUARTER/, overrides/, out/ and the "
        "ledger). Default: found from the roster or the current folder.",
        file_okay=False,
    ),
]
OutputOpt = Annotated[
    Path | None,
    typer.Option(
        "--output",
        "-o",
        help="Write the result; the format follows the suffix (.xlsx .csv .parquet .json; grade "
        "also .png, report .html). For hundreds of thousands of rows, .csv or .parquet.",
        dir_okay=False,
    ),
]
RosterArg = Annotated[
    Path | None,
    typer.Argument(
        help="Roster workbook; default: data/QUARTER/roster.xlsx in the workspace.",
        dir_okay=False,
    ),
]
PerformanceOpt = Annotated[
    Path | None,
    typer.Option("--performance", help="Performance table, if not in the roster workbook."),
]
RatingsOpt = Annotated[
    Path | None,
    typer.Option("--ratings", help="Ability ratings, if not in the roster workbook."),
]
LangOpt = Annotated[
    str | None,
    typer.Option("--lang", help="zh or en: headers of xlsx and reports (default: the policy's)."),
]
ForceOpt = Annotated[bool, typer.Option("--force", help="Replace an existing output file.")]
RecordOpt = Annotated[
    bool, typer.Option("--record", help="Record this quarter in the workspace's ledger.")
]
ReplaceOpt = Annotated[
    bool, typer.Option("--replace", help="Replace an already recorded quarter (needs --reason).")
]
ReasonOpt = Annotated[
    str | None,
    typer.Option("--reason", help="Why a recorded quarter is replaced (kept in the audit)."),
]
