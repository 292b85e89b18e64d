"""Why a manager got their tier, as data: a code and the numbers behind it.

The engine records reasons; it never words them. The label layer (`labels.py`) says them in
Chinese or English for whatever is shown, and the ledger keeps them as they are, so a recorded
period can be read again in either language. The engine keeps them a column at a time
(`amctl.engine.why`); this module stays light, for the policy tools that word them.
"""

from __future__ import annotations

from typing import Any

Reason = dict[str, Any]  # {"code": "seat", "level": "mid", "n": 9, "of": 40}


def reason(code: str, **params: Any) -> Reason:
    return {"code": code, **params}
