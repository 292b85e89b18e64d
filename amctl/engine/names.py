"""How tiers are named, in one place: `mid-B`, and `trainee` for those outside the bands."""

from __future__ import annotations

TRAINEE = "trainee"


def tier_key(level: str, band: str | None) -> str:
    return level if level == TRAINEE or not band else f"{level}-{band}"
