"""`score check`: read everything, compile every formula, list every problem at once (SPEC §6).

Uses the same readers, compiler and engine as `run`; writes nothing.
"""

from __future__ import annotations

import difflib
import re

from ..draft import DRAFT_MARK
from ..engine import score
from ..engine.inputs import Inputs
from ..engine.plausibility import negative_amounts
from ..errors import TargetError, cell_ref
from ..formula import ACTUAL_NAME, TARGET_NAME
from ..formula.analysis import max_result, target_names, text_compared_names
from ..formula.names import RESERVED_NAMES
from ..formula.targets import parse_target
from ..formula.vector import Messages
from ..read.indicators import DERIVED_SHEET
from ..model import CheckReport, IndicatorSystem, Severity
from ..read import Book, DataSet, load_indicator_system, read_data
from .swapped import read_indicators
from ..requirements import formula_uses, manual_leaves, required_inputs, rules, supplied_by
from ..values import MISSING, NA, Invalid, format_number, normalize_name

ERROR, WARNING, INFO = Severity.ERROR, Severity.WARNING, Severity.INFO
EPS = 1e-9


def check(indicators, data=None, sheet: str | None = None, data_sheet: str | None = None,
          columns: dict | None = None) -> CheckReport:
    """Every problem of an indicator system (and, given `data`, of its units). Paths or opened Books.
    `columns`: roles chosen for some columns of the indicator table (``read_indicator_system``'s `columns`)."""
    report = CheckReport()
    indicators = indicators if isinstance(indicators, Book) else Book(indicators, "指标体系")
    data = data if data is None or isinstance(data, Book) else Book(data, "基础数据")
    system, problems = read_indicators(lambda: load_indicator_system(indicators, sheet, columns), indicators, data)
    report.system = system
    for message in problems:
        report.add(ERROR, message)
    for message in system.warnings:
        report.add(WARNING, message)
    _check_structure(system, report)
    _check_unconfirmed_drafts(system, report)
    if data is None:
        _check_names_without_data(system, report)
        return report
    dataset = read_data(data, data_sheet)  # unreadable: exit 2
    report.dataset = dataset
    for message in dataset.warnings:
        report.add(WARNING, message)
    _check_data(system, dataset, report)
    if not problems:  # a trial run: every warning `run` would give on these units, in run's own words; its errors
        found = bool(report.of(ERROR))  # too, unless the checks above found them already (said once, in check's words)
        results = score(system, dataset)
        multi = len(results.units) > 1
        for unit in results.units:
            prefix = f"单位“{unit.unit.name}”：" if multi else ""
            for warning in unit.warnings:
                report.add(WARNING, prefix + warning)
            for error in [] if found else unit.errors:
                report.add(ERROR, prefix + error)
    return report


def _check_unconfirmed_drafts(system: IndicatorSystem, report: CheckReport):
    """Formulas `score draft` wrote whose review comment is still there."""
    book = system.source
    if book is None or getattr(book, "is_xls", False):
        return
    for title, what in ((system.sheet_name, "评分公式"), (DERIVED_SHEET, "计算项")):
        if title not in book.workbook.sheetnames:
            continue
        ws = book.workbook[title]
        cells = [f"{c.coordinate}" for row in ws.iter_rows() for c in row
                 if c.comment is not None and str(c.comment.text or "").startswith(DRAFT_MARK)]
        if cells:
            shown = "、".join(cells[:12]) + ("等" if len(cells) > 12 else "")
            report.add(WARNING, f"{len(cells)} 个起草的{what}尚未确认（批注仍在）：{title}!{shown}；核对无误后删除这些批注")


def _check_structure(system: IndicatorSystem, report: CheckReport):
    sheet = system.sheet_name
    settings = system.settings
    for grade, threshold in settings.grades:
        if not 0 <= threshold <= 100:
            report.add(ERROR, f"设置 等级“{grade}”的分数线 {threshold:g} 应在 0 到 100 之间（为满分的百分比）")
    if settings.total_cap is not None and settings.total_cap < settings.max_total:
        report.add(WARNING, f"设置 总分上限 {settings.total_cap:g} 低于满分 {settings.max_total:g}")

    # duplicate codes and names
    seen_codes, seen_names = {}, {}
    for node in system.indicators():
        where = cell_ref(sheet, *node.name_cell)
        if node.code:
            if node.code in seen_codes:
                report.add(ERROR, f"{where} 指标编号“{node.code}”重复（已用于 {seen_codes[node.code]}）")
            else:
                seen_codes[node.code] = where
        if node.is_leaf:
            key = normalize_name(node.name)
            if key in seen_names:
                report.add(WARNING, f"{where} 末级指标“{node.name}”与 {seen_names[key]} 同名：人工评分和“完成值”按名称取数时会取同一个数据，请改名或填写指标编号")
            else:
                seen_names[key] = where

    # formulas that can exceed 分值
    for use in formula_uses(system):
        if use.leaf is None:
            for reserved in sorted(RESERVED_NAMES & use.formula.names):
                report.add(ERROR, f"{use.where} 计算项公式用了“{reserved}”：分值、目标值、完成值只能用在指标的评分公式中")
            continue
        weight = float(use.leaf.weight or 0.0)
        top = max_result(use.formula, weight)
        if top is not None and top > weight + EPS:
            report.add(WARNING, f"{use.where} 最高可得 {top:g} 分，超过分值 {weight:g}（超出部分将按分值计）")
        if TARGET_NAME in use.formula.names and use.leaf.target is None and not use.leaf.qualitative_target:
            report.add(ERROR, f"{use.where} 用了“目标值”，但“{use.leaf.name}”的目标值为空")

    # unused 计算项 (完成值 reads the 计算项 named as its indicator)
    read = set()
    for use in formula_uses(system):
        read |= use.formula.names
        if use.leaf is not None and ACTUAL_NAME in use.formula.names:
            read |= set(use.leaf.data_keys)
    for item in system.derived:
        if item.name not in read:
            report.add(WARNING, f"{item.cell} 计算项“{item.name}”没有被任何公式使用")

    for leaf in rules(system):
        if not leaf.qualitative_target:
            continue
        where = cell_ref(sheet, *leaf.target_cell) if leaf.target_cell else cell_ref(sheet, *leaf.name_cell)
        if leaf.formula is not None and TARGET_NAME in leaf.formula.names:
            report.add(WARNING, f"{where} “{leaf.name}”的目标值“{leaf.qualitative_target}”是定性的，但评分公式用到目标值："
                                f"评分时这个指标会报错；请删去公式按人工评分，或把目标值写成数值（如 ≥95%）")
        else:
            report.add(INFO, f"{where} “{leaf.name}”的目标值“{leaf.qualitative_target}”是定性的："
                             f"{'按评分公式评分' if leaf.formula is not None else '按人工评分（在基础数据中填写得分）'}")
    for leaf in rules(system):
        target = leaf.target
        if target is not None and not target.direction_given and lower_is_better(leaf):
            where = cell_ref(sheet, *leaf.target_cell) if leaf.target_cell else cell_ref(sheet, *leaf.name_cell)
            shown = target.text or format_number(target.value)
            report.add(WARNING, f"{where} “{leaf.name}”的目标值 {shown} 没有方向（≥/≤）：这类指标通常越低越好，"
                                f"只写数字按“≥”理解；请写成 ≤{shown} 或 ≥{shown}")
    manual = manual_leaves(system)
    if manual:
        report.add(INFO, f"人工评分指标（{len(manual)} 个，得分在基础数据中填写）：" + "、".join(
            leaf.name + (f"（可填等级 {'/'.join(b.grade for b in leaf.bands)}）" if leaf.bands else "") for leaf in manual))
    for leaf in system.leaves():
        if leaf.alternatives:
            report.add(INFO, f"{cell_ref(sheet, *leaf.weight_cell)} " + "、".join(f"“{o.name}”" for o in leaf.alternatives)
                       + f"择其一（共 {format_number(leaf.weight or 0)} 分）：按单位提供了数据的一项评分")


LOWER_IS_BETTER = re.compile(r"(结余|结转|调整|变动|偏差|超支|闲置|沉淀)率|成本|投诉|事故|差错|违规|违纪|超标|逾期|损失|不合格")


def lower_is_better(leaf) -> bool:
    """An indicator whose name or criteria say less is better (结余率, 成本, 投诉)."""
    return bool(LOWER_IS_BETTER.search(leaf.name) or LOWER_IS_BETTER.search(leaf.criteria or ""))


# Last characters that make a different figure, not a typo: 预算执行数 and 预算执行率 are both real names.
MEANINGFUL_ENDINGS = set("数率额值量度比费金人次项个天")


def looks_like_a_typo(name: str, other: str) -> bool:
    """`在职人员控制律` for 在职人员控制率: same length, one character different — unless the two differ only in a
    last character that names a different figure (数/率/额…), or one merely extends the other (预算执行 / 预算执行率)."""
    if len(name) != len(other) or len(name) < 3:
        return False
    differ = [i for i, (a, b) in enumerate(zip(name, other)) if a != b]
    if len(differ) != 1:
        return False
    i = differ[0]
    return not (i == len(name) - 1 and name[i] in MEANINGFUL_ENDINGS and other[i] in MEANINGFUL_ENDINGS)


def _check_names_without_data(system: IndicatorSystem, report: CheckReport):
    needed = required_inputs(system)
    defined = [d.name for d in system.derived]
    for name, places in needed.items():
        close = [d for d in defined if looks_like_a_typo(name, d)]
        if close:
            report.add(WARNING, f"{places[0].where}：“{name}”不是计算项，与计算项“{close[0]}”只差一点，是否写错？")
    if needed:
        report.add(INFO, f"需要基础数据提供（{len(needed)} 项）：" + "、".join(needed))


def _check_data(system: IndicatorSystem, dataset: DataSet, report: CheckReport):
    available = set()
    for unit in dataset.units:
        available |= {k for k, v in unit.values.items() if v is not MISSING}
    derived = {d.name for d in system.derived}
    needed = required_inputs(system, frozenset(available & derived))
    available |= {k for unit in dataset.units for k in unit.values}
    missing = {name: places for name, places in needed.items() if not supplied_by(name, places, available)}
    wanted_by: dict[int, set[str]] = {}
    for name, places in needed.items():
        for place in places:
            wanted_by.setdefault(place.leaf.id, set()).add(name)
    for name, places in missing.items():
        groups = {place.leaf.choice_of for place in places}
        choice = ""
        if None not in groups:  # needed only by 择其一 alternatives: one complete alternative is enough
            if all(any(not (wanted_by.get(o.id, set()) & missing.keys()) for o in g.alternatives) for g in groups):
                continue
            choice = "（" + "；".join("、".join(f"“{o.name}”" for o in g.alternatives) for g in groups) + "择其一，填写其中一项的数据即可）"
        close = difflib.get_close_matches(name, sorted(available), n=3, cutoff=0.5)
        hint = "（是否指 " + "、".join(f"“{c}”" for c in close) + "？）" if close else ""
        report.add(ERROR, f"{places[0].where}：基础数据中没有“{name}”{hint}{choice}")
    targets, texts = set(), set()
    for use in formula_uses(system):
        targets |= target_names(use.formula)
        texts |= text_compared_names(use.formula)
    graded = {key for leaf in rules(system) if leaf.bands for key in leaf.data_keys}  # 优/良 expected as text
    optional = {name for name, places in needed.items() if all(p.leaf.choice_of is not None for p in places)}
    multi = len(dataset.units) > 1
    # the engine's own reading of the values (words, units, amounts): the same messages as `run`
    inputs = Inputs(system, dataset.units, Messages())
    doubts: dict[int, list[tuple[str, bool]]] = {}  # unit index → (message, is an error)
    for leaf in rules(system):
        for i, message in negative_amounts(inputs, leaf).items():
            doubts.setdefault(i, []).append((message, True))
        for i, message in inputs.leaf_units(leaf).items():
            doubts.setdefault(i, []).append((message, False))
    for name, by_unit in inputs.data_errors.items():
        for i, message in by_unit.items():
            doubts.setdefault(i, []).append((message, True))
    for k, unit in enumerate(dataset.units):
        prefix = f"单位“{unit.name}”：" if multi else ""
        for message, is_error in dict.fromkeys(doubts.get(k, [])):
            report.add(ERROR if is_error else WARNING, f"{prefix}{message}")
        for name in needed:
            if name not in unit.values:
                continue
            value = unit.values[name]
            where = unit.origins.get(name, "")
            if value is MISSING:
                if name not in optional:  # a blank for an alternative not chosen is expected; none at all is an error of the run
                    report.add(ERROR, f"{prefix}{where} “{name}”未填写")
            elif isinstance(value, Invalid):
                report.add(ERROR, f"{prefix}{value.message}")
            elif value is NA:
                report.add(INFO, f"{prefix}{where} “{name}”为不适用")
            elif isinstance(value, str) and name in targets:
                try:
                    parse_target(value)
                except TargetError as exc:
                    report.add(ERROR, f"{prefix}{where} {exc}")
            elif name in inputs.data_errors and k in inputs.data_errors[name]:
                continue  # said above
            elif isinstance(value, str) and name not in texts and name not in graded:  # 等级="优" expects text
                report.add(WARNING, f"{prefix}{where} “{name}”是文本“{value}”，公式需要数值或是/否")
            # figures that look wrong (85 typed for 85 %): the trial run's warnings, the same rule as `run`
