"""A recorded run read back: reasons recorded as text by an earlier amctl keep their cell."""

from __future__ import annotations

from amctl.errors import Location
from amctl.pipeline.snapshot import _reason


def test_a_reason_recorded_as_text_keeps_its_own_cell() -> None:
    row = Location("/hr/roster.xlsx", sheet="花名册", row=4)
    line = "/hr/roster.xlsx:业绩!C3: 销售额 is empty; fill it in"
    kept = _reason(line, row)
    assert f"{kept.location}: {kept.worded('zh')}" == line


def test_the_declared_columns_are_kept_as_read(tmp_path) -> None:  # type: ignore[no-untyped-def]
    """Text, choices, yes/no and dates (a trainee's performance column left empty) come back
    from the ledger exactly as the run computed them."""
    import datetime as dt

    from amctl.pipeline.run import Given, run
    from amctl.pipeline.snapshot import parts, restore
    from tests.helpers import Person, declared_policy, declared_team, write_xlsx

    policy = declared_policy(
        tmp_path / "p.yaml",
        "type: date, table: roster}",
        "type: date, table: roster}\n  note: {aliases: [备注], type: text, table: performance}",
    )
    team = declared_team([["聘用工", dt.date(2010, 3, 1), "是"], ["在册", "2012-01-01", "否"]])
    team.people.append(Person("T1", years=0, extra=("在册", dt.date(2024, 1, 2), "否")))
    perf = team.performance_rows()
    perf[0].append("备注")
    perf[1].append("优秀")
    perf[2].append("良好")
    perf.pop()  # the trainee has no performance row
    book = write_xlsx(
        tmp_path / "team.xlsx",
        {"花名册": team.roster_rows(), "业绩": perf, "能力评价": team.ratings_rows()},
    )
    result = run(None, "2024Q3", Given(roster=book, policy=policy), pay="required")
    grading = result.grading
    assert grading.data.loc["T1", "note"] is None
    back = restore(grading.policy, dict(parts(grading, result.payroll)))
    assert back is not None
    restored = back[0].data
    assert restored.equals(grading.data)
    assert list(restored.dtypes) == list(grading.data.dtypes)


def test_a_recorded_run_gives_back_every_managers_reasons(tmp_path) -> None:  # type: ignore[no-untyped-def]
    """The reasons go to the ledger a part at a time (gate failures a column per gate) and
    come back as each manager's list, as JSON per manager would have kept them."""
    import json

    from amctl.period import parse
    from amctl.pipeline.run import record, recorded_run, run
    from amctl.workspace.layout import Workspace
    from tests.helpers import example_workspace

    ws = Workspace.at(example_workspace(tmp_path / "ws"))
    result = run(ws, "2024Q3", pay="cadence")
    computed = json.loads(json.dumps(result.grading.managers["reasons"].tolist()))
    assert record(result).action == "recorded"
    with ws.ledger() as ledger:  # type: ignore[union-attr]
        kept = recorded_run(ledger, ws, parse("2024Q3"))
    assert kept is not None
    reasons = kept.grading.managers["reasons"]
    assert reasons.array.kept is not None  # still a Why, put together when read
    assert reasons.tolist() == computed
    failures = [r["failures"] for rs in computed for r in rs if r["code"] == "not_eligible"]
    assert any(failures) and all(isinstance(f, list) for f in failures)
