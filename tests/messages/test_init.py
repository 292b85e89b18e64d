"""Wording a message: the catalogue's templates filled as string.Formatter fills them."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from amctl.messages import CATALOGUE, Said, _filled, _Formatter, _parts
from tests.helpers import template_fields

_VALUES = st.one_of(
    st.text(max_size=6),
    st.integers(-1000, 1000),
    st.floats(allow_nan=True),
    st.lists(st.one_of(st.text(max_size=3), st.integers())),
    st.builds(Said, st.just("data.sheet_empty"), st.just({})),
    st.none(),
)


def test_every_catalogue_template_is_filled_without_string_formatter() -> None:
    assert all(_parts(t) is not None for pair in CATALOGUE.values() for t in pair)


@settings(max_examples=300, deadline=None)
@given(data=st.data(), key=st.sampled_from(sorted(CATALOGUE)), lang=st.sampled_from(["zh", "en"]))
def test_a_template_is_filled_as_string_formatter_fills_it(
    data: st.DataObject, key: str, lang: str
) -> None:
    """Any values (text, numbers, NaN, lists, a Said, None, one left out): the same words,
    or the same kind of error."""
    template = CATALOGUE[key][0 if lang == "zh" else 1]
    fields = sorted(template_fields(template))
    params = {f: data.draw(_VALUES, label=f) for f in fields}
    if fields and data.draw(st.booleans(), label="one left out"):
        del params[fields[0]]
    word = {"employee_id": "员工编号"}.get
    formatter = _Formatter(lang, word)
    parts = _parts(template)
    assert parts is not None
    try:
        expected: object = formatter.vformat(template, (), params)
    except Exception as exc:  # the kind of error is what is compared
        with pytest.raises(type(exc)):
            _filled(formatter, parts, params)
        return
    assert _filled(formatter, parts, params) == expected
