"""Indicator systems and units built in memory (no workbook): for tests of the engine, audit and compare rules.

    system(group("产出", leaf("完成率", 60, "分值*完成率"), leaf("质量", 40, "分值*合格率")), na_rule=NARule.DROP)
    unit("甲", 完成率=0.9, 合格率=NA)
"""

from __future__ import annotations

from pathlib import Path

from scoring.formula import compile_formula
from scoring.formula.targets import parse_target
from scoring.model import Derived, Indicator, IndicatorSystem, Kind, Settings, Unit
from scoring.values import normalize_name


class Node:
    """What an indicator will be: built into Indicators (ids, parents, rows, levels) by `system`."""

    def __init__(self, name, weight=None, formula="", children=(), kind=Kind.NORMAL, code="", target=None,
                 criteria=""):
        self.name, self.weight, self.formula, self.children = name, weight, formula, list(children)
        self.kind, self.code, self.target, self.criteria = kind, code, target, criteria


def leaf(name, weight, formula="", kind=Kind.NORMAL, code="", target=None, criteria="") -> Node:
    return Node(name, weight, formula, (), kind, code, target, criteria)


def group(name, *children, weight=None, kind=Kind.NORMAL, code="") -> Node:
    """A parent whose 分值 is its same-kind children's sum unless given (as the reader does)."""
    if weight is None:
        weight = sum(c.weight for c in children if c.kind == kind)
    return Node(name, weight, "", children, kind, code)


def system(*roots: Node, derived=(), **settings) -> IndicatorSystem:
    """An IndicatorSystem of these roots; `derived` as (name, formula) pairs; keyword arguments are Settings fields."""
    ids: list = []
    rows = iter(range(3, 10_000))

    def build(node: Node, parent, level):
        row = next(rows)
        ind = Indicator(id=len(ids), name=node.name, level=level, parent=parent, row=row, name_cell=(row, level),
                        code=node.code, weight=float(node.weight), weight_given=True, weight_cell=(row, 5),
                        kind=node.kind, criteria=node.criteria)
        ids.append(ind)
        if node.formula:
            ind.formula_text = node.formula
            ind.formula = compile_formula(node.formula, where=f"指标体系!F{row} 评分公式")
            ind.formula_cell = (row, 6)
        if node.target is not None:
            ind.target_raw, ind.target, ind.target_cell = node.target, parse_target(node.target), (row, 7)
        ind.children = [build(c, ind, level + 1) for c in node.children]
        return ind

    built = [build(r, None, 1) for r in roots]
    items = [Derived(name, compile_formula(text, where=f"计算项!B{k} 公式"), "", f"计算项!B{k}")
             for k, (name, text) in enumerate(derived, start=2)]
    return IndicatorSystem(path=Path("指标体系.xlsx"), sheet_name="指标体系", roots=built, settings=Settings(**settings),
                           derived=items, header_row=2, first_row=3, last_row=next(rows) - 1, total_row=None,
                           columns={})


def unit(name: str, **values) -> Unit:
    """A unit whose values sit in 基础数据 column B from row 2, in the order given (the cell each names)."""
    keys = [normalize_name(k) for k in values]
    return Unit(name=name, values=dict(zip(keys, values.values())),
                origins={k: f"基础数据!B{row}" for row, k in enumerate(keys, start=2)},
                display_names={normalize_name(k): k for k in values})


def by_name(results_system: IndicatorSystem, name: str) -> Indicator:
    return next(i for i in results_system.indicators() if i.name == name)
