"""The period a command means: --quarter, else --as-of, else a quarter in the roster's path,
else today (said aloud, since the result then depends on the day it runs)."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from amctl.errors import UsageError
from amctl.messages import said
from amctl.period import Period, from_path, parse


def chosen(quarter_text: str | None, as_of: dt.date | None, roster: Path) -> Period:
    if quarter_text is not None and as_of is not None:
        raise UsageError(said("period.quarter_and_as_of"))
    if quarter_text is not None:
        return parse(quarter_text, "--period")
    if as_of is not None:
        return Period(as_of.isoformat(), None, as_of, "--as-of")
    found = from_path(roster)
    if found is not None:
        return found
    today = dt.date.today()
    return Period(today.isoformat(), None, today, "today (pass --period for a repeatable run)")
