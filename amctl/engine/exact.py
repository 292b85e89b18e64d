"""Scores rounded half-up on their decimal value, at the speed of whole columns.

A weighted sum like 0.5 × 57.1362 + 0.5 × 57.1363 is exactly 57.13625, but in binary it is
57.136249999…, and rounding that gives 57.1362: the tie goes the wrong way, and at an exact
tie between two managers it can flip their order against the declared tie-break. Computing
every score in exact arithmetic would cost a Python object per value. Instead the float
result is rounded, and only values that land within a hair of a half (far closer than any
float error at these magnitudes, and far wider) are recomputed exactly from the decimals
the data holds. Everywhere else the float's rounding is the exact rounding.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from fractions import Fraction

import numpy as np

NEAR = 1e-6  # in units of the last kept digit: float error here is below 1e-9


def decimal(value: float) -> Fraction:
    """The decimal a float stands for, exactly: its 15 significant digits, as Excel shows and
    keeps a number (64.55999999999999, a sum Excel made, is the 64.56 on the screen). A
    decimal typed with 15 digits or fewer comes back as typed."""
    return Fraction(f"{float(value):.15g}")


def half_up(
    values: np.ndarray,
    digits: int,
    exact: Callable[[np.ndarray], Sequence[Fraction | None] | np.ndarray],
) -> np.ndarray:
    """`values` rounded half away from zero to `digits` decimals; `exact(positions)` gives the
    exact values of the few that sit near a half, or (an array) those values already rounded
    exactly. NaN stays NaN."""
    scale = 10**digits
    values = np.asarray(values, dtype="float64")
    out: np.ndarray
    scaled = np.abs(values) * scale
    with np.errstate(invalid="ignore"):
        out = np.sign(values) * np.floor(scaled + 0.5) / scale
        near = np.flatnonzero(np.abs(scaled - np.floor(scaled) - 0.5) < NEAR)
    if len(near):
        got = exact(near)
        if isinstance(got, np.ndarray):
            out[near] = got
            return out
        for position, value in zip(near.tolist(), got, strict=True):
            if value is not None:
                whole = (abs(value) * scale + Fraction(1, 2)).__floor__()
                out[position] = float(Fraction(whole if value >= 0 else -whole, scale))
    return out


PLACES = 6  # a score typed with more decimals than this is summed in fractions instead


def fixed(values: np.ndarray) -> tuple[np.ndarray, int] | None:
    """Values as whole numbers of 10**-places (the fewest places, up to PLACES, that hold each
    one as `decimal` reads it), or None when one needs more or is too large to stay exact."""
    values = np.asarray(values, dtype="float64")
    if not np.isfinite(values).all() or (len(values) and np.abs(values).max() >= 1e9):
        return None
    for places in range(PLACES + 1):
        scaled = np.round(values * 10**places)
        if (scaled / 10**places == values).all():
            return scaled.astype(np.int64), places
    return None


def weighted_half_up(
    columns: Sequence[np.ndarray], weights: Sequence[float], digits: int
) -> np.ndarray | None:
    """Σ weight × value / 100 per row, rounded half away from zero to `digits` exactly, in
    whole numbers a column at a time; None when the decimals would not fit in 63 bits."""
    terms = [fixed(c) for c in columns]
    shares = fixed(np.asarray(weights, dtype="float64"))
    if shares is None or any(t is None for t in terms):
        return None
    w, w_places = shares
    places = max((t[1] for t in terms if t is not None), default=0)
    scale = places + w_places + 2  # the sum counts in 10**-scale
    bound = sum(float(np.abs(t[0]).max(initial=0)) * 10 ** (places - t[1]) for t in terms if t)
    widen = 10 ** max(0, digits - scale)
    if bound * float(np.abs(w).max(initial=0)) * widen >= 2**62:
        return None
    total = np.zeros(len(columns[0]) if columns else 0, dtype=np.int64)
    for term, weight in zip(terms, w.tolist(), strict=True):
        assert term is not None
        total += term[0] * 10 ** (places - term[1]) * weight
    if scale <= digits:
        exact: np.ndarray = total * 10 ** (digits - scale) / 10**digits
        return exact
    step = 10 ** (scale - digits)
    whole, rest = np.divmod(np.abs(total), step)
    whole += 2 * rest >= step
    rounded: np.ndarray = np.sign(total) * whole / 10**digits
    return rounded
