"""Options shared by several commands, declared once."""

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
        "--quarter", "-q", help="Period, e.g. 2024Q3; years in post count to its last day."
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
OutputOpt = Annotated[
    Path | None,
    typer.Option(
        "--output",
        "-o",
        help="Write the result; the format follows the suffix: .xlsx .csv .json.",
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
