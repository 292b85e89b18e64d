"""Findings as data, a key and its values, and their wording in Chinese and English.

A finding is raised where the problem is seen and worded where it is shown, so one run can
be read in the policy's language on the terminal and in English in a CI log. The English
wording is also kept on the finding itself (`Finding.message`): logs, json and tests read
that one.

Templates are `str.format` strings over named values, with two conversions of our own:
`{x!l}` joins a list in the language (a, b and c / a、b 和 c), and `{x!w}` names an internal
key (employee_id) by its label (员工编号) when the shower knows one. A value may itself be a
`Said` (a key and values), worded in the same language: the part of a message that varies.
"""

from __future__ import annotations

import functools
import string
from collections.abc import Callable, Mapping, Sequence
from typing import Any, NamedTuple

from amctl.messages.data import MESSAGES as DATA
from amctl.messages.formula import MESSAGES as FORMULA
from amctl.messages.pipeline import MESSAGES as PIPELINE
from amctl.messages.policy import MESSAGES as POLICY


class Said(NamedTuple):
    """Words not yet worded: a catalogue key and the values it names."""

    key: str
    params: Mapping[str, Any]


def said(key: str, **params: Any) -> Said:
    return Said(key, params)


def _merge(*tables: Mapping[str, tuple[str, str]]) -> dict[str, tuple[str, str]]:
    out: dict[str, tuple[str, str]] = {}
    for table in tables:
        twice = out.keys() & table.keys()
        if twice:  # two areas claiming one key would word each other's findings
            raise RuntimeError(f"message keys defined twice: {sorted(twice)}")
        out.update(table)
    return out


CATALOGUE: dict[str, tuple[str, str]] = _merge(DATA, FORMULA, PIPELINE, POLICY)


def joined(items: Sequence[Any], lang: str) -> str:
    """a, b and c / a、b 和 c: a list as the sentence around it reads it."""
    parts = [str(x) for x in items]
    if lang == "zh":
        return "、".join(parts)
    return ", ".join(parts)


class _Formatter(string.Formatter):
    def __init__(self, lang: str, word: Callable[[str], str | None] | None) -> None:
        self.lang, self.word = lang, word

    def format_field(self, value: Any, format_spec: str) -> str:
        if isinstance(value, Said):
            value = _worded(value, self.lang, self.word)
        return str(super().format_field(value, format_spec))

    def convert_field(self, value: Any, conversion: str | None) -> Any:
        if conversion == "l":
            return joined([self._one(v) for v in value], self.lang)
        if conversion == "w":
            named = self.word(str(value)) if self.word is not None else None
            return named or str(value)
        return super().convert_field(value, conversion)

    def field(self, value: Any, spec: str, conversion: str | None) -> str:
        """One field's value in words: converted, then formatted, as vformat does."""
        return self.format_field(self.convert_field(value, conversion), spec)

    def _one(self, value: Any) -> Any:
        return _worded(value, self.lang, self.word) if isinstance(value, Said) else value


class Unsaid(Exception):
    """A message this amctl cannot word: a key or values recorded by another version."""


def _worded(what: Said | str, lang: str, word: Callable[[str], str | None] | None) -> str:
    if isinstance(what, str):
        return what
    templates = CATALOGUE.get(what.key)
    if templates is None:
        raise Unsaid(what.key)
    template = templates[0 if lang == "zh" else 1]
    formatter = _Formatter(lang, word if lang == "zh" else None)
    try:
        parts = _parts(template)
        if parts is None:
            return formatter.vformat(template, (), what.params)
        return _filled(formatter, parts, what.params)
    except (KeyError, IndexError, ValueError, TypeError, AttributeError) as exc:
        raise Unsaid(what.key) from exc


Parts = tuple[tuple[str, str | None, str, str | None], ...]


@functools.cache
def _parts(template: str) -> Parts | None:
    """A template taken apart once: (text, field, spec, conversion) as string.Formatter
    parses it, when every field is a plain name with a plain spec, as the catalogue's are
    (None: string.Formatter words it, attribute and index lookups and nested specs too)."""
    parts = []
    for text, name, spec, conversion in _Formatter("en", None).parse(template):
        if name is not None and (not name.isidentifier() or "{" in (spec or "")):
            return None
        parts.append((text, name, spec or "", conversion))
    return tuple(parts)


def _filled(formatter: _Formatter, parts: Parts, params: Mapping[str, Any]) -> str:
    """What formatter.vformat gives for a template of plain fields, without its general
    machinery: a finding worded for each of a hundred thousand managers costs a tenth."""
    out = []
    for text, name, spec, conversion in parts:
        if text:
            out.append(text)
        if name is not None:
            out.append(formatter.field(params[name], spec, conversion))
    return "".join(out)


def template_parts(key: str, lang: str) -> Parts | None:
    """The catalogue's words for `key` in `lang`, taken apart as `_parts` does (None: an
    unknown key, or a template string.Formatter alone words)."""
    templates = CATALOGUE.get(key)
    return None if templates is None else _parts(templates[0 if lang == "zh" else 1])


def field_text(
    lang: str, word: Callable[[str], str | None] | None = None
) -> Callable[[Any, str, str | None], str]:
    """A field's value in words as `say` words it: converted, then formatted. For wording a
    message a field at a time, each distinct value once."""
    return _Formatter(lang, word if lang == "zh" else None).field


def say(
    what: Said | str,
    lang: str = "en",
    word: Callable[[str], str | None] | None = None,
    fallback: str | None = None,
) -> str:
    """A message in `lang`. `word` names internal keys (`{x!w}`); English keeps the keys. A
    message recorded by another amctl, whose key or values this one does not know, is its
    `fallback` (the English kept beside it), else its key."""
    try:
        return _worded(what, lang, word)
    except Unsaid:
        if fallback is not None:
            return fallback
        assert isinstance(what, Said)
        return what.key


def to_data(value: Any) -> Any:
    """A Said as JSON data ({"said": key, "params": …}), nested ones included."""
    if isinstance(value, Said):
        return {"said": value.key, "params": {k: to_data(v) for k, v in value.params.items()}}
    if isinstance(value, list | tuple):
        return [to_data(v) for v in value]
    return value


def from_data(value: Any) -> Any:
    """The inverse of `to_data`: a stored message worded again in any language."""
    if isinstance(value, dict) and "said" in value:
        return Said(value["said"], {k: from_data(v) for k, v in value["params"].items()})
    if isinstance(value, list):
        return [from_data(v) for v in value]
    return value
