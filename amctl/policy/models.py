"""The policy schema, v1: what a company may write in its policy file.

Percentages are written as numbers from 0 to 100 everywhere (weights, quotas, shares), so an
HR head reads `weight: 25` as 25 %. Mappings keep the order they were written in; where the
order means something (levels best first, bands best first) the field says so.

Annotations are objects here, not strings (no `from __future__ import annotations`): pydantic
would evaluate some 180 strings when the classes are made, 3 ms of every `policy check`.
"""

import datetime as dt
import unicodedata
from decimal import Decimal
from typing import Annotated, Any, Literal

from pydantic import (
    BaseModel,
    BeforeValidator,
    ConfigDict,
    Field,
    StringConstraints,
    model_validator,
)

from amctl.messages import Said, said, say
from amctl.policy.columns import yes_no

API_VERSION = "amctl/v1"
KIND = "Policy"


class SaidValueError(ValueError):
    """A check of the model's own, raised inside pydantic: its English is what pydantic
    shows, and the loader words `said` in the policy's language."""

    def __init__(self, what: Said) -> None:
        self.said = what
        super().__init__(say(what))


Key = Annotated[str, StringConstraints(pattern=r"^[a-z][a-z0-9_]*$")]
"""A machine key: lower-case letters, digits and underscores (labels carry the Chinese)."""

Pct = Annotated[float, Field(ge=0, le=100)]


class Strict(BaseModel):
    """Unknown keys are errors: a typo must not silently mean "use the default". Numbers are
    finite: a .nan cut or an .inf cap would compare false everywhere, silently. Validators
    are built on first use (defer_build): a policy is validated as a whole, and building
    one for each of 40 sections at import was 4 % of `policy check`."""

    model_config = ConfigDict(extra="forbid", frozen=True, allow_inf_nan=False, defer_build=True)


class Metadata(Strict):
    name: str = Field(min_length=1, description="Short name of the policy, e.g. ct-group.")
    version: str = Field(min_length=1, description='Policy version, quoted: "2024.3".')
    effective_from: dt.date = Field(description="First day the policy applies.")
    effective_to: dt.date | None = Field(
        default=None, description="Last day the policy applies; open-ended when absent."
    )
    description: str = ""
    language: Literal["zh", "en"] = Field(
        default="zh",
        description="Language of workbook headers and reports, unless a command asks for another.",
    )


class Sheets(Strict):
    """Sheet names (aliases) to look for when one workbook carries several tables."""

    roster: list[str] = ["花名册", "人员", "roster"]
    performance: list[str] = ["业绩", "绩效", "performance"]
    ratings: list[str] = ["能力评价", "评分", "ratings"]


class Rater(Strict):
    label: str
    weight: Pct
    aliases: list[str] = []


class AbilityIndicator(Strict):
    label: str
    weight: Pct
    aliases: list[str] = []
    training: str | None = Field(
        default=None, description="Training recommended when this is a manager's weakest."
    )


class Scale(Strict):
    """The rating scale raters use; scores are mapped linearly onto 0–100."""

    min: float = 0
    max: float = 100


class RatingColumns(Strict):
    """Whose score each column is, for a ratings table without a 评价人 (rater) column: the
    way a 考核汇总表 carries the ratings beside the roster."""

    rater: Key | None = Field(
        default=None,
        description="The rater whose scores the plain indicator columns (沟通协调能力 …) are.",
    )
    patterns: list[str] = Field(
        default=[],
        description=(
            "Headers that name a rater and an indicator, e.g. '{rater}-{indicator}' for "
            "上级-沟通协调能力 or '{indicator}({rater})' for 沟通协调能力(自评): {rater} stands "
            "for any of a rater's words (key, label, aliases), {indicator} for an indicator's."
        ),
    )

    @model_validator(mode="after")
    def _placeholders(self) -> "RatingColumns":
        for pattern in self.patterns:
            if "{rater}" not in pattern or "{indicator}" not in pattern:
                raise SaidValueError(said("policy.pattern_placeholders", pattern=pattern))
        return self


class Ability(Strict):
    scale: Scale = Scale()
    raters: dict[Key, Rater]
    columns: RatingColumns = Field(
        default=RatingColumns(),
        description="For a ratings table without a rater column: whose each column is.",
    )
    missing_rater: Literal["renormalise", "error"] = Field(
        default="renormalise",
        description="renormalise: weigh the raters present; error: the manager is not graded.",
    )
    indicators: dict[Key, AbilityIndicator]

    @model_validator(mode="after")
    def _known_rater(self) -> "Ability":
        if self.columns.rater is not None and self.columns.rater not in self.raters:
            raise SaidValueError(
                said("policy.rater_unknown", rater=self.columns.rater, raters=list(self.raters))
            )
        return self

    training_below: Pct = Field(
        default=70, description="An indicator scored below this is a training need."
    )


class AsIs(Strict):
    """The metric already is a 0–100 score (e.g. a satisfaction survey)."""

    method: Literal["as_is"]


class Attainment(Strict):
    """Actual against a target column; the score reaches 100 at `cap` % attainment."""

    method: Literal["attainment"]
    target: Key = Field(description="Column holding each manager's target.")
    cap: float = Field(default=100, gt=0, le=1000, description="Attainment % that scores 100.")


class Linear(Strict):
    """Map a range of the metric onto 0–100 (from[0] → 0, from[1] → 100), clipped.

    A reversed range (from: [10, 0]) scores lower-is-better metrics such as complaints.
    """

    method: Literal["linear"]
    from_: tuple[float, float] = Field(alias="from")

    model_config = ConfigDict(extra="forbid", frozen=True, populate_by_name=True)


class Band(Strict):
    min: float = Field(description="Lowest metric value of this band (inclusive).")
    score: Pct


class Banded(Strict):
    """A table of thresholds: the score of the highest band whose `min` ≤ the value."""

    method: Literal["bands"]
    bands: list[Band] = Field(min_length=1, description="Ascending by min.")
    below: Pct = Field(default=0, description="Score for values below the lowest band.")


Scoring = Annotated[AsIs | Attainment | Linear | Banded, Field(discriminator="method")]


Unit = Literal["number", "percent", "fraction"]


class PerformanceIndicator(Strict):
    label: str
    weight: Pct
    metric: Key = Field(description="Column of the performance table holding the raw value.")
    unit: Unit = Field(
        default="number",
        description=(
            "How the metric is written. percent: 0–100 (15.59 means 15.59 %); fraction: 0–1 "
            "(0.1559). A cell formatted as a percentage and a text like 15.59% are read to the "
            "declared unit; a plain number that only fits another scale is an error at its cell. "
            "number: any figure, and a % sign is an error."
        ),
    )
    score: Scoring

    @model_validator(mode="after")
    def _as_is_is_a_percent(self) -> "PerformanceIndicator":
        if isinstance(self.score, AsIs) and self.unit == "fraction":
            raise SaidValueError(said("policy.as_is_fraction"))
        return self


class Performance(Strict):
    indicators: dict[Key, PerformanceIndicator]


class Composite(Strict):
    ability: Pct
    performance: Pct


class Cuts(Strict):
    """Two ascending cuts per axis: low < cuts[0] ≤ mid < cuts[1] ≤ high."""

    ability: tuple[Pct, Pct]
    performance: tuple[Pct, Pct]


class Action(Strict):
    label: str
    action: str


class CellActions(Strict):
    """Per performance band (low/mid/high), the action for one ability band."""

    low: Action
    mid: Action
    high: Action


class GridActions(Strict):
    """Keyed by ability band first, then performance band."""

    low: CellActions
    mid: CellActions
    high: CellActions


class Grid(Strict):
    cuts: Cuts
    actions: GridActions


class Condition(Strict):
    """A basic condition (基本条件) of seed 004 written as a formula, e.g. years of work."""

    label: str = Field(min_length=1, description="What the reasons call it: 工作年限满 8 年.")
    when: str = Field(
        min_length=1,
        description="A condition in the formula language, e.g. years_since(work_start) >= 8.",
    )


class Eligibility(Strict):
    """Gates a manager must pass to be placed in a level; unset gates do not apply."""

    min_years_in_post: int | None = Field(default=None, ge=0, le=60)
    min_education: str | None = None
    min_exam_score: float | None = Field(default=None, ge=0, le=100)
    min_composite: Pct | None = None
    min_performance: Pct | None = None
    min_ability: Pct | None = None
    conditions: list[Condition] = Field(
        default=[], description="Conditions a manager must meet, each with its label."
    )


class Quota(Strict):
    max: Pct = Field(description="Cap: at most this % of the quota base.")
    min: Pct = Field(default=0, description="Floor: at least this % (forced distribution).")


class Level(Strict):
    label: str
    aliases: list[str] = []
    quota: Quota
    eligibility: Eligibility = Eligibility()


class Trainee(Strict):
    label: str = "见习客户经理"
    aliases: list[str] = []
    graduate_after_months: int = Field(
        default=12, ge=0, le=120, description="Full months in post before a manager is graded."
    )


class Dynamics(Strict):
    """Seed 002's dynamic adjustment (动态调整): how far and how fast tiers move per period."""

    max_level_step: int = Field(default=1, ge=1, le=5, description="Levels up or down per period.")
    demotion_after: int = Field(
        default=2, ge=1, le=12, description="Periods below the level's bar before a demotion."
    )
    promotion_after: int = Field(
        default=1, ge=1, le=12, description="Qualifying periods in a row before a promotion."
    )


PeriodKind = Literal["month", "quarter", "half", "year"]


class Review(Strict):
    """One review of the cycle (seed 004: 月度…考评, 季度综合业绩考评, 半年技能等级考评,
    年度综合等级评定): the period it runs at, what it may change, and the tables it reads."""

    label: str = ""
    every: PeriodKind
    moves: list[Literal["level", "band"]] = Field(
        default=["level", "band"],
        description="What the review may change; the rest stays as the tier in force.",
    )
    reads: list[Literal["performance", "ratings"]] = Field(
        default=["performance", "ratings"], description="The tables its period folder holds."
    )

    @model_validator(mode="after")
    def _coherent(self) -> "Review":
        if "level" in self.moves and "band" not in self.moves:
            raise SaidValueError(said("policy.review_level_without_band"))
        if self.moves and not {"performance", "ratings"} <= set(self.reads):
            raise SaidValueError(said("policy.review_moves_unread"))
        if "performance" not in self.reads:
            raise SaidValueError(said("policy.review_reads_performance"))
        return self


def _quarterly() -> dict[str, Review]:
    return {"quarterly": Review(label="季度考评", every="quarter")}


class Cadence(Strict):
    """When pay runs and which review runs at which period. Absent: a quarterly review that
    moves levels and bands, and quarterly pay (amctl's first behaviour)."""

    pay: PeriodKind = Field(default="quarter", description="The pay run's period.")
    reviews: dict[Key, Review] = Field(default_factory=_quarterly)

    @model_validator(mode="after")
    def _one_per_kind(self) -> "Cadence":
        seen: dict[str, str] = {}
        for name, review in self.reviews.items():
            if review.every in seen:
                raise SaidValueError(
                    said("policy.review_twice", every=review.every, a=seen[review.every], b=name)
                )
            seen[review.every] = name
        return self

    def review(self, kind: str | None) -> tuple[str, Review] | None:
        """The review that runs at a period of this kind, if any."""
        return next(((n, r) for n, r in self.reviews.items() if r.every == kind), None)

    @property
    def kinds(self) -> frozenset[str]:
        """Every kind of period the policy runs: its reviews' and its pay's."""
        return frozenset([self.pay, *(r.every for r in self.reviews.values())])

    @property
    def level_kinds(self) -> frozenset[str]:
        """The periods whose reviews move levels: the history the dynamic rules count."""
        return frozenset(r.every for r in self.reviews.values() if "level" in r.moves)


class QuotaRules(Strict):
    base: Literal["all", "graded"] = Field(
        default="all", description="all: every manager incl. trainees; graded: trainees excluded."
    )
    rounding: Literal["floor", "half_up", "ceil"] = "floor"
    overflow: Key | None = Field(
        default=None,
        description="Level that takes managers no capped seat is left for; default the lowest.",
    )
    override_caps: Literal["advisory", "hard"] = Field(
        default="hard",
        description="A level over its cap after calibration overrides: an error (hard), or "
        "a warning when the policy allows it (advisory).",
    )
    dynamics_caps: Literal["advisory", "hard"] = Field(
        default="hard",
        description="A level over its cap after the dynamic rules (an improvement period, a "
        "step limit): an error (hard), or a warning when the policy allows it (advisory).",
    )
    override_gates: Literal["advisory", "hard"] = Field(
        default="advisory",
        description="A calibration override into a level whose eligibility gates the manager "
        "fails: a warning (advisory), or an error (hard).",
    )


class Calibration(Strict):
    """Seed 004: levels are settled after 县市两级民主讨论、集体研究 — the county proposes, the
    city approves. With `require_approval`, a calibration move counts once it is approved."""

    require_approval: bool = Field(
        default=False,
        description="Apply only the overrides with approved_by and approved_on; list the "
        "others (AMC065), and their managers keep the computed tier.",
    )


class BandSplit(Strict):
    """Bands by rank within the level: shares in %, best band first, summing to 100."""

    method: Literal["split"]
    shares: list[Pct]


class BandCuts(Strict):
    """Bands by composite score: cuts descending, one fewer than bands."""

    method: Literal["cuts"]
    cuts: list[Pct]


BandRule = Annotated[BandSplit | BandCuts, Field(discriminator="method")]


class Bands(Strict):
    names: list[str] = Field(min_length=1, description="Best first, e.g. [A, B, C].")
    rule: BandRule


class Education(Strict):
    levels: list[str] = Field(min_length=1, description="Lowest first.")
    aliases: dict[str, str] = {}


def _exact(value: Any) -> Any:
    """YAML reads 1.3 as a binary float; take the digits as written so money stays exact."""
    if isinstance(value, float) and not isinstance(value, bool):
        return str(value)
    return value


Amount = Annotated[Decimal, BeforeValidator(_exact), Field(allow_inf_nan=False)]


class Rounding(Strict):
    """One rule for money: each component's amount for the period is rounded to `quantum`."""

    quantum: Amount = Field(default=Decimal("0.01"), gt=0)
    mode: Literal["half_up", "half_even", "down", "up", "floor", "ceiling"] = "half_up"


class Bracket(Strict):
    """One bracket: it covers from < x ≤ to (`to` absent: no upper end)."""

    from_: Amount = Field(alias="from")
    to: Amount | None = None
    rate: Amount

    model_config = ConfigDict(extra="forbid", frozen=True, populate_by_name=True)


class Component(Strict):
    formula: str = Field(min_length=1)
    label: str = ""
    per: Literal["month", "period"] | None = Field(
        default=None, description="month: × months in the period; period: as is. Default pay.per."
    )
    prorate: bool = Field(default=True, description="Scale by the days in post in the period.")


class RuralRule(Strict):
    """Seed 004: managers serving rural retail customers are paid one band above their grade."""

    band_step: int = Field(default=1, ge=0, le=8)
    at_top: Literal["keep", "next_level"] = Field(
        default="keep",
        description="keep: the top band stays the top band; next_level: step into the "
        "next level's lowest band.",
    )


class Pay(Strict):
    currency: str = "CNY"
    per: Literal["month", "period"] = "month"
    rounding: Rounding = Rounding()
    parameters: dict[Key, Amount] = {}
    tables: dict[Key, dict[str, Amount]] = {}
    brackets: dict[Key, list[Bracket]] = {}
    components: Annotated[
        dict[
            Key,
            Annotated[
                Component, BeforeValidator(lambda v: {"formula": v} if isinstance(v, str) else v)
            ],
        ],
        Field(min_length=1, description="In order; a formula may use those above it."),
    ]
    rural: RuralRule | None = None


ColumnType = Literal["number", "text", "choice", "yesno", "date"]


class Column(Strict):
    """A per-person column: the header texts that name it, what its cells hold and which table
    carries it. Written as a list of headers alone, it is a number in the performance table."""

    aliases: list[str] = Field(description="Header texts meaning this column, e.g. [用工性质].")
    type: ColumnType = Field(
        default="number",
        description="number, text, choice (one of `choices`), yesno (是/否) or date.",
    )
    choices: list[str] | None = Field(
        default=None, description="For type choice: the values a cell may hold."
    )
    table: Literal["roster", "performance"] | None = Field(
        default=None,
        description="Where the column is read: default performance for a number, else roster.",
    )
    default: str | bool | int | float | dt.date | None = Field(
        default=None,
        description="The value of a blank cell; without it a blank cell keeps the row from "
        "being graded. Not for dates.",
    )

    @property
    def source(self) -> Literal["roster", "performance"]:
        """The table the column is read from."""
        if self.table is not None:
            return self.table
        return "performance" if self.type == "number" else "roster"

    @model_validator(mode="after")
    def _consistent(self) -> "Column":
        if self.type == "choice" and not self.choices:
            raise SaidValueError(said("policy.column_choices_missing"))
        if self.type != "choice" and self.choices is not None:
            raise SaidValueError(said("policy.column_choices_not_choice", type=self.type))
        if self.default is not None and column_default(self) is None:
            raise SaidValueError(_bad_default(self))
        return self


def column_default(column: Column) -> Any:
    """The value a blank cell takes, typed as the column's cells are; None when the default
    does not fit the column (or there is none)."""
    value = column.default
    if value is None or column.type == "date" or isinstance(value, dt.date):
        return None
    if column.type == "number":
        ok = isinstance(value, int | float) and not isinstance(value, bool)
        return float(value) if ok else None
    if column.type == "yesno":
        return value if isinstance(value, bool) else yes_no(str(value))
    if isinstance(value, bool) or not isinstance(value, str):
        return None
    text = unicodedata.normalize("NFKC", value).strip()
    if column.type == "choice":  # the choice as the policy writes it
        written = {unicodedata.normalize("NFKC", c).strip(): c for c in column.choices or []}
        return written.get(text)
    return text


def _bad_default(column: Column) -> Said:
    shown = str(column.default)
    if column.type == "date":
        return said("policy.column_default_date")
    if column.type == "choice":
        return said("policy.column_default_choice", value=shown, choices=column.choices or [])
    return said("policy.column_default_type", value=shown, type=column.type)


def _short_column(value: Any) -> Any:
    """`sales: [销售额, sales]` is the short form of `{aliases: [销售额, sales]}`."""
    return {"aliases": value} if isinstance(value, list) else value


class _ColumnSchema:
    """The schema of a column entry, short form or long: made when a schema is asked for, not
    at import (building Column's there cost every `policy check` its validator, defer_build)."""

    def __get_pydantic_json_schema__(self, core_schema: Any, handler: Any) -> dict[str, Any]:
        return {
            "anyOf": [
                {"type": "array", "items": {"type": "string"}},
                Column.model_json_schema(),
            ],
            "description": "Header texts (a number in the performance table), or the long form.",
        }


ColumnEntry = Annotated[Column, BeforeValidator(_short_column), _ColumnSchema()]


TieKey = Literal["composite", "performance", "ability", "years_in_post", "employee_id"]


class Policy(Strict):
    api_version: str = Field(alias="apiVersion")
    kind: str
    metadata: Metadata
    columns: dict[Key, ColumnEntry] = Field(
        default={},
        description="Header aliases of the built-in fields, and the per-person columns the "
        "policy reads (metrics, targets and any other) with their type and table.",
    )
    sheets: Sheets = Sheets()
    education: Education
    ability: Ability
    performance: Performance
    composite: Composite
    grid: Grid
    levels: dict[Key, Level] = Field(description="Highest level first.")
    trainee: Trainee = Trainee()
    bands: Bands
    quota: QuotaRules = QuotaRules()
    tie_break: list[TieKey] = ["performance", "ability", "years_in_post", "employee_id"]
    dynamics: Dynamics = Dynamics()
    cadence: Cadence = Cadence()
    calibration: Calibration = Calibration()
    pay: Pay | None = None

    model_config = ConfigDict(extra="forbid", frozen=True, populate_by_name=True)

    @property
    def lowest_level(self) -> str:
        return list(self.levels)[-1]

    @property
    def overflow_level(self) -> str:
        return self.quota.overflow or self.lowest_level
