"""A run's result as the ledger keeps it, and back: what a closed quarter's report, explain and
exports are made from. Tables go as Arrow (ledger.frames), the rest as one JSON document."""

from __future__ import annotations

import dataclasses
import datetime as dt
import json
from collections.abc import Iterator
from pathlib import Path
from typing import TYPE_CHECKING, Any

from amctl.data.locate import Source
from amctl.data.ratings import RatingRows
from amctl.data.rows import Blocked
from amctl.engine.tiers import Boundary, QuotaRow
from amctl.errors import Finding, Location, Severity
from amctl.ledger import rows as kept_rows
from amctl.ledger.frames import INDEX, decode, decode_rated, encode, encode_rated, encoded
from amctl.ledger.streamed import Streamed
from amctl.messages import from_data, to_data
from amctl.period import Period, parse
from amctl.pipeline.grade import GradeResult
from amctl.pipeline.memory import release
from amctl.pipeline.payroll import PayrollResult
from amctl.policy.loader import LoadedPolicy

if TYPE_CHECKING:
    import pandas as pd

GRADING = ("managers", "data", "ratings")


def _finding(f: Finding) -> dict[str, Any]:
    return {
        "location": dataclasses.asdict(f.location),
        "rule": f.rule,
        "message": f.message,
        "severity": f.severity.value,
        "row_id": f.row_id,
        "pointer": f.pointer,
        "said": to_data(f.said),
    }


def _unfinding(doc: dict[str, Any]) -> Finding:
    """A recorded finding; one recorded as text only (by an earlier amctl) keeps its English."""
    return Finding(
        Location(**doc["location"]),
        doc["rule"],
        doc["message"],
        Severity(doc["severity"]),
        doc["row_id"],
        doc["pointer"],
        from_data(doc.get("said")),
    )


def _reason(item: Any, where: Location) -> Finding:
    """A not-graded reason: a finding, or (recorded by an earlier amctl) a line of English."""
    if isinstance(item, dict):
        return _unfinding(item)
    at, _, text = str(item).partition(": ")  # "file:sheet!cell: why", as it was shown
    return Finding(Location(at), "", text) if text else Finding(where, "", str(item))


def parts(grading: GradeResult, payroll: PayrollResult | None) -> dict[str, bytes]:
    """Everything needed to show the run again, exactly, and the ledger's rows of it
    (`ledger.rows`: a few columns of the managers and their totals, kept on their own for
    history and the next period to read fast)."""
    return dict(each_part(grading, payroll))


def streamed(grading: GradeResult, payroll: PayrollResult | None) -> Streamed:
    """`parts`, made by a worker while the ledger writes each one made before."""
    return Streamed(lambda: each_part(grading, payroll))


def each_part(grading: GradeResult, payroll: PayrollResult | None) -> Iterator[tuple[str, bytes]]:
    """`parts` one at a time, each let go by the caller before the next is made."""
    g = grading
    meta = {
        "period": {
            "label": g.period.label,
            "start": g.period.start.isoformat() if g.period.start else None,
            "end": g.period.end.isoformat(),
            "inferred_from": g.period.inferred_from,
        },
        "blocked": [
            {
                "employee_id": b.employee_id,
                "name": b.name,
                "where": dataclasses.asdict(b.where),
                "reasons": [_finding(f) for f in b.reasons],
            }
            for b in g.blocked
        ],
        "findings": [_finding(f) for f in g.findings],
        "quota": [dataclasses.asdict(q) for q in g.quota],
        "boundaries": [dataclasses.asdict(b) for b in g.boundaries],
        "current_quota": to_data(g.current_quota),
        "sources": {t: {"path": str(s.path), "sheet": s.sheet} for t, s in g.sources.items()},
        "hashes": g.hashes,
        "policy_path": g.policy.path,
    }
    # one table made after another: two at once (one's compression while the next one's
    # columns were put together) was no faster at 1M managers and held both tables' columns,
    # 100-170 MB more at the close's peak. The ledger writes each while the next is made.
    managers = encoded(g.managers)
    yield "grading.managers", managers.bytes()
    release()  # each table's columns given back once written: the ledger writes meanwhile
    yield "grading.data", encode(g.data)
    release()
    # the rows take the ids and texts they share with the managers and the pay, not copies
    made = {k: v for k, v in managers.texts.items() if k == INDEX or k in kept_rows.SHARED}
    del managers
    totals: pd.Series | pd.Index | None = None
    pay = None
    if payroll is not None:
        meta["payroll"] = {"components": payroll.components, "formulas": payroll.formulas}
        texts = {k: v.text for k, v in payroll.amounts.items() if v is not None}
        # the amounts' text as pay made it; those kept as whole numbers need no Decimals
        lines = encoded(payroll.frame, texts, payroll.columns)
        pay = lines.bytes()
        if "total" not in payroll.frame and payroll.frame.index.equals(g.managers.index):
            totals = payroll.frame.index  # every total's text is made: the ids say who
        else:
            totals = payroll.column("total")
        if "total" in lines.texts:
            made["total"] = lines.texts["total"]
        del lines
        release()
    yield kept_rows.PART, kept_rows.encode(kept_rows.of_result(g.managers, totals, made))
    del made
    # coded as read; the long table only for a run read back
    rated = encode_rated(g.rated) if isinstance(g.rated, RatingRows) else encode(g.rated)
    yield "grading.ratings", rated
    del rated
    if pay is not None:
        yield "payroll.lines", pay
        del pay
    release()  # what the tables' columns took, given back
    yield "meta", json.dumps(meta, ensure_ascii=False, sort_keys=True).encode()


def restore(
    loaded: LoadedPolicy, read: dict[str, bytes | None]
) -> tuple[GradeResult, PayrollResult | None] | None:
    """The recorded result, or None when the ledger holds no full result for the run (it
    was recorded by an amctl before 0.2)."""
    meta_body = read.get("meta")
    if meta_body is None or any(read.get(f"grading.{n}") is None for n in GRADING):
        return None
    meta = json.loads(meta_body)
    p = meta["period"]
    period = Period(
        p["label"],
        dt.date.fromisoformat(p["start"]) if p["start"] else None,
        dt.date.fromisoformat(p["end"]),
        p["inferred_from"],
        parse(p["label"]).kind if p["start"] else None,
    )
    frames = {n: decode(read[f"grading.{n}"] or b"") for n in GRADING if n != "ratings"}
    grading = GradeResult(
        loaded,
        period,
        frames["managers"],
        [
            Blocked(
                b["employee_id"],
                b["name"],
                Location(**b["where"]),
                [_reason(r, Location(**b["where"])) for r in b["reasons"]],
            )
            for b in meta["blocked"]
        ],
        [_unfinding(f) for f in meta["findings"]],
        [QuotaRow(**q) for q in meta["quota"]],
        [Boundary(**b) for b in meta["boundaries"]],
        [from_data(x) for x in meta["current_quota"]],
        data=frames["data"],
        rated=decode_rated(read["grading.ratings"] or b""),
        sources={t: Source(Path(s["path"]), s["sheet"]) for t, s in meta["sources"].items()},
        hashes=dict(meta["hashes"]),
    )
    payroll = None
    lines = read.get("payroll.lines")
    if "payroll" in meta and lines is not None:
        pay = meta["payroll"]
        payroll = PayrollResult(grading, decode(lines), list(pay["components"]), pay["formulas"])
    return grading, payroll


NAMES = ("meta", *(f"grading.{n}" for n in GRADING), "payroll.lines")
