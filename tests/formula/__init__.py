"""Formulas are evaluated over numpy arrays (runs) and over lists (policy check): the helpers
here run every tested formula both ways and insist on one answer."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from amctl.formula.arrays import LISTS
from amctl.formula.compile import Node
from amctl.formula.evaluate import Env, EvalError, evaluate


def _plain(value: Any) -> tuple[str, str]:
    """A value as compared across holders: numpy's float64 and bool_ are float and bool."""
    if isinstance(value, Decimal):
        return ("Decimal", str(value))
    if isinstance(value, str) or value is None:
        return (type(value).__name__, str(value))
    if type(value).__name__ in ("bool", "bool_"):
        return ("bool", str(bool(value)))
    return ("float", repr(float(value)))


def _listed(value: Any) -> Any:
    """A numpy column as lists hold it: its Python values (a datetime64 date is a date, NaT
    None)."""
    return value.tolist() if hasattr(value, "tolist") else value


def _outcome(tree: Node, env: Env) -> tuple[str, Any]:
    try:
        return ("value", [_plain(v) for v in evaluate(tree, env)])
    except EvalError as exc:
        return ("error", (exc.message, exc.rows))


def evaluated(tree: Node, env: Env) -> Any:
    """evaluate() over env's numpy columns, checked against the same formula over lists."""
    as_lists = {k: _listed(v) for k, v in env.columns.items()}
    totals = {k: _listed(v) for k, v in env.totals.items()}
    listed = Env(
        as_lists, env.tables, env.brackets, env.size, env.as_of, totals=totals, arrays=LISTS
    )
    assert _outcome(tree, env) == _outcome(tree, listed)
    return evaluate(tree, env)
