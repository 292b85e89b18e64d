"""One error hierarchy: user errors carry a place and a fix; anything else is a bug.

Exit codes live here so every command maps failures the same way:
0 ok, 1 findings (a check found problems), 2 unusable input or usage, 3 internal bug.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from enum import StrEnum

from amctl.messages import Said, say

EXIT_OK = 0
EXIT_FINDINGS = 1
EXIT_USAGE = 2
EXIT_BUG = 3


class Severity(StrEnum):
    ERROR = "error"
    WARNING = "warning"
    NOTE = "note"


@dataclass(frozen=True, order=True)
class Location:
    """Where a problem is: a YAML node (line/col) or a spreadsheet cell (sheet/row/column)."""

    path: str
    line: int | None = None
    col: int | None = None
    sheet: str | None = None
    row: int | None = None
    column: str | None = None  # spreadsheet column letter, e.g. "D"
    header: str | None = None  # the header text of that column, when known

    def __str__(self) -> str:
        if self.sheet is not None or self.row is not None:
            place = self.path
            cell = f"{self.column or ''}{self.row or ''}"
            if self.sheet is not None:
                place += f":{self.sheet}"
                if cell:
                    place += f"!{cell}"
            elif cell:
                place += f":{cell}"
            return place
        if self.line is not None:
            return f"{self.path}:{self.line}:{self.col or 1}"
        return self.path


@dataclass(frozen=True)
class Finding:
    """A located problem with a stable rule id, printed compiler-style."""

    location: Location
    rule: str
    message: str
    severity: Severity = Severity.ERROR
    row_id: str | None = field(default=None, compare=False)  # the employee the problem belongs to
    pointer: str | None = field(default=None, compare=False)  # JSON pointer into a policy
    said: Said | None = field(default=None, compare=False)  # the message as data, to word again

    @classmethod
    def of(
        cls,
        location: Location,
        rule: str,
        what: Said,
        severity: Severity = Severity.ERROR,
        row_id: str | None = None,
        pointer: str | None = None,
    ) -> Finding:
        """A finding whose message can be said in any language; `message` is the English."""
        return cls(location, rule, say(what), severity, row_id, pointer, what)

    def worded(self, lang: str, word: Callable[[str], str | None] | None = None) -> str:
        """The message in `lang`; one made as plain text stays as it was written."""
        return say(self.said, lang, word, self.message) if self.said is not None else self.message

    def __str__(self) -> str:
        return f"{self.location}: {self.severity.value}: {self.message} [{self.rule}]"


class AmctlError(Exception):
    """Base of every error amctl expects; anything else escaping is a bug (exit 3).

    Raised with a `Said` (a message key and its values), it can be worded in the policy's
    language where it is shown; `str(exc)` is always the English."""

    exit_code = EXIT_USAGE

    def __init__(self, what: str | Said = "") -> None:
        self.said = what if isinstance(what, Said) else None
        super().__init__(say(what))

    def worded(self, lang: str, word: Callable[[str], str | None] | None = None) -> str:
        return say(self.said, lang, word, str(self)) if self.said is not None else str(self)


class UsageError(AmctlError):
    """Bad command-line usage or an unusable input file (exit 2)."""


class FindingsError(AmctlError):
    """Input that cannot be used, with every problem found in one pass."""

    def __init__(self, findings: list[Finding], summary: str | Said = "") -> None:
        self.findings = findings
        super().__init__(summary or Said("pipeline.problems", {"n": len(findings)}))


class PolicyError(FindingsError):
    """The policy file is invalid: the run cannot start."""


class DataError(FindingsError):
    """An input table is unusable as a whole (missing sheet, missing columns, ...)."""


class OutputError(AmctlError):
    """An output cannot be written safely (would clobber an input, exists, no folder)."""


def unreadable(exc: BaseException) -> bool:
    """What a reader raised is about the file: any error, or a panic of a reader written in
    Rust. pyo3's PanicException (a class of each extension's own) derives from
    BaseException, so `except Exception` lets it by, yet it is met on a file the reader's
    authors never saw (a date cell of -1e12 days), as any other error of the reader is."""
    return isinstance(exc, Exception) or type(exc).__name__ == "PanicException"
