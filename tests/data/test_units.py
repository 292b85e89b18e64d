"""A metric read to its declared unit: percent formats, % signs, and plain numbers that only
fit the other scale, on workbooks written the way Excel writes them."""

from __future__ import annotations

from pathlib import Path

from openpyxl import Workbook

from amctl.period import parse
from amctl.pipeline.grade import GradeResult, grade_files
from tests.helpers import Person, Team

Q3 = parse("2024Q3")
GROWTH, SATISFACTION = 6, 5  # columns of the performance sheet (0-based)


def _team() -> Team:
    return Team([Person(f"E{i:03d}", score=50 + 7 * i) for i in range(6)])


def _write(path: Path, team: Team, edit=None, fmt: dict[int, str] | None = None) -> Path:  # type: ignore[no-untyped-def]
    """The team's workbook; `edit(perf)` changes the performance rows, `fmt` gives a column's
    number format (Excel's way of storing 15.59 % as 0.1559)."""
    perf = team.performance_rows()
    if edit:
        edit(perf)
    wb = Workbook()
    sheets = {"花名册": team.roster_rows(), "业绩": perf, "能力评价": team.ratings_rows()}
    for i, (name, rows) in enumerate(sheets.items()):
        ws = wb.active if i == 0 else wb.create_sheet(name)
        assert ws is not None
        ws.title = name
        for row in rows:
            ws.append(row)
        if name == "业绩":
            for col, code in (fmt or {}).items():
                for r in range(2, len(rows) + 1):
                    ws.cell(row=r, column=col + 1).number_format = code
    wb.save(path)
    return path


def _scores(result: GradeResult) -> dict[str, float]:
    return result.managers["composite"].to_dict()


def _as_fractions(col: int):  # type: ignore[no-untyped-def]
    def edit(perf: list[list[object]]) -> None:
        for row in perf[1:]:
            row[col] = float(f"{row[col] / 100:.10g}")  # type: ignore[operator]

    return edit


def test_a_percent_formatted_column_reads_as_the_percent_it_shows(
    default_policy, tmp_path: Path
) -> None:  # type: ignore[no-untyped-def]
    team = _team()
    plain = grade_files(default_policy, _write(tmp_path / "a.xlsx", team), Q3)

    def edit(perf: list[list[object]]) -> None:
        _as_fractions(GROWTH)(perf)
        _as_fractions(SATISFACTION)(perf)

    stored = _write(tmp_path / "b.xlsx", team, edit, {GROWTH: "0.00%", SATISFACTION: '0.0"分"%'})
    formatted = grade_files(default_policy, stored, Q3)
    assert not formatted.blocked
    assert _scores(formatted) == _scores(plain)


def test_percent_text_and_percent_cells_read_alike(default_policy, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    team = _team()
    plain = grade_files(default_policy, _write(tmp_path / "a.xlsx", team), Q3)

    def edit(perf: list[list[object]]) -> None:
        for row in perf[1:3]:
            row[GROWTH] = f"{row[GROWTH]}%"

    texts = grade_files(default_policy, _write(tmp_path / "b.xlsx", team, edit), Q3)
    assert _scores(texts) == _scores(plain)


def test_plain_fractions_beside_percent_text_are_errors_at_their_cells(
    default_policy, tmp_path: Path
) -> None:  # type: ignore[no-untyped-def]
    def edit(perf: list[list[object]]) -> None:
        perf[1][GROWTH] = "5.88%"
        perf[2][GROWTH] = 0.1559  # what a 15.59 % cell holds, its format lost

    path = _write(tmp_path / "r.xlsx", _team(), edit)
    result = grade_files(default_policy, path, Q3)
    assert [b.employee_id for b in result.blocked] == ["E001"]
    (finding,) = [f for f in result.findings if f.rule == "AMD024"]
    assert str(finding).startswith(
        f"{path}:业绩!G3: error: 业务增长率 0.1559 looks like a fraction"
    )
    assert "other cells in the column say their scale" in str(finding)


def test_a_satisfaction_column_written_as_fractions_is_not_scored(
    default_policy, tmp_path: Path
) -> None:  # type: ignore[no-untyped-def]
    result = grade_files(
        default_policy, _write(tmp_path / "r.xlsx", _team(), _as_fractions(SATISFACTION)), Q3
    )
    assert len(result.blocked) == 6 and result.managers.empty
    assert all(f.rule == "AMD024" for f in result.findings if f.severity.name == "ERROR")
    assert "every plain number in the column fits that scale" in str(result.findings[0])


def test_a_percent_sign_in_a_plain_number_column_is_an_error(
    default_policy, tmp_path: Path
) -> None:  # type: ignore[no-untyped-def]
    def edit(perf: list[list[object]]) -> None:
        perf[1][1] = "120%"  # sales

    result = grade_files(default_policy, _write(tmp_path / "r.xlsx", _team(), edit), Q3)
    assert [b.employee_id for b in result.blocked] == ["E000"]
    assert any(
        f.rule == "AMD023" and "declare the indicator's unit" in f.message for f in result.findings
    )


def test_a_fraction_unit_reads_percent_text_as_a_fraction(write_policy, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    from amctl.policy.loader import load_policy

    policy = load_policy(
        write_policy(
            "      unit: percent              # 15.59",
            "      unit: fraction             # 15.59",
            "score: {method: linear, from: [-10, 30]}",
            "score: {method: linear, from: [-0.1, 0.3]}",
        )
    )
    team = _team()

    def edit(perf: list[list[object]]) -> None:
        _as_fractions(GROWTH)(perf)
        perf[1][GROWTH] = f"{perf[1][GROWTH] * 100:.10g}%"  # type: ignore[operator]

    result = grade_files(policy, _write(tmp_path / "r.xlsx", team, edit, {GROWTH: "0%"}), Q3)
    assert not result.blocked
    default = grade_files(
        load_policy(Path(__file__).parents[2] / "policies" / "ct-group.yaml"),
        _write(tmp_path / "p.xlsx", team),
        Q3,
    )
    assert _scores(result) == _scores(default)
