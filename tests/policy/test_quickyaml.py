"""libyaml's reading of a policy builds the round trip's very tree, or steps aside."""

from __future__ import annotations

import datetime as dt
import io
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from ruamel.yaml import YAML
from ruamel.yaml.comments import CommentedMap, CommentedSeq
from ruamel.yaml.scalarstring import DoubleQuotedScalarString, SingleQuotedScalarString

from amctl.policy.loader import MAX_DEPTH, MAX_NODES, inspect_text, parse_yaml
from amctl.policy.quickyaml import Unfit, read_fast
from tests.helpers import DEFAULT_POLICY, REPO


def fast(text: str) -> Any:
    return read_fast(text, max_depth=MAX_DEPTH, max_nodes=MAX_NODES)


def shape(tree: Any) -> Any:
    """Everything a check reads of a tree: types, values, keys in order, every line:col."""
    if isinstance(tree, CommentedMap):
        return (
            "map",
            (tree.lc.line, tree.lc.col),
            tree.fa.flow_style(),
            [(k, tree.lc.key(k), tree.lc.value(k), shape(v)) for k, v in tree.items()],
        )
    if isinstance(tree, CommentedSeq):
        return (
            "seq",
            (tree.lc.line, tree.lc.col),
            [(tree.lc.item(i), shape(v)) for i, v in enumerate(tree)],
        )
    if isinstance(tree, float) and tree != tree:
        return (type(tree).__name__, "nan")
    return (type(tree).__name__, repr(tree))


def assert_same_tree(text: str) -> bool:
    """The fast tree is the round trip's; False when the fast path stepped aside."""
    try:
        tree = fast(text)
    except Unfit:
        return False
    assert shape(tree) == shape(parse_yaml(text, "t.yaml"))
    return True


@pytest.mark.parametrize(
    "path",
    [
        DEFAULT_POLICY,
        *sorted((REPO / "policies").glob("*.yaml")),
        *sorted((REPO / "examples").rglob("*.yaml")),
    ],
    ids=lambda p: p.name,
)
def test_the_shipped_files_take_the_fast_path_to_the_same_tree(path: Any) -> None:
    assert assert_same_tree(path.read_text(encoding="utf-8"))


PLAIN = [
    "just text\n",
    "- a\n- b\n",
    "a: 1e3\nb: 1.5e3\nc: 0o17\nd: 017\ne: 0x1F\nf: 1_000\ng: .inf\nh: -.INF\ni: .nan\nj: +12\n",
    "a: yes\nb: No\nc: on\nd: True\ne: FALSE\nf: null\ng: Null\nh: ~\n",
    "d: 2024-07-01\nt: 2024-07-01T10:00:00\nt2: 2024-07-01 10:00:00+08:00\nno_date: 2024-7-1\n",
    "a: |\n  x\n  y\nb: |-\n  x\nc: >+\n  x\n\nd: |2\n    x\n",
    "a: 'it''s'\nb: \"\\u4e2d\\/\\x41\"\nc: \"multi\n  line\"\n",
    "a: plain\n  continued\n  here\nb: x # comment\n",
    "a: {b: 1, c: [1, 2, {d: e}]}\nf: []\ng: {}\n",
    "- - a\n  - b\n- - c\n-\n  - d\n- {x: 1}\n",
    "a:\r\n  b: 1\r\n  c: 中文\r\n",
    "? complex\n: value\n",
    "---\na: 1\n...\n",
    "中文: 值\n键二: [甲, 乙]\n'引号': \"双\"\n",
    "a: 'é😀'\n😀: 1\nb: 😀 c\n",
    "[1, 2]: x\n{a: 1}: y\n",
    "i: http://x.y/z?q=1#f\nj: 'a:b'\n",
    "a: 3:20\nb: 0b101\nc: -0\nd: 0.0\n",
]

STEPS_ASIDE = [
    "a:\n",  # an empty value: libyaml marks it on the next line
    "a: [x, ]\nb: {c: }\n",
    "a: x\ty\n",  # a tab: ruamel refuses some that libyaml lets through
    "a: &x 1\nb: *x\n",
    "a: !!str 1\n",
    "%YAML 1.1\n---\na: yes\n",
    "a: 1\n---\nb: 2\n",
    "a: b: c\n",
    "a: [1, 2\n",
    "a: 1\na: 2\n",  # a duplicate key: the round trip names it
    "a: 2024-13-01\n",  # a date that cannot be: the round trip locates it
    "a: x\u2028y\n",
    "[" * (MAX_DEPTH + 1) + "]" * (MAX_DEPTH + 1) + "\n",
]


@pytest.mark.parametrize("text", PLAIN)
def test_plain_yaml_reads_to_the_round_trip_tree(text: str) -> None:
    assert assert_same_tree(text)


@pytest.mark.parametrize("text", STEPS_ASIDE)
def test_anything_else_steps_aside_for_the_round_trip(text: str) -> None:
    with pytest.raises(Unfit):
        fast(text)


def test_too_many_values_steps_aside() -> None:
    text = "".join(f"k{i}: {i}\n" for i in range(MAX_NODES // 2 + 1))
    with pytest.raises(Unfit):
        fast(text)


def test_an_empty_file_is_no_tree() -> None:
    assert fast("") is None
    assert fast("# nothing\n") is None


_KEYS = st.text(st.sampled_from("abc中文 _-:#'\"1"), min_size=1, max_size=6)
_TEXT = st.text(st.sampled_from("ab 中:#'\"-x\n01.,[]{}"), max_size=12)
_SCALARS = (
    st.integers(-(10**6), 10**6)
    | st.floats(allow_nan=False, allow_infinity=False, width=32)
    | st.booleans()
    | st.dates(dt.date(1990, 1, 1), dt.date(2100, 1, 1))
    | _TEXT
    | _TEXT.map(SingleQuotedScalarString)
    | _TEXT.map(DoubleQuotedScalarString)
)
_VALUES = st.recursive(
    _SCALARS,
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(_KEYS, inner, max_size=4),
    max_leaves=20,
)


@settings(max_examples=150, deadline=None)
@given(_VALUES, st.sampled_from([None, False, True]), st.sampled_from([2, 4]))
def test_any_dumped_document_reads_to_the_round_trip_tree(
    value: Any, flow: bool | None, indent: int
) -> None:
    writer = YAML(typ="rt")
    writer.default_flow_style = flow
    writer.indent(mapping=indent, sequence=indent + 2, offset=indent)
    buffer = io.StringIO()
    writer.dump({"root": value}, buffer)
    assert_same_tree(buffer.getvalue())


YAML_PROBLEMS = [
    ("composite: {ability: 40, performance: 60}", "composite: {ability: 40, ability: 50}"),
    ("rounding: floor", "rounding: no"),
    ("  roster: [花名册, 人员, roster]", "\troster: [花名册, 人员, roster]"),
    ("composite: {ability: 40, performance: 60}", "composite: {ability: 40, performance: 60"),
    ("rounding: floor", "rounding: floor\n  spare: 1"),
    ("rounding: floor", "rounding:"),
    ("rounding: floor", "rounding: 7"),
    ("apiVersion: amctl/v1", "apiVersion: amctl/v9"),
    ("  name: ct-group", "  name: ct-group\nname: x"),
    ("effective_from: 2024-07-01", "effective_from: 2024-13-01"),
]


@pytest.mark.parametrize(("old", "new"), YAML_PROBLEMS)
def test_findings_are_located_as_the_round_trip_locates_them(
    policy_text: str, monkeypatch: pytest.MonkeyPatch, old: str, new: str
) -> None:
    assert old in policy_text
    text = policy_text.replace(old, new, 1)
    _, found = inspect_text(text, "p.yaml")

    def unfit(text: str, **limits: int) -> Any:
        raise Unfit

    monkeypatch.setattr("amctl.policy.loader.read_fast", unfit)
    _, slow = inspect_text(text, "p.yaml")
    assert found, "each variant has a problem"
    assert [str(f) for f in found] == [str(f) for f in slow]


def test_a_duplicate_key_is_located_at_the_second_one(policy_text: str) -> None:
    text = policy_text.replace("  rounding: floor", "  rounding: ceil\n  rounding: floor", 1)
    line = text.splitlines().index("  rounding: ceil") + 2
    _, found = inspect_text(text, "p.yaml")
    assert [(f.rule, f.location.line, f.location.col) for f in found] == [("AMC002", line, 3)]
