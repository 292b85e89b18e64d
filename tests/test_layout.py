"""The tree reads like the pipeline: no package imports another in a loop, no module imports
itself back, the CLI parses and renders (no pandas, no loop through cli.app), and tests/
mirrors amctl/."""

from __future__ import annotations

import ast
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.helpers import REPO

SOURCE = REPO / "amctl"
TESTS = REPO / "tests"
CROSS_CUTTING = {"test_catalogue", "test_properties", "test_scale", "test_api", "test_layout"}


def modules() -> Iterator[tuple[str, ast.Module]]:
    for path in sorted(SOURCE.rglob("*.py")):
        parts = list(path.relative_to(REPO).with_suffix("").parts)
        if parts[-1] == "__init__":
            parts.pop()
        yield ".".join(parts), ast.parse(path.read_text(encoding="utf-8"))


def imports(tree: ast.Module) -> set[str]:
    """Every amctl module imported, at the top or inside a function."""
    found = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.ImportFrom) and node.module and node.module.startswith("amctl"):
            if node.module == "amctl":
                found |= {f"amctl.{a.name}" for a in node.names if a.name != "__version__"}
            else:
                found.add(node.module)
        elif isinstance(node, ast.Import):
            found |= {a.name for a in node.names if a.name.startswith("amctl")}
    return found


def package(module: str) -> str:
    parts = module.split(".")
    return parts[1] if len(parts) > 1 else ""


def cycle(graph: dict[str, set[str]]) -> list[str] | None:
    """One cycle of the graph, or None."""
    state: dict[str, int] = {}
    path: list[str] = []

    def visit(node: str) -> list[str] | None:
        state[node] = 1
        path.append(node)
        for nxt in sorted(graph.get(node, ())):
            if state.get(nxt) == 1:
                return [*path[path.index(nxt) :], nxt]
            if nxt not in state and (found := visit(nxt)):
                return found
        path.pop()
        state[node] = 2
        return None

    for node in sorted(graph):
        if node not in state and (found := visit(node)):
            return found
    return None


GRAPH = {name: imports(tree) for name, tree in modules() if name != "amctl"}


def test_no_package_imports_another_in_a_loop() -> None:
    packages: dict[str, set[str]] = {}
    for module, targets in GRAPH.items():
        for target in targets:
            if package(target) != package(module) and package(module):
                packages.setdefault(package(module), set()).add(package(target))
    assert cycle(packages) is None
    # the layers, lowest first: each may import only what stands before it
    order = [
        "messages",
        "errors",
        "period",
        "formula",
        "policy",
        "data",
        "engine",
        "labels",
        "ledger",
        "workspace",
        "pipeline",
        "export",
        "cli",
    ]
    for pkg, targets in packages.items():
        if pkg in order:
            assert all(order.index(t) < order.index(pkg) for t in targets), (pkg, targets)


def test_no_module_imports_itself_back() -> None:
    assert cycle({m: {t for t in ts if t in GRAPH} for m, ts in GRAPH.items()}) is None


def test_the_cli_parses_calls_and_renders() -> None:
    for module, targets in GRAPH.items():
        if not module.startswith("amctl.cli.") or module == "amctl.cli.app":
            continue
        assert "amctl.cli.app" not in targets, f"{module} imports the app: an import loop"
        text = (REPO / (module.replace(".", "/") + ".py")).read_text(encoding="utf-8")
        assert "import pandas" not in text and "pd." not in text, f"{module} does pandas work"


def test_every_command_runs_the_one_sequence() -> None:
    """grade, payroll, close, report, explain and policy diff reach grading only through
    pipeline.run (run or show); no command strings the steps together itself."""
    for name in ("grade", "payroll", "close", "report", "explain", "policy"):
        text = (SOURCE / "cli" / f"{name}.py").read_text(encoding="utf-8")
        for step in ("grade_files", "run_payroll", "history_before", "load_overrides", "choose("):
            assert step not in text, f"cli/{name}.py calls {step} itself"


def test_tests_mirror_the_source_tree() -> None:
    for path in sorted(TESTS.rglob("test_*.py")):
        folder = path.parent.relative_to(TESTS)
        name = path.stem.removeprefix("test_")
        if folder == Path(".") and path.stem in CROSS_CUTTING:
            continue
        home = SOURCE / folder
        assert home.is_dir(), f"{path}: no amctl/{folder}"
        candidates = [name, *(name[:i] for i, c in enumerate(name) if c == "_")]
        if name == "init":  # test_init.py: the package's own __init__.py
            candidates.append("__init__")
        assert any((home / f"{c}.py").exists() for c in candidates), (
            f"{path.relative_to(REPO)} tests no module of amctl/{folder}"
        )


@pytest.mark.parametrize("package_dir", sorted(p for p in SOURCE.iterdir() if p.is_dir()))
def test_every_package_has_tests(package_dir: Path) -> None:
    if package_dir.name in ("__pycache__", "policies"):
        pytest.skip("not code")
    assert (TESTS / package_dir.name).is_dir(), f"no tests/{package_dir.name}/"
