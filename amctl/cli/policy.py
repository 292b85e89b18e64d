"""amctl policy …: check policy files, print the schema."""

from __future__ import annotations

import gc
import json
from collections.abc import Callable
from pathlib import Path
from typing import Annotated

import typer

from amctl.cli import render
from amctl.cli.boundary import bounded, guarded
from amctl.cli.boundary import lang as checked_lang
from amctl.cli.options import LangOpt, PerformanceOpt, QuarterOpt, RatingsOpt, WorkspaceOpt
from amctl.errors import EXIT_FINDINGS, EXIT_OK, Finding, Severity, UsageError
from amctl.messages import said

CHECK_EXAMPLE = "Example: amctl policy check --format github policies/"
FMT_EXAMPLE = "Example: amctl policy fmt --check policies/"
TEST_EXAMPLE = "Example: amctl policy test policies/"
DIFF_EXAMPLE = (
    "Example: amctl policy diff HEAD~1:policies/ct-group.yaml policies/ct-group.yaml "
    "--quarter 2024Q3 --format markdown"
)
MIGRATE_EXAMPLE = "Example: amctl policy migrate policies/old.yaml"
SCHEMA_EXAMPLE = "Example: amctl policy schema > policy.schema.json"


@guarded
@bounded
def check(
    paths: Annotated[list[Path], typer.Argument(help="Policy files or folders of them.")],
    *,
    output_format: Annotated[
        str,
        typer.Option(
            "--format",
            "-f",
            help="text (path:line:col: severity: message [rule]), json, github or sarif.",
        ),
    ] = "text",
) -> None:
    """Validate policy files: schema, sums, references, quotas, formulas, invariants, dates.

    Exit 0 when valid, 1 on findings, 2 on usage errors.
    """
    from amctl.export import findings as formats
    from amctl.policy.invariants import invariant_findings
    from amctl.policy.loader import inspect_policy
    from amctl.policy.versions import date_findings

    if output_format not in formats.FORMATS:
        raise UsageError(
            said("policy.format_choices", given=output_format, formats=list(formats.FORMATS))
        )
    files = _policy_paths(paths)
    problems: list[Finding] = []
    loaded = []
    for f in files:
        policy, found_here = inspect_policy(f)
        problems += found_here
        if policy is not None:
            loaded.append(policy)
            problems += invariant_findings(policy)
    problems += date_findings(loaded)
    errors = [p for p in problems if p.severity is Severity.ERROR]
    if output_format == "text":
        render.findings(problems, stream=render.out)
        warnings = len(problems) - len(errors)
        render.done(
            render.said("t.policies_checked").format(n=len(files))
            + (
                render.said("t.n_errors").format(n=len(errors))
                if errors
                else render.said("t.valid")
            )
            + (render.said("t.n_warnings").format(n=warnings) if warnings else "")
        )
    else:
        from amctl import __version__

        lang = render.language()
        if output_format == "json":
            render.raw(formats.as_json(problems, lang))
        elif output_format == "github":
            render.raw(formats.as_github(problems, lang))
        else:
            render.raw(formats.as_sarif(problems, __version__, lang))
    raise typer.Exit(EXIT_FINDINGS if errors else EXIT_OK)


@guarded
@bounded
def fmt(
    paths: Annotated[list[Path], typer.Argument(help="Policy files or folders of them.")],
    *,
    check: Annotated[
        bool, typer.Option("--check", help="Change nothing; exit 1 if a file would change.")
    ] = False,
) -> None:
    """Rewrite policy files in the canonical layout, keeping comments, order and Chinese text.

    With --check, list the files that would change and exit 1 if there are any.
    """
    from amctl.export.safe import atomic_write
    from amctl.policy.fmt import format_policy
    from amctl.policy.loader import read_policy_text

    changed = []
    for path in _policy_paths(paths):
        text = read_policy_text(path)
        formatted = format_policy(text, str(path))
        if formatted == text:
            continue
        changed.append(path)
        if check:
            render.done(render.said("t.policy_would_reformat").format(path=path))
        else:
            atomic_write(path.resolve(), _writer(formatted))  # through a symlink, to its file
            render.done(render.said("t.policy_reformatted").format(path=path))
    total = "t.policy_would_change" if check else "t.policy_changed"
    render.done(render.said(total).format(n=len(changed)))
    raise typer.Exit(EXIT_FINDINGS if check and changed else EXIT_OK)


def _writer(text: str) -> Callable[[Path], None]:
    def write(tmp: Path) -> None:
        tmp.write_text(text, encoding="utf-8", newline="")  # the line endings as they are

    return write


def _policy_paths(paths: list[Path]) -> list[Path]:
    from amctl.workspace.policies import policy_files

    files: list[Path] = []
    for path in paths:
        if not path.exists():
            raise UsageError(said("policy.no_such_path", path=str(path)))
        found = policy_files(path)
        if not found:
            raise UsageError(said("policy.no_yaml", path=str(path)))
        files += found
    if len(files) > 1:  # `bounded` is a file's bound: a folder of any size is collected
        gc.enable()
    return files


@guarded
def run_tests(
    paths: Annotated[
        list[Path] | None,
        typer.Argument(help="*.test.yaml files or folders of them (default: policies/)."),
    ] = None,
) -> None:
    """Run the policy's golden cases: given managers must get the stated tier and pay.

    Exit 0 when every case holds, 1 when one fails (a policy change moved it), 2 on usage.
    """
    from amctl.pipeline.cases import run_file
    from amctl.workspace.policies import test_files

    files: list[Path] = []
    for path in paths or [Path("policies")]:
        if not path.exists():
            raise UsageError(said("policy.no_such_path", path=str(path)))
        files += test_files(path)
    if not files:
        raise UsageError(said("policy.no_tests"))
    failed = total = 0
    for f in files:  # said in the language of the policy each file tests, read by run_file
        for outcome in run_file(f):
            total += 1
            said_as = {"file": outcome.file, "case": outcome.case}
            if outcome.failures:
                failed += 1
                render.done(render.said("t.policy_fail").format(**said_as))
                render.findings(outcome.failures, stream=render.out)
            else:
                render.done(render.said("t.policy_ok").format(**said_as))
    render.done(render.said("t.policy_tests").format(passed=total - failed, failed=failed))
    raise typer.Exit(EXIT_FINDINGS if failed else EXIT_OK)


@guarded
def diff(
    old: Annotated[str, typer.Argument(help="The old policy: a path or a git revision REV:PATH.")],
    new: Annotated[str, typer.Argument(help="The new policy: a path or a git revision REV:PATH.")],
    *,
    quarter: QuarterOpt = None,
    workspace: WorkspaceOpt = None,
    roster: Annotated[
        Path | None,
        typer.Option("--roster", help="Roster for the impact, instead of data/QUARTER/."),
    ] = None,
    performance: PerformanceOpt = None,
    ratings: RatingsOpt = None,
    output_format: Annotated[
        str, typer.Option("--format", "-f", help="text, markdown (for a pull request) or json.")
    ] = "text",
    min_group: Annotated[
        int, typer.Option("--min-group", help="Markdown hides groups smaller than this.", min=1)
    ] = 5,
    set_exit_code: Annotated[
        bool, typer.Option("--set-exit-code", help="Exit 1 when anything changed, 0 when not.")
    ] = False,
    lang_code: LangOpt = None,
) -> None:
    """What changed between two policies, in their own terms, and what it does to people.

    With --quarter (or --roster) it grades and pays the quarter under both and reports who
    changes tier, each manager's pay change and totals by org unit and tier.
    """
    from amctl import period as periods
    from amctl.export import diff as formats
    from amctl.pipeline.impact import impact as measure
    from amctl.policy.diff import load_revision, semantic_diff
    from amctl.workspace.layout import Workspace

    if output_format not in formats.FORMATS:
        raise UsageError(
            said("policy.format_choices", given=output_format, formats=list(formats.FORMATS))
        )
    render.chosen["lang"] = checked_lang(lang_code)
    before, after = load_revision(old), load_revision(new)
    code = render.speaking(after.policy)  # --lang, AMCTL_LANG, else the new policy's
    changes = semantic_diff(before.policy, after.policy)
    effect = None
    label = ""
    if quarter is not None or roster is not None:
        if quarter is None:
            raise UsageError(said("policy.roster_needs_quarter"))
        chosen = periods.parse(quarter)
        label = chosen.label
        ws = Workspace.at(workspace, roster)
        effect = measure(
            before, after, ws, chosen, roster=roster, performance=performance, ratings=ratings
        )
    if output_format == "json":
        render.raw(formats.as_json(before, after, changes, effect, label, code))
    elif output_format == "markdown":
        render.raw(formats.as_markdown(before, after, changes, effect, label, min_group, code))
    else:
        render.raw(formats.as_text(before, after, changes, effect, label, code))
    moved = effect is not None and effect.changed
    raise typer.Exit(EXIT_FINDINGS if set_exit_code and (changes or moved) else EXIT_OK)


@guarded
@bounded
def migrate(
    paths: Annotated[list[Path], typer.Argument(help="Policy files or folders of them.")],
    *,
    check: Annotated[
        bool, typer.Option("--check", help="Change nothing; exit 1 if a file needs upgrading.")
    ] = False,
) -> None:
    """Upgrade policy files written for an older apiVersion, in place, keeping comments.

    Prints each upgrade as a unified diff, for review, and what each step did.
    """
    import difflib

    from amctl.export.safe import atomic_write
    from amctl.policy.loader import read_policy_text
    from amctl.policy.migrate import migrate_text

    pending = 0
    for path in _policy_paths(paths):
        text = read_policy_text(path)
        upgraded, notes = migrate_text(text, str(path))
        if not notes:
            continue
        pending += 1
        diff = difflib.unified_diff(
            text.splitlines(keepends=True),
            upgraded.splitlines(keepends=True),
            render.said("t.policy_before").format(path=path),
            render.said("t.policy_after").format(path=path),
        )
        render.raw("".join(diff))
        for note in notes:
            render.done(f"  {render.message(note)}")
        if not check:
            atomic_write(path.resolve(), _writer(upgraded))
            render.done(render.said("t.policy_upgraded").format(path=path))
    total = "t.policy_need_upgrading" if check else "t.policy_n_upgraded"
    render.done(render.said(total).format(n=pending))
    raise typer.Exit(EXIT_FINDINGS if check and pending else EXIT_OK)


@guarded
@bounded
def schema() -> None:
    """Print the policy's JSON Schema (for editor completion and validation)."""
    from amctl.policy.models import Policy

    doc = Policy.model_json_schema(by_alias=True)
    doc["$schema"] = "https://json-schema.org/draft/2020-12/schema"
    doc["title"] = "amctl policy (apiVersion amctl/v1)"
    print(json.dumps(doc, ensure_ascii=False, indent=2, sort_keys=True))
