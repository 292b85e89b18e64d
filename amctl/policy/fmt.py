"""One canonical layout for policy files, so reviews show changes of meaning, not of spacing.

A ruamel round trip keeps comments, key order, quotes, flow mappings and Chinese text; only
indentation and line breaking are normalised, and the file's line endings (LF or CRLF) are
kept. Formatting a formatted file changes nothing.
"""

from __future__ import annotations

import io

from ruamel.yaml import YAML

from amctl.policy.loader import parse_yaml


def canonical_yaml() -> YAML:
    yaml = YAML(typ="rt")
    yaml.preserve_quotes = True
    yaml.indent(mapping=2, sequence=4, offset=2)
    yaml.width = 4096  # never fold a long formula or label onto a second line
    yaml.allow_unicode = True
    return yaml


def format_policy(text: str, path: str) -> str:
    """The canonical text; PolicyError (with its place) when the YAML cannot be parsed."""
    crlf = "\r\n" in text  # a file saved with Windows line endings keeps them, all of them
    tree = parse_yaml(text.replace("\r\n", "\n") if crlf else text, path)
    buffer = io.StringIO()
    canonical_yaml().dump(tree, buffer)
    out = buffer.getvalue()
    return out.replace("\n", "\r\n") if crlf else out
