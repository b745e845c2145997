"""`score explain`: how one indicator's score came about, every value with where it came from."""

from __future__ import annotations

import difflib

from ..engine import LeafTrace, score
from ..engine.notes import show_value
from ..errors import InputError, cell_ref
from ..formula import ACTUAL_NAME, POINTS_NAME, TARGET_NAME
from ..formula.targets import Target
from ..model import IndicatorSystem, NARule, Status, Unit
from ..values import describe, format_number, normalize_name


def find_indicator(system: IndicatorSystem, query: str):
    """By code, by path (`过程/预算执行/预算执行率`), or by name; ambiguity lists the candidates."""
    codes = system.outline_codes()
    nodes = list(system.indicators())
    wanted = normalize_name(query)
    by_code = [n for n in nodes if query.strip() in (n.code, codes[n.id])]
    if by_code:
        return by_code[0]
    if "/" in query or "／" in query:
        parts = [normalize_name(p) for p in query.replace("／", "/").split("/") if p.strip()]
        matches = [n for n in nodes if [normalize_name(x) for x in n.path][-len(parts):] == parts]
    else:  # a 择其一 alternative's name finds its indicator
        matches = [n for n in nodes if wanted in {normalize_name(o.name) for o in (n, *n.alternatives)}]
    if len(matches) == 1:
        return matches[0]
    if len(matches) > 1:
        listing = "；".join(f"{'/'.join(n.path)}（编号 {codes[n.id]}）" for n in matches)
        raise InputError(f"“{query}”对应多个指标，请用路径或编号指定：{listing}")
    names = list(dict.fromkeys(o.name for n in nodes for o in (n, *n.alternatives)))
    close = difflib.get_close_matches(query, names, n=3, cutoff=0.4)
    hint = "（是否指 " + "、".join(f"“{c}”" for c in close) + "？）" if close else ""
    raise InputError(f"指标体系中没有指标“{query}”{hint}；可以写名称、路径（如 过程/预算执行/预算执行率）或编号")


def pick_unit(units: list[Unit], name: str | None) -> Unit:
    if name is None:
        if len(units) == 1:
            return units[0]
        listing = "、".join(u.name for u in units[:20]) + ("……" if len(units) > 20 else "")
        raise InputError(f"基础数据中有 {len(units)} 个单位，请指定其中一个：{listing}", option="unit")
    exact = [u for u in units if u.name == name]
    if exact:
        return exact[0]
    partial = [u for u in units if name in u.name]
    if len(partial) == 1:
        return partial[0]
    listing = "、".join(u.name for u in (partial or units)[:20])
    raise InputError(f"没有名为“{name}”的单位；{'符合的有' if partial else '现有'}：{listing}")


def explain(system: IndicatorSystem, units: list[Unit], query: str, unit_name: str | None = None) -> str:
    node = find_indicator(system, query)
    unit = pick_unit(units, unit_name)
    codes = system.outline_codes()
    lines = [
        f"指标：{' / '.join(node.path)}（编号 {codes[node.id]}，分值 {format_number(node.weight or 0)}）",
        f"单位：{unit.name}",
    ]
    result = score(system, [unit]).units[0]
    if not node.is_leaf:
        lines.append("下级指标：")
        total = 0.0
        for child in node.children:
            r = result.nodes[child.id]
            shown = "错误" if r.status is Status.ERROR else ("不适用（剔除）" if r.score is None else format_number(r.score))
            lines.append(f"  {child.name}：{shown} / {format_number(child.weight or 0)}")
            total += r.score or 0.0
        mine = result.nodes[node.id]
        failed = mine.score is None and mine.status is Status.ERROR
        lines.append(f"合计：{format_number(total)} → 得分 {'错误' if failed else format_number(mine.score or 0)}"
                     f" / {format_number(node.weight or 0)}")
        return "\n".join(lines)

    if node.criteria:
        lines.append(f"评分标准：{node.criteria}")
    trace = LeafTrace(result, node)
    rule = node
    if node.alternatives:
        chosen = trace.result.chosen
        lines.append("择其一：" + "、".join(f"“{o.name}”" for o in node.alternatives)
                     + (f"；本单位按“{chosen.name}”评分（它有数据）" if chosen is not None else "；本单位哪一项都没有数据"))
        rule = chosen or node.alternatives[0]
    formula = system.formula_of(rule)
    if formula is None:
        lines.append("评分方式：人工评分（没有评分公式，也没有默认公式），得分取基础数据中同名（或同编号）的数据"
                     + (f"；可填等级：{'、'.join(f'{b.grade}={format_number(b.points)}分' for b in rule.bands)}"
                        if rule.bands else ""))
        for key in rule.data_keys:
            if key in unit.values:
                lines.append(f"  {rule.name} = {show_value(key, unit.values[key])}　← {unit.origins.get(key, '')}")
                break
    else:
        source = "评分公式" if rule.formula is not None else "默认公式"
        lines.append(f"{source}（{formula.where.split(' ')[0]}）：{formula.text}")
        if trace.reads:
            lines.append("读取的值：")
            seen = set()
            for name, value in trace.reads:
                if name not in seen:
                    seen.add(name)
                    _describe_name(lines, system, rule, unit, name, value, trace, "  ", set())
    r = trace.result
    if r.status is Status.ERROR:
        lines.append(f"错误：{r.note}")
        return "\n".join(lines)
    if r.status is Status.NA:
        rule = system.settings.na_rule
        lines.append(f"不适用：读到“不适用”的值，按设置“不适用处理＝{rule}”"
                     + ("计满分" if rule is NARule.FULL else "剔除该指标，总分按满分折算"))
    elif r.raw is not None:
        lines.append(f"公式结果：{format_number(r.raw, 6)}")
        weight = node.weight or 0.0
        if r.status is Status.CLAMPED:
            bound = weight if r.raw > weight else 0
            lines.append(f"截断：超出 [0, {format_number(weight)}]，按 {format_number(bound)} 计")
        else:
            lines.append(f"截断：无（在 0～{format_number(weight)} 之间）")
        lines.append(f"舍入：保留 {system.settings.decimals} 位小数（四舍五入）→ {format_number(r.score)}")
    score_text = "不适用（剔除）" if r.score is None else format_number(r.score)
    lines.append(f"得分：{score_text} / {format_number(node.weight or 0)}")
    lines.append(f"扣分说明：{r.note}")  # the 评分表's own sentence
    if node.parent is not None:
        parent = result.nodes[node.parent.id]
        parent_score = "错误" if parent.score is None else format_number(parent.score)
        lines.append(f"占上级“{node.parent.name}”：{score_text} / 上级得分 {parent_score}（分值 {format_number(node.weight or 0)} / "
                     f"{format_number(node.parent.weight or 0)}）")
    return "\n".join(lines)


def _describe_name(lines, system, leaf, unit, name, value, trace: LeafTrace, indent, visiting):
    shown = show_value(name, value)
    if name == POINTS_NAME:
        where = cell_ref(system.sheet_name, *leaf.weight_cell) if leaf.weight_cell else "指标体系"
        lines.append(f"{indent}分值 = {shown}　← {where}")
        return
    if name == TARGET_NAME:
        where = cell_ref(system.sheet_name, *leaf.target_cell) if leaf.target_cell else "指标体系"
        lines.append(f"{indent}目标值 = {value.describe() if isinstance(value, Target) else describe(value)}　← {where}")
        return
    if name == ACTUAL_NAME:
        key = normalize_name(leaf.name)
        lines.append(f"{indent}完成值 = {shown}　← {unit.origins.get(key, '基础数据中与指标同名的数据')}")
        return
    derived = {d.name: d for d in system.derived}
    reads = trace.derived_reads(name) if name in derived and name not in visiting else None
    if reads is not None:
        item = derived[name]
        lines.append(f"{indent}{name} = {shown}　← 计算项（{item.cell}）：{item.formula.text}")
        seen = set()
        for sub, sub_value in reads:
            if sub not in seen:
                seen.add(sub)
                _describe_name(lines, system, leaf, unit, sub, sub_value, trace, indent + "    ", visiting | {name})
        return
    origin = unit.origins.get(name, "基础数据中没有")
    lines.append(f"{indent}{name} = {shown}　← {origin}")
