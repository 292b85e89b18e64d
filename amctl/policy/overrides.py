"""Calibration overrides as data: after the computed grading, a calibration meeting may move a
manager by hand. Each move sits in `overrides/QUARTER.yaml` (reviewed in git like the policy)
with who authorised it, a reason code and a comment; grading applies it and says so.

Seed 004 settles levels in two steps (县市两级): a move may say who proposed it and where
(`proposed_by`, `proposed_at`: 县公司) and who approved it and when (`approved_by`,
`approved_on`). With the policy's `calibration.require_approval`, only approved moves apply."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any, Literal

from pydantic import Field, PrivateAttr, ValidationError, model_validator

from amctl.errors import Finding, Location, PolicyError
from amctl.messages import Said, said
from amctl.policy.loader import parse_yaml, read_policy_text
from amctl.policy.locate import position
from amctl.policy.models import SaidValueError, Strict

_NOT_A_MAPPING = said("policy.overrides_not_mapping")


class Move(Strict):
    employee_id: str
    tier: str = Field(description="The tier the meeting decided, e.g. senior-C, or trainee.")
    authorised_by: str | None = Field(
        default=None,
        min_length=1,
        description="Who authorised the move; optional when proposed_by or approved_by says who.",
    )
    reason_code: str = Field(min_length=1)
    comment: str = ""
    proposed_by: str | None = Field(default=None, min_length=1, description="Who proposed it.")
    proposed_at: str | None = Field(
        default=None, min_length=1, description="Where it was proposed: 县级, 县公司, …"
    )
    approved_by: str | None = Field(default=None, min_length=1, description="Who approved it.")
    approved_on: dt.date | None = Field(
        default=None, description="The day it was approved; after the period's end is fine."
    )

    @model_validator(mode="after")
    def _someone(self) -> Move:
        if not (self.authorised_by or self.proposed_by or self.approved_by):
            raise SaidValueError(said("policy.override_nobody"))
        return self

    @property
    def approved(self) -> bool:
        """Approved, as `calibration.require_approval` counts it: by someone, on a day."""
        return self.approved_by is not None and self.approved_on is not None

    @property
    def by(self) -> str:
        """Who the move is by, as the manager's reasons say: its approver, else who
        authorised or proposed it."""
        return self.approved_by or self.authorised_by or self.proposed_by or ""


class Overrides(Strict):
    api_version: Literal["amctl/v1"] = Field(alias="apiVersion")
    kind: Literal["Overrides"]
    quarter: str
    moves: list[Move] = Field(default_factory=list)
    _source: str = PrivateAttr(default="overrides")
    _lines: list[int] = PrivateAttr(default_factory=list)

    def where(self, index: int | None = None) -> Location:
        """The file, or the line of one move in it: findings about a move point there."""
        if index is None or index >= len(self._lines):
            return Location(self._source)
        return Location(self._source, line=self._lines[index], col=5)


def overrides_source(overrides: Overrides) -> str:
    return overrides._source


def load_overrides(path: Path) -> Overrides:
    text = read_policy_text(path, "overrides")
    tree = parse_yaml(text, str(path))
    try:
        loaded = Overrides.model_validate(tree)
        loaded._source = str(path)
        loaded._lines = [position(tree, ("moves", i))[0] for i in range(len(loaded.moves))]
        return loaded
    except ValidationError as exc:
        findings = []
        for err in exc.errors():
            line, col = position(tree, err["loc"])
            dotted = ".".join(str(p) for p in err["loc"])
            where = Location(str(path), line=line, col=col)
            message = (
                said("policy.overrides_value", where=dotted, msg=_msg(err))
                if dotted
                else _NOT_A_MAPPING
            )
            findings.append(Finding.of(where, "AMC060", message))
        raise PolicyError(findings, said("policy.overrides_invalid", path=str(path))) from None


def _msg(err: Any) -> Said | str:
    """pydantic's words, or the move's own check in the catalogue's."""
    error = (err.get("ctx") or {}).get("error")
    return error.said if isinstance(error, SaidValueError) else str(err["msg"])
