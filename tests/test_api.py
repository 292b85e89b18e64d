"""`import amctl`: the documented surface, cheap to import, and the README's examples run."""

from __future__ import annotations

import contextlib
import io
import re
import subprocess
import sys
import warnings

import pytest

import amctl
from tests.helpers import REPO

README = (REPO / "README.md").read_text(encoding="utf-8")


def library_examples() -> list[str]:
    section = README.split("## As a library", 1)[1].split("\n## ", 1)[0]
    return re.findall(r"```python\n(.*?)```", section, re.S)


@pytest.mark.parametrize("code", library_examples())
def test_the_readme_library_examples_run(code: str, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(REPO)
    printed = io.StringIO()
    with contextlib.redirect_stdout(printed), warnings.catch_warnings():
        warnings.simplefilter("ignore")
        exec(compile(code, "README.md", "exec"), {})
    assert "1442756.81" in printed.getvalue()


def test_the_dataframe_example_is_three_lines_of_amctl() -> None:
    frames = library_examples()[0]
    lines = [line for line in frames.splitlines() if "amctl" in line]
    assert len(lines) == 3  # import, grade, pay


def test_every_public_name_resolves_and_is_documented() -> None:
    section = README.split("## As a library", 1)[1].split("\n## ", 1)[0]
    for name in amctl.__all__:
        assert getattr(amctl, name) is not None
        if name[0].islower():
            assert f"amctl.{name}" in section, f"amctl.{name} is not in the README"
    with pytest.raises(AttributeError):
        amctl.nothing_here  # type: ignore[attr-defined]  # noqa: B018


def test_dataframes_grade_as_the_workbook_does() -> None:
    import pandas as pd

    book = REPO / "examples" / "data" / "2024Q3" / "roster.xlsx"
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        frames = [
            pd.read_excel(book, sheet, header=h, engine="calamine")
            for sheet, h in (("花名册", 2), ("业绩", 1), ("能力评价", 0))
        ]
    from_frames = amctl.grade(*frames, period="2024Q3")
    from_book = amctl.run(REPO / "examples", "2024Q3")
    assert from_frames.managers["tier"].to_dict() == from_book.grading.managers["tier"].to_dict()


def test_a_bad_frame_is_named_by_its_row_and_header() -> None:
    import pandas as pd

    roster = pd.DataFrame({"员工编号": ["A1"], "姓名": ["王"], "部门": ["一部"]})
    with pytest.raises(amctl.DataError) as caught:
        amctl.grade(roster, roster, roster, period="2024Q3")
    assert any(str(f.location).startswith("roster") for f in caught.value.findings)


def test_import_amctl_is_cheap() -> None:
    code = "import sys, amctl; amctl.Workspace; print('pandas' in sys.modules)"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "False"
