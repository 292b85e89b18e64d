"""`policy fmt`: one canonical layout, idempotent, keeping comments, order and Chinese text."""

from __future__ import annotations

import io
from pathlib import Path

from hypothesis import given, settings
from hypothesis import strategies as st
from ruamel.yaml import YAML
from typer.testing import CliRunner

from amctl.cli.app import app
from amctl.policy.fmt import format_policy
from tests.helpers import DEFAULT_POLICY

runner = CliRunner()

keys = st.text(alphabet="abcdefghij_中文", min_size=1, max_size=6).filter(lambda k: k[0] != "_")
scalars = st.one_of(
    st.integers(-1000, 1000),
    st.floats(-1e6, 1e6, allow_nan=False).map(lambda f: round(f, 3)),
    st.text(alphabet="abc 中文档次-", min_size=1, max_size=8).map(str.strip).filter(bool),
)
documents = st.recursive(
    scalars,
    lambda inner: st.one_of(
        st.lists(inner, min_size=1, max_size=4),
        st.dictionaries(keys, inner, min_size=1, max_size=4),
    ),
    max_leaves=20,
)


@settings(max_examples=80, deadline=None)
@given(
    doc=st.dictionaries(keys, documents, min_size=1, max_size=5),
    indent=st.sampled_from([2, 3, 4]),
    offset=st.sampled_from([0, 2]),
)
def test_fmt_is_idempotent(doc, indent, offset) -> None:  # type: ignore[no-untyped-def]
    yaml = YAML()
    yaml.indent(mapping=indent, sequence=indent + offset, offset=offset)
    buffer = io.StringIO()
    yaml.dump(doc, buffer)
    once = format_policy(buffer.getvalue(), "p.yaml")
    assert format_policy(once, "p.yaml") == once
    assert YAML(typ="safe").load(once) == YAML(typ="safe").load(buffer.getvalue())  # same meaning


def test_fmt_keeps_comments_order_and_chinese(tmp_path: Path) -> None:
    path = tmp_path / "p.yaml"
    path.write_text(
        "b: 1    # 第一\na:\n    - x   # list item\n    -   y\nc: {k: 沟通协调能力}\n",
        encoding="utf-8",
    )
    result = runner.invoke(app, ["policy", "fmt", str(path)])
    assert result.exit_code == 0, result.output
    assert (
        path.read_text(encoding="utf-8")
        == "b: 1    # 第一\na:\n  - x     # list item\n  - y\nc: {k: 沟通协调能力}\n"
    )


def test_the_shipped_policy_is_already_formatted() -> None:
    result = runner.invoke(app, ["policy", "fmt", "--check", str(DEFAULT_POLICY.parent)])
    assert result.exit_code == 0, result.output
    assert "0 policy file(s) would change" in result.output


def test_fmt_check_lists_what_would_change_and_changes_nothing(tmp_path: Path) -> None:
    path = tmp_path / "p.yaml"
    path.write_text("a:\n    b: 1\n", encoding="utf-8")
    result = runner.invoke(app, ["policy", "fmt", "--check", str(path)])
    assert result.exit_code == 1
    assert f"would reformat {path}" in result.output
    assert path.read_text(encoding="utf-8") == "a:\n    b: 1\n"


def test_fmt_refuses_broken_yaml_with_its_place(tmp_path: Path) -> None:
    path = tmp_path / "p.yaml"
    path.write_text("a: [1, 2\n", encoding="utf-8")
    result = runner.invoke(app, ["policy", "fmt", str(path)])
    assert result.exit_code == 2
    assert f"{path}:2:1: error: YAML syntax error" in result.output


def _untidy() -> str:
    text = DEFAULT_POLICY.read_text(encoding="utf-8")
    return text.replace(
        "composite: {ability: 40, performance: 60}",
        "composite:\n    ability: 40\n    performance: 60",
    )


def test_crlf_files_keep_crlf_throughout(tmp_path: Path) -> None:
    lf, crlf = tmp_path / "lf.yaml", tmp_path / "crlf.yaml"
    lf.write_text(_untidy(), encoding="utf-8")
    crlf.write_bytes(_untidy().replace("\n", "\r\n").encode("utf-8"))
    assert runner.invoke(app, ["policy", "fmt", str(lf), str(crlf)]).exit_code == 0
    body = crlf.read_bytes()
    assert body.count(b"\r\n") == body.count(b"\n")  # no line left with a bare LF
    assert body.replace(b"\r\n", b"\n") == lf.read_bytes()
    assert runner.invoke(app, ["policy", "fmt", "--check", str(crlf)]).exit_code == 0


def test_fmt_writes_through_a_symlink(tmp_path: Path) -> None:
    target, link = tmp_path / "target.yaml", tmp_path / "link.yaml"
    target.write_text(_untidy(), encoding="utf-8")
    link.symlink_to(target.name)
    assert runner.invoke(app, ["policy", "fmt", str(link)]).exit_code == 0
    assert link.is_symlink() and format_policy(_untidy(), "x") == target.read_text("utf-8")
