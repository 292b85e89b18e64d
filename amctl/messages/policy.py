"""Findings of the policy area, worded: key → (zh, en)."""

MESSAGES: dict[str, tuple[str, str]] = {}
