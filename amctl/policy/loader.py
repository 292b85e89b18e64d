"""Read a policy file strictly and report every problem at its file:line:col.

The path is: YAML text → ruamel round-trip tree (keeps line numbers; libyaml parses a plain
file for it, quickyaml.py) → strict YAML checks (duplicate keys, YAML 1.1 booleans) →
pydantic model → semantic checks. Findings from one
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
from amctl.messages import Said, said, say
from amctl.policy.checks import Check, semantic_findings
from amctl.policy.locate import Loc, allowed_keys, position, suggest
from amctl.policy.models import API_VERSION, KIND, Policy, SaidValueError
from amctl.policy.payformulas import compile_conditions, compile_pay
from amctl.policy.quickyaml import Unfit, read_fast
from amctl.policy.spoken import READ, heard

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
        message: Said,
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
        self.findings.append(Finding.of(where, rule, message, severity, pointer=pointer))


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


_KINDS = {
    "policy": "policy.kind.policy",
    "overrides": "policy.kind.overrides",
    "policy test": "policy.kind.policy_test",
}


def _kind(what: str) -> Said | str:
    """The kind of file as the message names it; a kind without words stays as given."""
    key = _KINDS.get(what)
    return said(key) if key is not None else what


def read_policy_text(path: Path, what: str = "policy") -> str:
    """The text of a policy (or of an overrides or golden-case file, as `what` says): a
    regular file of bounded size, never a device, a pipe or a folder."""
    cap = max_bytes()
    kind = _kind(what)
    try:
        info = path.stat()
        if stat.S_ISDIR(info.st_mode):
            raise IsADirectoryError
        if not stat.S_ISREG(info.st_mode):
            raise UsageError(said("policy.not_regular", path=str(path), what=kind))
        if info.st_size > cap:
            raise UsageError(_too_big(path, kind, info.st_size, cap))
        with path.open("rb") as fh:
            raw = fh.read(cap + 1)
        if len(raw) > cap:
            raise UsageError(_too_big(path, kind, len(raw), cap))
    except FileNotFoundError:
        raise UsageError(said("policy.file_not_found", path=str(path), what=kind)) from None
    except IsADirectoryError:
        raise UsageError(said("policy.is_folder", path=str(path), what=kind)) from None
    except OSError as exc:
        raise UsageError(
            said("policy.cannot_read", path=str(path), what=kind, reason=exc.strerror)
        ) from None
    try:
        return raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise PolicyError(
            [
                Finding.of(
                    Location(str(path), line=raw[: exc.start].count(b"\n") + 1, col=1),
                    "AMC001",
                    said("policy.not_utf8"),
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

    def add(event: Any, rule: str, message: Said) -> None:
        mark = event.start_mark
        found.append(
            Finding.of(Location(path, line=mark.line + 1, col=mark.column + 1), rule, message)
        )

    for event in YAML(typ="safe", pure=True).parse(text):  # no comments kept: faster
        kind = type(event).__name__
        if kind == "AliasEvent":
            add(event, "AMC008", said("policy.alias", anchor=str(event.anchor)))
        elif getattr(event, "anchor", None):
            add(event, "AMC008", said("policy.anchor", anchor=str(event.anchor)))
        if kind in ("MappingStartEvent", "SequenceStartEvent"):
            depth += 1
            if depth > MAX_DEPTH:
                add(event, "AMC009", said("policy.too_deep", depth=MAX_DEPTH))
                break
        elif kind in ("MappingEndEvent", "SequenceEndEvent"):
            depth -= 1
        nodes += kind in ("ScalarEvent", "MappingStartEvent", "SequenceStartEvent")
        if nodes > MAX_NODES:
            add(event, "AMC009", said("policy.too_many", count=MAX_NODES))
            break
        if len(found) >= 20:
            break
    return found


def _too_big(path: Path, what: Said | str, size: int, cap: int) -> Said:
    return said("policy.too_big", path=str(path), what=what, size=size, cap=cap)


def parse_yaml(text: str, path: str) -> Any:
    """Round-trip parse that keeps comments, quotes and positions; errors become findings."""
    yaml = YAML(typ="rt")
    yaml.preserve_quotes = True
    yaml.allow_duplicate_keys = False
    try:
        shape = _shape_findings(text, path)
        if shape:
            first = shape[0].said or shape[0].message
            raise PolicyError(shape, said("policy.not_read", path=path, what=first))
        return yaml.load(text)
    except MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        line, col = (mark.line + 1, mark.column + 1) if mark else (1, 1)
        raise PolicyError(
            [Finding.of(Location(path, line=line, col=col), *_yaml_problem(exc))]
        ) from None
    except YAMLError as exc:  # unmarked errors are rare; still the user's file
        problem = said("policy.yaml_error", detail=str(exc))
        raise PolicyError([Finding.of(Location(path, line=1, col=1), "AMC001", problem)]) from None
    except (ValueError, TypeError, OverflowError) as exc:  # ruamel builds dates and numbers late
        line, col, value = _bad_scalar(text)
        message = said("policy.bad_scalar", value=value, error=str(exc))
        raise PolicyError(
            [Finding.of(Location(path, line=line, col=col), "AMC001", message)]
        ) from None


def _tree(text: str, path: str) -> Any:
    """The tree a check reads: libyaml's when the file is plain (five times faster, the same
    tree), else the round trip's, which finds and words every YAML problem."""
    try:
        return read_fast(text, max_depth=MAX_DEPTH, max_nodes=MAX_NODES)
    except Unfit:
        return parse_yaml(text, path)


_BUILDERS: dict[str, Any] = {
    "tag:yaml.org,2002:timestamp": lambda v: dt.date.fromisoformat(v[:10]),
    "tag:yaml.org,2002:int": lambda v: int(v.replace("_", ""), 0),
    "tag:yaml.org,2002:float": lambda v: float(v.replace("_", "")),
}


def _bad_scalar(text: str) -> tuple[int, int, str | Said]:
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
    return 1, 1, said("policy.a_value")


def _yaml_problem(exc: MarkedYAMLError) -> tuple[str, Said]:
    problem = (exc.problem or "").strip()
    if "duplicate key" in problem or type(exc).__name__ == "DuplicateKeyError":
        key = re.search(r'key "([^"]*)"', problem)
        name = key.group(1) if key else said("policy.a_key")
        return "AMC002", said("policy.duplicate_key", name=name)
    if "\\t" in problem or "tab" in problem.lower():
        return "AMC001", said("policy.tab")
    context = (exc.context or "").strip()
    detail = f"{context}: {problem}" if context else problem
    return "AMC001", said("policy.yaml_syntax", detail=detail)


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


def _ambiguous(word: str) -> Said:
    return said("policy.ambiguous", word=word)


def _dotted(loc: Loc) -> str | Said:
    return ".".join(str(p) for p in loc) or said("policy.top_level")


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
                said("policy.hint.allowed", keys=list(choices)) if choices else ""
            )
            report.add(
                loc,
                "AMC004",
                said("policy.unknown_key", name=name, where=_dotted(loc[:-1]), hint=hint),
                key=True,
            )
        elif kind == "missing":
            report.add(
                loc[:-1],
                "AMC005",
                said("policy.missing_key", name=str(loc[-1]), where=_dotted(loc[:-1])),
                key=True,
            )
        elif kind in ("union_tag_invalid", "union_tag_not_found"):
            ctx = err.get("ctx") or {}
            tags = str(ctx.get("expected_tags", "")).replace("'", "")
            got = ctx.get("tag", "")
            hint = suggest(str(got), [t.strip() for t in tags.split(",")]) if got else ""
            what = (
                said("policy.method_unknown", method=str(got))
                if got
                else said("policy.method_missing")
            )
            report.add(
                (*loc, "method"),
                "AMC006",
                said("policy.method_choices", where=_dotted(loc), what=what, tags=tags, hint=hint),
            )
        else:
            value = err.get("input")
            shown = (
                "" if isinstance(value, dict | list) else said("policy.got", value=_short(value))
            )
            report.add(
                loc,
                "AMC006",
                said("policy.schema_value", where=_dotted(loc), msg=_pydantic(err), shown=shown),
            )
    if len(errors) > MAX_FINDINGS:
        report.add((), "AMC009", said("policy.more_problems", count=len(errors) - MAX_FINDINGS))


def _pydantic(err: Mapping[str, Any]) -> str | Said:
    """pydantic's own words, in English; a check of the model's own says what it raised."""
    error = (err.get("ctx") or {}).get("error")
    if isinstance(error, SaidValueError):
        own = said("policy.value_error", what=error.said)
        if say(own) == err["msg"]:  # pydantic words a ValueError as "Value error, …"
            return own
    return str(err["msg"])


def _short(value: object) -> str | Said:
    """A value as the message shows it: an integer of 200,000 digits has no repr at all."""
    try:
        text = repr(value)
    except ValueError:
        return said("policy.number_too_long")
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
    """The same for policy text from elsewhere (a git revision); `name` is shown as its file.
    Its language is noted as soon as it is parsed (READ), so that even its own findings, and
    an error found before any table is printed, are said in it."""
    try:
        tree = _tree(text, name)
    except PolicyError as exc:
        return None, exc.findings
    meta = tree.get("metadata") if isinstance(tree, CommentedMap) else None
    if isinstance(meta, dict) and meta.get("language") in ("zh", "en"):
        READ["language"] = meta["language"]
    report = _Report(name, tree)
    if not isinstance(tree, CommentedMap):
        report.add((), "AMC005", said("policy.not_a_mapping"))
        return None, report.findings
    _strict_scalars(tree, (), report)
    version, kind = tree.get("apiVersion"), tree.get("kind")
    if version != API_VERSION:
        shown = said("policy.api_missing") if version is None else f"'{version}'"
        fix = (
            said("policy.api_migrate", name=name)
            if version in OLDER_VERSIONS
            else said("policy.api_set", wanted=API_VERSION)
        )
        report.add(
            ("apiVersion",),
            "AMC007",
            said("policy.api_version", shown=shown, wanted=API_VERSION, fix=fix),
            key=version is None,
        )
    if kind != KIND:
        report.add(("kind",), "AMC007", said("policy.kind_wrong", kind=repr(kind), expected=KIND))
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
    _, problems = compile_conditions(policy)
    if policy.pay is not None:
        formulas, paid = compile_pay(policy, policy.pay)
        problems += paid
    for problem in problems:
        at_formula = problem.offset is not None
        report.add(
            problem.loc,
            problem.rule,
            problem.said,
            key=not at_formula,
            offset=problem.offset,
        )
    errors = [f for f in report.findings if f.severity is Severity.ERROR]
    if errors:
        return None, report.findings
    digest = hashlib.sha256(text.encode("utf-8")).hexdigest()
    loaded = LoadedPolicy(policy, name, tree, digest, tuple(report.findings), formulas, text)
    heard(policy)
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
        raise PolicyError(findings, said("policy.invalid", path=str(path)))
    return loaded
