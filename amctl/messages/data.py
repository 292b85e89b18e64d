"""Findings of the data area, worded: key → (zh, en)."""

MESSAGES: dict[str, tuple[str, str]] = {}
