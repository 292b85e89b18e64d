"""A policy's YAML tree, read fast: ruamel's C parser (libyaml, from ruamel.yaml.clib) scans
and parses, and ruamel's own resolver and round-trip constructor build from its events the
very tree the round trip builds: CommentedMap and CommentedSeq with every key's and value's
line and column, quoted strings kept as quoted, YAML 1.2 values. The round trip cannot use
the C parser, and its pure-Python scanner was most of the time `policy check` spent reading
a policy.

Only a plain file takes this path; anything else raises `Unfit` and the loader reads the file
the round-trip way, which finds and words every problem as it always has:
- any YAML error, duplicate key or value that cannot be built (the round trip says which);
- a tab anywhere (libyaml lets some through that ruamel refuses: AMC001 stays as it was);
- an anchor, alias, tag, directive or second document (refused or rare: not worth a path);
- an empty value (libyaml marks it on the next line, ruamel just after the colon);
- more nesting or more values than the loader's limits (it reports them).
"""

from __future__ import annotations

import importlib
from typing import Any

from ruamel.yaml import YAML, events
from ruamel.yaml.error import YAMLError
from ruamel.yaml.nodes import MappingNode, ScalarNode, SequenceNode


def _c_parser() -> Any:
    """ruamel's C parser, from ruamel.yaml.clib (or clibz): a declared dependency. Without
    one every file is read the round-trip way."""
    try:
        return importlib.import_module("ruamel.yaml.cyaml").CParser
    except ImportError:  # pragma: no cover
        return None


CParser = _c_parser()


class Unfit(Exception):
    """Not a plain file for libyaml's reading: read it the round-trip way."""


def read_fast(text: str, *, max_depth: int, max_nodes: int) -> Any:
    """The round-trip tree of `text` (None for an empty file), or `Unfit`."""
    if CParser is None or "\t" in text:
        raise Unfit
    loader = YAML(typ="rt")
    loader.preserve_quotes = True
    loader.allow_duplicate_keys = False
    try:
        root = _compose(text, loader.resolver.resolve, max_depth, max_nodes)
        return None if root is None else loader.constructor.construct_document(root)
    except (YAMLError, ValueError, TypeError, OverflowError):
        raise Unfit from None


def _compose(text: str, resolve: Any, max_depth: int, max_nodes: int) -> Any:
    """ruamel's composer, over the C parser's events: nodes with their tags resolved as ruamel
    resolves them (YAML 1.2) and libyaml's marks (line and column, from 0)."""
    parser = CParser(text)
    try:
        return _nodes(parser, resolve, max_depth, max_nodes)
    finally:
        parser.dispose()


def _nodes(parser: Any, resolve: Any, max_depth: int, max_nodes: int) -> Any:
    root: Any = None
    open_: list[list[Any]] = []  # [collection node, the key waiting for its value]
    documents = nodes = 0

    def place(node: Any) -> None:
        nonlocal root, nodes
        nodes += 1
        if nodes > max_nodes:
            raise Unfit
        if not open_:
            root = node
            return
        parent = open_[-1]
        if isinstance(parent[0], SequenceNode):
            parent[0].value.append(node)
        elif parent[1] is None:
            parent[1] = node
        else:
            parent[0].value.append((parent[1], node))
            parent[1] = None

    while (event := parser.get_event()) is not None:
        if isinstance(event, events.NodeEvent) and event.anchor is not None:
            raise Unfit  # an anchor, or an alias of one
        if isinstance(event, events.ScalarEvent | events.CollectionStartEvent) and event.tag:
            raise Unfit
        if isinstance(event, events.ScalarEvent):
            if event.value == "" and not event.style:
                raise Unfit
            tag = resolve(ScalarNode, event.value, event.implicit)
            style = event.style or None  # libyaml: '' for plain; ruamel: None
            place(ScalarNode(tag, event.value, event.start_mark, event.end_mark, style=style))
        elif isinstance(event, events.CollectionStartEvent):
            kind = MappingNode if isinstance(event, events.MappingStartEvent) else SequenceNode
            tag = resolve(kind, None, event.implicit)
            node = kind(tag, [], event.start_mark, None, flow_style=event.flow_style)
            place(node)
            open_.append([node, None])
            if len(open_) > max_depth:
                raise Unfit
        elif isinstance(event, events.CollectionEndEvent):
            open_.pop()[0].end_mark = event.end_mark
        elif isinstance(event, events.DocumentStartEvent):
            documents += 1
            if documents > 1 or event.version or event.tags:
                raise Unfit
    return root
