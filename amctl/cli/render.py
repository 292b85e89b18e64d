"""Everything amctl prints goes through here: rich tables on a terminal, plain text in pipes."""

from __future__ import annotations

import math
import os
import sys
from collections.abc import Callable, Iterable, Iterator, Sequence
from contextlib import contextmanager
from decimal import Decimal
from typing import TYPE_CHECKING, Any, cast

from amctl.errors import Finding, Severity

if TYPE_CHECKING:
    from rich.console import Console
    from rich.table import Table
    from rich.text import Text

    from amctl.export.closing import Closed
    from amctl.ledger.store import AuditEntry, Recorded
    from amctl.pipeline.explain import History, RecordedQuarter
    from amctl.pipeline.grade import GradeResult
    from amctl.pipeline.roster import RosterCheck
    from amctl.pipeline.run import QuarterRun


def _console(stderr: bool = False) -> Console:
    from rich.console import Console

    probe = Console(stderr=stderr)
    # wide tables stay readable in a log file; COLUMNS says otherwise, as for any program
    width = None if probe.is_terminal or os.environ.get("COLUMNS") else 160
    return Console(stderr=stderr, highlight=False, width=width)


class _Lazy:
    """A console made on first use: importing rich costs start-up time `--help` need not pay."""

    def __init__(self, stderr: bool) -> None:
        self._stderr = stderr
        self._console: Console | None = None

    def __getattr__(self, name: str) -> Any:
        return getattr(self.console(), name)

    def console(self) -> Console:
        """The console itself, for what must hold it (a progress bar enters it as a context)."""
        if self._console is None:
            self._console = _console(self._stderr)
        return self._console


out = cast("Console", _Lazy(stderr=False))
err = cast("Console", _Lazy(stderr=True))


def _text(*args: Any, **kwargs: Any) -> Text:
    from rich.text import Text

    return Text(*args, **kwargs)


def _table(*args: Any, **kwargs: Any) -> Table:
    from rich.table import Table

    return Table(*args, **kwargs)


quiet = {"on": False}  # --quiet: no tables, no progress; errors and the last line still print
wide = {"on": False}  # --wide: every column at its full width, however narrow the terminal
chosen: dict[str, str | None] = {"lang": None}  # --lang; else the policy's language


def begin(*, quiet_on: bool = False, wide_on: bool = False) -> None:
    """A command starts: its options, and no language left from a command run before it in
    the same process (a test, a notebook)."""
    quiet["on"], wide["on"] = quiet_on, wide_on
    from amctl.policy.spoken import READ

    chosen["lang"] = None
    _speaking.update(lang=None, policy=None)
    READ.update(language=None, policy=None)


def _speaker(policy: Any) -> tuple[str, Callable[[str], str]]:
    """The language tables are worded in, and its words (the label layer's)."""
    from amctl.labels import wording

    code = chosen["lang"] or _environment() or policy.metadata.language
    _speaking["lang"], _speaking["policy"] = code, policy
    return code, wording(code)


def speaking(policy: Any) -> str:
    """The language a run's output is worded in: --lang, AMCTL_LANG, else the policy's."""
    return _speaker(policy)[0]


def language() -> str:
    """The language messages are said in: --lang, else AMCTL_LANG, else the policy's once one
    is read, else Chinese (a finding may come before any policy is read)."""
    from amctl.policy.spoken import READ

    return chosen["lang"] or _environment() or _speaking["lang"] or READ["language"] or "zh"


def _environment() -> str | None:
    """AMCTL_LANG, when it names a language amctl speaks (zh, en); else it is not there."""
    code = os.environ.get("AMCTL_LANG", "").strip().lower()
    return code if code in ("zh", "en") else None


def message(item: Any) -> str:
    """A finding, an error or a message (a Said) in the language of the run, naming columns
    as the policy does."""
    from amctl.labels import field_word
    from amctl.messages import say
    from amctl.policy.spoken import READ

    word = field_word(_speaking["policy"] or READ["policy"])
    if hasattr(item, "worded"):
        return str(item.worded(language(), word))
    return say(item, language(), word)


KEEP = 0  # a column never left out or cut: ids, names, tiers, money


def _origin(how: str, code: str) -> str:
    """How the period was chosen (period.py says it in English), in the table's language."""
    if code != "zh":
        return how
    if how.startswith("the path "):
        return f"路径 {how.removeprefix('the path ')}"
    return {
        "the date given": "给定日期",
        "today (pass --period for a repeatable run)": "今天（用 --period 可重复运行）",
    }.get(how, how)


def said(key: str) -> str:
    """A terminal word in the language of the last table worded (English before any)."""
    from amctl.labels import wording

    return wording(language())(key)


_speaking: dict[str, Any] = {"lang": None, "policy": None}


def fitted(
    title: str,
    columns: Sequence[tuple[str, str, int]],
    rows: Sequence[Sequence[Any]],
    *,
    caption: str | None = None,
    styles: Sequence[str | None] = (),
) -> Table:
    """A table as wide as the terminal: the columns of highest `priority` number are left
    out until it fits, and the caption says which; the KEEP columns are never cut or
    wrapped (an id, a name, a tier or an amount read in part is read wrong)."""
    from rich.cells import cell_len

    def length(cell: Any) -> int:  # a str, or a rich Text with a style
        return cell_len(getattr(cell, "plain", cell))

    natural = [
        max([cell_len(t), *(length(r[i]) for r in rows)]) for i, (t, _, _) in enumerate(columns)
    ]
    shown = list(range(len(columns)))
    room = out.width

    def needed(keep: list[int]) -> int:
        return sum(natural[i] + 3 for i in keep) + 1  # a space each side and a border

    if not wide["on"]:
        droppable = sorted(
            (i for i, c in enumerate(columns) if c[2] != KEEP), key=lambda i: (-columns[i][2], -i)
        )
        for i in droppable:
            if needed(shown) <= room:
                break
            shown.remove(i)
    left_out = [columns[i][0] for i in range(len(columns)) if i not in shown]
    notes = [caption] if caption else []
    if left_out:
        notes.append(said("t.left_out").format(room=room, columns=", ".join(left_out)))
    table = _table(
        title=title,
        title_justify="left",
        caption=("；" if language() == "zh" else "; ").join(notes) or None,
        min_width=needed(shown) if wide["on"] else None,  # printed by table() at that width
    )
    for i in shown:
        name, justify, priority = columns[i]
        keep = priority == KEEP or wide["on"]
        table.add_column(
            name,
            justify=justify,  # type: ignore[arg-type]
            no_wrap=keep,
            min_width=natural[i] if keep else None,
            overflow="fold",
        )
    for n, row in enumerate(rows):
        table.add_row(*(row[i] for i in shown), style=styles[n] if n < len(styles) else None)
    return table


def _print_table(made: Table) -> None:
    """Print a table; with --wide, at its full width even past the terminal's edge."""
    out.print(made, width=max(out.width, made.min_width or 0), crop=False)


MAX_SHOWN = 30  # findings printed on the terminal; -o writes every one

STYLE = {Severity.ERROR: "bold red", Severity.WARNING: "yellow", Severity.NOTE: "cyan"}


def error(message: str) -> None:
    err.print(_text(said("t.error"), style="bold red") + _text(message), soft_wrap=True)


def findings(items: Iterable[Finding], *, summary: str = "", stream: Console | None = None) -> None:
    """Compiler-style lines: path:line:col: severity: message [RULE]."""
    from amctl.labels import valued

    console = stream or err
    for f in items:
        line = _text(f"{f.location}: ")
        line.append(f"{valued('severity', f.severity.value, language())}:", style=STYLE[f.severity])
        line.append(f" {message(f)} [{f.rule}]")
        console.print(line, soft_wrap=True)
    if summary:
        console.print(_text(summary, style="bold"), soft_wrap=True)


def _num(value: Any, digits: int = 2) -> str:
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return "—"
    return f"{value:.{digits}f}"


def source(run: QuarterRun) -> None:
    """What the run is: computed now, or the ledger's record (and what changed since)."""
    _speaker(run.policy.policy)
    for item in run.notes:
        note(message(item))
    if run.drift:
        line = _text(said("t.changed"), style="bold yellow")
        sep = "；" if language() == "zh" else "; "
        line.append(sep.join(message(x) for x in run.drift.lines()))
        err.print(line, soft_wrap=True)


def grading(run: QuarterRun, *, rows: int = 200) -> None:
    result = run.grading
    if quiet["on"]:
        _grading_summary(result)
        return
    source(run)
    from amctl.labels import field_word, moved, names, shown

    policy = result.policy.policy
    code, word = _speaker(policy)
    p = policy.metadata
    out.print(
        word("t.head").format(
            command="grade",
            name=p.name,
            version=p.version,
            path=result.policy.path,
            period=result.period.label,
            end=result.period.end,
            origin=_origin(result.period.inferred_from, code),
        ),
        soft_wrap=True,
        markup=False,
    )
    columns = [
        (word("t.id"), "left", KEEP),
        (word("t.name"), "left", KEEP),
        (word("t.unit"), "left", 4),
        (word("t.years"), "right", 8),
        (word("t.ability"), "right", 6),
        (word("t.performance"), "right", 6),
        (word("t.composite"), "right", 1),
        (word("t.rank"), "right", 3),
        (word("t.cell"), "left", 7),
        (word("t.tier"), "left", KEEP),
        (word("t.was"), "left", 5),
        (word("t.move"), "left", 2),
    ]
    m = result.managers
    called, show = names(policy, code), shown(policy, code)
    caption = None
    if len(m) > rows:
        caption = word("t.first").format(rows=rows, n=len(m))
        m = m.iloc[:rows]
    cells = [
        [
            str(eid),
            str(row["name"]),
            str(row["org_unit"]),
            str(row["years_in_post"]),
            _num(row["ability"]),
            _num(row["performance"]),
            _num(row["composite"]),
            _int(row["rank"]),
            "—" if row["level"] == "trainee" else f"{row['cell']}",
            called.tier(row["tier"]),
            called.tier(row["previous_tier"]) if isinstance(row["previous_tier"], str) else "—",
            str(show("movement", moved(row["previous_tier"], row["tier"], row["movement"]))),
        ]
        for eid, row in m.iterrows()
    ]
    shown_table = fitted(
        word("t.graded").format(n=len(result.managers)), columns, cells, caption=caption
    )
    _print_table(shown_table)
    quota(result)
    if result.blocked:
        heading = word("t.blocked").format(n=len(result.blocked))
        out.print(_text(heading, style="bold yellow"))
        for b in result.blocked:
            out.print(f"  {b.where}  {b.employee_id or '—'} {b.name or ''}", soft_wrap=True)
            # each reason's own cell, without repeating the file name shown above
            for reason in b.said(language(), field_word(result.policy.policy), place=False):
                out.print(f"    {reason}", soft_wrap=True)
    loose_findings(result)
    _grading_summary(result)


def loose_findings(result: GradeResult) -> None:
    """Findings, except the errors of rows already listed as not graded."""
    listed = {b.employee_id for b in result.blocked}
    shown = [
        f for f in result.findings if f.severity is not Severity.ERROR or f.row_id not in listed
    ]
    findings(shown[:MAX_SHOWN], stream=out)
    if len(shown) > MAX_SHOWN:
        out.print(said("t.more_findings").format(n=len(shown) - MAX_SHOWN))


def _grading_summary(result: GradeResult) -> None:
    _, word = _speaker(result.policy.policy)
    line = word("t.summary").format(
        rows=result.roster_rows, graded=len(result.managers), blocked=len(result.blocked)
    )
    out.print(line, soft_wrap=True, markup=False)


def _int(value: Any) -> str:
    try:
        return str(int(value))
    except (TypeError, ValueError):  # None, NaN and pandas' NA all mean "no rank"
        return "—"


def quota(result: GradeResult) -> None:
    from amctl.labels import names

    code, word = _speaker(result.policy.policy)
    called = names(result.policy.policy, code)
    zh = code == "zh"  # the label is the level's name: one column, not two
    columns = [
        (word("t.level"), "left", KEEP),
        (word("t.label"), "left", 3),
        (word("t.cap"), "left", 2),
        (word("t.seats"), "right", 2),
        (word("t.placed"), "right", KEEP),
        (word("t.share"), "right", 1),
        (word("t.status"), "left", KEEP),
        (word("t.boundary"), "left", 4),
    ]
    bounds = {b.level: b for b in result.boundaries}
    rows: list[list[Any]] = []
    for q in result.quota:
        b = bounds.get(q.level)
        edge = ""
        if b is not None and b.last_in:
            edge = word("t.last_in").format(id=b.last_in, score=_num(b.last_in_composite))
            if b.first_out:
                out_of = word("t.first_out").format(
                    id=b.first_out, score=_num(b.first_out_composite)
                )
                edge += ("，" if zh else ", ") + out_of
        status = _text(word("t.ok"), style="green")
        if q.over and q.count > q.ranked:
            status = _text(word("t.over_rules").format(n=q.over), style="bold red")
        elif q.over:
            status = _text(word("t.over").format(n=q.over), style="yellow")
        elif q.count < q.floor_seats:
            status = _text(word("t.under").format(n=q.floor_seats), style="yellow")
        rows.append(
            [
                called.level(q.level),
                q.label,
                f"≤ {q.cap_pct:g}%",
                str(q.seats),
                str(q.count),
                f"{q.share:.1f}%",
                status,
                edge,
            ]
        )
    trainees = int((result.managers["level"] == "trainee").sum())
    if trainees:
        label = result.policy.policy.trainee.label
        rows.append(
            [
                called.level("trainee"),
                label,
                "—",
                "—",
                str(trainees),
                "",
                _text(word("t.not_ranked")),
                "",
            ]
        )
    if zh:
        columns, rows = columns[:1] + columns[2:], [r[:1] + r[2:] for r in rows]
    base = result.quota[0].base if result.quota else 0
    _print_table(fitted(word("t.quotas").format(n=base), columns, rows))
    for item in result.current_quota:
        line = _text(said("t.current_tiers"), style="bold")
        line.append(said("t.warning"), style="yellow")
        line.append(message(item))
        out.print(line, soft_wrap=True)


@contextmanager
def step(first: Any) -> Iterator[Callable[[Any], None]]:
    """A spinner naming the step on a terminal; nothing in pipes, logs or with --quiet.
    Yields a function that renames the step (a message, as data) as the work moves on."""
    if quiet["on"] or not err.is_terminal:
        yield lambda text: None
        return
    with err.status(message(first)) as status:
        yield lambda text: status.update(message(text))


@contextmanager
def counting(what: Any) -> Iterator[Callable[[int, int], None]]:
    """A bar with the count (12,000/100,080 rows) for a step that takes a while, such as
    writing a large workbook; nothing in pipes, logs or with --quiet. Yields tick(done, total)."""
    if quiet["on"] or not err.is_terminal:
        yield lambda done, total: None
        return
    title = message(what)
    from rich.progress import BarColumn, MofNCompleteColumn, Progress, TimeElapsedColumn

    columns = (title, BarColumn(), MofNCompleteColumn(), TimeElapsedColumn())
    real = err.console() if isinstance(err, _Lazy) else err
    with Progress(*columns, console=real, transient=True) as bar:
        task = bar.add_task(title, total=None)
        yield lambda done, total: bar.update(task, completed=done, total=total)


def raw(text: str) -> None:
    """Machine-readable output (json, sarif, annotations): no styling, no wrapping."""
    sys.stdout.write(text)
    sys.stdout.flush()


def note(message: str) -> None:
    if not quiet["on"]:
        out.print(_text(said("t.note"), style="cyan") + _text(message), soft_wrap=True)


def differences(run: QuarterRun) -> None:
    """A recorded quarter run again gives another result: who would be graded or paid
    otherwise (back pay), only for what this run computed."""
    from amctl.labels import names

    _speaker(run.grading.policy.policy)
    diffs = run.differences or []
    rec = run.recorded
    paid = run.payroll is not None
    title = said("t.diff_title").format(period=run.period.label, run=rec.id if rec else "?")
    table = _table(title=title + (said("t.diff_back_pay") if paid else ""), title_justify="left")
    columns = [said("t.id"), said("t.name"), said("t.recorded_tier"), said("t.now")]
    if paid:
        columns += [said("t.recorded_pay"), said("t.now"), said("t.back_pay")]
    for name in columns:
        table.add_column(name)
    called = names(run.grading.policy.policy, language())
    total = Decimal(0)
    for d in diffs:
        cells = [
            d.employee_id,
            d.name,
            called.tier(d.old_tier) if d.old_tier else "—",
            called.tier(d.new_tier) if d.new_tier else "—",
        ]
        if paid:
            owed = d.back_pay
            total += owed or 0
            cells += [
                _money(d.old_total) if d.old_total is not None else "—",
                _money(d.new_total) if d.new_total is not None else "—",
                f"{owed:+,.2f}" if owed is not None else "—",
            ]
        table.add_row(*cells)
    if not quiet["on"]:
        out.print(table)
    summary = said("t.differ").format(n=len(diffs))
    end = said("t.differ_pay").format(total=f"{total:+,.2f}") if paid else said("t.stop")
    out.print(summary + end, soft_wrap=True)


def recorded(label: str, done: Recorded) -> None:
    action = said(f"t.{done.action}")
    out.print(
        said("t.recorded_line").format(period=label, action=action, run=done.run_id),
        soft_wrap=True,
    )
    if done.later:
        warn = _text(said("t.note"), style="cyan")
        sep = "、" if language() == "zh" else ", "
        key = "t.later" if done.action == "replaced" else "t.later_new"
        warn.append(said(key).format(periods=sep.join(done.later)))
        out.print(warn, soft_wrap=True)


def closed(result: Closed) -> None:
    run = result.run
    if run.payroll is not None:
        payroll(run, command="close")
    elif not quiet["on"]:  # a review the policy pays at another period: its findings still
        source(run)
        loose_findings(run.grading)
    if not quiet["on"]:
        quota(run.grading)
    recorded(run.period.label, result.recorded)
    if run.grading.blocked:
        warn = _text(said("t.note"), style="cyan")
        warn.append(said("t.closed_blocked").format(n=len(run.grading.blocked)))
        out.print(warn, soft_wrap=True)
    for path in result.files:
        out.print(said("t.wrote").format(path=path), soft_wrap=True)
    for item in result.notes:
        warning(message(item))


def roster_check(checked: RosterCheck) -> None:
    from amctl.labels import ENGLISH, names, valued

    if checked.policy is not None:
        _speaker(checked.policy)
    at = 0 if language() == "zh" else 1
    called = names(checked.policy, language()) if checked.policy is not None else ENGLISH

    def table_name(key: str) -> str:
        return valued("table", key, language())

    table = _table(title=said("t.read_from"), title_justify="left")
    for title in ("t.table", "t.sheet", "t.row", "t.field", "t.column", "t.header"):
        table.add_column(said(title))
    for layout in checked.layouts:
        where = f"{layout.source.path.name}" + (
            f"#{layout.source.sheet}" if layout.source.sheet else ""
        )
        if layout.header_row is None:
            table.add_row(
                table_name(layout.table),
                _text(where),
                "",
                "",
                "",
                _text(message(layout.said or layout.problem or "")),
            )
            continue
        for n, (field, letter, header) in enumerate(layout.fields):
            first = n == 0
            table.add_row(
                table_name(layout.table) if first else "",
                _text(where) if first else "",
                str(layout.header_row) if first else "",
                field,
                letter,
                _text(header),
            )
        if layout.ignored:
            shown = ", ".join(f"{letter} {header}" for letter, header in layout.ignored)
            table.add_row("", "", "", said("t.not_read"), "", _text(shown), style="dim")
    out.print(table)
    findings(checked.findings, stream=out)
    summary = ("，" if at == 0 else ", ").join(
        f"{called.level(k)} {n}" for k, n in checked.counts.items()
    )
    done(said("t.roster_checked").format(rows=checked.rows, counts=summary, n=len(checked.errors)))


def ledger_runs(quarters: Sequence[RecordedQuarter]) -> None:
    if not quarters:
        out.print(said("t.no_quarter"), soft_wrap=True)
        return
    table = _table(title=said("t.recorded_quarters"), title_justify="left")
    for title in ("t.quarter", "t.run", "t.recorded_at", "t.policy", "t.managers", "t.pay_total"):
        table.add_column(said(title))
    for q in quarters:
        total = _money(q.total) if q.total is not None else said("t.grading_only")
        table.add_row(q.quarter, str(q.run_id), q.recorded_at, q.policy, str(q.managers), total)
    out.print(table)


def audit(entries: Sequence[AuditEntry]) -> None:
    if not entries:
        out.print(said("t.audit_empty"), soft_wrap=True)
        return
    table = _table(title=said("t.audit"), title_justify="left")
    for title in (
        "t.at",
        "t.quarter",
        "t.action",
        "t.run",
        "t.replaced_run",
        "t.policy",
        "t.reason",
    ):
        table.add_column(said(title))
    from amctl.labels import valued

    code = language()
    for e in entries:
        table.add_row(
            e.at,
            e.quarter,
            valued("audit_action", e.action, code),
            str(e.run_id or "—"),
            str(e.replaced_run or "—"),
            e.policy or "—",
            _text(valued("audit_reason", e.reason, code) if e.reason else ""),
        )
    out.print(table)


def history(recorded: History, policy: Any = None) -> None:
    """A manager's recorded quarters; tiers by the policy's labels when it is given."""
    from amctl.labels import ENGLISH, moved, names, valued

    if policy is not None:
        _speaker(policy)
    code = language()
    called = names(policy, code) if policy is not None else ENGLISH
    rows = recorded.rows
    first = rows[0]
    columns = [
        (said("t.quarter"), "left", KEEP),
        (said("t.unit"), "left", 3),
        (said("t.tier"), "left", KEEP),
        (said("t.ranked"), "left", 4),
        (said("t.ability"), "right", 5),
        (said("t.performance"), "right", 5),
        (said("t.composite"), "right", 2),
        (said("t.pay"), "right", KEEP),
        (said("t.move"), "left", 1),
        (said("t.set_by"), "left", 3),
    ]

    def set_in(period: str | None) -> str:
        return said("t.roster_tier") if period == "roster" else period or "—"

    cells: list[list[str]] = []
    previous = None
    for r in rows:
        if r.movement is not None:  # as the run defined it when it was recorded
            move = valued("movement", moved(r.previous_tier, r.tier, r.movement), code)
            if r.previous_tier:
                move = said("t.move_from").format(move=move, tier=called.tier(r.previous_tier))
        elif previous is None:
            move = valued("movement", "new", code)
        elif previous == r.tier:
            move = valued("movement", "same", code)
        else:
            move = said("t.from").format(tier=called.tier(previous))
        cells.append(
            [
                r.quarter,
                r.org_unit,
                called.tier(r.tier),
                called.level(r.computed_level) if r.computed_level else "—",
                _num(r.ability),
                _num(r.performance),
                _num(r.composite),
                _money(Decimal(r.total)) if r.total else "—",
                move,
                f"{set_in(r.level_set or r.quarter)} / {set_in(r.band_set or r.quarter)}",
            ]
        )
        previous = r.tier
    _print_table(fitted(f"{first.employee_id} {first.name}", columns, cells))
    last = rows[-1]
    if last.level_set is not None:  # recorded by an amctl that keeps who set the tier
        out.print(
            said("t.in_force").format(
                tier=called.tier(last.tier),
                level_set=set_in(last.level_set),
                band_set=set_in(last.band_set),
            ),
            soft_wrap=True,
        )
    for quarter, lines in recorded.changed.items():
        line = _text(said("t.changed_since").format(period=quarter), style="bold yellow")
        line.append(("；" if code == "zh" else "; ").join(message(x) for x in lines))
        out.print(line, soft_wrap=True)


def _g(value: float | None) -> str:
    return "—" if value is None or value != value else f"{value:g}"


def _two(value: float | None) -> str:
    return "—" if value is None or value != value else f"{value:.2f}"


def explanation(doc: dict[str, Any], policy: Any = None, changed: Sequence[Any] = ()) -> None:
    """One result taken apart, in the run's language: tiers, reasons and pay lines by their
    labels, each pay line worked with its values."""
    from amctl.labels import AXES, ENGLISH, names, says, worked_line

    if policy is not None:
        _speaker(policy)
    code = language()
    zh = code == "zh"
    called = names(policy, code) if policy is not None else ENGLISH
    sep = "；" if zh else "; "
    recorded_as = (
        said("t.recorded_as").format(run=doc["recorded_run"])
        if doc["source"] == "recorded"
        else said("t.computed")
    )
    named = said("t.policy_named").format(
        name=doc["policy"]["name"], version=doc["policy"]["version"]
    )
    out.print(
        _text(f"{doc['employee_id']} {doc['name']}", style="bold")
        + _text(f" · {doc['org_unit']} · {doc['quarter']} · {named} · {recorded_as}"),
        soft_wrap=True,
    )
    if changed or doc["changed_since"]:
        line = _text(said("t.changed"), style="bold yellow")
        line.append(sep.join([message(x) for x in changed] or doc["changed_since"]))
        out.print(line, soft_wrap=True)
    for dim in ("ability", "performance"):
        part = doc[dim]
        title = said("t.dimension").format(
            dim=AXES[dim][0 if zh else 1], score=_two(part["score"]), weight=f"{part['weight']:g}"
        )
        table = _table(title=title, title_justify="left")
        for key in ("t.indicator", "t.raw", "t.score", "t.weight", "t.points"):
            table.add_column(said(key))
        for ind in part["indicators"]:
            if dim == "ability":  # each rater's score with the weight it carried
                weights = ind.get("rater_weights", {})
                raters = policy.ability.raters if policy is not None and zh else {}
                raw = ("，" if zh else ", ").join(
                    f"{raters[k].label if k in raters else k} {v:g}"
                    + (f" ×{weights[k]:g}%" if k in weights else "")
                    for k, v in ind["ratings"].items()
                )
            else:
                raw = _g(ind["value"]) + (
                    said("t.target").format(target=_g(ind["target"])) if ind.get("target") else ""
                )
            points = ind["score"] * ind["weight"] / 100 if ind["score"] is not None else None
            table.add_row(
                _text(ind["label"]), raw, _num(ind["score"]), f"{ind['weight']:g}", _num(points)
            )
        out.print(table)
    grid = doc["grid"]
    bands = {k: grid[k] for k in ("ability", "performance")}
    if zh:
        from amctl.labels import valued

        bands = {k: valued("band3", v, code) if v else v for k, v in bands.items()}
    cell = f"{grid['cell']}: {grid['action']}" if grid["cell"] else said("t.no_cell")
    out.print(
        _text(
            said("t.grid_line").format(
                composite=_two(doc["composite"]),
                ability=bands["ability"] or "—",
                performance=bands["performance"] or "—",
                cell=cell,
            )
        ),
        soft_wrap=True,
    )
    tier = doc["tier"]
    out.print(
        _text(
            said("t.tier_line").format(
                tier=called.tier(tier["tier"]),
                level=called.level(tier["computed_level"]) if tier["computed_level"] else "—",
            ),
            style="bold",
        ),
        soft_wrap=True,
    )
    reasons = tier.get("reason_codes") or []
    lines = [says([r], code, called) for r in reasons] if reasons else tier["reasons"]
    for reason in lines:
        out.print(_text(f"  · {reason}"), soft_wrap=True)
    if doc.get("training"):
        out.print(_text(said("t.training").format(training=doc["training"])), soft_wrap=True)
    if doc["pay"]:
        pay = doc["pay"]
        title = said("t.pay_title").format(tier=called.tier(pay["pay_tier"]), days=pay["days"])
        table = _table(title=title, title_justify="left")
        for key in ("t.component", "t.worked", "t.amount"):
            table.add_column(said(key), no_wrap=key != "t.worked")
        for c in pay["components"]:
            per = said(f"t.per_{c['per']}") if c.get("per") else ""
            steps = _text(c.get("filled") or c["formula"])
            worked = worked_line(c, pay["period_days"], code)
            steps.append(f"\n= {c.get('value', '')} {per}{sep}{worked}", style="dim")
            table.add_row(_text(c["label"] or c["name"]), steps, _money(Decimal(c["amount"])))
        table.add_row(said("t.total"), "", _money(Decimal(pay["total"])), style="bold")
        out.print(table)


def warning(message: str) -> None:
    err.print(_text(said("t.warning"), style="yellow") + _text(message), soft_wrap=True)


def written(path: object, notes: Sequence[str]) -> None:
    """An output written, and what the user must know about it."""
    done(said("t.wrote").format(path=path))
    for message in notes:
        warning(message)


def done(message: str) -> None:
    """A last line, printed as written: rich would read [draft] in a path as markup and
    :name: as an emoji, and loading it is most of what a valid `policy check` prints with."""
    sys.stdout.write(message + "\n")
    sys.stdout.flush()


def _money(value: Any) -> str:
    return f"{value:,.2f}"


def payroll(run: QuarterRun, command: str = "payroll") -> None:
    if run.payroll is None:
        return
    result = run.payroll
    _, word = _speaker(result.policy.policy)
    if quiet["on"]:
        paid = word("t.paid").format(n=result.paid, total=_money(result.grand_total), currency="")
        out.print(paid, markup=False)
        return
    source(run)
    meta = result.policy.policy.metadata
    pay = result.policy.policy.pay
    currency = pay.currency if pay else ""
    head = word("t.pay_head").format(
        command=command,
        name=meta.name,
        version=meta.version,
        path=result.policy.path,
        period=result.period.label,
        start=result.period.start,
        end=result.period.end,
        currency=currency,
    )
    out.print(head, soft_wrap=True, markup=False)
    from amctl.labels import shown, titles

    code, _ = _speaker(result.policy.policy)
    show, title = shown(result.policy.policy, code), titles(result.policy.policy, code)
    for by, heading in ((["tier"], word("t.pay_by_tier")), (["org_unit"], word("t.pay_by_unit"))):
        frame = result.summary(by)
        columns = [
            (word("t.tier") if by[0] == "tier" else word("t.unit"), "left", KEEP),
            (word("t.managers"), "right", KEEP),
            *((title(name), "right", 1) for name in result.components),
            (word("t.total"), "right", KEEP),
        ]
        cells = [
            [str(show(by[0], values[0])), str(values[1]), *(_money(v) for v in values[2:])]
            for values in (list(rec) for rec in frame.itertuples(index=False))
        ]
        sums = [_money(v) for v in result.totals().values()]
        cells.append([word("t.all"), str(result.paid), *sums])
        styles = [None] * (len(cells) - 1) + ["bold"]
        _print_table(fitted(heading, columns, cells, styles=styles))
    loose_findings(result.grading)
    if result.blocked:
        out.print(
            _text(said("t.not_paid").format(n=len(result.blocked)), style="yellow"),
            soft_wrap=True,
        )
    paid = word("t.paid").format(
        n=result.paid, total=_money(result.grand_total), currency=f" {currency}"
    )
    out.print(paid, soft_wrap=True, markup=False)
