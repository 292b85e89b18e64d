"""Calibration overrides as data: after the computed grading, a calibration meeting may move a
manager by hand. Each move sits in `overrides/QUARTER.yaml` (reviewed in git like the policy)
with who authorised it, a reason code and a comment; grading applies it and says so."""

from __future__ import annotations

from pathlib import Path
from typing import Literal

from pydantic import Field, PrivateAttr, ValidationError

from amctl.errors import Finding, Location, PolicyError
from amctl.messages import said
from amctl.policy.loader import parse_yaml, read_policy_text
from amctl.policy.locate import position
from amctl.policy.models import Strict

_NOT_A_MAPPING = said("policy.overrides_not_mapping")


class Move(Strict):
    employee_id: str
    tier: str = Field(description="The tier the meeting decided, e.g. senior-C, or trainee.")
    authorised_by: str = Field(min_length=1)
    reason_code: str = Field(min_length=1)
    comment: str = ""


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
                said("policy.overrides_value", where=dotted, msg=str(err["msg"]))
                if dotted
                else _NOT_A_MAPPING
            )
            findings.append(Finding.of(where, "AMC060", message))
        raise PolicyError(findings, said("policy.overrides_invalid", path=str(path))) from None
