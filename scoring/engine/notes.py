"""Every sentence the engine writes into 扣分说明, made from numbers and the values a formula read."""

from __future__ import annotations

import re

from ..formula import ACTUAL_NAME, POINTS_NAME, TARGET_NAME
from ..formula.excel import round_scalar
from ..formula.targets import Target
from ..model import IMPLIED_BY_CRITERIA, IMPLIED_BY_TARGET, SCORE_SUFFIX, NARule
from ..values import NA, describe, format_number

EPS = 1e-9  # scores within this of a bound are on the bound


def show_value(name: str, value) -> str:
    """A value as a note shows it: rates in percent, 目标值 as written."""
    if isinstance(value, Target):
        return value.describe()
    if isinstance(value, float) and (name.endswith("率") or name.endswith("满意度")) and abs(value) <= 1.5:
        return f"{format_number(value * 100, 2)}%"
    return describe(value)


def describe_reads(reads, display_names=None) -> str:
    """`在职人员数=7，编制数=12，在职人员控制率=58.33%`: every value a formula read, once."""
    display_names = display_names or {}
    seen = {}
    for name, value in reads:
        if name == POINTS_NAME or name in seen:
            continue
        seen[name] = value
    target = seen.get(TARGET_NAME)
    percent = isinstance(target, Target) and "%" in (target.text or "")  # 完成值 shown as its target is written

    def shown(name, value):
        if percent and name == ACTUAL_NAME and isinstance(value, float):
            return f"{format_number(value * 100, 2)}%"
        return show_value(name, value)

    return "，".join(f"{display_names.get(n, n)}={shown(n, v)}" for n, v in seen.items())


def clamp_note(raw: float, weight: float) -> str:
    if raw > weight + EPS:
        return f"公式结果 {format_number(raw)} 超过分值 {format_number(weight)}，按 {format_number(weight)} 计"
    if raw < -EPS:
        return f"公式结果 {format_number(raw)} 低于 0，按 0 计"
    return ""


def scored_note(described: str, raw: float, score: float, weight: float) -> str:
    parts = [p for p in (described, clamp_note(raw, weight)) if p]
    parts.append(f"得分 {format_number(score)}/{format_number(weight)}")
    return "；".join(parts)


def with_check(note: str, flag: str) -> str:
    """A 扣分说明 with a figure the user should check (a rate typed without %)."""
    return f"{note}。注意：{flag}"


def na_names(reads) -> str:
    return "，".join(n for n, v in reads if v is NA)


def not_applicable_note(which: str, rule: NARule) -> str:
    if rule is NARule.DROP:
        return f"不适用（{which}=不适用），已剔除，总分按满分折算"
    return f"不适用（{which}=不适用），按满分计"


def manual_label(leaf) -> str:
    return f"“{leaf.name}”" + (f"（编号 {leaf.code}）" if leaf.code else "")


def grades_text(leaf) -> str:
    return "、".join(b.grade for b in leaf.bands)


def manual_missing(leaf, weight: float, absent: bool) -> str:
    if leaf.scored_by_unit:  # 自评表: the unit's own 得分 is kept, and there is none
        return f"“{leaf.name}”{leaf.scored_by_unit}，但自评表中它的得分未填写：请在得分列填写（0 到 {weight:g} 分）"
    state = "没有" if absent else "未填写"
    what = f"等级（{grades_text(leaf)}）或得分（0 到 {weight:g} 分）" if leaf.bands else f"0 到 {weight:g} 分"
    return (f"人工评分指标{manual_label(leaf)}没有评分公式，基础数据中{state}它的得分："
            f"请填写名为“{leaf.name}”的数据（{what}）")


def manual_not_a_number(leaf, weight: float, value, where: str = "") -> str:
    found = f"基础数据中是“{describe(value)}”" + (f"（{where}）" if where else "")
    if leaf.bands:
        return f"人工评分指标{manual_label(leaf)}应填等级（{grades_text(leaf)}）或得分（0 到 {weight:g} 分），{found}"
    return f"人工评分指标{manual_label(leaf)}的得分应为数值（0 到 {weight:g} 分），{found}"


def entered_score_wrong(leaf, weight: float, value, where: str = "") -> str:
    """`<指标>得分` holding something that is no score of this leaf."""
    place = f"{where} " if where else ""
    return (f"{place}“{leaf.name}{SCORE_SUFFIX}”是“{describe(value)}”，不是 0 到 {weight:g} 分之间的得分："
            f"请填写该指标的得分（0 到 {weight:g}）")


def figure_not_a_score(leaf, weight: float, value: float, where: str, percent: bool = False) -> str:
    """A figure under a leaf's own name that cannot be taken as its score (SPEC §2.3): the cell and both ways out."""
    place = f"{where} " if where else ""
    shown = f"{value * 100:g}%" if percent else f"{value:g}"
    if leaf.criteria_doubt:
        why = f"没有评分公式，评分标准也没能完全读懂（{leaf.criteria_doubt}），这个数是完成值而不是得分"
    elif percent:
        why = "没有评分公式，这个数是百分数，像是完成值而不是得分"
    else:
        why = f"没有评分公式，这个数不在 0 到 {weight:g} 分之间，像是完成值而不是得分"
    return (f"{place}“{leaf.name}”是 {shown}：该指标{why}。请为该指标写评分公式（可运行 score draft 由评分标准起草），"
            f"或把得分（0 到 {weight:g}）填在名为“{leaf.name}{SCORE_SUFFIX}”的数据中")


def unconfirmed_rule(leaf, system) -> str:
    """--strict: a leaf scored by the rule read from its 评分标准 (no formula written) is an error."""
    formula = system.formula_of(leaf)
    return (f"“{leaf.name}”没有评分公式，按评分标准文字读出的规则“{formula.text if formula else ''}”评分，尚未确认："
            f"核对后把它写进评分公式列（score draft 可起草）")


def number_for_yes_no(leaf, name: str, value: float, where: str) -> str:
    place = f"{where} " if where else ""
    return (f"{place}“{name}”是 {value:g}，而“{leaf.name}”的评分标准（{leaf.criteria}）要的是 是/否：请填“是”或“否”；"
            f"如果 {value:g} 是该指标的得分，请填在名为“{leaf.name}{SCORE_SUFFIX}”的数据中")


def unconfirmed_note(system) -> str:
    """The leaves scored by rules read from their 评分标准 (not confirmed), for the 评分汇总 说明; "" when none."""
    names = [o.name for leaf in system.leaves() for o in leaf.options if o.implied_by == IMPLIED_BY_CRITERIA]
    return f"按评分标准文字计分（未确认）：{'、'.join(names)}" if names else ""


def implied_prefix(leaf) -> str:
    """How a leaf without a formula of its own was scored, before the values it read (SPEC §2.3)."""
    if leaf.implied_by == IMPLIED_BY_CRITERIA:
        return "按评分标准文字计分（未确认，可用 score draft 写成公式）："
    if leaf.implied_by == IMPLIED_BY_TARGET:
        return "没有评分公式，按目标值计分："
    return ""


MAX_BAND_TEXT = 40  # characters of a grade's criterion quoted in 扣分说明


def band_note(band) -> str:
    """`评定为“良”（技术培训人次完成率80-99%…）`."""
    text = band.criteria if len(band.criteria) <= MAX_BAND_TEXT else band.criteria[:MAX_BAND_TEXT] + "…"
    return f"评定为“{band.grade}”" + (f"（{text}）" if text else "")


def alternative_note(option, also: bool) -> str:
    """Which 择其一 alternative a unit was scored on."""
    return f"择其一，按“{option.name}”评分" + ("（其他项也有数据，按表中靠前的一项）" if also else "")


def no_alternative(leaf, names_by_option) -> str:
    wanted = "，或".join("、".join(f"“{n}”" for n in names) for names in names_by_option if names)
    options = "、".join(f"“{o.name}”" for o in leaf.alternatives)
    return f"{options}择其一评分，但基础数据中哪一项的数据都没有：请按本单位实际填写{wanted}"


def no_target(leaf) -> str:
    if leaf.qualitative_target:
        return (f"指标“{leaf.name}”的目标值“{leaf.qualitative_target}”是定性的，公式不能用它比较：请删去这个指标的评分公式、"
                f"按人工评分（在基础数据中填写得分），或把目标值写成数值（如 ≥95%）")
    return f"指标“{leaf.name}”没有目标值：请在指标体系的目标值列填写"


def no_actual(leaf) -> str:
    return f"“完成值”取不到：基础数据中没有名为“{leaf.name}”" + (f"或“{leaf.code}”" if leaf.code else "") + "的数据"


def _place(where: str) -> str:
    return f"{where} " if where else ""


def text_not_a_value(where: str, name: str, text: str) -> str:
    """Text where a formula reads a figure or a yes/no (约90%, 不涉及, 基本健全)."""
    number = re.search(r"\d[\d.,]*%?", text)
    hint = f"请只填数字（如 {number.group(0)}）" if number else "请改成数字或 是/否"
    return f"{_place(where)}“{name}”是文本“{text}”，公式需要数值或是/否：{hint}；如果该项不适用，请填“不适用”"


def none_as_number(where: str, name: str, text: str) -> str:
    """无 / 没有 where a formula reads a figure: 0 or 不适用?"""
    return f"{_place(where)}“{name}”填的是“{text}”：如果该项不适用，请填“不适用”；否则请填数字（没有发生的填 0）"


def negative_amount(where: str, name: str, value: float) -> str:
    return f"{_place(where)}“{name}”为 {format_number(value)}：预算、资金、支出等金额不能为负数，请改正"


def unit_mismatch(where: str, name: str, typed: str, target: str, target_where: str) -> str:
    return (f"{_place(where)}“{name}”为 {typed}，与目标值（{target_where}）{target} 的单位不是同一类，不能比较："
            f"请核对单位")


def unit_doubt(where: str, name: str, value: float, target, target_where: str, likely: str, converted: float) -> str:
    """A figure without a unit 1000 times or more from a target written with one (4800000 against ≥500万元)."""
    shown = format_number(value)
    return (f"{_place(where)}“{name}”为 {shown}，没有写单位，按目标值（{target_where}）{target.describe()} 的单位"
            f"“{target.unit}”计，与目标值相差 1000 倍以上：如果它是 {shown}{likely}（即 {format_number(converted)}{target.unit}），"
            f"请写成“{shown}{likely}”；否则请核对")


def derived_failed(name: str, message: str) -> str:
    return f"计算项“{name}”无法计算：{message}"


CHILD_ERROR = "下级指标有错误"
CHILDREN_DROPPED = "下级指标均不适用，已剔除"


def lost_points_note(children, decimals: int) -> str:
    """`失分：预算执行率 −0.8，…` for a parent, from its children's results."""
    lost = [
        f"{c.indicator.name} −{format_number(round_scalar('ROUND', c.weight - c.score, decimals))}"
        for c in children
        if c.score is not None and c.score < c.weight - EPS
    ]
    return ("失分：" + "，".join(lost)) if lost else ""


def total_note(declared, included, rescaled, bonus, penalty, before_cap, cap, rule: NARule) -> str:
    """How the total came from the level-1 scores: rescaling under 剔除, 加分/扣分, clamping."""
    notes = []
    if rule is NARule.DROP and included < declared - EPS:
        notes.append(f"剔除不适用指标 {format_number(declared - included)} 分，得分按 "
                     f"{format_number(declared)}/{format_number(included)} 折算为 {format_number(rescaled)}")
    if bonus:
        notes.append(f"加分 {format_number(bonus)}")
    if penalty:
        notes.append(f"扣分 {format_number(penalty)}")
    if before_cap > cap + EPS:
        notes.append(f"合计 {format_number(before_cap)} 超过总分上限 {format_number(cap)}，按 {format_number(cap)} 计")
    elif before_cap < -EPS:
        notes.append(f"合计 {format_number(before_cap)} 低于 0，按 0 计")
    return "；".join(notes)
