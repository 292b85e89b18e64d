"""Which policy a command uses: --policy, else the workspace's policies/, else the default."""

from __future__ import annotations

import datetime as dt
import functools
import hashlib
from importlib import resources
from pathlib import Path

from amctl.errors import AmctlError, UsageError
from amctl.messages import said
from amctl.policy.loader import LoadedPolicy, load_policy, read_policy_text
from amctl.policy.spoken import heard

POLICY_SUFFIXES = (".yaml", ".yml")


DEFAULT = "ct-group"
TEST_SUFFIX = ".test.yaml"  # policy unit tests live beside the policy, not among them


def bundled(name: str = DEFAULT) -> Path:
    """A policy shipped inside the package (ct-group, the default, or jinzhong-tobacco), so
    amctl works from any folder and `amctl init` can start a workspace from either."""
    return Path(str(resources.files("amctl") / "policies" / f"{name}.yaml"))


def bundled_default() -> Path:
    return bundled(DEFAULT)


def bundled_names() -> list[str]:
    """The policies shipped inside the package, by name."""
    folder = resources.files("amctl") / "policies"
    return sorted(
        f.name.removesuffix(".yaml")
        for f in folder.iterdir()
        if f.name.endswith(".yaml") and not f.name.endswith(TEST_SUFFIX)
    )


def policy_files(path: Path) -> list[Path]:
    """A file as given, or every policy file under a folder, sorted for stable output."""
    if path.is_dir():
        return sorted(
            p
            for p in path.rglob("*")
            if p.suffix.lower() in POLICY_SUFFIXES and not p.name.endswith(TEST_SUFFIX)
        )
    return [path]


def test_files(path: Path) -> list[Path]:
    if path.is_dir():
        return sorted(path.rglob(f"*{TEST_SUFFIX}"))
    return [path]


def workspace_policies(start: Path) -> Path | None:
    """The nearest policies/ folder at or above `start`, then in the current folder."""
    for folder in [start.resolve(), *start.resolve().parents, Path.cwd()]:
        candidate = folder / "policies"
        if candidate.is_dir() and policy_files(candidate):
            return candidate
    return None


def _load(path: Path) -> LoadedPolicy:
    """A policy once per content: history and explain choose one per quarter, and parsing a
    policy costs far more than reading and hashing its few kilobytes."""
    try:
        digest = hashlib.sha256(read_policy_text(path).encode("utf-8")).hexdigest()
    except AmctlError:
        return load_policy(path)  # which says what is wrong with the file
    loaded = _loaded(str(path), digest)
    heard(loaded.policy)  # a policy served from the cache is still the one this run reads
    return loaded


@functools.lru_cache(maxsize=32)
def _loaded(path: str, digest: str) -> LoadedPolicy:
    return load_policy(Path(path))


def choose(explicit: Path | None, near: Path, as_of: dt.date) -> LoadedPolicy:
    if explicit is not None:
        return _load(explicit)
    folder = workspace_policies(near if near.is_dir() else near.parent)
    if folder is None:
        return _load(bundled_default())
    loaded = [_load(p) for p in policy_files(folder)]
    in_force = [
        lp
        for lp in loaded
        if lp.policy.metadata.effective_from <= as_of
        and (lp.policy.metadata.effective_to is None or as_of <= lp.policy.metadata.effective_to)
    ]
    if not in_force:
        dates = [
            said(
                "workspace.policy_from",
                path=str(lp.path),
                date=str(lp.policy.metadata.effective_from),
            )
            for lp in loaded
        ]
        raise UsageError(
            said("workspace.no_policy_in_effect", folder=str(folder), as_of=str(as_of), dates=dates)
        )
    return max(in_force, key=lambda lp: (lp.policy.metadata.effective_from, lp.path))
