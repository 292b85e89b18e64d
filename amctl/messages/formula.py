"""Findings of the formula area, worded: key → (zh, en)."""

MESSAGES: dict[str, tuple[str, str]] = {}
