"""The whole grading run through the library: order-independence and no lost rows."""

from __future__ import annotations

import random
from pathlib import Path

import pandas as pd
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from amctl.export import grading as export
from amctl.labels import say
from amctl.period import parse
from amctl.pipeline.grade import grade_files
from tests.helpers import EXAMPLE, Team, random_team, write_xlsx

Q3 = parse("2024Q3")


def _shuffled(team: Team, seed: int, path: Path) -> Path:
    rng = random.Random(seed)
    roster, perf, ratings = team.roster_rows(), team.performance_rows(), team.ratings_rows()
    for rows in (roster, perf, ratings):
        body = rows[1:]
        rng.shuffle(body)
        rows[1:] = body
    return write_xlsx(path, {"花名册": roster, "业绩": perf, "能力评价": ratings})


def test_row_order_never_changes_any_result(default_policy, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    team = random_team(60, seed=7)
    outputs = []
    for seed in range(3):
        wb = _shuffled(team, seed, tmp_path / f"r{seed}.xlsx")
        result = grade_files(default_policy, wb, Q3)
        out = tmp_path / f"out{seed}.csv"
        result.sources = {}  # the file names differ on purpose; compare only the grading
        export.write(result, out)
        outputs.append(out.read_bytes())
    assert outputs[0] == outputs[1] == outputs[2]


@settings(
    max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(
    n=st.integers(1, 25),
    damage=st.lists(
        st.tuples(st.integers(0, 24), st.sampled_from(["id", "date", "edu", "perf", "dup"])),
        max_size=6,
    ),
)
def test_every_roster_row_is_graded_or_reported(
    default_policy, tmp_path_factory, n, damage
) -> None:  # type: ignore[no-untyped-def]
    team = random_team(n, seed=n)
    roster, perf, ratings = team.roster_rows(), team.performance_rows(), team.ratings_rows()
    for index, kind in damage:
        row = 1 + index % n
        if kind == "id":
            roster[row][0] = None
        elif kind == "date":
            roster[row][3] = "someday"
        elif kind == "edu":
            roster[row][4] = "未知"
        elif kind == "perf":
            perf[row][1] = "n/a"
        else:
            roster[row][0] = roster[1][0]
    path = write_xlsx(
        tmp_path_factory.mktemp("t") / "r.xlsx",
        {"花名册": roster, "业绩": perf, "能力评价": ratings},
    )
    result = grade_files(default_policy, path, Q3)
    assert len(result.managers) + len(result.blocked) == n
    assert set(result.managers.index).isdisjoint({b.employee_id for b in result.blocked})
    for b in result.blocked:
        assert b.reasons and b.where.row is not None


def test_the_example_is_graded_within_quotas_except_reported_overflow(default_policy) -> None:  # type: ignore[no-untyped-def]
    result = grade_files(default_policy, EXAMPLE, Q3)
    for q in result.quota:
        if q.level != default_policy.policy.overflow_level:
            assert q.count <= q.seats
    over = result.managers["reasons"].map(lambda rs: any(r["code"] == "overflow" for r in rs)).sum()
    junior = next(q for q in result.quota if q.level == "junior")
    assert junior.over == over


def _with_trainee(tmp_path: Path, drop_perf: bool, drop_ratings: bool) -> Path:
    from tests.helpers import Person

    team = Team(
        [Person(f"E{i:03d}", score=50 + 7 * i) for i in range(6)] + [Person("T01", years=0)]
    )
    perf = [r for r in team.performance_rows() if not (drop_perf and r[0] == "T01")]
    ratings = [r for r in team.ratings_rows() if not (drop_ratings and r[0] == "T01")]
    return write_xlsx(
        tmp_path / "r.xlsx", {"花名册": team.roster_rows(), "业绩": perf, "能力评价": ratings}
    )


def test_a_trainee_without_performance_gets_no_invented_score_or_cell(
    default_policy, tmp_path: Path
) -> None:  # type: ignore[no-untyped-def]
    result = grade_files(default_policy, _with_trainee(tmp_path, True, False), Q3)
    trainee = result.managers.loc["T01"]
    assert trainee["level"] == "trainee"
    assert trainee["performance"] != trainee["performance"]  # NaN: no score from no data
    assert trainee["composite"] != trainee["composite"]
    assert pd.isna(trainee["performance_band"]) and pd.isna(trainee["cell"])
    assert trainee["ability"] == trainee["ability"] and trainee["ability_band"] in (
        "low",
        "mid",
        "high",
    )
    (said,) = [f for f in result.findings if f.row_id == "T01"]
    assert said.rule == "AMD011" and said.severity.name == "WARNING"
    assert "with no score, band or 9-box cell from the missing data" in said.message


def test_a_trainee_without_ratings_has_no_ability_band(default_policy, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    result = grade_files(default_policy, _with_trainee(tmp_path, False, True), Q3)
    trainee = result.managers.loc["T01"]
    assert trainee["ability"] != trainee["ability"]
    assert pd.isna(trainee["ability_band"]) and pd.isna(trainee["cell"])


def test_missing_rater_error_holds_trainees_too(write_policy, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    from amctl.policy.loader import load_policy

    policy = load_policy(write_policy("missing_rater: renormalise", "missing_rater: error"))
    result = grade_files(policy, _with_trainee(tmp_path, False, True), Q3)
    assert [b.employee_id for b in result.blocked] == ["T01"]
    assert "T01" not in result.managers.index


def test_a_missing_rater_is_said_in_the_reasons(default_policy, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    from tests.helpers import Person

    team = Team([Person(f"E{i:03d}", score=50 + 7 * i) for i in range(6)])
    ratings = [r for r in team.ratings_rows() if not (r[0] == "E002" and r[1] == "同事")]
    path = write_xlsx(
        tmp_path / "r.xlsx",
        {"花名册": team.roster_rows(), "业绩": team.performance_rows(), "能力评价": ratings},
    )
    result = grade_files(default_policy, path, Q3)
    said = result.managers.loc["E002", "reasons"][0]
    assert said == {"code": "rater_gap", "raters": ["同事评价"]}
    assert say(said).startswith("ability: no rating from 同事评价 on some indicator; the weights")
    assert say(said, "zh").startswith("能力：部分指标缺少同事评价的评分")
    assert not any(r["code"] == "rater_gap" for r in result.managers.loc["E001", "reasons"])


def test_a_blank_current_tier_is_a_new_hire_not_a_move(tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    import shutil

    from openpyxl import load_workbook

    from amctl.policy.loader import load_policy
    from tests.helpers import DEFAULT_POLICY

    path = tmp_path / "r.xlsx"
    shutil.copy(EXAMPLE, path)
    book = load_workbook(path)
    ws = book["花名册"]
    header = [c.value for c in ws[3]]  # below a title and a 制表 line
    for name in ("现等级", "现档次"):
        ws.cell(4, header.index(name) + 1).value = None  # KM0001, hired this quarter
    book.save(path)
    result = grade_files(load_policy(DEFAULT_POLICY), path, Q3)
    row = result.managers.loc["KM0001"]
    assert row["previous_tier"] is None and row["movement"] == "new"
    assert row["previous_from"] is None


def test_years_in_post_are_counted_a_column_at_a_time(default_policy, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    """No per-manager date arithmetic on the grading path: the one-date counters fail if
    grading calls them, and the example still grades as the column count says."""
    import amctl.period
    import amctl.pipeline.grade

    def per_row(*args: object) -> int:
        raise AssertionError("a per-manager date count on the grading path")

    for name in ("full_years", "full_months"):
        monkeypatch.setattr(amctl.period, name, per_row)
        monkeypatch.setattr(amctl.pipeline.grade, name, per_row, raising=False)
    result = grade_files(default_policy, EXAMPLE, parse("2024Q3"))
    years = result.managers["years_in_post"]
    assert years.dtype.kind == "i" and int(years.min()) >= 0 and len(years) == 80


def test_the_tier_in_force_is_read_from_the_ledger_whatever_the_ids_type() -> None:
    """The ledger keeps ids as text: a roster indexed by numbers finds them as the dynamic
    rules do."""
    from amctl.engine.dynamics import History, Past
    from amctl.pipeline.grade import in_force

    roster = pd.DataFrame(
        {"current_level": ["junior", None], "current_band": ["B", None]}, index=[1001, 1002]
    )
    past = History.of({"1001": [Past("2024Q2", "senior", "senior", "senior-A", "A")]})
    force = in_force(roster, past)
    assert force.loc[1001, ["level", "band", "level_set", "band_set"]].tolist() == [
        "senior",
        "A",
        "2024Q2",
        "2024Q2",
    ]
    assert force.loc[1002].isna().all()


def _moves_one_by_one(policy, previous, tier, level):  # type: ignore[no-untyped-def]
    """The definition of a move, manager by manager: against the tier before, else the
    level before (a level without a band); nothing before is new."""
    from amctl.policy.names import TRAINEE, tier_ladder

    tiers = {t: i for i, t in enumerate(tier_ladder(policy))}
    levels = {lv: i for i, lv in enumerate([TRAINEE, *reversed(list(policy.levels))])}
    out = []
    for was, now_t, now_l in zip(previous, tier, level, strict=True):
        if was is None or was != was or not was:
            out.append("new")
        elif was in tiers and now_t in tiers:
            a, b = tiers[was], tiers[now_t]
            out.append("same" if a == b else "up" if b > a else "down")
        elif was in levels and now_l in levels:
            a, b = levels[was], levels[now_l]
            out.append("same" if a == b else "up" if b > a else "down")
        else:
            out.append("changed")
    return out


@settings(max_examples=150, deadline=None)
@given(data=st.data())
def test_moves_over_columns_are_the_moves_one_by_one(default_policy, data) -> None:  # type: ignore[no-untyped-def]
    import numpy as np

    from amctl.engine.dynamics import History
    from amctl.pipeline.grade import _movements
    from amctl.policy.names import tier_ladder

    policy = default_policy.policy
    words = [*tier_ladder(policy), *policy.levels, "trainee", "", "某级", None, np.nan]
    n = data.draw(st.integers(1, 25))
    previous = data.draw(st.lists(st.sampled_from(words), min_size=n, max_size=n))
    tier = data.draw(st.lists(st.sampled_from(tier_ladder(policy)), min_size=n, max_size=n))
    level = [t.split("-")[0] for t in tier]
    managers = pd.DataFrame(
        {"current_tier": np.array(previous, dtype=object), "tier": tier, "level": level},
        index=pd.Index([f"E{i}" for i in range(n)], name="employee_id", dtype=object),
    )
    _movements(policy, managers, History.of({}))
    known = [p if isinstance(p, str) and p.strip() else None for p in previous]
    assert managers["movement"].tolist() == _moves_one_by_one(policy, known, tier, level)


def test_pairwise_gives_what_fn_gives_over_every_row() -> None:
    """Worked once per distinct pair, spread back: the values and the column type of fn over
    the whole columns (the ledger keeps the type)."""
    from amctl.pipeline.grade import _pairwise

    a = pd.Series(["mid", "mid", "senior", None, "mid"], dtype=object)
    b = pd.Series(["A", "A", None, "B", "C"], dtype=object)
    fns = [
        lambda x, y: x.map({"mid": "中级", "senior": "高级"}).str.cat(y.fillna("")),
        lambda x, y: x.where(y.notna(), None).astype(object),
    ]
    for fn, got in zip(fns, _pairwise(fns, a, b), strict=True):  # paired once for both
        pd.testing.assert_series_equal(got, fn(a, b))


@given(
    st.lists(
        st.sampled_from(["mid", " mid", "", "  ", None, float("nan"), pd.NA, 1, 1.0, True, "A"]),
        max_size=30,
    )
)
def test_texts_are_str_of_each_cell(cells) -> None:  # type: ignore[no-untyped-def]
    """_texts and the filled test, worked once per distinct value, are _str cell by cell:
    1, 1.0 and True hash alike but are none of them text; NaN, pd.NA and None are blanks."""
    from amctl.pipeline.grade import _each_distinct, _filled, _str, _texts

    column = pd.Series(cells, dtype=object, index=[f"E{i}" for i in range(len(cells))])
    got = _texts(column)
    assert got.tolist() == [_str(None if v is pd.NA else v) for v in cells]
    assert got.index.equals(column.index) and got.dtype == object
    filled = _each_distinct(column, _filled).tolist()
    assert filled == [isinstance(v, str) and bool(v.strip()) for v in cells]


@settings(
    max_examples=80, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(
    st.lists(
        st.lists(st.sampled_from([float("nan"), 40.0, 55.5, 59.5, 60.0, 72.0]), min_size=1),
        min_size=1,
        max_size=12,
    )
)
def test_training_is_at_the_first_of_the_lowest_scores(default_policy, rows) -> None:  # type: ignore[no-untyped-def]
    """The first of equal lowest, in policy order, a blank score never the lowest; none for
    a manager with no score or none under the bar: as numpy's argmin over the row says."""
    import numpy as np

    from amctl.pipeline.grade import _training

    policy = default_policy.policy
    keys = list(policy.ability.indicators)
    scores = np.array([(row * len(keys))[: len(keys)] for row in rows], dtype="float64")
    got = _training(policy, pd.DataFrame(scores, columns=keys))
    weakest = np.argmin(np.where(np.isnan(scores), np.inf, scores), axis=1)
    lowest = scores[np.arange(len(scores)), weakest]
    for text, at, low in zip(got, weakest.tolist(), lowest.tolist(), strict=True):
        if not low < policy.ability.training_below:
            assert text is None
        else:
            spec = policy.ability.indicators[keys[at]]
            assert text == f"{spec.label} {round(low)}: {spec.training or spec.label + '培训'}"
