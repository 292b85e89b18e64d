"""Writing files safely: atomic replace, never over an input, no formula injection."""

from __future__ import annotations

import os
import tempfile
from collections.abc import Callable, Iterable
from pathlib import Path
from typing import Any

from amctl.errors import OutputError

FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


class OutputExists(OutputError):
    """The output is there already, and replacing it was not asked for."""


def neutralise(value: Any) -> Any:
    """Text a spreadsheet would run as a formula gets a leading apostrophe (OWASP CSV advice)."""
    if isinstance(value, str) and value.startswith(FORMULA_START):
        return "'" + value
    return value


def check_suffix(out: Path, formats: Iterable[str]) -> None:
    allowed = tuple(formats)
    if out.suffix.lower() not in allowed:
        shown = ", ".join(allowed)
        raise OutputError(f"{out}: unknown output format '{out.suffix}'; use one of {shown}")


def check_target(out: Path, inputs: Iterable[Path], *, force: bool) -> None:
    try:
        target = out.resolve()
    except (OSError, RuntimeError):
        raise OutputError(f"{out}: a symlink loop; write the output somewhere else") from None
    for src in inputs:
        if src.exists() and src.resolve() == target:
            raise OutputError(f"{out}: this is an input file; write the output somewhere else")
    if out.is_symlink() and not target.exists() and not force:
        raise OutputExists(
            f"{out}: a symlink to {target}, which does not exist; amctl replaces the link only "
            "when told to (--force), or write the output somewhere else"
        )
    if not target.parent.is_dir():
        raise OutputError(f"{out}: folder {out.parent} does not exist; create it first")
    if target.exists() and not force:
        raise OutputExists(f"{out}: already exists; amctl replaces a file only when told to")


def _umask() -> int:
    mask = os.umask(0)
    os.umask(mask)
    return mask


def atomic_write(out: Path, write: Callable[[Path], None], *, replace: bool = True) -> None:
    """Write to a temporary file beside `out`, then rename: readers never see half a file.
    With `replace=False` a file that appeared at `out` meanwhile is kept, not overwritten
    (the temporary file is linked into place, which fails if the name is taken)."""
    try:
        fd, tmp_name = tempfile.mkstemp(prefix=f".{out.name}.", suffix=".tmp", dir=out.parent)
    except OSError as exc:
        raise OutputError(f"{out}: cannot write here ({exc.strerror}); check the folder") from None
    os.close(fd)
    tmp = Path(tmp_name)
    try:
        write(tmp)
        os.chmod(tmp, 0o666 & ~_umask())  # mkstemp makes 0600; outputs are for sharing
        if replace:
            os.replace(tmp, out)
        else:
            _place(tmp, out)
    except OutputError:
        raise
    except Exception as exc:
        failed = _os_error(exc)  # a writer library may wrap the OSError (xlsxwriter does)
        if failed is None:
            raise
        reason = failed.strerror or type(failed).__name__
        raise OutputError(f"{out}: cannot write ({reason}); check space and permissions") from None
    finally:
        tmp.unlink(missing_ok=True)


def _place(tmp: Path, out: Path) -> None:
    """Put `tmp` at `out` only if nothing is there, atomically where links work."""
    try:
        os.link(tmp, out)
    except FileExistsError:
        raise OutputExists(
            f"{out}: appeared while amctl was writing it; amctl replaces a file only when told to"
        ) from None
    except OSError:  # a file system without hard links: check, then rename
        if out.exists():
            raise OutputExists(
                f"{out}: appeared while amctl was writing it; amctl replaces a file only when "
                "told to"
            ) from None
        os.replace(tmp, out)


def _os_error(exc: BaseException | None) -> OSError | None:
    seen = 0
    while exc is not None and seen < 10:
        if isinstance(exc, OSError):
            return exc
        exc, seen = exc.__cause__ or exc.__context__, seen + 1
    return None
