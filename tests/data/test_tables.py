"""The columnar table reader reads numbers written as text exactly as the per-cell parser
does, and reports the same cells."""

from __future__ import annotations

import csv
import tempfile
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from amctl.data import sheets as readers
from amctl.data.sheets import read_sheet
from amctl.data.tables import FieldSpec, Table, read_table

SPECS = [FieldSpec("employee_id", "id"), FieldSpec("x", "number", low=-1e6, high=1e6)]

# plain numbers (Arrow's cast), and everything near them that only cells.number reads or
# reports: signs, exponents, commas, a %, spaces, full-width digits, underscores, inf, blanks
_plain = st.floats(allow_nan=False, allow_infinity=False, width=64).map(repr)
_decimal = st.decimals(allow_nan=False, allow_infinity=False, places=6).map(str)
_noisy = st.text(alphabet="0123456789.-+eE,% _１inf", max_size=8)
NUMBERS = st.lists(st.one_of(_plain, _decimal, _noisy), min_size=1, max_size=40)


def _read(path: Path, columnar: bool, monkeypatch: pytest.MonkeyPatch) -> Table:
    monkeypatch.setattr(readers, "COLUMNAR", columnar)
    return read_table(read_sheet(path), SPECS, {"employee_id": ["工号"], "x": ["得分"]})


@settings(max_examples=60, deadline=None)
@given(values=NUMBERS)
def test_text_numbers_read_as_each_cell_alone(values: list[str]) -> None:
    with tempfile.TemporaryDirectory() as folder, pytest.MonkeyPatch.context() as patch:
        path = Path(folder) / "t.csv"
        with path.open("w", newline="", encoding="utf-8") as fh:
            rows = [[f"E{i}", v] for i, v in enumerate(values)]
            csv.writer(fh).writerows([["工号", "得分"], *rows])
        fast, slow = _read(path, True, patch), _read(path, False, patch)
    assert fast.values["x"] == slow.values["x"]
    assert [f.message for f in fast.findings] == [f.message for f in slow.findings]
    assert fast.bad == slow.bad


WORDS = st.lists(
    st.one_of(
        st.text(alphabet="AZ09中文", min_size=1, max_size=6),  # plain
        st.text(alphabet=" \u3000A１Ａ中\t\u00a0😀\x07ﬁ", max_size=4),  # what cells.text changes
    ),
    min_size=1,
    max_size=60,
)


@settings(max_examples=60, deadline=None)
@given(ids=WORDS, names=WORDS)
def test_distinct_text_reads_as_each_cell_alone(ids: list[str], names: list[str]) -> None:
    """Ids and names that hardly repeat are checked a column at a time, not hashed into a
    dictionary: the same values, findings and bad rows as the per-cell reader."""
    from amctl.data import tables

    specs = [FieldSpec("employee_id", "id"), FieldSpec("name", "text", allow_blank=True)]
    with tempfile.TemporaryDirectory() as folder, pytest.MonkeyPatch.context() as patch:
        patch.setattr(tables, "_SAMPLE", 4)  # small tables take the path of large ones
        path = Path(folder) / "t.csv"
        with path.open("w", newline="", encoding="utf-8") as fh:
            rows = [[f"{i}{e}", n] for i, (e, n) in enumerate(zip(ids, names * 60, strict=False))]
            csv.writer(fh).writerows([["工号", "姓名"], *rows])
        read = {}
        for columnar in (True, False):
            patch.setattr(readers, "COLUMNAR", columnar)
            sheet = read_sheet(path)
            read[columnar] = read_table(sheet, specs, {"employee_id": ["工号"], "name": ["姓名"]})
    fast, slow = read[True], read[False]
    assert fast.values == slow.values
    assert [f.message for f in fast.findings] == [f.message for f in slow.findings]
    assert fast.bad == slow.bad


def test_columns_make_a_kept_columns_list_once_and_forget_its_arrays_when_it_changes() -> None:
    import numpy as np

    from amctl.data.tables import Columns

    made = []
    columns = Columns()
    columns["id"] = ["E1", "E2"]
    floats = np.array([1.5, 2.0])
    columns.keep("x", floats, lambda: made.append(1) or floats.tolist())
    assert list(columns) == ["id", "x"] and "x" in columns and len(columns) == 2
    assert columns.arrays("x") is floats and made == []  # not made until asked for
    assert columns["x"] == [1.5, 2.0] and columns["x"] is columns["x"] and made == [1]
    assert columns.arrays("x") is floats  # the list is still the one the arrays gave
    columns["x"][0] = 9.0
    columns.changed("x")
    assert columns.arrays("x") is None and columns["x"] == [9.0, 2.0]
    columns.keep("y", floats, floats.tolist)
    columns["y"] = [None, None]  # a new list: the arrays no longer say what it holds
    assert columns.arrays("y") is None and columns["y"] == [None, None]
    del columns["y"]
    assert "y" not in columns and dict(columns) == {"id": ["E1", "E2"], "x": [9.0, 2.0]}


@settings(max_examples=40, deadline=None)
@given(
    values=st.lists(
        st.floats(-1e6, 1e6, allow_nan=False).map(lambda f: round(f, 3)), min_size=1, max_size=30
    )
)
def test_a_clean_number_column_is_kept_as_floats_and_made_a_list_only_when_asked(
    values: list[float],
) -> None:
    """A number column whose every cell is good is held as Arrow's floats: the list the
    per-cell reader gives is made only when something asks for it, and is the same."""
    import numpy as np

    with tempfile.TemporaryDirectory() as folder, pytest.MonkeyPatch.context() as patch:
        path = Path(folder) / "t.csv"
        with path.open("w", newline="", encoding="utf-8") as fh:
            csv.writer(fh).writerows(
                [["工号", "得分"], *[[f"E{i}", v] for i, v in enumerate(values)]]
            )
        fast, slow = _read(path, True, patch), _read(path, False, patch)
    assert fast.has_floats("x") and not slow.has_floats("x")
    assert fast.values._lists["x"] is None  # held as floats, no list made
    assert np.array_equal(fast.floats("x"), np.array(slow.values["x"], dtype=float))
    assert fast.values["x"] == slow.values["x"]
    assert fast.objects("employee_id").tolist() == slow.values["employee_id"]


@settings(max_examples=100, deadline=None)
@given(
    st.lists(
        st.one_of(
            st.none(),
            st.text(alphabet="AZaz09", max_size=6),  # ids such as KM0001: the quick test
            st.text(alphabet=" \u3000A１Ａ中\t\u00a0😀\x07ﬁ-", max_size=4),
        ),
        min_size=1,
        max_size=30,
    )
)
def test_plain_ids_are_judged_alike_alone_and_among_others(words: list[str | None]) -> None:
    """A column of ids of ASCII letters and digits alone is judged plain without the regex
    passes; each cell gets the verdict it gets among any others."""
    import pyarrow as pa

    from amctl.data.tables import _plain_words

    together = _plain_words(pa.array(words, pa.string())).to_pylist()
    alone = [_plain_words(pa.array([w], pa.string())).to_pylist()[0] for w in words]
    assert together == alone


@pytest.mark.parametrize("distinct", [True, False])
def test_a_bad_cell_names_its_manager_without_making_the_ids_a_list(
    tmp_path: Path, distinct: bool
) -> None:
    """A bad number on a sheet whose ids Arrow kept (as text, or as codes) is reported with
    its manager's id, read from Arrow: the ids never become a list for it."""
    from amctl.data import tables

    ids = [f"E{i}" for i in range(12)] if distinct else ["E1", "E1", "E2", "E2"] * 3
    values = ["1.5"] * len(ids)
    values[5] = "abc"
    path = tmp_path / "t.csv"
    with path.open("w", newline="", encoding="utf-8") as fh:
        csv.writer(fh).writerows([["工号", "得分"], *zip(ids, values, strict=True)])
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(tables, "_SAMPLE", 4)  # small tables take the path of large ones
        fast, slow = _read(path, True, patch), _read(path, False, patch)
    kept = fast.text("employee_id") if distinct else fast.codes("employee_id")
    assert kept is not None
    assert [f.row_id for f in fast.findings] == [f.row_id for f in slow.findings] == [ids[5]]
    assert fast.values._lists["employee_id"] is None  # no list made to name the manager


@pytest.mark.parametrize("seed", range(20))
def test_a_column_of_names_is_judged_plain_as_the_four_tests_judge_it(seed: int) -> None:
    """The one-pass test for names (CJK, ASCII, the middle dot) gives what trimming, the
    printable and plane tests and NFKC give, and steps aside for anything else."""
    import random

    import pyarrow as pa
    import pyarrow.compute as pc

    from amctl.data.tables import _ASTRAL, _PRINTABLE, _plain_words

    rng = random.Random(seed)
    common = list("张王李赵欧阳阿卜杜热合曼㐀鿯Ab9·")
    odd = [" ", "\u3000", "Ａ", "\uf900", "\U00020000", "e\u0301", "\t", "合计 "]
    share = rng.choice([0.0, 0.01, 0.3])
    words = [
        None
        if rng.random() < 0.05
        else "".join(
            rng.choice(odd) if rng.random() < share else rng.choice(common)
            for _ in range(rng.randint(1, 6))
        )
        for _ in range(300)
    ]
    column = pa.array(words, pa.string())
    four = pc.and_(
        pc.and_(
            pc.equal(pc.utf8_trim_whitespace(column), column),
            pc.match_substring_regex(column, _PRINTABLE),
        ),
        pc.and_(
            pc.invert(pc.match_substring_regex(column, _ASTRAL)),
            pc.equal(pc.utf8_normalize(column, "NFKC"), column),
        ),
    )
    got = _plain_words(column).fill_null(False).to_pylist()
    assert got == four.fill_null(False).to_pylist()


@pytest.mark.parametrize(
    "odd", [" 张三", "张三 ", "\u3000李四", "Ａ王", "\uf900", "\U00020000", "e\u0301"]
)
def test_one_name_the_one_pass_test_cannot_vouch_for_is_judged_by_all_four(odd: str) -> None:
    import pyarrow as pa

    from amctl.data.tables import _plain_words

    column = pa.array(["张三", "阿卜杜·热合曼", "Li Wei9", odd, None], pa.string())
    got = _plain_words(column).fill_null(False).to_pylist()
    assert got == [True, True, True, False, False]
