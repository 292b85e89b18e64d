"""Findings in the formats CI systems read: JSON, GitHub workflow annotations, SARIF 2.1.0."""

from __future__ import annotations

import json
from collections.abc import Sequence
from typing import Any

from amctl.errors import Finding, Severity

FORMATS = ("text", "json", "github", "sarif")
SARIF_SCHEMA = "https://json.schemastore.org/sarif-2.1.0.json"


def as_text(findings: Sequence[Finding]) -> str:
    return "".join(f"{f}\n" for f in findings)


def as_json(findings: Sequence[Finding]) -> str:
    rows = [
        {
            "file": f.location.path,
            "line": f.location.line,
            "column": f.location.col,
            "rule": f.rule,
            "severity": f.severity.value,
            "message": f.message,
            "pointer": f.pointer,
        }
        for f in findings
    ]
    return json.dumps(rows, ensure_ascii=False, indent=2) + "\n"


def _escape(text: str, *, prop: bool = False) -> str:
    """GitHub's workflow-command escaping: %, CR and LF always; ',' and ':' in properties."""
    out = text.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")
    return out.replace(":", "%3A").replace(",", "%2C") if prop else out


def as_github(findings: Sequence[Finding]) -> str:
    lines = []
    for f in findings:
        kind = {Severity.ERROR: "error", Severity.WARNING: "warning"}.get(f.severity, "notice")
        props = [f"file={_escape(f.location.path, prop=True)}"]
        if f.location.line is not None:
            props.append(f"line={f.location.line}")
            props.append(f"col={f.location.col or 1}")
        props.append(f"title={_escape(f.rule, prop=True)}")
        lines.append(f"::{kind} {','.join(props)}::{_escape(f.message)} [{f.rule}]\n")
    return "".join(lines)


def as_sarif(findings: Sequence[Finding], version: str) -> str:
    rules = sorted({f.rule for f in findings})
    results: list[dict[str, Any]] = []
    for f in findings:
        region = {"startLine": f.location.line or 1, "startColumn": f.location.col or 1}
        results.append(
            {
                "ruleId": f.rule,
                "level": {"error": "error", "warning": "warning"}.get(f.severity.value, "note"),
                "message": {"text": f.message},
                "locations": [
                    {
                        "physicalLocation": {
                            "artifactLocation": {"uri": f.location.path},
                            "region": region,
                        }
                    }
                ],
            }
        )
    doc = {
        "$schema": SARIF_SCHEMA,
        "version": "2.1.0",
        "runs": [
            {
                "tool": {
                    "driver": {
                        "name": "amctl",
                        "version": version,
                        "rules": [{"id": r} for r in rules],
                    }
                },
                "results": results,
            }
        ],
    }
    return json.dumps(doc, ensure_ascii=False, indent=2) + "\n"
