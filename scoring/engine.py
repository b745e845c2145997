"""Scoring (SPEC §2.3): the pure core. ``score(system, units) -> Results``; no I/O here.

Per unit: 计算项 in dependency order, then every leaf (formula, 默认公式 or manual score), clamp
to [0, 分值], round half away from zero, N/A per 不适用处理, parents as sums of their rounded
children, 加分/扣分 outside the 100, the total clamped to [0, 总分上限], a grade and a rank.
One unit's error never stops the others.
"""

from __future__ import annotations

from collections import ChainMap

from . import xlfunctions as xf
from .formula import ACTUAL_NAME, POINTS_NAME, TARGET_NAME, FormulaError, as_number
from .model import BONUS, NORMAL, PENALTY, IndicatorSystem, NodeResult, Results, Unit, UnitResult
from .values import MISSING, NA, Invalid, describe, format_number, normalize_name

EPS = 1e-9


BATCH_MIN_UNITS = 50  # from this many units on, formulas are evaluated column-wise (vector.py)


def score(system: IndicatorSystem, units, vectorised: bool | None = None) -> Results:
    """Score every unit; `units` is a list of Unit or a DataSet.

    Many units are scored column-wise (batch.py) with results identical to the unit-by-unit path;
    `vectorised` forces one path or the other.
    """
    unit_list = list(getattr(units, "units", units))
    if vectorised is None:
        vectorised = len(unit_list) >= BATCH_MIN_UNITS
    if vectorised and unit_list:
        from .batch import score_batch

        results = score_batch(system, unit_list)
    else:
        results = [score_unit(system, unit) for unit in unit_list]
    assign_ranks(results)
    return Results(system=system, units=results)


def derived_values(system: IndicatorSystem, unit: Unit, traces: dict | None = None) -> dict:
    """The unit's values plus every 计算项; a 计算项 that fails becomes an Invalid value."""
    context = dict(unit.values)
    for item in system.derived:
        supplied = context.get(item.name, MISSING)
        if supplied is not MISSING:  # the unit gave this figure directly: it wins over the 计算项
            continue
        trace = [] if traces is not None else None
        try:
            value = item.formula.evaluate(context, trace)
        except FormulaError as exc:
            value = Invalid(f"计算项“{item.name}”无法计算：{exc}")
        if traces is not None:
            traces[item.name] = trace
        context[item.name] = value
    return context


def leaf_names(system: IndicatorSystem, leaf, unit: Unit, context) -> dict:
    """分值, 目标值 and 完成值 for one leaf (SPEC §2.3)."""
    names = {POINTS_NAME: float(leaf.weight or 0.0)}
    if leaf.target is not None:
        names[TARGET_NAME] = leaf.target
    else:
        names[TARGET_NAME] = Invalid(f"指标“{leaf.name}”没有目标值：请在指标体系的目标值列填写")
    actual = _own_value(leaf, context)
    if actual is _ABSENT:
        actual = Invalid(
            f"“完成值”取不到：基础数据中没有名为“{leaf.name}”" + (f"或“{leaf.code}”" if leaf.code else "") + "的数据"
        )
    names[ACTUAL_NAME] = actual
    return names


_ABSENT = object()


def _own_value(leaf, context):
    for key in (normalize_name(leaf.name), normalize_name(leaf.code) if leaf.code else None):
        if key and key in context:
            return context[key]
    return _ABSENT


def score_unit(system: IndicatorSystem, unit: Unit) -> UnitResult:
    settings = system.settings
    context = derived_values(system, unit)
    nodes: dict[int, NodeResult] = {}
    errors: list[str] = []
    for leaf in system.leaves():
        result = score_leaf(system, leaf, unit, context)
        nodes[leaf.id] = result
        if result.status == "error":
            errors.append(f"“{'/'.join(leaf.path)}”：{result.note}")
    for root in system.roots:
        _aggregate(root, nodes, settings)
    total, total_note = _total(system, nodes)
    if errors:
        total, grade = None, None
    else:
        grade = grade_of(total, settings)
    return UnitResult(unit=unit, nodes=nodes, total=total, grade=grade, errors=errors, total_note=total_note)


def score_leaf(system: IndicatorSystem, leaf, unit: Unit, context, trace: list | None = None) -> NodeResult:
    settings = system.settings
    weight = float(leaf.weight or 0.0)
    formula = leaf.formula or settings.default_formula
    reads: list = [] if trace is None else trace
    if formula is None:
        return _manual(leaf, context, weight, settings)
    local = ChainMap(leaf_names(system, leaf, unit, context), context)
    try:
        value = formula.evaluate(local, reads)
    except FormulaError as exc:
        return NodeResult(leaf, None, "error", str(exc), reads=reads, weight=weight)
    if value is NA:
        return _not_applicable(leaf, weight, settings, reads)
    try:
        raw = as_number(value, formula.where)
    except FormulaError as exc:
        return NodeResult(leaf, None, "error", str(exc), reads=reads, weight=weight)
    return _finish(leaf, raw, weight, settings, "ok", describe_reads(reads, formula.display_names), reads)


def _manual(leaf, context, weight, settings) -> NodeResult:
    value = _own_value(leaf, context)
    label = f"“{leaf.name}”" + (f"（编号 {leaf.code}）" if leaf.code else "")
    if value is _ABSENT or value is MISSING:
        state = "没有" if value is _ABSENT else "未填写"
        return NodeResult(
            leaf, None, "error",
            f"人工评分指标{label}没有评分公式，基础数据中{state}它的得分：请填写名为“{leaf.name}”的数据（0 到 {weight:g} 分）",
            weight=weight,
        )
    if value is NA:
        return _not_applicable(leaf, weight, settings, [(leaf.name, NA)])
    if isinstance(value, Invalid):
        return NodeResult(leaf, None, "error", value.message, weight=weight)
    if isinstance(value, (bool, str)) or not isinstance(value, float):
        return NodeResult(
            leaf, None, "error",
            f"人工评分指标{label}的得分应为数值（0 到 {weight:g} 分），基础数据中是“{describe(value)}”",
            weight=weight,
        )
    return _finish(leaf, value, weight, settings, "manual", "人工评分", [(leaf.name, value)])


def _not_applicable(leaf, weight, settings, reads) -> NodeResult:
    which = "，".join(n for n, v in reads if v is NA) or leaf.name
    if settings.na_rule == "剔除":
        note = f"不适用（{which}=不适用），已剔除，总分按满分折算"
        return NodeResult(leaf, None, "na", note, reads=reads, weight=0.0)
    note = f"不适用（{which}=不适用），按满分计"
    return NodeResult(leaf, weight, "na", note, reads=reads, weight=weight)


def _finish(leaf, raw, weight, settings, status, described, reads) -> NodeResult:
    value = raw
    clamp_note = ""
    if value > weight + EPS:
        clamp_note = f"公式结果 {format_number(raw)} 超过分值 {format_number(weight)}，按 {format_number(weight)} 计"
        value, status = weight, "clamped"
    elif value < -EPS:
        clamp_note = f"公式结果 {format_number(raw)} 低于 0，按 0 计"
        value, status = 0.0, "clamped"
    rounded = xf.ROUND(value, settings.decimals)
    parts = [p for p in (described, clamp_note) if p]
    parts.append(f"得分 {format_number(rounded)}/{format_number(weight)}")
    return NodeResult(leaf, rounded, status, "；".join(parts), raw=raw, reads=reads, weight=weight)


def describe_reads(reads, display_names=None) -> str:
    """`在职人员数=7，编制数=12，在职人员控制率=58.33%`: every value a formula read, once."""
    display_names = display_names or {}
    seen = {}
    for name, value in reads:
        if name == POINTS_NAME or name in seen:
            continue
        seen[name] = value
    return "，".join(f"{display_names.get(n, n)}={show_value(n, v)}" for n, v in seen.items())


def show_value(name: str, value) -> str:
    """A value as a note shows it: rates in percent, 目标值 as written."""
    if hasattr(value, "describe") and hasattr(value, "op"):
        return value.describe()
    if isinstance(value, float) and (name.endswith("率") or name.endswith("满意度")) and abs(value) <= 1.5:
        return f"{format_number(value * 100, 2)}%"
    return describe(value)


def _aggregate(node, nodes: dict[int, NodeResult], settings) -> NodeResult:
    if node.is_leaf:
        return nodes[node.id]
    children = [_aggregate(child, nodes, settings) for child in node.children]
    children = [c for c in children if c.indicator.kind == node.kind]  # 加分/扣分 rows stay outside
    if not children:
        result = NodeResult(node, 0.0, "ok", "", weight=0.0)
        nodes[node.id] = result
        return result
    weight = sum(c.weight for c in children)
    if any(c.status == "error" for c in children):
        result = NodeResult(node, None, "error", "下级指标有错误", weight=weight)
    elif all(c.score is None for c in children):  # every child dropped as N/A
        result = NodeResult(node, None, "na", "下级指标均不适用，已剔除", weight=0.0)
    else:
        total = sum(c.score for c in children if c.score is not None)
        total = xf.ROUND(total, settings.decimals)
        result = NodeResult(node, total, "ok", lost_points_note(children, settings.decimals), weight=weight)
    nodes[node.id] = result
    return result


def lost_points_note(children, decimals: int) -> str:
    """`失分：预算执行率 −0.8，…` for a parent, from its children's results."""
    lost = [
        f"{c.indicator.name} −{format_number(xf.ROUND(c.weight - c.score, decimals))}"
        for c in children
        if c.score is not None and c.score < c.weight - EPS
    ]
    return ("失分：" + "，".join(lost)) if lost else ""


def _total(system: IndicatorSystem, nodes) -> tuple[float | None, str]:
    """Total and its note from the level-1 results; `nodes` maps indicator id → NodeResult."""
    settings = system.settings
    normal = [r for r in system.roots if r.kind == NORMAL]
    if any(nodes[r.id].status == "error" for r in system.roots):
        return None, ""
    subtotal = sum(nodes[r.id].score or 0.0 for r in normal)
    notes = []
    declared = sum(float(r.weight or 0.0) for r in normal)
    included = sum(nodes[r.id].weight for r in normal)
    if settings.na_rule == "剔除" and included < declared - EPS:
        if included > EPS:
            subtotal = subtotal * declared / included
        notes.append(
            f"剔除不适用指标 {format_number(declared - included)} 分，得分按 "
            f"{format_number(declared)}/{format_number(included)} 折算为 {format_number(subtotal)}"
        )
    bonus = sum(nodes[n.id].score or 0.0 for n in _outside_tops(system, BONUS))
    penalty = sum(nodes[n.id].score or 0.0 for n in _outside_tops(system, PENALTY))
    if bonus:
        notes.append(f"加分 {format_number(bonus)}")
    if penalty:
        notes.append(f"扣分 {format_number(penalty)}")
    total = subtotal + bonus - penalty
    cap = settings.cap
    if total > cap + EPS:
        notes.append(f"合计 {format_number(total)} 超过总分上限 {format_number(cap)}，按 {format_number(cap)} 计")
        total = cap
    elif total < -EPS:
        notes.append(f"合计 {format_number(total)} 低于 0，按 0 计")
        total = 0.0
    return xf.ROUND(total, settings.decimals), "；".join(notes)


def _outside_tops(system, kind):
    """The topmost 加分/扣分 nodes: level-1 加分项 or a typed row inside a normal branch."""
    return [n for n in system.indicators() if n.kind == kind and (n.parent is None or n.parent.kind != kind)]


def grade_of(total: float | None, settings) -> str | None:
    if total is None:
        return None
    share = total / settings.max_total * 100 if settings.max_total else 0.0
    for grade, threshold in settings.grades:
        if share >= threshold - EPS:
            return grade
    return settings.grades[-1][0]


def assign_ranks(results: list[UnitResult]) -> None:
    """Competition ranking (1, 2, 2, 4) by total, units with errors unranked."""
    scored = sorted((r for r in results if r.total is not None), key=lambda r: -r.total)
    previous, rank = None, 0
    for position, result in enumerate(scored, start=1):
        if previous is None or abs(result.total - previous) > EPS:
            rank = position
            previous = result.total
        result.rank = rank
