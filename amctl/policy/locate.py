"""Map a path inside the policy (a pydantic `loc`) back to the YAML node's line and column."""

from __future__ import annotations

import difflib
import types
import typing
from collections.abc import Sequence
from typing import Any

from pydantic import BaseModel
from ruamel.yaml.comments import CommentedMap, CommentedSeq

from amctl.messages import Said, said

Loc = Sequence[str | int]


def position(root: Any, loc: Loc, *, key: bool = False) -> tuple[int, int]:
    """1-based (line, col) of the deepest node of `loc` that exists in the YAML tree.

    With `key=True` the position of the last key itself is returned (for unknown keys and
    whole sections); otherwise that of its value. Segments that are not in the tree (pydantic's
    union tags, missing keys) stop the walk at the nearest existing parent.
    """
    node = root
    line, col = _start(root)
    for i, part in enumerate(loc):
        last = i == len(loc) - 1
        if isinstance(node, CommentedMap) and part in node:
            child = node[part]
            use_key = (key and last) or not _is_scalar(child)
            line, col = node.lc.key(part) if use_key else node.lc.value(part)
            node = child
        elif isinstance(node, CommentedSeq) and isinstance(part, int) and 0 <= part < len(node):
            line, col = node.lc.item(part)
            node = node[part]
        else:
            continue
    return line + 1, col + 1


def _start(node: Any) -> tuple[int, int]:
    lc = getattr(node, "lc", None)
    if lc is not None and lc.line is not None:
        return lc.line, lc.col
    return 0, 0


def _is_scalar(value: Any) -> bool:
    return not isinstance(value, CommentedMap | CommentedSeq)


def allowed_keys(model: type[BaseModel], loc: Loc) -> list[str]:
    """The keys a mapping at `loc` may hold, found by walking the model's annotations."""
    current: Any = model
    for part in loc:
        current = _child(current, part)
        if current is None:
            return []
    fields = _model_fields(current)
    return fields or []


def suggest(word: str, choices: list[str]) -> Said | str:
    """The hint "; did you mean 'x'?" as data, or "" when no choice is close."""
    close = difflib.get_close_matches(word, choices, n=1, cutoff=0.6)
    return said("policy.hint.did_you_mean", name=close[0]) if close else ""


def _model_fields(tp: Any) -> list[str] | None:
    tp = _unwrap(tp)
    if isinstance(tp, type) and issubclass(tp, BaseModel):
        return [f.alias or name for name, f in tp.model_fields.items()]
    return None


def _unwrap(tp: Any) -> Any:
    while typing.get_origin(tp) is typing.Annotated:
        tp = typing.get_args(tp)[0]
    return tp


def _child(tp: Any, part: str | int) -> Any:
    tp = _unwrap(tp)
    origin = typing.get_origin(tp)
    if origin in (typing.Union, types.UnionType):
        members = [_unwrap(a) for a in typing.get_args(tp) if a is not type(None)]
        for member in members:  # discriminated unions put the tag in loc: match it
            if isinstance(member, type) and issubclass(member, BaseModel):
                method = member.model_fields.get("method")
                if method is not None and part in typing.get_args(method.annotation):
                    return member
        for member in members:
            found = _child(member, part)
            if found is not None:
                return found
        return None
    if isinstance(tp, type) and issubclass(tp, BaseModel):
        for name, f in tp.model_fields.items():
            if part in (name, f.alias):
                return f.annotation
        return None
    if origin is dict:
        return typing.get_args(tp)[1]
    if origin in (list, tuple):
        args = typing.get_args(tp)
        return args[0] if args else None
    return None
