"""The input guard's own readings, where the catalogue's whole files are too coarse."""

from __future__ import annotations

import re

from amctl.data.guard import _ODS_ROWS, _repeat


def test_an_ods_repeat_of_a_digit_no_program_counts_with_is_one() -> None:
    found = _ODS_ROWS.search(b'table:number-rows-repeated="&#178;"')
    assert isinstance(found, re.Match) and _repeat(found) == 1
