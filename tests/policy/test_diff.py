"""What kind of setting a change is: English as scripts and logs read it, Chinese for people."""

from __future__ import annotations

import re

import pytest

from amctl.messages import CATALOGUE
from amctl.policy.diff import _KINDS, Change

KINDS = sorted({label for _, label in _KINDS} | {"setting"})


@pytest.mark.parametrize("what", KINDS)
def test_every_kind_of_change_is_worded_in_both_languages(what: str) -> None:
    change = Change("x", "changed", 1, 2, what)
    assert change.kind_said.key in CATALOGUE, what
    assert change.what_in("en") == what == CATALOGUE[change.kind_said.key][1]
    assert re.search(r"[\u4e00-\u9fff]", change.what_in("zh")), change.what_in("zh")


def test_a_change_reads_the_same_in_either_language() -> None:
    """The line itself is a path and values: no words to translate."""
    change = Change("levels.senior.quota.max", "changed", 20, 25, "quota cap")
    assert str(change) == "~ levels.senior.quota.max: 20 → 25"
    assert change.what_in("zh") == "名额上限"
