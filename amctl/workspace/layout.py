"""A workspace: the folder an HR team keeps in git, and where each thing of a period lives.

policies/ct-group.yaml      the rules (and their golden cases, *.test.yaml)
data/2024Q3/roster.xlsx     the period's workbooks: roster, performance, ratings
overrides/2024Q3.yaml       the calibration meeting's moves
out/2024Q3/                 what `amctl close` writes
.amctl/ledger.sqlite        the recorded periods
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from pathlib import Path

from amctl.data.sheets import SUFFIXES
from amctl.errors import UsageError
from amctl.ledger.store import FILE, Ledger
from amctl.messages import said
from amctl.policy.columns import normalise_header
from amctl.policy.loader import LoadedPolicy
from amctl.workspace.policies import choose

MARKERS = ("policies", "data", ".amctl")


@dataclass(frozen=True)
class Workspace:
    """The folder layout; it reads nothing until asked."""

    root: Path

    @classmethod
    def find(cls, start: Path | None = None) -> Workspace:
        """The folder holding policies/, data/ or .amctl/ at or above `start`, else the
        current folder."""
        try:
            here = (start or Path.cwd()).resolve()
        except (OSError, RuntimeError):  # a symlink loop: the reader says what is wrong
            return cls(Path.cwd())
        for folder in [here if here.is_dir() else here.parent, *here.parents]:
            if any((folder / marker).is_dir() for marker in MARKERS):
                return cls(folder)
        return cls(Path.cwd())

    @classmethod
    def at(cls, folder: Path | str | None, start: Path | None = None) -> Workspace:
        """The folder named, else the one found from `start` (a roster) or the current one."""
        if folder is None:
            return cls.find(start)
        if not Path(folder).is_dir():
            raise UsageError(said("workspace.no_folder", folder=str(folder)))
        return cls(Path(folder))

    @property
    def policies(self) -> Path:
        return self.root / "policies"

    @property
    def ledger_file(self) -> Path:
        return self.root / FILE

    def data(self, period: str) -> Path:
        return self.root / "data" / period

    def overrides(self, period: str) -> Path:
        return self.root / "overrides" / f"{period}.yaml"

    def out(self, period: str) -> Path:
        return self.root / "out" / period

    def relative(self, path: Path) -> str:
        """A path as the workspace's own (data/2024Q3/roster.xlsx) when it lies inside."""
        try:
            return path.resolve().relative_to(self.root.resolve()).as_posix()
        except (ValueError, OSError, RuntimeError):
            return str(path)

    def policy(
        self, explicit: Path | None, as_of: dt.date, near: Path | None = None
    ) -> LoadedPolicy:
        """The policy in effect on `as_of`: the one given, else the workspace's (by effective
        date), else the bundled default."""
        return choose(explicit, near if near is not None else self.policies, as_of)

    def roster(self, period: str, names: list[str]) -> Path:
        """data/<period>/roster.xlsx, or the one roster-named table in that folder."""
        folder = self.data(period)
        if not folder.is_dir():
            raise UsageError(said("workspace.no_period_folder", folder=str(folder), period=period))
        wanted = {normalise_header(n) for n in [*names, "roster"]}
        tables = sorted(
            p
            for p in folder.iterdir()
            if p.suffix.lower() in SUFFIXES and not p.name.startswith((".", "~$"))
        )
        named = [p for p in tables if normalise_header(p.stem) in wanted]
        if named:
            return named[0]
        if len(tables) == 1:
            return tables[0]
        listed = (
            said("workspace.files", names=[p.name for p in tables])
            if tables
            else said("workspace.no_spreadsheets")
        )
        raise UsageError(said("workspace.which_roster", folder=str(folder), listed=listed))

    def ledger(self, *, write: bool = False) -> Ledger | None:
        """The ledger, opened for reading (None when there is none yet) or for writing."""
        if not write and not self.ledger_file.exists():
            return None
        return Ledger.open(self.ledger_file, write=write)
