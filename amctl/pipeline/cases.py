"""Policy unit tests as data (in the spirit of `opa test`): a few managers' inputs, kept beside
the policy in `NAME.test.yaml`, and the tier and pay they must get. CI runs them, so a policy
change that moves a golden case must update the case in the same pull request.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path
from typing import Any, Literal

from pydantic import Field, ValidationError, model_validator

from amctl.errors import Finding, Location, PolicyError, Severity
from amctl.messages import Said, said
from amctl.policy.loader import LoadedPolicy, load_policy, parse_yaml, read_policy_text
from amctl.policy.locate import position
from amctl.policy.models import Amount, Quota, Strict
from amctl.policy.payformulas import declared

KIND = "PolicyTest"
SUFFIX = ".test.yaml"


class Manager(Strict):
    employee_id: str
    name: str = "测试"
    org_unit: str = "测试部"
    post_start: dt.date
    leave_date: dt.date | None = None
    education: str
    exam_score: float | None = None
    rural: bool = False
    level: str | None = Field(default=None, description="The tier in force (现等级), by key.")
    band: str | None = Field(default=None, description="And its band (现档次).")
    ratings: float | dict[str, float] = Field(
        description="One rating for every ability indicator, or one per indicator key."
    )
    performance: dict[str, float] = Field(description="Performance columns: metric and target.")
    columns: dict[str, str | bool | float | dt.date] = Field(
        default={},
        description="The policy's own columns (columns: with a type) by key, e.g. "
        "{employment: 聘用工, work_start: 2010-03-01}; one left out is a blank cell.",
    )


class Expect(Strict):
    tier: str | None = None
    pay_tier: str | None = None
    cell: str | None = None
    ability: float | None = None
    performance: float | None = None
    composite: float | None = None
    pay: dict[str, Amount] = Field(default={}, description="Component or total → amount.")
    not_graded: bool = False


class Case(Strict):
    name: str
    period: str | None = Field(default=None, description="This case's period, if not the file's.")
    quotas: bool = Field(default=True, description="false: no caps, to test one manager's pay.")
    managers: list[Manager] = Field(min_length=1)
    expect: dict[str, Expect]


class PolicyTests(Strict):
    api_version: Literal["amctl/v1"] = Field(alias="apiVersion")
    kind: Literal["PolicyTest"]
    policy: str = Field(description="The policy file, relative to this file.")
    period: str | None = Field(default=None, description="2024Q3, 2024-08, 2024H2 or 2024.")
    quarter: str | None = Field(
        default=None, description="The period, as files before 0.3 name it."
    )
    cases: list[Case] = Field(min_length=1)

    @model_validator(mode="after")
    def _one_period(self) -> PolicyTests:
        if (self.period is None) == (self.quarter is None):
            raise ValueError("give the cases' period: period: 2024Q3 (not both period and quarter)")
        return self

    @property
    def when(self) -> str:
        return str(self.period or self.quarter)


@dataclass(frozen=True)
class Outcome:
    file: str
    case: str
    failures: list[Finding]


def load_tests(path: Path) -> tuple[PolicyTests, Any]:
    text = read_policy_text(path, "policy test")
    tree = parse_yaml(text, str(path))
    try:
        return PolicyTests.model_validate(tree), tree
    except ValidationError as exc:
        findings = []
        for err in exc.errors():
            line, col = position(tree, err["loc"])
            where = Location(str(path), line=line, col=col)
            dotted = ".".join(str(p) for p in err["loc"])
            what = said("pipeline.case_invalid", path=dotted, error=str(err["msg"]))
            findings.append(Finding.of(where, "AMC050", what))
        summary = said("pipeline.case_file_invalid", path=str(path))
        raise PolicyError(findings, summary) from None


def run_file(path: Path) -> list[Outcome]:
    from amctl import period as periods

    tests, tree = load_tests(path)
    loaded = load_policy((path.parent / tests.policy).resolve())
    return [
        Outcome(
            str(path),
            case.name,
            _run_case(path, tree, i, case, loaded, periods.parse(case.period or tests.when)),
        )
        for i, case in enumerate(tests.cases)
    ]


def _uncapped(loaded: LoadedPolicy) -> LoadedPolicy:
    p = loaded.policy
    levels = {k: lv.model_copy(update={"quota": Quota(max=100)}) for k, lv in p.levels.items()}
    return dataclasses.replace(loaded, policy=p.model_copy(update={"levels": levels}))


def _sheets(path: Path, index: int, case: Case, loaded: LoadedPolicy) -> dict[str, Any]:
    from amctl.data.sheets import RawSheet

    policy = loaded.policy
    name = f"{path}#case{index + 1}"
    roster: list[list[Any]] = [
        [
            "employee_id",
            "name",
            "org_unit",
            "post_start",
            "education",
            "exam_score",
            "rural",
            "leave_date",
            "level",
            "band",
        ]
    ]
    metrics = sorted({k for m in case.managers for k in m.performance})
    own = {k: c for k, c in declared(policy).items() if k not in metrics}
    extra = {t: [k for k, c in own.items() if c.source == t] for t in ("roster", "performance")}
    roster[0] += [own[k].aliases[0] for k in extra["roster"]]
    perf: list[list[Any]] = [
        ["employee_id", *metrics, *(own[k].aliases[0] for k in extra["performance"])]
    ]
    indicators = list(policy.ability.indicators)
    ratings: list[list[Any]] = [["employee_id", "rater", *indicators]]
    for m in case.managers:
        roster.append(
            [
                m.employee_id,
                m.name,
                m.org_unit,
                m.post_start,
                m.education,
                m.exam_score,
                m.rural,
                m.leave_date,
                m.level,
                m.band,
                *(m.columns.get(k) for k in extra["roster"]),
            ]
        )
        perf.append(
            [
                m.employee_id,
                *(m.performance.get(k) for k in metrics),
                *(m.columns.get(k) for k in extra["performance"]),
            ]
        )
        scores = m.ratings if isinstance(m.ratings, dict) else dict.fromkeys(indicators, m.ratings)
        for rater in policy.ability.raters:
            ratings.append([m.employee_id, rater, *(scores.get(k) for k in indicators)])
    return {
        "roster": RawSheet(name, "roster", roster),
        "performance": RawSheet(name, "performance", perf),
        "ratings": RawSheet(name, "ratings", ratings),
    }


def _run_case(
    path: Path, tree: Any, index: int, case: Case, loaded: LoadedPolicy, quarter: Any
) -> list[Finding]:
    from amctl.data.inputs import build_inputs
    from amctl.data.locate import Source
    from amctl.pipeline.grade import grade, located, semicolons, tables_read
    from amctl.pipeline.payroll import run_payroll
    from amctl.pipeline.run import review_at

    policy = loaded if case.quotas else _uncapped(loaded)
    review = review_at(policy.policy, quarter)  # the period's review: what it may change
    tables = tables_read(review)
    sheets = {t: s for t, s in _sheets(path, index, case, policy).items() if t in tables}
    sources = {t: Source(path, t) for t in tables}
    inputs = build_inputs(sheets, policy.policy, sources, {})
    result = grade(policy, inputs, quarter, review=review)
    lines = None
    if any(e.pay or e.pay_tier for e in case.expect.values()) and not result.managers.empty:
        lines = run_payroll(policy, result).lines
    failures = []

    def fail(eid: str, key: str, problem: Said) -> None:
        line, col = position(tree, ("cases", index, "expect", eid, key), key=True)
        where = Location(str(path), line=line, col=col)
        what = said("pipeline.case_failed", case=case.name, eid=eid, problem=problem)
        failures.append(Finding.of(where, "AMC051", what, Severity.ERROR))

    def expected(key: str, want: object, got: object) -> Said:
        return said("pipeline.case_expected", field=key, expected=str(want), got=str(got))

    known = declared(policy.policy)
    for i, m in enumerate(case.managers):
        for key in m.columns:
            if key not in known:
                at = position(tree, ("cases", index, "managers", i, "columns", key), key=True)
                what = said("pipeline.case_unknown_column", column=key, columns=sorted(known))
                failures.append(Finding.of(Location(str(path), *at), "AMC050", what))
    blocked = {b.employee_id: b for b in result.blocked}
    for eid, want in case.expect.items():
        if eid in blocked:
            if not want.not_graded:
                reasons = semicolons([located(r) for r in blocked[eid].reasons])
                fail(eid, "tier", said("pipeline.case_not_graded", reasons=reasons))
            continue
        if eid not in result.managers.index:
            fail(eid, "tier", said("pipeline.case_no_manager"))
            continue
        if want.not_graded:
            fail(eid, "not_graded", said("pipeline.case_graded"))
        got: dict[str, Any] = {str(k): v for k, v in result.managers.loc[eid].items()}
        for key in ("tier", "cell"):
            wanted = getattr(want, key)
            if wanted is not None and got[key] != wanted:
                fail(eid, key, expected(key, wanted, got[key]))
        for key in ("ability", "performance", "composite"):
            score = getattr(want, key)
            if score is not None and round(float(got[key]), 2) != round(score, 2):
                fail(
                    eid,
                    key,
                    said(
                        "pipeline.case_expected_score",
                        field=key,
                        expected=float(score),
                        got=float(got[key]),
                    ),
                )
        if lines is not None:
            line: dict[str, Any] = {str(k): v for k, v in lines.loc[eid].items()}
            if want.pay_tier is not None and line["pay_tier"] != want.pay_tier:
                fail(eid, "pay_tier", expected("pay_tier", want.pay_tier, line["pay_tier"]))
            for component, amount in want.pay.items():
                if component not in line:
                    fail(eid, "pay", said("pipeline.case_no_component", component=component))
                elif Decimal(line[component]) != amount:
                    fail(eid, "pay", expected(f"pay.{component}", amount, line[component]))
    return failures
