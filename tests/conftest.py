from __future__ import annotations

import os
from pathlib import Path

import pytest

from amctl.policy.loader import LoadedPolicy, load_policy
from tests.helpers import DEFAULT_POLICY


def pytest_configure(config: pytest.Config) -> None:
    """Tests read amctl's English words (AMCTL_LANG=en), as a CI log would, fixtures of any
    scope included; a test marked `zh` runs as a user does, in the policy's language."""
    os.environ["AMCTL_LANG"] = "en"


@pytest.fixture(autouse=True)
def chinese_when_marked(request: pytest.FixtureRequest, monkeypatch: pytest.MonkeyPatch) -> None:
    if request.node.get_closest_marker("zh") is not None:
        monkeypatch.delenv("AMCTL_LANG", raising=False)


@pytest.fixture(scope="session")
def default_policy() -> LoadedPolicy:
    return load_policy(DEFAULT_POLICY)


@pytest.fixture
def policy_text() -> str:
    return DEFAULT_POLICY.read_text(encoding="utf-8")


@pytest.fixture
def write_policy(tmp_path: Path, policy_text: str):  # type: ignore[no-untyped-def]
    """Write a variant of the default policy: write_policy(old, new, ...) replaces text."""

    def make(*edits: str, name: str = "policy.yaml") -> Path:
        text = policy_text
        for old, new in zip(edits[::2], edits[1::2], strict=True):
            assert old in text, f"edit target not in the default policy: {old!r}"
            text = text.replace(old, new, 1)
        path = tmp_path / name
        path.write_text(text, encoding="utf-8")
        return path

    return make
