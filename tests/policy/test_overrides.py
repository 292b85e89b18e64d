"""The overrides file: a move's proposal and approval fields, and who it is by."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from amctl.errors import PolicyError
from amctl.messages import say
from amctl.policy.overrides import load_overrides


def _file(tmp_path: Path, *moves: str) -> Path:
    path = tmp_path / "2024Q3.yaml"
    body = "".join(f"  - {{{m}}}\n" for m in moves)
    path.write_text(
        f"apiVersion: amctl/v1\nkind: Overrides\nquarter: 2024Q3\nmoves:\n{body}", encoding="utf-8"
    )
    return path


def test_a_reviewed_move_reads_its_proposal_and_approval(tmp_path: Path) -> None:
    (move,) = load_overrides(
        _file(
            tmp_path,
            "employee_id: KM0003, tier: mid-A, reason_code: CAL-01, proposed_by: 李科长, "
            "proposed_at: 县公司, approved_by: 王处长, approved_on: 2024-10-12",
        )
    ).moves
    assert (move.proposed_by, move.proposed_at) == ("李科长", "县公司")
    assert move.approved_on == dt.date(2024, 10, 12)
    assert move.approved and move.by == "王处长"


def test_a_move_as_written_before_is_read_as_before(tmp_path: Path) -> None:
    (move,) = load_overrides(
        _file(tmp_path, "employee_id: KM0003, tier: mid-A, authorised_by: 张主任, reason_code: X")
    ).moves
    assert move.by == "张主任" and not move.approved and move.proposed_by is None


@pytest.mark.parametrize(
    "extra", ["approved_by: 王处长", "approved_on: 2024-10-12", "authorised_by: 张主任"]
)
def test_half_an_approval_is_no_approval(tmp_path: Path, extra: str) -> None:
    move = load_overrides(
        _file(tmp_path, f"employee_id: K1, tier: mid-A, reason_code: X, proposed_by: 李, {extra}")
    ).moves[0]
    assert not move.approved


def test_a_move_must_name_who_decided_it(tmp_path: Path) -> None:
    path = _file(tmp_path, "employee_id: K1, tier: mid-A, reason_code: X", "employee_id: K2")
    with pytest.raises(PolicyError) as caught:
        load_overrides(path)
    found = {str(f.location).rsplit("/", 1)[-1]: f for f in caught.value.findings}
    nobody = found["2024Q3.yaml:5:5"]
    assert nobody.message == (
        "moves.0: a move names who decided it: authorised_by, or proposed_by / approved_by"
    )
    assert say(nobody.said, "zh").startswith("moves.0 的取值不符合要求：每条调整须注明由谁决定")


def test_an_approval_date_must_be_a_date(tmp_path: Path) -> None:
    path = _file(
        tmp_path, "employee_id: K1, tier: mid-A, reason_code: X, approved_by: 王, approved_on: 下周"
    )
    with pytest.raises(PolicyError) as caught:
        load_overrides(path)
    assert "moves.0.approved_on" in caught.value.findings[0].message
