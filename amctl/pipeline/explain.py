"""Why this tier, why this pay: one manager's result taken apart, every number with its part.
And what the ledger holds: a manager's recorded quarters, the recorded quarters, the audit."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from amctl.engine.pay import PayPeriod, worked
from amctl.errors import UsageError
from amctl.labels import say, worked_line
from amctl.ledger.store import AuditEntry, Row
from amctl.messages import Said, said
from amctl.messages import say as say_message
from amctl.period import Period, parse
from amctl.pipeline.grade import located, semicolons
from amctl.pipeline.run import Given, QuarterRun, drift
from amctl.policy.models import Attainment
from amctl.workspace.layout import Workspace


def explain(result: QuarterRun, employee_id: str, lang: str = "en") -> dict[str, Any]:
    """One manager of the run (recorded or computed, as `show` gave it) taken apart; the
    worked formulas' words in `lang` (json keeps English)."""
    grading, payroll = result.grading, result.payroll
    policy = grading.policy.policy
    m = grading.managers
    if employee_id not in m.index:
        blocked = next((b for b in grading.blocked if b.employee_id == employee_id), None)
        if blocked is not None:
            reasons = semicolons([located(r) for r in blocked.reasons])
            raise UsageError(said("pipeline.not_graded", eid=employee_id, reasons=reasons))
        raise UsageError(
            said("pipeline.not_on_roster", eid=employee_id, period=grading.period.label)
        )
    row: dict[str, Any] = {str(k): v for k, v in m.loc[employee_id].items()}
    data: dict[str, Any] = {str(k): v for k, v in grading.data.loc[employee_id].items()}
    ratings = grading.ratings_of(employee_id)
    ability = []
    for key, ind in policy.ability.indicators.items():
        given = ratings[ratings["indicator"] == key]
        by_rater = {
            str(r): round(float(s), 4) for r, s in given.groupby("rater")["score"].mean().items()
        }
        weights = _weights(policy, by_rater)
        ability.append(
            {
                "key": key,
                "label": ind.label,
                "weight": ind.weight,
                "ratings": by_rater,
                "rater_weights": weights,
                "score": _f(data[f"ability_{key}"]),
            }
        )
    performance = []
    for key, pind in policy.performance.indicators.items():
        item: dict[str, Any] = {
            "key": key,
            "label": pind.label,
            "weight": pind.weight,
            "method": pind.score.method,
            "value": _f(data.get(pind.metric)),
            "score": _f(data[f"performance_{key}"]),
        }
        if isinstance(pind.score, Attainment):
            item["target"] = _f(data.get(pind.score.target))
        performance.append(item)
    doc: dict[str, Any] = {
        "employee_id": employee_id,
        "name": row["name"],
        "org_unit": row["org_unit"],
        "quarter": grading.period.label,
        "source": result.source,
        "recorded_run": result.recorded.id if result.recorded is not None else None,
        "changed_since": [say_message(x) for x in result.drift.lines()] if result.drift else [],
        "policy": {"name": policy.metadata.name, "version": policy.metadata.version},
        "ability": {
            "indicators": ability,
            "score": _f(row["ability"]),
            "weight": policy.composite.ability,
        },
        "performance": {
            "indicators": performance,
            "score": _f(row["performance"]),
            "weight": policy.composite.performance,
        },
        "composite": _f(row["composite"]),
        "grid": {
            "ability": _word(row["ability_band"]),
            "performance": _word(row["performance_band"]),
            "cell": _word(row["cell"]),
            "action": _word(row["action"]),
        },
        "tier": {
            "level": _word(row["level"]),
            "band": _word(row["band"]),
            "tier": _word(row["tier"]),
            "computed_level": _word(row["computed_level"]),
            "rank": None if row["rank"] is None or str(row["rank"]) == "<NA>" else int(row["rank"]),
            "reasons": [say(r) for r in row["reasons"]],
            "reason_codes": [r for r in row["reasons"] if not isinstance(r, str)],
        },
        "previous_tier": row.get("previous_tier"),
        "previous_from": row.get("previous_from"),
        "movement": row.get("movement"),
        "training": row.get("training"),
        "pay": None,
    }
    line = payroll.line(employee_id) if payroll is not None else None
    if payroll is not None and line is not None:
        pay = policy.pay
        assert pay is not None
        period = grading.period
        assert period.start is not None
        hand = worked(
            policy,
            grading.policy.formulas,
            grading.data.loc[[employee_id]],
            PayPeriod(period.start, period.end, period.months),
            lang,
            whole=grading.data,
        )
        doc["pay"] = {
            "pay_tier": line["pay_tier"],
            "days": int(line["days"]),
            "period_days": (period.end - period.start).days + 1,
            "components": [
                {
                    "name": name,
                    "label": pay.components[name].label,
                    "formula": payroll.formulas[name],
                    "filled": hand[name]["filled"],
                    "per": hand[name]["per"],
                    "value": _plain(hand[name]["value"]),
                    "months": hand[name]["months"],
                    "prorated_days": hand[name]["days"],
                    "amount": str(line[name]),
                }
                for name in payroll.components
            ],
            "total": str(line["total"]),
        }
        for c in doc["pay"]["components"]:  # in English: the json is read by scripts
            c["worked"] = worked_line(c, doc["pay"]["period_days"], "en")
    return doc


def _weights(policy: Any, rated: dict[str, float]) -> dict[str, float]:
    """The rater weights this indicator's score used: the policy's, scaled up to 100 over
    the raters present when one is missing (missing_rater: renormalise)."""
    raters = policy.ability.raters
    given = {k: r.weight for k, r in raters.items() if k in rated}
    total = sum(given.values())
    if not total:
        return {}
    return {k: round(w * 100 / total, 4) for k, w in given.items()}


def _plain(value: Any) -> str:
    """2340.00000 as 2340: a figure as a person writes it."""
    return f"{value.normalize():f}" if isinstance(value, Decimal) and value.is_finite() else "—"


def _word(value: Any) -> str | None:
    """A label, or None where there is none (pandas keeps that as NaN): JSON has no NaN."""
    return value if isinstance(value, str) else None


def _f(value: Any) -> float | None:
    if value is None or isinstance(value, str):
        return None
    number = float(value)
    return None if number != number else number


def adds_up(doc: dict[str, Any]) -> bool:
    """The explanation's own parts give its totals (what a reader would check by hand)."""
    parts = [c["amount"] for c in (doc["pay"] or {}).get("components", [])]
    total_ok = doc["pay"] is None or sum(map(Decimal, parts)) == Decimal(doc["pay"]["total"])
    return total_ok


@dataclass(frozen=True)
class History:
    """A manager's recorded quarters, oldest first, and what has changed since each was
    recorded (quarter → lines; none for a quarter nothing has changed in)."""

    rows: list[Row]
    changed: dict[str, list[Said]]


def history(workspace: Workspace, employee_id: str) -> History:
    ledger = workspace.ledger()
    if ledger is None:
        raise UsageError(said("pipeline.no_ledger", path=str(workspace.ledger_file)))
    with ledger, ledger.reading():
        rows = ledger.rows(employee_id=employee_id)
        runs = {r.quarter: r for r in ledger.runs()}
        changed = {
            q: lines
            for q in sorted({r.quarter for r in rows})
            if (lines := drift(ledger, workspace, runs[q], Given()).lines())
        }
    if not rows:
        raise UsageError(said("pipeline.never_recorded", eid=employee_id))
    return History(rows, changed)


def latest_recorded(workspace: Workspace) -> Period:
    """The latest recorded quarter: what explain shows when no quarter is named."""
    ledger = workspace.ledger()
    recorded: list[str] = []
    if ledger is not None:
        with ledger:
            recorded = ledger.quarters()
    if not recorded:
        raise UsageError(said("pipeline.nothing_recorded"))
    return parse(recorded[-1], "the latest recorded quarter")


@dataclass(frozen=True)
class RecordedQuarter:
    quarter: str
    run_id: int
    recorded_at: str
    policy: str
    managers: int
    total: Decimal | None
    paid: bool


def recorded_quarters(workspace: Workspace) -> list[RecordedQuarter]:
    ledger = workspace.ledger()
    if ledger is None:
        return []
    out = []
    with ledger:
        for run in ledger.runs():
            rows = ledger.table(run.id)  # columns: no object per manager
            totals = map(Decimal, rows["total"].drop_null().to_pylist())
            out.append(
                RecordedQuarter(
                    run.quarter,
                    run.id,
                    run.recorded_at,
                    f"{run.policy_name} {run.policy_version}",
                    rows.num_rows,
                    sum(totals, Decimal(0)) if run.paid else None,
                    run.paid,
                )
            )
    return out


def audit_trail(workspace: Workspace) -> list[AuditEntry]:
    ledger = workspace.ledger()
    if ledger is None:
        return []
    with ledger:
        return ledger.audit()
