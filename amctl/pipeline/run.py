"""One period, one truth: the call every command makes.

`run` takes a period through the whole sequence once: the policy in effect (refused if `policy
check` finds errors in it), the inputs, the history and calibration overrides the workspace
holds, grading, pay and the guards on both. In a recorded period it also says where its
result differs from the record. `show` gives a closed period as it was recorded, saying what
has changed since, and runs an open one. `record` closes a period.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path
from typing import TYPE_CHECKING, Literal

import numpy as np
import pandas as pd

from amctl import __version__
from amctl.data.locate import file_hash, locate
from amctl.data.sheets import settle
from amctl.engine.dynamics import History
from amctl.errors import (
    EXIT_FINDINGS,
    AmctlError,
    Finding,
    FindingsError,
    PolicyError,
    Severity,
    UsageError,
)
from amctl.ledger.store import Entry, Ledger, Recorded, Run, fingerprint
from amctl.messages import Said, said
from amctl.period import Period, before, kind_of, parse
from amctl.pipeline import snapshot
from amctl.pipeline.grade import (
    GradeResult,
    finding_said,
    grade_files,
    require_some,
    semicolons,
    tables_read,
)
from amctl.pipeline.memory import release
from amctl.pipeline.payroll import PayrollResult, run_payroll
from amctl.policy.diff import semantic_diff
from amctl.policy.invariants import invariant_findings
from amctl.policy.loader import LoadedPolicy, inspect_text
from amctl.policy.models import Policy, Review
from amctl.policy.overrides import Overrides, load_overrides
from amctl.workspace.layout import Workspace

if TYPE_CHECKING:
    import pyarrow as pa

Progress = Callable[[Said], None]  # hears each step, as data: the CLI words it
# never; if the policy pays at this period; required (an error where it does not); or, for
# closing a period, required where the policy's cadence pays and never elsewhere
Pay = Literal["never", "if_defined", "required", "cadence"]


def _quiet(step: Said) -> None:
    """No progress to show."""


class NotRecorded(FindingsError):
    """The run breaks the policy (a cap, a gate): a closed period must not (exit 1)."""

    exit_code = EXIT_FINDINGS


@dataclass(frozen=True)
class Given:
    """What a caller names instead of the workspace's defaults: the roster (else
    data/PERIOD/), the other tables (else sheets of the roster or files beside it), the policy
    (else the workspace's in effect, else the bundled one)."""

    roster: Path | None = None
    performance: Path | None = None
    ratings: Path | None = None
    policy: Path | LoadedPolicy | None = None

    def chosen_policy(self, ws: Workspace, period: Period) -> LoadedPolicy:
        if isinstance(self.policy, LoadedPolicy):
            return self.policy
        near = self.roster if self.roster is not None else ws.data(period.label)
        return ws.policy(self.policy, period.end, near)


@dataclass(frozen=True)
class Context:
    """What the workspace knows around a period besides the period's own files."""

    history: History = field(default_factory=History)
    previous: str | None = None  # the latest recorded period of its kind before this one
    basis: list[int] = field(default_factory=list)  # its runs: what the dynamic rules read
    overrides: Overrides | None = None
    overrides_file: str | None = None  # as the workspace names it
    overrides_hash: str | None = None


@dataclass(frozen=True)
class Difference:
    """One manager whom this run grades or pays otherwise than the record does."""

    employee_id: str
    name: str
    old_tier: str | None
    new_tier: str | None
    old_total: Decimal | None
    new_total: Decimal | None

    @property
    def back_pay(self) -> Decimal | None:
        if self.old_total is None or self.new_total is None:
            return None
        return self.new_total - self.old_total


@dataclass(frozen=True)
class Drift:
    """What has changed since a period was recorded; empty when nothing has."""

    policy: list[Said] = field(default_factory=list)
    inputs: list[Said] = field(default_factory=list)
    history: list[Said] = field(default_factory=list)
    unknown: Said | str | None = None  # why today's files could not be compared

    def __bool__(self) -> bool:
        return bool(self.policy or self.inputs or self.history or self.unknown)

    def lines(self) -> list[Said]:
        """What changed, as data: worded where it is shown (`messages.say`)."""
        out = [*self.policy, *self.inputs, *self.history]
        if self.unknown:
            out.append(said("pipeline.drift_unknown", why=self.unknown))
        return out


@dataclass
class QuarterRun:
    """A period's result, computed once; every output of the period is made from it."""

    period: Period
    policy: LoadedPolicy
    grading: GradeResult
    payroll: PayrollResult | None
    context: Context
    workspace: Workspace | None = None
    source: Literal["computed", "recorded"] = "computed"
    recorded: Run | None = None  # the ledger's run of this period, if it is recorded
    differences: list[Difference] | None = None  # a computed run against the record
    drift: Drift | None = None  # a recorded run against today's files and policy
    notes: list[Said] = field(default_factory=list)  # about the run, worded where shown

    @property
    def findings(self) -> list[Finding]:
        return self.grading.findings

    @property
    def has_findings(self) -> bool:
        """Rows not graded, a run-time guard broken, or a result that differs from the
        record of a closed period: exit 1."""
        return self.grading.has_findings or bool(self.differences)

    @property
    def blocking(self) -> list[Finding]:
        """Errors that no roster row owns (a cap broken by the rules): the period cannot be
        recorded with them."""
        listed = {b.employee_id for b in self.grading.blocked}
        return [f for f in self.findings if f.severity is Severity.ERROR and f.row_id not in listed]

    @property
    def fingerprint(self) -> str:
        """What makes two runs of a period the same run: policy, inputs, the history read."""
        return fingerprint(self.policy.sha256, dict(self.grading.hashes), self.context.basis)

    def entry(self, parts: Mapping[str, bytes]) -> Entry:
        """What the ledger keeps of this run; `parts`: its result, as snapshot makes it."""
        inputs = dict(self.grading.hashes)
        meta = self.policy.policy.metadata
        text = self.policy.text
        return Entry(
            self.period.label,
            (meta.name, meta.version, self.policy.sha256, text),
            inputs,
            self.context.basis,
            parts,
            self.payroll is not None,
            __version__,
        )


def _before(ledger: Ledger, label: str) -> tuple[History, str | None, list[int]]:
    """The ledger before a period: each manager's history, the latest recorded period of
    its kind (a month's is a month), and the runs the period's dynamic rules read."""
    earlier = ledger.before(label)
    kind = kind_of(label)
    alike = [r.quarter for r in earlier if kind_of(r.quarter) == kind]
    previous = alike[-1] if alike else None
    return ledger.history_before(label), previous, [r.id for r in earlier]


def context(workspace: Workspace | None, period: Period, ledger: Ledger | None) -> Context:
    """History from the ledger and the period's overrides; none for an as-of date."""
    if workspace is None or period.start is None:
        return Context()
    history = History()
    previous: str | None = None
    basis: list[int] = []
    if ledger is not None:
        history, previous, basis = _before(ledger, period.label)
    file = workspace.overrides(period.label)
    if not file.exists():
        return Context(history, previous, basis)
    return Context(
        history,
        previous,
        basis,
        load_overrides(file),
        workspace.relative(file),
        file_hash(file),
    )


def _notes(period: Period, ctx: Context, require_approval: bool = False) -> list[Said]:
    if period.start is None:
        return []
    notes = []
    if ctx.previous is None:
        notes.append(said("pipeline.run_no_previous", period=period.label))
    elif ctx.previous != before(period.label):
        notes.append(said("pipeline.run_gap", previous=ctx.previous, period=period.label))
    if ctx.overrides is not None:
        moves, file = ctx.overrides.moves, str(ctx.overrides_file)
        waiting = sum(not m.approved for m in moves) if require_approval else 0
        if waiting:
            n = len(moves) - waiting
            notes.append(said("pipeline.run_overrides_waiting", n=n, waiting=waiting, file=file))
        else:
            notes.append(said("pipeline.run_overrides", n=len(moves), file=file))
    return notes


def _name(loaded: LoadedPolicy) -> str:
    return loaded.policy.metadata.name


def review_at(policy: Policy, period: Period) -> Review | None:
    """The review the policy runs at this period, its label filled in; a pay run's where the
    policy pays and reviews nothing (it keeps tiers as they are); None for an as-of date
    (graded as a review that moves everything, and never recorded)."""
    if period.kind is None:
        return None
    found = policy.cadence.review(period.kind)
    if found is not None:
        name, review = found
        return review.model_copy(update={"label": review.label or name})
    if policy.cadence.pay == period.kind:
        label = "发薪" if policy.metadata.language == "zh" else "the pay run"
        return Review(label=label, every=period.kind, moves=[], reads=["performance"])
    runs = ", ".join(f"{r.label or n} ({r.every})" for n, r in policy.cadence.reviews.items())
    raise UsageError(
        said(
            "pipeline.no_review_at",
            period=period.label,
            kind=said(f"period.kind.{period.kind}"),
            name=policy.metadata.name,
            reviews=runs,
            pay=said(f"period.kind.{policy.cadence.pay}"),
        )
    )


def checked_policy(loaded: LoadedPolicy) -> LoadedPolicy:
    """A policy `policy check` passes, or a PolicyError naming its errors."""
    errors = [f for f in invariant_findings(loaded) if f.severity is Severity.ERROR]
    if errors:
        raise PolicyError(
            errors, said("pipeline.policy_has_errors", path=str(loaded.path), n=len(errors))
        )
    return loaded


def _coerce(
    workspace: Workspace | Path | str | None, period: Period | str, given: Given | None
) -> tuple[Workspace, Period]:
    """A notebook may name the workspace folder and the quarter as text."""
    folder = workspace.root if isinstance(workspace, Workspace) else workspace
    ws = Workspace.at(folder, given.roster if given else None)
    return ws, period if isinstance(period, Period) else parse(period, "the period given")


def run(
    workspace: Workspace | Path | str | None,
    period: Period | str,
    given: Given | None = None,
    *,
    pay: Pay = "if_defined",
    progress: Progress = _quiet,
) -> QuarterRun:
    """Compute the period: policy → inputs → history and overrides → grade → pay → guards,
    and compare with the record when the period is recorded. `pay`: never; if the policy
    has a pay section; or required (a policy without one is an error)."""
    ws, period = _coerce(workspace, period, given)
    given = given or Given()
    loaded = checked_policy(given.chosen_policy(ws, period))
    review = review_at(loaded.policy, period)
    pays = period.kind is not None and loaded.policy.cadence.pay == period.kind
    if pay == "required" and not pays and period.kind is not None:
        cadence = loaded.policy.cadence
        raise UsageError(
            said(
                "pipeline.pays_per",
                period=period.label,
                kind=said(f"period.kind.{cadence.pay}"),
                name=_name(loaded),
            )
        )
    roster = given.roster or ws.roster(period.label, loaded.policy.sheets.roster)
    ledger = ws.ledger() if period.start is not None else None
    recorded, recorded_rows = None, None
    if ledger is None:
        ctx = context(ws, period, None)
    else:
        with ledger, ledger.reading():  # history, basis and record from one state
            ctx = context(ws, period, ledger)
            recorded = ledger.current(period.label)
            recorded_rows = ledger.table(recorded.id) if recorded else None
    grading = grade_files(
        loaded,
        roster,
        period,
        performance=given.performance,
        ratings=given.ratings,
        progress=progress,
        history=ctx.history if period.start is not None else None,
        overrides=ctx.overrides,
        review=review,
    )
    require_some(grading)
    grading.hashes = {ws.relative(Path(k)): v for k, v in sorted(grading.hashes.items())}
    if ctx.overrides_file is not None and ctx.overrides_hash is not None:
        grading.hashes[ctx.overrides_file] = ctx.overrides_hash
    payroll = None
    wanted = pay == "if_defined" and loaded.policy.pay is not None and pays
    if pay == "required" or wanted or (pay == "cadence" and pays):
        progress(said("pipeline.step_paying", n=len(grading.managers)))
        payroll = run_payroll(loaded, grading)
    notes = _notes(period, ctx, loaded.policy.calibration.require_approval)
    result = QuarterRun(period, loaded, grading, payroll, ctx, ws, notes=notes)
    if recorded is not None:
        result.notes.append(
            said(
                "pipeline.run_compared",
                period=period.label,
                run=recorded.id,
                at=recorded.recorded_at,
            )
        )
        result.recorded = recorded
        result.differences = differences(recorded_rows, grading, payroll)
    return result


def show(
    workspace: Workspace | Path | str | None,
    period: Period | str,
    given: Given | None = None,
    *,
    progress: Progress = _quiet,
) -> QuarterRun:
    """A recorded period as it was recorded (with what changed since); an open one, run."""
    ws, period = _coerce(workspace, period, given)
    ledger = ws.ledger() if period.start is not None else None
    if ledger is not None:
        with ledger, ledger.reading():
            kept = recorded_run(ledger, ws, period)
            if kept is not None:
                progress(said("pipeline.step_comparing"))
                assert kept.recorded is not None
                kept.drift = drift(ledger, ws, kept.recorded, given or Given())
                return kept
    result = run(ws, period, given, progress=progress)
    if result.recorded is not None:  # recorded by an amctl that kept tiers and pay only
        result.notes.append(said("pipeline.run_thin_record", run=result.recorded.id))
    return result


def recorded_run(ledger: Ledger, workspace: Workspace, period: Period) -> QuarterRun | None:
    """The period's current run as the ledger keeps it, or None when there is no full
    record of it (not recorded, or recorded by an amctl that kept no result)."""
    rec = ledger.current(period.label)
    if rec is None:
        return None
    meta_body = ledger.part(rec.id, "meta")
    name = json.loads(meta_body)["policy_path"] if meta_body else f"{ledger.path}#run{rec.id}"
    loaded, problems = inspect_text(rec.policy_text, name)
    if loaded is None:
        shown = semicolons([finding_said(f) for f in problems[:3]])
        raise AmctlError(said("pipeline.policy_unreadable", period=period.label, problems=shown))
    restored = snapshot.restore(loaded, {n: ledger.part(rec.id, n) for n in snapshot.NAMES})
    if restored is None:
        return None
    grading, payroll = restored
    history, previous, _ = _before(ledger, period.label)
    ctx = Context(history, previous, rec.basis)  # the basis it was recorded on
    notes = [said("pipeline.run_recorded", period=period.label, run=rec.id, at=rec.recorded_at)]
    return QuarterRun(
        grading.period,
        loaded,
        grading,
        payroll,
        ctx,
        workspace,
        "recorded",
        rec,
        notes=notes,
    )


def drift(ledger: Ledger, workspace: Workspace, rec: Run, given: Given) -> Drift:
    """Today's policy, input files and history against what the run was recorded with."""
    period = parse(rec.quarter, "the ledger")
    try:
        now = given.chosen_policy(workspace, period)
        path = given.roster or workspace.roster(period.label, now.policy.sheets.roster)
        review = review_at(now.policy, period)
        tables = tables_read(review)
        sources = locate(path, now.policy, given.performance, given.ratings, tables)
        settle(s.path for s in sources.values())  # a workbook refused is not compared
        hashes = {workspace.relative(s.path): file_hash(s.path) for s in sources.values()}
        file = workspace.overrides(period.label)
        if file.exists():
            hashes[workspace.relative(file)] = file_hash(file)
    except AmctlError as exc:
        return Drift(unknown=exc.said or str(exc))
    changes = []
    if now.sha256 != rec.policy_sha256:
        meta = now.policy.metadata
        then, _ = inspect_text(rec.policy_text, f"{ledger.path}#run{rec.id}")
        diff = semantic_diff(then.policy, now.policy) if then is not None else []
        shown: Said | str = "; ".join(str(c) for c in diff[:6]) or said("pipeline.drift_same_rules")
        if len(diff) > 6:
            shown = said("pipeline.drift_more", changes=shown, n=len(diff) - 6)
        changes.append(
            said(
                "pipeline.drift_policy",
                name=meta.name,
                version=meta.version,
                path=str(now.path),
                then_name=rec.policy_name,
                then_version=rec.policy_version,
                changes=shown,
            )
        )
    inputs = []
    for name in sorted(set(hashes) | set(rec.inputs)):
        if name not in rec.inputs:
            inputs.append(said("pipeline.drift_new_input", name=name))
        elif name not in hashes:
            inputs.append(said("pipeline.drift_gone_input", name=name))
        elif hashes[name] != rec.inputs[name]:
            inputs.append(said("pipeline.drift_changed_input", name=name))
    runs = {r.id: r for r in ledger.runs(every=True)}
    now_basis = ledger.basis(period.label)
    history = [
        said("pipeline.drift_rerecorded", period=runs[i].quarter)
        for i in rec.basis
        if i not in now_basis and i in runs
    ]
    read = {runs[i].quarter for i in rec.basis if i in runs}
    history += [
        said("pipeline.drift_later", period=runs[i].quarter)
        for i in now_basis
        if runs[i].quarter not in read
    ]
    return Drift(changes, inputs, history)


def differences(
    recorded: pa.Table | None, grading: GradeResult, payroll: PayrollResult | None
) -> list[Difference]:
    """Who this run grades or pays otherwise than the record (its rows, `ledger.rows`); only
    what this run computed is compared (a grading alone is not a difference in pay). Compared
    a column at a time in Arrow, totals by their text; a Decimal is made only where two texts
    differ (1.0 against 1.00), and an object only for a manager who differs: a million
    managers re-run against their record took 1.4 s and 600 MB as Python objects (#17)."""
    import pyarrow as pa
    import pyarrow.compute as pc

    m = grading.managers
    now_ids = _id_texts(m.index)
    named = ("employee_id", "tier", "name", "total")
    if recorded is None:
        old = {n: pa.array([], pa.string()) for n in named}
    else:
        old = {n: _texts(recorded[n]) for n in named}
    everyone, was, now = _aligned(old["employee_id"], now_ids)
    old_tier = _at(old["tier"], was)
    new_tier = _at(_texts(m["tier"]), now)
    differ = ~_same(old_tier, new_tier)
    old_text = new_text = pa.nulls(len(everyone), pa.string())
    lines_at = np.full(len(everyone), -1, dtype=np.int64)
    if payroll is not None:
        recorded_total = _at(old["total"], was)
        paid = (was < 0) | _flags(recorded_total.is_valid())  # the record paid them, or new
        shown = paid & _flags(pc.not_equal(recorded_total, ""))  # an empty total is none
        old_text = pc.if_else(pa.array(shown), recorded_total, None)
        lines = payroll.frame.index  # the pay lines' managers; their totals read by place
        everyone_paid = lines.equals(m.index)  # everyone graded is paid, in order
        lines_at = now.copy() if everyone_paid else _places(everyone, _id_texts(lines))
        lines_at[~paid] = -1
        new_text = _at(_total_texts(payroll), lines_at)
        same = _same(old_text, new_text)
        # the same text is the same amount, for a plain number (NaN is not itself); any other
        # pair of texts is told by their Decimals
        plain = _flags(pc.match_substring_regex(new_text, r"^-?[0-9]+(\.[0-9]+)?$"))
        unsure = np.flatnonzero(_flags(old_text.is_valid()) & (lines_at >= 0) & ~(same & plain))
        if len(unsure):
            olds = old_text.take(pa.array(unsure)).to_pylist()
            news = payroll.picked("total", lines_at[unsure])
            same[unsure] = [Decimal(o) == n for o, n in zip(olds, news, strict=True)]
        differ |= ~same
    rows = np.flatnonzero(differ)
    rows = rows[pc.sort_indices(everyone.take(pa.array(rows))).to_numpy()]  # by id
    ids, names = everyone.take(pa.array(rows)).to_pylist(), _names(old["name"], was, m, now, rows)
    old_tiers, new_tiers = (t.take(pa.array(rows)).to_pylist() for t in (old_tier, new_tier))
    old_totals = [
        None if t is None else Decimal(t) for t in old_text.take(pa.array(rows)).to_pylist()
    ]
    new_totals = np.full(len(rows), None, dtype=object)  # lines_at is -1 without pay
    if payroll is not None:
        lines_of = lines_at[rows]
        new_totals[lines_of >= 0] = payroll.picked("total", lines_of[lines_of >= 0])
    return [
        Difference(ids[k], str(names[k]), old_tiers[k], new_tiers[k], old_totals[k], new_totals[k])
        for k in range(len(rows))
    ]


def _texts(values: pd.Series | pa.Array | pa.ChunkedArray) -> pa.Array:
    """A column as plain Arrow text (NULL for none): the ledger's (coded or not) as it is, a
    frame's of few distinct values through its codes."""
    import pyarrow as pa

    if isinstance(values, pa.ChunkedArray):
        values = values.combine_chunks()
    if isinstance(values, pa.Array):
        if pa.types.is_dictionary(values.type):
            values = values.dictionary_decode()
        return values.cast(pa.string())
    codes, distinct = pd.factorize(values.to_numpy(dtype=object))
    words = pa.array(distinct.tolist(), pa.string(), from_pandas=True)
    return words.take(pa.array(codes, mask=codes < 0))


def _id_texts(index: pd.Index) -> pa.Array:
    import pyarrow as pa

    from amctl.ledger.rows import id_texts

    return pa.array(id_texts(index), pa.string())


def _aligned(first: pa.Array, then: pa.Array) -> tuple[pa.Array, np.ndarray, np.ndarray]:
    """Everyone of `first` and then of `then` once, and the place of each among the rows of
    `first` and of `then` (-1: not there)."""
    import pyarrow as pa
    import pyarrow.compute as pc

    if len(first) == len(then) and first.equals(then):  # a period run again on its inputs
        every = np.arange(len(first), dtype=np.int64)
        return first, every, every.copy()
    everyone = pc.unique(pa.concat_arrays([first, then]))
    return everyone, _places(everyone, first), _places(everyone, then)


def _places(among: pa.Array, ids: pa.Array) -> np.ndarray:
    """The row of `ids` holding each of `among` (-1: none). The same ids in the same order
    (a period run again on its inputs) are matched as they lie, with no hash of them."""
    import pyarrow.compute as pc

    if len(among) == len(ids) and among.equals(ids):
        return np.arange(len(ids), dtype=np.int64)
    places: np.ndarray = pc.index_in(among, value_set=ids).fill_null(-1).to_numpy()
    return places.astype(np.int64)


def _at(values: pa.Array, rows: np.ndarray) -> pa.Array:
    """`values` at `rows`, NULL where a row is -1."""
    import pyarrow as pa

    return values.take(pa.array(rows, mask=rows < 0))


def _flags(values: pa.Array) -> np.ndarray:
    flags: np.ndarray = values.fill_null(False).to_numpy(zero_copy_only=False)
    return flags


def _same(a: pa.Array, b: pa.Array) -> np.ndarray:
    """Row by row, the same text or none in both."""
    import pyarrow.compute as pc

    same: np.ndarray = _flags(pc.equal(a, b)) | (_flags(a.is_null()) & _flags(b.is_null()))
    return same


def _total_texts(payroll: PayrollResult) -> pa.Array:
    """str() of each pay line's total: the text pay made with the amounts, else each's."""
    import pyarrow as pa

    made = payroll.amounts["total"]  # as pay made it, or from a payroll read back's Decimals
    if made is not None:
        return _texts(made.text)
    lines = payroll.column("total")
    return pa.array([None if v is None else str(v) for v in lines.tolist()], pa.string())


def _names(
    recorded: pa.Array, was: np.ndarray, m: pd.DataFrame, now: np.ndarray, rows: np.ndarray
) -> list[object]:
    """The name of each of `rows`: this run's, else the record's."""
    names = _at(recorded, was[rows]).to_pylist()
    at = now[rows]
    given = m["name"].to_numpy(dtype=object)
    return [given[a] if a >= 0 else n for a, n in zip(at.tolist(), names, strict=True)]


def unrecordable(result: QuarterRun) -> AmctlError | None:
    """Why the run cannot be recorded, told before the ledger is opened; None when it can."""
    if result.period.start is None:
        return AmctlError(said("pipeline.record_as_of"))
    if result.source == "recorded":
        return AmctlError(said("pipeline.recorded_already", period=result.period.label))
    blocking = result.blocking
    if blocking:
        n = len(blocking)
        return NotRecorded(blocking, said("pipeline.not_recorded", period=result.period.label, n=n))
    return None


def record(result: QuarterRun, *, replace: bool = False, reason: str | None = None) -> Recorded:
    """Close the period with this run: recorded, completed with its pay, or replaced. The
    run then is the record (its `source` says so)."""
    refused = unrecordable(result)
    if refused is not None:
        raise refused
    ws = result.workspace or Workspace.at(None)
    ledger = ws.ledger(write=True)
    assert ledger is not None
    with ledger:
        # an unchanged period is known from its fingerprint: its rows are not built again
        paid = result.payroll is not None
        done = ledger.unchanged(result.period.label, result.fingerprint, paid=paid)
        if done is None:
            # the parts made by a worker as the ledger writes them; stopped if not all needed
            with snapshot.streamed(result.grading, result.payroll) as parts:
                done = ledger.record(result.entry(parts), replace=replace, reason=reason)
        # the run is now the period's record: what is shown from it says so
        result.recorded, result.source = ledger.current(result.period.label), "recorded"
    release()  # the parts and SQLite's page cache, freed: not under the next step's peak
    if done.action != "unchanged":
        result.differences = []
    return done
