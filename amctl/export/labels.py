"""Column and sheet titles for people: Chinese or English, from fixed words and the policy's own
labels (沟通协调能力, 基本岗位工资). Machine formats (csv, json) keep the stable keys."""

from __future__ import annotations

from collections.abc import Callable

from amctl.policy.models import Policy

WORDS: dict[str, tuple[str, str]] = {  # key: (zh, en)
    "status": ("状态", "Status"),
    "employee_id": ("员工编号", "Employee ID"),
    "name": ("姓名", "Name"),
    "org_unit": ("部门", "Org unit"),
    "years_in_post": ("任职年限", "Years in post"),
    "ability": ("能力得分", "Ability"),
    "performance": ("绩效得分", "Performance"),
    "composite": ("综合得分", "Composite"),
    "ability_band": ("能力档", "Ability band"),
    "performance_band": ("绩效档", "Performance band"),
    "cell": ("九宫格", "Grid cell"),
    "action": ("发展建议", "Action"),
    "level": ("等级", "Level"),
    "band": ("档次", "Band"),
    "tier": ("等级档次", "Tier"),
    "tier_label": ("评定结果", "Tier label"),
    "current_tier": ("原等级档次", "Current tier"),
    "previous_tier": ("上期等级档次", "Previous tier"),
    "previous_from": ("上期来源", "Previous from"),
    "movement": ("变动", "Movement"),
    "computed_level": ("排名等级", "Ranked level"),
    "training": ("培训建议", "Training"),
    "rural": ("服务农村", "Rural"),
    "rank": ("排名", "Rank"),
    "reasons": ("评定依据", "Reasons"),
    "label": ("名称", "Label"),
    "cap_pct": ("上限%", "Cap %"),
    "floor_pct": ("下限%", "Floor %"),
    "seats": ("名额", "Seats"),
    "count": ("人数", "Placed"),
    "managers": ("人数", "Managers"),
    "share_pct": ("占比%", "Share %"),
    "over": ("超额", "Over"),
    "last_in": ("末位入选", "Last in"),
    "last_in_composite": ("末位得分", "Last in score"),
    "first_out": ("首位落选", "First out"),
    "first_out_composite": ("落选得分", "First out score"),
    "place": ("位置", "Place"),
    "severity": ("级别", "Severity"),
    "rule": ("规则", "Rule"),
    "message": ("说明", "Message"),
    "key": ("项目", "Item"),
    "value": ("内容", "Value"),
    "pay_band": ("薪酬档次", "Pay band"),
    "pay_tier": ("薪酬等级档次", "Pay tier"),
    "days": ("在岗天数", "Days in post"),
    "total": ("合计", "Total"),
    "place_reasons": ("原因", "Reasons"),
    "all": ("合计", "All"),
    "graded": ("已评定", "graded"),
    "not graded": ("未评定", "not graded"),
    # sheet names
    "grading": ("分级结果", "Grading"),
    "summary": ("汇总", "Summary"),
    "quota": ("名额", "Quota"),
    "boundaries": ("边界", "Boundaries"),
    "findings": ("问题", "Findings"),
    "run": ("运行信息", "Run"),
    "payroll": ("薪酬", "Payroll"),
    "by org unit and tier": ("按部门和等级", "By org unit and tier"),
    "by tier": ("按等级", "By tier"),
    "not paid": ("未发放", "Not paid"),
}


def titles(policy: Policy, lang: str) -> Callable[[str], str]:
    """key → title in `lang`; unknown keys (a level, a tier) stay as they are."""
    zh = lang == "zh"
    extra: dict[str, str] = {}
    for key, ind in policy.ability.indicators.items():
        extra[f"ability.{key}"] = ind.label if zh else f"Ability: {key}"
    for key, pind in policy.performance.indicators.items():
        extra[f"performance.{key}"] = pind.label if zh else f"Performance: {key}"
    if policy.pay is not None:
        for key, component in policy.pay.components.items():
            extra[key] = (component.label or key) if zh else key.replace("_", " ").capitalize()
    levels = {k: lv.label for k, lv in policy.levels.items()}
    levels["trainee"] = policy.trainee.label

    def title(key: str) -> str:
        if key in extra:
            return extra[key]
        if key in WORDS:
            return WORDS[key][0 if zh else 1]
        if zh and key in levels:
            return levels[key]
        return key

    return title
