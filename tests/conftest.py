from __future__ import annotations

from pathlib import Path

import pytest

from amctl.policy.loader import LoadedPolicy, load_policy
from tests.helpers import DEFAULT_POLICY


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
