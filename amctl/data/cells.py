"""Turn one spreadsheet cell into a typed value, the way an HR analyst would read it.

Real workbooks store numbers as text ("1,234.5", "８５", "12%"), dates as text or as Excel
serial numbers, and yes/no as 是/否. Each parser returns the value or raises CellError with a
message that says what was found and how to write it instead.
"""

from __future__ import annotations

import datetime as dt
import math
import re
import unicodedata
from typing import Any

from amctl.messages import Said, said, say
from amctl.policy.columns import yes_no

EXCEL_EPOCH = dt.date(1899, 12, 30)  # serial 1 = 1900-01-01, counting Excel's 1900 leap-day bug
_LAST_SERIAL = 2958465  # 9999-12-31


class CellError(ValueError):
    """A cell that cannot be read as the type its column needs; `said` is why, as data."""

    def __init__(self, what: Said) -> None:
        super().__init__(what)
        self.said = what

    def __str__(self) -> str:  # worded only when shown: the fast readers catch many of these
        return say(self.said)


def is_blank(value: Any) -> bool:
    if value is None:
        return True
    if isinstance(value, float) and math.isnan(value):
        return True
    return isinstance(value, str) and not value.strip()


def text(value: Any) -> str:
    """Cell as clean text: full-width forms folded, integral floats without '.0'."""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, float) and value.is_integer():
        return str(int(value)) if abs(value) < 1e15 else f"{value:.6g}"
    if isinstance(value, dt.datetime):
        return value.date().isoformat() if value.time() == dt.time() else value.isoformat()
    if isinstance(value, dt.date):
        return value.isoformat()
    return unicodedata.normalize("NFKC", str(value)).strip()


def identifier(value: Any) -> str:
    """An id as text, refused when it holds an invisible or control character: two ids that
    look the same on screen must not be two managers (or one manager written two ways)."""
    result = text(value)
    hidden = next((ch for ch in result if not ch.isprintable()), None)
    if hidden is not None:
        shown = result.encode("unicode_escape").decode("ascii")
        raise CellError(said("data.cell_hidden_char", shown=shown, code=f"{ord(hidden):04X}"))
    return result


_NUMBER_NOISE = str.maketrans({" ": None, "\u00a0": None, "_": None, "，": ","})
_GROUPED = re.compile(r"^[+-]?\d{1,3}(,\d{3})+(\.\d*)?%?$")


def number(value: Any) -> float:
    if isinstance(value, bool):
        raise CellError(said("data.cell_bool_not_number", value=str(value)))
    if isinstance(value, int | float):
        result = float(value)
    elif isinstance(value, dt.date):
        raise CellError(said("data.cell_date_not_number", value=str(value)))
    else:
        raw = text(value)
        cleaned = raw.translate(_NUMBER_NOISE)
        if "," in cleaned:
            if not _GROUPED.match(cleaned):
                raise CellError(said("data.cell_comma", raw=raw))
            cleaned = cleaned.replace(",", "")
        if cleaned.endswith("%"):
            cleaned = cleaned[:-1]
        try:
            result = float(cleaned)
        except ValueError:
            raise CellError(said("data.cell_not_number", raw=raw)) from None
    if not math.isfinite(result):
        raise CellError(said("data.cell_not_finite", value=text(value)))
    return result


_DATE_PATTERNS = (
    re.compile(r"^(\d{4})[-/.](\d{1,2})[-/.](\d{1,2})(?:[ T].*)?$"),
    re.compile(r"^(\d{4})年(\d{1,2})月(\d{1,2})日?$"),
    re.compile(r"^(\d{4})(\d{2})(\d{2})$"),
)


def date(value: Any) -> dt.date:
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    if isinstance(value, int | float) and not isinstance(value, bool):
        if 1 <= value <= _LAST_SERIAL:  # an Excel serial number; a fraction is the time of day
            return EXCEL_EPOCH + dt.timedelta(days=int(value))
        if float(value).is_integer():
            return date(str(int(value)))  # 20190301 typed as a number
        raise CellError(said("data.cell_serial_not_date", value=text(value)))
    raw = text(value)
    for pattern in _DATE_PATTERNS:
        m = pattern.match(raw)
        if m:
            y, mo, d = (int(g) for g in m.groups())
            try:
                return dt.date(y, mo, d)
            except ValueError:
                raise CellError(said("data.cell_unreal_date", raw=raw)) from None
    raise CellError(said("data.cell_not_date", raw=raw))


_TRUE = {"1", "true", "yes", "y", "是", "√", "✓", "农村", "t"}
_FALSE = {"0", "false", "no", "n", "否", "×", "✗", "城区", "城镇", "城市", "f", "-"}


def flag(value: Any) -> bool:
    if isinstance(value, bool):
        return value
    if isinstance(value, int | float) and value in (0, 1):
        return bool(value)
    raw = text(value).casefold()
    if raw in _TRUE:
        return True
    if raw in _FALSE:
        return False
    raise CellError(said("data.cell_not_flag", raw=text(value)))


def yesno(value: Any) -> bool:
    """A yes/no column of the policy's own (最佳销售奖): 是/否, 有/无, Y/N, yes/no, true/false,
    1/0 and the cell's own TRUE/FALSE; anything else is refused, never guessed."""
    if isinstance(value, bool):
        return value
    if isinstance(value, int | float) and value in (0, 1):
        return bool(value)
    found = yes_no(text(value))
    if found is None:
        raise CellError(said("data.cell_not_yesno", raw=text(value)))
    return found


def column_letter(index: int) -> str:
    """0 → A, 25 → Z, 26 → AA: how the user finds the column in Excel."""
    letters = ""
    index += 1
    while index:
        index, rem = divmod(index - 1, 26)
        letters = chr(65 + rem) + letters
    return letters
