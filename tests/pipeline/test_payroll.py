"""The example quarter's payroll, recomputed independently here with plain `decimal`."""

from __future__ import annotations

import datetime as dt
import random
from decimal import ROUND_HALF_UP, Decimal

import pandas as pd

from amctl.period import parse
from amctl.pipeline.grade import grade_files
from amctl.pipeline.payroll import PayrollResult, run_payroll
from tests.helpers import EXAMPLE

CENT = Decimal("0.01")


def _seniority(years: int) -> Decimal:
    """Seed 004, marginal: 4 a year up to 10, 6 for years 11–15, 8 beyond; none under 3."""
    if years < 3:
        return Decimal(0)
    return Decimal(4 * min(years, 10) + 6 * max(0, min(years, 15) - 10) + 8 * max(0, years - 15))


def test_the_example_payroll_matches_an_independent_decimal_computation(default_policy) -> None:  # type: ignore[no-untyped-def]
    q3 = parse("2024Q3")
    grading = grade_files(default_policy, EXAMPLE, q3)
    result = run_payroll(default_policy, grading)
    pay = default_policy.policy.pay
    params, tables = pay.parameters, pay.tables
    bands = ["A", "B", "C"]
    assert len(result.lines) == 80
    checked = 0
    for eid, row in grading.data.iterrows():
        start = max(row["post_start"], dt.date(2024, 7, 1))
        end = (
            min(row["leave_date"], dt.date(2024, 9, 30))
            if isinstance(row["leave_date"], dt.date)
            else dt.date(2024, 9, 30)
        )
        days = Decimal(max(0, (end - start).days + 1))

        def quarterly(monthly: Decimal, days: Decimal = days) -> Decimal:
            return (monthly * 3 * days / 92).quantize(CENT, rounding=ROUND_HALF_UP)

        level = row["level"]
        if level == "trainee":
            tier, factor = "trainee", Decimal(1)
        else:
            band = bands[max(0, bands.index(row["band"]) - (1 if row["rural"] else 0))]
            tier = f"{level}-{band}"
            ratio = Decimal(repr(float(row["performance"]))) / 80
            factor = min(max(ratio, Decimal("0.6")), Decimal("1.2")).quantize(
                Decimal("0.0001"), rounding=ROUND_HALF_UP
            )
        if level == "trainee":
            commission = Decimal(0)
        else:  # per 万元 of the quarter's sales, at the rate of its attainment bracket
            sales, target = (Decimal(repr(float(row[k]))) for k in ("sales", "sales_target"))
            attained = sales / target * 100
            rate = 8 if attained <= 100 else 12 if attained <= 120 else 15
            commission = (sales * rate).quantize(CENT, rounding=ROUND_HALF_UP)  # not prorated
        expected = {
            "base": quarterly(params["base_post_wage"]),
            "floating": quarterly(tables["floating_wage"][level]),
            "seniority": quarterly(_seniority(int(row["years_in_post"]))),
            "benefit": quarterly(
                params["benefit_base"] * tables["benefit_coefficient"][tier] * factor
            ),
            "commission": commission,
            "welfare": quarterly(params["welfare_allowance"]),
        }
        expected["total"] = sum(expected.values(), Decimal(0))
        line = result.lines.loc[eid]
        assert line["pay_tier"] == tier
        for name, value in expected.items():
            assert line[name] == value, (eid, name, line[name], value)
        checked += 1
    assert checked == 80
    assert result.grand_total == sum(result.lines["total"], Decimal(0))
    by_unit = result.summary(["org_unit"])
    assert sum(by_unit["total"], Decimal(0)) == result.grand_total


def test_the_leaver_and_the_joiner_in_the_example_are_prorated(default_policy) -> None:  # type: ignore[no-untyped-def]
    result = run_payroll(default_policy, grade_files(default_policy, EXAMPLE, parse("2024Q3")))
    assert result.lines.loc["KM0031", "days"] == 62  # left on 2024-08-31
    assert (result.lines["days"] < 92).sum() >= 2


def test_the_summary_sums_each_group_of_the_lines_exactly() -> None:
    """Groups in key order, a blank key left out as pandas leaves it, every sum to the fen and
    written with the fen (12.30, not 12.3), as a Decimal sum row by row gives it."""
    rng = random.Random(7)
    n = 3_000
    units = [rng.choice(["东区", "西区", "南区", None]) for _ in range(n)]
    tiers = [rng.choice(["junior-A", "mid-B", "senior-C"]) for _ in range(n)]
    base = [Decimal(rng.randrange(-500, 10**7)).scaleb(-2) for _ in range(n)]
    bonus = [
        rng.choice([Decimal("-0.00"), Decimal("0"), Decimal("0.05"), Decimal("12.30")])
        for _ in range(n)
    ]
    bands = [rng.choice(["A", "B", None]) for _ in range(n)]
    total = [a + b for a, b in zip(base, bonus, strict=True)]
    lines = pd.DataFrame(
        {
            "org_unit": units,
            "tier": tiers,
            "band": bands,
            "base": base,
            "bonus": bonus,
            "total": total,
        },
        index=pd.Index([f"E{i:05d}" for i in range(n)], name="employee_id"),
    )
    result = PayrollResult(None, lines, ["base", "bonus"], {})  # type: ignore[arg-type]
    # by unit and tier: from the sums of their cells; by another key, from the rows
    for by in (["org_unit"], ["tier"], ["tier", "org_unit"], ["band"], ["org_unit", "band"]):
        got = result.summary(by)
        groups = lines.groupby(by, sort=True)
        want = groups.size().rename("managers").to_frame()
        for col in ["base", "bonus", "total"]:
            want[col] = groups[col].agg(lambda v: sum(v, Decimal(0)))
        want = want.reset_index()
        assert got.columns.tolist() == want.columns.tolist()
        assert [[repr(v) for v in row] for row in got.itertuples(index=False)] == [
            [repr(v) for v in row] for row in want.itertuples(index=False)
        ]
    assert result.totals() == {c: sum(lines[c], Decimal(0)) for c in ["base", "bonus", "total"]}
    assert result.grand_total == sum(total, Decimal(0))


def test_the_amounts_pay_made_are_those_of_its_lines_and_write_the_same_files(
    default_policy, tmp_path, monkeypatch
) -> None:  # type: ignore[no-untyped-def]
    """The text and whole numbers pay made once (engine.amounts) are the lines' Decimals: a
    csv and a parquet written from them are the bytes written from the Decimals."""
    import pyarrow as pa

    from amctl.export import flat
    from amctl.export.flat import write_csv, write_parquet
    from amctl.export.formats import frame_table
    from amctl.export.payroll import line_table
    from amctl.export.table import silent

    monkeypatch.setattr(flat, "BATCH", 7)  # batches that do not divide the rows
    result = run_payroll(default_policy, grade_files(default_policy, EXAMPLE, parse("2024Q3")))
    assert set(result.made) == {*result.components, "total"}
    assert any(m.codes is not None for m in result.made.values())  # a tier's wage, shared
    for col, made in result.made.items():
        texts = made.text.cast(pa.string()).to_pylist()
        assert texts == [str(v) for v in result.lines[col]]
    for writer, name in ((write_csv, "lines.csv"), (write_parquet, "lines.parquet")):
        writer(tmp_path / f"made-{name}", line_table(result), silent)
        writer(tmp_path / name, frame_table(result.lines), silent)
        assert (tmp_path / f"made-{name}").read_bytes() == (tmp_path / name).read_bytes()


def test_the_decimals_of_amounts_made_in_whole_numbers_are_made_only_when_the_lines_are_read(
    default_policy, monkeypatch
) -> None:  # type: ignore[no-untyped-def]
    """Pay keeps the total (and any component worked in whole numbers) as whole numbers only:
    the head count, the totals and the summaries need no Decimal a manager. Reading the lines
    makes them once, the very Decimals pay worked out without deferring."""
    from amctl.engine.amounts import Amounts
    from amctl.engine.pay import PayPeriod, compute
    from tests.helpers import spy

    grading = grade_files(default_policy, EXAMPLE, parse("2024Q3"))
    made = spy(monkeypatch, Amounts, "exact")
    result = run_payroll(default_policy, grading)
    assert "total" not in result.frame.columns
    assert result.paid == 80
    assert result.grand_total == result.totals()["total"]
    assert result.summary(["tier"])["managers"].sum() == 80
    assert made == []
    shown = {eid: result.line(eid) for eid in result.frame.index[::9]}  # explain's
    assert result.line("nobody") is None
    assert made == []  # no Decimal made a manager yet: a shown line's made for it alone
    lines = result.lines
    for eid, line in shown.items():
        assert line is not None
        assert list(line) == lines.columns.tolist()
        assert [repr(v) for v in line.values()] == [repr(v) for v in lines.loc[eid]]
    left = [c for c in [*result.components, "total"] if c not in result.frame.columns]
    assert sorted(id(args[0]) for args in made) == sorted(id(result.made[c]) for c in left)
    assert lines is result.lines  # made once
    monkeypatch.undo()
    period = PayPeriod(dt.date(2024, 7, 1), dt.date(2024, 9, 30), 3)
    whole = compute(default_policy.policy, default_policy.formulas, grading.data, period)
    want = pd.DataFrame(
        {c: grading.managers[c] for c in ("name", "org_unit", "level", "band", "tier", "rural")}
    ).join(whole)
    assert lines.columns.tolist() == want.columns.tolist()
    for col in [*result.components, "total"]:
        assert [repr(v) for v in lines[col]] == [repr(v) for v in want[col]]
    assert result.grand_total == sum(want["total"], Decimal(0))


def test_the_ledger_csv_parquet_and_report_of_a_payroll_make_no_decimal_a_manager(
    default_policy, tmp_path, monkeypatch
) -> None:  # type: ignore[no-untyped-def]
    """What close writes of a payroll, its ledger parts, csv and parquet tables and the
    report's listed totals, is read from the whole numbers pay kept: the same bytes as from
    the lines' Decimals, with none of the deferred columns' Decimals made."""
    from amctl.engine.amounts import Amounts
    from amctl.export import payroll as export
    from amctl.export import report
    from amctl.pipeline import snapshot
    from amctl.pipeline.run import run
    from tests.helpers import example_workspace, spy

    ws = example_workspace(tmp_path / "ws")
    done = run(ws, "2024Q3", pay="required")
    result = done.payroll
    assert result is not None
    assert "total" not in result.frame.columns
    made = spy(monkeypatch, Amounts, "exact")
    parts = snapshot.parts(done.grading, result)
    for suffix in ("csv", "parquet"):
        export.write(result, tmp_path / f"lazy.{suffix}", force=True)
    page = report.render(done, "en")
    assert made == []
    assert "lines" not in vars(result)  # the cached lines were never made
    monkeypatch.undo()
    whole = PayrollResult(done.grading, result.lines, result.components, result.formulas)
    assert snapshot.parts(done.grading, whole) == parts
    for suffix in ("csv", "parquet"):
        export.write(whole, tmp_path / f"whole.{suffix}", force=True)
        assert (tmp_path / f"lazy.{suffix}").read_bytes() == (
            tmp_path / f"whole.{suffix}"
        ).read_bytes()
    done.payroll = whole
    assert report.render(done, "en") == page


def test_pay_worked_for_data_in_another_order_than_the_managers_keeps_the_lines_columns(
    default_policy,
) -> None:  # type: ignore[no-untyped-def]
    """The grading's data in another order than its managers (a GradeResult put together by
    hand): the lines are the same, each component in the policy's order, then the total."""
    import dataclasses

    grading = grade_files(default_policy, EXAMPLE, parse("2024Q3"))
    want = run_payroll(default_policy, grading).lines
    turned = dataclasses.replace(grading, data=grading.data.iloc[::-1])
    result = run_payroll(default_policy, turned)
    assert result.lines.columns.tolist() == result.columns == want.columns.tolist()
    assert [[repr(v) for v in row] for row in result.lines.itertuples()] == [
        [repr(v) for v in row] for row in want.itertuples()
    ]
