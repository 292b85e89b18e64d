"""Canonical fields and the header texts (aliases) that mean them.

HR workbooks name the same column many ways (员工编号, 工号, 人员编号 …). The built-in aliases
below cover the roster and ratings fields; a policy's `columns:` section adds aliases and
declares the performance metrics and targets its indicators use.
"""

from __future__ import annotations

import unicodedata
from collections.abc import Mapping, Sequence
from typing import Protocol

BUILTIN_ALIASES: dict[str, list[str]] = {
    "employee_id": [
        "员工编号",
        "工号",
        "人员编号",
        "职工编号",
        "编号",
        "employee_id",
        "emp_id",
        "id",
    ],
    "name": ["姓名", "员工姓名", "name"],
    "org_unit": ["部门", "所属部门", "机构", "单位", "营销部", "org_unit", "department", "unit"],
    "post_start": [
        "任职日期",
        "上岗日期",
        "客户经理任职日期",
        "岗位起始日期",
        "post_start",
        "post_start_date",
    ],
    "leave_date": ["离职日期", "离岗日期", "调离日期", "leave_date", "end_date"],
    "education": ["学历", "最高学历", "education"],
    "level": ["现等级", "当前等级", "等级", "级别", "level", "current_level"],
    "band": ["现档次", "当前档次", "档次", "band", "current_band"],
    "rural": ["农村客户", "是否农村", "服务农村", "农村", "rural"],
    "exam_score": ["技能考试成绩", "考试成绩", "技能考试", "exam_score", "exam"],
    "rater": ["评价人", "评价类型", "评价来源", "评分人类型", "rater"],
    "indicator": ["指标", "评价指标", "能力指标", "indicator"],
    "score": ["得分", "分数", "评分", "score"],
}

ROSTER_REQUIRED = ("employee_id", "name", "org_unit", "post_start", "education")
ROSTER_OPTIONAL = ("level", "band", "rural", "exam_score", "leave_date")


def normalise_header(text: str) -> str:
    """Compare headers the way a person reads them: width, case, spaces and brackets ignored."""
    folded = unicodedata.normalize("NFKC", text).casefold()
    return "".join(ch for ch in folded if not ch.isspace() and ch not in "()（）[]【】*:：")


class Named(Protocol):
    """A policy column, as far as finding it goes: its header texts."""

    @property
    def aliases(self) -> Sequence[str]: ...


def aliases_for(policy_columns: Mapping[str, Named]) -> dict[str, list[str]]:
    """Policy aliases first (they are the company's own words), then the built-in ones."""
    merged: dict[str, list[str]] = {}
    for field in [*BUILTIN_ALIASES, *policy_columns]:
        seen: list[str] = []
        own: Sequence[str] = policy_columns[field].aliases if field in policy_columns else []
        for alias in [*own, *BUILTIN_ALIASES.get(field, [])]:
            if alias not in seen:
                seen.append(alias)
        merged[field] = seen
    return merged


YES_WORDS = frozenset({"是", "有", "y", "yes", "true", "1"})
NO_WORDS = frozenset({"否", "无", "n", "no", "false", "0"})


def yes_no(word: str) -> bool | None:
    """A yes/no column's word as a truth value, None when it is none of them: 是/否, 有/无,
    Y/N, yes/no, true/false, 1/0, in any case and width. Nothing else is guessed."""
    folded = unicodedata.normalize("NFKC", word).strip().casefold()
    return True if folded in YES_WORDS else False if folded in NO_WORDS else None
