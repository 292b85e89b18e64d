"""Findings of the pipeline area, worded: key → (zh, en)."""

MESSAGES: dict[str, tuple[str, str]] = {}
