"""Read a policy file strictly and report every problem at its file:line:col.

The path is: YAML text → ruamel round-trip tree (keeps line numbers) → strict YAML checks
(duplicate keys, YAML 1.1 booleans) → pydantic model → semantic checks. Findings from one
stage are all collected before giving up, so a user fixes ten mistakes in one go.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import os
import re
import stat
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from pydantic import ValidationError
from ruamel.yaml import YAML
from ruamel.yaml.comments import CommentedMap, CommentedSeq
from ruamel.yaml.error import MarkedYAMLError, YAMLError
from ruamel.yaml.nodes import MappingNode, ScalarNode, SequenceNode
from ruamel.yaml.scalarstring import (
    DoubleQuotedScalarString,
    FoldedScalarString,
    LiteralScalarString,
    SingleQuotedScalarString,
)

from amctl.errors import Finding, Location, PolicyError, Severity, UsageError
from amctl.formula.compile import Formula
from amctl.policy.checks import Check, semantic_findings
from amctl.policy.locate import Loc, allowed_keys, position, suggest
from amctl.policy.models import API_VERSION, KIND, Policy
from amctl.policy.payformulas import compile_pay

OLDER_VERSIONS = ("amctl/v1alpha1",)  # `amctl policy migrate` upgrades these
_YAML11_BOOLS = re.compile(r"^(y|Y|yes|Yes|YES|n|N|no|No|NO|on|On|ON|off|Off|OFF)$")


@dataclass(frozen=True)
class LoadedPolicy:
    """A valid policy with what is needed to point back into its file."""

    policy: Policy
    path: str
    tree: CommentedMap
    sha256: str
    warnings: tuple[Finding, ...] = ()
    formulas: Mapping[str, Formula] = field(default_factory=dict)  # pay, compiled once
    text: str = ""  # the text `sha256` is of: what the ledger keeps of a recorded run


class _Report:
    """Turns loc tuples into located findings for one file."""

    def __init__(self, path: str, tree: Any) -> None:
        self.path, self.tree = path, tree
        self.findings: list[Finding] = []

    def add(
        self,
        loc: Loc,
        rule: str,
        message: str,
        *,
        key: bool = False,
        severity: Severity = Severity.ERROR,
        offset: int | None = None,
    ) -> None:
        line, col = position(self.tree, loc, key=key)
        width = _quote_width(self.tree, loc) if offset is not None else None
        if offset is not None and width is not None:
            col += offset + width
        where = Location(self.path, line=line, col=col)
        pointer = "".join("/" + str(p).replace("~", "~0").replace("/", "~1") for p in loc)
        self.findings.append(Finding(where, rule, message, severity, pointer=pointer))


def _quote_width(tree: Any, loc: Loc) -> int | None:
    """A quoted formula starts one column after its quote; a block scalar has no column."""
    node = tree
    for part in loc:
        try:
            node = node[part]
        except (KeyError, IndexError, TypeError):
            break
    if isinstance(node, LiteralScalarString | FoldedScalarString):
        return None
    return 1 if isinstance(node, SingleQuotedScalarString | DoubleQuotedScalarString) else 0


MAX_BYTES = 1 << 20  # a policy is some 20 KB; AMCTL_MAX_POLICY_BYTES raises the cap


def max_bytes() -> int:
    try:
        return int(os.environ.get("AMCTL_MAX_POLICY_BYTES", "")) or MAX_BYTES
    except ValueError:
        return MAX_BYTES


def read_policy_text(path: Path, what: str = "policy") -> str:
    """The text of a policy (or of an overrides or golden-case file, as `what` says): a
    regular file of bounded size, never a device, a pipe or a folder."""
    cap = max_bytes()
    try:
        info = path.stat()
        if stat.S_ISDIR(info.st_mode):
            raise IsADirectoryError
        if not stat.S_ISREG(info.st_mode):
            raise UsageError(
                f"{path}: not a regular file (a device, a pipe or a socket); give the {what} "
                ".yaml file"
            )
        if info.st_size > cap:
            raise UsageError(_too_big(path, what, info.st_size, cap))
        with path.open("rb") as fh:
            raw = fh.read(cap + 1)
        if len(raw) > cap:
            raise UsageError(_too_big(path, what, len(raw), cap))
    except FileNotFoundError:
        raise UsageError(
            f"{path}: {what} file not found; give the path of an existing one"
        ) from None
    except IsADirectoryError:
        raise UsageError(f"{path}: is a folder; give the {what} .yaml file") from None
    except OSError as exc:
        raise UsageError(f"{path}: cannot read the {what} file: {exc.strerror}") from None
    try:
        return raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise PolicyError(
            [
                Finding(
                    Location(str(path), line=raw[: exc.start].count(b"\n") + 1, col=1),
                    "AMC001",
                    "the file is not UTF-8 text; save it as UTF-8 (WPS/Excel: 另存为 UTF-8)",
                )
            ]
        ) from None


MAX_DEPTH = 32  # nesting of mappings and lists; the default policy needs 6
MAX_NODES = 20_000  # scalars, mappings and lists; the default policy has about 1,200


def _shape_findings(text: str, path: str) -> list[Finding]:
    """Anchors, aliases, merge keys and absurd nesting or size, found in the event stream
    before anything is built: a nine-line alias bomb or a 10,000-deep list costs a linear
    scan and a located error, never minutes or a RecursionError."""
    found: list[Finding] = []
    depth = nodes = 0

    def add(event: Any, rule: str, message: str) -> None:
        mark = event.start_mark
        found.append(
            Finding(Location(path, line=mark.line + 1, col=mark.column + 1), rule, message)
        )

    for event in YAML(typ="safe", pure=True).parse(text):  # no comments kept: faster
        kind = type(event).__name__
        if kind == "AliasEvent":
            add(
                event,
                "AMC008",
                f"an alias (*{event.anchor}) repeats another part of the file; "
                "write the value out: a policy says every number where it applies",
            )
        elif getattr(event, "anchor", None):
            add(
                event,
                "AMC008",
                f"an anchor (&{event.anchor}); a policy has no anchors, "
                "aliases or merge keys (<<): write each value where it applies",
            )
        if kind in ("MappingStartEvent", "SequenceStartEvent"):
            depth += 1
            if depth > MAX_DEPTH:
                add(
                    event,
                    "AMC009",
                    f"nested more than {MAX_DEPTH} levels deep; a policy is "
                    "a few levels of sections and lists",
                )
                break
        elif kind in ("MappingEndEvent", "SequenceEndEvent"):
            depth -= 1
        nodes += kind in ("ScalarEvent", "MappingStartEvent", "SequenceStartEvent")
        if nodes > MAX_NODES:
            add(event, "AMC009", f"more than {MAX_NODES:,} values; no such file needs as many")
            break
        if len(found) >= 20:
            break
    return found


def _too_big(path: Path, what: str, size: int, cap: int) -> str:
    return (
        f"{path}: {size:,} bytes, over the {cap:,} such a file may have; if it is genuine, "
        "raise the limit with the environment variable AMCTL_MAX_POLICY_BYTES"
    )


def parse_yaml(text: str, path: str) -> Any:
    """Round-trip parse that keeps comments, quotes and positions; errors become findings."""
    yaml = YAML(typ="rt")
    yaml.preserve_quotes = True
    yaml.allow_duplicate_keys = False
    try:
        shape = _shape_findings(text, path)
        if shape:
            raise PolicyError(shape, f"{path}: not read: {shape[0].message}")
        return yaml.load(text)
    except MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        line, col = (mark.line + 1, mark.column + 1) if mark else (1, 1)
        raise PolicyError(
            [Finding(Location(path, line=line, col=col), *_yaml_problem(exc))]
        ) from None
    except YAMLError as exc:  # unmarked errors are rare; still the user's file
        raise PolicyError([Finding(Location(path, line=1, col=1), "AMC001", str(exc))]) from None
    except (ValueError, TypeError, OverflowError) as exc:  # ruamel builds dates and numbers late
        line, col, value = _bad_scalar(text)
        message = f"'{value}' cannot be read ({exc}); write a real date as 2024-07-01 or a number"
        raise PolicyError(
            [Finding(Location(path, line=line, col=col), "AMC001", message)]
        ) from None


_BUILDERS: dict[str, Any] = {
    "tag:yaml.org,2002:timestamp": lambda v: dt.date.fromisoformat(v[:10]),
    "tag:yaml.org,2002:int": lambda v: int(v.replace("_", ""), 0),
    "tag:yaml.org,2002:float": lambda v: float(v.replace("_", "")),
}


def _bad_scalar(text: str) -> tuple[int, int, str]:
    """Find the date or number that ruamel could not build, for a located message."""
    stack = [YAML(typ="rt").compose(text)]
    while stack:
        node = stack.pop(0)
        if isinstance(node, MappingNode):
            stack.extend(part for pair in node.value for part in pair)
        elif isinstance(node, SequenceNode):
            stack.extend(node.value)
        elif isinstance(node, ScalarNode) and node.tag in _BUILDERS:
            try:
                _BUILDERS[node.tag](node.value)
            except (ValueError, TypeError, OverflowError):
                return node.start_mark.line + 1, node.start_mark.column + 1, node.value
    return 1, 1, "a value"


def _yaml_problem(exc: MarkedYAMLError) -> tuple[str, str]:
    problem = (exc.problem or "").strip()
    if "duplicate key" in problem or type(exc).__name__ == "DuplicateKeyError":
        key = re.search(r'key "([^"]*)"', problem)
        name = key.group(1) if key else "a key"
        return (
            "AMC002",
            f"duplicate key '{name}'; keep one of them (YAML would silently use the last)",
        )
    if "\\t" in problem or "tab" in problem.lower():
        return "AMC001", "a tab character; YAML indents with spaces only: replace tabs with spaces"
    context = (exc.context or "").strip()
    detail = f"{context}: {problem}" if context else problem
    return "AMC001", f"YAML syntax error: {detail}; fix the indentation or quoting here"


def _strict_scalars(node: Any, loc: tuple[str | int, ...], report: _Report) -> None:
    """YAML 1.1 reads `no`, `on`, `yes` as booleans; YAML 1.2 reads them as text. Refuse both."""
    items: list[tuple[str | int, Any]]
    if isinstance(node, CommentedMap):
        items = list(node.items())
        for k in node:
            if type(k) is str and _YAML11_BOOLS.match(k):
                report.add((*loc, k), "AMC003", _ambiguous(k), key=True)
    elif isinstance(node, CommentedSeq):
        items = list(enumerate(node))
    else:
        return
    for k, v in items:
        if type(v) is str and _YAML11_BOOLS.match(v):
            report.add((*loc, k), "AMC003", _ambiguous(v))
        else:
            _strict_scalars(v, (*loc, k), report)


def _ambiguous(word: str) -> str:
    return (
        f"'{word}' is ambiguous: YAML 1.1 tools read it as a boolean, YAML 1.2 as text; "
        f"write true/false, or quote it: '{word}'"
    )


def _dotted(loc: Loc) -> str:
    return ".".join(str(p) for p in loc) or "(top level)"


MAX_FINDINGS = 200  # per file: a file of 45,000 unknown keys gets a page, not minutes


def _schema_findings(exc: ValidationError, report: _Report) -> None:
    errors = exc.errors()
    for err in errors[:MAX_FINDINGS]:
        loc = tuple(err["loc"])
        kind = err["type"]
        if kind == "extra_forbidden":
            name = str(loc[-1])
            choices = allowed_keys(Policy, loc[:-1])
            hint = suggest(name, choices) or (
                f"; allowed here: {', '.join(choices)}" if choices else ""
            )
            report.add(
                loc, "AMC004", f"unknown key '{name}' in {_dotted(loc[:-1])}{hint}", key=True
            )
        elif kind == "missing":
            report.add(
                loc[:-1],
                "AMC005",
                f"missing required key '{loc[-1]}' in {_dotted(loc[:-1])}; add it",
                key=True,
            )
        elif kind in ("union_tag_invalid", "union_tag_not_found"):
            ctx = err.get("ctx") or {}
            tags = str(ctx.get("expected_tags", "")).replace("'", "")
            got = ctx.get("tag", "")
            hint = suggest(str(got), [t.strip() for t in tags.split(",")]) if got else ""
            what = f"'{got}' is not a known method" if got else "no 'method' given"
            report.add(
                (*loc, "method"),
                "AMC006",
                f"{_dotted(loc)}: {what}; use one of: {tags}{hint}",
            )
        else:
            value = err.get("input")
            shown = "" if isinstance(value, dict | list) else f" (got {_short(value)})"
            report.add(loc, "AMC006", f"{_dotted(loc)}: {err['msg']}{shown}")
    if len(errors) > MAX_FINDINGS:
        report.add(
            (),
            "AMC009",
            f"{len(errors) - MAX_FINDINGS:,} more problems of the schema are not listed; fix "
            "these first (is this file a policy?)",
        )


def _short(value: object) -> str:
    """A value as the message shows it: an integer of 200,000 digits has no repr at all."""
    try:
        text = repr(value)
    except ValueError:
        return "a number too long to show"
    return text if len(text) <= 80 else text[:77] + "…"


def _dedupe(findings: list[Finding]) -> list[Finding]:
    """One message per place: a YAML 1.1 boolean also fails its type check; keep the first."""
    seen: set[Location] = set()
    out = []
    for f in findings:
        if f.location not in seen:
            seen.add(f.location)
            out.append(f)
    return out


def inspect_policy(path: Path) -> tuple[LoadedPolicy | None, list[Finding]]:
    """Every finding for one policy file, and the policy itself when it has no errors."""
    try:
        text = read_policy_text(path)
    except PolicyError as exc:
        return None, exc.findings
    return inspect_text(text, str(path))


def inspect_text(text: str, name: str) -> tuple[LoadedPolicy | None, list[Finding]]:
    """The same for policy text from elsewhere (a git revision); `name` is shown as its file."""
    try:
        tree = parse_yaml(text, name)
    except PolicyError as exc:
        return None, exc.findings
    report = _Report(name, tree)
    if not isinstance(tree, CommentedMap):
        report.add((), "AMC005", "the policy must be a YAML mapping starting with 'apiVersion:'")
        return None, report.findings
    _strict_scalars(tree, (), report)
    version, kind = tree.get("apiVersion"), tree.get("kind")
    if version != API_VERSION:
        shown = "missing" if version is None else f"'{version}'"
        fix = (
            f"run `amctl policy migrate {name}` to upgrade it"
            if version in OLDER_VERSIONS
            else f"set 'apiVersion: {API_VERSION}' (or upgrade amctl for a newer file)"
        )
        report.add(
            ("apiVersion",),
            "AMC007",
            f"apiVersion is {shown}; this amctl reads '{API_VERSION}': {fix}",
            key=version is None,
        )
    if kind != KIND:
        report.add(("kind",), "AMC007", f"kind is {kind!r}; a policy file has 'kind: {KIND}'")
    if any(f.rule == "AMC007" for f in report.findings):
        return None, report.findings  # another schema version: its other errors would mislead
    try:
        policy = Policy.model_validate(tree)
    except ValidationError as exc:
        _schema_findings(exc, report)
        return None, _dedupe(report.findings)
    for loc, rule, message, severity in semantic_findings(policy):
        report.add(loc, rule, message, key=True, severity=severity)
    formulas: dict[str, Formula] = {}
    if policy.pay is not None:
        formulas, problems = compile_pay(policy, policy.pay)
        for problem in problems:
            at_formula = problem.offset is not None
            report.add(
                problem.loc,
                problem.rule,
                problem.message,
                key=not at_formula,
                offset=problem.offset,
            )
    errors = [f for f in report.findings if f.severity is Severity.ERROR]
    if errors:
        return None, report.findings
    digest = hashlib.sha256(text.encode("utf-8")).hexdigest()
    loaded = LoadedPolicy(policy, name, tree, digest, tuple(report.findings), formulas, text)
    return loaded, report.findings


def locate_checks(loaded: LoadedPolicy, checks: list[Check]) -> list[Finding]:
    """Findings found after loading (invariants), placed in the policy's file."""
    report = _Report(loaded.path, loaded.tree)
    for loc, rule, message, severity in checks:
        report.add(loc, rule, message, key=True, severity=severity)
    return report.findings


def load_policy(path: Path) -> LoadedPolicy:
    """The policy, or a PolicyError carrying every finding."""
    loaded, findings = inspect_policy(path)
    if loaded is None:
        raise PolicyError(findings, f"{path}: the policy is invalid")
    return loaded
