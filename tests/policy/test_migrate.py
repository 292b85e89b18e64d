"""Upgrading a draft policy: each step's note is data, worded where it is shown."""

from __future__ import annotations

import re

from amctl.messages import CATALOGUE, say
from amctl.policy.migrate import migrate_text
from tests.helpers import DEFAULT_POLICY, REPO

DRAFT = REPO / "examples" / "policies-v1alpha1" / "ct-group-draft.yaml"


def test_the_notes_read_in_english_as_before_and_in_chinese() -> None:
    _, notes = migrate_text(DRAFT.read_text(encoding="utf-8"), str(DRAFT))
    assert all(n.key in CATALOGUE for n in notes)
    assert [say(n, "en") for n in notes] == [
        "apiVersion amctl/v1alpha1 → amctl/v1",
        "ability.raters: fractions → {label, weight in %} (labels are the keys: review)",
        "composite: fractions → %",
        "grid.cuts: one list → ability and performance",
        "levels: quota_max/quota_min fractions → quota: {max, min} in %",
        "bands: list → names and an even split [33, 34, 33] (review the shares)",
        "performance scoring: {method: {...}} → {method: …, …}",
    ]
    chinese = [say(n, "zh") for n in notes]
    assert chinese[0] == "apiVersion amctl/v1alpha1 → amctl/v1"
    assert all(re.search(r"[\u4e00-\u9fff]", line) for line in chinese[1:]), chinese
    assert "bands：列表 → names 和平均划分 [33, 34, 33]（请复核划分比例）" in chinese


def test_a_current_policy_needs_no_step() -> None:
    text = DEFAULT_POLICY.read_text(encoding="utf-8")
    assert migrate_text(text, str(DEFAULT_POLICY)) == (text, [])


def test_rural_adjustments_become_pay_rural() -> None:
    text = "apiVersion: amctl/v1alpha1\npay:\n  adjustments:\n    - {when: rural, band_step: 1}\n"
    upgraded, notes = migrate_text(text, "p.yaml")
    assert [n.key for n in notes] == ["policy.migrate.api_version", "policy.migrate.rural"]
    assert say(notes[1], "en") == "pay.adjustments (rural) → pay.rural"
    assert say(notes[1], "zh") == "pay.adjustments（rural）→ pay.rural"
    assert "rural:" in upgraded
