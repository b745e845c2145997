"""SPEC §2.3: the rule a leaf without a formula implies — TARGET for a 目标值, else its 评分标准 read completely."""

from __future__ import annotations

import re

from ...errors import FormulaError, cell_ref
from ...model import DRAFT_FUNCTION, IMPLIED_BY_CRITERIA, IMPLIED_BY_TARGET, IndicatorSystem

IMPLIED_TARGET_FORMULA = "TARGET(完成值, 目标值)"
NO_RULE_PATTERNS = ("没有评分标准", "需要判断")  # draft's words for criteria that hold no rule to read: judged by hand
_RULE_CLAUSE = re.compile(r"\d|[一二三四五六七八九十]分|满分|不得分|扣分|得分|计分|按比例")


def implied_rules(system: IndicatorSystem, clock) -> list[str]:
    """SPEC §2.3 for the leaves with no formula and no 默认公式: a numeric 目标值 implies TARGET(完成值, 目标值); else a
    评分标准 that `score draft` reads completely implies its formula (scored, but 未确认). A 评分标准 holding a rule
    that is not read completely is recorded (`criteria_doubt`): no figure of that leaf is ever taken as its score."""
    from ...draft.rules import RuleContext, draft_rule  # the one place that reads rules in words

    implied, doubtful = [], []
    for option in (o for leaf in system.leaves() for o in leaf.options):
        if option.formula_text or option.bands or option.scored_by_unit or option.qualitative_target:
            continue
        if system.formula_of(option) is not None:
            continue
        where = cell_ref(system.sheet_name, *option.name_cell)
        if option.target is not None:
            option.implied_formula = clock.compile(IMPLIED_TARGET_FORMULA, f"{where} 目标值")
            option.implied_by = IMPLIED_BY_TARGET
            continue
        criteria = (option.criteria or "").strip()
        if not criteria:
            continue
        draft = draft_rule(criteria, RuleContext(option.name, option.target))
        if draft.formula:
            try:
                shown = criteria if len(criteria) <= 30 else criteria[:30] + "…"
                option.implied_formula = clock.compile(draft.formula, f"{where} 的评分标准“{shown}”读作 {draft.formula}"
                                                                      f"（未确认；也可直接填“{option.name}得分”）")
            except FormulaError:
                option.criteria_doubt = f"按评分标准起草的公式“{draft.formula}”无法使用"
            else:
                option.implied_by = IMPLIED_BY_CRITERIA
                implied.append(option)
                continue
        elif draft.pattern in NO_RULE_PATTERNS or not _RULE_CLAUSE.search(criteria):
            continue  # a judgement (酌情扣分) or no rule at all: the figure under its name is its score
        else:
            option.criteria_doubt = draft.note or "评分标准没有完全读懂"
        doubtful.append(option)
    warnings = []
    if implied:
        shown = "、".join(o.name for o in implied[:8]) + ("等" if len(implied) > 8 else "")
        warnings.append(f"{len(implied)} 个指标没有评分公式，按评分标准文字计分（未确认）：{shown}。请核对每个指标的读法"
                        f"（可查看各指标的计算过程），确认后用“{DRAFT_FUNCTION}”把它们写成公式")
    if doubtful:
        shown = "、".join(o.name for o in doubtful[:8]) + ("等" if len(doubtful) > 8 else "")
        warnings.append(f"{len(doubtful)} 个指标没有评分公式，评分标准也没能完全读懂：{shown}。请为它们写评分公式"
                        f"（可用“{DRAFT_FUNCTION}”），或在基础数据中直接填写得分（名称写“指标名得分”，如“{doubtful[0].name}得分”）")
    return warnings
