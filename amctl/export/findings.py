"""Findings in the formats CI systems read: JSON, GitHub workflow annotations, SARIF 2.1.0."""

from __future__ import annotations

import json
from collections.abc import Sequence
from typing import Any

from amctl.errors import Finding, Severity
from amctl.labels import worded

FORMATS = ("text", "json", "github", "sarif")
SARIF_SCHEMA = "https://json.schemastore.org/sarif-2.1.0.json"


def as_json(findings: Sequence[Finding], lang: str = "en") -> str:
    """The English `message` scripts match on, and `message_label` in `lang` for people."""
    rows = [
        {
            "file": f.location.path,
            "line": f.location.line,
            "column": f.location.col,
            "rule": f.rule,
            "severity": f.severity.value,
            "message": f.message,
            "message_label": worded(f, lang),
            "pointer": f.pointer,
        }
        for f in findings
    ]
    return json.dumps(rows, ensure_ascii=False, indent=2) + "\n"


def _escape(text: str, *, prop: bool = False) -> str:
    """GitHub's workflow-command escaping: %, CR and LF always; ',' and ':' in properties."""
    out = text.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")
    return out.replace(":", "%3A").replace(",", "%2C") if prop else out


def as_github(findings: Sequence[Finding], lang: str = "en") -> str:
    """Annotations a reviewer reads on the pull request: in `lang`."""
    lines = []
    for f in findings:
        kind = {Severity.ERROR: "error", Severity.WARNING: "warning"}.get(f.severity, "notice")
        props = [f"file={_escape(f.location.path, prop=True)}"]
        if f.location.line is not None:
            props.append(f"line={f.location.line}")
            props.append(f"col={f.location.col or 1}")
        props.append(f"title={_escape(f.rule, prop=True)}")
        text = _escape(worded(f, lang))
        lines.append(f"::{kind} {','.join(props)}::{text} [{f.rule}]\n")
    return "".join(lines)


def as_sarif(findings: Sequence[Finding], version: str, lang: str = "en") -> str:
    rules = sorted({f.rule for f in findings})
    results: list[dict[str, Any]] = []
    for f in findings:
        region = {"startLine": f.location.line or 1, "startColumn": f.location.col or 1}
        results.append(
            {
                "ruleId": f.rule,
                "level": {"error": "error", "warning": "warning"}.get(f.severity.value, "note"),
                "message": {"text": worded(f, lang)},
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
