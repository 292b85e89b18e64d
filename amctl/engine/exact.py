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
    exact: Callable[[np.ndarray], Sequence[Fraction | None]],
) -> np.ndarray:
    """`values` rounded half away from zero to `digits` decimals; `exact(positions)` gives the
    exact values of the few that sit near a half. NaN stays NaN."""
    scale = 10**digits
    values = np.asarray(values, dtype="float64")
    out: np.ndarray
    scaled = np.abs(values) * scale
    with np.errstate(invalid="ignore"):
        out = np.sign(values) * np.floor(scaled + 0.5) / scale
        near = np.flatnonzero(np.abs(scaled - np.floor(scaled) - 0.5) < NEAR)
    if len(near):
        for position, value in zip(near.tolist(), exact(near), strict=True):
            if value is not None:
                whole = (abs(value) * scale + Fraction(1, 2)).__floor__()
                out[position] = float(Fraction(whole if value >= 0 else -whole, scale))
    return out
