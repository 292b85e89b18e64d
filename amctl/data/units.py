"""A metric read to its declared unit, or reported at its cell: never scored on a guess.

A growth of 15.59 % reaches amctl as text `15.59%`, as 0.1559 in a cell formatted as a
percentage, or as a plain 15.59 or 0.1559. A cell that says its scale (the % sign, the
format) is read to the declared unit. A plain number is taken as written, unless the column
shows it belongs to the other scale: in a percent column, plain numbers that are all within
±1 (satisfaction written 0.85) or that sit beside cells that say % while they are within ±1;
the mirror image in a fraction column. Those cells are errors at their place, and their
managers are not graded until the column is fixed.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np

from amctl.data import cells
from amctl.data.numfmt import percent_rows
from amctl.data.tables import FieldSpec, Table
from amctl.messages import Said, said

UNIT_WORDS: dict[str, Said] = {
    "percent": said("data.unit_percent"),  # percent (0–100: 15.59 for 15.59 %)
    "fraction": said("data.unit_fraction"),  # a fraction (0–1: 0.1559 for 15.59 %)
}


def read_units(table: Table, specs: Sequence[FieldSpec]) -> None:
    """Apply the workbook's percent formats, then check each unit column's scale."""
    wanted = [s for s in specs if s.unit in UNIT_WORDS and s.name in table.columns]
    if not wanted:
        return
    formatted = percent_rows(
        table.sheet.path, table.sheet.sheet, [table.columns[s.name][0] for s in wanted]
    )
    for spec in wanted:
        rows = formatted.get(table.columns[spec.name][0], set())
        marked = set(table.percent_text.get(spec.name, set()))
        if rows:
            values = table.values[spec.name]
            formatted_at = np.flatnonzero(np.isin(table.rows, sorted(rows))).tolist()
            for position in formatted_at:
                if values[position] is not None and position not in marked:
                    if spec.unit == "percent":  # Excel keeps 15.59 % as 0.1559
                        values[position] = _points(values[position])
                        table.changed(spec.name)
                    marked.add(position)
        _check_scale(table, spec, marked)
        _check_range(table, spec, marked)


def _points(fraction: float) -> float:
    """0.1559 → 15.59, without the binary noise of 0.1559 * 100 (15.590000000000002)."""
    return float(f"{fraction * 100:.10g}")


def _check_scale(table: Table, spec: FieldSpec, marked: set[int]) -> None:
    numbers = table.floats(spec.name)  # None is NaN
    plain = ~np.isnan(numbers)
    plain[list(marked)] = False
    if not plain.any():
        return
    size = np.abs(np.where(plain, numbers, 0.0))
    small = plain & (size <= 1) & (numbers != 0)
    large = plain & (size > 1)
    some_small, some_large = bool(small.any()), bool(large.any())
    if spec.unit == "percent":
        picked = small if (some_small and not some_large) or (marked and some_small) else None
        other = said("data.scale_fraction")
    else:
        picked = large if (some_large and not some_small) or (marked and some_large) else None
        other = said("data.scale_percent")
    if picked is None:  # the rows are only listed when some are read the wrong way
        return
    wrong: list[int] = np.flatnonzero(picked).tolist()
    values = table.values[spec.name]
    why = said("data.why_others_said") if marked else said("data.why_all_fit")
    if not table.sheet.path.lower().endswith((".xlsx", ".xlsm")) and table.sheet.sheet:
        why = said("data.why_xlsx_only", why=why)
    for position in wrong:
        shown = cells.text(values[position])
        table.report(
            position,
            spec.name,
            "AMD024",
            said(
                "data.wrong_scale",
                header=table.header(spec.name),
                value=shown,
                other=other,
                unit=UNIT_WORDS[spec.unit or ""],
                why=why,
            ),
        )
        values[position] = None
        table.changed(spec.name)


def _check_range(table: Table, spec: FieldSpec, marked: set[int]) -> None:
    """The bounds again for cells whose format changed their value."""
    if spec.low is None and spec.high is None:
        return
    low = float("-inf") if spec.low is None else spec.low
    high = float("inf") if spec.high is None else spec.high
    if not marked:
        return
    values = table.values[spec.name]
    for position in sorted(marked):
        value = values[position]
        if value is not None and not low <= value <= high:
            table.report(
                position,
                spec.name,
                "AMD007",
                said(
                    "data.percent_out_of_range",
                    header=table.header(spec.name),
                    value=cells.text(value),
                    low=cells.text(low),
                    high=cells.text(high),
                ),
            )
            values[position] = None
            table.changed(spec.name)
