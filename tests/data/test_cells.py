"""Cells as HR workbooks hold them: numbers as text, full-width digits, dates in many forms."""

from __future__ import annotations

import datetime as dt
import math

import pytest

from amctl.data import cells


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        (85, 85.0),
        ("85", 85.0),
        ("1,234.5", 1234.5),
        ("１２３", 123.0),  # full-width digits from Chinese input methods
        (" 12% ", 12.0),
        ("-3.5", -3.5),
        ("1 000", 1000.0),
        ("1,234,567.8", 1234567.8),
        ("1，234", 1234.0),
    ],
)
def test_numbers(raw: object, expected: float) -> None:
    assert cells.number(raw) == expected


@pytest.mark.parametrize(
    "raw",
    ["302,1", "1,23", "abc", "12..3", True, math.inf, float("nan"), "inf", dt.date(2020, 1, 1)],
)
def test_not_numbers(raw: object) -> None:
    with pytest.raises(cells.CellError):
        cells.number(raw)


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        (dt.date(2019, 3, 1), dt.date(2019, 3, 1)),
        (dt.datetime(2019, 3, 1, 8, 30), dt.date(2019, 3, 1)),
        ("2019-03-01", dt.date(2019, 3, 1)),
        ("2019/3/1", dt.date(2019, 3, 1)),
        ("2019.3.1", dt.date(2019, 3, 1)),
        ("2019年3月1日", dt.date(2019, 3, 1)),
        ("20190301", dt.date(2019, 3, 1)),
        (43525, dt.date(2019, 3, 1)),  # an Excel serial
        (43525.0, dt.date(2019, 3, 1)),
        (43525.75, dt.date(2019, 3, 1)),  # a serial with a time of day
        ("２０１９－０３－０１", dt.date(2019, 3, 1)),
    ],
)
def test_dates(raw: object, expected: dt.date) -> None:
    assert cells.date(raw) == expected


@pytest.mark.parametrize("raw", ["2019-13-01", "yesterday", "2019-02-30", -3.5])
def test_not_dates(raw: object) -> None:
    with pytest.raises(cells.CellError):
        cells.date(raw)


@pytest.mark.parametrize(
    ("raw", "expected"),
    [("是", True), ("否", False), ("Y", True), (0, False), (True, True), ("农村", True)],
)
def test_flags(raw: object, expected: bool) -> None:
    assert cells.flag(raw) is expected


def test_ids_lose_the_float_tail() -> None:
    assert cells.text(1001.0) == "1001"
    assert cells.text(" KM01 ") == "KM01"


@pytest.mark.parametrize(
    ("index", "letter"), [(0, "A"), (25, "Z"), (26, "AA"), (701, "ZZ"), (702, "AAA")]
)
def test_column_letters(index: int, letter: str) -> None:
    assert cells.column_letter(index) == letter


@pytest.mark.parametrize("raw", ["KM\x00001", "KM\u200b001", "KM\t001"])
def test_an_id_with_an_invisible_character_is_refused_with_it_shown(raw: str) -> None:
    with pytest.raises(cells.CellError, match=r"invisible character \(U\+"):
        cells.identifier(raw)
    assert cells.identifier(" KM001 ") == "KM001"
