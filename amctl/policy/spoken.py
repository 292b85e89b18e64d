"""The language of the last policy a command read, and the policy itself once it is valid.

Noted as soon as a policy is parsed, so that its own findings and an error found before any
table is printed are said in its language. A light module on purpose: the CLI asks it at
start-up, before (and without) importing the policy loader.
"""

from __future__ import annotations

from typing import Any

READ: dict[str, Any] = {"language": None, "policy": None}


def heard(policy: Any) -> None:
    """A valid policy read (or served again from a cache): its language and its words."""
    READ["language"], READ["policy"] = policy.metadata.language, policy
