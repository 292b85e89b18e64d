"""A recorded run read back: reasons recorded as text by an earlier amctl keep their cell."""

from __future__ import annotations

from amctl.errors import Location
from amctl.pipeline.snapshot import _reason


def test_a_reason_recorded_as_text_keeps_its_own_cell() -> None:
    row = Location("/hr/roster.xlsx", sheet="花名册", row=4)
    line = "/hr/roster.xlsx:业绩!C3: 销售额 is empty; fill it in"
    kept = _reason(line, row)
    assert f"{kept.location}: {kept.worded('zh')}" == line
