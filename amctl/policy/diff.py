"""What changed between two policies, in their own terms: a weight went 25 → 30, a quota cap
changed, a formula or a table row changed — not which lines of text moved."""

from __future__ import annotations

import re
import subprocess
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from amctl.errors import PolicyError, UsageError
from amctl.messages import Said, said, say
from amctl.policy.loader import LoadedPolicy, inspect_text, max_bytes, read_policy_text
from amctl.policy.models import Policy


@dataclass(frozen=True)
class Change:
    path: str  # ability.indicators.communication.weight
    kind: str  # changed | added | removed
    old: Any
    new: Any
    what: str  # weight, quota cap, formula, table row, …

    def __str__(self) -> str:
        if self.kind == "added":
            return f"+ {self.path}: {show(self.new)}"
        if self.kind == "removed":
            return f"- {self.path}: {show(self.old)}"
        return f"~ {self.path}: {show(self.old)} → {show(self.new)}"

    @property
    def kind_said(self) -> Said:
        """What kind of setting changed, to be worded where shown (quota cap, 名额上限)."""
        return said(f"policy.what.{self.what.replace(' ', '_')}")

    def what_in(self, lang: str) -> str:
        """`what` in `lang`: the English is `what` itself."""
        return say(self.kind_said, lang) if lang == "zh" else self.what


_KINDS = [
    (r"\.weight$", "weight"),
    (r"^composite\.", "composite weight"),
    (r"\.quota\.max$", "quota cap"),
    (r"\.quota\.min$", "quota floor"),
    (r"^quota\.", "quota rule"),
    (r"\.eligibility\.", "eligibility gate"),
    (r"^grid\.cuts", "grid cut"),
    (r"^grid\.actions", "grid action"),
    (r"\.score\.", "scoring"),
    (r"^pay\.components\.[^.]+\.formula$", "formula"),
    (r"^pay\.components\.", "pay component"),
    (r"^pay\.tables\.", "table row"),
    (r"^pay\.brackets\.", "bracket"),
    (r"^pay\.parameters\.", "parameter"),
    (r"^pay\.rounding", "rounding"),
    (r"^pay\.rural", "rural rule"),
    (r"^bands\.", "bands"),
    (r"^metadata\.", "metadata"),
    (r"^columns\.", "column aliases"),
]


def _what(path: str) -> str:
    return next((label for pattern, label in _KINDS if re.search(pattern, path)), "setting")


def show(value: Any) -> str:
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, list):
        return "[" + ", ".join(show(v) for v in value) + "]"
    return str(value)


def _flatten(value: Any, prefix: str, out: dict[str, Any]) -> None:
    """Mappings by key; lists of mappings (brackets) by position; other lists as one value."""
    if isinstance(value, dict) and value:
        for k, v in value.items():
            _flatten(v, f"{prefix}.{k}" if prefix else str(k), out)
    elif isinstance(value, list) and value and all(isinstance(v, dict) for v in value):
        for i, v in enumerate(value):
            _flatten(v, f"{prefix}[{i}]", out)
    else:
        out[prefix] = value


def semantic_diff(old: Policy, new: Policy) -> list[Change]:
    a: dict[str, Any] = {}
    b: dict[str, Any] = {}
    _flatten(old.model_dump(mode="json", by_alias=True), "", a)
    _flatten(new.model_dump(mode="json", by_alias=True), "", b)
    changes = []
    for path in [*a, *(p for p in b if p not in a)]:
        if path not in b:
            changes.append(Change(path, "removed", a[path], None, _what(path)))
        elif path not in a:
            changes.append(Change(path, "added", None, b[path], _what(path)))
        elif a[path] != b[path]:
            changes.append(Change(path, "changed", a[path], b[path], _what(path)))
    return changes


def load_revision(spec: str) -> LoadedPolicy:
    """A policy from a path, or from git: `HEAD~1:policies/ct-group.yaml`."""
    path = Path(spec)
    if path.exists():
        text, name = read_policy_text(path), spec
    elif ":" in spec:
        if spec.startswith("-"):  # git would read it as an option (--output=FILE writes a file)
            raise UsageError(said("policy.revision_dash", spec=spec))
        try:
            size = subprocess.run(  # the blob's size first: a 700 MB blob is not captured
                ["git", "cat-file", "-s", "--end-of-options", spec],
                capture_output=True,
                check=False,
                timeout=30,
            )
            if size.returncode == 0 and int(size.stdout.strip() or 0) > max_bytes():
                raise UsageError(
                    said(
                        "policy.revision_too_big",
                        spec=spec,
                        size=int(size.stdout),
                        cap=max_bytes(),
                    )
                )
            shown = subprocess.run(
                ["git", "show", "--end-of-options", spec],
                capture_output=True,
                check=False,
                timeout=30,
            )
        except (OSError, subprocess.TimeoutExpired) as exc:
            raise UsageError(said("policy.git_failed", spec=spec, error=str(exc))) from None
        if shown.returncode != 0:
            reason = shown.stderr.decode("utf-8", "replace").strip().splitlines()
            why = reason[-1] if reason else said("policy.unknown_reason")
            raise UsageError(said("policy.git_cannot_show", spec=spec, reason=why))
        if len(shown.stdout) > max_bytes():
            raise UsageError(
                said(
                    "policy.revision_too_big",
                    spec=spec,
                    size=len(shown.stdout),
                    cap=max_bytes(),
                )
            )
        text, name = shown.stdout.decode("utf-8-sig", "replace"), spec
    else:
        raise UsageError(said("policy.revision_missing", spec=spec))
    loaded, findings = inspect_text(text, name)
    if loaded is None:
        raise PolicyError(findings, said("policy.invalid", path=spec))
    return loaded
