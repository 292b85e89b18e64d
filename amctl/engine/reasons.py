"""Why a manager got their tier, as data: a code and the numbers behind it.

The engine records reasons; it never words them. The label layer (`export/labels.py`) says
them in Chinese or English for whatever is shown, and the ledger keeps them as they are, so a
recorded period can be read again in either language.
"""

from __future__ import annotations

from typing import Any

Reason = dict[str, Any]  # {"code": "seat", "level": "mid", "n": 9, "of": 40}


def reason(code: str, **params: Any) -> Reason:
    return {"code": code, **params}
